"""Cleaned text from findings, conservatively: only safe fixes, clean edits, a guard and a log.

What may edit is metadata on each check in the registry (`fix`: "remove", "replace" or "none";
`autofix`: applied by default). By default `audit fix` applies only the `autofix` checks: ad
placeholders, share and subscribe lines, HTML remnants, copyright notices, word-for-word repeated
paragraphs and mojibake repair. `--select` widens that to any check with a fix action (layout
inferences, bios, machine-translation rephrasings); `--ignore` narrows it. Name checks (`names`)
edit only with `--fix-names`, and only links whose confidence is at least `NAME_FIX_CONFIDENCE`.
Quotations are never rewritten: a check whose fix is "none" (MT009) never edits.

Edits are clean: a removal takes its whole line when it empties the line, never leaves doubled
spaces, blank-line runs, orphan punctuation or a sentence opening in lower case, and a removal that
would break a quotation (an unbalanced quotation mark in what it removes) is not made. A document
whose fixes would remove more than `max_removal` of its characters (default 10%) is left unchanged
and reported as needing review, and a document not in an expected language (INT005) is never edited.
Fixing repeats until the audit finds nothing more to fix (at most MAX_ROUNDS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace

from audit.catalog import codes_with_role, selected_checks
from audit.corpus.names import FIX_CONFIDENCE as NAME_FIX_CONFIDENCE  # --fix-names applies links at or above it
from audit.records import Document, Finding
from audit.registry import REGISTRY

MAX_REMOVAL = 0.10  # share of a document's characters that fixes may remove before it needs review
MAX_ROUNDS = 3

_QUOTES = re.compile(r"[\"“”„«»]")
_SENTENCE_END = re.compile(r"(?:^|[.!?…][\"”’»)]*\s+|\n\s*)$")


@dataclass(frozen=True)
class FixPolicy:
    """Which findings may edit: the codes allowed, names on or off, and the per-document guard."""

    codes: frozenset[str]
    fix_names: bool = False
    name_confidence: float = NAME_FIX_CONFIDENCE
    max_removal: float = MAX_REMOVAL

    @classmethod
    def from_options(
        cls,
        options=None,
        fix_names: bool = False,
        max_removal: float = MAX_REMOVAL,
        name_confidence: float = NAME_FIX_CONFIDENCE,
    ) -> FixPolicy:
        """The default policy (the `autofix` checks), widened by `--select` and narrowed by `--ignore`."""
        select = tuple(options.select) if options is not None else ()
        ignore = tuple(options.ignore) if options is not None else ()
        codes = frozenset(
            c.code
            for c in selected_checks(select, ignore)
            if c.fix != "none" and (fix_names if c.names else (c.autofix or bool(select)))
        )
        return cls(codes, fix_names, name_confidence, max_removal)

    def allows(self, f: Finding) -> bool:
        if f.code not in self.codes or f.suggestion is None or f.end <= f.start:
            return False
        check = REGISTRY.get(f.code)
        if check is not None and check.names:
            return self.fix_names and (f.confidence or 0.0) >= self.name_confidence
        return True


@dataclass(frozen=True)
class Edit:
    """One change: `text[start:end]` (the text at the start of round `round`) became `after`."""

    doc_id: str
    code: str
    start: int
    end: int
    before: str
    after: str
    round: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class FixSummary:
    """What fixing did to one document; `needs_review` says why it was left unchanged."""

    doc_id: str
    removed: int = 0
    replaced: int = 0
    chars_removed: int = 0
    length: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    needs_review: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.replaced)

    def add(self, edits: list[Edit]) -> None:
        for e in edits:
            self.removed += e.after == ""
            self.replaced += e.after != ""
            self.chars_removed += max(0, len(e.before) - len(e.after))
            self.codes[e.code] = self.codes.get(e.code, 0) + 1
        self.edits.extend(edits)

    def line(self) -> str:
        """The one-line summary `audit fix` prints for this document."""
        if self.needs_review:
            return f"{self.doc_id}: needs review, left unchanged ({self.needs_review})"
        codes = ", ".join(f"{c} x{n}" for c, n in sorted(self.codes.items()))
        share = 100 * self.chars_removed / max(1, self.length)
        return f"{self.doc_id}: {self.removed} removed, {self.replaced} replaced, {share:.1f}% of characters removed ({codes})"


def _planned(text: str, findings: Iterable[Finding], policy: FixPolicy) -> list[tuple[int, int, str, str]]:
    """Non-overlapping (start, end, replacement, code) spans; a removal widens to its line when it empties it.

    Overlapping removals merge; a replacement that overlaps another edit is dropped; a removal with an
    unbalanced quotation mark (it would break a quotation) is dropped.
    """
    spans = []
    for f in findings:
        if not policy.allows(f):
            continue
        start, end, rep = f.start, f.end, f.suggestion or ""
        if rep == "":
            if len(_QUOTES.findall(text[start:end])) % 2:
                continue
            start, end = _whole_line(text, start, end)
        spans.append((start, end, rep, f.code))
    merged: list[list] = []
    for start, end, rep, code in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if rep == "" and last[2] == "":
                last[1] = max(last[1], end)
            elif rep == "":
                merged[-1] = [last[0], max(last[1], end), "", code]
            continue
        merged.append([start, end, rep, code])
    return [tuple(m) for m in merged]


def _whole_line(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a removal to its whole line(s) when nothing but white space would remain on them."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left, right = text[line_start:start], text[end:line_end]
    if not re.search(r"\w", left + right):  # nothing but space or orphan punctuation would be left
        return line_start, line_end
    return start, end


def _join(left: str, right: str, removed: str) -> tuple[str, str]:
    """Tidy the seam where `removed` was cut out between `left` and `right`: no blank-line runs, doubled
    spaces, space before punctuation or empty brackets."""
    left_edge = not left or left.endswith("\n")
    right_edge = not right or right.startswith("\n")
    if (left_edge and right_edge) or ("\n" in removed and (left_edge or right_edge)):
        if not left:
            return "", right.lstrip("\n")
        if not right.strip("\n"):  # the end of the text keeps its own ending
            return left.rstrip("\n \t"), right
        lead = len(left) - len(left.rstrip("\n"))
        trail = len(right) - len(right.lstrip("\n"))
        return left.rstrip("\n") + "\n" * max(lead, trail, 1), right.lstrip("\n")
    if left.endswith("(") and right.startswith(")"):
        left, right = left[:-1], right[1:]
    if not left or left.endswith("\n"):
        return left, right.lstrip(" \t")
    if not right or right.startswith(("\n", "\r")) or right[:1] in ",.;:!?)":
        return left.rstrip(" \t"), right
    if left.endswith((" ", "\t")):
        return left, right.lstrip(" \t")
    return left, right


_WORD = re.compile(r"\S+")


def _capitalised(left: str, right: str) -> str:
    """`right` with its first letter raised when it now opens a sentence (not `iPhone`-like words)."""
    m = _WORD.match(right.lstrip(" \t"))
    if not m or not m.group()[0].islower() or any(ch.isupper() for ch in m.group()[1:]):
        return right
    if not _SENTENCE_END.search(left):
        return right
    i = len(right) - len(right.lstrip(" \t"))
    return right[:i] + right[i].upper() + right[i + 1 :]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[len(a) - 1 - n] == b[len(b) - 1 - n]:
        n += 1
    return n


def apply_fixes(
    text: str, findings: Iterable[Finding], policy: FixPolicy, doc_id: str = "", round: int = 1
) -> tuple[str, list[Edit]]:
    """The text with every finding the policy allows applied, and the edits made.

    Edits are made right to left, so each one's offsets hold in `text` as given; an edit's logged
    span covers the seam it tidied as well as the finding's span.
    """
    edits: list[Edit] = []
    for start, end, rep, code in reversed(_planned(text, findings, policy)):
        left, right = text[:start], text[end:]
        if rep == "":
            left, right = _join(left, right, text[start:end])
            right = _capitalised(left, right)
        else:
            rep = _capitalised(left, rep)
        new = left + rep + right
        keep = min(_common_suffix(text[len(left) :], new[len(left) :]), len(text) - end)
        edits.append(
            Edit(
                doc_id,
                code,
                len(left),
                len(text) - keep,
                text[len(left) : len(text) - keep],
                new[len(left) : len(new) - keep],
                round,
            )
        )
        text = new
    return text, edits[::-1]


def _copy(d: Document) -> Document:
    return replace(d, meta=dict(d.meta))


def _audit_options(options):
    """The audit each round runs: the user's selection, plus the language check that guards every edit."""
    gates = sorted(codes_with_role("language_gate"))  # a document they flag (another language) is never edited
    if options.select and not set(gates) & set(options.ignore):
        return replace(options, select=(*options.select, *gates))
    return options


