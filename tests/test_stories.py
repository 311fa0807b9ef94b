"""Story clustering at scale: LSH banding by sorting, crowded buckets capped, closest partners kept."""

import itertools

import numpy as np
import pytest

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


def _reference_clusters(terms):
    """Stories as first written: the same candidate pairs, then a union-find and average-linkage
    clustering over dicts keyed by document id (the reference for the array version)."""
    import hashlib
    import heapq

    p = stories._candidate_pairs(terms)
    pairs = {(p.ids[i], p.ids[j]): x for i, j, x in zip(p.i.tolist(), p.j.tolist(), p.jaccard.tolist(), strict=True)}
    parent = {d: d for d in terms}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), j in sorted(pairs.items()):
        if j >= stories.NEAR_COPY and find(a) != find(b):
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    rep = {d: find(d) for d in terms}
    copies = {}
    for d in sorted(terms):
        copies.setdefault(rep[d], []).append(d)
    between = {}
    for (a, b), j in pairs.items():
        if rep[a] != rep[b]:
            key = (min(rep[a], rep[b]), max(rep[a], rep[b]))
            between[key] = max(between.get(key, 0.0), j)
    sums = {d: {} for d in copies}
    for (a, b), j in between.items():
        sums[a][b] = sums[b][a] = j
    heap = [(-j / 1.0, a, b) for (a, b), j in sorted(between.items())]
    heapq.heapify(heap)
    members = {d: [d] for d in copies}
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue
        avg = sums[a][b] / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:
            continue
        if avg < stories.STORY_SIMILARITY:
            break
        keep, drop = min(a, b), max(a, b)
        for z, s in sums.pop(drop).items():
            sums[z].pop(drop, None)
            if z != keep:
                sums[keep][z] = sums[keep].get(z, 0.0) + s
                sums[z][keep] = sums[keep][z]
        sums[keep].pop(drop, None)
        members[keep] += members.pop(drop)
        for z, s in sorted(sums[keep].items()):
            heapq.heappush(heap, (-(s / (len(members[keep]) * len(members[z]))), min(keep, z), max(keep, z)))
    out = {}
    for reps in members.values():
        docs = [d for r in reps for d in copies[r]]
        story = "s" + hashlib.blake2b(min(docs).encode("utf-8"), digest_size=4).hexdigest()
        out.update(dict.fromkeys(docs, story))
    return out


def _event_corpus(n_docs: int, seed: int) -> dict:
    """Documents about 40 events, each drawing figures from its event's (two digits or more: story
    terms), some near-copies, some with no story term at all."""
    import random

    rng = random.Random(seed)
    events = [[str(rng.randint(10, 10**6)) for _ in range(30)] for _ in range(40)]
    out = {}
    for i in range(n_docs):
        figures = rng.sample(rng.choice(events), rng.randint(8, 30)) + [str(rng.randint(10, 10**6))]
        text = "figures: " + " ".join(figures) if i % 23 else "nothing to count here"
        out[f"d{rng.randint(0, 10**6):07d}-{i}"] = story_terms(TextView(text))
        if i % 11 == 0:  # a near-copy
            out[f"c{i}"] = story_terms(TextView(text + " " + str(rng.randint(10, 99))))
    return out


def test_stories_equal_the_dict_based_reference_clustering():
    for seed in (1, 2):
        terms = _event_corpus(400, seed)
        got = stories.assign_stories(terms)
        assert got == _reference_clusters(terms)
        assert 5 < len(set(got.values())) < len(terms)  # clusters, copies and singletons: not vacuous


