"""Readers for every input format. Every document comes out, readable or not, with the reason.

A folder: each `*.txt` below it is a document, id = relative path without `.txt`, source = the
folder the file sits in. A `.txt` file: one document. `.jsonl`, `.csv`, `.parquet`: one document a row
with `id` and `text`, optional `source`, `url`, `title`, `published`, `language`; other columns are
carried through to the scores table. `Columns` names other id, text and source columns and says where
a row's source comes from when it has none (`source_from`); every document records in
`meta["source_from"]` where its source came from (`column`, `folder`, `file` or `url-host`).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from audit.records import STATUS_UNREADABLE, Document

ROW_FORMATS = (".jsonl", ".csv", ".parquet")
SOURCE_FROM = ("column", "folder", "file", "url-host")
SOURCE_KEY = "source_from"  # meta key: where the document's source came from


class InputError(Exception):
    """An input that cannot be used at all (missing path, unknown format): a usage error."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Which columns of a row file hold the id, the text and the source, and where a row's source comes
    from when its source column is absent or empty: nowhere (`column`), the name of the folder the
    input file sits in (`folder`), the input file's name without its suffix (`file`), or the host of
    the row's `url` column without `www.` (`url-host`). `.txt` documents always take their folder."""

    id: str = "id"
    text: str = "text"
    source: str = "source"
    source_from: str = "column"

    def __post_init__(self) -> None:
        if self.source_from not in SOURCE_FROM:
            raise InputError(f"source from {self.source_from!r}: choose one of {', '.join(SOURCE_FROM)}")
        if len({self.id, self.text, self.source}) < 3:
            raise InputError(
                f"the id, text and source columns must differ (id {self.id!r}, text {self.text!r}, source {self.source!r})"
            )


DEFAULT_COLUMNS = Columns()


def _unreadable(doc_id: str, reason: str, origin: str, line: int | None = None, source: str | None = None) -> Document:
    return Document(doc_id, "", source=source, status=STATUS_UNREADABLE, reason=reason, origin=origin, line=line)


def _decode(data: bytes) -> tuple[str | None, str | None]:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "binary file (NUL bytes)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, f"invalid UTF-8 at byte {e.start}: {e.reason}"


def _read_text_file(path: Path, doc_id: str, source: str | None) -> Document:
    try:
        data = path.read_bytes()
    except OSError as e:
        doc = _unreadable(doc_id, f"cannot read file: {e.strerror or e}", str(path), source=source)
    else:
        text, err = _decode(data)
        if err:
            doc = _unreadable(doc_id, err, str(path), source=source)
        else:
            doc = Document(doc_id, text, source=source, origin=str(path), line=1)
    doc.meta = {SOURCE_KEY: "folder"}
    return doc


def folder_files(root: Path) -> list[tuple[str, str, str, str | None]]:
    """(absolute path, path as read, id, source) of every `.txt` file below `root`, in reading order: the
    one folder walk, for `load_documents` and for the partitions a worker reads."""
    paths = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=None):
        dirnames.sort()
        paths.extend(Path(dirpath) / n for n in filenames if n.endswith(".txt"))
    paths.sort(key=lambda p: p.relative_to(root).as_posix())
    out = []
    for path in paths:
        rel = path.relative_to(root).as_posix()
        parent = path.parent.relative_to(root).as_posix()
        source = root.resolve().name if parent == "." else parent
        out.append((str(path.resolve()), str(path), rel[: -len(".txt")], source))
    return out


def _iter_folder(root: Path) -> Iterator[Document]:
    for _path, origin, doc_id, source in folder_files(root):
        yield _read_text_file(Path(origin), doc_id, source)


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v == ""


