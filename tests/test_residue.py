import pytest
import yaml
from conftest import ROOT, hits

from audit.catalog import all_checks
from audit.text import TextView


def test_ad_placeholders_fire_and_prose_mentioning_ads_does_not():
    text = "[ad_1]\nThe council met on Monday.\nAdvertisement\nThe ad campaign cost $3m, officials said.\n[adsense]"
    assert hits("RES001", text) == ["[ad_1]", "Advertisement", "[adsense]"]


def test_related_links_need_an_opener_or_a_lone_header():
    text = (
        "Read more: Floods hit the north again\n"
        "Related\n"
        "More than 200 people were evacuated, the mayor said.\n"
        "See also the minister's statement on Tuesday\n"
    )
    found = hits("RES002", text)
    assert "Read more: Floods hit the north again" in found
    assert "Related" in found
    assert not any(f.startswith("More than") for f in found)


def test_calls_to_action_only_on_short_lines():
    long_prose = (
        "The company, which started as a weekly newsletter for farmers in 1998, now employs 400 people and "
        "publishes in six languages across the region, according to its annual report released this week."
    )
    text = f"Sign up now to get our newsletter in your inbox.\n{long_prose}\nFollow us on Twitter"
    found = hits("RES003", text)
    assert found == ["Sign up now to get our newsletter in your inbox.", "Follow us on Twitter"]


def test_page_furniture_lines_and_counters():
    text = "Share | Email | Print\nRating: 12 Votes\n1 / 23\nShare prices fell by 3 per cent on Monday."
    assert hits("RES004", text) == ["Share | Email | Print", "Rating: 12 Votes", "1 / 23"]


def test_captions_and_credits():
    text = (
        "Firefighters work at the scene in Kharkiv. Reuters\n"
        "Smoke over the port. © Acme Photo/Jane Roe\n"
        "Protesters gathered outside parliament. (AP Photo/John Smith, File)\n"
        "Reuters reported on Monday that the talks had stalled.\n"
        "The bill passed 52 to 48 after a long debate in the Senate and a vote in the House."
    )
    found = hits("RES005", text)
    assert len(found) == 3
    assert not any(f.startswith("Reuters reported") for f in found)


def test_timestamps_on_their_own_line_only():
    text = (
        "Updated: September 20, 2023, 7:17 AM\n"
        "Nov. 19, 2019 8:03 am ET\n"
        "5 min read\n"
        "On September 20, the ministry said it would publish the figures by 9:00 the next day.\n"
    )
    found = hits("RES006", text)
    assert found == ["Updated: September 20, 2023, 7:17 AM", "Nov. 19, 2019 8:03 am ET", "5 min read"]


def test_embedded_post_attribution_is_not_a_timestamp():
    assert hits("RES006", "— Jane Roe (@janeroe) November 18, 2019") == []


def test_source_and_byline_lines():
    text = (
        "Source :Skai\n"
        "Reporting by Jane Roe; Editing by John Smith\n"
        "By Maria Lopez, Staff Writer\n"
        "By Tuesday evening the water had receded.\n"
        "The source said the talks would resume."
    )
    found = hits("RES007", text)
    assert found == ["Source :Skai", "Reporting by Jane Roe; Editing by John Smith", "By Maria Lopez, Staff Writer"]


def test_metadata_fields_exact_span():
    text = " date 2023-09-19 Azerbaijan said it had launched an operation.\nTags: politics, floods"
    found = hits("RES008", text)
    assert found == ["date 2023-09-19", "Tags: politics, floods"]


def test_html_remnants_but_not_comparisons_or_editorial_brackets():
    text = (
        'The <div class="x">minister</div> said &nbsp;it was over.\n'
        '[button link="https://example.com"] Send us your story[/button]\n'
        "Turnout was <50% and [the president] said 3 < 4 > 2."
    )
    found = hits("RES009", text)
    assert '<div class="x">' in found and "</div>" in found and "&nbsp;" in found
    assert "[/button]" in found
    assert not any("president" in f or "<50" in f for f in found)


