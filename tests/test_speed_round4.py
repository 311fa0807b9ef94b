"""The fourth speed round's faster forms against the forms they replaced, on varied inputs: the same answers.

- MT009 scores a speaker's block by distinct wording (`quotes._distinct`): the content similarity and the
  token-set ratios of each pair of distinct texts once, spread back over the block's repeated quotations.
"""

from __future__ import annotations

import random
from unittest import mock

import numpy as np
from rapidfuzz import process

from audit.corpus import quotes

STATEMENTS = [
    "we call for an immediate end to the fighting and for de-escalation in the region",
    "we call for an end to the fighting and for de-escalation across the region",
    "the humanitarian situation is deteriorating by the hour and aid must reach everyone",
    "humanitarian situations deteriorate hourly and aid must reach everybody now",
    "they called immediately ending fights, de-escalating regional tensions",
    "calling immediately: fights ending, escalation regionally halted",
    "the negotiations will continue next week in Geneva with all the parties",
    "negotiations continue in Geneva next week",
]


def _former_drifting(doc: np.ndarray, texts: list[str]) -> dict[int, str]:
    """`quotes._drifting` as before the fourth round: every quotation its own row and column (`_distinct` made
    the identity), so each repeated wording is scored again."""
    with mock.patch.object(quotes, "_distinct", lambda ts: (list(ts), np.arange(len(ts)))):
        return quotes._drifting(doc, texts)


