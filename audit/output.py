"""Writers for `findings.jsonl` and `scores.csv` (SPEC.md), each written atomically.

`evidence` in findings.jsonl is capped at EVIDENCE_CAP characters: a finding whose span is longer (a
20 MB one-sentence document cut off mid-sentence) carries the first EVIDENCE_CAP characters and
`"evidence_truncated": true`; `start`/`end` stay exact, and every other finding keeps
`evidence == text[start:end]`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from audit.engine import AuditResult, DocResult
from audit.load import DEFAULT_COLUMNS, SOURCE_KEY, Columns, csv_records
from audit.memory import trim_memory
from audit.provenance import PROVENANCE_COLUMNS, Provenance
from audit.records import CATEGORIES, Document, Finding

SCORE_COLUMNS = ("doc_id", "source", "status", "score", "n_findings", *CATEGORIES)
EVIDENCE_CAP = 10_000  # characters of evidence written per finding
EXTRA_COLUMNS = ("clean_share", "reason", "reasons", "story", *PROVENANCE_COLUMNS)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path` and rename it into place only when writing succeeded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def finding_record(f: Finding) -> dict[str, Any]:
    """A finding as findings.jsonl writes it: evidence capped at EVIDENCE_CAP characters, flagged when cut."""
    d = f.to_dict()
    if len(f.evidence) > EVIDENCE_CAP:
        d["evidence"] = f.evidence[:EVIDENCE_CAP]
        d["evidence_truncated"] = True
    return d


# `json.dumps(record, ensure_ascii=False)`'s encoder, made once: with a keyword argument, `dumps` makes a new
# encoder for each record (a fifth of its time on findings.jsonl's records); the same text
_FINDING_JSON = json.JSONEncoder(ensure_ascii=False)


def finding_lines(result: AuditResult) -> Iterator[str]:
    encode = _FINDING_JSON.encode
    for r in result.results:
        for f in r.findings:
            yield encode(finding_record(f)) + "\n"


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def score_columns(result: AuditResult) -> list[str]:
    """The scores table's columns: SPEC columns, reason(s), story, provenance, then carried metadata."""
    meta_cols: list[str] = []
    seen = set(SCORE_COLUMNS) | set(EXTRA_COLUMNS)
    for r in result.results:
        for k in r.doc.meta:
            if k not in seen:
                seen.add(k)
                meta_cols.append(k)
    return [*SCORE_COLUMNS, *EXTRA_COLUMNS, *meta_cols]


def score_row(r: DocResult, provenance: Provenance) -> dict[str, Any]:
    """One document's row of the scores table."""
    d = r.doc
    row: dict[str, Any] = {"doc_id": d.id, "source": d.source or "", "status": d.status, "story": r.story or ""}
    row.update(provenance(r))
    if r.score is not None:
        row.update(score=f"{r.score.score:.1f}", n_findings=r.score.n_findings, **r.score.counts)
        row["clean_share"] = f"{r.score.clean_share:.3f}"
        row["reasons"] = "; ".join(r.score.reasons)
        row["reason"] = ""
    else:
        row.update(score="", n_findings=0, clean_share="", **dict.fromkeys(CATEGORIES, 0))
        row["reason"] = d.reason or ""
        row["reasons"] = ""
    for k, v in d.meta.items():
        if k not in row:
            row[k] = _cell(v)
    return row


def iter_score_rows(result: AuditResult) -> Iterator[dict[str, Any]]:
    """One row a document, in input order, computed as the results stream by."""
    provenance = Provenance(result)
    for r in result.results:
        yield score_row(r, provenance)


def score_rows(result: AuditResult) -> tuple[list[str], list[dict[str, Any]]]:
    """The scores table as (columns, rows), in memory (the API's DataFrame and the gate's table)."""
    return score_columns(result), list(iter_score_rows(result))


def write_scores(result: AuditResult, f: IO[str]) -> None:
    cols = score_columns(result)
    w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in iter_score_rows(result):
        w.writerow({c: row.get(c, "") for c in cols})


def _csv(columns, rows) -> str:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: _cell(row.get(k)) for k in columns})
    return buf.getvalue()


def sources_csv(result: AuditResult, ratings: dict[str, str] | None = None) -> str:
    from audit.sources import source_columns, source_rows

    return _csv(source_columns(ratings), source_rows(result, ratings))


CLAIM_COLUMNS = ("story", "doc_id", "kind", "claim", "low", "high", "start", "end", "status", "agreeing_documents")


def claims_csv(result: AuditResult) -> str:
    return _csv(CLAIM_COLUMNS, result.claims)


