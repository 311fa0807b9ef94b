"""The audit pipeline: per-document checks -> corpus pass -> scoring.

Data flows one way. The per-document stage is a pure function of one document (it runs in this
process or in worker processes, with identical results); the corpus stage sees the summaries the
per-document stage extracted for each corpus check; scoring sees only findings. A large run keeps
texts and findings on disk between the stages (`SpilledResults`) and the summaries too
(`SummaryStore`): each corpus check's decide half reads them through a disk-backed Mapping, so the
main process holds an index of the documents, not their summaries. Those stores live in audit.store;
this module is the pipeline alone: `check_document`, `audit_documents`, `decide_corpus`, `finish_result`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from tempfile import TemporaryDirectory
from typing import Any

from audit.catalog import selected_checks
from audit.corpus.claims import corroborate, extract_claims
from audit.corpus.mentions import FLAGGED_SPANS
from audit.corpus.stories import assign_stories, story_terms
from audit.records import PAGE_RESIDUE, Document, Finding
from audit.registry import Check
from audit.score import DocScore, score_document
from audit.store import (
    IdIndex,
    PackedRows,
    PackedSummaries,
    ShardCache,
    SpilledResults,
    SummaryStore,
    SummaryView,
    pack_summaries,
)
from audit.text import TextView

STORY_KEY = "@story"
CLAIMS_KEY = "@claims"
MT_KEY = "@mt"  # the per-document MT probability travels with the summaries and lands on DocResult
MAX_AUDIT_CHARS = 5_000_000  # characters of one document the checks read: memory stays bounded (~30 bytes a character)
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
    mt_threshold: float | None = None  # P(mt) above which a document is `detected`; None: the model's own
    max_chars: int = MAX_AUDIT_CHARS  # a longer document is audited up to a line break before this (INT007)

    def checks(self) -> list[Check]:
        return selected_checks(self.select, self.ignore)


@dataclass
class DocResult:
    """One document's result: its findings and score (None for an unreadable document)."""

    doc: Document
    findings: list[Finding] = field(default_factory=list)
    score: DocScore | None = None
    story: str | None = None
    mt_probability: float | None = None  # audit.mtmodel's P(machine-translated); None: not computed; NaN: not English


@dataclass
class AuditResult:
    """Every document's result, in input order: a list, or `SpilledResults` for a run that spilled to disk."""

    results: list[DocResult] | SpilledResults
    options: Options
    claims: Sequence[dict[str, Any]] = field(default_factory=list)  # corroboration rows (audit.corpus.claims)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]


def text_view(doc: Document, options: Options) -> TextView:
    lang = doc.meta.get("language")
    languages = (str(lang),) if isinstance(lang, str) and lang.strip() else options.languages
    text = doc.text
    if len(text) > options.max_chars:  # a huge document: its head, to a line break (INT007 says so)
        cut = text.rfind("\n", 0, options.max_chars) + 1 or options.max_chars
        text = text[:cut]
    return TextView(text, doc.id, doc.source, languages, options.lang_engine, full_length=len(doc.text))


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
            doc.id,
            h.start,
            h.end,
            c.code,
            c.category,
            c.severity,
            h.message,
            text[h.start : h.end],
            h.suggestion,
            getattr(h, "confidence", None),
            getattr(h, "kind", None),
        )


def _wants_mt(options: Options, checks: list[Check]) -> bool:
    """The MT probability is computed when a selected check feeds the model or discloses machine translation."""
    return any(c.mt_signal or c.role == "disclosure" for c in checks)


def mt_stage(view: TextView, findings: list[Finding]) -> float:
    """P(machine-translated) of the text, from its style and the MT checks that fired; NaN (not judged)
    where the language check finds another language than the model's."""
    from audit.catalog import mt_signal_checks
    from audit.mtmodel import NOT_JUDGED, in_model_language, mt_probability

    if not in_model_language(view):
        return NOT_JUDGED
    artifacts = {c.code for c in mt_signal_checks()} & {f.code for f in findings}
    return mt_probability(view.text, len(artifacts))


