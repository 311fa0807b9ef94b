"""Machine-translation artifacts: disclosures, source-language syntax and typography, re-translated paragraphs."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from audit.checks.integrity import repeated_paragraphs
from audit.data import load_list, phrase_regex
from audit.model import Hit
from audit.registry import check
from audit.text import TextView, word_count, words


@check("MT001", "mt", "error")
def translation_disclosure(view: TextView) -> Iterator[Hit]:
    """Disclosures of machine translation: `Powered by automated translation`, `This article was machine translated`.

    Fires on lines of at most 30 words containing a phrase from `audit/data/mt_disclosures.txt`.
    """
    rx = phrase_regex("mt_disclosures")
    for line in view.body:
        if len(line.text) <= 1000 and word_count(line.text) <= 30 and rx.search(line.text):
            yield Hit(*line.span, "machine-translation disclosure", "")


@functools.cache
def _nationality_the() -> re.Pattern[str]:
    adj = "|".join(sorted(load_list("nationalities"), key=len, reverse=True))
    # "French the Ministry of Foreign Affairs": adjective, then "the", then a capitalised noun phrase
    return re.compile(r"\b(" + adj + r")\s+the\s+((?:[A-Z][\w'’-]*)(?:\s+(?:of|for|and|the|[A-Z][\w'’-]*)){0,6})")


@check("MT002", "mt", "warning", fix="replace", mt_signal=True)
def misplaced_article(view: TextView) -> Iterator[Hit]:
    """A nationality adjective before `the` and a capitalised name: `French the Ministry of Foreign Affairs`.

    Source-language word order left by translation; the suggestion moves the article
    (`the French Ministry of Foreign Affairs`).
    """
    if not view.is_english:
        return
    for m in _nationality_the().finditer(view.text):
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
    r"\b((?:[Pp]rime|[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Ff]inance)\s+[Mm]inister|[Pp]resident|[Ll]eader|[Hh]ead)"
    r"\s+of\s+the\s+(country|state|republic)\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,3})"
)


@check("MT003", "mt", "warning", fix="replace", mt_signal=True)
def role_calque(view: TextView) -> Iterator[Hit]:
    """Calqued roles: `Prime minister of the country Nikol Pashinyan` for `the country's prime minister`."""
    if not view.is_english:
        return
    for m in _CALQUE.finditer(view.text):
        yield Hit(
            m.start(),
            m.end(),
            "role phrase calqued from the source language",
            f"the {m.group(2)}'s {m.group(1).lower()} {m.group(3)}",
        )


_SPACE_PUNCT = re.compile(r"(?<=[^\W\d_])[ \u00a0\u202f]([:;!?])(?=[^\W_]|[ \t][^\W\d_]|[ \t]*(?:\r?\n|\Z))")


@check("MT004", "mt", "info")
def space_before_punctuation(view: TextView) -> Iterator[Hit]:
    """A space before `:`, `;`, `!` or `?` between words (`Source :Skai`): French typography in English text."""
    if not view.is_english:
        return
    for m in _SPACE_PUNCT.finditer(view.text):
        yield Hit(m.start(), m.end(), "space before punctuation (French typography)", m.group(1))


_FOREIGN_QUOTES = re.compile(r"«[^«»\n]{0,400}»|„[^„“”\n]{0,400}[“”]|‹[^‹›\n]{0,200}›")


@check("MT005", "mt", "info")
def foreign_quotation_marks(view: TextView) -> Iterator[Hit]:
    """Guillemets `«...»` and low quotes `„...“` in English text: typography carried over from the source."""
    if not view.is_english:
        return
    for m in _FOREIGN_QUOTES.finditer(view.text):
        inner = m.group()[1:-1]
        yield Hit(m.start(), m.end(), "foreign quotation marks", f"“{inner}”")


@check("MT006", "mt", "error", fix="remove", mt_signal=True)
def retranslated_paragraph(view: TextView) -> Iterator[Hit]:
    """A paragraph repeated with different wording (`a broad attack` / `a widespread attack`): two translations of one source.

    Pairs of paragraphs at least 80% similar (rapidfuzz ratio) but not identical; the later one is flagged.
    """
    for first, later, sim in repeated_paragraphs(view):
        if sim < 100.0:
            a, b = set(words(first.text.lower())), set(words(later.text.lower()))
            drift = sorted(b - a)[:6]
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


@check("MT007", "mt", "warning", mt_signal=True)
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
        ws = words(s)
        if len(ws) < MIN_FRAGMENT_WORDS:
            continue
        if sum(w.lower() in _ENGLISH_CUES for w in ws) >= 2:
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
