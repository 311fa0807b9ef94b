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
from audit.text import TextView, hash64, words

RARE_ZIPF = 2.5  # lower-case words rarer than this in English are distinctive
STORY_SIMILARITY = 0.215  # mean Jaccard between two groups for them to be one story
CANDIDATE_FLOOR = 0.08  # pairs less similar than this are not edges at all
NUM_PERM = 128
BAND_ROWS = 2  # 64 bands of 2 rows: a pair with Jaccard 0.1 is a candidate with probability 0.47
RUN_CAP = 8  # members of a crowded bucket are each paired with this many others
MIN_AGREEING_ROWS = 4  # signature rows (of 128) two documents must share for an exact comparison
NEAR_COPY = 0.8  # Jaccard at and above which two documents are copies of one text
MAX_NEIGHBOURS = 30  # most similar partners a document keeps for clustering
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
    hashes = np.unique(np.fromiter((hash64(t) for t in ordered), dtype=np.uint64, count=len(ordered)))
    m = _empty_minhash().copy()
    if ordered:
        m.update_batch([t.encode("utf-8") for t in ordered])
    return StorySketch(hashes, m.hashvalues.copy())


def _band_keys(signatures: np.ndarray, band: int) -> np.ndarray:
    rows = signatures[:, band * BAND_ROWS : (band + 1) * BAND_ROWS]
    key = np.zeros(len(signatures), dtype=np.uint64)
    for k in range(rows.shape[1]):
        key = (key * np.uint64(0x100000001B3)) ^ rows[:, k]  # FNV-style mixing; wraps modulo 2**64
    return key


def _agreement(signatures: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Rows of the signature on which each pair agrees: 128 times an estimate of their Jaccard similarity."""
    out = np.empty(len(i), dtype=np.int16)
    for k in range(0, len(i), 65536):
        out[k : k + 65536] = (signatures[i[k : k + 65536]] == signatures[j[k : k + 65536]]).sum(axis=1)
    return out


def _band_pairs(signatures: np.ndarray, min_agreement: int = 0) -> np.ndarray:
    """Index pairs (i < j) that agree on every row of at least one band: locality-sensitive hashing,
    done with one sort a band. A bucket of more than RUN_CAP documents (many near-copies of one text)
    pairs each member with its RUN_CAP successors only, so the pairs grow linearly, not quadratically.
    Pairs whose signatures agree on fewer than `min_agreement` rows are dropped band by band, so memory
    holds only the pairs worth comparing."""
    n = len(signatures)
    kept = np.empty(0, dtype=np.int64)  # pair codes i * n + j, sorted
    batch: list[np.ndarray] = []
    for band in range(NUM_PERM // BAND_ROWS):
        keys = _band_keys(signatures, band)
        order = np.argsort(keys, kind="stable")  # equal keys keep index order
        sorted_keys = keys[order]
        new_group = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
        group_start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
        group_size = np.diff(np.r_[np.flatnonzero(new_group), n])[np.cumsum(new_group) - 1]
        rank = np.arange(n) - group_start
        for step in range(1, RUN_CAP + 1):
            live = step < group_size
            if not live.any():
                break
            partner = order[(group_start + (rank + step) % group_size)[live]]
            mine = order[live]
            batch.append(np.minimum(mine, partner).astype(np.int64) * n + np.maximum(mine, partner))
        if len(batch) >= 64 or band == NUM_PERM // BAND_ROWS - 1:  # merge every few bands: bounded memory, few sorts
            if batch:
                codes = np.setdiff1d(np.unique(np.concatenate(batch)), kept, assume_unique=True)
                if min_agreement:
                    codes = codes[_agreement(signatures, codes // n, codes % n) >= min_agreement]
                kept = np.union1d(kept, codes)
            batch = []
    return np.stack([kept // n, kept % n], axis=1)


def _top_per_document(pairs: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Which pairs are among the `k` best-scoring of either of their documents (ties: lower index)."""
    if not len(pairs):
        return np.zeros(0, dtype=bool)
    m = len(pairs)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    order = np.lexsort((cols, -np.concatenate([score, score]), rows))
    sorted_rows = rows[order]
    rank = np.arange(2 * m) - np.searchsorted(sorted_rows, sorted_rows, side="left")
    keep = np.zeros(2 * m, dtype=bool)
    keep[order[rank < k]] = True
    return keep[:m] | keep[m:]


def _candidate_pairs(terms: Mapping[str, StorySketch]) -> dict[tuple[str, str], float]:
    """Pairs of documents with exact Jaccard similarity >= CANDIDATE_FLOOR among the LSH candidates;
    each document keeps its MAX_NEIGHBOURS most similar partners."""
    ids = [d for d in sorted(terms) if len(terms[d])]
    if len(ids) < 2:
        return {}
    signatures = np.stack([terms[d].signature for d in ids])
    # The signatures' agreement estimates the Jaccard similarity; the exact one is computed only where
    # the estimate is not hopeless (a pair at the floor, 0.08, agrees on about 10 of 128 rows), and
    # only for each document's best-agreeing partners.
    pairs = _band_pairs(signatures, MIN_AGREEING_ROWS)
    pairs = pairs[_top_per_document(pairs, _agreement(signatures, pairs[:, 0], pairs[:, 1]), 2 * MAX_NEIGHBOURS)]
    del signatures
    jac = np.fromiter(
        (terms[ids[i]].jaccard(terms[ids[j]]) for i, j in pairs.tolist()), dtype=np.float64, count=len(pairs)
    )
    close = jac >= CANDIDATE_FLOOR
    pairs, jac = pairs[close], jac[close]
    best = _top_per_document(pairs, jac, MAX_NEIGHBOURS)
    return {(ids[i], ids[j]): float(x) for (i, j), x in zip(pairs[best].tolist(), jac[best].tolist(), strict=True)}


def _near_copies(terms: Mapping[str, StorySketch], pairs: Mapping[tuple[str, str], float]) -> dict[str, str]:
    """doc_id -> the smallest id of its near-copies (Jaccard >= NEAR_COPY, transitively).

    Syndicated copies of one report (hundreds of them, with a changed line each) are one text: they are
    clustered as one document, so that the sparse graph of closest partners cannot split them."""
    parent = {d: d for d in terms}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), j in sorted(pairs.items()):
        if j >= NEAR_COPY:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {d: find(d) for d in terms}


