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
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


def _name_clusters(result: AuditResult) -> list[dict[str, Any]]:
    variants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for f in result.findings:
        if f.code in NAME_CODES and f.suggestion:
            v = variants[f.suggestion].setdefault(
                f.evidence, {"form": f.evidence, "code": f.code, "occurrences": 0, "docs": set()}
            )
            v["occurrences"] += 1
            v["docs"].add(f.doc_id)
    # one pass over the corpus counts every canonical form's documents and occurrences
    canon_docs: dict[str, list[str]] = defaultdict(list)
    canon_count: dict[str, int] = defaultdict(int)
    wanted = set(variants)
    if wanted:
        for r in result.results:
            if not r.doc.readable:
                continue
            seen = set()
            for w in _TOKEN.findall(r.doc.text):
                if w in wanted:
                    canon_count[w] += 1
                    seen.add(w)
            for w in seen:
                canon_docs[w].append(r.doc.id)
    clusters = []
    for canonical in sorted(variants):
        docs, occurrences = canon_docs.get(canonical, []), canon_count.get(canonical, 0)
        forms = [{"form": canonical, "code": "", "occurrences": occurrences, "docs": sorted(docs), "canonical": True}]
        for v in sorted(variants[canonical].values(), key=lambda v: (-len(v["docs"]), v["form"])):
            forms.append({**v, "docs": sorted(v["docs"]), "canonical": False})
        clusters.append({"canonical": canonical, "forms": forms})
    return clusters


def report_data(result: AuditResult, ratings: dict[str, str] | None = None) -> dict[str, Any]:
    """The page's data. Messages, suggestions and reasons repeat across documents, so they are stored
    once in `strings` and referenced by index (a 10,000-document corpus's data shrinks about fourfold)."""
    from audit.registry import all_checks

    strings: list[str] = []
    index: dict[str, int] = {}

    def ref(s: str | None) -> int:
        if s is None:
            return -1
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

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
                "story": r.story or "",
                "counts": r.score.counts if r.score else dict.fromkeys(CATEGORIES, 0),
                "r": [ref(x) for x in (r.score.reasons if r.score else [])],
                "f": [[f.start, f.end, f.code, ref(f.message), ref(f.suggestion)] for f in r.findings],
            }
        )
    return {
        "version": __version__,
        "categories": list(CATEGORIES),
        "checks": {
            c.code: {"category": c.category, "severity": c.severity, "summary": c.summary} for c in all_checks()
        },
        "strings": strings,
        "docs": docs,
        "sources": source_rows(result, ratings),
        "claims": result.claims,
        "names": _name_clusters(result),
    }


def _embed(data: Any) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        raw.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_report(result: AuditResult, title: str = "news-audit report", ratings: dict[str, str] | None = None) -> str:
    """The report page as a string. Each text sits in its own JSON block, parsed only when opened."""
    template = resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    texts = "\n".join(
        f'<script type="application/json" id="t{i}">{_embed(r.doc.text)}</script>' for i, r in enumerate(result.results)
    )
    head, tail = template.split("__TEXTS__")
    return (
        head.replace("__TITLE__", safe_title).replace("__DATA__", _embed(report_data(result, ratings))) + texts + tail
    )
