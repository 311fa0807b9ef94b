"""The HTML report as a person sees it, in headless Chromium (Debian's package, driven by Playwright).

Skips with the reason where Playwright or Chromium is missing. Screenshots go to tmp_path, or to the
folder named by AUDIT_SCREENSHOTS.
"""

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, SHARED

from audit.engine import Options, audit_documents
from audit.load import load_documents
from audit.model import Document
from audit.report import render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

HOSTILE = (
    'Breaking: <script>window.__pwned = 1</script> "><img src=x onerror="window.__pwned = 2"> '
    "</script><script>window.__pwned = 3</script>\nRead more\nThe council met on Monday and approved the budget."
)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def _report(tmp_path: Path, docs) -> Path:
    result = audit_documents(docs, Options(jobs=1))
    path = tmp_path / "report.html"
    path.write_text(render_report(result), encoding="utf-8")
    return path


def _shot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("AUDIT_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def page(browser):
    pg = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    assert not errors, errors
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests  # works offline
    pg.close()


def corpus():
    seeds = SHARED / "seeds"
    return list(load_documents([seeds if seeds.is_dir() else SAMPLE]))


def test_highlights_hover_and_click(page, tmp_path):
    page.goto((_report(tmp_path, corpus())).as_uri())
    first = page.locator("#doc-list tbody tr").first
    first.click()
    marks = page.locator("#text mark")
    assert marks.count() > 0
    marks.first.hover()
    assert page.locator("#tip").is_visible()
    marks.first.click()
    assert page.locator("#finding .panel").count() >= 1
    assert page.locator("#finding").inner_text().strip()
    assert _shot(page, tmp_path, "report-document.png").stat().st_size > 10_000


def test_filters_by_category_code_source_score_and_id(page, tmp_path):
    docs = corpus()
    page.goto(_report(tmp_path, docs).as_uri())
    total = len(docs)
    assert page.locator("#count").inner_text() == f"{total} of {total} documents"
    page.select_option("#f-category", "bio")
    n_bio = page.locator("#doc-list tbody tr").count()
    assert 0 < n_bio < total
    page.select_option("#f-category", "")
    page.select_option("#f-code", "RES001")
    assert page.locator("#doc-list tbody tr").count() >= 1
    page.select_option("#f-code", "")
    page.fill("#f-min", "99.5")
    assert page.locator("#doc-list tbody tr").count() < total
    page.fill("#f-min", "0")
    some_id = docs[1].id
    page.fill("#f-search", some_id)
    rows = page.locator("#doc-list tbody tr")
    assert rows.count() >= 1 and rows.first.get_attribute("data-id") == some_id
    page.fill("#f-search", "")
    page.select_option("#f-source", index=1)
    assert page.locator("#doc-list tbody tr").count() >= 1


def test_name_variants_and_sources_views(page, tmp_path):
    page.goto(_report(tmp_path, corpus()).as_uri())
    page.click("button[data-tab=t-names]")
    assert page.locator("#names [data-canonical]").count() >= 1
    page.click("button[data-tab=t-claims]")
    assert page.locator("#claims tbody tr").count() >= 1
    page.click("button[data-tab=t-sources]")
    assert page.locator("#sources tbody tr").count() >= 1
    _shot(page, tmp_path, "report-sources.png")


def test_hostile_document_shows_as_text_and_runs_nothing(page, tmp_path):
    docs = [Document("<img src=x onerror=alert(1)>", HOSTILE, source="<b>evil</b>"), *corpus()[:2]]
    page.goto(_report(tmp_path, docs).as_uri())
    page.fill("#f-search", "<img")
    page.locator("#doc-list tbody tr").first.click()
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.locator("#text").inner_text()
    assert page.locator("#text script, #text img, #doc-list img").count() == 0
    _shot(page, tmp_path, "report-hostile.png")
