"""The residue probe sets (bench/probe, bench/probe2 ... bench/probe5) are well formed, and their scorer matches findings to lines."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "probe"))

import build  # noqa: E402
import eval_probe  # noqa: E402

SHARED = ROOT.parent / "shared"
FAMILIES = {
    w
    for w in (ROOT / "bench" / "probe" / "families.txt").read_text(encoding="utf-8").splitlines()
    if w and not w.startswith("#")
}
STYLES = {"boilerpipe", "newspaper", "readability", "trafilatura", "html-text"}


def norm(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", s).casefold() if ch.isalnum())


@pytest.fixture(scope="module")
def pages():
    return eval_probe.load()


@pytest.fixture(scope="module")
def pages2():
    return eval_probe.load(eval_probe.SETS["probe2"])


@pytest.fixture(scope="module")
def pages3():
    return eval_probe.load(eval_probe.SETS["probe3"])


@pytest.fixture(scope="module")
def pages4():
    return eval_probe.load(eval_probe.SETS["probe4"])


@pytest.fixture(scope="module")
def pages5():
    return eval_probe.load(eval_probe.SETS["probe5"])


def test_probe_jsonl_is_built_from_the_pages():
    assert eval_probe.PROBE.read_text(encoding="utf-8") == build.build()


def test_probe2_jsonl_is_built_from_its_pages():
    assert eval_probe.SETS["probe2"].read_text(encoding="utf-8") == build.build(ROOT / "bench" / "probe2")


def test_probe3_jsonl_is_built_from_its_pages():
    assert eval_probe.SETS["probe3"].read_text(encoding="utf-8") == build.build(ROOT / "bench" / "probe3")


def test_probe4_jsonl_is_built_from_its_pages():
    assert eval_probe.SETS["probe4"].read_text(encoding="utf-8") == build.build(ROOT / "bench" / "probe4")


def test_probe5_jsonl_is_built_from_its_pages():
    assert eval_probe.SETS["probe5"].read_text(encoding="utf-8") == build.build(ROOT / "bench" / "probe5")


def test_every_probe5_page_is_well_formed(pages5):
    assert_well_formed(pages5)


def test_every_probe4_page_is_well_formed(pages4):
    assert_well_formed(pages4)


def test_every_page_is_well_formed(pages):
    assert_well_formed(pages)


def test_every_probe2_page_is_well_formed(pages2):
    assert_well_formed(pages2)


def test_every_probe3_page_is_well_formed(pages3):
    assert_well_formed(pages3)


def assert_well_formed(pages):
    ids = [p["id"] for p in pages]
    assert len(ids) == len(set(ids))
    for p in pages:
        assert p["kind"] in ("noisy", "clean"), p["id"]
        assert (p["extractor"] in STYLES) if p["kind"] == "noisy" else p["extractor"] == "clean", p["id"]
        labels = [line["l"] for line in p["lines"]]
        assert set(labels) <= eval_probe.LABELS, p["id"]
        assert "clean" in labels, p["id"]
        assert labels[0] != "blank" and labels[-1] != "blank", p["id"]
        for line in p["lines"]:
            assert "\n" not in line["t"], p["id"]
            assert bool(line["t"].strip()) == (line["l"] != "blank"), (p["id"], line)
            assert (line.get("f") in FAMILIES) if line["l"] == "residue" else "f" not in line, (p["id"], line)
        if p["kind"] == "clean":
            assert "residue" not in labels, p["id"]


def test_the_set_has_the_promised_shape(pages):
    noisy = [p for p in pages if p["kind"] == "noisy"]
    assert len(noisy) >= 60 and len(pages) - len(noisy) >= 40
    assert {p["extractor"] for p in noisy} == STYLES
    assert {"de", "fr", "es", "pl", "ru"} <= {p["lang"] for p in pages}
    shares = [sum(x["l"] == "residue" for x in p["lines"]) / len(p["lines"]) for p in noisy]
    assert min(shares) == 0 and max(shares) >= 0.6


def test_probe2_has_the_promised_shape(pages, pages2):
    noisy = [p for p in pages2 if p["kind"] == "noisy"]
    assert len(noisy) >= 65 and len(pages2) - len(noisy) >= 45
    per_style = {s: sum(p["extractor"] == s for p in noisy) for s in STYLES}
    assert per_style["html-text"] >= 10 and min(n for s, n in per_style.items() if s != "html-text") >= 12
    assert {"de", "fr", "es", "it", "pt", "pl", "nl"} <= {p["lang"] for p in pages2}
    assert sum(p["lang"] != "en" for p in pages2) >= 15
    shares = [sum(x["l"] == "residue" for x in p["lines"]) / len(p["lines"]) for p in noisy]
    assert min(shares) == 0 and max(shares) >= 0.6
    assert not {p["id"] for p in pages} & {p["id"] for p in pages2}


def test_probe3_has_the_promised_shape(pages, pages2, pages3):
    noisy = [p for p in pages3 if p["kind"] == "noisy"]
    assert len(noisy) >= 70 and len(pages3) - len(noisy) >= 45
    per_style = {s: sum(p["extractor"] == s for p in noisy) for s in STYLES}
    assert per_style["boilerpipe"] >= 18 and per_style["trafilatura"] >= 18
    assert per_style["readability"] >= 12 and per_style["newspaper"] >= 12 and per_style["html-text"] >= 10
    assert {"de", "fr", "es", "it", "pt", "pl", "nl", "sv", "cs"} <= {p["lang"] for p in pages3}
    assert sum(p["lang"] != "en" for p in pages3) >= 18
    shares = [sum(x["l"] == "residue" for x in p["lines"]) / len(p["lines"]) for p in noisy]
    assert min(shares) == 0 and max(shares) >= 0.6
    ids3 = {p["id"] for p in pages3}
    assert not ids3 & {p["id"] for p in pages} and not ids3 & {p["id"] for p in pages2}


def test_probe4_has_the_promised_shape(pages, pages2, pages4):
    """Mostly clean pages of unlike kinds, in English and at least five other languages."""
    clean = [p for p in pages4 if p["kind"] == "clean"]
    noisy = [p for p in pages4 if p["kind"] == "noisy"]
    assert len(clean) >= 60 and len(noisy) >= 15
    assert {p["extractor"] for p in noisy} == STYLES
    assert len({p["lang"] for p in pages4} - {"en"}) >= 5
    kinds = {p["genre"] for p in clean}
    assert {"timetable", "tvguide", "sport", "election", "markets", "release", "legal", "code"} <= kinds
    ids4 = {p["id"] for p in pages4}
    assert not ids4 & {p["id"] for p in pages} and not ids4 & {p["id"] for p in pages2}


def test_probe5_has_the_promised_shape(pages, pages2, pages3, pages4, pages5):
    """75 noisy pages in the third set's mix of styles, 50 clean ones of unlike kinds, a third not English."""
    noisy = [p for p in pages5 if p["kind"] == "noisy"]
    clean = [p for p in pages5 if p["kind"] == "clean"]
    assert len(noisy) >= 70 and len(clean) >= 45
    per_style = {s: sum(p["extractor"] == s for p in noisy) for s in STYLES}
    assert per_style["boilerpipe"] >= 18 and per_style["trafilatura"] >= 18
    assert per_style["readability"] >= 12 and per_style["newspaper"] >= 12 and per_style["html-text"] >= 10
    assert {"de", "fr", "es", "it", "pt", "pl", "nl", "sv", "cs"} <= {p["lang"] for p in pages5}
    assert sum(p["lang"] != "en" for p in pages5) >= len(pages5) // 4
    assert {"code", "sql", "logs", "table", "timetable", "results", "release", "legal", "transcript"} <= {
        p["genre"] for p in clean
    }
    shares = [sum(x["l"] == "residue" for x in p["lines"]) / len(p["lines"]) for p in noisy]
    assert min(shares) == 0 and max(shares) >= 0.6
    ids5 = {p["id"] for p in pages5}
    assert not ids5 & {p["id"] for p in [*pages, *pages2, *pages3, *pages4]}


