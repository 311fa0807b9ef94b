"""The streaming run: lazy input, results spilled to disk, outputs written in passes over the shards.

A spilled run must give exactly what the in-memory run gives; the report shows the lowest-scoring
documents with totals over all of them; nothing of the spill is left behind.
"""

import json
import pickle

from conftest import SAMPLE

from audit.cli import main
from audit.corpus.mentions import DocMentions, extract_mentions
from audit.engine import Options, SpilledResults, audit_documents
from audit.load import count_documents, load_documents
from audit.model import Document
from audit.output import write_outputs
from audit.report import report_data
from audit.text import TextView


def _corpus() -> list[Document]:
    docs = list(load_documents([SAMPLE]))
    # a second copy of every text under another source, so the corpus pass has repeats to find
    footer = "\nMirror News is a member of the independent press council."
    docs += [Document(f"{d.id}-copy", d.text + footer, source="mirror") for d in docs if d.readable]
    docs.append(Document("broken", "", status="unreadable", reason="test: cannot decode"))
    return docs


def _snapshot(result) -> list:
    return [
        (r.doc.id, r.story, r.score.score if r.score else None, [f.to_dict() for f in r.findings])
        for r in result.results
    ]


def test_spilled_run_equals_in_memory_run_and_streams_its_input(tmp_path):
    docs = _corpus()
    consumed = []

    def lazily():
        for d in docs:
            consumed.append(d.id)
            yield d

    memory = audit_documents(docs, Options(jobs=1))
    spilled = audit_documents(lazily(), Options(jobs=1), spill=tmp_path / "spill")
    assert isinstance(spilled.results, SpilledResults)
    assert len(spilled.results) == len(docs) == len(consumed)
    assert _snapshot(spilled) == _snapshot(memory)
    assert _snapshot(spilled) == _snapshot(spilled)  # the shards can be read again
    assert spilled.claims == memory.claims
    # the corpus pass did its work: the mirror's footer is template text, each copy joins its original's story
    assert sum(f.code == "RES013" for f in memory.findings) == len([d for d in docs if d.source == "mirror"])
    story = {r.doc.id: r.story for r in memory.results}
    assert all(story[d.id] == story[d.id.removesuffix("-copy")] for d in docs if d.source == "mirror")

    a, b = tmp_path / "a", tmp_path / "b"
    write_outputs(memory, a)
    write_outputs(spilled, b)
    for name in ("findings.jsonl", "scores.csv", "sources.csv", "claims.csv", "report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    spilled.results.close()
    assert not (tmp_path / "spill").exists()


def test_cli_run_leaves_no_work_files_and_reports_totals_over_all_documents(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SAMPLE), "--out", str(out), "--no-validation", "--report-docs", "2"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.csv",
        "findings.jsonl",
        "report.html",
        "scores.csv",
        "sources.csv",
    ]
    n_docs = len(list(load_documents([SAMPLE])))
    assert len((out / "scores.csv").read_text(encoding="utf-8").splitlines()) == n_docs + 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('<script type="application/json" id="t') == 2


def test_report_shows_the_lowest_scoring_documents_with_totals_over_all():
    result = audit_documents(_corpus(), Options(jobs=1))
    data = report_data(result, max_docs=3)
    everyone = sorted(
        ((-1.0 if r.score is None else r.score.score, r.doc.id) for r in result.results),
    )
    assert sorted((-1.0 if d["score"] is None else d["score"], d["id"]) for d in data["docs"]) == everyone[:3]
    assert data["docs"][0]["id"] != "" and any(d["id"] == "broken" for d in data["docs"])  # unreadable first
    totals = data["totals"]
    assert totals["documents"] == len(result.results)
    assert totals["audited"] == sum(r.score is not None for r in result.results)
    assert totals["findings"] == len(result.findings)
    assert sum(totals["bins"]) == totals["audited"]
    assert totals["checks"]["RES013"] == sum(f.code == "RES013" for f in result.findings)


def test_document_count_for_the_progress_bar(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\nnot json\n', encoding="utf-8")
    assert count_documents([rows]) == len(list(load_documents([rows]))) == 3
    assert count_documents([SAMPLE, rows]) == len(list(load_documents([SAMPLE, rows])))
    (tmp_path / "t.csv").write_text("id,text\na,b\n", encoding="utf-8")
    assert count_documents([tmp_path / "t.csv"]) is None  # a CSV would need parsing: no total


def test_mentions_survive_pickling_compact_and_interned():
    text = "Nikol Pashinyan met Ilham Aliyev in Brussels. Pashinyan said Stepanakert, known as Xankandi, was calm."
    second = text.index("Pashinyan", 10)
    m = extract_mentions(TextView(text, source="wire"))
    back = pickle.loads(pickle.dumps(m))
    assert dict(back.occurrences()) == dict(m.occurrences())
    assert dict(m.occurrences())["Pashinyan"] == [(6, 15), (second, second + 9)]
    assert ("Nikol", "Pashinyan") in set(back.neighbours())
    assert frozenset(("Stepanakert", "Xankandi")) in back.aliases
    other = pickle.loads(pickle.dumps(m))
    assert other.forms[0] is back.forms[0]  # one copy of each form, however many documents use it
    assert isinstance(back, DocMentions)
    json.dumps(back.forms)


def test_outputs_are_byte_identical_across_processes_with_different_hash_seeds(tmp_path):
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "audit.cli", "run", str(SAMPLE), "--out", str(out), "--no-validation"]
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        outs.append(out)
    for name in ("findings.jsonl", "scores.csv", "sources.csv", "claims.csv", "report.html"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
