import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from audit.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=ROOT)


def test_rules_lists_every_check_from_the_registry(capsys):
    from audit.catalog import all_checks

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for c in all_checks():
        assert c.code in out
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["category"] for d in data} >= {"residue", "bio", "mt", "name", "integrity"}
    meta = {d["code"]: (d["fix"], d["autofix"], d["names"]) for d in data}
    assert meta["RES001"] == ("remove", True, False) and meta["MT009"][0] == "none"
    assert meta["NAME001"] == ("replace", False, True)


def test_run_on_the_sample_corpus_writes_spec_outputs(tmp_path):
    assert main(["run", str(SAMPLE), "--out", str(tmp_path), "--no-validation"]) == 0
    findings = [json.loads(line) for line in (tmp_path / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert findings
    keys = ["doc_id", "code", "category", "severity", "message", "start", "end", "evidence", "suggestion"]
    texts = {
        p.relative_to(SAMPLE).with_suffix("").as_posix(): p.read_text(encoding="utf-8") for p in SAMPLE.rglob("*.txt")
    }
    for f in findings:
        assert list(f)[:9] == keys and set(list(f)[9:]) <= {"confidence"}
        assert texts[f["doc_id"]][f["start"] : f["end"]] == f["evidence"]
    with (tmp_path / "scores.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(texts)
    assert list(rows[0])[:10] == [
        "doc_id",
        "source",
        "status",
        "score",
        "n_findings",
        "residue",
        "bio",
        "mt",
        "name",
        "integrity",
    ]
    scores = {r["doc_id"]: float(r["score"]) for r in rows}
    assert all(0 <= s <= 100 for s in scores.values())
    assert scores["wire-digest/ferry"] > scores["wire-digest/storm-aftermath"]
    codes = {f["code"] for f in findings}
    assert {"RES001", "MT001", "BIO001", "NAME001", "MT006"} <= codes


def test_runs_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(SAMPLE), "--out", str(a), "--no-validation"]) == 0
    assert main(["run", str(SAMPLE), "--out", str(b), "--jobs", "2", "--no-validation"]) == 0
    for name in ("findings.jsonl", "scores.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_select_and_ignore(tmp_path):
    assert (
        main(
            ["run", str(SAMPLE), "--out", str(tmp_path), "--select", "residue", "--ignore", "RES001", "--no-validation"]
        )
        == 0
    )
    codes = {json.loads(line)["code"] for line in (tmp_path / "findings.jsonl").read_text().splitlines()}
    assert codes and all(c.startswith("RES") for c in codes) and "RES001" not in codes


def test_usage_errors_exit_2(tmp_path):
    r = run_cli("run", str(tmp_path / "missing"), "--out", str(tmp_path))
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run_cli("run", str(SAMPLE), "--select", "NOPE1", "--out", str(tmp_path))
    assert r.returncode == 2 and "unknown check" in r.stderr


def test_unreadable_documents_appear_in_scores(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("A perfectly ordinary sentence about the weather in the city today. " * 5)
    (src / "bad.txt").write_bytes(b"\xff\xfe\xfa broken")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--no-validation"]) == 0
    rows = {r["doc_id"]: r for r in csv.DictReader((out / "scores.csv").open(encoding="utf-8"))}
    assert rows["bad"]["status"] == "unreadable" and rows["bad"]["reason"]
    assert rows["good"]["status"] == "ok"


def test_out_naming_a_file_exits_2_without_a_traceback(tmp_path, capsys):
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    for cmd in (["run", str(SAMPLE), "--no-validation"], ["fix", str(SAMPLE)]):
        assert main([*cmd, "--out", str(target)]) == 2
        assert capsys.readouterr().err == f"audit: error: --out {target} is a file, not a folder\n"
    assert main(["run", str(SAMPLE), "--out", str(target / "sub")]) == 2
    assert capsys.readouterr().err == (
        f"audit: error: --out {target / 'sub'} cannot be made: {target} is a file, not a folder\n"
    )
    assert target.read_text() == "keep me"
    r = run_cli("run", str(SAMPLE), "--out", str(target), "--no-validation")
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.startswith("audit: error: --out ")


def _refuse_writes_in(monkeypatch, folder):
    """Root ignores file modes, so a read-only folder is simulated: creating a file in it fails with EACCES."""
    import errno
    import tempfile

    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        if kwargs.get("dir") is not None and Path(kwargs["dir"]).resolve() == folder.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", str(folder))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_a_read_only_output_folder_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SAMPLE), "--out", str(out), "--no-validation"]) == 0
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _refuse_writes_in(monkeypatch, out)
    for cmd in (["run", str(SAMPLE), "--no-validation"], ["check", str(SAMPLE)], ["fix", str(SAMPLE)]):
        assert main([*cmd, "--out", str(out)]) == 2
        assert capsys.readouterr().err == f"audit: error: --out {out}: cannot write in {out}: Permission denied\n"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_write_that_fails_midway_exits_2_and_keeps_the_old_file(tmp_path, monkeypatch, capsys):
    import errno

    out = tmp_path / "out"
    assert main(["run", str(SAMPLE), "--out", str(out), "--no-validation"]) == 0
    capsys.readouterr()
    scores = (out / "scores.csv").read_bytes()

    def disk_full(result, f):
        f.write("doc_id,source\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("audit.output.write_scores", disk_full)
    assert main(["run", str(SAMPLE), "--out", str(out), "--no-validation"]) == 2
    assert capsys.readouterr().err == f"audit: error: cannot write {out}: No space left on device\n"
    assert (out / "scores.csv").read_bytes() == scores
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".audit-")]


def test_engine_dask_without_the_extra_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "dask.bag", None)  # as if news-audit[dask] were not installed
    monkeypatch.setitem(sys.modules, "distributed", None)
    out = tmp_path / "out"
    assert main(["run", str(SAMPLE), "--engine", "dask", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("audit: error: --engine dask needs Dask, which is not installed")
    assert err.endswith("pip install 'news-audit[dask]'\n") and not out.exists()
    assert main(["check", str(SAMPLE), "--engine", "dask"]) == 2
    assert "pip install 'news-audit[dask]'" in capsys.readouterr().err
    assert main(["run", str(SAMPLE), "--scheduler", "tcp://127.0.0.1:8786", "--out", str(out)]) == 2
    assert capsys.readouterr().err == "audit: error: --scheduler needs --engine dask\n"


@pytest.mark.parametrize(
    "option", [["--engine", "dask"], ["--engine", "local"], ["--scheduler", "x"], ["--no-progress"]]
)
def test_fix_rejects_the_options_it_would_ignore(tmp_path, capsys, option):
    with pytest.raises(SystemExit) as e:
        main(["fix", str(SAMPLE), "--out", str(tmp_path / "out"), *option])
    assert e.value.code == 2
    assert f"audit: error: unrecognized arguments: {' '.join(option)}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_internal_bug_is_not_a_usage_error(tmp_path, monkeypatch):
    def bug(result):
        raise ValueError("a bug in the summary")

    monkeypatch.setattr("audit.cli._summary", bug)
    with pytest.raises(ValueError, match="a bug in the summary"):
        main(["run", str(SAMPLE), "--out", str(tmp_path), "--no-validation"])


def test_bad_source_ratings_exit_2(tmp_path, capsys):
    missing = tmp_path / "none.csv"
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "o"), "--source-ratings", str(missing)]) == 2
    assert (
        capsys.readouterr().err == f"audit: error: cannot read --source-ratings {missing}: No such file or directory\n"
    )
    headless = tmp_path / "r.csv"
    headless.write_text("outlet,score\nx,1\n")
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "o"), "--source-ratings", str(headless)]) == 2
    assert "needs the columns 'source' and 'rating'" in capsys.readouterr().err


