"""Scoring: findings -> a 0-100 score per document that says how much of it is usable, with its deductions.

    score = 100 x clean_share ** SHARE_POWER x product of trust discounts (x DISQUALIFIED when a defect
            disqualifies the document)

- `clean_share` is the share of the text that is usable article text: its share by characters (non-blank
  characters outside `residue` and `bio` spans) and by lines (non-blank lines that those spans cover less
  than half of), weighted 1 - LINE_WEIGHT and LINE_WEIGHT. Residue moves the score smoothly: more of it, a lower score, whatever the count
  of findings.
- Each other check that fired multiplies the score by a discount for its category and severity
  (`DISCOUNT`; `RESIDUE_DISCOUNT` for residue and bio), raised to 1 + 1/2 + 1/4 + ... over its findings: the first finding of a kind costs the most,
  and one misspelt name used five times is one problem, not five. Residue and bio checks cost a small
  discount each besides their share, because a page with many kinds of residue has more that no check saw.
- A disqualifying defect multiplies the score by `DISQUALIFIED` (0.599), so it falls below the default gate of
  60 and keeps its order: mostly residue (clean share under `MOSTLY_RESIDUE`), garbled throughout (the checks
  with the `garbling` role on at least `GARBLED_LINES` of the lines), a language the user did not ask for (the
  check with the `language_gate` role). On another language the trust discounts are not applied (the checks
  behind them are built for the audited language): such a document scores DISQUALIFIED x its share alone. No
  usable text (fewer than `MIN_USABLE_WORDS` words in uncovered lines of at least `PROSE_WORDS` words: empty, a
  headline, only menu labels) multiplies it by DISQUALIFIED x words / MIN_USABLE_WORDS: empty scores 0.

SHARE_POWER, LINE_WEIGHT, RESIDUE_DISCOUNT and the mt warning and error discounts were chosen on the development
data, holding out whole pages
(`python bench/score_fit.py folds DIR`: four folds of five and all pages pick these values).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from audit.catalog import codes_with_role
from audit.records import CATEGORIES, PAGE_RESIDUE, Finding
from audit.text import merge_spans, word_count

# Trust discounts: the factor one finding of a category and severity leaves of the score.
# A residue or bio check that fired: a page with many kinds of residue has more that no check saw.
RESIDUE_DISCOUNT = 0.99
DISCOUNT: dict[str, dict[str, float]] = {
    "residue": {"info": 1.0, "warning": RESIDUE_DISCOUNT, "error": RESIDUE_DISCOUNT},  # besides their share
    "bio": {"info": 1.0, "warning": RESIDUE_DISCOUNT, "error": RESIDUE_DISCOUNT},
    "mt": {"info": 0.97, "warning": 0.82, "error": 0.7},  # the text itself is unreliable (warning, error: fitted)
    "name": {"info": 0.99, "warning": 0.96, "error": 0.9},  # spelling variants: cheap to fix
    "integrity": {"info": 0.97, "warning": 0.95, "error": 0.9},  # duplicated, truncated, garbled text
    "provenance": {"info": 1.0, "warning": 1.0, "error": 1.0},  # where the text came from: information
}
DEFAULT_DISCOUNT: dict[str, float] = {"info": 0.99, "warning": 0.95, "error": 0.9}  # plug-in categories
REPEAT = 0.5
SHARE_POWER = 4.0
LINE_WEIGHT = 0.25  # clean_share = (1 - LINE_WEIGHT) x share by characters + LINE_WEIGHT x share by lines
DISQUALIFIED = 0.599  # a disqualified document keeps this share of its score: under 60, in the same order
MIN_USABLE_WORDS = 15
NO_TEXT = "no usable text"
PROSE_WORDS = 4
MOSTLY_RESIDUE = 0.5
GARBLED_LINES = 0.5
_BLANKS = (" ", "\t", "\r", "\f", "\v", "\xa0", "\u2009", "\u200b", "\u3000")


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points off the score and why: `code` is "" for the residue share and for no usable text."""

    points: float
    code: str
    category: str
    message: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class DocScore:
    score: float
    counts: dict[str, int]
    deductions: tuple[Deduction, ...] = ()
    clean_share: float = 1.0

    @property
    def n_findings(self) -> int:
        return sum(self.counts.values())

    @property
    def reasons(self) -> list[str]:
        """The deductions as the strings scores.csv shows: `-18.0 MT006 mt: message (x2)`."""
        return [format_deduction(d) for d in self.deductions]


def format_deduction(d: Deduction) -> str:
    """One deduction as a reason string: `-12.0 INT005 integrity: message (x2)`, or `-8.5 message`."""
    head = f"-{d.points:.1f} "
    if not d.code:
        return head + d.message
    return head + f"{d.code} {d.category}: {d.message}" + (f" (x{d.count})" if d.count > 1 else "")


@dataclass(frozen=True, slots=True)
class Usable:
    """How much of a text is usable: shares by characters and lines, and words in uncovered prose lines."""

    chars: float
    lines: float
    words: int

    @property
    def share(self) -> float:
        return (1 - LINE_WEIGHT) * self.chars + LINE_WEIGHT * self.lines


def _covered(merged: list[tuple[int, int]], i: int, start: int, end: int) -> tuple[int, int]:
    """(characters of [start, end) inside the merged spans from index i on, the first span to look at next)."""
    while i < len(merged) and merged[i][1] <= start:
        i += 1
    cov, j = 0, i
    while j < len(merged) and merged[j][0] < end:
        cov += min(merged[j][1], end) - max(merged[j][0], start)
        j += 1
    return cov, i


