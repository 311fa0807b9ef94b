"""The audit pipeline: per-document checks -> corpus pass -> scoring.

Data flows one way. The per-document stage is a pure function of one document (it runs in this
process or in worker processes, with identical results); the corpus stage sees the summaries the
per-document stage extracted for each corpus check; scoring sees only findings. A large run keeps
texts and findings on disk between the stages (`SpilledResults`) and the summaries too
(`SummaryStore`): each corpus check's decide half reads them through a disk-backed Mapping, so the
main process holds an index of the documents, not their summaries.
"""

from __future__ import annotations

import os
from array import array
from collections import OrderedDict
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
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
MT_KEY = "@mt"  # the per-document MT probability travels with the summaries and lands on DocResult
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


class SpilledResults:
    """Per-document results kept on disk, shard by shard, and read back in input order.

    A large run holds no text and no finding in memory: the per-document stage appends each shard
    here, the corpus pass finishes every shard in place (corpus findings, story, score), and every
    output streams over the finished shards. The outputs read the results a dozen times, so shards
    once decoded are kept while their estimated size fits `cache_bytes` (a 32nd of the `--memory`
    budget by default): a corpus that fits is decoded once. A larger one keeps none (the first shard
    that does not fit empties the cache and ends it): a cache of its first shards would save a small
    share of the reads and cost its whole size on top of the end of the run's peak (~29 MB of 470
    at 30,000 documents).
    """

    DECODED_PER_PICKLED = 4  # decoded objects per byte of pickle: 2.4 measured on 614 real pages, 4 to be safe

    def __init__(self, folder: str | os.PathLike[str], cache_bytes: int = 0) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shards: list[Path] = []
        self.n = 0
        self._next = 0
        self.cache_bytes = cache_bytes
        self._cache: dict[Path, list[DocResult]] = {}
        self._cached = 0

    def next_path(self):
        """Where the next shard goes, in input order (a worker may write it there itself)."""
        path = self.folder / f"shard-{self._next:06d}.pkl"
        self._next += 1
        return path

    def add(self, shard: list[DocResult]) -> None:
        path = self.next_path()
        self._write(path, shard)
        self.add_written(path, len(shard))

    def add_written(self, path, n: int) -> None:
        """A shard of `n` results that was written to `path` (by `write_shard`, here or in a worker)."""
        from pathlib import Path

        self.shards.append(Path(path))
        self.n += n

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

    def _get(self, path) -> list[DocResult]:
        """A shard's results: the kept copy, else read from disk (and kept while the cache has room)."""
        shard = self._cache.get(path)
        if shard is None:
            shard = self._read(path)
            size = path.stat().st_size * self.DECODED_PER_PICKLED
            if self._cached + size <= self.cache_bytes:
                self._cache[path] = shard
                self._cached += size
            else:  # the corpus does not fit: keep nothing from now on
                self._cache.clear()
                self.cache_bytes = self._cached = 0
        return shard

    def update(self, fn: Callable[[DocResult], None]) -> None:
        """Apply `fn` to every result, shard by shard, and store the changed shards (a kept copy is the
        changed one)."""
        for path in self.shards:
            shard = self._get(path)
            for r in shard:
                fn(r)
            self._write(path, shard)

    def __iter__(self) -> Iterator[DocResult]:
        for path in self.shards:
            yield from self._get(path)

    def __len__(self) -> int:
        return self.n

    def close(self) -> None:
        """Delete the shards (and the folder, when it is empty)."""
        for path in self.shards:
            path.unlink(missing_ok=True)
        self.shards = []
        self._cache.clear()
        self._cached = 0
        try:
            self.folder.rmdir()
        except OSError:
            pass


