"""Corroboration of numeric claims within a story: information for a human, never a verdict.

Per document: figures attached to what they count (killed, injured, evacuated, population, arrested),
with their hedges ("at least 29", "nearly 30", "dozens") turned into ranges. Within a story, each claim
is compared with the same kind of claim in the other documents:

- `supported`: another document states the same figure (within 1%, whatever the hedge);
- `consistent`: another document's range overlaps (dozens / at least 29 / nearly 30);
- `divergent`: other documents count the same thing and none agrees;
- `unique`: no other document of the story reports that kind of figure.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from audit.data import trie_pattern
from audit.scan import ALL
from audit.text import TextView

KINDS: dict[str, tuple[str, ...]] = {
    "evacuated": ("evacuated", "evacuation", "evacuate", "displaced", "fled", "rescued"),
    "killed": ("killed", "killing", "dead", "died", "deaths", "death toll", "lives", "perished"),
    "injured": ("injured", "wounded", "hurt", "injuries"),
    "arrested": ("arrested", "detained", "arrests"),
    "population": ("inhabitants", "population", "people live", "residents live", "populated"),
}
_KIND_RX = {
    k: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ws) + r")\b", re.IGNORECASE) for k, ws in KINDS.items()
}
_KIND_WORDS = r"\b(?:" + trie_pattern([w for ws in KINDS.values() for w in ws]) + r")\b"  # lower case
_ANY_KIND = re.compile(_KIND_WORDS, re.IGNORECASE)
_ANY_KIND_LOWER = re.compile(_KIND_WORDS)  # searched in `TextView.lowered`: twice as fast
_WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
_VAGUE = {
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "scores": (40, 99),
}
_NUM = re.compile(
    r"(?P<hedge>\b(?:at least|more than|over|nearly|almost|about|around|approximately|some|up to|roughly|fewer than|less than)\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million))?|tens of thousands|dozens|hundreds|thousands|scores|"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\b)"
    r"(?P<unit>\s+(?:km|kilometers|kilometres|miles|metres|meters|percent|per cent|years|days|hours|minutes|months|weeks|"
    r"areas|districts|regions|villages|towns|cities|positions|posts|vehicles|tanks|drones|rockets|missiles|shells|bombs|"
    r"countries|times|euros|dollars|wars|battles|rounds|sides|parties|explosions|attacks|strikes|buildings|houses|"
    r"schools|hospitals|cars|aircraft|planes|ships|boats|trucks|tonnes|tons|weapons|seats|votes)\b|%)?",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s*$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_CLAUSE = re.compile(r";|,\s*(?:and|but|while|whereas|as|or)\b|\b(?:while|whereas)\b")
_AND = re.compile(r"\band\b")
WINDOW = 60  # characters between the figure and the word saying what it counts
SAME = 0.01
WITNESS_CAP = 500  # claims of one kind in one story that each claim is compared with (see `_statuses`)


@dataclass(frozen=True)
class Claim:
    kind: str
    start: int
    end: int
    text: str
    low: float
    high: float
    value: float | None  # the figure as stated (None for "dozens")


def _value(num: str) -> float | None:
    n = num.lower().replace(",", "")
    if n in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[n])
    scale = 1.0
    if n.endswith(" thousand"):
        n, scale = n[: -len(" thousand")], 1000.0
    elif n.endswith(" million"):
        n, scale = n[: -len(" million")], 1e6
    try:
        return float(n) * scale
    except ValueError:
        return None


def _range(hedge: str, num: str) -> tuple[float, float] | None:
    key = num.lower()
    if key in _VAGUE:
        return _VAGUE[key]
    v = _value(num)
    if v is None:
        return None
    h = " ".join(hedge.lower().split())
    if h in ("at least", "more than", "over"):
        return v, math.inf
    if h in ("nearly", "almost", "fewer than", "less than"):
        return 0.85 * v, v
    if h in ("about", "around", "approximately", "some", "roughly"):
        return 0.9 * v, 1.1 * v
    if h == "up to":
        return 0.0, v
    return v, v


def _sentences_with_a_kind(
    text: str, lowered: str | None = None, found: Iterable[re.Match[str]] | None = None
) -> Iterator[re.Match[str]]:
    """The sentences (`_SENTENCE.finditer(text)`, in order) that hold a word saying what a figure counts,
    found from those words rather than by searching every sentence.

    A sentence starts just after the last `.`, `!`, `?` or newline before any of its characters (or at
    the start), and a word of KINDS contains none of them, so the sentence holding a word found in the
    whole text is `_SENTENCE.match` at that place; where that fails, no sentence holds the word. The words
    are searched in `lowered`, the text's `TextView.lowered` where there is one, unless `found` gives them
    (`_kind_words`)."""
    last = -1
    if found is None:
        found = _ANY_KIND.finditer(text) if lowered is None else _ANY_KIND_LOWER.finditer(lowered)
    for m in found:
        if m.start() < last:
            continue  # in the sentence just taken
        start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        sm = _SENTENCE.match(text, start)
        if sm is not None and sm.end() > m.start():
            last = sm.end()
            yield sm


def _kind_words(view: TextView, text: str, lowered: str | None) -> Iterator[re.Match[str]]:
    """The words of KINDS in `text` (the view's text or its head; `lowered`: its `TextView.lowered`), in
    order, searched only in the lines where the pre-filter finds one of them (`TextView.candidates`): a
    word of KINDS lies within a line."""
    lines = view.candidates(_ANY_KIND)
    rx, s = (_ANY_KIND, text) if lowered is None else (_ANY_KIND_LOWER, lowered)
    if lines is ALL:
        yield from rx.finditer(s)
        return
    all_lines = view.lines
    for i in sorted(lines):
        line = all_lines[i]
        if line.start >= len(s):
            return
        yield from rx.finditer(s, line.start, line.end)  # (an end past `s` is its end)


def extract_claims(view: TextView) -> list[Claim]:
    """The document's figures with what they count, in text order."""
    text, lowered = view.text[:200_000], view.lowered
    lowered = lowered and lowered[:200_000]
    out = []
    for sm in _sentences_with_a_kind(text, lowered, _kind_words(view, text, lowered)):
        sent = sm.group()
        if len(sent) > 1000:
            continue
        kinds = [(k, m.start(), m.end()) for k, rx in _KIND_RX.items() for m in rx.finditer(sent)]
        if not kinds:
            continue
        for m in _NUM.finditer(sent):
            num = m.group("num")
            if m.group("unit") or _MONTH.search(sent[: m.start("num")]):
                continue
            digits = num.replace(",", "")
            if digits.isdigit() and 1900 <= int(digits) <= 2100 and "," not in num:
                continue  # a year
            near = []
            for k, ks, ke in kinds:
                if ks >= m.end():  # "7,000 evacuated": the usual order
                    gap = sent[m.end() : ks]
                    d = len(gap) + (25 if _AND.search(gap) else 0)  # "killed 25 people and injured 800"
                elif ke <= m.start():  # "killing at least 29"
                    gap = sent[ke : m.start()]
                    d = len(gap) + 15
                else:
                    continue
                if _CLAUSE.search(gap):
                    d += 25  # the word belongs to another clause
                if d <= WINDOW:
                    near.append((d, k))
            if not near:
                continue
            rng = _range(m.group("hedge") or "", num)
            if rng is None:
                continue
            kind = min(near)[1]
            start, end = sm.start() + m.start(), sm.start() + m.end()
            value = None if num.lower() in _VAGUE else _value(num)
            out.append(Claim(kind, start, end, view.text[start:end], rng[0], rng[1], value))
    return out


def _same(a: Claim, b: Claim) -> bool:
    """The same figure is stated, whatever the hedge ("more than 7,000" and "approximately 7,000")."""
    if a.value is None or b.value is None:
        return a.value is None and b.value is None and (a.low, a.high) == (b.low, b.high)
    return abs(a.value - b.value) <= SAME * max(a.value, b.value)


def _overlap(a: Claim, b: Claim) -> bool:
    return a.low <= b.high and b.low <= a.high


def _statuses(group: list[tuple[str, Claim]]) -> list[tuple[str, list[str]]]:
    """Each claim's status and agreeing documents, within one story's claims of one kind. A claim is
    compared with the claims of the other documents among the group's first WITNESS_CAP (in document
    order): a flood of copies of one report is one story, and its claims would otherwise be compared
    pairwise. Below the cap every claim is compared with every other."""
    witnesses = group[:WITNESS_CAP]
    out = []
    for doc_id, c in group:
        others = [(d, o) for d, o in witnesses if d != doc_id]
        same = sorted({d for d, o in others if _same(c, o)})
        overlap = sorted({d for d, o in others if _overlap(c, o)})
        if same:
            out.append(("supported", same))
        elif overlap:
            out.append(("consistent", overlap))
        else:
            out.append(("divergent" if others else "unique", []))
    return out


ClaimItem = tuple[str, int, Claim]  # (document id, the claim's place in the document's list, the claim)


def claim_items(doc_id: str, claims: list[Claim], stories: Mapping[str, str]) -> Iterator[tuple[str, ClaimItem]]:
    """A document's (story, item)s: the key its claims are decided under (a document without a story is
    a story of its own)."""
    story = stories.get(doc_id, doc_id)
    for k, c in enumerate(claims):
        yield story, (doc_id, k, c)


def corroborate_story(story: str, items: list[ClaimItem]) -> list[dict]:
    """One story's rows, decided alone (by kind, `_statuses`), in document-id order and in each document
    in the order of its claims, whatever order `items` come in: the same rows on any engine."""
    ordered = [(doc_id, c) for doc_id, _, c in sorted(items, key=lambda x: (x[0], x[1]))]
    by_kind: dict[str, list[int]] = defaultdict(list)
    for k, (_, c) in enumerate(ordered):
        by_kind[c.kind].append(k)
    decided: dict[int, tuple[str, list[str]]] = {}
    for places in by_kind.values():
        decided.update(zip(places, _statuses([ordered[k] for k in places]), strict=True))
    rows = []
    for k, (doc_id, c) in enumerate(ordered):
        status, agree = decided[k]
        rows.append(
            {
                "story": story,
                "doc_id": doc_id,
                "kind": c.kind,
                "claim": c.text,
                "low": round(c.low, 2),
                "high": None if math.isinf(c.high) else round(c.high, 2),
                "start": c.start,
                "end": c.end,
                "status": status,
                "agreeing_documents": " ".join(agree),
            }
        )
    return rows


def corroborate(claims: Mapping[str, list[Claim]], stories: Mapping[str, str]) -> list[dict]:
    """One row a claim: story, document, kind, figure, range, status and the documents that agree.
    Decided by key: the claims are grouped by story (`claim_items`), each story decided alone
    (`corroborate_story`), the stories' rows in story order; the Dask engine runs the same two halves
    as a groupby on its workers."""
    by_story: dict[str, list[ClaimItem]] = defaultdict(list)
    for doc_id in claims:
        for story, item in claim_items(doc_id, claims[doc_id], stories):
            by_story[story].append(item)
    return [row for story in sorted(by_story) for row in corroborate_story(story, by_story.pop(story))]