def test_copyright_notice():
    text = "© 2019 Example Media Inc. All Rights Reserved.\nThe court ruled that copyright had expired in 1990."
    assert hits("RES010", text) == ["© 2019 Example Media Inc. All Rights Reserved."]


LINES = yaml.safe_load((ROOT / "tests" / "data" / "residue_lines.yaml").read_text(encoding="utf-8"))
_ARTICLE = [
    "Harbour authority approves new ferry terminal",
    "The harbour authority approved plans for a new ferry terminal on Wednesday, ending a decade of argument "
    "over where the island services should dock and how much the town should pay.",
    "The terminal will be built on the site of the old fish market and should open in 2027, the authority said, "
    "with room for two ferries to load at the same time.",
    "Local businesses welcomed the decision, though some residents said they were worried about traffic on the "
    "narrow roads that lead down to the quay.",
    '"This is the right place, and it is about time," said the authority\'s chair, Morag Lindsay, after the vote.',
    "The project is expected to cost about £60 million, most of it from the regional government.",
]
POSITIONS = (0, 1, 3, len(_ARTICLE))  # above the headline, under it, mid-article, at the end


def _residue_spans(text: str) -> list[tuple[int, int]]:
    view = TextView(text)
    return [(h.start, h.end) for c in all_checks() if c.category == "residue" and c.fn for h in c.fn(view)]


def _inserted(line: str, pos: int) -> tuple[bool, list[str]]:
    """(is the line inserted before paragraph `pos` flagged, evidence of findings elsewhere in the article)."""
    text = "\n".join([*_ARTICLE[:pos], line, *_ARTICLE[pos:]])
    start = sum(len(p) + 1 for p in _ARTICLE[:pos])
    end = start + len(line)
    covered, cur, elsewhere = 0, start, []
    for s, e in sorted(_residue_spans(text)):
        if s >= end or e <= start:
            elsewhere.append(text[s:e])
            continue
        s, e = max(s, cur), min(e, end)
        if e > s:
            covered, cur = covered + e - s, e
    return 2 * covered >= end - start, elsewhere


@pytest.mark.parametrize("line", LINES["residue"])
def test_common_residue_inserted_in_an_article_is_flagged_and_nothing_else(line):
    for pos in POSITIONS:
        flagged, elsewhere = _inserted(line, pos)
        assert flagged and not elsewhere, (pos, flagged, elsewhere)


@pytest.mark.parametrize("line", LINES["prose"])
def test_prose_that_looks_like_residue_is_not_flagged(line):
    for pos in POSITIONS[1:]:  # below the headline: a first line is a headline whatever it says
        assert _inserted(line, pos) == (False, []), pos


_STAMP_PARTS = [
    "Updated",
    "posted",
    "an hour ago",
    "1 hour ago",
    "5 min read",
    "Sept. 19",
    "19 May",
    "7:17",
    "2023-09-19",
]


def test_the_date_hint_is_in_every_date_signal():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from audit.checks.residue import _DATE_HINT, _DATE_SIGNAL

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(st.sampled_from([*_STAMP_PARTS, " ", "a", "one", "hour", "ago", "ſ", "K", "5", "/", "."]), max_size=8)
    )
    def check(parts):
        s = "".join(parts)
        assert not _DATE_SIGNAL.search(s) or _DATE_HINT.search(s)

    check()
    assert all(_DATE_SIGNAL.search(p) and _DATE_HINT.search(p) for p in _STAMP_PARTS)


# phrase lists of the residue checks (plain phrases, not patterns); bio_cues.txt has its own test in test_bio.py
PHRASE_LISTS = (
    "prompts",
    "prompts_short",
    "footer_links",
    "ui_words",
    "related_headers",
    "related_openers",
    "related_openers_intl",
    "mt_disclosures",
    "agencies",
    "nationalities",
)
SPECIFIC_WORDS = 5  # a phrase this long is one page's own wording; the general wording of a family is shorter


