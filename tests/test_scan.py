"""The one-scan pre-filter (audit.scan): every engine gives the findings of running each pattern on
every line, on a varied corpus (the fixtures, the residue and structured-article data, the seeds and the
development pages where ../shared is present, and texts made to trip case folding and line ends)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
import yaml

from audit import scan
from audit.catalog import all_checks
from audit.text import TextView

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ENGINES = ["off", "python"] + (["hyperscan"] if scan.hyperscan_available() else [])

TRICKY = [
    "",
    "\n\n",
    "PHOTO: JANE ROE/REUTERS\nSUBSCRIBE TO OUR NEWSLETTER\nALL RIGHTS RESERVED",
    # characters that `re.IGNORECASE` folds to ASCII letters: İ ı (i), K (Kelvin, k), ſ (long s)
    "The vote was held.\nſubscribe to our newsletter\nPhoto: ſtaff\nMaKe sure to follow us on TwItter",
    "İnstagram\nFollow us on İnstagram\nıt was a long day in the capital, officials said on Monday.",
    "Windows line ends.\r\nRead more: the full story\r\nPhoto: Jane Roe/AP\r\n(Reuters) - The talks went on.\r\n",
    "Publicité\nPUBLICITÉ\nAnzeige\nреклама\n© Sputnik/Hayk Harutyunyan\nⒸ 2020 Example Media Ltd",
    # one literal left to `re` each, in the other case: the first look for its characters must find it
    "The council met on Monday.\nⒸ 2020 Example Media Ltd",
    "The council met on Monday.\nРЕКЛАМА\nThe vote is next week.",
    "PUBBLICITÀ\nThe vote is next week, the council said.",
    "date 2023-09-19T10:00\nPublished\n2023-09-19\nThis story was first published in\nthe Example Times.",
    "Sign\tup for our newsletter\nsign up\nsubscribe\u00a0now\nGet the app for iOS and Android",
    "word " * 300 + "\n" + "(AP Photo/Jane Roe, File)",
]


def _fixture_texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in (spec.get("fire") or []) + (spec.get("pass") or []):
            if isinstance(case, dict) and isinstance(case.get("text"), str):
                out.append(case["text"])
    return out


def _data_texts() -> list[str]:
    lines = yaml.safe_load((ROOT / "tests" / "data" / "residue_lines.yaml").read_text(encoding="utf-8"))
    out = ["\n".join(lines["residue"]), "\n".join(lines["prose"])]
    out += [f"The council met on Monday.\n{s}\nThe vote is next week." for s in lines["residue"] + lines["prose"]]
    articles = yaml.safe_load((ROOT / "tests" / "data" / "structured_articles.yaml").read_text(encoding="utf-8"))
    out += [a["text"] for a in articles["articles"] if isinstance(a.get("text"), str)]
    return out


def _shared_texts(limit: int = 250) -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").rglob("*.txt"))]
    for name in ("extraction-dev.jsonl", "trafilatura-dev.jsonl"):
        path = SHARED / "eval" / name
        if path.exists():
            with path.open(encoding="utf-8") as f:
                out += [json.loads(line)["text"] for line in f][: limit // 2]
    return out


CORPUS = TRICKY + _fixture_texts() + _data_texts() + _shared_texts()


def _findings(texts: list[str]) -> list[tuple]:
    out = []
    for k, text in enumerate(texts):
        view = TextView(text)
        for c in all_checks():
            if c.fn is not None:
                out += [(k, c.code, h.start, h.end, h.message, h.suggestion) for h in c.fn(view)]
    return out


@pytest.fixture
def engine_reset():
    before = scan.engine()
    yield
    scan.engine(before)


@pytest.mark.slow
def test_every_engine_gives_the_same_findings(engine_reset):
    assert len(CORPUS) > 300
    results = {}
    for name in ENGINES:
        scan.engine(name)
        results[name] = _findings(CORPUS)
    for name in ENGINES[1:]:
        assert results[name] == results["off"], name
    assert results["off"]  # the corpus has residue to find


@functools.cache
def _plain_matches(k: int, rx: re.Pattern[str]) -> tuple[list[int], list[tuple[int, int]]]:
    """Where `rx` matches CORPUS[k] by plain `re`, without the pre-filter: the lines (their `Line.index`) that
    it matches on their own, and its spans in the whole text. The same for every engine: made once."""
    text = CORPUS[k]
    return [ln.index for ln in TextView(text).lines if rx.search(ln.text)], [m.span() for m in rx.finditer(text)]


@pytest.mark.slow
@pytest.mark.parametrize("name", ENGINES[1:])
def test_no_line_a_pattern_matches_is_left_out(name, engine_reset):
    """The pre-filter's promise itself, for every pattern the checks asked about: each line where the
    pattern matches is among the candidates, and `TextView.finditer` finds what a search of the whole
    text finds."""
    scan.engine(name)
    _findings(CORPUS[:50])  # every check asks about its patterns
    patterns = list(scan.PREFILTER.patterns)
    assert len(patterns) >= 10
    for k, text in enumerate(CORPUS):
        view = TextView(text)
        for rx in patterns:
            lines = view.candidates(rx)
            matched, spans = _plain_matches(k, rx)
            for i in matched:
                assert i in lines, (rx.pattern[:60], view.lines[i].text)
            assert [m.span() for m in view.finditer(rx)] == spans


def test_required_literals():
    lits = scan.required_literals
    assert lits(re.compile(r"\bsubscribe\s+now\b", re.I)) == ("subscribe",)
    assert lits(re.compile(r"(?:AFP|AP|Reuters)/[A-Z]")) == ("AP/", "AFP/", "Reuters/")
    assert lits(re.compile(r"a(?:ps|p)\b")) == ("ap",)  # `aps` contains `ap`: one is enough
    assert lits(re.compile(r"\d+\s*comments?|\w+ replies")) == ("comment", "replies")
    assert lits(re.compile(r"\w+|x")) is None  # a branch without a literal
    assert lits(re.compile(r"(?:photo)?\s*:")) == (":",)
    assert lits(re.compile(r"")) is None


def test_line_bound():
    assert scan.line_bound(re.compile(r"^\s*advert[^\n]{0,9}$", re.M)) is False  # \s can match a line break
    assert scan.line_bound(re.compile(r"^[ \t]*advert[^\n]{0,9}$", re.M)) is True
    assert scan.line_bound(re.compile(r"^[ \t]*advert$")) is False  # `$` is the end of the text
    assert scan.line_bound(re.compile(r"x(?=\s)", re.M)) is False  # looks at the next line


def test_ascii_folds_are_complete():
    """The characters `re.IGNORECASE` matches to an ASCII letter besides the letter's two cases are the
    ones the scan sends to `re` (over the Basic Multilingual Plane and beyond)."""
    every = "".join(map(chr, range(128, 0x110000)))
    found = set()
    for c in "abcdefghijklmnopqrstuvwxyz":
        rx = re.compile(c, re.IGNORECASE)  # one character wide: its matches in `every` are the characters it matches
        found |= {m.group() for m in rx.finditer(every)}
    assert all(scan._ASCII_FOLDS.fullmatch(c) for c in found)


@pytest.mark.parametrize("name", ENGINES)
def test_a_lone_surrogate_is_scanned(name, engine_reset):
    scan.engine(name)
    rx = re.compile(r"\bsubscribe\s+now\b", re.IGNORECASE)
    view = TextView("A lone surrogate \ud800 in the text.\nPhoto: Jane Roe/AP\nSubscribe now")
    assert 2 in view.candidates(rx)
    assert [m.group() for m in view.finditer(rx)] == ["Subscribe now"]


@pytest.mark.parametrize("name", ENGINES[1:])
def test_threads_share_the_prefilter(name, engine_reset):
    """Documents checked in threads (a Dask worker's) get the answers of a serial run."""
    from concurrent.futures import ThreadPoolExecutor

    scan.engine(name)
    texts = CORPUS[:120]
    serial = _findings(texts)
    fresh = [re.compile(rf"\bthread{k}\w*\s+test\b", re.IGNORECASE) for k in range(8)]  # new patterns mid-run
    texts_k = [f"{t}\nthread{k % 8}s test" for k, t in enumerate(texts)]

    def one(k: int) -> tuple:
        view = TextView(texts_k[k])
        return tuple(sorted(view.candidates(fresh[k % 8]))), tuple(_findings([texts[k]]))

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, range(len(texts))))
    for k, (lines, _) in enumerate(results):
        assert len(TextView(texts_k[k]).lines) - 1 in lines
    assert [f for k, (_, fs) in enumerate(results) for f in ((k, *x[1:]) for x in fs)] == serial


