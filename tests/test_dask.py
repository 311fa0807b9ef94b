"""The Dask engine gives the local engine's results, on a real LocalCluster with several workers.

Workers read their own partitions of the input (JSONL byte ranges, Parquet row groups, groups of
.txt files, whole CSV files) and write their shards and summaries themselves; the client never reads
a document.
"""

import json

import pytest
from conftest import SAMPLE

from audit import load
from audit.engine import Options, audit_documents
from audit.load import load_documents
from audit.output import write_outputs
from audit.records import Document

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'news-audit[dask]')")

OUTPUT_FILES = ("findings.jsonl", "scores.csv", "sources.csv", "claims.csv", "report.html")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as c,
    ):
        yield c


def _corpus():
    base = list(load_documents([SAMPLE]))
    more = [
        Document(f"{d.id}-copy{i}", d.text + f"\nRead more {i}", d.source)
        for i in range(60)
        for d in base
        if d.readable
    ]
    return base + more


@pytest.fixture(scope="module")
def corpus_local():
    """`_corpus()` and the local engine's result on it, made once: four tests compare the cluster's runs with it
    (each reads it only; the documents are frozen)."""
    docs = _corpus()
    return docs, audit_documents(docs, Options(jobs=1))


def _snapshot(result) -> list:
    return [
        (r.doc.id, r.doc.source, r.doc.origin, r.doc.line, r.doc.status, r.doc.reason, r.doc.meta, r.findings)
        + (r.score, r.story)
        for r in result.results
    ]


def _same_outputs(a, b, tmp_path) -> None:
    write_outputs(a, tmp_path / "a")
    write_outputs(b, tmp_path / "b")
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.slow
def test_documents_sent_by_the_client_match_the_local_engine(client, corpus_local, tmp_path):
    from audit.dask_engine import audit_documents_dask
    from audit.load import DOCS_PER_PARTITION

    docs, local = corpus_local
    assert len(docs) > DOCS_PER_PARTITION  # several partitions
    remote = audit_documents_dask(docs, Options(), client=client)
    spilled = audit_documents_dask(docs, Options(), client=client, spill=tmp_path / "spill")
    assert _snapshot(remote) == _snapshot(local) == _snapshot(spilled)
    _same_outputs(local, spilled, tmp_path)


