#!/usr/bin/env python3
"""Checks the language shortcut (audit.language.surely_english) against the model on all the development data.

    python bench/language_shortcut.py

For every text of ../shared (the `text` and `ground_truth` of eval/*.jsonl, the seeds, and each side of
eval/wmt23-uk-en-news.tsv joined by document): where the shortcut calls a text English, the model
(fastText, as `identify` runs it) must say English too, so that `TextView.is_english` and INT005 decide
as the model alone would. Prints the share of texts the shortcut decides, the disagreements (must be
none), and the other-language texts nearest to passing, with the counts the shortcut uses.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import language  # noqa: E402

SHARED = ROOT.parent / "shared"


def texts() -> list[tuple[str, str]]:
    """(where, text) of every development text."""
    out = []
    for path in sorted((SHARED / "eval").glob("*.jsonl")):
        for k, line in enumerate(path.open(encoding="utf-8")):
            r = json.loads(line)
            out += [(f"{path.name}:{k}:{f}", r[f]) for f in ("text", "ground_truth") if isinstance(r.get(f), str)]
    out += [(p.name, p.read_text(encoding="utf-8")) for p in sorted((SHARED / "seeds").glob("*.txt"))]
    csv.field_size_limit(sys.maxsize)
    with (SHARED / "eval" / "wmt23-uk-en-news.tsv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    docs: dict[str, dict[str, list[str]]] = {}
    for r in rows[1:]:
        d = docs.setdefault(r[0], {h: [] for h in rows[0][2:]})
        for h, v in zip(rows[0][2:], r[2:], strict=False):
            d[h].append(v)
    out += [(f"wmt23:{doc}:{h}", "\n".join(v)) for doc, d in docs.items() for h, v in d.items()]
    return out


def shares(text: str) -> tuple[int, float, float]:
    words = text[: language._MAX_CHARS].lower().split()
    n = max(1, len(words))
    en = sum(w in language._ENGLISH_WORDS for w in words) / n
    return len(words), en, sum(w in language._OTHER_WORDS for w in words) / n


def main() -> int:
    all_texts = texts()
    sure, wrong, other = 0, [], []
    for where, text in all_texts:
        code, prob = language.identify(text)
        if language.surely_english(text):
            sure += 1
            if code != "en":
                wrong.append((where, code, prob))
        elif code != "en":
            other.append((shares(text)[1], where, code, prob, shares(text)))
    print(f"{len(all_texts)} texts; the shortcut decides {sure} ({100 * sure / len(all_texts):.1f}%)")
    print(f"shortcut English, model not: {len(wrong)} {wrong[:5]}")
    print("other-language texts (by the model) with the most English function words:")
    for _, where, code, prob, (n, en, oth) in sorted(other, reverse=True)[:6]:
        print(f"  {where}: {code} p={prob:.2f}; {n} words, English {en:.3f}, other {oth:.3f}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