class SummaryStore:
    """The corpus checks' summaries on disk, read back through one read-only Mapping a check.

    Each shard's summaries arrive as one blob of pickles (`pack_summaries`, made where the shard was
    checked: a worker process or a Dask worker), grouped by check so that a check's summaries of a
    shard are contiguous, each object stored once however many checks share it (the three name
    checks share one extract). Blobs are appended to part files here, or stay in the file a worker
    wrote. Memory holds only the index: every document's id and, a check, its summary's offset and
    length (about 150 bytes a document in all). `view(code)` is a `Mapping[doc_id, summary]` in input
    order, as the in-memory dict was: iteration streams shard by shard with one read a shard; lookups
    by id read one summary (with a small cache of the latest ones, for the checks that compare pairs).
    Reads use `os.pread`, not mmap, so that pages read stay out of the process's resident set.
    """

    PART_BYTES = 1 << 30  # a part file is closed at this size and the next one started
    OPEN_FILES = 32  # part files kept open for reading
    CACHED_VALUES = 2048  # summaries a view keeps decoded for repeated lookups

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.part = array("I")  # ordinal -> part file
        self.loc: dict[str, tuple[array, array]] = {}  # code -> (offsets, -1 when absent; lengths) by ordinal
        self.parts: list[Any] = []  # part file paths
        self.owned: list[bool] = []  # whether close() deletes the part
        self._writer: Any = None
        self._writer_part = -1
        self._fds: OrderedDict[int, int] = OrderedDict()
        self._views: dict[str, SummaryView] = {}

    def _append(self, blob: bytes) -> tuple[int, int]:
        if self._writer is None or self._writer.tell() + len(blob) > self.PART_BYTES and self._writer.tell():
            if self._writer is not None:
                self._writer.close()
            path = self.folder / f"part-{len(self.parts):05d}.bin"
            self._writer = path.open("wb")
            self._writer_part = len(self.parts)
            self.parts.append(path)
            self.owned.append(True)
        base = self._writer.tell()
        self._writer.write(blob)
        return self._writer_part, base

    def add(self, packed: PackedSummaries, path: str | os.PathLike[str] | None = None) -> None:
        """One shard's summaries: the blob itself, or the file a worker wrote it to (`path`, kept in
        place and deleted by close())."""
        codes, ids, table, blob = packed
        if not ids:
            return
        if path is not None:
            self.parts.append(path)
            self.owned.append(True)
            part, base = len(self.parts) - 1, 0
        elif blob:
            part, base = self._append(blob)
        else:
            part, base = 0, 0  # no summary at all in this shard: nothing is read
        self._views.clear()
        cols = []
        for code in codes:
            if code not in self.loc:
                self.loc[code] = (array("q", [-1]) * len(self.ids), array("Q", [0]) * len(self.ids))
            cols.append(self.loc[code])
        width = 2 * len(codes)
        for i, doc_id in enumerate(ids):
            row = table[i * width : (i + 1) * width]
            if all(row[2 * k] < 0 for k in range(len(codes))):
                continue  # an unreadable document has no summaries
            p = self.pos.get(doc_id)
            if p is None:  # a repeated id keeps its first place and takes the later summaries, as a dict would
                p = self.pos[doc_id] = len(self.ids)
                self.ids.append(doc_id)
                self.part.append(part)
                for offsets, lengths in self.loc.values():
                    offsets.append(-1)
                    lengths.append(0)
            else:
                self.part[p] = part
                for offsets, _ in self.loc.values():
                    offsets[p] = -1
            for k, (offsets, lengths) in enumerate(cols):
                if row[2 * k] >= 0:
                    offsets[p] = base + row[2 * k]
                    lengths[p] = row[2 * k + 1]

    def seal(self) -> None:
        """No more shards: close the part being written."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _read(self, part: int, offset: int, length: int) -> bytes:
        fd = self._fds.get(part)
        if fd is None:
            self.seal()
            fd = self._fds[part] = os.open(self.parts[part], os.O_RDONLY)
            if len(self._fds) > self.OPEN_FILES:
                os.close(self._fds.popitem(last=False)[1])
        else:
            self._fds.move_to_end(part)
        data = os.pread(fd, length, offset)
        if len(data) != length:
            raise OSError(f"summary store {self.parts[part]}: short read at {offset}")
        return data

    def __contains__(self, code: object) -> bool:
        return code in self.loc

    def __getitem__(self, code: str) -> SummaryView:
        if code not in self.loc:
            raise KeyError(code)
        view = self._views.get(code)
        if view is None:
            offsets = self.loc[code][0]
            # checks that share one extract share one view: the same Mapping object for all of them
            twin = next((v for v in self._views.values() if v.offsets == offsets), None)
            view = self._views[code] = twin or SummaryView(self, code)
        return view

    def get(self, code: str, default: Any = None) -> Any:
        return self[code] if code in self.loc else default

    def close(self) -> None:
        """Close and delete the part files (and the folder, when it is empty)."""
        from pathlib import Path

        self.seal()
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()
        for path, owned in zip(self.parts, self.owned, strict=True):
            if owned:
                Path(path).unlink(missing_ok=True)
        self.parts, self.owned = [], []
        self._views.clear()
        self.ids, self.pos, self.loc, self.part = [], {}, {}, array("I")  # the index too: nothing is left to read
        try:
            self.folder.rmdir()
        except OSError:
            pass


class SummaryView(Mapping[str, Any]):
    """One corpus check's summaries by document id, read from a `SummaryStore` (read-only)."""

    def __init__(self, store: SummaryStore, code: str) -> None:
        self.store = store
        self.offsets, self.lengths = store.loc[code]
        self._n = len(self.offsets) - self.offsets.count(-1)
        self._cache: OrderedDict[int, Any] = OrderedDict()

    def _load(self, p: int) -> Any:
        import pickle

        v = self._cache.get(p)
        if v is not None:
            self._cache.move_to_end(p)
            return v
        v = pickle.loads(self.store._read(self.store.part[p], self.offsets[p], self.lengths[p]))
        self._cache[p] = v
        if len(self._cache) > self.store.CACHED_VALUES:
            self._cache.popitem(last=False)
        return v

    def __getitem__(self, doc_id: str) -> Any:
        p = self.store.pos[doc_id]
        if self.offsets[p] < 0:
            raise KeyError(doc_id)
        return self._load(p)

    def __contains__(self, doc_id: object) -> bool:
        p = self.store.pos.get(doc_id)  # type: ignore[call-overload]
        return p is not None and self.offsets[p] >= 0

    def __iter__(self) -> Iterator[str]:
        return (d for d, off in zip(self.store.ids, self.offsets, strict=True) if off >= 0)

    def __len__(self) -> int:
        return self._n

    def _stream(self) -> Iterator[tuple[str, Any]]:
        """(id, summary) in input order, reading each run of adjacent summaries with one read."""
        import pickle

        store, offsets, lengths = self.store, self.offsets, self.lengths
        run: list[int] = []
        end = -1

        def flush() -> Iterator[tuple[str, Any]]:
            first = offsets[run[0]]
            data = memoryview(store._read(store.part[run[0]], first, end - first))
            for p in run:
                o = offsets[p] - first
                yield store.ids[p], pickle.loads(data[o : o + lengths[p]])

        for p in range(len(offsets)):
            off = offsets[p]
            if off < 0:
                continue
            if run and (off != end or store.part[p] != store.part[run[0]] or end - offsets[run[0]] > 1 << 23):
                yield from flush()
                run = []
            run.append(p)
            end = off + lengths[p]
        if run:
            yield from flush()

    def items(self) -> ItemsView[str, Any]:
        return _StreamedItems(self)

    def values(self) -> ValuesView[Any]:
        return _StreamedValues(self)


