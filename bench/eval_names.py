#!/usr/bin/env python3
"""Name-variant pair recall and wrong links on ../shared/eval/wmt23-uk-en-news.tsv.

    python bench/eval_names.py [--show]

Builds one English document per story and translator (segments joined in order; the translator is
the document's source), audits them as one corpus, and compares the clusters the NAME001/MT008
findings imply with the hand labels in tests/data/wmt23_name_pairs.tsv.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.engine import Options, audit_documents  # noqa: E402
from audit.model import Document  # noqa: E402

WMT = ROOT.parent / "shared" / "eval" / "wmt23-uk-en-news.tsv"
LABELS = ROOT / "tests" / "data" / "wmt23_name_pairs.tsv"


def wmt_documents(path: Path = WMT) -> list[Document]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    cols = [c for c in rows[0] if c == "ref_human" or c.startswith("hyp_")]
    segs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        for c in cols:
            segs[(r["doc_id"], c)].append((int(r["seg_id"]), r[c]))
    return [
        Document(f"{story}:{col}", "\n".join(t for _, t in sorted(parts)), source=col, meta={"story": story})
        for (story, col), parts in sorted(segs.items())
    ]


def load_labels(path: Path = LABELS) -> dict[tuple[str, str], bool]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("form_a") or not line.strip():
            continue
        a, b, same = line.split("\t")
        labels[tuple(sorted((a, b)))] = same.strip() == "1"
    return labels


def linked_pairs(docs: list[Document]) -> set[tuple[str, str]]:
    result = audit_documents(docs, Options(select=("NAME001", "NAME002", "MT008"), jobs=1))
    clusters: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        if f.suggestion:
            clusters[f.suggestion].update((f.suggestion, f.evidence))
    return {tuple(sorted(p)) for members in clusters.values() for p in itertools.combinations(sorted(members), 2)}


def evaluate(docs: list[Document], labels: dict[tuple[str, str], bool]) -> dict[str, float]:
    linked = linked_pairs(docs)
    positives = {p for p, same in labels.items() if same}
    found = positives & linked
    checked = {p for p in linked if p in labels}
    wrong = {p for p in checked if not labels[p]}
    return {
        "positives": len(positives),
        "found": len(found),
        "recall": len(found) / max(1, len(positives)),
        "linked": len(linked),
        "checked": len(checked),
        "wrong": len(wrong),
        "wrong_share": len(wrong) / max(1, len(checked)),
        "unchecked": sorted(linked - set(labels)),
        "wrong_pairs": sorted(wrong),
        "missed": sorted(positives - linked),
    }


def main() -> int:
    if not WMT.exists():
        print(f"no evaluation data at {WMT}")
        return 1
    r = evaluate(wmt_documents(), load_labels())
    print(
        f"wmt23 name pairs: recall {r['recall']:.3f} ({r['found']}/{r['positives']}), "
        f"wrong links {r['wrong_share']:.3f} ({r['wrong']}/{r['checked']} checked), {r['linked']} linked, "
        f"{len(r['unchecked'])} unchecked"
    )
    if "--show" in sys.argv:
        print("wrong:", r["wrong_pairs"])
        print("unchecked:", r["unchecked"])
        print("missed:", r["missed"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
