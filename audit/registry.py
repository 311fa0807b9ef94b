"""The check registry: every check has a stable code, a category, a severity and a docstring.

A per-document check is a pure function `fn(view) -> Iterable[Hit]` registered with `@check`.
A corpus check has two halves, registered with `@corpus_check`: `extract(view)` runs per document
and returns a small picklable summary; `decide(summaries)` sees every summary and returns hits per
document. Keeping the halves apart lets the same code run in one process, in workers or on Dask.

A corpus check whose decision decomposes by a key (a source, a speaker) may also define the pair
`split(doc_id, summary)`, the (key, record) items a document contributes, and `decide_group(key,
records)`, one key's decision as `GroupHit`s: the Dask engine then decides it as a groupby on the
workers (`merge_group_hits` reduces the groups' hits), and `decide` stays what the local engine calls.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from audit.records import CATEGORIES, SEVERITIES, Hit

DocCheckFn = Callable[[Any], Iterable[Hit]]
# What a group's decision yields: (document id, the hit's place in that document's list, a preference:
# of two groups' hits at one place the smaller preference wins, the hit)
GroupHit = tuple[str, int, str, Hit]


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    name: str
    category: str
    severity: str
    doc: str
    fn: DocCheckFn | None = None
    extract: Callable[[Any], Any] | None = None
    decide: Callable[[Mapping[str, Any]], Mapping[str, list[Hit]]] | None = None
    label: str = ""  # the finding in plain words, for a person reading the report ("photo caption or credit")
    role: str = ""  # what else the pipeline reads this check as: one of ROLES (or "" for none)
    fix: str = "none"  # what `audit fix` may do with a finding: "remove", "replace" or "none" (never edits)
    autofix: bool = False  # applied by `audit fix` by default; others only when chosen with --select
    mt_signal: bool = False  # an MT artifact: a per-document check's firing feeds the MT model (audit/mtmodel.py)
    names: bool = False  # a name check: its suggestion is a canonical name, applied only with --fix-names
    split: Callable[[str, Any], Iterable[tuple[str, Any]]] | None = None  # (doc id, summary) -> (key, record)s
    decide_group: Callable[[str, list[Any]], Iterable[GroupHit]] | None = None  # one key's records -> hits

    @property
    def summary(self) -> str:
        """The docstring's first line: what `audit rules` prints."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    @property
    def is_corpus(self) -> bool:
        return self.decide is not None

    @property
    def decides_in_groups(self) -> bool:
        """Whether the decision can run by key (`split` and `decide_group`): a groupby on Dask."""
        return self.split is not None and self.decide_group is not None


REGISTRY: dict[str, Check] = {}

# The roles a check can play beyond its own findings; the pipeline asks for a role, never for a code.
ROLES: dict[str, str] = {
    "disclosure": "the text says it was machine-translated: `machine_translated` is `disclosed`",
    "language_gate": "the text is not in an expected language: `audit fix` never edits it, and the MT model "
    "does not judge it",
    "republished": "a provenance signal: the text was republished from an agency or another site",
    "byline": "a provenance signal: a byline (only the hits whose `kind` is `byline`)",
    "generic_bio": "a provenance signal: a boilerplate author bio",
    "garbling": "characters lost or garbled in decoding: on most lines, the score disqualifies the document",
}


FIX_ACTIONS = ("none", "remove", "replace")


def _validate(code: str, category: str, severity: str, doc: str | None, meta: Mapping[str, Any]) -> None:
    if meta.get("fix", "none") not in FIX_ACTIONS:
        raise ValueError(f"{code}: fix {meta.get('fix')!r} not one of {FIX_ACTIONS}")
    if not meta.get("label"):
        raise ValueError(f"{code}: a check needs a `label`, the finding in plain words for the report")
    if meta.get("role", "") not in ("", *ROLES):
        raise ValueError(f"{code}: role {meta.get('role')!r} not one of {tuple(ROLES)}")
    if meta.get("autofix") and meta.get("fix", "none") == "none":
        raise ValueError(f"{code}: autofix needs a fix action")
    if code in REGISTRY:
        raise ValueError(f"check code {code} registered twice")
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity {severity!r} not one of {SEVERITIES}")
    if not category or not category.isidentifier():
        raise ValueError(f"{code}: bad category {category!r}")
    if not doc or not doc.strip():
        raise ValueError(f"{code}: a check needs a docstring; it is the check's documentation")


def check(code: str, category: str, severity: str = "warning", **meta: Any) -> Callable[[DocCheckFn], DocCheckFn]:
    """Register a per-document check. `meta`: `label` (required), `role`, `fix`, `autofix`, `mt_signal`,
    `names` (see `Check`)."""

    def wrap(fn: DocCheckFn) -> DocCheckFn:
        doc = inspect.getdoc(fn) or ""
        _validate(code, category, severity, doc, meta)
        REGISTRY[code] = Check(code, fn.__name__, category, severity, doc, fn=fn, **meta)
        return fn

    return wrap


def corpus_check(code: str, category: str, severity: str = "warning", **meta: Any) -> Callable[[type], type]:
    """Register a corpus check: a class with static `extract(view)` and `decide(summaries)`, and optionally
    `split` and `decide_group` (see the module's docstring); `meta` as for `check`."""

    def wrap(cls: type) -> type:
        doc = inspect.getdoc(cls) or ""
        _validate(code, category, severity, doc, meta)
        if meta.get("mt_signal"):
            raise ValueError(f"{code}: `mt_signal` is for per-document checks (the MT model counts their firing)")
        if hasattr(cls, "split") != hasattr(cls, "decide_group"):
            raise ValueError(f"{code}: `split` and `decide_group` go together")
        parts = {"split": getattr(cls, "split", None), "decide_group": getattr(cls, "decide_group", None)}
        REGISTRY[code] = Check(
            code, cls.__name__, category, severity, doc, extract=cls.extract, decide=cls.decide, **parts, **meta
        )
        return cls

    return wrap


def merge_group_hits(found: Iterable[GroupHit]) -> dict[str, list[Hit]]:
    """The groups' hits as `decide` returns them: at each (document, place) the hit of the smallest
    preference (the first of equals), each document's hits in the order of their places."""
    best: dict[str, dict[int, tuple[str, Hit]]] = {}
    for doc_id, place, pref, hit in found:
        mine = best.setdefault(doc_id, {})
        if place not in mine or pref < mine[place][0]:
            mine[place] = (pref, hit)
    return {doc_id: [mine[p][1] for p in sorted(mine)] for doc_id, mine in best.items()}


__all__ = [
    "CATEGORIES",
    "Check",
    "REGISTRY",
    "ROLES",
    "check",
    "corpus_check",
    "merge_group_hits",
]
