import pytest

from audit.records import CATEGORIES, Finding
from audit.score import DISQUALIFIED, Deduction, format_deduction, score_document, usable_text

GATE = 60.0

# A news article written for these tests: five paragraphs of ordinary reporting.
ARTICLE = "\n\n".join(
    [
        "The city council voted on Tuesday to extend the night bus service to the northern suburbs, "
        "ending a two-year campaign by residents who said they had no way home after late shifts.",
        "The new routes will run every thirty minutes between midnight and five in the morning, "
        "starting in the spring, and will cost the transport authority about four million a year.",
        "Several councillors questioned whether the money would be better spent on daytime services, "
        "which carry far more passengers, but the motion passed by a comfortable margin.",
        "Nurses, cleaners and restaurant staff had written to the council in large numbers, describing "
        "long walks along unlit roads and taxi fares that took a large part of a night's pay.",
        "The authority said it would review the routes after a year and publish the number of "
        "passengers each one carried, so that the council could decide whether to keep them.",
    ]
)
MENU = "\n".join(["Home", "News", "Sport", "Business", "Culture", "Weather", "Contact us"])
RESIDUE_LINE = "Share this story on social media and sign up for our daily newsletter today"


def f(code, category, severity, start=0, end=5, message="msg"):
    return Finding("d", start, end, code, category, severity, message, "x" * (end - start))


def with_residue(share: float) -> tuple[str, list[Finding]]:
    """Ten paragraphs of about the same length, round(10 x share) of them a flagged (RES003) sign-up prompt:
    `share` of the lines and about `share` of the characters are residue."""
    paragraphs = ARTICLE.split("\n\n") * 2
    n = round(10 * share)
    prompt = (RESIDUE_LINE + ". ") * 3
    text, findings = "", []
    for i, p in enumerate(paragraphs):
        line = prompt[: len(p)] if i >= 10 - n else p
        if i >= 10 - n:
            findings.append(f("RES003", "residue", "warning", len(text), len(text) + len(line)))
        text += line + "\n\n"
    return text, findings


def test_clean_article_scores_100():
    s = score_document(ARTICLE, [])
    assert s.score == 100.0 and s.reasons == [] and s.n_findings == 0 and s.clean_share == 1.0


@pytest.mark.parametrize("text", ["", "   \n\n ", MENU, "Breaking news today"])
def test_no_usable_text_scores_below_the_gate(text):
    s = score_document(text, [])
    assert s.score < GATE
    assert s.deductions and "no usable text" in s.deductions[0].message
    assert s.score == 0.0  # not one line of four words or more


def test_a_short_genuine_paragraph_passes_and_fewer_words_score_lower():
    sentence = "The mayor said on Monday that the new bridge over the river would open in the spring of next year."
    assert score_document(sentence, []).score == 100.0
    short, shorter = (score_document(" ".join(sentence.split()[:n]), []).score for n in (12, 6))
    assert GATE > short > shorter


def test_residue_moves_the_score_smoothly_and_mostly_residue_fails():
    scores = [score_document(*with_residue(share)).score for share in (0.0, 0.1, 0.3, 0.6)]
    assert scores[0] > scores[1] > scores[2] > scores[3]
    assert scores[1] >= GATE > scores[2] > scores[3]
    assert score_document(*with_residue(0.6)).deductions[0].message.startswith("mostly residue")


def test_same_findings_more_residue_scores_lower():
    small = score_document(ARTICLE, [f("RES003", "residue", "warning", 0, 40)])
    large = score_document(ARTICLE, [f("RES003", "residue", "warning", 0, 400)])
    assert large.counts == small.counts and large.score < small.score


def test_wrong_language_is_disqualifying_and_keeps_its_reason():
    s = score_document(ARTICLE, [f("INT005", "integrity", "error", 0, 10, "document is in 'ru'")])
    assert s.score < GATE and s.score == pytest.approx(100 * DISQUALIFIED, abs=0.1)
    assert s.deductions[0].code == "INT005" and s.reasons[0].startswith("-") and "INT005" in s.reasons[0]


