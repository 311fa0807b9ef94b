"""Boilerplate author bios, promotional blurbs and contact lines.

`audit fix --select bio` deletes what these checks flag, so a finding must be a bio, not a sentence of
the story that happens to name a reporter. A bio is told apart by where it sits and how it is built:
it is a short paragraph at an edge of the text (after the article, or among the byline lines at the
top), it is about the writer (the first person, `The author is ...`, or a name the story never
mentions), and it quotes nobody. Phrases are data (`audit/data/bio_cues.txt`); the grammar is here.
The checks look at English text only: the cues are English.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from audit.checks.structure import (
    closes_notice,
    in_data_block,
    in_programme,
    in_sender_contact,
    is_office_contact,
    under_media_contact,
)
from audit.data import load_list, trie_pattern
from audit.records import Hit
from audit.registry import check
from audit.scan import ALL
from audit.text import Line, TextView, word_count

HEAD_LINES = 3  # the headline and byline lines at the top
TAIL_MIN_LINES = 3  # the tail is the last third of the lines, and at least this many
BIO_WORDS = 90  # a bio paragraph is at most this long
AUTHOR_IS_WORDS = 45  # `The writer is ...` notes are one or two sentences
HEADER_BODY_WORDS = 120  # the paragraph under an `About the author` header
CONTACT_WORDS = 40  # a contact line at an edge of the text
OWN_LINE_WORDS = 12  # a contact line this short is flagged wherever it stands
PROSE_WORDS = 12  # a line this long before the bio is story text, where its subject would be named


@functools.cache
def _phrases(kind: str) -> tuple[str, ...]:
    """The entries of one kind in `audit/data/bio_cues.txt` (`kind: phrase` lines)."""
    out = []
    for entry in load_list("bio_cues"):
        k, _, phrase = entry.partition(":")
        if k.strip() == kind and phrase.strip():
            out.append(phrase.strip())
    return tuple(out)


def _alternation(kind: str) -> str:
    """One kind's phrases as a pattern; an apostrophe matches both ' and ’."""
    return trie_pattern(list(_phrases(kind))).replace("'", "['’]")


@functools.cache
def _cue(kind: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + _alternation(kind) + r")(?!\w)", re.IGNORECASE)


_STOP = r"(?:at|for|of|in|on|with|who|whose|which|that|and|or|to|from|by|but|is|was|has|said)"
_MODIFIERS = r"(?:(?!" + _STOP + r"\b)[\w&'’.-]+,?\s+){0,5}?"  # "senior", "award-winning", "Ideas"
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:(?:de|da|van|von|der|den|bin|al|el|la|le|di|du)\s+)?[A-Z][\w'’.-]+){0,3}"
_PERSON = r"(?!The\s)[A-Z][\w'’.-]+(?:\s+(?:(?:de|da|van|von|der|den|bin|al|el|la|le|di|du)\s+)?[A-Z][\w'’.-]+){1,3}"
_OUTLET_POSSESSIVE = r"[A-Z][\w&.'’ -]{0,40}?['’]s"
_SPEECH = re.compile(r"\b(?:said|says|told|asked|added|according to)\b|^\s*[\"“”‘']")
_ATTRIBUTION = re.compile(r"\b(?:citing|quoting|(?:reports|reported|writes|wrote)\s+that|with\s+reference\s+to)\b")
_FIRST_PERSON = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|[Mm]y|[Mm]e)\b")
_PRONOUN_START = re.compile(r"^[\s*_]*(?:She|He|They|Her|His|Their)\b")


@functools.cache
def _role() -> str:
    return r"(?:" + _alternation("role") + r")s?(?!\w)"


@functools.cache
def _self_role() -> re.Pattern[str]:
    """`I am a freelance journalist`, `I work as a writer`, `As a reporter, I`."""
    verbs = r"(?:I\s+am|I['’]m|I\s+work(?:ed)?\s+as|I\s+have\s+been|I['’]ve\s+been|I\s+was|[Aa]s)"
    return re.compile(r"(?<!\w)" + verbs + r"\s+(?:an?|the)\s+" + _MODIFIERS + _role(), re.IGNORECASE)


@functools.cache
def _experience() -> re.Pattern[str]:
    """`15 years in journalism`, `years of experience in broadcast news`, `a decade as a reporter`."""
    field = r"(?:" + _alternation("field") + r")(?!\w)"
    return re.compile(
        r"(?<!\w)(?:years|a\s+decade|decades)\s+(?:of\s+(?:experience|work)\s+)?"
        r"(?:in\s+" + _MODIFIERS + field + r"|as\s+an?\s+" + _MODIFIERS + _role() + ")",
        re.IGNORECASE,
    )


_CUE_PATTERNS = {"role": _self_role, "experience": _experience}


def _tail_start(view: TextView) -> int:
    n = len(view.body)
    return n - max(TAIL_MIN_LINES, n // 3)


def _edge_lines(view: TextView, head: bool) -> Iterator[tuple[int, Line]]:
    """(index, line) of the body lines at the end of the text and, with `head`, at its top."""
    tail = _tail_start(view)
    for i, line in enumerate(view.body):
        if i >= tail or (head and i < HEAD_LINES):
            yield i, line


def _short(s: str, max_words: int, min_words: int = 1) -> bool:
    return len(s) <= 12 * max_words and min_words <= word_count(s) <= max_words


def _merged_cues(s: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(text, kind) of the cues in `s`; overlapping matches count once, under the strongest kind."""
    spans = []
    for kind in kinds:
        pattern = _CUE_PATTERNS[kind]() if kind in _CUE_PATTERNS else _cue(kind)
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(s)]
    merged: list[list] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if last[2] == "life":
                last[2] = kind
        else:
            merged.append([start, end, kind])
    return [(s[a:b].lower(), k) for a, b, k in merged]


