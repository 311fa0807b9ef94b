import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

from audit.cli import main

CLEAN = [
    "The ferry between the two ports was cancelled on Monday because of high waves, the operator said in a statement. "
    "Passengers with tickets could use them until the end of the month or ask for a refund at the office.",
    "The city council approved the new budget on Tuesday after a debate that lasted six hours, officials said. "
    "The budget increases spending on schools and public transport and cuts the council's own costs.",
    "Forecasters expect calmer weather along the coast from Wednesday, although more rain is likely in the hills. "
    "Farmers said the storm had flattened some of the late maize but that most of the harvest was already in.",
]


@pytest.fixture
def clean_corpus(tmp_path):
    folder = tmp_path / "clean"
    folder.mkdir()
    for i, t in enumerate(CLEAN):
        (folder / f"doc{i}.txt").write_text(t, encoding="utf-8")
    return folder


def test_gate_passes_a_clean_corpus(clean_corpus, capsys):
    assert main(["check", str(clean_corpus)]) == 0
    assert "PASS suite news_audit_default" in capsys.readouterr().out


def test_gate_fails_a_dirty_corpus_and_names_the_expectation(tmp_path, capsys):
    assert main(["check", str(SAMPLE), "--out", str(tmp_path / "v")]) == 1
    out = capsys.readouterr().out
    assert "FAIL suite news_audit_default" in out
    assert "expect_column_values_to_be_in_set(RES001)" in out
    assert "wire-digest/storm-aftermath" in out  # among the worst documents
    index = (tmp_path / "v" / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert "news_audit_default" in index
    result = json.loads((tmp_path / "v" / "validation_result.json").read_text())
    assert result["success"] is False


def test_thresholds_and_exit_zero(capsys):
    args = ["check", str(SAMPLE), "--fail-under", "10", "--max-mt-share", "0.6", "--ignore", "RES001"]
    assert main(args) == 0
    assert main(["check", str(SAMPLE), "--exit-zero"]) == 0


def test_github_annotations_point_into_the_files(capsys):
    main(["check", str(SAMPLE), "--format", "github"])
    lines = capsys.readouterr().out.splitlines()
    ad = [ln for ln in lines if "RES001" in ln]
    assert ad and ad[0].startswith("::error file=") and "storm-roundup.txt,line=1,col=1" in ad[0]
    assert any(ln.startswith("::error title=news-audit gate::") for ln in lines)


def test_sarif_validates_against_the_2_1_0_schema(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    main(["check", str(SAMPLE), "--format", "sarif"])
    doc = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    assert doc["runs"][0]["results"] and doc["runs"][0]["tool"]["driver"]["rules"]


def test_bad_suite_is_an_error_exit_2(tmp_path):
    assert main(["check", str(SAMPLE), "--suite", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "expectations": [{"type": "expect_no_such_thing", "kwargs": {}}]}))
    assert main(["check", str(SAMPLE), "--suite", str(bad)]) == 2


def test_custom_expectation_survives_a_reload_from_disk(tmp_path):
    from audit.gate.expectations import load_suite, read_suite_spec, save_suite

    suite = load_suite(read_suite_spec(thresholds={"max-mt-share": 0.3}))
    path = tmp_path / "suite.json"
    save_suite(suite, path)
    again = load_suite(read_suite_spec(path))
    types = [e.expectation_type for e in again.expectations]
    assert "expect_column_share_nonzero_to_be_at_most" in types
    custom = next(e for e in again.expectations if e.expectation_type == "expect_column_share_nonzero_to_be_at_most")
    assert custom.max_share == 0.3 and custom.mostly == pytest.approx(0.7)


def test_run_writes_validation(tmp_path):
    assert main(["run", str(SAMPLE), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "validation" / "validation_result.json").exists()
    assert (tmp_path / "validation" / "data_docs" / "index.html").exists()


@pytest.mark.parametrize(
    "code", ["import audit", "import audit.cli, audit.engine, audit.score; audit.cli.main(['rules'])"]
)
def test_great_expectations_stays_out_of_import_and_rules(code):
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0
    assert "great_expectations" not in r.stderr


def test_packaged_default_suite_matches_the_projects():
    from audit.gate.expectations import DEFAULT_SUITE

    packaged = ROOT / "audit" / "gate" / "news_audit.json"
    assert json.loads(packaged.read_text()) == json.loads(DEFAULT_SUITE.read_text())


def test_a_validation_that_cannot_run_exits_2(tmp_path):
    suite = tmp_path / "suite.json"
    suite.write_text(
        json.dumps(
            {
                "name": "x",
                "expectations": [{"type": "expect_column_values_to_be_unique", "kwargs": {"column": "no_such_column"}}],
            }
        )
    )
    assert main(["check", str(SAMPLE), "--suite", str(suite)]) in (1, 2)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["check", str(SAMPLE), "--suite", str(broken)]) == 2
