from conftest import hits


def test_first_person_bio():
    bio = (
        "With over ten years of experience in journalism, I bring a passion for storytelling to every piece. "
        "Currently, I work as a freelance writer covering science."
    )
    assert hits("BIO001", "Some news.\n" + bio) == [bio]


def test_first_person_quote_in_a_story_is_not_a_bio():
    quote = '"I have worked here for ten years and I have never seen water this high," said the ferry captain.'
    assert hits("BIO001", quote) == []


def test_third_person_blurb_at_the_end_only():
    story = "\n".join(["The flood closed the road for two days, officials said."] * 6)
    blurb = "Jane Roe is a staff writer at the Daily Courier who covers transport."
    assert hits("BIO002", story + "\n" + blurb) == [blurb]
    middle = (
        ["The flood closed the road."] * 4
        + ["John Smith is a reporter who was injured covering the protest."]
        + ["More rain is expected."] * 6
    )
    assert hits("BIO002", "\n".join(middle)) == []


def test_contact_lines():
    text = "Have a tip? Jane Roe can be reached at jane.roe@example.com\nThe agency said it would email the results."
    assert hits("BIO003", text) == ["Have a tip? Jane Roe can be reached at jane.roe@example.com"]


STORY = (
    "The city council voted on Tuesday to expand the bus network into three northern suburbs, "
    "a plan that officials said would cost about 40 million dollars over five years.\n"
    "Residents had complained for years that the buses stopped short of the new housing estates.\n"
    "The first new routes will open in the spring, the transport department said.\n"
    "Opposition members said the money would be better spent on repairing roads.\n"
)

FIRST_PERSON_BIOS = [
    "I am a journalist based in Nairobi. My work has appeared in several national and regional newspapers.",
    "I'm a freelance reporter covering health from Lagos. I have written for local radio and two magazines.",
    "I have covered politics in Eastern Europe for a decade as a staff correspondent. When I'm not writing, I run.",
    "As a writer, I focus on climate and energy. I write about the people who live with the consequences.",
    "I am an award-winning investigative journalist with 15 years of experience in broadcast news.",
]


def test_ordinary_first_person_bios_after_a_story():
    for bio in FIRST_PERSON_BIOS:
        assert hits("BIO001", STORY + bio) == [bio], bio


def test_first_person_lines_that_are_not_bios():
    for line in [
        '"I am a journalist, not a criminal," said the reporter, who was held for three days.',
        "I have covered this beat for ten years and I have never seen anything like it, the mayor told reporters.",
        "In my spare time I garden. I live in a small village with my family.",  # no writing career
    ]:
        assert hits("BIO001", STORY + line) == [], line


def test_first_person_bio_inside_the_story_is_left_alone():
    bio = FIRST_PERSON_BIOS[0]
    text = "\n".join([STORY.split("\n")[0], bio] + [STORY.split("\n")[1]] * 6)
    assert hits("BIO001", text) == []


THIRD_PERSON_BIOS = [
    "Jane Roe is a senior reporter at The Courier, where she covers housing and transport.",
    "Marcus Lee covers energy markets for the Evening Post.",
    "Tomás Herrera writes about food, farming and rural life.",
    "The writer is a senior fellow at an economic research institute.",
    "Anna Kowalski (@annakowalski) is the author of two books on the Baltic states.",
]


def test_third_person_bios_after_a_story():
    for bio in THIRD_PERSON_BIOS:
        assert hits("BIO002", STORY + bio) == [bio], bio


def test_a_second_bio_paragraph_goes_with_the_first():
    bio = (
        "Priya Natarajan is a staff writer for the Northern Ledger.\nShe previously worked at a radio station in York."
    )
    assert hits("BIO002", STORY + bio) == bio.split("\n")


def test_third_person_news_sentences_are_not_bios():
    for line in [
        "John Smith is a senior official at the ministry, who said the plan would be reviewed next year.",
        "Maria Lopez is a nurse at the city hospital and has worked there for 20 years.",
        "Northern Ledger writes about this, quoting two experts.",  # an outlet, not a person
        "The Evening Standard writes about it.",
        "Harbor Review writes about the new port in its weekend issue.",
        "Interior Ministry reports on the progress of the inquiry.",
        "The author is at her best when describing the mountains.",
    ]:
        assert hits("BIO002", STORY + line) == [], line


def test_a_person_the_story_reports_on_is_not_the_writer():
    story = STORY.replace(
        "Residents had", "Jane Roe, a reporter who lives in one of the estates, and her neighbours had"
    )
    assert hits("BIO002", story + THIRD_PERSON_BIOS[0]) == []


def test_bio_header_and_the_paragraph_under_it():
    text = STORY + "About the author\nA former teacher, she now edits the weekly arts pages."
    assert hits("BIO002", text) == ["About the author", "A former teacher, she now edits the weekly arts pages."]
    assert hits("BIO002", STORY + "About 200 people\nattended the meeting.") == []


def test_contact_address_inside_the_story_is_left_alone():
    line = "Residents can send their proposals by email to planning@city.example or by post to the town hall."
    assert hits("BIO003", STORY + line) == []
    assert hits("BIO003", STORY + "Email: tips@courier.example") == ["Email: tips@courier.example"]


def test_bios_in_other_languages_are_not_judged():
    german = "Die Regierung hat am Dienstag neue Regeln für die Häfen beschlossen, die ab Januar gelten sollen.\n"
    assert hits("BIO001", german * 3 + FIRST_PERSON_BIOS[0]) == []


def test_bio_cues_are_not_pieces_of_the_seeds(shared):
    """A cue must be general: no multi-word `self`, `life`, `lead`, `contact` or `header` entry occurs in a seed."""
    from audit.data import load_list

    seeds = " ".join(" ".join(p.read_text(encoding="utf-8").lower().split()) for p in (shared / "seeds").glob("*.txt"))
    copied = []
    for entry in load_list("bio_cues"):
        kind, _, phrase = entry.partition(":")
        if kind.strip() not in ("role", "org", "field") and phrase.strip() in seeds:
            copied.append(entry)
    assert not copied


def test_a_bio_that_opens_with_a_name_and_goes_on_with_she():
    bio = (
        "Lena Park grew up on a farm near the coast. She has been writing about agriculture for the Ledger since 2011."
    )
    assert hits("BIO002", STORY + bio) == [bio]
    news = "Lena Park was arrested on Monday. She has been writing about corruption, her lawyer said."
    assert hits("BIO002", STORY + news) == []
