"""Faster forms of per-document work against the forms they replaced, on varied inputs: the same answers.

- MT008's mentions ask whether a word is ignored one word at a time (`IgnoredWhere`), testing a line for
  page furniture only when a name-like word of it asks, instead of testing every line first;
- INT001/MT006's paragraph key (`integrity._norm`) is one regex pass;
- MT012 searches the whole text once for another script before looking line by line;
- MT013 first asks whether any two distinct words share a name key (`_two_spellings`) and collects spans
  only then;
- MT002 searches only the lines that hold a match alone (remembered a line), MT007 remembers what a
  sentence is at a glance, and MT008's furniture test and INT001's key remember a line: pages repeat lines;
- patterns tried at every character open with a look-ahead of the characters a match can begin with, or are
  found from a literal (RES008's ISO date, RES005's first-sentence stop); structure.has_code_mark matches at
  a line's start alone where no unanchored branch can match; MT004 first looks for a space before its marks;
  RES015's `_unrelated` counts only terms on three or more lines.
"""

from __future__ import annotations

import random
import re

import pytest

from audit.checks import integrity, mt
from audit.corpus.mentions import FLAGGED_SPANS, IgnoredWhere, _inside, extract_mentions, ignored_spans
from audit.records import Hit
from audit.text import TextView, word_count

LINES = [
    "Home | World | Politics | Obituaries",
    "Follow us on Pinterest and Instagram",
    "Weight Loss Diets",
    "Mykola Pavlyuk, the mayor of Zbarazh, said the Horyn had flooded on Sunday.",
    "Voters in Chile rejected the Valdivia charter, Hryhorenko told Grigorenko.",
    "Igor Klimenko met Ihor Klymenko and HRYHORENKO in Kyiv (Київ) on Monday.",
    "The minister, known as Xankandi in Azeri, спасибо большое said the MChS team.",
    "",
    "   ",
    "Read More",
    "Mr Olaf Scholz, Chancellor Olaf Scholz and President Zelenskiy spoke; zelenskiy was not there.",
    "Ωμέγα λέξη here in a sentence with six words or more of English.",
    "Airpods and AirPods are the same product, Airpods said again.",
    "\tSHARE THIS\r",
    "Officials said French the Ministry of Foreign Affairs and German the Federal Office agreed.",
    "Polish the Sejm voted; ukrainian the Rada did not.\r",
    "Ce texte est entièrement écrit en français pour le test de la langue.",
    "Dieser Satz ist auf Deutsch geschrieben und sollte erkannt werden.",
]


def _texts(n: int = 300) -> list[str]:
    rng = random.Random(31)
    texts = ["\n".join(LINES), "", "A", "Kyiv\nKiev\nKyiv"]
    for _ in range(n):
        texts.append("\n".join(rng.choice(LINES) for _ in range(rng.randrange(1, 12))))
    return texts


def _flagged(text: str, rng: random.Random) -> tuple[tuple[int, int], ...]:
    spans = []
    for _ in range(rng.randrange(4)):
        a = rng.randrange(len(text) + 1)
        spans.append((a, min(len(text), a + rng.randrange(40))))
    return tuple(sorted(spans))


def test_ignored_where_answers_as_the_merged_spans_do():
    rng = random.Random(5)
    for text in _texts():
        view = TextView(text)
        flagged = _flagged(text, rng)
        view.memo(FLAGGED_SPANS, lambda _view, f=flagged: f)
        skip = ignored_spans(view)
        starts = [s for s, _ in skip]
        ignored = IgnoredWhere(view)
        for pos, ch in enumerate(text):
            if not ch.isspace():  # a word's first letter is never white space
                assert ignored(pos) == _inside(skip, starts, pos), (text, pos)


