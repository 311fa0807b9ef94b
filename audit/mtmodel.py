"""Document-level machine-translation probability: a small logistic model over style features.

What translated English shows whatever the system and the source language (the translationese
literature: Baroni & Bernardini 2006; Koppel & Ordan 2011; Volansky et al. 2015): function words and
punctuation used at other rates than in English written as English, flatter sentence-length
profiles, less varied vocabulary, and the word order of the source. The features are therefore
topic-blind: every word outside a closed list of function words (`audit/data/mt_function_words.txt`)
is reduced to its shape (`C` a capitalised word, `w` a lower-case word, `-ing`, `-ly`, ...; `C_` and `w_`
when English seldom uses the word, as wordfreq counts it), and the model counts n-grams (1-3) of those
symbols per token, plus sentence, vocabulary, word-frequency and name statistics (capitalised words
that English seldom or never writes: transliterated names) and the number of machine-translation
artifact checks that fired. A name that does not look English (`Cx` inside a sentence, `Sx` opening one)
is told by its letters, whatever the source language: letter trigrams of common English words give it a
low probability (transliterated Ukrainian, Russian, Japanese or Hebrew names), or it has letters outside
a-z (`Kristjánsson`). Translated news names such people and places in the source's own spelling; held out
by language pair this lifted every pair's AUC (0.905 -> 0.916 overall; tools/train_mt_model.py).

Typography and layout are normalised first (curly quotes, guillemets and low quotes, dashes,
non-breaking spaces; a line break only ends a sentence), because the training data (WMT, one sentence
a line, straight quotes) differs from web articles in exactly those respects: a model that saw them
would learn the data set. The source language's typography is the artifact checks' concern.

Human translations carry translationese too: the model is trained on them as translated text, and
gives many of them a high probability. It says "reads as translated", and machine translation is by
far the commonest way news gets there.

The probability is calibrated for equal priors (training weighs originals and translations half and
half): read it as a ranking and compare it with the threshold in the model file, chosen on held-out
scores of four kinds of English original (WMT news, web news bodies, web pages of other genres, feed
entries from English-language newsrooms) for at most 2% false positives on each (tools/train_mt_model.py).

The model judges English only, and only a text long enough to carry the signal. Where the language check
finds another language (`in_model_language`: INT005's test and confidence), there is no probability
(NOT_JUDGED, NaN) and no verdict. A text under MIN_WORDS words gets a probability but no verdict: held
out, English originals of 60-80 words score over the threshold 5.8% of the time, of 20-40 words 9.1%,
against 1.6% at 80-120 (the training tool prints the table).

The weights live in `audit/data/mt_model.tsv` (trained by `tools/train_mt_model.py` from
../shared/eval); inference is numpy only and deterministic. The text is tokenised once; what a token
means to the model is computed once per process and kept in columns indexed by token type, so a
document's tokens are read as arrays, not one at a time (tests/test_mt_reference.py holds the plain
one-token-at-a-time definition and checks the two agree bit for bit). Cost (`python bench/mt_cost.py`,
CPU time on a loaded 2-core machine, bench/e2e.py's 614 pages, text after MAX_CHARS not read): 0.64 ms
a page, 0.85 ms when its words are new to the process.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import dataclass
from importlib import resources

import numpy as np

from audit.lexicon import english_table, function_word_set, function_words
from audit.memory import memo

_TYPOGRAPHY = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032`", "'"),
    **dict.fromkeys("\u2010\u2011\u2212", "-"),
    **dict.fromkeys("\u2012\u2013\u2014\u2015", " - "),
    **dict.fromkeys("\u00a0\u202f\u2009\u200a\u2007", " "),
    "\u2026": "...",
}
_TYPOGRAPHY_RX = re.compile("[" + re.escape("".join(_TYPOGRAPHY)) + "]")
# a sentence end: the white space after a mark becomes a newline. One pattern a mark, each opening with
# its mark (not a look-behind: the engine skips to the mark) and replaced by the mark and a newline, a
# literal: a group in the replacement costs a Python call a sentence (`re._parser.expand_template` in 3.11),
# half of `_breaks`' time. The marks' matches never meet (a mark, then white space), so the three passes
# write what one `(?<=[.!?])\s+(?=...)` pass writes (tests/test_mt_reference.py)
_SENTENCE_ENDS = tuple((re.compile(re.escape(mark) + r"\s+(?=[\"'(]?[A-Z0-9])"), mark + "\n") for mark in ".!?")
# one tokenisation of the whole text: a newline token marks a sentence break (see `_breaks`)
_TOKEN = re.compile(r"\n|[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,:]\d+)*|\.\.\.|[^\w\s]")
# the same tokens, found faster: whitespace skipped inside a match (the token is its group) and no
# backtracking into a run; for ASCII text, character ranges instead of Unicode categories (`\s` is
# ASCII whitespace and \x1c-\x1f)
_TOKEN_FAST = re.compile(r"[^\S\n]*+(\n|[^\W\d_]++(?:[-'][^\W\d_]++)*+|\d++(?:[.,:]\d++)*+|\.\.\.|[^\w\s])")
_TOKEN_ASCII = re.compile(
    r"[\t\x0b\x0c\r\x1c-\x1f ]*+(\n|[A-Za-z]++(?:[-'][A-Za-z]++)*+|[0-9]++(?:[.,:][0-9]++)*+|\.\.\.|[^\w\s\x1c-\x1f])",
    re.ASCII,
)
_PUNCT = {"[": "(", "]": ")", "{": "(", "}": ")", "£": "$", "€": "$", "¥": "$", "₽": "$"}
_KEEP_PUNCT = ".,;:!?\"'()-/%$&"
_SUFFIXES = ("ing", "ed", "ly", "tion", "sion", "ment", "ness", "ity", "al", "ive", "ous", "er", "est")
SHAPES = ("S", "C", "C_", "A", "X'", "w-w", "w", "w_", "-s", "0", "...", "#", *(f"-{s}" for s in _SUFFIXES), "Cx", "Sx")
RARE_NAME = 3.0  # a capitalised word inside a sentence whose Zipf frequency is under this is `C_`, not `C`
RARE_WORD = 4.0  # a plain lower-case word (no suffix shape) under this is `w_`, not `w`
FOREIGN = -3.0  # a name whose mean letter-trigram log-probability under English words is below this is `Cx`/`Sx`
COMMON_NAME = 4.0  # a name English writes this often (Zipf) is `C` however it looks (Ohio, Obama, Israel)
LETTER_WORDS = 30_000  # the English words (wordfreq's commonest) whose letter trigrams define "looks English"
BOUNDARY = ("<s>", "</s>")
MATTR_WINDOW = 50
MAX_CHARS = 8_000  # a longer text is judged on its first 8,000 characters: style needs no more, and cost stays bounded
MODEL_FILE = "mt_model.tsv"
MAX_ARTIFACTS = 3  # distinct artifact checks counted: each adds the weight the model file gives them
MIN_WORDS = 80  # a text of fewer words (in its first MAX_CHARS characters) gets a probability but no verdict


NOT_JUDGED = math.nan  # the probability of a text in another language than the model's (English): none


def in_model_language(view) -> bool:
    """True unless the language check finds the text in another language than English, the one language
    the model knows (`view` is an audit.text.TextView): the same test and confidence as INT005's, whatever
    languages the audit expects. A Polish or Japanese text gets no probability and no verdict."""
    from audit.language import MIN_LANGUAGE_CONFIDENCE

    if view.surely_english:
        return True
    code, prob = view.language
    return code == "en" or prob < MIN_LANGUAGE_CONFIDENCE


def word_count(text: str) -> int:
    """Words (runs between white space) in the part of the text the model reads: what MIN_WORDS counts."""
    return len(text[:MAX_CHARS].split())


def normalise(text: str) -> str:
    """Typography to plain forms: curly quotes, guillemets and low quotes to `"`, dashes to ` - `."""
    return _TYPOGRAPHY_RX.sub(lambda m: _TYPOGRAPHY[m.group()], text)


def _breaks(text: str) -> str:
    """Normalised text with every sentence end a newline: a line break always ends a sentence, and so
    does `. ` before a capital."""
    plain = text.isascii() and "`" not in text  # the backtick is the one ASCII character normalised
    text = text if plain else normalise(text)
    for end, mark_and_newline in _SENTENCE_ENDS:
        text = end.sub(mark_and_newline, text)
    return text


def sentences(text: str) -> list[str]:
    """Sentences of a text as the model reads them (typography normalised)."""
    return [s.strip() for s in _breaks(text).split("\n") if s.strip()]


@functools.cache
def alphabet() -> dict[str, int]:
    """Every symbol a token can become, numbered from 1 (0 pads the n-gram codes)."""
    symbols = [*BOUNDARY, *SHAPES, *_KEEP_PUNCT, *function_words()]
    return {s: i + 1 for i, s in enumerate(dict.fromkeys(symbols))}


def _frequencies() -> dict[str, float]:
    """wordfreq's English frequencies: the lexicon's table (`english_table`, the same `get_frequency_dict`
    of the "best" word list). Asked as `get_frequency_dict("en")`, wordfreq's memo, keyed by the arguments
    as written, built a second copy of it (0.06 s and 8 MB, once a process)."""
    return english_table()[0]


@memo(1 << 16)
def _zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a lower-cased word (0 when English does not know it)."""
    f = _frequencies().get(word, 0.0)
    return math.log10(f) + 9 if f > 0 else 0.0


