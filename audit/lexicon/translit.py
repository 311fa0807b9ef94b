"""Folding and transliteration keys for comparing name spellings across scripts and conventions."""

from __future__ import annotations

import re
import unicodedata

from audit.memory import memo

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
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
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


def fold(s: str) -> str:
    """Lower-case ASCII skeleton: diacritics removed (`Laçın` -> `lacin`, `Stéphane` -> `stephane`)."""
    if s.isascii():  # nothing to translate, decompose or drop, and ASCII case-folds as it lowers
        return s.lower()  # cheaper than a memo lookup: most names never take a memo entry
    return _fold(s)


@memo(65_536)
def _fold(s: str) -> str:
    """`fold` of a string with a letter outside ASCII: the special letters, NFKD, combining marks dropped."""
    s = s.translate(_SPECIAL)
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()


def english_transliteration(s: str) -> str:
    """The spelling English usually gives a name written with diacritics (`Laçın` -> `Lachin`)."""
    out = s.translate(_ENGLISH)
    out = out.translate(_SPECIAL)
    return "".join(ch for ch in unicodedata.normalize("NFKD", out) if not unicodedata.combining(ch))


# in order; a rule without special characters is a plain string, replaced by `str.replace` (what `re.sub`
# does with it, and many times cheaper: a name passes thirty rules)
_TN_RULES: list[tuple[re.Pattern[str] | str, str]] = [
    (p if re.escape(p) == p else re.compile(p), r)
    for p, r in (
        (r"['’ʼ`-]", ""),
        (r"(?<=[aou])e", ""),  # German ae, oe, ue for ä, ö, ü (Mueller, Müller)
        (r"^tch", "ch"),  # French romanisation of Russian ch (Tchaikovsky/Chaikovsky)
        (r"sch", "sh"),  # German and Yiddish sch (Schmidt/Shmidt, Schoigu/Shoigu)
        (r"cz", "ch"),  # Polish cz (Czarnecki/Charnetsky)
        (r"sz", "sh"),  # Polish sz, Hungarian sz (Szewczyk/Shevchyk, Szabo/Sabo: sh and s meet below)
        (r"(?<=[oe])ff$", "v"),  # older French and German romanisation of Russian -ov, -ev (Smirnoff)
        (r"n(?=[bmp])", "m"),  # Hepburn m before b, m, p (Shimbun/Shinbun, Namba/Nanba)
        (r"(?<=o)h$", ""),  # Japanese long o written oh (Itoh/Ito, Satoh/Sato)
        (r"kh", "h"),
        (r"zh", "j"),
        (r"ch", "c"),
        (r"sh", "s"),
        (r"ts", "c"),
        (r"tz", "c"),
        (r"(?<=[ln])z", "c"),  # German z after l or n is ts (Scholz/Scholtz, Schulz/Schultz, Franz/Frants)
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


@memo(65_536)
def tnorm(s: str) -> str:
    """A transliteration-neutral key: `Hryhorenko` and `Grigorenko`, `Ihor` and `Igor` meet.

    Folds diacritics, drops apostrophes and hyphens (Mar'inka, Marinka), and merges letters that
    romanisation systems disagree on (y/i/j, h/g, kh/h, zh/j, w/v).
    """
    t = fold(s)
    for rule, rep in _TN_RULES:
        t = t.replace(rule, rep) if type(rule) is str else rule.sub(rep, t)
    return t


_VOWELS = re.compile(r"[aeiou]+")


def block_key(s: str) -> str:
    """A coarse blocking key: the first letter class and the consonant skeleton of `tnorm`."""
    t = tnorm(s)
    if not t:
        return ""
    skeleton = t[0] + _VOWELS.sub("", t[1:])
    return skeleton.replace("s", "z").replace("b", "v").replace("l", "r")  # b/v, l/r: see `loose_key`


_YO = re.compile(r"(?<=[^aeiouy])[yj]o(?=[a-z])")  # Russian yo after a consonant, not at the end
_LONG_O = re.compile(r"og(?=[^aeiou])")  # Japanese oh (h is g in tnorm) before a consonant (Ohtani/Otani)
_FINAL_H = re.compile(r"(?<=[ae])g$")  # Hebrew and Arabic final h after a vowel (tnorm's g)


def loose_key(s: str) -> str:
    """`tnorm` with b and v merged and Russian yo read as e. Greek beta is v in modern romanisation
    (ELOT 743, Lesvos) and b in the classical one (Lesbos); Spanish writes one sound with both
    (Córdoba/Córdova). Russian ё is yo in BGN/PCGN and e in passports and most press (Pyotr/Petr,
    Gorbachyov/Gorbachev, Artyom/Artem; yo or jo after a consonant, not at the end: Fiona, Tokyo stay). Japanese long
    o is o or, in passport spelling, oh (Ohtani/Otani, Ohno/Ono; not ou, which English uses in names of
    its own: Boulton is not Bolton). Hebrew and
    Arabic final h after a vowel is written or not (Yehudah/Yehuda, Mosheh/Moshe). Japanese and Korean
    have one sound for English l and r, which translation back into English writes either way
    (Furgal/Fulgal, Arafif/Alafif). Looser than `tnorm`,
    so the name checks use it only inside one story."""
    t = tnorm(_YO.sub("e", fold(s))).replace("b", "v").replace("l", "r")
    return _FINAL_H.sub("", _LONG_O.sub("o", t))


# Slavic place names and the adjectives made from them, as translation leaves them in English. Ukrainian
# and Russian form adjectives of places with -sk- (Kupiansk, Kupianske, Kupyanskiy; -sky/-ska/-ske/-skyi
# Ukrainian, -skiy/-skaya/-skoye Russian, in BGN/PCGN, national and passport romanisations) and name
# places with -vka (-ivka/-ovka/-evka: Horlivka); adjectival place names in -n- end in -e/-a/-yi
# (Ukrainian) or -oye/-aya/-yy (Russian); Ukrainian final -iv is Russian -ov/-ev (Kharkiv/Kharkov).
# From the grammars of the two languages, not from any evaluation file.
_SK_ENDINGS = "skaya skaia skoye skoie skoe skogo skoho skyi skyy skiy skii skij skyj sky ski ska ske sk".split()
_N_ENDINGS = "oye oie oe aya aia yy yi iy ii ij yj e a y i o".split()  # after -n- or -v- (Opytne, Svatove)
_PLACE_END = re.compile(
    r"^(?P<stem>[a-z]{3,}?)(?:(?P<sk>" + "|".join(_SK_ENDINGS) + r")|(?<=v)(?P<vka>ka)"
    r"|(?<=[nv])(?P<adj>" + "|".join(_N_ENDINGS) + r"))$"
)
_IKAVISM = re.compile(r"(?:i|e|o|y)v$")


@memo(32_768)
def place_stem(s: str) -> tuple[str, str, str]:
    """(key of the stem, kind of ending, the ending) of a Slavic place name or its adjective: `Kakhovka`,
    `Kakhovsky` and `Kakhovskaya` share a stem with endings `vka`, `sk` and `sk`; `Opytne` and `Opitnoye`
    share one with endings `adj`. A word without such an ending is its own stem, kind ``. The key is
    transliteration-neutral, Ukrainian final -iv read as Russian -ov (Novopavlivka/Novopavlovsk)."""
    f = fold(s)
    m = _PLACE_END.match(f) if f.isalpha() else None
    kind = next((k for k in ("sk", "vka", "adj") if m.group(k)), "") if m else ""
    stem = m.group("stem") if m else f
    return _IKAVISM.sub("ov", tnorm(stem)), kind, m.group(kind) if m else ""