def _reference_mentions(view: TextView):
    """extract_mentions as first written: every line's furniture test first, then each word's."""
    from audit.corpus import mentions as m

    skip = ignored_spans(view)
    starts = [s for s, _ in skip]
    out = []
    for start, _end, word in m.name_tokens(view.text):
        kind = m._name_kind(word) if not (skip and _inside(skip, starts, start)) else m._NEVER
        if kind == m._MID_SENTENCE:
            kind = m._NEVER if m._sentence_start(view.text, start) else m._ALWAYS
        if kind != m._NEVER:
            out.append((word, start))
    return out


def test_mentions_are_those_of_the_first_form():
    rng = random.Random(9)
    for text in _texts(150):
        view = TextView(text)
        flagged = _flagged(text, rng)
        view.memo(FLAGGED_SPANS, lambda _view, f=flagged: f)
        if not view.is_english:
            continue
        found = extract_mentions(view)
        got = sorted((form, s) for form, spans in found.occurrences() for s, _ in spans)
        assert got == sorted(_reference_mentions(view)), text


@pytest.mark.slow
def test_paragraph_key_is_the_substitution_and_split_on_every_character():
    punct = re.compile(r"[^\w\s]")

    def reference(s: str) -> str:
        return " ".join(punct.sub(" ", s.casefold()).split())

    for block in range(0, 0x110000, 256):  # every character, alone, between letters and doubled, 256 at a time
        s = "".join(f"{chr(c)} a{chr(c)}b {chr(c)}{chr(c)}x\n" for c in range(block, block + 256))
        assert integrity._norm(s) == reference(s), hex(block)
        assert [integrity._norm(line) for line in s.split("\n")] == [reference(x) for x in s.split("\n")]


def _reference_mt012(view: TextView):
    """MT012's script half as first written: every body line searched."""
    for line in view.body:
        found = list(mt._FOREIGN_SCRIPT.finditer(line.text))
        if not found or len(found) > 3 or word_count(line.text) < 6 or mt._EMBED.search(line.text):
            continue
        for m in found:
            if not mt._GLOSS_BEFORE.search(line.text[: m.start()]):
                yield Hit(line.start + m.start(), line.start + m.end(), "word left in the source script")


def _reference_mt013(view: TextView):
    """MT013 as first written: spans of every keyed word collected, then the spellings compared."""
    spellings: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for m in mt._TITLE_WORD.finditer(view.text):
        key = mt._name_key(m.group())
        if key:
            spellings.setdefault(key, {}).setdefault(m.group(), []).append(m.span())
    for forms in spellings.values():
        if len(forms) < 2:
            continue
        best = max(forms, key=lambda f: (len(forms[f]), -forms[f][0][0]))
        for form, spans in forms.items():
            if form.lower() != best.lower():
                for start, end in spans:
                    yield (start, end, best)


def test_mt012_and_mt013_find_what_the_first_forms_found():
    fired = {"MT012": 0, "MT013": 0}
    for text in _texts():
        view = TextView(text)
        if not view.is_english:
            continue
        script = [h for h in mt.untranslated_abbreviation(view) if h.message == "word left in the source script"]
        assert script == list(_reference_mt012(view)), text
        spelled = [(h.start, h.end, h.suggestion) for h in mt.name_spelled_two_ways(view)]
        assert spelled == list(_reference_mt013(view)), text
        fired["MT012"] += bool(script)
        fired["MT013"] += bool(spelled)
    assert fired["MT012"] and fired["MT013"]  # the inputs exercise both paths


