"""Per-document provenance signals, derived from findings and claims: the columns a source judgement uses.

`machine_translated` is `disclosed` when the text says it was machine translated (MT001); `n/a` (not
judged) when the text is not English (no `mt_probability` then) or has fewer than audit.mtmodel.MIN_WORDS
words (its probability is shown, but it decides nothing); `detected` when the MT model's probability
(`mt_probability`, audit/mtmodel.py) is above the threshold; and empty otherwise. The shipped threshold
keeps false positives at or under 2% on each kind of English original in held-out validation (README,
"Measured quality"); `--mt-threshold` or `mt-threshold` in `[tool.audit]` changes it. Human translations
carry translationese as well, so `detected` means "reads as translated".
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from audit.catalog import codes_with_role
from audit.engine import AuditResult, DocResult

PROVENANCE_COLUMNS = (
    "republished",
    "machine_translated",
    "mt_probability",
    "byline",
    "residue_density",
    "claims",
    "corroborated",
)


def mt_threshold(result: AuditResult) -> float:
    """The probability above which a document counts as `detected`: the option's, else the model's."""
    if result.options.mt_threshold is not None:
        return result.options.mt_threshold
    from audit.mtmodel import model

    return model().threshold


NOT_JUDGED = "n/a"  # `machine_translated` of a text the model does not judge: another language, or too short


def machine_translated(codes: set[str], probability: float | None, threshold: float, words: int | None = None) -> str:
    """`disclosed` (a disclosure check fired); `n/a` (not judged: the text is not English, its probability NaN,
    or it has fewer than audit.mtmodel.MIN_WORDS `words`); `detected` (probability above the threshold); else
    `` (judged and not detected, or the mt checks were not run: no probability)."""
    from audit.mtmodel import MIN_WORDS

    if codes & codes_with_role("disclosure"):
        return "disclosed"
    if probability is None:
        return ""
    if math.isnan(probability) or words is not None and words < MIN_WORDS:
        return NOT_JUDGED
    return "detected" if probability > threshold else ""


def mt_columns(r: DocResult, codes: set[str], threshold: float) -> tuple[str, float | str]:
    """`machine_translated` and `mt_probability` of one document (the probability blank where none)."""
    from audit.mtmodel import word_count

    p = r.mt_probability
    words = word_count(r.doc.text) if p is not None else None
    shown = "" if p is None or math.isnan(p) else round(p, 4)
    return machine_translated(codes, p, threshold, words), shown


class Provenance:
    """Per-document provenance signals, one document at a time (the claim counts are the only state)."""

    def __init__(self, result: AuditResult) -> None:
        self.threshold = mt_threshold(result)
        self.claims = Counter(c["doc_id"] for c in result.claims)
        self.corroborated = Counter(c["doc_id"] for c in result.claims if c["status"] in ("supported", "consistent"))

    def __call__(self, r: DocResult) -> dict[str, Any]:
        codes = {f.code for f in r.findings}
        if codes & codes_with_role("generic_bio"):
            byline = "generic bio"
        elif any(f.kind == "byline" for f in r.findings if f.code in codes_with_role("byline")):
            byline = "byline"
        else:
            byline = ""
        n_residue = sum(1 for f in r.findings if f.category == "residue")
        length = max(1, len(r.doc.text))
        verdict, probability = mt_columns(r, codes, self.threshold)
        return {
            "republished": int(bool(codes & codes_with_role("republished"))),
            "machine_translated": verdict,
            "mt_probability": probability,
            "byline": byline,
            "residue_density": round(1000 * n_residue / length, 2) if r.doc.readable else "",
            "claims": self.claims.get(r.doc.id, 0),
            "corroborated": self.corroborated.get(r.doc.id, 0),
        }
