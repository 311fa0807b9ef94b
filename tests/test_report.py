"""The HTML report as a person sees it, in headless Chromium (Debian's package, driven by Playwright).

The browser tests skip with the reason where Playwright or Chromium is missing; the tests of the page's
data run everywhere. Screenshots go to tmp_path, or to the folder named by AUDIT_SCREENSHOTS.
"""

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, SHARED

from audit.engine import Options, audit_documents
from audit.load import load_documents
from audit.records import Document
from audit.report import cut_words, main_reason, plain_deduction, render_report, report_data, whole_quotes
from audit.score import Deduction

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright import sync_api
except ImportError:  # the data tests still run
    sync_api = None

HOSTILE = (
    'Breaking: <script>window.__pwned = 1</script> "><img src=x onerror="window.__pwned = 2"> '
    "</script><script>window.__pwned = 3</script>\nRead more\nThe council met on Monday and approved the budget."
)

ROWS = [  # a CSV with title and url columns: two sources, a residue, an MT disclosure and a provenance mark
    {
        "id": "a1",
        "title": "Council approves the harbour budget",
        "url": "https://www.example.org/news/a1",
        "source": "courier",
        "text": "Council approves budget\n[ad_1]\nThe council approved the harbour budget on Tuesday, officials said, "
        "after a debate that lasted most of the afternoon and ended with a clear vote.\nRead more: Floods hit the "
        "north\nThe mayor said the money would repair the old pier before winter storms arrive.",
    },
    {
        "id": "a2",
        "title": "",
        "url": "https://news.example.com/2023/ferry",
        "source": "courier",
        "text": "Ferry cancelled after storm\nThe ferry to the island was cancelled on Monday because of high waves, "
        "the operator said, and passengers were offered refunds or seats on Wednesday's crossing instead of waiting.",
    },
    {
        "id": "b1",
        "title": "Minister visits the flooded valley",
        "url": "http://wire.example.net/b1",
        "source": "wire",
        "text": "Minister visits the flooded valley\nThis article was machine translated.\nThe minister visited the "
        "flooded valley on Sunday and promised help to farmers whose fields were destroyed by the water, according "
        "to local officials (Reuters) - who spoke to reporters.",
    },
]


def csv_corpus(tmp_path: Path) -> list[Document]:
    path = tmp_path / "articles.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "title", "url", "source", "text"])
        w.writeheader()
        w.writerows(ROWS)
    return list(load_documents([path]))


def corpus():
    seeds = SHARED / "seeds"
    return list(load_documents([seeds if seeds.is_dir() else SAMPLE]))


def _report(tmp_path: Path, docs) -> Path:
    result = audit_documents(docs, Options(jobs=1))
    path = tmp_path / "report.html"
    path.write_text(render_report(result), encoding="utf-8")
    return path


# --- the page's data -------------------------------------------------------------------------------


def test_main_reason_reads_the_deductions():
    share = Deduction(30.0, "", "residue", "residue and bios cover 31% of the text")
    ad, menu = Deduction(2.0, "RES001", "residue", "ad placeholder", 2), Deduction(1.0, "RES004", "residue", "label")
    lang = Deduction(40.0, "INT005", "integrity", "document is in 'pl'")
    assert main_reason((share, ad)) == "ad placeholder: 31% of the text"
    assert main_reason((share, ad, menu)) == "ad placeholder and other residue: 31% of the text"
    assert main_reason((lang, share, ad)) == "not in the expected language"
    assert main_reason((Deduction(5.0, "MT001", "mt", "x", 3),)) == "says it was machine-translated (3×)"
    assert main_reason(()) == "no findings"


