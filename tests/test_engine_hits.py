"""The corpus checks' hits held on disk from their decision until the shards are finished (#31)."""

from audit.engine import HitsInMemory, SpilledHits
from audit.records import Hit
from audit.registry import Check


def _check(code: str) -> Check:
    return Check(code=code, name=code.lower(), category="name", severity="info", doc="A test check.")


def _hits(n: int, doc: str) -> list[Hit]:
    return [Hit(k, k + 1, f"{doc} #{k}", suggestion=doc.upper()) for k in range(n)]


def test_spilled_hits_read_back_as_the_in_memory_ones_in_input_order_and_out_of_it(tmp_path, monkeypatch):
    monkeypatch.setattr(SpilledHits, "BLOCK", 3)  # several files, and a document read after its block is gone
    ids = [f"d{i}" for i in range(10)]
    ordinal = {d: i for i, d in enumerate(ids)}
    a, b = _check("ZA1"), _check("ZB1")
    found_a = {"d7": _hits(2, "d7"), "d0": _hits(1, "d0"), "d4": _hits(3, "d4"), "d5": []}
    found_b = {"d4": _hits(1, "d4b"), "d9": _hits(2, "d9"), "stray": _hits(1, "stray")}
    memory, spilled = HitsInMemory(), SpilledHits(str(tmp_path), ordinal.get, [a, b])
    for check, found in ((a, found_a), (b, found_b)):
        memory.add(check, found)
        spilled.add(check, found)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"hits-{b:06d}.pkl" for b in range(4)]  # d0, d4, d7, d9
    in_order = [spilled.get(d) for d in ids]
    assert in_order == [memory.get(d, ()) for d in ids]
    assert in_order[4] == [(a, h) for h in found_a["d4"]] + [(b, h) for h in found_b["d4"]]  # checks in order
    assert spilled.get("d0") == memory["d0"]  # an earlier block again (a repeated id)
    assert spilled.get("stray") == memory["stray"]  # an id the index lacks stays in memory
    assert spilled.get("nowhere") == ()
    spilled.clear()
    assert spilled.current == {} and not spilled.loose


def test_id_index_finds_every_id_before_and_after_its_merges_and_no_other(monkeypatch):
    from audit.store import IdIndex

    monkeypatch.setattr(IdIndex, "MERGE", 4)
    index = IdIndex()
    ids = [f"doc-{i}" for i in range(11)] + ["", "Łódź/ä", "x\ud800y"]  # empty, non-ASCII, a lone surrogate
    assert [index.append(d) for d in ids] == list(range(len(ids)))
    assert len(index.recent) < 4 and len(index.hashes) == len(ids) - len(index.recent)  # most were merged
    assert [index.ordinal(d) for d in ids] == list(range(len(ids)))
    assert list(index) == ids and index[12] == "Łódź/ä"
    assert index.ordinal("doc-11") is None and index.ordinal("doc-1 ") is None


def test_shard_paths_keep_numbers_and_give_back_the_paths_they_were_given(tmp_path):
    from audit.store import SpilledResults

    results = SpilledResults(tmp_path / "spill")
    given = [results.next_path(), results.next_path(), tmp_path / "elsewhere" / "shard-000002.pkl"]
    given += [results.folder / "shard-7.pkl", results.next_path()]
    for path in given:
        results.add_written(str(path), 1)
    assert list(results.shards) == given and results.shards[-1] == given[-1] and results.shards[1:3] == given[1:3]
    assert list(results.shards.numbers) == [0, 1, -1, -1, 2]  # type: ignore[attr-defined]


def test_summary_views_go_once_no_later_check_reads_them_but_twins_stay_shared(tmp_path):
    import gc
    import weakref

    from audit.store import SummaryStore, pack_summaries

    shared = {"names": ["A"]}
    store = SummaryStore(tmp_path / "summaries")
    store.add(pack_summaries([("d1", {"ZA1": shared, "ZB1": shared, "ZC1": [1]}), ("d2", {"ZC1": [2]})]))
    a, c = store["ZA1"], store["ZC1"]
    dead_a, dead_c = weakref.ref(a), weakref.ref(c)
    store.keep_views(["ZB1"])  # ZB1 shares ZA1's extract: its view is ZA1's, kept
    del a, c
    gc.collect()
    assert dead_c() is None and dead_a() is store["ZB1"] and dict(store["ZB1"]) == {"d1": shared}
    store.keep_views([])
    gc.collect()
    assert dead_a() is None and dict(store["ZC1"]) == {"d1": [1], "d2": [2]}  # read again when asked
    store.close()


def test_checks_of_one_extract_are_decided_together_in_a_spilled_run(tmp_path):
    from audit.engine import by_shared_summaries
    from audit.store import SummaryStore, pack_summaries

    shared = {"names": ["A"]}
    store = SummaryStore(tmp_path / "summaries")
    store.add(pack_summaries([("d1", {"ZA1": shared, "ZB1": [1], "ZC1": shared})]))
    a, b, c, d = (_check(code) for code in ("ZA1", "ZB1", "ZC1", "ZD1"))  # ZD1: no summaries at all
    assert by_shared_summaries([a, b, c, d], store) == [a, c, b, d]
    assert by_shared_summaries([b, c, d, a], store) == [b, c, a, d]
    assert by_shared_summaries([a, b, c], {"ZA1": {}, "ZB1": {}, "ZC1": {}}) == [a, b, c]  # in memory: as given
    store.close()


def test_story_labels_read_as_the_dict_they_were_made_from():
    from audit.engine import StoryLabels
    from audit.store import IdIndex

    index = IdIndex()
    for doc_id in ("a", "b", "c", "d"):
        index.append(doc_id)
    stories = {"b": "s1", "a": "s22", "c": "s1", "zz": "sX", "d": ""}  # zz: not in the index; d: empty label
    labels = StoryLabels(stories, index)
    assert dict(labels) == stories and len(labels) == len(stories)
    assert labels.get("a") == "s22" and labels.get("nobody") is None
    again = StoryLabels.from_parts(index, *labels.parts())
    assert dict(again) == stories
    labels.clear()
    assert dict(labels) == {} and labels.get("a") is None


def test_stories_assigned_in_a_child_equal_those_assigned_here(tmp_path, monkeypatch):
    import os

    from audit import engine
    from audit.store import SummaryStore, pack_summaries

    store = SummaryStore(tmp_path / "store")
    store.add(pack_summaries([(f"doc{i}", {"@story": i % 3}) for i in range(10)]))
    pids = []

    def assign(terms):
        pids.append(os.getpid())
        return {doc_id: f"s{terms[doc_id]}" for doc_id in terms}

    monkeypatch.setattr(engine, "assign_stories", assign)
    # a mapping other than the store's own view: a forked child, which sees the patched assign_stories (the
    # store's view goes to a new interpreter, which does not: tests/test_stories_apart.py)
    apart = engine.decide_stories(dict(store["@story"]), store, apart=True)
    here = engine.decide_stories(store["@story"], store, apart=False)
    assert isinstance(apart, engine.StoryLabels) and isinstance(here, engine.StoryLabels)
    assert dict(apart) == dict(here) == {f"doc{i}": f"s{i % 3}" for i in range(10)}
    assert pids == [os.getpid()]  # the child's call left no trace here: it ran in another process
    store.close()
