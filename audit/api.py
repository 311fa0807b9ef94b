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

from audit.engine import AuditResult, Options, audit_documents
from audit.model import Document

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


def _options(
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    language: str | Sequence[str] = "en",
    lang_engine: str = "fasttext",
    jobs: int = 1,
    mt_threshold: float | None = None,
) -> Options:
    languages = (language,) if isinstance(language, str) else tuple(language)
    return Options(
        select=tuple(select),
        ignore=tuple(ignore),
        languages=languages,
        lang_engine=lang_engine,
        jobs=jobs,
        mt_threshold=mt_threshold,
    )


def audit_texts(
    texts: Iterable[str],
    ids: Iterable[str] | None = None,
    sources: Iterable[str | None] | None = None,
    **options: Any,
) -> Audit:
    """Audit a list of texts (ids default to "0", "1", ...). Options: select, ignore, language, lang_engine, jobs, mt_threshold."""
    texts = list(texts)
    ids = [str(i) for i in ids] if ids is not None else [str(i) for i in range(len(texts))]
    srcs = list(sources) if sources is not None else [None] * len(texts)
    if not (len(ids) == len(texts) == len(srcs)):
        raise ValueError("texts, ids and sources must have the same length")
    docs = [Document(i, t, s) for i, t, s in zip(ids, texts, srcs, strict=True)]
    return Audit(audit_documents(docs, _options(**options), n_docs=len(docs)))


def audit_frame(
    frame: pd.DataFrame,
    id_column: str = "id",
    text_column: str = "text",
    source_column: str | None = "source",
    **options: Any,
) -> Audit:
    """Audit a DataFrame; other columns are carried into `scores`. Non-string texts are reported unreadable."""
    from audit.load import row_document, unique_ids

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
    return Audit(audit_documents(docs, _options(**options), n_docs=len(docs)))


def audit_paths(paths: Iterable[str | os.PathLike[str]], **options: Any) -> Audit:
    """Audit folders and files exactly as `audit run` reads them."""
    from audit.load import load_documents

    docs = list(load_documents(paths))
    return Audit(audit_documents(docs, _options(**options), n_docs=len(docs)))


def score_text(text: str, **options: Any) -> float:
    """The 0-100 score of one text on its own (corpus checks see only this text)."""
    r = audit_texts([text], **options).result.results[0]
    assert r.score is not None
    return r.score.score