def test_plain_reasons_and_word_boundaries():
    assert plain_deduction(Deduction(18.0, "MT006", "mt", "paragraph repeats line 1 in other words")) == (
        "paragraph repeated in other words"
    )
    assert plain_deduction(Deduction(13.5, "RES001", "residue", "ad placeholder", 2)) == "ad placeholder (2×)"
    assert plain_deduction(Deduction(2.4, "", "", "residue and bios cover 6% of the text")) == (
        "residue and bios: 6% of the text"
    )
    assert plain_deduction(Deduction(5.0, "XYZ001", "custom", "something odd")) == "something odd"  # a plug-in's
    assert cut_words("an immediate end to the fighting", 25) == "an immediate end to the…"
    assert cut_words("short enough", 25) == "short enough"
    quote = "The secretary-general calls in the strongest terms for an immediate end to the fighting and for restraint"
    message = f"quotation re-translated: other sources quote this speaker as “{quote[:60]}”"
    assert whole_quotes(message, quote).endswith(f"“{quote}”")  # whole when it fits
    assert "“" not in whole_quotes("no quotation", quote)
    cut = f"quotation re-translated: other sources quote this speaker as “{quote[:80]}”"  # as MT009 writes it
    assert quote[:80].endswith(" f") and whole_quotes(cut, None).endswith("an immediate end to the…”")


def test_data_titles_hosts_worst_first_and_totals_that_add_up(tmp_path):
    result = audit_documents(csv_corpus(tmp_path), Options(jobs=1))
    data = report_data(result)
    by_id = {d["id"]: d for d in data["docs"]}
    assert by_id["a1"]["title"] == "Council approves the harbour budget" and by_id["a1"]["host"] == "example.org"
    assert by_id["a2"]["title"] == "Ferry cancelled after storm" and by_id["a2"]["host"] == "news.example.com"
    scores = [d["score"] for d in data["docs"]]
    assert scores == sorted(scores)  # worst first: the page does not sort again
    totals = data["totals"]
    assert totals["categories"]["provenance"] >= 1 and "provenance" in data["categories"]
    assert sum(totals["categories"].values()) == totals["findings"]
    assert [s["kind"] for s in data["source_from"]] == ["column"]
    courier = next(s for s in data["sources"] if s["source"] == "courier")
    assert sum(courier["bins"]) == 2 and courier["with"]["residue"] == 1


def test_canonical_names_are_counted_in_every_document_that_holds_one():
    """The names table counts each canonical form's name tokens in the documents where a search for the
    canonical forms finds one: the same counts as tokenizing every document."""
    from audit.corpus.mentions import name_tokens

    docs = corpus() + [Document("plain", "Pashinyan and Pashinian met. Nothing else here.")]
    result = audit_documents(docs, Options(jobs=1))
    names = report_data(result)["names"]
    if not names:
        pytest.skip("no name variants in this corpus")
    for cluster in names:
        form = cluster["forms"][0]
        assert form["canonical"]
        count, touched = 0, 0
        for r in result.results:
            n = sum(w == form["form"] for _, _, w in name_tokens(r.doc.text)) if r.doc.readable else 0
            count, touched = count + n, touched + (n > 0)
        assert (form["occurrences"], form["documents"]) == (count, touched)


def test_the_worst_text_comes_before_the_script_and_output_is_deterministic(tmp_path):
    result = audit_documents(csv_corpus(tmp_path), Options(jobs=1))
    html = render_report(result)
    assert html == render_report(result)
    first, script = html.index('id="t0"'), html.index("<script>\n")
    assert first < script and html.count('<script type="application/json" id="t') == len(ROWS)
    assert "__FIRST__" not in html and "__DATA__" not in html


def test_a_text_holding_a_placeholder_stays_text(tmp_path):
    docs = [Document("x", "__DATA__ and __TITLE__ __FIRST__ " * 20, source="s"), *csv_corpus(tmp_path)]
    html = render_report(audit_documents(docs, Options(jobs=1)), title="t")
    data = json.loads(re.search(r'id="data">(.*?)</script>', html, re.S).group(1))
    assert len(data["docs"]) == 4 and html.count("<title>t</title>") == 1


# --- in the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if sync_api is None:
        pytest.skip("playwright is not installed (pip install playwright)")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
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


def rows(page):
    return page.locator("#doc-list tbody tr.doc")


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
    n_bio = rows(page).count()
    assert 0 < n_bio < total
    page.select_option("#f-category", "")
    page.select_option("#f-code", "RES001")
    assert rows(page).count() >= 1
    page.select_option("#f-code", "")
    page.fill("#f-min", "99.5")
    assert rows(page).count() < total
    page.fill("#f-min", "0")
    some_id = docs[1].id
    page.fill("#f-search", some_id)
    assert rows(page).count() >= 1 and rows(page).first.get_attribute("data-id") == some_id
    page.fill("#f-search", "")
    page.select_option("#f-source", index=1)
    assert rows(page).count() >= 1