def fix_documents(
    docs: list[Document], options=None, fix_names: bool = False, policy: FixPolicy | None = None
) -> tuple[list[Document], list[FixSummary]]:
    """Fixed copies of the documents and a summary per document (with its edits).

    Unreadable documents, documents not in an expected language and documents whose fixes would
    remove more than `policy.max_removal` of their characters are returned unchanged.
    """
    from audit.engine import Options, audit_documents

    options = options or Options()
    policy = policy or FixPolicy.from_options(options, fix_names=fix_names)
    audit_options = _audit_options(options)
    current = [_copy(d) for d in docs]
    summaries = {d.id: FixSummary(d.id, length=len(d.text)) for d in docs}
    active = {d.id for d in docs if d.readable}
    for rnd in range(1, MAX_ROUNDS + 1):
        result = audit_documents([d for d in current if d.id in active], audit_options)
        changed = False
        for r in result.results:
            s = summaries[r.doc.id]
            if any(f.code in codes_with_role("language_gate") for f in r.findings):
                s.needs_review = s.needs_review or "not in an expected language"
                active.discard(r.doc.id)
                continue
            new_text, edits = apply_fixes(r.doc.text, r.findings, policy, r.doc.id, rnd)
            if edits and new_text != r.doc.text:
                r.doc.text = new_text
                s.add(edits)
                changed = True
        if not changed:
            break
    return _guarded(docs, current, summaries, policy)


