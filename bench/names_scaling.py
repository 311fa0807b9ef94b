#!/usr/bin/env python3
"""Time of the corpus name pass against the number of name mentions (near-linear is the goal).

    python bench/names_scaling.py [--memory] [10000 100000 1000000]

Synthetic mentions: surnames drawn from a pool that grows with the corpus (so distinct names grow
too), some spelled with transliteration variants, spread over documents of 50 mentions each.
`--memory` also reports the peak memory the analysis allocates (tracemalloc, so slower), per document.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.corpus.mentions import DocMentions  # noqa: E402
from audit.corpus.names import analyse  # noqa: E402

SYLLABLES = "ka ri mo len sha vy ko dan pe tro iv an ol ga lyn hor zhe nko vich ski ova ur bek mir".split()
SWAPS = [("y", "i"), ("kh", "h"), ("sh", "s"), ("nko", "nco")]


def corpus(n_mentions: int, seed: int = 3) -> dict[str, DocMentions]:
    rng = random.Random(seed)
    pool = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        for _ in range(max(50, n_mentions // 20))
    ]
    docs: dict[str, DocMentions] = {}
    per_doc = 50
    for d in range(n_mentions // per_doc):
        spans: dict[str, list[tuple[int, int]]] = {}
        pos = 0
        for _ in range(per_doc):
            name = rng.choice(pool)
            if rng.random() < 0.05:
                a, b = rng.choice(SWAPS)
                name = name.replace(a, b)
            spans.setdefault(name, []).append((pos, pos + len(name)))
            pos += len(name) + 5
        docs[f"d{d:07d}"] = DocMentions.build(f"src{d % 40}", spans, set(), set())
    return docs


def main() -> int:
    memory = "--memory" in sys.argv
    sizes = [int(a) for a in sys.argv[1:] if not a.startswith("--")] or [10_000, 100_000, 1_000_000]
    for n in sizes:
        docs = corpus(n)
        distinct = len({f for m in docs.values() for f in m.forms})
        if memory:
            import tracemalloc

            analyse(dict(list(docs.items())[:50]))  # word-frequency and key caches warm
            tracemalloc.start()
        t0 = time.perf_counter()
        a = analyse(docs)
        secs = time.perf_counter() - t0
        peak = f", peak {tracemalloc.get_traced_memory()[1] / len(docs):,.0f} bytes a document" if memory else ""
        if memory:
            tracemalloc.stop()
        print(
            f"{n:>9,} mentions, {distinct:>7,} distinct names: {secs:6.2f} s ({1e6 * secs / n:.1f} µs a mention), "
            f"{len(a.variants):,} variants{peak}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
