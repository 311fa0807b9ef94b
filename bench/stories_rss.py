#!/usr/bin/env python3
"""Stories alone on a real crawl: `assign_stories` over the summary store, its CPU time and peak memory.

    python bench/stories_rss.py [N ...]     # default 50000 137302 (the whole file)
    TERMS=DIR python bench/stories_rss.py   # keep the entries' story terms in DIR (pickled), reuse them

The first N entries of `../shared/eval/rss-dev.jsonl.gz` get their story terms (`story_terms`), packed
into a `SummaryStore` on disk as the engine packs them (shards of 2,000); then `assign_stories` reads
them through the store's view, as in `audit run`. Printed a size: CPU seconds, the process's peak
resident set over its size at the start (VmHWM reset there), what is still resident over the start when
`assign_stories` has returned (its result, a dict a document, and what it did not hand back, which the
corpus checks after it stand on), the number of stories and a digest of
the assignment (equal digests: equal stories, document by document).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.corpus.stories import StorySketch, assign_stories, story_terms  # noqa: E402
from audit.memory import trim_memory  # noqa: E402
from audit.store import SummaryStore, pack_summaries  # noqa: E402
from audit.text import TextView  # noqa: E402

RSS = ROOT.parent / "shared" / "eval" / "rss-dev.jsonl.gz"


def status(key: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith(key)) // 1024


def sketches(n: int) -> Iterator[tuple[str, StorySketch]]:
    """The first `n` entries' story terms, in file order (computed, or read from $TERMS/N.pkl)."""
    keep = os.environ.get("TERMS")
    path = Path(keep, f"{n}.pkl") if keep else None
    if path is not None and path.exists():
        with path.open("rb") as f:
            yield from pickle.load(f)
        return
    out = []
    with gzip.open(RSS, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, n):
            d = json.loads(line)
            out.append((d["id"], story_terms(TextView(d["text"], d["id"]))))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            pickle.dump(out, f)
    yield from out


def measure(n: int, folder: str) -> str:
    store = SummaryStore(folder)
    shard: list = []
    k = 0
    for doc_id, sketch in sketches(n):
        shard.append((doc_id, {"@story": sketch}))
        k += 1
        if len(shard) == 2000:
            store.add(pack_summaries(shard))
            shard = []
    if shard:
        store.add(pack_summaries(shard))
    store.seal()
    del shard, sketch
    trim_memory()  # the sketches built or read above are freed and handed back: the start is what is live
    rss0 = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak resident set (VmHWM)
    cpu = time.process_time()
    stories = assign_stories(store["@story"])
    cpu = time.process_time() - cpu
    peak, left = status("VmHWM"), status("VmRSS")
    store.close()
    digest = hashlib.sha256(json.dumps(sorted(stories.items())).encode()).hexdigest()[:16]
    return f"| {k:,} | {cpu:.1f} | {peak - rss0} | {left - rss0} | {len(set(stories.values())):,} | {digest} |"


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [50_000, 137_302]
    print(
        "| entries | stories CPU (s) | peak over start (MB) | left over start, result held (MB) | stories | digest |\n"
        "| --- | --- | --- | --- | --- | --- |"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            print(measure(n, folder), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