def test_mt002_and_mt007_find_what_the_first_forms_found():
    from audit.language import identify
    from audit.text import words

    def mt002_reference(view: TextView):
        return [(m.start(), m.end()) for m in mt._nationality_the().finditer(view.text)]

    def mt007_reference(view: TextView):
        english, foreign = 0, []
        for m in mt._SENTENCE.finditer(view.text):
            s = m.group()
            if len(s) > mt.MAX_SENTENCE_CHARS:
                continue
            ws = words(s)
            if len(ws) < mt.MIN_FRAGMENT_WORDS:
                continue
            if mt._two_cues(ws):
                english += len(s)
                continue
            code, prob = identify(s, view.engine)
            if code not in ("en", "und") and prob >= mt.FRAGMENT_CONFIDENCE:
                foreign.append((m.start() + len(s) - len(s.lstrip()), m.end() - (len(s) - len(s.rstrip()))))
            else:
                english += len(s)
        return [] if english <= sum(e - s for s, e in foreign) else foreign

    fired = {"MT002": 0, "MT007": 0}
    for text in _texts():
        view = TextView(text)
        got = [(m.start(), m.end()) for m in mt._misplaced_articles(view)]
        assert got == mt002_reference(view), text
        hits = [(h.start, h.end) for h in mt.untranslated_fragment(view)]
        assert hits == mt007_reference(view), text
        fired["MT002"] += bool(got)
        fired["MT007"] += bool(hits)
    assert fired["MT002"] and fired["MT007"]


def test_line_features_are_those_of_the_first_form():
    from audit import linemodel as lm

    rng = random.Random(3)
    long_line = "Word " * 500  # over the memo's line length: computed, not remembered
    for text in [*_texts(100), "\n".join([long_line, *LINES])]:
        lines = [ln for ln in text.split("\n") if ln.strip()] * rng.randrange(1, 3)
        if not lines:
            continue
        stats = lm.DocStats(lines)
        for i in range(len(lines)):
            ws = stats.words[i]
            first = lm._shape(lines[i], ws) + lm._voice(ws) + lm._place(stats, i) + lm._terms(stats, i)
            assert lm.line_features(stats, i) == first


def test_letter_model_is_the_one_counted_word_by_word():
    import math

    from wordfreq import top_n_list

    from audit import mtmodel

    tri: dict[str, int] = {}
    ctx: dict[str, int] = {}
    for w in top_n_list("en", mtmodel.LETTER_WORDS):
        if len(w) >= 3 and w.isascii() and w.isalpha():
            s = "^^" + w + "$"
            for i in range(2, len(s)):
                tri[s[i - 2 : i + 1]] = tri.get(s[i - 2 : i + 1], 0) + 1
                ctx[s[i - 2 : i]] = ctx.get(s[i - 2 : i], 0) + 1
    seen = {t: math.log((n + 0.1) / (ctx[t[:2]] + 2.8)) for t, n in tri.items()}
    unseen = {c: math.log(0.1 / (n + 2.8)) for c, n in ctx.items()}
    assert mtmodel._letter_model() == (seen, unseen)


def test_first_chars_asked_of_the_wide_characters_answer_as_of_the_text():
    """The pre-filter's first look for literals outside ASCII searches the document's distinct non-ASCII
    characters (`DocScan.wide_chars`), not the text: the same answer for every pattern's class, on texts
    with accents, other scripts, the characters that fold to ASCII letters and none outside ASCII."""
    from audit.engine import Options, check_document
    from audit.records import Document
    from audit.scan import PREFILTER, DocScan

    options = Options(jobs=1)
    check_document(Document(id="d", text="\n".join(LINES)), options, options.checks())  # every check's patterns
    rng = random.Random(7)
    pool = "aeiouKksSI\u00e9\u00c9\u00e0\u00c0\u00ed\u00f3\u00e1\u0440\u0420\u043a\u044c\u4eba\uae30\ub274\u24d2\u0130\u0131\u212a\u017f\u00df\n "
    texts = [*_texts(60), "", "plain ASCII only", "\u00c9T\u00c9", "\u0420\u0443\u0441"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 40))) for _ in range(400)]
    classes = [PREFILTER.first_chars(n) for n in range(len(PREFILTER.literals)) if PREFILTER.re_literals(n)]
    classes = [c for c in classes if c is not None]
    assert len(classes) >= 5  # the residue patterns with accented or CJK literals
    classes += [re.compile("[\u00e9\u0440]", re.IGNORECASE), re.compile("[\u4eba\u00df]", re.IGNORECASE)]
    for text in texts:
        wide = DocScan(text, [0]).wide_chars()
        assert all(not c.isascii() for c in wide) and len(set(wide)) == len(wide)
        for rx in classes:
            assert (rx.search(wide) is None) == (rx.search(text) is None), (rx.pattern, text)


