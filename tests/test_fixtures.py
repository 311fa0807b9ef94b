"""Per-check fixture files, in the manner of sqlfluff's YAML rule cases.

Every registered check has `tests/fixtures/<CODE>.yaml`:

```yaml
code: RES001
source: where the cases come from (written for this project; never the seeds or ../shared/eval)
fire:            # each case must produce exactly these findings of this check
  - text: "The council met.\\n[ad_1]\\nIt voted."
    hits: ["[ad_1]"]            # the evidence of each finding, in order of start offset
    spans: [[17, 23]]           # optional: exact (start, end) offsets, in the same order
    fixed: "The council met.\nIt voted."   # optional: the text after `audit fix` with this check's
                                            # default fix (none at all when the check is not autofix)
    options: {max_chars: 40}    # optional: audit options for this case (`audit.engine.Options` fields)
pass:            # near-misses: the check must find nothing
  - text: "The [ad] hoc committee met."
```

A corpus check's case gives `docs` (a list of `{id, text, source?}`) instead of `text`, and its
`hits` map a document id to that document's evidence list (documents not named expect none).
Each case is audited through the engine with only that check selected, so a case states what a
user running `audit run --select CODE` would see. A `fixed:` text (on a case that fires or a near-miss)
is what `audit fix` leaves when only this check's default fix applies: the check's findings when it is
`autofix`, none otherwise, so `fixed:` equal to `text` says the default fix must not touch it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from audit.catalog import all_checks
from audit.engine import Options, audit_documents
from audit.fix import FixPolicy, fix_documents
from audit.records import Document
from audit.registry import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures"
MIN_CASES = 5


def _load(code: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{code}.yaml").read_text(encoding="utf-8"))


def _cases() -> list[tuple[str, str, int, dict]]:
    out = []
    for c in all_checks():
        path = FIXTURES / f"{c.code}.yaml"
        if not path.exists():
            continue
        data = _load(c.code)
        for kind in ("fire", "pass"):
            for i, case in enumerate(data.get(kind) or []):
                out.append((c.code, kind, i, case))
    return out


def _run(code: str, case: dict) -> dict[str, list]:
    if "docs" in case:
        docs = [Document(str(d["id"]), d["text"], source=d.get("source")) for d in case["docs"]]
    else:
        docs = [Document("case", case["text"], source=case.get("source"))]
    options = Options(select=(code,), jobs=1, stories="docs" in case, **case.get("options", {}))
    result = audit_documents(docs, options)
    found: dict[str, list] = {d.id: [] for d in docs}
    for f in result.findings:
        if f.code == code:
            found[f.doc_id].append(f)
    return found


def test_no_orphan_fixture_file():
    """A fixture file whose code no check registers (a removed or renamed check) fails, not passes silently."""
    codes = {c.code for c in all_checks()}
    orphans = sorted(p.stem for p in FIXTURES.glob("*.yaml") if p.stem not in codes)
    assert not orphans, f"fixture files for no registered check: {', '.join(orphans)}"


def test_every_firing_case_gives_its_spans():
    missing = [f"{code}-fire-{i}" for code, kind, i, case in _cases() if kind == "fire" and "spans" not in case]
    assert not missing, f"firing cases without `spans:`: {', '.join(missing)}"


def test_every_autofix_check_shows_its_fix():
    """A check that `audit fix` applies by default shows, on a case that fires, the text it leaves."""
    lacking = [
        c.code
        for c in all_checks()
        if c.autofix
        and not any("fixed" in k and k["fixed"] != k.get("text") for k in (_load(c.code).get("fire") or []))
    ]
    assert not lacking, f"autofix checks without a `fixed:` case that changes the text: {', '.join(lacking)}"


def test_every_check_has_a_fixture_file():
    missing = [c.code for c in all_checks() if not (FIXTURES / f"{c.code}.yaml").exists()]
    assert not missing, f"checks without tests/fixtures/<CODE>.yaml: {', '.join(missing)}"


@pytest.mark.parametrize("code", [c.code for c in all_checks() if (FIXTURES / f"{c.code}.yaml").exists()])
def test_fixture_file_is_complete(code):
    data = _load(code)
    assert data.get("code") == code
    assert str(data.get("source", "")).strip(), "say where the cases come from"
    assert len(data.get("fire") or []) >= MIN_CASES, f"{code}: fewer than {MIN_CASES} cases that must fire"
    assert len(data.get("pass") or []) >= MIN_CASES, f"{code}: fewer than {MIN_CASES} near-misses"


def _default_fixed(code: str, text: str) -> str:
    """The text after `audit fix` when only this check's default fix may edit (nothing unless it is autofix)."""
    policy = FixPolicy(frozenset({code}) if REGISTRY[code].autofix else frozenset(), max_removal=1.0)
    fixed, _ = fix_documents([Document("case", text)], Options(select=(code,), jobs=1), policy=policy)
    return fixed[0].text


@pytest.mark.parametrize(("code", "kind", "i", "case"), _cases(), ids=[f"{c}-{k}-{i}" for c, k, i, _ in _cases()])
def test_fixture_case(code, kind, i, case):
    if "fixed" in case:
        assert _default_fixed(code, case["text"]) == case["fixed"], f"{code}: the default fix left another text"
    found = _run(code, case)
    if kind == "pass":
        assert not any(found.values()), (
            f"{code} fired on a near-miss: {[f.evidence for fs in found.values() for f in fs]}"
        )
        return
    expected = case["hits"]
    if "docs" not in case:
        expected = {"case": expected}
    for doc_id, fs in found.items():
        want = expected.get(doc_id, [])
        got = [f.evidence for f in sorted(fs, key=lambda f: (f.start, f.end))]
        assert got == want, f"{code} on {doc_id}: got {got}, want {want}"
    if "spans" in case:
        spans = case["spans"] if "docs" in case else {"case": case["spans"]}
        for doc_id, fs in found.items():
            got = [[f.start, f.end] for f in sorted(fs, key=lambda f: (f.start, f.end))]
            assert got == spans.get(doc_id, []), f"{code} on {doc_id}: spans {got}, want {spans.get(doc_id, [])}"