class _StreamedItems(ItemsView):
    def __iter__(self):
        return self._mapping._stream()


class _StreamedValues(ValuesView):
    def __iter__(self):
        return (v for _, v in self._mapping._stream())


# (codes, document ids, offsets and lengths: for each document and code an offset into the blob and a
# length, -1 and 0 where the document has no such summary, flattened; the blob of pickles)
PackedSummaries = tuple[tuple[str, ...], list[str], array, bytes]


def pack_summaries(items: Iterable[tuple[str, dict[str, Any]]]) -> PackedSummaries:
    """One shard's summaries (document id, {code: summary}) as one blob, grouped by code; an object that
    several codes share is stored once."""
    import io
    import pickle

    items = list(items)
    codes: list[str] = []
    for _, summ in items:
        for code in summ:
            if code not in codes:
                codes.append(code)
    width = 2 * len(codes)
    table = array("q", [-1, 0]) * (len(items) * len(codes))
    buf = io.BytesIO()
    for k, code in enumerate(codes):
        for i, (_, summ) in enumerate(items):
            if code not in summ:
                continue
            sm = summ[code]
            twin = next((j for j, c in enumerate(codes[:k]) if summ.get(c) is sm), None)
            if twin is not None:
                table[i * width + 2 * k : i * width + 2 * k + 2] = table[
                    i * width + 2 * twin : i * width + 2 * twin + 2
                ]
                continue
            start = buf.tell()
            pickle.dump(sm, buf, protocol=pickle.HIGHEST_PROTOCOL)
            table[i * width + 2 * k] = start
            table[i * width + 2 * k + 1] = buf.tell() - start
    return tuple(codes), [doc_id for doc_id, _ in items], table, buf.getvalue()


