"""Residue recognised by where it sits: link lists after a section header, comment threads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from audit.checks.residue import is_link_header
from audit.model import Hit
from audit.registry import check
from audit.text import TextView, is_prose, word_count, words

_COMMENTS = re.compile(
    r"^\s*(?:\d+\s+)?(?:top rated |reader |user |latest |most recent )?comments?(?:\s*\(\d+\))?(?:\s*:)?\s*$"
    r"|^\s*(?:discussion|join the discussion|conversation|reader comments|what readers say)\s*$",
    re.IGNORECASE,
)
MAX_LINK_WORDS = 25


@check("RES011", "residue", "warning", fix="remove")
def link_list(view: TextView) -> Iterator[Hit]:
    """Lists of links under a section header (`Most Popular`, `Related Topics`, `You may also like`).

    After such a header, the following short lines (headlines, at most 25 words) are flagged until a
    line of running prose ends the list.
    """
    body = view.body
    i = 0
    while i < len(body):
        if not is_link_header(body[i].text):
            i += 1
            continue
        j = i + 1
        while j < len(body):
            s = body[j].text
            if word_count(s) > MAX_LINK_WORDS or is_prose(s, 12):
                break
            if _COMMENTS.match(s):
                break
            yield Hit(*body[j].span, f"item of the link list under {body[i].text.strip()[:40]!r}", "")
            j += 1
        i = j


@check("RES012", "residue", "warning", fix="remove")
def comment_thread(view: TextView) -> Iterator[Hit]:
    """Reader comments: everything after a `Comments` header at the end of the page.

    The header must come after the first quarter of the document; the thread runs to the end.
    """
    body = view.body
    n = len(body)
    for i, line in enumerate(body):
        if i >= max(3, n // 4) and _COMMENTS.match(line.text):
            for ln in body[i:]:
                yield Hit(*ln.span, "reader comment section", "")
            return


HEAD_LINES = 8  # how far down the page header (kicker, byline, section label) can reach
BODY_WORDS = 15  # a prose line at least this long starts the article body


def _is_headline_like(s: str) -> bool:
    s = s.strip()
    ws = words(s)
    return (
        3 <= len(ws) <= 15
        and not s.endswith((".", "!", "?", ".”", '."', "…", ":"))
        and (s[0].isupper() or s[0] in "‘'\"“")
        and "://" not in s
    )


@check("RES014", "residue", "info", fix="remove")
def page_header_line(view: TextView) -> Iterator[Hit]:
    """Short labels between the headline and the article body: section names, bylines, kickers.

    Looks at the lines after the headline (the first line of at least three words, which is content)
    and before the first line of running prose, among the first 8 lines; flags those of at most 8
    words that are not sentences.
    """
    body = view.body
    head = next((i for i, ln in enumerate(body[:HEAD_LINES]) if word_count(ln.text) >= 3), 0)
    for line in body[head + 1 : HEAD_LINES]:
        s = line.text.strip()
        if is_prose(s, BODY_WORDS):
            return
        if word_count(s) <= 8 and not s.endswith((".", "!", "?", "”", '"', ":")):
            yield Hit(*line.span, "page header label before the article body", "")


TAIL_MIN_HEADLINES = 3
TAIL_BODY_WORDS = 25


@check("RES015", "residue", "warning", fix="remove")
def trailing_link_list(view: TextView) -> Iterator[Hit]:
    """A run of headlines after the article's last paragraph: related stories without a header.

    After the last prose line of at least 25 words, if at least three lines and 40% of the rest read as
    headlines (3-15 words, capitalised, no closing punctuation) and the rest is shorter than the article
    above it, the headlines are flagged, and so are the short lines (at most 30 words) between two of them.
    """
    body = view.body
    last = -1
    for i in range(len(body) - 1, -1, -1):
        if word_count(body[i].text) >= TAIL_BODY_WORDS and is_prose(body[i].text):
            last = i
            break
    if last < 0:
        return
    tail = body[last + 1 :]
    if len(tail) > last + 1:
        return  # more "tail" than article: a list that is the article itself
    n_headlines = sum(_is_headline_like(ln.text) for ln in tail)
    if n_headlines < TAIL_MIN_HEADLINES or n_headlines < 0.4 * len(tail):
        return
    marks = [i for i, ln in enumerate(tail) if _is_headline_like(ln.text)]
    for i in range(marks[0], marks[-1] + 1):
        ln = tail[i]
        if i in marks or word_count(ln.text) <= 30:
            yield Hit(*ln.span, "headline list after the article", "")


MAX_REPEATED_WORDS = 8


@check("RES016", "residue", "warning", fix="remove")
def repeated_short_line(view: TextView) -> Iterator[Hit]:
    """Short lines (under 8 words, not sentences) that occur more than once in a document: menus, repeated titles.

    Every copy is flagged except a first copy that is the headline.
    """
    seen: dict[str, int] = {}
    body = view.body
    for i, line in enumerate(body):
        if len(line.text) > 500:
            continue
        s = " ".join(line.text.split()).casefold()
        if not word_count(s) or word_count(s) >= MAX_REPEATED_WORDS or s.endswith((".", "?", "!", ":")):
            continue
        if s in seen:
            first = seen[s]
            if first >= 0:
                if first > 0:
                    yield Hit(*body[first].span, "line repeated in the document", "")
                seen[s] = -1
            yield Hit(*line.span, "line repeated in the document", "")
        else:
            seen[s] = i