@check("BIO001", "bio", "warning", fix="remove", label="first-person author bio", role="generic_bio")
def self_promotion(view: TextView) -> Iterator[Hit]:
    """First-person author bios: `I am a journalist based in Nairobi. My work has appeared in ...`.

    A paragraph of at most 90 words in the last third of the text, in the first person, quoting
    nobody, with two bio cues from `audit/data/bio_cues.txt` of which one is about writing: a role
    (`I work as a freelance reporter`, `As a writer, I`), years in a line of work (`15 years in
    broadcast news`) or a career phrase (`my work has appeared in`, `I write about`); details such as
    `based in` only support.
    """
    if not view.is_english:
        return
    for _, line in _edge_lines(view, head=False):
        s = line.text
        if not _short(s, BIO_WORDS, 4) or not _FIRST_PERSON.search(s) or _SPEECH.search(s):
            continue
        cues = _merged_cues(s, ("role", "experience", "self", "life"))
        if len(cues) >= 2 and any(kind != "life" for _, kind in cues):
            yield Hit(*line.span, "first-person author bio: " + "; ".join(sorted(t for t, _ in cues)), "")


@functools.cache
def _blurb() -> re.Pattern[str]:
    """`<Name> is a senior reporter at ...`, `<Name> writes about ...`, `<Name> covers X for Y`."""
    subject = r"(?P<name>" + _PERSON + r")(?:\s*\([^()\n]{1,40}\))?,?"
    is_role = (
        r"(?:is|was|has\s+been|serves\s+as|works\s+as)\s+(?:an?|the|"
        + _OUTLET_POSSESSIVE
        + r")\s+"
        + _MODIFIERS
        + _role()
    )
    covers = r"covers\s+[^.;\n]{1,80}?\s+(?:for|at)\s+(?:the\s+)?[A-Z]"
    lead = r"(?:" + _alternation("lead") + r")(?!\w)(?!\s+(?:this|that|it|these|those|him|her|them)\b)"
    return re.compile(r"^[\s*_>]*" + subject + r"\s+(?:" + is_role + "|" + covers + "|" + lead + ")")


