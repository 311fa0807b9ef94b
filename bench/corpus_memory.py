#!/usr/bin/env python3
"""A fast proxy for the corpus pass's memory: what each `decide` allocates, per document.

    python bench/corpus_memory.py [N ...]      # default 3000 12000 documents

For each size, bench/corpus.py's crawl-like corpus is checked by the corpus checks' extracts only
(the per-document checks are skipped, so this takes seconds a thousand documents, not minutes), the
summaries go to a disk-backed `SummaryStore` as in `audit run`, and each part of the corpus pass
(stories, claims, every corpus check's decide) runs under tracemalloc. Reported: each part's peak of
Python allocations above what it started with, in MB, and, from the two largest sizes, KB a further
document. Summaries are cached in the folder given by CACHE (default: none); ONLY=MT009,RES013 measures
those corpus checks only (stories and claims always).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_realistic  # noqa: E402

from audit.catalog import all_checks  # noqa: E402
from audit.corpus.claims import extract_claims  # noqa: E402
from audit.corpus.stories import story_terms  # noqa: E402
from audit.engine import (  # noqa: E402
    CLAIMS_KEY,
    STORY_KEY,
    Options,
    text_view,
)
from audit.store import SummaryStore, pack_summaries  # noqa: E402


def corpus_options() -> Options:
    return Options(select=tuple(c.code for c in all_checks() if c.decide is not None))


def summaries(n: int) -> list[list[tuple[str, dict[str, Any]]]]:
    """The corpus's summaries, shard by shard (256 documents a shard, as `audit run`)."""
    cache = os.environ.get("CACHE")
    path = Path(cache) / f"summaries-{n}.pkl" if cache else None
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    options = corpus_options()
    checks = options.checks()
    shards: list[list[tuple[str, dict[str, Any]]]] = [[]]
    for d in build_realistic(n):
        view = text_view(d, options)  # as check_document, without the MT probability (no corpus check uses it)
        summ = {c.code: c.extract(view) for c in checks}
        summ[STORY_KEY], summ[CLAIMS_KEY] = story_terms(view), extract_claims(view)
        if len(shards[-1]) == 256:
            shards.append([])
        shards[-1].append((d.id, summ))
    if path is not None:
        path.write_bytes(pickle.dumps(shards, protocol=pickle.HIGHEST_PROTOCOL))
    return shards


def _status(key: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith(key))


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """fn()'s result, the peak MB it allocated above its start, and its seconds. RSS=1: the growth of the
    resident set's peak instead of tracemalloc's (Linux; faster, and counts what tracemalloc does not)."""
    if os.environ.get("RSS"):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak resident set (VmHWM)
        base, t0 = _status("VmRSS"), time.perf_counter()
        out = fn()
        return out, (_status("VmHWM") - base) / 1024, time.perf_counter() - t0
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    out = fn()
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return out, peak / 1e6, secs


def parts(store: SummaryStore, options: Options) -> dict[str, tuple[float, float]]:
    from audit.corpus.claims import corroborate
    from audit.corpus.stories import assign_stories

    out = {}
    only = set(filter(None, os.environ.get("ONLY", "").split(",")))
    stories, peak, secs = measure(lambda: assign_stories(store[STORY_KEY]))
    out["stories"] = (peak, secs)
    _, peak, secs = measure(lambda: corroborate(store.get(CLAIMS_KEY, {}), stories))
    out["claims"] = (peak, secs)
    for c in options.checks():
        if c.decide is not None and c.code in store and (not only or c.code in only):
            _, peak, secs = measure(lambda c=c: c.decide(store[c.code]))
            out[c.code] = (peak, secs)
    return out


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [3000, 12000]
    options = corpus_options()
    rows = []
    for n in sizes:
        t0 = time.perf_counter()
        shards = summaries(n)
        extract = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            store = SummaryStore(Path(tmp) / "summaries")
            for shard in shards:
                store.add(pack_summaries(shard))
            del shards
            store.seal()
            result = parts(store, options)
            store.close()
        rows.append((n, result))
        cells = "  ".join(f"{k} {p:.1f} MB {s:.1f}s" for k, (p, s) in result.items())
        print(f"{n:>7,} docs (extract {extract:.0f}s): {cells}", flush=True)
    if len(rows) > 1:
        (n0, r0), (n1, r1) = rows[-2], rows[-1]
        per = {k: 1e3 * (r1[k][0] - r0[k][0]) / (n1 - n0) for k in r1 if k in r0}
        print("KB per further document: " + "  ".join(f"{k} {v:.2f}" for k, v in per.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
