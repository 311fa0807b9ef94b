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


def trie_pattern(phrases: list[str], lower: bool = True) -> str:
    """The phrases (lower-cased unless `lower=False`) as one regular expression that shares their common
    prefixes.

    `a b|a c` becomes `a\\s+(?:b|c)`: Python's engine tries an alternation branch by branch at every
    position, so factoring the prefixes makes a 100-phrase list about as cheap as a short one. Where
    one phrase extends another the longer is tried first (a greedy optional tail).
    """
    trie: dict = {}
    for p in phrases:
        node = trie
        for unit in re.findall(r"\s+|.", p.lower() if lower else p, re.DOTALL):
            node = node.setdefault(r"\s+" if unit.isspace() else re.escape(unit), {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        alts = [unit + emit(child) for unit, child in sorted(node.items()) if unit]
        if not alts:
            return ""
        if len(alts) == 1 and not ends:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if ends else "")

    return emit(trie)


@functools.cache
def phrase_regex(name: str, prefix: str = r"(?<!\w)", suffix: str = r"(?!\w)") -> re.Pattern[str]:
    """One case-insensitive pattern matching any of the list's phrases; spaces match any whitespace.

    By default a phrase must not touch a word character on either side (`\b` would refuse a phrase
    that ends in punctuation, such as `like this:`, before a space)."""
    return re.compile(prefix + "(?:" + trie_pattern(list(load_list(name))) + ")" + suffix, re.IGNORECASE)


@functools.cache
def pattern_list(name: str) -> re.Pattern[str]:
    """The regular expressions of `audit/data/<name>.txt` (one a line) as one case-insensitive pattern."""
    return re.compile("|".join(f"(?:{p})" for p in load_list(name)), re.IGNORECASE)
