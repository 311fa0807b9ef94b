"""The residue probe set (bench/probe) is well formed, and its scorer matches findings to lines correctly."""

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


def test_probe_jsonl_is_built_from_the_pages():
    assert eval_probe.PROBE.read_text(encoding="utf-8") == build.build()


def test_every_page_is_well_formed(pages):
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


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="the shared development data is not here")
def test_no_probe_line_is_copied_from_the_development_data(pages):
    texts = []
    for name in ("extraction-dev.jsonl", "trafilatura-dev.jsonl"):
        for raw in (SHARED / "eval" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(raw)
            texts += [str(v) for v in row.values()]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in (SHARED / "seeds").glob("*")]
    haystack = "\n".join(norm(t) for t in texts)
    copied = [x["t"] for p in pages for x in p["lines"] if len(norm(x["t"])) >= 30 and norm(x["t"]) in haystack]
    assert copied == []
