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


# Below the gate on the sample, worst first: no usable text (8 words), MT defects, a sixth to a fifth residue.
W5 = (
    "wire-digest/storm-aftermath, aggregator/short-note, daily-courier/grain-corridor, daily-courier/storm-odesa, "
    "aggregator/storm-roundup"
)


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
    gate = [ln for ln in lines if ln.startswith("::error title=news-audit gate::")]
    assert len(gate) == 3  # one annotation per failed expectation, with the threshold and the observed value
    assert any(
        "score ≥ 60 for 90%25 of documents: 16.7%25 (5 of 6 below: wire-digest/storm-aftermath, aggregator/short-note,"
        in g
        for g in gate
    )
    assert any("mt > 0 in at most 20%25 of documents: 40%25" in g for g in gate)


def test_sarif_validates_against_the_2_1_0_schema(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    main(["check", str(SAMPLE), "--format", "sarif"])
    doc = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["results"] and rules
    gate = [r for r in run["results"] if r["ruleId"].startswith("gate/")]
    assert sorted(r["ruleId"] for r in gate) == [
        "gate/expect_column_share_nonzero_to_be_at_most",
        "gate/expect_column_values_to_be_between",
        "gate/expect_column_values_to_be_in_set",
    ]
    for r in gate:
        assert r["level"] == "error" and rules[r["ruleIndex"]]["id"] == r["ruleId"]
    score = next(r for r in gate if r["ruleId"] == "gate/expect_column_values_to_be_between")
    assert (
        "score ≥ 60 for 90% of documents: 16.7% (5 of 6 below: wire-digest/storm-aftermath," in score["message"]["text"]
    )
    assert score["properties"]["worst"] == W5.split(", ")
    where = score["locations"][0]
    assert where["physicalLocation"]["artifactLocation"]["uri"].endswith("storm-aftermath.txt")
    assert where["logicalLocations"] == [{"name": "wire-digest/storm-aftermath", "kind": "module"}]
    assert run["invocations"][0]["properties"]["failedExpectations"] == 3


def _suite(tmp_path, *expectations, name="x"):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"name": name, "expectations": list(expectations)}), encoding="utf-8")
    return path


