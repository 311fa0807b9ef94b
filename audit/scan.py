"""One pre-filter scan per document: which lines can match which of the checks' line patterns.

The checks keep their patterns (the `audit/data/*.txt` lists and the compiled regular expressions in
the check modules), and `re` stays the only judge of a match. What this module adds is a cheap way to
skip the lines where a pattern cannot match: from each pattern's parse tree it derives a set of
*required literals*, strings one of which every match must contain (`photo` or `credit` or `©` ...).
One scan of the document for those literals says, for each pattern, which lines hold one; a check
then runs its exact pattern on those lines only. A line without any required literal cannot match,
so the findings are the same as running the pattern on every line, by construction (and
tests/test_scan.py runs every path over a varied corpus to compare).

Two engines run the scan, with the same answers (`AUDIT_SCAN=hyperscan|python|off` picks one):

* `hyperscan` (optional: `pip install news-audit[fast]`), the default where it installs: every
  pattern's literals in one database, one pass over the document's bytes.
* `python`: every pattern's literals in one `re` alternation (a prefix tree that prefers the longest
  literal) searched over the lower-cased document, stopping at each place where a literal starts.

Literals are matched case-insensitively, a superset of what any pattern can match (a pattern compiled
without `re.IGNORECASE` matches fewer strings), and as `re.IGNORECASE` compares: where lower-casing
or hyperscan's ASCII case folding would differ from it (İ, ı, K, ſ; a letter with case outside ASCII),
`re` itself searches. Whitespace never belongs to a literal, so a literal found in a line that a check
first edits (strips, removes quotations from) is in the line itself.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
import unicodedata
from re import _constants as C  # noqa: N812
from re import _parser

from audit.data import trie_pattern

__all__ = [
    "ALL",
    "PREFILTER",
    "DocScan",
    "engine",
    "line_bound",
    "lower_case_form",
    "lower_case_line",
    "required_literals",
]

_MAX_CLASS = 12  # a character class of at most this many characters is a set of one-character literals
_MAX_LITERALS = 2000


_COMMON = ",.'’"  # punctuation in most lines of prose
_FREQUENT = '-:;()/"“”'


def _cost(lits: list[str]) -> float:
    """A guess at how many lines of prose hold one of `lits` (lower is more selective)."""
    total = 0.0
    for s in lits:
        if len(s) == 1 and not s.isalnum():
            total += 0.8 if s in _COMMON else 0.3 if s in _FREQUENT else 0.05
        elif len(s) == 1:
            total += 0.9
        else:
            total += 0.3 ** len(s)
    return total


def _better(a: list[str] | None, b: list[str] | None) -> list[str] | None:
    """The more selective of two literal sets."""
    if a is None or b is not None and _cost(b) < _cost(a):
        return b
    return a


def _class_chars(items: list) -> list[str] | None:
    out: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.RANGE and av[1] - av[0] < _MAX_CLASS:
            out.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # NEGATE, a category (\w, \d), a wide range
    return out if len(out) <= _MAX_CLASS else None


def _exact(op, av) -> list[str] | None:
    """Every string the node can match, where they are few (a literal, a small class, an alternation
    of those, an optional one); None otherwise."""
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.IN:
        return _class_chars(av)
    if op is C.SUBPATTERN:
        return _exact_seq(av[3])
    if op is C.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            sub = _exact_seq(branch)
            if sub is None:
                return None
            out.extend(sub)
        return out if len(out) <= _MAX_LITERALS else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        sub = _exact_seq(av[2])
        return None if sub is None else ["", *sub]
    return None


def _exact_seq(items) -> list[str] | None:
    out = [""]
    for op, av in items:
        sub = _exact(op, av)
        if sub is None or len(out) * len(sub) > _MAX_LITERALS:
            return None
        out = [a + b for a in out for b in sub]
    return out


def _pieces(strings: list[str]) -> list[str] | None:
    """One required literal for each string: its longest run without whitespace (None if one has none)."""
    out = []
    for s in strings:
        best = max(re.split(r"\s+", s), key=len)
        if not best:
            return None
        out.append(best)
    return out


def _node(op, av) -> list[str] | None:
    """The required literals of one node that is not a finite set of strings, or None where it can
    match without any."""
    if op is C.SUBPATTERN:
        return _seq(av[3])
    if op is C.ATOMIC_GROUP:
        return _seq(av)
    if op is C.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            sub = _seq(branch)
            if sub is None:
                return None
            out.extend(sub)
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return _seq(av[2]) if av[0] >= 1 else None
    return None  # anchors, look-arounds, `.`, negated literals, categories, back-references


def _prefixes(op, av) -> list[str]:
    """Strings one of which begins every match of the node ("" where nothing is known)."""
    sub = _exact(op, av)
    if sub is not None:
        return sub
    if op is C.SUBPATTERN:
        return _prefixes_seq(av[3])
    if op is C.BRANCH:
        out = [p for branch in av[1] for p in _prefixes_seq(branch)]
        return out if len(out) <= _MAX_LITERALS else [""]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _prefixes_seq(av[2])
    return [""]


def _prefixes_seq(items) -> list[str]:
    out = [""]
    for op, av in items:
        sub = _exact(op, av)
        last = sub is None
        sub = _prefixes(op, av) if last else sub
        if len(out) * len(sub) > _MAX_LITERALS:
            return out
        out = [a + b for a in out for b in sub]
        if last:
            break
    return out


def _seq(items) -> list[str] | None:
    """The most selective literal set a sequence of nodes requires: the strings of a run of nodes with
    few possible strings (`a(?:fp|p)` is `afp` or `ap`) and the beginnings of the node after them, or
    the required set of one other node."""
    best: list[str] | None = None
    run: list[str] = [""]
    for op, av in [*items, (None, None)]:
        sub = _exact(op, av) if op is not None else None
        if sub is not None and len(run) * len(sub) <= _MAX_LITERALS:
            run = [a + b for a in run for b in sub]
            continue
        if sub is None and op is not None:
            heads = _prefixes(op, av)
            if heads != [""] and len(run) * len(heads) <= _MAX_LITERALS:
                run = [a + b for a in run for b in heads]
        if run != [""]:
            best = _better(best, _pieces(run))
        run = [""] if sub is None else sub
        if op is not None and sub is None:
            best = _better(best, _node(op, av))
    return best


_NO_NEWLINE_CATEGORIES = (C.CATEGORY_DIGIT, C.CATEGORY_NOT_SPACE, C.CATEGORY_WORD, C.CATEGORY_NOT_LINEBREAK)


def _class_newline_free(items: list) -> bool:
    """True when the character class cannot match a line break."""
    if items and items[0][0] is C.NEGATE:
        return any(o is C.LITERAL and a == 10 or o is C.RANGE and a[0] <= 10 <= a[1] for o, a in items[1:])
    for o, a in items:
        if o is C.LITERAL and a == 10 or o is C.RANGE and a[0] <= 10 <= a[1]:
            return False
        if o is C.CATEGORY and a not in _NO_NEWLINE_CATEGORIES:
            return False
    return True


def _newline_free(items) -> bool:
    """True when no node of the sequence can match or look at a line break (`\\s`, `\\W`, `[^x]`, `.`
    under DOTALL, `\\A`, `\\Z`)."""
    for op, av in items:
        if op is C.LITERAL or op is C.NOT_LITERAL:
            if (av == 10) is (op is C.LITERAL):
                return False  # a line break, or anything but some other character
        elif op is C.IN:
            if not _class_newline_free(av):
                return False
        elif op is C.SUBPATTERN:
            if not _newline_free(av[3]):
                return False
        elif op is C.BRANCH:
            if not all(_newline_free(b) for b in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if not _newline_free(av[2]):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not _newline_free(av[1]):
                return False
        elif op is C.ATOMIC_GROUP:
            if not _newline_free(av):
                return False
        elif op is C.AT:
            if av in (C.AT_BEGINNING_STRING, C.AT_END_STRING):
                return False
        elif op not in (C.ANY,):
            return False  # back-references, conditionals
    return True


def line_bound(pattern: re.Pattern[str]) -> bool:
    """True when every match of `pattern` lies within one line and depends on that line alone, so that
    searching the text line by line (`pos`, `endpos`) finds the same matches as searching it whole:
    nothing in it can match or look at a line break, and `^` and `$` mean line edges (MULTILINE)."""
    if pattern.flags & re.DOTALL:
        return False
    tree = _parse(pattern)
    return tree is not None and bool(pattern.flags & re.MULTILINE) and _newline_free(tree)


def _parse(pattern: re.Pattern[str]):
    """The pattern's parse tree (`re`'s own parser), or None where it cannot be read (a bytes pattern,
    a parser of another Python): the pattern is then searched on every line, as without the scan."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        return _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an internal module; never a reason to fail a check
        return None


