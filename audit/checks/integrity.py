"""Document integrity: duplicated paragraphs, truncation, mojibake, wrong language, empty text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from audit.language import MIN_LANGUAGE_CONFIDENCE
from audit.memory import short_memo
from audit.records import Hit
from audit.registry import check
from audit.text import Line, TextView, ends_sentence, has_words, word_count, words

MIN_PARAGRAPH_WORDS = 8
NEAR_DUPLICATE_RATIO = 80.0  # rapidfuzz ratio (0-100) at and above which two paragraphs say the same


_WORD_CHARS = re.compile(r"\w+")


@short_memo(4096)
def _norm(s: str) -> str:
    """The case-folded text's runs of word characters, one space between them: what replacing every other
    non-space character with a space and splitting at white space leaves (one regex pass instead of a
    substitution and a split; tests/test_speed_equivalence.py compares them on every character). Remembered
    for a line (`short_memo`): pages repeat their paragraphs."""
    return " ".join(_WORD_CHARS.findall(s.casefold()))


def repeated_paragraphs(view: TextView) -> list[tuple[Line, Line, float]]:
    """(earlier, later, similarity) for each later paragraph that repeats an earlier one.

    Each later paragraph is paired with its most similar earlier one. Similarity 100 means the same
    words in the same order once case and punctuation are ignored. Exact repeats are found by hashing
    in any document; near repeats are searched among the first MAX_NEAR_PARAGRAPHS paragraphs, which
    bounds the quadratic comparison on pathological inputs (an article has a few dozen).
    """
    return view.memo("repeated_paragraphs", _repeated_paragraphs)


MAX_NEAR_PARAGRAPHS = 400


def _repeated_paragraphs(view: TextView) -> list[tuple[Line, Line, float]]:
    from rapidfuzz import fuzz, process

    paras = [ln for ln in view.body if word_count(ln.text) >= MIN_PARAGRAPH_WORDS]
    if len(paras) < 2:
        return []
    normed = [_norm(p.text) for p in paras]
    lengths = [len(k) for k in normed]
    first_seen: dict[str, int] = {}
    out = []
    for j, key in enumerate(normed):
        if key in first_seen:
            out.append((paras[first_seen[key]], paras[j], 100.0))
            continue
        first_seen[key] = j
        if 0 < j < MAX_NEAR_PARAGRAPHS:
            lj = lengths[j]
            # min(a, lj) >= 0.75 * max(a, lj): 4a >= 3lj and 4lj >= 3a, in whole numbers
            lo, hi = -(-3 * lj // 4), 4 * lj // 3
            earlier = [i for i in range(j) if lo <= lengths[i] <= hi]
            if earlier:
                choices = [normed[i] for i in earlier]
                best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_RATIO)
                if best is not None:
                    out.append((paras[earlier[best[2]]], paras[j], float(best[1])))
    return out


DUPLICATE_MIN_WORDS = (
    20  # shorter repeats are list items, recipe steps, schedule rows and captions: the page's structure
)
TEMPLATE_COPIES = 3  # a paragraph found this often is a template of the page (a question put to every guest)


def _template_keys(view: TextView) -> set[str]:
    """Normalised paragraphs that recur TEMPLATE_COPIES times or more: the page repeats them on purpose."""
    counts: dict[str, int] = {}
    for ln in view.body:
        if word_count(ln.text) >= DUPLICATE_MIN_WORDS:
            key = _norm(ln.text)
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if n >= TEMPLATE_COPIES}


@check("INT001", "integrity", "error", fix="remove", autofix=True, label="paragraph repeated word for word")
def duplicate_paragraph(view: TextView) -> Iterator[Hit]:
    """A paragraph that repeats an earlier paragraph of the same document word for word.

    Case and punctuation are ignored. The later copy is flagged; its suggestion is to drop it.
    Only real paragraphs count: at least 20 words, not a question (an interview puts the same question
    to each guest), and not found three or more times (a recipe step or a line under every item of a
    list is the page's structure). Near-duplicates with different wording are MT006's. The default fix
    removes the later copy only when neither copy is a list item (`is_list_item`: opening with a list
    marker, or sitting among short labels as a meal plan's items do); a list item's repeat is flagged
    with no suggestion.
    """
    templates: set[str] | None = None
    for first, later, sim in repeated_paragraphs(view):
        s = later.text.rstrip()
        if sim < 100.0 or word_count(s) < DUPLICATE_MIN_WORDS or s.endswith("?"):
            continue
        if templates is None:
            templates = _template_keys(view)
        if _norm(s) not in templates:
            item = is_list_item(view, first) or is_list_item(view, later)
            yield Hit(*later.span, f"paragraph repeats line {first.index + 1}", None if item else "")


LABEL_WORDS = 5  # a subhead or label over a list item (`Breakfast`, `Day 3`) is this short
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|\(\d{1,3}\)|[-•*·▪◦‣–]|[a-z][.)])\s", re.IGNORECASE)


def _is_label(line: Line | None) -> bool:
    s = line.text.strip() if line is not None else ""
    return 0 < word_count(s) <= LABEL_WORDS and not ends_sentence(s)


def is_list_item(view: TextView, line: Line) -> bool:
    """A paragraph that is an item of a list: it opens with a list marker (`1.`, `-`, `•`), or it sits
    among labels (the lines above and below it, where there are any, are short labels: a meal plan's
    `Breakfast` / `Lunch`, a schedule's days). Such a repeat is the page's structure as often as an error."""
    if _LIST_MARKER.match(line.text):
        return True
    body = view.body
    k = next((n for n, ln in enumerate(body) if ln.index == line.index), None)
    if k is None:
        return False
    above = body[k - 1] if k > 0 else None
    below = body[k + 1] if k + 1 < len(body) else None
    return (above is not None or below is not None) and all(_is_label(x) for x in (above, below) if x is not None)


_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])\s*$")
# Words a complete English sentence does not end on: articles, prepositions, conjunctions, auxiliaries.
_OPEN_ENDINGS = frozenset(
    """a an the of to in on at for from with by into onto about as than and or but nor that which who whose
    whom if because while although though when where whether so its their his her our your my is are was were
    be been being has have had will would shall should can could may might must do does did not
    such this these those every each some any no between among after before during under over against without
    through toward towards via per amid""".split()
)


def _cut_mid_sentence(s: str) -> bool:
    """A line without an end mark that stops where no sentence ends: on a comma, on a word broken off at
    a hyphen, or on a word such as `the`, `of` or `and`. A headline (`The town looks to a greener
    future`) is complete."""
    if ends_sentence(s):
        return False
    if s[-1] == "," or (s[-1] in "-–—" and s[-2:-1].isalpha()):  # a comma, or a word broken off (`exten-`)
        return True
    ws = words(s[-200:])
    return bool(ws) and ws[-1].lower() in _OPEN_ENDINGS and s[-1].isalpha()


@check("INT002", "integrity", "warning", label="text cut off mid-sentence")
def truncated_ending(view: TextView) -> Iterator[Hit]:
    """The text stops mid-sentence or on an ellipsis, as paywalled and cut-off pages do.

    Looks at the last non-blank line only when it reads as prose (at least 8 words, mostly lower case).
    Mid-sentence means no end mark and a last word or mark no sentence ends on (`the`, `of`, `and`, a
    comma, a hyphen): a last line without a full stop is often a headline or a caption, which is complete.
    """
    if not view.body:
        return
    last = view.body[-1]
    s = last.text.strip()
    ws = words(s[-2000:])
    if len(ws) < 8 or sum(w[0].islower() for w in ws) < 0.5 * len(ws):
        return
    if _ELLIPSIS_END.search(s):
        yield Hit(*last.span, "text ends on an ellipsis: probably truncated")
    elif _cut_mid_sentence(s):
        yield Hit(*last.span, "text ends mid-sentence: probably truncated")


_SUSPECT = re.compile(
    r"[ÃÂâÅÄÐÑØÙÚÛÜÝÞßàáãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@check(
    "INT003",
    "integrity",
    "error",
    fix="replace",
    autofix=True,
    role="garbling",
    label="garbled characters (wrong encoding)",
)
def mojibake(view: TextView) -> Iterator[Hit]:
    """Mojibake: text decoded with the wrong encoding (`Ã©` for `é`, `â€™` for `’`).

    Detected with ftfy; the suggestion is ftfy's repair of the line.
    """
    if view.text.isascii() or not _SUSPECT.search(view.text):
        return
    import ftfy
    from ftfy.badness import is_bad

    for line in view.body:
        s = line.text
        if s.isascii() or not _SUSPECT.search(s) or not is_bad(s):
            continue
        fixed = ftfy.fix_encoding(s)
        if fixed != s:
            start, end = line.start, line.end
            yield Hit(start, end, "mojibake (wrong text encoding)", fixed)


MIN_WORDS = 30


@check("INT007", "integrity", "warning", label="checked only in part (a huge document)")
def audited_in_part(view: TextView) -> Iterator[Hit]:
    """A document over the audit limit (5,000,000 characters) is checked only up to a line break before it.

    One huge text (a whole file pasted as one document) then costs bounded time and memory (the checks
    hold about 30 bytes a character they read); this zero-width finding marks where the checks stopped.
    Findings and fixes stop there too. The limit is `max_chars` in `audit.engine.Options`.
    """
    if view.full_length > len(view.text):
        n = len(view.text)
        yield Hit(n, n, f"checked only the first {n:,} of {view.full_length:,} characters (the audit's limit)")


@check("INT004", "integrity", "error", label="empty or almost empty")
def near_empty(view: TextView) -> Iterator[Hit]:
    """Empty or near-empty documents: fewer than 30 words of text."""
    if has_words(view.text, MIN_WORDS):
        return
    s = view.text
    start = len(s) - len(s.lstrip())
    end = len(s.rstrip())
    if start >= end:
        yield Hit(0, 0, "empty document")
    else:
        yield Hit(start, end, f"near-empty document: {word_count(s)} words")


@check("INT005", "integrity", "error", label="not in the expected language", role="language_gate")
def wrong_language(view: TextView) -> Iterator[Hit]:
    """The document is not in an expected language (default English; `--language` or a `language` column).

    The span is the first line, which anchors the finding; the message names the language found.
    """
    if not view.languages or "any" in view.languages or not has_words(view.text, 5):
        return
    if "en" in view.languages and view.surely_english:
        return  # English beyond doubt: the model would say so (TextView.surely_english)
    code, prob = view.language
    if code not in view.languages and prob >= MIN_LANGUAGE_CONFIDENCE and view.body:
        yield Hit(
            *view.body[0].span,
            f"document is in '{code}' (p={prob:.2f}), expected {'/'.join(view.languages)}",
        )


_BROKEN = re.compile(r"\ufffd+|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_ANY_BROKEN = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # one character of a match: a cheap first look


@check("INT006", "integrity", "warning", fix="remove", label="lost or control characters", role="garbling")
def broken_characters(view: TextView) -> Iterator[Hit]:
    """Replacement characters (U+FFFD) and control characters: bytes lost in decoding."""
    first = _ANY_BROKEN.search(view.text)
    if first is None:
        return
    for m in _BROKEN.finditer(view.text, first.start()):
        name = (
            "replacement character" if m.group()[0] == "\ufffd" else unicodedata.name(m.group()[0], "control character")
        )
        yield Hit(m.start(), m.end(), f"broken character: {name.lower()}", "")
