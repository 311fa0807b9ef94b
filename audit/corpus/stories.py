"""Story clusters: documents that report the same event, near-linear in the corpus size.

Reports of one event by different outlets (or translators) share few exact phrases but many
distinctive terms: the names they mention, the figures they give and words English uses rarely.
Each document's term set gets a MinHash signature (datasketch); locality-sensitive hashing proposes
candidate pairs, whose exact Jaccard similarity is computed; average-linkage clustering over that
sparse graph merges groups while their mean similarity stays at or above STORY_SIMILARITY.
Measured on ../shared: the five seed reports form one story, and the 130 WMT23 documents
(26 stories, five translations each) form 26 clusters of purity 1.0 (bench/eval_stories.py).
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import re
from collections.abc import Mapping

import numpy as np

from audit.corpus.mentions import _is_name_token, english_zipf
from audit.corpus.translit import fold
from audit.text import TextView, words

RARE_ZIPF = 2.5  # lower-case words rarer than this in English are distinctive
STORY_SIMILARITY = 0.215  # mean Jaccard between two groups for them to be one story
CANDIDATE_FLOOR = 0.08  # pairs less similar than this are not edges at all
NUM_PERM = 128
LSH_THRESHOLD = 0.1
MAX_CHARS = 100_000
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


class StorySketch:
    """One document's story terms as the corpus pass keeps them: sorted 64-bit term hashes (for the
    exact Jaccard similarity) and the MinHash signature (for locality-sensitive hashing), both
    computed in the per-document stage. About 2 KB a document."""

    __slots__ = ("hashes", "signature")

    def __init__(self, hashes: np.ndarray, signature: np.ndarray) -> None:
        self.hashes = hashes
        self.signature = signature

    def __reduce__(self):
        return (StorySketch, (self.hashes, self.signature))

    def __len__(self) -> int:
        return len(self.hashes)

    def jaccard(self, other: StorySketch) -> float:
        shared = np.intersect1d(self.hashes, other.hashes, assume_unique=True).size
        return shared / (len(self.hashes) + len(other.hashes) - shared)


@functools.cache
def _empty_minhash():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1)


def _term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


def story_terms(view: TextView) -> StorySketch:
    """Names, figures (two digits or more) and rare words of the document, sketched."""
    text = view.text[:MAX_CHARS]
    terms = set()
    for w in words(text):
        if w[:1].isupper():
            if _is_name_token(w, sentence_start=False):
                terms.add(fold(w))
        elif len(w) >= 5 and english_zipf(fold(w)) < RARE_ZIPF:
            terms.add(fold(w))
    for n in _NUMBER.findall(text):
        digits = n.replace(",", "").rstrip(".")
        if len(digits) >= 2:
            terms.add("#" + digits)
    ordered = sorted(terms)
    hashes = np.unique(np.fromiter((_term_hash(t) for t in ordered), dtype=np.uint64, count=len(ordered)))
    m = _empty_minhash().copy()
    if ordered:
        m.update_batch([t.encode("utf-8") for t in ordered])
    return StorySketch(hashes, m.hashvalues.copy())


def _candidate_pairs(terms: Mapping[str, StorySketch]) -> dict[tuple[str, str], float]:
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    sigs = {}
    for doc_id in sorted(terms):
        if len(terms[doc_id]):
            m = LeanMinHash(seed=1, hashvalues=terms[doc_id].signature, scheme=_empty_minhash().scheme)
            sigs[doc_id] = m
            lsh.insert(doc_id, m)
    pairs = {}
    for doc_id, sig in sigs.items():
        a = terms[doc_id]
        for other in lsh.query(sig):
            if other <= doc_id:
                continue
            j = a.jaccard(terms[other])
            if j >= CANDIDATE_FLOOR:
                pairs[(doc_id, other)] = j
    return pairs


def assign_stories(terms: Mapping[str, StorySketch]) -> dict[str, str]:
    """doc_id -> story id (`s` + a short hash of the story's smallest document id), for every document."""
    pairs = _candidate_pairs(terms)
    size = {d: 1 for d in terms}
    sums: dict[str, dict[str, float]] = {d: {} for d in terms}
    for (a, b), j in pairs.items():
        sums[a][b] = j
        sums[b][a] = j
    heap = [(-j / 1.0, a, b) for (a, b), j in sorted(pairs.items())]
    heapq.heapify(heap)
    alive = {d: d for d in terms}  # cluster key -> itself while it exists
    members = {d: [d] for d in terms}
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive or b not in sums[a]:
            continue
        avg = sums[a][b] / (size[a] * size[b])
        if abs(avg + neg) > 1e-12:
            continue  # stale entry
        if avg < STORY_SIMILARITY:
            break
        keep, drop = min(a, b), max(a, b)
        for z, s in sums.pop(drop).items():
            sums[z].pop(drop, None)
            if z == keep:
                continue
            sums[keep][z] = sums[keep].get(z, 0.0) + s
            sums[z][keep] = sums[keep][z]
        sums[keep].pop(drop, None)
        size[keep] += size.pop(drop)
        members[keep] += members.pop(drop)
        del alive[drop]
        for z, s in sorted(sums[keep].items()):
            x, y = min(keep, z), max(keep, z)
            heapq.heappush(heap, (-(s / (size[keep] * size[z])), x, y))
    out = {}
    for docs in members.values():
        story = "s" + hashlib.blake2b(min(docs).encode("utf-8"), digest_size=4).hexdigest()
        for d in docs:
            out[d] = story
    return out