def _minimal(lits: list[str]) -> tuple[str, ...]:
    """Drop duplicates and every literal that contains another one (it adds no line the other misses)."""
    out: list[str] = []
    for s in sorted(set(lits), key=lambda s: (len(s), s)):
        if not any(t in s for t in out):
            out.append(s)
    return tuple(out)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which (compared case-insensitively) every match of `pattern` contains; None when
    the pattern can match without any (an empty match, a match of letters alone)."""
    tree = _parse(pattern)
    lits = None if tree is None else _seq(tree)
    if not lits or len(lits) > _MAX_LITERALS:
        return None
    return _minimal(lits)


class _All:
    """Every line: the answer for a pattern without required literals."""

    def __contains__(self, index: object) -> bool:
        return True


ALL = _All()
# the characters that `re.IGNORECASE` matches to an ASCII letter (İ ı to i, K to k, ſ to s): hyperscan
# does not know them, so a document with one is scanned with `re`
_ASCII_FOLDS = re.compile("[\u0130\u0131\u212a\u017f]")


def _hs_literal(s: str) -> bool:
    """True when ASCII case folding (hyperscan's, or `str.lower`'s in a document without İ ı K ſ) matches
    `s` as `re.IGNORECASE` does: it is ASCII, or its other characters have no case."""
    return all(c.isascii() or c.lower() == c.upper() == c and not unicodedata.category(c).startswith("L") for c in s)


_CASELESS_CATEGORIES = (
    C.CATEGORY_DIGIT,
    C.CATEGORY_NOT_DIGIT,
    C.CATEGORY_WORD,
    C.CATEGORY_NOT_WORD,
    C.CATEGORY_SPACE,
    C.CATEGORY_NOT_SPACE,
)


def _lower_char(c: int) -> bool:
    return c < 128 and not chr(c).isupper()


def _lower_class(items: list) -> bool:
    for o, a in items:
        if o is C.LITERAL and not _lower_char(a) or o is C.CATEGORY and a not in _CASELESS_CATEGORIES:
            return False
        if o is C.RANGE and not (a[1] < 128 and all(_lower_char(c) for c in range(a[0], a[1] + 1))):
            return False
        if o not in (C.NEGATE, C.LITERAL, C.RANGE, C.CATEGORY):
            return False
    return True


def _lower_ok(items) -> bool:
    """True when every character the nodes name is ASCII and not upper case, and nothing compares text
    case-sensitively (no back-reference, no `(?-i:...)`)."""
    for op, av in items:
        if op is C.LITERAL or op is C.NOT_LITERAL:
            ok = _lower_char(av)
        elif op is C.IN:
            ok = _lower_class(av)
        elif op is C.SUBPATTERN:
            ok = not av[2] & re.IGNORECASE and _lower_ok(av[3])
        elif op is C.BRANCH:
            ok = all(_lower_ok(b) for b in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            ok = _lower_ok(av[2])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            ok = _lower_ok(av[1])
        elif op is C.ATOMIC_GROUP:
            ok = _lower_ok(av)
        else:
            ok = op is C.AT or op is C.ANY
        if not ok:
            return False
    return True


_LOWER_FORMS: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


def lower_case_form(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` compiled without `re.IGNORECASE`, to search `lower_case_line(s)` in place of `s`: the same
    matches at the same offsets, and about three times faster. Where the pattern is case-insensitive
    (Unicode rules) and every character it names is ASCII and not upper case: then a character of the text
    matches one of them as `re.IGNORECASE` compares exactly when its lower case does (`lower_case_line`
    leaves out the strings where that fails), and `\\w`, `\\s`, `\\d` say the same of a character and of
    its lower case (tests/test_speed_equivalence.py). None otherwise."""
    got = _LOWER_FORMS.get(id(pattern))
    if got is None:
        form = None
        if pattern.flags & re.IGNORECASE and not pattern.flags & (re.ASCII | re.LOCALE):
            tree = _parse(pattern)
            if tree is not None and _lower_ok(tree):
                form = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
        got = _LOWER_FORMS[id(pattern)] = (pattern, form)  # (the pattern kept alive: known by its id)
    return got[1]