def test_the_set_option_picks_the_second_and_third_sets():
    assert eval_probe.SETS["probe"] == eval_probe.PROBE
    assert eval_probe.SETS["probe2"].parent.name == "probe2"
    assert eval_probe.SETS["probe3"].parent.name == "probe3"
    assert eval_probe.SETS["probe4"].parent.name == "probe4"
    assert eval_probe.SETS["probe5"].parent.name == "probe5"


def test_parse_line_reads_each_label():
    assert build.parse_line("C|Text here.", "t") == {"t": "Text here.", "l": "clean"}
    assert build.parse_line("R:byline|By A. Writer", "t") == {"t": "By A. Writer", "l": "residue", "f": "byline"}
    assert build.parse_line("A|###", "t") == {"t": "###", "l": "ambiguous"}
    assert build.parse_line("", "t") == {"t": "", "l": "blank"}
    with pytest.raises(ValueError):
        build.parse_line("X|what", "t")
    with pytest.raises(ValueError):
        build.parse_line("C|", "t")


def test_judge_counts_a_line_flagged_when_half_of_it_is_covered():
    page = {
        "lines": [
            {"t": "Share this", "l": "residue", "f": "share"},  # 0..10
            {"t": "", "l": "blank"},  # 11..11
            {"t": "A clean sentence.", "l": "clean"},  # 12..29
            {"t": "maybe", "l": "ambiguous"},  # 30..35
            {"t": "Read more here", "l": "residue", "f": "read-more"},  # 36..50
        ]
    }
    assert eval_probe.page_text(page)[12:29] == "A clean sentence."
    findings = [
        {"start": 0, "end": 5, "code": "X1"},  # half of "Share this": flagged
        {"start": 12, "end": 20, "code": "X2"},  # 8 of 17 characters: not flagged
        {"start": 30, "end": 35, "code": "X3"},  # the ambiguous line: not counted at all
        {"start": 36, "end": 40, "code": "X4"},  # 4 of 14: not flagged
        {"start": 44, "end": 47, "code": "X5"},  # with X4, 7 of 14: flagged
    ]
    got = [(line["t"], flagged, codes) for line, flagged, codes in eval_probe.judge(page, findings)]
    assert got == [
        ("Share this", True, ["X1"]),
        ("A clean sentence.", False, ["X2"]),
        ("Read more here", True, ["X4", "X5"]),
    ]