AFTER_AD = (
    "The council approved the budget on Tuesday after a debate that lasted six hours, officials said. "
    "It increases spending on schools and public transport and cuts the council's own costs."
)
ROWS = [
    {
        "url": "https://www.example.org/a",
        "body": "[ad_1]\n" + AFTER_AD,
        "outlet": "courier",
    },
    {
        "url": "https://news.example.com/b",
        "body": "The ferry was cancelled on Monday, the operator said.",
        "outlet": "",
    },
]


def _rows_csv(tmp_path):
    path = tmp_path / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["url", "body", "outlet"], lineterminator="\n")
        w.writeheader()
        w.writerows(ROWS)
    return path


def test_text_id_and_source_columns_on_run_check_and_fix(tmp_path, capsys):
    src = _rows_csv(tmp_path)
    cols = ["--id-column", "url", "--text-column", "body", "--source-column", "outlet"]
    out = tmp_path / "run"
    assert main(["run", str(src), *cols, "--out", str(out), "--no-validation"]) == 0
    rows = {r["doc_id"]: r for r in csv.DictReader((out / "scores.csv").open(encoding="utf-8", newline=""))}
    assert set(rows) == {"https://www.example.org/a", "https://news.example.com/b"}
    assert (
        rows["https://www.example.org/a"]["source"] == "courier" and rows["https://news.example.com/b"]["source"] == ""
    )
    assert all(r["status"] == "ok" for r in rows.values()) and "body" not in rows["https://www.example.org/a"]
    findings = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    ad = next(f for f in findings if f["code"] == "RES001")
    assert ad["doc_id"] == "https://www.example.org/a" and ad["evidence"] == "[ad_1]"
    capsys.readouterr()
    assert main(["check", str(src), *cols, "--format", "json", "--select", "RES001"]) == 1
    failures = json.loads(capsys.readouterr().out)["validation"]["failures"]
    assert next(f for f in failures if f["column"] == "RES001")["worst"] == ["https://www.example.org/a"]
    fixed = tmp_path / "fixed"
    assert main(["fix", str(src), *cols, "--out", str(fixed)]) == 0
    with (fixed / "articles.csv").open(encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert [r["url"] for r in back] == [r["url"] for r in ROWS] and back[0]["body"] == AFTER_AD
    assert back[0]["outlet"] == "courier" and "text" not in back[0] and "id" not in back[0]


def test_a_row_file_without_its_text_column_is_a_usage_error_naming_its_columns(tmp_path):
    src = _rows_csv(tmp_path)
    out = tmp_path / "run"
    r = run_cli("run", str(src), "--out", str(out), "--no-validation")
    assert r.returncode == 2 and r.stdout == ""
    header = src.read_text(encoding="utf-8").splitlines()[0].replace(",", ", ")
    assert f"audit: error: no column 'text' in {src}; its columns are: {header} (use --text-column" in r.stderr
    assert not out.exists()  # decided from the header, before any work


@pytest.mark.parametrize("command", ["run", "check", "fix"])
def test_a_jsonl_without_its_text_column_fails_every_command_with_rc_2(tmp_path, command):
    src = tmp_path / "rows.jsonl"
    src.write_text('{"id": "a", "body": "Text one"}\n{"id": "b", "body": "Text two"}\n', encoding="utf-8")
    r = run_cli(command, str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert f"no column 'text' in {src}; its columns are: id, body (use --text-column" in r.stderr
    ok = run_cli(command, str(src), "--text-column", "body", "--out", str(tmp_path / "out2"))
    assert ok.returncode in (0, 1) and "no column" not in ok.stderr


def test_an_empty_folder_is_reported_on_stderr_with_what_was_skipped(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    for name in ("a.md", "b.md", "page.html"):
        (folder / name).write_text("Some text", encoding="utf-8")
    r = run_cli("run", str(folder), "--out", str(tmp_path / "out"), "--no-validation")
    assert r.returncode == 0 and "0 documents read" in r.stdout
    assert f"audit: warning: no document found in {folder}" in r.stderr
    assert f"{folder}: 3 files skipped (2 .md, 1 .html): only .txt files are read from folders" in r.stderr
    assert "warning" not in r.stdout


def test_an_empty_jsonl_is_reported_on_stderr(tmp_path):
    src = tmp_path / "none.jsonl"
    src.write_text("", encoding="utf-8")
    r = run_cli("run", str(src), "--out", str(tmp_path / "out"), "--no-validation")
    assert r.returncode == 0 and f"audit: warning: no document found in {src}" in r.stderr


def test_source_from_url_host_and_its_record(tmp_path, capsys):
    src = _rows_csv(tmp_path)
    cols = ["--id-column", "url", "--text-column", "body", "--source-column", "outlet", "--source-from", "url-host"]
    out = tmp_path / "run"
    assert main(["run", str(src), *cols, "--out", str(out), "--no-validation"]) == 0
    rows = {r["doc_id"]: r for r in csv.DictReader((out / "scores.csv").open(encoding="utf-8", newline=""))}
    assert (rows["https://www.example.org/a"]["source"], rows["https://www.example.org/a"]["source_from"]) == (
        "courier",
        "column",
    )
    assert (rows["https://news.example.com/b"]["source"], rows["https://news.example.com/b"]["source_from"]) == (
        "news.example.com",
        "url-host",
    )
    fixed = tmp_path / "fixed"
    assert main(["fix", str(src), *cols, "--out", str(fixed)]) == 0
    back = list(csv.DictReader((fixed / "articles.csv").open(encoding="utf-8", newline="")))
    assert [r["outlet"] for r in back] == ["courier", ""]  # a derived source is not written into the corpus
    assert "source_from" not in back[0]


def test_columns_from_the_config_table(tmp_path, monkeypatch, capsys):
    src = _rows_csv(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.audit]\ntext-column = "body"\nid-column = "url"\nsource-from = "file"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(src), "--out", str(tmp_path / "run"), "--no-validation"]) == 0
    rows = list(csv.DictReader((tmp_path / "run" / "scores.csv").open(encoding="utf-8", newline="")))
    assert [(r["doc_id"], r["source"]) for r in rows] == [(ROWS[0]["url"], "articles"), (ROWS[1]["url"], "articles")]
    (tmp_path / "pyproject.toml").write_text('[tool.audit]\nsource-from = "moon"\n', encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "run"), "--no-validation"]) == 2
    assert capsys.readouterr().err.endswith(
        "audit: error: source from 'moon': choose one of column, folder, file, url-host\n"
    )