@functools.cache
def _role_first() -> re.Pattern[str]:
    """`Staff writer Jane Roe covers ...`, `Senior reporter John Doe writes about ...`: the role before the name."""
    role = r"(?:[A-Z][\w-]*\s+)?(?:[\w-]+\s+)?" + _role()
    verbs = r"(?:covers|writes|reports|has\s+(?:covered|written|reported))\b"
    return re.compile(r"^[\s*_>]*" + role + r"\s+(?P<name>" + _PERSON + r")\s+" + verbs)


_AUTHOR_IS = re.compile(
    r"^[\s*_>]*The\s+(?:authors?|writers?|columnist|reporter)\s+(?:is|are|was)\s+(?:an?|the)\s+\w"
    r"|^[\s*_>]*The\s+(?:authors?|writers?|columnist|reporter)\s+(?:teaches|works|lives|holds|covers|writes)\b"
)


def _named_elsewhere(view: TextView, i: int, name: str) -> bool:
    """True when a paragraph of the story other than line `i` names this person: the blurb is about
    someone the story reports on, not about its writer."""
    surname = re.sub(r"['’]s$", "", name.split()[-1])
    pattern = re.compile(r"(?<!\w)" + re.escape(surname) + r"(?!\w)")
    return any(
        j != i and word_count(ln.text) >= PROSE_WORDS and pattern.search(ln.text) for j, ln in enumerate(view.body)
    )


def _is_blurb(view: TextView, i: int, s: str) -> bool:
    """A third-person bio paragraph about the writer. (The openings are matched first: they are anchored
    and fail at once on most lines, where the searches for speech and attribution scan the whole line.)"""
    if _AUTHOR_IS.match(s):
        return _quotes_nobody(s) and _short(s, AUTHOR_IS_WORDS)
    name = _NAME_START.match(s)
    m = _blurb().match(s) or _role_first().match(s) or (name if name and _pronoun_lead().search(s) else None)
    if not m or not _quotes_nobody(s) or _cue("org").search(m.group("name")):
        return False
    return not _named_elsewhere(view, i, m.group("name"))


def _quotes_nobody(s: str) -> bool:
    """A paragraph short enough for a bio (BIO_WORDS) that quotes and cites nobody."""
    return _short(s, BIO_WORDS) and not _SPEECH.search(s) and not _ATTRIBUTION.search(s)


_NAME_START = re.compile(r"^[\s*_>]*(?P<name>" + _PERSON + r")(?![\w'’.-])")


@functools.cache
def _pronoun_lead() -> re.Pattern[str]:
    """`She has been writing about ...` inside a paragraph that opens with a name."""
    return re.compile(r"\b(?:She|He|They)\s+(?:" + _alternation("lead") + r")(?!\w)")


def _continues_blurb(s: str) -> bool:
    """`She previously worked at ...`: a further paragraph of the same bio."""
    if not _PRONOUN_START.match(s) or _SPEECH.search(s) or not _short(s, BIO_WORDS):
        return False
    return bool(_merged_cues(s, ("life", "lead", "contact")) or re.search(_role(), s, re.IGNORECASE))


@functools.cache
def _header() -> re.Pattern[str]:
    return re.compile(r"^[\s*_#>]*(?:" + _alternation("header") + r")[\s:.*_]*$", re.IGNORECASE)


# `About <Name>`, and the same header in the languages of other news sites (`Sobre`, `Über`, `Acerca de`,
# `À propos de`, Dutch `Over`): words of those languages' author boxes, not taken from any page
_ABOUT_NAME = re.compile(r"^[\s*_#>]*About\s+(?P<name>" + _NAME + r")[\s:*_]*$")
_ABOUT_NAME_INTL = re.compile(
    r"^[\s*_#>]*(?:Sobre|Über|Acerca\s+de|À\s+propos\s+de|Over)\s+(?P<name>" + _NAME + r")[\s:*_]*$"
)