def lower_case_line(s: str) -> str | None:
    """`s` in lower case where each character lowers to one and none folds to an ASCII letter under
    `re.IGNORECASE` (İ ı K ſ), else None: the strings a `lower_case_form` may search in place of `s`."""
    low = s.lower()
    return low if len(low) == len(s) and not _ASCII_FOLDS.search(s) else None


_NO_LINES: frozenset[int] = frozenset()
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


class Prefilter:
    """The patterns asked about so far, their required literals, and the compiled scans for them."""

    def __init__(self) -> None:
        self.patterns: list[re.Pattern[str]] = []  # kept alive: they are known by id() (hashing one is slow)
        self.ids: dict[int, int] = {}
        self.literals: list[tuple[str, ...] | None] = []
        self._bound: list[bool | None] = []
        self._re: dict[object, re.Pattern[str] | None] = {}
        self._re_lits: dict[int, bool] = {}
        self._runs: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {}
        self._lock = threading.RLock()
        self._local = threading.local()  # each thread's hyperscan scratch space
        self._hs = None  # (hyperscan database, patterns it covers)
        self._py = None  # (one pattern of all literals, the patterns each literal satisfies)

    def id(self, pattern: re.Pattern[str]) -> int:
        """The pattern's number, deriving its literals the first time."""
        n = self.ids.get(id(pattern))
        if n is None:
            with self._lock:  # a Dask worker may run documents in threads
                n = self.ids.get(id(pattern))
                if n is None:
                    self.patterns.append(pattern)
                    self.literals.append(required_literals(pattern))
                    self._bound.append(None)
                    self._hs = self._py = None  # a new pattern: the scans are rebuilt on the next document
                    n = self.ids[id(pattern)] = len(self.literals) - 1
        return n

    def line_bound(self, pattern: re.Pattern[str]) -> bool:
        """`line_bound(pattern)`, remembered."""
        n = self.id(pattern)
        if self._bound[n] is None:
            self._bound[n] = line_bound(pattern)
        return bool(self._bound[n])

    def alternation(self, n: int, hs_too: bool = True) -> re.Pattern[str] | None:
        """One case-insensitive pattern of pattern n's literals (with `hs_too=False`, only those that
        the one-pass engines leave to `re`: letters with case outside ASCII): `alternation_of` them."""
        return self.alternation_of(tuple(s for s in self.literals[n] or () if hs_too or not _hs_literal(s)))

    def ascii_runs(self, n: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Pattern n's literals that the one-pass engines leave to `re`, each with its runs of ASCII
        characters, lower-cased (`suscríbete`: `suscr`, `bete`), remembered."""
        found = self._runs.get(n)
        if found is None:
            lits = [s for s in self.literals[n] or () if not _hs_literal(s)]
            found = self._runs[n] = tuple((s, tuple(r.lower() for r in _ASCII_RUN.findall(s))) for s in lits)
        return found

    def alternation_of(self, lits: tuple[str, ...]) -> re.Pattern[str] | None:
        """One case-insensitive pattern of these literals (longest first), remembered."""
        if lits not in self._re:
            alts = sorted(lits, key=lambda s: (-len(s), s))
            self._re[lits] = re.compile("|".join(map(re.escape, alts)), re.IGNORECASE) if alts else None
        return self._re[lits]

    def re_literals(self, n: int) -> bool:
        """Whether pattern n has literals the one-pass engines leave to `re` (letters with case outside
        ASCII), remembered: for most patterns the one pass answers alone."""
        found = self._re_lits.get(n)
        if found is None:
            found = self._re_lits[n] = any(not _hs_literal(s) for s in self.literals[n] or ())
        return found

    def first_chars(self, n: int) -> re.Pattern[str] | None:
        """One case-insensitive character class of a character of each of pattern n's literals that the
        one-pass engines leave to `re`: the first one that is not ASCII (each such literal has one). A
        document without any of these characters holds none of those literals. None where a character
        could match an ASCII letter (İ ı K ſ): no first look then."""
        key = ("first", n)
        if key not in self._re:
            chars = sorted(
                {next(c for c in s if not c.isascii()) for s in self.literals[n] or () if not _hs_literal(s)}
            )
            ok = chars and not any(_ASCII_FOLDS.match(c) for c in chars)
            self._re[key] = re.compile("[" + "".join(map(re.escape, chars)) + "]", re.IGNORECASE) if ok else None
        return self._re[key]

    def python_scan(self) -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]] | None:
        """Every pattern's literals (those `str.lower` compares as `re` does) in one lower-case pattern
        that prefers the longest literal at each place, and for each literal the patterns whose literals
        begin it: a search that stops at a place has found every literal that starts there."""
        with self._lock:
            return self._python_scan()

    def _python_scan(self) -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]] | None:
        if self._py is None:
            owners: dict[str, set[int]] = {}
            for n, lits in enumerate(self.literals):
                for s in lits or ():
                    if _hs_literal(s):
                        owners.setdefault(s.lower(), set()).add(n)
            heads = {
                lit: tuple(sorted({n for k in range(1, len(lit) + 1) for n in owners.get(lit[:k], ())}))
                for lit in owners
            }
            rx = re.compile(trie_pattern(sorted(owners))) if owners else None
            self._py = (rx, heads)
        return None if self._py[0] is None else self._py

    def hyperscan_db(self):
        """(one hyperscan database of every pattern's literals, expression id = pattern number, this
        thread's scratch space for it), or None without literals."""
        with self._lock:
            db = self._hyperscan_db()
        if db is None:
            return None
        local = self._local
        if getattr(local, "db", None) is not db:
            import hyperscan

            local.db, local.scratch = db, hyperscan.Scratch(db)
        return db, local.scratch

    def _hyperscan_db(self):
        if self._hs is None:
            import hyperscan

            exprs, ids = [], []
            for n, lits in enumerate(self.literals):
                for s in lits or ():
                    if _hs_literal(s):
                        exprs.append(re.escape(s).encode("utf-8"))
                        ids.append(n)
            db = hyperscan.Database()
            flags = hyperscan.HS_FLAG_CASELESS  # bytes, ASCII case folding (UTF-8 never matches mid-character)
            if exprs:
                db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=[flags] * len(exprs))
            self._hs = (db if exprs else None, len(self.literals))
        return self._hs[0]


PREFILTER = Prefilter()
ENGINES = ("hyperscan", "python", "off")


def hyperscan_available() -> bool:
    """True when the optional `hyperscan` package imports."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def _default_engine() -> str:
    choice = os.environ.get("AUDIT_SCAN", "")
    if choice in ENGINES:
        return choice
    return "hyperscan" if hyperscan_available() else "python"


_ENGINE = [_default_engine()]


def engine(name: str | None = None) -> str:
    """The scan engine in use (`hyperscan`, `python`, or `off`: every line is a candidate); with a name,
    switch to it (tests run every engine and compare). `AUDIT_SCAN` in the environment sets the default."""
    if name is not None:
        if name not in ENGINES:
            raise ValueError(f"unknown scan engine {name!r}")
        _ENGINE[0] = name
    return _ENGINE[0]


class DocScan:
    """The pre-filter's answers for one document: for each pattern, the lines that hold a literal."""

    __slots__ = ("text", "_starts", "_found", "_hs", "_low", "_wide")

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text = text
        self._starts = starts  # the character offset where each line starts
        self._found: dict[int, set[int] | frozenset[int]] = {}
        self._hs: tuple[int, dict[int, set[int]]] | None = None  # (patterns covered, lines of each)
        self._low: str | None = None
        self._wide: str | None = None

    def lines(self, pattern: re.Pattern[str]):
        """A container of the indices of the lines where `pattern` can match (ALL: every line)."""
        n = PREFILTER.ids.get(id(pattern))
        hs = self._hs
        if n is not None and hs is not None and n < hs[0] and n not in self._found and _ENGINE[0] != "off":
            # the common case, asked of each pattern once a document: the one pass done and covering it
            if PREFILTER.literals[n] is None:
                return ALL
            if not PREFILTER.re_literals(n):
                hits = self._found[n] = hs[1].get(n, _NO_LINES)
                return hits
        return self._lines(pattern)

    def _lines(self, pattern: re.Pattern[str]):
        n = PREFILTER.id(pattern)
        if _ENGINE[0] == "off" or PREFILTER.literals[n] is None:
            return ALL
        found = self._found.get(n)
        if found is not None:
            return found
        if self.lowered() is None or self._hs is not None and n >= self._hs[0]:
            # no one pass for this text, or a pattern first asked about after this document's pass: its
            # own literals are searched (the pass is not rebuilt for it: the first document asks about
            # every pattern, one at a time, and each rebuild compiled the hyperscan database again)
            searched = self._found[n] = set()
            self._re_scan(searched, PREFILTER.alternation(n))
            return searched
        hits = self._one_scan(n, _ENGINE[0] == "hyperscan").get(n, _NO_LINES)
        if not PREFILTER.re_literals(n):
            self._found[n] = hits  # (read only: the one pass's own set, no copy)
            return hits
        more = self._found[n] = set(hits)
        first = PREFILTER.first_chars(n)
        if first is None or first.search(self.wide_chars()) is not None:
            self._re_scan(more, PREFILTER.alternation_of(self._could_hold(n)))
        return more

    def _could_hold(self, n: int) -> tuple[str, ...]:
        """Pattern n's literals left to `re` whose runs of ASCII characters the lower-cased text holds: a
        literal that `re.IGNORECASE` finds in the text has each of them there, lower-cased, since no character
        of this text folds to an ASCII letter (`lowered`). Searching `re` for these alone finds the same
        places as for all (an IGNORECASE alternation over a whole page costs milliseconds; `in` microseconds)."""
        low = self._low or ""
        return tuple(s for s, runs in PREFILTER.ascii_runs(n) if all(r in low for r in runs))

    def wide_chars(self) -> str:
        """Each character of the text outside ASCII, once: a `first_chars` class (no ASCII character and
        none that folds to one) matches somewhere in the text exactly when it matches one of these, so
        the eleven-odd patterns with such literals ask one short string, not the whole text, each."""
        if self._wide is None:
            self._wide = "" if self.text.isascii() else "".join(set("".join(_NOT_ASCII.findall(self.text))))
        return self._wide

    def lowered(self) -> str | None:
        """The text in lower case, where that is Python's case-insensitive match char for char (None
        where a character lowers to two or folds to an ASCII letter: those documents use `re`)."""
        if self._low is None:
            self._low = lower_case_line(self.text) or ""
        return self._low or None

    def _re_scan(self, found: set[int], rx: re.Pattern[str] | None) -> None:
        """Add the lines where rx matches, one search a line at most."""
        if rx is None:
            return
        starts, text = self._starts, self.text
        pos = 0
        while (m := rx.search(text, pos)) is not None:
            i = bisect.bisect_right(starts, m.start()) - 1
            found.add(i)
            if i + 1 >= len(starts):
                break
            pos = starts[i + 1]

    def _one_scan(self, n: int, hyper: bool) -> dict[int, set[int]]:
        """One pass over the document for the literals of every pattern known at its first question: the
        lines that hold each pattern's (`lines` searches a pattern first asked about later on its own)."""
        if self._hs is not None and n < self._hs[0]:
            return self._hs[1]
        out: dict[int, set[int]] = {}
        self._hs = (len(PREFILTER.literals), out)
        if hyper:
            self._hyperscan(out)
        else:
            self._python(out)
        return out

    def _python(self, out: dict[int, set[int]]) -> None:
        scan = PREFILTER.python_scan()
        if scan is None:
            return
        rx, heads = scan
        low, starts, pos = self._low, self._starts, 0
        while (m := rx.search(low, pos)) is not None:
            pos = m.start()
            i = bisect.bisect_right(starts, pos) - 1
            for k in heads[m.group()]:
                out.setdefault(k, set()).add(i)
            pos += 1

    def _hyperscan(self, out: dict[int, set[int]]) -> None:
        found = PREFILTER.hyperscan_db()
        if found is None:
            return
        db, scratch = found
        data = self.text.encode("utf-8", "surrogatepass")  # a lone surrogate is no reason to fail
        ends: list[tuple[int, int]] = []
        db.scan(data, match_event_handler=lambda k, start, end, flags, ctx: ends.append((k, end)), scratch=scratch)
        lines_of_ends(ends, [m.start() for m in _NEWLINE.finditer(data)], out)


def lines_of_ends(ends: list[tuple[int, int]], breaks: list[int], out: dict[int, set[int]]) -> None:
    """Add to `out[k]` the line of each match (k, end): the number of line breaks (their offsets, in order)
    before its last byte, `bisect_left(breaks, end - 1)`. Hyperscan reports matches in order of their end,
    so the breaks are walked once; a match that ends before the one reported before it (not expected) is
    placed by bisection, and the walk goes on from there (tests/test_speed_round3.py)."""
    line, n, prev = 0, len(breaks), -1
    for k, end in ends:
        if end < prev:
            line = bisect.bisect_left(breaks, end - 1)
        while line < n and breaks[line] < end - 1:
            line += 1
        prev = end
        lines = out.get(k)
        if lines is None:
            out[k] = {line}
        else:
            lines.add(line)  # (literals of one pattern that end at one place: one line, once)


_NEWLINE = re.compile(b"\n")
