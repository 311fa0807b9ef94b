"""Cleaned text from findings: remove residue and bios, drop repeated paragraphs, apply suggestions.

A finding is fixable when it carries a suggestion: `""` means remove the span, any other string
replaces it. Names (category `name`, and garbled names) are replaced only when asked. Fixing is
repeated until the audit finds nothing more to fix (at most MAX_ROUNDS), so that rerunning the audit
on the fixed text finds none of the fixed issues.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from audit.model import Document, Finding

NAME_CODES = frozenset({"MT008"})
MAX_ROUNDS = 3


@dataclass
class FixSummary:
    doc_id: str
    removed: int = 0
    replaced: int = 0
    codes: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.replaced)


def fixable(f: Finding, fix_names: bool) -> bool:
    if f.suggestion is None:
        return False
    if f.category == "name" or f.code in NAME_CODES:
        return fix_names
    return True


def apply_fixes(text: str, findings: Iterable[Finding], fix_names: bool = False) -> tuple[str, FixSummary | None]:
    """The text with every fixable finding applied, and what was done.

    Overlapping removals merge; a replacement that overlaps a removal is dropped. A removal that
    empties a line also removes the line break, so no blank gaps are left behind.
    """
    edits: list[tuple[int, int, str, str]] = sorted(
        (f.start, f.end, f.suggestion or "", f.code) for f in findings if fixable(f, fix_names) and f.end > f.start
    )
    merged: list[list] = []
    for start, end, rep, code in edits:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if rep == "" and last[2] == "":
                last[1] = max(last[1], end)
                last[3].append(code)
            elif rep == "" and last[2] != "":
                merged[-1] = [min(last[0], start), max(last[1], end), "", [*last[3], code]]
            continue  # a replacement inside a removal or another replacement: the first wins
        merged.append([start, end, rep, [code]])
    summary = FixSummary(doc_id="")
    out = []
    pos = 0
    for start, end, rep, codes in merged:
        if rep == "":
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:start].strip() and not text[end:line_end].strip():
                start, end = max(line_start, pos), (line_end + 1 if line_end < len(text) else line_end)
                if end == len(text) and start > 0 and text[start - 1] == "\n" and start - 1 >= pos:
                    start -= 1  # a removed last line takes the break before it
            summary.removed += 1
        else:
            summary.replaced += 1
        for c in codes:
            summary.codes[c] = summary.codes.get(c, 0) + 1
        out.append(text[pos:start])
        out.append(rep)
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out), summary


def fix_documents(
    docs: list[Document], options=None, fix_names: bool = False
) -> tuple[list[Document], list[FixSummary]]:
    """Fixed copies of the documents (unreadable ones unchanged) and a summary per document."""
    from audit.engine import Options, audit_documents

    options = options or Options()
    current = [Document(d.id, d.text, d.source, dict(d.meta), d.status, d.reason, d.origin, d.line) for d in docs]
    summaries = {d.id: FixSummary(d.id) for d in docs}
    for _ in range(MAX_ROUNDS):
        result = audit_documents(current, options)
        changed = False
        for r in result.results:
            if not r.doc.readable:
                continue
            new_text, s = apply_fixes(r.doc.text, r.findings, fix_names)
            if s and s.changed and new_text != r.doc.text:
                r.doc.text = new_text
                total = summaries[r.doc.id]
                total.removed += s.removed
                total.replaced += s.replaced
                for c, n in s.codes.items():
                    total.codes[c] = total.codes.get(c, 0) + n
                changed = True
        if not changed:
            break
    return current, [summaries[d.id] for d in docs]
