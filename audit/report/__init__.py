"""The HTML report: one self-contained, offline file (`DIR/report.html`).

All corpus text is embedded as JSON in a `<script type="application/json">` block (with `<`, `>`, `&`
and line separators escaped so no document can close it) and rendered by the page's script with
`textContent` only, never as HTML: a hostile document shows as text and runs nothing.
"""

from __future__ import annotations

import heapq
import io
import json
import re
from collections import defaultdict
from importlib import resources
from typing import IO, Any

from audit import __version__
from audit.engine import AuditResult
from audit.model import CATEGORIES
from audit.registry import all_checks
from audit.sources import source_rows

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


REPORT_DOCS = 10_000  # documents whose text the report embeds (the lowest-scoring; all are in scores.csv)


def _scan(result: AuditResult, max_docs: int) -> tuple[dict[str, Any], set[int], dict[str, dict[str, dict]]]:
    """One pass: corpus totals, the positions of the documents to show, and the name variants found."""
    totals: dict[str, Any] = {
        "documents": 0,
        "audited": 0,
        "findings": 0,
        "score_sum": 0.0,
        "bins": [0] * 10,
        "categories": dict.fromkeys(CATEGORIES, 0),
        "checks": {},
        "check_docs": {},
    }
    variants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    name_codes = frozenset(c.code for c in all_checks() if c.names)

    def tallied():
        for i, r in enumerate(result.results):
            totals["documents"] += 1
            if r.score is not None:
                totals["audited"] += 1
                totals["score_sum"] += r.score.score
                totals["bins"][min(9, int(r.score.score // 10))] += 1
            totals["findings"] += len(r.findings)
            codes = set()
            for f in r.findings:
                totals["categories"][f.category] = totals["categories"].get(f.category, 0) + 1
                totals["checks"][f.code] = totals["checks"].get(f.code, 0) + 1
                codes.add(f.code)
                if f.code in name_codes and f.suggestion:
                    v = variants[f.suggestion].setdefault(
                        f.evidence, {"form": f.evidence, "code": f.code, "occurrences": 0, "docs": set()}
                    )
                    v["occurrences"] += 1
                    v["docs"].add(f.doc_id)
            for code in codes:
                totals["check_docs"][code] = totals["check_docs"].get(code, 0) + 1
            yield (-1.0 if r.score is None else r.score.score, r.doc.id), i

    keyed = tallied()
    shown = {i for _, i in heapq.nsmallest(max_docs, keyed)}  # holds max_docs items, not the corpus
    for _ in keyed:  # nsmallest(0, ...) reads nothing, and the totals need every document
        pass
    totals["checks"] = dict(sorted(totals["checks"].items()))  # sets above: fix the order for byte-identical output
    totals["check_docs"] = dict(sorted(totals["check_docs"].items()))
    score_sum = totals.pop("score_sum")
    totals["mean"] = round(score_sum / totals["audited"], 1) if totals["audited"] else None
    return totals, shown, variants


def _name_clusters(
    variants: dict[str, dict[str, dict[str, Any]]], canon_docs: dict[str, list[str]], canon_count: dict[str, int]
) -> list[dict[str, Any]]:
    clusters = []
    for canonical in sorted(variants):
        docs, occurrences = canon_docs.get(canonical, []), canon_count.get(canonical, 0)
        forms = [{"form": canonical, "code": "", "occurrences": occurrences, "docs": sorted(docs), "canonical": True}]
        for v in sorted(variants[canonical].values(), key=lambda v: (-len(v["docs"]), v["form"])):
            forms.append({**v, "docs": sorted(v["docs"]), "canonical": False})
        clusters.append({"canonical": canonical, "forms": forms})
    return clusters


def _report_data(
    result: AuditResult, ratings: dict[str, str] | None, max_docs: int
) -> tuple[dict[str, Any], list[int]]:
    """The page's data and the positions of the documents it shows, in input order.

    Messages, suggestions and reasons repeat across documents, so they are stored once in `strings`
    and referenced by index (a 10,000-document corpus's data shrinks about fourfold)."""
    from audit.registry import all_checks

    totals, shown, variants = _scan(result, max_docs)
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
    canon_docs: dict[str, list[str]] = defaultdict(list)  # every canonical name form's documents
    canon_count: dict[str, int] = defaultdict(int)  # ... and occurrences
    for i, r in enumerate(result.results):
        d = r.doc
        if variants and d.readable:
            seen = set()
            for w in _TOKEN.findall(d.text):
                if w in variants:
                    canon_count[w] += 1
                    seen.add(w)
            for w in seen:
                canon_docs[w].append(d.id)
        if i not in shown:
            continue
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
    data = {
        "version": __version__,
        "categories": list(CATEGORIES),
        "checks": {
            c.code: {"category": c.category, "severity": c.severity, "summary": c.summary} for c in all_checks()
        },
        "totals": totals,
        "strings": strings,
        "docs": docs,
        "sources": source_rows(result, ratings),
        "claims": result.claims,
        "names": _name_clusters(variants, canon_docs, canon_count),
    }
    return data, sorted(shown)


def report_data(
    result: AuditResult, ratings: dict[str, str] | None = None, max_docs: int = REPORT_DOCS
) -> dict[str, Any]:
    """The data the page renders: corpus totals, the `max_docs` lowest-scoring documents, sources, claims, names."""
    return _report_data(result, ratings, max_docs)[0]


def _embed(data: Any) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        raw.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def write_report(
    result: AuditResult,
    f: IO[str],
    title: str = "news-audit report",
    ratings: dict[str, str] | None = None,
    max_docs: int = REPORT_DOCS,
) -> None:
    """Write the report page to `f`, streaming: each shown text sits in its own JSON block, parsed only when opened.

    Memory holds the data of the `max_docs` documents shown, never the whole corpus.
    """
    template = resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    data, shown = _report_data(result, ratings, max_docs)
    head, tail = template.split("__TEXTS__")
    f.write(head.replace("__TITLE__", safe_title).replace("__DATA__", _embed(data)))
    del data
    wanted = set(shown)
    k = 0
    for i, r in enumerate(result.results):
        if i in wanted:
            f.write(f'<script type="application/json" id="t{k}">{_embed(r.doc.text)}</script>\n')
            k += 1
    f.write(tail)


def render_report(
    result: AuditResult,
    title: str = "news-audit report",
    ratings: dict[str, str] | None = None,
    max_docs: int = REPORT_DOCS,
) -> str:
    """The report page as a string (see `write_report`)."""
    buf = io.StringIO()
    write_report(result, buf, title, ratings, max_docs)
    return buf.getvalue()
