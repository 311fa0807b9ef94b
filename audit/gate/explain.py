"""Why a gate expectation failed, in words and numbers: the threshold, the observed value and the worst documents.

    score ≥ 60 for 90% of documents: 83% (17 of 100 below: id1, id2, …)

Great Expectations decides and counts; this module only words its result and ranks the documents that
failed (the lowest scores first, the most findings first), which it finds in the table itself because
Great Expectations lists them in row order. Needs pandas, not Great Expectations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SHOWN = 5  # ids in the one-line message
WORST = 10  # ids kept in the JSON and SARIF outputs


@dataclass
class Explanation:
    """`threshold`: what the suite asks; `observed`: what the batch has; `unexpected` of `documents` failed it."""

    threshold: str
    observed: str
    unexpected: int | None = None
    documents: int | None = None
    word: str = "unexpected"
    worst: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.unexpected is None:
            return f"{self.threshold}: {self.observed}"
        ids = ", ".join(self.worst[:SHOWN])
        if ids and self.unexpected > min(len(self.worst), SHOWN):
            ids += ", …"
        detail = f"{self.unexpected} of {self.documents} {self.word}" + (f": {ids}" if ids else "")
        return f"{self.threshold}: {self.observed} ({detail})"


def pct(share: float) -> str:
    """0.9 -> '90%', 0.8333 -> '83.3%'; never rounds a failing share up to 100% or a nonzero one down to 0%."""
    text = f"{100 * share:.1f}".removesuffix(".0")
    if text == "100" and share < 1:
        return "99.9%"
    if text == "0" and share > 0:
        return "0.1%"
    return f"{text}%"


def num(v: Any) -> str:
    """60.0 -> '60', 0.25 -> '0.25'."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _docs(n: Any) -> str:
    return "document" if n == 1 else "documents"


def _n_docs(n: Any) -> str:
    return f"{num(n)} {_docs(n)}"


def _for(mostly: Any) -> str:
    return "for every document" if mostly is None or float(mostly) >= 1 else f"for {pct(float(mostly))} of documents"


def _counts(res: dict[str, Any]) -> tuple[int, int]:
    """(unexpected, documents with a value) as Great Expectations counted them."""
    total = int(res.get("element_count") or 0) - int(res.get("missing_count") or 0)
    return int(res.get("unexpected_count") or 0), total


def _ids(frame, mask, key=None, ascending: bool = True) -> list[str]:
    """The ids of the WORST rows under `mask`, ordered by `key` (then id), or by id without one."""
    import pandas as pd

    ids = frame["doc_id"].astype(str) if "doc_id" in frame.columns else pd.Series(frame.index.astype(str), frame.index)
    sub = pd.DataFrame({"id": ids[mask]})
    if key is None:
        return list(sub.sort_values("id")["id"].head(WORST))
    sub["key"] = key[mask]
    return list(sub.sort_values(["key", "id"], ascending=[ascending, True])["id"].head(WORST))


def _numeric(frame, column: str):
    import pandas as pd

    return pd.to_numeric(frame[column], errors="coerce")


def _out_of_range(v, kw: dict[str, Any]):
    """(mask of values outside the range, how far outside) for a numeric column."""
    import pandas as pd

    lo, hi = kw.get("min_value"), kw.get("max_value")
    mask = pd.Series(False, index=v.index)
    distance = pd.Series(0.0, index=v.index)
    if lo is not None:
        low = (v <= lo) if kw.get("strict_min") else (v < lo)
        mask, distance = mask | low, distance.where(~low, lo - v)
    if hi is not None:
        high = (v >= hi) if kw.get("strict_max") else (v > hi)
        mask, distance = mask | high, distance.where(~high, v - hi)
    return mask, distance


def _between(kw: dict[str, Any], res: dict[str, Any], frame) -> Explanation:
    col, lo, hi = kw["column"], kw.get("min_value"), kw.get("max_value")
    lo_op, hi_op = (">" if kw.get("strict_min") else "≥"), ("<" if kw.get("strict_max") else "≤")
    if hi is None:
        cond, word = f"{col} {lo_op} {num(lo)}", "below"
    elif lo is None:
        cond, word = f"{col} {hi_op} {num(hi)}", "above"
    else:
        cond, word = f"{num(lo)} {'<' if kw.get('strict_min') else '≤'} {col} {hi_op} {num(hi)}", "outside"
    bad, total = _counts(res)
    worst: list[str] = []
    numeric_bounds = all(isinstance(b, int | float) and not isinstance(b, bool) for b in (lo, hi) if b is not None)
    if col in frame.columns and numeric_bounds:
        mask, distance = _out_of_range(_numeric(frame, col), kw)
        worst = _ids(frame, mask, distance, ascending=False)
    observed = pct(1 - bad / total) if total else "no values"
    return Explanation(f"{cond} {_for(kw.get('mostly'))}", observed, bad, total, word, worst)


