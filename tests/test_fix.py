import json

import pandas as pd
import pytest
from conftest import SAMPLE

from audit.cli import main
from audit.engine import Options, audit_documents
from audit.fix import apply_fixes, fix_documents
from audit.load import load_documents
from audit.model import Finding


def finding(text, evidence, code="RES001", category="residue", suggestion=""):
    start = text.index(evidence)
    return Finding("d", start, start + len(evidence), code, category, "warning", "m", evidence, suggestion)


def test_removing_a_whole_line_removes_its_break_and_replacements_apply():
    text = "[ad_1]\nFrench the Ministry said so.\nRead more\nEnd."
    fs = [
        finding(text, "[ad_1]"),
        finding(text, "Read more"),
        finding(text, "French the Ministry", "MT002", "mt", "The French Ministry"),
    ]
    fixed, s = apply_fixes(text, fs)
    assert fixed == "The French Ministry said so.\nEnd."
    assert (s.removed, s.replaced) == (2, 1)


def test_names_only_when_asked_and_no_suggestion_means_no_fix():
    text = "Pashinian said so. The text ends mid"
    fs = [
        finding(text, "Pashinian", "NAME001", "name", "Pashinyan"),
        finding(text, "ends mid", "INT002", "integrity", None),
    ]
    assert apply_fixes(text, fs)[0] == text
    assert apply_fixes(text, fs, fix_names=True)[0] == "Pashinyan said so. The text ends mid"


def test_overlapping_removals_merge():
    text = "Keep this.\nShare | Email | Print\nKeep that."
    fs = [finding(text, "Share | Email | Print"), finding(text, "Email | Print", "RES004")]
    assert apply_fixes(text, fs)[0] == "Keep this.\nKeep that."


def _fixed_codes(before, after):
    """(doc id, code, evidence) of the fixes' targets that the audit still finds after fixing."""
    return {(f.doc_id, f.code, f.evidence) for f in after} & {(f.doc_id, f.code, f.evidence) for f in before}


def test_rerunning_the_audit_on_fixed_text_finds_none_of_the_fixed_issues():
    docs = list(load_documents([SAMPLE]))
    before = audit_documents(docs, Options(jobs=1)).findings
    fixed, summaries = fix_documents(docs, Options(jobs=1), fix_names=True)
    after = audit_documents(fixed, Options(jobs=1)).findings
    fixable_before = [f for f in before if f.suggestion is not None]
    assert fixable_before
    assert not _fixed_codes(fixable_before, [f for f in after if f.suggestion is not None])
    assert sum(s.removed + s.replaced for s in summaries) >= len({(f.doc_id, f.start) for f in fixable_before}) // 2


@pytest.mark.parametrize("fmt", ["folder", "jsonl", "csv", "parquet"])
def test_audit_fix_writes_every_input_format(tmp_path, fmt, capsys):
    texts = {
        "a": "[ad_1]\nThe council approved the budget on Tuesday after a long debate, officials said.\nRead more",
        "b": "The ferry was cancelled because of high waves on Monday, the operator said in a statement.",
    }
    if fmt == "folder":
        src = tmp_path / "in"
        src.mkdir()
        for k, v in texts.items():
            (src / f"{k}.txt").write_text(v, encoding="utf-8")
    else:
        frame = pd.DataFrame({"id": list(texts), "text": list(texts.values()), "extra": [1, 2]})
        src = tmp_path / f"in.{fmt}"
        if fmt == "jsonl":
            src.write_text("".join(json.dumps(r) + "\n" for r in frame.to_dict(orient="records")), encoding="utf-8")
        elif fmt == "csv":
            frame.to_csv(src, index=False)
        else:
            frame.to_parquet(src)
    out = tmp_path / "out"
    assert main(["fix", str(src), "--out", str(out), "--diff"]) == 0
    printed = capsys.readouterr().out
    assert "-[ad_1]" in printed and "1 of 2 documents changed" in printed
    target = out / src.name
    fixed = {d.id: d.text for d in load_documents([target])}
    assert fixed["a"] == "The council approved the budget on Tuesday after a long debate, officials said."
    assert fixed["b"] == texts["b"]
    if fmt != "folder":
        again = next(load_documents([target]))
        assert str(again.meta.get("extra")) == "1"