_TRIGRAM = re.compile("(?=([^\n]{3}))")


@functools.cache
def _letter_model() -> tuple[dict[str, float], dict[str, float]]:
    """Letter trigrams of English words: log P(letter | two before) for every trigram seen, and the
    log-probability of an unseen letter after each two-letter context (add-0.1 smoothing over 28
    symbols). Counted over the LETTER_WORDS commonest English words of wordfreq (a-z only, 3+ letters),
    each word once: general English spelling, no names list and no evaluation data."""
    from collections import Counter

    from wordfreq import top_n_list

    padded = ["^^" + w + "$" for w in top_n_list("en", LETTER_WORDS) if len(w) >= 3 and w.isascii() and w.isalpha()]
    # every trigram of every padded word: the three characters at each place of the words written one a line
    # that hold no line break, found by the regex engine (not a Python loop over 240,000 places); a context's
    # count is the sum of its trigrams' (each trigram's first two letters are its context)
    tri = Counter(_TRIGRAM.findall("\n".join(padded)))
    ctx: Counter[str] = Counter()
    for t, n in tri.items():
        ctx[t[:2]] += n
    seen = {t: math.log((n + 0.1) / (ctx[t[:2]] + 2.8)) for t, n in tri.items()}
    unseen = {c: math.log(0.1 / (n + 2.8)) for c, n in ctx.items()}
    return seen, unseen


