from conftest import corpus_findings

from audit.corpus.names import is_derivation
from audit.corpus.translit import block_key, fold, tnorm


def test_fold_and_transliteration_keys():
    assert fold("Laçın") == "lacin"
    assert tnorm("Hryhorenko") == tnorm("Grigorenko")
    assert tnorm("Ihor") == tnorm("Igor")
    assert block_key("Pashinian") == block_key("Pashinyan")


def test_derivations_are_not_variants():
    for a, b in [("Russia", "Russian"), ("Armenia", "Armenian"), ("Azeri", "Azeris"), ("Ukraine", "Ukrainian")]:
        assert is_derivation(a, b), (a, b)
    assert not is_derivation("Pashinian", "Pashinyan")


def test_majority_spelling_is_canonical():
    texts = {
        "a": "Prime Minister Nikol Pashinyan said the border was calm.",
        "b": "Pashinyan spoke to parliament on Tuesday.",
        "c": "Armenian leader Nikol Pashinian met the envoy. Pashinian said talks would go on.",
    }
    found = corpus_findings(texts, ("NAME001",))
    assert {(f.doc_id, f.evidence, f.suggestion) for f in found} == {("c", "Pashinian", "Pashinyan")}
    assert len(found) == 2  # each occurrence is reported


def test_transliteration_variants_of_one_person():
    texts = {
        "h": "Minister Ihor Klymenko visited the site with Halyna Hryhorenko.",
        "r": "Minister Igor Klimenko visited the site with Galina Grigorenko.",
        "r2": "Later Igor Klimenko and Galina Grigorenko spoke to the press.",
    }
    pairs = {(f.evidence, f.suggestion) for f in corpus_findings(texts, ("NAME001",))}
    assert ("Klymenko", "Klimenko") in pairs and ("Hryhorenko", "Grigorenko") in pairs
    assert ("Ihor", "Igor") in pairs


def test_never_link_country_adjective_possessive_or_different_people():
    texts = {
        "a": "Russia said Russian troops would stay. Armenia and Armenian officials disagreed. Russia's envoy left.",
        "b": "US Secretary of State Antony Blinken met UN chief Antonio Guterres.",
        "c": "Antony Blinken said later that Antonio Guterres had called him.",
    }
    assert corpus_findings(texts, ("NAME001", "MT008")) == []


def test_stated_alias_is_not_a_variant_or_an_exonym():
    texts = {
        "a": "The capital, Stepanakert, known as Xankandi in Azeri, was shelled.",
        "b": "Stepanakert was without power. Xankandi is the Azerbaijani name.",
    }
    assert corpus_findings(texts, ("NAME001", "NAME002", "MT008")) == []


def test_gazetteer_exonym():
    found = corpus_findings({"a": "Azerbaijan closed the Laçın Corridor on Monday."}, ("NAME002",))
    assert [(f.evidence, f.suggestion) for f in found] == [("Laçın", "Lachin")]
