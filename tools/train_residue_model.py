#!/usr/bin/env python3
"""Train and validate the residue-line model (RES017, `audit/data/residue_model.tsv`): a maintainer's tool.

    .venv/bin/python tools/train_residue_model.py           # cross-validate, then train on all and write the model
    .venv/bin/python tools/train_residue_model.py --eval    # cross-validate only (prints the figures, writes nothing)

Data (read-only, ../shared/eval): `extraction-dev.jsonl` (60 news pages x 5 extractors, and each page's
clean `ground_truth` body, all of whose lines are clean) and `trafilatura-dev.jsonl` (51 pages x 7
extractors). Line labels are the scoring tools' own (`labelled_lines` of score_extraction.py,
`labelled` of score_trafilatura.py, imported, not copied); trafilatura's unlabelled lines are left out.

Validation is by page, never by line or document: every extractor's text of a page, and its ground
truth, fall in the same one of FOLDS folds (`page_folds`). For each fold a model is trained on the
other folds and scores the held-out pages. The threshold is the lowest at which the held-out
clean-line false-positive rate is at most MAX_FP on every extractor of both sets (the other residue
checks add their own ~0.008); the figures printed are held-out recall per extractor, the whole system's
(the other residue and bio checks, as `audit run` finds them, OR the model) recall and FP per
extractor, the share of ground-truth lines the model fires on, and the share of lines of English
feed entries (rss-dev.jsonl.gz) it fires on. The shipped model is then trained on every page with the
threshold the folds chose.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED / "tools"))

from audit.checks.learned import structured_lines  # noqa: E402
from audit.linemodel import FEATURES, document_features  # noqa: E402
from audit.text import TextView  # noqa: E402

FOLDS = 5
MAX_FP = 0.005  # the model's own held-out clean-line FP, on every extractor (the other checks have ~0.008)
ROUNDS, RATE, LAMBDA, BINS = 300, 0.1, 1.0, 32  # boosting rounds, learning rate, leaf L2 penalty, cut candidates
OUT = ROOT / "audit" / "data" / "residue_model.tsv"
RSS_ENGLISH = 3000  # English feed entries scored for the feed figure


def page_folds(pages: list[str], k: int = FOLDS) -> dict[str, int]:
    """Each page's fold: a stable hash of the page name, so that all of a page's texts go together."""
    order = sorted(set(pages), key=lambda p: hashlib.sha1(p.encode()).hexdigest())
    return {p: i % k for i, p in enumerate(order)}


def body_lines(text: str) -> tuple[list[str], list[int]]:
    """The non-blank lines of a text and their start offsets: the lines RES017 scores (`TextView.body`)."""
    body = TextView(text).body
    return [ln.text for ln in body], [ln.start for ln in body]


def load_docs() -> list[dict]:
    """Every labelled document: id, set, page, extractor, text, and (start, end, is_residue) labels."""
    from score_extraction import labelled_lines
    from score_trafilatura import labelled

    def doc(kind: str, page: str, extractor: str, text: str, labels: list) -> dict:
        prefix = {"extraction": "x", "trafilatura": "t"}[kind]  # extraction-dev, trafilatura-dev
        return dict(
            id=f"{prefix}:{page}:{extractor if extractor != 'ground_truth' else 'gt'}",
            set=kind,
            page=f"{prefix}:{page}",
            extractor=extractor,
            text=text,
            labels=labels,
        )

    docs, gts = [], {}
    for r in map(json.loads, (SHARED / "eval" / "extraction-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        docs.append(
            doc("extraction", r["page"], r["extractor"], r["text"], labelled_lines(r["text"], r["ground_truth"]))
        )
        gts[r["page"]] = r["ground_truth"]
    for page, gt in gts.items():
        docs.append(doc("extraction", page, "ground_truth", gt, [(s, e, False) for s, e, _ in labelled_lines(gt, gt)]))
    for r in map(json.loads, (SHARED / "eval" / "trafilatura-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        labels = [(s, e, res) for s, e, _, res, _ in labelled(r)]
        docs.append(doc("trafilatura", r["page"], r["extractor"], r["text"], labels))
    return docs


def others_flagged(docs: list[dict]) -> dict[str, list[tuple[int, int]]]:
    """The residue and bio spans the other checks find, each set audited as one corpus (as the tools do)."""
    from audit.api import audit_texts

    spans = defaultdict(list)
    for name in ("extraction", "trafilatura"):
        part = [d for d in docs if d["set"] == name]
        found = audit_texts([d["text"] for d in part], ids=[d["id"] for d in part], ignore=("RES017",)).findings
        for row in found[found["category"].isin(["residue", "bio"])].itertuples():
            spans[row.doc_id].append((row.start, row.end))
    return spans


def line_rows(docs: list[dict], flagged: dict) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Features and labels of every labelled line, with (page, set, extractor, flagged by the others)."""
    from score_extraction import covered

    xs, ys, meta = [], [], []
    for d in docs:
        lines, starts = body_lines(d["text"])
        if not lines:
            continue
        feats = document_features(lines)
        content = {k for k, f in enumerate(feats) if f is None} | structured_lines(lines)  # lines it never scores
        full = document_features(
            lines, every=True
        )  # lines the model never scores (prose, texts that are not whole pages) train it too
        where = {s: i for i, s in enumerate(starts)}
        for s, e, res in d["labels"]:
            i = where.get(s)
            if i is None:
                continue
            xs.append(feats[i] if feats[i] is not None else full[i])
            ys.append(float(res))
            meta.append(
                (d["page"], d["set"], d["extractor"], covered(flagged.get(d["id"], []), s, e), i not in content)
            )
    return np.array(xs), np.array(ys), meta


