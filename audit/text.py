"""A read-only view of one document's text with the derived structure checks share (lines, language).

Everything is computed lazily and at most once per document, so a check pays only for what it uses.
Offsets are always Python string indices into the original text.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass

from audit.language import identify, surely_english
from audit.memory import memo
from audit.scan import ALL, PREFILTER, DocScan

_TERMINAL = frozenset(".!?…:;\"'”’»)]")
# a run of letters, and more runs each after one apostrophe; possessive (`++`, `*+`): nothing follows that
# could make the engine give letters back, so the matches are those of `[^\W\d_]+(?:['’][^\W\d_]+)*`,
# found without keeping backtracking points (a third less time over a page, tests/test_text_words.py)
_WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+")
# the same words in a string of ASCII characters (where `[^\W\d_]` is a letter a-z, A-Z and no ’ occurs):
# a plain character range is a third faster than the Unicode test (tests/test_speed_equivalence.py)
_ASCII_WORD = re.compile(r"[A-Za-z]++(?:'[A-Za-z]++)*+")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text: [start, end) excludes the line break (and a trailing \\r)."""

    index: int
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        """The span of the line without its leading and trailing whitespace."""
        lead = len(self.text) - len(self.text.lstrip())
        trail = len(self.text) - len(self.text.rstrip())
        return self.start + lead, self.end - trail


def split_lines(text: str) -> list[Line]:
    lines = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        start = pos
        pos += len(raw) + 1
        if raw.endswith("\r"):
            raw = raw[:-1]
        lines.append(Line(i, start, start + len(raw), raw))
    return lines


def words(s: str) -> list[str]:
    """Alphabetic words (with inner apostrophes) of `s`."""
    return (_ASCII_WORD if s.isascii() else _WORD).findall(s)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans covering the same characters (empty spans cover none and are dropped)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


_LONG = 20_000
_CACHED = 2_000  # a line, not a document: the cache must not pin whole texts


@memo(4096)
def _short_word_count(s: str) -> int:
    return len(words(s))


def word_count(s: str, limit: int = 1000) -> int:
    """The number of words in `s`, counting no further than `limit` (cheap on a 50 MB line).

    Short strings are cached: a dozen checks ask for the word count of the same line.
    """
    if len(s) <= _CACHED:
        return _short_word_count(s)
    if len(s) <= _LONG:
        return len(words(s))
    n = 0
    for _ in _WORD.finditer(s):
        n += 1
        if n > limit:
            break
    return n


def hash64(s: str) -> int:
    """A stable 64-bit hash of a string (BLAKE2b): the same on every machine and in every process."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")


def has_words(s: str, n: int) -> bool:
    """True when `s` has at least `n` words; stops reading at the n-th."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(s), n)) >= n


def ends_sentence(s: str) -> bool:
    s = s.rstrip()
    return bool(s) and s[-1] in _TERMINAL


def is_prose(s: str, min_words: int = 8) -> bool:
    """A line that reads as running text: enough words, ends like a sentence, mostly lower-case words."""
    if len(s) <= _CACHED:
        n = _prose_words(s)
        return n >= 0 and n >= min_words
    if not ends_sentence(s) or word_count(s) < min_words:
        return False
    ws = words(s[:_LONG])
    lower = sum(w[0].islower() for w in ws)
    return lower >= 0.4 * len(ws)


@memo(4096)
def _prose_words(s: str) -> int:
    """The word count of a short line that ends like a sentence and has mostly lower-case words, else -1:
    a dozen checks ask `is_prose` of the same lines, with different word minimums."""
    if not ends_sentence(s):
        return -1
    ws = words(s)
    if sum(w[0].islower() for w in ws) < 0.4 * len(ws):
        return -1
    return word_count(s)


