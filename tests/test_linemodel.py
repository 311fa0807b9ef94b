"""The residue-line model (RES017): its page folds, its shipped weights, and its scoring."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from audit.linemodel import FEATURES, LineModel, document_features, parse_model, shipped_model

TRAIN = Path(__file__).resolve().parents[1] / "tools" / "train_residue_model.py"


def _trainer():
    spec = importlib.util.spec_from_file_location("train_residue_model", TRAIN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_folds_split_by_page_never_by_line_or_extractor():
    train = _trainer()
    rows = [(f"x:page{p}", ex) for p in range(23) for ex in ("boilerpipe", "html-text", "ground_truth")]
    folds = train.page_folds([page for page, _ in rows], 5)
    assert set(folds) == {page for page, _ in rows}  # one fold per page: every text of a page goes with it
    sizes = [list(folds.values()).count(k) for k in range(5)]
    assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 4
    assert train.page_folds(list(reversed([page for page, _ in rows])), 5) == folds  # order does not matter


def test_threshold_holds_the_ceiling_on_every_extractor():
    import numpy as np

    train = _trainer()
    meta = [("p", "s", "a", False, True)] * 200 + [("p", "s", "b", False, True)] * 200
    y = np.array([0.0] * 100 + [1.0] * 100 + [0.0] * 100 + [1.0] * 100)
    prob = np.concatenate([np.linspace(0, 0.5, 100), np.full(100, 0.9), np.linspace(0, 0.95, 100), np.full(100, 0.99)])
    t = train.choose_threshold(prob, y, meta)
    for lo in (0, 200):
        clean = prob[lo : lo + 100]
        assert (clean > t).mean() <= train.MAX_FP
    assert t < 0.99  # extractor b's residue still fires


def test_shipped_model_loads_and_uses_known_features():
    model = shipped_model()
    assert 0.0 < model.threshold < 1.0
    assert len(model.stumps) >= 50
    assert {FEATURES[f] for f, *_ in model.stumps} <= set(FEATURES)
    text = (TRAIN.parents[1] / "audit" / "data" / "residue_model.tsv").read_text(encoding="utf-8")
    assert text.startswith("# ") and "cross-validation by page" in text  # the header says how it was trained


def test_step_tables_add_up_the_stumps():
    stumps = [(0, 1.0, -1.0, 2.0), (0, 3.0, 0.5, -0.25), (2, 0.5, 0.1, 0.3)]
    model = LineModel(0.2, stumps, 0.5)
    for v0 in (0.0, 1.0, 2.0, 3.0, 4.0):
        for v2 in (0.0, 0.5, 1.0):
            x = [v0, 7.0, v2] + [0.0] * (len(FEATURES) - 3)
            want = 0.2 + sum(vl if x[f] <= c else vr for f, c, vl, vr in stumps)
            assert model.log_odds(x) == pytest.approx(want)


def test_a_model_file_with_an_unknown_feature_is_refused():
    with pytest.raises(ValueError, match="unknown feature"):
        parse_model("threshold\t0.5\nbase\t0\nstump\tsite_name\t1\t0.1\t0.2\n")


ARTICLE = [
    "The council approved the new budget on Tuesday after a long debate about school funding, the mayor said.",
    "Members said the plan would raise spending on schools by four percent next year, according to officials.",
    "Residents will see the changes when the new fiscal year begins in July, the council said in a statement.",
]


def test_menu_lines_score_above_the_article_lines():
    lines = ["Home", "News", "Sport", "Weather", "Sign in", *ARTICLE, "Contact us", "About us", "Jobs", "Help"]
    model = shipped_model()
    probs = [model.probability(x) for x in document_features(lines)]
    assert len(probs) == len(lines)
    assert max(probs[5:8]) < model.threshold < min(probs[i] for i in (1, 4, 8, 9))


def test_only_whole_pages_and_short_lines_are_scored():
    article = [*ARTICLE, "It takes effect in July.", "Privacy", "Terms"]  # 3 short lines of 6: an extracted article
    assert document_features(article) == [None] * len(article)
    assert all(x is not None for x in document_features(article, every=True))  # training sees every line
    long_prose = " ".join(ARTICLE)  # 50 words ending like a sentence: prose, never scored
    page = ["Home", "News", "Sport", "Weather", "Sign in", long_prose, "Contact us", "About us", "Jobs"]
    feats = document_features(page)
    assert feats[5] is None and all(x is not None for i, x in enumerate(feats) if i != 5)


def test_out_of_fold_never_trains_on_a_held_out_page(monkeypatch):
    import numpy as np

    train = _trainer()
    meta = [(f"x:page{p}", "s", ex, False, True) for p in range(12) for ex in ("a", "b") for _ in range(3)]
    x = np.arange(len(meta), dtype=float)[:, None]  # a row's feature is its index: the fit sees which rows
    y = np.array([float(n % 2) for n in range(len(meta))])
    seen = []
    monkeypatch.setattr(train, "fit", lambda xs, ys, sw: {meta[int(i)][0] for i in xs[:, 0]})
    monkeypatch.setattr(train, "predict", lambda pages, xs: seen.append((pages, xs)) or np.zeros(len(xs)))
    train.out_of_fold(x, y, meta)
    assert len(seen) == train.FOLDS
    for pages, held in seen:
        held_pages = {meta[int(i)][0] for i in held[:, 0]}
        assert held_pages and not held_pages & pages


def test_structured_runs_are_content_and_menus_are_not():
    from audit.checks.learned import structured_lines

    plan = ["Day 1", "Breakfast", "Porridge", "Lunch", "Soup", "Day 2", "Breakfast", "Eggs", "Lunch", "Salad"]
    assert structured_lines(plan) == set(range(len(plan)))  # its labels recur under each day
    stats = ["Shots", "Lakeside 11 9 6 26", "Harbor 8 12 15 35", "Saves", "Lakeside 31", "Harbor 24"]
    assert structured_lines(stats) == set(range(len(stats)))  # a run of numbers
    page = ["Home", "News", "Sport", *ARTICLE, "Home", "News", "Sport"]  # the menu's copies lie in two runs
    assert structured_lines(page) == set()


def _reference_structured_lines(lines: list[str]) -> set[int]:
    """structured_lines as first written (968bbf2): every run's lines and every table window at once."""
    import re
    from collections import Counter

    from audit.checks.learned import ANNOUNCED_ITEMS, PLAN_SHARE, TABLE_WINDOW
    from audit.checks.structure import announces_list, is_table, structure_kind
    from audit.text import is_prose

    digits = re.compile(r"\d+")
    out: set[int] = set()
    keys = [digits.sub("#", s.strip().lower()) for s in lines]
    counts = Counter(keys)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not is_prose(lines[j], 12):
            j += 1
        run = lines[i:j]
        inside = 0 < i and j < len(lines)
        copied = inside and 2 * sum(counts[k] > 1 for k in keys[i:j]) >= len(run)
        numeric = len(run) >= 4 and 2 * sum(bool(digits.search(s)) for s in run) >= len(run)
        announced = len(run) > ANNOUNCED_ITEMS and announces_list(run[0])  # (session 13: a lead-in opens a list)
        if run and (copied or structure_kind(run, lines[i - 1] if i else "") or numeric or announced):
            out.update(range(i, j))
        elif run:
            in_run = Counter(keys[i:j])
            again = [in_run[key] > 1 for key in keys[i:j]]
            if sum(again) >= PLAN_SHARE * len(run):
                out.update(range(i, j))
            for k in range(len(run)):
                window = run[max(0, k - TABLE_WINDOW) : k + TABLE_WINDOW + 1]
                if again[k] or (len(window) >= 3 and is_table(window)):
                    out.add(i + k)
        i = j + 1
    return out


