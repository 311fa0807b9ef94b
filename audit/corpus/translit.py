"""Folding and transliteration keys for comparing name spellings across scripts and conventions."""

from __future__ import annotations

import functools
import re
import unicodedata

# letters that Unicode decomposition does not reduce to ASCII
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ə": "a",
        "Ə": "A",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŋ": "ng",
    }
)
# how English spells letters that other Latin alphabets write with diacritics (Azerbaijani, Turkish, Slavic)
_ENGLISH = str.maketrans(
    {
        "ç": "ch",
        "Ç": "Ch",
        "ş": "sh",
        "Ş": "Sh",
        "č": "ch",
        "Č": "Ch",
        "š": "sh",
        "Š": "Sh",
        "ž": "zh",
        "Ž": "Zh",
        "ć": "ch",
        "Ć": "Ch",
        "ğ": "gh",
        "Ğ": "Gh",
        "ə": "a",
        "Ə": "A",
        "ı": "i",
        "ő": "o",
        "ű": "u",
        "ř": "rzh",
        "ś": "s",
        "ź": "z",
        "ż": "z",
    }
)


@functools.lru_cache(maxsize=200_000)
def fold(s: str) -> str:
    """Lower-case ASCII skeleton: diacritics removed (`Laçın` -> `lacin`, `Stéphane` -> `stephane`)."""
    s = s.translate(_SPECIAL)
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()


def english_transliteration(s: str) -> str:
    """The spelling English usually gives a name written with diacritics (`Laçın` -> `Lachin`)."""
    out = s.translate(_ENGLISH)
    out = out.translate(_SPECIAL)
    return "".join(ch for ch in unicodedata.normalize("NFKD", out) if not unicodedata.combining(ch))


_TN_RULES = [
    (re.compile(p), r)
    for p, r in (
        (r"['’ʼ`-]", ""),
        (r"(?<=[aou])e", ""),  # German ae, oe, ue for ä, ö, ü (Mueller, Müller)
        (r"kh", "h"),
        (r"zh", "j"),
        (r"ch", "c"),
        (r"sh", "s"),
        (r"ts", "c"),
        (r"tz", "c"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"dj", "j"),
        (r"dzh", "j"),
        (r"ie", "i"),
        (r"iy", "i"),
        (r"yi", "i"),
        (r"ij", "i"),
        (r"y", "i"),
        (r"j", "i"),
        (r"h", "g"),
        (r"w", "v"),
        (r"c", "k"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"(.)\1+", r"\1"),
    )
]


@functools.lru_cache(maxsize=200_000)
def tnorm(s: str) -> str:
    """A transliteration-neutral key: `Hryhorenko` and `Grigorenko`, `Ihor` and `Igor` meet.

    Folds diacritics, drops apostrophes and hyphens (Mar'inka, Marinka), and merges letters that
    romanisation systems disagree on (y/i/j, h/g, kh/h, zh/j, w/v).
    """
    t = fold(s)
    for rx, rep in _TN_RULES:
        t = rx.sub(rep, t)
    return t


_VOWELS = re.compile(r"[aeiou]+")


def block_key(s: str) -> str:
    """A coarse blocking key: the first letter class and the consonant skeleton of `tnorm`."""
    t = tnorm(s)
    if not t:
        return ""
    skeleton = t[0] + _VOWELS.sub("", t[1:])
    return skeleton.replace("s", "z")
