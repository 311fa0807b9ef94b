"""The lexicon: what the checks and the corpus pass know about English words and names, in one place.

- `english_zipf(word)`: wordfreq's Zipf frequency of a word in English (how common a word it is);
- `english_table()`: wordfreq's English frequency table, loaded once;
- `function_words()`, `function_word_set()`: English closed-class words;
- `audit.lexicon.translit`: name folding (`fold`, `tnorm`) and transliteration-neutral keys.

Both the per-document checks (audit/checks) and the corpus pass (audit/corpus) read these, so data flows
one way: neither layer imports the other for a word list.
"""

from __future__ import annotations

import functools
import math

from audit.data import load_list
from audit.memory import memo


@memo(131_072)
def english_zipf(word: str) -> float:
    """wordfreq's Zipf frequency of `word` in English (0 when unknown).

    A word of lower-case ASCII letters alone is looked up in wordfreq's table directly, with
    `zipf_frequency`'s own arithmetic: wordfreq's tokenizer (most of its time) leaves such a word
    whole. tests/test_word_frequency.py compares the two on the words of the table."""
    if word.isascii() and word.isalpha() and word.islower():
        return _plain_zipf(word)
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@functools.cache
def english_table() -> tuple[dict[str, float], float]:
    """wordfreq's English frequencies, and the Zipf frequency of a word it lacks."""
    from wordfreq import freq_to_zipf, get_frequency_dict, zipf_to_freq

    return get_frequency_dict("en", "best"), round(freq_to_zipf(zipf_to_freq(0.0)), 2)


def _plain_zipf(word: str) -> float:
    """`zipf_frequency(word, "en")` of a word that wordfreq's tokenizer keeps as one token: its table's
    frequency (combined as one token, at least the minimum, rounded to 3 significant digits), on the
    Zipf scale rounded to hundredths."""
    table, missing = english_table()
    freq = table.get(word)
    if freq is None:
        return missing
    freq = max(1.0 / (0.0 + 1.0 / freq), _MIN_FREQ)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


_MIN_FREQ = 1e-9  # wordfreq's zipf_to_freq(0.0): zipf_frequency's default minimum


@functools.cache
def function_words() -> tuple[str, ...]:
    """English closed-class words (articles, pronouns, prepositions, auxiliaries...), file order, no repeats
    (`audit/data/mt_function_words.txt`): the MT model keeps them as themselves, the MT checks skip them."""
    return tuple(dict.fromkeys(load_list("mt_function_words")))


@functools.cache
def function_word_set() -> frozenset[str]:
    """`function_words()` as a set, for membership tests."""
    return frozenset(function_words())
