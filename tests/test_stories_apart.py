"""The stories decided apart (a new interpreter reading the summaries' files) equal those decided here."""

import numpy as np

from audit import engine, memory
from audit.corpus.stories import StorySketch, assign_stories, minhash
from audit.store import SummaryStore, pack_summaries


def _sketch(rng, pool: np.ndarray) -> StorySketch:
    terms = np.unique(rng.choice(pool, size=int(rng.integers(3, len(pool))), replace=False))
    return StorySketch(terms.astype(np.uint64), minhash([int(t) & 0xFFFFFFFF for t in terms]))


def _store(tmp_path, n: int = 600) -> SummaryStore:
    rng = np.random.default_rng(41)
    events = [rng.integers(1, 1 << 40, size=12) for _ in range(n // 6)]  # six reports an event
    store = SummaryStore(tmp_path / "store")
    docs = [(f"doc{k:04d}", {engine.STORY_KEY: _sketch(rng, events[k % len(events)])}) for k in range(n)]
    docs.append(("no-terms", {engine.STORY_KEY: StorySketch(np.zeros(0, np.uint64), minhash([]))}))
    for at in range(0, len(docs), 128):
        store.add(pack_summaries(docs[at : at + 128]))
    store.seal()
    return store


def test_stories_decided_in_a_new_interpreter_equal_those_decided_here(tmp_path, monkeypatch):
    store = _store(tmp_path)
    view = store[engine.STORY_KEY]
    want = assign_stories(view)
    assert 50 <= len(set(want.values())) < len(want)  # stories of several documents, not one
    memory.APART.clear()
    forked = engine.decide_stories(view, store)  # 601 documents, under FRESH_STORIES: a forked child
    assert "peak_mb" in memory.APART and "start_mb" not in memory.APART
    monkeypatch.setattr(engine, "FRESH_STORIES", len(store.ids))
    memory.APART.clear()
    apart = engine.decide_stories(view, store)
    assert "start_mb" in memory.APART  # decided in a new interpreter
    here = engine.decide_stories(view, store, apart=False)
    monkeypatch.setenv("AUDIT_NO_FORK", "1")
    memory.APART.clear()
    no_fork = engine.decide_stories(view, store)
    assert not memory.APART
    assert dict(apart) == dict(forked) == dict(here) == dict(no_fork) == want
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["part-00000.bin"]  # the child deleted nothing
    store.close()
