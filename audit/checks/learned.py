"""Residue found by a learned model of page structure (RES017), beside the pattern and layout checks."""

from __future__ import annotations

from collections.abc import Iterator

from audit.linemodel import document_features, shipped_model
from audit.model import Hit
from audit.registry import check
from audit.text import TextView

MAX_LINES = 2000  # a longer document is scored on its first MAX_LINES non-blank lines


@check("RES017", "residue", "info", fix="none", label="line shaped like page furniture (learned)")
def learned_residue(view: TextView) -> Iterator[Hit]:
    """Lines a model of page structure takes for residue: short, unpunctuated, off the article's terms, at its edges.

    Boosted decision stumps (audit/linemodel.py, model in audit/data/residue_model.tsv) score each line
    of an English text from how the page is built, not from any site's words: its length against the
    document's prose, sentence punctuation, capitals, digits, separators, URLs, where it sits, whether
    its neighbours are short too, whether its content words occur elsewhere in the document, quotation,
    function words and verbs of saying. Only whole pages are scored (at least 70% of lines short: an
    extractor's whole-page text), never an extracted article, and no line of running prose (30+ words
    ending like a sentence). Trained, and its threshold chosen, by leave-pages-out cross-validation
    (tools/train_residue_model.py; figures in the README, Measured quality). It is `info` and never
    edits the text: a page of short lines that are content (a poem, lyrics) can fire, and on pages
    unlike the training pages it cannot promise the precision that `audit fix` needs.
    """
    body = view.body[:MAX_LINES]
    if len(body) < 2 or not view.is_english:
        return
    model = shipped_model()
    for ln, x in zip(body, document_features([ln.text for ln in body]), strict=True):
        p = model.probability(x) if x is not None else 0.0
        if p > model.threshold:
            yield Hit(*ln.span, f"line shaped like page furniture (model {p:.2f})", None, round(p, 3))