def letter_score(low: str) -> float:
    """Mean log-probability per letter of a lower-case ASCII word under English letter trigrams: near -2
    for English-looking words (`manchester` -1.8, `johnson` -2.2), under -3 for most transliterations
    (`kholodnytskyi` -3.9, `yehuda` -3.9, `kyiv` -4.2)."""
    seen, unseen = _letter_model()
    s = "^^" + low + "$"
    total = 0.0
    for i in range(2, len(s)):
        t = s[i - 2 : i + 1]
        lp = seen.get(t)
        total += lp if lp is not None else unseen.get(t[:2], math.log(0.1 / 2.8))
    return total / (len(s) - 2)


def _foreign(low: str) -> bool:
    """A name that does not look English: a part (between hyphens, 3+ letters) with letters outside a-z
    (`kristjánsson`) or with letter trigrams English words seldom have (transliterations)."""
    parts = [p for p in low.split("-") if len(p) >= 3]
    return any(not p.isascii() or letter_score(p) < FOREIGN for p in parts)


def _word_symbol(w: str, low: str, initial: bool, sym: dict[str, int]) -> str:
    """A word outside the function-word list reduced to its shape; `_` marks a name or plain word that is
    rare in English (transliterated names; the lexical choices of translation), `x` a name that does not
    look English (`Cx` inside a sentence; `Sx` at its start when also rare)."""
    if "'" in w:
        return "X'"
    if len(w) > 1 and w.isupper():
        return "A"
    if w[0].isupper():
        if initial:
            return "Sx" if _zipf(low) < RARE_NAME and _foreign(low) else "S"
        z = _zipf(low)
        return "Cx" if z < COMMON_NAME and _foreign(low) else ("C_" if z < RARE_NAME else "C")
    return _plain_symbol(w, low)


