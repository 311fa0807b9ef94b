"""Name mentions in one document, found without a statistical model.

A mention is a capitalised word that is not a common English word in that position: a word at the
start of a sentence counts only if English rarely writes it in lower case (wordfreq), function words
and calendar words never count. For each mention we keep the capitalised words next to it (the given
name before a surname, the surname after a given name), any alias the text states ("Stepanakert,
known as Xankandi in Azeri"), and whether the document also writes the word in lower case (then it
is an ordinary word that a heading or a sentence start capitalised, not a name).

`name_tokens` is the one tokenizer for names: the name checks, the stories' and quotations' name
terms and the report's name counts all see the same words. Only English documents have mentions:
the name rules are English rules (German capitalises every noun, Russian inflects names).
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from array import array
from collections.abc import Iterator, Sequence

from audit.data import load_list
from audit.lexicon import english_zipf
from audit.memory import memo, short_memo
from audit.text import TextView, merge_spans

# The engine runs the per-document checks first and leaves the spans that checks of audit.records.PAGE_RESIDUE
# categories flagged (scraper residue, author bios) in the document's memo under FLAGGED_SPANS, before the corpus
# extracts run: names inside them are page furniture, never a mention (data flows one way).
FLAGGED_SPANS = "flagged_spans"


def _upper_class() -> str:
    """A character class of every upper-case letter of the Basic Multilingual Plane, as ranges."""
    ranges: list[list[int]] = []
    for c in range(0x10000):
        if chr(c).isupper():
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


# A capitalised word of two characters or more, not glued to a word before it. The pattern opens
# with the upper-case class (the engine then skips ahead to the next capital letter) and checks the
# character before it with a two-character look-behind.
_CAP_WORD = re.compile(r"(" + _upper_class() + r"(?<![\w'’-].)[\w'’-]*[^\W_])(?:['’]s)?(?![\w'’])")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*[^\W_]")
# (the capital opens the pattern, with the look-behind after it, as in _CAP_WORD: the engine skips to capitals)
_ALIAS = re.compile(
    r"([A-Z](?<![\w'’-].)[\w'’-]+)[^\w\s]{0,3}\s{0,3}(?:\(|,)?\s{0,3}(?:also\s+|otherwise\s+)?(?:known|called|spelled|spelt|referred\s+to|named)"
    r"\s+(?:as\s+)?([^\W\d_][\w'’-]+)"
)
_STOP = frozenset(
    """the a an and or but if of in on at to for from by with as into onto over under after before during since
    this that these those there here he she it we they i you his her its our their my your who whom whose which what
    when where why how mr mrs ms dr prof sir madam president prime minister secretary general spokesman spokeswoman
    spokesperson minister chancellor king queen prince princess pope governor mayor senator judge chief
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)
# words of a title or role right before a name: one more piece of evidence that two spellings name one person
TITLES = frozenset(
    """president prime minister secretary general spokesman spokeswoman spokesperson chancellor king queen prince
    princess pope governor mayor senator judge chief ambassador commander envoy minister coach captain striker
    director chairman chairwoman leader premier dr prof""".split()
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?\s+$")
MIN_LEN = 3
COMMON_SENTENCE_START = 3.0  # zipf: a sentence-initial word this common in lower case is not a name
COMMON_ANYWHERE = 5.0  # zipf: a capitalised word this common is a heading word, not a name


class DocMentions:
    """What the name pass needs from one document, compact: a corpus pass holds one per document.

    `forms` are the distinct name-like words (interned, so the corpus shares one copy of each);
    `spans` their occurrences, flattened as start, end pairs in form order, `counts` how many each
    has; `pairs` the adjacent capitalised words (before, after) flattened; `aliases` the stated aliases;
    `lowered` the forms that the document also writes in lower case (ordinary words); `titles` the
    (title, form) pairs of names right after a title or role (`Chancellor Olaf Scholz`), flattened.
    """

    __slots__ = ("source", "forms", "counts", "spans", "pairs", "aliases", "lowered", "titles", "__weakref__")

    def __init__(
        self,
        source: str | None,
        forms: tuple[str, ...] = (),
        counts: array | None = None,
        spans: array | None = None,
        pairs: tuple[str, ...] = (),
        aliases: tuple[frozenset[str], ...] = (),
        lowered: tuple[str, ...] = (),
        titles: tuple[str, ...] = (),
    ) -> None:
        self.source = sys.intern(source) if source is not None else None
        self.forms = tuple(sys.intern(f) for f in forms)
        self.counts = counts if counts is not None else array("I")
        self.spans = spans if spans is not None else array("I")
        self.pairs = tuple(sys.intern(w) for w in pairs)
        self.aliases = aliases
        self.lowered = tuple(sys.intern(w) for w in lowered)
        self.titles = tuple(sys.intern(w) for w in titles)

    def __reduce__(self):  # unpickled forms are interned again by __init__
        return (
            DocMentions,
            (self.source, self.forms, self.counts, self.spans, self.pairs, self.aliases, self.lowered, self.titles),
        )

    @classmethod
    def build(
        cls,
        source: str | None,
        spans: dict[str, list[tuple[int, int]]],
        pairs: set[tuple[str, str]],
        aliases: set[frozenset[str]],
        lowered: set[str] | frozenset[str] = frozenset(),
        titles: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
    ) -> DocMentions:
        forms = tuple(spans)
        flat = array("I", (x for f in forms for span in spans[f] for x in span))
        return cls(
            source,
            forms,
            array("I", (len(spans[f]) for f in forms)),
            flat,
            tuple(w for pair in sorted(pairs) for w in pair),
            tuple(sorted(aliases, key=sorted)),
            tuple(f for f in forms if f in lowered),
            tuple(w for pair in sorted(titles) for w in pair),
        )

    def occurrences(self) -> Iterator[tuple[str, list[tuple[int, int]]]]:
        """(form, its spans) for every form, in the order of first occurrence."""
        k = 0
        for form, n in zip(self.forms, self.counts, strict=True):
            yield form, [(self.spans[i], self.spans[i + 1]) for i in range(k, k + 2 * n, 2)]
            k += 2 * n

    def titled(self) -> Iterator[tuple[str, str]]:
        """(title, the name after it)."""
        it = iter(self.titles)
        return zip(it, it, strict=True)

    def neighbours(self) -> Iterator[tuple[str, str]]:
        """(capitalised word, the capitalised word right after it)."""
        it = iter(self.pairs)
        return zip(it, it, strict=True)


def is_name_token(form: str, sentence_start: bool) -> bool:
    kind = _name_kind(form)
    return kind == _ALWAYS or kind == _MID_SENTENCE and not sentence_start


_NEVER, _MID_SENTENCE, _ALWAYS = 0, 1, 2


@memo(16_384)
def _name_kind(form: str) -> int:
    """Whether `form` is a name token: _NEVER, _MID_SENTENCE (not at the start of a sentence, where English
    capitalises a word it often writes in lower case) or _ALWAYS. A page repeats its names: remembered."""
    if len(form) < MIN_LEN or not form[0].isupper() or form.isupper() and len(form) <= 5:
        return _NEVER
    low = form.casefold()
    if low in _STOP or low in furniture_words() or _CODE_LIKE.search(form):
        return _NEVER  # a site section or network (Newsletter, Pinterest), a model number or file name (Studio3)
    z = english_zipf(low)
    if z >= COMMON_ANYWHERE:
        return _NEVER
    return _MID_SENTENCE if z >= COMMON_SENTENCE_START else _ALWAYS


@memo(16_384)
def _token_word(group: str) -> str:
    """The name word of a capitalised-word match: a possessive `'s` and trailing apostrophes or hyphens
    cut off ("" when nothing capitalised is left)."""
    word = group[:-2] if group.endswith(("'s", "’s")) else group
    word = word.rstrip("'’-")
    return word if word and word[0].isupper() else ""


@memo(16_384)
def _token_kind(group: str) -> tuple[str, int]:
    """`_token_word` of a capitalised-word match and its `_name_kind` ("" and _NEVER where no word is left):
    `extract_mentions` looks a match up once."""
    word = _token_word(group)
    return word, _name_kind(word) if word else _NEVER


def name_tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for every capitalised word of `text`, a possessive `'s` and trailing
    apostrophes or hyphens cut off: the one tokenizer for names (mentions, stories, quotations, report)."""
    for m in _CAP_WORD.finditer(text):
        word = _token_word(m.group(1))
        if word:
            start = m.start(1)
            yield start, start + len(word), word


def _sentence_start(text: str, start: int) -> bool:
    """True where the word at `start` opens the text or follows a sentence end: the three characters before
    it are white space only, or an end mark (`_ENDS`) and white space."""
    before = text[max(0, start - 3) : start].rstrip()
    return start == 0 or not before or before[-1] in _ENDS


_ENDS = frozenset('.!?…:;"“”')
_TITLE_ENDS = tuple(TITLES)


def _title_before(text: str, start: int) -> str | None:
    """The title or role (`TITLES`) written right before the word at `start`, case-folded, or None."""
    window = text[max(0, start - 24) : start]
    if not window[-1:].isspace():
        return None  # `_WORD_BEFORE` ends in white space
    # the word's case folding ends the window's, without the white space and a full stop: where no
    # title ends it, `_WORD_BEFORE` finds none (a title has at most 12 letters, none of them folds to less)
    tail = window.rstrip()
    if not tail.removesuffix(".")[-12:].casefold().endswith(_TITLE_ENDS):
        return None
    before = _WORD_BEFORE.search(text, max(0, start - 24), start)
    if before is None:
        return None
    word = before.group(1).casefold()
    return word if word in TITLES else None


_CODE_LIKE = re.compile(r"[\d_]")


@functools.cache
def furniture_words() -> frozenset[str]:
    """Case-folded words and phrases of page chrome: `audit/data/page_furniture.txt` (site sections, social
    networks) and `audit/data/ui_words.txt` (buttons and menu labels)."""
    return frozenset(w.casefold() for name in ("page_furniture", "ui_words") for w in load_list(name))


_LINE_WORD = re.compile(r"[^\W\d_][\w'’-]*+")  # possessive: nothing follows, the same words
_LINE_END = frozenset('.!?…"”’)')
_MENU_SEPARATORS = re.compile(r"\s[|•·/»]\s|\t|\s{3,}")
SHORT_LABEL_WORDS = 3  # a line of at most this many words and no sentence end is a label, not prose
MENU_CAPITALISED = 0.8  # a line without a sentence end whose words are this capitalised is a menu run


@short_memo(4096)  # pages of one site repeat their menus and labels, and a corpus holds versions of one page
def furniture_line(line: str) -> bool:
    """A line that reads as page furniture, not article prose: a short label (at most SHORT_LABEL_WORDS
    words, no sentence end: `Weight Loss Diets`), a menu run or list of section names (no sentence end and
    nearly every word capitalised: `Home World Politics Obituaries Puzzles`, or labels between `|` or `•`),
    or a line made mostly of site-section and social-network words (`furniture_words`)."""
    words = _LINE_WORD.findall(line)
    if not words:
        return False
    chrome = furniture_words()
    if 2 * sum(map(chrome.__contains__, map(str.casefold, words))) >= len(words):
        return True
    if line.rstrip()[-1:] in _LINE_END:
        return False
    if len(words) <= SHORT_LABEL_WORDS or len(_MENU_SEPARATORS.findall(line.strip())) >= 2:
        return True
    return sum(w[0].isupper() for w in words) >= MENU_CAPITALISED * len(words)


def ignored_spans(view: TextView) -> list[tuple[int, int]]:
    """Where no name mention counts, merged and in text order: the spans that residue and bio checks
    flagged (the engine's FLAGGED_SPANS) and the lines that read as page furniture (`furniture_line`)."""
    flagged: Sequence[tuple[int, int]] = view.memo(FLAGGED_SPANS, lambda _view: ())
    return merge_spans([*flagged, *(ln.span for ln in view.body if furniture_line(ln.text))])


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether `pos` falls in one of `spans` (merged, in order; `starts` their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i][1]


class IgnoredWhere:
    """`ignored_spans` asked one position at a time, each line's furniture test run only when a word of that
    line asks (a line without a name-like word is never tested): a position is ignored where a flagged span
    holds it, or its line reads as furniture. The same answers as `_inside(ignored_spans(view), ...)` for the
    position of any non-white-space character (tests/test_names.py compares them).

    The last line asked is remembered with its answer where no flagged span touches it (`lo`, `hi`: from its
    start to the next line's): the words of a line, asked one after another, then cost a comparison."""

    __slots__ = ("flagged", "flagged_starts", "line_starts", "lines", "tested", "lo", "hi", "last")

    def __init__(self, view: TextView) -> None:
        self.flagged = merge_spans(view.memo(FLAGGED_SPANS, lambda _view: ()))
        self.flagged_starts = [s for s, _ in self.flagged]
        self.lines = view.lines
        self.line_starts = [ln.start for ln in self.lines]
        self.tested: dict[int, bool] = {}
        self.lo, self.hi, self.last = 0, 0, False  # no line remembered yet

    def __call__(self, pos: int) -> bool:
        if self.lo <= pos < self.hi:
            return self.last
        if self.flagged and _inside(self.flagged, self.flagged_starts, pos):
            return True
        i = bisect.bisect_right(self.line_starts, pos) - 1
        found = self.tested.get(i)
        if found is None:
            found = self.tested[i] = furniture_line(self.lines[i].text)
        lo = self.line_starts[i]
        hi = self.line_starts[i + 1] if i + 1 < len(self.line_starts) else sys.maxsize
        k = bisect.bisect_left(self.flagged_starts, hi) - 1  # the last flagged span that starts before `hi`
        if k < 0 or self.flagged[k][1] <= lo:  # (merged spans: their ends are in order too)
            self.lo, self.hi, self.last = lo, hi, found
        return found


def extract_mentions(view: TextView) -> DocMentions:
    """Every name-like capitalised word of an English document, with its neighbours and stated aliases;
    words inside page furniture (`ignored_spans`, asked word by word: `IgnoredWhere`) are no mentions."""
    if not view.is_english:
        return DocMentions(view.source)
    text = view.text
    ignored = IgnoredWhere(view)
    spans: dict[str, list[tuple[int, int]]] = {}
    pairs: set[tuple[str, str]] = set()
    titles: set[tuple[str, str]] = set()
    prev_form: str | None = None
    prev_end = -10
    title = None
    for m in _CAP_WORD.finditer(text):  # `name_tokens`, without a generator's step a word
        word, kind = _token_kind(m.group(1))
        if not word:
            continue
        start = m.start(1)
        end = start + len(word)
        # a name-like word's line alone is tested; the line asked last is answered here (`IgnoredWhere`)
        if kind != _NEVER and (ignored.last if ignored.lo <= start < ignored.hi else ignored(start)):
            kind = _NEVER
        if kind == _MID_SENTENCE:  # a sentence start decides
            kind = _NEVER if _sentence_start(text, start) else _ALWAYS
        if kind == _NEVER:
            prev_form = None
            continue
        spans.setdefault(word, []).append((start, end))
        if prev_form is not None and text[prev_end:start] in (" ", "\u00a0"):
            pairs.add((prev_form, word))
        else:
            title = _title_before(text, start)
        if title is not None:
            titles.add((title, word))
        prev_form, prev_end = word, end
    aliases = set()
    for m in view.finditer(_ALIAS):  # the text, where the pre-filter finds `known`, `called` ...
        a, b = m.group(1), m.group(2)
        if b[:1].isupper():
            aliases.add(frozenset((a, b)))
    lowered = _written_in_lower_case(view, spans)
    return DocMentions.build(view.source, spans, pairs, aliases, lowered, titles)


_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # audit.text.words' word, whole


def _written_in_lower_case(view: TextView, forms) -> set[str]:
    """The forms whose case-folded spelling the text also has as a word of its own (as `_LOWER_WORD`
    splits the text) that starts in lower case.

    Where that spelling is a plain word (letters, inner apostrophes), such a word is also one of the
    text's `words` (it follows a character that is no letter or apostrophe and is followed by none that
    continues it): a spelling missing from `view.word_set` is not there. Other spellings, and those in
    the set, are looked up where they occur."""
    out = set()
    text = view.text
    for f in forms:
        low = f.casefold()
        if not low[:1].islower() or _PLAIN_WORD.fullmatch(low) and low not in view.word_set:
            continue
        n, p = len(low), text.find(low)
        while p >= 0:
            m = _LOWER_WORD.match(text, p)
            if m is not None and m.end() == p + n:
                out.add(f)
                break
            p = text.find(low, p + 1)
    return out
