from conftest import corpus_findings

A = 'Mr Guterres called "in the strongest terms for an immediate end to the fighting and for de-escalation", his office said.'
B = "UN chief Antonio Guterres called “in the strongest terms for an immediate end to the fighting and for de-escalation”."
C = "For his part, Guterres called “in the most intense way to end the conflicts and to de-escalate the fighting”."
D = "Guterres also said “the humanitarian situation in the region is deteriorating by the hour”."


def test_retranslated_quote_is_flagged_with_the_attested_wording():
    found = corpus_findings({"a": A, "b": B, "c": C}, ("MT009",))
    assert [(f.doc_id, f.evidence) for f in found] == [
        ("c", "in the most intense way to end the conflicts and to de-escalate the fighting")
    ]
    assert "strongest terms" in found[0].message
    assert found[0].suggestion is None  # information: a quotation is never rewritten


def test_a_different_statement_or_too_few_sources_is_not_drift():
    assert corpus_findings({"a": A, "b": B, "d": D}, ("MT009",)) == []
    assert corpus_findings({"a": A, "c": C}, ("MT009",)) == []


def test_the_message_cuts_a_long_quotation_at_a_word():
    from audit.text import cut_words

    quote = "The secretary-general calls in the strongest terms for an immediate end to the fighting in the region"
    assert cut_words(quote, 80) == "The secretary-general calls in the strongest terms for an immediate end to the…"


def _reference_decide(summaries):
    """MT009's decision as it was first written (a memo of every compared pair): the reference."""
    from collections import defaultdict

    from rapidfuzz import fuzz

    from audit.corpus.quotes import MAX_SPEAKER_QUOTES, MIN_SHARED_CONTENT, VERBATIM, _stems

    by_speaker = defaultdict(list)
    for doc_id in sorted(summaries):
        for k, (_, _, _, speakers) in enumerate(summaries[doc_id]):
            for sp in speakers:
                by_speaker[sp].append((doc_id, k))
    flagged, memo = {}, {}

    def same(a, b):
        key = (a, b) if a <= b else (b, a)
        if key not in memo:
            memo[key] = fuzz.token_set_ratio(summaries[key[0][0]][key[0][1]][2], summaries[key[1][0]][key[1][1]][2])
        return memo[key] >= VERBATIM

    for _, items in sorted(by_speaker.items()):
        if len({d for d, _ in items}) < 3 or len(items) > MAX_SPEAKER_QUOTES:
            continue
        for item in items:
            mine = set(_stems(summaries[item[0]][item[1]][2]))
            others = [o for o in items if o[0] != item[0]]
            if any(same(item, o) for o in others):
                continue
            similar = []
            for o in others:
                theirs = set(_stems(summaries[o[0]][o[1]][2]))
                if mine and theirs and len(mine & theirs) / len(mine | theirs) >= MIN_SHARED_CONTENT:
                    similar.append(o)
            agreeing = [a for a in similar if any(b[0] != a[0] and same(a, b) for b in similar)]
            if len(similar) >= 2 and len({a[0] for a in agreeing}) >= 2:
                flagged.setdefault(item, min(summaries[d][j][2] for d, j in agreeing))
    return {k: flagged[k] for k in sorted(flagged)}


