#!/usr/bin/env python3
"""Experiment: does a small non-linear model over the MT model's features beat the logistic model?

    nice .venv/bin/python tools/mt_nonlinear.py                 # logistic, MLP and ensemble, seeds 0-2
    nice .venv/bin/python tools/mt_nonlinear.py --seeds 1 2 3 --hidden 16 --wd 1e-2 --only pair   # as reported
    nice .venv/bin/python tools/mt_nonlinear.py --kind gbt --max-epochs 400 --seeds 0 --only pair  # needs lightgbm
    (--cache FILE pickles the featurised corpus; the family folds are slow: 29 logistic + MLP fits a seed)

A maintainer's experiment, not shipped: it reuses tools/train_mt_model.py's data, features (audit/mtmodel.py),
column choice per fold, artifact weight, folds (leave-one-pair-out crossed with one group of originals;
leave-one-family-out) and threshold (1.5% FP on out-of-fold news originals), and swaps the logistic fit for

- `mlp`: one hidden layer (tanh), numpy, Adam on minibatches, class-balanced log loss plus weight decay;
  the number of epochs is chosen by early stopping on an INNER held-out pair (one training source
  language's machine translations against one training group of originals, neither seen by the inner
  fit), then the MLP is refit on the whole training fold for that many epochs;
- `ens`: the logistic and the MLP log-odds averaged (the artifact term added once).

Result (2026-12-06, seeds 0-3, this 2-core shared machine): NEGATIVE, not worth integrating. MT AUC / MT recall
at the out-of-fold 1.5%-FP threshold (news originals' FP 0.014 for every model); mean (min-max) over seeds.

    leave-one-pair-out   logistic        MLP 16, wd 1e-2*             logistic+MLP (logit mean)
    is -> en             0.802 / 0.281   0.789 (.778-.806) / 0.175 (.055-.258)   0.798 (.793-.808) / 0.210 (.143-.281)
    ja -> en             0.901 / 0.395   0.851 (.819-.877) / 0.276 (.127-.355)   0.878 (.861-.893) / 0.314 (.240-.371)
    ru -> en             0.939 / 0.677   0.928 (.902-.942) / 0.433 (.113-.601)   0.935 (.921-.942) / 0.542 (.355-.634)
    uk -> en             0.873 / 0.490   0.882 (.854-.899) / 0.435 (.279-.558)   0.883 (.867-.891) / 0.469 (.404-.538)
    all pairs            0.905 / 0.506   0.878 (.863-.897) / 0.336 (.117-.447)   0.893 (.884-.904) / 0.403 (.282-.459)
    leave-one-family-out 0.964 (train_mt_model --eval); the MLP's 29 family folds did not finish inside the
                         time box (a niced single-thread run on the loaded machine, killed after 28 min):
                         not measured, and moot, since pair-out already fails on every seed.

* the best of three settings on seed 0's outer folds, so if anything flattered. Other settings, seed 0, pair-out all pairs (MLP / ensemble): 32 hidden, wd 1e-3: 0.883/0.437, 0.896/0.466;
32 hidden, wd 3e-2: 0.885/0.471, 0.897/0.451. Early stopping on the inner pair stops after 1-3 epochs in most
folds: what the hidden layer learns beyond a shrunken linear model is the training languages' habits, and it
hurts the held-out language (only uk gains, in AUC and not in recall).
The MLP's logit scale also moves with the stopping epoch from fold to fold, so one pooled threshold fits the
folds badly (seed 3: recall 0.117 at AUC 0.863). A gradient-boosted tree ensemble (lightgbm: 8 leaves, lr 0.05,
feature_fraction 0.3, lambda_l2 10, rounds by early stopping on the inner pair, 1-166): pair-out 0.818 / 0.113
(is 0.777, ja 0.816, ru 0.829, uk 0.861), with the logistic model averaged in 0.891 / 0.386; not run further.
Cost of the MLP head (955 inputs x 16 tanh units, numpy): 0.007-0.018 ms a document over the features.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import train_mt_model as T  # noqa: E402


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x, -50, 50)))


class MLP:
    def __init__(self, mean, sd, W1, b1, w2, b2):
        self.mean, self.sd, self.W1, self.b1, self.w2, self.b2 = mean, sd, W1, b1, w2, b2

    def logit(self, X: np.ndarray) -> np.ndarray:
        Z = ((X - self.mean) / self.sd).astype(np.float32)
        return (np.tanh(Z @ self.W1 + self.b1) @ self.w2 + self.b2).astype(float)


def train_mlp(X, y, hidden, wd, epochs, seed, val=None, patience=8, lr=1e-3, batch=128):
    """Class-balanced log loss + wd * (|W1|^2 + |w2|^2), Adam. With `val` = (Xv, yv), returns the best
    epoch by validation AUC (stopping after `patience` epochs without gain) instead of a model."""
    mean, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    Z = ((X - mean) / sd).astype(np.float32)
    n, d = Z.shape
    rng = np.random.default_rng(seed)
    W1 = (rng.standard_normal((d, hidden)) / math.sqrt(d)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = (rng.standard_normal(hidden) / math.sqrt(hidden)).astype(np.float32)
    b2 = np.float32(0.0)
    cw = np.where(y == 1, 0.5 * n / max(1, (y == 1).sum()), 0.5 * n / max(1, (y == 0).sum())).astype(np.float32)
    params = [W1, b1, w2, np.array([b2], np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    best, best_ep, since = -1.0, 1, 0
    if val is not None:
        Zv = ((val[0] - mean) / sd).astype(np.float32)
        pos, neg = val[1] == 1, val[1] == 0
    for ep in range(1, epochs + 1):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            idx = order[s : s + batch]
            zb, yb, wb = Z[idx], y[idx].astype(np.float32), cw[idx]
            H = np.tanh(zb @ params[0] + params[1])
            p = sigmoid(H @ params[2] + params[3][0])
            g = wb * (p - yb) / len(idx)
            gw2 = H.T @ g + 2 * wd * params[2]
            gb2 = np.array([g.sum()], np.float32)
            gH = np.outer(g, params[2]) * (1 - H * H)
            gW1 = zb.T @ gH + 2 * wd * params[0]
            gb1 = gH.sum(0)
            t += 1
            for i, gr in enumerate((gW1, gb1, gw2, gb2)):
                m[i] = 0.9 * m[i] + 0.1 * gr
                v[i] = 0.999 * v[i] + 0.001 * gr * gr
                params[i] -= lr * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
        if val is not None:
            zv = np.tanh(Zv @ params[0] + params[1]) @ params[2]
            a = T.auc(zv[pos], zv[neg])
            if a > best + 1e-4:
                best, best_ep, since = a, ep, 0
            else:
                since += 1
                if since >= patience:
                    break
    if val is not None:
        return best_ep
    return MLP(mean, sd, params[0], params[1], params[2], float(params[3][0]))


class GBT:
    def __init__(self, booster):
        self.booster = booster

    def logit(self, X: np.ndarray) -> np.ndarray:
        return self.booster.predict(X, raw_score=True)


GBT_PARAMS = dict(
    objective="binary",
    learning_rate=0.05,
    num_leaves=8,
    min_data_in_leaf=30,
    feature_fraction=0.3,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=10.0,
    num_threads=1,
    deterministic=True,
    force_row_wise=True,
    verbose=-1,
)


def train_gbt(X, y, rounds, seed, val=None, patience=30):
    """A small gradient-boosted tree ensemble (lightgbm, experiment only), classes weighted half and half.
    With `val`, returns the best round count by validation AUC."""
    import lightgbm as lgb

    w = np.where(y == 1, 0.5 / max(1, (y == 1).sum()), 0.5 / max(1, (y == 0).sum())) * len(y)
    params = {**GBT_PARAMS, "seed": seed, "bagging_seed": seed, "feature_fraction_seed": seed}
    ds = lgb.Dataset(X, y, weight=w, free_raw_data=False)
    if val is None:
        return GBT(lgb.train(params, ds, num_boost_round=rounds))
    dv = lgb.Dataset(val[0], val[1], reference=ds)
    b = lgb.train(
        {**params, "metric": "auc"},
        ds,
        num_boost_round=rounds,
        valid_sets=[dv],
        callbacks=[lgb.early_stopping(patience, verbose=False)],
    )
    return max(1, b.best_iteration)


class Experiment:
    def __init__(self, c: T.Corpus, hidden: int, wd: float, max_epochs: int, kind: str = "mlp") -> None:
        self.c, self.hidden, self.wd, self.max_epochs, self.kind = c, hidden, wd, max_epochs, kind
        self._log_cache: dict[bytes, tuple] = {}

    def _setup(self, mask):
        c = self.c
        mask = mask & (T.HUMAN_POSITIVE | (c.label != "human_translation"))
        groups = [mask & (c.src == s) & (c.label == "mt") for s in sorted(set(c.src[mask & ~c.orig]))]
        groups.append(mask & c.orig)
        cols = c.design.columns([g for g in groups if g.any()])
        fired = c.design.artifacts > 0
        aw = T.artifact_weight(fired[mask & (c.label == "mt")], fired[mask & c.orig])
        return mask, cols, aw

    def logistic(self, mask):
        key = mask.tobytes()
        if key not in self._log_cache:
            self._log_cache[key] = self.c.train(mask)
        return self._log_cache[key]

    def mlp(self, mask, seed):
        c = self.c
        mask, cols, aw = self._setup(mask)
        X, y = c.design.X[:, cols], (~c.orig).astype(float)
        # inner held-out pair: one training source language's MT + one training group of originals
        langs = sorted(set(c.src[mask & (c.label == "mt")]))
        ogs = sorted(set(c.group[mask & c.orig]))
        rot = int(np.flatnonzero(mask)[0] + seed)  # deterministic, varies with the fold and the seed
        lang, og = langs[rot % len(langs)], ogs[(rot // len(langs)) % len(ogs)]
        inner_val = mask & (((c.src == lang) & ~c.orig) | (c.orig & (c.group == og)))
        inner_tr = mask & ~inner_val
        vmask = inner_val & ((c.label == "mt") | c.orig)
        if self.kind == "gbt":
            ep = train_gbt(X[inner_tr], y[inner_tr], self.max_epochs, seed, val=(X[vmask], y[vmask]))
            return train_gbt(X[mask], y[mask], ep, seed), cols, aw, ep
        ep = train_mlp(X[inner_tr], y[inner_tr], self.hidden, self.wd, self.max_epochs, seed, val=(X[vmask], y[vmask]))
        net = train_mlp(X[mask], y[mask], self.hidden, self.wd, ep, seed)
        return net, cols, aw, ep

    def held_out(self, folds, seed):
        """Out-of-fold log-odds of the logistic model, the MLP and their average (artifact term once)."""
        c, n = self.c, len(self.c.docs)
        tot = {k: np.zeros(n) for k in ("log", self.kind, "ens")}
        cnt = np.zeros(n)
        eps = []
        for fold in folds:
            fit, lcols = self.logistic(~fold)
            net, mcols, aw, ep = self.mlp(~fold, seed)
            eps.append(ep)
            Xf = c.design.X[fold]
            art = c.design.artifacts[fold]
            zl = fit.logit(Xf[:, lcols], art)
            zm = net.logit(Xf[:, mcols]) + aw * art
            tot["log"][fold] += zl
            tot[self.kind][fold] += zm
            tot["ens"][fold] += (zl + zm) / 2
            cnt[fold] += 1
        return {k: np.where(cnt > 0, v / np.maximum(cnt, 1), np.nan) for k, v in tot.items()}, eps


def metrics(c: T.Corpus, z: np.ndarray, by: str) -> dict[str, tuple[float, float]]:
    news = c.orig & np.isin(c.group, T.NEWS_ORIGINALS)
    neg = z[news]
    thr = T.threshold_for(neg)
    mt = c.label == "mt"
    keys = sorted(set(c.src[mt])) if by == "pair" else sorted(set(c.family[mt]))
    out = {}
    for k in keys:
        m = mt & ((c.src == k) if by == "pair" else (c.family == k))
        out[k] = (T.auc(z[m], neg), float(np.mean(z[m] > thr)))
    out["ALL"] = (T.auc(z[mt], neg), float(np.mean(z[mt] > thr)))
    ht = c.label == "human_translation"
    out["human"] = (T.auc(z[ht], neg), float(np.mean(z[ht] > thr)))
    out["fp"] = (float("nan"), float(np.mean(neg > thr)))
    return out


def load(cache: Path | None) -> T.Corpus:
    if cache and cache.exists():
        docs, design = pickle.loads(cache.read_bytes())
    else:
        docs = T.load_docs()
        design = T.Design(*T.featurise(docs))
        if cache:
            cache.write_bytes(pickle.dumps((docs, design)))
    return T.Corpus(docs, design)


def bench(c: T.Corpus, hidden: int) -> str:
    """CPU cost of the MLP head per document (the features are the shipped model's: ~0.3-0.8 ms)."""
    ncols = int(c.train(np.ones(len(c.docs), bool))[1].sum())
    rng = np.random.default_rng(0)
    net = MLP(
        np.zeros(ncols),
        np.ones(ncols),
        rng.standard_normal((ncols, hidden)).astype(np.float32),
        np.zeros(hidden, np.float32),
        rng.standard_normal(hidden).astype(np.float32),
        0.0,
    )
    x = rng.random((1, ncols))
    for _ in range(200):
        net.logit(x)
    t0 = time.process_time()
    for _ in range(2000):
        net.logit(x)
    return (
        f"MLP head ({ncols} inputs, {hidden} hidden): {(time.process_time() - t0) / 2000 * 1000:.3f} ms CPU a document"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--wd", type=float, default=1e-3)
    ap.add_argument("--max-epochs", type=int, default=40, help="MLP epochs (or GBT rounds) at most")
    ap.add_argument("--kind", choices=("mlp", "gbt"), default="mlp")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the documents and design (made if absent)")
    ap.add_argument("--only", choices=("pair", "family"), default=None)
    args = ap.parse_args()
    c = load(args.cache)
    if args.kind == "mlp":
        print(bench(c, args.hidden), flush=True)
    ex = Experiment(c, args.hidden, args.wd, args.max_epochs, args.kind)
    folds = {"pair": c.pair_folds(), "family": c.family_folds()}
    res: dict[tuple[str, str], list[dict]] = {}
    for seed in args.seeds:
        for by, fl in folds.items():
            if args.only and by != args.only:
                continue
            t0 = time.time()
            zs, eps = ex.held_out(fl, seed)
            for k, z in zs.items():
                res.setdefault((by, k), []).append(metrics(c, z, by))
            print(
                f"seed {seed} {by}: {time.time() - t0:.0f}s, epochs {min(eps)}-{max(eps)} "
                f"(median {int(np.median(eps))})",
                flush=True,
            )
            for k in zs:
                r = res[(by, k)][-1]
                print(f"  {k}: " + "  ".join(f"{g} {a:.3f}/{rc:.3f}" for g, (a, rc) in r.items()), flush=True)
    print(
        f"\n## summary over seeds {args.seeds} ({args.kind}: hidden {args.hidden}, wd {args.wd}, max epochs/rounds {args.max_epochs}): AUC / recall, mean (min-max)"
    )
    for (by, k), rs in sorted(res.items()):
        for g in rs[0]:
            a = np.array([r[g][0] for r in rs])
            rc = np.array([r[g][1] for r in rs])
            print(
                f"{by:<6} {k:<4} {g:<10} AUC {a.mean():.3f} ({a.min():.3f}-{a.max():.3f})  "
                f"recall {rc.mean():.3f} ({rc.min():.3f}-{rc.max():.3f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
