"""Any text yields valid spans and a bounded score, and no pattern hangs on adversarial input."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.engine import Options, audit_documents
from audit.records import Document

NEWSY = st.sampled_from(
    [
        "Read more",
        "[ad_1]",
        "\n",
        "\r\n",
        " ",
        "Updated: May 1, 2023",
        "©",
        "<div>",
        "&nbsp;",
        "«",
        "»",
        "é",
        "\u0301",
        "😀",
        "שלום",
        "Pashinyan",
        "Pashinian",
        " :",
        "...",
        "—",
        "By Jane",
        "\ufeff",
        "\ufffd",
        "the",
        "French the Ministry",
    ]
)
TEXTS = st.lists(st.one_of(st.text(max_size=30), NEWSY), max_size=40).map("".join)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_any_text_gives_valid_spans_and_scores(texts):
    docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
    result = audit_documents(docs, Options(jobs=1))
    assert [r.doc.id for r in result.results] == [d.id for d in docs]
    for r in result.results:
        assert 0 <= r.score.score <= 100
        for f in r.findings:
            assert 0 <= f.start <= f.end <= len(r.doc.text)
            assert r.doc.text[f.start : f.end] == f.evidence


@pytest.mark.slow
def test_adversarial_inputs_finish():
    bad = [
        "a" * 1_000_000,
        "[" * 200_000 + "]" * 200_000,
        "<" * 300_000,
        "&" * 300_000,
        ("Read more " * 100_000),
        "\n" * 200_000,
        " :" * 200_000,
        "A" * 200_000 + " the " + "B" * 200_000,
        ("Mr " * 100_000),
        " " * 300_000 + "x",
        "comments" + " " * 200_000 + "x",
        "Source:" + " " * 200_000 + "x",
        "-" + " \t" * 100_000 + "Reuters x",
        " \n" * 100_000,
        "“" * 100_000,
        "(" * 200_000,
        "1," * 100_000,
    ]
    result = audit_documents([Document(str(i), t) for i, t in enumerate(bad)], Options(jobs=1))
    assert len(result.results) == len(bad)
