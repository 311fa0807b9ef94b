"""The HTML report: one self-contained, offline file (`DIR/report.html`).

All corpus text is embedded as JSON in a `<script type="application/json">` block (with `<`, `>`, `&`
and line separators escaped so no document can close it) and rendered by the page's script with
`textContent` only, never as HTML: a hostile document shows as text and runs nothing.

The documents come worst first (the page does not sort them again); the worst one's text is written
before the page's script, so that it opens at once, and every other text after it, parsed on demand.
"""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from typing import IO, Any

from audit.engine import AuditResult
from audit.report.data import (
    EXCERPT_CHARS,
    REPORT_DOCS,
    change_in_words,
    cut_words,
    document_title,
    excerpt_end,
    main_reason,
    plain_deduction,
    reads_as_headline,
    report_data,
    report_page,
    whole_quotes,
)

_PLACEHOLDER = re.compile(r"__(TITLE|FIRST|DATA)__")


def _embed(data: Any) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        raw.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _block(block_id: str, value: Any) -> str:
    return f'<script type="application/json" id="{block_id}">{_embed(value)}</script>\n'


def write_report(
    result: AuditResult,
    f: IO[str],
    title: str = "news-audit report",
    ratings: dict[str, str] | None = None,
    max_docs: int = REPORT_DOCS,
) -> None:
    """Write the report page to `f`, streaming: each shown text sits in its own JSON block (with its
    findings), parsed only when opened; the claims come last, read when their tab opens.

    Memory holds the data of the `max_docs` documents shown, never the whole corpus.
    """
    template = resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = report_page(result, ratings, max_docs)
    claims = page.data.pop("claims")
    head, tail = template.split("__TEXTS__")
    values = {
        "TITLE": safe_title,
        "FIRST": _block("t0", [page.first_text, *page.extras[0]]) if page.first_text is not None else "",
        "DATA": _embed(page.data),
    }
    f.write(_PLACEHOLDER.sub(lambda m: values[m.group(1)], head))  # one pass: no value is scanned again
    page.data = {}
    for i, r in enumerate(result.results):
        rank = page.shown.get(i)
        if rank:  # rank 0, the worst document, was written before the script
            text = r.doc.text
            f.write(_block(f"t{rank}", [text[: excerpt_end(text)], *page.extras[rank]]))
            page.extras[rank] = None
    f.write(_block("claims-data", claims))
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


__all__ = [
    "EXCERPT_CHARS",
    "REPORT_DOCS",
    "change_in_words",
    "cut_words",
    "document_title",
    "main_reason",
    "plain_deduction",
    "reads_as_headline",
    "render_report",
    "report_data",
    "whole_quotes",
    "write_report",
]
