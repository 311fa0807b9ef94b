"""Gate output in the conventions of linters: text, json, github (workflow annotations) and sarif."""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from audit import __version__
from audit.engine import AuditResult, DocResult
from audit.gate.explain import SHOWN
from audit.records import Finding

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
INFORMATION_URI = "https://pypi.org/project/news-audit/"


def location(r: DocResult, f: Finding) -> tuple[str | None, int, int]:
    """(file, line, column), 1-based: inside the file for a .txt document, the row's line for row formats."""
    d = r.doc
    if d.origin is None:
        return None, 1, 1
    if d.line == 1 and d.origin.endswith(".txt"):
        line = d.text.count("\n", 0, f.start) + 1
        col = f.start - (d.text.rfind("\n", 0, f.start) + 1) + 1
        return d.origin, line, col
    return d.origin, d.line or 1, 1


class Worst(NamedTuple):
    """A low-scoring document as the summaries list it: its score and reasons, not its text."""

    score: float
    doc_id: str
    reasons: list[str]


def worst(result: AuditResult, n: int = 10) -> list[Worst]:
    """The `n` lowest-scoring documents, lowest first (ties by id); holds `n` small rows, never a text."""
    return heapq.nsmallest(n, (Worst(r.score.score, r.doc.id, r.score.reasons) for r in result.results if r.score))


def _documents(n: int) -> str:
    return f"{n} document" if n == 1 else f"{n} documents"


def _failure_line(fl) -> str:
    """`expect_…(score): why - score ≥ 60 for 90% of documents: 83% (17 of 100 below: id1, id2, …)`."""
    return f"{fl.expectation}({fl.column or ''}): {fl.why} - {fl.message}"


def _validation_lines(validation) -> Iterator[str]:
    if validation is None:
        return
    status = "PASS" if validation.success else "FAIL"
    yield (
        f"{status} suite {validation.suite}: {len(validation.failures)} of {validation.evaluated} expectations "
        f"failed on {_documents(validation.documents)}"
    )
    for fl in validation.failures:
        yield f"  x {_failure_line(fl)}"


def render_text(result: AuditResult, validation=None) -> str:
    lines = list(_validation_lines(validation))
    rows = worst(result)
    if rows:
        lines.append("worst documents:")
        for r in rows:
            lines.append(f"  {r.score:5.1f}  {r.doc_id}  {'; '.join(r.reasons[:3])}")
    for r in (r for r in result.results if not r.doc.readable):
        lines.append(f"  unreadable  {r.doc.id}: {r.doc.reason}")
    return "\n".join(lines) + "\n"


def _figures(fl) -> dict:
    """The parts of a failure's explanation that JSON and SARIF both carry."""
    ex = fl.explanation
    return {
        "threshold": ex.threshold if ex else None,
        "observed": ex.observed if ex else None,
        "unexpected": ex.unexpected if ex else None,
        "documents": ex.documents if ex else None,
        "worst": fl.worst,
    }


def _failure_json(fl) -> dict[str, Any]:
    """A failed expectation in JSON: the message, its parts (threshold, observed, counts, worst ids) and
    Great Expectations' own figures (`result`)."""
    return {
        "expectation": fl.expectation,
        "column": fl.column,
        "why": fl.why,
        "message": fl.message,
        **_figures(fl),
        "result": fl.observed,
    }


def render_json(result: AuditResult, validation=None) -> str:
    data: dict[str, Any] = {
        "documents": len(result.results),
        "unreadable": sum(not r.doc.readable for r in result.results),
        "findings": sum(len(r.findings) for r in result.results),
        "worst": [{"doc_id": r.doc_id, "score": r.score, "reasons": r.reasons} for r in worst(result)],
    }
    if validation is not None:
        data["validation"] = {
            "success": validation.success,
            "suite": validation.suite,
            "evaluated": validation.evaluated,
            "documents": validation.documents,
            "failures": [_failure_json(fl) for fl in validation.failures],
        }
    return json.dumps(data, indent=2, default=str) + "\n"


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def render_github(result: AuditResult, validation=None) -> str:
    out = []
    for r in result.results:
        for f in r.findings:
            path, line, col = location(r, f)
            props = [f"title={_gh_escape(f.code + ' ' + f.category, True)}"]
            if path:
                props = [f"file={_gh_escape(path, True)}", f"line={line}", f"col={col}", *props]
            msg = f"{r.doc.id}: {f.message}" + (f" (suggestion: {f.suggestion})" if f.suggestion else "")
            out.append(f"::{GITHUB_LEVEL[f.severity]} {','.join(props)}::{_gh_escape(msg)}")
    if validation is not None:
        for fl in validation.failures:
            out.append(f"::error title={_gh_escape('news-audit gate', True)}::{_gh_escape(_failure_line(fl))}")
    return "\n".join(out) + ("\n" if out else "")