@dataclass(frozen=True)
class DocStage:
    """A named per-document stage after the checks: its result goes with the summaries under `key`."""

    key: str
    wanted: Callable[[Options, list[Check]], bool]
    run: Callable[[TextView, list[Finding]], Any]


DOC_STAGES = (
    DocStage(STORY_KEY, lambda options, checks: options.stories, lambda view, _found: story_terms(view)),
    DocStage(CLAIMS_KEY, lambda options, checks: options.stories, lambda view, _found: extract_claims(view)),
    DocStage(MT_KEY, _wants_mt, mt_stage),
)


def check_document(
    doc: Document, options: Options, checks: list[Check] | None = None
) -> tuple[list[Finding], dict[str, Any]]:
    """The per-document stage: findings of every per-document check, then each corpus check's summary of
    the article text (the spans residue and bio checks flagged are left out), then the named stages
    (`DOC_STAGES`: the story terms, the claims, the MT probability)."""
    checks = options.checks() if checks is None else checks
    if not doc.readable:
        return [], {}
    view = text_view(doc, options)
    findings: list[Finding] = []
    summaries: dict[str, Any] = {}
    for c in checks:
        if c.fn is not None:
            findings.extend(_to_findings(doc, c, c.fn(view)))
    # one way: the spans residue and bio checks flagged are handed to the corpus extracts (names ignore them)
    flagged = tuple(sorted((f.start, f.end) for f in findings if f.category in PAGE_RESIDUE))
    view.memo(FLAGGED_SPANS, lambda _view: flagged)
    for c in checks:
        if c.fn is None and c.extract is not None:
            summaries[c.code] = c.extract(view)
    for stage in DOC_STAGES:
        if stage.wanted(options, checks):
            summaries[stage.key] = stage.run(view, findings)
    return findings, summaries


def check_chunk(args: tuple[list[Document], Options]) -> list[tuple[list[Finding], dict[str, Any]]]:
    docs, options = args
    checks = options.checks()
    return [check_document(d, options, checks) for d in docs]