def assign_stories(terms: Mapping[str, StorySketch]) -> dict[str, str]:
    """doc_id -> story id (`s` + a short hash of the story's smallest document id), for every document."""
    pairs = _candidate_pairs(terms)
    rep = _near_copies(terms, pairs)
    copies: dict[str, list[str]] = {}
    for d in sorted(terms):
        copies.setdefault(rep[d], []).append(d)
    between: dict[tuple[str, str], float] = {}
    for (a, b), j in pairs.items():
        ra, rb = rep[a], rep[b]
        if ra != rb:
            key = (min(ra, rb), max(ra, rb))
            between[key] = max(between.get(key, 0.0), j)
    # the representatives (keys of `copies`) are clustered; their copies follow them
    sums: dict[str, dict[str, float]] = {d: {} for d in copies}
    for (a, b), j in between.items():
        sums[a][b] = j
        sums[b][a] = j
    heap = [(-j / 1.0, a, b) for (a, b), j in sorted(between.items())]
    heapq.heapify(heap)
    members = {d: [d] for d in copies}  # the clusters alive, by key
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue
        avg = sums[a][b] / (len(members[a]) * len(members[b]))
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
        members[keep] += members.pop(drop)
        for z, s in sorted(sums[keep].items()):
            x, y = min(keep, z), max(keep, z)
            heapq.heappush(heap, (-(s / (len(members[keep]) * len(members[z]))), x, y))
    out = {}
    for reps in members.values():
        docs = [d for r in reps for d in copies[r]]
        story = "s" + hashlib.blake2b(min(docs).encode("utf-8"), digest_size=4).hexdigest()
        for d in docs:
            out[d] = story
    return out