def _plain_symbol(w: str, low: str) -> str:
    """`_word_symbol` of a word that opens in lower case (or in a letter without case)."""
    if "-" in w:
        return "w-w"
    if low.endswith(_SUFFIXES):  # one test of all the suffixes first: most words have none
        for suffix in _SUFFIXES:
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                return "-" + suffix
    if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        return "-s"
    return "w_" if _zipf(low) < RARE_WORD else "w"


def _word_symbols(w: str, low: str, capital: bool) -> tuple[str, str]:
    """(`_word_symbol` at a sentence start, `_word_symbol` elsewhere) of a word that opens in a capital
    (`capital`) or not (then both are the one elsewhere), at once: one Zipf look-up and one `_foreign`
    at most for both (tests/test_mt_reference.py builds every type with `_word_symbol` itself)."""
    if "'" in w:
        return "X'", "X'"
    if len(w) > 1 and w.isupper():
        return "A", "A"
    if not capital:
        rest = _plain_symbol(w, low)
        return rest, rest
    z = _zipf(low)
    foreign = z < max(RARE_NAME, COMMON_NAME) and _foreign(low)  # what either symbol asks of `_foreign`
    return (
        "Sx" if z < RARE_NAME and foreign else "S",
        "Cx" if z < COMMON_NAME and foreign else ("C_" if z < RARE_NAME else "C"),
    )


_LETTERS = 1024  # a word's number is a serial times _LETTERS, plus its length in letters
_TYPES_MAX = 1 << 18  # token types remembered (~68 MB when full, tracemalloc); the table starts afresh when full
_BREAK = (0, 0, 0, 0, -1, 0, 0.0)  # the newline token: a sentence break
_CONTENT, _CAP = 1, 2  # flags of a token type


class _Types(dict):
    """The token types this process has met: token -> type id, and what the model needs of each type as
    columns indexed by its id (`ints` rows: symbol id at a sentence start, symbol id elsewhere, id of a
    split-off `'s` or 0, kind (0 a sentence break, 1 punctuation, 2 number, 3 word), the lower-cased
    word's number (-1 for no word), flags (_CONTENT a content word, _CAP capitalised); `zipf` the word's
    Zipf frequency). A token not met before is typed when first looked up (`__missing__`); ids are never
    reused within a table, and a full table is replaced, not emptied, so a document read in another
    thread at that moment keeps reading the table it started with."""

    def __init__(self) -> None:
        super().__init__()
        self.words: dict[str, int] = {}  # lower-cased word -> its number
        self.ints = np.zeros((6, 1024), dtype=np.int64)
        self.zipf = np.zeros(1024)
        self.lock = threading.Lock()
        self._add("\n", _BREAK)

    def __missing__(self, tok: str) -> int:
        with self.lock:
            i = self.get(tok)
            return i if i is not None else self._add(tok, _token_type(tok, self.words))

    def _add(self, tok: str, t: tuple[int, int, int, int, int, int, float]) -> int:
        i = len(self)
        if i == self.zipf.shape[0]:  # grown into new arrays before the id is handed out
            ints, zipf = np.zeros((6, 2 * i), dtype=np.int64), np.zeros(2 * i)
            ints[:, :i], zipf[:i] = self.ints, self.zipf
            self.ints, self.zipf = ints, zipf
        self.ints[:, i], self.zipf[i] = t[:6], t[6]
        self[tok] = i
        return i


