"""Scoring: findings -> a 0-100 score per document, with the reason for every deduction.

All weights live here. A document starts at 100. Each check that fired deducts

    CATEGORY_WEIGHT[category] * SEVERITY_FACTOR[severity] * (1 + REPEAT + REPEAT**2 + ...)

over its findings, so that the first finding of a kind costs the most and a fifth copy of the same
defect costs little (one misspelt name used five times is one problem, not five). Residue and bios
also deduct for the share of the text they cover, COVERAGE_WEIGHT points for a document that is all
residue. The score is clamped to [0, 100] and rounded to one decimal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from audit.model import CATEGORIES, Finding

CATEGORY_WEIGHT: dict[str, float] = {
    "residue": 6.0,  # removable, but a sign of careless extraction
    "bio": 8.0,  # boilerplate that pollutes training text
    "mt": 12.0,  # the text itself is unreliable
    "name": 3.0,  # spelling variants: cheap to fix, worth knowing
    "integrity": 12.0,  # duplicated, truncated, garbled or wrong-language text
    "provenance": 0.0,  # where the text came from: information, not a defect
}
DEFAULT_CATEGORY_WEIGHT = 5.0  # categories added by plug-in checks
SEVERITY_FACTOR: dict[str, float] = {"info": 0.25, "warning": 1.0, "error": 1.5}
REPEAT = 0.5
COVERAGE_WEIGHT = 40.0
COVERAGE_CATEGORIES = ("residue", "bio")


@dataclass(frozen=True, slots=True)
class DocScore:
    score: float
    counts: dict[str, int]
    reasons: list[str]

    @property
    def n_findings(self) -> int:
        return sum(self.counts.values())


def _covered(spans: list[tuple[int, int]]) -> int:
    total, cur = 0, -1
    for s, e in sorted(spans):
        s = max(s, cur)
        if e > s:
            total += e - s
            cur = e
    return total


def score_document(text_length: int, findings: Iterable[Finding]) -> DocScore:
    """Score one document from its findings."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    counts = dict.fromkeys(CATEGORIES, 0)
    spans = []
    for f in findings:
        by_code[f.code].append(f)
        counts[f.category] = counts.get(f.category, 0) + 1
        if f.category in COVERAGE_CATEGORIES:
            spans.append((f.start, f.end))
    deductions: list[tuple[float, str]] = []
    for code, fs in by_code.items():
        f0 = fs[0]
        unit = CATEGORY_WEIGHT.get(f0.category, DEFAULT_CATEGORY_WEIGHT) * SEVERITY_FACTOR[f0.severity]
        d = unit * sum(REPEAT**k for k in range(len(fs)))
        deductions.append(
            (d, f"-{d:.1f} {code} {f0.category}: {f0.message}" + (f" (x{len(fs)})" if len(fs) > 1 else ""))
        )
    if spans and text_length:
        share = _covered(spans) / text_length
        d = COVERAGE_WEIGHT * share
        if d >= 0.05:
            deductions.append((d, f"-{d:.1f} residue and bios cover {share:.0%} of the text"))
    deductions.sort(key=lambda x: (-x[0], x[1]))
    score = max(0.0, min(100.0, 100.0 - sum(d for d, _ in deductions)))
    return DocScore(round(score, 1), counts, [r for _, r in deductions])
