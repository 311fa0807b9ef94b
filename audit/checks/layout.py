"""Residue recognised by where it sits: link lists after a section header, comment threads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from audit.checks.residue import is_link_header
from audit.model import Hit
from audit.registry import check
from audit.text import TextView, is_prose, words

_COMMENTS = re.compile(
    r"^\s*(?:\d+\s+)?(?:top rated |reader |user |latest |most recent )?comments?\s*(?:\(\d+\))?\s*:?\s*$"
    r"|^\s*(?:discussion|join the discussion|conversation|reader comments|what readers say)\s*$",
    re.IGNORECASE,
)
MAX_LINK_WORDS = 25


@check("RES011", "residue", "warning")
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
            if len(words(s)) > MAX_LINK_WORDS or (is_prose(s, 12) and j > i + 1):
                break
            if _COMMENTS.match(s):
                break
            yield Hit(*body[j].span, f"item of the link list under {body[i].text.strip()[:40]!r}", "")
            j += 1
        i = j


@check("RES012", "residue", "warning")
def comment_thread(view: TextView) -> Iterator[Hit]:
    """Reader comments: everything after a `Comments` header at the end of the page.

    The header must sit in the second half of the document; the thread runs to the end.
    """
    body = view.body
    n = len(body)
    for i, line in enumerate(body):
        if i >= n // 2 and _COMMENTS.match(line.text):
            for ln in body[i:]:
                yield Hit(*ln.span, "reader comment section", "")
            return
