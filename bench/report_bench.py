#!/usr/bin/env python3
"""How the HTML report behaves at 10,000 documents, in headless Chromium.

    python bench/report_bench.py [N] [--reuse]

Builds N real-sized documents (3-8 KB) from ../shared (extraction pages, WMT stories, seeds), audits
them, writes the report, then measures in Debian's Chromium: time until the page has parsed its data
and rendered the first page of the list, time to apply a category filter, time to open a document.
"""

from __future__ import annotations

import json
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


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000
    import pickle

    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    cached = out / f"result-{n}.pkl"
    if "--reuse" in sys.argv and cached.exists():  # iterate on the page without re-auditing
        result, audit_s = pickle.loads(cached.read_bytes())
    else:
        docs = build_corpus(n)
        t0 = time.perf_counter()
        result = audit_documents(docs, Options(jobs=0), n_docs=len(docs))
        audit_s = time.perf_counter() - t0
        cached.write_bytes(pickle.dumps((result, audit_s)))
    path = out / "report-10k.html"
    t0 = time.perf_counter()
    path.write_text(render_report(result), encoding="utf-8")
    render_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_selector("#doc-list tbody tr")
        open_s = time.perf_counter() - t0  # the list is on screen and usable
        page.wait_for_load_state("load")
        load_s = time.perf_counter() - t0  # every text block parsed
        t0 = time.perf_counter()
        page.select_option("#f-category", "mt")
        page.wait_for_function("document.getElementById('count').textContent.length > 0")
        filter_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        page.locator("#doc-list tbody tr").first.click()
        page.wait_for_selector("#text")
        doc_s = time.perf_counter() - t0
        b.close()
    print(
        json.dumps(
            {
                "documents": n,
                "audit_s": round(audit_s, 1),
                "render_s": round(render_s, 2),
                "report_mb": round(size_mb, 1),
                "open_s": round(open_s, 2),
                "load_s": round(load_s, 2),
                "filter_s": round(filter_s, 3),
                "open_document_s": round(doc_s, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
