"""Per-source aggregates: which outlets or feeds are unreliable as text sources.

Users may merge in their own ratings (`--source-ratings FILE`, a CSV of source and rating); the
project ships no opinions about outlets.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from audit.engine import AuditResult
from audit.model import CATEGORIES

BASE_COLUMNS = (
    "source",
    "documents",
    "unreadable",
    "mean_score",
    "median_score",
    *(f"{c}_rate" for c in CATEGORIES),
    "machine_translated_share",
    "republished_share",
    "corroboration_rate",
)


def source_columns(ratings: dict[str, str] | None = None) -> tuple[str, ...]:
    return (*BASE_COLUMNS, "rating") if ratings is not None else BASE_COLUMNS


def read_ratings(path: str | Path) -> dict[str, str]:
    """`source,rating` rows (a header line is required) -> {source: rating}."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "source" not in reader.fieldnames or "rating" not in reader.fieldnames:
            raise ValueError(f"{path}: a source ratings file needs the columns 'source' and 'rating'")
        return {row["source"]: row["rating"] for row in reader if row.get("source")}


def source_rows(result: AuditResult, ratings: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row a source (documents without a source are grouped under ""), sorted by source."""
    from audit.provenance import signals

    prov = signals(result)
    groups: dict[str, list] = defaultdict(list)
    for r in result.results:
        groups[r.doc.source or ""].append(r)
    claim_status: dict[str, list[str]] = defaultdict(list)
    for c in result.claims:
        claim_status[c["doc_id"]].append(c["status"])
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
        if scored:
            row["machine_translated_share"] = round(
                sum(bool(prov[r.doc.id]["machine_translated"]) for r in scored) / len(scored), 3
            )
            row["republished_share"] = round(sum(prov[r.doc.id]["republished"] for r in scored) / len(scored), 3)
        statuses = [s for r in rs for s in claim_status.get(r.doc.id, []) if s != "unique"]
        row["corroboration_rate"] = (
            round(sum(s in ("supported", "consistent") for s in statuses) / len(statuses), 3) if statuses else None
        )
        if ratings is not None:
            row["rating"] = ratings.get(source, "")
        rows.append(row)
    return rows