def test_near_copy_union_find_equals_a_reference_on_random_pairs():
    rng = np.random.default_rng(9)
    for n in (2, 50, 400):
        i = rng.integers(0, n, size=3 * n)
        j = rng.integers(0, n, size=3 * n)
        keep = i < j
        codes = np.unique(i[keep] * n + j[keep])
        i, j = (codes // n).astype(np.int32), (codes % n).astype(np.int32)
        jac = rng.choice([0.5, 0.8, 0.95], size=len(i))
        ids = [f"x{k:04d}" for k in range(n)]
        rep = stories._near_copies(stories.Pairs(ids, i, j, jac))
        parent = list(range(n))

        def find(x, parent=parent):
            while parent[x] != x:
                x = parent[x]
            return x

        for a, b, x in zip(i.tolist(), j.tolist(), jac.tolist(), strict=True):
            if x >= stories.NEAR_COPY:
                ra, rb = find(a), find(b)
                parent[max(ra, rb)] = min(ra, rb)
        assert rep.tolist() == [find(k) for k in range(n)]


def test_claims_from_the_sentences_with_a_kind_equal_claims_from_every_sentence():
    import dataclasses
    import random

    from audit.corpus import claims

    def every_sentence(text):  # the claims' sentences, searched one by one
        return [m for m in claims._SENTENCE.finditer(text) if claims._ANY_KIND.search(m.group())]

    rng = random.Random(4)
    atoms = [
        "killed",
        "Killed",
        " 29 ",
        "at least 30",
        ".",
        "!",
        "?",
        "\n",
        " ",
        "died",
        "dozens",
        "people live",
        "death toll",
        "3.5",
        "İnjured",
        "and",
        ", while",
        "fled",
        "xxxxx",
        "1999",
        "7,000",
        "\r",
        "...",
        "WOUNDED",
        "DEATH\tTOLL",
        "\u212a",  # Kelvin sign: folds to k
        "ſ",
        "ΣΟΣ",
        "ǅ",
        "é",
    ]
    lowered = 0
    for _ in range(3000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 40)))
        plain = [(m.start(), m.end()) for m in every_sentence(text)]
        assert [(m.start(), m.end()) for m in claims._sentences_with_a_kind(text)] == plain, text
        low = TextView(text).lowered
        lowered += low is not None
        assert [(m.start(), m.end()) for m in claims._sentences_with_a_kind(text, low)] == plain, text
    assert lowered > 300
    text = "Officials said 29 people were killed. At least 800 were injured!\nNo figure here"
    assert [dataclasses.astuple(c)[:2] for c in claims.extract_claims(TextView(text))] == [
        ("killed", 15),
        ("injured", 38),
    ]


def test_lowering_keeps_word_and_space_characters():
    """`TextView.lowered` may stand in for the text in a search for lower-case ASCII words between `\\b` and
    with `\\s` inside (the claims' kind words): a character that lowers to one keeps its word (`\\w`) and
    white-space (`\\s`) class. (tests/test_scan.py: no other character folds to an ASCII letter.)"""
    import re
    import sys

    word, space = re.compile(r"\w"), re.compile(r"\s")
    for i in range(sys.maxunicode + 1):
        c = chr(i)
        low = c.lower()
        if len(low) == 1:
            assert bool(word.match(c)) == bool(word.match(low)) and bool(space.match(c)) == bool(space.match(low))


def test_top_partners_ranked_in_runs_equal_one_ranking_of_all_pairs():
    rng = np.random.default_rng(12)
    for t in range(60):
        n = int(rng.integers(2, 200))
        i, j = rng.integers(0, n, 2000), rng.integers(0, n, 2000)
        codes = np.unique(i[i < j] * n + j[i < j])
        pairs = np.stack([codes // n, codes % n], axis=1).astype(np.int32)
        score = rng.integers(0, 9, len(pairs)).astype(np.int16) if t % 2 else rng.random(len(pairs)).round(2)
        k = int(rng.integers(1, 6))
        rows, cols = np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]]
        order = np.lexsort((cols, -np.r_[score, score], rows))  # one ranking of every pair end
        rank = np.arange(len(rows)) - np.searchsorted(rows[order], rows[order], side="left")
        want = np.zeros(len(rows), dtype=bool)
        want[order[rank < k]] = True
        want = want[: len(pairs)] | want[len(pairs) :]
        for chunk in (1, 7, 10**6):
            assert (_top_per_document(pairs, score, k, chunk) == want).all()


