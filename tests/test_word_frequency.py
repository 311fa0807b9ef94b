"""The name pass's shortcuts give what the plain rules give: wordfreq's Zipf frequency looked up directly
for plain words, and the character tests that stand in for regular expressions before a word."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import zipf_frequency

from audit.corpus import mentions
from audit.corpus.mentions import TITLES, _sentence_start, _title_before
from audit.lexicon import _plain_zipf, english_zipf
from audit.lexicon import english_table as _english_table


def test_plain_words_get_wordfreqs_own_zipf_frequency():
    table, _ = _english_table()
    plain = sorted(w for w in table if w.isascii() and w.isalpha() and w.islower())
    assert len(plain) > 100_000
    sample = plain[::16] + ["the", "kyiv", "zelensky", "qqqzzx", "a", "xylophonist"]
    assert [_plain_zipf(w) for w in sample] == [zipf_frequency(w, "en") for w in sample]
    assert _plain_zipf("qqqzzx") == 0.0 and _plain_zipf("the") > 7


def test_other_words_still_go_through_wordfreq():
    for w in ["don't", "über", "Kyiv", "covid-19", "naïve", "x2", "İstanbul", "état"]:
        assert english_zipf(w) == zipf_frequency(w, "en")


_SENTENCE_END = re.compile(r"[.!?…:;\"“”]\s*$|^\s*$")  # the rule _sentence_start stands in for
_CHARS = st.sampled_from(list('ab .!?:;"“”,\n\t') + ["\u00a0", "…", "Dr.", "Mr", "president", "Chancellor"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=12), st.sampled_from(["Olaf", "Kyiv"]))
def test_a_sentence_start_is_what_the_regex_finds(before, word):
    text = "".join(before) + word
    start = len(text) - len(word)
    expected = bool(_SENTENCE_END.search(text[max(0, start - 3) : start])) or start == 0
    assert _sentence_start(text, start) == expected


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=12), st.sampled_from(["Olaf", "Kyiv"]))
def test_a_title_before_a_word_is_what_the_regex_finds(before, word):
    text = "".join(before) + word
    start = len(text) - len(word)
    m = mentions._WORD_BEFORE.search(text, max(0, start - 24), start)
    expected = m.group(1).casefold() if m and m.group(1).casefold() in TITLES else None
    assert _title_before(text, start) == expected


def test_titles_before_names():
    assert _title_before("said Chancellor Olaf", 16) == "chancellor"
    assert _title_before("the Dr. Olaf", 8) == "dr"
    assert _title_before("(Chancellor)Olaf", 12) is None
    assert _title_before("a Chancellors Olaf", 14) is None


def _lowered_by_the_plain_rule(text: str, forms) -> set[str]:
    lower = {w for w in mentions._LOWER_WORD.findall(text) if w[0].islower()}
    return {f for f in forms if f.casefold() in lower}


def test_forms_written_in_lower_case_are_those_the_plain_rule_finds():
    from audit.text import TextView

    text = (
        "Bill Rowe said the bill passed. Kyiv officials met kyiv-based and o'neill staff; Mark O'Neill "
        "and Covid-19 (covid-19) and Hope, with hope_ and Rowe's rowe’s notes. Apple apples."
    )
    forms = ["Bill", "Rowe", "Kyiv", "O'Neill", "Covid-19", "Hope", "Apple", "Mark"]
    found = mentions._written_in_lower_case(TextView(text), forms)
    assert found == _lowered_by_the_plain_rule(text, forms)
    assert found == {"Bill", "O'Neill", "Covid-19", "Hope"}  # not "rowe’s", "kyiv-based", "apples"
    assert mentions.extract_mentions(TextView(text)).lowered == tuple(
        f for f in mentions.extract_mentions(TextView(text)).forms if f in found
    )


def test_mt013_name_keys_read_the_plain_words_zipf(shared):
    """MT013 (`_name_key`) looks its words up with `english_zipf`: on every capitalised word it reads in the
    development pages and the seeds, that is wordfreq's own `zipf_frequency`."""
    import json

    from audit.checks.mt import _TITLE_WORD

    texts = [p.read_text(encoding="utf-8") for p in (shared / "seeds").glob("*.txt")]
    for name in ["extraction-dev.jsonl", "trafilatura-dev.jsonl"]:
        for line in (shared / "eval" / name).read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    lows = sorted({m.group().lower() for t in texts for m in _TITLE_WORD.finditer(t)})
    assert len(lows) > 5000
    assert [english_zipf(w) for w in lows] == [zipf_frequency(w, "en") for w in lows]
