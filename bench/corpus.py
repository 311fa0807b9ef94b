"""A benchmark corpus of real-sized news documents (3-8 KB) from ../shared's data, deterministic."""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from pathlib import Path

from audit.model import Document

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _material() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for line in (SHARED / "eval" / "extraction-dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts.append((r["extractor"], r["text"]))
    with (SHARED / "eval" / "wmt23-uk-en-news.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    segs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        for c in r:
            if c == "ref_human" or c.startswith("hyp_"):
                segs[(r["doc_id"], c)].append((int(r["seg_id"]), r[c]))
    for (_, col), parts in sorted(segs.items()):
        texts.append((col, "\n".join(t for _, t in sorted(parts))))
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        texts.append(("seeds", p.read_text(encoding="utf-8")))
    return texts


def build_corpus(n: int, seed: int = 7, min_chars: int = 3000, max_chars: int = 8000) -> list[Document]:
    """n documents of 3-8 KB: real texts cut or joined to size, with the source kept."""
    material = [(s, t) for s, t in _material() if len(t) > 200]
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        source, text = material[rng.randrange(len(material))]
        target = rng.randint(min_chars, max_chars)
        while len(text) < target:
            text += "\n" + material[rng.randrange(len(material))][1]
        cut = text.rfind("\n", 0, target)
        docs.append(Document(f"doc{i:07d}", text[: cut if cut > min_chars // 2 else target], source=source))
    return docs
