"""Story clusters: documents that report the same event, near-linear in the corpus size.

Reports of one event by different outlets (or translators) share few exact phrases but many
distinctive terms: the names they mention, the figures they give and words English uses rarely.
Each document's term set gets a MinHash signature (datasketch 2's scheme, in numpy: `minhash`); locality-sensitive hashing proposes
candidate pairs, whose exact Jaccard similarity is computed; average-linkage clustering over that
sparse graph merges groups while their mean similarity stays at or above STORY_SIMILARITY.
Measured on ../shared: the five seed reports form one story, and the 130 WMT23 documents
(26 stories, five translations each) form 26 clusters of purity 1.0 (bench/eval_stories.py).
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import os
import re
import struct
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from typing import BinaryIO, NamedTuple

import numpy as np

from audit.corpus.mentions import is_name_token
from audit.lexicon import english_zipf
from audit.lexicon.translit import fold
from audit.memory import budget_bytes, memo, trim_above, trim_memory, work_dir
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
LARGE_PART = 1 << 16  # edges of a component over which the freed memory is handed back first
QUEUE_CHUNK = 4096  # sorted strong edges made into queue entries at a time
SIG_BLOCK = 4096  # documents a block of the signatures' file (2 MB)
PAIR_CHUNK = 8192  # pairs compared at once (two blocks of 8192 signatures, 4 MB each)
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
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The NUM_PERM affine permutations h -> a x h + b (mod 2**32, `a` odd) of datasketch 2's MinHash
    (scheme "affine32", seed 1), drawn as it draws them; tests/test_stories.py compares the signatures
    with datasketch's. Done here, in numpy, because importing datasketch costs 0.4 s of every `audit`
    call's start-up (its package imports scipy)."""
    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(hashes32: list[int]) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32) of a set given as its members' 32-bit hashes: each hash
    mixed by MurmurHash3's finaliser, then each permutation's minimum (all 2**32 - 1 for no members)."""
    if not hashes32:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    hv = np.array(hashes32, dtype=np.uint32).reshape(-1, 1)
    hv ^= hv >> np.uint32(16)
    hv *= np.uint32(0x85EBCA6B)
    hv ^= hv >> np.uint32(13)
    hv *= np.uint32(0xC2B2AE35)
    hv ^= hv >> np.uint32(16)
    a, b = _permutations()
    return (hv * a + b).min(axis=0)


def sha1_hash32(data: bytes) -> int:
    """The first four bytes of the data's SHA-1, little-endian: datasketch's default 32-bit hash."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


@memo(32_768)
def _term_hashes(t: str) -> tuple[int, int]:
    """A term's 64-bit hash (`hash64`) and its 32-bit hash for MinHash (`sha1_hash32` of its UTF-8
    bytes): documents of one story share most of their terms."""
    return hash64(t), sha1_hash32(t.encode("utf-8"))


@memo(100_000)
def _term(w: str) -> str | None:
    """The story term a word gives (folded), or None: a name, or a lower-case word English uses rarely."""
    if w[:1].isupper():
        return fold(w) if is_name_token(w, sentence_start=False) else None
    if len(w) >= 5:
        f = fold(w)
        return f if english_zipf(f) < RARE_ZIPF else None
    return None


def story_terms(view: TextView) -> StorySketch:
    """Names, figures (two digits or more) and rare words of the document, sketched."""
    text = view.text[:MAX_CHARS]
    distinct = view.word_set if len(view.text) <= MAX_CHARS else set(words(text))
    terms = {t for w in distinct if (t := _term(w)) is not None}
    for n in _NUMBER.findall(text):
        digits = n.replace(",", "").rstrip(".")
        if len(digits) >= 2:
            terms.add("#" + digits)
    both = [_term_hashes(t) for t in sorted(terms)]
    hashes = np.unique(np.fromiter((h for h, _ in both), dtype=np.uint64, count=len(both)))
    return StorySketch(hashes, minhash([h for _, h in both]))


def _handed_back(steps: range) -> Iterator[int]:
    """`steps`, handing freed memory back (`trim_above`) when glibc's heap holds more than a 64th of the
    budget free (looked at every 8 steps). glibc keeps the blocks a loop of numpy chunks frees as holes in
    its heap: measured on rss-dev's 137,302 entries, the exact similarities of 5.1 million pairs (39 MB of
    results, chunks of a few MB) left 150 MB more resident, given back only by malloc_trim. With a 16th
    looked at every 32 steps, the counting sort's 30 blocks (`_grouped`) were never looked at and each
    ranking and the exact similarities kept 40-45 MB of holes at their peak; with a 64th every 8 steps
    (phase harness, 137,302 entries) the first ranking peaks at 161 MB over the stories' start (was 189),
    the exact similarities at 133 (177), the second ranking at 137 (173), for about 5% more of their CPU."""
    limit = budget_bytes() // 64
    for k, step in enumerate(steps):
        yield step
        if k % 8 == 7:
            trim_above(limit)


def _band_keys(signatures: SignatureRows, band: int) -> np.ndarray:
    rows = signatures.rows(band * BAND_ROWS, (band + 1) * BAND_ROWS)
    key = np.zeros(len(signatures), dtype=np.uint64)
    for k in range(rows.shape[1]):
        key = (key * np.uint64(0x100000001B3)) ^ rows[:, k]  # FNV-style mixing; wraps modulo 2**64
    return key


