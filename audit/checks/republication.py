"""Provenance signals: where a text says it came from. Information, not defects (they cost no score)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from audit.records import Hit
from audit.registry import check
from audit.text import TextView

_AGENCIES = r"(?:Reuters|AFP|AP|Associated Press|Agence France-Presse|dpa|DPA|ANSA|EFE|Xinhua|TASS|Interfax|Bloomberg|UNI|PTI|IANS|Anadolu|Yonhap|Kyodo|Ukrinform|Sputnik|RIA Novosti)"
_MARKS = (
    r"\((?:" + _AGENCIES + r")(?:/[A-Za-z ]{2,30})?\)[ \t]*[-–—]"  # "(Reuters) -", "LONDON (AP) —"
    r"|\bwith (?:additional )?reporting (?:by|from) (?:" + _AGENCIES + r")[^\n]{0,120}"
    r"|^[ \t]*(?:source|sources|via)[ \t]*:[ \t]*\S[^\n]{0,80}$"
    r"|\b(?:this|a version of this|an earlier version of this)[ \t]+(?:article|story|piece|post|column|essay)[ \t]+"
    r"(?:was[ \t]+|is[ \t]+|has[ \t]+been[ \t]+)?(?:originally[ \t]+|first[ \t]+)?"
    r"(?:published|appeared|republished|reproduced|syndicated)[ \t]+(?:on|in|by|at|with|from|under)\b[^\n]{0,120}"
    r"|^[ \t]*the[ \t]+(?:article|story|piece|post|column|essay)[ \t]+(?:was[ \t]+|has[ \t]+been[ \t]+)?"
    r"(?:originally|first)[ \t]+(?:published|appeared)[ \t]+(?:on|in|by|at)\b[^\n]{1,120}"
    r"|^[ \t]*(?:originally|first)[ \t]+(?:published|appeared)[ \t]+(?:on|in|by|at)\b[^\n]{1,80}"
    r"|^[ \t]*(?:[-–—][ \t]*)?" + _AGENCIES + r"[ \t]*$"
)
# The marks, tried only where one can begin: at `(`, `w`, `t` or `a` (the first letters of the branches that
# are not anchored) or at a line's start. The same matches (a place where no branch can begin has none), in
# about 60% of the time: case-insensitive, each branch would otherwise be entered at every character. A branch
# added must begin with one of these letters or at a line's start, or widen the look-ahead.
_REPUBLISHED = re.compile(r"(?=[(wta]|^)(?:" + _MARKS + ")", re.MULTILINE | re.IGNORECASE)


@check("PRV001", "provenance", "info", label="republished from an agency or another site", role="republished")
def republication_marker(view: TextView) -> Iterator[Hit]:
    """Marks of republication: agency datelines `(Reuters) -`, `With reporting by AFP`, `Source: X`, `Originally published on`.

    Information for judging a source (original reporting or republished wire copy); it costs no score.
    `First published in` counts only where the text speaks of itself (`This story was first published
    in ...`, a line opening `The article originally appeared in ...`) or a line opens with it; `the virus first appeared in` is a sentence of the story.
    """
    for m in view.finditer(_REPUBLISHED):
        s, e = m.span()
        seg = view.text[s:e]
        s += len(seg) - len(seg.lstrip())
        e -= len(seg) - len(seg.rstrip())
        if e > s:
            yield Hit(s, e, "republication marker: " + view.text[s:e][:60], None)
