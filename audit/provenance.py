"""Per-document provenance signals, derived from findings and claims: the columns a source judgement uses."""

from __future__ import annotations

from collections import Counter
from typing import Any

from audit.engine import AuditResult, DocResult
from audit.registry import all_checks

PROVENANCE_COLUMNS = ("republished", "machine_translated", "byline", "residue_density", "claims", "corroborated")


class Provenance:
    """Per-document provenance signals, one document at a time (the claim counts are the only state)."""

    def __init__(self, result: AuditResult) -> None:
        self.mt_signals = frozenset(c.code for c in all_checks() if c.mt_signal)
        self.claims = Counter(c["doc_id"] for c in result.claims)
        self.corroborated = Counter(c["doc_id"] for c in result.claims if c["status"] in ("supported", "consistent"))

    def __call__(self, r: DocResult) -> dict[str, Any]:
        codes = {f.code for f in r.findings}
        messages = {f.message for f in r.findings if f.code == "RES007"}
        if "MT001" in codes:
            mt = "disclosed"
        elif codes & self.mt_signals:
            mt = "detected"
        else:
            mt = ""
        if codes & {"BIO001", "BIO002"}:
            byline = "generic bio"
        elif "byline" in messages:
            byline = "byline"
        else:
            byline = ""
        n_residue = sum(1 for f in r.findings if f.category == "residue")
        length = max(1, len(r.doc.text))
        return {
            "republished": int("PRV001" in codes),
            "machine_translated": mt,
            "byline": byline,
            "residue_density": round(1000 * n_residue / length, 2) if r.doc.readable else "",
            "claims": self.claims.get(r.doc.id, 0),
            "corroborated": self.corroborated.get(r.doc.id, 0),
        }
