from conftest import hits


def test_disclosures():
    text = (
        "The council met on Monday.\nPowered by automated translation\nThis article was machine translated from Greek."
    )
    assert hits("MT001", text) == [
        "Powered by automated translation",
        "This article was machine translated from Greek.",
    ]
    assert hits("MT001", "Translators at the summit worked through the night.") == []


def test_misplaced_article_with_suggestion():
    from audit.registry import REGISTRY
    from audit.text import TextView

    text = "On Tuesday, French the Ministry of Foreign Affairs said it was concerned."
    (h,) = list(REGISTRY["MT002"].fn(TextView(text)))
    assert text[h.start : h.end] == "French the Ministry of Foreign Affairs"
    assert h.suggestion == "the French Ministry of Foreign Affairs"
    assert hits("MT002", "The French said the Ministry would respond.") == []


def test_role_calque():
    assert hits("MT003", "Prime minister of the country Nikol Pashinyan spoke.") == [
        "Prime minister of the country Nikol Pashinyan"
    ]
    assert hits("MT003", "The prime minister of the country said so.") == []


def test_space_before_punctuation_but_not_times_or_smileys():
    assert hits("MT004", "Source :Skai") == [" :"]
    assert hits("MT004", "He asked : why now ?") == [" :", " ?"]
    assert hits("MT004", "The match starts at 10:30 and ends :)") == []


def test_foreign_quotes():
    assert hits("MT005", "He called it «a disaster» on Monday.") == ["«a disaster»"]
    assert hits("MT005", "He called it “a disaster” on Monday.") == []


def test_retranslated_paragraph():
    a = "Yerevan denounced a broad attack aimed at ethnic cleansing and said it had no troops in the region."
    b = "Yerevan denounced a widespread attack aimed at ethnic cleansing and said it had no troops in the region."
    other = "The separatists said many towns were under heavy fire targeting civilian infrastructure."
    assert hits("MT006", f"{a}\n{other}\n{b}") == [b]
    assert hits("MT006", f"{a}\n{other}\n{a}") == []  # an exact copy is INT001's


def test_untranslated_fragment():
    text = (
        "The mayor spoke to reporters on Monday about the new bridge over the river.\n"
        "Die Brücke wird im nächsten Jahr für den Verkehr geöffnet, sagte der Bürgermeister.\n"
        "Work is due to start in the spring."
    )
    found = hits("MT007", text)
    assert len(found) == 1 and found[0].startswith("Die Brücke")
