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


def test_a_fingerprint_reads_the_line_as_the_plain_rule_does():
    """`fingerprint` joins the line's letter runs; the rule as written replaces every run of non-letters
    (digits, punctuation, white space, `_`) with a space and splits on white space: the same string."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from audit.corpus.boilerplate import fingerprint
    from audit.text import hash64

    def plain(line: str) -> int:
        return hash64(" ".join(re.sub(r"[\W\d_]+", " ", line.casefold()).split()))

    chars = st.sampled_from(list("aZé ß\t\n_-.,7’'\u00a0\u2003\u1680\x1cİſ") + ["Straße", "ǅ", "١"])

    @settings(max_examples=500, deadline=None)
    @given(st.lists(chars, max_size=20))
    def check(parts: list[str]) -> None:
        line = "".join(parts)
        assert fingerprint(line) == plain(line)

    check()
    assert fingerprint("Follow us on Twitter!  ") == plain("follow US on twitter") == hash64("follow us on twitter")
