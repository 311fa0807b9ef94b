"""The audit pipeline: per-document checks -> corpus pass -> scoring.

Data flows one way. The per-document stage is a pure function of one document (it runs in this
process or in worker processes, with identical results); the corpus stage sees the summaries the
per-document stage extracted for each corpus check; scoring sees only findings. A large run keeps
texts and findings on disk between the stages (`SpilledResults`), so memory holds only the summaries.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from audit.corpus.claims import corroborate, extract_claims
from audit.corpus.stories import assign_stories, story_terms
from audit.model import Document, Finding
from audit.registry import Check, selected_checks
from audit.score import DocScore, score_document
from audit.text import TextView

STORY_KEY = "@story"
CLAIMS_KEY = "@claims"
PARALLEL_THRESHOLD = 2000  # documents; below this, worker start-up costs more than it saves


@dataclass(frozen=True)
class Options:
    """Everything that changes what an audit finds; the CLI, the API and `[tool.audit]` all set these."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    lang_engine: str = "fasttext"
    jobs: int = 0  # 0: automatic (one per core for large inputs), 1: this process only
    stories: bool = True  # group documents that report the same event (the `story` column)

    def checks(self) -> list[Check]:
        return selected_checks(self.select, self.ignore)


@dataclass
class DocResult:
    """One document's result: its findings and score (None for an unreadable document)."""

    doc: Document
    findings: list[Finding] = field(default_factory=list)
    score: DocScore | None = None
    story: str | None = None


class SpilledResults:
    """Per-document results kept on disk, shard by shard, and read back in input order.

    A large run holds no text and no finding in memory: the per-document stage appends each shard
    here, the corpus pass finishes every shard in place (corpus findings, story, score), and every
    output streams over the finished shards. Iterating twice reads the shards twice.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shards: list[Path] = []
        self.n = 0

    def add(self, shard: list[DocResult]) -> None:
        path = self.folder / f"shard-{len(self.shards):06d}.pkl"
        self._write(path, shard)
        self.shards.append(path)
        self.n += len(shard)

    @staticmethod
    def _write(path, shard: list[DocResult]) -> None:
        import pickle

        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(shard, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @staticmethod
    def _read(path) -> list[DocResult]:
        import pickle

        with path.open("rb") as f:
            return pickle.load(f)

    def update(self, fn: Callable[[DocResult], None]) -> None:
        """Apply `fn` to every result, shard by shard, and store the changed shards."""
        for path in self.shards:
            shard = self._read(path)
            for r in shard:
                fn(r)
            self._write(path, shard)

    def __iter__(self) -> Iterator[DocResult]:
        for path in self.shards:
            yield from self._read(path)

    def __len__(self) -> int:
        return self.n

    def close(self) -> None:
        """Delete the shards (and the folder, when it is empty)."""
        for path in self.shards:
            path.unlink(missing_ok=True)
        self.shards = []
        try:
            self.folder.rmdir()
        except OSError:
            pass


@dataclass
class AuditResult:
    """Every document's result, in input order: a list, or `SpilledResults` for a run that spilled to disk."""

    results: list[DocResult] | SpilledResults
    options: Options
    claims: list[dict[str, Any]] = field(default_factory=list)  # corroboration rows (audit.corpus.claims)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]


def _view(doc: Document, options: Options) -> TextView:
    lang = doc.meta.get("language")
    languages = (str(lang),) if isinstance(lang, str) and lang.strip() else options.languages
    return TextView(doc.text, doc.id, doc.source, languages, options.lang_engine)


class SpanError(ValueError):
    """A check returned a span outside the text or reversed: a bug in the check."""


def _to_findings(doc: Document, c: Check, hits: Iterable[Any]) -> Iterator[Finding]:
    """Findings from a check's hits, spans taken as they are: never clamped or swapped.

    A span out of range or reversed is a bug in the check. Under `AUDIT_STRICT_SPANS` (the tests) it
    raises; otherwise the hit is dropped with a warning, so that one faulty check loses no document.
    """
    text = doc.text
    n = len(text)
    for h in hits:
        if not 0 <= h.start <= h.end <= n:
            msg = f"{c.code} returned span {h.start}:{h.end} for a text of {n} characters in {doc.id!r}"
            if os.environ.get("AUDIT_STRICT_SPANS", "") not in ("", "0"):  # the tests set it
                raise SpanError(msg)
            import warnings

            warnings.warn(msg, RuntimeWarning, stacklevel=2)
            continue
        yield Finding(
            doc.id, h.start, h.end, c.code, c.category, c.severity, h.message, text[h.start : h.end], h.suggestion,
            getattr(h, "confidence", None),
        )


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
    if options.stories:
        summaries[STORY_KEY] = story_terms(view)
        summaries[CLAIMS_KEY] = extract_claims(view)
    return findings, summaries


def check_chunk(args: tuple[list[Document], Options]) -> list[tuple[list[Finding], dict[str, Any]]]:
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


SHARD_SIZE = 256  # documents per unit of work: a worker's task, and what --resume skips when done


