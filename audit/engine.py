"""The audit pipeline: per-document checks -> corpus pass -> scoring.

Data flows one way. The per-document stage is a pure function of one document (it runs in this
process or in worker processes, with identical results); the corpus stage sees the summaries the
per-document stage extracted for each corpus check; scoring sees only findings.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from audit.model import Document, Finding
from audit.registry import Check, selected_checks
from audit.score import DocScore, score_document
from audit.text import TextView

PARALLEL_THRESHOLD = 2000  # documents; below this, worker start-up costs more than it saves


@dataclass(frozen=True)
class Options:
    """Everything that changes what an audit finds; the CLI, the API and `[tool.audit]` all set these."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    lang_engine: str = "fasttext"
    jobs: int = 0  # 0: automatic (one per core for large inputs), 1: this process only

    def checks(self) -> list[Check]:
        return selected_checks(self.select, self.ignore)


@dataclass
class DocResult:
    """One document's result: its findings and score (None for an unreadable document)."""

    doc: Document
    findings: list[Finding] = field(default_factory=list)
    score: DocScore | None = None


@dataclass
class AuditResult:
    results: list[DocResult]
    options: Options

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]


def _view(doc: Document, options: Options) -> TextView:
    lang = doc.meta.get("language")
    languages = (str(lang),) if isinstance(lang, str) and lang.strip() else options.languages
    return TextView(doc.text, doc.id, doc.source, languages, options.lang_engine)


def _to_findings(doc: Document, c: Check, hits: Iterable[Any]) -> Iterator[Finding]:
    text = doc.text
    n = len(text)
    for h in hits:
        start, end = max(0, min(h.start, n)), max(0, min(h.end, n))
        if end < start:
            start, end = end, start
        yield Finding(doc.id, start, end, c.code, c.category, c.severity, h.message, text[start:end], h.suggestion)


def check_document(
    doc: Document, options: Options, checks: list[Check] | None = None
) -> tuple[list[Finding], dict[str, Any]]:
    """The per-document stage: findings of every per-document check, and each corpus check's summary."""
    checks = options.checks() if checks is None else checks
    if not doc.readable:
        return [], {}
    view = _view(doc, options)
    findings: list[Finding] = []
    summaries: dict[str, Any] = {}
    for c in checks:
        if c.fn is not None:
            findings.extend(_to_findings(doc, c, c.fn(view)))
        elif c.extract is not None:
            summaries[c.code] = c.extract(view)
    return findings, summaries


def _check_chunk(args: tuple[list[Document], Options]) -> list[tuple[list[Finding], dict[str, Any]]]:
    docs, options = args
    checks = options.checks()
    return [check_document(d, options, checks) for d in docs]


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for d in docs:
        chunk.append(d)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _effective_jobs(options: Options, n_docs: int | None) -> int:
    if options.jobs > 0:
        return options.jobs
    if n_docs is not None and n_docs < PARALLEL_THRESHOLD:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Sort by span; where checks of one category flag the very same span, keep the most severe one.

    (`Read more` is both a related link and a button label: one defect, one deduction.)
    """
    best: dict[tuple[int, int, str], Finding] = {}
    for f in findings:
        key = (f.start, f.end, f.category)
        cur = best.get(key)
        if cur is None or (_SEVERITY_RANK[f.severity], f.code, f.message) < (
            _SEVERITY_RANK[cur.severity],
            cur.code,
            cur.message,
        ):
            best[key] = f
    return sorted(best.values(), key=lambda f: (f.start, f.end, f.code, f.message))


def audit_documents(
    docs: Iterable[Document],
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
    n_docs: int | None = None,
) -> AuditResult:
    """Audit documents end to end; every input document is in the result, in input order."""
    options = options or Options()
    checks = options.checks()
    corpus_checks = [c for c in checks if c.is_corpus]
    results: list[DocResult] = []
    summaries: dict[str, dict[str, Any]] = {c.code: {} for c in corpus_checks}

    def collect(doc: Document, found: list[Finding], summ: dict[str, Any]) -> None:
        results.append(DocResult(doc, found))
        for code, s in summ.items():
            summaries[code][doc.id] = s
        if progress:
            progress(1)

    jobs = _effective_jobs(options, n_docs)
    if jobs <= 1:
        for doc in docs:
            collect(doc, *check_document(doc, options, checks))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunks = _chunks(docs, 64)
            pending: list[tuple[list[Document], Any]] = []
            for chunk in chunks:
                pending.append((chunk, pool.submit(_check_chunk, (chunk, options))))
                if len(pending) >= jobs * 4:
                    ch, fut = pending.pop(0)
                    for d, res in zip(ch, fut.result(), strict=True):
                        collect(d, *res)
            for ch, fut in pending:
                for d, res in zip(ch, fut.result(), strict=True):
                    collect(d, *res)

    by_id = {r.doc.id: r for r in results}
    for c in corpus_checks:
        assert c.decide is not None
        for doc_id, hits in c.decide(summaries[c.code]).items():
            r = by_id[doc_id]
            r.findings.extend(_to_findings(r.doc, c, hits))
    for r in results:
        if r.doc.readable:
            r.findings = _dedupe(r.findings)
            r.score = score_document(len(r.doc.text), r.findings)
    return AuditResult(results, options)