def test_bad_suite_is_an_error_exit_2(tmp_path, capsys):
    missing = tmp_path / "missing.json"
    assert main(["check", str(SAMPLE), "--suite", str(missing)]) == 2
    assert capsys.readouterr().err == f"audit: error: no such suite file: {missing}\n"
    unknown = _suite(tmp_path, {"type": "expect_no_such_thing", "kwargs": {}}, name="unknown")
    assert main(["check", str(SAMPLE), "--suite", str(unknown)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("audit: error: suite unknown: cannot load expectation expect_no_such_thing: ")
    assert "not found" in err and err.count("\n") == 1
    share = {"type": "expect_column_share_nonzero_to_be_at_most", "kwargs": {"column": "mt", "max_share": 3}}
    assert main(["check", str(SAMPLE), "--suite", str(_suite(tmp_path, share, name="share"))]) == 2
    assert "max_share must be a share between 0 and 1, not 3" in capsys.readouterr().err
    shapeless = tmp_path / "shapeless.json"
    shapeless.write_text(json.dumps({"expectations": [{"kwargs": {}}]}))
    assert main(["check", str(SAMPLE), "--suite", str(shapeless)]) == 2
    assert "expectation 1 needs a 'type' string and a 'kwargs' object" in capsys.readouterr().err


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


def test_a_validation_that_cannot_run_exits_2_with_great_expectations_message(tmp_path, capsys):
    suite = _suite(tmp_path, {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "no_such_column"}})
    out = tmp_path / "v"
    assert main(["check", str(SAMPLE), "--suite", str(suite), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "audit: error: the validation could not run: expect_column_values_to_be_unique(no_such_column): "
        'Error: The column "no_such_column" in BatchData does not exist.\n'
    )
    assert "PASS" not in captured.out and "FAIL" not in captured.out
    assert not out.exists()  # nothing written for a validation that did not run
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["check", str(SAMPLE), "--suite", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"audit: error: suite {broken} is not JSON: Expecting property name") and "line 1" in err


def test_an_empty_batch_fails_and_says_0_documents(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL suite news_audit_default: 1 of 7 expectations failed on 0 documents\n")
    assert "expect_table_row_count_to_be_between(): an empty batch nearly always means a broken upstream step" in out
    assert "at least 1 document: 0 documents" in out
    assert main(["check", str(empty), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)["validation"]
    assert data["success"] is False and data["documents"] == 0
    assert data["failures"][0]["message"] == "at least 1 document: 0 documents"
    assert main(["check", str(empty), "--allow-empty"]) == 0
    assert capsys.readouterr().out.startswith(
        "PASS suite news_audit_default: 0 of 6 expectations failed on 0 documents"
    )


def test_failure_messages_give_threshold_observed_value_and_worst_ids(capsys):
    assert main(["check", str(SAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "FAIL suite news_audit_default: 3 of 6 expectations failed on 6 documents" in out
    assert (
        "  x expect_column_values_to_be_between(score): most documents are clean enough to keep - "
        f"score ≥ 60 for 90% of documents: 16.7% (5 of 6 below: {W5})\n"
    ) in out
    assert "RES001 = 0 for every document: 83.3% (1 of 6 with RES001 > 0: aggregator/storm-roundup)\n" in out
    # the mt share names documents (most mt findings first), not finding counts
    assert (
        'mt > 0 in at most 20% of documents: 40% (2 of 5 with mt > 0 where machine_translated != "n/a": '
        "wire-digest/storm-aftermath, aggregator/storm-roundup)\n"
    ) in out
    assert main(["check", str(SAMPLE), "--format", "json"]) == 1
    failures = {f["column"]: f for f in json.loads(capsys.readouterr().out)["validation"]["failures"]}
    score = failures["score"]
    assert score["threshold"] == "score ≥ 60 for 90% of documents" and score["observed"] == "16.7%"
    assert (score["unexpected"], score["documents"], score["worst"]) == (5, 6, W5.split(", "))
    assert score["message"] == f"score ≥ 60 for 90% of documents: 16.7% (5 of 6 below: {W5})"
    assert score["result"]["unexpected_count"] == 5  # Great Expectations' own figures stay available
    assert failures["mt"]["worst"] == ["wire-digest/storm-aftermath", "aggregator/storm-roundup"]


def test_worst_documents_are_the_lowest_scores_of_a_large_batch():
    import pandas as pd

    from audit.gate.expectations import read_suite_spec, validate

    scores = [90.0 - (i % 7) for i in range(83)] + [59.5 - i * 3 for i in range(17)]
    frame = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(100)], "score": scores})
    spec = read_suite_spec()
    spec["expectations"] = [e for e in spec["expectations"] if e["kwargs"].get("column") == "score"]
    (failure,) = validate(frame, spec).failures
    assert failure.message == (
        "score ≥ 60 for 90% of documents: 83% (17 of 100 below: d099, d098, d097, d096, d095, …)"
    )
    assert failure.worst == [f"d{i:03d}" for i in range(99, 89, -1)]


def test_check_out_naming_a_file_exits_2(tmp_path, capsys):
    target = tmp_path / "result.json"
    target.write_text("keep me")
    assert main(["check", str(SAMPLE), "--out", str(target)]) == 2
    assert capsys.readouterr().err == f"audit: error: --out {target} is a file, not a folder\n"
    assert target.read_text() == "keep me"


def test_explanations_word_each_kind_of_expectation():
    import pandas as pd

    from audit.gate.explain import explain, pct

    assert [pct(x) for x in (0.9, 5 / 6, 0.99999, 0.00001, 1.0, 0.0)] == ["90%", "83.3%", "99.9%", "0.1%", "100%", "0%"]
    frame = pd.DataFrame(
        {"doc_id": ["a", "b", "c", "d"], "score": [5.0, 120.0, 50.0, None], "status": ["ok", "bad", "ok", "bad"]}
    )
    counts = {"element_count": 4, "missing_count": 1, "unexpected_count": 2}
    between = explain(
        "expect_column_values_to_be_between", {"column": "score", "min_value": 10, "max_value": 100}, counts, frame
    )
    # farthest outside first: b is 20 above the range, a 5 below it
    assert between.message == "10 ≤ score ≤ 100 for every document: 33.3% (2 of 3 outside: b, a)"
    in_set = explain(
        "expect_column_values_to_be_in_set",
        {"column": "status", "value_set": ["ok"], "mostly": 0.75},
        {"element_count": 4, "missing_count": 0, "unexpected_count": 2},
        frame,
    )
    assert in_set.message == "status = ok for 75% of documents: 50% (2 of 4 with another status: b, d)"
    other = explain(
        "expect_column_mean_to_be_between",
        {"column": "score", "min_value": 70, "max_value": None},
        {"observed_value": 58.3},
        frame,
    )
    assert other.message == "expect_column_mean_to_be_between(max_value=None, min_value=70): observed 58.3"


def test_the_validation_table_equals_the_table_of_score_rows():
    """gate_table builds its columns without row dicts; the table is the one pd.DataFrame(rows) makes,
    column for column and dtype for dtype, with metadata only some documents carry and an unreadable one."""
    import numpy as np
    import pandas as pd

    from audit.catalog import all_checks
    from audit.engine import Options, audit_documents
    from audit.gate.expectations import gate_table
    from audit.load import load_documents
    from audit.output import score_rows
    from audit.records import Document

    docs = list(load_documents([str(SAMPLE)]))
    docs[0].meta.update(title="A title", rank=3, flags={"a": 1})
    docs[1].meta.update(rank=2.5, paywall=True)
    docs.append(Document("broken", "", status="unreadable", reason="empty file"))
    result = audit_documents(docs, Options(jobs=1))
    cols, rows = score_rows(result)
    expected = pd.DataFrame(rows, columns=cols)
    expected["score"] = pd.to_numeric(expected["score"], errors="coerce")
    expected["clean_share"] = pd.to_numeric(expected["clean_share"], errors="coerce")
    for check in all_checks():
        expected[check.code] = np.array([sum(f.code == check.code for f in r.findings) for r in result.results])
    table = gate_table(result)
    assert {"title", "rank", "paywall", "flags"} <= set(table.columns)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert list(table.dtypes) == list(expected.dtypes)


def test_a_suite_can_filter_on_the_usable_share(tmp_path, capsys):
    suite = {
        "name": "usable",
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "clean_share", "min_value": 0.85},
                "meta": {"why": "at least 85% of every text is usable"},
            }
        ],
    }
    path = tmp_path / "usable.json"
    path.write_text(json.dumps(suite), encoding="utf-8")
    assert main(["check", str(SAMPLE), "--suite", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "clean_share" in out
        and "daily-courier/grain-corridor" in out
        and "wire-digest/ferry" not in out.split("worst")[0]
    )


def test_the_suite_columns_are_what_its_expectations_read():
    """`suite_columns`: the columns each expectation names, the words of its row condition and doc_id;
    None (every column) as soon as one expectation reads the table as a whole."""
    from audit.gate.expectations import read_suite_spec, suite_columns

    spec = read_suite_spec()
    assert suite_columns(spec) == {"doc_id", "score", "status", "RES001", "INT005", "mt", "machine_translated"}
    pair = {"type": "expect_column_pair_values_a_to_be_greater_than_b", "kwargs": {"column_A": "x", "column_B": "y"}}
    condition = {"column": "z", "row_condition": 'source == "wire and more" & n_findings > 2'}
    spec2 = {"expectations": [pair, {"type": "expect_column_values_to_not_be_null", "kwargs": condition}]}
    assert suite_columns(spec2) == {"doc_id", "x", "y", "z", "source", "n_findings"}
    whole = {"type": "expect_table_column_count_to_equal", "kwargs": {"value": 80}}
    assert suite_columns({"expectations": [*spec["expectations"], whole]}) is None


def test_a_table_of_the_suite_columns_validates_as_the_whole_table():
    """The validation table of the columns the suite reads gives the whole table's verdict, failures,
    figures and worst documents (the sample fails some expectations), with far fewer columns."""
    from audit.engine import Options, audit_documents
    from audit.gate.expectations import gate_table, read_suite_spec, suite_columns, validate
    from audit.load import load_documents

    result = audit_documents(load_documents([str(SAMPLE)]), Options(jobs=1))
    spec = read_suite_spec(thresholds={"fail-under": 90, "max-mt-share": 0.05})
    whole, slim = gate_table(result), gate_table(result, suite_columns(spec))
    assert list(slim.columns) == [c for c in whole.columns if c in suite_columns(spec)]
    assert len(slim.columns) < len(whole.columns) / 5
    a, b = validate(whole, spec), validate(slim, spec)
    assert a.failures and (a.success, a.evaluated, a.documents) == (b.success, b.evaluated, b.documents)
    assert [(f.expectation, f.column, f.observed, f.message) for f in a.failures] == [
        (f.expectation, f.column, f.observed, f.message) for f in b.failures
    ]


def _stable(result_json):
    """A validation result without what differs between two runs (ids, times)."""
    drop = {"id", "ge_load_time", "validation_id", "checkpoint_id", "run_time", "validation_time"}
    if isinstance(result_json, dict):
        return {k: _stable(v) for k, v in result_json.items() if k not in drop}
    if isinstance(result_json, list):
        return [_stable(v) for v in result_json]
    return result_json


@pytest.mark.slow
def test_a_validation_in_a_process_of_its_own_equals_one_in_this_process(tmp_path):
    """`validate` hands a large table to a fresh process (`validate_apart`): the same verdict, failures,
    explanations, Great Expectations' result (its fingerprint of the table included) and written files."""
    from audit.engine import Options, audit_documents
    from audit.gate.expectations import gate_table, read_suite_spec, suite_columns, validate, validate_here
    from audit.load import load_documents

    result = audit_documents(load_documents([str(SAMPLE)]), Options(jobs=1))
    spec = read_suite_spec(thresholds={"fail-under": 90, "max-mt-share": 0.05})
    table = gate_table(result, suite_columns(spec))
    here = validate_here(table, spec, tmp_path / "here")
    apart = validate(table, spec, tmp_path / "apart", min_rows=1)  # 6 rows: apart only when told so
    assert here.failures and not here.success
    assert (here.success, here.suite, here.evaluated, here.documents) == (
        apart.success,
        apart.suite,
        apart.evaluated,
        apart.documents,
    )
    assert here.failures == apart.failures  # dataclasses: expectation, figures, explanation, worst documents
    assert _stable(here.result_json) == _stable(apart.result_json)
    assert "pandas_data_fingerprint" in json.dumps(apart.result_json)
    assert (tmp_path / "apart" / "data_docs" / "index.html").exists()
    written = json.loads((tmp_path / "apart" / "validation_result.json").read_text())
    assert _stable(written) == _stable(json.loads((tmp_path / "here" / "validation_result.json").read_text()))


def test_a_validation_apart_that_cannot_run_raises_the_same_gate_error(tmp_path):
    import pandas as pd

    from audit.gate import GateError
    from audit.gate.expectations import validate

    spec = {"expectations": [{"type": "expect_column_values_to_be_unique", "kwargs": {"column": "no_such_column"}}]}
    frame = pd.DataFrame({"doc_id": ["a", "b"]})
    with pytest.raises(GateError, match="the validation could not run: .*no_such_column") as here:
        validate(frame, spec)
    with pytest.raises(GateError) as apart:
        validate(frame, spec, tmp_path / "v", min_rows=1)
    assert str(apart.value) == str(here.value)
    assert not (tmp_path / "v").exists()


def test_a_validating_process_that_dies_is_an_error_not_a_hang(monkeypatch):
    import pandas as pd

    import audit.gate.expectations as gate

    monkeypatch.setattr(gate, "CHILD", "import sys; sys.exit(3)")  # ends before reading its input
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(200_000)]})  # more than a pipe's buffer
    with pytest.raises(RuntimeError, match="the validation process ended with exit status 3 and no outcome"):
        gate.validate(frame, {"expectations": []}, min_rows=1)
