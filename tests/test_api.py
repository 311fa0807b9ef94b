import re
import subprocess
import sys

import pandas as pd
import pytest
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


def test_select_and_ignore_strings_split_as_the_command_line_splits_them():
    text = ["Read more: Floods hit the north again", "Powered by automated translation"]
    as_string = audit.audit_texts(text, select="residue").findings
    as_list = audit.audit_texts(text, select=["residue"]).findings
    assert set(as_string.category) == {"residue"} and as_string.equals(as_list)
    mixed = audit.audit_texts(text, select="residue, MT001", ignore=["RES002"]).findings
    assert "MT001" in set(mixed.code) and "RES002" not in set(mixed.code)


def test_an_unknown_code_names_itself():
    with pytest.raises(ValueError, match="unknown check code or category: resdue"):
        audit.audit_texts(["x"], select="resdue")


def test_dir_lists_the_public_api():
    names = dir(audit)
    assert {"audit_texts", "audit_frame", "audit_paths", "score_text", "Audit"} <= set(names)
    assert "TYPE_CHECKING" not in names


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: audit.score_text(None), "argument 'text' must be str, not NoneType"),
        (lambda: audit.audit_texts("one text"), "texts must be a list"),
        (lambda: audit.audit_texts(["a", None]), r"texts\[1\] must be str, not NoneType"),
        (lambda: audit.audit_texts(["a"], select=5), "select must be a string or a list of strings, not int"),
        (lambda: audit.audit_texts(["a"], ignore=["MT001", 3]), "ignore must hold strings"),
        (lambda: audit.audit_texts(["a"], selct="residue"), "unknown option 'selct'; the options are: select"),
        (lambda: audit.audit_frame(["a"]), "frame must be a pandas DataFrame, not list"),
        (lambda: audit.audit_texts(["a"], ids=5), "ids must be a list with one item a text, not int"),
        (lambda: audit.audit_paths(5), "paths must be a path or a list of paths, not int"),
    ],
)
def test_wrong_types_are_type_errors_naming_the_argument(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_a_single_path_is_one_input():
    assert list(audit.audit_paths(SAMPLE).scores.doc_id) == list(audit.audit_paths([SAMPLE]).scores.doc_id)