def _token_type(tok: str, words: dict[str, int]) -> tuple[int, int, int, int, int, int, float]:
    """What the model needs of one token (a `_Types` column): (symbol id at a sentence start, symbol id
    elsewhere, id of a split-off `'s` or 0, kind, the lower-cased word's number or -1, flags, Zipf)."""
    sym = alphabet()
    c = tok[0]
    if c.isalpha():
        word, low, tail = tok, tok.lower(), 0
        if low.endswith("'s") and low not in sym:
            word, low, tail = tok[:-2], low[:-2], sym["'s"]
        n = words.get(low)
        if n is None:
            n = words[low] = len(words) * _LETTERS + min(len(low), _LETTERS - 1)
        flags = _CAP if c.isupper() else 0
        if low in sym:
            flags |= 0 if low in function_word_set() else _CONTENT
            return (sym[low], sym[low], tail, 3, n, flags, _zipf(low))
        start, rest = _word_symbols(word, low, bool(flags))  # only a capital reads a sentence start
        return (sym[start], sym[rest], tail, 3, n, flags | _CONTENT, _zipf(low))
    if c.isdigit():
        return (sym["0"], sym["0"], 0, 2, -1, 0, 0.0)
    c = "..." if tok == "..." else _PUNCT.get(c, c)
    one = sym[c] if c in _KEEP_PUNCT or c == "..." else sym["#"]
    return (one, one, 0, 1, -1, 0, 0.0)


_TABLE = _Types()


def _table() -> _Types:
    """The token-type table, replaced by an empty one when full."""
    global _TABLE
    if len(_TABLE) >= _TYPES_MAX:
        _TABLE = _Types()
    return _TABLE


def _variety(prev: np.ndarray, window: int) -> float:
    """Moving-average type-token ratio from each word's previous position (-1: first use): vocabulary
    variety that does not fall with text length.

    The mean over every window of `window` words of its distinct words / `window`: a word counts in
    the windows that contain it and no earlier occurrence of it.
    """
    n = len(prev)
    if n == 0:
        return 0.0
    p = prev
    if n <= window:
        return float((p < 0).sum()) / n
    j = np.arange(n)
    lo = np.maximum(p + 1, j - window + 1)
    hi = np.minimum(j, n - window)
    return float(np.clip(hi - lo + 1, 0, None).sum()) / (n - window + 1) / window


def ngram_codes(seq: np.ndarray, k: int) -> np.ndarray:
    """Integer codes of every 1-, 2- and 3-gram of a padded symbol sequence (alphabet size `k`).

    A unigram is (0, 0, a), a bigram (0, a, b), a trigram (a, b, c), each read as a number in base
    k + 1. N-grams across a sentence boundary (`</s> <s>`) are never in a model's vocabulary.
    """
    base = np.int64(k + 1)
    s = seq.astype(np.int64)
    return np.concatenate([s, s[:-1] * base + s[1:], (s[:-2] * base + s[1:-1]) * base + s[2:]])


def _sentence_stats(lengths: list[int]) -> dict[str, float]:
    n = max(1, len(lengths))
    mean = sum(lengths) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in lengths) / n) if lengths else 0.0
    return {
        "sent_len_mean": mean,
        "sent_len_cv": sd / mean if mean else 0.0,
        "sent_long": sum(x >= 30 for x in lengths) / n,
        "sent_short": sum(x <= 8 for x in lengths) / n,
    }


