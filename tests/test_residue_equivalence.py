"""Faster forms of residue checks against their first forms: the same answers on varied lines and pages.

RES003 searches each pattern of `prompt_patterns.txt` only on the lines that hold its own literals (not
their alternation on the lines that hold any), RES004's label test cuts `(Opens in new window)` only where
it can be, RES007 tries each byline pattern only on the lines the pre-filter allows."""

from __future__ import annotations

import random
import re

from audit.checks import residue
from audit.text import TextView

_NEW_WINDOW = re.compile(r"\s*\(?\s*opens in (?:a )?new (?:window|tab)\s*\)?\s*$", re.IGNORECASE)
_SHARE_ON = re.compile(
    r"^(?:click to |tap to )?(?:share|post|send|tweet|pin|follow us|email|e-mail)\s+(?:it\s+)?(?:on|via|to|by|with)\s+"
)

PIECES = [
    "Share",
    "Tweet",
    "Email",
    "Log In",
    "|",
    "•",
    "  ",
    "Click to share on Facebook (Opens in new window)",
    "Share on WhatsApp",
    "(opens in a new tab)",
    "OPENS IN NEW WINDOW",
    "(12)",
    "icon_share",
    "Sign up for our newsletter",
    "Subscribe now",
    "Download the Example app for iOS and Android",
    "Follow us on Twitter",
    "Jane Roe and John Doe, CNN",
    "By Jane Roe, Reuters",
    "Reporting by John Doe; Editing by Jane Roe",
    "Source: Example Agency",
    "EXAMPLE.COM",
    "Opinion Columnist",
    "Staff Writer",
    "Jane Roe @janeroe / 2 days",
    "https://example.com/story",
    "The council met on Monday and agreed to open the bridge.",
    "Salt and pepper",
    "Rock & Roll",
    "Ƨhare",
    "ſhare",
    "İn",
    "Want more? Sign up here.",
    "Already a subscriber?",
    "Deal alert: headphones",
    "Today's deals:",
    "Order reprints",
    "Donate now",
    "Follow our live coverage",
    "Become a member today",
    "Support our journalism today",
    "A post shared by Jane Roe (@janeroe)",
    "Please consider subscribing",
    "If you value our reporting, please subscribe",
    "By subscribing, you agree",
    "Stay up to date with",
    "I agree to the terms of use",
    "Log in | Register",
    "Weekly newsletter",
    "",
]


def _reference_is_label(part: str, ui: frozenset[str]) -> bool:
    part = _NEW_WINDOW.sub("", part).strip().rstrip(":")
    return part in ui or bool(_SHARE_ON.match(part)) and _SHARE_ON.sub("", part) in ui


def _reference_is_ui_label(text: str) -> bool:
    """residue.is_ui_label as first written (the window note cut from every part)."""
    if len(text) > 400:
        return False
    s = re.sub(r"\b[a-z]+_[a-z_]+\b", "", text) if "_" in text else text
    s = re.sub(r"\s*[(\[]\d{1,6}[)\]]", "", s) if "(" in s or "[" in s else s
    s = s.strip().strip("|•·-–—:[]().…!").strip()
    if not s or len(s) > 80:
        return False
    ui = frozenset(w.lower() for w in residue.load_list("ui_words"))
    parts = [p.strip().lower() for p in re.split(r"\s*[|•·/]\s*|\s{2,}", s) if p.strip()]
    return bool(parts) and all(_reference_is_label(p, ui) for p in parts)


def _lines(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choices(PIECES, k=rng.randrange(1, 4))) for _ in range(n)]


def test_ui_labels_match_the_first_form():
    rng = random.Random(3)
    lines = _lines(rng, 6000) + PIECES
    assert sum(map(residue.is_ui_label, lines)) > 200
    for line in lines:
        assert residue.is_ui_label(line) == _reference_is_ui_label(line), line


def test_prompt_pattern_parts_answer_as_their_alternation():
    """Searched one by one where the pre-filter allows, the patterns of prompt_patterns.txt find a prompt in
    exactly the lines where their alternation does (is_prompt without `parts`)."""
    rng = random.Random(5)
    every = (True, True, True, True)
    found = 0
    for n in range(300):
        view = TextView("\n".join(_lines(rng, rng.randrange(1, 12))), str(n))
        parts = [view.candidates(rx) for rx in residue.prompt_pattern_parts()]
        for line in view.body:
            first = residue.is_prompt(line.text, every)
            assert residue.is_prompt(line.text, every, parts=tuple(line.index in c for c in parts)) == first, line.text
            found += first
    assert found > 100


_DATE_HINT = re.compile(r"\d|hour|updated|published|posted|modified", re.IGNORECASE)
STAMPS = [
    "Updated",
    "UPDATED:",
    "publiſhed",
    "Publİshed",
    "PoSTED",
    "hOuRs ago",
    "modıfied",
    "2 min read",
    "September 20, 2023",
    "7:17 AM",
    "٣ days",
    "Jane Roe",
    "By",
    "|",
    "“quoted”",
    "the vote",
    "Kelvin K",
    "",
]


def test_stamps_match_the_first_date_hint(monkeypatch):
    """RES006 decides each line as with the first cheap look (`_DATE_HINT`, a case-insensitive regex), on
    ASCII and non-ASCII lines, with the characters that fold to ASCII letters (İ ı K ſ) and other digits."""
    rng = random.Random(9)
    texts = ["\n".join(" ".join(rng.choices(STAMPS, k=rng.randrange(1, 5))) for _ in range(8)) for _ in range(400)]
    got = [[(h.start, h.end) for h in residue.timestamp(TextView(t))] for t in texts]
    monkeypatch.setattr(residue, "_date_hint", lambda s: _DATE_HINT.search(s) is not None)
    assert got == [[(h.start, h.end) for h in residue.timestamp(TextView(t))] for t in texts]
    assert sum(map(len, got)) > 300