@dataclass
class AuditResult:
    """Every document's result, in input order: a list, or `SpilledResults` for a run that spilled to disk."""

    results: list[DocResult] | SpilledResults
    options: Options
    claims: Sequence[dict[str, Any]] = field(default_factory=list)  # corroboration rows (audit.corpus.claims)

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
    if any(c.category == "mt" for c in checks):
        from audit.mtmodel import NOT_JUDGED, artifact_checks, in_model_language, mt_probability

        artifacts = {c.code for c in artifact_checks()} & {f.code for f in findings}
        judged = in_model_language(view)  # another language: no probability (NaN), no verdict
        summaries[MT_KEY] = mt_probability(doc.text, len(artifacts)) if judged else NOT_JUDGED
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
    SpilledResults._write(Path(path), [doc_result(doc, found, summ) for doc, found, summ in outcomes])
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

        from audit.budget import megabytes

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
    lazily either way. `memory`: the corpus pass's budget in MB (audit.budget; None: the default).
    """
    options = options or Options()
    checks = options.checks()
    sink = ResultSink(spill, progress, memory)
    spilled = isinstance(sink.results, SpilledResults)

    def collect(chunk: list[Document] | None, outcome: Any, key: str | None, path: Any) -> None:
        if isinstance(outcome, ShardOutcome):  # a worker checked and wrote the shard
            sink.add_shard(outcome)
            return
        assert chunk is not None
        if cache is not None and key is not None:
            cache.put(key, outcome)
        sink.add(((doc, found, summ) for doc, (found, summ) in zip(chunk, outcome, strict=True)), path)

    jobs = _effective_jobs(options, n_docs)
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        # (documents, outcome or its future, cache key, shard path): shards are collected in input order
        pending: list[tuple[list[Document] | None, Any, str | None, Any]] = []
        for chunk in _chunks(docs, SHARD_SIZE if pool is None else 64):
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

    return corpus_stage(sink.results, sink.summaries, options, memory)


class PackedRows(Sequence[dict[str, Any]]):
    """Rows (the claims table) kept as one pickled buffer, decoded each time they are read.

    The corpus pass makes its claim rows early and the outputs read them at the end: held as objects,
    hundreds of thousands of small survivors (each row's dict, its strings and numbers) sit among the
    pass's freed working memory and keep that memory's pages resident (Python frees an allocator arena
    only when nothing in it lives). One buffer pins nothing; the outputs decode it a few times."""

    def __init__(self, rows: Iterable[dict[str, Any]] = ()) -> None:
        import pickle

        rows = list(rows)
        self._n = len(rows)
        self._blob = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)

    def _rows(self) -> list[dict[str, Any]]:
        import pickle

        return pickle.loads(self._blob)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        return self._rows()[i]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"PackedRows({self._rows()!r})"


@dataclass
class CorpusDecisions:
    """What the corpus pass decided: each document's story, the claim rows, and the corpus checks' hits."""

    stories: dict[str, str] = field(default_factory=dict)
    claims: Sequence[dict[str, Any]] = field(default_factory=list)
    hits: dict[str, list[tuple[Check, Any]]] = field(default_factory=dict)


def decide_corpus(
    summaries: Mapping[str, Mapping[str, Any]] | SummaryStore,
    options: Options,
    decided: Mapping[str, Mapping[str, list[Any]]] | None = None,
) -> CorpusDecisions:
    """The corpus pass: stories, claims, and every corpus check's decision, from the summaries alone.
    `decided`: the hits of checks decided elsewhere (the Dask engine's groupbys), by code; their
    `decide` is not called."""
    out = CorpusDecisions()
    if options.stories and summaries.get(STORY_KEY):
        out.stories = assign_stories(summaries[STORY_KEY])
        out.claims = PackedRows(corroborate(summaries.get(CLAIMS_KEY, {}), out.stories))
    for c in options.checks():
        if c.decide is None:
            continue
        found = decided[c.code] if decided and c.code in decided else c.decide(summaries.get(c.code, {}))
        for doc_id, hits in found.items():
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
    results: list[DocResult] | SpilledResults,
    summaries: dict[str, dict[str, Any]] | SummaryStore,
    options: Options,
    memory: int | None = None,
    decided: Mapping[str, Mapping[str, list[Any]]] | None = None,
) -> AuditResult:
    """The corpus pass and scoring: stories, claims, every corpus check's decision, then scores. The
    corpus checks work within a budget of `memory` MB (audit.budget), putting their parts on disk
    beside the summaries. `decided`: as for `decide_corpus`."""
    from audit.budget import memory_budget
    from audit.corpus import load_tables

    if len(results) > 1 and any(c.names for c in options.checks()):  # load what the pass reads, first
        load_tables()
    with memory_budget(memory, summaries.folder if isinstance(summaries, SummaryStore) else None):
        decisions = decide_corpus(summaries, options, decided)
    if isinstance(summaries, SummaryStore):  # the decisions are all the rest needs
        summaries.close()
    else:
        summaries.clear()
    if isinstance(results, SpilledResults):
        results.update(lambda r: finish_result(r, decisions))
    else:
        for r in results:
            finish_result(r, decisions)
    decisions.stories.clear()
    decisions.hits.clear()
    _release_memory()
    return AuditResult(results, options, decisions.claims)


def _release_memory() -> None:
    """Hand the memory the corpus pass freed back to the system, so that the outputs that follow start
    from the index, not from the corpus pass's high-water mark."""
    from audit.budget import trim_memory
    from audit.corpus import release_caches

    release_caches()
    trim_memory()
