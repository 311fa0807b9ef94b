"""Machine-translation artifacts: disclosures, source-language syntax and typography, re-translated paragraphs."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from audit.checks.integrity import repeated_paragraphs
from audit.data import load_list, phrase_regex
from audit.memory import memo
from audit.records import Hit
from audit.registry import check
from audit.text import TextView, is_prose, word_count, words

DISCLOSURE_MAX_WORDS = 30
LABEL_MAX_WORDS = 12  # a line this short is a label or footer, not a sentence about translation
_THIS_TEXT = re.compile(
    r"\b(?:this|the)\s+(?:article|text|story|page|post|content|report|site|website|news)\b|\bpowered\s+by\b",
    re.IGNORECASE,
)


_DISCLOSING = re.compile(r"translated|\b(?:powered\s+by|by|via|using|with)\b", re.IGNORECASE)


@check("MT001", "mt", "error", label="says it was machine-translated", role="disclosure")
def translation_disclosure(view: TextView) -> Iterator[Hit]:
    """Disclosures of machine translation: `Powered by automated translation`, `This article was machine translated`.

    Fires on a line containing a phrase from `audit/data/mt_disclosures.txt` when the line is a short
    label that says how the text was made (at most 12 words, with `translated`, `by`, `via`, `using`)
    or speaks of the text itself (`this article`, `powered by`) in at most 30 words. A sentence about
    translation (`Machine translation has improved`, `The novel, translated from Russian by a team of
    three, won the prize`) is not a disclosure.
    """
    rx = phrase_regex("mt_disclosures")
    lines = view.candidates(rx)  # the lines where a phrase can be (audit.scan): the others hold none
    for line in view.body:
        if line.index not in lines or len(line.text) > 1000 or not rx.search(line.text):
            continue
        n = word_count(line.text)
        if (n <= LABEL_MAX_WORDS and _DISCLOSING.search(line.text)) or (
            n <= DISCLOSURE_MAX_WORDS and _THIS_TEXT.search(line.text)
        ):
            yield Hit(*line.span, "machine-translation disclosure", "")


@functools.cache
def _nationality_the() -> re.Pattern[str]:
    # each adjective's first letter, then `(?<!\w.)` (no word character before it): the same as a leading
    # `\b`, but the engine can skip ahead to a possible first letter (4x faster; tests/test_mt_patterns.py)
    adj = "|".join(a[0] + r"(?<!\w.)" + a[1:] for a in sorted(load_list("nationalities"), key=len, reverse=True))
    # "French the Ministry of Foreign Affairs": adjective, then "the", then a capitalised noun phrase
    return re.compile(
        r"(" + adj + r")[ \t]+the[ \t]+((?:[A-Z][\w'’-]*)(?:[ \t]+(?:of|for|and|the|[A-Z][\w'’-]*)){0,6})"
    )


@memo(4096)
def _may_misplace(line: str) -> bool:
    """Whether the line alone holds a match of `_nationality_the()`, remembered (pages repeat their lines)."""
    return _nationality_the().search(line) is not None


def _misplaced_articles(view: TextView) -> Iterator[re.Match[str]]:
    """`_nationality_the().finditer(view.text)`, searched only in the lines where `_may_misplace`: a match
    never crosses a line (its white space is spaces and tabs, its words word characters) and its one
    look-behind is negative, so a line holds a match in the text exactly where it holds one alone
    (tests/test_speed_equivalence.py)."""
    rx = _nationality_the()
    for line in view.body:
        if len(line.text) > 2000 or _may_misplace(line.text):
            yield from rx.finditer(view.text, line.start, line.end)


@check("MT002", "mt", "warning", fix="replace", mt_signal=True, label="word order left by translation")
def misplaced_article(view: TextView) -> Iterator[Hit]:
    """A nationality adjective before `the` and a capitalised name: `French the Ministry of Foreign Affairs`.

    Source-language word order left by translation; the suggestion moves the article
    (`the French Ministry of Foreign Affairs`).
    """
    if not view.is_english:
        return
    for m in _misplaced_articles(view):
        adj, noun = m.group(1), m.group(2).rstrip()
        for tail in (" of", " for", " and", " the"):
            while noun.endswith(tail):
                noun = noun[: -len(tail)].rstrip()
        end = m.start(2) + len(noun)
        article = (
            "The"
            if adj[0].isupper() and (m.start() == 0 or view.text[m.start() - 2 : m.start()].strip() in ("", "."))
            else "the"
        )
        yield Hit(m.start(), end, "article misplaced by translation", f"{article} {adj} {noun}")


_CALQUE = re.compile(
    r"\b((?:[Pp]rime|[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Ff]inance)[ \t]+[Mm]inister|[Pp]resident|[Ll]eader|[Hh]ead)"
    r"[ \t]+of[ \t]+the[ \t]+([Cc]ountry|[Ss]tate|[Rr]epublic)[ \t]+((?:[A-Z][\w'’-]+)(?:[ \t]+[A-Z][\w'’-]+){0,3})",
    re.MULTILINE,  # no `^` or `$` to change: the flag tells the pre-filter (audit.scan) a match is one line's
)


@check("MT003", "mt", "warning", fix="replace", mt_signal=True, label="role worded as in translation")
def role_calque(view: TextView) -> Iterator[Hit]:
    """Calqued roles: `Prime minister of the country Nikol Pashinyan` for `the country's prime minister`."""
    if not view.is_english:
        return
    for m in view.finditer(_CALQUE):  # searched in the lines that hold `country`, `state` or `republic`
        yield Hit(
            m.start(),
            m.end(),
            "role phrase calqued from the source language",
            f"the {m.group(2).lower()}'s {m.group(1).lower()} {m.group(3)}",
        )


# the look-behinds here and below sit after the first character they guard (`[ ](?<=[^\W\d_].)` is
# `(?<=[^\W\d_])[ ]`), so the engine skips ahead to a possible first character: identical matches
_SPACE_PUNCT = re.compile(r"[ \u00a0\u202f](?<=[^\W\d_].)([:;!?])(?=[^\W_]|[ \t][^\W\d_]|[ \t]*(?:\r?\n|\Z))")


_SPACES, _MARKS = " \u00a0\u202f", ":;!?"


def _space_then_mark(text: str) -> bool:
    """The text has a space right before `:`, `;`, `!` or `?`, as every `_SPACE_PUNCT` match does: a dozen
    substring searches, a tenth of the time of the pattern's look at every space of a text without one."""
    spaces = " " if text.isascii() else _SPACES
    return any(sp + mark in text for sp in spaces for mark in _MARKS)


