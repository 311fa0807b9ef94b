"""Per-source aggregates: which outlets or feeds are unreliable as text sources."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from audit.engine import AuditResult
from audit.model import CATEGORIES

SOURCE_COLUMNS = ("source", "documents", "unreadable", "mean_score", "median_score", *(f"{c}_rate" for c in CATEGORIES))


def source_rows(result: AuditResult) -> list[dict[str, Any]]:
    """One row a source (documents without a source are grouped under ""), sorted by source."""
    groups: dict[str, list] = defaultdict(list)
    for r in result.results:
        groups[r.doc.source or ""].append(r)
    rows = []
    for source in sorted(groups):
        rs = groups[source]
        scored = [r for r in rs if r.score is not None]
        scores = [r.score.score for r in scored]
        row: dict[str, Any] = {
            "source": source,
            "documents": len(rs),
            "unreadable": len(rs) - len(scored),
            "mean_score": round(statistics.fmean(scores), 1) if scores else None,
            "median_score": round(statistics.median(scores), 1) if scores else None,
        }
        for c in CATEGORIES:
            n = sum(1 for r in scored if r.score.counts.get(c, 0) > 0)
            row[f"{c}_rate"] = round(n / len(scored), 3) if scored else None
        rows.append(row)
    return rows
