"""Quote drift: one speaker quoted across the corpus with the same sense in different words.

Per document (extract): each quotation of at least five words, with the name-like words of the line
it sits in (the candidate speakers). Across the corpus (decide): quotations are blocked by speaker;
a quotation is re-translated when at least two other documents quote that speaker near-verbatim
(and agree with each other) while this one shares much of their content but not their wording.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections.abc import Iterator, Mapping

import numpy as np
from rapidfuzz import fuzz, process

from audit.corpus.mentions import _is_name_token
from audit.corpus.translit import tnorm
from audit.model import Hit
from audit.registry import corpus_check
from audit.text import TextView, cut_words, word_count, words

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


def _stems(s: str) -> frozenset[str]:
    return frozenset(w.lower()[:4] for w in words(s) if w.lower() not in _STOP and len(w) > 2)


def _quotes(view: TextView) -> list[Quote]:
    out = []
    for line in view.body:
        quotes = [
            (m.start(g), m.end(g), m.group(g)) for m in _QUOTE.finditer(line.text) for g in (1, 2, 3) if m.group(g)
        ]
        if not quotes:
            continue
        speakers = tuple(
            sorted({sys.intern(tnorm(w)) for w in words(line.text) if w[:1].isupper() and _is_name_token(w, False)})
        )
        for s, e, q in quotes:
            if word_count(q) >= MIN_QUOTE_WORDS and speakers:
                out.append((line.start + s, line.start + e, q, speakers))
    return out


@corpus_check("MT009", "mt", "warning", mt_signal=True)
class QuoteDrift:
    """A quotation re-translated: other sources quote the same speaker near-verbatim in other words.

    Needs two documents that agree word for word; the drifting quotation shares at least a fifth of
    their content words. Information only: the message quotes the wording the other sources use, and
    there is no suggestion, because a quotation is never rewritten (the speaker's words may be either).
    """

    @staticmethod
    def extract(view: TextView) -> list[Quote]:
        return _quotes(view)

    @staticmethod
    def decide(summaries: Mapping[str, list[Quote]]) -> dict[str, list[Hit]]:
        ids = list(summaries)
        order = sorted(range(len(ids)), key=ids.__getitem__)  # documents compared in id order
        flagged: dict[tuple[int, int], str] = {}  # (rank of the document, quotation) -> the attested wording
        seen: set[bytes] = set()  # blocks already decided (a quotation's "Antonio" and "Guterres" are one block)
        for rank, k in _speaker_blocks(summaries, ids, order):
            key = hashlib.blake2b(rank.tobytes() + k.tobytes(), digest_size=16).digest()
            if key in seen:
                continue
            seen.add(key)
            block = [(ids[order[r]], int(j)) for r, j in zip(rank.tolist(), k.tolist(), strict=True)]
            texts = [summaries[d][j][2] for d, j in block]
            for i, other in _drifting(rank, texts).items():
                flagged.setdefault((int(rank[i]), int(k[i])), other)
        out: dict[str, list[Hit]] = {}
        for (r, j), other in sorted(flagged.items()):
            doc_id = ids[order[r]]
            s, e, _, _ = summaries[doc_id][j]
            out.setdefault(doc_id, []).append(
                Hit(
                    s, e, f"quotation re-translated: other sources quote this speaker as “{cut_words(other, 80)}”", None
                )
            )
        return out


def _speaker_blocks(
    summaries: Mapping[str, list[Quote]], ids: list[str], order: list[int]
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Each speaker's quotations worth comparing, speakers in alphabetical order: (the documents' ranks in
    id order, the quotations' places in their documents), sorted. A speaker quoted in fewer than three
    documents, or more than MAX_SPEAKER_QUOTES times, is skipped. Memory holds 12 bytes a (quotation,
    speaker) pair and the speakers' names, not the quotations."""
    rank_of = np.empty(len(ids), dtype=np.int32)
    rank_of[np.asarray(order, dtype=np.int64)] = np.arange(len(ids), dtype=np.int32)
    speaker_ids: dict[str, int] = {}
    spk, doc, place = array("i"), array("i"), array("i")
    for i, quotes in enumerate(summaries.values()):  # streams, in the order of `ids`
        for j, (_, _, _, speakers) in enumerate(quotes):
            for sp in speakers:
                spk.append(speaker_ids.setdefault(sp, len(speaker_ids)))
                doc.append(int(rank_of[i]))
                place.append(j)
    del rank_of
    names = sorted(speaker_ids, key=speaker_ids.__getitem__)
    alpha = np.empty(len(names), dtype=np.int32)
    alpha[np.asarray(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)] = np.arange(len(names))
    del speaker_ids, names
    s, d, p = (np.frombuffer(a, dtype=np.int32) for a in (spk, doc, place))
    s = alpha[s]
    by = np.lexsort((p, d, s))
    s, d, p = s[by], d[by], p[by]
    bounds = np.flatnonzero(np.r_[True, s[1:] != s[:-1], True])
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if b - a > MAX_SPEAKER_QUOTES or len(np.unique(d[a:b])) < 3:
            continue
        yield d[a:b], p[a:b]


def _drifting(doc: np.ndarray, texts: list[str]) -> dict[int, str]:
    """One speaker's block: the quotations re-translated (by their place in the block), each with the
    smallest wording of the agreeing quotations. Same words (token-set ratio >= VERBATIM, a symmetric
    score) are scored with rapidfuzz in at most two calls, only for the rows needed: the quotations with
    two similar ones elsewhere, then those similar ones; memory is at most MAX_SPEAKER_QUOTES squared
    booleans."""
    n = len(texts)
    elsewhere = doc[:, None] != doc[None, :]
    similar = _similar_content(texts) & elsewhere
    cand = np.flatnonzero(similar.sum(axis=1) >= 2)
    if not len(cand):
        return {}
    same = np.zeros((n, n), dtype=bool)
    scored = np.zeros(n, dtype=bool)

    def score(rows: np.ndarray) -> None:
        rows = rows[~scored[rows]]
        if len(rows):
            found = process.cdist(
                [texts[i] for i in rows.tolist()],
                texts,
                scorer=fuzz.token_set_ratio,
                score_cutoff=VERBATIM,
                dtype=np.float64,
                workers=1,
            )
            same[rows] = found >= VERBATIM
            scored[rows] = True

    score(cand)
    cand = cand[~(same[cand] & elsewhere[cand]).any(axis=1)]  # quoted word for word elsewhere: no drift
    score(np.flatnonzero(similar[cand].any(axis=0)))
    out: dict[int, str] = {}
    for i in cand.tolist():
        sim = np.flatnonzero(similar[i])
        agreeing = sim[(same[np.ix_(sim, sim)] & elsewhere[np.ix_(sim, sim)]).any(axis=1)]
        if len(np.unique(doc[agreeing])) >= 2:
            out[i] = min(texts[a] for a in agreeing.tolist())
    return out


def _similar_content(texts: list[str]) -> np.ndarray:
    """Which quotations share at least MIN_SHARED_CONTENT of their content stems (Jaccard), pairwise."""
    stems = [_stems(t) for t in texts]
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, st in enumerate(stems):
        for w in st:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    member = np.zeros((len(texts), max(1, len(vocab))), dtype=np.int32)
    member[rows, cols] = 1
    shared = member @ member.T
    sizes = np.diag(shared)
    union = sizes[:, None] + sizes[None, :] - shared
    return (shared > 0) & (shared / np.maximum(union, 1) >= MIN_SHARED_CONTENT)
