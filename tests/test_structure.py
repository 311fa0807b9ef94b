"""The shared helper that says whether a block of short lines is structured content (audit/checks/structure.py)."""

import pytest

from audit.checks.structure import (
    announces_list,
    article_terms,
    closes_notice,
    heads_first_paragraph,
    heads_its_items,
    in_field_run,
    in_programme,
    in_sender_contact,
    is_code,
    is_code_or_table,
    is_comma_table,
    is_event_header,
    is_field_list,
    is_heading_shape,
    is_info_fields,
    is_intro,
    is_life_dates,
    is_list,
    is_list_heading,
    is_list_item,
    is_listing_entry,
    is_office_contact,
    is_section_head,
    is_section_label,
    is_signature_list,
    is_signoff_date,
    is_table,
    is_venue,
    labels_a_listing,
    names_its_items,
    shares_terms,
    structure_kind,
    taken_up,
    titles_data,
    titles_the_text,
)
from audit.text import TextView

HEADLINES = [
    "Council delays vote on the new bus depot",
    "Storm knocks out power across the valley",
    "Why the old mill may become flats",
]


@pytest.mark.parametrize(
    ("lines", "intro", "kind"),
    [
        (["Rivertown Rovers", "Lakeside Lions", "Harbor Hawks"], "Here are the teams that qualified:", "introduced"),
        (["SELECT name, total", "FROM orders", "WHERE total > 10;"], "", "code"),
        (["def area(r):", "    return 3.14 * r * r", "print(area(2))"], "", "code"),
        (["1. Preheat the oven", "2. Mix the flour and the butter", "3. Bake for 20 minutes"], "", "list"),
        (["Step 1 Water the plant", "Step 2 Ease it out of the pot", "Step 3 Loosen the roots"], "", "list"),
        (["Lakeside | 12 | 30", "Harbor | 12 | 27", "Northfield | 12 | 19"], "", "table"),
        (
            ["Brazil Group G 22nd appearance", "Germany Group E 20th appearance", "Japan Group E 7th appearance"],
            "",
            "table",
        ),
        (
            ["Rivertown: Visit Lakeside on Friday.", "Harbor: Host Northfield on Saturday.", "Northfield: Off."],
            "",
            "fields",
        ),
        (HEADLINES, "", ""),
        (HEADLINES, "Related", ""),  # a bare header is not a sentence that introduces a list
        ([], "Here are the teams:", ""),
    ],
)
def test_structure_kind(lines, intro, kind):
    assert structure_kind(lines, intro) == kind


def test_each_mark_on_its_own():
    assert is_intro("Here are the teams:") and not is_intro("Related:") and not is_intro("Here are the teams")
    assert is_table(["a\t1", "b\t2", "c\t3"]) and not is_table(HEADLINES)
    assert not is_table(["11 Facts About the Moon", "15 Pictures of Stars", "The 9 Best Telescopes"])  # headlines
    assert not is_table(["Who wins in 2024?", "Best films of 2019 ranked", "Why 2020 changed the office"])  # years
    assert is_code(["$ ls -la", "$ cd src", "$ make"]) and not is_code(HEADLINES)
    assert is_list(["- milk", "- eggs", "- flour"]) and not is_list(HEADLINES)
    assert is_list_item("2. Ease the plant out of its pot.") and is_list_item("• Two eggs")
    assert not is_list_item("2020 was a hard year for the port.") and not any(map(is_list_item, HEADLINES))
    assert is_field_list(["Phone: 555 0100", "Email: desk@example.org", "Address: 1 Main St"])
    assert not is_field_list(HEADLINES)


def test_a_block_must_carry_its_mark_on_most_lines():
    assert structure_kind(["1. Preheat the oven", *HEADLINES]) == ""
    assert structure_kind(["1. Preheat the oven", "2. Mix", *HEADLINES[:1]]) == "list"


def test_kinds_limit_what_is_asked():
    fields = ["Editor: Jane Roe", "Email: desk@example.org", "Address: Main Street"]
    assert structure_kind(fields) == "fields"
    assert structure_kind(fields, kinds=("code", "list", "table")) == ""