def write_outputs(
    result: AuditResult,
    out: Path,
    report: bool = True,
    ratings: dict[str, str] | None = None,
    report_docs: int | None = None,
) -> dict[str, Path]:
    """Write findings.jsonl, scores.csv, sources.csv, claims.csv and report.html into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "findings": out / "findings.jsonl",
        "scores": out / "scores.csv",
        "sources": out / "sources.csv",
        "claims": out / "claims.csv",
    }
    with atomic_write(paths["findings"]) as f:
        for line in finding_lines(result):
            f.write(line)
    with atomic_write(paths["scores"], newline="") as f:
        write_scores(result, f)
    with atomic_write(paths["sources"], newline="") as f:
        f.write(sources_csv(result, ratings))
    with atomic_write(paths["claims"], newline="") as f:
        f.write(claims_csv(result))
    if report:
        from audit.report import REPORT_DOCS, write_report

        paths["report"] = out / "report.html"
        with atomic_write(paths["report"]) as f:
            write_report(result, f, ratings=ratings, max_docs=REPORT_DOCS if report_docs is None else report_docs)
    trim_memory()  # what comes next (the validation) starts from what is live, not from the report's peak
    return paths


def _corpus_row(d: Document, columns: Columns) -> dict[str, Any]:
    """A document as a row of its input file: the input's column names; a source the loader derived
    (from the folder, the file or the url) is not written back, nor is the loader's bookkeeping."""
    row = {columns.id: d.meta.get("duplicate_of", d.id), columns.text: d.text}
    if d.source is not None and d.meta.get(SOURCE_KEY, "column") == "column":
        row[columns.source] = d.source
    row.update({k: v for k, v in d.meta.items() if k not in ("duplicate_of", SOURCE_KEY)})
    return row


def jsonl_lines(src: Path, docs: list, columns: Columns) -> Iterator[str]:
    """The JSONL lines of `docs` (read from `src`): a row whose content is what was read is its line byte for
    byte as read (key order, spacing, escapes, line ending), so a diff touches only the edited rows; an
    edited row is written anew, its keys in the order they were read."""
    wanted = {d.line for d in docs if d.line}
    raw: dict[int, str] = {}
    with open(src, encoding="utf-8", errors="surrogateescape", newline="") as f:
        for n, line in enumerate(f, 1):
            if n in wanted:
                raw[n] = line
    for d in docs:
        row = _corpus_row(d, columns)
        line = raw.get(d.line, "")
        try:
            read = json.loads(line.removeprefix("\ufeff"))
        except ValueError:
            read = None
        if read == row:
            yield line  # only the file's last line may lack its "\n"
            continue
        if isinstance(read, dict):  # an edited row keeps the key order it was read with
            row = {**{k: row[k] for k in read if k in row}, **row}
        yield json.dumps(row, ensure_ascii=False) + "\n"


def csv_text(src: Path, docs: list, columns: Columns) -> Iterator[str]:
    """The CSV text of `docs` (read from `src`): its header and every row whose content is what was read
    byte for byte as read (quoting, line endings), so a diff touches only the edited rows; an edited row is
    written anew in the header's column order, with the file's line ending."""
    read = csv_records(src)
    ending = "\r\n" if read.head.endswith("\r\n") else "\n"
    yield read.head
    for d in docs:
        raw, values = read.records.get(d.line, ("", []))
        was = dict(zip(read.header, values, strict=False))
        row = {k: v if isinstance(v, str) else str(v) for k, v in _corpus_row(d, columns).items() if k in was}
        if row == {k: was[k] for k in row} and raw:
            yield raw
            continue
        buf = io.StringIO()
        csv.writer(buf, lineterminator=ending).writerow([row.get(k, was.get(k, "")) for k in read.header])
        yield buf.getvalue()
    yield read.tail


def write_corpus(docs: list, inputs: list[str], out: Path, columns: Columns | None = None) -> list[Path]:
    """Write documents back in the format each input came in, under `out`.

    A folder input becomes `out/<folder name>/<id>.txt`; a file input becomes `out/<file name>` in its
    own format, with the column names it was read with (`columns`). Unreadable documents cannot be
    rewritten and are left out (the summary reports them).
    """
    columns = columns or DEFAULT_COLUMNS
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for inp in inputs:
        src = Path(inp)
        if src.is_dir():
            root = src.resolve()
            for d in docs:
                if d.readable and d.origin and Path(d.origin).resolve().is_relative_to(root):
                    rel = Path(d.origin).resolve().relative_to(root)
                    target = out / root.name / rel
                    with atomic_write(target, newline="") as f:
                        f.write(d.text)
                    written.append(target)
            continue
        mine = [d for d in docs if d.readable and d.origin == str(src)]
        target = out / src.name
        if src.suffix == ".txt":
            for d in mine:
                with atomic_write(target, newline="") as f:
                    f.write(d.text)
        elif src.suffix == ".jsonl":
            with atomic_write(target, newline="") as f:
                f.writelines(jsonl_lines(src, mine, columns))
        elif src.suffix == ".csv":
            with atomic_write(target, newline="") as f:
                f.writelines(csv_text(src, mine, columns))
        elif src.suffix == ".parquet":
            import pandas as pd

            tmp = target.with_name(f".{target.name}.tmp")
            pd.DataFrame([_corpus_row(d, columns) for d in mine]).to_parquet(tmp, index=False)
            os.replace(tmp, target)
        written.append(target)
    return written
