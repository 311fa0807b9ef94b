"""Lines repeated across many documents of the same source: that source's template text."""

from __future__ import annotations

import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping

import numpy as np

from audit.memory import budget_bytes
from audit.records import Hit
from audit.registry import GroupHit, corpus_check
from audit.text import TextView, hash64, word_count

MIN_DOCS = 3  # a line must recur in at least this many documents of one source
MIN_SHARE = 0.2  # ... and in at least this share of that source's documents
MIN_WORDS = 3


_LETTERS = re.compile(r"[^\W\d_]+")


def fingerprint(line: str) -> int:
    """A stable 64-bit fingerprint of a line: case, digits, punctuation and spacing ignored (its runs of
    letters, case-folded, joined by single spaces)."""
    return hash64(" ".join(_LETTERS.findall(line.casefold())))


# (source, line fingerprints, their spans as start, end pairs): about 16 bytes a line in memory
Summary = tuple[str | None, array, array]


@corpus_check("RES013", "residue", "warning", fix="remove", label="template text shared across the source")
class RepeatedBoilerplate:
    """Lines that recur in many documents of the same source (at least 3 and 20% of them): template text.

    Needs a `source` for each document (a column, or the folder a file sits in); documents without one
    are not compared.
    """

    # The decision is made source by source: `decide` of one source's summaries gives exactly the hits
    # that `decide` of the whole corpus gives that source's documents (keys are salted by source). The
    # Dask engine groups the summaries by source on the workers and decides each group there.

    @staticmethod
    def split(doc_id: str, summary: Summary) -> Iterator[tuple[str, tuple[str, Summary]]]:
        """A document's summary, keyed by its source (none without a source: it is not compared)."""
        if summary[0] is not None:
            yield summary[0], (doc_id, summary)

    @staticmethod
    def decide_group(source: str, records: list[tuple[str, Summary]]) -> Iterator[GroupHit]:
        """One source's decision, from its documents' (id, summary): `decide` of those alone."""
        for doc_id, hits in RepeatedBoilerplate.decide(dict(records)).items():
            for place, hit in enumerate(hits):
                yield doc_id, place, "", hit

    @staticmethod
    def extract(view: TextView) -> Summary:
        fps, spans = array("Q"), array("I")
        if view.source is None:
            return None, fps, spans
        seen = set()
        for line in view.body:
            if word_count(line.text) < MIN_WORDS:
                continue
            fp = fingerprint(line.text)
            if fp not in seen:
                seen.add(fp)
                fps.append(fp)
                spans.extend(line.span)
        return sys.intern(view.source), fps, spans

    @staticmethod
    def decide(summaries: Mapping[str, Summary]) -> dict[str, list[Hit]]:
        # Count (source, line) pairs with sorts of 64-bit keys: 8 bytes a line, not a dict entry. The keys
        # are counted in parts (by key modulo `parts`, a pass over the summaries each) so that a part fits
        # a 32nd of the memory budget; only the keys seen in MIN_DOCS documents or more are kept.
        docs_per_source: dict[str, int] = defaultdict(int)
        salts: dict[str, np.uint64] = {}
        lines = 0
        for source, fps, _ in summaries.values():
            if source is not None:
                docs_per_source[source] += 1
                lines += len(fps)
                if source not in salts:
                    salts[source] = np.uint64(fingerprint("\0" + source))
        if not lines:
            return {}
        parts = max(1, -(-lines * 24 // max(1, budget_bytes() // 32)))  # 24 bytes a key while it is counted
        keys, counts = _repeated_keys(summaries, salts, parts)
        out: dict[str, list[Hit]] = {}
        for doc_id, (source, fps, spans) in summaries.items():
            if source is None or docs_per_source[source] < MIN_DOCS or not len(fps):
                continue
            n = docs_per_source[source]
            mine = np.frombuffer(fps, dtype=np.uint64) ^ salts[source]
            at = np.minimum(np.searchsorted(keys, mine), max(0, len(keys) - 1))
            seen = counts[at] * (keys[at] == mine) if len(keys) else np.zeros(len(mine), dtype=np.int64)
            for k in np.flatnonzero((seen >= MIN_DOCS) & (seen >= MIN_SHARE * n)):
                c = int(seen[k])
                out.setdefault(doc_id, []).append(
                    Hit(spans[2 * k], spans[2 * k + 1], f"line repeated in {c} of {n} documents from {source}", "")
                )
        return out


def _repeated_keys(
    summaries: Mapping[str, Summary], salts: dict[str, np.uint64], parts: int
) -> tuple[np.ndarray, np.ndarray]:
    """The (source-salted) line keys found in at least MIN_DOCS documents, sorted, with their counts."""
    keys, counts = [], []
    for part in range(parts):
        found = []
        for source, fps, _ in summaries.values():
            if source is None or not len(fps):
                continue
            k = np.frombuffer(fps, dtype=np.uint64) ^ salts[source]
            found.append(k if parts == 1 else k[k % np.uint64(parts) == part])
        if not found:
            continue
        u, c = np.unique(np.concatenate(found), return_counts=True)
        del found
        keys.append(u[c >= MIN_DOCS])
        counts.append(c[c >= MIN_DOCS])
    if not keys:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    k, c = np.concatenate(keys), np.concatenate(counts)
    order = np.argsort(k)
    return k[order], c[order]
