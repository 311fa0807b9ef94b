"""Residue recognised by where it sits: link lists after a section header, comment threads."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from audit.checks.residue import LEADING_DATE, is_byline_name, is_link_header, is_ui_label
from audit.checks.structure import (
    BULLET,
    KINDS,
    announces_list,
    heads_its_items,
    in_cell_grid,
    is_bulleted_titles,
    is_comma_table,
    is_event_header,
    is_intro,
    is_life_dates,
    is_list_item,
    labels_a_listing,
    names_its_items,
    structure_kind,
    under_media_contact,
)
from audit.records import Hit
from audit.registry import check
from audit.text import TextView, is_prose, word_count, words

_COMMENTS = re.compile(
    r"^\s*(?:[(\[]?\d+[)\]]?\s*)?(?:top rated |reader |user |latest |most recent )?comments?(?:\s*[(\[]\d+[)\]])?(?:\s*:)?\s*$"
    r"|^\s*(?:discussion|join the discussion|conversation|reader comments|what readers say)\s*$"
    r"|^\s*(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:responses?|repl(?:y|ies)|comments?|thoughts?)"
    r"\s+(?:to|on)\s+[“\"‘'].{1,200}$",
    re.IGNORECASE,
)
MAX_LINK_WORDS = 25


@check("RES011", "residue", "warning", fix="remove", label="list of links")
def link_list(view: TextView) -> Iterator[Hit]:
    """Lists of links under a section header (`Most Popular`, `Related Topics`, `You may also like`).

    After such a header, the following short lines (headlines, at most 25 words) are flagged until a
    line of running prose, a comment thread or a table row ends the list. A list has at least two
    items: one short line and then prose is a headline under a stray label.
    """
    body = view.body
    i = 0
    while i < len(body):
        if not is_link_header(body[i].text):
            i += 1
            continue
        j = i + 1
        while j < len(body) and not _ends_link_list(body[j].text):
            j += 1
        items = [ln for ln in body[i + 1 : j] if any(c.isalnum() for c in ln.text)]
        if len(items) >= 2 and not structure_kind([ln.text for ln in items]):
            for ln in items:
                yield Hit(*ln.span, f"item of the link list under {body[i].text.strip()[:40]!r}", "")
        i = j


LINK_QUESTION_WORDS = 15  # a question this short under a link header is a headline ("What is X and ...?")


def _ends_link_list(s: str) -> bool:
    """Prose, a comment thread or a table row ends a list of links; a short question is a headline."""
    prose = is_prose(s, 12) and not (s.rstrip().endswith("?") and word_count(s) <= LINK_QUESTION_WORDS)
    return word_count(s) > MAX_LINK_WORDS or prose or bool(_COMMENTS.match(s)) or s.count("|") >= 2


_BARE_COMMENTS = re.compile(r"^\s*(?:comments?|discussion|conversation)\s*(?::\s*)?$", re.IGNORECASE)
THREAD_MIN_PROSE = 150  # words of prose above a header for the article to be above it


def _prose_words(lines: list) -> int:
    return sum(word_count(ln.text) for ln in lines if is_prose(ln.text))


_FORM = re.compile(
    r"^\s*(?:name|e-?mail|website|your (?:name|e-?mail|comment)|comment)\s*(?:\(required\)\s*)?\*\s*$"
    r"|^\s*(?:leave a (?:reply|comment)|post a comment|add a comment|your email address will not be published)\b",
    re.IGNORECASE,
)


def _in_a_bar(body: list, i: int) -> bool:
    """True when line i sits among buttons or menu labels: a share bar or a section menu, not a header.

    A comment form around it (`Name *`, `Leave a Reply`) makes it the header of the comments after all.
    """
    if any(_FORM.match(body[k].text) for k in range(max(0, i - 3), min(len(body), i + 4))):
        return False
    near = [body[k].text for k in (i - 1, i + 1) if 0 <= k < len(body) and not _COMMENTS.match(body[k].text)]
    if any(is_ui_label(s) for s in near):
        return True
    return bool(_BARE_COMMENTS.match(body[i].text)) and len(near) == 2 and all(_is_short_label(s) for s in near)


_COMMENT_VOICE = re.compile(
    r"(?:^|\s)(?:I|I'm|I’m|I've|I’ve|my|me)\b|[!?]|\b(?:reply|says:|wrote:|ago|thanks|thank you|great|lol)\b"
    r"|\d{1,2}:\d{2}",
    re.IGNORECASE,
)


def _article_goes_on(lines: list) -> bool:
    """True when the lines after a `Comments` line read as more of the article: at least two of them
    are prose, and none has the voice or furniture of a comment (first person, `!`, `Reply`, a time)."""
    texts = [ln.text for ln in lines]
    if sum(is_prose(t) for t in texts) < 2:
        return False
    return not any(_COMMENT_VOICE.search(_QUOTED.sub("", t)) for t in texts)


_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def _is_short_label(s: str) -> bool:
    s = s.strip()
    return 0 < word_count(s) <= 4 and not s.endswith((".", "!", "?", ":", "*"))


@check("RES012", "residue", "warning", fix="remove", label="reader comments")
def comment_thread(view: TextView) -> Iterator[Hit]:
    """Reader comments: everything after a `Comments` header at the end of the page.

    The header must come after the first quarter of the document; the thread runs to the end. A
    `Comment` button in a share bar (`Tweet` / `Share` / `Comment`) or a `Comment` section in a menu is
    not a header; nor is one with the article still below it: more prose below than above (with less
    than 150 words above), or the next lines are prose without a commenter's voice (first person,
    `!`, `Reply`, times) - a comment count left in the middle of the text. A thread without a header is
    found by its furniture (`thread_by_furniture`: `Reply`, `Jane says:`, vote counts).
    """
    body = view.body
    n = len(body)
    for i, line in enumerate(body):
        if i < max(3, n // 4) or not _COMMENTS.match(line.text) or _in_a_bar(body, i):
            continue
        above = _prose_words(body[:i])
        if above < THREAD_MIN_PROSE and _prose_words(body[i + 1 :]) > above or _article_goes_on(body[i + 1 : i + 4]):
            continue
        for ln in body[i:]:
            if any(c.isalnum() for c in ln.text):
                yield Hit(*ln.span, "reader comment section", "")
        return
    span = thread_by_furniture(body)
    if span:
        for ln in body[span[0] : span[1] + 1]:
            yield Hit(*ln.span, "reader comment (a thread without a header)", "")


# the line over a comment that names its writer: `Jane says:`
_AUTHOR_MARK = r"^\s*[^\n]{1,40}\s(?:says|wrote|writes)\s*:\s*$"
_COMMENT_AUTHOR = re.compile(_AUTHOR_MARK, re.IGNORECASE)
# what only a comment thread prints around each comment: `Reply`, `Jane says:`, `Rating: 12 Votes`, `4 likes`,
# `Like · Reply · 2y`
_COMMENT_FURNITURE = re.compile(
    r"^\s*(?:reply|report|report abuse|flag|permalink|reply to this comment|show replies|load more replies)\s*$"
    r"|" + _AUTHOR_MARK + r"|^\s*rating\s*:?\s*[-+]?\d{1,5}\s*(?:votes?|points?)?\s*$"
    r"|^\s*[-+]?\d{1,5}\s*(?:votes?|points?|likes?|upvotes?|downvotes?)\s*$"
    # a comment plugin's action row: "Like · Reply · 2y", "Reply • Share ›"
    r"|^\s*(?:like|reply)(?:\s*[·•|]\s*(?:like|reply|share|report|\d{1,3}\s*[a-z]{1,5})){1,4}\s*[›»]?\s*$",
    re.IGNORECASE,
)
# when a comment was posted, on a line of its own: `2 days ago`, `3 hours ago at 07:52 am`
_COMMENT_AGE = re.compile(
    r"^\s*(?:\d{1,3}|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"(?:\s+at\s+\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?)?\s*$",
    re.IGNORECASE,
)
# a commenter's handle with the comment's age on one line: `gritstone_dave 5 hours ago`, `MarthaB 2 days ago`. The
# handle is one token that a person's name is not: with `_`, a digit or a capital inside it, or `@` before it (a
# live blog's `Jane Roe 5 hours ago` names its writer in two words, and a bare `Jane 2 hours ago` is left)
_HANDLE_AGE = re.compile(
    r"^\s*@?(?=[\w.\-]*(?:_|\d|[a-z][A-Z]))[A-Za-z][\w.\-]{1,29}\s+(?:[·•|]\s*)?"
    r"(?i:(?:\d{1,3}|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago)\s*$"
)
THREAD_MARK_CHARS = 80
THREAD_MARKS = 3  # a thread without a header shows its comment furniture at least this often ...
THREAD_GAP = 12  # ... at most this many lines apart
THREAD_TAIL = 6  # the lines after its last mark that still belong to it, when they end the page


def thread_by_furniture(body: list) -> tuple[int, int] | None:
    """The first and last line of a comment thread that has no header, or None.

    Comments print furniture that articles do not: `Reply` under each, `Jane says:` above it, a vote
    count (`Rating: 12 Votes`), a handle with the comment's age (`gritstone_dave 5 hours ago`: `_HANDLE_AGE`). At least three such marks (with the posting ages `2 days ago` between them),
    none more than 12 lines from the next, make a thread (a page an extractor left only the comments of is
    one too); it runs from the first comment (above its first mark, as far up as the next comment reaches, in
    lines under 25 words; over a time or `Jane says:`, the name on the line above) to its last mark (to the end of the page when
    at most 6 lines follow). Times alone are not enough: a live blog's entries and a list of headlines carry them too.
    """
    n = len(body)
    short = [i for i in range(n) if len(body[i].text) <= THREAD_MARK_CHARS]  # (every mark is a short line)
    marks = [i for i in short if _COMMENT_FURNITURE.match(body[i].text) or _HANDLE_AGE.match(body[i].text)]
    ages = {i for i in short if _COMMENT_AGE.match(body[i].text)}
    best: list[int] = []
    run: list[int] = []
    for i in sorted(set(marks) | ages):
        if run and i - run[-1] > THREAD_GAP:
            best = max(best, run, key=lambda r: sum(k not in ages for k in r))
            run = []
        run.append(i)
    best = max(best, run, key=lambda r: sum(k not in ages for k in r))
    if sum(k not in ages for k in best) < THREAD_MARKS:
        return None
    start, end = best[0], best[-1]
    if _is_mark_under(body[start].text):
        # a mark under its comment (`Reply`, `Like · Reply`): the first comment sits above it, as long as
        # the next one does (its name and text), in short lines (a line of 25+ words is the article's)
        back = (best[1] - best[0] - 1) if len(best) > 1 else 1
        while back > 0 and start > 0 and word_count(body[start - 1].text) < TAIL_BODY_WORDS:
            start, back = start - 1, back - 1
    elif start > 0 and _is_short_label(body[start - 1].text) and not is_prose(body[start - 1].text, 8):
        start -= 1  # the commenter's name above the first mark (a time, `Jane says:`)
    if n - 1 - end <= THREAD_TAIL:
        end = n - 1
    return start, end


def _is_mark_under(s: str) -> bool:
    """A comment's furniture printed under its text (`Reply`, a vote count) or, as boilerpipe leaves a thread,
    its writer's handle and age (`gritstone_dave 5 hours ago`, between two comments' texts): the first comment
    sits above it. `Jane says:` is printed over its comment."""
    return bool(_COMMENT_FURNITURE.match(s) and not _COMMENT_AUTHOR.match(s) or _HANDLE_AGE.match(s))


HEAD_LINES = 8  # how far down the page header (kicker, byline, section label) can reach
BODY_WORDS = 15  # a prose line at least this long starts the article body


def _header_zone(body: list) -> list:
    """The lines between the headline and the first line of running prose, among the first 8."""
    head = next(
        (i for i, ln in enumerate(body[:HEAD_LINES]) if word_count(ln.text) >= 3 and not is_ui_label(ln.text)), 0
    )
    zone = []
    for line in body[head + 1 : HEAD_LINES]:
        if is_prose(line.text.strip(), BODY_WORDS):
            break
        zone.append(line)
    return zone


@check("RES014", "residue", "info", fix="remove", label="labels above the article")
def page_header_line(view: TextView) -> Iterator[Hit]:
    """Bylines between the headline and the article body: `Jane Roe`, `JANE ROE, Staff Writer`.

    Looks at the lines after the headline (the first line of at least three words, which is content)
    and before the first line of running prose, among the first 8 lines, and flags a person's name
    on a line of its own (with a handle, role or outlet after it). A name among numbers (a table) or
    one of three or more names in a row (a cast or panel list) is content.
    """
    zone = _header_zone(view.body)
    names = [is_byline_name(ln.text) for ln in zone]
    for k, line in enumerate(zone):
        if not names[k] or sum(names[max(0, k - 2) : k + 3]) >= 3:
            continue
        near = [zone[j].text for j in (k - 1, k + 1) if 0 <= j < len(zone)]
        if any(re.search(r"\d", t) and not re.search(r"[^\W\d_]{3}", t) for t in near):
            continue  # a table cell among numbers
        if not content_in_header(view.body_texts, _body_index(view.body, line), zone[:k]):
            yield Hit(*line.span, "byline between the headline and the article body", "")


def _body_index(body: list, line) -> int:
    return next(j for j, ln in enumerate(body[:HEAD_LINES]) if ln is line)


def content_in_header(texts: Sequence[str], j: int, above: list) -> bool:
    """Line j, a name near the top, is the page's content, not its byline: an entry of a list that a lead-in above
    it introduces (`Headliners include:`), a name over or beside a life's dates (an obituary's subject:
    structure.is_life_dates), a venue under an event's date and time (structure.is_event_header), a contact's name
    in a release's contact block (structure.under_media_contact), a cell of a table left one cell a line
    (structure.in_cell_grid), or a name the headline names (`named_above`: an interview's subject under `Five
    minutes with Tomas Reilly`)."""
    if any(is_intro(ln.text) for ln in above) or any(is_life_dates(t) for t in texts[max(0, j - 1) : j + 2]):
        return True
    if named_above(texts, j):
        return True
    return (j > 0 and is_event_header(texts, j - 1)) or under_media_contact(texts, j) or in_cell_grid(texts, j)


def named_above(texts: Sequence[str], j: int) -> bool:
    """The name on line j (two to four capitalised words, a role after a comma aside) is one the headline names
    (`Five minutes with Tomas Reilly` over `Tomas Reilly`): the article's subject printed under its title, not its
    writer, whom the title does not name. The headline is the first line of three or more words above it that is no
    sentence, its site's name after a separator (`... | Example News`) cut; every word of the name must be in it."""
    part = texts[j].split(",", 1)[0].strip()
    ws = words(part)
    if not 2 <= len(ws) <= 4 or not all(w[:1].isupper() for w in ws):
        return False
    head = next((t for t in texts[:j] if word_count(t) >= 3), "")
    if is_prose(head, 8):
        return False  # the text's first sentence, no headline
    named = {w.casefold() for w in words(_SITE_SUFFIX.split(head, maxsplit=1)[0])}
    return all(w.casefold() in named for w in ws)


_SITE_SUFFIX = re.compile(r"\s[|–—-]\s")


_NUMBER = re.compile(r"^[\d.,:%$€£+\-–/]+$")
_LIST_NUMBER = re.compile(r"^\d+\s*(?:[.)\]:|\-–—]|$)")


def _is_headline_like(s: str) -> bool:
    """A line that reads as a headline: 4-15 words, capitalised, no closing punctuation, not a list entry.

    Lines that open with a list number (`1.`, `2)`) or a date, hold table cells (`|`) or many numbers,
    or close on an attribution in brackets are list and table entries (tour dates, scores, quotations).
    """
    s = BULLET.sub("", s.strip(), count=1)
    ws = words(s)
    if not 4 <= len(ws) <= 15 or s.endswith((".", "!", ".”", '."', "…", ":", ")")):
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "‘'\"“") or "://" in s or "|" in s:
        return False
    if LEADING_DATE.match(s) or _LIST_NUMBER.match(s) or _NOT_A_LINK.match(s) or _CONJUNCTION.match(s):
        return False  # (`And the wood has promises to keep`: a line of verse or of a sentence, no headline)
    if _SAID_QUOTE.search(s):
        return False  # (`"We need the road," said a shopkeeper`: the article quoting; a headline `says`)
    if s[0].isdigit() and 2 * sum(w[0].isupper() for w in ws) < len(ws):
        return False  # "1 large or 1200 g whole chicken": a quantity, not "15 Amazing Images of Stars"
    tokens = s.split()
    return sum(bool(_NUMBER.match(t)) for t in tokens) < 0.3 * len(tokens)


_SAID_QUOTE = re.compile(r"[”\"’],?\s+said\b|\bsaid\s+[“\"‘]", re.IGNORECASE)
_CONJUNCTION = re.compile(r"^\W*(?:and|but|or|nor|so|yet)\s", re.IGNORECASE)
_NOT_A_LINK = re.compile(r"^(?:Q|A|Q\d{1,2}|A\d{1,2})\s?:\s|^About\s")
"""`Q: Favourite apps?` and `A: ...` (an interview's lines) and `About Example Health` (a press release's
boilerplate header) are not links to other stories."""
TAIL_MIN_HEADLINES = 3
TAIL_CONTENT = (
    "introduced",
    "code",
    "list",
    "table",
    "info",
    "signatures",
)  # `Email: ...` fields under an article are its footer
TAIL_BODY_WORDS = 15
LIST_REACH = 6  # a numbered list whose entries lie this close above the tail is the article's, going on


@check("RES015", "residue", "warning", fix="remove", label="related headlines after the article")
def trailing_link_list(view: TextView) -> Iterator[Hit]:
    """A run of headlines after the article's last paragraph: related stories without a header.

    After the last prose line of at least 15 words, if at least three lines and 40% of the rest read as
    headlines (4-15 words, capitalised, no closing punctuation, not a numbered or dated list entry) and the
    rest has fewer words than the article above it (and the article does not end in a numbered list, `3.
    The Salt Roads by ...`, whose further titles follow it), the headlines are flagged, and so are the short lines (at most 30 words) between two of them.
    Headlines that are structured content (introduced by a line ending in `:` or announced by the last sentence,
    `The winners are listed below.`: structure.announces_list; a table, code, a numbered
    list or steps; `audit/checks/structure.py`) are the article's, and so are lines that carry one another on (one
    after the first opening with `It`, `They`, `And`, `But`: verse, a sentence broken over lines); bullets before titles
    (`- 11 Fascinating Facts About Our Galaxy`) mark links, not a list of the article's.
    Also two or more short lines (at most 15 words, no closing punctuation) that end the body after a share or
    print button below the last paragraph: headlines or tags (`Running`, `Coastal Marathon`), whatever their length.
    And, after or between the article's paragraphs, runs of other stories' teasers as boilerpipe leaves them
    (whole sentences, no header: it drops the linked titles and keeps their summaries): three or more lines in
    a row (two where they end the body) of 6-35 words, or headlines, that share at most one of the recurring
    content words of the rest, with no quotation, no verb of saying and no opening that carries on the sentence
    before (`He`, `But`, `This`), in a document with 150 words of article besides that repeats its own key
    terms (a digest of unrelated briefs does not); times and labels between them go with them
    (`teaser_run_lines`). And the topic tags that end the body under its last sentence,
    without a label (a bio above them often): three or more lines of at most 3 words, one in lower case or four
    or more of them, none naming a role (a signature) (`tag_tail`).
    On a short news page whose last paragraph is a sentence of 8-14 words, three or more headlines under it and
    nothing else are other stories' too (`_short_article_tail`). And, as boilerpipe leaves related stories, two or
    more pairs of a headline over a one-sentence standfirst that end the body under an article of three or more
    lines without subheadings of its own (`teaser_pairs`).
    A press release's contact block within RELEASE_REACH lines under the last paragraph (`Contact` over a number, `ENDS`, `Press office`:
    structure.under_media_contact) is its sender's, and no headline or tag after the article is flagged then.
    """
    body = view.body
    last = -1
    for i in range(len(body) - 1, -1, -1):
        if word_count(body[i].text) >= TAIL_BODY_WORDS and is_prose(body[i].text):
            last = i
            break
    if last < 0:
        return
    # (a release's contact block under a `Contact` heading or `ENDS` is its sender's, not headlines or tags)
    texts = view.body_texts
    release = any(under_media_contact(texts, k) for k in range(last + 1, min(len(body), last + 1 + RELEASE_REACH)))
    after = [] if release else _after_furniture(body, last)
    for ln in after:
        yield Hit(*ln.span, "headline or tag list after the article's share bar", "")
    if not after and not release:
        after = tag_tail(body)
        for ln in after:
            yield Hit(*ln.span, "topic tags that end the body", "")
    taken = {ln.index for ln in after}
    for hit in () if release else _short_article_tail(body, last, taken):
        taken.add(hit.index)
        yield hit.finding
    for k in teaser_run_lines(texts):
        if body[k].index not in taken:
            taken.add(body[k].index)
            yield Hit(*body[k].span, "teaser of another story amid the article", "")
    for k in () if release else teaser_pairs(texts):
        if body[k].index not in taken:
            yield Hit(*body[k].span, "another story's headline and standfirst after the article", "")


PAIR_RUN = 2  # at least this many headline-and-standfirst pairs end the body ...
STANDFIRST_WORDS = (6, 30)  # ... each standfirst one sentence of this many words
PAIR_ARTICLE = 3  # ... under an article of at least this many lines
_QUOTE_OR_SAID = re.compile(r"[\"“”„«»]|\b(?:said|says|told)\b", re.IGNORECASE)


def teaser_pairs(texts: Sequence[str]) -> list[int]:
    """Related stories as boilerpipe leaves them after the article: the body ends in two or more pairs of a
    headline (`_is_headline_like`, no question) over a standfirst of one sentence (6-30 words, full stop, no
    quotation or verb of saying, not opening on a word that carries the line above on), under a sentence of the article, which has
    three or more lines (a title and a standfirst over the pairs are a reading list's: `Title by Author` over
    its synopsis). An article's own sections are not taken: the article above has no heading-shaped line of its own after its
    title, most headlines do not open with a question word (`What happens next`: an explainer's), the line
    above the pairs is no lead-in (`:`, structure.announces_list), and at most half of the
    standfirsts take up a content word of their headline (a subheading's paragraph does: `How the fund works`
    over `The fund pays ...`). Returns the lines' indexes."""
    k = len(texts)
    while k >= 2 and _is_standfirst(texts[k - 1]) and _is_pair_headline(texts[k - 2]):
        k -= 2
    pairs = (len(texts) - k) // 2
    if pairs < PAIR_RUN or k < PAIR_ARTICLE:
        return []  # (a title and a standfirst over the pairs: a reading list or a listing page, not an article)
    above = texts[k - 1].rstrip()
    if not is_prose(above) or not above.endswith((".", "!", ".”", '."')) or announces_list(above):
        return []
    if structure_kind(texts[k::2], above, kinds=TAIL_CONTENT):
        return []  # (the headlines a list or a table of the article's)
    if any(_is_headline_like(s) for s in texts[1:k]):
        return []  # an article in sections: its last ones are sections too
    if sum(bool(_WH_OPEN.match(s)) for s in texts[k::2]) >= QUESTIONS * pairs:
        return []  # (`What happens next`, `How to have your say`: an explainer's subheadings)
    taken_up = sum(bool(content_stems(texts[i]) & content_stems(texts[i + 1])) for i in range(k, len(texts), 2))
    if 2 * taken_up > pairs:
        return []
    return list(range(k, len(texts)))


def _is_pair_headline(s: str) -> bool:
    s = s.strip()
    return _is_headline_like(s) and not s.endswith("?") and not is_ui_label(s) and not _QUOTE_OR_SAID.search(s)


def _is_standfirst(s: str) -> bool:
    s = s.strip()
    n = word_count(s)
    if not STANDFIRST_WORDS[0] <= n <= STANDFIRST_WORDS[1] or not s.endswith(".") or not s[:1].isupper():
        return False
    if re.search(r"[.!?]\s+[A-Z]", s[:-1]) or _QUOTE_OR_SAID.search(s):
        return False  # (two sentences, or a quotation: the article's paragraph)
    return not (_GOES_ON.match(s) or is_list_item(s) or LEADING_DATE.match(s))


RELEASE_REACH = 4  # a release's contact label or end mark within this many lines under the last paragraph

FURNITURE_TAIL_WORDS = 15  # a headline or tag under the share bar is short
TAIL_MIN_RUN = 2
_CLOSE = (".", "!", ":", ";", ",")


def _after_furniture(body: list, last: int) -> list:
    """The lines that end the body after page furniture (a share or print button, `is_ui_label`) that
    follows the article's last paragraph (line `last`): two or more short lines (at most 15 words) that do not
    end like a sentence or a lead-in are its related headlines or its tags (`Running`, `Coastal Marathon`).
    Structured content (a list, a table, code: `audit/checks/structure.py`) is left, and a listing's category label
    (`Film` over its entries: structure.labels_a_listing) is no button."""
    texts = [ln.text for ln in body]
    marks = [i for i in range(last + 1, len(body)) if is_ui_label(body[i].text) and not labels_a_listing(texts, i)]
    if not marks:
        return []
    run = body[marks[-1] + 1 :]
    if len(run) < TAIL_MIN_RUN or structure_kind([ln.text for ln in run], kinds=TAIL_CONTENT):
        return []
    if all(0 < word_count(ln.text) <= FURNITURE_TAIL_WORDS and not ln.text.rstrip().endswith(_CLOSE) for ln in run):
        return run
    return []


FILL_WORDS = 6  # the prose lines between an explainer's subheadings have at least this many words


def recurring_stems(lines: Sequence[str]) -> set[str]:
    """The content words (`content_stems`) found on two or more of the lines: the article's own subject."""
    counts = Counter(t for s in lines for t in content_stems(s))
    return {t for t, n in counts.items() if n >= 2}


class _Taken(NamedTuple):
    index: int
    finding: Hit


TAG_WORDS, TAG_CHARS = 3, 30  # a tag is a word or a short phrase (`small business`, `City Council`)
TAG_RUN = 3
_ROLE = re.compile(
    r"\b(?:editor|director|chief|manager|officer|head|president|chair|secretary|spokes\w+|communications|press|"
    r"media|contact|professor|dr|minister|mayor|councillor|author|reporter|writer|correspondent)\b",
    re.IGNORECASE,
)


def tag_tail(body: list) -> list:
    """The topic tags that end the body under its last sentence, one a line, with no `Tags:` label or share bar
    (a bio above them often): three or more lines of at most 3 words and 30 characters that open with a letter
    (not a count, `%165 votes`), none ending like a sentence, one of them in lower case (`small business`) or four or more of them. A signature (a name, a role,
    a town) names a role or an office, and structured content (a list, a table, fields) is the article's, and so
    are the lines under a heading that names them (`Relay winners`: structure.heads_its_items)."""
    k = len(body)
    while k > 0 and _is_tag(body[k - 1].text):
        k -= 1
    run = body[k:]
    if len(run) < TAG_RUN or k == 0 or not body[k - 1].text.rstrip().endswith((".", "!", "?", ".”", '."')):
        return []
    texts = [ln.text.strip() for ln in run]
    if any(_ROLE.search(t) for t in texts) or structure_kind(texts, body[k - 1].text, kinds=TAIL_CONTENT):
        return []
    if heads_its_items(texts[0]):
        return []  # `Relay winners` over the names: the article's list
    return run if len(run) > TAG_RUN or any(t[:1].islower() for t in texts) else []


def _is_tag(s: str) -> bool:
    s = s.strip()
    return 0 < len(s) <= TAG_CHARS and s[0].isalpha() and word_count(s) <= TAG_WORDS and not s.endswith(_CLOSE + ("?",))


SHORT_LAST_WORDS = 8  # a short news page's last paragraph is a sentence of at least this many words


def _short_article_tail(body: list, last: int, taken: set[int]) -> list[_Taken]:
    """RES015's headline run after the article's last prose line of 15 words (`last`) or, where none follows it,
    after a later sentence of 8-14 words (a short news page's last paragraph, as boilerpipe keeps one: `The theatre
    has added two extra matinees.` over three headlines, nothing but headlines under it); the same guards either way
    (`_headline_tail`)."""
    found = list(_headline_tail(body, last, taken))
    if found:
        return found
    later = next(
        (i for i in range(len(body) - 1, last, -1) if is_prose(body[i].text, SHORT_LAST_WORDS)),
        last,
    )
    if later == last or not all(_is_headline_like(ln.text) for ln in body[later + 1 :]):
        return []  # (only a block of headlines under that sentence, nothing else between or after them)
    return list(_headline_tail(body, later, taken))


def _headline_tail(body: list, last: int, taken: set[int]) -> Iterator[_Taken]:
    """RES015's headline run after the article's last prose line (`last`), the lines in `taken` left out."""
    tail = body[last + 1 :]
    if sum(word_count(ln.text) for ln in tail) > sum(word_count(ln.text) for ln in body[: last + 1]):
        return  # more "tail" than article: a list that is the article itself
    if sum(bool(_LIST_NUMBER.match(ln.text)) for ln in body[max(0, last - LIST_REACH) :]) >= TAIL_MIN_HEADLINES:
        return  # the end of a numbered list (`3. The Salt Roads by ...`): titles after it go on with its list
    n_headlines = sum(_is_headline_like(ln.text) for ln in tail)
    if n_headlines < TAIL_MIN_HEADLINES or n_headlines < 0.4 * len(tail):
        return
    marks = _run_start([i for i, ln in enumerate(tail) if _is_headline_like(ln.text)], [ln.text for ln in tail])
    intro = body[last].text if marks[0] == 0 else tail[marks[0] - 1].text
    heads = [tail[i].text for i in marks]
    kinds = ("introduced", "code") if is_bulleted_titles(heads) else TAIL_CONTENT  # (`- 15 Amazing ...`: no table)
    if structure_kind(heads, intro, kinds=kinds) or announces_list(intro):
        return  # a table, a list or steps of the article, or a list its last sentence announces
    if _carried_list(body[last].text, [ln.text for ln in tail], marks):
        return
    if any(_CARRIES_ON.match(h) for h in heads[1:]):
        return  # lines that carry one another on (verse: `It leaves a shell ...`, `And winter ...`)
    if _article_sections(body[: last + 1], tail, marks):
        return
    for i in range(marks[0], marks[-1] + 1):
        ln = tail[i]
        if (i in marks or 0 < word_count(ln.text) <= 30) and ln.index not in taken:
            yield _Taken(ln.index, Hit(*ln.span, "headline list after the article", ""))


def _carried_list(last: str, tail: list[str], marks: list[int]) -> bool:
    """The run under the article's last sentence is a list the article carries: that sentence names the kind of
    items the run holds and the run starts right under it (`... the crowd sang along to most of the set` over the
    songs: structure.names_its_items), a line between them announces it (`Here is a selection of what is on.`:
    structure.announces_list), the run is a table printed with commas (structure.is_comma_table: `Norland,
    Group A, ninth appearance`), or it lies in a listing under recurring category labels
    (structure.labels_a_listing: `Music` and `Film`, each over entries of fields and numbers)."""
    if marks[0] <= 1 and names_its_items(last) or is_comma_table([tail[i] for i in marks]):
        return True
    if any(announces_list(s) for s in tail[: marks[0]]):
        return True
    return any(labels_a_listing(tail, k) for k in range(marks[-1]))


# a line that opens with a pronoun standing for something said before it or with a conjunction carries the line
# above it on (verse, a sentence broken over lines); a headline stands alone (`We tested 12 chargers` may open one)
_CARRIES_ON = re.compile(r"^\W*(?:he|she|it|they|his|her|its|their|them|and|but|or|nor|so|yet|then)\b", re.IGNORECASE)
QUESTIONS = 0.6  # this share of the headlines a question: a Q&A, not a list of other stories
_WH_OPEN = re.compile(r"^\W*(?:what|how|why|who|when|where|which)\b", re.IGNORECASE)


def _article_sections(article: list, tail: list, marks: list[int]) -> bool:
    """The headline-shaped lines with prose between them are the article's own sections, not other stories'
    headlines and teasers: most of them are questions answered by the prose under them (a Q&A, an FAQ), or most
    open with a question word (`What happens next`, `How to have your say`: an explainer's subheadings) and half
    or more of the prose lines between them share a word the article repeats (`recurring_stems`; related
    stories' teasers on the same subject share words too, so the question words are asked first)."""
    fill = [ln.text for i, ln in enumerate(tail[marks[0] : marks[-1] + 1], marks[0]) if i not in marks]
    fill = [s for s in fill if is_prose(s, FILL_WORDS)]
    if not fill:
        return False
    if sum(tail[i].text.rstrip().endswith("?") for i in marks) >= QUESTIONS * len(marks):
        return True
    if sum(bool(_WH_OPEN.match(tail[i].text)) for i in marks) < QUESTIONS * len(marks):
        return False
    recurring = recurring_stems([ln.text for ln in article])
    return 2 * sum(bool(content_stems(s) & recurring) for s in fill) >= len(fill)


def _run_start(marks: list[int], tail: list[str]) -> list[int]:
    """The headline marks of the run, a lone headline-shaped line above the article's closing sentences left out
    (a caption or a subheading, then a sentence or two of prose, then the headlines in a block: the run starts at
    the block, and the prose between is the article's)."""
    while (
        len(marks) > TAIL_MIN_HEADLINES
        and marks[1] - marks[0] > 1
        and all(b - a == 1 for a, b in itertools.pairwise(marks[1:]))
        and all(is_prose(s, 6) for s in tail[marks[0] + 1 : marks[1]])
    ):
        marks = marks[1:]
    return marks


TEASER_WORDS = (6, 35)  # a teaser of another story is one or two sentences of this many words
TEASER_TERMS = 4  # ... with at least this many content words of its own
HEADLINE_TERMS = 3  # (a headline without a full stop, 4-15 words, at least this many)
HEADLINE_WORDS = 4  # (the fewest words a teaser line has: such a headline)
TEASER_SHARED = 1  # ... at most this many of them found on two or more of the article's other lines
TEASER_RUN = 3  # at least this many such lines in a row ...
TEASER_END_RUN = 2  # ... or this many where they end the body
TEASER_APART = 2 / 3  # ... of which this share name nothing of the article at all
TEASER_ARTICLE = 150  # words of article outside the run
KEY_TERMS, KEY_TERM_LINES = 2, 3  # an article repeats at least 2 of its terms on 3 lines or more (a digest does not)
_TEASER_STOP = frozenset(
    """about above after again against along among around because been before being below between both could
    down during each every from further have having here into itself just more most other over same should some
    such than that their them then there these they this those through under until very were what when where
    which while will with would your also only even still much many well back first last next year years week
    weeks today time times make made like news people world three four five since""".split()
)
# (a look-ahead of the words' first letters: case-insensitive, each word would be tried at every character;
# a word added must begin with one of them, or widen it)
_REPORTING = re.compile(
    r"(?=[staenw])\b(?:said|says|told|tells|according\s+to|added|asked|explained|noted|wrote)\b", re.IGNORECASE
)
_GOES_ON = re.compile(
    r"^\W*(?:he|she|they|it|its|his|her|their|this|that|these|those|but|and|so|yet|however|meanwhile|also|then"
    r"|there|here|we|i|our|my|you|er|sie|es|il|elle|ils|elles|él|ella|ellos|lui|lei|loro|ele|ela|on|ona|oni)\b",
    re.IGNORECASE,
)


def teaser_shape(s: str) -> bool:
    """A line that could be another story's teaser: 6-35 words (or a headline, `_is_headline_like`), capitalised, no quotation, no verb of saying,
    not a list entry, a dated entry, a lead-in (`:`) or a question-and-answer line, and not opening with a word
    that carries on the sentence before (`He`, `But`, `This`, `Meanwhile`: the article going on)."""
    s = s.strip()
    n = word_count(s) if s else 0
    if not TEASER_WORDS[0] <= n <= TEASER_WORDS[1] and not (
        HEADLINE_WORDS <= n < TEASER_WORDS[0] and _is_headline_like(s)
    ):
        return False
    if not (s[0].isupper() or s[0].isdigit()) or s.endswith(":") or _QUOTED_MARK.search(s):
        return False
    return not (
        _GOES_ON.match(s) or is_list_item(s) or _NOT_A_LINK.match(s) or LEADING_DATE.match(s) or _REPORTING.search(s)
    )


_QUOTED_MARK = re.compile(r"[\"“”„«»]")


def content_stems(s: str) -> set[str]:
    """The line's content words (4+ letters, not common words), cut to their first five letters."""
    return {w[:5] for w in words(s.casefold()) if len(w) >= 4 and w not in _TEASER_STOP}


def _unrelated(stems: list[set[str]], counts: Counter, i: int, headline: bool = False) -> bool:
    """Line i has TEASER_TERMS content words (HEADLINE_TERMS for a headline) and at most TEASER_SHARED of them
    occur on two or more lines other than it and its neighbours: the article's recurring terms (a headline and
    its teaser share words with each other, and a word the article uses once is no subject of it)."""
    own = stems[i]
    if len(own) < (HEADLINE_TERMS if headline else TEASER_TERMS):
        return False
    near = stems[max(0, i - 1) : i + 2]  # (the line itself among them: a term of its own is on 1 line here)
    shared = 0
    for t in own:
        # on two or more lines besides these: more lines than these hold it, plus one (3+ lines in all first)
        if counts[t] > 2 and counts[t] > sum(t in s for s in near) + 1:
            shared += 1
            if shared > TEASER_SHARED:
                return False
    return True


def _coherent(stems: list[set[str]], skip: range) -> bool:
    """The lines outside `skip` repeat at least KEY_TERMS content words on KEY_TERM_LINES lines each: an article
    about one subject, not a digest of unrelated briefs."""
    counts = Counter(t for k, own in enumerate(stems) if k not in skip for t in own)
    return sum(v >= KEY_TERM_LINES for v in counts.values()) >= KEY_TERMS


def _between(s: str) -> bool:
    """A short line inside a run of teasers that does not end it: a time, a section label, `5 min read`."""
    return word_count(s) <= 5 and not s.rstrip().endswith((".", "!", "?")) and not is_link_header(s)


def teaser_run_lines(lines: Sequence[str]) -> list[int]:
    """The lines (indexes) of runs of other stories' teasers amid or after an article: at least three lines in
    a row, or two that end the body (short labels and times between and after them allowed), shaped like a
    headline or a teaser sentence (`teaser_shape`) that share at most one of the article's recurring content
    words (`_unrelated`), in a document with 150 words of article besides, which repeats its own key terms
    (`_coherent`); a run that is structured content (introduced by a lead-in, a list, a table, code) is the
    article's."""
    n = len(lines)
    if not _has_words(lines, TEASER_ARTICLE + TEASER_END_RUN * HEADLINE_WORDS):
        return []  # (too short to hold an article besides a run: a feed entry, a brief)
    shaped = [teaser_shape(s) for s in lines]
    end = n  # the lines from `end` on are short labels (a time, `5 min read`) or none
    while end > 0 and word_count(lines[end - 1]) <= 5:
        end -= 1
    if not _runs(shaped, lines, end):
        return []  # (a cheap first look: no run of shaped lines long enough, whatever their words)
    stems = [content_stems(s) for s in lines]
    counts = Counter(t for own in stems for t in own)
    far = [shaped[i] and _unrelated(stems, counts, i, _is_headline_like(lines[i])) for i in range(n)]
    out: list[int] = []
    for run in _runs(far, lines, end):
        if _article_around(lines, stems, run):
            out.extend(k for k in run if any(c.isalnum() for c in lines[k]))
    return out


def _has_words(lines: Sequence[str], n: int) -> bool:
    """The lines hold at least n words (`word_count`) in all: counted until there are n."""
    total = 0
    for s in lines:
        total += word_count(s)
        if total >= n:
            return True
    return False


def _runs(flags: list[bool], lines: Sequence[str], end: int) -> list[range]:
    """The runs of flagged lines (short labels between two of them joined in): three or more flagged lines, or
    two where the run reaches `end` (only short lines after it)."""
    out, i, n = [], 0, len(flags)
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < n and (flags[j] or j + 1 < n and flags[j + 1] and _between(lines[j])):
            j += 1
        if sum(flags[i:j]) >= (TEASER_END_RUN if j >= end else TEASER_RUN):
            out.append(range(i, j))
        i = j
    return out


def _article_around(lines: Sequence[str], stems: list[set[str]], run: range) -> bool:
    """The lines outside the run are an article (150+ words, key terms repeated), two thirds of the run's lines
    share no content word with it, and the run is not structured content of it."""
    if sum(word_count(s) for k, s in enumerate(lines) if k not in run) < TEASER_ARTICLE:
        return False
    outside = {t for k, own in enumerate(stems) if k not in run for t in own}
    apart = [not stems[k] & outside for k in run if stems[k]]
    if sum(apart) < TEASER_APART * len(apart):
        return False  # the article's closing lines, or comments under it, name its subject here and there
    intro = lines[run.start - 1] if run.start else ""
    if announces_list(intro):
        return False  # (`The following roads will be shut ...` over the roads)
    return _coherent(stems, run) and not structure_kind([lines[k] for k in run], intro, kinds=TAIL_CONTENT)


MENU_WORDS = 5  # a menu item is a short label
MENU_BLOCK = 3  # a menu repeats a run of at least this many labels in the same order ...
MENU_BLOCK_LONG = 5  # ... at least this many anywhere, fewer only as a header and footer pair
CORE_WORDS = 15  # prose lines this long delimit the article's core
MAX_COPIES = 50


def _menu_key(s: str) -> str | None:
    """The comparison key of a line that could be a menu label, or None.

    A label is short (at most 5 words), has letters, does not end like a sentence or a lead-in
    (`.`, `?`, `!`, `:`) and does not open with a digit (quantities, dates, scores, list numbers).
    """
    s = " ".join(s.split()).casefold()
    if len(s) > 120 or not any(map(str.isalpha, s)) or s[:1].isdigit():
        return None
    n = word_count(s)
    if not n or n > MENU_WORDS or s.endswith((".", "?", "!", ":")):
        return None
    return s


def _repeated_runs(keys: list[str | None]) -> Iterator[tuple[int, int, int]]:
    """(i, j, length): a run of at least MENU_BLOCK labels at i that recurs, in the same order, at j."""
    where: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        if k is not None:
            where.setdefault(k, []).append(i)
    n = len(keys)
    for copies in where.values():
        copies = copies[:MAX_COPIES]
        for a, i in enumerate(copies):
            for j in copies[a + 1 :]:
                if i > 0 and keys[i - 1] is not None and keys[i - 1] == keys[j - 1]:
                    continue  # inside a run counted from its start
                length = 0
                while i + length < j and j + length < n and keys[i + length] is not None:
                    if keys[i + length] != keys[j + length]:
                        break
                    length += 1
                if length >= MENU_BLOCK:
                    yield i, j, length


def _menu_lines(body: list) -> set[int]:
    """Lines of repeated runs that are menus: long runs anywhere, short ones above and again below the article.

    A run that is structured content (`structure_kind`: introduced, a table, code, a list) is the
    article's, and so is a run whose copies both sit inside the article with prose between them (lines
    of 15 words or more before, between and after): a product list repeated under each week of a meal
    plan. A section menu printed under each league's name has no prose between its copies."""
    keys = [_menu_key(ln.text) for ln in body]
    prose = [k for k, ln in enumerate(body) if is_prose(ln.text, CORE_WORDS)]
    first, last = (prose[0], prose[-1]) if prose else (len(body), -1)
    out: set[int] = set()
    for i, j, length in _repeated_runs(keys):
        if length >= MENU_BLOCK_LONG or i + length - 1 < first and j > last:
            run = [ln.text for ln in body[i : i + length]]
            inside = first < i and j + length - 1 < last and any(i + length <= k < j for k in prose)
            if inside or structure_kind(run, body[i - 1].text if i else "", kinds=KINDS[:4]):
                continue
            out.update(range(i, i + length))
            out.update(range(j, j + length))
    return out


@check("RES016", "residue", "warning", fix="remove", label="repeated short lines")
def repeated_short_line(view: TextView) -> Iterator[Hit]:
    """Menus: a run of short labels that recurs in the same order elsewhere in the document.

    Navigation bars, footers and section lists are printed twice by many pages (top and bottom); both
    copies are flagged. A label has at most 5 words, does not end like a sentence and does not open
    with a digit. The run must be at least 5 labels long, or 3 when one copy sits above the article and
    the other below it (before its first and after its last line of 15 words or more). Lines repeated on their own
    are left alone: structured articles repeat subheads on purpose (a meal plan's `Breakfast` / `Lunch`,
    a recipe's ingredients, a box score's team names). The first line (the headline) is never flagged.
    """
    body = view.body
    for i in sorted(_menu_lines(body)):
        if i > 0:
            yield Hit(*body[i].span, "menu repeated in the document", "")
