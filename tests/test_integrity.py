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