def _agreement(signatures: SignatureRows, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Rows of the signature on which each pair agrees: 128 times an estimate of their Jaccard similarity.
    The rows are read a group at a time (`SignatureRows.row_groups`) and the pairs compared PAIR_CHUNK at a
    time, so memory holds one group of rows and two small blocks of it, whatever the pairs' number."""
    out = np.zeros(len(i), dtype=np.int16)
    for rows in signatures.row_groups():
        for k in _handed_back(range(0, len(i), PAIR_CHUNK)):
            out[k : k + PAIR_CHUNK] += (rows[i[k : k + PAIR_CHUNK]] == rows[j[k : k + PAIR_CHUNK]]).sum(axis=1)
    return out


def _code_agreement(signatures: SignatureRows, codes: np.ndarray, n: int) -> np.ndarray:
    """`_agreement` of the pairs coded i * n + j, unpacked PAIR_CHUNK at a time (no two columns of them all)."""
    out = np.zeros(len(codes), dtype=np.int16)
    for rows in signatures.row_groups():
        for k in _handed_back(range(0, len(codes), PAIR_CHUNK)):
            c = codes[k : k + PAIR_CHUNK]
            out[k : k + PAIR_CHUNK] += (rows[c // n] == rows[c % n]).sum(axis=1)
    return out


def _distinct(codes: np.ndarray) -> np.ndarray:
    """`np.unique(codes)`, by one sort in place: numpy 2's `unique` of a large integer array without an
    inverse goes through a hash table first, about 20 times slower on the banding's tens of millions of codes."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def _band_pairs(signatures: SignatureRows | np.ndarray, min_agreement: int = 0) -> np.ndarray:
    """Index pairs (i < j) that agree on every row of at least one band: locality-sensitive hashing,
    done with one sort a band. A bucket of more than RUN_CAP documents (many near-copies of one text)
    pairs each member with its RUN_CAP successors only, so the pairs grow linearly, not quadratically.
    Pairs whose signatures agree on fewer than `min_agreement` rows are dropped band by band, so memory
    holds only the pairs worth comparing."""
    return _agreeing_pairs(signatures, min_agreement)[0]


def _agreeing_pairs(signatures: SignatureRows | np.ndarray, min_agreement: int) -> tuple[np.ndarray, np.ndarray | None]:
    """`_band_pairs`, with each pair's agreement (`_agreement`) where `min_agreement` asked for it."""
    if isinstance(signatures, np.ndarray):
        signatures = SignatureRows(signatures)
    n = len(signatures)
    runs: list[np.ndarray] = []  # pair codes i * n + j, each run sorted, no code in two runs
    agreements: list[np.ndarray] = []  # each run's codes' agreements (with min_agreement)
    for codes in _band_batches(signatures):  # a merge every few bands: few sorts
        for run in runs:  # drop the codes already kept: a binary search each, no copy of a run
            at = np.searchsorted(run, codes)
            np.minimum(at, len(run) - 1, out=at)
            codes = codes[run[at] != codes]
            del at
        if min_agreement:
            agree = _code_agreement(signatures, codes, n)
            codes, agree = codes[agree >= min_agreement], agree[agree >= min_agreement]
            if len(codes):
                agreements.append(agree)
            del agree
        if len(codes):
            runs.append(codes)
        del codes
        trim_memory(collect=False)  # the merge's freed blocks go back (holes in the heap, not its top)
    cap = _batch_codes()
    return _unpack_pairs(runs, n, cap, agreements if min_agreement else None)


def _batch_codes() -> int:
    """Pair codes gathered from the bands before they are merged or compared: a 512th of the memory budget
    (2M codes, 16 MB, in 1 GB), at least 65,536."""
    return max(1 << 16, budget_bytes() // 512)


def _band_batches(signatures: SignatureRows) -> Iterator[np.ndarray]:
    """Every band's pair codes (`_bucket_codes`), gathered a few bands at a time (`_batch_codes` of them or
    the last band) and made distinct: one sorted array a batch, not held here once yielded."""
    batch: list[np.ndarray] = []
    last = NUM_PERM // BAND_ROWS - 1
    for band in range(last + 1):
        batch.extend(_bucket_codes(signatures, band))
        if batch and (sum(map(len, batch)) >= _batch_codes() or band == last):
            yield _distinct(_drained(batch))


def _drained(batch: list[np.ndarray]) -> np.ndarray:
    """The arrays of `batch` as one, `batch` emptied (so that only the caller holds them)."""
    out = np.concatenate(batch)
    batch.clear()
    return out


def _bucket_codes(signatures: SignatureRows, band: int) -> list[np.ndarray]:
    """The pair codes (i * n + j, i < j) of one band's buckets: each member with its next RUN_CAP members
    of its bucket, cyclically (all of a bucket's pairs when it holds RUN_CAP + 1 or fewer)."""
    n = len(signatures)
    keys = _band_keys(signatures, band)
    order = np.argsort(keys, kind="stable")  # equal keys keep index order
    sorted_keys = keys[order]
    new_group = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
    group_size = np.diff(np.r_[np.flatnonzero(new_group), n])[np.cumsum(new_group) - 1]
    rank = np.arange(n) - group_start
    out = []
    for step in range(1, RUN_CAP + 1):
        live = step < group_size
        if not live.any():
            break
        partner = order[(group_start + (rank + step) % group_size)[live]]
        mine = order[live]
        out.append(np.minimum(mine, partner).astype(np.int64) * n + np.maximum(mine, partner))
    return out


def _unpack_pairs(
    runs: list[np.ndarray], n: int, block: int, agreements: list[np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The pairs (i, j) of the codes i * n + j of every run, sorted, as an (m, 2) int32 array, with their
    agreements where given (one per code, below 256: carried in the code's low 8 bits through the sort,
    where the codes leave room). The runs are copied into one array (each freed once copied), sorted in
    place, and each code is unpacked into its own 8 bytes (pair k's two int32 take code k's place), so
    memory holds the codes once."""
    packed = agreements is not None and n * n < 1 << 55
    codes = np.empty(sum(map(len, runs)), dtype=np.int64)
    at = 0
    runs.reverse()
    if packed:
        agreements.reverse()
    while runs:
        run = runs.pop()
        codes[at : at + len(run)] = run
        if packed:
            codes[at : at + len(run)] <<= 8
            codes[at : at + len(run)] |= agreements.pop()
        at += len(run)
        del run
        trim_memory(collect=False)  # a run below glibc's mapping threshold is freed into the heap: hand it back
    codes.sort()
    agreement = np.empty(len(codes), dtype=np.int16) if packed else None
    pairs = codes.view(np.int32).reshape(-1, 2)
    for k in range(0, len(codes), block):  # a block's codes are read before its pairs are written
        c = codes[k : k + block]
        if agreement is not None:
            agreement[k : k + block] = c & 255
            c = c >> 8
        i, j = c // n, c % n
        pairs[k : k + block, 0] = i
        pairs[k : k + block, 1] = j
    return pairs, agreement


def _descending_rank(score: np.ndarray) -> np.ndarray:
    """Each score's rank from the best (equal scores: equal ranks), as small non-negative integers."""
    if np.issubdtype(score.dtype, np.integer) and score.min(initial=0) >= 0:
        return score.max() - score  # in the scores' own type (the agreements' int16): no wider copy
    distinct, inverse = np.unique(score, return_inverse=True)
    return (len(distinct) - 1 - inverse).astype(np.int32)


def _end_order(rows: np.ndarray, rank: np.ndarray, cols: np.ndarray, first_row: int) -> np.ndarray:
    """`np.lexsort((cols, rank, rows))` of pair ends whose (row, col) are distinct, by one sort of the three
    packed into one 63-bit key (rows counted from `first_row`; lexsort when they do not fit)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    col_bits, rank_bits = int(cols.max()).bit_length(), int(rank.max()).bit_length()
    if int(rows.max()) - first_row >= 1 << max(0, 63 - col_bits - rank_bits):
        return np.lexsort((cols, rank, rows))
    key = (rows.astype(np.int64) - first_row) << (rank_bits + col_bits)
    key |= rank.astype(np.int64) << col_bits
    key |= cols
    return np.argsort(key)  # distinct keys: any sort gives lexsort's order


def _counts(col: np.ndarray, n: int, block: int = 1 << 20) -> np.ndarray:
    """`np.bincount(col, minlength=n)` a block at a time: bincount copies a column that is not intp
    (an int32 column, or a strided one) into a new int64 array, 8 bytes an entry of all of them."""
    out = np.zeros(n, dtype=np.int64)
    for k in range(0, len(col), block):
        out += np.bincount(col[k : k + block], minlength=n)
    return out


def _offsets(counts: np.ndarray | list[int]) -> np.ndarray:
    """Where each of consecutive groups of the given sizes starts, and the end: len(counts) + 1 int64 offsets."""
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _grouped(col: np.ndarray, n: int, block: int = 1 << 18) -> tuple[np.ndarray | None, np.ndarray]:
    """The positions of `col`'s values (small non-negative integers below `n`) grouped by value, equal
    values in position order, as int32 (None when `col` is in order: the positions themselves), and
    where each value's group starts (n + 1 offsets): a counting sort placed a block at a time, so no
    int64 ordering of the whole column is made (4 bytes an entry). A block (at least a quarter of `n`:
    its counts cost `n`) makes about 60 bytes an entry of passing arrays: 16 MB for 2**18."""
    block = max(n // 4, block, 1)
    start = _offsets(_counts(col, n, block))
    if (col[1:] >= col[:-1]).all():
        return None, start
    order = np.empty(len(col), dtype=np.int32 if len(col) < 1 << 31 else np.int64)
    fill = start[:-1].copy()
    for k in _handed_back(range(0, len(col), block)):
        part = col[k : k + block]
        o = np.argsort(part, kind="stable")
        v = part[o]
        order[fill[v] + np.arange(len(v)) - np.searchsorted(v, v, side="left")] = o + k
        fill += np.bincount(v, minlength=n)
    return order, start


def _top_per_document(pairs: np.ndarray, score: np.ndarray, k: int, chunk: int | None = None) -> np.ndarray:
    """Which pairs are among the `k` best-scoring of either of their documents (ties: lower index).

    Documents are ranked in runs holding about `chunk` pair ends (default: a 128th of the memory budget,
    at 64 bytes an end), so memory holds the pairs' positions grouped by each of their documents (4 bytes
    a pair and end, `_grouped`; none for the first documents when the pairs come sorted) and one run; the
    scores are ranked within a run (`_descending_rank`: the same order)."""
    m = len(pairs)
    keep = np.zeros(m, dtype=bool)
    if not m:
        return keep
    chunk = max(1024, budget_bytes() // 8192) if chunk is None else chunk
    first, second = pairs[:, 0], pairs[:, 1]
    n = int(max(first.max(), second.max())) + 1
    by_first, at1 = _grouped(first, n)
    by_second, at2 = _grouped(second, n)
    ends = at1[1:] + at2[1:]
    cuts = np.unique(np.r_[0, np.searchsorted(ends, np.arange(chunk, int(ends[-1]), chunk), side="right"), n])
    for r in _handed_back(range(len(cuts) - 1)):
        a, b = int(cuts[r]), int(cuts[r + 1])
        e1 = np.arange(at1[a], at1[b]) if by_first is None else by_first[at1[a] : at1[b]]
        e2 = np.arange(at2[a], at2[b]) if by_second is None else by_second[at2[a] : at2[b]]
        idx = np.concatenate([e1, e2])
        split = int(at1[b] - at1[a])
        rows = np.concatenate([first[idx[:split]], second[idx[split:]]])
        cols = np.concatenate([second[idx[:split]], first[idx[split:]]])
        order = _end_order(rows, _descending_rank(score[idx]), cols, a)
        sorted_rows = rows[order]
        place = np.arange(len(idx)) - np.searchsorted(sorted_rows, sorted_rows, side="left")
        keep[idx[order[place < k]]] = True
    return keep


class BestPartners:
    """Each document's `k` best partners by score (higher first; equal scores: the lower partner), and
    the pairs that are among the k best of either of their documents: `_top_per_document`'s pick, made
    from pairs that arrive batch by batch (`add`), in any order, a pair possibly more than once (from
    several bands; always with one score). Each pair end goes to the file of its document's range of
    rows (a part) as one int64 key (row within the part, score, partner: in ranking order); `chosen`
    ranks each part alone (one sort: a pair end given twice is one key) and writes the pairs each part's
    documents keep. Memory holds one batch's ends, one part's keys and the result, not every pair: on
    rss-dev's 137,302 entries 15 million pair ends (7.7 million pairs) go through parts of about a
    million ends."""

    PARTS = 64  # parts at most (their files are opened a batch at a time)
    ROWS = 4096  # rows a part at least
    SCORE_BITS = 8  # scores from 0 to 255 (the agreements: 0 to NUM_PERM)

    def __init__(self, n: int, k: int, folder: str) -> None:
        self.n, self.k, self.folder = n, k, folder
        self.bits = max(1, n.bit_length())
        if n * n >= 1 << (63 - self.SCORE_BITS):
            raise ValueError(f"{n:,} documents: too many for the pair codes of 63 bits")
        self.rows = max(1, min(max(self.ROWS, -(-n // self.PARTS)), 1 << max(0, 63 - self.SCORE_BITS - self.bits)))
        self.parts = -(-max(1, n) // self.rows)

    def _path(self, part: int) -> str:
        return os.path.join(self.folder, f"ends-{part:05d}.i64")

    def add(self, i: np.ndarray, j: np.ndarray, score: np.ndarray) -> None:
        """The pairs (i, j), i != j, with their scores (0 to 255)."""
        if len(score) and not 0 <= int(score.min()) <= int(score.max()) < 1 << self.SCORE_BITS:
            raise ValueError(f"pair scores must be 0 to {(1 << self.SCORE_BITS) - 1}")
        for rows, cols in ((i, j), (j, i)):
            part = rows // self.rows
            key = ((rows % self.rows).astype(np.int64) << (self.SCORE_BITS + self.bits)) | cols
            key |= (255 - score.astype(np.int64)) << self.bits
            order = np.argsort(part, kind="stable")
            part, key = part[order], key[order]
            del order
            cuts = np.searchsorted(part, np.arange(self.parts + 1))
            for p in np.flatnonzero(np.diff(cuts)).tolist():
                with open(self._path(p), "ab") as f:
                    key[cuts[p] : cuts[p + 1]].tofile(f)
            del part, key

    def _ranked(self, part: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Part `part`'s kept ends (each row's k best): rows, partners and scores, row by row, best first."""
        path = self._path(part)
        if not os.path.exists(path):
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        key = _distinct(np.fromfile(path, dtype=np.int64))
        local = key >> (self.SCORE_BITS + self.bits)
        rank = np.arange(len(key)) - np.searchsorted(local, local, side="left")
        key, local = key[rank < self.k], local[rank < self.k]
        del rank
        col = key & ((1 << self.bits) - 1)
        score = 255 - ((key >> self.bits) & ((1 << self.SCORE_BITS) - 1))
        return local + part * self.rows, col, score

    def chosen(self) -> tuple[np.ndarray, np.ndarray]:
        """The pairs in the k best of either of their documents (i < j, sorted; an (m, 2) int32 array),
        with their scores. Each part's kept ends are written back; a row with k of them has its k-th (the
        last kept) noted, so that an end kept by the row of the lower document (its partner) is known to
        be one of that row's own: each pair is written once, as a code i * n + j (its score in the low 8
        bits), into one file read back as one array, sorted in place and unpacked in place."""
        last_col = np.full(max(1, self.n), -1, dtype=np.int32)
        last_score = np.full(max(1, self.n), -1, dtype=np.int16)
        for part in range(self.parts):
            rows, col, score = self._ranked(part)
            if len(rows):
                np.save(self._path(part) + ".npy", np.stack([rows, col, score]))
                full = np.flatnonzero(np.r_[rows[1:] != rows[:-1], True])  # each row's last kept end
                has_k = np.diff(np.r_[-1, full]) == self.k
                last_col[rows[full[has_k]]] = col[full[has_k]]
                last_score[rows[full[has_k]]] = score[full[has_k]]
            if os.path.exists(self._path(part)):
                os.remove(self._path(part))
            del rows, col, score
            trim_memory(collect=False)  # a part's arrays go back before the next part's are read
        out = os.path.join(self.folder, "chosen.i64")
        with open(out, "wb") as f:
            for part in range(self.parts):
                if os.path.exists(self._path(part) + ".npy"):
                    rows, col, score = np.load(self._path(part) + ".npy")
                    os.remove(self._path(part) + ".npy")
                    held = (
                        (last_col[col] < 0)
                        | (score > last_score[col])
                        | ((score == last_score[col]) & (rows <= last_col[col]))
                    )
                    own = (col > rows) | ~held  # a lower partner's row holds it too: written from there
                    lo, hi = np.minimum(rows, col)[own], np.maximum(rows, col)[own]
                    ((lo * self.n + hi) << self.SCORE_BITS | score[own]).tofile(f)
                    del rows, col, score, held, own, lo, hi
                    trim_memory(collect=False)
        del last_col, last_score
        codes = np.fromfile(out, dtype=np.int64)
        os.remove(out)
        return _unpacked(codes, self.n, self.SCORE_BITS)


def _unpacked(codes: np.ndarray, n: int, score_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes (i * n + j) << score_bits | score, sorted in place and unpacked in place: the pairs as an
    (m, 2) int32 array (pair k's two int32 in code k's 8 bytes) and the scores (int16)."""
    codes.sort()
    scores = np.empty(len(codes), dtype=np.int16)
    pairs = codes.view(np.int32).reshape(-1, 2)
    block = 1 << 18
    for b in range(0, len(codes), block):  # a block's codes are read before its pairs are written
        scores[b : b + block] = codes[b : b + block] & ((1 << score_bits) - 1)
        c = codes[b : b + block] >> score_bits
        pairs[b : b + block, 0] = c // max(1, n)
        pairs[b : b + block, 1] = c % max(1, n)
    return pairs, scores


def _best_agreeing_pairs(
    signatures: SignatureRows, min_agreement: int, k: int, folder: str
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of `_agreeing_pairs(signatures, min_agreement)` that are among the `k` best-agreeing of
    either of their documents (`_top_per_document`, ties: lower index), with their agreements: the same
    pairs, streamed. The bands' candidate codes are gathered a few bands at a time (`_band_batches`,
    as for `_agreeing_pairs`), compared, and those agreeing on `min_agreement` rows or more are merged into each
    document's k best (`BestPartners`); so memory holds n x k entries and one batch, not every candidate
    pair (7.7 million at rss-dev's 137,302 entries). A pair proposed by several batches is compared in each."""
    n = len(signatures)
    best = BestPartners(n, k, folder)
    for codes in _band_batches(signatures):
        agree = _code_agreement(signatures, codes, n)
        live = agree >= min_agreement
        codes, agree = codes[live], agree[live]
        del live
        best.add((codes // n).astype(np.int32), (codes % n).astype(np.int32), agree)
        del codes, agree
        trim_memory(collect=False)  # the batch's freed blocks go back
    return best.chosen()


class Pairs(NamedTuple):
    """Candidate pairs of documents as arrays: `ids` (sorted), index pairs i < j (int32, sorted) and
    their exact Jaccard similarity."""

    ids: list[str]
    i: np.ndarray
    j: np.ndarray
    jaccard: np.ndarray

    def __len__(self) -> int:  # type: ignore[override]
        return len(self.i)


class TermIds(NamedTuple):
    """Every document's story terms as small integers, in the order of the sorted ids: document `k`'s
    term ids are `ids[start[k] : start[k + 1]]`, sorted (4 bytes a term; the terms' 64-bit hashes are
    replaced by their rank among the corpus's distinct hashes, so equal hashes get equal ids)."""

    start: np.ndarray
    ids: np.ndarray


class SignatureRows:
    """The documents' MinHash signatures, read a few rows (of NUM_PERM) at a time for every document:
    the banding reads a band's two rows, the agreements a group of rows (`row_groups`). Kept in a file
    (the run's spill folder) in blocks of SIG_BLOCK documents in the order they were read, each block
    row by row, so that `rows` reads a block's rows in one piece and places them at their documents'
    indices (`dest`, -1: a document left out); or (tests) wrapping a matrix in memory."""

    def __init__(self, matrix: np.ndarray | None = None, path: str = "", dest: np.ndarray | None = None) -> None:
        self.matrix, self.path = matrix, path
        self.dest = np.zeros(0, np.int32) if dest is None else dest
        self.n = len(matrix) if matrix is not None else int((self.dest >= 0).sum())

    def __len__(self) -> int:
        return self.n

    def rows(self, first: int, last: int) -> np.ndarray:
        """Rows `first:last` of every document's signature: an (n, last - first) array."""
        if self.matrix is not None:
            return np.ascontiguousarray(self.matrix[:, first:last])
        out = np.empty((self.n, last - first), dtype=np.uint32)
        with open(self.path, "rb") as f:
            for at in range(0, len(self.dest), SIG_BLOCK):
                f.seek(((at // SIG_BLOCK) * NUM_PERM + first) * SIG_BLOCK * 4)
                block = np.fromfile(f, dtype=np.uint32, count=(last - first) * SIG_BLOCK)
                dest = self.dest[at : at + SIG_BLOCK]
                live = dest >= 0
                out[dest[live]] = block.reshape(last - first, SIG_BLOCK)[:, : len(dest)][:, live].T
        return out

    def row_groups(self) -> Iterator[np.ndarray]:
        """Every row, in groups of as many rows as fit a 64th of the memory budget (one at least)."""
        step = max(1, min(NUM_PERM, budget_bytes() // 64 // max(1, 4 * self.n)))
        for first in range(0, NUM_PERM, step):
            yield self.rows(first, min(NUM_PERM, first + step))


def _write_signatures(f: BinaryIO, terms: Mapping[str, StorySketch]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Writes the signatures of `terms` (in their order) to `f`, SIG_BLOCK documents a block, each block
    row by row. Returns each document's number of terms and the term hashes of those with terms (in
    their order, concatenated a block at a time: no array a document)."""
    count = np.zeros(len(terms), dtype=np.int32)
    hashes: list[np.ndarray] = []
    block = np.zeros((SIG_BLOCK, NUM_PERM), dtype=np.uint32)
    pending: list[np.ndarray] = []
    for k, (doc_id, sketch) in enumerate(terms.items()):
        if len(sketch):
            sig = sketch.signature
            if sig.max(initial=0) >> 32:
                raise ValueError(f"story signature of {doc_id!r} has values of more than 32 bits")
            block[k % SIG_BLOCK] = sig
            count[k] = len(sketch)
            pending.append(sketch.hashes)
        if k % SIG_BLOCK == SIG_BLOCK - 1 or k == len(count) - 1:
            f.write(np.ascontiguousarray(block.T).tobytes())
            block[:] = 0
            if pending:
                hashes.append(np.concatenate(pending))
                pending = []
    return count, hashes


def _signatures(terms: Mapping[str, StorySketch], folder: str) -> tuple[list[str], SignatureRows, TermIds]:
    """The ids of the documents with story terms, sorted, their MinHash signatures (in a file in `folder`,
    `SignatureRows`) and their term ids, from one read of the summaries in their order. Memory holds the
    term hashes (8 bytes a term), never the signatures (512 bytes a document; datasketch's values are below
    2**32, so they are kept as uint32)."""
    ids = list(terms)
    order = np.asarray(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)
    path = os.path.join(folder, "signatures.u32")
    with open(path, "wb") as f:
        count, hashes = _write_signatures(f, terms)
    kept = order[count[order] > 0]  # the documents with terms, by id: the read order of each
    dest = np.full(len(ids), -1, dtype=np.int32)
    dest[kept] = np.arange(len(kept), dtype=np.int32)
    flat = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    hashes.clear()
    read_ids = _rank_ids(flat)  # in read order
    del flat
    first = _offsets(count)
    length = count[kept].astype(np.int64)
    start = _offsets(length)
    term_ids = TermIds(start, read_ids[_spans(first[kept], length)])
    return [ids[k] for k in kept.tolist()], SignatureRows(path=path, dest=dest), term_ids


def _rank_ids(flat: np.ndarray) -> np.ndarray:
    """Each hash's rank among the distinct hashes (`np.unique`'s inverse), as int32: one sorted copy,
    then a binary search a block at a time (no int64 ordering of them all)."""
    distinct = np.sort(flat)
    distinct = distinct[np.r_[True, distinct[1:] != distinct[:-1]]] if len(distinct) else distinct
    out = np.empty(len(flat), dtype=np.int32)
    for k in range(0, len(flat), 1 << 20):
        out[k : k + (1 << 20)] = np.searchsorted(distinct, flat[k : k + (1 << 20)])
    return out


def _term_ids(hashes: list[np.ndarray]) -> TermIds:
    """The documents' sorted term hashes as `TermIds` (a term's id: its hash's rank, so each document's
    ids stay sorted and distinct)."""
    start = _offsets([len(h) for h in hashes])
    flat = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    hashes.clear()
    return TermIds(start, _rank_ids(flat))


def _spans(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The concatenated ranges start[k] : start[k] + length[k], as indices."""
    ends = np.cumsum(length)
    return np.repeat(start - (ends - length), length) + np.arange(int(ends[-1]) if len(ends) else 0)


def _exact_jaccard(terms: TermIds, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The exact Jaccard similarity of each pair's term sets (`StorySketch.jaccard`, to the last bit),
    PAIR_CHUNK pairs at a time: both documents' term ids, tagged with the pair, sorted once; a term the
    two share is a repeated (pair, term) key."""
    out = np.empty(len(i), dtype=np.float64)
    n_terms = np.int64(len(terms.ids) + 1)
    for k in _handed_back(range(0, len(i), PAIR_CHUNK)):
        a, b = i[k : k + PAIR_CHUNK].astype(np.int64), j[k : k + PAIR_CHUNK].astype(np.int64)
        la, lb = terms.start[a + 1] - terms.start[a], terms.start[b + 1] - terms.start[b]
        pair = np.arange(len(a), dtype=np.int64)
        key = np.concatenate(
            [
                np.repeat(pair, la) * n_terms + terms.ids[_spans(terms.start[a], la)],
                np.repeat(pair, lb) * n_terms + terms.ids[_spans(terms.start[b], lb)],
            ]
        )
        key.sort()
        shared = np.bincount(key[1:][key[1:] == key[:-1]] // n_terms, minlength=len(a))
        out[k : k + len(a)] = shared / (la + lb - shared)
    return out


def _close_pairs(terms: TermIds, pairs: np.ndarray, block: int = 1 << 18) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (an (m, 2) array) whose exact Jaccard similarity (`_exact_jaccard`) is at least
    CANDIDATE_FLOOR, in their order, with it. Compared `block` pairs at a time, the close ones moved to the
    front of `pairs` itself and their similarities to the front of one array (a block's close pairs land
    no further than where the block starts); both are returned as views of those fronts: memory holds the
    pairs and one similarity each, not a copy of both (most candidates are close: 80 MB at 137,302 entries)."""
    out = np.empty(len(pairs), dtype=np.float64)
    kept = 0
    for k in range(0, len(pairs), block):
        jac = _exact_jaccard(terms, pairs[k : k + block, 0], pairs[k : k + block, 1])
        close = jac >= CANDIDATE_FLOOR
        moved = pairs[k : k + block][close]
        pairs[kept : kept + len(moved)] = moved
        out[kept : kept + len(moved)] = jac[close]
        kept += len(moved)
        del jac, close, moved
    return pairs[:kept], out[:kept]


def _candidate_pairs(terms: Mapping[str, StorySketch]) -> Pairs:
    """Pairs of documents with exact Jaccard similarity >= CANDIDATE_FLOOR among the LSH candidates;
    each document keeps its MAX_NEIGHBOURS most similar partners."""
    with work_dir("stories-") as folder:
        return _closest_pairs(*_signatures(terms, folder), folder)


def _closest_pairs(ids: list[str], signatures: SignatureRows, term_ids: TermIds, folder: str) -> Pairs:
    """`_candidate_pairs` of the documents `ids`, given their signatures and term ids."""
    if len(ids) < 2:
        return Pairs(ids, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    # The signatures' agreement estimates the Jaccard similarity; the exact one is computed only where
    # the estimate is not hopeless (a pair at the floor, 0.08, agrees on about 10 of 128 rows), and
    # only for each document's 2 * MAX_NEIGHBOURS best-agreeing partners (and theirs).
    trim_memory(collect=False)  # what reading the summaries freed (the term hashes, 8 bytes a term) goes back
    pairs, agreement = _best_agreeing_pairs(signatures, MIN_AGREEING_ROWS, 2 * MAX_NEIGHBOURS, folder)
    del signatures, agreement  # its file is read no more
    trim_memory(collect=False)  # each step's freed arrays go back before the next step's are made
    pairs, jac = _close_pairs(term_ids, pairs)
    del term_ids
    trim_memory(collect=False)
    best = _top_per_document(pairs, jac, MAX_NEIGHBOURS)
    trim_memory(collect=False)  # the ranking's freed blocks go back before the kept pairs are copied out
    i, j, jac = pairs[best, 0], pairs[best, 1], jac[best]
    del pairs, best
    trim_memory(collect=False)
    return Pairs(ids, i, j, jac)


def _roots(parent: np.ndarray) -> np.ndarray:
    """Every node's root in a forest given by parent pointers (pointer jumping)."""
    while True:
        up = parent[parent]
        if np.array_equal(up, parent):
            return parent
        parent = up


def _find(parent: np.ndarray, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = int(parent[x])
    return x


def _near_copies(pairs: Pairs) -> np.ndarray:
    """Each document's representative (by index into `pairs.ids`): the smallest of its near-copies
    (Jaccard >= NEAR_COPY, transitively), from a union-find in one int32 array.

    Syndicated copies of one report (hundreds of them, with a changed line each) are one text: they are
    clustered as one document, so that the sparse graph of closest partners cannot split them."""
    parent = np.arange(len(pairs.ids), dtype=np.int32)
    near = pairs.jaccard >= NEAR_COPY
    for a, b in zip(pairs.i[near].tolist(), pairs.j[near].tolist(), strict=True):
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # a root is the smallest index of its tree
    return _roots(parent)


def _between(pairs: Pairs, rep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges between representatives (lo < hi, sorted; int32), each with the best Jaccard of its pairs.
    The pairs come sorted and most are between representatives already (they stay, in order); only the
    others (a near-copy's) are moved to their representatives, sorted and merged in: where a moved edge
    is one that stays, its similarity is the larger of the two; the rest are placed among the staying
    ones. Memory holds one code a staying pair (8 bytes) while the moved ones are matched, then the edges."""
    n = max(1, len(rep))
    moved = np.flatnonzero((rep[pairs.i] != pairs.i) | (rep[pairs.j] != pairs.j))
    ra, rb = rep[pairs.i[moved]], rep[pairs.j[moved]]
    inside = ra != rb
    code = np.minimum(ra, rb)[inside].astype(np.int64) * n + np.maximum(ra, rb)[inside]
    jac = pairs.jaccard[moved][inside]
    del ra, rb, inside
    order = np.argsort(code, kind="stable")
    code, jac = code[order], jac[order]
    if len(code):  # one edge a code, with the best similarity
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        code, jac = code[starts], np.maximum.reduceat(jac, starts)
    stay = np.ones(len(pairs), dtype=bool)
    stay[moved] = False
    del moved
    lo, hi, best = pairs.i[stay], pairs.j[stay], pairs.jaccard[stay]
    del stay
    stay_code = lo.astype(np.int64)  # lo * n + hi, made in place (one int64 array, not three)
    stay_code *= n
    stay_code += hi  # sorted where the pairs come sorted (as they do)
    if (stay_code[1:] < stay_code[:-1]).any():
        order = np.argsort(stay_code, kind="stable")
        stay_code, lo, hi, best = stay_code[order], lo[order], hi[order], best[order]
    at = np.searchsorted(stay_code, code)
    found = at < len(stay_code)
    found[found] = stay_code[at[found]] == code[found]
    del stay_code
    np.maximum.at(best, at[found], jac[found])  # codes are distinct: one update a staying edge at most
    code, jac, at = code[~found], jac[~found], at[~found]
    if len(code):  # each insert is a copy: one array at a time, none when nothing is placed
        lo = np.insert(lo, at, code // n)
        hi = np.insert(hi, at, code % n)
        best = np.insert(best, at, jac)
    return lo.astype(np.int32, copy=False), hi.astype(np.int32, copy=False), best


class MergeQueue:
    """The average linkage's queue of entries (-mean, a, b), smallest first: the strong edges' entries
    (-jaccard, lo, hi), kept as the edges' arrays and the strong ones' positions sorted once (4 bytes an
    edge; made into keys QUEUE_CHUNK at a time), merged with a heap of the entries pushed later. `pop`
    returns the smaller of the two heads, so entries come out in the order one heap of them all gives
    (equal entries are equal tuples). Each entry is kept as one integer key in the tuples' order
    (`pack`: about 48 bytes where a tuple of a float and two ints takes about 160); the ids are
    non-negative and below 2**bits."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray, jac: np.ndarray) -> None:
        strong = np.flatnonzero(jac >= STORY_SIMILARITY)
        order = np.lexsort((hi[strong], lo[strong], -jac[strong]))
        self.order = strong[order].astype(np.int32 if len(jac) < 1 << 31 else np.int64)
        del strong, order
        self.lo, self.hi, self.jac = lo, hi, jac
        self.bits = max(1, int(max(lo.max(initial=0), hi.max(initial=0))).bit_length())
        self.at = 0  # entries of the arrays already made into keys
        self.chunk: list[int] = []  # the next ones' keys, reversed (popped from the end)
        self.heap: list[int] = []

    def __bool__(self) -> bool:
        return bool(self.chunk or self.heap or self.at < len(self.order))

    def pack(self, entry: tuple[float, int, int]) -> int:
        """The entry's key: keys compare as the entries do (ids below 2**bits; no NaN, and -0.0 < 0.0)."""
        neg, a, b = entry
        return (_float_key(neg) << 2 * self.bits) | (a << self.bits) | b

    def unpack(self, key: int) -> tuple[float, int, int]:
        mask = (1 << self.bits) - 1
        return _key_float(key >> 2 * self.bits), (key >> self.bits) & mask, key & mask

    def push(self, entry: tuple[float, int, int]) -> None:
        if entry[1] >> self.bits or entry[2] >> self.bits:
            raise ValueError(f"merge queue entry {entry!r}: ids of more than {self.bits} bits")
        heapq.heappush(self.heap, self.pack(entry))

    def pop(self) -> tuple[float, int, int]:
        if not self.chunk and self.at < len(self.order):
            k = self.order[self.at : self.at + QUEUE_CHUNK]
            shift, bits = 2 * self.bits, self.bits
            neg = _float_keys(-self.jac[k].astype(np.float64)).tolist()
            self.chunk = [
                (h << shift) | (a << bits) | b
                for h, a, b in zip(neg, self.lo[k].tolist(), self.hi[k].tolist(), strict=True)
            ]
            self.chunk.reverse()
            self.at += len(self.chunk)
        if self.chunk and not (self.heap and self.heap[0] < self.chunk[-1]):
            return self.unpack(self.chunk.pop())
        return self.unpack(heapq.heappop(self.heap))


_DOUBLE = struct.Struct("<d")
_SIGN = 1 << 63
_ALL = (1 << 64) - 1


def _float_key(x: float) -> int:
    """A 64-bit unsigned integer in the order of the floats (`_float_keys` of one; `_key_float` inverts it)."""
    u = int.from_bytes(_DOUBLE.pack(x), "little")
    return u ^ _ALL if u & _SIGN else u | _SIGN


def _key_float(key: int) -> float:
    return _DOUBLE.unpack((key ^ _SIGN if key & _SIGN else key ^ _ALL).to_bytes(8, "little"))[0]


def _float_keys(x: np.ndarray) -> np.ndarray:
    """Each float64's bits as uint64 in the floats' order: a negative one's bits all flipped, a positive
    one's sign bit set (so -0.0 comes before 0.0; not for NaN)."""
    u = x.view(np.uint64)
    return np.where(u >> np.uint64(63), ~u, u | np.uint64(_SIGN))


class SumRow:
    """A group's partner sums, compact: partner ids (sorted, `array` of int32, or int64 for ids of 2**31 and
    over) and their sums (`array` of float64), 12 bytes an entry where a dict of floats takes about 100,
    with a small dict of the changes made since (`changes`: a new sum, or None for a partner gone), which
    other groups' merges write (the sum with the group that grew, the one it absorbed gone). Made again
    from a dict when the group itself merges (`of`), or when the changes reach half its entries."""

    __slots__ = ("ids", "sums", "changes")

    def __init__(self, ids: array, sums: array) -> None:
        self.ids, self.sums = ids, sums
        self.changes: dict[int, float | None] | None = None

    @classmethod
    def of(cls, partners: dict[int, float]) -> SumRow:
        keys = sorted(partners)
        code = "i" if not keys or (keys[-1] < 1 << 31 and keys[0] >= -(1 << 31)) else "q"
        return cls(array(code, keys), array("d", map(partners.__getitem__, keys)))

    def __len__(self) -> int:
        return len(self.ids) + (len(self.changes) if self.changes else 0)

    def get(self, z: int) -> float | None:
        """The sum with partner `z` (None: no edge)."""
        if self.changes and z in self.changes:
            return self.changes[z]
        k = bisect_left(self.ids, z)
        return self.sums[k] if k < len(self.ids) and self.ids[k] == z else None

    def put(self, z: int, total: float | None) -> None:
        """The sum with partner `z` is `total` from now on (None: `z` is no partner any more)."""
        if self.changes is None:
            self.changes = {}
        self.changes[z] = total
        if len(self.changes) > 8 + len(self.ids) // 2:
            self.compact()

    def moved(self, drop: int, keep: int, total: float) -> None:
        """Partner `drop` merged into partner `keep`, whose sum with this group is now `total`."""
        if self.changes is None:
            self.changes = {}
        self.changes[drop] = None
        self.changes[keep] = total
        if len(self.changes) > 8 + len(self.ids) // 2:
            self.compact()

    def compact(self) -> None:
        """The changes written into the arrays."""
        fresh = SumRow.of(self.as_dict())
        self.ids, self.sums, self.changes = fresh.ids, fresh.sums, None

    def as_dict(self) -> dict[int, float]:
        """The partners and their sums as a new dict (the one the row stands for)."""
        out = dict(zip(self.ids, self.sums, strict=True))
        for z, total in (self.changes or {}).items():
            if total is None:
                out.pop(z, None)
            else:
                out[z] = total
        return out


class _Graph:
    """The average linkage's graph, compact: the edges stay in their arrays (lo < hi, sorted; each end
    also as its node's row, int32), a node's edges found by offsets (as `lo` by `start_lo`, as `hi`
    through `by_hi`), and only the groups that have merged get a dict of their partners' sums (`sums`).
    A node that has not merged reads its partners from the arrays: a partner that has since merged into a
    group (`in_group`) is read through that group (`merged`), whose row holds the sum with this node; so
    no row is made for the nodes that stay alone, and a node's row is made when it first merges. A group's
    sums are kept in a compact `SumRow` (12 bytes an entry), made into a dict only while it merges. The
    order of a dict's entries decides nothing (each sum is kept apart, and the raised partners are queued
    sorted)."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray, jac: np.ndarray) -> None:
        self.nodes = np.unique(np.concatenate([lo, hi])) if len(lo) else np.zeros(0, np.int64)
        n = len(self.nodes)
        self.objs = np.array(self.nodes.tolist() + [None], dtype=object)[:-1]  # a 1-d array of ints
        self.row_lo = np.searchsorted(self.nodes, lo).astype(np.int32)
        self.row_hi = np.searchsorted(self.nodes, hi).astype(np.int32)
        self.jac = jac
        self.start_lo = _offsets(_counts(self.row_lo, n))
        by_hi, self.start_hi = _grouped(self.row_hi, n)
        self.by_hi = np.arange(len(hi), dtype=np.int32) if by_hi is None else by_hi
        self.in_group = np.zeros(n, dtype=bool)
        self.sums: dict[int, SumRow] = {}
        self.merged: dict[int, int] = {}

    def group(self, x: int) -> int:
        while x in self.merged:
            x = self.merged[x]
        return x

    def joined(self, x: int) -> None:
        """`x` is in a group from now on (it merged, kept or dropped)."""
        self.in_group[int(self.nodes.searchsorted(np.asarray(x, dtype=self.nodes.dtype)))] = True

    def partners(self, x: int) -> dict[int, float]:
        """The current partners of `x` (alive) with their summed similarity: its dict, or (a node that
        has not merged) made from its original edges."""
        have = self.sums.get(x)
        if have is not None:
            return have.as_dict()
        row = int(self.nodes.searchsorted(np.asarray(x, dtype=self.nodes.dtype)))
        edges = self.by_hi[int(self.start_hi[row]) : int(self.start_hi[row + 1])]
        rows = np.concatenate([self.row_hi[int(self.start_lo[row]) : int(self.start_lo[row + 1])], self.row_lo[edges]])
        weight = np.concatenate([self.jac[int(self.start_lo[row]) : int(self.start_lo[row + 1])], self.jac[edges]])
        joined = self.in_group[rows]
        out = dict(zip(self.objs[rows[~joined]].tolist(), weight[~joined].tolist(), strict=True))
        for z in self.objs[rows[joined]].tolist():  # in a group now: the group holds the sum with x
            g = self.group(z)
            out[g] = self.sums[g].get(x)
        return out

    def linked(self, a: int, b: int, neg: float) -> float | None:
        """The summed similarity of alive `a` and `b` (None: no edge). Two nodes that have not merged
        are linked only by an original edge, whose entry is the one popped (only groups' entries are
        pushed): its similarity is the entry's."""
        have = self.sums.get(a)
        if have is None:
            have = self.sums.get(b)
            if have is None:
                return -neg
            return have.get(a)
        return have.get(b)


def _absorb(graph: _Graph, keep: int, drop: int) -> tuple[SumRow | dict[int, float], list[int]]:
    """Group `drop` merges into group `keep`: drop's partner sums are added to keep's (and each partner that
    is a group sees keep's new sum in place of drop's). Returns keep's partner sums (`get` gives each) and
    the partners whose sum grew (drop's), which need a fresh heap entry. Keep's sums are a dict while they
    merge, made into a row again after; a hub's row (four times drop's partners and more) takes drop's sums
    as changes instead, so a hub's row is not copied at each merge it makes."""
    sums = graph.sums
    row = sums.get(keep)
    theirs = graph.partners(drop)
    if row is not None and len(row.ids) > 4 * len(theirs) + 32:
        sums.pop(drop, None)
        return row, _absorb_into_row(graph, row, keep, drop, theirs)
    mine = graph.partners(keep)
    sums.pop(drop, None)
    raised = []
    for z, s in theirs.items():
        if z == keep:
            continue
        total = mine[z] = mine.get(z, 0.0) + s
        other = sums.get(z)  # z's own row, where z is a group
        if other is not None:
            other.moved(drop, keep, total)
        raised.append(z)
    mine.pop(drop, None)
    if keep not in sums:
        graph.joined(keep)
    graph.joined(drop)
    sums[keep] = SumRow.of(mine)
    graph.merged[drop] = keep
    return mine, raised


def _absorb_into_row(graph: _Graph, mine: SumRow, keep: int, drop: int, theirs: dict[int, float]) -> list[int]:
    """`_absorb` where keep (a group already) has a row much larger than drop's partners: the same sums,
    written into keep's row as changes."""
    sums = graph.sums
    raised = []
    for z, s in theirs.items():
        if z == keep:
            continue
        have = mine.get(z)
        total = s if have is None else have + s  # mine.get(z, 0.0) + s
        mine.put(z, total)
        other = sums.get(z)
        if other is not None:
            other.moved(drop, keep, total)
        raised.append(z)
    if mine.get(drop) is not None:
        mine.put(drop, None)
    graph.joined(drop)
    graph.merged[drop] = keep
    return raised


def _average_linkage(lo: np.ndarray, hi: np.ndarray, jac: np.ndarray) -> dict[int, int]:
    """Average-linkage clustering of the representatives over the sparse graph of their best Jaccard
    similarities (edges lo < hi, sorted): groups merge, best first, while their mean similarity stays at
    or above STORY_SIMILARITY. Returns the merged representatives, each with the one it merged into (the
    smaller); a cluster is named by its smallest representative.

    The heap is lazy: when a group grows, only the pairs whose sum grew (the absorbed group's neighbours)
    get a fresh entry; the others' means can only fall, so their old entries are upper bounds, and one is
    queued again with its current mean when it reaches the top. The entry taken is still the largest
    mean (smallest pair on ties), so the merges are those of recomputing every neighbour at each merge,
    without the work that made a growing hub's merges quadratic.

    Only entries at or above STORY_SIMILARITY are queued: once the largest entry is below it the loop
    ends, and a pair's mean can rise above its old entry only in a merge, which queues a fresh one; so
    the weak edges (most of a large component's) are sums only. The strong edges' first entries wait in
    sorted arrays (`MergeQueue`), the edges in CSR arrays, and only the groups formed get a dict of
    their partners' sums (`_Graph`): each sum is the one a dict a node would hold, added in the same order."""
    graph = _Graph(lo, hi, jac)
    heap = MergeQueue(lo, hi, jac)
    merged = graph.merged
    size: dict[int, int] = {}  # representatives a cluster holds (absent: 1)
    while heap:
        neg, a, b = heap.pop()
        if a in merged or b in merged:
            continue
        total = graph.linked(a, b, neg)
        if total is None:
            continue
        na, nb = size.get(a, 1), size.get(b, 1)
        avg = total / (na * nb)
        if -neg - avg > 1e-12:  # the pair's mean fell since the entry (a group grew): queue it again
            if avg >= STORY_SIMILARITY:
                heap.push((-avg, a, b))
            continue
        if avg + neg > 1e-12:
            continue  # stale: a fresher entry holds the pair's larger mean
        if avg < STORY_SIMILARITY:
            break
        keep, drop = min(a, b), max(a, b)
        mine, raised = _absorb(graph, keep, drop)
        size[keep] = na + nb
        size.pop(drop, None)
        for z in sorted(raised):
            mean = mine.get(z) / (size[keep] * size.get(z, 1))
            if mean >= STORY_SIMILARITY:
                heap.push((-mean, min(keep, z), max(keep, z)))
    return merged


def _components(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The connected components of a graph given by its edges: its nodes (sorted) and each node's
    component, named by its smallest node; labels propagated along the edges and shortened by pointer
    jumping until they settle, all in numpy."""
    nodes, at = np.unique(np.concatenate([lo, hi]), return_inverse=True)
    a, b = at[: len(lo)], at[len(lo) :]
    label = np.arange(len(nodes))
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = _roots(new)
        if np.array_equal(new, label):
            return nodes, nodes[label]
        label = new


def _cluster(edges: list[np.ndarray]) -> dict[int, int]:
    """`_average_linkage` of the edges' arrays [lo, hi, jac] (a list that this empties, so that the arrays
    are freed here), decided a part at a time. Two groups merge only when their mean similarity
    reaches STORY_SIMILARITY, and a mean is at most the largest of its terms, so a merge needs an edge at
    or above STORY_SIMILARITY between them: every cluster lies within one connected component of the
    graph of those strong edges. Each component is clustered alone, with the edges (weak ones too) that
    have both ends in it; edges between components cannot take part in a merge, and within a component
    the merges and the sums come in the same order as in one pass over the whole graph, so the result is
    the same, in whatever order the components come. A component of one edge (two representatives, so a
    strong edge) merges without a heap. The components' edges are taken out of the whole graph's arrays
    (`_taken_apart`), which are freed, and the largest component is clustered first, before the others'
    dicts and queues leave Python's arenas in pieces (on rss-dev's 137,302 entries it holds 1.6 of 2.2
    million edges)."""
    lo, hi, jac = edges
    edges.clear()
    strong = jac >= STORY_SIMILARITY
    nodes, label = _components(lo[strong], hi[strong])
    del strong
    comp = _edge_components(nodes, label, lo, hi)  # 0: not inside a component; else its smallest node + 1
    order, start = _grouped(comp, int(comp.max(initial=0)) + 1)
    del comp
    if order is None:
        order = np.arange(len(lo), dtype=np.int32)
    size = np.diff(start)
    size[0] = 0  # the edges between components take part in no merge
    single = order[start[:-1][size == 1]]
    merged = dict(zip(hi[single].tolist(), lo[single].tolist(), strict=True))
    del single
    largest, rest, rest_start = _taken_apart(order, start, size, [lo, hi, jac])
    del lo, hi, jac, order, start
    trim_memory(collect=False)  # the whole graph's arrays go back: only the parts' edges are held
    if largest:
        merged.update(_average_linkage(*largest))
        largest.clear()
    for a, b in zip(rest_start[:-1].tolist(), rest_start[1:].tolist(), strict=True):
        if b - a > LARGE_PART:
            trim_memory(collect=False)  # what the parts before freed goes back before a large one's dicts
        merged.update(_average_linkage(rest[0][a:b], rest[1][a:b], rest[2][a:b]))
    return merged


def _taken_apart(
    order: np.ndarray, start: np.ndarray, size: np.ndarray, arrays: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """The edges of the parts of two edges or more (part v's: positions order[start[v] : start[v + 1]],
    `size[v]` of them; 0 for no part), taken out of the edges' `arrays`: the largest part's as its own
    arrays, the others' concatenated part after part (each in position order), with where each starts."""
    parts = np.flatnonzero(size > 1)
    if not len(parts):
        return [], [a[:0] for a in arrays], np.zeros(1, dtype=np.int64)
    last = int(parts[np.argmax(size[parts])])
    largest = [a[order[start[last] : start[last + 1]]] for a in arrays]
    others = parts[parts != last]
    take = order[_spans(start[others], size[others])]
    return largest, [a[take] for a in arrays], _offsets(size[others])


def _edge_components(nodes: np.ndarray, label: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each edge, 1 + the component (its smallest node) that holds both its ends, or 0 (an end
    without a strong edge, or ends in two components); int32, worked out a block of edges at a time."""
    out = np.zeros(len(lo), dtype=np.int32)
    if not len(nodes):
        return out
    for k in range(0, len(lo), 1 << 18):
        a, b = lo[k : k + (1 << 18)], hi[k : k + (1 << 18)]
        at_a = np.minimum(np.searchsorted(nodes, a), len(nodes) - 1)
        at_b = np.minimum(np.searchsorted(nodes, b), len(nodes) - 1)
        inside = (nodes[at_a] == a) & (nodes[at_b] == b) & (label[at_a] == label[at_b])
        out[k : k + len(a)] = np.where(inside, label[at_a] + 1, 0)
    return out


def _story_id(doc_id: str) -> str:
    return "s" + hashlib.blake2b(doc_id.encode("utf-8"), digest_size=4).hexdigest()


def assign_stories(terms: Mapping[str, StorySketch]) -> dict[str, str]:
    """doc_id -> story id (`s` + a short hash of the story's smallest document id), for every document.

    Memory: the signatures go to a file in the run's spill folder (`SignatureRows`, read a band or a
    row group at a time); the band candidates are compared a batch at a time and their ends spilled to
    files by range of documents (`BestPartners`), so no step holds every candidate pair; the term ids
    (4 bytes a term), each document's best-agreeing partners (at most 2 * MAX_NEIGHBOURS, 10 bytes each,
    then their exact similarities), the closest pairs (at most MAX_NEIGHBOURS a document, 16 bytes each)
    and the clustering's graph (its edges in arrays, and a compact row of partner sums a group formed,
    `_Graph`, `SumRow`) are held; each phase's arrays are freed and handed back (`trim_memory`) before
    the next one's are made. It grows linearly with the corpus (about 1.3 KB an entry at its peak on
    rss-dev's 137,302 short entries, 178-183 MB, set by the average linkage): not bounded by
    `--memory`. The result is the one dict a document the engine asks for."""
    pairs = _candidate_pairs(terms)
    rep = _near_copies(pairs)
    trim_memory(collect=False)
    edges = list(_between(pairs, rep))
    ids = pairs.ids
    del pairs
    trim_memory(collect=False)  # the candidates' freed arrays go back before the clustering's dicts are made
    merged = _cluster(edges)

    def cluster(r: int) -> int:
        while r in merged:
            r = merged[r]
        return r

    out: dict[str, str] = {}
    names: dict[int, str] = {}
    for k, doc_id in enumerate(ids):
        key = cluster(int(rep[k]))
        name = names.get(key)
        if name is None:
            name = names[key] = _story_id(ids[key])
        out[doc_id] = name
    names.clear()
    for doc_id in terms:  # documents without story terms: a story each
        if doc_id not in out:
            out[doc_id] = _story_id(doc_id)
    merged.clear()
    del rep, ids
    trim_memory(collect=False)  # what the clustering freed goes back: the checks after stand on the result alone
    return out