def _sarif_rules(checks) -> list[dict[str, Any]]:
    return [
        {
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.summary},
            "fullDescription": {"text": " ".join(c.doc.split())},
            "defaultConfiguration": {"level": SARIF_LEVEL[c.severity]},
            "properties": {"category": c.category, "scope": "corpus" if c.is_corpus else "document"},
        }
        for c in checks
    ]


def _sarif_finding(r: DocResult, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    path, line, col = location(r, f)
    res: dict[str, Any] = {
        "ruleId": f.code,
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": f.message},
        "partialFingerprints": {"newsAudit/v1": f"{f.doc_id}:{f.code}:{f.start}:{f.end}"},
        "properties": {"category": f.category, "start": f.start, "end": f.end, "evidence": f.evidence[:500]},
    }
    if f.code in index:
        res["ruleIndex"] = index[f.code]
    if f.suggestion is not None:
        res["properties"]["suggestion"] = f.suggestion
    loc: dict[str, Any] = {"logicalLocations": [{"name": r.doc.id, "kind": "module"}]}
    if path:
        region: dict[str, Any] = {"startLine": line, "startColumn": col}
        if f.evidence:
            region["snippet"] = {"text": f.evidence[:500]}
        loc["physicalLocation"] = {"artifactLocation": {"uri": path}, "region": region}
    res["locations"] = [loc]
    return res


def _document_location(r: DocResult) -> dict[str, Any]:
    """Where a document is: its file (and row line), and its id."""
    loc: dict[str, Any] = {"logicalLocations": [{"name": r.doc.id, "kind": "module"}]}
    if r.doc.origin is not None:
        region = {"startLine": r.doc.line or 1}
        loc["physicalLocation"] = {"artifactLocation": {"uri": r.doc.origin}, "region": region}
    return loc


def _sarif_gate(result: AuditResult, validation, first_index: int) -> tuple[list[dict], list[dict]]:
    """(rules, results) for the gate: each failed expectation is an error result `gate/<expectation>`,
    located at its worst documents."""
    kinds = sorted({fl.expectation for fl in validation.failures})
    rules = [
        {
            "id": f"gate/{kind}",
            "name": kind,
            "shortDescription": {"text": f"Great Expectations expectation {kind} of the news-audit gate"},
            "defaultConfiguration": {"level": "error"},
            "properties": {"category": "gate"},
        }
        for kind in kinds
    ]
    wanted = {i for fl in validation.failures for i in fl.worst[:SHOWN]}
    docs = {r.doc.id: r for r in result.results if r.doc.id in wanted} if wanted else {}
    results = []
    for fl in validation.failures:
        res: dict[str, Any] = {
            "ruleId": f"gate/{fl.expectation}",
            "ruleIndex": first_index + kinds.index(fl.expectation),
            "level": "error",
            "message": {"text": _failure_line(fl)},
            "partialFingerprints": {"newsAudit/v1": f"gate:{validation.suite}:{fl.expectation}:{fl.column or ''}"},
            "properties": {
                "suite": validation.suite,
                "column": fl.column,
                **_figures(fl),
            },
        }
        locations = [_document_location(docs[i]) for i in fl.worst[:SHOWN] if i in docs]
        if locations:
            res["locations"] = locations
        results.append(res)
    return rules, results


def render_sarif(result: AuditResult, validation=None) -> str:
    from audit.catalog import all_checks

    checks = all_checks()
    index = {c.code: i for i, c in enumerate(checks)}
    rules = _sarif_rules(checks)
    results = [_sarif_finding(r, f, index) for r in result.results for f in r.findings]
    run: dict[str, Any] = {
        "tool": {
            "driver": {"name": "news-audit", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules}
        },
        "results": results,
    }
    if validation is not None:
        gate_rules, gate_results = _sarif_gate(result, validation, len(rules))
        rules.extend(gate_rules)
        results.extend(gate_results)
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "properties": {
                    "gatePassed": validation.success,
                    "suite": validation.suite,
                    "documents": validation.documents,
                    "failedExpectations": len(validation.failures),
                },
            }
        ]
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "github": render_github, "sarif": render_sarif}