def usable_text(text: str, spans: Iterable[tuple[int, int]]) -> Usable:
    """The shares of `text` outside `spans` by non-blank characters and lines, and its usable words
    (counted up to MIN_USABLE_WORDS: all that the score asks of them)."""
    merged = merge_spans(spans)
    total = clean = n_lines = clean_lines = words = 0
    pos, i = 0, 0
    for line in text.split("\n"):
        start, end, pos = pos, pos + len(line), pos + len(line) + 1
        size = len(line) - sum(map(line.count, _BLANKS))
        if size <= 0:
            continue
        cov, i = _covered(merged, i, start, end)
        cov = min(size, cov)
        total, clean, n_lines = total + size, clean + size - cov, n_lines + 1
        if cov * 2 < size:
            clean_lines += 1
            if words < MIN_USABLE_WORDS:
                n = word_count(line, MIN_USABLE_WORDS)
                words += n if n >= PROSE_WORDS else 0
    if not total:
        return Usable(0.0, 0.0, 0)
    return Usable(clean / total, clean_lines / n_lines, min(words, MIN_USABLE_WORDS))


def repeated(factor: float, n: int) -> float:
    """The discount of `n` findings of one check: `factor ** (1 + REPEAT + REPEAT**2 + ...)`."""
    return factor ** sum(REPEAT**k for k in range(n))


def _discount(category: str, severity: str) -> float:
    return DISCOUNT.get(category, DEFAULT_DISCOUNT).get(severity, DEFAULT_DISCOUNT["warning"])


def _garbled_lines(text: str, findings: list[Finding]) -> float:
    """The share of the non-blank lines that hold a finding."""
    starts, blank, pos = [], set(), 0
    for n, line in enumerate(text.split("\n")):
        starts.append(pos)
        pos += len(line) + 1
        if not line.strip():
            blank.add(n)
    hit = {bisect_right(starts, f.start) - 1 for f in findings} - blank
    return len(hit) / max(1, len(starts) - len(blank))


def disqualified(text: str, use: Usable, by_code: dict[str, list[Finding]]) -> Deduction | None:
    """The defect that disqualifies a document (it keeps at most DISQUALIFIED of its score), or None."""
    if use.words < MIN_USABLE_WORDS:
        return Deduction(0.0, "", "integrity", f"{NO_TEXT}: {use.words} words of article text")
    language = [f for c in sorted(codes_with_role("language_gate")) for f in by_code.get(c, ())]
    if language:
        return Deduction(0.0, language[0].code, language[0].category, language[0].message)
    if use.share < MOSTLY_RESIDUE:
        return Deduction(0.0, "", "residue", f"mostly residue: {1 - use.share:.0%} of the text")
    garbled = [f for c in sorted(codes_with_role("garbling")) for f in by_code.get(c, ())]
    if garbled and _garbled_lines(text, garbled) >= GARBLED_LINES:
        return Deduction(0.0, garbled[0].code, garbled[0].category, "garbled throughout: " + garbled[0].message)
    return None


def _discounted(score: float, by_code: dict[str, list[Finding]], deductions: list[Deduction]) -> float:
    """`score` after each check's trust discount, smallest factor first; each one's points appended to `deductions`."""
    factors = [(repeated(_discount(fs[0].category, fs[0].severity), len(fs)), fs) for fs in by_code.values()]
    for factor, fs in sorted(factors, key=lambda x: (x[0], x[1][0].code)):
        points = score * (1.0 - factor)
        score -= points
        deductions.append(Deduction(points, fs[0].code, fs[0].category, fs[0].message, len(fs)))
    return score


def score_document(text: str, findings: Iterable[Finding]) -> DocScore:
    """Score one document from its text and findings."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    counts = dict.fromkeys(CATEGORIES, 0)
    for f in findings:
        by_code[f.code].append(f)
        counts[f.category] = counts.get(f.category, 0) + 1
    spans = [(f.start, f.end) for fs in by_code.values() for f in fs if f.category in PAGE_RESIDUE]
    use = usable_text(text, spans)
    score = 100.0 * use.share**SHARE_POWER
    deductions = []
    if score < 99.95 and spans:  # without spans the text is blank: the disqualifier below says so
        residue = f"residue and bios cover {1 - use.share:.0%} of the text"
        deductions.append(Deduction(100.0 - score, "", "residue", residue))
    worst = disqualified(text, use, by_code)
    foreign = worst is not None and worst.code in codes_with_role("language_gate")
    if not foreign:  # the trust checks are built for the audited language: on another, only the share counts
        score = _discounted(score, by_code, deductions)
    deductions.sort(key=lambda d: -d.points)
    if worst is not None:  # listed first, as the main reason
        keep = DISQUALIFIED * (min(1.0, use.words / MIN_USABLE_WORDS) if worst.message.startswith(NO_TEXT) else 1.0)
        lost = score * (1 - keep) + (0.0 if spans else 100.0 - 100.0 * use.share**SHARE_POWER)
        deductions.insert(0, Deduction(lost, worst.code, worst.category, worst.message))
        score *= keep
    return DocScore(round(max(0.0, score), 1), counts, tuple(deductions), round(use.share, 3))