def _in_set(kw: dict[str, Any], res: dict[str, Any], frame) -> Explanation:
    col, values = kw["column"], list(kw.get("value_set") or [])
    cond = f"{col} = {num(values[0])}" if len(values) == 1 else f"{col} in {{{', '.join(num(v) for v in values)}}}"
    word = f"with {col} > 0" if values == [0] else f"with another {col}"
    bad, total = _counts(res)
    worst: list[str] = []
    if col in frame.columns:
        column = frame[col]
        mask = column.notna() & ~column.isin(values)
        numeric = _numeric(frame, col)
        worst = _ids(frame, mask, numeric, ascending=False) if numeric[mask].notna().all() else _ids(frame, mask)
    observed = pct(1 - bad / total) if total else "no values"
    return Explanation(f"{cond} {_for(kw.get('mostly'))}", observed, bad, total, word, worst)


def _share_nonzero(kw: dict[str, Any], res: dict[str, Any], frame) -> Explanation:
    col, where = kw["column"], kw.get("row_condition")
    if isinstance(where, dict):  # Great Expectations keeps a pandas condition as {"pass_through_filter": ...}
        where = where.get("pass_through_filter")
    bad, total = _counts(res)
    worst: list[str] = []
    if where and kw.get("condition_parser") == "pandas":  # the share and the worst are of these rows only
        frame = frame.query(where)
    if col in frame.columns:
        v = _numeric(frame, col)
        worst = _ids(frame, v.notna() & (v != 0), v, ascending=False)
    observed = pct(bad / total) if total else "no values"
    threshold = f"{col} > 0 in at most {pct(float(kw.get('max_share', 0)))} of documents"
    word = f"with {col} > 0" + (f" where {where}" if where else "")  # the documents counted: those rows only
    return Explanation(threshold, observed, bad, total, word, worst)


def _unique(kw: dict[str, Any], res: dict[str, Any], frame) -> Explanation:
    col = kw["column"]
    bad, total = _counts(res)
    worst: list[str] = []
    if col in frame.columns:
        column = frame[col]
        worst = _ids(frame, column.notna() & column.duplicated(keep=False))
    observed = pct(1 - bad / total) if total else "no values"
    return Explanation(f"{col} unique {_for(kw.get('mostly'))}", observed, bad, total, "repeated", worst)


def _row_count(kw: dict[str, Any], res: dict[str, Any], frame) -> Explanation:
    lo, hi = kw.get("min_value"), kw.get("max_value")
    parts = ([f"at least {num(lo)}"] if lo is not None else []) + ([f"at most {num(hi)}"] if hi is not None else [])
    n = res.get("observed_value", len(frame))
    return Explanation(f"{' and '.join(parts) or 'any number of'} {_docs(lo if hi is None else hi)}", _n_docs(n))


def _generic(etype: str, kw: dict[str, Any], res: dict[str, Any], frame) -> Explanation:
    """Any other expectation: its kwargs, Great Expectations' observed value or share, the first failing rows."""
    args = ", ".join(f"{k}={num(v)}" for k, v in sorted(kw.items()) if k not in ("column", "batch_id"))
    threshold = f"{etype}({args})"
    if "unexpected_count" not in res:
        return Explanation(threshold, f"observed {res.get('observed_value')}")
    bad, total = _counts(res)
    rows = [i for i in res.get("partial_unexpected_index_list") or [] if isinstance(i, int) and 0 <= i < len(frame)]
    ids = frame["doc_id"].astype(str).iloc[rows] if "doc_id" in frame.columns else [str(i) for i in rows]
    observed = pct(1 - bad / total) if total else "no values"
    return Explanation(threshold, observed, bad, total, "unexpected", list(ids)[:WORST])


EXPLAINERS: dict[str, Callable[[dict[str, Any], dict[str, Any], Any], Explanation]] = {
    "expect_column_values_to_be_between": _between,
    "expect_column_values_to_be_in_set": _in_set,
    "expect_column_share_nonzero_to_be_at_most": _share_nonzero,
    "expect_column_values_to_be_unique": _unique,
    "expect_table_row_count_to_be_between": _row_count,
}


def explain(etype: str, kwargs: dict[str, Any], result: dict[str, Any], frame) -> Explanation:
    """Words and numbers for one failed expectation of type `etype` on `frame` (Great Expectations' `result`)."""
    explainer = EXPLAINERS.get(etype)
    if explainer is None or ("column" not in kwargs and etype != "expect_table_row_count_to_be_between"):
        return _generic(etype, kwargs, result, frame)
    return explainer(kwargs, result, frame)