@check("MT004", "mt", "info", label="space before punctuation, French style")
def space_before_punctuation(view: TextView) -> Iterator[Hit]:
    """A space before `:`, `;`, `!` or `?` between words (`Source :Skai`): French typography in English text."""
    if not view.is_english or not _space_then_mark(view.text):
        return
    for m in _SPACE_PUNCT.finditer(view.text):
        yield Hit(m.start(), m.end(), "space before punctuation (French typography)", m.group(1))


_FOREIGN_QUOTES = re.compile(r"«[^«»\n]{0,400}»|„[^„“”\n]{0,400}[“”]|‹[^‹›\n]{0,200}›")


@check("MT005", "mt", "info", label="foreign quotation marks")
def foreign_quotation_marks(view: TextView) -> Iterator[Hit]:
    """Guillemets `«...»` and low quotes `„...“` in English text: typography carried over from the source."""
    if not view.is_english or view.text.isascii():
        return  # (every mark is outside ASCII)
    for m in _FOREIGN_QUOTES.finditer(view.text):
        inner = m.group()[1:-1]
        yield Hit(m.start(), m.end(), "foreign quotation marks", f"“{inner}”")


RETRANSLATED_MIN_WORDS = 15  # shorter near-repeats are list entries, recipe steps, results, schedule rows
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")


def _names(s: str) -> set[str]:
    """Capitalised words inside sentences (a sentence's first word is capitalised whatever it is)."""
    from audit.lexicon import function_word_set

    fw = function_word_set()
    out = set()
    for m in _CAPITALISED.finditer(s):
        before = s[: m.start()].rstrip()
        if before and before[-1] not in '.!?:"“(' and m.group().lower() not in fw:
            out.add(m.group())
    return out