def test_the_article_terms_come_from_its_prose():
    text = (
        "Harbor Hawks\n"
        "The Harbor Hawks beat the Lakeside Lions on Saturday in front of a crowd of more than four thousand fans.\n"
        "Coach Mira Olsen said the team had worked for this all season.\n"
    )
    terms = article_terms(TextView(text))
    assert {"hawks", "lakeside", "lions", "saturday", "olsen"} <= terms
    assert "the" not in terms and "coach" not in terms  # a line's first word is not a name
    assert shares_terms(["Lakeside Lions sign a new goalkeeper", "Hawks fans queue for tickets"], terms)
    assert not shares_terms(HEADLINES, terms)
    assert (
        structure_kind(["Lakeside Lions sign a new goalkeeper", "Hawks fans queue for tickets"], terms=terms) == "terms"
    )


def test_a_query_and_its_output_are_one_listing():
    listing = ["FROM orders", "WHERE shipped_at > promised_at", "| id | shipped_at |", "| 1042 | 2021-03-06 |"]
    assert is_code_or_table(listing) and not is_code(listing)
    assert not is_code_or_table(["Updated 9:41 AM;", "Jane Roe | Example Pictures"])  # two rows are not a listing
    assert not is_code_or_table(["Updated 9:41 AM;", "Jane Roe | Example Pictures", *HEADLINES])


def test_bulleted_titles_are_links_and_bulleted_phrases_a_list():
    from audit.checks.structure import is_bulleted_titles, is_title_case

    assert is_title_case("12 Storms That Changed the Coast")
    assert not is_title_case("Keep a torch and spare batteries at home")
    titles = ["- 12 Storms That Changed the Coast", "- Why the Sea Wall Failed Again", "• The Towns Most at Risk"]
    assert is_bulleted_titles(titles)
    assert not is_bulleted_titles([t.lstrip("-• ") for t in titles])  # no bullets: RES015's ordinary headlines
    assert not is_bulleted_titles(["- Keep a torch at home", "- Charge your phone first", "- Check on neighbours"])


def test_a_comment_thread_without_a_header_is_known_by_its_furniture():
    from audit.checks.layout import thread_by_furniture
    from audit.text import TextView

    article = "The council voted to rebuild the sea wall on Monday after a long debate, members said.\n" * 4
    thread = "kayak_fan\n2 days ago\nAbout time.\nReply\nMaria B\nGreat piece!\nReply\nRiverWatcher says:\nNo.\nReply"
    body = TextView(article + thread).body
    assert thread_by_furniture(body) == (4, len(body) - 1)
    live = (
        "2 hours ago\nPower is back in most homes.\n3 hours ago\nSchools closed early.\n5 hours ago\nThe warning ends."
    )
    assert thread_by_furniture(TextView(article + live).body) is None  # times alone: a live blog
    plugin = "Ana Lima\nAbout time.\nLike · Reply · 2y\nJoe Bloggs\nAgreed!\nLike · Reply · 1y\nKim Park\nNo.\nLike · Reply · 1y"
    body = TextView(article + plugin).body
    assert thread_by_furniture(body) == (4, len(body) - 1)  # a comment plugin's action rows


def test_in_data_block_knows_tables_listings_and_numbered_runs():
    from audit.checks.structure import in_data_block

    table = [
        "Each address with its orders:",
        " email | orders",
        "-------+-------",
        " a@x.example | 3",
        " b@x.example | 5",
    ]
    assert in_data_block(table, 3)
    ranked = ["Results", "1. Ana Roe (ESP) 1:02.11", "2. Kim Lee (KOR) 1:02.40", "3. Eva Holt (NOR) 1:03.05"]
    assert in_data_block(ranked, 2)
    assert not in_data_block(ranked[:3], 2)  # two numbered lines are no list
    page = [
        "Council approves budget",
        "Updated 14:05",
        "The council approved the budget on Tuesday after a long debate.",
    ]
    assert not in_data_block(page, 1)


def test_a_list_heading_makes_its_run_content():
    from audit.checks.structure import is_headed_list, is_list_head, structure_kind

    assert is_list_head("Ingredients:") and is_list_head("• Pros") and is_list_head("Zutaten")
    assert not is_list_head("Features") and not is_list_head("Pros and cons of the new tax")
    assert structure_kind(["Pros", "Great value", "Long battery life"]) == "introduced"
    assert structure_kind(["Great value", "Long battery life"], intro="Cons") == "introduced"
    assert is_headed_list(["Great value", "Pros", "Cons", "Dim screen"])
    assert structure_kind(["Home", "News", "Sport", "Weather"]) == ""