def _case_texts(n: int) -> list[str]:
    """Texts mixing prompt phrases in every case with the characters whose case rules are odd: those that fold
    to ASCII letters (İ ı K ſ), lower to two characters (ẞ İ), title case (ǅ), final sigma, ligatures, full width."""
    rng = random.Random(11)
    pieces = [
        "Sign up for our newsletter",
        "SUBSCRIBE NOW",
        "sign\u00a0Up",
        "Download the app",
        "Accept all cookies",
        "Follow us on Twitter",
        " ",
        "\n",
        "-",
        "'",
        "’s",
        "\u0130",
        "\u0131",
        "\u212a",
        "\u017f",
        "\u1e9e",
        "\u00df",
        "\u01c5",
        "\u03a3\u03c3\u03c2",
        "\ufb01",
        "\uff33\uff29\uff27\uff2e",
        "\u00c9t\u00e9",
        "\u13f8\u13f0",
        "_",
        "42",
    ]
    return [*LINES, *("".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(n))]


def test_lower_case_forms_find_what_the_case_insensitive_patterns_find():
    """`audit.scan.lower_case_form` searched in `lower_case_line(s)` finds the matches (same spans) that the
    pattern finds in `s` with `re.IGNORECASE`, for every pattern that has a form: the residue checks' phrase
    lists and patterns, and the pre-filter's patterns; patterns that compare case otherwise have none."""
    from audit.checks.residue import _prompt_patterns, prompt_pattern_parts
    from audit.engine import Options, check_document
    from audit.records import Document
    from audit.scan import PREFILTER, lower_case_form, lower_case_line

    options = Options(jobs=1)
    check_document(Document(id="d", text="\n".join(LINES)), options, options.checks())
    patterns = [*_prompt_patterns(), *prompt_pattern_parts(), *PREFILTER.patterns]
    patterns += [re.compile(p, re.IGNORECASE) for p in (r"(?<!\w)sign\s+up(?!\w)", r"\bk\w+", r"[a-z]s\b", r"^\s*é")]
    with_form = [p for p in patterns if lower_case_form(p) is not None]
    assert len(with_form) >= 40
    for p in (r"Sign up", r"(\w)\1", r"(?-i:sign)", r"[A-Z]+", r"\x53ign"):
        assert lower_case_form(re.compile(p, re.IGNORECASE)) is None, p
    assert lower_case_form(re.compile("sign up")) is None  # case-sensitive already
    texts = _case_texts(600)
    for s in texts:
        low = lower_case_line(s)
        if low is None:
            assert len(s.lower()) != len(s) or any(c in s for c in "\u0130\u0131\u212a\u017f")
            continue
        for p in with_form:
            got = [m.span() for m in lower_case_form(p).finditer(low)]
            assert got == [m.span() for m in p.finditer(s)], (p.pattern[:60], s)
    assert sum(lower_case_line(s) is not None for s in texts) >= 200


def test_words_of_ascii_strings_are_those_of_the_unicode_pattern():
    """`audit.text.words` reads an ASCII string with a plain a-z range: the words the Unicode pattern finds."""
    from audit.text import _WORD, words

    rng = random.Random(5)
    pool = [
        "don't",
        "O'Neil",
        "x'",
        "'s",
        "’",
        "rock'n'roll",
        "A1b",
        "_a_",
        "9am",
        " ",
        "\n",
        "-",
        "é",
        "Straße",
        "Ω",
        "\t",
    ]
    texts = [*LINES, *_texts(50)]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 12))) for _ in range(2000)]
    texts += ["".join(chr(rng.randrange(0, 128)) for _ in range(rng.randrange(1, 40))) for _ in range(2000)]
    assert sum(t.isascii() for t in texts) >= 2000
    for t in texts:
        assert words(t) == _WORD.findall(t), t


