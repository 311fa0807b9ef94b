"""The streaming run: lazy input, results spilled to disk, outputs written in passes over the shards.

A spilled run must give exactly what the in-memory run gives; the report shows the lowest-scoring
documents with totals over all of them; nothing of the spill is left behind.
"""

import json
import pickle

import pytest
from conftest import SAMPLE

from audit.cli import main
from audit.corpus.mentions import DocMentions, extract_mentions
from audit.engine import Options, audit_documents
from audit.load import count_documents, load_documents
from audit.output import write_outputs
from audit.records import Document
from audit.report import report_data
from audit.store import SpilledResults
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


def _synthetic(n: int = 300, seed: int = 5) -> list[Document]:
    """A few hundred documents on which every corpus check has work: events reported by several
    sources (stories, figures to corroborate), a name spelled two ways, a quotation re-worded, and a
    footer that each source repeats."""
    import random

    rng = random.Random(seed)
    events = [
        [
            "Prime Minister Nikol Pashinyan met Ilham Aliyev in Brussels on Tuesday to discuss the border.",
            "Pashinyan said the talks on the Lachin corridor had been difficult but useful.",
            'Charles Michel said: "Both leaders agreed to keep talking about the peace treaty next month."',
            "At least 29 people were killed in the clashes, officials said, and nearly 7,000 were evacuated.",
        ],
        [
            "Heavy rain hit the port of Odesa, flooding streets near the harbour and cutting power to homes.",
            "Mayor Hennadiy Trukhanov said emergency crews had pumped water out of two crossings.",
            '"The worst is behind us, but the sea is still high," Trukhanov told reporters outside the council.',
            "Three people were injured by falling trees and 1,200 residents were evacuated overnight.",
        ],
        [
            "Stephane Dujarric, the spokesman for the Secretary-General, said aid convoys had reached the city.",
            'Antonio Guterres said: "We need a ceasefire now so that food and medicine can reach every family."',
            "Dujarric added that 40 trucks had crossed the border on Monday and more would follow.",
            "More than 120,000 inhabitants live in the area, according to the United Nations.",
        ],
    ]
    variants = {"Pashinyan": "Pashinian", "Dujarric": "Dizaric"}
    reworded = 'Antonio Guterres said: "A truce is needed immediately, so food and medicines can get to all families."'
    filler = [
        "The council approved the budget for the coming year after a long debate.",
        "Schools in the district moved classes online for the rest of the week.",
        "Forecasters expect the wind to ease on Thursday, although more rain is likely.",
        "The ministry published the new figures on its website late on Friday.",
        "Shares in the company rose after it reported higher profits for the quarter.",
        "Local farmers said the harvest had been better than expected this year.",
    ]
    sources = ["courier", "wire", "gazette", "herald", "mirror"]
    footers = {s: f"Follow the {s.title()} Daily on social media for the latest updates and news." for s in sources}
    docs = []
    for i in range(n):
        source = sources[i % len(sources)]
        event = events[rng.randrange(len(events))]
        lines = [f"Report {i}: " + rng.choice(filler)]
        lines += rng.sample(event, k=rng.randint(2, len(event)))
        lines += rng.sample(filler, k=2)
        text = "\n\n".join(lines)
        if source == "mirror":  # one source spells names its own way
            for a, b in variants.items():
                text = text.replace(a, b)
        elif source == "herald" and events[2][1] in text and not any(reworded in d.text for d in docs):
            text = text.replace(events[2][1], reworded)  # and one document re-words a quotation
        if rng.random() < 0.7:
            text += "\n\n" + footers[source]
        docs.append(Document(f"{source}-{i:04d}", text, source=source))
    docs.insert(7, Document("gone", "", status="unreadable", reason="test: cannot decode"))
    return docs


OUTPUT_FILES = ("findings.jsonl", "scores.csv", "sources.csv", "claims.csv", "report.html")


@pytest.mark.slow
def test_out_of_core_corpus_pass_gives_the_in_memory_outputs_byte_for_byte(tmp_path):
    """Summaries on disk (read through SummaryStore's Mappings) against summaries in dicts, in this
    process and with workers that write their own shards: every output file identical."""
    from audit.store import SummaryStore

    docs = _synthetic()
    memory = audit_documents(docs, Options(jobs=1))
    codes = {f.code for f in memory.findings}
    assert {"RES013", "NAME001", "MT009"} <= codes, codes  # the corpus checks had work to do
    assert len({r.story for r in memory.results if r.story}) < len(docs) // 10  # stories group documents
    assert memory.claims
    write_outputs(memory, tmp_path / "memory")
    seen_stores = []
    real_init = SummaryStore.__init__

    def spy(self, *a, **k):
        seen_stores.append(self)
        real_init(self, *a, **k)

    SummaryStore.__init__ = spy
    try:
        for jobs in (1, 2):
            spilled = audit_documents(iter(docs), Options(jobs=jobs), spill=tmp_path / f"spill{jobs}")
            assert isinstance(spilled.results, SpilledResults)
            assert spilled.claims == memory.claims
            write_outputs(spilled, tmp_path / f"spilled{jobs}")
            spilled.results.close()
            assert not (tmp_path / f"spill{jobs}").exists()
            for name in OUTPUT_FILES:
                assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / f"spilled{jobs}" / name).read_bytes(), (
                    jobs,
                    name,
                )
    finally:
        SummaryStore.__init__ = real_init
    assert len(seen_stores) == 2 and all(not s.ids or s.loc for s in seen_stores)