def _reference_res017(view) -> list[tuple[int, int, str]]:
    """RES017 as first written: every line's features, then the structured lines, then the scores."""
    from audit.checks.learned import MAX_LINES, MIN_PAGE_LINES
    from audit.checks.structure import in_field_run
    from audit.linemodel import PAGE_SHORT_SHARE, PROSE_WORDS, SHORT_WORDS, DocStats, line_features
    from audit.text import word_count

    body = view.body[:MAX_LINES]
    if len(body) < MIN_PAGE_LINES or not view.is_english:
        return []
    lines = [ln.text for ln in body]
    if sum(word_count(s) < SHORT_WORDS for s in lines) < PAGE_SHORT_SHARE * len(lines):
        return []
    stats = DocStats(lines)
    feats = [line_features(stats, i) if stats.prose[i] < PROSE_WORDS else None for i in range(len(lines))]
    content = _reference_structured_lines(lines) if any(x is not None for x in feats) else set()
    model = shipped_model()
    out = []
    for i, (ln, x) in enumerate(zip(body, feats, strict=True)):
        p = model.probability(x) if x is not None and i not in content and not in_field_run(lines, i) else 0.0
        if p > model.threshold:
            out.append((*ln.span, f"line shaped like page furniture (model {p:.2f})"))
    return out


