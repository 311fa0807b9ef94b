"""The learned residue-line model (RES017): features of a line in its page, and the shipped weights.

The features describe how a page is built, never a site's words: how long a line is against the
document's prose, whether it ends like a sentence, how many of its words are capitalised, digits,
separators (`|`, `»`, `•`), URLs and handles, where it sits (first or last lines, how much prose lies
above and below it), whether its neighbours are short too (a run of headlines or menu items), whether
its content words occur elsewhere in the document (an article repeats its own terms; an unrelated
headline does not), quotation, questions, the share of English function words and verbs of saying.

The model (`audit/data/residue_model.tsv`) is an ensemble of boosted decision stumps trained by
`tools/train_residue_model.py` on page-level folds; the file's header says how. Pure Python at run
time: one pass over the lines for the document's statistics, one for the features, one bisection a
feature for the score.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from importlib import resources

from audit.lexicon import function_word_set
from audit.memory import short_memo
from audit.text import ends_sentence, word_count, words

SHORT_WORDS = 8  # a line of fewer words is short (a headline, a label, a credit)
EDGE = 3  # the first and the last EDGE lines are the page's edges
PAGE_SHORT_SHARE = 0.7  # the model scores only texts where at least this share of lines is short
PROSE_WORDS = 30  # a line of this many words that ends like a sentence is prose: not scored
WINDOW = 3  # neighbours on each side looked at for a run of short lines
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk)\b|(?<!\w)@\w", re.IGNORECASE)
_SEPARATORS = re.compile("[|»•›·▶►→]")
_QUOTES = re.compile('["“”«]')
_DIGIT = re.compile(r"\d")
_SAYING = frozenset(
    "said says say told tells according added adds explained noted asked replied wrote writes "
    "announced stated argued insisted warned".split()
)

FEATURES = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_question",
    "capital_share",
    "all_caps_share",
    "digit_share",
    "has_url",
    "has_separator",
    "starts_bullet",
    "has_colon",
    "has_quote",
    "function_share",
    "has_saying",
    "first_lines",
    "last_lines",
    "prose_above",
    "prose_below",
    "inside_prose",
    "outside_short",
    "relative_length",
    "short",
    "short_neighbours",
    "prev_short",
    "next_short",
    "terms_elsewhere",
    "no_terms_elsewhere",
    "repeated_line",
    "title_shaped",
)


def _content(ws: list[str]) -> list[str]:
    fw = function_word_set()
    return [low for w in ws if len(w) > 3 and (low := w.lower()) not in fw]  # each word lower-cased once


class DocStats:
    """What the features need of the whole document: each line's words, content words and length."""

    __slots__ = ("lines", "words", "content", "counts", "median", "prose", "total", "before", "short", "seen")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.words = [words(s) for s in lines]
        self.content = [_content(ws) for ws in self.words]
        self.counts: dict[str, int] = {}
        for cw in self.content:
            for w in set(cw):
                self.counts[w] = self.counts.get(w, 0) + 1
        lengths = sorted(len(ws) for ws in self.words)
        self.median = max(1, lengths[len(lengths) // 2]) if lengths else 1
        self.prose = [
            len(ws) if len(ws) >= SHORT_WORDS and ends_sentence(s) else 0
            for s, ws in zip(lines, self.words, strict=True)
        ]
        self.total = max(1, sum(self.prose))
        self.before = list(itertools.accumulate(self.prose, initial=0))  # prose words above each line
        self.short = [len(ws) < SHORT_WORDS for ws in self.words] + [False]  # [-1]: no line is short
        self.seen: dict[str, int] = {}
        for s in lines:
            key = s.strip().lower()
            self.seen[key] = self.seen.get(key, 0) + 1


def _shape(s: str, ws: list[str]) -> list[float]:
    """The line's own shape: length, punctuation, capitals, digits, separators."""
    n = len(ws)
    t = s.strip()
    caps = sum(1 for w in ws if w[0].isupper())
    upper = sum(1 for w in ws if w.isupper() and len(w) > 1)
    digits = len(_DIGIT.findall(t))
    return [
        math.log1p(n),
        math.log1p(len(t)),
        float(ends_sentence(t)),
        float(t.endswith("?")),
        caps / n if n else 0.0,
        upper / n if n else 0.0,
        digits / max(1, len(t)),
        float(bool(_URL.search(t))),
        float(bool(_SEPARATORS.search(t))),
        float(t[:1] in "-–—*•·>"),
        float(":" in t),
        float(bool(_QUOTES.search(t))),
    ]


def _voice(ws: list[str]) -> list[float]:
    """Function-word share and verbs of saying: prose has both, furniture neither."""
    fw = function_word_set()
    low = [w.lower() for w in ws]
    return [sum(w in fw for w in low) / len(low) if low else 0.0, float(any(w in _SAYING for w in low))]


def _place(stats: DocStats, i: int) -> list[float]:
    """Where the line sits: the page's edges, the prose above and below, its neighbours' shortness."""
    n = len(stats.lines)
    above = stats.before[i] / stats.total
    below = (stats.before[-1] - stats.before[i + 1]) / stats.total
    lo, hi = max(0, i - WINDOW), min(n, i + WINDOW + 1)
    short = stats.short
    runs = (sum(short[lo:hi]) - short[i]) / max(1, hi - lo - 1)
    return [
        float(i < EDGE),
        float(i >= n - EDGE),
        above,
        below,
        min(above, below),
        float(short[i]) * (1.0 - 2.0 * min(above, below)),
        math.log((len(stats.words[i]) + 1) / (stats.median + 1)),
        float(short[i]),
        runs,
        float(short[i - 1] if i else False),
        float(short[i + 1]),
    ]


def _terms(stats: DocStats, i: int) -> list[float]:
    """Whether the line's content words occur in other lines of the document, and whether it repeats."""
    cw = set(stats.content[i])
    shared = sum(stats.counts.get(w, 0) > 1 for w in cw) / len(cw) if cw else 0.0
    ws = stats.words[i]
    title = bool(ws) and not ends_sentence(stats.lines[i]) and all(w[0].isupper() for w in ws if len(w) > 3)
    return [
        shared,
        float(bool(cw) and shared == 0.0),
        float(stats.seen.get(stats.lines[i].strip().lower(), 0) > 1),
        float(title and len(ws) >= 3),
    ]


def line_features(stats: DocStats, i: int) -> list[float]:
    """The features (FEATURES, in order) of line i of the document."""
    s = stats.lines[i]
    return [*_own_features(s), *_place(stats, i), *_terms(stats, i)]


@short_memo(4096)
def _own_features(s: str) -> tuple[float, ...]:
    """The features of the line alone (`_shape`, `_voice`), remembered (`short_memo`): pages repeat their lines."""
    ws = words(s)
    return (*_shape(s, ws), *_voice(ws))


def is_whole_page(lines: list[str]) -> bool:
    """True when most lines are short (PAGE_SHORT_SHARE): the text of a whole page, menus and all, not an
    extracted article, whose few short lines are as often subheads, list items or a dateline. It reads the
    shared, memoised word counts (audit.text.word_count), before any costlier statistics, and stops at the
    first long line too many (an article's text stops early). A line of under 2 * SHORT_WORDS - 1
    characters is short without counting: SHORT_WORDS words take at least that many."""
    n, need = len(lines), PAGE_SHORT_SHARE * len(lines)  # short lines a whole page has at least
    long = 0
    for s in lines:
        if len(s) >= 2 * SHORT_WORDS - 1 and word_count(s) >= SHORT_WORDS:
            long += 1
            if n - long < need:
                return False
    return True


def document_features(lines: list[str], every: bool = False) -> list[list[float] | None]:
    """The features of every line of a document (its non-blank lines, in order). None for the lines the
    model does not score: every line of a text that is not a whole page (`is_whole_page`), and a line of
    running prose (PROSE_WORDS words or more, ending like a sentence); with `every`, the features of all
    lines (training sees them all)."""
    if not every and not is_whole_page(lines):
        return [None] * len(lines)
    stats = DocStats(lines)
    return [line_features(stats, i) if every or stats.prose[i] < PROSE_WORDS else None for i in range(len(lines))]


class LineModel:
    """Boosted decision stumps over FEATURES: the log-odds are `base` plus, for each stump, its left value
    where the feature is at most its cut and its right value elsewhere. The stumps of one feature add up
    to a step function, kept as sorted cuts and the value between each two (one bisection a feature)."""

    def __init__(self, base: float, stumps: list[tuple[int, float, float, float]], threshold: float) -> None:
        self.base, self.threshold, self.stumps = base, threshold, stumps
        self.steps: list[tuple[list[float], list[float]]] = []
        for f in range(len(FEATURES)):
            mine = [st for st in stumps if st[0] == f]
            cuts = sorted({st[1] for st in mine})
            # values[k]: x is above cuts[:k] (right of those stumps) and at most cuts[k:] (left of those)
            values = [sum(vr if c < cut_k else vl for _, c, vl, vr in mine) for cut_k in cuts + [math.inf]]
            self.steps.append((cuts, values))
        # the features that have stumps, in feature order: the same sum, added in the same order
        self.used = [(f, cuts, values) for f, (cuts, values) in enumerate(self.steps) if cuts]

    def log_odds(self, x: list[float]) -> float:
        if len(x) != len(self.steps):
            raise ValueError(f"{len(x)} features, not {len(self.steps)}")
        z = self.base
        for f, cuts, values in self.used:
            z += values[bisect.bisect_left(cuts, x[f])]
        return z

    def probability(self, x: list[float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.log_odds(x)))))


def parse_model(text: str) -> LineModel:
    """A model from the TSV the training script writes: `# ...` header lines, `threshold` and `base`
    rows, then one `stump<TAB>feature<TAB>cut<TAB>left<TAB>right` row per stump."""
    rows = [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    head = {r[0]: float(r[1]) for r in rows if len(r) == 2}
    stumps = []
    for r in rows:
        if r[0] == "stump":
            if r[1] not in FEATURES:
                raise ValueError(f"residue model: unknown feature {r[1]!r}")
            stumps.append((FEATURES.index(r[1]), float(r[2]), float(r[3]), float(r[4])))
    return LineModel(head["base"], stumps, head["threshold"])


@functools.cache
def shipped_model() -> LineModel:
    """The model in audit/data/residue_model.tsv."""
    return parse_model(resources.files("audit.data").joinpath("residue_model.tsv").read_text(encoding="utf-8"))
