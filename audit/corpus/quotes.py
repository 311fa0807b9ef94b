"""Quote drift: one speaker quoted across the corpus with the same sense in different words.

Per document (extract): each quotation of at least five words, with the name-like words of the line
it sits in (the candidate speakers). Across the corpus (decide): quotations are blocked by speaker;
a quotation is re-translated when at least two other documents quote that speaker near-verbatim
(and agree with each other) while this one shares much of their content but not their wording.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import fuzz

from audit.corpus.mentions import _is_name_token
from audit.corpus.translit import tnorm
from audit.model import Hit
from audit.registry import corpus_check
from audit.text import TextView, word_count, words

_QUOTE = re.compile(r"“([^“”\n]{10,600})”|\"([^\"\n]{10,600})\"|«([^«»\n]{10,600})»")
_STOP = frozenset(
    "the a an and or of to in on for at by with from as is are was were be been it its this that these those "
    "he she they we i you his her their our not no but all any".split()
)
MIN_QUOTE_WORDS = 5
VERBATIM = 80.0  # token-set ratio at and above which two quotations are the same words
MIN_SHARED_CONTENT = 0.2  # Jaccard of content stems for "the same sense"


def _stems(s: str) -> frozenset[str]:
    return frozenset(w.lower()[:4] for w in words(s) if w.lower() not in _STOP and len(w) > 2)


def _quotes(view: TextView) -> list[tuple[int, int, str, frozenset[str]]]:
    out = []
    for line in view.body:
        quotes = [
            (m.start(g), m.end(g), m.group(g)) for m in _QUOTE.finditer(line.text) for g in (1, 2, 3) if m.group(g)
        ]
        if not quotes:
            continue
        speakers = frozenset(
            tnorm(w) for w in words(line.text) if w[:1].isupper() and _is_name_token(w, sentence_start=False)
        )
        for s, e, q in quotes:
            if word_count(q) >= MIN_QUOTE_WORDS and speakers:
                out.append((line.start + s, line.start + e, q, speakers))
    return out


@corpus_check("MT009", "mt", "warning")
class QuoteDrift:
    """A quotation re-translated: other sources quote the same speaker near-verbatim in other words.

    Needs two documents that agree word for word; the drifting quotation shares at least a fifth of
    their content words. The suggestion is the wording the other sources use.
    """

    @staticmethod
    def extract(view: TextView) -> list[tuple[int, int, str, frozenset[str]]]:
        return _quotes(view)

    @staticmethod
    def decide(summaries: Mapping[str, list[tuple[int, int, str, frozenset[str]]]]) -> dict[str, list[Hit]]:
        by_speaker: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc_id in sorted(summaries):
            for k, (_, _, _, speakers) in enumerate(summaries[doc_id]):
                for sp in speakers:
                    by_speaker[sp].append((doc_id, k))
        flagged: dict[tuple[str, int], str] = {}
        for _speaker, items in sorted(by_speaker.items()):
            if len({d for d, _ in items}) < 3 or len(items) > 200:
                continue
            for doc_id, k in items:
                q = summaries[doc_id][k][2]
                stems = _stems(q)
                verbatim, similar = [], []
                for other_doc, j in items:
                    if other_doc == doc_id:
                        continue
                    oq = summaries[other_doc][j][2]
                    if fuzz.token_set_ratio(q, oq) >= VERBATIM:
                        verbatim.append(oq)
                        continue
                    os_ = _stems(oq)
                    if stems and os_ and len(stems & os_) / len(stems | os_) >= MIN_SHARED_CONTENT:
                        similar.append((other_doc, oq))
                if verbatim or len(similar) < 2:
                    continue
                agreeing = [
                    (a, qa)
                    for a, qa in similar
                    if any(b != a and fuzz.token_set_ratio(qa, qb) >= VERBATIM for b, qb in similar)
                ]
                if len({a for a, _ in agreeing}) >= 2:
                    flagged.setdefault((doc_id, k), min(qa for _, qa in agreeing))
        out: dict[str, list[Hit]] = {}
        for (doc_id, k), other in sorted(flagged.items()):
            s, e, _, _ = summaries[doc_id][k]
            out.setdefault(doc_id, []).append(
                Hit(s, e, f"quotation re-translated: other sources quote this speaker as “{other[:80]}”", other)
            )
        return out