def _quoted_corpus(n_docs: int = 160, seed: int = 3) -> dict[str, list]:
    """Many quotations by a few speakers: statements quoted word for word, re-worded, or cut short."""
    import random

    from audit.corpus.quotes import QuoteDrift
    from audit.text import TextView

    rng = random.Random(seed)
    speakers = ["Antonio Guterres", "Olaf Scholz", "Maia Sandu", "Nikol Pashinyan", "Ursula Leyen"]
    statements = [
        "we call for an immediate end to the fighting and for de-escalation in the region",
        "the humanitarian situation is deteriorating by the hour and aid must reach everyone",
        "our country will never accept the annexation of its territory by force",
        "the negotiations will continue next week in Geneva with all the parties",
    ]
    rewordings = [  # the same content words, inflected otherwise: each used once in the corpus
        (0, "they called immediately ending fights, de-escalating regional tensions"),
        (0, "calling immediately: fights ending, escalation regionally halted"),
        (1, "humanitarian situations deteriorated hourly; aiding everybody remains necessary"),
        (1, "situational humanitarianism deteriorates hourly, reaching everybody"),
        (2, "countries never accepting annexations forcefully, ours included"),
        (2, "annexing territories forcefully: acceptance never given"),
        (3, "negotiators continuing weekly talks, Geneva hosting every party"),
        (3, "negotiating continues weekly, Genevan parties"),
    ]
    summaries = {}
    for i in range(n_docs):
        lines = []
        for _ in range(rng.randint(1, 4)):
            k = rng.randrange(len(statements))
            quote = statements[k]
            if rng.random() < 0.2:
                quote = " ".join(quote.split()[: rng.randint(5, 9)])
            if i % 17 == 5 and rewordings:
                k, quote = rewordings.pop()
            who = rng.sample(speakers, rng.randint(1, 2))
            lines.append(f"{' and '.join(who)} said “{quote}” on {rng.choice(['Monday', 'Friday'])}.")
        summaries[f"d{rng.randint(0, 10**6):07d}-{i}"] = QuoteDrift.extract(TextView("\n".join(lines)))
    return summaries


def _flagged(hits_by_doc, summaries):
    return {
        (d, [q[0] for q in summaries[d]].index(h.start)): h.message for d, hits in hits_by_doc.items() for h in hits
    }


def test_mt009_equals_the_pairwise_reference_in_memory_and_in_parts_on_disk(monkeypatch, tmp_path):
    from audit.corpus import quotes
    from audit.corpus.quotes import QuoteDrift
    from audit.memory import memory_budget
    from audit.text import cut_words

    summaries = _quoted_corpus()
    want = {
        k: f"quotation re-translated: other sources quote this speaker as “{cut_words(v, 80)}”"
        for k, v in _reference_decide(summaries).items()
    }
    assert len(want) >= 5  # the case is not vacuous
    assert _flagged(QuoteDrift.decide(summaries), summaries) == want
    spills = []
    real = quotes._Entries._spill
    monkeypatch.setattr(quotes._Entries, "_spill", lambda self: spills.append(1) or real(self))
    monkeypatch.setattr(quotes, "budget_bytes", lambda: 32 * 4096)  # about a hundred triples in memory
    monkeypatch.setattr(quotes._Entries, "CHECK", 64)
    with memory_budget(1, tmp_path / "work"):
        got = QuoteDrift.decide(summaries)
    assert spills and _flagged(got, summaries) == want
    assert not list((tmp_path / "work").iterdir())  # the parts are deleted


def test_shared_stem_counts_equal_the_membership_product():
    import numpy as np

    from audit.corpus.quotes import _shared_counts

    rng = np.random.default_rng(1)
    for n, vocab, density in ((1, 3, 0.5), (7, 5, 0.4), (60, 300, 0.05), (200, 2000, 0.01), (5, 4, 0.0)):
        member = (rng.random((n, vocab)) < density).astype(np.int64)
        rows, cols = np.nonzero(member)
        assert (_shared_counts(rows, cols, n) == member @ member.T).all()


def test_the_stems_memo_is_emptied_with_the_other_memo_tables():
    """A quotation's stems are remembered only through the corpus pass: `release_caches` (after the
    pass) empties them, and one quotation's stems are distinct, sorted, and shared as strings."""
    from audit.corpus.quotes import _stems
    from audit.memory import release_caches

    got = _stems("The ministers said the ministry would rebuild the bridges and the bridge")
    assert got == ("brid", "mini", "rebu", "said", "woul")  # ministers/ministry and bridges/bridge: once each
    assert _stems("Said the ministers again")[1] is got[1]  # one string object for a stem
    assert _stems.cache_info().currsize >= 2
    release_caches()
    assert _stems.cache_info().currsize == 0
