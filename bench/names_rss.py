#!/usr/bin/env python3
"""The corpus name analysis (NAME001, NAME002, MT008) alone on prefixes of a real crawl, and its growth.

    python bench/names_rss.py [--profile] [--hash] [10000 30000 137302]

Each prefix of `../shared/eval/rss-dev.jsonl.gz` (real feed entries, two languages) is extracted per
document as the engine does (`NameVariant.extract` on the document's `text_view`; the residue checks
are not run, so no flagged span is handed to the extract), then `names.analyse` runs on the summaries,
once timed (CPU time of this process: the machine is shared) and once under tracemalloc (the peak of Python allocations above the summaries). The
growth exponent between two sizes is log(t2/t1)/log(n2/n1). Summaries are cached in CACHE (default
/tmp/names-rss). `--hash` prints a digest of every variant, exonym and link (identical decisions give
identical digests); `--profile` prints the analysis's top functions by cumulative time (cProfile).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import pickle
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.corpus.names import NameVariant, analyse  # noqa: E402
from audit.engine import Options, text_view  # noqa: E402
from audit.records import Document  # noqa: E402

RSS = ROOT.parent / "shared" / "eval" / "rss-dev.jsonl.gz"


def summaries(n: int) -> dict:
    """The first n entries' mention summaries (extracted once for the whole file, then cut)."""
    cache = Path(os.environ.get("CACHE", "/tmp/names-rss"))
    path = cache / "mentions-all.pkl"
    if path.exists():
        return dict(list(pickle.loads(path.read_bytes()).items())[:n])
    options = Options(select=("NAME001",))
    out = {}
    with gzip.open(RSS, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            doc = Document(row["id"], row["text"], source=row.get("source"))
            out[doc.id] = NameVariant.extract(text_view(doc, options))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return dict(list(out.items())[:n])


def digest(a) -> str:
    h = hashlib.sha256()
    for f in sorted(a.variants):
        h.update(repr(a.variants[f]).encode())
    for f in sorted(a.exonyms):
        h.update(repr((f, a.exonyms[f])).encode())
    for lk in a.links:
        h.update(repr(lk).encode())
    return h.hexdigest()[:16]


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sizes = [int(a) for a in args] or [10_000, 30_000, 137_302]
    rows = []
    for n in sizes:
        s = summaries(n)
        analyse(dict(list(s.items())[:200]))  # caches warm
        if "--profile" in sys.argv:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
        t0 = time.process_time()
        a = analyse(s)
        secs = time.process_time() - t0
        if "--profile" in sys.argv:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        tracemalloc.start()
        analyse(s)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        extra = f"  digest {digest(a)}" if "--hash" in sys.argv else ""
        print(
            f"{n:>8,} entries: {secs:7.2f} s CPU, peak {peak:7.1f} MB, {len(a.variants):,} variants{extra}", flush=True
        )
        rows.append((n, secs, peak))
    for (n1, t1, m1), (n2, t2, m2) in zip(rows, rows[1:], strict=False):
        r = math.log(n2 / n1)
        print(
            f"{n1:,} -> {n2:,}: time exponent {math.log(t2 / t1) / r:.2f}, memory exponent {math.log(m2 / m1) / r:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
