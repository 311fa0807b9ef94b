"""Quote drift: one speaker quoted across the corpus with the same sense in different words.

Per document (extract): each quotation of at least five words, with the name-like words of the line
it sits in (the candidate speakers). Across the corpus (decide): quotations are blocked by speaker;
a quotation is re-translated when at least two other documents quote that speaker near-verbatim
(and agree with each other) while this one shares much of their content but not their wording.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import zlib
from array import array
from collections.abc import Iterator, Mapping
from contextlib import ExitStack

import numpy as np
from rapidfuzz import fuzz, process

from audit.corpus.mentions import is_name_token
from audit.lexicon.translit import tnorm
from audit.memory import budget_bytes, memo, work_dir
from audit.records import Hit
from audit.registry import GroupHit, corpus_check, merge_group_hits
from audit.text import TextView, cut_words, word_count, words

MESSAGE_QUOTE_CUT = 80  # characters of the other quotation that a finding's message quotes (cut at a word)

_QUOTE = re.compile(r"“([^“”\n]{10,600})”|\"([^\"\n]{10,600})\"|«([^«»\n]{10,600})»")
_STOP = frozenset(
    "the a an and or of to in on for at by with from as is are was were be been it its this that these those "
    "he she they we i you his her their our not no but all any".split()
)
MIN_QUOTE_WORDS = 5
VERBATIM = 80.0  # token-set ratio at and above which two quotations are the same words
MIN_SHARED_CONTENT = 0.2  # Jaccard of content stems for "the same sense"
MAX_SPEAKER_QUOTES = 200  # a name quoted more often is a title or a place, not one speaker's words


Quote = tuple[int, int, str, tuple[str, ...]]  # start, end, the quotation, the candidate speakers


@memo(16_384)
def _stems(s: str) -> tuple[str, ...]:
    """A quotation's distinct content stems, sorted (remembered: one quotation is compared under each of
    its speakers). A registered memo (`audit.memory.memo`), emptied after the corpus pass, of tuples of
    interned stems (~140 bytes a quotation; a frozenset of its own strings took ~1.4 KB): as a bare
    lru_cache of 65,536 frozensets it kept up to ~90 MB for the rest of the run."""
    return tuple(sorted({sys.intern(w.lower()[:4]) for w in words(s) if w.lower() not in _STOP and len(w) > 2}))


def _quotes(view: TextView) -> list[Quote]:
    """Each quotation of at least MIN_QUOTE_WORDS words, with the name-like words of its line (the candidate
    speakers; looked for only in a line with such a quotation). A line without a quotation mark that opens
    a `_QUOTE` is not searched."""
    out: list[Quote] = []
    if not _has_quote_mark(view.text):
        return out
    for line in view.body:
        if not _has_quote_mark(line.text):
            continue
        quotes = [
            (m.start(g), m.end(g), m.group(g)) for m in _QUOTE.finditer(line.text) for g in (1, 2, 3) if m.group(g)
        ]
        quotes = [(s, e, q) for s, e, q in quotes if word_count(q) >= MIN_QUOTE_WORDS]
        if not quotes:
            continue
        speakers = tuple(
            sorted({sys.intern(tnorm(w)) for w in words(line.text) if w[:1].isupper() and is_name_token(w, False)})
        )
        if speakers:
            out.extend((line.start + s, line.start + e, q, speakers) for s, e, q in quotes)
    return out


def _has_quote_mark(s: str) -> bool:
    """Whether `s` holds a mark that opens one of `_QUOTE`'s quotations."""
    return '"' in s or "“" in s or "«" in s


