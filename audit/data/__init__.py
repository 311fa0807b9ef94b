"""Curated lists the checks use, one plain file each, so that users can read and extend them.

Format: one entry a line; `#` starts a comment; blank lines are ignored. Tables use tabs.
"""

from __future__ import annotations

import functools
import re
from importlib import resources


@functools.cache
def load_list(name: str) -> tuple[str, ...]:
    """The entries of `audit/data/<name>.txt`, in file order."""
    raw = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@functools.cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of the tab-separated `audit/data/<name>.tsv`."""
    raw = resources.files(__package__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    rows = []
    for line in raw.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@functools.cache
def phrase_regex(name: str, prefix: str = r"\b", suffix: str = r"\b") -> re.Pattern[str]:
    """One case-insensitive alternation of the list's phrases (longest first); spaces match any whitespace."""
    phrases = sorted(load_list(name), key=len, reverse=True)
    alts = [re.escape(p).replace(r"\ ", r"\s+") for p in phrases]
    return re.compile(prefix + "(?:" + "|".join(alts) + ")" + suffix, re.IGNORECASE)
