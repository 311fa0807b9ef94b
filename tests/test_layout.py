import pytest
import yaml
from conftest import ROOT, hits

from audit.catalog import all_checks
from audit.text import TextView

HEADLINE = "Council approves new budget after long debate\n"
BODY = (
    "The city council approved the new budget on Tuesday after a debate that lasted more than six hours and "
    "ended with a narrow vote of 12 to 10, officials said.\n"
    "The budget increases spending on schools and public transport while cutting the administrative costs of the "
    "council itself by almost a tenth, the mayor said.\n"
)
ARTICLE = HEADLINE + BODY


def test_link_list_under_a_header_until_prose_resumes():
    text = ARTICLE + "Most Popular\nFlooding closes the river road\nMayor opens new library\n" + BODY
    found = hits("RES011", text)
    assert found == ["Flooding closes the river road", "Mayor opens new library"]


def test_comment_thread_after_header():
    text = ARTICLE + ARTICLE + "Comments\nGreat article, thanks.\nI disagree with the council."
    assert hits("RES012", text) == ["Comments", "Great article, thanks.", "I disagree with the council."]


def test_bylines_between_headline_and_body():
    text = "Council approves new budget\nPolitics\nJane Whitcombe\n" + BODY
    assert hits("RES014", text) == ["Jane Whitcombe"]


def test_header_zone_tables_and_subtitles_are_content():
    table = "Standings after round 12\nPos Driver Points\n1\nKyle Marchetti\n5040\n" + BODY
    assert hits("RES014", table) == []
    dek = "Council approves new budget\nThe spending plan nobody wanted\n" + BODY
    assert hits("RES014", dek) == []


def test_headline_is_content_even_after_a_placeholder():
    text = "[ad_1]\n" + ARTICLE
    assert "Council approves new budget after long debate" not in hits("RES014", text)


def test_trailing_headlines_flagged_but_a_closing_sentence_is_not():
    closing = "The council will meet again next month."
    text = (
        ARTICLE
        + BODY
        + BODY
        + closing
        + "\nFlooding closes the river road\nResidents told to boil water\nMayor opens new library in the north\n"
    )
    found = hits("RES015", text)
    assert "Flooding closes the river road" in found and "Mayor opens new library in the north" in found
    assert closing not in found


def test_a_numbered_list_that_is_the_article_is_not_a_tail():
    text = "Ten things to do this weekend\n" + "\n".join(
        f"Visit the museum number {i} in the old town" for i in range(10)
    )
    assert hits("RES015", text) == []


def test_a_menu_repeated_in_order_is_flagged_both_times():
    menu = "World\nBusiness\nSport\nCulture\n"
    text = "Council approves budget\n" + menu + BODY + menu
    assert hits("RES016", text) == ["World", "Business", "Sport", "Culture"] * 2


def test_repeated_subheads_of_a_structured_article_are_content():
    day = "Breakfast\nOatmeal with berries\nLunch\nLentil soup\nDinner\nGrilled salmon with rice\n"
    text = "A week of easy meals\n" + BODY + "Day 1\n" + day + "Day 2\n" + day.replace("Lentil", "Tomato")
    assert hits("RES016", text) == []


STRUCTURED = yaml.safe_load((ROOT / "tests" / "data" / "structured_articles.yaml").read_text(encoding="utf-8"))


def _flagged_lines(text: str) -> list[str]:
    """The lines that residue findings cover for at least half of their characters."""
    view = TextView(text)
    spans = [(h.start, h.end) for c in all_checks() if c.category == "residue" and c.fn is not None for h in c.fn(view)]
    out = []
    for line in view.body:
        start, end = line.span
        covered = sum(max(0, min(e, end) - max(s, start)) for s, e in _merge(spans))
        if 2 * covered >= end - start:
            out.append(text[start:end])
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@pytest.mark.parametrize("article", STRUCTURED["articles"], ids=[a["name"] for a in STRUCTURED["articles"]])
def test_structured_articles_keep_their_content(article):
    assert _flagged_lines(article["text"]) == article["residue"]


def test_learned_model_leaves_a_forecasts_run_of_field_lines():
    """RES017 on a weather page as html-text leaves it: the menu and footer may fire, the forecast's days (three
    `Day: ...` lines in a row, structure.in_field_run) do not (issue #28)."""
    days = [
        "Today: Showers, heavy at times. High 8C.",
        "Tonight: Clearing to frost. Low 1C.",
        "Friday: Bright and cold.",
    ]
    text = "\n".join(["Forecast", "Maps", "Warnings", "Hollin weather", *days, "Privacy", "Cookies"])
    found = hits("RES017", text)
    assert "Privacy" in found and not set(days) & set(found)


def test_learned_model_leaves_titles_under_a_lead_in_cut_before_its_colon():
    """RES017 leaves a run opened by a lead-in (`The shortlisted novels are`, structure.announces_list) over the
    titles it announces (session 13)."""
    titles = [
        "Harbour Lights by Ann Keel",
        "The Salt Marsh by Tom Ruddock",
        "Winter Wheat by Jo Pell",
        "Far Fields by Ed Lamb",
    ]
    prose = "Four first novels are on the shortlist for this year's county prize for fiction, to be awarded in March."
    text = "\n".join(["County fiction prize shortlist", prose, "The shortlisted novels are", *titles])
    assert not set(titles) & set(hits("RES017", text))