def url_host(url: Any) -> str | None:
    """The host of a URL, lower-case, without a leading `www.`; None when there is none."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:  # a malformed URL (say an unclosed IPv6 bracket) has no host
        return None
    return host.removeprefix("www.") if host else None


def _row_source(row: dict[str, Any], origin: str, columns: Columns) -> tuple[str | None, str | None]:
    """(source, where it came from) for one row."""
    value = row.get(columns.source)
    if not _missing(value):
        return str(value), "column"
    if columns.source_from == "folder" and not origin.startswith("<"):
        return Path(origin).resolve().parent.name or None, "folder"
    if columns.source_from == "file" and not origin.startswith("<"):
        return Path(origin).stem, "file"
    if columns.source_from == "url-host":
        host = url_host(row.get("url"))
        return (host, "url-host") if host else (None, None)
    return None, None


def row_document(
    row: dict[str, Any], origin: str, line: int, fallback_id: str, columns: Columns = DEFAULT_COLUMNS
) -> Document:
    raw_id = row.get(columns.id)
    doc_id = fallback_id if _missing(raw_id) else str(raw_id)
    source, source_from = _row_source(row, origin, columns)
    text = row.get(columns.text)
    meta = {k: v for k, v in row.items() if k not in (columns.id, columns.text, columns.source)}
    if source_from:
        meta[SOURCE_KEY] = source_from
    name = columns.text
    if name not in row:
        doc = _unreadable(doc_id, f"no {name!r} field (--text-column names the text column)", origin, line, source)
    elif not isinstance(text, str):
        if text is None or (isinstance(text, float) and text != text):
            doc = _unreadable(doc_id, f"{name!r} is missing (null)", origin, line, source)
        else:
            doc = _unreadable(doc_id, f"{name!r} is not a string but {type(text).__name__}", origin, line, source)
    else:
        doc = Document(doc_id, text, source=source, origin=origin, line=line)
    doc.meta = meta
    return doc


def _json_error(e: json.JSONDecodeError) -> str:
    """`Invalid control character at column 39`: json's own message ends in "at" for some errors."""
    return f"{e.msg.removesuffix(' at')} at column {e.pos + 1}"


def jsonl_document(raw: bytes, lineno: int, path: str, columns: Columns = DEFAULT_COLUMNS) -> Document | None:
    """Line `lineno` of a JSONL file as a document, or an unreadable record with its reason (None for a
    blank line): the one reading of a JSONL line, for a whole file and for a worker's byte range."""
    if not raw.strip():
        return None
    fallback = f"{Path(path).stem}:{lineno}"
    text, err = _decode(raw)
    if err:
        return _unreadable(fallback, f"line {lineno}: {err}", path, lineno)
    if lineno == 1:
        text = text.removeprefix("\ufeff")
    try:
        row = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as e:
        return _unreadable(fallback, f"line {lineno}: malformed JSON: {_json_error(e)}", path, lineno)
    if not isinstance(row, dict):
        return _unreadable(fallback, f"line {lineno}: a JSON {type(row).__name__}, not an object", path, lineno)
    return row_document(row, path, lineno, fallback, columns)


def _iter_jsonl(path: Path, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Document]:
    try:
        f = path.open("rb")
    except OSError as e:
        yield _unreadable(path.stem, f"cannot read file: {e.strerror or e}", str(path))
        return
    with f:
        for lineno, raw in enumerate(f, 1):
            doc = jsonl_document(raw, lineno, str(path), columns)
            if doc is not None:
                yield doc


def _iter_csv(path: Path, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Document]:
    stem = path.stem
    try:
        data = path.read_bytes()
    except OSError as e:
        yield _unreadable(stem, f"cannot read file: {e.strerror or e}", str(path))
        return
    text, err = _decode(data)
    if err:
        yield _unreadable(stem, err, str(path))
        return
    csv.field_size_limit(1 << 30)
    reader = csv.DictReader(_lines_keepends(text.removeprefix("\ufeff")))
    if reader.fieldnames is None:
        return
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield _unreadable(f"{stem}:{line}", f"line {line}: malformed CSV: {e}", str(path), line)
            continue
        if None in row:
            extra = row.pop(None)
            yield _unreadable(
                str(row.get(columns.id) or f"{stem}:{line}"),
                f"line {line}: {len(extra)} more fields than the header",
                str(path),
                line,
            )
            continue
        if any(v is None for v in row.values()):
            yield _unreadable(
                str(row.get(columns.id) or f"{stem}:{line}"),
                f"line {line}: fewer fields than the header",
                str(path),
                line,
            )
            continue
        yield row_document(row, str(path), line, f"{stem}:{line}", columns)


def _lines_keepends(text: str) -> Iterator[str]:
    start = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


class CsvRecords(NamedTuple):
    """A CSV file as it was written: its header line, each record's text by the line it starts on (the
    line `Document.line` gives a CSV row, blank lines before it included), and what follows the last one."""

    header: list[str]
    head: str
    records: dict[int, tuple[str, list[str]]]
    tail: str