def _plain(s: str) -> str:
    import re

    return " ".join(re.sub(r"[^\w\s']", " ", s.casefold()).split())


def test_no_long_phrase_is_copied_from_the_evaluation_data(shared):
    """An entry of five words or more must not occur word for word in ../shared/eval or the seeds: such an
    entry was lifted from a page (`you are using a browser version`, cut mid-phrase), not written from
    how sites word a family of residue. Shorter entries are the families' common wording and may occur."""
    import json

    from audit.data import load_list

    texts = [p.read_text(encoding="utf-8") for p in (shared / "seeds").glob("*.txt")]
    for name in ("extraction-dev.jsonl", "trafilatura-dev.jsonl"):
        for line in (shared / "eval" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts += [row.get("text", ""), row.get("ground_truth", ""), *row.get("without", []), *row.get("with", [])]
    blob = f" {_plain(' '.join(texts))} "
    copied = [
        f"{name}: {entry}"
        for name in PHRASE_LISTS
        for entry in load_list(name)
        if len(_plain(entry).split()) >= SPECIFIC_WORDS and f" {_plain(entry)} " in blob
    ]
    assert not copied, copied


def test_every_data_file_says_where_its_entries_come_from():
    from importlib import resources

    silent = []
    for path in resources.files("audit.data").iterdir():
        if path.name.endswith((".txt", ".tsv")):
            head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:12]).casefold()
            if not any(
                k in head for k in ("where the entries come from", "source", "written for", "built by", "trained on")
            ):
                silent.append(path.name)
    assert not silent, silent


def test_a_prompt_as_a_whole_against_a_sentence_that_contains_one():
    from audit.checks.residue import is_whole_prompt

    assert is_whole_prompt("Subscribe to our newsletter")  # not a sentence at all
    assert is_whole_prompt("Sign up for our newsletter to get the best local stories every single morning.")
    assert is_whole_prompt("Don't miss a thing from the newsroom this week. Sign up for our daily email today.")
    assert not is_whole_prompt(
        "The council urged residents to sign up for our newsletter of closures, which it sends weekly."
    )


def test_two_writers_and_their_outlet():
    from audit.checks.residue import is_pair_byline

    assert is_pair_byline("Maria Kowalczyk and Tomasz Brzezinski, NBC News")
    assert is_pair_byline("Anna Svensson & Lars Holmqvist | Reuters")
    assert not is_pair_byline("Maria Kowalczyk and Tomasz Brzezinski")  # no outlet: a cast or a panel
    assert not is_pair_byline("Simon and Garfunkel Live in Central Park")
    assert not is_pair_byline("Maria Kowalczyk and Tomasz Brzezinski met the Reuters team.")


def test_a_notice_box_is_a_run_of_prompt_sentences_not_the_prose_around_it():
    from audit.checks.residue import notice_box

    box = (
        "Get the morning briefing from the Harbour Times. Sign up for our free daily newsletter and start the day "
        "with the headlines, the weather and the traffic, all in one short email before breakfast. You can "
        "unsubscribe at any time. Your email address will never be shared with anyone else."
    )
    assert notice_box(box) == (0, len(box))
    prose = (
        "The paper, which started as a weekly newsletter for farmers, now prints every day. Its editor said sales "
        "had risen for three years in a row, helped by the market pages and the weather. Advertising grew too, "
        "and the owners plan to hire six more reporters in the spring, she told staff on Friday."
    )
    assert notice_box(prose) is None  # one mention of a newsletter in prose
    far = (
        "Sign up for our newsletter today! The council met on Monday to discuss the plan for the new library. "
        "Members said it would open in the spring, a year later than planned. The builder blamed the price of "
        "steel. Residents asked for longer opening hours. You can unsubscribe at any time."
    )
    assert notice_box(far) is None  # two prompt sentences with the story between them are no box