def test_exact_jaccard_of_term_ids_equals_each_sketchs_own_jaccard():
    rng = np.random.default_rng(4)
    vocab = rng.integers(0, 2**63, size=300, dtype=np.uint64)
    sketches = [
        stories.StorySketch(np.unique(rng.choice(vocab, size=int(rng.integers(1, 60)))), np.zeros(NUM_PERM))
        for _ in range(120)
    ]
    term_ids = stories._term_ids([s.hashes for s in sketches])
    i = rng.integers(0, 120, size=5000).astype(np.int32)
    j = rng.integers(0, 120, size=5000).astype(np.int32)
    got = stories._exact_jaccard(term_ids, i, j)
    want = [sketches[a].jaccard(sketches[b]) for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    assert got.tolist() == want  # to the last bit
    assert 0 < (got == 1.0).sum() < len(got)  # the pairs of a sketch with itself, and others: not vacuous


def test_clustering_by_component_equals_one_average_linkage_over_the_whole_graph():
    rng = np.random.default_rng(11)
    for n, m in ((10, 12), (200, 600), (2000, 5000)):
        lo = rng.integers(0, n, size=m)
        hi = rng.integers(0, n, size=m)
        keep = lo < hi
        codes = np.unique(lo[keep] * n + hi[keep])
        lo, hi = codes // n, codes % n
        jac = rng.choice([0.09, 0.12, 0.2, 0.215, 0.25, 0.4, 0.7], size=len(lo))  # weak edges join the parts
        want = stories._average_linkage(lo, hi, jac)
        edges = [lo, hi, jac]
        assert stories._cluster(edges) == want
        assert want and not edges  # merges happen: not vacuous; the list is emptied (its arrays freed)
    assert stories._cluster([np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)]) == {}


def _claims_reference(claims, stories_of):
    """Every claim compared with every claim of its kind in its story: the definition of the statuses."""
    from audit.corpus.claims import _overlap, _same

    rows = []
    by_story = {}
    for doc_id in sorted(claims):
        for c in claims[doc_id]:
            by_story.setdefault(stories_of[doc_id], []).append((doc_id, c))
    for story in sorted(by_story):
        for doc_id, c in by_story[story]:
            others = [(d, o) for d, o in by_story[story] if d != doc_id and o.kind == c.kind]
            same = sorted({d for d, o in others if _same(c, o)})
            overlap = sorted({d for d, o in others if _overlap(c, o)})
            status = "supported" if same else "consistent" if overlap else "divergent" if others else "unique"
            rows.append((story, doc_id, c.kind, status, " ".join(same or overlap)))
    return rows


def test_claims_grouped_by_story_and_kind_equal_pairwise_comparison_and_the_cap_bounds_the_work(monkeypatch):
    from audit.corpus import claims as cl

    rng = np.random.default_rng(3)
    claims, stories_of = {}, {}
    for k in range(300):
        doc_id = f"d{k:03d}"
        stories_of[doc_id] = f"s{k % 7}"
        claims[doc_id] = []
        for _ in range(int(rng.integers(0, 4))):
            v = float(rng.choice([10, 12, 29, 30, 100, 101]))
            low, high = (v, v) if rng.random() < 0.5 else (0.85 * v, v)
            kind = str(rng.choice(["killed", "injured", "evacuated"]))
            claims[doc_id].append(cl.Claim(kind, 0, 2, "29", low, high, v))
    got = [
        (r["story"], r["doc_id"], r["kind"], r["status"], r["agreeing_documents"])
        for r in cl.corroborate(claims, stories_of)
    ]
    assert got == _claims_reference(claims, stories_of)
    assert {r[3] for r in got} >= {"supported", "consistent", "divergent"}  # not vacuous
    compared = []
    real = cl._same
    monkeypatch.setattr(cl, "WITNESS_CAP", 5)
    monkeypatch.setattr(cl, "_same", lambda a, b: compared.append(1) or real(a, b))
    capped = cl.corroborate(claims, dict.fromkeys(claims, "one"))  # one crowded story
    assert len(capped) == len(got) and len(compared) <= 5 * len(got)


