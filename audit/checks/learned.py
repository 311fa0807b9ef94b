"""Residue found by a learned model of page structure (RES017), beside the pattern and layout checks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from audit.checks.structure import is_table, structure_kind
from audit.linemodel import document_features, shipped_model
from audit.records import Hit
from audit.registry import check
from audit.text import TextView, is_prose

MAX_LINES = 2000  # a longer document is scored on its first MAX_LINES non-blank lines
TABLE_WINDOW = 2  # neighbours on each side that make a table with a line
_DIGITS = re.compile(r"\d+")
PLAN_SHARE = 0.3  # a run where this share of lines recurs inside it is a plan or a schedule, content


def _numeric(run: list[str]) -> bool:
    """Half the lines of a run of four or more hold a number: a box score, a results or stats block."""
    return len(run) >= 4 and 2 * sum(bool(_DIGITS.search(s)) for s in run) >= len(run)


def structured_lines(lines: list[str]) -> set[int]:
    """The lines of runs between prose lines that are content by the shared structure helper (a table,
    code, a list, fields, a block introduced by a sentence), that sit in a table with their neighbours,
    that recur inside their own run, numbers aside (a meal plan's `Breakfast` and `Day 2` under each day:
    a menu's copies lie in different runs, with the article between them), runs of numbers (`_numeric`),
    and runs within the article most of whose lines recur elsewhere (a list printed under each week)."""
    out: set[int] = set()
    keys = [_DIGITS.sub("#", s.strip().lower()) for s in lines]
    counts = Counter(keys)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not is_prose(lines[j], 12):
            j += 1
        run = lines[i:j]
        inside = 0 < i and j < len(lines)  # prose above and below: the run is within the article
        copied = inside and 2 * sum(counts[k] > 1 for k in keys[i:j]) >= len(run)
        if run and (copied or structure_kind(run, lines[i - 1] if i else "") or _numeric(run)):
            out.update(range(i, j))
        elif run:
            in_run = Counter(keys[i:j])
            again = [in_run[key] > 1 for key in keys[i:j]]
            if sum(again) >= PLAN_SHARE * len(run):  # a plan or schedule: its labels recur under each part
                out.update(range(i, j))
            for k in range(len(run)):
                window = run[max(0, k - TABLE_WINDOW) : k + TABLE_WINDOW + 1]
                if again[k] or (len(window) >= 3 and is_table(window)):
                    out.add(i + k)
        i = j + 1
    return out


MIN_PAGE_LINES = 6  # a whole page has many lines: a short note or a feed entry (a title and a line) is no page


@check("RES017", "residue", "info", fix="none", label="line shaped like page furniture (learned)")
def learned_residue(view: TextView) -> Iterator[Hit]:
    """Lines a model of page structure takes for residue: short, unpunctuated, off the article's terms, at its edges.

    Boosted decision stumps (audit/linemodel.py, model in audit/data/residue_model.tsv) score each line
    of an English text from how the page is built, not from any site's words: its length against the
    document's prose, sentence punctuation, capitals, digits, separators, URLs, where it sits, whether
    its neighbours are short too, whether its content words occur elsewhere in the document, quotation,
    function words and verbs of saying. Only whole pages are scored (at least 6 lines, 70% of them short:
    an extractor's whole-page text), never an extracted article or a short note, and no line of running prose (30+ words
    ending like a sentence). Trained, and its threshold chosen, by leave-pages-out cross-validation
    (tools/train_residue_model.py; figures in the README, Measured quality). It is `info` and never
    edits the text: a page of short lines that are content (a poem, lyrics) can fire, and on pages
    unlike the training pages it cannot promise the precision that `audit fix` needs.
    """
    body = view.body[:MAX_LINES]
    if len(body) < MIN_PAGE_LINES or not view.is_english:
        return
    model = shipped_model()
    lines = [ln.text for ln in body]
    feats = document_features(lines)
    content = structured_lines(lines) if any(x is not None for x in feats) else set()
    for i, (ln, x) in enumerate(zip(body, feats, strict=True)):
        p = model.probability(x) if x is not None and i not in content else 0.0
        if p > model.threshold:
            yield Hit(*ln.span, f"line shaped like page furniture (model {p:.2f})", None, round(p, 3))
