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