def test_teaser_runs_of_short_texts_are_none_as_the_ungated_form_finds():
    """RES015's teaser runs return nothing at once for a text under TEASER_ARTICLE + TEASER_END_RUN *
    HEADLINE_WORDS words (no run of two 4+-word lines fits beside 150 words of article): the fixture's firing
    texts, cut line by line from the end and from the start, find what the ungated form finds."""
    from collections import Counter

    import yaml

    from audit.checks import layout

    def ungated(lines):
        shaped = [layout.teaser_shape(s) for s in lines]
        end = len(lines)
        while end > 0 and word_count(lines[end - 1]) <= 5:
            end -= 1
        stems = [layout.content_stems(s) for s in lines]
        counts = Counter(t for own in stems for t in own)
        far = [
            shaped[i] and layout._unrelated(stems, counts, i, layout._is_headline_like(s)) for i, s in enumerate(lines)
        ]
        runs = layout._runs(far, lines, end)
        return [
            k for r in runs if layout._article_around(lines, stems, r) for k in r if any(c.isalnum() for c in lines[k])
        ]

    cases = yaml.safe_load(open("tests/fixtures/RES015.yaml", encoding="utf-8"))
    texts = [c["text"] for c in cases.get("fire", []) if "text" in c]
    fired = 0
    for text in texts:
        lines = text.split("\n")
        for cut in [lines[:k] for k in range(1, len(lines) + 1)] + [lines[k:] for k in range(len(lines))]:
            assert layout.teaser_run_lines(cut) == ungated(cut)
            fired += bool(ungated(cut))
    assert fired  # the cuts reach texts long enough to fire


# Patterns that open with a look-ahead of the characters where a match can begin (the engine skips the other
# characters at once): (module, name, the look-ahead that was added in front of the first form).
_LOOK_AHEADS = [
    ("residue", "_DATE_SIGNAL", "(?=[\\djfmasondup])"),
    ("residue", "_LABEL_SEP", "(?=[\\s|•·/])"),
    ("structure", "_FIELD_SPLIT", "(?=[\\s|])"),
    ("structure", "_NUMBER", "(?=\\d)"),
    ("structure", "_ADDRESS_OR_PHONE", "(?=[@+(\\d])"),
    ("layout", "_REPORTING", "(?=[staenw])"),
    ("republication", "_REPUBLISHED", "(?=[(wta]|^)"),
]


def _pattern_strings(n: int = 6000) -> list[str]:
    """Lines of the varied corpus and random strings of the characters these patterns turn on."""
    rng = random.Random(17)
    pool = list("0123456789 :/.-,;|•·@+()[]{}=>\t\n'’\"“”İıſK") + [
        "jan",
        "Sept",
        "march",
        "updated",
        "Published",
        "hour",
        "ago",
        "one",
        "said",
        "TOLD",
        "according to",
        "(Reuters) -",
        "with reporting by",
        "this article was first published on",
        "Source:",
        "the",
        "AP",
        "def ",
        "INFO",
        "x == y",
        "f(x);",
        "a@b.co",
        "+44 20 7946 0000",
        "1.5%",
        "2019",
        "Έλλη",
        "déc",
    ]
    texts = [*LINES, *"\n".join(_texts(60)).split("\n")]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 14))) for _ in range(n)]
    return texts


def _same_matches(a: re.Pattern[str], b: re.Pattern[str], s: str) -> bool:
    spans = [m.span() for m in a.finditer(s)] == [m.span() for m in b.finditer(s)]
    offset = min(2, len(s))
    from_offset = [m and m.span() for m in (a.search(s, offset), b.search(s, offset))]
    return spans and a.split(s) == b.split(s) and a.findall(s) == b.findall(s) and from_offset[0] == from_offset[1]


