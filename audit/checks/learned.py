"""Residue found by a learned model of page structure (RES017), beside the pattern and layout checks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from audit.checks.residue import is_ui_label
from audit.checks.structure import (
    announces_list,
    heads_first_paragraph,
    heads_its_items,
    in_contact_block,
    in_field_run,
    in_programme,
    is_section_head,
    is_table,
    is_title_case,
    names_its_items,
    structure_kind,
    titles_data,
    titles_the_text,
)
from audit.linemodel import PROSE_WORDS, DocStats, is_whole_page, line_features, shipped_model
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


ANNOUNCED_ITEMS = 3  # a lead-in over at least this many lines opens a list


def _announced(run: list[str]) -> bool:
    """A run that opens with a lead-in over ANNOUNCED_ITEMS or more lines (`The shortlisted books are` over the
    titles: structure.announces_list)."""
    return len(run) > ANNOUNCED_ITEMS and announces_list(run[0])


def _named(run: list[str], intro: str) -> bool:
    """A run of ANNOUNCED_ITEMS or more titles (every line title-cased, `is_title_case`, with no closing
    punctuation and no button among them) under a sentence that names the kind of items it holds (`... most of the
    set, which ...` over the songs: structure.names_its_items), or a run under a heading that names its items
    (`Relay winners` over the names, no button among them: structure.heads_its_items). A page's footer under its last sentence holds
    labels, bylines and sentences, not titles alone."""
    if len(run) > ANNOUNCED_ITEMS and heads_its_items(run[0]):
        return not any(is_ui_label(s) for s in run)  # `Relay winners` over the names
    if len(run) < ANNOUNCED_ITEMS or not names_its_items(intro):
        return False
    return all(is_title_case(s) and not s.rstrip().endswith(_CLOSE) and not is_ui_label(s) for s in run)


_CLOSE = (".", "!", "?", ":", ";", ",")


class Structure:
    """Which lines of a document are content by their run (`structured_lines`): what a whole run decides
    (the shared structure helper, copies, numbers, a plan's recurring labels) is worked out at once, the
    table a line makes with its neighbours only when `content` asks about that line (RES017 asks only of
    the lines its model would flag)."""

    __slots__ = ("lines", "whole", "again", "run")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.whole: set[int] = set()  # lines of runs that are content as a whole
        self.again: dict[int, bool] = {}  # a line of another run: whether it recurs inside its run
        self.run: dict[int, tuple[int, int]] = {}  # ... and its run's [start, end)
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
            intro = lines[i - 1] if i else ""
            if run and (copied or structure_kind(run, intro) or _numeric(run) or _announced(run) or _named(run, intro)):
                self.whole.update(range(i, j))
            elif run:
                in_run = Counter(keys[i:j])
                again = [in_run[key] > 1 for key in keys[i:j]]
                if sum(again) >= PLAN_SHARE * len(run):  # a plan or schedule: its labels recur under each part
                    self.whole.update(range(i, j))
                else:
                    for k in range(i, j):
                        self.again[k], self.run[k] = again[k - i], (i, j)
            i = j + 1

    def content(self, k: int) -> bool:
        """Whether line k is content: its run is, it recurs inside its run, or it sits in a table with
        its neighbours (TABLE_WINDOW on each side, within its run)."""
        if k in self.whole:
            return True
        if k not in self.run:
            return False  # a prose line
        if self.again[k]:
            return True
        i, j = self.run[k]
        window = self.lines[max(i, k - TABLE_WINDOW) : min(j, k + TABLE_WINDOW + 1)]
        return len(window) >= 3 and is_table(window)


def structured_lines(lines: list[str]) -> set[int]:
    """The lines of runs between prose lines that are content by the shared structure helper (a table,
    code, a list, fields, a block introduced by a sentence), that sit in a table with their neighbours,
    that recur inside their own run, numbers aside (a meal plan's `Breakfast` and `Day 2` under each day:
    a menu's copies lie in different runs, with the article between them), runs of numbers (`_numeric`),
    and runs within the article most of whose lines recur elsewhere (a list printed under each week)."""
    structure = Structure(lines)
    return {k for k in range(len(lines)) if structure.content(k)}


NOTE_WORDS = 6  # a note under a table is two or more sentences of at least this many words in all
_TWO_SENTENCES = re.compile(r"\w[.!?]\s+[A-Z0-9]")


def _content_by_place(lines: list[str], structure: Structure, i: int) -> bool:
    """Line i is content by where it stands: in a release's contact block or at its end mark (`ENDS`, `Contacts`
    over a number), in a programme or an events listing (`Saturday` over `10:00 Farmers' market`), a subhead between
    the article's paragraphs (structure.is_section_head), the page's headline over the paragraphs that take up its
    words (structure.titles_the_text), a whole page's title under its menu and over its first paragraph and body
    that is no menu label (structure.heads_first_paragraph) or over its data (structure.titles_data: a forecast's,
    a programme's), or a note of sentences right under a table or a
    listing (`Times are GMT. Add an hour from ...`)."""
    if in_contact_block(lines, i) or in_programme(lines, i) or in_field_run(lines, i):
        return True
    if is_section_head(lines, i) or titles_the_text(lines, i):
        return True  # the article's own subhead between its paragraphs, or its headline over them
    if (heads_first_paragraph(lines, i) or titles_data(lines, i)) and not is_ui_label(lines[i]):
        return True  # a whole page's title (a menu's last label over the body, `Log in`, is the menu's)
    s = lines[i].rstrip()
    note = s.endswith(".") and "..." not in s and len(s.split()) >= NOTE_WORDS and _TWO_SENTENCES.search(s) is not None
    return i > 0 and note and structure.content(i - 1)


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
    ending like a sentence), nor a line content by its place: a release's end mark and contact block, a
    programme's days and timed entries, a note of sentences under a table, the article's own subheads between its
    paragraphs and its title over them (structure.is_section_head, titles_the_text, heads_first_paragraph). Trained, and its threshold chosen, by leave-pages-out cross-validation
    (tools/train_residue_model.py; figures in the README, Measured quality). It is `info` and never
    edits the text: a page of short lines that are content (a poem, lyrics) can fire, and on pages
    unlike the training pages it cannot promise the precision that `audit fix` needs.
    """
    body = view.body[:MAX_LINES]
    if len(body) < MIN_PAGE_LINES:
        return
    lines = view.body_texts[:MAX_LINES]
    if not is_whole_page(lines) or not view.is_english:  # the cheap count first: most texts stop here
        return
    model = shipped_model()
    stats = DocStats(lines)
    structure = Structure(lines)
    for i, ln in enumerate(body):
        if stats.prose[i] >= PROSE_WORDS or i in structure.whole:
            continue
        p = model.probability(line_features(stats, i))
        if p > model.threshold and not structure.content(i) and not _content_by_place(lines, structure, i):
            yield Hit(*ln.span, f"line shaped like page furniture (model {p:.2f})", None, round(p, 3))
