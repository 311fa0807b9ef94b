"""Quote drift: one speaker quoted across the corpus with the same sense in different words.

Per document (extract): each quotation of at least five words, with the name-like words of the line
it sits in (the candidate speakers). Across the corpus (decide): quotations are blocked by speaker;
a quotation is re-translated when at least two other documents quote that speaker near-verbatim
(and agree with each other) while this one shares much of their content but not their wording.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import fuzz

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


def _stems(s: str) -> frozenset[str]:
    return frozenset(w.lower()[:4] for w in words(s) if w.lower() not in _STOP and len(w) > 2)


def _quotes(view: TextView) -> list[tuple[int, int, str, tuple[str, ...]]]:
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
    def extract(view: TextView) -> list[tuple[int, int, str, tuple[str, ...]]]:
        return _quotes(view)

    @staticmethod
    def decide(summaries: Mapping[str, list[tuple[int, int, str, tuple[str, ...]]]]) -> dict[str, list[Hit]]:
        by_speaker: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc_id in sorted(summaries):
            for k, (_, _, _, speakers) in enumerate(summaries[doc_id]):
                for sp in speakers:
                    by_speaker[sp].append((doc_id, k))
        flagged: dict[tuple[str, int], str] = {}
        stems: dict[tuple[str, int], frozenset[str]] = {}
        verbatim_memo: dict[tuple[tuple[str, int], tuple[str, int]], bool] = {}

        def stems_of(item: tuple[str, int]) -> frozenset[str]:
            if item not in stems:
                stems[item] = _stems(summaries[item[0]][item[1]][2])
            return stems[item]

        def same_words(a: tuple[str, int], b: tuple[str, int]) -> bool:
            key = (a, b) if a <= b else (b, a)
            if key not in verbatim_memo:
                qa, qb = summaries[a[0]][a[1]][2], summaries[b[0]][b[1]][2]
                verbatim_memo[key] = fuzz.token_set_ratio(qa, qb) >= VERBATIM
            return verbatim_memo[key]

        for _speaker, items in sorted(by_speaker.items()):
            if len({d for d, _ in items}) < 3 or len(items) > MAX_SPEAKER_QUOTES:
                continue
            for item in items:
                mine = stems_of(item)
                verbatim, similar = False, []
                for other in items:
                    if other[0] == item[0]:
                        continue
                    if same_words(item, other):
                        verbatim = True
                        break
                    theirs = stems_of(other)
                    if mine and theirs and len(mine & theirs) / len(mine | theirs) >= MIN_SHARED_CONTENT:
                        similar.append(other)
                if verbatim or len(similar) < 2:
                    continue
                agreeing = [a for a in similar if any(b[0] != a[0] and same_words(a, b) for b in similar)]
                if len({a[0] for a in agreeing}) >= 2:
                    flagged.setdefault(item, min(summaries[d][j][2] for d, j in agreeing))
        out: dict[str, list[Hit]] = {}
        for (doc_id, k), other in sorted(flagged.items()):
            s, e, _, _ = summaries[doc_id][k]
            out.setdefault(doc_id, []).append(
                Hit(
                    s, e, f"quotation re-translated: other sources quote this speaker as “{cut_words(other, 80)}”", None
                )
            )
        return out