STATS = (
    "sent_len_mean",
    "sent_len_cv",
    "sent_long",
    "sent_short",
    "zipf_mean",
    "zipf_rare",
    "zipf_unknown",
    "zipf_common",
    "repetition",
    "word_len",
    "mattr",
    "mattr_content",
    "fw_share",
    "cap_share",
    "cap_rare",
    "cap_unknown",
)


@dataclass(slots=True)
class _TokenCounts:
    """What the model reads of a document's tokens, as arrays in token order."""

    seq: np.ndarray  # symbol ids, each sentence between <s> and </s>
    lengths: list[int]  # words per sentence
    words: np.ndarray  # every word (its number)
    content: np.ndarray  # the content words among them
    zipfs: np.ndarray  # Zipf frequency of each content word
    sent: np.ndarray  # the sentence of each content word
    caps: np.ndarray  # Zipf frequency of each capitalised word inside a sentence


def _count_tokens(tokens: list[str], bos: int, eos: int) -> _TokenCounts:
    """The tokens read at once (newline tokens are sentence breaks; an empty sentence is skipped): each
    token's type looked up, then every sequence and list the model needs taken from the type columns."""
    table = _table()
    ids = np.fromiter(map(table.__getitem__, tokens), dtype=np.intp, count=len(tokens))
    s0, s1, tail, kind, word, flags = table.ints[:, ids]
    zipf = table.zipf[ids]
    brk = kind == 0
    edge = np.ones(len(ids) + 1, dtype=bool)
    edge[1:-1] = brk[1:] != brk[:-1]
    starts, ends = edge[:-1] & ~brk, edge[1:] & ~brk  # a sentence's first and last token
    sent = np.cumsum(starts) - 1
    pos = np.flatnonzero(kind >= 2)  # a sentence's first word (or number) takes its start form
    first = pos[np.diff(sent[pos], prepend=-1) != 0]
    sym = s1.copy()
    sym[first] = s0[first]
    slots = np.zeros((len(ids), 4), dtype=np.int64)
    slots[:, 0], slots[:, 1], slots[:, 2], slots[:, 3] = starts * bos, sym, tail, ends * eos
    seq = slots.ravel()
    cap = (flags & _CAP) != 0
    cap[first] = False
    is_word = kind == 3
    content = is_word & ((flags & _CONTENT) != 0)
    return _TokenCounts(
        seq[seq != 0],
        np.bincount(sent[is_word], minlength=int(starts.sum())).tolist(),
        word[is_word],
        word[content],
        zipf[content],
        sent[content],
        zipf[cap],
    )


def _repetition(words: np.ndarray, sent: np.ndarray) -> float:
    """Share of a sentence's content words (of 4+ letters, each once a sentence) already used in one of
    the two sentences before it; `sent` is each word's sentence."""
    keep = words % _LETTERS > 3
    w, s = words[keep], sent[keep]
    order = np.lexsort((s, w))  # by word, then sentence
    w, s = w[order], s[order]
    same, gap = w[1:] == w[:-1], s[1:] - s[:-1]
    new = np.ones(len(w), dtype=bool)
    new[1:] = ~same | (gap != 0)  # a word counts once a sentence
    seen = int((new & (s >= 1)).sum())
    hits = int((same & (gap >= 1) & (gap <= 2)).sum())  # the same word in one of the two sentences before
    return hits / seen if seen else 0.0


def _previous(words: np.ndarray) -> np.ndarray:
    """Each word's previous position in the array (-1 for its first use)."""
    order = np.argsort(words, kind="stable")
    prev = np.full(len(words), -1, dtype=np.int64)
    same = words[order[1:]] == words[order[:-1]]
    prev[order[1:][same]] = order[:-1][same]
    return prev