def test_config_values_of_the_wrong_type_are_config_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.audit]\njobs = "two"\n', encoding="utf-8")
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "o"), "--no-validation"]) == 2
    assert capsys.readouterr().err == (
        f"audit: error: {tmp_path / 'pyproject.toml'}: [tool.audit] jobs must be an integer, not 'two'\n"
    )
    (tmp_path / "pyproject.toml").write_text("[tool.audit]\nmin-share = 1.5\n", encoding="utf-8")
    assert main(["check", str(SAMPLE)]) == 2
    assert capsys.readouterr().err == "audit: error: min-share must be a share between 0 and 1, not 1.5\n"
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    assert main(["check", str(SAMPLE), "--fail-under", "101"]) == 2
    assert capsys.readouterr().err == "audit: error: fail-under must be a score between 0 and 100, not 101.0\n"


def test_the_validation_cost_is_one_figure_in_help_and_readme():
    import re

    from audit.cli import build_parser

    run_help = build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    in_help = set(re.findall(r"Great\s+Expectations\s+validation[^.]*?about\s+([\d.]+)\s+s", run_help))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_readme = set(re.findall(r"Great\s+Expectations[^.]*?about\s+([\d.]+)\s+s\b", readme))
    assert len(in_help) == 1 and in_readme == in_help, (in_help, in_readme)


