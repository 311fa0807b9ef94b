"""The HTML report: one self-contained, offline file (`DIR/report.html`).

All corpus text is embedded as JSON in a `<script type="application/json">` block (with `<`, `>`, `&`
and line separators escaped so no document can close it) and rendered by the page's script with
`textContent` only, never as HTML: a hostile document shows as text and runs nothing.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from importlib import resources
from typing import Any

from audit import __version__
from audit.engine import AuditResult
from audit.model import CATEGORIES
from audit.sources import source_rows

NAME_CODES = ("NAME001", "NAME002", "MT008")


def _name_clusters(result: AuditResult) -> list[dict[str, Any]]:
    variants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for f in result.findings:
        if f.code in NAME_CODES and f.suggestion:
            v = variants[f.suggestion].setdefault(
                f.evidence, {"form": f.evidence, "code": f.code, "occurrences": 0, "docs": set()}
            )
            v["occurrences"] += 1
            v["docs"].add(f.doc_id)
    clusters = []
    for canonical in sorted(variants):
        rx = re.compile(r"(?<!\w)" + re.escape(canonical) + r"(?!\w)")
        docs = [
            r.doc.id for r in result.results if r.doc.readable and canonical in r.doc.text and rx.search(r.doc.text)
        ]
        occurrences = sum(len(rx.findall(r.doc.text)) for r in result.results if r.doc.id in set(docs))
        forms = [{"form": canonical, "code": "", "occurrences": occurrences, "docs": sorted(docs), "canonical": True}]
        for v in sorted(variants[canonical].values(), key=lambda v: (-len(v["docs"]), v["form"])):
            forms.append({**v, "docs": sorted(v["docs"]), "canonical": False})
        clusters.append({"canonical": canonical, "forms": forms})
    return clusters


def report_data(result: AuditResult) -> dict[str, Any]:
    from audit.registry import all_checks

    docs = []
    for r in result.results:
        d = r.doc
        docs.append(
            {
                "id": d.id,
                "source": d.source or "",
                "status": d.status,
                "reason": d.reason or "",
                "score": r.score.score if r.score else None,
                "counts": r.score.counts if r.score else dict.fromkeys(CATEGORIES, 0),
                "reasons": r.score.reasons if r.score else [],
                "text": d.text,
                "findings": [
                    [f.start, f.end, f.code, f.category, f.severity, f.message, f.suggestion] for f in r.findings
                ],
            }
        )
    return {
        "version": __version__,
        "categories": list(CATEGORIES),
        "checks": {
            c.code: {"category": c.category, "severity": c.severity, "summary": c.summary} for c in all_checks()
        },
        "docs": docs,
        "sources": source_rows(result),
        "names": _name_clusters(result),
    }


def _embed(data: dict[str, Any]) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        raw.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_report(result: AuditResult, title: str = "news-audit report") -> str:
    """The report page as a string."""
    template = resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return template.replace("__TITLE__", safe_title).replace("__DATA__", _embed(report_data(result)))
