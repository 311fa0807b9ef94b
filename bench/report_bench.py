#!/usr/bin/env python3
"""How the HTML report behaves at 10,000 documents, in headless Chromium.

    python bench/report_bench.py [N] [--reuse]

Builds N real-sized documents (3-8 KB) from ../shared (extraction pages, WMT stories, seeds), each with
a `title` and a `url` as a CSV would give them, audits them, writes the report, then measures in
Debian's Chromium: the time until the list is on screen and usable, until the worst document is
open, until every text block is parsed; a category filter and a search; opening a document; the
Sources and Name variants tabs. `--reuse` keeps the audited result of an earlier run (iterate on the
page without re-auditing).
"""

from __future__ import annotations

import json
import pickle
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_corpus  # noqa: E402

from audit.engine import Options, audit_documents  # noqa: E402
from audit.report import render_report  # noqa: E402


def _result(n: int, out: Path):
    cached = out / f"result-{n}.pkl"
    if "--reuse" in sys.argv and cached.exists():
        return pickle.loads(cached.read_bytes())
    docs = build_corpus(n)
    for k, d in enumerate(docs):  # what a CSV with title and url columns gives
        first = d.text.strip().split("\n", 1)[0]
        d.meta = {**d.meta, "title": first[:90], "url": f"https://www.{d.source or 'site'}.example/news/{k}"}
    t0 = time.perf_counter()
    result = audit_documents(docs, Options(jobs=0), n_docs=len(docs))
    audit_s = time.perf_counter() - t0
    cached.write_bytes(pickle.dumps((result, audit_s)))
    return result, audit_s


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _measure(page, path: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector("#doc-list tbody tr.doc")
    open_s = time.perf_counter() - t0  # the list is on screen and usable
    page.wait_for_selector("#text")
    worst_s = time.perf_counter() - t0  # the worst document is open
    page.wait_for_load_state("load")
    load_s = time.perf_counter() - t0  # every text block parsed
    count = "document.getElementById('count').textContent"

    def changes(action) -> float:  # an action, until the list's count changes
        before = page.evaluate(count)
        return _timed(lambda: (action(), page.wait_for_function(f"{count} !== {before!r}")))

    filter_s = changes(lambda: page.select_option("#f-category", "mt"))
    page.select_option("#f-category", "")
    search_s = changes(lambda: page.fill("#f-search", "doc00001"))
    page.fill("#f-search", "")
    # the same two, timed inside the page: the handler's own work, without the driver's round trips
    in_page = """([id, value, event]) => { const e = document.getElementById(id), t = performance.now();
        e.value = value; e.dispatchEvent(new Event(event)); return performance.now() - t; }"""
    filter_ms = page.evaluate(in_page, ["f-category", "mt", "change"])
    page.evaluate(in_page, ["f-category", "", "change"])
    search_ms = page.evaluate(in_page, ["f-search", "doc00001", "input"])
    page.evaluate(in_page, ["f-search", "", "input"])
    fourth = "document.querySelectorAll('#doc-list tbody tr.doc')[3]"
    doc_s = _timed(
        lambda: (
            page.locator("#doc-list tbody tr.doc").nth(3).click(),
            page.wait_for_function(f"{fourth}.classList.contains('sel') && !!document.querySelector('#detail #text')"),
        )
    )
    sources_s = _timed(lambda: (page.click("#tab-sources"), page.wait_for_selector("#sources tbody tr")))
    names_s = _timed(lambda: (page.click("#tab-names"), page.wait_for_selector("#names tbody tr")))
    return {
        "open_s": round(open_s, 2),
        "worst_open_s": round(worst_s, 2),
        "load_s": round(load_s, 2),
        "filter_s": round(filter_s, 3),
        "search_s": round(search_s, 3),
        "filter_in_page_ms": round(filter_ms, 1),
        "search_in_page_ms": round(search_ms, 1),
        "open_document_s": round(doc_s, 3),
        "sources_tab_s": round(sources_s, 3),
        "names_tab_s": round(names_s, 3),
    }


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000
    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    result, audit_s = _result(n, out)
    path = out / "report-10k.html"
    t0 = time.perf_counter()
    path.write_text(render_report(result), encoding="utf-8")
    render_s = time.perf_counter() - t0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        figures = _measure(b.new_page(viewport={"width": 1400, "height": 1000}), path)
        b.close()
    size_mb = path.stat().st_size / 1e6
    summary = {
        "documents": n,
        "audit_s": round(audit_s, 1),
        "render_s": round(render_s, 2),
        "report_mb": round(size_mb, 1),
    }
    print(json.dumps({**summary, **figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
