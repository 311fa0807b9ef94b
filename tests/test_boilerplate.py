from conftest import corpus_findings

FOOTER = "Follow the Courier on social media for more news from the region"


TOPICS = ["the harbour", "the new bridge", "school meals", "the tram line", "the city budget"]


def _story(i: int) -> str:
    return f"A story about {TOPICS[i]} and what the council decided on Monday evening.\n{FOOTER}"


def test_lines_repeated_across_a_source_are_boilerplate():
    texts = {f"d{i}": _story(i) for i in range(5)}
    found = corpus_findings(texts, ("RES013",), sources=dict.fromkeys(texts, "courier"))
    assert {f.evidence for f in found} == {FOOTER}
    assert len(found) == 5


def test_same_lines_in_different_sources_or_without_source_are_left_alone():
    texts = {f"d{i}": _story(i) for i in range(5)}
    assert corpus_findings(texts, ("RES013",)) == []
    sources = {k: f"outlet{i}" for i, k in enumerate(texts)}
    assert corpus_findings(texts, ("RES013",), sources=sources) == []