def _bio_header(view: TextView, i: int, about: re.Pattern[str] = _ABOUT_NAME) -> bool:
    """`About the author`, or `About <Name>` (`about`) over a paragraph that names the same person."""
    s = view.body[i].text
    if word_count(s) > 6:
        return False
    if about is _ABOUT_NAME and _header().match(s):
        return True
    m = about.match(s)
    nxt = view.body[i + 1].text if i + 1 < len(view.body) else ""
    if m is None or _ORGANISATION.search(nxt):
        return False  # (`About Harbour Foods` over `... was founded in 1952 and employs 400 people`: a release's own)
    return re.search(r"(?<!\w)" + re.escape(m.group("name").split()[-1]) + r"(?!\w)", nxt) is not None


# what an organisation's `About` paragraph says of it, not a person's: founded or based somewhere, employing people,
# a company, a charity, a group (the boilerplate a press release ends with)
_ORGANISATION = re.compile(
    r"\b(?:was|were)\s+(?:founded|established|formed|set\s+up|incorporated)\b|\bemploys\b|\bis\s+headquartered\b"
    r"|\bis\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:company|firm|group|charity|organi[sz]ation|business|provider"
    r"|manufacturer|co-?operative|developer|retailer|publisher|network|association|foundation|trust|agency)\b",
    re.IGNORECASE,
)


def _named_bio_box(view: TextView) -> Iterator[Hit]:
    """In a text not in English, only `About <Name>` (in its language) over a paragraph that names the person."""
    body = view.body
    for i, line in _edge_lines(view, head=True):
        if _bio_header(view, i, _ABOUT_NAME_INTL):
            yield Hit(*line.span, "author bio header", "")
            if i + 1 < len(body) and _short(body[i + 1].text, HEADER_BODY_WORDS):
                yield Hit(*body[i + 1].span, "author bio under a header", "")


@check("BIO002", "bio", "warning", fix="remove", label="author blurb", role="generic_bio")
def author_blurb(view: TextView) -> Iterator[Hit]:
    """Third-person author blurbs: `Jane Roe is a senior reporter at The Courier`, `About the author`.

    A short paragraph (at most 90 words) at the top or in the last third of the text that opens with
    a person's name (not an organisation's: `Harbor Review writes about this` is an attribution) and a
    writer's role or work (`is a staff writer at`, `writes about`, `covers X for Y`, `is the author
    of`), or that opens with a name and goes on `She has been writing about ...`, or that opens with
    `The writer is ...`. It is not a speaker's bio in a programme, under a session that opens with its time
    (`11:30 Panel: ...`, two such times near it: structure.in_programme). It quotes and cites nobody (`Al Jazeera reports on the talks, citing ...` is
    an attribution), and no other paragraph of the story names that person (so `Smith is a senior
    official at the ministry` in a story is not a bio).
    A bio header flags itself and the paragraph under it; `She previously worked at ...` after a
    blurb is flagged with it. In a text not in English only `About <Name>` in its language (`Sobre Ana
    Lima`, `Über Jan Keller`) over a paragraph that names the person is flagged.
    """
    body, done = view.body, set()
    if not view.is_english:
        yield from _named_bio_box(view)
        return
    for i, line in _edge_lines(view, head=True):
        if i in done:
            continue
        if _bio_header(view, i):
            yield Hit(*line.span, "author bio header", "")
            if i + 1 < len(body) and _short(body[i + 1].text, HEADER_BODY_WORDS):
                done.add(i + 1)
                yield Hit(*body[i + 1].span, "author bio under a header", "")
        elif _is_blurb(view, i, line.text) and not in_programme(view.body_texts, i):
            yield Hit(*line.span, "third-person author blurb", "")
            for j in range(i + 1, min(i + 3, len(body))):
                if not _continues_blurb(body[j].text):
                    break
                done.add(j)
                yield Hit(*body[j].span, "third-person author blurb (continued)", "")