def test_list_shows_title_and_host_and_opens_the_worst_document(page, tmp_path):
    docs = csv_corpus(tmp_path)
    page.goto(_report(tmp_path, docs).as_uri())
    page.wait_for_selector("#detail h2")
    first = rows(page).first
    assert first.get_attribute("data-id") == "a1"  # the worst document comes first, and is open
    assert first.locator(".t").inner_text() == "Council approves the harbour budget"
    assert first.locator(".h").inner_text().startswith("example.org")
    assert page.locator("#detail h2").inner_text() == "Council approves the harbour budget"
    ferry = page.locator('#doc-list tr[data-id="a2"]')
    assert ferry.locator(".t").inner_text() == "Ferry cancelled after storm"  # no title: the first line
    assert ferry.locator(".h").inner_text().startswith("news.example.com")
    # plain words, the residue share named by its residue; codes and points on hover
    assert first.locator("td.main").inner_text().startswith("ad placeholder")
    assert "RES001" in first.locator("td.main").get_attribute("title")
    assert page.locator("#detail .reasons").inner_text().count("points") >= 1
    page.fill("#f-search", "news.example")
    assert rows(page).count() == 1
    _shot(page, tmp_path, "report-csv.png")


def test_category_totals_equal_the_findings_card(page, tmp_path):
    docs = corpus()
    page.goto(_report(tmp_path, docs).as_uri())
    card = int(page.locator("#card-findings b").inner_text())
    bars = page.locator("#catbars .catbar")
    counts = [int(bars.nth(k).get_attribute("data-count")) for k in range(bars.count())]
    assert sum(counts) == card
    assert page.locator('#catbars .catbar[data-category="provenance"]').count() == 1
    assert page.evaluate("""() => {  // every histogram label lies inside the chart
        const box = document.getElementById('hist').getBoundingClientRect();
        return [...document.querySelectorAll('#hist text')].every(t => {
            const r = t.getBoundingClientRect();
            return r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right;
        });
    }""")
    page.locator('#catbars .catbar[data-category="residue"]').click()  # a bar lists its documents
    assert page.locator("#f-category").input_value() == "residue" and rows(page).count() >= 1


def test_sources_sort_filter_and_counts_that_link_to_the_list(page, tmp_path):
    page.goto(_report(tmp_path, csv_corpus(tmp_path)).as_uri())
    page.click("#tab-sources")
    assert "`source` column" not in page.locator("#source-from").inner_text()
    assert "source column" in page.locator("#source-from").inner_text()

    def order():
        return [r.get_attribute("data-source") for r in page.locator("#sources tbody tr").all()]

    assert order() == ["courier", "wire"]  # most documents first
    page.locator("#sources th", has_text="source").first.locator("button").click()
    assert order() == ["courier", "wire"]
    assert page.locator("#sources th", has_text="source").first.get_attribute("aria-sort") == "ascending"
    page.locator("#sources th", has_text="source").first.locator("button").click()
    assert order() == ["wire", "courier"]
    assert page.locator("#sources tbody tr svg.mini.scores").count() == 2  # score distribution per source
    page.fill("#s-filter", "wir")
    assert order() == ["wire"] and page.locator("#s-count").inner_text() == "1 of 2 sources"
    page.fill("#s-filter", "")
    page.locator('#sources tr[data-source="courier"] td').nth(1).locator("button").click()
    assert page.locator("#t-docs").is_visible()
    assert page.locator("#count").inner_text() == "2 of 3 documents"
    assert {r.get_attribute("data-id") for r in rows(page).all()} == {"a1", "a2"}
    page.click("#tab-sources")
    page.locator('#sources tr[data-source="wire"] button', has_text="100%").first.click()  # wire's mt rate
    assert page.locator("#f-category").input_value() in ("mt", "provenance")
    assert [r.get_attribute("data-id") for r in rows(page).all()] == ["b1"]


