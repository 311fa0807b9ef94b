"""Boilerplate author bios, promotional blurbs and contact lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from audit.data import phrase_regex
from audit.model import Hit
from audit.registry import check
from audit.text import TextView, word_count

SHORT_LINE_CHARS = 1000
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|me)\b")


@check("BIO001", "bio", "warning", fix="remove")
def self_promotion(view: TextView) -> Iterator[Hit]:
    """First-person author bios: `With a wealth of experience honed over 4+ years in journalism, I bring...`.

    A paragraph of at most 120 words qualifies when it speaks in the first person and uses at least two
    career or self-promotion phrases from `audit/data/bio_cues.txt`.
    """
    cues = phrase_regex("bio_cues")
    for line in view.body:
        s = line.text
        n = word_count(s)
        if n < 8 or n > 120 or not _FIRST_PERSON.search(s):
            continue
        found = {m.group().lower() for m in cues.finditer(s)}
        if len(found) >= 2:
            yield Hit(*line.span, "first-person author bio: " + ", ".join(sorted(found)), "")


_ROLE = (
    r"(?:reporter|writer|editor|journalist|correspondent|columnist|contributor|curator|producer|author|blogger|"
    r"analyst|photographer|photojournalist|freelancer|intern|anchor|host|critic|news\s+editor|staff\s+writer)"
)
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
_THIRD_PERSON = re.compile(
    r"^\s*" + _NAME + r"\s+(?:is|was|has been|serves as)\s+(?:a|an|the|[A-Z][\w&.'’ -]{0,40}?['’]s)\s+"
    r"(?:[\w,&'’-]+\s+){0,6}?" + _ROLE + r"s?\b"
)
_ABOUT = re.compile(r"^\s*(?:about the author|about the writer|about us|sobre|über|a propos de|à propos de)\b", re.I)


@check("BIO002", "bio", "warning", fix="remove")
def author_blurb(view: TextView) -> Iterator[Hit]:
    """Third-person author blurbs: `Eric Song is IGN's deal curator and ...`, `About the author`.

    Only short paragraphs (at most 80 words) in the first three or the last third of the lines count,
    so that a reporter mentioned inside a story is not flagged.
    """
    body = view.body
    n = len(body)
    for i, line in enumerate(body):
        if not (i < 3 or i >= n - max(3, n // 3)):
            continue
        s = line.text
        if len(s) > SHORT_LINE_CHARS or word_count(s) > 80:
            continue
        if _THIRD_PERSON.match(s):
            yield Hit(*line.span, "author blurb", "")
        elif _ABOUT.match(s) and word_count(s) <= 6:
            yield Hit(*line.span, "author section header", "")
            if i + 1 < n and word_count(body[i + 1].text) <= 120:
                yield Hit(*body[i + 1].span, "author blurb under an 'about' header", "")


_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}\b")
_CONTACT = re.compile(
    r"\b(?:can|may) be (?:reached|contacted|emailed) at\b|\bfollow (?:him|her|them|me|us|@?\w+) on "
    r"(?:twitter|x|facebook|instagram|linkedin|threads|bluesky)\b|\bcontact the (?:author|writer|reporter)\b"
    r"|^\s*(?:email|e-mail|twitter|contact)\s*:|^\s*@\w{2,30}\s*$",
    re.IGNORECASE,
)


@check("BIO003", "bio", "warning", fix="remove")
def contact_line(view: TextView) -> Iterator[Hit]:
    """Author contact lines: e-mail addresses, `Follow her on Twitter @handle`, `can be reached at`.

    Lines of at most 40 words; an e-mail address inside a long paragraph is left alone.
    """
    for line in view.body:
        s = line.text
        if len(s) > SHORT_LINE_CHARS or word_count(s) > 40:
            continue
        if _CONTACT.search(s) or _EMAIL.search(s):
            yield Hit(*line.span, "author contact line", "")