def _linkage_queueing_every_edge(lo, hi, jac):
    """`_average_linkage` as first written: every edge queued, every grown pair queued again (the
    reference for queueing only the entries at or above STORY_SIMILARITY)."""
    import heapq
    from collections import defaultdict

    sums = defaultdict(dict)
    heap = []
    for a, b, j in zip(lo.tolist(), hi.tolist(), jac.tolist(), strict=True):
        sums[a][b] = sums[b][a] = j
        heap.append((-j, a, b))
    heapq.heapify(heap)
    size, merged = {}, {}
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a in merged or b in merged or b not in sums[a]:
            continue
        na, nb = size.get(a, 1), size.get(b, 1)
        avg = sums[a][b] / (na * nb)
        if -neg - avg > 1e-12:
            if avg >= stories.STORY_SIMILARITY:
                heapq.heappush(heap, (-avg, a, b))
            continue
        if avg + neg > 1e-12:
            continue
        if avg < stories.STORY_SIMILARITY:
            break
        keep, drop = min(a, b), max(a, b)
        raised = []
        for z, s in sums.pop(drop).items():
            sums[z].pop(drop, None)
            if z != keep:
                sums[keep][z] = sums[keep].get(z, 0.0) + s
                sums[z][keep] = sums[keep][z]
                raised.append(z)
        sums[keep].pop(drop, None)
        merged[drop] = keep
        size[keep] = na + nb
        size.pop(drop, None)
        for z in sorted(raised):
            heapq.heappush(heap, (-(sums[keep][z] / (size[keep] * size.get(z, 1))), min(keep, z), max(keep, z)))
    return merged


def test_average_linkage_queueing_strong_entries_only_equals_queueing_every_edge():
    rng = np.random.default_rng(21)
    merges = 0
    for n, m in ((12, 30), (300, 1500), (3000, 12000)):
        lo, hi = rng.integers(0, n, size=m), rng.integers(0, n, size=m)
        codes = np.unique(lo[lo < hi] * n + hi[lo < hi])
        lo, hi = codes // n, codes % n
        jac = rng.choice([0.08, 0.1, 0.15, 0.2, 0.215, 0.25, 0.3, 0.5, 0.9], size=len(lo))  # many ties
        got = stories._average_linkage(lo, hi, jac)
        assert got == _linkage_queueing_every_edge(lo, hi, jac)
        merges += len(got)
    assert merges > 100


def test_merge_queue_pops_in_the_order_of_one_heap():
    import heapq

    rng = np.random.default_rng(8)
    lo = rng.integers(0, 50, size=20000)
    hi = lo + rng.integers(1, 50, size=20000)
    jac = rng.choice([0.1, 0.22, 0.3, 0.3, 0.5], size=20000)
    queue = stories.MergeQueue(lo, hi, jac)
    strong = jac >= stories.STORY_SIMILARITY
    heap = [(-j, a, b) for a, b, j in zip(lo[strong].tolist(), hi[strong].tolist(), jac[strong].tolist(), strict=True)]
    heapq.heapify(heap)
    got, want = [], []
    while heap:
        if rng.random() < 0.3:  # entries pushed between pops, some equal to queued ones
            entry = (-float(rng.choice([0.22, 0.3, 0.41])), int(rng.integers(0, 50)), int(rng.integers(50, 99)))
            queue.push(entry)
            heapq.heappush(heap, entry)
        got.append(queue.pop())
        want.append(heapq.heappop(heap))
    assert got == want and not queue
    assert len(got) > 2 * stories.QUEUE_CHUNK  # several chunks of the arrays: not vacuous


def test_parts_taken_apart_are_the_components_edges_largest_alone():
    """`_taken_apart`: the largest part's edges on their own, the other parts of two edges or more
    concatenated in part order, each part's edges in position order; parts of one edge and part 0 left out."""
    rng = np.random.default_rng(31)
    comp = rng.integers(0, 40, size=3000)
    comp[rng.integers(0, 3000, size=5)] = 40  # a part of up to five edges
    comp[:400] = 7  # the largest
    order, start = stories._grouped(comp, 41)
    size = np.diff(start)
    size[0] = 0
    arrays = [np.arange(3000) * 3, rng.random(3000)]
    largest, rest, rest_start = stories._taken_apart(order, start, size, arrays)
    assert np.array_equal(largest[0], np.flatnonzero(comp == 7) * 3) and np.array_equal(
        largest[1], arrays[1][comp == 7]
    )
    others = [v for v in range(1, 41) if v != 7 and (comp == v).sum() > 1]
    want = np.concatenate([np.flatnonzero(comp == v) for v in others])
    assert np.array_equal(rest[0], want * 3) and np.array_equal(rest[1], arrays[1][want])
    assert rest_start.tolist() == [0, *np.cumsum([(comp == v).sum() for v in others]).tolist()]
    empty, none, at = stories._taken_apart(order, start, np.zeros_like(size), arrays)
    assert empty == [] and len(none[0]) == 0 and at.tolist() == [0]