def test_in_data_block_finds_a_listing_among_a_title_and_an_intro():
    """Three data lines in a row, one with code's marks, are a listing however many short lines sit around it;
    a row of `|` labels (a footer) without code's marks is not one."""
    from audit.checks.structure import in_data_block, is_data_line

    shell = [
        "Check when a certificate expires",
        "Run this from a terminal:",
        "$ openssl x509 -in site.crt -noout -dates",
        "notBefore=Jan  2 00:00:00 2026 GMT",
        "notAfter=Feb  1 23:59:59 2027 GMT",
        "Or for a live site:",
        "Ask the server itself",
        "Then renew it",
        "Renew it a month before the notAfter date.",
    ]
    assert in_data_block(shell, 4)
    log = ["Who changed it", "commit 7d3e21bf", "Author: Kim Lund <kim@example.org>", "Date:   Mon Apr 6 09:12:44 2026"]
    assert all(is_data_line(s) for s in log[1:]) and in_data_block(log, 2)
    footer = [
        "Site",
        "Menu",
        "About us | Contact",
        "Privacy | Terms",
        "Published 4 May 2026 | Jane Roe",
        "Note",
        "More",
        "End",
    ]
    assert not in_data_block(footer, 4)


def test_in_cell_grid_knows_a_table_left_one_cell_a_line():
    from audit.checks.structure import in_cell_grid

    board = ["Time", "To", "Platform", "09:14", "Kingsbury", "3", "09:20", "Aldgate", "1", "09:31", "Harwood", "2"]
    assert in_cell_grid(board, 5)
    share = ["Share", "12", "Tweet", "4", "Email", "2", "Comments", "9"]
    assert in_cell_grid(share, 1) and not in_cell_grid(share, 1, lambda s: s in {"Share", "Tweet", "Email"})
    ranked = ["Most read", "1", "Museum reopens", "2", "Budget approved", "3", "Storm hits", "4", "Bridge opens"]
    assert not in_cell_grid(ranked, 3)  # whole numbers counting up: a ranked list, not cells
    assert not in_cell_grid(["Intro", "4", "A line", "Another line"], 1)


def test_is_schedule_entry_needs_two_times_alone():
    from audit.checks.structure import is_schedule_entry

    guide = ["Monday", "7.00pm", "News", "7.30pm", "Sport", "8.00pm", "Film"]
    assert is_schedule_entry(guide, 2) and is_schedule_entry(guide, 4)
    assert not is_schedule_entry(["Storm hits", "09:14", "Share", "The storm cut power."], 2)
    assert not is_schedule_entry(guide, 1)


def test_under_media_contact_takes_a_release_s_contact_block():
    from audit.checks.structure import is_list_head, is_media_contact_head, under_media_contact

    block = [
        "The museum reopens in March.",
        "Press office",
        "Ellie Marsh",
        "Marketing",
        "Tel 01632 960 550",
        "E: e@x.example",
    ]
    assert is_media_contact_head("Pressekontakt:") and is_media_contact_head("Kontakt dla mediów:")
    assert not is_media_contact_head("Contact us")
    assert not is_list_head("Press office")  # a run under it may hold the page's share bar and footer too
    assert under_media_contact(block, 4) and under_media_contact(block, 5)
    footer = ["The museum reopens in March.", "Our offices", "1 High Street", "Tel: 01632 960 999"]
    assert not under_media_contact(footer, 3)
    prose = ["Press office", "A sentence that ends here.", "Another one.", "And one more.", "Tel 01632 960 550"]
    assert not under_media_contact(prose, 4)  # prose between: the label's block has ended


def test_a_release_s_end_mark_and_contact_heading_open_its_contact_block():
    from audit.checks.structure import is_contact_head, is_release_end, under_media_contact

    assert all(is_release_end(s) for s in ("ENDS", "- ends -", "###", "-30-", "-ENDS-"))
    assert not any(is_release_end(s) for s in ("30", "#", "Friends", "It ends.", "Weekends"))
    release = ["The pool reopens in May.", "ENDS", "Notes", "Sam Hale, Press Officer", "Tel 01632 960 111"]
    assert under_media_contact(release, 1) and under_media_contact(release, 4)
    headed = ["The pool reopens in May.", "Contact", "Press office", "Tel: 01632 960 112"]
    assert is_contact_head(headed, 1) and under_media_contact(headed, 3)
    menu = ["The pool reopens in May.", "Contact", "About us", "Privacy"]
    assert not is_contact_head(menu, 1)  # no number or address under it: a footer's menu label
    no_sentence = ["Home", "Contact", "Tel: 01632 960 113"]
    assert not is_contact_head(no_sentence, 1)  # among menu labels, not under the release's last sentence


