import csv
import json
import subprocess
import sys

from conftest import ROOT, SAMPLE

from audit.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=ROOT)


def test_rules_lists_every_check_from_the_registry(capsys):
    from audit.registry import all_checks

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for c in all_checks():
        assert c.code in out
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["category"] for d in data} >= {"residue", "bio", "mt", "name", "integrity"}


def test_run_on_the_sample_corpus_writes_spec_outputs(tmp_path):
    assert main(["run", str(SAMPLE), "--out", str(tmp_path), "--no-validation"]) == 0
    findings = [json.loads(line) for line in (tmp_path / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert findings
    keys = ["doc_id", "code", "category", "severity", "message", "start", "end", "evidence", "suggestion"]
    texts = {
        p.relative_to(SAMPLE).with_suffix("").as_posix(): p.read_text(encoding="utf-8") for p in SAMPLE.rglob("*.txt")
    }
    for f in findings:
        assert list(f) == keys
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