def test_merge_queue_keys_compare_as_the_entries_and_give_them_back():
    """A queue entry (-mean, a, b) is kept as one integer key: keys order as the tuples do (floats of
    either sign, ties broken by the ids, ids of 2**32 and more) and unpack to the same entry."""
    rng = np.random.default_rng(29)
    for top in (50, 1 << 40):
        lo = np.array([0, top - 1])
        queue = stories.MergeQueue(lo, lo + 1, np.array([0.3, 0.5]))
        floats = np.r_[rng.choice([-0.5, -0.3, 0.0, 0.25, 1.0], 300), rng.normal(0, 1e3, 300), -1e-300, 5e-324]
        entries = [(float(x), int(rng.integers(0, top)), int(rng.integers(0, top))) for x in floats]
        keys = [queue.pack(e) for e in entries]
        assert [queue.unpack(k) for k in keys] == entries
        assert sorted(range(len(keys)), key=keys.__getitem__) == sorted(range(len(entries)), key=entries.__getitem__)
        assert stories._float_keys(floats).tolist() == [stories._float_key(float(x)) for x in floats]
        with pytest.raises(ValueError):
            queue.push((-0.3, 0, 1 << queue.bits))


def test_one_packed_sort_of_pair_ends_equals_lexsort():
    rng = np.random.default_rng(3)
    for n_rows, n_cols in ((5, 5), (1000, 10**6), (10**6, 2**45)):  # the last needs 68 bits: lexsort itself
        ends = np.unique(np.stack([rng.integers(0, n_rows, 3000), rng.integers(0, n_cols, 3000)], axis=1), axis=0)
        rows, cols = ends[:, 0], ends[:, 1]
        rank = rng.integers(0, 7, size=len(rows))
        got = stories._end_order(rows, rank, cols, int(rows.min()))
        assert got.tolist() == np.lexsort((cols, rank, rows)).tolist()


def test_grouping_pair_ends_by_document_equals_a_stable_argsort():
    rng = np.random.default_rng(17)
    for n, m, block in ((3, 10, 1), (50, 5000, 7), (1000, 20000, 10**6)):
        col = rng.integers(0, n, size=m).astype(np.int32)
        order, start = stories._grouped(col, n, block)
        assert order.tolist() == np.argsort(col, kind="stable").tolist()
        assert start.tolist() == np.r_[0, np.cumsum(np.bincount(col, minlength=n))].tolist()
    in_order = np.sort(rng.integers(0, 40, size=300))
    order, start = stories._grouped(in_order, 40)
    assert order is None and start[-1] == 300  # positions are their own order