def test_in_programme_needs_times_near_and_one_above():
    from audit.checks.structure import in_programme

    listing = ["What's on", "Saturday", "10:00 Market", "14:00 Carols", "Sunday", "11:00 Walk", "Send us yours."]
    assert in_programme(listing, 1) and in_programme(listing, 4) and in_programme(listing, 2)
    bios = ["9.30am Keynote", "A bio of the speaker.", "11am Panel", "A bio.", "Another bio."]
    assert in_programme(bios, 1) and in_programme(bios, 4)
    one_time = ["Saturday", "10:00 Market", "Tickets are free.", "Jane Roe is a reporter."]
    assert not in_programme(one_time, 0) and not in_programme(one_time, 3)
    far = ["10:00 Market", "14:00 Carols", "a", "b", "c", "d", "e", "Jane Roe is a reporter."]
    assert not in_programme(far, 7)  # the times lie beyond SCHEDULE_REACH


def test_a_sentence_telling_whom_to_call_opens_a_contact_block_and_a_menu_does_not():
    from audit.checks.structure import in_contact_block, is_contact_head

    notice = ["Grants are open.", "Contact the Grants Team if you need a paper form.", "Telephone: 01632 960 521"]
    assert is_contact_head(notice, 1) and in_contact_block(notice, 2)
    assert not is_contact_head(["Contact us", "Tel: 01632 960 522"], 0)  # a footer's own label
    menu = ["Investor relations", "Annual report", "Share price", "Careers"]
    assert not in_contact_block(menu, 2)  # a menu's label, no number or address near it
    block = ["It opens in May.", "ENDS", "Press office", "Ann Lee", "Tel 01632 960 523", "x@y.example", "Share"]
    assert in_contact_block(block, 4) and not in_contact_block(block, 6)  # the share bar after the block


def test_a_percentage_is_no_programme_time():
    from audit.checks.structure import in_programme

    fund = ["Fund One", "17.54 %", "Fund Two", "16.73 %", "Fund Three", "16.39 %"]
    assert not in_programme(fund, 2)


# --- a notice's header and contact lines, and runs of fields (issue #28) ---


@pytest.mark.parametrize(
    ("s", "venue"),
    [
        ("Hollin Village Hall, Station Road", True),
        ("The Old School, 4 Mill Road", True),
        ("Council Chamber, Civic Centre", True),
        ("HOLLIN, Westshire", False),  # a dateline: two words
        ("By Jane Roe, Coast Reporter", False),  # a byline
        ("Storm hits the coast, thousands without power", False),  # a headline in sentence case
        ("The pier reopened on Tuesday, the council said.", False),
    ],
)
def test_is_venue(s, venue):
    assert is_venue(s) is venue


def test_is_event_header_wants_a_clock_time_over_a_venue():
    lines = [
        "Public meeting",
        "Thursday 8 January 2027 at 7.30pm",
        "Hollin Village Hall, Station Road",
        "Everyone welcome.",
    ]
    assert is_event_header(lines, 1)
    assert not is_event_header(["Public meeting", "Thursday 8 January 2027", lines[2]], 1)  # no clock time
    assert not is_event_header(["Updated 8 January 2027 at 7.30pm", "By Jane Roe, Reporter", "Text."], 0)
    assert not is_event_header(lines, 3)  # the last line has nothing under it


AGENDA = [
    "Hollin Town Council: agenda for 14 January",
    "1. Apologies",
    "2. Minutes of the last meeting",
    "3. Allotment rents for 2027",
    "The public may attend.",
    "Clerk: Martin Oakes, Tel: 01632 960 318",
]


def test_closes_notice_wants_an_agenda_a_named_contact_and_the_end_of_the_body():
    assert closes_notice(AGENDA, 5)
    assert not closes_notice(AGENDA[:2] + AGENDA[4:], 3)  # one numbered item: no agenda
    assert not closes_notice([*AGENDA[:5], "Contact us: Tel: 01632 960 318"], 5)  # an outlet's `Contact us`
    assert not closes_notice([*AGENDA[:5], "Email: clerk@hollintc.example"], 5)  # no name and number
    far = [*AGENDA, "More news", "Sport", "Weather", "Jobs"]
    assert not closes_notice(far, 5)  # furniture under it: not the body's end