def test_a_data_file_the_package_cannot_read_is_a_bug_not_a_write_error(tmp_path, monkeypatch):
    def missing_data(result, f):
        raise FileNotFoundError(2, "No such file or directory", str(tmp_path / "package" / "model.tsv"))

    monkeypatch.setattr("audit.output.write_scores", missing_data)
    with pytest.raises(FileNotFoundError):
        main(["run", str(SAMPLE), "--out", str(tmp_path / "out"), "--no-validation"])


@pytest.mark.parametrize("option", [["--jobs", "-1"], ["--report-docs", "-5"], ["--jobs", "two"]])
def test_negative_or_non_numeric_counts_are_usage_errors(tmp_path, capsys, option):
    with pytest.raises(SystemExit) as e:
        main(["run", str(SAMPLE), "--out", str(tmp_path / "out"), *option])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option[0]}" in err and ("must be 0 or more" in err or "not a whole number" in err)
    assert not (tmp_path / "out").exists()


def _help_lengths(command: str) -> dict[str, int]:
    """Each option's help as `audit COMMAND --help` prints it at 80 columns: option -> number of lines."""
    import os

    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-m", "audit", command, "--help"], capture_output=True, text=True, cwd=ROOT, env=env
    ).stdout
    lengths: dict[str, int] = {}
    option = None
    for line in out.split("options:", 1)[1].splitlines():
        if line.startswith("  -"):
            option = line.split()[0].rstrip(",")
            lengths[option] = 1 if len(line.strip().split("  ", 1)) > 1 else 0
        elif option and line.startswith(" " * 24) and line.strip():
            lengths[option] += 1
    return lengths