def test_clean_body_keeps_only_clean_lines():
    page = {
        "lines": [
            {"t": "By A. Writer", "l": "residue", "f": "byline"},
            {"t": "First.", "l": "clean"},
            {"t": "", "l": "blank"},
            {"t": "###", "l": "ambiguous"},
            {"t": "Second.", "l": "clean"},
        ]
    }
    assert eval_probe.clean_body(page) == "First.\n\nSecond.\n"


@pytest.fixture(scope="module")
def development_haystack():
    """The development pages and the seeds, reduced as `norm` reduces a line, in one string."""
    texts = []
    for name in ("extraction-dev.jsonl", "trafilatura-dev.jsonl"):
        for raw in (SHARED / "eval" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(raw)
            texts += [str(v) for v in row.values()]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in (SHARED / "seeds").glob("*")]
    return "\n".join(norm(t) for t in texts)


def copied_lines(pages, haystack):
    return [x["t"] for p in pages for x in p["lines"] if len(norm(x["t"])) >= 30 and norm(x["t"]) in haystack]


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="the shared development data is not here")
def test_no_probe_line_is_copied_from_the_development_data(pages, development_haystack):
    assert copied_lines(pages, development_haystack) == []


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="the shared development data is not here")
def test_no_probe2_line_is_copied_from_the_development_data(pages2, development_haystack):
    assert copied_lines(pages2, development_haystack) == []


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="the shared development data is not here")
def test_no_probe3_line_is_copied_from_the_development_data(pages3, development_haystack):
    assert copied_lines(pages3, development_haystack) == []


def test_no_probe3_line_is_copied_from_the_other_probe_sets(pages, pages2, pages3):
    """The third set is written apart from the first two: no line of 30+ letters and digits is in either."""
    haystack = "\n".join(norm(x["t"]) for p in [*pages, *pages2] for x in p["lines"])
    assert copied_lines(pages3, haystack) == []


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="the shared development data is not here")
def test_no_probe4_line_is_copied_from_the_development_data(pages4, development_haystack):
    assert copied_lines(pages4, development_haystack) == []


def test_no_probe4_line_is_copied_from_the_other_probe_sets(pages, pages2, pages3, pages4):
    """The fourth set is written apart from the first three: no line of 30+ letters and digits is in any."""
    haystack = "\n".join(norm(x["t"]) for p in [*pages, *pages2, *pages3] for x in p["lines"])
    assert copied_lines(pages4, haystack) == []


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="the shared development data is not here")
def test_no_probe5_line_is_copied_from_the_development_data(pages5, development_haystack):
    assert copied_lines(pages5, development_haystack) == []


def test_no_probe5_line_is_copied_from_the_other_probe_sets(pages, pages2, pages3, pages4, pages5):
    """The fifth set is written apart from the first four: no line of 30+ letters and digits is in any."""
    haystack = "\n".join(norm(x["t"]) for p in [*pages, *pages2, *pages3, *pages4] for x in p["lines"])
    assert copied_lines(pages5, haystack) == []


def test_copied_lines_finds_a_long_line_and_ignores_a_short_one():
    page = {
        "lines": [
            {"t": "A line of well over thirty letters, copied word for word.", "l": "clean"},
            {"t": "Short one", "l": "clean"},
        ]
    }
    haystack = norm("xx A line of well over thirty letters, copied word for word! yy Short one")
    assert copied_lines([page], haystack) == ["A line of well over thirty letters, copied word for word."]