def _same_facts(a: str, b: str) -> bool:
    """Two wordings of one source keep its numbers and names; two list entries differ in them."""
    if sorted(_NUMBER.findall(a)) != sorted(_NUMBER.findall(b)):
        return False
    na, nb = _names(a), _names(b)
    return not (na or nb) or len(na & nb) / len(na | nb) >= 0.8


_LIST_ITEM = re.compile(r"^\s*(?:[-–—*•·]|\d+[.)])\s")


def _reworded(a: str, b: str) -> list[str] | None:
    """The words `b` puts in place of `a`'s when each has words the other lacks (a re-wording, not a
    cut or an addition); None otherwise."""
    wa, wb = set(words(a.lower())), set(words(b.lower()))
    return sorted(wb - wa) if wa - wb and wb - wa else None


@check("MT006", "mt", "error", fix="remove", mt_signal=True, label="paragraph repeated in other words")
def retranslated_paragraph(view: TextView) -> Iterator[Hit]:
    """A paragraph repeated with different wording (`a broad attack` / `a widespread attack`): two translations of one source.

    Pairs of prose paragraphs (at least 15 words, ending like a sentence, not list items) at least 80%
    similar (rapidfuzz ratio) but not identical, with the same numbers and names, each with words the
    other lacks (a re-wording, not a quotation repeated with a cut); the later one is flagged. A
    paragraph that resembles several others is a template (tour dates, results, recipe steps), not a
    re-translation, and is left alone.
    """
    pairs = [(a, b, sim) for a, b, sim in repeated_paragraphs(view) if sim < 100.0]
    partners: dict[int, int] = {}
    for a, b, _ in pairs:
        partners[a.index] = partners.get(a.index, 0) + 1
        partners[b.index] = partners.get(b.index, 0) + 1
    for first, later, sim in pairs:
        if partners[first.index] > 1 or partners[later.index] > 1:
            continue
        if not (is_prose(first.text, RETRANSLATED_MIN_WORDS) and is_prose(later.text, RETRANSLATED_MIN_WORDS)):
            continue
        if _LIST_ITEM.match(first.text) or _LIST_ITEM.match(later.text) or not _same_facts(first.text, later.text):
            continue
        drift = _reworded(first.text, later.text)
        if drift is None:
            continue
        drift = drift[:6]
        yield Hit(
            *later.span,
            f"paragraph repeats line {first.index + 1} in other words ({sim:.0f}% similar; new: {', '.join(drift)})",
            "",
        )


MIN_FRAGMENT_WORDS = 6
MAX_SENTENCE_CHARS = 2000
FRAGMENT_CONFIDENCE = 0.8
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*")
_ENGLISH_CUES = frozenset(
    "the of and to in is was were said for that with on by from has have it this are be will".split()
)


def _two_cues(ws: list[str]) -> bool:
    """True when at least two of the words are English cues (`_ENGLISH_CUES`, any case): the count stops
    at the second, which most English sentences reach within a few words."""
    seen = False
    for w in ws:
        if w.lower() in _ENGLISH_CUES:
            if seen:
                return True
            seen = True
    return False


_SHORT, _ENGLISH, _UNSURE = 0, 1, 2


@memo(4096)
def _sentence_reading(s: str) -> int:
    """What a sentence is at a glance: _SHORT (under MIN_FRAGMENT_WORDS words), _ENGLISH (two English cues)
    or _UNSURE (to be identified). Remembered: a site's pages, and the versions of one page, repeat them."""
    ws = words(s)
    if len(ws) < MIN_FRAGMENT_WORDS:
        return _SHORT
    return _ENGLISH if _two_cues(ws) else _UNSURE


@check("MT007", "mt", "warning", mt_signal=True, label="sentences left untranslated")
def untranslated_fragment(view: TextView) -> Iterator[Hit]:
    """Sentences left in another language inside an English document (untranslated fragments).

    Each sentence of at least six words that does not read as English at a glance is identified on its
    own; sentences confidently in another language are flagged when most of the text is English.
    """
    from audit.language import identify

    if not view.languages or "en" not in view.languages:
        return
    english_chars = 0
    foreign: list[tuple[int, int, str, float]] = []
    for m in _SENTENCE.finditer(view.text):
        s = m.group()
        if len(s) > MAX_SENTENCE_CHARS:
            continue  # not a sentence: a run-on line that other checks judge
        reading = _sentence_reading(s)
        if reading == _SHORT:
            continue
        if reading == _ENGLISH:
            english_chars += len(s)
            continue
        code, prob = identify(s, view.engine)
        if code not in ("en", "und") and prob >= FRAGMENT_CONFIDENCE:
            lead = len(s) - len(s.lstrip())
            foreign.append((m.start() + lead, m.end() - (len(s) - len(s.rstrip())), code, prob))
        else:
            english_chars += len(s)
    if english_chars <= sum(e - s for s, e, _, _ in foreign):
        return  # mostly another language: INT005's concern, not a fragment
    for start, end, code, prob in foreign:
        yield Hit(start, end, f"untranslated '{code}' sentence (p={prob:.2f})")