@corpus_check("MT009", "mt", "warning", label="quotation worded differently elsewhere")
class QuoteDrift:
    """A quotation re-translated: other sources quote the same speaker near-verbatim in other words.

    Needs two documents that agree word for word; the drifting quotation shares at least a fifth of
    their content words. Information only: the message quotes the wording the other sources use, and
    there is no suggestion, because a quotation is never rewritten (the speaker's words may be either).
    """

    @staticmethod
    def extract(view: TextView) -> list[Quote]:
        return _quotes(view)

    # The decision is made speaker by speaker (`decide_group`, a block of one speaker's quotations), then
    # reduced: the alphabetically first speaker whose block flags a quotation gives its message. `decide`
    # builds the blocks from an index of the whole corpus; the Dask engine groups `split`'s entries by
    # speaker on the workers.

    @staticmethod
    def decide(summaries: Mapping[str, list[Quote]]) -> dict[str, list[Hit]]:
        ids = list(summaries)
        order = np.asarray(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int32)  # id order
        with _Entries(budget_bytes() // 32) as entries:
            rank_of = np.empty(len(ids), dtype=np.int32)
            rank_of[order] = np.arange(len(ids), dtype=np.int32)
            for i, quotes in enumerate(summaries.values()):  # streams, in the order of `ids`
                for j, (_, _, _, speakers) in enumerate(quotes):
                    for sp in speakers:
                        entries.add(sp, int(rank_of[i]), j)
            del rank_of
            return merge_group_hits(_decided_blocks(entries, summaries, ids, order))

    @staticmethod
    def split(doc_id: str, quotes: list[Quote]) -> Iterator[tuple[str, Entry]]:
        """Each quotation under each of its candidate speakers: (document id, place, start, end, words)."""
        for j, (s, e, q, speakers) in enumerate(quotes):
            for sp in speakers:
                yield sp, (doc_id, j, s, e, q)

    @staticmethod
    def decide_group(speaker: str, entries: list[Entry]) -> Iterator[GroupHit]:
        """One speaker's block: its quotations re-translated (a speaker quoted in fewer than three
        documents, or more than MAX_SPEAKER_QUOTES times, is skipped), preferred by the speaker's name."""
        entries = sorted(entries, key=lambda x: (x[0], x[1]))  # by document id, then place
        doc = np.unique(np.asarray([x[0] for x in entries], dtype=object), return_inverse=True)[1]
        if not _worth_comparing(doc):
            return
        for i, other in _drifting(doc, [x[4] for x in entries]).items():
            doc_id, j, s, e, _ = entries[i]
            message = (
                f"quotation re-translated: other sources quote this speaker as “{cut_words(other, MESSAGE_QUOTE_CUT)}”"
            )
            yield doc_id, j, speaker, Hit(s, e, message, None)


Entry = tuple[str, int, int, int, str]  # a quotation under one speaker: document id, place, start, end, words


def _decided_blocks(
    entries: _Entries, summaries: Mapping[str, list[Quote]], ids: list[str], order: np.ndarray
) -> Iterator[GroupHit]:
    """Every speaker block's hits (`QuoteDrift.decide_group`), the blocks read from `entries`; the
    document of rank `r` (in id order) is `ids[order[r]]`. A block of the same quotations as one already decided in
    its part (a quotation's "Antonio" and "Guterres") is not decided again: the first, alphabetically,
    is the one preferred."""
    for part in entries.parts():
        seen: set[bytes] = set()
        for speaker, rank, k in _speaker_blocks(*part):
            key = hashlib.blake2b(rank.tobytes() + k.tobytes(), digest_size=16).digest()
            if key in seen:
                continue
            seen.add(key)
            block = []
            for r, j in zip(rank.tolist(), k.tolist(), strict=True):
                doc_id = ids[order[r]]
                s, e, q, _ = summaries[doc_id][j]
                block.append((doc_id, j, s, e, q))
            yield from QuoteDrift.decide_group(speaker, block)


class _Entries:
    """The (speaker, document rank, quotation place) triples of a corpus: in memory (12 bytes each, about
    40 while they are sorted, and the speakers' names) while they fit `limit` bytes, then in PARTS files
    on disk, by a hash of the speaker, so that each part holds about 1/PARTS of them and is decided on
    its own."""

    PARTS = 64
    CHECK = 4096  # triples added between two looks at the memory they take

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.names: dict[str, int] = {}
        self.spk, self.doc, self.place = array("i"), array("i"), array("i")
        self.folder: str | None = None
        self._stack = ExitStack()  # the work folder, once the triples go to disk; deleted on exit

    def __enter__(self) -> _Entries:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def add(self, speaker: str, rank: int, place: int) -> None:
        self.spk.append(self.names.setdefault(speaker, len(self.names)))
        self.doc.append(rank)
        self.place.append(place)
        if len(self.spk) % self.CHECK == 0 and 40 * len(self.spk) + 150 * len(self.names) > self.limit:
            self._spill()

    def _spill(self) -> None:
        """Append the triples in memory to the part files and forget them."""
        if self.folder is None:
            self.folder = self._stack.enter_context(work_dir("quotes-"))
        names = list(self.names)
        part_of = np.array([zlib.crc32(n.encode("utf-8")) % self.PARTS for n in names], dtype=np.int32)
        spk = np.frombuffer(self.spk, dtype=np.int32)
        doc, place = np.frombuffer(self.doc, dtype=np.int32), np.frombuffer(self.place, dtype=np.int32)
        for p in np.unique(part_of[spk]).tolist():
            mine = part_of[spk] == p
            local, back = np.unique(spk[mine], return_inverse=True)
            chunk = ([names[x] for x in local.tolist()], back.astype(np.int32), doc[mine], place[mine])
            with open(os.path.join(self.folder, f"part-{p:03d}.pkl"), "ab") as f:
                pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.names = {}
        self.spk, self.doc, self.place = array("i"), array("i"), array("i")

    def parts(self) -> Iterator[tuple[list[str], np.ndarray, np.ndarray, np.ndarray]]:
        """(speakers' names, speaker, document rank, place) arrays, one part at a time."""
        if self.folder is None:
            names = sorted(self.names, key=self.names.__getitem__)
            arrays = (np.frombuffer(a, dtype=np.int32) for a in (self.spk, self.doc, self.place))
            yield (names, *arrays)
            return
        if len(self.spk):
            self._spill()
        for p in range(self.PARTS):
            path = os.path.join(self.folder, f"part-{p:03d}.pkl")
            if os.path.exists(path):
                yield _read_part(path)
                os.unlink(path)


def _read_part(path: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    names: dict[str, int] = {}
    spk, doc, place = [], [], []
    with open(path, "rb") as f:
        while True:
            try:
                chunk_names, s, d, p = pickle.load(f)
            except EOFError:
                break
            remap = np.array([names.setdefault(n, len(names)) for n in chunk_names], dtype=np.int32)
            spk.append(remap[s])
            doc.append(d)
            place.append(p)
    return list(names), np.concatenate(spk), np.concatenate(doc), np.concatenate(place)


def _speaker_blocks(
    names: list[str], spk: np.ndarray, doc: np.ndarray, place: np.ndarray
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Each speaker's quotations worth comparing, speakers in alphabetical order: (the speaker, the
    documents' ranks in id order, the quotations' places in their documents), sorted. A speaker quoted
    in fewer than three documents, or more than MAX_SPEAKER_QUOTES times, is skipped."""
    alpha = np.empty(len(names), dtype=np.int32)
    by_name = np.asarray(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    alpha[by_name] = np.arange(len(names), dtype=np.int32)
    s = alpha[spk]
    by = np.lexsort((place, doc, s))
    s, d, p = s[by], doc[by], place[by]
    bounds = np.flatnonzero(np.r_[True, s[1:] != s[:-1], True])
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if not _worth_comparing(d[a:b]):
            continue
        yield names[int(by_name[s[a]])], d[a:b], p[a:b]


def _worth_comparing(doc: np.ndarray) -> bool:
    """Whether a speaker's block (its quotations' documents) is compared: quoted in at least three
    documents and at most MAX_SPEAKER_QUOTES times."""
    return len(doc) <= MAX_SPEAKER_QUOTES and len(np.unique(doc)) >= 3


def _drifting(doc: np.ndarray, texts: list[str]) -> dict[int, str]:
    """One speaker's block: the quotations re-translated (by their place in the block), each with the
    smallest wording of the agreeing quotations. Same words (token-set ratio >= VERBATIM, a symmetric
    score) are scored with rapidfuzz in at most two calls, only for the rows needed: the quotations with
    two similar ones elsewhere, then those similar ones, each distinct wording once (`_distinct`: one
    page's quotation under several extractors, or one agency's story in many papers); memory is at most
    MAX_SPEAKER_QUOTES squared booleans."""
    n = len(texts)
    elsewhere = doc[:, None] != doc[None, :]
    columns, column_of = _distinct(texts)
    similar = _similar_content(columns)[np.ix_(column_of, column_of)] & elsewhere
    cand = np.flatnonzero(similar.sum(axis=1) >= 2)
    if not len(cand):
        return {}
    same = np.zeros((n, n), dtype=bool)
    scored = np.zeros(n, dtype=bool)

    def score(rows: np.ndarray) -> None:
        rows = rows[~scored[rows]]
        if len(rows):
            wordings, wording_of = _distinct([texts[i] for i in rows.tolist()])
            found = process.cdist(
                wordings,
                columns,
                scorer=fuzz.token_set_ratio,
                score_cutoff=VERBATIM,
                dtype=np.float64,
                workers=1,
            )
            same[rows] = (found >= VERBATIM)[np.ix_(wording_of, column_of)]
            scored[rows] = True

    score(cand)
    cand = cand[~(same[cand] & elsewhere[cand]).any(axis=1)]  # quoted word for word elsewhere: no drift
    score(np.flatnonzero(similar[cand].any(axis=0)))
    out: dict[int, str] = {}
    for i in cand.tolist():
        sim = np.flatnonzero(similar[i])
        grid = np.ix_(sim, sim)
        agreeing = sim[(same[grid] & elsewhere[grid]).any(axis=1)]
        if len(np.unique(doc[agreeing])) >= 2:
            out[i] = min(texts[a] for a in agreeing.tolist())
    return out


def _distinct(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts, in order of first appearance, and each text's place among them: a pair's score
    depends on its two texts alone, so a block scores each pair of distinct wordings once (on bench/e2e.py's
    614 pages, 6,955 of the 134,616 pairs MT009 scored)."""
    place: dict[str, int] = {}
    of = np.fromiter((place.setdefault(t, len(place)) for t in texts), dtype=np.intp, count=len(texts))
    return list(place), of


def _similar_content(texts: list[str]) -> np.ndarray:
    """Which quotations share at least MIN_SHARED_CONTENT of their content stems (Jaccard), pairwise."""
    stems = [_stems(t) for t in texts]
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, st in enumerate(stems):
        for w in st:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    shared = _shared_counts(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), len(texts))
    sizes = np.diag(shared)
    union = sizes[:, None] + sizes[None, :] - shared
    return (shared > 0) & (shared / np.maximum(union, 1) >= MIN_SHARED_CONTENT)


def _shared_counts(rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """The n x n counts of stems two quotations share (`member @ member.T` of their 0/1 membership
    matrix, diagonal: each one's number of stems), from the (quotation, stem) entries: every pair of
    entries of one stem counted once. Work grows with the sum of each stem's squared frequency, not
    with n squared times the vocabulary (numpy multiplies integer matrices without BLAS: that product
    was most of MT009's time)."""
    order = np.argsort(cols, kind="stable")
    r, c = rows[order], cols[order]
    start = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.zeros(0, dtype=np.int64)
    size = np.diff(np.r_[start, len(c)])
    first = np.repeat(start, size)  # each entry's stem's first entry
    width = np.repeat(size, size)  # and its number of entries
    left = np.repeat(np.arange(len(c)), width)
    right = np.repeat(first, width) + (np.arange(len(left)) - np.repeat(np.cumsum(width) - width, width))
    return np.bincount(r[left] * n + r[right], minlength=n * n).reshape(n, n)
