#!/usr/bin/env python3
"""Stories alone on a real crawl: `assign_stories` over the summary store, its CPU time and peak memory.

    python bench/stories_rss.py [N ...]     # default 50000 137302 (the whole file)

The first N entries of `../shared/eval/rss-dev.jsonl.gz` get their story terms (`story_terms`), packed
into a `SummaryStore` on disk as the engine packs them (shards of 2,000); then `assign_stories` reads
them through the store's view, as in `audit run`. Printed a size: CPU seconds, the process's peak
resident set over its size at the start (VmHWM reset there), the number of stories and a digest of
the assignment (equal digests: equal stories, document by document).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.corpus.stories import assign_stories, story_terms  # noqa: E402
from audit.store import SummaryStore, pack_summaries  # noqa: E402
from audit.text import TextView  # noqa: E402

RSS = ROOT.parent / "shared" / "eval" / "rss-dev.jsonl.gz"


def status(key: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith(key)) // 1024


def measure(n: int, folder: str) -> str:
    store = SummaryStore(folder)
    shard: list = []
    k = 0
    with gzip.open(RSS, "rt", encoding="utf-8") as f:
        for line in f:
            if k >= n:
                break
            d = json.loads(line)
            shard.append((d["id"], {"@story": story_terms(TextView(d["text"], d["id"]))}))
            k += 1
            if len(shard) == 2000:
                store.add(pack_summaries(shard))
                shard = []
    if shard:
        store.add(pack_summaries(shard))
    store.seal()
    rss0 = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak resident set (VmHWM)
    cpu = time.process_time()
    stories = assign_stories(store["@story"])
    cpu = time.process_time() - cpu
    peak = status("VmHWM")
    store.close()
    digest = hashlib.sha256(json.dumps(sorted(stories.items())).encode()).hexdigest()[:16]
    return f"| {k:,} | {cpu:.1f} | {peak - rss0} | {len(set(stories.values())):,} | {digest} |"


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [50_000, 137_302]
    print("| entries | stories CPU (s) | peak over start (MB) | stories | digest |\n| --- | --- | --- | --- | --- |")
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            print(measure(n, folder), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
