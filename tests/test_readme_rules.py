"""The README's rules table under "## What it finds" lists exactly what `audit rules` prints.

Regenerate the table from the registry with

    .venv/bin/python tests/test_readme_rules.py

and paste it over the old one. The test reads `audit rules --format json` from a subprocess, so it
compares with what a user sees, and it fails while a check is added, dropped or re-described without
the README following.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SECTION = "## What it finds"
HEADER = "| code | category | severity | scope | what it flags |"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def registered_rules() -> list[dict[str, str]]:
    """What `audit rules --format json` prints: one dict a check, ordered by code."""
    out = subprocess.run(
        [sys.executable, "-m", "audit", "rules", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def _scope(rule: dict[str, str]) -> str:
    return "corpus" if rule["scope"] == "corpus" else "doc"


def render_table(rules: list[dict[str, str]]) -> str:
    """The README table for these rules (a `|` inside a summary is escaped)."""
    lines = [HEADER, "| --- | --- | --- | --- | --- |"]
    for r in rules:
        summary = r["description"].replace("|", "\\|")
        lines.append(f"| `{r['code']}` | {r['category']} | {r['severity']} | {_scope(r)} | {summary} |")
    return "\n".join(lines)


def readme_table(text: str) -> list[dict[str, str]]:
    """The rows of the first table after the "## What it finds" heading, as dicts."""
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end >= 0 else len(text)]
    rows, in_table = [], False
    for line in section.splitlines():
        if line.strip() == HEADER:
            in_table = True
            continue
        if not in_table:
            continue
        if not line.startswith("|"):
            break
        cells = [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(line.strip()[1:-1])]
        if set(cells[0]) <= set("-: "):
            continue
        code, category, severity, scope, summary = cells
        rows.append(
            {"code": code.strip("`"), "category": category, "severity": severity, "scope": scope, "summary": summary}
        )
    return rows


def test_readme_lists_exactly_the_registered_checks():
    rules = {r["code"]: r for r in registered_rules()}
    rows = {r["code"]: r for r in readme_table(README.read_text(encoding="utf-8"))}
    missing, extra = sorted(set(rules) - set(rows)), sorted(set(rows) - set(rules))
    assert not missing and not extra, (
        f"README rules table: missing {missing}, not registered {extra}; "
        "regenerate it with `python tests/test_readme_rules.py`"
    )


def test_readme_rows_match_audit_rules():
    rules = {r["code"]: r for r in registered_rules()}
    wrong = []
    for row in readme_table(README.read_text(encoding="utf-8")):
        rule = rules.get(row["code"])
        if rule is None:
            continue
        want = {
            "category": rule["category"],
            "severity": rule["severity"],
            "scope": _scope(rule),
            "summary": rule["description"],
        }
        got = {k: row[k] for k in want}
        if got != want:
            wrong.append(f"{row['code']}: README {got} != audit rules {want}")
    assert not wrong, "\n".join(wrong) + "\nregenerate the table with `python tests/test_readme_rules.py`"


def test_the_table_parser_reads_what_the_generator_writes():
    rules = [
        {"code": "XYZ001", "category": "residue", "severity": "info", "scope": "document", "description": "A | B `c`."},
        {"code": "XYZ002", "category": "name", "severity": "error", "scope": "corpus", "description": "Names."},
    ]
    text = f"# t\n\n{SECTION}\n\nIntro.\n\n{render_table(rules)}\n\nAfter.\n\n## Next\n"
    assert readme_table(text) == [
        {"code": "XYZ001", "category": "residue", "severity": "info", "scope": "doc", "summary": "A | B `c`."},
        {"code": "XYZ002", "category": "name", "severity": "error", "scope": "corpus", "summary": "Names."},
    ]


if __name__ == "__main__":
    print(render_table(registered_rules()))
