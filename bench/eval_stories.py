#!/usr/bin/env python3
"""Story-cluster purity on ../shared/eval/wmt23-uk-en-news.tsv and the seeds.

python bench/eval_stories.py
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_names import wmt_documents  # noqa: E402

from audit.corpus.stories import assign_stories, story_terms  # noqa: E402
from audit.load import load_documents  # noqa: E402
from audit.text import TextView  # noqa: E402


def purity(docs) -> tuple[int, int, float]:
    stories = assign_stories({d.id: story_terms(TextView(d.text)) for d in docs})
    clusters: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        clusters[stories[d.id]].append(d.meta["story"])
    pure = sum(Counter(v).most_common(1)[0][1] for v in clusters.values()) / len(docs)
    return len(clusters), len({d.meta["story"] for d in docs}), pure


def main() -> int:
    n_clusters, n_stories, pure = purity(wmt_documents())
    print(f"wmt23: {n_clusters} clusters for {n_stories} stories, purity {pure:.3f}")
    seeds = list(load_documents([ROOT.parent / "shared" / "seeds"]))
    ids = assign_stories({d.id: story_terms(TextView(d.text)) for d in seeds})
    print(f"seeds: {len(set(ids.values()))} story for {len(seeds)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
