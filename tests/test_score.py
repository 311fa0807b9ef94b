from audit.model import Finding
from audit.score import score_document


def f(code, category, severity, start=0, end=5):
    return Finding("d", start, end, code, category, severity, "msg", "x" * (end - start))


def test_clean_document_scores_100():
    s = score_document(1000, [])
    assert s.score == 100.0 and s.reasons == [] and s.n_findings == 0


def test_repeats_of_one_defect_cost_less_than_distinct_defects():
    repeated = score_document(1000, [f("NAME001", "name", "warning")] * 5)
    distinct = score_document(1000, [f("MT001", "mt", "error"), f("MT002", "mt", "warning")])
    assert repeated.score > distinct.score
    assert repeated.counts["name"] == 5
    assert any("x5" in r for r in repeated.reasons)


def test_score_is_bounded_and_reasons_explain_it():
    many = [f(f"X{i:03d}", "integrity", "error") for i in range(30)]
    s = score_document(100, many)
    assert s.score == 0.0
    assert all(r.startswith("-") for r in s.reasons)


def test_coverage_deduction():
    small = score_document(1000, [f("RES001", "residue", "warning", 0, 10)])
    large = score_document(1000, [f("RES001", "residue", "warning", 0, 900)])
    assert large.score < small.score