def test_cli_run_equals_the_in_memory_audit(tmp_path):
    out = tmp_path / "cli"
    assert main(["run", str(SAMPLE), "--out", str(out), "--no-validation", "--jobs", "1", "--no-progress"]) == 0
    memory = audit_documents(load_documents([SAMPLE]), Options(jobs=1))
    write_outputs(memory, tmp_path / "memory")
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name


def test_summary_store_reads_back_what_a_dict_would_hold(tmp_path):
    from audit.store import SummaryStore, pack_summaries

    one, two, three = {"name": "shared by two codes"}, {"k": 1}, {"again": 1}
    shards = [
        [("a", {"X": [1, 2], "Y": one, "Z": one}), ("b", {}), ("c", {"X": [3], "Y": two, "Z": two})],
        [("d", {"X": "text", "Y": one, "Z": one}), ("a", {"X": [9], "Y": three, "Z": three})],  # a repeated id
        [("e", {"W": (1.5, None)})],
    ]
    expected: dict[str, dict] = {}
    store = SummaryStore(tmp_path / "store")
    for k, shard in enumerate(shards):
        for doc_id, summ in shard:
            for code, sm in summ.items():
                expected.setdefault(code, {})[doc_id] = sm
        packed = pack_summaries(shard)
        if k == 1:  # as a worker on a shared file system does: the blob in a file of its own
            blob = tmp_path / "worker.bin"
            blob.write_bytes(packed[3])
            store.add((*packed[:3], b""), blob)
        else:
            store.add(packed)
    assert sorted(store.loc) == sorted(expected)
    store.CACHED_VALUES = 2
    for code, want in expected.items():
        view = store[code]
        assert list(view) == list(want) and len(view) == len(want)
        assert list(view.items()) == list(want.items()) and list(view.values()) == list(want.values())
        assert dict(view) == want and all(view[d] == want[d] for d in reversed(list(want)))
        assert "b" not in view and "nobody" not in view and view.get("nobody") is None
        with pytest.raises(KeyError):
            view["b"]
    assert store["Y"] is store["Z"]  # one Mapping for checks that share one extract
    assert store.get("V", {}) == {}
    store.close()
    assert not (tmp_path / "store").exists() and not (tmp_path / "worker.bin").exists()


def test_workers_fill_the_resume_cache_of_a_spilled_run(tmp_path):
    from audit.store import ShardCache

    docs = _synthetic(150)
    first = audit_documents(docs, Options(jobs=2), cache=ShardCache(tmp_path / "cache"), spill=tmp_path / "s1")
    assert list((tmp_path / "cache").glob("*.pkl"))  # written by the worker processes
    again = ShardCache(tmp_path / "cache")
    second = audit_documents(docs, Options(jobs=2), cache=again, spill=tmp_path / "s2")
    assert again.hits >= 2
    assert _snapshot(first) == _snapshot(second) == _snapshot(audit_documents(docs, Options(jobs=1)))


def test_repeated_boilerplate_counted_in_parts_equals_one_count(monkeypatch):
    import random

    from audit.corpus import boilerplate
    from audit.corpus.boilerplate import RepeatedBoilerplate
    from audit.text import TextView

    rng = random.Random(8)
    templates = {
        f"site{s}": [f"Subscribe to the site{s} newsletter today", f"Read more stories from site{s} here"]
        for s in range(5)
    }
    summaries = {}
    for i in range(300):
        source = f"site{i % 5}"
        lines = [f"Paragraph {rng.randint(0, 40)} of the shared wire story" for _ in range(rng.randint(1, 6))]
        lines += [t for t in templates[source] if rng.random() < 0.7]
        rng.shuffle(lines)
        summaries[f"d{i:03d}"] = RepeatedBoilerplate.extract(TextView("\n".join(lines), f"d{i:03d}", source))

    def found():
        return {
            d: [(h.start, h.end, h.message) for h in hits] for d, hits in RepeatedBoilerplate.decide(summaries).items()
        }

    whole = found()
    assert sum(map(len, whole.values())) > 300  # templates and repeated paragraphs: not vacuous
    monkeypatch.setattr(boilerplate, "budget_bytes", lambda: 32 * 500)  # about 20 lines a part
    assert found() == whole


