"""The MT checks' patterns put each leading look-behind after the first character it guards, so the regex
engine can skip ahead to a possible first character (audit/checks/mt.py). Each must find exactly what its
plain form (the look-behind first, as the rule reads) finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.checks import mt
from audit.data import load_list

SHARED = Path(__file__).resolve().parents[2] / "shared"

TRICKY = [
    "French the Ministry of Foreign Affairs said. xFrench the Ministry; French the  Army",
    "Ivanov Dmitry (violin), aIvanov Dmitry, -Petrenko Olga and 'Sidorova Anna",
    "the SShCh and ZhKKh, XZhKKh, -TsRU, RTsKh-based, ОTsK",
    "Mr President Zelensky, xMinister, Minister-President, é Ministre",
    "Bonjour : oui ; non ! quoi ? 1 : 2, é ? fin ?\nnext :\n",
    "",
    "A",
    "\nFrench the X",
    "Ukrainian the Verkhovna Rada of Ukraine and the Cabinet",
    "Prime minister of the country Nikol Pashinyan\nPresident of the\nstate Aliyev; xhead of the state Ilham\r\n",
    "Leader of the Republic Ivanov Dmitry\nhead of the state\tVladimir Putin Ilya",
]


def _plain_nationality() -> re.Pattern[str]:
    adj = "|".join(sorted(load_list("nationalities"), key=len, reverse=True))
    return re.compile(
        r"\b(" + adj + r")[ \t]+the[ \t]+((?:[A-Z][\w'’-]*)(?:[ \t]+(?:of|for|and|the|[A-Z][\w'’-]*)){0,6})"
    )


def _pairs() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    sf = mt._surname_first()
    return [
        ("nationality", mt._nationality_the(), _plain_nationality()),
        (
            "space",
            mt._SPACE_PUNCT,
            re.compile(
                mt._SPACE_PUNCT.pattern.replace(r"[ \u00a0\u202f](?<=[^\W\d_].)", r"(?<=[^\W\d_])[ \u00a0\u202f]", 1)
            ),
        ),
        ("surname", sf, re.compile(sf.pattern.replace(r"([A-Z](?<![\w'’-].)", r"(?<![\w'’-])([A-Z]", 1))),
        (
            "translit",
            mt._TRANSLIT_ABBREVIATION,
            re.compile(
                mt._TRANSLIT_ABBREVIATION.pattern.replace(r"[A-Z](?<![\w'’-].)[A-Z]{0,3}", r"(?<![\w'’-])[A-Z]{1,4}", 1)
            ),
        ),
        (
            "title",
            mt._TITLE_WORD,
            re.compile(mt._TITLE_WORD.pattern.replace(r"[A-Z](?<![\w'’-].)", r"(?<![\w'’-])[A-Z]", 1)),
        ),
    ]


def _texts() -> list[str]:
    texts = list(TRICKY)
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.glob("fixtures/*")) if p.is_file()]
    return texts


@pytest.mark.parametrize("name", ["nationality", "space", "surname", "translit", "title"])
def test_skip_ahead_pattern_equals_its_plain_form(name: str) -> None:
    fast, plain = next((f, p) for n, f, p in _pairs() if n == name)
    assert fast.pattern != plain.pattern  # the rewrite is in place (else the reference was built wrong)
    found = 0
    for text in _texts():
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text)]
        found += len(got)
    assert found > 0  # the texts exercise the pattern


@pytest.mark.parametrize("name", ["calque", "surname"])
def test_line_patterns_find_what_the_whole_text_search_finds(name: str) -> None:
    """MT003 and MT011 search only the lines the pre-filter allows (`TextView.finditer`): their patterns are
    compiled MULTILINE (they hold no `^` or `$` for it to change) so that `audit.scan.line_bound` holds. They
    find exactly what the plain pattern finds in the whole text."""
    from audit.scan import line_bound
    from audit.text import TextView

    fast = {"calque": mt._CALQUE, "surname": mt._surname_first()}[name]
    plain = re.compile(fast.pattern)
    assert fast.flags & re.MULTILINE and not plain.flags & re.MULTILINE and line_bound(fast)
    found = 0
    for text in _texts():
        got = [(m.span(), m.groups()) for m in TextView(text).finditer(fast)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text)]
        found += len(got)
    assert found > 0