def test_another_language_is_ordered_by_its_usable_share_alone():
    """The trust checks are built for the audited language: on another one, their findings stay listed but
    do not move the score, which orders such documents by how much of them is usable, just under the gate."""
    gate = f("INT005", "integrity", "error", 0, 10, "document is in 'pl'")
    trust = [f("MT001", "mt", "error"), f("NAME001", "name", "warning")]
    clean, distrusted = score_document(ARTICLE, [gate]), score_document(ARTICLE, [gate, *trust])
    assert distrusted.score == clean.score and distrusted.counts["mt"] == 1
    with_residue = score_document(ARTICLE, [gate, f("RES003", "residue", "warning", 0, 200)])
    assert with_residue.score < clean.score < GATE
    english = score_document(ARTICLE, trust)
    assert english.score < 100 and any(d.code == "MT001" for d in english.deductions)


def test_garbled_throughout_is_disqualifying_but_one_garbled_line_is_not():
    lines = ARTICLE.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    every = [f("INT003", "integrity", "error", s, s + 5) for s, x in zip(starts, lines, strict=True) if x]
    assert score_document(ARTICLE, every).score < GATE
    assert score_document(ARTICLE, every[:1]).score >= GATE


def test_repeats_of_one_defect_cost_less_than_distinct_defects():
    repeated = score_document(ARTICLE, [f("NAME001", "name", "warning")] * 5)
    distinct = score_document(ARTICLE, [f("MT001", "mt", "error"), f("MT002", "mt", "warning")])
    assert repeated.score > distinct.score
    assert repeated.counts["name"] == 5
    assert any("x5" in r for r in repeated.reasons)


def test_deductions_are_data_and_add_up_to_the_score():
    text, findings = with_residue(0.3)
    s = score_document(text, [*findings, f("MT002", "mt", "warning")])
    assert {d.code for d in s.deductions} == {"", "RES003", "MT002"}
    assert 100 - sum(d.points for d in s.deductions) == pytest.approx(s.score, abs=0.05)
    assert [format_deduction(d) for d in s.deductions] == s.reasons
    assert s.deductions == tuple(sorted(s.deductions, key=lambda d: -d.points))


def test_format_deduction():
    assert (
        format_deduction(Deduction(12.0, "MT006", "mt", "paragraph repeats", 2))
        == "-12.0 MT006 mt: paragraph repeats (x2)"
    )
    assert format_deduction(Deduction(8.46, "", "residue", "residue and bios cover 9% of the text")) == (
        "-8.5 residue and bios cover 9% of the text"
    )


def test_usable_text_counts_characters_and_lines():
    text = "one two three four five\nshort\n\nsix seven eight nine ten eleven"
    u = usable_text(text, [(24, 29)])
    assert u.lines == pytest.approx(2 / 3)
    assert u.chars == pytest.approx(1 - 5 / sum(not c.isspace() for c in text))
    assert u.words == 11


def test_end_to_end_scores_follow_the_meaning():
    from audit.api import score_text

    assert score_text(ARTICLE) >= 90
    assert score_text("") < GATE
    assert score_text(MENU) < GATE
    russian = (
        "Городской совет во вторник проголосовал за продление ночных автобусных маршрутов в северные районы. "
        "Новые маршруты будут ходить каждые полчаса с полуночи до пяти утра, начиная с весны, и обойдутся "
        "транспортному управлению примерно в четыре миллиона в год. Несколько депутатов спросили, не лучше ли "
        "потратить эти деньги на дневные рейсы."
    )
    assert score_text(russian) < GATE
    assert score_text(russian, language="ru") >= GATE


def test_end_to_end_more_residue_lines_score_lower():
    from audit.api import audit_texts

    residue = [
        "Advertisement",
        "Read more: Council to review bus fares next year",
        "Sign up for our daily newsletter",
        "Share this article on Facebook",
        "Follow us on Twitter",
        "Click here to subscribe",
        "Updated: March 3, 2024, 7:15 AM",
        "Copyright 2024 The Example Courier. All rights reserved.",
        "Related: Night buses return to the city centre",
        "You may also like",
        "Photo: Jane Roe/Example Press",
    ]
    texts = [ARTICLE] + [ARTICLE + "\n\n" + "\n".join(residue[:k]) for k in (1, 2, 5, 11)]
    scores = audit_texts(texts).scores
    cols = list(scores.columns)  # SPEC columns, then the usable share
    assert cols[:10] == ["doc_id", "source", "status", "score", "n_findings", *CATEGORIES]
    assert cols.index("clean_share") > cols.index("integrity")
    assert list(scores.score) == sorted(scores.score, reverse=True) and scores.score.is_unique
    assert list(scores.clean_share) == sorted(scores.clean_share, reverse=True)
    assert scores.score[0] == 100.0 and scores.score[1] >= GATE and scores.score[4] < GATE