_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}\b")
_FOLLOW = re.compile(
    r"\bfollow\s+(?:me|him|her|them|us|@\w{2,30}|[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+){0,2})\s+on\s+"
    r"(?:Twitter|X|Facebook|Instagram|LinkedIn|Threads|Bluesky|Mastodon|TikTok|YouTube|Substack)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^[\s*_]*(?:e-?mail|twitter|contact|instagram|linkedin|bluesky)\s*:|^\s*@\w{2,30}\s*$", re.I)


def _contact_cue(s: str) -> bool:
    return bool(_cue("contact").search(s) or _FOLLOW.search(s) or _LABEL.search(s))


def _not_an_authors(lines: list[str], i: int) -> bool:
    """Line i is data or a press release's own contact, not the author's: it sits in a table or a listing
    (`| ana@example.com | 17 |`: structure.in_data_block), or in a release's contact block under a media-contact
    label (`Media contact:`, `Press enquiries`, `Notes to editors`, `Pressekontakt`: structure.under_media_contact),
    where a release names its press office, or the named contact that closes a notice with an agenda (`Clerk: Jane
    Roe, Tel: ...`: structure.closes_notice), or the unheaded contact block that ends a release under its sender's
    role (`Communications Manager` over a number: structure.in_sender_contact), or a line that points to an office or
    a club's officer (`Enquiries: ...`, `Contact the club secretary ...`: structure.is_office_contact)."""
    return (
        under_media_contact(lines, i)
        or in_data_block(lines, i)
        or closes_notice(lines, i)
        or in_sender_contact(lines, i)
        or is_office_contact(lines[i])
    )


def _lone_addresses(view: TextView) -> Iterator[Hit]:
    """Lines that are an e-mail address alone, in any language (`jroe@example.com`)."""
    emails = view.candidates(_EMAIL)
    for i, line in enumerate(view.body):
        if line.index in emails and len(line.text) <= 120 and _EMAIL.fullmatch(line.text.strip()):
            if not _not_an_authors(view.body_texts, i):
                yield Hit(*line.span, "author contact line", "")


@check("BIO003", "bio", "warning", fix="remove", label="author contact line")
def contact_line(view: TextView) -> Iterator[Hit]:
    """Author contact lines: e-mail addresses, `Follow her on Twitter @handle`, `can be reached at`.

    A line of its own (at most 12 words) with an address or a contact phrase, anywhere; or a line of
    at most 40 words at the top or in the last third of the text with a contact phrase (`can be reached
    at`, `Follow her on X`, `Email:`) that quotes nobody. An address in a sentence of the story
    (`Requests can be sent by e-mail to ...`) is left alone, and so are addresses that are not an
    author's: in a table or a listing (SQL output), and a press release's own contact block (a
    `Media contact:` or `Notes to editors` line and the three lines under it, or up to six short lines
    under it that are not sentences: a name, a role, `T:`, `M:`, `E:`). In a text not in English,
    only a line that is an address alone is flagged.
    """
    if not view.is_english:
        yield from _lone_addresses(view)
        return
    tail = _tail_start(view)
    lines = [view.candidates(rx) for rx in (_cue("contact"), _FOLLOW, _LABEL, _EMAIL)]
    maybe = ALL if any(c is ALL for c in lines) else set().union(*lines)  # the lines some pattern can match
    for i, line in enumerate(view.body):
        s = line.text
        if line.index not in maybe:
            continue  # none of the patterns can match this line
        if _short(s, OWN_LINE_WORDS):
            found = _contact_cue(s) or _EMAIL.search(s)
        else:
            edge = i < HEAD_LINES or i >= tail
            found = edge and _short(s, CONTACT_WORDS) and not _SPEECH.search(s) and _contact_cue(s)
        if found and not _not_an_authors(view.body_texts, i):
            yield Hit(*line.span, "author contact line", "")
