"""Storage for a run's intermediate results: what the pipeline (audit.engine) keeps on disk between stages.

- `SpilledResults`: per-document results (texts, findings, scores) in shard files, read back in input order;
- `SummaryStore` / `SummaryView`: the corpus checks' summaries, on disk, read through one Mapping a check;
- `pack_summaries`: one shard's summaries as one blob (made where the shard was checked);
- `ShardCache`: finished shards for `--resume`;
- `PackedRows`: rows kept as one pickled buffer (the claims table).

Nothing here decides anything: the same results come out whether a run spills or not.
"""

from __future__ import annotations

import functools
import os
from array import array
from collections import OrderedDict
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path

    from audit.engine import DocResult, Options
    from audit.records import Document, Finding


def _dump(value: Any, f: BinaryIO) -> None:
    """`pickle.dump(value, f)` at the highest protocol, each `Finding` as a call of its class with its
    fields (a pickler's dispatch table): the state a slots dataclass pickles by itself goes through
    `dataclasses.fields` for every finding, both ways (on bench/e2e.py's 614 pages, a shard's pickling
    0.113 -> 0.049 ms a page and its reading 0.118 -> 0.076). `pickle.load` reads it as any pickle."""
    import pickle

    pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(value)


@functools.cache
def _dispatch_table() -> dict[type, Callable[[Any], tuple[Any, ...]]]:
    """copyreg's dispatch table, and `Finding` pickled as `Finding(*fields)`."""
    import copyreg
    import dataclasses
    import operator

    from audit.records import Finding

    values = operator.attrgetter(*(f.name for f in dataclasses.fields(Finding)))
    table = copyreg.dispatch_table.copy()
    table[Finding] = lambda finding: (Finding, values(finding))
    return table


class ShardPaths(Sequence["Path"]):
    """The shard files of a `SpilledResults`, in input order, held as numbers: a path named as
    `SpilledResults.next_path` names it is kept as its number in an array, any other as itself. A
    `Path` a shard (a list and three strings) made one at a time through the per-document stage lives
    to the end of the run, each keeping a page of Python's allocator, and so its arena, resident among
    the memory the corpus pass frees (2,146 shards at 137,302 entries)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = array("q")  # -1: the path is in `other`
        self.other: dict[int, Path] = {}

    def append(self, path: Path) -> None:
        name = path.name
        k = int(name[6:-4]) if name.startswith("shard-") and name.endswith(".pkl") and name[6:-4].isdigit() else -1
        if k < 0 or path != self.folder / f"shard-{k:06d}.pkl":
            self.other[len(self.numbers)] = path
            k = -1
        self.numbers.append(k)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        k = self.numbers[i]
        return self.other[i % len(self)] if k < 0 else self.folder / f"shard-{k:06d}.pkl"


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
        self.shards: Sequence[Path] = ShardPaths(self.folder)
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
        self.write_file(path, shard)
        self.add_written(path, len(shard))

    def add_written(self, path, n: int) -> None:
        """A shard of `n` results that was written to `path` (by `write_shard`, here or in a worker)."""
        from pathlib import Path

        assert isinstance(self.shards, ShardPaths | list)
        self.shards.append(Path(path))
        self.n += n

    @staticmethod
    def write_file(path, shard: list[DocResult]) -> None:
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            _dump(shard, f)
        os.replace(tmp, path)

    @staticmethod
    def read_file(path) -> list[DocResult]:
        import pickle

        with path.open("rb") as f:
            return pickle.load(f)

    def _get(self, path) -> list[DocResult]:
        """A shard's results: the kept copy, else read from disk (and kept while the cache has room)."""
        shard = self._cache.get(path)
        if shard is None:
            shard = self.read_file(path)
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
            self.write_file(path, shard)

    def __iter__(self) -> Iterator[DocResult]:
        for path in self.shards:
            yield from self._get(path)

    def __len__(self) -> int:
        return self.n

    def close(self) -> None:
        """Delete the shards (and the folder, when it is empty)."""
        for path in self.shards:
            path.unlink(missing_ok=True)
        self.shards = ShardPaths(self.folder)
        self._cache.clear()
        self._cached = 0
        try:
            self.folder.rmdir()
        except OSError:
            pass