def test_a_tiny_memory_budget_gives_the_same_outputs(tmp_path, monkeypatch):
    """--memory 1: MT009's speaker index goes to parts on disk, RES013 counts in parts, stories rank in
    short runs; every output is byte-identical to the in-memory run's, and no part is left behind."""
    from audit.corpus import quotes

    monkeypatch.setattr(quotes._Entries, "CHECK", 16)
    monkeypatch.setattr(quotes, "budget_bytes", lambda: 32 * 2048)  # smaller than 1 MB: a few dozen triples
    spills = []
    real = quotes._Entries._spill
    monkeypatch.setattr(quotes._Entries, "_spill", lambda self: spills.append(1) or real(self))
    docs = _synthetic()
    write_outputs(audit_documents(docs, Options(jobs=1)), tmp_path / "memory")
    small = audit_documents(iter(docs), Options(jobs=1), spill=tmp_path / "spill", memory=1)
    write_outputs(small, tmp_path / "small")
    small.results.close()
    assert spills and not (tmp_path / "spill").exists()
    for name in OUTPUT_FILES:
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "small" / name).read_bytes(), name


def test_cli_memory_option_and_config_key(tmp_path, capsys):
    out = tmp_path / "cli"
    args = ["run", str(SAMPLE), "--out", str(out), "--no-validation", "--jobs", "1", "--no-progress"]
    assert main([*args, "--memory", "1"]) == 0
    memory = audit_documents(load_documents([SAMPLE]), Options(jobs=1))
    write_outputs(memory, tmp_path / "memory")
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name
    with pytest.raises(SystemExit) as e:
        main([*args, "--memory", "-5"])
    assert e.value.code == 2
    from audit.config import load_config

    (tmp_path / "pyproject.toml").write_text("[tool.audit]\nmemory = 256\n", encoding="utf-8")
    assert load_config(tmp_path / "pyproject.toml")["memory"] == 256
    (tmp_path / "pyproject.toml").write_text('[tool.audit]\nmemory = "lots"\n', encoding="utf-8")
    from audit.config import ConfigError

    with pytest.raises(ConfigError):
        load_config(tmp_path / "pyproject.toml")


def _results(n: int) -> list:
    from audit.engine import DocResult

    return [DocResult(Document(id=f"d{i}", text=f"Text number {i}. " * 40)) for i in range(n)]


def test_spilled_results_keep_decoded_shards_only_within_their_cache(tmp_path):
    """Shards decoded once are kept while they fit `cache_bytes`; a corpus that does not fit keeps none
    (the first shard over the budget empties the cache) and is read from disk on every pass; every pass
    and every update give the same results."""
    sizes = []
    for cache in (0, 10**9, None):
        spilled = SpilledResults(tmp_path / f"c{cache}", cache_bytes=cache or 0)
        for k in range(4):
            spilled.add(_results(50)[k * 10 : k * 10 + 10])
        if cache is None:  # room for the first two shards only: the third empties the cache
            one = spilled.shards[0].stat().st_size * SpilledResults.DECODED_PER_PICKLED
            spilled.cache_bytes = 2 * one + one // 2
        reads = []
        real = SpilledResults.read_file
        spilled.read_file = lambda path, real=real, reads=reads: reads.append(path.name) or real(path)
        first = [r.doc.id for r in spilled]
        spilled.update(lambda r: setattr(r, "story", r.doc.id.upper()))
        again = [(r.doc.id, r.story) for r in spilled]
        assert first == [f"d{i}" for i in range(40)]
        assert again == [(f"d{i}", f"D{i}") for i in range(40)]
        fresh = SpilledResults(tmp_path / "unused")
        fresh.shards, fresh.n = list(spilled.shards), spilled.n
        assert [(r.doc.id, r.story) for r in fresh] == again  # the update reached the disk
        sizes.append((len(reads), len(spilled._cache)))
        spilled.close()
    assert sizes == [(12, 0), (4, 4), (12, 0)]  # 3 passes of 4 shards; all kept; none kept


def test_the_corpus_pass_empties_its_memo_tables_and_a_second_run_is_identical(tmp_path):
    import wordfreq

    from audit.lexicon import translit

    docs = _synthetic()[:60]
    first = audit_documents(docs, Options(jobs=1))
    assert translit.tnorm.cache_info().currsize == 0  # emptied after the corpus pass
    assert wordfreq._wf_cache == {}  # and wordfreq's memo of the words the pass looked up
    translit.tnorm("Hryhorenko")
    assert translit.tnorm.cache_info().currsize == 1
    second = audit_documents(docs, Options(jobs=1))
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]


def test_claim_rows_are_held_as_one_buffer_and_read_as_rows():
    """The corpus pass keeps its claim rows packed (no per-row objects survive it); read back they are the
    rows corroborate made, in order, as often as the outputs read them."""
    from audit.engine import decide_corpus
    from audit.store import PackedRows

    docs = load_documents([SAMPLE])
    result = audit_documents(docs, Options())
    assert isinstance(result.claims, PackedRows) and len(result.claims) > 0
    rows = list(result.claims)
    assert rows == list(result.claims) and result.claims == rows and result.claims[0] == rows[0]
    assert all(isinstance(r, dict) and {"doc_id", "claim", "status"} <= set(r) for r in rows)
    assert PackedRows([]) == [] and len(PackedRows([{"a": 1}])) == 1
    assert isinstance(decide_corpus({}, Options()).claims, list)  # no stories: nothing to pack
