import pytest
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


# --- the MT model and `machine_translated` -------------------------------------------------------------

ORIGINAL = (
    "The council voted 7-2 on Tuesday to close the old library, a decision that drew boos from the gallery.\n"
    "\u201cWe\u2019re not going to let this go,\u201d said Maria Lopez, who has run the reading club there since 2009.\n"
    "City officials say the building needs $4 million in repairs \u2014 money they don\u2019t have."
)


def test_probability_is_a_deterministic_probability():
    from audit.mtmodel import mt_probability

    p = mt_probability(ORIGINAL)
    assert 0.0 <= p <= 1.0
    assert mt_probability(ORIGINAL) == p
    assert mt_probability("") == 0.0 and mt_probability("   \n ") == 0.0


def test_typography_and_layout_do_not_move_the_probability():
    """WMT data is straight-quoted, one sentence a line; web articles are curly-quoted paragraphs."""
    from audit.mtmodel import mt_probability

    plain = ORIGINAL.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2014", " - ")
    paragraphs = ORIGINAL.replace("\n", "\n\n")
    one_line = ORIGINAL.replace("\n", " ")
    p = mt_probability(ORIGINAL)
    assert mt_probability(plain) == pytest.approx(p, abs=1e-9)
    assert mt_probability(paragraphs) == pytest.approx(p, abs=1e-9)
    assert mt_probability(one_line) == pytest.approx(p, abs=1e-9)


def test_model_file_reads_back_and_counts_artifacts():
    from audit.mtmodel import artifact_checks, model, profile

    m = model()
    assert 0 < m.threshold < 1 and len(m.codes) > 100 and "artifacts" in m.stat_names
    prof = profile(ORIGINAL)
    assert m.logit(prof, artifacts=2) > m.logit(prof, artifacts=0)  # an artifact check firing is evidence
    assert {c.code for c in artifact_checks()} >= {"MT006", "MT010", "MT011", "MT012"}
    assert "MT001" not in {c.code for c in artifact_checks()}  # a disclosure is not a style cue


def test_machine_translated_is_disclosed_detected_or_empty():
    import audit
    from audit.provenance import machine_translated

    assert machine_translated({"MT001"}, 0.01, 0.5) == "disclosed"
    assert machine_translated(set(), 0.9, 0.5) == "detected"
    assert machine_translated({"MT006"}, 0.2, 0.5) == ""  # artifacts feed the model; they do not decide alone
    assert machine_translated(set(), None, 0.5) == ""

    texts = [ORIGINAL, "Powered by automated translation\n" + ORIGINAL]
    scores = audit.audit_texts(texts).scores
    cols = list(scores.columns)
    assert cols.index("mt_probability") == cols.index("machine_translated") + 1
    assert scores.machine_translated.tolist()[1] == "disclosed"
    assert scores.mt_probability.between(0, 1).all()
    everything = audit.audit_texts(texts, mt_threshold=0.0).scores
    assert everything.machine_translated.tolist() == ["detected", "disclosed"]
    nothing = audit.audit_texts(texts, mt_threshold=1.0).scores
    assert nothing.machine_translated.tolist() == ["", "disclosed"]


def test_no_mt_check_selected_means_no_probability():
    import audit

    scores = audit.audit_texts([ORIGINAL], select=["residue"]).scores
    assert scores.mt_probability.isna().all() and scores.machine_translated.tolist() == [""]


def test_mt_threshold_option_and_config(tmp_path, monkeypatch):
    import csv

    from audit.cli import main

    doc = tmp_path / "in" / "a.txt"
    doc.parent.mkdir()
    doc.write_text(ORIGINAL, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(doc.parent), "--out", str(out), "--no-validation", "--mt-threshold", "0"]) == 0
    (row,) = csv.DictReader((out / "scores.csv").open(encoding="utf-8", newline=""))
    assert row["machine_translated"] == "detected"
    assert main(["run", str(doc.parent), "--out", str(out), "--no-validation", "--mt-threshold", "1.5"]) == 2
    (tmp_path / "pyproject.toml").write_text("[tool.audit]\nmt-threshold = 1.0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(doc.parent), "--out", str(out), "--no-validation"]) == 0
    (row,) = csv.DictReader((out / "scores.csv").open(encoding="utf-8", newline=""))
    assert row["machine_translated"] == ""


def test_retranslated_quote_has_no_suggestion():
    from conftest import corpus_findings

    a = 'Mayor Elena Vasquez said "we will rebuild every home that the flood destroyed this spring", her office said.'
    b = 'Elena Vasquez promised "we will rebuild every home that the flood destroyed this spring" on Monday.'
    c = 'For her part, Vasquez said "we will reconstruct all the homes which the flood destroyed in the spring".'
    (f,) = corpus_findings({"a": a, "b": b, "c": c}, ("MT009",))
    assert f.suggestion is None and "rebuild every home" in f.message