@pytest.mark.parametrize("name", ENGINES[1:])
def test_a_pattern_first_asked_after_the_pass_is_searched_on_its_own(name, engine_reset):
    """A pattern the document's one pass did not know (asked about later, as each check's first question on
    the first document) gets the lines that hold its literals, without a new pass; the next document's pass
    knows it."""
    scan.engine(name)
    text = "Intro line\nSubscribe to our NEWSLETTER today\nPhoto: Jane Roe\nnothing here"
    view = TextView(text)
    assert view.candidates(re.compile(r"photo:", re.IGNORECASE)) == {2}  # the pass
    late = re.compile(r"news" + name + r"letter|newsletter|jane\s+roe", re.IGNORECASE)  # never asked before
    assert view.candidates(late) == {1, 2}
    assert TextView(text).candidates(late) == {1, 2}  # in the next document's pass


def _re_literal_texts() -> list[str]:
    """Each literal left to `re`, whole, cut, in upper, title and lower case, beside the ASCII parts of the
    others and stray accented letters: texts where a literal's ASCII runs are present but not the literal."""
    out = []
    for n in range(len(scan.PREFILTER.literals)):
        for s, runs in scan.PREFILTER.ascii_runs(n):
            parts = [s, s.upper(), s.title(), s[:-1], s[1:], " ".join(runs), "".join(runs), "é ó í à σς ΣΣ " + s[::-1]]
            out.append("\n".join(parts))
            out.append("The council met.\n" + " ".join(p.upper() for p in parts) + "\nThe vote is next week.")
    return out


@pytest.mark.parametrize("name", ENGINES[1:])
def test_literals_left_to_re_are_searched_only_where_their_ascii_runs_are(name, engine_reset):
    """`DocScan` searches `re` only for the literals whose ASCII runs the lower-cased text holds: the lines
    it finds are those that the search for all of the pattern's literals left to `re` finds."""
    scan.engine(name)
    _findings(CORPUS[:50])
    ns = [n for n in range(len(scan.PREFILTER.literals)) if scan.PREFILTER.re_literals(n)]
    assert ns  # some patterns have literals with case outside ASCII
    compared = 0
    for text in CORPUS + _re_literal_texts():
        doc = scan.DocScan(text, [ln.start for ln in TextView(text).lines])
        if doc.lowered() is None:
            continue
        for n in ns:
            every, some = set(), set()
            doc._re_scan(every, scan.PREFILTER.alternation(n, hs_too=False))
            doc._re_scan(some, scan.PREFILTER.alternation_of(doc._could_hold(n)))
            assert some == every, (n, text[:80])
            compared += bool(every)
    assert compared > 20
