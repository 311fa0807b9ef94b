"""Lines repeated across many documents of the same source: that source's template text."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping

from audit.model import Hit
from audit.registry import corpus_check
from audit.text import TextView, word_count

MIN_DOCS = 3  # a line must recur in at least this many documents of one source
MIN_SHARE = 0.2  # ... and in at least this share of that source's documents
MIN_WORDS = 3


def fingerprint(line: str) -> str:
    """A stable fingerprint of a line: case, digits, punctuation and spacing ignored."""
    norm = " ".join(re.sub(r"[\W\d_]+", " ", line.casefold()).split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


@corpus_check("RES013", "residue", "warning")
class RepeatedBoilerplate:
    """Lines that recur in many documents of the same source (at least 3 and 20% of them): template text.

    Needs a `source` for each document (a column, or the folder a file sits in); documents without one
    are not compared.
    """

    @staticmethod
    def extract(view: TextView) -> tuple[str | None, list[tuple[str, int, int]]]:
        if view.source is None:
            return None, []
        seen = set()
        out = []
        for line in view.body:
            if word_count(line.text) < MIN_WORDS:
                continue
            fp = fingerprint(line.text)
            if fp not in seen:
                seen.add(fp)
                out.append((fp, *line.span))
        return view.source, out

    @staticmethod
    def decide(summaries: Mapping[str, tuple[str | None, list[tuple[str, int, int]]]]) -> dict[str, list[Hit]]:
        docs_per_source: dict[str, int] = defaultdict(int)
        count: dict[tuple[str, str], int] = defaultdict(int)
        for source, lines in summaries.values():
            if source is None:
                continue
            docs_per_source[source] += 1
            for fp, _, _ in lines:
                count[(source, fp)] += 1
        out: dict[str, list[Hit]] = {}
        for doc_id, (source, lines) in summaries.items():
            if source is None or docs_per_source[source] < MIN_DOCS:
                continue
            n = docs_per_source[source]
            for fp, start, end in lines:
                c = count[(source, fp)]
                if c >= MIN_DOCS and c >= MIN_SHARE * n:
                    out.setdefault(doc_id, []).append(
                        Hit(start, end, f"line repeated in {c} of {n} documents from {source}", "")
                    )
        return out