def test_patterns_behind_a_look_ahead_match_as_their_first_forms():
    """Each look-ahead names every character a match of its pattern can begin with (or, for PRV001's marks, a
    line's start): the same matches, splits and found strings as the pattern without it."""
    import importlib

    texts = _pattern_strings(6000)
    for module, name, ahead in _LOOK_AHEADS:
        rx = getattr(importlib.import_module(f"audit.checks.{module}"), name)
        assert rx.pattern.startswith(ahead), name
        plain = re.compile(rx.pattern[len(ahead) :], rx.flags)
        hits = 0
        for s in texts:
            assert _same_matches(rx, plain, s), (name, s)
            hits += rx.search(s) is not None
        assert hits >= 20, name  # the strings reach the patterns' matches


def test_patterns_found_from_a_literal_match_as_their_first_forms():
    """RES008's ISO-date test (scanned for its dash, the year looked back at) finds a date in the same texts as
    `\\d{4}-\\d{2}-\\d{2}`; RES005's first-sentence stop (found from the stop) matches where the look-behind
    first form did."""
    from audit.checks import residue

    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    stop = re.compile(r"(?<=[^\W\d_]{4})\.\s")
    rng = random.Random(23)
    texts = _pattern_strings(3000) + ["".join(rng.choice("0123456789-٣x \n") for _ in range(16)) for _ in range(20000)]
    assert sum(iso.search(s) is not None for s in texts) >= 20
    for s in texts:
        assert (residue._ISO_DATE.search(s) is None) == (iso.search(s) is None), s
        assert _same_matches(residue._FIRST_SENTENCE, stop, s), s


def test_code_mark_is_the_search_of_the_pattern():
    """structure.has_code_mark matches at a line's start alone where no unanchored branch can match."""
    from audit.checks import structure

    texts = _pattern_strings(6000) + ["def f(x):", "  return x", "x = 1", "SELECT a FROM t;", "$ ls -la"]
    marked = 0
    for s in texts:
        assert structure.has_code_mark(s) == bool(structure._CODE_MARK.search(s)), s
        marked += structure.has_code_mark(s)
    assert marked >= 20


def test_space_then_mark_holds_wherever_mt004_matches():
    """MT004's first look (a space right before `:`, `;`, `!` or `?`) is true of every text its pattern matches."""
    texts = _pattern_strings(6000) + ["Source :Skai", "Vraiment ?", "Prix\u00a0: 5", "a\u202f; b", "Ce n'est pas ça !"]
    matched = 0
    for s in texts:
        if mt._SPACE_PUNCT.search(s):
            matched += 1
            assert mt._space_then_mark(s), s
    assert matched >= 4


def test_unrelated_is_the_neighbour_count_of_the_first_form():
    """RES015's `_unrelated` (terms on 3+ lines first, stopping at the second shared one) answers as the form
    that counted the neighbours' terms with a Counter."""
    from collections import Counter

    from audit.checks import layout

    def first_form(stems, counts, i, headline=False):
        own = stems[i]
        if len(own) < (layout.HEADLINE_TERMS if headline else layout.TEASER_TERMS):
            return False
        near = Counter(t for k in range(max(0, i - 1), min(len(stems), i + 2)) for t in stems[k])
        return sum(counts[t] > near[t] + 1 for t in own) <= layout.TEASER_SHARED

    rng = random.Random(29)
    vocabulary = [f"term{k}" for k in range(9)]
    for _ in range(3000):
        stems = [set(rng.sample(vocabulary, rng.randrange(0, 7))) for _ in range(rng.randrange(1, 9))]
        counts = Counter(t for own in stems for t in own)
        for i in range(len(stems)):
            for headline in (False, True):
                assert layout._unrelated(stems, counts, i, headline) == first_form(stems, counts, i, headline)