def test_names_ordered_searchable_and_each_spelling_one_click_away(page, tmp_path):
    docs = corpus()
    path = _report(tmp_path, docs)
    names = report_data(audit_documents(docs, Options(jobs=1)))["names"]
    if not names:
        pytest.skip("no name variants in this corpus")
    page.goto(path.as_uri())
    page.click("#tab-names")
    shown = [r.get_attribute("data-canonical") for r in page.locator("#names tbody tr").all()]
    assert shown == [c["canonical"] for c in names]
    touched = [c["documents"] for c in names]
    assert touched == sorted(touched, reverse=True)  # the names touching most documents first
    page.locator("#names th", has_text="name").first.locator("button").click()
    shown = [r.get_attribute("data-canonical") for r in page.locator("#names tbody tr").all()]
    assert shown == sorted(shown, key=str.lower)
    variant = next(f for f in names[0]["forms"] if not f["canonical"])
    page.fill("#n-filter", variant["form"].lower())
    assert names[0]["canonical"] in [r.get_attribute("data-canonical") for r in page.locator("#names tbody tr").all()]
    page.locator("#names button", has_text=variant["form"] + " ·").first.click()
    assert page.locator("#only").is_visible() and variant["form"] in page.locator("#only-label").inner_text()
    assert rows(page).count() == len(variant["shown"])
    page.click("#only-clear")
    assert rows(page).count() == len(docs)
    _shot(page, tmp_path, "report-names.png")


def test_keyboard_reaches_rows_tabs_and_counts(page, tmp_path):
    docs = corpus()
    page.goto(_report(tmp_path, docs).as_uri())
    page.wait_for_selector("#detail h2")
    page.focus("#doc-list tbody tr[tabindex='0']")
    page.keyboard.press("ArrowDown")
    second = rows(page).nth(1)
    assert page.evaluate("document.activeElement.dataset.id") == second.get_attribute("data-id")
    assert "sel" in second.get_attribute("class")
    assert page.locator("#detail h2").inner_text() == second.locator(".t").inner_text()
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.dataset.id") == rows(page).last.get_attribute("data-id")
    page.focus("#tab-docs")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-sources"
    assert page.locator("#t-sources").is_visible() and not page.locator("#t-docs").is_visible()
    for _ in range(40):  # Tab through the view to the first count that links to documents
        page.keyboard.press("Tab")
        if page.evaluate(
            "!!document.activeElement.closest('#sources tbody') && document.activeElement.tagName === 'BUTTON'"
        ):
            break
    else:
        pytest.fail("no count in the Sources table is reachable by Tab")
    page.keyboard.press("Enter")
    assert page.locator("#t-docs").is_visible() and rows(page).count() >= 1


def test_hostile_document_shows_as_text_and_runs_nothing(page, tmp_path):
    docs = [Document("<img src=x onerror=alert(1)>", HOSTILE, source="<b>evil</b>"), *corpus()[:2]]
    docs[0].meta = {"title": "<script>window.__pwned = 4</script>", "url": "javascript:window.__pwned = 5"}
    page.goto(_report(tmp_path, docs).as_uri())
    page.fill("#f-search", "<img")
    page.locator("#doc-list tbody tr").first.click()
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.locator("#text").inner_text()
    assert page.locator("#text script, #text img, #doc-list img, #detail a").count() == 0  # no javascript: link
    page.click("#tab-sources")
    assert (
        page.locator('#sources tr[data-source="<b>evil</b>"]').count() == 1 and page.locator("#sources b").count() == 0
    )
    assert page.evaluate("window.__pwned") is None
    _shot(page, tmp_path, "report-hostile.png")


def test_where_sources_came_from_and_the_mt_probability_distribution(tmp_path):
    docs = csv_corpus(tmp_path)
    docs[2].meta = {**docs[2].meta, "source_from": "url-host"}
    data = report_data(audit_documents(docs, Options(jobs=1, ignore=("mt",))))
    assert {s["kind"]: s["documents"] for s in data["source_from"]} == {"column": 2, "url-host": 1}
    assert data["mt_probability"] is False and "mtp_bins" not in data["sources"][0]  # not computed: not shown
    result = audit_documents(docs, Options(jobs=1))
    assert all(0 <= d["mtp"] <= 1 for d in report_data(result)["docs"])
    for r, p in zip(result.results, (0.05, 0.55, 0.95), strict=True):
        r.mt_probability = p
    data = report_data(result)
    courier = next(s for s in data["sources"] if s["source"] == "courier")
    assert data["mt_probability"] is True and courier["mtp_bins"] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert sorted(d["mtp"] for d in data["docs"]) == [0.05, 0.55, 0.95]