def csv_records(path: Path) -> CsvRecords:
    """The records of a CSV file with their raw text, numbered as the loader numbers its rows, so that a
    writer can copy an unedited row byte for byte."""
    text, err = _decode(path.read_bytes())
    if err:
        raise InputError(f"{path}: {err}")
    consumed: list[str] = []

    def feed() -> Iterator[str]:
        for line in _lines_keepends(text):
            consumed.append(line)
            yield line

    csv.field_size_limit(1 << 30)
    reader = csv.reader(feed())
    header = [h.removeprefix("\ufeff") for h in next(reader, [])]
    head, records = "".join(consumed), {}
    consumed.clear()
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            row = None
        if row == []:  # a blank line: read with the record after it, as the loader reads it
            continue
        if row is not None:
            records[start] = ("".join(consumed), row)
        consumed.clear()
        start = reader.line_num + 1
    return CsvRecords(header, head, records, "".join(consumed))


def _iter_parquet(path: Path, columns: Columns = DEFAULT_COLUMNS) -> Iterator[Document]:
    try:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
    except Exception as e:  # noqa: BLE001 - any failure to open is reported on the document
        yield _unreadable(path.stem, f"cannot read parquet: {e}", str(path))
        return
    row_no = 0
    for batch in pf.iter_batches(batch_size=2048):
        for row in batch.to_pylist():
            row_no += 1
            yield row_document(row, str(path), row_no, f"{path.stem}:{row_no}", columns)


def iter_input(path: str | os.PathLike[str], columns: Columns = DEFAULT_COLUMNS) -> Iterator[Document]:
    """Documents of one input path, in a stable order."""
    p = Path(path)
    if p.is_dir():
        yield from _iter_folder(p)
    elif not p.exists():
        raise InputError(f"no such file or folder: {p}")
    elif p.suffix == ".txt":
        yield _read_text_file(p, p.stem, p.parent.resolve().name)
    elif p.suffix == ".jsonl":
        yield from _iter_jsonl(p, columns)
    elif p.suffix == ".csv":
        yield from _iter_csv(p, columns)
    elif p.suffix == ".parquet":
        yield from _iter_parquet(p, columns)
    else:
        raise InputError(f"unsupported input {p}: give a folder of .txt files or a .txt, .jsonl, .csv or .parquet file")


def check_inputs(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Raise InputError for any path that cannot be used, before any work is done."""
    for path in paths:
        p = Path(path)
        if not p.exists():
            raise InputError(f"no such file or folder: {p}")
        if not p.is_dir() and p.suffix not in (".txt", *ROW_FORMATS):
            raise InputError(
                f"unsupported input {p}: give a folder of .txt files or a .txt, .jsonl, .csv or .parquet file"
            )


HEAD_ROWS = 20  # JSONL rows read to decide that a file has no text column at all
HEAD_BYTES = 1 << 20  # at most this much of a JSONL file is read for that decision


def _jsonl_head_keys(path: Path) -> list[list[str]] | None:
    """The keys of the first JSON-object rows of a JSONL file (None when it cannot be read: the reader reports it)."""
    rows: list[list[str]] = []
    try:
        with path.open("rb") as f:
            read = 0
            for raw in f:
                read += len(raw)
                if raw.strip():
                    try:
                        row = json.loads(raw.decode("utf-8").removeprefix("\ufeff"))
                    except (UnicodeDecodeError, json.JSONDecodeError):
                        row = None
                    if isinstance(row, dict):
                        rows.append(list(row))
                if len(rows) >= HEAD_ROWS or read >= HEAD_BYTES:
                    break
    except OSError:
        return None
    return rows


def _csv_header(path: Path) -> list[str] | None:
    """The header row of a CSV file (None when it cannot be read or decoded: the reader reports it)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def file_columns(path: Path) -> list[str] | None:
    """The columns a row file offers, from its header (CSV), its schema (Parquet) or its first rows (JSONL,
    the union of their keys); None when there is nothing to decide from (an empty or unreadable file)."""
    if path.suffix == ".csv":
        return _csv_header(path)
    if path.suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(path).schema_arrow.names)
        except Exception:  # noqa: BLE001 - the reader reports the real error on the document
            return None
    rows = _jsonl_head_keys(path)
    if not rows:
        return None
    return list(dict.fromkeys(k for keys in rows for k in keys))