def fit(x: np.ndarray, y: np.ndarray, sw: np.ndarray) -> tuple[float, list[tuple[int, float, float, float]]]:
    """Gradient-boosted decision stumps (logistic loss, Newton leaf values): (base log-odds, stumps), each
    stump (feature, cut, value where x <= cut, value elsewhere). Cuts are the features' quantiles."""
    cuts = [np.unique(np.quantile(x[:, f], np.linspace(0.02, 0.98, BINS))) for f in range(x.shape[1])]
    bins = [np.searchsorted(c, x[:, f], side="left") for f, c in enumerate(cuts)]
    p0 = np.average(y, weights=sw)
    base = float(np.log(p0 / (1 - p0)))
    score, stumps = np.full(len(y), base), []
    for _ in range(ROUNDS):
        p = 1 / (1 + np.exp(-score))
        g, h = sw * (p - y), sw * p * (1 - p)
        best = (-1.0, 0, 0, 0.0, 0.0)
        for f, c in enumerate(cuts):
            gl = np.cumsum(np.bincount(bins[f], g, len(c) + 1))[:-1]
            hl = np.cumsum(np.bincount(bins[f], h, len(c) + 1))[:-1]
            gr, hr = g.sum() - gl, h.sum() - hl
            gain = gl**2 / (hl + LAMBDA) + gr**2 / (hr + LAMBDA)
            k = int(np.argmax(gain))
            if gain[k] > best[0]:
                best = (gain[k], f, k, -gl[k] / (hl[k] + LAMBDA) * RATE, -gr[k] / (hr[k] + LAMBDA) * RATE)
        _, f, k, left, right = best
        score += np.where(x[:, f] <= cuts[f][k], left, right)
        stumps.append((f, float(cuts[f][k]), float(left), float(right)))
    return base, stumps


def predict(model, x: np.ndarray) -> np.ndarray:
    base, stumps = model
    z = np.full(len(x), base)
    for f, cut, left, right in stumps:
        z += np.where(x[:, f] <= cut, left, right)
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def sample_weights(meta: list[tuple]) -> np.ndarray:
    """Each (set, extractor) weighs as much as any other in training (html-text's whole pages would
    otherwise outweigh the four article extractors together); the mean weight is 1."""
    sw = np.zeros(len(meta))
    for idx in groups(meta).values():
        sw[idx] = 1.0 / len(idx)
    return sw * len(meta) / sw.sum()


def out_of_fold(x: np.ndarray, y: np.ndarray, meta: list[tuple]) -> np.ndarray:
    """Each line's probability from the model trained without its page's fold."""
    folds = page_folds([m[0] for m in meta])
    fold = np.array([folds[m[0]] for m in meta])
    prob, sw, scored = np.zeros(len(y)), sample_weights(meta), np.array([m[4] for m in meta], dtype=bool)
    for k in range(FOLDS):
        held = (fold == k) & scored
        prob[held] = predict(fit(x[fold != k], y[fold != k], sw[fold != k]), x[held])
    return prob


def groups(meta: list[tuple]) -> dict[tuple[str, str], np.ndarray]:
    keys = defaultdict(list)
    for n, m in enumerate(meta):
        keys[m[1], m[2]].append(n)
    return {k: np.array(v) for k, v in keys.items()}


def choose_threshold(prob: np.ndarray, y: np.ndarray, meta: list[tuple]) -> float:
    """The lowest threshold at which every (set, extractor) keeps held-out clean-line FP <= MAX_FP."""
    t = 0.0
    for idx in groups(meta).values():
        clean = np.sort(prob[idx][y[idx] == 0])[::-1]
        allowed = int(MAX_FP * len(clean))
        if allowed < len(clean):
            t = max(t, float(clean[allowed]) + 1e-6)
    return t