def test_sources_show_the_mt_probability_once_there(page, tmp_path):
    result = audit_documents(csv_corpus(tmp_path), Options(jobs=1))
    for r, p in zip(result.results, (0.05, 0.55, 0.95), strict=True):
        r.mt_probability = p
    path = tmp_path / "report.html"
    path.write_text(render_report(result), encoding="utf-8")
    page.goto(path.as_uri())
    page.click("#tab-sources")
    assert page.locator("#sources th", has_text="MT probability").count() == 1
    assert page.locator("#sources tbody tr").first.locator("svg.mini.mtp").count() == 1
    assert "machine-translation probability" in page.locator("#detail").inner_text()


def test_a_title_from_the_text_skips_residue_above_the_headline():
    text = (
        "[ad_1]\nShare\nStorm closes the port of Odesa\nThe port of Odesa closed on Monday as a storm brought "
        "waves of six metres, the harbour master said, and ships waited at anchor outside the bay until the wind fell."
    )
    data = report_data(audit_documents([Document("d", text, source="s")], Options(jobs=1)))
    assert data["docs"][0]["title"] == "Storm closes the port of Odesa"


def test_corroboration_read_when_its_tab_opens_and_linked_to_documents(page, tmp_path):
    page.goto(_report(tmp_path, corpus()).as_uri())
    page.wait_for_load_state("load")
    page.click("#tab-claims")
    claims = page.locator("#claims tbody tr[data-status]")
    assert claims.count() >= 1
    doc_id = claims.first.locator("td").nth(1).inner_text()
    claims.first.locator("td").nth(1).locator("button").click()
    assert [r.get_attribute("data-id") for r in rows(page).all()] == [doc_id]
    assert page.locator("#detail h2").is_visible()


# --- what a newcomer reads: titles, spacing suggestions, huge documents, the checks table ------------

MT_SPACING = (
    "The minister said : the plan stands, and the budget will pass this week after a long debate in parliament.\n"
    "Officials said the vote would come on Thursday, once the committee has finished its work on the text."
)
HEADLINE_AFTER_NOISE = (
    "Read more: Floods hit the north again\n"
    "Home | World | Politics | Sport\n"
    "Council approves the harbour budget\n"
    "The council approved the harbour budget on Tuesday, officials said, after a debate that lasted most of "
    "the afternoon and ended with a clear vote in favour of the plan to repair the old pier."
)


def test_spacing_only_suggestions_are_said_in_words():
    from audit.report import change_in_words

    assert change_in_words(" :", ":") == "remove the space before ':'"
    assert change_in_words("x\u00a0!", "x!") == "remove the no-break space before '!'"
    assert change_in_words("a,b", "a, b") == "add a space before 'b'"
    assert change_in_words("« x »", "«x»") == "change only the spacing, to “«x»”"
    assert change_in_words("colour", "color") is None and change_in_words(" :", "") is None


def test_a_title_is_the_first_clean_line_that_reads_as_a_headline():
    from audit.report import document_title as title
    from audit.report import reads_as_headline

    result = audit_documents([Document("x", HEADLINE_AFTER_NOISE, source="s")], Options(jobs=1))
    assert "RES002" in {f.code for f in result.results[0].findings}  # the first line is residue
    assert report_data(result)["docs"][0]["title"] == "Council approves the harbour budget"
    assert title({"title": "From the column"}, HEADLINE_AFTER_NOISE, []) == "From the column"
    body = "The council approved the budget on Tuesday after a debate that lasted most of the afternoon, " * 2
    assert title({}, body + "\nA later short line", []) == cut_words(body, 160)  # body first: no headline hunt
    assert not reads_as_headline("Home | World | Politics") and not reads_as_headline("Menu")
    assert not reads_as_headline("The council met on Monday.") and reads_as_headline("Storm kills 29 in the south")


