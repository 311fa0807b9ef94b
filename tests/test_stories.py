"""Story clustering at scale: LSH banding by sorting, crowded buckets capped, closest partners kept."""

import itertools

import numpy as np

from audit.corpus import stories
from audit.corpus.stories import BAND_ROWS, NUM_PERM, RUN_CAP, _band_pairs, _top_per_document, story_terms
from audit.text import TextView


def _brute_force(signatures: np.ndarray) -> set[tuple[int, int]]:
    out = set()
    for i, j in itertools.combinations(range(len(signatures)), 2):
        for b in range(NUM_PERM // BAND_ROWS):
            sl = slice(b * BAND_ROWS, (b + 1) * BAND_ROWS)
            if (signatures[i, sl] == signatures[j, sl]).all():
                out.add((i, j))
                break
    return out


def test_banding_finds_exactly_the_pairs_that_share_a_band():
    rng = np.random.default_rng(5)
    base = rng.integers(0, 50, size=(40, NUM_PERM), dtype=np.uint64)  # small alphabet: many shared bands
    found = {tuple(p) for p in _band_pairs(base).tolist()}
    assert found == _brute_force(base)
    assert found  # the case is not vacuous


def test_a_crowded_bucket_pairs_each_member_with_a_few_others_only():
    n = 500
    same = np.zeros((n, NUM_PERM), dtype=np.uint64)  # 500 identical signatures: one bucket in every band
    pairs = _band_pairs(same)
    assert len(pairs) == n * RUN_CAP  # linear, not n * (n - 1) / 2
    degree = np.bincount(pairs.ravel(), minlength=n)
    assert (degree == 2 * RUN_CAP).all()


def test_top_partners_per_document():
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
    score = np.array([5, 9, 7, 1])
    keep = _top_per_document(pairs, score, 1)
    # 0's best is 2; 1's best is 0; 2's best is 0; 3's only partner is 0
    assert keep.tolist() == [True, True, True, False]


def test_many_copies_of_one_report_stay_one_story_and_the_work_stays_linear(monkeypatch):
    text = (
        "A strong earthquake struck Izmir and the Aegean coast on Friday; Turkish officials said 24 people were "
        "killed and 800 injured. Rescuers from AFAD searched collapsed buildings in Bayrakli and Bornova."
    )
    other = "Carolina Cosse won the Montevideo race for the Frente Amplio, the electoral court said on Sunday."
    docs = {f"q{i:03d}": story_terms(TextView(text + f" Update {i}.")) for i in range(300)}
    docs |= {f"e{i}": story_terms(TextView(other)) for i in range(3)}
    seen = []
    real = stories._candidate_pairs
    monkeypatch.setattr(stories, "_candidate_pairs", lambda t: seen.append(real(t)) or seen[-1])
    out = stories.assign_stories(docs)
    assert len({out[k] for k in docs if k.startswith("q")}) == 1
    assert len({out[k] for k in docs if k.startswith("e")}) == 1 and out["e0"] != out["q000"]
    assert len(seen[0]) <= len(docs) * stories.MAX_NEIGHBOURS
