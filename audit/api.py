"""The Python API: audit texts, DataFrames or paths, and get pandas tables back.

    >>> import audit
    >>> result = audit.audit_texts(["Read more: Floods hit the north again", "A clean sentence."])
    >>> list(result.scores.columns[:4])
    ['doc_id', 'source', 'status', 'score']

Filtering is one line of pandas: `result.scores[result.scores.score >= 80]`,
`result.scores[result.scores.mt == 0]`,
`result.scores[result.scores.clean_share >= 0.9]`, or `result.findings.query("category == 'residue'")`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from audit.config import as_tuple
from audit.engine import AuditResult, Options, audit_documents
from audit.records import Document

if TYPE_CHECKING:
    import pandas as pd

FINDING_COLUMNS = ["doc_id", "code", "category", "severity", "message", "start", "end", "evidence", "suggestion"]


@dataclass
class Audit:
    """The outcome of an audit as DataFrames: `scores` (one row a document) and `findings` (one row a finding)."""

    result: AuditResult

    @property
    def scores(self) -> pd.DataFrame:
        import pandas as pd

        from audit.output import score_rows

        cols, rows = score_rows(self.result)
        frame = pd.DataFrame(rows, columns=cols)
        frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
        frame["clean_share"] = pd.to_numeric(frame["clean_share"], errors="coerce")
        frame["mt_probability"] = pd.to_numeric(frame["mt_probability"], errors="coerce")
        return frame

    @property
    def findings(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.result.findings], columns=FINDING_COLUMNS)


def codes(value: str | Iterable[str] | None, name: str = "select") -> tuple[str, ...]:
    """`select`/`ignore` as the command line reads them: "residue,MT" or ["residue", "MT001"] (each
    item may itself hold commas); an unknown code or category is a ValueError naming it."""
    if value is None:
        return ()
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, Iterable)):
        raise TypeError(f"{name} must be a string or a list of strings, not {type(value).__name__}")
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{name} must hold strings, not {type(item).__name__} ({item!r})")
        out.extend(as_tuple(item))  # split on commas as the command line and [tool.audit] split
    return tuple(out)


def _options(
    select: str | Iterable[str] | None = (),
    ignore: str | Iterable[str] | None = (),
    language: str | Sequence[str] = "en",
    lang_engine: str = "fasttext",
    jobs: int = 1,
    mt_threshold: float | None = None,
) -> Options:
    languages = codes(language, "language") or ("en",)
    options = Options(
        select=codes(select, "select"),
        ignore=codes(ignore, "ignore"),
        languages=languages,
        lang_engine=lang_engine,
        jobs=jobs,
        mt_threshold=mt_threshold,
    )
    options.checks()  # an unknown code or category fails here, before any work
    return options


OPTIONS = ("select", "ignore", "language", "lang_engine", "jobs", "mt_threshold")


def _checked_options(options: dict[str, Any]) -> Options:
    """The keyword options as engine Options; an unknown keyword is a TypeError that lists the known ones."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unknown option {unknown[0]!r}; the options are: {', '.join(OPTIONS)}")
    return _options(**options)


def _texts(texts: Any) -> list[str]:
    """The texts as a list; a lone string, a non-iterable or a non-string item is a TypeError naming `texts`."""
    if isinstance(texts, str) or not isinstance(texts, Iterable):
        raise TypeError(f"texts must be a list (or other iterable) of strings, not {type(texts).__name__}")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] must be str, not {type(t).__name__}")
    return texts


def audit_texts(
    texts: Iterable[str],
    ids: Iterable[str] | None = None,
    sources: Iterable[str | None] | None = None,
    **options: Any,
) -> Audit:
    """Audit a list of texts (ids default to "0", "1", ...). Options as on the command line: select and
    ignore ("residue,MT001" or a list), language ("en,pl" or a list), lang_engine, jobs, mt_threshold."""
    texts = _texts(texts)
    for name, value in (("ids", ids), ("sources", sources)):
        if value is not None and (isinstance(value, str) or not isinstance(value, Iterable)):
            raise TypeError(f"{name} must be a list with one item a text, not {type(value).__name__}")
    ids = [str(i) for i in ids] if ids is not None else [str(i) for i in range(len(texts))]
    srcs = list(sources) if sources is not None else [None] * len(texts)
    if not (len(ids) == len(texts) == len(srcs)):
        raise ValueError("texts, ids and sources must have the same length")
    docs = [Document(i, t, s) for i, t, s in zip(ids, texts, srcs, strict=True)]
    return Audit(audit_documents(docs, _checked_options(options), n_docs=len(docs)))


def audit_frame(
    frame: pd.DataFrame,
    id_column: str = "id",
    text_column: str = "text",
    source_column: str | None = "source",
    **options: Any,
) -> Audit:
    """Audit a DataFrame; other columns are carried into `scores`. Non-string texts are reported unreadable."""
    from audit.load import row_document, unique_ids

    if not hasattr(frame, "columns") or not hasattr(frame, "to_dict"):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    if text_column not in frame.columns:
        raise ValueError(f"no column {text_column!r} in the DataFrame")
    docs = []
    for n, row in enumerate(frame.to_dict(orient="records"), 1):
        rec = dict(row)
        rec["id"] = rec.pop(id_column) if id_column in rec else str(n - 1)
        rec["text"] = rec.pop(text_column)
        if source_column and source_column in rec:
            rec["source"] = rec.pop(source_column)
        docs.append(row_document(rec, "<DataFrame>", n, str(n - 1)))
    docs = list(unique_ids(docs))
    return Audit(audit_documents(docs, _checked_options(options), n_docs=len(docs)))


def audit_paths(paths: Iterable[str | os.PathLike[str]], **options: Any) -> Audit:
    """Audit folders and files exactly as `audit run` reads them."""
    from audit.load import load_documents

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a path or a list of paths, not {type(paths).__name__}")
    docs = list(load_documents(paths))
    return Audit(audit_documents(docs, _checked_options(options), n_docs=len(docs)))


def score_text(text: str, **options: Any) -> float:
    """The 0-100 score of one text on its own (corpus checks see only this text)."""
    if not isinstance(text, str):
        raise TypeError(f"score_text() argument 'text' must be str, not {type(text).__name__}")
    r = audit_texts([text], **options).result.results[0]
    assert r.score is not None
    return r.score.score
