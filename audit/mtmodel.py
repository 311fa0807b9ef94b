"""Document-level machine-translation probability: a small logistic model over style features.

What translated English shows whatever the system and the source language (the translationese
literature: Baroni & Bernardini 2006; Koppel & Ordan 2011; Volansky et al. 2015): function words and
punctuation used at other rates than in English written as English, flatter sentence-length
profiles, less varied vocabulary, and the word order of the source. The features are therefore
topic-blind: every word outside a closed list of function words (`audit/data/mt_function_words.txt`)
is reduced to its shape (`C` a capitalised word, `w` a lower-case word, `-ing`, `-ly`, ...), and the
model counts n-grams (1-3) of those symbols per token, plus sentence, vocabulary and word-frequency
statistics and the number of machine-translation artifact checks that fired.

Typography and layout are normalised first (curly quotes, guillemets and low quotes, dashes,
non-breaking spaces; a line break only ends a sentence), because the training data (WMT, one sentence
a line, straight quotes) differs from web articles in exactly those respects: a model that saw them
would learn the data set. The source language's typography is the artifact checks' concern.

Human translations carry translationese too: the model gives many of them a high probability. It
says "reads as translated", and machine translation is by far the commonest way news gets there.

The probability is calibrated for equal priors (training weighs originals and translations half and
half): read it as a ranking and compare it with the threshold in the model file, which was chosen on
held-out data for 1.5% false positives on English news originals.

The weights live in `audit/data/mt_model.tsv` (trained by `tools/train_mt_model.py` from
../shared/eval); inference is numpy only and deterministic. Cost: about 0.8 ms of CPU for a 1.6 KB
article and 1.7 ms for a 4.5 KB one on a loaded 2-core machine; text after MAX_CHARS is not read.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from itertools import chain

import numpy as np

from audit.data import load_list

_TYPOGRAPHY = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032`", "'"),
    **dict.fromkeys("\u2010\u2011\u2212", "-"),
    **dict.fromkeys("\u2012\u2013\u2014\u2015", " - "),
    **dict.fromkeys("\u00a0\u202f\u2009\u200a\u2007", " "),
    "\u2026": "...",
}
_TYPOGRAPHY_RX = re.compile("[" + re.escape("".join(_TYPOGRAPHY)) + "]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,:]\d+)*|\.\.\.|[^\w\s]")
_PUNCT = {"[": "(", "]": ")", "{": "(", "}": ")", "£": "$", "€": "$", "¥": "$", "₽": "$"}
_KEEP_PUNCT = ".,;:!?\"'()-/%$&"
_SUFFIXES = ("ing", "ed", "ly", "tion", "sion", "ment", "ness", "ity", "al", "ive", "ous", "er", "est")
SHAPES = ("S", "C", "A", "X'", "w-w", "w", "-s", "0", "...", "#", *(f"-{s}" for s in _SUFFIXES))
BOUNDARY = ("<s>", "</s>")
MATTR_WINDOW = 50
MAX_CHARS = 8_000  # a longer text is judged on its first 8,000 characters: style needs no more, and cost stays bounded
MODEL_FILE = "mt_model.tsv"
MAX_ARTIFACTS = 3  # distinct artifact checks counted: each adds the weight the model file gives them


def normalise(text: str) -> str:
    """Typography to plain forms: curly quotes, guillemets and low quotes to `"`, dashes to ` - `."""
    return _TYPOGRAPHY_RX.sub(lambda m: _TYPOGRAPHY[m.group()], text)


def sentences(text: str) -> list[str]:
    """Sentences of normalised text: a line break always ends one, and so does `. ` before a capital."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.extend(s for s in _SENTENCE_END.split(line) if s.strip())
    return out


@functools.cache
def function_words() -> tuple[str, ...]:
    """The closed-class words the model keeps as themselves (file order, no repeats)."""
    return tuple(dict.fromkeys(load_list("mt_function_words")))