_PIECES = [
    "Home",
    "News | Sport | Weather",
    "Share",
    "Day 2",
    "Breakfast",
    "Lakeside 11 9 6 26",
    "Harbor\t8\t12",
    "Name    Team    Goals",
    "1. Preheat the oven.",
    "- eggs",
    "x = compute(y);",
    "Schedule: Monday",
    "Here are the teams:",
    "Posted 3 hours ago",
    "Related: Storm closes the coast road",
    "MOST READ STORIES TODAY",
    "Read more »",
    "The council met on Monday and agreed that the new bridge would open to traffic in the spring.",
    "She said the plan, which had been delayed twice, was now ready for a vote by the whole board of the region.",
    "Residents who live near the river were told to move their cars before the water rose overnight, "
    "and several roads were closed while crews cleared fallen trees from the main routes into town.",
    "“We are ready,” he said.",
    "Copyright 2024 Example Media",
    "",
]


def test_res017_and_structured_lines_match_the_first_implementation():
    """The gate decided first, features only for lines outside whole structured runs and tables built only
    for lines the model flags: the same hits and the same structured lines as the first implementation,
    on pages mixing menus, tables, lists, code, plans, repeats and prose."""
    import random

    from audit.checks.learned import learned_residue, structured_lines
    from audit.linemodel import PAGE_SHORT_SHARE, SHORT_WORDS, is_whole_page
    from audit.text import TextView, word_count

    rng = random.Random(31)
    fired = 0
    for n in range(400):
        k = rng.choice([3, 6, 8, 12, 20, 40])
        weights = [rng.random() ** 2 for _ in _PIECES]
        lines = rng.choices(_PIECES, weights=weights, k=k)
        text = "\n".join(lines)
        view, ref = TextView(text, str(n)), TextView(text, str(n))
        got = [(h.start, h.end, h.message) for h in learned_residue(view)]
        assert got == _reference_res017(ref), text
        fired += bool(got)
        body = [ln.text for ln in view.body]
        assert structured_lines(body) == _reference_structured_lines(body), text
        assert is_whole_page(body) == (sum(word_count(s) < SHORT_WORDS for s in body) >= PAGE_SHORT_SHARE * len(body))
    assert fired >= 20  # the comparison covers pages the model flags, not only pages the gate stops


def test_res017_leaves_a_reviews_pros_and_cons_and_still_flags_its_menu():
    from audit.api import audit_texts

    page = (
        "Home\nReviews\nPhones\nLaptops\nOrbit 5 review: a fine phone with a dim screen\nBy Lena Hart\n"
        "The Orbit 5 is fast, light and cheap, and its camera is better than it has any right to be at this price.\n"
        "Its screen is the weak point: it is hard to read outdoors on a sunny day.\n"
        "Pros\nGreat value\nLong battery life\nSharp main camera\nCons\nDim screen\nSlow charging\n"
        "The Orbit 5 goes on sale on Friday in three colours.\nPrivacy Policy\nTerms of Use"
    )
    found = audit_texts([page]).findings
    flagged = set(found[found.code == "RES017"].evidence)
    assert {"Reviews", "Phones", "Laptops"} <= flagged
    assert not flagged & {"Pros", "Great value", "Cons", "Dim screen", "Slow charging"}
