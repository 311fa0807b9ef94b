import re
import subprocess
import sys

import pandas as pd
from conftest import ROOT, SAMPLE

import audit


def test_import_is_cheap():
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import audit"], capture_output=True, text=True)
    loaded = out.stderr
    assert "great_expectations" not in loaded and "pandas" not in loaded and "rapidfuzz" not in loaded


def test_audit_texts_returns_tables():
    r = audit.audit_texts(["Read more: Floods hit the north again", "Powered by automated translation"], ids=["x", "y"])
    assert list(r.scores.doc_id) == ["x", "y"]
    assert set(r.findings.code) >= {"RES002", "MT001"}
    assert r.scores.score.dtype.kind == "f"


def test_audit_frame_with_named_columns_and_bad_rows():
    df = pd.DataFrame(
        {"uid": ["a", "b"], "body": ["[ad_1] The council met.", None], "outlet": ["x", "y"], "keep": [1, 2]}
    )
    r = audit.audit_frame(df, id_column="uid", text_column="body", source_column="outlet")
    s = r.scores.set_index("doc_id")
    assert s.loc["a", "source"] == "x" and s.loc["a", "keep"] == 1
    assert s.loc["b", "status"] == "unreadable"


def test_filtering_is_one_line():
    r = audit.audit_paths([SAMPLE])
    clean = r.scores[r.scores.score >= 80]
    no_mt = r.scores[r.scores.mt == 0]
    assert 0 < len(clean) < len(r.scores) and "wire-digest/storm-aftermath" not in set(no_mt.doc_id)


def test_score_text_and_options():
    calm = "The council met on Monday evening and agreed, after a short and calm debate, to repair the old bridge."
    assert audit.score_text(calm, select=["residue"]) == 100.0
    assert audit.score_text("[ad_1]\n" + calm, select=["residue"]) < 100.0
    assert audit.score_text("A short calm note.", select=["residue"]) < 60  # no usable text


def test_readme_python_examples_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "the README shows the API"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