@functools.cache
def alphabet() -> dict[str, int]:
    """Every symbol a token can become, numbered from 1 (0 pads the n-gram codes)."""
    symbols = [*BOUNDARY, *SHAPES, *_KEEP_PUNCT, *function_words()]
    return {s: i + 1 for i, s in enumerate(dict.fromkeys(symbols))}


@functools.cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")


@functools.lru_cache(maxsize=1 << 16)
def _zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a lower-cased word (0 when English does not know it)."""
    f = _frequencies().get(word, 0.0)
    return math.log10(f) + 9 if f > 0 else 0.0


def _word_symbol(w: str, low: str, initial: bool, sym: dict[str, int]) -> str:
    """A word outside the function-word list reduced to its shape."""
    if "'" in w:
        return "X'"
    if len(w) > 1 and w.isupper():
        return "A"
    if w[0].isupper():
        return "S" if initial else "C"
    if "-" in w:
        return "w-w"
    for suffix in _SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return "-" + suffix
    if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        return "-s"
    return "w"


@functools.lru_cache(maxsize=1 << 16)
def _token(tok: str) -> tuple[tuple[int, ...], tuple[int, ...], str | None]:
    """(symbol ids at a sentence start, ids elsewhere, the lower-cased word or None) of one token."""
    sym = alphabet()
    c = tok[0]
    if c.isalpha():
        low = tok.lower()
        tail: tuple[int, ...] = ()
        if low.endswith("'s") and low not in sym:
            tok, low, tail = tok[:-2], low[:-2], (sym["'s"],)
        if low in sym:
            return (sym[low], *tail), (sym[low], *tail), low
        return (
            (sym[_word_symbol(tok, low, True, sym)], *tail),
            (sym[_word_symbol(tok, low, False, sym)], *tail),
            low,
        )
    if c.isdigit():
        return (sym["0"],), (sym["0"],), ""
    if tok == "...":
        return (sym["..."],), (sym["..."],), None
    c = _PUNCT.get(c, c)
    one = (sym[c] if c in _KEEP_PUNCT else sym["#"],)
    return one, one, None


def symbolise(sentence: str) -> tuple[list[int], list[str]]:
    """(symbol ids, lower-cased words) of one normalised sentence."""
    infos = [_token(tok) for tok in _TOKEN.findall(sentence)]
    ids = list(chain.from_iterable(info[1] for info in infos))
    at = 0
    for at_start, elsewhere, low in infos:  # the first word (or number) takes its sentence-start form
        if low is not None:
            if at_start != elsewhere:
                ids[at : at + len(elsewhere)] = at_start
            break
        at += len(elsewhere)
    return ids, [info[2] for info in infos if info[2]]


def _mattr(ws: list[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio: vocabulary variety that does not fall with text length.

    The mean over every window of `window` words of its distinct words / `window`: a word counts in
    the windows that contain it and no earlier occurrence of it.
    """
    n = len(ws)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(ws)) / n
    last: dict[str, int] = {}
    prev = np.empty(n, dtype=np.int64)
    for j, w in enumerate(ws):
        prev[j] = last.get(w, -1)
        last[w] = j
    j = np.arange(n)
    lo = np.maximum(prev + 1, j - window + 1)
    hi = np.minimum(j, n - window)
    total = np.clip(hi - lo + 1, 0, None).sum()
    return float(total) / (n - window + 1) / window


def _repetition(sets: list[set[str]]) -> float:
    """Share of a sentence's content words already used in one of the two sentences before it."""
    seen = hits = 0
    for i in range(1, len(sets)):
        prev = sets[i - 1] | (sets[i - 2] if i > 1 else set())
        hits += len(sets[i] & prev)
        seen += len(sets[i])
    return hits / seen if seen else 0.0


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