def chunked(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
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


@dataclass
class ShardOutcome:
    """One shard checked and written: `n` results in the file `path`, and its summaries packed (the
    blob itself, or, with `summaries_path`, the file it was written to). What a worker sends back."""

    path: str
    n: int
    summaries: PackedSummaries
    summaries_path: str | None = None


def doc_result(doc: Document, found: list[Finding], summ: dict[str, Any]) -> DocResult:
    """A document's result from its per-document outcome (the MT probability rides with the summaries)."""
    return DocResult(doc, found, mt_probability=summ.get(MT_KEY))


def corpus_summaries(summ: dict[str, Any]) -> dict[str, Any]:
    """The summaries the corpus pass needs: all but the MT probability, which stays with the document."""
    return {k: v for k, v in summ.items() if k != MT_KEY} if MT_KEY in summ else summ


def write_shard(
    path: str | os.PathLike[str],
    outcomes: Iterable[tuple[Document, list[Finding], dict[str, Any]]],
    summaries_path: str | os.PathLike[str] | None = None,
) -> ShardOutcome:
    """Write one shard's results (texts and findings) to `path` and pack its summaries; with
    `summaries_path`, the summaries' blob goes to that file too (a worker on a shared file system)."""
    from pathlib import Path

    outcomes = list(outcomes)
    SpilledResults.write_file(Path(path), [doc_result(doc, found, summ) for doc, found, summ in outcomes])
    packed = pack_summaries((doc.id, corpus_summaries(summ)) for doc, _, summ in outcomes)  # one entry a document
    if summaries_path is not None:
        tmp = f"{summaries_path}.tmp"
        with open(tmp, "wb") as f:
            f.write(packed[3])
        os.replace(tmp, summaries_path)
        packed = (packed[0], packed[1], packed[2], b"")
    return ShardOutcome(str(path), len(outcomes), packed, None if summaries_path is None else str(summaries_path))


def check_shard(args: tuple[list[Document], Options, str, str | None, str | None]) -> ShardOutcome:
    """A worker's whole share of a spilled run: check a shard, keep it in the --resume cache, write it."""
    docs, options, path, cache_folder, key = args
    outcome = check_chunk((docs, options))
    if cache_folder is not None and key is not None:
        ShardCache(cache_folder).put(key, outcome)
    return write_shard(path, ((d, found, summ) for d, (found, summ) in zip(docs, outcome, strict=True)))


class ResultSink:
    """Where the per-document stage's outcomes go, shard by shard, whichever engine ran it: the results
    (a list, or `SpilledResults` with a `spill` folder) and each corpus check's summaries by document
    (a dict of dicts, or with `spill` a `SummaryStore` in the spill folder)."""

    def __init__(
        self,
        spill: str | os.PathLike[str] | None = None,
        progress: Callable[[int], None] | None = None,
        memory: int | None = None,
    ) -> None:
        from pathlib import Path

        from audit.memory import megabytes

        keep = megabytes(memory) // 32
        self.results: list[DocResult] | SpilledResults = SpilledResults(spill, keep) if spill is not None else []
        self.summaries: dict[str, dict[str, Any]] | SummaryStore = (
            SummaryStore(Path(spill) / "summaries") if spill is not None else {}
        )
        self.progress = progress

    def add(self, outcomes: Iterable[tuple[Document, list[Finding], dict[str, Any]]], path: Any = None) -> None:
        """One shard's (document, findings, summaries), in input order (`path`: where the shard goes,
        reserved with `results.next_path()`; by default the next one)."""
        if isinstance(self.results, SpilledResults):
            self.add_shard(write_shard(path or self.results.next_path(), outcomes))
            return
        assert isinstance(self.summaries, dict)
        shard = []
        for doc, found, summ in outcomes:
            shard.append(doc_result(doc, found, summ))
            for code, sm in corpus_summaries(summ).items():
                self.summaries.setdefault(code, {})[doc.id] = sm
        self.results.extend(shard)
        if self.progress:
            self.progress(len(shard))

    def add_shard(self, shard: ShardOutcome) -> None:
        """One shard already written (`write_shard`, by this process or a worker)."""
        assert isinstance(self.results, SpilledResults) and isinstance(self.summaries, SummaryStore)
        self.results.add_written(shard.path, shard.n)
        self.summaries.add(shard.summaries, shard.summaries_path)
        if self.progress:
            self.progress(shard.n)


def audit_documents(
    docs: Iterable[Document],
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
    n_docs: int | None = None,
    cache: ShardCache | None = None,
    spill: str | os.PathLike[str] | None = None,
    memory: int | None = None,
) -> AuditResult:
    """Audit documents end to end; every input document is in the result, in input order.

    The per-document stage runs shard by shard, in this process or in `options.jobs` workers, with
    identical results; with a `cache`, shards finished by an earlier run are not recomputed. With a
    `spill` folder, texts and findings go to disk as each shard finishes (`SpilledResults`), so that
    memory holds only the corpus checks' summaries, whatever the corpus size; `docs` is consumed
    lazily either way. `memory`: the corpus pass's budget in MB (audit.memory; None: the default).
    """
    options = options or Options()
    sink = ResultSink(spill, progress, memory)
    _per_document_stage(docs, options, sink, cache, _effective_jobs(options, n_docs))
    return corpus_stage(sink.results, sink.summaries, options, memory)


def _per_document_stage(
    docs: Iterable[Document], options: Options, sink: ResultSink, cache: ShardCache | None, jobs: int
) -> None:
    """The per-document stage, shard by shard, in this process or in `jobs` workers, each shard collected
    into `sink` in input order. A function of its own, so that none of its locals (a shard's documents,
    its outcome) is still alive in the corpus pass."""
    checks = options.checks()
    spilled = isinstance(sink.results, SpilledResults)

    def collect(chunk: list[Document] | None, outcome: Any, key: str | None, path: Any) -> None:
        if isinstance(outcome, ShardOutcome):  # a worker checked and wrote the shard
            sink.add_shard(outcome)
            return
        assert chunk is not None
        if cache is not None and key is not None:
            cache.put(key, outcome)
        sink.add(((doc, found, summ) for doc, (found, summ) in zip(chunk, outcome, strict=True)), path)

    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        # (documents, outcome or its future, cache key, shard path): shards are collected in input order
        pending: list[tuple[list[Document] | None, Any, str | None, Any]] = []
        for chunk in chunked(docs, SHARD_SIZE if pool is None else 64):
            key = ShardCache.key(chunk, options) if cache is not None else None
            cached = cache.get(key) if cache is not None and key is not None else None
            path = sink.results.next_path() if isinstance(sink.results, SpilledResults) else None
            if cached is not None and len(cached) == len(chunk):
                pending.append((chunk, cached, None, path))
            elif pool is None:
                pending.append((chunk, [check_document(d, options, checks) for d in chunk], key, path))
            elif spilled:  # the worker writes the shard and packs its summaries: little comes back
                folder = str(cache.folder) if cache is not None else None
                pending.append((None, pool.submit(check_shard, (chunk, options, str(path), folder, key)), None, path))
            else:
                pending.append((chunk, pool.submit(check_chunk, (chunk, options)), key, path))
            while pending and (pool is None or len(pending) > jobs * 4 or not hasattr(pending[0][1], "result")):
                ch, out, k, p = pending.pop(0)
                collect(ch, out.result() if hasattr(out, "result") else out, k, p)
        for ch, out, k, p in pending:
            collect(ch, out.result() if hasattr(out, "result") else out, k, p)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


class HitsInMemory(dict[str, list[tuple[Check, Any]]]):
    """The corpus checks' hits by document, in memory (a run that keeps its results in memory)."""

    def add(self, check: Check, found: Mapping[str, list[Any]]) -> None:
        """One check's hits by document id (checks are added in the order their findings are added)."""
        for doc_id, hits in found.items():
            if hits:
                self.setdefault(doc_id, []).extend((check, h) for h in hits)


class SpilledHits:
    """The corpus checks' hits on disk from their decision until the shards are finished, in files of
    BLOCK documents by input order (`ordinal`: a document id's place, the summary store's), so that the
    pass holds one check's hits at a time and the finishing of the shards one block's. Reading in input
    order loads each block once; a block's hits are a document's in the order the checks were added."""

    BLOCK = 4096  # documents a file

    def __init__(self, folder: str, ordinal: Callable[[str], int | None], checks: Sequence[Check]) -> None:
        self.folder = folder
        self.ordinal = ordinal
        self.checks = {c.code: c for c in checks}
        self.loose = HitsInMemory()  # hits of an id without an ordinal (none expected): kept in memory
        self.block = -1
        self.current: dict[str, list[tuple[Check, Any]]] = {}

    def _path(self, block: int) -> str:
        return os.path.join(self.folder, f"hits-{block:06d}.pkl")

    def add(self, check: Check, found: Mapping[str, list[Any]]) -> None:
        import pickle

        blocks: dict[int, list[tuple[str, list[Any]]]] = {}
        for doc_id, hits in found.items():
            p = self.ordinal(doc_id)
            if p is None:
                self.loose.add(check, {doc_id: hits})
            elif hits:
                blocks.setdefault(p // self.BLOCK, []).append((doc_id, list(hits)))
        for block, items in blocks.items():
            with open(self._path(block), "ab") as f:
                pickle.dump((check.code, items), f, protocol=pickle.HIGHEST_PROTOCOL)

    def _load(self, block: int) -> dict[str, list[tuple[Check, Any]]]:
        import pickle

        out: dict[str, list[tuple[Check, Any]]] = {}
        if os.path.exists(self._path(block)):
            with open(self._path(block), "rb") as f:
                while f.peek(1):
                    code, items = pickle.load(f)
                    for doc_id, hits in items:
                        out.setdefault(doc_id, []).extend((self.checks[code], h) for h in hits)
        return out

    def get(self, doc_id: str, default: Any = ()) -> Any:
        if doc_id in self.loose:
            return self.loose[doc_id]
        p = self.ordinal(doc_id)
        if p is None:
            return default
        if p // self.BLOCK != self.block:  # the next block in input order (or, for a repeated id, an earlier one)
            self.block, self.current = p // self.BLOCK, {}
            self.current = self._load(self.block)
        return self.current.get(doc_id, default)

    def clear(self) -> None:
        self.loose.clear()
        self.current, self.block = {}, -1


class StoryLabels(Mapping[str, str]):
    """Each document's story, compact, for a run whose summaries are on disk: the story ids as UTF-8 in
    one fixed-width numpy array by the summaries' ordinal (`IdIndex`: ~10 bytes a document), not a dict
    of a key string and a value string a document (~150 bytes, 20 MB at 137,302 entries). Made right
    after the stories are assigned, it lets that dict go before the rest of the pass runs: its 137,302
    small strings, made amid the stories' working memory, would keep the allocator's arenas resident
    under everything after (the claims, the name analysis, MT009, the outputs). An id without an
    ordinal (none expected) keeps its story in a small dict."""

    def __init__(self, stories: Mapping[str, str], index: IdIndex) -> None:
        import numpy as np

        self.index = index
        encoded: dict[int, bytes] = {}
        self.loose: dict[str, str] = {}
        for doc_id, story in stories.items():
            p = index.ordinal(doc_id)
            b = story.encode("utf-8", "surrogatepass")
            if p is None or not b or b.endswith(b"\0"):  # numpy drops trailing NULs: such a label stays loose
                self.loose[doc_id] = story
            else:
                encoded[p] = b
        self.labels = np.zeros(len(index), dtype=f"S{max(map(len, encoded.values()), default=1)}")
        self.present = np.zeros(len(index), dtype=bool)
        if encoded:
            at = np.fromiter(encoded, dtype=np.int64, count=len(encoded))
            self.labels[at] = list(encoded.values())
            self.present[at] = True

    def parts(self) -> tuple[Any, Any, dict[str, str]]:
        """What `from_parts` needs besides the index: the labels, which are present, the loose ones."""
        return self.labels, self.present, self.loose

    @classmethod
    def from_parts(cls, index: IdIndex, labels: Any, present: Any, loose: dict[str, str]) -> StoryLabels:
        out = cls({}, index)
        out.labels, out.present, out.loose = labels, present, loose
        return out

    def __getitem__(self, doc_id: str) -> str:
        story = self.loose.get(doc_id)
        if story is not None:
            return story
        p = self.index.ordinal(doc_id)
        if p is None or p >= len(self.present) or not self.present[p]:
            raise KeyError(doc_id)
        return bytes(self.labels[p]).decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        for p in self.present.nonzero()[0].tolist():
            yield self.index[p]
        yield from self.loose

    def __len__(self) -> int:
        return int(self.present.sum()) + len(self.loose)

    def clear(self) -> None:
        self.present[:] = False
        self.loose.clear()


def stories_on_disk(folder: str, parts: list[Any], part: Any, loc: Any, index: IdIndex) -> tuple[Any, Any, dict]:
    """`StoryLabels(assign_stories(view), index).parts()` of the story summaries of a sealed `SummaryStore`,
    read in a process of their own (`decide_stories`' new interpreter): a read-only store over the same
    part files, given their paths, each document's part, the summaries' offsets and lengths (`loc`) and
    the index; it deletes nothing (no part is its own)."""
    store = SummaryStore(folder)
    store.ids, store.part, store.parts, store.owned = index, part, list(parts), [False] * len(parts)
    store.loc = {STORY_KEY: loc}
    return StoryLabels(assign_stories(store[STORY_KEY]), index).parts()


FRESH_STORIES = 20_000  # documents from which the stories' child is a new interpreter (its start, ~0.3 s CPU and
# ~45 MB, is paid where the parent's pages a fork would carry are larger; below, a fork, same stories)


def decide_stories(terms: Mapping[str, Any], summaries: Any, apart: bool = True) -> Mapping[str, str]:
    """Each document's story (`assign_stories`). With the summaries on disk, the result is `StoryLabels`
    and, with `apart`, the stories are assigned in a child process (`memory.run_apart`; from FRESH_STORIES
    documents a new interpreter that reads the story summaries from the store's files, `stories_on_disk`, so
    that its resident set does not start with this process's pages: 110-140 MB at 137,302 rss-dev entries;
    a fork below), which sends back
    only the labels' arrays: the stories' working memory (the pass's largest) and the arenas it would
    leave resident go with the child, and the rest of the pass starts from what it started from
    (at 137,302 rss-dev entries about 90 MB less under every later phase). Same stories either way."""
    if not isinstance(summaries, SummaryStore):
        return assign_stories(terms)
    from audit.memory import run_apart, trim_memory

    index = summaries.ids
    if apart:
        fresh = len(index) >= FRESH_STORIES and isinstance(terms, SummaryView) and terms.store is summaries
        if fresh:  # a new interpreter reads them itself
            where = (str(summaries.folder), list(summaries.parts), summaries.part, (terms.offsets, terms.lengths))
            got = run_apart(functools.partial(stories_on_disk, *where, index), fresh=True)
        else:
            got = run_apart(lambda: StoryLabels(assign_stories(terms), index).parts())
        if got is not None:
            return StoryLabels.from_parts(index, *got[0])
    stories = assign_stories(terms)
    labels = StoryLabels(stories, index)
    stories.clear()
    trim_memory(collect=False)
    return labels


@dataclass
class CorpusDecisions:
    """What the corpus pass decided: each document's story (a dict, or `StoryLabels`), the claim rows,
    and the corpus checks' hits (in memory, or `SpilledHits`)."""

    stories: Mapping[str, str] = field(default_factory=dict)
    claims: Sequence[dict[str, Any]] = field(default_factory=list)
    hits: HitsInMemory | SpilledHits = field(default_factory=HitsInMemory)


# The claim rows of a corpus whose claims are decided elsewhere (the Dask engine's groupby by story on
# its workers), given each document's story: what `corroborate` would return.
Corroborate = Callable[[Mapping[str, str]], Iterable[dict[str, Any]]]


def by_shared_summaries(checks: list[Check], summaries: Any) -> list[Check]:
    """The corpus checks in order, except that those reading one view of a `SummaryStore` (checks of one
    extract, which may share work kept beside it) come together, at the place of the first of them: so
    the view, and what they keep beside it, goes before the next check runs (`keep_views`). A
    document's findings do not depend on this order (`_dedupe` sorts them; a check's own hits keep theirs)."""
    if not isinstance(summaries, SummaryStore):
        return checks
    views = [id(summaries.get(c.code)) for c in checks]  # ids only: no view is kept alive by this
    first = {v: views.index(v) for v in views}
    return [checks[i] for i in sorted(range(len(checks)), key=lambda i: first[views[i]])]


def decide_corpus(
    summaries: Mapping[str, Mapping[str, Any]] | SummaryStore,
    options: Options,
    decided: Mapping[str, Mapping[str, list[Any]]] | None = None,
    corroborated: Corroborate | None = None,
    hits: HitsInMemory | SpilledHits | None = None,
) -> CorpusDecisions:
    """The corpus pass: stories, claims, and every corpus check's decision, from the summaries alone.
    `decided`: the hits of checks decided elsewhere (the Dask engine's groupbys), by code; their
    `decide` is not called. `corroborated`: the claims decided elsewhere, once the stories are known
    (`corroborate` is not called). `hits`: where each check's hits go as it is decided (default: memory)."""
    out = CorpusDecisions(hits=HitsInMemory() if hits is None else hits)
    if options.stories and summaries.get(STORY_KEY):
        out.stories = decide_stories(summaries[STORY_KEY], summaries, apart=corroborated is None and decided is None)
        rows = corroborated(out.stories) if corroborated else corroborate(summaries.get(CLAIMS_KEY, {}), out.stories)
        out.claims = PackedRows(rows)
    corpus_checks = by_shared_summaries([c for c in options.checks() if c.decide is not None], summaries)
    apart = isinstance(out.hits, SpilledHits) and decided is None and corroborated is None
    done = 0
    for group in view_groups(corpus_checks, summaries):
        for c, found in decide_checks(group, summaries, decided, apart):
            out.hits.add(c, found)
            del found  # one check's hits at a time: the next check's decision does not sit on them
        done += len(group)
        if isinstance(summaries, SummaryStore):  # what the checks done keep beside their summaries goes
            summaries.keep_views(d.code for d in corpus_checks[done:])
    return out


def view_groups(checks: list[Check], summaries: Any) -> list[list[Check]]:
    """The checks (in `by_shared_summaries` order) in runs that read one view of a `SummaryStore` (the
    name checks share one analysis of their mentions); each check alone otherwise."""
    if not isinstance(summaries, SummaryStore):
        return [[c] for c in checks]
    groups: list[list[Check]] = []
    for c in checks:
        if groups and summaries.get(groups[-1][0].code) is summaries.get(c.code):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def decide_checks(
    checks: list[Check], summaries: Any, decided: Mapping[str, Mapping[str, list[Any]]] | None, apart: bool
) -> Iterator[tuple[Check, Mapping[str, list[Any]]]]:
    """Each check's hits by document, in order: those `decided` elsewhere as given, the others from
    their `decide`. With `apart`, the checks of one group (`view_groups`) decide in one forked child
    (`memory.run_apart`) that sends back their hits: the decision's working memory (the name analysis,
    MT009's quotation groups) and the arenas its survivors would pin go with the child, so that each
    group starts from what the pass started from, not from the last one's high-water mark. The same
    hits either way (a child that fails: decided here)."""
    from audit.memory import run_apart

    todo = [c for c in checks if not (decided and c.code in decided)]
    found: dict[str, Mapping[str, list[Any]]] = {}
    if apart and todo:
        got = run_apart(lambda: [c.decide(summaries.get(c.code, {})) for c in todo])
        if got is not None:
            found = dict(zip([c.code for c in todo], got[0], strict=True))
    for c in checks:
        if decided and c.code in decided:
            yield c, decided[c.code]
        elif c.code in found:
            yield c, found.pop(c.code)
        else:
            yield c, c.decide(summaries.get(c.code, {}))


def finish_result(r: DocResult, decisions: CorpusDecisions) -> None:
    """Add the corpus findings and the story to one document's result, then score it."""
    r.story = decisions.stories.get(r.doc.id)
    for c, h in decisions.hits.get(r.doc.id, ()):
        r.findings.extend(_to_findings(r.doc, c, (h,)))
    if r.doc.readable:
        r.findings = _dedupe(r.findings)
        r.score = score_document(r.doc.text, r.findings)


def corpus_stage(
    results: list[DocResult] | SpilledResults,
    summaries: dict[str, dict[str, Any]] | SummaryStore,
    options: Options,
    memory: int | None = None,
    decided: Mapping[str, Mapping[str, list[Any]]] | None = None,
    corroborated: Corroborate | None = None,
) -> AuditResult:
    """The corpus pass and scoring: stories, claims, every corpus check's decision, then scores. The
    corpus checks work within a budget of `memory` MB (audit.memory), putting their parts on disk
    beside the summaries. `decided`, `corroborated`: as for `decide_corpus`."""
    from audit.corpus import load_tables
    from audit.memory import memory_budget, release_after_pass

    if len(results) > 1 and any(c.names for c in options.checks()):  # load what the pass reads, first
        load_tables()
    # numpy imports numpy.ma on the first np.unique: done here, its thousands of module objects are
    # not made amid the pass's working memory, where each would keep a freed page of it resident
    import numpy.ma  # noqa: F401

    store = summaries.folder if isinstance(summaries, SummaryStore) else None
    spill = isinstance(summaries, SummaryStore) and isinstance(results, SpilledResults)
    # a spilled run's hits wait on disk (beside its shards, not in the summaries' folder, which closes
    # first), by block of documents in input order: the summaries' index (`ids.ordinal`: bound to the
    # index itself, which outlives the store's closing below)
    with (
        memory_budget(memory, store),
        TemporaryDirectory(prefix="hits-", dir=results.folder) if spill else nullcontext() as folder,
    ):
        hits = SpilledHits(folder, summaries.ids.ordinal, options.checks()) if spill else None
        decisions = decide_corpus(summaries, options, decided, corroborated, hits)
        if isinstance(summaries, SummaryStore):  # the decisions are all the rest needs
            summaries.close()
        else:
            summaries.clear()
        if isinstance(results, SpilledResults):
            results.update(lambda r: finish_result(r, decisions))
        else:
            for r in results:
                finish_result(r, decisions)
    decisions.stories = {}
    decisions.hits.clear()
    release_after_pass()
    return AuditResult(results, options, decisions.claims)