def test_in_field_run_wants_three_field_lines_in_a_row():
    lines = [
        "Hollin weather",
        "Today: Rain at times. High 8C.",
        "Tonight: Clear. Low 2C.",
        "Friday: Sunny. High 7C.",
        "Share",
    ]
    assert [in_field_run(lines, i) for i in range(len(lines))] == [False, True, True, True, False]
    assert not in_field_run(["Text.", "Today: Rain at times.", "Tonight: Clear.", "More"], 1)  # two in a row


@pytest.mark.parametrize(
    ("s", "life"),
    [
        ("3 May 1934 - 22 November 2026", True),
        ("Jane Roe (1934-2026)", True),
        ("Jane Roe, born 4 June 1945; died 30 November 2026.", True),
        ("Season 2025-2026", False),  # a season, not a life
        ("Results 2019-2024", False),
        ("Published 3 May 2026", False),
    ],
)
def test_is_life_dates(s, life):
    assert is_life_dates(s) is life


@pytest.mark.parametrize(
    ("s", "announces"),
    [
        ("Here are the teams that qualified:", True),
        ("The following roads will be shut between 9am and noon.", True),
        ("Their picks, from first to last, are these.", True),
        ("The winners are listed below.", True),
        ("The shortlisted novels are", True),  # a lead-in cut off before its colon
        ("Here is a selection of what is on.", True),
        ("Here's the full list of the day's closures.", True),
        ("Where the river floods, here is the house that stands.", False),  # `here` inside a sentence
        ("These figures are worrying.", False),
        ("He said the changes were below what was needed.", False),
        ("Organisers said next year's parade would follow a longer route.", False),
    ],
)
def test_announces_list(s, announces):
    assert announces_list(s) is announces


RELEASE = [
    "Harbour Foods opens new bakery",
    "Harbour Foods today opened a new bakery in Pelham, creating 60 jobs.",
    "Jane Roe",
    "Communications Manager, Harbour Foods",
    "Tel: 01632 960 441",
    "jane.roe@harbourfoods.example",
]


def test_in_sender_contact_wants_a_senders_role_over_the_number_at_the_end():
    assert in_sender_contact(RELEASE, 4) and in_sender_contact(RELEASE, 5)
    assert not in_sender_contact(RELEASE, 2)  # a name: no number or address
    assert not in_sender_contact([*RELEASE[:3], "Staff Reporter", *RELEASE[4:]], 5)  # a writer's role
    assert not in_sender_contact([*RELEASE[:3], "Harbour Foods", *RELEASE[4:]], 5)  # no role at all
    long = [*RELEASE, "More from Pelham", "Sport", "Weather", "Jobs", "Contact us"]
    assert not in_sender_contact(long, 4)  # not the end of the body


def test_is_signoff_date_wants_a_place_and_date_under_the_last_sentence_at_the_end():
    notice = [
        "Notice of road closure",
        "The council gives notice that Mill Lane will be closed to traffic from 5 January.",
        "Pelham, 4 December 2026",
        "Jane Roe, Head of Highways",
    ]
    assert is_signoff_date(notice, 2)
    assert is_signoff_date([*notice[:2], "Villaseca, 3 de diciembre de 2026", "La alcaldesa"], 2)
    top = ["Council raises the levy", "Pelham, 4 December 2026", "By Jane Roe", notice[1], notice[1], notice[1]]
    assert not is_signoff_date(top, 1)  # at the top, over a byline: the page's stamp
    assert not is_signoff_date([*notice[:2], "Updated 4 December 2026", notice[3]], 2)  # a stamp word, no place


def test_is_info_fields_wants_fields_without_contacts_or_links():
    specs = ["Price: £299", "Battery life: two days", "Screen: 6.5in OLED", "Verdict: A solid choice"]
    assert is_info_fields(specs) and structure_kind(specs, kinds=("info",)) == "info"
    assert not is_info_fields(specs[:2])  # two fields: too few
    footer = ["Email: news@pelhampost.example", "Phone: 01632 960 000", "Address: 4 High Street"]
    assert not is_info_fields(footer)  # a footer's contact fields
    assert not is_info_fields(["Price: £299", "More at www.example.com", "Screen: 6.5in", "Weight: 190g"])  # a link
    assert not is_info_fields(["Storm hits the coast", "Ferry fares rise again", "Pier to reopen in May"])


def test_is_info_fields_leaves_a_series_of_headlines_with_long_labels():
    series = ["Out of Step: School bus cuts", "Justice for All: Court delays", "Know the Law: Tenants' rights"]
    assert not is_info_fields(series)