def test_a_huge_document_is_shown_as_a_bounded_excerpt(tmp_path):
    para = "The council approved the harbour budget on Tuesday, officials said, after a long debate.\n"
    text = "Harbour budget approved\n[ad_1]\n" + para * 12_000 + "[ad_2]\n"  # about 1 MB
    result = audit_documents([Document("huge", text, source="s")], Options(jobs=1, select=("RES001",)))
    html = render_report(result)
    assert len(text) > 1_000_000 and len(html) < 300_000
    doc = report_data(result)["docs"][0]
    shown, total, beyond = doc["cut"]
    assert shown <= 200_000 and total == len(text) and beyond == 1  # [ad_2] lies past the excerpt
    block = json.loads(re.search(r'id="t0">(.*?)</script>', html, re.S).group(1))
    assert block[0] == text[:shown] and text[shown] == "\n" and [f[0] for f in block[1]] == [24]


def _checks_cut(page) -> list[str]:
    """The cells of the findings-by-check table whose text is cut, or that sit in a box that scrolls."""
    return page.evaluate("""() => {
        const bad = [];
        for (let e = document.getElementById('checks').parentElement; e; e = e.parentElement) {
            const s = getComputedStyle(e);
            if (/(auto|scroll|hidden)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1) bad.push('box ' + e.tagName);
        }
        for (const td of document.querySelectorAll('#checks td'))
            if (td.scrollWidth > td.clientWidth + 1 || td.scrollHeight > td.clientHeight + 1) bad.push(td.textContent);
        return bad;
    }""")


def test_findings_by_check_is_a_table_that_grows_not_a_scroll_box(page, tmp_path):
    page.goto(_report(tmp_path, corpus()).as_uri())
    n = page.locator("#checks tbody tr").count()
    assert n >= 8 and _checks_cut(page) == []
    box = page.locator("#checks").bounding_box()
    last = page.locator("#checks tbody tr").last.bounding_box()
    assert last["y"] + last["height"] <= box["y"] + box["height"] + 1  # every row inside the table's own height
    page.set_viewport_size({"width": 900, "height": 800})  # a narrow window wraps the rows, cuts none
    assert _checks_cut(page) == []
    _shot(page, tmp_path, "report-checks.png")


def test_a_spacing_suggestion_and_a_headline_title_in_the_browser(page, tmp_path):
    docs = [Document("mt", MT_SPACING, source="s"), Document("noisy", HEADLINE_AFTER_NOISE, source="s")]
    page.goto(_report(tmp_path, docs).as_uri())
    noisy = page.locator('#doc-list tr[data-id="noisy"]')
    assert noisy.locator(".t").inner_text() == "Council approves the harbour budget"
    page.locator('#doc-list tr[data-id="mt"]').click()
    row = page.locator("#detail table tbody tr", has_text="MT004")
    assert row.locator("td").nth(3).inner_text() == "remove the space before ':'"
    page.locator("#text mark", has_text=":").first.click()
    assert "suggestion: remove the space before ':'" in page.locator("#finding").inner_text()


def test_a_huge_document_opens_as_an_excerpt_that_says_so(page, tmp_path, monkeypatch):
    import audit.report.data

    monkeypatch.setattr(audit.report.data, "EXCERPT_CHARS", 2_000)
    para = "The council approved the harbour budget on Tuesday, officials said, after a long debate.\n"
    text = "Harbour budget approved\n[ad_1]\n" + para * 200 + "[ad_2]\n"
    page.goto(_report(tmp_path, [Document("huge", text, source="s")]).as_uri())
    page.wait_for_selector("#excerpt")
    note = page.locator("#excerpt").inner_text()
    shown = text.rfind("\n", 0, 2_000)
    assert f"this document has {len(text):,} characters, and the report shows the first {shown:,}" in note
    assert "1 more findings lie beyond it" in note
    assert len(page.locator("#text").inner_text()) < 2_000 and page.locator("#text mark").count() == 1
    page.fill("#f-search", "huge")  # the page stays usable
    assert rows(page).count() == 1
