"""Bad input, hostile text and determinism: nothing lost, nothing hangs."""

import json
import os

import pytest
from conftest import SAMPLE

from audit.cli import main
from audit.engine import Options, audit_documents
from audit.load import load_documents
from audit.records import Document
from audit.store import ShardCache


def _spans_ok(result):
    for r in result.results:
        for f in r.findings:
            assert r.doc.text[f.start : f.end] == f.evidence, (f.code, f.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff[ad_1]\r\nThe council met on Monday.\r\nRead more\r\n",
        "[ad_1]\nCafe\u0301 owners said the street was flooded.\nRead more",
        "🌊🌊 Storm 🌊\n[ad_1]\nThe 🌧️ rain fell all night, officials said.\nRead more",
        "[ad_1]\nשלום עולם, said the mayor of the city on Monday.\nالعربية\nRead more",
    ],
)
def test_offsets_survive_bom_crlf_combining_emoji_rtl(text):
    result = audit_documents([Document("d", text)], Options(jobs=1))
    _spans_ok(result)
    found = {f.evidence for f in result.findings}
    assert "[ad_1]" in found and "Read more" in found


def test_a_50_mb_single_line_document_finishes():
    big = Document("big", "a" * 50_000_000)
    result = audit_documents([big, Document("small", "The council met.")], Options(jobs=1))
    assert [r.doc.id for r in result.results] == ["big", "small"]
    _spans_ok(result)


def test_every_input_appears_and_the_summary_adds_up(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text("The council met on Monday and approved the plan, officials said. " * 4)
    (src / "latin1.txt").write_bytes("café".encode("latin-1"))
    (src / "empty.txt").write_text("")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"id": "a", "text": "fine text here"}\n[1, 2]\n{"id": "a", "text": "dup"}\n{broken\n')
    out = tmp_path / "out"
    assert main(["run", str(src), str(rows), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "7 documents read: 4 audited, 3 unreadable" in printed
    lines = (out / "scores.csv").read_text().splitlines()
    assert len(lines) == 1 + 7


def test_ids_never_become_paths_outside_the_output(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "../../escape", "text": "[ad_1]\nThe council met on Monday."}) + "\n")
    out = tmp_path / "out"
    assert main(["fix", str(rows), "--out", str(out)]) == 0
    assert main(["run", str(rows), "--out", str(out / "run")]) == 0
    made = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(m.startswith("out/") or m == "rows.jsonl" for m in made), made


def test_a_failed_write_leaves_the_previous_outputs_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert main(["run", str(SAMPLE), "--out", str(out)]) == 0
    before = (out / "findings.jsonl").read_bytes(), (out / "scores.csv").read_bytes()

    def broken(result):
        yield '{"partial": true}\n'
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr("audit.output.finding_lines", broken)
    with pytest.raises(RuntimeError):
        main(["run", str(SAMPLE), "--out", str(out)])
    assert ((out / "findings.jsonl").read_bytes(), (out / "scores.csv").read_bytes()) == before
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]


def test_resume_reuses_finished_shards_and_gives_identical_results(tmp_path):
    docs = list(load_documents([SAMPLE]))
    cache = ShardCache(tmp_path / "cache")
    first = audit_documents(docs, Options(jobs=1), cache=cache)
    assert cache.hits == 0 and list((tmp_path / "cache").glob("*.pkl"))
    again = ShardCache(tmp_path / "cache")
    second = audit_documents(list(load_documents([SAMPLE])), Options(jobs=1), cache=again)
    assert again.hits >= 1
    assert first.findings == second.findings
    changed = list(load_documents([SAMPLE]))
    changed[0].text += "\nRead more"
    third = ShardCache(tmp_path / "cache")
    audit_documents(changed, Options(jobs=1), cache=third)
    assert third.hits == 0  # a changed document invalidates its shard


def test_resume_flag_end_to_end(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SAMPLE), "--out", str(out), "--resume"]) == 0
    first = (out / "findings.jsonl").read_bytes()
    assert main(["run", str(SAMPLE), "--out", str(out), "--resume"]) == 0
    assert (out / "findings.jsonl").read_bytes() == first
    assert list((out / ".cache").glob("*.pkl"))


def test_parallel_and_single_process_runs_are_identical():
    base = [d for d in load_documents([SAMPLE]) if d.readable]
    docs = [Document(f"{d.id}-{i}", d.text + f"\nRead more {i}", d.source) for i in range(60) for d in base]
    one = audit_documents(docs, Options(jobs=1))
    two = audit_documents(docs, Options(jobs=2))
    assert one.findings == two.findings
    assert [r.score for r in one.results] == [r.score for r in two.results]


def test_evidence_is_capped_in_findings_jsonl_and_marked(tmp_path):
    from audit.output import EVIDENCE_CAP

    sentence = " ".join(["the council said that the budget would grow"] * 500) + " and the"  # one sentence, cut off
    rows = tmp_path / "rows.jsonl"
    short = "[ad_1]\nThe council met on Monday and approved the plan, officials said."
    rows.write_text(
        json.dumps({"id": "long", "text": sentence}) + "\n" + json.dumps({"id": "ad", "text": short}) + "\n"
    )
    out = tmp_path / "out"
    assert main(["run", str(rows), "--out", str(out), "--no-validation"]) == 0
    texts = {"long": sentence, "ad": short}
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    capped = [f for f in findings if f.get("evidence_truncated")]
    assert [(f["doc_id"], f["code"]) for f in capped] == [("long", "INT002")]
    (f,) = capped
    assert (f["start"], f["end"]) == (0, len(sentence)) and len(sentence) > EVIDENCE_CAP  # the span stays exact
    assert f["evidence"] == sentence[: f["start"] + EVIDENCE_CAP] and len(f["evidence"]) == EVIDENCE_CAP
    assert list(f)[-1] == "evidence_truncated" and f["evidence_truncated"] is True
    for f in findings:
        if f["end"] - f["start"] <= EVIDENCE_CAP:
            assert "evidence_truncated" not in f and f["evidence"] == texts[f["doc_id"]][f["start"] : f["end"]]
    assert any(f["code"] == "RES001" for f in findings)


def test_a_span_exactly_at_the_cap_is_written_whole():
    from audit.output import EVIDENCE_CAP, finding_record
    from audit.records import Finding

    at = Finding("d", 5, 5 + EVIDENCE_CAP, "INT002", "integrity", "warning", "cut off", "x" * EVIDENCE_CAP)
    assert finding_record(at) == at.to_dict()
    over = Finding("d", 5, 6 + EVIDENCE_CAP, "INT002", "integrity", "warning", "cut off", "y" * (EVIDENCE_CAP + 1))
    record = finding_record(over)
    assert record["evidence"] == "y" * EVIDENCE_CAP and record["evidence_truncated"] is True
    assert (record["start"], record["end"]) == (5, 6 + EVIDENCE_CAP)