def check_columns(paths: Iterable[str | os.PathLike[str]], columns: Columns = DEFAULT_COLUMNS) -> None:
    """Raise InputError, before any work, for a row file whose header or first rows have no text column."""
    for path in paths:
        p = Path(path)
        if p.is_dir() or p.suffix not in ROW_FORMATS:
            continue
        found = file_columns(p)
        if found is not None and columns.text not in found:
            listed = ", ".join(found) if found else "none"
            raise InputError(
                f"no column {columns.text!r} in {p}; its columns are: {listed} (use --text-column to name the text column)"
            )


def skipped_files(folder: str | os.PathLike[str]) -> dict[str, int]:
    """Files below a folder that are not read (only `.txt` is), counted by suffix."""
    counts: dict[str, int] = {}
    for _, _, names in os.walk(folder):
        for name in names:
            if not name.endswith(".txt"):
                suffix = Path(name).suffix or "without suffix"
                counts[suffix] = counts.get(suffix, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def no_documents_note(paths: Iterable[str | os.PathLike[str]]) -> str:
    """What to tell a user whose inputs held no document: which inputs, and for folders what was skipped and why."""
    paths = list(paths)
    lines = ["no document found in " + ", ".join(str(p) for p in paths)]
    for path in paths:
        p = Path(path)
        if p.is_dir():
            skipped = skipped_files(p)
            n = sum(skipped.values())
            if n:
                kinds = ", ".join(f"{c} {s}" for s, c in skipped.items())
                lines.append(f"{p}: {n} file{'s' * (n != 1)} skipped ({kinds}): only .txt files are read from folders")
            else:
                lines.append(f"{p}: the folder holds no files (only .txt files are read from folders)")
    return "\n".join(lines)


def count_documents(paths: Iterable[str | os.PathLike[str]]) -> int | None:
    """How many documents the inputs hold, found cheaply (for a progress bar); None when a CSV makes it costly."""
    total = 0
    for path in paths:
        p = Path(path)
        if p.is_dir():
            total += sum(1 for _, _, names in os.walk(p) for n in names if n.endswith(".txt"))
        elif p.suffix == ".txt":
            total += 1
        elif p.suffix == ".jsonl":
            try:
                with p.open("rb") as f:
                    total += sum(1 for raw in f if raw.strip())
            except OSError:
                total += 1
        elif p.suffix == ".parquet":
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(p).metadata.num_rows
            except Exception:  # noqa: BLE001 - the reader reports the real error; this is only a count
                return None
        else:
            return None
    return total


def unique_ids(docs: Iterable[Document]) -> Iterator[Document]:
    """Rename repeated ids to `id#2`, `id#3`, ... so that both documents are kept; the note says so."""
    seen: dict[str, int] = {}
    for doc in docs:
        n = seen.get(doc.id, 0) + 1
        seen[doc.id] = n
        if n > 1:
            new = f"{doc.id}#{n}"
            while new in seen:
                n += 1
                new = f"{doc.id}#{n}"
            seen[new] = 1
            doc.meta = {**doc.meta, "duplicate_of": doc.id}
            doc.id = new
        yield doc


def load_documents(paths: Iterable[str | os.PathLike[str]], columns: Columns | None = None) -> Iterator[Document]:
    """Every document of every input, in input order, with unique ids; `columns` names the row files' columns."""
    paths = list(paths)
    check_inputs(paths)
    columns = columns or DEFAULT_COLUMNS
    check_columns(paths, columns)

    def chain() -> Iterator[Document]:
        for p in paths:
            yield from iter_input(p, columns)

    return unique_ids(chain())


# Partitions: pieces of the input that a worker reads on its own (the Dask engine plans and sends them).
DOCS_PER_PARTITION = 256  # .txt files a partition (and documents a partition when a client sends them)
BYTES_PER_PARTITION = 8 << 20  # a JSONL partition's byte range


@dataclass(frozen=True)
class Partition:
    """A piece of the input that one worker reads on its own.

    `kind`: `jsonl` (bytes `start` to `end` of `path`, whose first line is line `first`), `parquet`
    (row group `start` of `path`, whose first row is row `first`), `files` (the `.txt` files `files`,
    each as (path, origin, id, source)), or `input` (the whole of `path`, read as `load_documents`
    reads it). `path` is absolute (workers have their own working folders); `origin` is the path as
    the user gave it, which documents record (annotations and SARIF locations use it)."""

    kind: str
    path: str
    origin: str
    start: int = 0
    end: int = 0
    first: int = 1
    files: tuple[tuple[str, str, str, str | None], ...] = ()


def jsonl_ranges(path: Path, size: int) -> list[tuple[int, int]]:
    """Byte ranges of about `size` bytes, each starting at a line start (the client reads one line a cut)."""
    total = path.stat().st_size
    cuts = [0]
    with path.open("rb") as f:
        while cuts[-1] + size < total:
            f.seek(cuts[-1] + size - 1)
            f.readline()  # to the end of the line the cut falls in
            pos = f.tell()
            if pos >= total:
                break
            cuts.append(pos)
    cuts.append(total)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [(0, 0)]


def plan_partitions(
    inputs: Iterable[str | os.PathLike[str]], bytes_per_partition: int | None = None
) -> list[Partition]:
    """The partitions of the inputs, in input order; JSONL partitions still need their first line
    numbers (`count_lines` on each, added up in order). Cheap: file sizes, one line a cut, Parquet metadata, folder listings."""
    from audit.load import check_inputs

    bytes_per_partition = bytes_per_partition or BYTES_PER_PARTITION
    inputs = [Path(p) for p in inputs]
    check_inputs(inputs)
    parts: list[Partition] = []
    for p in inputs:
        path, origin = str(p.resolve()), str(p)
        if p.is_dir():
            files = folder_files(p)
            for k in range(0, len(files), DOCS_PER_PARTITION):
                parts.append(Partition("files", path, origin, files=tuple(files[k : k + DOCS_PER_PARTITION])))
        elif p.suffix == ".jsonl":
            try:
                ranges = jsonl_ranges(p, bytes_per_partition)
            except OSError:  # the reader reports it on a document of its own
                parts.append(Partition("input", path, origin))
                continue
            parts.extend(Partition("jsonl", path, origin, a, b) for a, b in ranges)
        elif p.suffix == ".parquet":
            try:
                import pyarrow.parquet as pq

                meta = pq.ParquetFile(p).metadata
                groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
            except Exception:  # noqa: BLE001 - the reader reports the real error on a document
                parts.append(Partition("input", path, origin))
                continue
            first = 1
            for i, rows in enumerate(groups):
                parts.append(Partition("parquet", path, origin, i, i + 1, first))
                first += rows
        else:  # CSV (a quoted field may hold line breaks: no byte ranges) and single .txt files
            parts.append(Partition("input", path, origin))
    return parts


def count_lines(part: Partition) -> int:
    with open(part.path, "rb") as f:
        f.seek(part.start)
        data = f.read(part.end - part.start)
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def read_partition(part: Partition, columns: Any = None) -> Iterator[Document]:
    """The documents of one partition, exactly as `load_documents` reads them (before repeated ids
    are renamed, which needs the whole input and is done by the client)."""
    columns = columns or DEFAULT_COLUMNS
    if part.kind == "files":
        for path, origin, doc_id, source in part.files:
            doc = _read_text_file(Path(path), doc_id, source)
            doc.origin = origin
            yield doc
        return
    for doc in _read_rows(part, columns):
        if doc.origin == part.path:
            doc.origin = part.origin
        yield doc


def _read_rows(part: Partition, columns: Any) -> Iterator[Document]:
    if part.kind == "input":
        yield from iter_input(part.path, columns)
    elif part.kind == "jsonl":
        with open(part.path, "rb") as f:
            f.seek(part.start)
            lineno, pos = part.first - 1, part.start
            while pos < part.end:
                raw = f.readline()
                if not raw:
                    break
                lineno += 1
                pos += len(raw)
                doc = jsonl_document(raw, lineno, part.path, columns)
                if doc is not None:
                    yield doc
    elif part.kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.ParquetFile(part.path).read_row_group(part.start)
        stem = Path(part.path).stem
        for k, row in enumerate(table.to_pylist()):
            row_no = part.first + k
            yield row_document(row, part.path, row_no, f"{stem}:{row_no}", columns)
    else:
        raise ValueError(f"unknown partition kind {part.kind!r}")
