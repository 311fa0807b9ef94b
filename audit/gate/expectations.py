"""Validate the per-document table with a Great Expectations suite; write the result and Data Docs.

Imports Great Expectations, so only the gate and `audit run`'s validation step load this module.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.gate import GateError
from audit.gate.explain import Explanation, explain
from audit.memory import trim_memory

DEFAULT_SUITE = Path(__file__).resolve().parent.parent.parent / "expectations" / "news_audit.json"
THRESHOLDS = ("fail-under", "min-share", "max-mt-share")


def default_suite_path() -> Path:
    """The suite in the project's `expectations/` folder, or the copy shipped inside the package."""
    if DEFAULT_SUITE.exists():
        return DEFAULT_SUITE
    return Path(__file__).resolve().parent / "news_audit.json"


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    import audit.gate.custom  # noqa: F401  (custom expectations must be registered before any suite loads)

    return gx


EMPTY_BATCH = {
    "type": "expect_table_row_count_to_be_between",
    "kwargs": {"min_value": 1},
    "meta": {"why": "an empty batch nearly always means a broken upstream step (--allow-empty accepts it)"},
}


@dataclass
class Failure:
    """One failed expectation: `message` says the threshold, the observed value and the worst documents."""

    expectation: str
    column: str | None
    why: str
    observed: dict[str, Any]  # Great Expectations' own figures
    explanation: Explanation | None = None

    @property
    def message(self) -> str:
        return self.explanation.message if self.explanation else ""

    @property
    def worst(self) -> list[str]:
        return self.explanation.worst if self.explanation else []


@dataclass
class Validation:
    success: bool
    suite: str
    failures: list[Failure] = field(default_factory=list)
    evaluated: int = 0
    documents: int = 0
    result_json: dict[str, Any] = field(default_factory=dict)


def _check_spec(spec: Any, where: str) -> dict:
    if not isinstance(spec, dict) or not isinstance(spec.get("expectations", []), list):
        raise GateError(f"suite {where}: a JSON object with a list of expectations is needed")
    for i, exp in enumerate(spec.get("expectations", []), 1):
        if not (isinstance(exp, dict) and isinstance(exp.get("type"), str) and isinstance(exp.get("kwargs"), dict)):
            raise GateError(f"suite {where}: expectation {i} needs a 'type' string and a 'kwargs' object")
    return spec