def _guarded(
    docs: list[Document], current: list[Document], summaries: dict[str, FixSummary], policy: FixPolicy
) -> tuple[list[Document], list[FixSummary]]:
    """Put back the original of every document that fixing would cut by more than the policy allows."""
    by_id = {d.id: d for d in current}
    out = []
    for d in docs:
        s = summaries[d.id]
        fixed = by_id[d.id]
        cut = (len(d.text) - len(fixed.text)) / max(1, len(d.text))
        if s.needs_review or (s.changed and cut > policy.max_removal):
            if not s.needs_review:
                s.needs_review = (
                    f"fixes would remove {100 * cut:.0f}% of its characters (limit {100 * policy.max_removal:.0f}%)"
                )
            fixed = _copy(d)
            s.removed = s.replaced = s.chars_removed = 0
            s.codes, s.edits = {}, []
        out.append(fixed)
    return out, [summaries[d.id] for d in docs]


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff of one file as git writes it: `a/PATH` and `b/PATH`, PATH as `diff_path` gives it,
    so `patch -p1` applies it from the working folder (or from `/` for an absolute path), with the
    `\\ No newline at end of file` marker where a side does not end in a line break."""
    import difflib

    name = diff_path(path)
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{name}", tofile=f"b/{name}"
    )
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def diff_path(path: str) -> str:
    """A path as it follows `a/` in a diff: relative to the working folder where it is under it, otherwise
    absolute without its leading slash (`a/tmp/x.txt`, never `a//tmp/x.txt`); always with `/` separators."""
    import os

    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute)
    name = absolute if rel == ".." or rel.startswith(".." + os.sep) else rel
    return name.replace(os.sep, "/").lstrip("/")


def corpus_diff(docs: list[Document], fixed: list[Document], inputs: list[str], written: list) -> str:
    """One unified diff of every changed input file: text files document by document, JSONL and CSV
    files whole (their written form against the input). Parquet is binary and has no text diff."""
    from pathlib import Path

    parts = []
    changed_origins = set()
    for before, after in zip(docs, fixed, strict=True):
        if not before.readable or before.text == after.text or not before.origin:
            continue
        if Path(before.origin).suffix == ".txt":
            parts.append(unified_diff(before.text, after.text, before.origin))
        else:
            changed_origins.add(before.origin)
    by_name = {Path(w).name: Path(w) for w in written}
    for inp in inputs:
        src = Path(inp)
        if str(src) in changed_origins and src.name in by_name and src.suffix in (".jsonl", ".csv"):
            with open(src, encoding="utf-8", newline="") as f:
                old = f.read()
            with open(by_name[src.name], encoding="utf-8", newline="") as f:
                new = f.read()
            parts.append(unified_diff(old, new, str(src)))
    return "".join(parts)


def write_edits(summaries: list[FixSummary], path) -> None:
    """`edits.jsonl`: one edit a line (doc_id, code, start, end, before, after, round), in document order."""
    import json

    from audit.output import atomic_write

    with atomic_write(path) as f:
        for s in summaries:
            for e in s.edits:
                f.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