def test_unpacking_pair_codes_in_place_equals_dividing_them():
    rng = np.random.default_rng(19)
    n = 5000
    codes = np.unique(rng.integers(0, n * n, size=30000))
    runs = [codes[k::3].copy() for k in range(3)]  # disjoint runs, each sorted
    pairs, none = stories._unpack_pairs(runs, n, 1000)
    assert pairs.dtype == np.int32 and not runs and none is None
    assert pairs.tolist() == np.stack([codes // n, codes % n], axis=1).tolist()
    agree = rng.integers(0, 129, size=len(codes)).astype(np.int16)
    runs = [codes[k::3].copy() for k in range(3)]
    pairs, got = stories._unpack_pairs(runs, n, 1000, [agree[k::3].copy() for k in range(3)])
    assert pairs.tolist() == np.stack([codes // n, codes % n], axis=1).tolist()
    assert got.tolist() == agree.tolist()  # each agreement travels with its pair through the sort


@pytest.mark.slow
def test_signatures_read_from_their_file_equal_the_matrix_and_agreements_travel_with_the_pairs(tmp_path):
    from audit.memory import memory_budget

    rng = np.random.default_rng(29)
    n = 2 * stories.SIG_BLOCK + 123  # three blocks, the last one part full
    sketches = {}
    for k in rng.permutation(n).tolist():  # read in an order other than the ids'
        hashes = np.unique(rng.integers(0, 400, size=int(rng.integers(0, 6)))).astype(np.uint64)
        sig = rng.integers(0, 6, size=NUM_PERM).astype(np.uint32)  # few values: many agreeing pairs
        sketches[f"d{k:05d}"] = stories.StorySketch(hashes, sig if len(hashes) else sig * 0 + 0xFFFFFFFF)
    ids, rows, term_ids = stories._signatures(sketches, str(tmp_path))
    assert ids == sorted(d for d, s in sketches.items() if len(s)) and 0 < len(ids) < n
    matrix = np.stack([sketches[d].signature for d in ids])
    assert np.array_equal(rows.rows(0, NUM_PERM), matrix)
    with memory_budget(1):  # a few rows a group
        groups = list(rows.row_groups())
        assert len(groups) > 2 and np.array_equal(np.concatenate(groups, axis=1), matrix)
        pairs, agreement = stories._agreeing_pairs(rows, 40)
    want = stories._band_pairs(matrix)
    want_agreement = stories._agreement(stories.SignatureRows(matrix), want[:, 0], want[:, 1])
    assert pairs.tolist() == want[want_agreement >= 40].tolist() and len(pairs) > 100
    assert agreement.tolist() == want_agreement[want_agreement >= 40].tolist()
    got = stories._exact_jaccard(term_ids, pairs[:, 0], pairs[:, 1])
    assert got.tolist() == [sketches[ids[a]].jaccard(sketches[ids[b]]) for a, b in pairs.tolist()]


def test_edges_between_representatives_equal_a_sort_of_every_pair():
    rng = np.random.default_rng(23)
    for n in (2, 60, 800):
        i, j = rng.integers(0, n, size=4 * n), rng.integers(0, n, size=4 * n)
        codes = np.unique(i[i < j] * n + j[i < j])
        jac = rng.choice([0.1, 0.3, 0.85, 0.9], size=len(codes))
        pairs = stories.Pairs(
            [f"d{k}" for k in range(n)], (codes // n).astype(np.int32), (codes % n).astype(np.int32), jac
        )
        rep = stories._near_copies(pairs)
        best: dict[tuple[int, int], float] = {}
        for a, b, x in zip(rep[pairs.i].tolist(), rep[pairs.j].tolist(), jac.tolist(), strict=True):
            if a != b:
                key = (min(a, b), max(a, b))
                best[key] = max(best.get(key, 0.0), x)
        want = sorted((*k, v) for k, v in best.items())
        lo, hi, got = stories._between(pairs, rep)
        assert list(zip(lo.tolist(), hi.tolist(), got.tolist(), strict=True)) == want
        assert lo.dtype == hi.dtype == np.int32
        assert n < 60 or len(best) < len(codes)  # near-copies merged some pairs: not vacuous
        shuffled = rng.permutation(len(codes))  # pairs out of order: sorted first, the same edges
        lo, hi, got = stories._between(
            stories.Pairs(pairs.ids, pairs.i[shuffled], pairs.j[shuffled], jac[shuffled]), rep
        )
        assert list(zip(lo.tolist(), hi.tolist(), got.tolist(), strict=True)) == want


def test_minhash_signatures_equal_datasketch_2s():
    """`stories.minhash` is datasketch 2's MinHash (scheme affine32, seed 1, 128 permutations) done in
    numpy so that no audit imports datasketch; it must give the very signatures datasketch gives."""
    import random

    from datasketch import MinHash

    from audit.corpus.stories import NUM_PERM, minhash, sha1_hash32

    rng = random.Random(5)
    for size in (0, 1, 2, 7, 40, 300):
        terms = {"".join(rng.choice("abcdefgh#0123456789éż") for _ in range(rng.randint(1, 12))) for _ in range(size)}
        hashes = [sha1_hash32(t.encode("utf-8")) for t in sorted(terms)]
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([t.encode("utf-8") for t in sorted(terms)])
        ours = minhash(hashes)
        assert ours.dtype == m.hashvalues.dtype
        assert np.array_equal(ours, m.hashvalues), size


def test_average_linkage_over_arrays_equals_dicts_on_hubs_and_chains(monkeypatch):
    """Groups form around hubs and along chains, so nodes that never merged read their sums through the
    groups their partners joined (`_Graph.partners`): the merges equal the dict-per-node linkage's."""
    rng = np.random.default_rng(5)
    merges = 0
    through_groups = []
    real_group = stories._Graph.group
    monkeypatch.setattr(stories._Graph, "group", lambda self, x: through_groups.append(x) or real_group(self, x))
    for n, hubs, m in ((40, 2, 120), (600, 8, 3000), (4000, 30, 16000)):
        lo = np.concatenate([rng.integers(0, hubs, size=m // 2), rng.integers(0, n, size=m // 2)])
        hi = np.concatenate([rng.integers(hubs, n, size=m // 2), rng.integers(0, n, size=m // 2)])
        chain = np.arange(n - 1)
        lo, hi = np.concatenate([lo, chain]), np.concatenate([hi, chain + 1])
        a, b = np.minimum(lo, hi), np.maximum(lo, hi)
        codes = np.unique(a[a < b] * n + b[a < b])
        lo, hi = codes // n, codes % n
        jac = rng.choice([0.1, 0.2, 0.215, 0.3, 0.3, 0.45, 0.6], size=len(lo))
        got = stories._average_linkage(lo, hi, jac)
        assert got == _linkage_queueing_every_edge(lo, hi, jac)
        merges += len(got)
    assert merges > 200 and len(through_groups) > 100  # sums read through groups: not vacuous


def test_a_sum_row_reads_as_the_dict_it_stands_for_through_changes_and_compactions():
    rng = np.random.default_rng(17)
    want = {int(z): float(rng.random()) for z in rng.choice(10**6, size=40, replace=False)}
    row = stories.SumRow.of(want)
    compactions = 0
    for _ in range(2000):
        z = int(rng.choice(list(want))) if want and rng.random() < 0.6 else int(rng.integers(0, 10**6))
        before = row.changes
        if rng.random() < 0.3:
            want.pop(z, None)
            row.put(z, None)
        elif rng.random() < 0.5 and want:
            gone = int(rng.choice(list(want)))
            total = float(rng.random())
            want.pop(gone)
            want[z] = total
            row.moved(gone, z, total)
        else:
            want[z] = float(rng.random())
            row.put(z, want[z])
        compactions += before is not None and row.changes is None
        probe = int(rng.integers(0, 10**6))
        assert row.get(z) == want.get(z) and row.get(probe) == want.get(probe)
    assert row.as_dict() == want
    assert compactions > 10  # the changes went into the arrays many times: not vacuous


def test_a_hub_absorbing_small_groups_through_its_row_equals_the_dict_linkage(monkeypatch):
    """Groups around hubs (many partners) take small groups' sums as changes to their rows
    (`_absorb_into_row`); ids of 2**31 and more are kept in int64 rows."""
    rng = np.random.default_rng(23)
    calls = []
    real = stories._absorb_into_row
    monkeypatch.setattr(stories, "_absorb_into_row", lambda *a: calls.append(1) or real(*a))
    merges = 0
    for n, hubs, m, offset in ((3000, 30, 12000, 0), (3000, 30, 12000, 1 << 32)):
        lo = np.concatenate([rng.integers(0, hubs, size=m // 2), rng.integers(0, n, size=m // 2)])
        hi = np.concatenate([rng.integers(hubs, n, size=m // 2), rng.integers(0, n, size=m // 2)])
        a, b = np.minimum(lo, hi), np.maximum(lo, hi)
        codes = np.unique(a[a < b] * n + b[a < b])
        lo, hi = codes // n + offset, codes % n + offset
        jac = rng.choice([0.2, 0.5, 0.9], size=len(lo))
        got = stories._average_linkage(lo, hi, jac)
        assert got == _linkage_queueing_every_edge(lo, hi, jac)
        merges += len(got)
    assert merges > 2000 and len(calls) > 100  # the hubs' row path ran: not vacuous