def read_suite_spec(path: str | os.PathLike[str] | None = None, thresholds: dict[str, Any] | None = None) -> dict:
    """The suite as plain JSON, with thresholds applied to the kwargs their meta names; GateError when unusable."""
    where = Path(path or default_suite_path())
    try:
        spec = _check_spec(json.loads(where.read_text(encoding="utf-8")), str(where))
    except FileNotFoundError:
        raise GateError(f"no such suite file: {where}") from None
    except OSError as e:
        raise GateError(f"cannot read suite {where}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise GateError(f"suite {where} is not UTF-8: {e.reason} at byte {e.start}") from e
    except json.JSONDecodeError as e:
        raise GateError(f"suite {where} is not JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    for exp in spec.get("expectations", []):
        for kwarg, name in (exp.get("meta", {}).get("threshold") or {}).items():
            if thresholds and thresholds.get(name) is not None:
                exp["kwargs"][kwarg] = float(thresholds[name])
    return spec


def _one_line(e: Exception) -> str:
    return "; ".join(line.strip() for line in str(e).splitlines() if line.strip())


def load_suite(spec: dict, context=None):
    """A Great Expectations ExpectationSuite from its JSON; unknown expectation types are an error, not dropped."""
    gx = _gx()
    from great_expectations.compatibility.pydantic import ValidationError
    from great_expectations.exceptions import GreatExpectationsError
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    if context is None:
        gx.get_context(mode="ephemeral")

    spec = _check_spec(spec, str(spec.get("name", "")) if isinstance(spec, dict) else "")
    suite = gx.ExpectationSuite(name=spec.get("name", "news_audit"), meta=spec.get("meta", {}))
    for exp in spec.get("expectations", []):
        cfg = ExpectationConfiguration(type=exp["type"], kwargs=dict(exp["kwargs"]), meta=exp.get("meta", {}))
        try:
            suite.add_expectation(cfg.to_domain_obj())
        except (GreatExpectationsError, ValidationError) as e:  # an unknown type, or kwargs it refuses
            raise GateError(f"suite {suite.name}: cannot load expectation {exp['type']}: {_one_line(e)}") from e
    if len(suite.expectations) != len(spec.get("expectations", [])):
        raise GateError(f"suite {suite.name}: some expectations were dropped while loading")
    return suite


def save_suite(suite, path: str | os.PathLike[str]) -> None:
    """Write a suite as JSON in the form `read_suite_spec` reads."""
    data = suite.to_json_dict()
    spec = {
        "name": data["name"],
        "meta": {k: v for k, v in data.get("meta", {}).items() if k != "great_expectations_version"},
        "expectations": [
            {"type": e["type"], "kwargs": e["kwargs"], "meta": e.get("meta", {})} for e in data["expectations"]
        ],
    }
    Path(path).write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")


COLUMN_KWARGS = ("column", "column_list", "column_A", "column_B")  # the kwargs by which an expectation names columns
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def suite_columns(spec: dict) -> frozenset[str] | None:
    """The columns a suite reads: those its expectations name (`column`, `column_list`, ...) and the words
    of their row conditions, plus `doc_id` (failures are explained by document); None when some
    expectation reads the table as a whole (`expect_table_*`, or one naming no column), which then needs
    every column. A table of these columns alone validates as the whole table does."""
    names = {"doc_id"}
    for e in spec.get("expectations", []):
        etype, kwargs = e.get("type") or e.get("expectation_type") or "", e.get("kwargs") or {}
        named = [kwargs[k] for k in COLUMN_KWARGS if k in kwargs]
        if etype.startswith("expect_table_") or not named:
            return None
        for v in named:
            names.update([v] if isinstance(v, str) else v)
        condition = kwargs.get("row_condition")
        if condition is not None and not isinstance(condition, str):
            return None  # a condition object: which columns it reads is not worked out here
        if condition:
            names.update(_IDENTIFIER.findall(_QUOTED.sub(" ", condition)))
    return frozenset(names)


def gate_table(result, columns: Collection[str] | None = None):
    """The per-document table the suite validates: scores.csv's columns plus one count column per check;
    with `columns` (`suite_columns`), only those of them (in the same order), so that the table of a
    large corpus holds what the suite reads and not every column of every document.

    Built column by column in one pass over the results (no row dicts: they cost ~3 KB a document),
    each column's repeated strings held once; the table equals the one `pd.DataFrame(rows)` would make.
    """
    import numpy as np
    import pandas as pd

    from audit.catalog import all_checks
    from audit.output import score_columns, score_row
    from audit.provenance import Provenance

    cols = score_columns(result)
    codes = {c.code: k for k, c in enumerate(all_checks())}
    if columns is not None:
        cols = [c for c in cols if c in columns]
        codes = {code: k for k, code in enumerate(code for code in codes if code in columns)}
    counts = np.zeros((len(result.results), len(codes)), dtype=np.int32)
    values: dict[str, list[Any]] = {c: [] for c in cols}
    strings: dict[str, str] = {}  # one object a distinct string: sources, stories, statuses, reasons repeat
    provenance = Provenance(result)
    for i, r in enumerate(result.results):
        row = score_row(r, provenance)
        for c, column in values.items():
            v = row.get(c, np.nan)  # a column a row lacks (metadata only some documents carry) is NaN
            column.append(strings.setdefault(v, v) if type(v) is str else v)
        for f in r.findings:
            if f.code in codes:
                counts[i, codes[f.code]] += 1
    strings.clear()
    # each column converted as its list is dropped (a list infers the dtype its rows would), so that the
    # lists and the table are never held whole together
    frame = pd.DataFrame({c: pd.Series(values.pop(c)) for c in cols}, columns=cols)
    for numeric in ("score", "clean_share"):
        if numeric in frame.columns:
            frame[numeric] = pd.to_numeric(frame[numeric], errors="coerce")
    for code, k in codes.items():
        frame[code] = counts[:, k].astype(np.int64)
    del counts
    trim_memory()
    return frame


def _run_checkpoint(gx, ctx, suite, frame, data_docs: bool):
    """Great Expectations' validation result of `suite` on `frame`, with the Data Docs built when asked."""
    try:
        ctx.variables.progress_bars = {"globally": False}
        ctx.variables.save()
    except Exception:  # noqa: BLE001 - cosmetic only
        pass
    source = ctx.data_sources.add_pandas("news_audit")
    batch = source.add_dataframe_asset("documents").add_batch_definition_whole_dataframe("all documents")
    suite = ctx.suites.add(suite)
    vd = ctx.validation_definitions.add(gx.ValidationDefinition(name="news_audit", data=batch, suite=suite))
    checkpoint = ctx.checkpoints.add(
        gx.Checkpoint(
            name="news_audit_gate",
            validation_definitions=[vd],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if data_docs else [],
        )
    )
    run = checkpoint.run(batch_parameters={"dataframe": frame})
    (vres,) = list(run.run_results.values())
    return run, vres


def exception_messages(info: Any) -> list[str]:
    """The messages of the exceptions Great Expectations caught while evaluating one expectation.

    `exception_info` is either one {"raised_exception", "exception_message", ...} record or a dict of
    them keyed by metric."""
    if not isinstance(info, dict) or not info:
        return []
    records = [info] if "raised_exception" in info else list(info.values())
    return sorted(
        {str(r.get("exception_message")) for r in records if isinstance(r, dict) and r.get("raised_exception")}
    )


def _raise_if_broken(vres) -> None:
    """An expectation that could not be evaluated (a missing column) makes the gate an error, not a failure."""
    broken = []
    for r in vres.results:
        messages = exception_messages(r.exception_info)
        if messages:
            cfg = r.expectation_config
            broken.append(f"{cfg.type}({cfg.kwargs.get('column') or ''}): {'; '.join(messages)}")
    if broken:
        raise GateError("the validation could not run: " + " | ".join(broken))


OBSERVED_KEYS = (
    "observed_value",
    "unexpected_count",
    "unexpected_percent",
    "element_count",
    "missing_count",
    "partial_unexpected_list",
)


def _failures(vres, frame) -> list[Failure]:
    out = []
    for r in vres.results:
        if r.success:
            continue
        cfg = r.expectation_config
        result = dict(r.result or {})
        observed = {k: v for k, v in result.items() if k in OBSERVED_KEYS}
        why = (cfg.meta or {}).get("why", "")
        out.append(
            Failure(cfg.type, cfg.kwargs.get("column"), why, observed, explain(cfg.type, cfg.kwargs, result, frame))
        )
    return out


def _write_docs(out: Validation, workdir: Path, docs_dir: str | os.PathLike[str]) -> None:
    target = Path(docs_dir)
    target.mkdir(parents=True, exist_ok=True)
    (target / "validation_result.json").write_text(json.dumps(out.result_json, indent=2, default=str), encoding="utf-8")
    site = workdir / "gx" / "uncommitted" / "data_docs" / "local_site"
    if site.exists():
        shutil.rmtree(target / "data_docs", ignore_errors=True)
        shutil.copytree(site, target / "data_docs")


APART_ROWS = 5_000  # tables of at least this many rows are validated in a process of their own


def validate(
    frame,
    spec: dict,
    docs_dir: str | os.PathLike[str] | None = None,
    allow_empty: bool = False,
    min_rows: int = APART_ROWS,
) -> Validation:
    """Run the suite on the table; with `docs_dir`, also write the result JSON and the Data Docs site there.

    An empty table fails (EMPTY_BATCH joins the suite) unless `allow_empty`. GateError when the suite
    cannot be loaded or one of its expectations cannot be evaluated; nothing is written then.

    A table of `min_rows` rows or more is validated in a fresh Python process of its own
    (`validate_apart`), a smaller one in this process: the same Validation, files and GateError.
    Why: the process of `audit run` holds every document's results to the end, and Great Expectations'
    modules are about 125 MB resident once imported, on top of its work on the table (a copy per row
    condition, its metrics), so the validation set that process's peak at every size (README, Memory
    outside the stories). Apart, this process only pickles the table (the few columns the suite reads:
    `suite_columns`) and never imports Great Expectations; the validating process holds the modules and
    the table, not the results. Below `min_rows` a second interpreter's start (about a second) is not
    worth it, and a process that already imported Great Expectations (tests) keeps using it.
    """
    if len(frame) < min_rows:
        return validate_here(frame, spec, docs_dir, allow_empty)
    return validate_apart(frame, spec, docs_dir, allow_empty)


CHILD = "import sys; from audit.gate.expectations import serve_validation; serve_validation(sys.argv[1])"


def validate_apart(
    frame, spec: dict, docs_dir: str | os.PathLike[str] | None = None, allow_empty: bool = False
) -> Validation:
    """`validate_here` in a new interpreter (`python -c CHILD`, not a fork, which would start with this
    process's pages, nor multiprocessing, which re-imports the caller's main script): the arguments go
    pickled to its stdin, the outcome comes back pickled in a file; its stderr is this process's. The
    child imports this very `audit` package (its folder leads PYTHONPATH)."""
    import pickle
    import subprocess
    import sys

    import audit

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(audit.__file__).resolve().parent.parent), *filter(None, [env.get("PYTHONPATH")])]
    )
    args = (frame, spec, None if docs_dir is None else str(docs_dir), allow_empty)
    with tempfile.TemporaryDirectory(prefix="audit-gate-") as tmp:
        answer = Path(tmp) / "outcome.pickle"
        with subprocess.Popen([sys.executable, "-c", CHILD, str(answer)], stdin=subprocess.PIPE, env=env) as proc:
            try:  # streamed: the pickled table is never held whole in this process
                pickle.dump(args, proc.stdin, protocol=5)
                proc.stdin.close()
            except BrokenPipeError:  # the child ended before reading it all: said below
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.close()  # what stayed buffered is dropped; the pipe is closed
        if not answer.exists():
            raise RuntimeError(f"the validation process ended with exit status {proc.returncode} and no outcome")
        ok, outcome = pickle.loads(answer.read_bytes())
    if not ok:
        raise outcome
    return outcome