def test_is_signature_list_wants_names_and_who_they_are_without_a_verb():
    names = [
        "Jane Roe, chair of the Pelham Trust",
        "Tom Pell, Ardley Residents' Association",
        "Ann Keel, Friends of Hollow Wood",
    ]
    assert is_signature_list(names) and structure_kind(names, kinds=("signatures",)) == "signatures"
    headlines = [
        "Jane Roe, 54, jailed for fraud",
        "Tom Pell, mayor, resigns",
        "Ann Keel, head of the trust, steps down",
    ]
    assert not is_signature_list(headlines)
    assert not is_signature_list(names[:2])  # two names: too few


@pytest.mark.parametrize(
    ("s", "heading"),
    [
        ("Key facts", True),
        ("Key facts about Hollow Wood", True),
        ("Method actors take the stage", False),
        ("Key workers strike", False),
    ],
)
def test_is_list_heading(s, heading):
    assert is_list_heading(s) is heading


def test_in_programme_reads_an_hour_with_its_am_and_a_colon():
    lines = ["Saturday", "10am: Writing the coast", "A talk by a novelist.", "11.30am: Poetry and place", "A reading."]
    assert in_programme(lines, 2)
    assert not in_programme(["Agenda", "10. Apologies", "Text.", "11. Minutes", "Text."], 2)  # list numbers


@pytest.mark.parametrize(
    ("s", "office"),
    [
        ("Enquiries: parks@pelham.example", True),
        ("Contact the club secretary, Ann Keel, at secretary@harriers.example", True),
        ("Bookings: 01632 960 555", True),
        ("Contact the author at kate@post.example", False),
        ("Email: kate@post.example", False),
        ("Contact the newsdesk at news@post.example", False),
    ],
)
def test_is_office_contact(s, office):
    assert is_office_contact(s) is office


@pytest.mark.parametrize(
    ("s", "heading"),
    [
        ("Background", True),
        ("What happens next", True),
        ("Who can apply?", True),
        ("Les nouveautés", True),
        ("Photo: Ann Keel", False),  # a credit's colon
        ("Home | News", False),  # a menu's separator
        ("The council met on Tuesday.", False),  # a sentence
        ("and then the rain came", False),  # lower case: a line of verse or a sentence going on
        ("A heading of far too many words to be a subhead here", False),
    ],
)
def test_is_heading_shape(s, heading):
    assert is_heading_shape(s) is heading


def test_taken_up_matches_a_word_or_its_longer_form_only():
    assert taken_up({"image"}, {"images", "request"}) == {"image"}
    assert taken_up({"forecasts"}, {"forecast"}) == {"forecasts"}
    assert taken_up({"compartilhe"}, {"compañía"}) == set()  # the same first letters are no same word


BUDGET = [
    "The county's budget for next year was approved on Tuesday after a debate that lasted most of the day.",
    "Health",
    "Spending on health visitors and school nurses rises by four percent, the first rise in six years.",
    "Roads",
    "The pothole fund is doubled, and two bridges on the coast road will be strengthened before the winter.",
]


def test_is_section_head_takes_a_subhead_whose_paragraph_takes_up_its_word():
    assert is_section_head(BUDGET, 1)  # `Health` over `... health visitors ...`
    assert is_section_head(BUDGET, 3)  # `Roads`: another section of the same article
    assert not is_section_head(BUDGET, 0) and not is_section_head(BUDGET, 4)  # prose, and the last line


def test_is_section_head_leaves_a_label_between_paragraphs_of_an_article_without_sections():
    lines = [BUDGET[0], "Advertisement", BUDGET[2]]
    assert not is_section_head(lines, 1)  # no word taken up, no other heading
    menu = ["Home", "Health", BUDGET[2], BUDGET[4]]
    assert not is_section_head(menu, 1)  # no prose above it: the page's menu, not the article's section


DIGEST = [
    "The weekend's papers are dominated by the budget and by the storm that hit the west coast on Friday night.",
    "Politics",
    "The Daily Courier leads on the plan to freeze fuel duty for another year, calling it a gift to drivers.",
    "Business",
    "The Ledger reports that three of the biggest banks will close another two hundred branches.",
    "Sport",
    "The Post says the national coach will name two new caps for the autumn series.",
]


def test_is_section_label_takes_the_labels_of_an_article_in_three_sections():
    assert all(is_section_label(DIGEST, i) for i in (1, 3, 5))
    assert not is_section_label(DIGEST[:5], 1)  # two sections, and the paragraph under `Politics` names no politics


