"""The streamed selection of each document's best-agreeing partners (`BestPartners`, `_best_agreeing_pairs`)
equals the ranking of every candidate pair at once (`_top_per_document` over `_agreeing_pairs`)."""

import os
import tempfile

import numpy as np
import pytest

from audit.corpus import stories
from audit.corpus.stories import NUM_PERM, BestPartners, _top_per_document
from audit.memory import memory_budget


def _ranked_at_once(pairs: np.ndarray, score: np.ndarray, k: int) -> tuple[list, list]:
    keep = _top_per_document(pairs, score, k)
    return pairs[keep].tolist(), score[keep].tolist()


def _streamed(pairs: np.ndarray, score: np.ndarray, k: int, batches: int, rng, rows: int = 8192) -> tuple[list, list]:
    n = int(pairs.max()) + 1 if len(pairs) else 1
    with tempfile.TemporaryDirectory() as folder:
        BestPartners.ROWS, keep = rows, BestPartners.ROWS
        try:
            best = BestPartners(n, k, folder)
        finally:
            BestPartners.ROWS = keep
        got, got_score = _fed(best, pairs, score, batches, rng)
        assert not os.listdir(folder)  # the parts' files are gone
    return got, got_score


def _fed(best: BestPartners, pairs: np.ndarray, score: np.ndarray, batches: int, rng) -> tuple[list, list]:
    order = rng.permutation(len(pairs))  # any order of arrival, and every pair once more in a later batch
    again = rng.choice(len(pairs), size=len(pairs) // 2, replace=True) if len(pairs) else order
    arrivals = np.r_[order, again]
    for part in np.array_split(arrivals, batches):
        flip = rng.random(len(part)) < 0.5  # either end first
        a, b = pairs[part, 0], pairs[part, 1]
        best.add(np.where(flip, b, a).astype(np.int32), np.where(flip, a, b).astype(np.int32), score[part])
    got, got_score = best.chosen()
    return got.tolist(), got_score.tolist()


def _random_case(rng, n: int, m: int, values: int) -> tuple[np.ndarray, np.ndarray]:
    i, j = rng.integers(0, n, m), rng.integers(0, n, m)
    codes = np.unique(np.minimum(i, j)[i != j].astype(np.int64) * n + np.maximum(i, j)[i != j])
    pairs = np.stack([codes // n, codes % n], axis=1).astype(np.int32)
    return pairs, rng.integers(0, values, len(pairs)).astype(np.int16)


@pytest.mark.parametrize("seed", range(3))
def test_streamed_best_partners_equal_one_ranking_of_every_pair(seed):
    rng = np.random.default_rng(seed)
    for t in range(9):
        n = int(rng.integers(2, 300))
        values = [2, 3, 129][t % 3]  # few values: ties everywhere; many: few ties
        pairs, score = _random_case(rng, n, int(rng.integers(1, 4000)), values)
        k = int(rng.integers(1, 8))
        want = _ranked_at_once(pairs, score, k)
        assert want[0]  # not vacuous
        for batches, rows in ((1, 8192), (7, 16), (40, 1)):  # one part, a few, many
            assert _streamed(pairs, score, k, batches, rng, rows) == want


def test_a_hub_and_equal_scores_keep_the_lower_partners():
    rng = np.random.default_rng(3)
    n = 400
    hub = np.stack([np.zeros(n - 1, np.int32), np.arange(1, n, dtype=np.int32)], axis=1)  # 0 pairs with all
    ring = [np.stack([np.arange(1, n - d), np.arange(1 + d, n)], axis=1) for d in (1, 2, 3, 4)]
    pairs = np.concatenate([hub, *ring]).astype(np.int32)
    score = np.full(len(pairs), 7, dtype=np.int16)  # equal scores: ties decided by index alone
    score[: n - 1] = 6  # a spoke prefers its ring neighbours to the hub
    score[rng.choice(len(pairs), 30, replace=False)] = 9
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))  # sorted, as the candidates come
    pairs, score = pairs[order], score[order]
    k = 3
    want = _ranked_at_once(pairs, score, k)
    got = _streamed(pairs, score, k, 11, rng, 64)
    assert got == want
    kept_by_hub = [b for a, b in got[0] if a == 0]
    assert 3 <= len(kept_by_hub) < 40  # the hub keeps its k best, and those that keep it


@pytest.mark.slow
def test_streamed_selection_of_band_candidates_equals_selection_of_them_all(tmp_path):
    rng = np.random.default_rng(31)
    n = 3000
    crowded = rng.integers(0, 4, size=(n // 3, NUM_PERM))  # crowded buckets: many near-equal signatures
    spread = rng.integers(0, 40, size=(n - n // 3, NUM_PERM))
    matrix = np.concatenate([crowded, spread]).astype(np.uint32)[rng.permutation(n)]
    rows = stories.SignatureRows(matrix)
    for k, floor in ((60, 4), (5, 20)):
        with memory_budget(1):  # batches of a few bands
            all_pairs, agreement = stories._agreeing_pairs(rows, floor)
            got, got_agreement = stories._best_agreeing_pairs(rows, floor, k, str(tmp_path))
        keep = _top_per_document(all_pairs, agreement, k)
        assert len(all_pairs) > keep.sum() > 1000
        assert got.tolist() == all_pairs[keep].tolist()
        assert got_agreement.tolist() == agreement[keep].tolist()