def _word_stats(s: _TokenCounts) -> dict[str, float]:
    z = s.zipfs if len(s.zipfs) else np.zeros(1)
    n_words, n_content = len(s.words), len(s.zipfs)
    nc = max(1, n_content)
    return {
        "zipf_mean": float(z.sum()) / nc,
        "zipf_rare": float((z < 3).sum()) / nc,
        "zipf_unknown": float((z == 0).sum()) / nc,
        "zipf_common": float((z >= 5).sum()) / nc,
        "repetition": _repetition(s.content, s.sent),
        "word_len": int((s.words % _LETTERS).sum()) / max(1, n_words),
        "mattr": _variety(_previous(s.words), MATTR_WINDOW),
        "mattr_content": _variety(_previous(s.content), 30),
        "fw_share": 1 - n_content / max(1, n_words),
        **_name_stats(s.caps, n_words),
    }


def _name_stats(caps: np.ndarray, n_words: int) -> dict[str, float]:
    """Capitalised words inside sentences (names, mostly), per word: all of them, those rare in English
    (Zipf < 3) and those English does not know (Zipf < 1). Translated news names people and places that
    English seldom writes, transliterated from the source (`Kholodnytskyi`, `Ben-Gvir`)."""
    n = max(1, n_words)
    return {"cap_share": len(caps) / n, "cap_rare": int((caps < 3).sum()) / n, "cap_unknown": int((caps < 1).sum()) / n}


@dataclass(frozen=True, slots=True)
class Profile:
    """What the model reads from one document: n-gram codes with their counts, and statistics."""

    codes: np.ndarray  # sorted unique n-gram codes
    counts: np.ndarray  # how often each occurs
    n_tokens: int
    stats: dict[str, float]


def profile(text: str) -> Profile:
    """The style profile of a text (typography normalised, layout ignored): one tokenisation, one pass."""
    sym = alphabet()
    bos, eos = sym["<s>"], sym["</s>"]
    text = _breaks(text[:MAX_CHARS])
    scan = _count_tokens((_TOKEN_ASCII if text.isascii() else _TOKEN_FAST).findall(text), bos, eos)
    codes = ngram_codes(scan.seq, len(sym)) if len(scan.seq) >= 3 else np.zeros(0, dtype=np.int64)
    codes = codes[(codes != bos) & (codes != eos)]  # boundaries count only inside n-grams
    uniq, counts = np.unique(codes, return_counts=True)
    n_tokens = len(scan.seq) - 2 * len(scan.lengths)
    return Profile(uniq, counts, n_tokens, {**_sentence_stats(scan.lengths), **_word_stats(scan)})


def decode(code: int, k: int | None = None) -> str:
    """The n-gram a code stands for (`the w of`), for the model file and for reading weights."""
    names = {i: s for s, i in alphabet().items()}
    base = (k or len(names)) + 1
    parts = []
    while code:
        code, r = divmod(int(code), base)
        parts.append(names[r])
    return " ".join(reversed(parts))


def encode(ngram: str) -> int:
    sym = alphabet()
    code = 0
    for s in ngram.split(" "):
        code = code * (len(sym) + 1) + sym[s]
    return code


@dataclass(frozen=True)
class Model:
    """A logistic model: weights for n-gram rates (square root of count per token) and for statistics."""

    codes: np.ndarray  # sorted n-gram codes
    ngram_w: np.ndarray  # weight per code, standardisation folded in
    stat_names: tuple[str, ...]
    stat_w: np.ndarray
    intercept: float
    threshold: float

    def logit(self, p: Profile, artifacts: int = 0) -> float:
        """The model's log-odds for one profile; `artifacts` is the number of artifact checks that fired."""
        z = self.intercept
        if len(p.codes) and p.n_tokens:
            pos = np.searchsorted(self.codes, p.codes)
            pos[pos == len(self.codes)] = 0
            hit = self.codes[pos] == p.codes
            z += float(self.ngram_w[pos[hit]] @ np.sqrt(p.counts[hit] / p.n_tokens))
        stats = {**p.stats, "artifacts": min(artifacts, MAX_ARTIFACTS)}
        z += float(self.stat_w @ np.array([stats[n] for n in self.stat_names]))
        return z