def rate(a: int, b: int) -> str:
    return f"{a / max(1, b):.3f} ({a}/{b})"


def report(prob: np.ndarray, y: np.ndarray, meta: list[tuple], t: float) -> None:
    """Held-out recall and FP per extractor: the model alone, and the system (the other checks OR the model)."""
    fires = prob > t
    others = np.array([m[3] for m in meta], dtype=bool)
    both = fires | others
    print(f"threshold {t:.4f} (held-out clean-line FP <= {MAX_FP} on every extractor of both sets)")
    for (name, ex), idx in sorted(groups(meta).items()):
        res, clean = idx[y[idx] == 1], idx[y[idx] == 0]
        print(
            f"{name:11s} {ex:18s} model: recall {rate(int(fires[res].sum()), len(res))} "
            f"FP {rate(int(fires[clean].sum()), len(clean))} | others: recall {others[res].mean() if len(res) else 0:.3f} "
            f"| system: recall {rate(int(both[res].sum()), len(res))} FP {rate(int(both[clean].sum()), len(clean))}"
        )
    for name in ("extraction", "trafilatura"):
        idx = np.array([n for n, m in enumerate(meta) if m[1] == name and m[2] != "ground_truth"])
        res, clean = idx[y[idx] == 1], idx[y[idx] == 0]
        print(
            f"{name}: model recall {fires[res].mean():.3f} FP {fires[clean].mean():.3f}; "
            f"others recall {others[res].mean():.3f} FP {others[clean].mean():.3f}; "
            f"system recall {both[res].mean():.3f} FP {both[clean].mean():.3f}"
        )


def feed_rate(model, t: float) -> str:
    """The share of lines of English feed entries (rss-dev.jsonl.gz) the model fires on."""
    n = fired = docs = 0
    with gzip.open(SHARED / "eval" / "rss-dev.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not str(r.get("feed_language", "")).lower().startswith("en"):
                continue
            lines, _ = body_lines(r["text"])
            if lines:
                feats = [f for f in document_features(lines) if f is not None]
                p = predict(model, np.array(feats)) if feats else np.zeros(0)
                n, fired = n + len(lines), fired + int((p > t).sum())
            docs += 1
            if docs >= RSS_ENGLISH:
                break
    return f"English feed entries: the model fires on {rate(fired, n)} lines of {docs} entries"


def write_model(model, t: float, n_lines: int, n_pages: int) -> None:
    base, stumps = model
    head = [
        "# The residue-line model of RES017 (audit/linemodel.py): boosted decision stumps over page-structure features.",
        "# Where the entries come from: trained on the development sets below; none is a word or line of them.",
        f"# Trained by tools/train_residue_model.py ({ROUNDS} rounds, rate {RATE}) on {n_lines} labelled lines of",
        f"# {n_pages} pages: the extractors' texts in ../shared/eval/extraction-dev.jsonl and trafilatura-dev.jsonl and",
        "# the clean ground-truth bodies, labelled as ../shared/tools/score_extraction.py and score_trafilatura.py",
        "# label them; each extractor weighs alike. No word of the data is in the model: only cuts on the features.",
        f"# The threshold is the one {FOLDS}-fold cross-validation by page chose: held-out clean-line FP <= {MAX_FP}",
        "# on every extractor of both sets. Rows: stump, feature, cut, log-odds where feature <= cut, elsewhere.",
        f"threshold\t{t:.6f}",
        f"base\t{base:.6f}",
    ]
    rows = [f"stump\t{FEATURES[f]}\t{c:.6g}\t{vl:.6f}\t{vr:.6f}" for f, c, vl, vr in stumps]
    OUT.write_text("\n".join(head + rows) + "\n", encoding="utf-8")


def main(evaluate_only: bool) -> int:
    docs = load_docs()
    x, y, meta = line_rows(docs, others_flagged(docs))
    print(f"{len(y)} labelled lines ({int(y.sum())} residue) of {len({m[0] for m in meta})} pages")
    prob = out_of_fold(x, y, meta)
    t = choose_threshold(prob, y, meta)
    report(prob, y, meta, t)
    model = fit(x, y, sample_weights(meta))
    print(feed_rate(model, t))
    used = defaultdict(int)
    for f, *_ in model[1]:
        used[FEATURES[f]] += 1
    print("stumps per feature:", ", ".join(f"{f} {n}" for f, n in sorted(used.items(), key=lambda kv: -kv[1])))
    if not evaluate_only:
        write_model(model, t, len(y), len({m[0] for m in meta}))
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--eval" in sys.argv))