_DIALOGUE_DASH = re.compile(
    r"^[ \t]{0,8}[-–—][ \t]?(?=[\"“]?[A-Z])[^\n]{0,600}?[,!?.…][ \t]?[-–—][ \t](?=[a-z])", re.MULTILINE
)


@check("MT010", "mt", "warning", mt_signal=True, label="dialogue dashes from the source language")
def dialogue_dash(view: TextView) -> Iterator[Hit]:
    """Direct speech in the source's dialogue-dash form: `- We are ready, - he said.` (Russian, Ukrainian, Hebrew).

    A line opened by a dash whose speech is closed by a second dash before a lower-case reporting
    clause; English writes quotation marks. A dash-led list item has no second dash after punctuation.
    """
    if not view.is_english:
        return
    for m in _DIALOGUE_DASH.finditer(view.text):
        lead = len(m.group()) - len(m.group().lstrip())
        trail = len(m.group()) - len(m.group().rstrip())
        yield Hit(m.start() + lead, m.end() - trail, "direct speech set off by dashes (source-language punctuation)")


@functools.cache
def _surname_first() -> re.Pattern[str]:
    given = "|".join(sorted(load_list("mt_given_names"), key=len, reverse=True))
    suffix = r"(?:ov|ova|ev|eva|yov|yova|kin|kina|sky|skiy|skyi|skaya|enko|uk|yuk|chuk|vich|ko|dze|shvili|yan)"
    # "Ivanov Dmitry", not "Dmitry Ivanov"; not part of a longer run of capitalised words
    return re.compile(
        r"([A-Z](?<![\w'’-].)[a-z]{2,}" + suffix + r")[ \t]+(" + given + r")(?![\w'’-])(?![ \t]+[A-Z])",
        re.MULTILINE,  # as _CALQUE
    )


_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]+$")


@check("MT011", "mt", "warning", fix="replace", mt_signal=True, label="surname before the given name")
def surname_first(view: TextView) -> Iterator[Hit]:
    """A Slavic surname before the given name (`Ivanov Dmitry (violin)`): the source's list order carried over.

    English writes the given name first. Given names from `audit/data/mt_given_names.txt`; the surname
    must end like a Russian, Ukrainian, Belarusian, Georgian or Armenian one. The suggestion swaps them.
    """
    if not view.is_english:
        return
    for m in view.finditer(_surname_first()):
        if _CAPITALISED_BEFORE.search(view.text[max(0, m.start() - 40) : m.start()]):
            continue  # part of a longer run of names ("Pavel Ivanov Ilya ...")
        yield Hit(m.start(), m.end(), "surname before given name (source-language order)", f"{m.group(2)} {m.group(1)}")


_TRANSLIT_ABBREVIATION = re.compile(r"[A-Z](?<![\w'’-].)[A-Z]{0,3}(?:Ch|Zh|Ts|Sh|Kh|Shch)[A-Z]{1,4}(?![\w'’-])")
_SCRIPT_LETTERS = (
    "\u0386-\u03ce"  # Greek
    "\u0400-\u04ff"  # Cyrillic
    "\u05d0-\u05ea"  # Hebrew
    "\u0620-\u064a"  # Arabic
    "\u3041-\u3096\u30a1-\u30fa"  # Japanese kana (not the middle dot or the prolonged-sound mark)
    "\u4e00-\u9fff\uac00-\ud7a3"  # Chinese characters, Korean
)
_FOREIGN_SCRIPT = re.compile(f"[{_SCRIPT_LETTERS}]+(?:[-.][{_SCRIPT_LETTERS}]+)*")
_EMBED = re.compile(r"\(@\w+\)")  # an embedded post's signature line: the platform's own text
_GLOSS_BEFORE = re.compile(r"[(\[]\s*$")