def test_is_section_label_takes_two_sections_where_the_paragraph_takes_up_the_label():
    assert is_section_label(BUDGET, 1)  # `Health` over `... health visitors ...`, with `Roads` further down
    assert not is_section_label([BUDGET[0], "Health", BUDGET[2]], 1)  # one section alone: a button as often


def test_is_section_label_leaves_a_repeated_button_and_labels_not_between_sentences():
    comments = [DIGEST[0], "Reply", DIGEST[2], "Reply", DIGEST[4], "Share", DIGEST[6]]
    assert not is_section_label(comments, 1)  # `Reply` under each comment
    menu = ["Home", "Politics", "Business", "Sport", DIGEST[2]]
    assert not any(is_section_label(menu, i) for i in range(len(menu)))  # a menu's labels stand together


def test_titles_the_text_takes_the_headline_over_the_paragraphs_that_take_up_its_words():
    lines = [
        "News",
        "Council backs cinema flats",
        "Plans to turn the old cinema on Castle Street into flats were approved on Tuesday evening.",
        "The building has stood empty since 2014, and its frontage will be kept in the new scheme.",
    ]
    assert titles_the_text(lines, 1)
    assert not titles_the_text(lines, 0)  # a menu item: no word of its taken up
    assert not titles_the_text(lines, 3)  # prose above it: not over the body


def test_titles_the_text_leaves_a_banner_over_its_one_notice_and_a_byline():
    banner = [
        "Campus operating status",
        "The campus is open and operating as usual, with teaching on site from Monday for all students.",
        "More information",
    ]
    assert not titles_the_text(banner, 0)  # its notice is no body: no second paragraph under it
    walk = [
        "Ann Keel and Tom Ruddock walked the coast path from end to end over ten days this summer.",
        "Keel said the walk had raised money for the lifeboat station, where Ruddock is a volunteer.",
        "The station needs a new launching tractor before next winter.",
    ]
    assert titles_the_text(["Keel and Ruddock finish coast walk", *walk], 0)
    assert not titles_the_text(["Posted by Ann Keel and Tom Ruddock", *walk], 0)  # a byline: its names taken up


def test_heads_first_paragraph_takes_a_whole_pages_title_under_its_menu():
    para = "Our photographers chose the pictures that stayed with them from twelve months of local news."
    body = "Floodwater reaching the steps of the town hall after the river burst its banks in January."
    page = ["Home", "News", "Sport", "Pictures of the year", para, "January", body]
    assert heads_first_paragraph(page, 3)
    assert not heads_first_paragraph(page, 2)  # a menu item over the title, not over the paragraph
    assert not heads_first_paragraph(page, 5)  # prose above it


def test_heads_first_paragraph_leaves_an_articles_byline_and_a_title_over_no_body():
    para = "Two people were taken to hospital after a fire at a block of flats early on Saturday morning."
    more = "Crews arrived shortly after two and found heavy smoke on the second floor of the building."
    assert not heads_first_paragraph(["Fire at flats", "Staff report", para, more], 1)  # an article's text
    results = ["Home", "News", "Sport", "County 10K", para, "Results", "1 Kerry Amsel 31:42", "2 Dan Fair 31:58"]
    assert not heads_first_paragraph(results, 3)  # no body of prose under its first paragraph


def test_titles_the_text_takes_a_title_over_its_paragraph_and_a_table():
    page = [
        "Home",
        "Bins",
        "Bin collection days over Christmas",
        "Collections will be a day later than usual in the week of Christmas and New Year.",
        "Usual day",
        "New day",
        "Monday 22 December",
        "Tuesday 23 December",
        "Thursday 25 December",
        "Saturday 27 December",
    ]
    assert titles_the_text(page, 2)
    assert not titles_the_text(page[:4], 2)  # over its paragraph alone, two of its words taken up: a banner's shape


def test_titles_data_takes_a_forecasts_and_a_programmes_title():
    forecast = [
        "Maps",
        "Warnings",
        "Carrow weather",
        "Issued at 06:00",
        "Today: Dry and bright. High 7C.",
        "Tonight: Frost. Low -2C.",
        "Sunday: Rain later. High 6C.",
    ]
    assert titles_data(forecast, 2)
    programme = ["Saturday at the Carrow Folk Weekend", "2pm", "The Wenlow Fiddlers", "4pm", "Anna Reel and band"]
    assert titles_data(programme, 0)