def _inputs(tmp_path):
    """A folder of .txt files, a JSONL file with every kind of bad line and repeated ids, a Parquet file
    of several row groups and a CSV file: each format's partitioning has something to get wrong."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = [d for d in load_documents([SAMPLE]) if d.readable]
    rows = []
    for i in range(90):
        d = base[i % len(base)]
        rows.append({"id": f"row{i % 40}", "text": d.text + f"\nRead more: story {i}", "source": d.source, "n": i})
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines[3] = "not json"
    lines[5] = ""
    lines[8] = '["a", "list"]'
    lines[11] = json.dumps({"id": "no-text"})
    jsonl = tmp_path / "rows.jsonl"
    raw = ("\ufeff" + "\n".join(lines)).encode("utf-8")
    jsonl.write_bytes(raw[:1500] + b"\xff\xfe broken utf-8 \n" + raw[1500:])  # no final newline either
    table = pa.Table.from_pylist([{**r, "id": f"pq{r['n']}"} for r in rows[:50]])
    parquet = tmp_path / "rows.parquet"
    pq.write_table(table, parquet, row_group_size=12)
    csv = tmp_path / "rows.csv"
    csv.write_text('id,text,source\nc1,"A line\nand another, with a, comma",wire\nrow3,dup of a jsonl id,wire\n')
    return [SAMPLE, jsonl, parquet, csv]


@pytest.mark.slow
def test_workers_read_their_partitions_and_write_their_shards(client, tmp_path, monkeypatch):
    import audit.dask_engine as dask_engine
    import audit.engine as engine
    import audit.load as load

    inputs = _inputs(tmp_path)
    local = audit_documents(load_documents(inputs), Options(jobs=1), spill=tmp_path / "local")
    monkeypatch.setattr(load, "BYTES_PER_PARTITION", 2000)  # many JSONL byte ranges
    parts = load.plan_partitions(inputs)
    assert sum(p.kind == "jsonl" for p in parts) >= 5 and sum(p.kind == "parquet" for p in parts) == 5

    written = []
    real_add_shard = engine.ResultSink.add_shard

    def spy(self, shard):
        written.append(shard.summaries_path)
        return real_add_shard(self, shard)

    def no_reading(*a, **k):
        raise AssertionError("the client read the documents")

    monkeypatch.setattr(engine.ResultSink, "add_shard", spy)
    monkeypatch.setattr(load, "load_documents", no_reading)
    monkeypatch.setattr(load, "iter_input", no_reading)
    result = dask_engine.audit_documents_dask(
        None, Options(), client=client, spill=tmp_path / "spill", inputs=[str(p) for p in inputs]
    )
    assert written and all(written)  # every shard's summaries were written by a worker
    assert _snapshot(result) == _snapshot(local)
    assert any(r.doc.id == "row3#2" for r in result.results)  # repeated ids renamed as load_documents does
    _same_outputs(local, result, tmp_path)


def test_partitions_read_exactly_what_load_documents_reads(tmp_path):
    from audit.dask_engine import _number_lines
    from audit.load import count_lines, iter_input, plan_partitions, read_partition

    inputs = _inputs(tmp_path)
    parts = plan_partitions(inputs, bytes_per_partition=700)

    class Inline:  # a client that runs the line counts here
        def map(self, fn, items, pure=False):
            return [fn(x) for x in items]

        def gather(self, xs):
            return xs

    assert sum(count_lines(p) for p in parts if p.kind == "jsonl") == len(inputs[1].read_bytes().split(b"\n"))
    read = [d for p in _number_lines(Inline(), parts) for d in read_partition(p)]
    expected = [d for p in inputs for d in iter_input(p)]
    assert read == expected


@pytest.mark.filterwarnings("error:Port .* is already in use")  # its own cluster takes a free port
def test_the_command_line_dask_engine_lets_workers_read_and_matches_local(tmp_path, monkeypatch):
    import audit.dask_engine as dask_engine
    from audit.cli import main

    seen = {}
    real = dask_engine.audit_documents_dask

    def spy(docs, *args, **kwargs):
        seen["docs"], seen["inputs"] = docs, kwargs.get("inputs")
        return real(docs, *args, **kwargs)

    monkeypatch.setattr(dask_engine, "audit_documents_dask", spy)
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["run", str(SAMPLE), "--out", str(local), "--no-validation", "--no-progress"]) == 0
    assert main(["run", str(SAMPLE), "--out", str(dask), "--no-validation", "--engine", "dask", "--jobs", "2"]) == 0
    assert seen == {"docs": None, "inputs": [str(SAMPLE)]}  # the client hands over paths, not documents
    for name in OUTPUT_FILES:
        assert (local / name).read_bytes() == (dask / name).read_bytes(), name


FOOTER = "Follow the Courier on social media for more news from the region"
TOPICS = ["the harbour", "the new bridge", "school meals", "the tram line", "the city budget", "the park"]
QUOTES = [  # one speaker, quoted word for word by two sources and re-translated by a third
    'Mr Guterres called "in the strongest terms for an immediate end to the fighting and for de-escalation".',
    "UN chief Antonio Guterres called “in the strongest terms for an immediate end to the fighting and for de-escalation”.",
    "For his part, Guterres called “in the most intense way to end the conflicts and to de-escalate the fighting”.",
]


def _grouped_rows() -> list[dict]:
    """Documents on which RES013 (a source's footer) and MT009 (a drifting quotation) fire, with a
    repeated id among them."""
    rows = [
        {"id": f"courier-{i}", "text": f"A story about {t} and what the council decided on Monday.\n{FOOTER}"}
        | {"source": "courier"}
        for i, t in enumerate(TOPICS)
    ]
    rows += [
        {"id": f"wire-{i}", "text": f"Council news about {t}, in brief for readers.\n{q}", "source": f"wire{i}"}
        for i, (t, q) in enumerate(zip(TOPICS, QUOTES, strict=False))
    ]
    rows.append({"id": "courier-2", "text": f"The same id again, about the ferry timetable today.\n{FOOTER}"})
    rows[-1]["source"] = "courier"
    rows += [{"id": f"other-{i}", "text": f"{FOOTER}\nUnrelated text number {i}.", "source": "other"} for i in range(2)]
    return rows


def test_grouped_corpus_checks_run_on_the_workers_and_match_the_local_engine(client, tmp_path, monkeypatch):
    """RES013 (by source) and MT009 (by speaker) are decided by a groupby on the workers: the client's
    `decide` of those checks is never called, and the results equal the local engine's."""
    from dataclasses import replace

    import audit.dask_engine as dask_engine
    from audit.registry import REGISTRY

    jsonl = tmp_path / "grouped.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in _grouped_rows()) + "\n", encoding="utf-8")
    docs = list(load_documents([jsonl]))
    local = audit_documents(docs, Options(jobs=1))
    codes = [f.code for f in local.findings]
    assert codes.count("RES013") >= 7 and codes.count("MT009") == 1  # both checks fire

    def client_decide(summaries):
        raise AssertionError("a grouped check was decided on the client")

    for code in ("RES013", "MT009"):
        assert REGISTRY[code].decides_in_groups
        monkeypatch.setitem(REGISTRY, code, replace(REGISTRY[code], decide=client_decide))
    monkeypatch.setattr(load, "DOCS_PER_PARTITION", 3)  # a source's documents in several partitions
    monkeypatch.setattr(load, "BYTES_PER_PARTITION", 300)
    sent = dask_engine.audit_documents_dask(docs, Options(), client=client)
    read = dask_engine.audit_documents_dask(
        None, Options(), client=client, spill=tmp_path / "spill", inputs=[str(jsonl)]
    )
    assert sum(p.kind == "jsonl" for p in load.plan_partitions([jsonl])) >= 4
    assert _snapshot(sent) == _snapshot(local) == _snapshot(read)
    assert any(r.doc.id == "courier-2#2" for r in read.results)
    _same_outputs(local, read, tmp_path)
    ungrouped = Options(ignore=("RES013", "MT009"))  # no grouped check: no groupby at all
    assert _snapshot(dask_engine.audit_documents_dask(docs, ungrouped, client=client)) == _snapshot(
        audit_documents(docs, replace(ungrouped, jobs=1))
    )


def test_a_group_decision_is_decide_of_that_group_alone():
    """`decide_group` of every key, merged, gives `decide` of the whole corpus (the contract the Dask
    engine relies on), on summaries extracted from the grouped documents."""
    from audit.catalog import all_checks
    from audit.engine import check_document
    from audit.registry import REGISTRY, merge_group_hits

    all_checks()
    docs = [Document(r["id"] + str(k), r["text"], r.get("source")) for k, r in enumerate(_grouped_rows())]
    options = Options(select=("RES013", "MT009"), jobs=1)
    summaries = [check_document(d, options, options.checks())[1] for d in docs]
    for code in ("RES013", "MT009"):
        c = REGISTRY[code]
        by_doc = {d.id: s[code] for d, s in zip(docs, summaries, strict=True) if code in s}
        groups: dict[str, list] = {}
        for doc_id, sm in by_doc.items():
            for key, rec in c.split(doc_id, sm):
                groups.setdefault(key, []).append(rec)
        merged = merge_group_hits(h for key, recs in groups.items() for h in c.decide_group(key, recs))
        assert merged == c.decide(by_doc) and merged, code


def test_claims_are_decided_by_story_on_the_workers_and_match_the_local_engine(
    client, corpus_local, tmp_path, monkeypatch
):
    """Once the client has assigned the stories, the claims are grouped by story on the workers and
    decided there: the client's `corroborate` is never called, and the rows equal the local engine's."""
    import audit.dask_engine as dask_engine
    import audit.engine as engine

    docs, local = corpus_local
    statuses = {c["status"] for c in local.claims}
    assert len(local.claims) > 60 and "supported" in statuses  # copies of one story corroborate each other

    def client_corroborate(*a, **k):
        raise AssertionError("the claims were decided on the client")

    monkeypatch.setattr(engine, "corroborate", client_corroborate)
    monkeypatch.setattr(load, "DOCS_PER_PARTITION", 40)  # a story's documents in several partitions
    remote = dask_engine.audit_documents_dask(docs, Options(), client=client, spill=tmp_path / "spill")
    assert list(remote.claims) == list(local.claims)
    assert _snapshot(remote) == _snapshot(local)
    _same_outputs(local, remote, tmp_path)


def test_corroborate_is_its_stories_decided_alone():
    """`corroborate` is `corroborate_story` of each story's items, whatever order they come in (what the
    groupby on the workers relies on)."""
    from audit.corpus.claims import Claim, claim_items, corroborate, corroborate_story

    def claim(text, low, high, value, kind="killed"):
        return Claim(kind, 0, len(text), text, low, high, value)

    claims = {
        "b": [claim("at least 29", 29, float("inf"), 29.0), claim("7,000", 7000, 7000, 7000.0, "evacuated")],
        "a": [claim("29", 29, 29, 29.0)],
        "c": [claim("nearly 30", 25.5, 30, 30.0)],
        "z": [claim("dozens", 24, 99, None)],
    }
    stories = {"a": "s1", "b": "s1", "c": "s2"}  # z has no story: a story of its own
    rows = corroborate(claims, stories)
    items: dict[str, list] = {}
    for doc_id in reversed(list(claims)):
        for story, item in claim_items(doc_id, claims[doc_id], stories):
            items.setdefault(story, []).insert(0, item)
    assert rows == [r for s in sorted(items) for r in corroborate_story(s, items[s])]
    assert [(r["story"], r["doc_id"], r["status"]) for r in rows] == [
        ("s1", "a", "supported"),
        ("s1", "b", "supported"),
        ("s1", "b", "unique"),
        ("s2", "c", "unique"),
        ("z", "z", "unique"),
    ]


@pytest.mark.slow
def test_name_blocks_and_hits_are_decided_on_the_workers_and_match_the_local_engine(
    client, corpus_local, tmp_path, monkeypatch
):
    """The name analysis's blocks are decided on the workers (`names_on_workers`), and each document's
    name hits found on the worker that holds its mentions (`names_hits_on_workers`): the client's
    `decide_block` and `doc_hits` are never called, and every output equals the local engine's."""
    import audit.corpus.names as names
    import audit.dask_engine as dask_engine

    docs, local = corpus_local
    assert sum(f.code == "NAME001" for f in local.findings) >= 60  # the checks fire
    alone = audit_documents(docs, Options(select=("NAME001",), jobs=1))  # one name check

    def client_block(*a, **k):
        raise AssertionError("a name block was decided on the client")

    monkeypatch.setattr(names, "decide_block", client_block)
    monkeypatch.setattr(names, "doc_hits", client_block)
    monkeypatch.setattr(names, "PART_FORMS", 2)  # many parts, many tasks
    remote = dask_engine.audit_documents_dask(docs, Options(), client=client, spill=tmp_path / "spill")
    assert _snapshot(remote) == _snapshot(local)
    _same_outputs(local, remote, tmp_path)
    sent = dask_engine.audit_documents_dask(docs, Options(select=("NAME001",)), client=client)
    assert _snapshot(sent) == _snapshot(alone)
    with pytest.raises(AssertionError, match="on the client"):  # the local engine decides them here
        audit_documents(docs, Options(jobs=1))


def test_small_jsonl_inputs_are_cut_so_that_every_worker_has_partitions(tmp_path, monkeypatch):
    """A JSONL input smaller than four 8 MB ranges a worker thread is cut finer (10,000 short feed
    entries are one 8 MB range: one worker would check them all), never under MIN_PARTITION_BYTES;
    large inputs keep load.BYTES_PER_PARTITION."""
    from audit.dask_engine import MIN_PARTITION_BYTES, partition_bytes

    class Threads:
        def nthreads(self):
            return {"w1": 1, "w2": 1}

    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    small.write_bytes(b"x" * (3 * MIN_PARTITION_BYTES))
    large.write_bytes(b"x" * (12 * MIN_PARTITION_BYTES))
    assert partition_bytes(Threads(), [small]) == MIN_PARTITION_BYTES
    assert partition_bytes(Threads(), [large, tmp_path]) == 12 * MIN_PARTITION_BYTES // 8
    monkeypatch.setattr(load, "BYTES_PER_PARTITION", MIN_PARTITION_BYTES)
    assert partition_bytes(Threads(), [large]) == MIN_PARTITION_BYTES
    monkeypatch.setattr(load, "BYTES_PER_PARTITION", 300)  # a smaller cap still wins (the tests set one)
    assert partition_bytes(Threads(), [large]) == 300


@pytest.mark.slow
def test_workers_keep_their_partitions_records_on_disk_not_in_memory(client, corpus_local, tmp_path, monkeypatch):
    """With a spill folder the workers share, what each partition keeps for the corpus stages (the
    grouped checks' records, the claims, the name mentions) is written there by its worker: the futures
    hold paths (`OnDisk`), the stages read the files, the folder is removed after the run, and every
    output equals the local engine's. Without a spill folder they stay in the workers' memory."""
    import os

    import audit.dask_engine as dask_engine

    docs, local = corpus_local
    seen: list[list] = []
    run = dask_engine._run

    def spying(*a, **k):
        out = run(*a, **k)
        seen.append([client.gather(f) for futures in out for f in futures])
        return out

    monkeypatch.setattr(dask_engine, "_run", spying)
    remote = dask_engine.audit_documents_dask(docs, Options(), client=client, spill=tmp_path / "spill")
    (values,) = seen
    assert len(values) >= 3 and all(isinstance(v, dask_engine.OnDisk) for v in values)
    assert all(not os.path.exists(v) for v in values)  # the files went with the run
    assert {os.path.basename(os.path.dirname(v)) for v in values} == {"kept"}
    assert _snapshot(remote) == _snapshot(local)
    _same_outputs(local, remote, tmp_path)
    in_memory = dask_engine.audit_documents_dask(docs, Options(), client=client)
    assert not any(isinstance(v, dask_engine.OnDisk) for v in seen[1]) and len(seen[1]) == len(values)
    assert _snapshot(in_memory) == _snapshot(local)


def test_grouped_records_kept_on_disk_are_grouped_in_rounds_that_fit_the_budget(client, tmp_path, monkeypatch):
    """Records kept on disk are grouped a hash bucket of keys at a time (`group_rounds` rounds, from
    their size on disk and `--memory`): with a budget that asks for several rounds, RES013 and MT009
    still give the local engine's findings, and records in memory are grouped in one round."""
    import audit.dask_engine as dask_engine

    assert dask_engine.group_rounds([-1, 10**9], 1) == 1  # in memory: one round
    assert dask_engine.group_rounds([], 1) == 1
    assert dask_engine.group_rounds([1 << 20, 1 << 20], 64) == 1  # 16 x 2 MB fit 64 MB
    assert dask_engine.group_rounds([1 << 20, 1 << 20], 4) == 8
    jsonl = tmp_path / "grouped.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in _grouped_rows()) + "\n", encoding="utf-8")
    docs = list(load_documents([jsonl]))
    local = audit_documents(docs, Options(jobs=1))
    assert sum(f.code in ("RES013", "MT009") for f in local.findings) >= 8
    rounds: list[int] = []
    counted = dask_engine.group_rounds

    def spying(sizes, memory=None):
        rounds.append(counted(sizes, memory))
        return rounds[-1]

    monkeypatch.setattr(dask_engine, "group_rounds", spying)
    # about a partition's records a round (~320 bytes each on disk at 2**18 bytes a byte: 64 MB): 8 rounds of
    # 6 partitions (2**22 made 121 rounds, most of them empty, at ~0.2 s a round on the cluster)
    monkeypatch.setattr(dask_engine, "GROUP_EXPANSION", 1 << 18)
    monkeypatch.setattr(load, "BYTES_PER_PARTITION", 300)
    read = dask_engine.audit_documents_dask(
        None, Options(), client=client, spill=tmp_path / "spill", inputs=[str(jsonl)], memory=64
    )
    assert rounds[0] >= 4
    assert _snapshot(read) == _snapshot(local)
    _same_outputs(local, read, tmp_path)
    dask_engine.audit_documents_dask(docs, Options(), client=client)  # sent by the client, kept in memory
    assert rounds[1] == 1