@check("MT012", "mt", "warning", mt_signal=True, label="abbreviation left untranslated")
def untranslated_abbreviation(view: TextView) -> Iterator[Hit]:
    """Abbreviations transliterated letter by letter (`MChS`, `RZhD`) or words left in the source script (`МВД`).

    A capitalised abbreviation with a transliteration digraph inside (Ch, Zh, Ts, Sh, Kh) is a Russian
    or Ukrainian one spelt out in Latin letters; English uses the institution's name or its English
    abbreviation. A word in Cyrillic, Greek, Hebrew, Arabic, Japanese, Chinese or Korean script inside an
    English sentence was not translated, unless it is a gloss in brackets (`Kyiv (Київ)`). Runs of
    several such words are sentences, MT007's concern.
    """
    if not view.is_english:
        return
    for m in _TRANSLIT_ABBREVIATION.finditer(view.text):
        yield Hit(m.start(), m.end(), "abbreviation transliterated letter by letter")
    if view.text.isascii() or not _FOREIGN_SCRIPT.search(view.text):
        return  # no line has a word in another script (one search of the text, not one a line; none in ASCII)
    for line in view.body:
        found = list(_FOREIGN_SCRIPT.finditer(line.text))
        if not found or len(found) > 3 or word_count(line.text) < 6 or _EMBED.search(line.text):
            continue
        for m in found:
            if _GLOSS_BEFORE.search(line.text[: m.start()]):
                continue
            yield Hit(line.start + m.start(), line.start + m.end(), "word left in the source script")


_TITLE_WORD = re.compile(r"[A-Z](?<![\w'’-].)[a-z]+(?:[A-Z][a-z]+)?(?![\w-])")
NAME_MAX_ZIPF = 3.0  # a word English uses this often is a word, not a transliterated name


@memo(1 << 16)
def _name_key(word: str) -> str | None:
    """The transliteration-neutral key of a capitalised word that can only be a name, else None."""
    from audit.lexicon import english_zipf, function_word_set
    from audit.lexicon.translit import tnorm

    low = word.lower()
    if len(word) < 4 or low in function_word_set():
        return None
    # wordfreq's `zipf_frequency(low, "en")`, looked up directly: `low` is ASCII letters (`_TITLE_WORD`)
    if english_zipf(low) >= NAME_MAX_ZIPF:
        return None
    return tnorm(word)


def _two_spellings(forms: list[str]) -> bool:
    """Whether two of the distinct words share a name key (`_name_key`) and differ other than in case: MT013
    flags nothing elsewhere, so most documents need no spans at all (tests/test_speed_equivalence.py)."""
    seen: dict[str, str] = {}
    for form in set(forms):
        key = _name_key(form)
        if key:
            low = form.lower()
            if seen.setdefault(key, low) != low:
                return True
    return False


@check("MT013", "mt", "warning", fix="replace", mt_signal=True, label="one name spelt two ways")
def name_spelled_two_ways(view: TextView) -> Iterator[Hit]:
    """One name spelled two ways in one document (`Hryhorenko` ... `Grigorenko`): two transliterations, or two translators.

    Capitalised words that English does not use as ordinary words, compared on a transliteration-
    neutral key (`audit/lexicon/translit.py`). Each spelling used less often than the document's
    commonest one for that key (the earlier on a tie) is flagged; the suggestion is the commonest.
    """
    if not view.is_english or not _two_spellings(_TITLE_WORD.findall(view.text)):
        return
    spellings: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for m in _TITLE_WORD.finditer(view.text):
        key = _name_key(m.group())
        if key:
            spellings.setdefault(key, {}).setdefault(m.group(), []).append(m.span())
    for forms in spellings.values():
        if len(forms) < 2:
            continue
        best = max(forms, key=lambda f: (len(forms[f]), -forms[f][0][0]))
        for form, spans in forms.items():
            if form.lower() != best.lower():  # `Airpods` for `AirPods` is styling, not spelling
                for start, end in spans:
                    yield Hit(start, end, f"'{form}' is spelled '{best}' elsewhere in this document", best)
