"""Per-document provenance signals, derived from findings and claims: the columns a source judgement uses.

`machine_translated` is `disclosed` when the text says it was machine translated (MT001), `detected`
when the MT model's probability (`mt_probability`, audit/mtmodel.py) is above the threshold, and empty
otherwise. The shipped threshold keeps false positives on English-written news at or under 2% in
held-out validation; `--mt-threshold` or `mt-threshold` in `[tool.audit]` changes it. Human
translations carry translationese as well, so `detected` means "reads as translated".
"""

from __future__ import annotations

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


def machine_translated(codes: set[str], probability: float | None, threshold: float) -> str:
    """`disclosed` (a disclosure check fired), `detected` (probability above the threshold), or ``."""
    if codes & codes_with_role("disclosure"):
        return "disclosed"
    if probability is not None and probability > threshold:
        return "detected"
    return ""


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
        return {
            "republished": int(bool(codes & codes_with_role("republished"))),
            "machine_translated": machine_translated(codes, r.mt_probability, self.threshold),
            "mt_probability": "" if r.mt_probability is None else round(r.mt_probability, 4),
            "byline": byline,
            "residue_density": round(1000 * n_residue / length, 2) if r.doc.readable else "",
            "claims": self.claims.get(r.doc.id, 0),
            "corroborated": self.corroborated.get(r.doc.id, 0),
        }