def test_titles_data_leaves_menu_items_over_field_shaped_menus_and_single_words():
    menu = ["Dear Carrow", "Open Doors: Tours of the town hall", "Know the River: Flood maps", "Out of Town: Day trips"]
    assert not titles_data(menu, 0)  # the fields below it end in no stop: a menu's items
    forecast = ["Maps", "Weather", "Today: Dry and bright. High 7C.", "Tonight: Frost. Low -2C.", "Sunday: Rain."]
    assert not titles_data(forecast, 1)  # one word: a menu's label as often


LISTING = [
    "The festival returns to the old town this weekend with more than forty events across six venues.",
    "Most of them are free, and tickets for the rest go on sale on Monday.",
    "Music",
    "The Harbour Quartet, St Anne's Church, Saturday 7pm",
    "Open-air brass band, Market Square, Sunday noon",
    "Film",
    "Short films from local makers, Town Hall, Saturday 2pm",
    "A silent classic with live piano, Corn Exchange, Sunday 8pm",
]


@pytest.mark.parametrize(
    ("s", "entry"),
    [
        ("The Harbour Quartet, St Anne's Church, Saturday 7pm", True),
        ("Rovers 2 Ashby Town 1", True),
        ("Open-air brass band, Market Square, Sunday noon", True),
        ("Music", False),  # a label: no fields, no number
        ("The band played for two hours, the crowd sang along.", False),  # a sentence
        ("Ferry fares rise for the first time in five years", False),  # a headline: no fields, no number
    ],
)
def test_is_listing_entry(s, entry):
    assert is_listing_entry(s) is entry


def test_labels_a_listing_wants_recurring_labels_over_entries_under_prose():
    assert labels_a_listing(LISTING, 2) and labels_a_listing(LISTING, 5)
    assert not labels_a_listing(LISTING, 3)  # an entry is no label
    one = LISTING[:5]  # a single label over its entries: no recurring categories
    assert not labels_a_listing(one, 2)
    menu = [LISTING[0], "Music", "Film", "Theatre", "Share", "Print"]  # labels standing together, nothing under them
    assert not any(labels_a_listing(menu, k) for k in range(len(menu)))
    no_prose = ["Home", "News"] + LISTING[2:]  # a page's menu above: the first label under no sentence
    assert not labels_a_listing(no_prose, 2)


@pytest.mark.parametrize(
    ("s", "names"),
    [
        ("The crowd sang along to most of the set, which leaned on the band's first two albums.", True),
        ("The judges praised all six of the shortlisted titles.", True),
        ("Four of the sixteen teams will make their first appearance.", True),
        ("Follow these steps to repot the plant without harming it.", True),
        ("The council will meet again next month to discuss the road repairs.", False),
        ("Setting", False),  # no sentence
    ],
)
def test_names_its_items(s, names):
    assert names_its_items(s) is names


def test_heads_first_paragraph_lets_a_series_part_stand_between_the_title_and_its_paragraph():
    page = [
        "Home",
        "TV",
        "Radio",
        "Guide",
        "The Lighthouse Keepers",
        "Series 4, episode 12",
        "The keepers face their hardest winter yet when a storm cuts the island off from the mainland for a week.",
        "Meanwhile, Tom tries to mend the radio before the relief boat is due, and Ellen finds an old logbook.",
    ]
    assert heads_first_paragraph(page, 4)
    other = page[:5] + ["Watch now"] + page[6:]  # a button between, no part of a series
    assert not heads_first_paragraph(other, 4)


@pytest.mark.parametrize(
    ("s", "heads"),
    [
        ("Relay winners", True),
        ("The nominees", True),
        ("Set list", True),
        ("Results", False),  # a menu's one word
        ("The winners were all under 23.", False),  # a sentence
        ("Ferry fares rise", False),
    ],
)
def test_heads_its_items(s, heads):
    assert heads_its_items(s) is heads


def test_is_comma_table_wants_rows_of_one_shape():
    rows = [
        "Norland, Group A, ninth appearance",
        "Estavia, Group A, first appearance",
        "Karvonia, Group B, fourth appearance",
    ]
    assert is_comma_table(rows)
    assert not is_comma_table(rows[:2])  # two rows: no table
    assert not is_comma_table(rows[:2] + ["Karvonia, Group B"])  # a row of another shape
    headlines = [
        "Jane Roe, 54, jailed for fraud at Pelham",
        "Tom Pell, mayor, resigns over expenses",
        "Ann Keel, head of the trust, steps down",
    ]  # three fields each, but no column repeats a value or holds a number on every line
    assert not is_comma_table(headlines)
