"""The records that flow through the auditor: documents, findings, categories and severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES: tuple[str, ...] = ("residue", "bio", "mt", "name", "integrity")
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
# Categories whose findings are page residue, not article text: what `audit fix` may delete, what the score's
# usable share leaves out, where names are not read, and what a document's title is not.
PAGE_RESIDUE: frozenset[str] = frozenset({"residue", "bio"})

STATUS_OK = "ok"
STATUS_UNREADABLE = "unreadable"


@dataclass(slots=True)
class Document:
    """One input document. `text` is exactly what was read: UTF-8 decoded, nothing else changed.

    A document that could not be read has `status == "unreadable"`, empty text and a `reason`.
    `origin` and `line` say where it came from (a file path and, for row formats, the 1-based line).
    """

    id: str
    text: str
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = STATUS_OK
    reason: str | None = None
    origin: str | None = None
    line: int | None = None

    @property
    def readable(self) -> bool:
        return self.status == STATUS_OK


@dataclass(slots=True, frozen=True, order=True)
class Finding:
    """One defect in one document, with its exact span: `evidence == text[start:end]`."""

    doc_id: str
    start: int
    end: int
    code: str
    category: str
    severity: str
    message: str
    evidence: str
    suggestion: str | None = None
    confidence: float | None = field(default=None, compare=False)  # name links: how sure the link is (0-1)
    kind: str | None = field(default=None, compare=False)  # the hit's kind, where a check's role reads it

    def to_dict(self) -> dict[str, Any]:
        """The SPEC.md field order for findings.jsonl (`confidence` follows where a check sets one)."""
        d = {
            "doc_id": self.doc_id,
            "code": self.code,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
        }
        if self.confidence is not None:
            d["confidence"] = self.confidence
        return d


@dataclass(slots=True, frozen=True)
class Hit:
    """What a check yields: a span of the text, why it is flagged and, where one exists, the fix."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    confidence: float | None = None
    kind: str | None = None  # what sort of hit, where the check has several and a role reads one (`byline`)