class ModelFileError(ValueError):
    """The model file is malformed: the message names the line."""


def _row(kind: str, cells: list[str], where: str) -> tuple[str, float, float, float]:
    """One `ngram` or `stat` row: (name, mean, sd, weight), checked."""
    if len(cells) != 4:
        raise ModelFileError(f"{where}: a {kind} row has 4 cells after the kind, not {len(cells)}")
    try:
        mean, sd, w = (float(x) for x in cells[1:])
    except ValueError:
        raise ModelFileError(f"{where}: mean, sd and weight must be numbers") from None
    if not all(map(math.isfinite, (mean, sd, w))) or sd <= 0:
        raise ModelFileError(f"{where}: numbers must be finite and sd positive")
    if kind == "stat" and cells[0] not in (*STATS, "artifacts"):
        raise ModelFileError(f"{where}: unknown statistic {cells[0]!r}")
    if kind == "ngram" and not (1 <= len(cells[0].split(" ")) <= 3 and set(cells[0].split(" ")) <= alphabet().keys()):
        raise ModelFileError(f"{where}: {cells[0]!r} is not an n-gram of 1-3 known symbols")
    return cells[0], mean, sd, w


def read_model(lines: list[str]) -> Model:
    """Parse the model file: `intercept`, `threshold`, then `ngram`/`stat` rows of name, mean, sd, weight.

    Weights apply to standardised features, (x - mean) / sd; they are folded into raw-feature weights here.
    A malformed file raises ModelFileError: a model that silently read wrong would score every document wrong.
    """
    meta: dict[str, float] = {}
    grams: dict[int, float] = {}
    stats: dict[str, float] = {}
    offset = 0.0
    for i, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, *cells = line.rstrip("\n").split("\t")
        where = f"{MODEL_FILE} line {i}"
        if kind in ("intercept", "threshold"):
            try:
                meta[kind] = float(cells[0]) if len(cells) == 1 else math.nan
            except ValueError:
                meta[kind] = math.nan
            if not math.isfinite(meta[kind]) or kind == "threshold" and not 0 < meta[kind] < 1:
                raise ModelFileError(f"{where}: {kind} must be one finite number (a threshold in (0, 1))")
            continue
        if kind not in ("ngram", "stat"):
            raise ModelFileError(f"{where}: unknown row kind {kind!r}")
        name, mean, sd, w = _row(kind, cells, where)
        table, key = (grams, encode(name)) if kind == "ngram" else (stats, name)
        if key in table:
            raise ModelFileError(f"{where}: {name!r} appears twice")
        table[key] = w / sd
        offset -= w * mean / sd
    if missing := {"intercept", "threshold"} - meta.keys():
        raise ModelFileError(f"{MODEL_FILE}: no {' or '.join(sorted(missing))} row")
    codes = sorted(grams)
    return Model(
        np.array(codes, dtype=np.int64),
        np.array([grams[c] for c in codes]),
        tuple(stats),
        np.array(list(stats.values())),
        meta["intercept"] + offset,
        meta["threshold"],
    )


@functools.cache
def model() -> Model:
    """The shipped model (`audit/data/mt_model.tsv`), read once per process."""
    raw = resources.files("audit.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return read_model(raw.splitlines())


def mt_probability(text: str, artifacts: int = 0) -> float:
    """P(machine-translated) for one text, from style alone (plus the artifact checks that fired)."""
    if not text.strip():
        return 0.0
    z = model().logit(profile(text), artifacts)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