def serve_validation(answer: str) -> None:
    """The validating process's side of `validate_apart`: `validate_here` on the pickled arguments read
    from stdin; (True, Validation) or (False, the exception) pickled into the file `answer`."""
    import pickle
    import sys
    import traceback

    frame, spec, docs_dir, allow_empty = pickle.load(sys.stdin.buffer)
    try:
        outcome: tuple[bool, Any] = (True, validate_here(frame, spec, docs_dir, allow_empty))
    except Exception as e:  # noqa: BLE001 - handed back to the caller, which raises it
        outcome = (False, e)
    try:
        data = pickle.dumps(outcome, protocol=5)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes back as its text
        data = pickle.dumps((False, RuntimeError(traceback.format_exception(outcome[1])[-1].strip())))
    Path(answer).write_bytes(data)


def validate_here(
    frame, spec: dict, docs_dir: str | os.PathLike[str] | None = None, allow_empty: bool = False
) -> Validation:
    """`validate` in this process, whatever the table's size."""
    if len(frame) == 0 and not allow_empty:
        spec = {**spec, "expectations": [EMPTY_BATCH, *spec.get("expectations", [])]}
    gx = _gx()
    workdir = Path(tempfile.mkdtemp(prefix="audit-gx-"))
    try:
        ctx = gx.get_context(mode="file", project_root_dir=str(workdir))
        run, vres = _run_checkpoint(gx, ctx, load_suite(spec, ctx), frame, data_docs=bool(docs_dir))
        _raise_if_broken(vres)
        out = Validation(success=bool(run.success), suite=vres.suite_name, documents=len(frame))
        out.result_json = vres.to_json_dict()
        out.evaluated = len(vres.results)
        out.failures = _failures(vres, frame)
        if docs_dir:
            _write_docs(out, workdir, docs_dir)
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