def _word_stats(words_all: list[str], content: list[str], sets: list[set[str]]) -> dict[str, float]:
    zipfs = [_zipf(w) for w in content] or [0.0]
    n_content = len(zipfs)
    return {
        "zipf_mean": sum(zipfs) / n_content,
        "zipf_rare": sum(z < 3 for z in zipfs) / n_content,
        "zipf_unknown": sum(z == 0 for z in zipfs) / n_content,
        "zipf_common": sum(z >= 5 for z in zipfs) / n_content,
        "repetition": _repetition(sets),
        "word_len": sum(map(len, words_all)) / max(1, len(words_all)),
        "mattr": _mattr(words_all),
        "mattr_content": _mattr(content, 30),
        "fw_share": 1 - len(content) / max(1, len(words_all)),
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
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the model reads from one document: n-gram codes with their counts, and statistics."""

    codes: np.ndarray  # sorted unique n-gram codes
    counts: np.ndarray  # how often each occurs
    n_tokens: int
    stats: dict[str, float]


def profile(text: str) -> Profile:
    """The style profile of a text (typography normalised, layout ignored)."""
    sym = alphabet()
    fw = frozenset(function_words())
    bos, eos = sym["<s>"], sym["</s>"]
    seq: list[int] = []
    lengths: list[int] = []
    words_all: list[str] = []
    content: list[str] = []
    sets: list[set[str]] = []
    n_tokens = 0
    for s in sentences(normalise(text[:MAX_CHARS])):
        ids, ws = symbolise(s)
        if not ids:
            continue
        n_tokens += len(ids)
        seq.append(bos)
        seq.extend(ids)
        seq.append(eos)
        lengths.append(len(ws))
        words_all.extend(ws)
        cw = [w for w in ws if w not in fw]
        content.extend(cw)
        sets.append({w for w in cw if len(w) > 3})
    arr = np.asarray(seq, dtype=np.int64)
    codes = ngram_codes(arr, len(sym)) if len(arr) >= 3 else np.zeros(0, dtype=np.int64)
    codes = codes[(codes != bos) & (codes != eos)]  # boundaries count only inside n-grams
    uniq, counts = np.unique(codes, return_counts=True)
    return Profile(uniq, counts, n_tokens, {**_sentence_stats(lengths), **_word_stats(words_all, content, sets)})


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


def read_model(lines: list[str]) -> Model:
    """Parse the model file: `intercept`, `threshold`, then `ngram`/`stat` rows of name, mean, sd, weight.

    Weights apply to standardised features, (x - mean) / sd; they are folded into raw-feature weights here.
    """
    meta: dict[str, float] = {}
    grams: list[tuple[int, float]] = []
    stats: list[tuple[str, float]] = []
    offset = 0.0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        kind, *cells = line.rstrip("\n").split("\t")
        if kind in ("intercept", "threshold"):
            meta[kind] = float(cells[0])
            continue
        name, mean, sd, w = cells[0], float(cells[1]), float(cells[2]), float(cells[3])
        offset -= w * mean / sd
        if kind == "ngram":
            grams.append((encode(name), w / sd))
        elif kind == "stat":
            stats.append((name, w / sd))
    grams.sort()
    return Model(
        np.array([c for c, _ in grams], dtype=np.int64),
        np.array([w for _, w in grams]),
        tuple(n for n, _ in stats),
        np.array([w for _, w in stats]),
        meta["intercept"] + offset,
        meta["threshold"],
    )


@functools.cache
def model() -> Model:
    """The shipped model (`audit/data/mt_model.tsv`), read once per process."""
    raw = resources.files("audit.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return read_model(raw.splitlines())


@functools.cache
def artifact_checks() -> tuple:
    """The per-document checks whose firing the model counts: those registered with `mt_signal=True`."""
    from audit.registry import all_checks

    return tuple(c for c in all_checks() if c.mt_signal and c.fn is not None)


def mt_probability(text: str, artifacts: int = 0) -> float:
    """P(machine-translated) for one text, from style alone (plus the artifact checks that fired)."""
    if not text.strip():
        return 0.0
    z = model().logit(profile(text), artifacts)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