class TextView:
    """What every check receives: the document's text and shared, lazily derived structure."""

    __slots__ = (
        "text",
        "doc_id",
        "source",
        "languages",
        "engine",
        "_lines",
        "_body",
        "_lang",
        "_memo",
        "_prefilter",
        "_sure",
        "full_length",
    )

    def __init__(
        self,
        text: str,
        doc_id: str = "",
        source: str | None = None,
        languages: tuple[str, ...] = ("en",),
        engine: str = "fasttext",
        full_length: int | None = None,
    ) -> None:
        self.text = text
        self.full_length = len(text) if full_length is None else full_length  # the document's, where text is its head
        self.doc_id = doc_id
        self.source = source
        self.languages = languages
        self.engine = engine
        self._lines: list[Line] | None = None
        self._body: list[Line] | None = None
        self._lang: tuple[str, float] | None = None
        self._memo: dict[str, object] = {}
        self._prefilter: DocScan | None = None
        self._sure: bool | None = None

    def memo(self, key: str, fn):
        """fn(self), computed once per document and shared by the checks that need it."""
        if key not in self._memo:
            self._memo[key] = fn(self)
        return self._memo[key]

    @property
    def word_set(self) -> set[str]:
        """The distinct words (`words`) of the whole text, computed once: story terms and the name pass
        share them. Do not change it."""
        return self.memo("word_set", _word_set)

    @property
    def lines(self) -> list[Line]:
        """All lines, blank ones included."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    @property
    def body(self) -> list[Line]:
        """The non-blank lines."""
        if self._body is None:
            self._body = [ln for ln in self.lines if ln.text.strip()]
        return self._body

    @property
    def body_texts(self) -> list[str]:
        """The text of each non-blank line (`body`'s), made once: the checks that ask about a block of lines
        (audit/checks/structure.py) take strings."""
        return self.memo("body_texts", lambda v: [ln.text for ln in v.body])

    def candidates(self, pattern: re.Pattern[str]) -> Container[int]:
        """The indices (`Line.index`) of the lines where `pattern` can match; a check runs the pattern on
        these lines only. One pre-filter scan of the document answers for all the checks' patterns
        (audit.scan): a line without any of the literals that every match needs is left out."""
        return (self._prefilter or self._doc_scan()).lines(pattern)

    def _doc_scan(self) -> DocScan:
        if self._prefilter is None:
            self._prefilter = DocScan(self.text, [ln.start for ln in self.lines])
        return self._prefilter

    @property
    def lowered(self) -> str | None:
        """The text in lower case where each character is what `re.IGNORECASE` compares of it (the same
        length, no character that folds to an ASCII letter, audit.scan), else None: a lower-case pattern
        of ASCII letters finds there, without the flag, what it finds in the text with it."""
        return self._doc_scan().lowered()

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """`pattern.finditer(self.text)`, searched only where the pre-filter allows a match: nowhere when
        no line holds a required literal; only in those lines when every match lies within one line
        (`audit.scan.line_bound`); else the whole text."""
        lines = self.candidates(pattern)
        if lines is ALL or not PREFILTER.line_bound(pattern):
            if lines:
                yield from pattern.finditer(self.text)
            return
        all_lines, text = self.lines, self.text
        for i in sorted(lines):
            end = all_lines[i + 1].start - 1 if i + 1 < len(all_lines) else len(text)
            yield from pattern.finditer(text, all_lines[i].start, end)

    @property
    def language(self) -> tuple[str, float]:
        """(code, probability) of the whole text."""
        if self._lang is None:
            self._lang = identify(self.text, self.engine)
        return self._lang

    @property
    def surely_english(self) -> bool:
        """True where a cheap count finds the text English beyond doubt (`audit.language.surely_english`),
        so that English-only decisions need not run the language model; only with the fastText engine,
        the one it was measured against."""
        if self._sure is None:
            self._sure = self.engine == "fasttext" and surely_english(self.text)
        return self._sure

    @property
    def is_english(self) -> bool:
        """True unless the text is confidently in another language (English-only checks use this)."""
        if self.surely_english:
            return True
        code, prob = self.language
        return code == "en" or prob < 0.5


def _word_set(view: TextView) -> set[str]:
    return set(words(view.text))


def cut_words(s: str, limit: int) -> str:
    """`s` on one line, whole if it fits in `limit` characters, else cut at a word boundary with an ellipsis."""
    s = " ".join(s.split())
    if len(s) <= limit:
        return s
    space = s.rfind(" ", 0, limit + 1)
    head = s[:space] if space > limit // 2 else s[:limit]
    return head.rstrip(" ,;:-–—") + "…"