class IdIndex:
    """Document ids by ordinal (input order) and ordinals by id, compact: the ids as UTF-8 in one buffer
    with their offsets, and the lookup by id through a sorted array of their 64-bit hashes (numpy),
    each candidate checked against the id itself (so a collision costs a comparison, never a wrong
    answer). About 35 bytes an id, against ~125 for a list of strings and a dict (17 MB at 137,302 ids):
    the index of a corpus's summaries stays resident from the per-document stage to the end of the
    corpus pass. Ids added since the last merge wait in a small dict (merged every MERGE ids)."""

    MERGE = 16_384

    def __init__(self) -> None:
        import numpy as np

        self.blob = bytearray()
        self.starts = array("Q", [0])  # ordinal -> offset of its id in `blob`; one more than there are ids
        self.hashes = np.zeros(0, dtype=np.int64)  # sorted hashes of the merged ids
        self.order = np.zeros(0, dtype=np.int64)  # their ordinals, in the same order
        self.recent: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, p: int) -> str:
        return self.blob[self.starts[p] : self.starts[p + 1]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return (self[p] for p in range(len(self)))

    def ordinal(self, doc_id: str) -> int | None:
        """The ordinal of `doc_id`, or None when it is not in the index."""
        p = self.recent.get(doc_id)
        if p is not None:
            return p
        import numpy as np

        h = np.int64(hash(doc_id))
        k = int(np.searchsorted(self.hashes, h))
        while k < len(self.hashes) and self.hashes[k] == h:
            if self[int(self.order[k])] == doc_id:
                return int(self.order[k])
            k += 1
        return None

    def append(self, doc_id: str) -> int:
        """Add a new id (not in the index: `ordinal` is None); returns its ordinal."""
        p = len(self)
        self.blob += doc_id.encode("utf-8", "surrogatepass")
        self.starts.append(len(self.blob))
        self.recent[doc_id] = p
        if len(self.recent) >= self.MERGE:
            self._merge()
        return p

    def _merge(self) -> None:
        import numpy as np

        hashes = np.concatenate([self.hashes, np.fromiter((hash(d) for d in self.recent), np.int64, len(self.recent))])
        order = np.concatenate([self.order, np.fromiter(self.recent.values(), np.int64, len(self.recent))])
        by = np.argsort(hashes, kind="stable")
        self.hashes, self.order = hashes[by], order[by]
        self.recent = {}


class SummaryStore:
    """The corpus checks' summaries on disk, read back through one read-only Mapping a check.

    Each shard's summaries arrive as one blob of pickles (`pack_summaries`, made where the shard was
    checked: a worker process or a Dask worker), grouped by check so that a check's summaries of a
    shard are contiguous, each object stored once however many checks share it (the three name
    checks share one extract). Blobs are appended to part files here, or stay in the file a worker
    wrote. Memory holds only the index: every document's id (`IdIndex`, ~35 bytes) and, a check, its
    summary's offset and length (12 bytes): ~125 bytes a document with seven corpus checks. `view(code)`
    is a `Mapping[doc_id, summary]` in input order, as the in-memory dict was: iteration streams shard
    by shard with one read a shard; lookups by id read one summary (with a small cache of the latest
    ones, for the checks that compare pairs). Reads use `os.pread`, not mmap, so that pages read stay
    out of the process's resident set.
    """

    PART_BYTES = 1 << 30  # a part file is closed at this size and the next one started
    OPEN_FILES = 32  # part files kept open for reading
    CACHED_VALUES = 2048  # summaries a view keeps decoded for repeated lookups

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ids = IdIndex()  # ordinal -> document id, and `ids.ordinal(doc_id)`
        self.part = array("I")  # ordinal -> part file
        # code -> (offsets, -1 when absent; lengths, 32-bit: those of one summary) by ordinal
        self.loc: dict[str, tuple[array, array]] = {}
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
                self.loc[code] = (array("q", [-1]) * len(self.ids), array("I", [0]) * len(self.ids))
            cols.append(self.loc[code])
        width = 2 * len(codes)
        for i, doc_id in enumerate(ids):
            row = table[i * width : (i + 1) * width]
            if all(row[2 * k] < 0 for k in range(len(codes))):
                continue  # an unreadable document has no summaries
            p = self.ids.ordinal(doc_id)
            if p is None:  # a repeated id keeps its first place and takes the later summaries, as a dict would
                p = self.ids.append(doc_id)
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

    def keep_views(self, codes: Iterable[str]) -> None:
        """Drop the views that no later read needs: all but those of `codes` and their twins (a view
        shared by checks of one extract). What a check keeps beside its view (the name checks' shared
        analysis) goes with it, instead of staying until the store closes."""
        wanted = [self.loc[c][0] for c in codes if c in self.loc]
        self._views = {c: v for c, v in self._views.items() if any(v.offsets == o for o in wanted)}

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
        self.ids, self.loc, self.part = IdIndex(), {}, array("I")  # the index too: nothing is left to read
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
        p = self.store.ids.ordinal(doc_id)
        if p is None or self.offsets[p] < 0:
            raise KeyError(doc_id)
        return self._load(p)

    def __contains__(self, doc_id: object) -> bool:
        p = self.store.ids.ordinal(doc_id) if isinstance(doc_id, str) else None
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
        tmp = self.folder / f".{key}.tmp"
        with tmp.open("wb") as f:
            _dump(value, f)
        os.replace(tmp, self.folder / f"{key}.pkl")


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
