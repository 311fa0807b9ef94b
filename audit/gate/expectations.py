"""Validate the per-document table with a Great Expectations suite; write the result and Data Docs.

Imports Great Expectations, so only the gate and `audit run`'s validation step load this module.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class Failure:
    expectation: str
    column: str | None
    why: str
    observed: dict[str, Any]


@dataclass
class Validation:
    success: bool
    suite: str
    failures: list[Failure] = field(default_factory=list)
    evaluated: int = 0
    result_json: dict[str, Any] = field(default_factory=dict)


def read_suite_spec(path: str | os.PathLike[str] | None = None, thresholds: dict[str, Any] | None = None) -> dict:
    """The suite as plain JSON, with thresholds applied to the kwargs their meta names."""
    spec = json.loads(Path(path or default_suite_path()).read_text(encoding="utf-8"))
    for exp in spec.get("expectations", []):
        for kwarg, name in (exp.get("meta", {}).get("threshold") or {}).items():
            if thresholds and thresholds.get(name) is not None:
                exp["kwargs"][kwarg] = float(thresholds[name])
    return spec


def load_suite(spec: dict, context=None):
    """A Great Expectations ExpectationSuite from its JSON; unknown expectation types are an error, not dropped."""
    gx = _gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    if context is None:
        gx.get_context(mode="ephemeral")

    suite = gx.ExpectationSuite(name=spec.get("name", "news_audit"), meta=spec.get("meta", {}))
    for exp in spec.get("expectations", []):
        cfg = ExpectationConfiguration(type=exp["type"], kwargs=dict(exp["kwargs"]), meta=exp.get("meta", {}))
        try:
            suite.add_expectation(cfg.to_domain_obj())
        except Exception as e:  # noqa: BLE001 - GE raises several types for an unknown expectation
            raise ValueError(f"suite {suite.name}: cannot load expectation {exp['type']}: {e}") from e
    if len(suite.expectations) != len(spec.get("expectations", [])):
        raise ValueError(f"suite {suite.name}: some expectations were dropped while loading")
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


def gate_table(result):
    """The per-document table the suite validates: scores.csv's columns plus one count column per check.

    Built in one pass over the results; it holds about 300 bytes a document.
    """
    import numpy as np
    import pandas as pd

    from audit.output import score_columns, score_row
    from audit.provenance import Provenance
    from audit.registry import all_checks

    cols = score_columns(result)
    codes = {c.code: k for k, c in enumerate(all_checks())}
    counts = np.zeros((len(result.results), len(codes)), dtype=np.int32)
    rows = []
    provenance = Provenance(result)
    for i, r in enumerate(result.results):
        rows.append(score_row(r, provenance))
        for f in r.findings:
            if f.code in codes:
                counts[i, codes[f.code]] += 1
    frame = pd.DataFrame(rows, columns=cols)
    del rows
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    for code, k in codes.items():
        frame[code] = counts[:, k].astype(np.int64)
    return frame


def validate(frame, spec: dict, docs_dir: str | os.PathLike[str] | None = None) -> Validation:
    """Run the suite on the table; with `docs_dir`, also write the result JSON and the Data Docs site there."""
    gx = _gx()
    workdir = Path(tempfile.mkdtemp(prefix="audit-gx-"))
    try:
        ctx = gx.get_context(mode="file", project_root_dir=str(workdir))
        suite = load_suite(spec, ctx)
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
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if docs_dir else [],
            )
        )
        run = checkpoint.run(batch_parameters={"dataframe": frame})
        (vres,) = list(run.run_results.values())
        out = Validation(success=bool(run.success), suite=suite.name, result_json=vres.to_json_dict())
        for r in vres.results:
            out.evaluated += 1
            if r.success:
                continue
            cfg = r.expectation_config
            observed = {
                k: v
                for k, v in (r.result or {}).items()
                if k
                in (
                    "observed_value",
                    "unexpected_count",
                    "unexpected_percent",
                    "element_count",
                    "partial_unexpected_list",
                )
            }
            out.failures.append(Failure(cfg.type, cfg.kwargs.get("column"), (cfg.meta or {}).get("why", ""), observed))
        if docs_dir:
            target = Path(docs_dir)
            target.mkdir(parents=True, exist_ok=True)
            (target / "validation_result.json").write_text(
                json.dumps(out.result_json, indent=2, default=str), encoding="utf-8"
            )
            site = workdir / "gx" / "uncommitted" / "data_docs" / "local_site"
            if site.exists():
                shutil.rmtree(target / "data_docs", ignore_errors=True)
                shutil.copytree(site, target / "data_docs")
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