@pytest.mark.parametrize("command", ["run", "check", "fix"])
def test_every_option_help_is_one_or_two_lines(command):
    lengths = _help_lengths(command)
    assert "--memory" in lengths or command == "fix"
    assert {o: n for o, n in lengths.items() if not 1 <= n <= 2} == {}


def test_the_mt_threshold_help_quotes_no_figure_of_its_own():
    r = run_cli("run", "--help")
    text = " ".join(r.stdout.split())
    start = text.index("--mt-threshold P ")
    assert "README" in text[start : start + 200] and "%" not in text[start : start + 200]


def test_rules_has_a_header_and_says_what_plain_fix_applies():
    r = run_cli("rules")
    lines = r.stdout.splitlines()
    assert lines[0].split()[:7] == ["code", "category", "severity", "scope", "fix", "default", "fix"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["RES001"][4:6] == ["remove", "yes"]  # an ad placeholder: removed by plain `audit fix`
    assert rows["BIO001"][4:6] == ["remove", "no"]  # a bio: only with --select
    assert rows["NAME001"][4:6] == ["replace", "--fix-names"]
    assert rows["MT009"][4:6] == ["none", "-"]


def test_the_first_run_says_where_to_read_why_its_validation_fails(tmp_path):
    r = run_cli("run", str(SAMPLE), "--out", str(tmp_path / "sample"), "--no-progress")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("validation ("))
    assert lines[at].endswith("3 of 6 expectations failed on 6 documents (score, RES001, mt)")
    index = tmp_path / "sample" / "validation" / "data_docs" / "index.html"
    assert lines[at + 1] == f"  why: {index}, or `audit check` on the same input" and index.is_file()
    assert "verdict is expected (README: First run)" in lines[at + 2]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**First run: the validation verdict is expected to fail.**" in readme and lines[at] in readme


def test_another_corpus_is_not_told_its_failures_are_expected(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("[ad_1]\nShort note.", encoding="utf-8")
    r = run_cli("run", str(corpus), "--out", str(tmp_path / "out"), "--no-progress")
    assert "  why: " in r.stdout and "expected" not in r.stdout
