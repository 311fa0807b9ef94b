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
from audit.records import CATEGORIES

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


class _SourceTally:
    __slots__ = ("documents", "scores", "with_category", "mt", "mt_judged", "republished", "statuses")

    def __init__(self) -> None:
        self.documents = 0
        self.scores: list[float] = []
        self.with_category = dict.fromkeys(CATEGORIES, 0)
        self.mt = 0
        self.mt_judged = 0
        self.republished = 0
        self.statuses: list[str] = []


def source_rows(result: AuditResult, ratings: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row a source (documents without a source are grouped under ""), sorted by source.

    One pass over the results; memory holds a tally per source (and each source's scores, for the median).
    """
    from audit.provenance import NOT_JUDGED, Provenance

    prov = Provenance(result)
    claim_status: dict[str, list[str]] = defaultdict(list)
    for c in result.claims:
        if c["status"] != "unique":
            claim_status[c["doc_id"]].append(c["status"])
    tallies: dict[str, _SourceTally] = defaultdict(_SourceTally)
    for r in result.results:
        t = tallies[r.doc.source or ""]
        t.documents += 1
        t.statuses.extend(claim_status.get(r.doc.id, ()))
        if r.score is None:
            continue
        t.scores.append(r.score.score)
        for c in CATEGORIES:
            t.with_category[c] += r.score.counts.get(c, 0) > 0
        signals = prov(r)
        t.mt += signals["machine_translated"] in ("disclosed", "detected")
        t.mt_judged += signals["machine_translated"] != NOT_JUDGED  # the share counts judged documents only
        t.republished += signals["republished"]
    rows = []
    for source in sorted(tallies):
        t = tallies[source]
        n = len(t.scores)
        row: dict[str, Any] = {
            "source": source,
            "documents": t.documents,
            "unreadable": t.documents - n,
            "mean_score": round(statistics.fmean(t.scores), 1) if n else None,
            "median_score": round(statistics.median(t.scores), 1) if n else None,
        }
        for c in CATEGORIES:
            row[f"{c}_rate"] = round(t.with_category[c] / n, 3) if n else None
        if n:
            row["machine_translated_share"] = round(t.mt / t.mt_judged, 3) if t.mt_judged else None
            row["republished_share"] = round(t.republished / n, 3)
        row["corroboration_rate"] = (
            round(sum(s in ("supported", "consistent") for s in t.statuses) / len(t.statuses), 3)
            if t.statuses
            else None
        )
        if ratings is not None:
            row["rating"] = ratings.get(source, "")
        rows.append(row)
    return rows