class ShardCache:
    """Per-document results of finished shards on disk, so that an interrupted run can resume.

    A shard's key hashes the package version, the options and every document's id and text, so a
    changed input or option recomputes it. Files are written atomically (temp file, then rename).
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hits = 0

    @staticmethod
    def key(docs: list[Document], options: Options) -> str:
        import hashlib

        from audit import __version__

        h = hashlib.blake2b(digest_size=16)
        h.update(f"{__version__}|{options!r}".encode())
        for d in docs:
            h.update(f"|{d.id}|{d.status}|{d.source}|{d.meta.get('language')}|".encode())
            h.update(hashlib.blake2b(d.text.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        return h.hexdigest()

    def get(self, key: str) -> list[tuple[list[Finding], dict[str, Any]]] | None:
        import pickle

        path = self.folder / f"{key}.pkl"
        if not path.exists():
            return None
        try:
            with path.open("rb") as f:
                data = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        self.hits += 1
        return data

    def put(self, key: str, value: list[tuple[list[Finding], dict[str, Any]]]) -> None:
        import pickle

        tmp = self.folder / f".{key}.tmp"
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / f"{key}.pkl")


class ResultSink:
    """Where the per-document stage's outcomes go, shard by shard, whichever engine ran it: the results
    (a list, or `SpilledResults` with a `spill` folder) and each corpus check's summaries by document."""

    def __init__(
        self, spill: str | os.PathLike[str] | None = None, progress: Callable[[int], None] | None = None
    ) -> None:
        self.results: list[DocResult] | SpilledResults = SpilledResults(spill) if spill is not None else []
        self.summaries: dict[str, dict[str, Any]] = {}
        self.progress = progress

    def add(self, outcomes: Iterable[tuple[Document, list[Finding], dict[str, Any]]]) -> None:
        """One shard's (document, findings, summaries), in input order."""
        shard = []
        for doc, found, summ in outcomes:
            shard.append(DocResult(doc, found))
            for code, sm in summ.items():
                self.summaries.setdefault(code, {})[doc.id] = sm
        if isinstance(self.results, SpilledResults):
            self.results.add(shard)
        else:
            self.results.extend(shard)
        if self.progress:
            self.progress(len(shard))


def audit_documents(
    docs: Iterable[Document],
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
    n_docs: int | None = None,
    cache: ShardCache | None = None,
    spill: str | os.PathLike[str] | None = None,
) -> AuditResult:
    """Audit documents end to end; every input document is in the result, in input order.

    The per-document stage runs shard by shard, in this process or in `options.jobs` workers, with
    identical results; with a `cache`, shards finished by an earlier run are not recomputed. With a
    `spill` folder, texts and findings go to disk as each shard finishes (`SpilledResults`), so that
    memory holds only the corpus checks' summaries, whatever the corpus size; `docs` is consumed
    lazily either way.
    """
    options = options or Options()
    checks = options.checks()
    sink = ResultSink(spill, progress)

    def collect(chunk: list[Document], outcome: list[tuple[list[Finding], dict[str, Any]]], key: str | None) -> None:
        if cache is not None and key is not None:
            cache.put(key, outcome)
        sink.add((doc, found, summ) for doc, (found, summ) in zip(chunk, outcome, strict=True))

    jobs = _effective_jobs(options, n_docs)
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        pending: list[tuple[list[Document], Any, str | None]] = []
        for chunk in _chunks(docs, SHARD_SIZE if pool is None else 64):
            key = ShardCache.key(chunk, options) if cache is not None else None
            cached = cache.get(key) if cache is not None and key is not None else None
            if cached is not None and len(cached) == len(chunk):
                pending.append((chunk, cached, None))
            elif pool is None:
                pending.append((chunk, [check_document(d, options, checks) for d in chunk], key))
            else:
                pending.append((chunk, pool.submit(check_chunk, (chunk, options)), key))
            while pending and (pool is None or len(pending) > jobs * 4 or not hasattr(pending[0][1], "result")):
                ch, out, k = pending.pop(0)
                collect(ch, out.result() if hasattr(out, "result") else out, k)
        for ch, out, k in pending:
            collect(ch, out.result() if hasattr(out, "result") else out, k)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    return corpus_stage(sink.results, sink.summaries, options)


@dataclass
class CorpusDecisions:
    """What the corpus pass decided: each document's story, the claim rows, and the corpus checks' hits."""

    stories: dict[str, str] = field(default_factory=dict)
    claims: list[dict[str, Any]] = field(default_factory=list)
    hits: dict[str, list[tuple[Check, Any]]] = field(default_factory=dict)


def decide_corpus(summaries: dict[str, dict[str, Any]], options: Options) -> CorpusDecisions:
    """The corpus pass: stories, claims, and every corpus check's decision, from the summaries alone."""
    out = CorpusDecisions()
    if options.stories and summaries.get(STORY_KEY):
        out.stories = assign_stories(summaries[STORY_KEY])
        out.claims = corroborate(summaries.get(CLAIMS_KEY, {}), out.stories)
    for c in options.checks():
        if c.decide is None:
            continue
        for doc_id, hits in c.decide(summaries.get(c.code, {})).items():
            out.hits.setdefault(doc_id, []).extend((c, h) for h in hits)
    return out


def finish_result(r: DocResult, decisions: CorpusDecisions) -> None:
    """Add the corpus findings and the story to one document's result, then score it."""
    r.story = decisions.stories.get(r.doc.id)
    for c, h in decisions.hits.get(r.doc.id, ()):
        r.findings.extend(_to_findings(r.doc, c, (h,)))
    if r.doc.readable:
        r.findings = _dedupe(r.findings)
        r.score = score_document(len(r.doc.text), r.findings)


def corpus_stage(
    results: list[DocResult] | SpilledResults, summaries: dict[str, dict[str, Any]], options: Options
) -> AuditResult:
    """The corpus pass and scoring: stories, claims, every corpus check's decision, then scores."""
    decisions = decide_corpus(summaries, options)
    summaries.clear()  # the decisions are all the rest needs
    if isinstance(results, SpilledResults):
        results.update(lambda r: finish_result(r, decisions))
    else:
        for r in results:
            finish_result(r, decisions)
    return AuditResult(results, options, decisions.claims)