def _block(rng: random.Random) -> tuple[np.ndarray, list[str]]:
    """A speaker's block: a few documents, each quoting statements, many repeated word for word."""
    n = rng.randint(3, 40)
    doc = np.sort(np.asarray([rng.randrange(max(3, n // 2)) for _ in range(n)]))
    texts = []
    for _ in range(n):
        text = rng.choice(STATEMENTS)
        if rng.random() < 0.15:
            text = " ".join(text.split()[: rng.randint(5, 9)])
        texts.append(text)
    return doc, texts


def test_mt009_blocks_decided_by_distinct_wording_equal_the_former_rows():
    rng = random.Random(11)
    flagged = repeated = 0
    for _ in range(300):
        doc, texts = _block(rng)
        got = quotes._drifting(doc, texts)
        assert got == _former_drifting(doc, texts)
        flagged += len(got)
        repeated += len(texts) > len(set(texts))
    assert flagged >= 20 and repeated >= 250  # neither vacuous nor free of repeats


def test_mt009_scores_each_pair_of_distinct_wordings_once(monkeypatch):
    doc = np.asarray([0, 0, 1, 1, 2, 2, 3, 3])
    texts = [STATEMENTS[k] for k in (0, 2, 0, 2, 0, 2, 4, 5)]  # docs 0-2 agree; doc 3 words it otherwise
    want = _former_drifting(doc, texts)  # scores 8-text rows: repeated wordings
    calls = []
    real = process.cdist
    monkeypatch.setattr(quotes.process, "cdist", lambda a, b, **k: calls.append((list(a), list(b))) or real(a, b, **k))
    assert quotes._drifting(doc, texts) == want == {6: STATEMENTS[0], 7: STATEMENTS[0]}
    assert calls
    for rows, columns in calls:
        assert len(set(rows)) == len(rows) and len(set(columns)) == len(columns) == 4


def test_distinct_texts_keep_their_first_order_and_places():
    texts = ["b", "a", "b", "c", "a"]
    wordings, of = quotes._distinct(texts)
    assert wordings == ["b", "a", "c"]
    assert [wordings[k] for k in of.tolist()] == texts


def _former_quotes(view) -> list:
    """`quotes._quotes` before the fourth round: every body line searched, its speakers found first."""
    import sys

    from audit.corpus.mentions import is_name_token
    from audit.lexicon.translit import tnorm
    from audit.text import word_count, words

    out = []
    for line in view.body:
        found = [
            (m.start(g), m.end(g), m.group(g))
            for m in quotes._QUOTE.finditer(line.text)
            for g in (1, 2, 3)
            if m.group(g)
        ]
        if not found:
            continue
        speakers = tuple(
            sorted({sys.intern(tnorm(w)) for w in words(line.text) if w[:1].isupper() and is_name_token(w, False)})
        )
        for s, e, q in found:
            if word_count(q) >= quotes.MIN_QUOTE_WORDS and speakers:
                out.append((line.start + s, line.start + e, q, speakers))
    return out


def test_quotations_found_only_in_lines_with_a_mark_equal_the_former_search():
    from audit.text import TextView

    rng = random.Random(5)
    marks = [("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"), ("'", "'"), ("„", "“")]
    who = ["Maia Sandu said", "the minister said", "Olaf Scholz and Ursula Leyen told reporters", "he added"]
    found = 0
    for _ in range(200):
        lines = []
        for _ in range(rng.randint(0, 8)):
            a, b = rng.choice(marks)
            quote = " ".join(rng.choice(STATEMENTS).split()[: rng.randint(2, 12)])
            lines.append(rng.choice([f"{rng.choice(who)} {a}{quote}{b}.", f"{a}{quote}{b}, {rng.choice(who)}.", quote]))
        view = TextView("\n".join(lines))
        got = quotes._quotes(view)
        assert got == _former_quotes(view)
        found += len(got)
    assert found >= 100


CLAIM_PIECES = [
    "At least 29 people were killed",
    "KILLED 12",
    "nearly 30 Injured",
    "dozens were evacuated",
    "the Death Toll rose to 41",
    "some 1,200 residents live there",
    "İstanbul police detained 14",
    "\u212ailled 7",  # the Kelvin sign folds to k under re.IGNORECASE
    "the weather was fine",
    "deathly quiet, 40 skilled",
    "5 died.",
    "and",
    ", ",
    ". ",
    "\n",
    "\r\n",
    "!",
    " ",
]


def test_claims_from_the_pre_filtered_lines_equal_claims_from_the_whole_text(monkeypatch):
    from audit.corpus import claims
    from audit.text import TextView

    rng = random.Random(7)
    texts = ["".join(rng.choice(CLAIM_PIECES) for _ in range(rng.randint(0, 60))) for _ in range(400)]
    texts.append("x" * 199_990 + " 25 killed today\n40 injured")  # a kind word across the 200,000th character
    texts.append("x " * 100_000 + "\n12 evacuated")  # after it
    got = [claims.extract_claims(TextView(t)) for t in texts]
    monkeypatch.setattr(claims, "_kind_words", lambda view, text, lowered: None)  # the former whole-text search
    want = [claims.extract_claims(TextView(t)) for t in texts]
    assert got == want
    assert sum(map(len, got)) >= 300  # not vacuous
    assert any(TextView(t).lowered is None for t in texts)  # the search without the lowered text too


def _former_is_blurb(view, i: int, s: str) -> bool:
    """`bio._is_blurb` before the fourth round: the searches for speech and attribution first."""
    from audit.checks import bio

    if not bio._short(s, bio.BIO_WORDS) or bio._SPEECH.search(s) or bio._ATTRIBUTION.search(s):
        return False
    if bio._AUTHOR_IS.match(s):
        return bio._short(s, bio.AUTHOR_IS_WORDS)
    m = (
        bio._blurb().match(s)
        or bio._role_first().match(s)
        or (bio._pronoun_lead().search(s) and bio._NAME_START.match(s))
    )
    if not m or bio._cue("org").search(m.group("name")):
        return False
    return not bio._named_elsewhere(view, i, m.group("name"))


BIO_OPENINGS = [
    "Jane Roe is a senior reporter at The Courier",
    "Jane Roe (@jroe), is a staff writer",
    "The author is a lecturer in law",
    "The writer teaches history",
    "Staff writer John Doe covers courts",
    "senior reporter John Doe writes about food",
    "Ana Lima grew up in Porto. She has been writing about",
    "Harbor Review writes about this",
    "Harbor Group Ltd is a company",
    "Roe said the council",
    "The council is a body",
    "> John Doe covers health for the Gazette",
]
BIO_TAILS = [
    ".",
    " for ten years.",
    ', said "we will".',
    " citing officials.",
    " according to the police.",
    " and lives in Leeds with her family.",
    " " + "word " * 95,
    " She covers health for the Gazette.",
]


def test_blurbs_decided_openings_first_equal_the_former_order():
    from audit.checks import bio
    from audit.text import TextView

    rng = random.Random(9)
    decided = set()
    for _ in range(300):
        lines = [rng.choice(BIO_OPENINGS) + rng.choice(BIO_TAILS) for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.3:
            lines.insert(
                0, "Residents told Roe and Doe about the flooding in the valley on Monday morning, officials said."
            )
        view = TextView("\n".join(lines))
        for i, line in enumerate(view.body):
            got = bio._is_blurb(view, i, line.text)
            assert got == _former_is_blurb(view, i, line.text), line.text
            decided.add(got)
    assert decided == {True, False}


def test_shards_pickle_findings_as_calls_and_read_back_every_field(tmp_path, monkeypatch):
    import pickle
    from pathlib import Path

    from audit.engine import DocResult
    from audit.records import Document, Finding
    from audit.store import ShardCache, SpilledResults

    found = [
        Finding("d1", 0, 4, "RES001", "residue", "warning", "menu", "Home", "", 0.75, "nav"),
        Finding("d1", 5, 9, "NAME001", "names", "info", "spelling", "Roe", None),
    ]
    shard = [
        DocResult(Document(id="d1", text="Home Roe text"), list(found), story="s1"),
        DocResult(Document(id="d2", text="")),
    ]
    path = Path(tmp_path / "shard-000000.pkl")
    states = []  # the slots dataclass's own state, both ways: not used
    monkeypatch.setattr(Finding, "__getstate__", lambda self: states.append(1) or (1 / 0))
    monkeypatch.setattr(Finding, "__setstate__", lambda self, state: states.append(1) or (1 / 0))
    SpilledResults.write_file(path, shard)
    back = pickle.loads(path.read_bytes())
    assert not states
    assert back == shard and back[0].story == "s1"
    fields = ("doc_id", "start", "end", "code", "category", "severity", "message", "evidence", "suggestion")
    for a, b in zip(back[0].findings, found, strict=True):
        assert type(a) is Finding and [getattr(a, k) for k in (*fields, "confidence", "kind")] == [
            getattr(b, k) for k in (*fields, "confidence", "kind")
        ]
    cache = ShardCache(tmp_path / "cache")
    cache.put("k", [(found, {"X": 1})])
    assert cache.get("k") == [(found, {"X": 1})] and cache.get("k")[0][0][0].kind == "nav"
