from conftest import hits

PARA = "The ministry said the new rules would apply to all ports from January and would be reviewed after a year."


def test_exact_duplicate_paragraph_flags_the_later_copy():
    text = f"{PARA}\nSomething else happened in the meantime, the report said.\n{PARA.upper()}"
    found = hits("INT001", text)
    assert found == [PARA.upper()]


def test_different_paragraphs_are_not_duplicates():
    text = f"{PARA}\nThe opposition said the rules would hurt small fishing companies and asked for a delay."
    assert hits("INT001", text) == []


def test_truncated_endings():
    assert hits("INT002", f"{PARA}\nThe minister said that the measures would be extended to the rest of") != []
    assert hits("INT002", f"{PARA}\nThe minister said that the measures would be extended soon...") != []
    assert hits("INT002", f"{PARA}\nThe minister said the measures would be extended.") == []
    assert hits("INT002", f"{PARA}\nRelated Topics") == []


def test_mojibake_with_fix():
    text = "The minister’s statement was clear.\nThe ministerâ€™s cafÃ© statement was clear."
    all_hits = hits("INT003", text)
    assert all_hits == ["The ministerâ€™s cafÃ© statement was clear."]
    from audit.registry import REGISTRY
    from audit.text import TextView

    (h,) = list(REGISTRY["INT003"].fn(TextView(text)))
    assert h.suggestion == "The minister’s café statement was clear."


def test_near_empty_and_empty():
    assert hits("INT004", "") == [""]
    assert hits("INT004", "  Short note.  ") == ["Short note."]
    assert hits("INT004", " ".join(["word"] * 40)) == []


def test_wrong_language():
    german = "Die Regierung hat am Dienstag neue Regeln für die Häfen beschlossen, die ab Januar gelten sollen."
    assert hits("INT005", german) == [german]
    assert hits("INT005", PARA) == []
    assert hits("INT005", german, languages=("de",)) == []
    assert hits("INT005", german, languages=("any",)) == []


def test_broken_characters():
    assert hits("INT006", "The \ufffd\ufffd minister said\x07 so.") == ["\ufffd\ufffd", "\x07"]


def test_short_repeated_lines_are_structure_not_duplicates():
    step = "Bake for 25 minutes until golden."  # a recipe step under two recipes
    row = "Preheat the oven to 200C and line a large baking tray with paper."  # 13 words
    text = f"{PARA}\nSponge\n{step}\n{row}\nIcing\n{step}\n{row}\nServe at once, the cook said."
    assert hits("INT001", text) == []


def test_a_question_put_to_every_guest_is_not_a_duplicate():
    q = "What first made you want to cook for other people, and what do you still cook at home every week?"
    text = "\n".join([PARA, "Anna", q, "My grandmother did.", "Ben", q, "Nothing else made me as happy."])
    assert hits("INT001", text) == []


def test_a_long_paragraph_found_three_times_is_a_template():
    note = (
        "Prices include delivery to any address in the country and can change without notice; "
        "check the shop page for the current offer before you order."
    )
    text = "\n".join([PARA, note, "First item.", note, "Second item.", note])
    assert hits("INT001", text) == []


def test_headline_or_caption_at_the_end_is_not_truncation():
    assert hits("INT002", f"{PARA}\nWith the old mill gone, the town looks to a greener future for its riverside") == []
    assert hits("INT002", f"{PARA}\nThe minister said the talks had gone well and that a deal was close,") != []
    assert (
        hits("INT002", f"{PARA}\nThe minister said the talks had gone well and that the deal would be signed in") != []
    )


def test_capitals_do_not_change_the_language():
    from audit.language import _fasttext_model, identify

    caps = "STOCKS FALL AS OIL PRICES SURGE"
    assert _fasttext_model().predict(caps, k=1)[0][0] != "__label__en"  # the model on its own: Chinese, p=0.88
    assert identify(caps)[0] == "en"
    assert hits("INT005", caps) == []


LONG_ENGLISH = " ".join(
    [
        "The ministry said that the new rules would apply to all ports from January, and that they were written",
        "with the help of the companies which run them. Officials said it was not clear who would pay for the",
        "changes, but they added that the cost would be shared. The unions have said their members were not",
        "consulted, and there has been no reply from the ministry to their letter, which was sent in March.",
    ]
)


def test_english_beyond_doubt_skips_the_model_and_decides_as_it_would():
    from audit.language import identify, surely_english
    from audit.text import TextView

    assert surely_english(LONG_ENGLISH) and identify(LONG_ENGLISH)[0] == "en"
    view = TextView(LONG_ENGLISH)
    assert view.is_english and hits("INT005", LONG_ENGLISH) == []
    assert view._lang is None  # the model did not run
    assert not surely_english(PARA)  # too short to be sure: the model decides
    assert not TextView(LONG_ENGLISH, engine="langdetect").surely_english  # measured with fastText only


def test_other_languages_and_mixed_texts_are_never_sure():
    from audit.language import surely_english

    german = "Die Regierung hat am Dienstag neue Regeln für die Häfen beschlossen, und sie ist nicht sicher. " * 6
    assert not surely_english(german)
    assert not surely_english(german + LONG_ENGLISH)  # English function words, but German ones too
    assert not surely_english("政府は火曜日に新しい規則を決めた。" * 40 + LONG_ENGLISH)  # another script
    assert hits("INT005", LONG_ENGLISH, languages=("de",)) == [LONG_ENGLISH]  # German expected: the model decides
