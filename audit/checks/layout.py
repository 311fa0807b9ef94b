"""Residue recognised by where it sits: link lists after a section header, comment threads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from audit.checks.residue import LEADING_DATE, is_byline_name, is_link_header, is_ui_label
from audit.checks.structure import BULLET, KINDS, is_bulleted_titles, structure_kind, under_media_contact
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
THREAD_MARK_CHARS = 80
THREAD_MARKS = 3  # a thread without a header shows its comment furniture at least this often ...
THREAD_GAP = 12  # ... at most this many lines apart
THREAD_TAIL = 6  # the lines after its last mark that still belong to it, when they end the page


def thread_by_furniture(body: list) -> tuple[int, int] | None:
    """The first and last line of a comment thread that has no header, or None.

    Comments print furniture that articles do not: `Reply` under each, `Jane says:` above it, a vote
    count (`Rating: 12 Votes`). At least three such marks (with the posting ages `2 days ago` between them),
    none more than 12 lines from the next, make a thread (a page an extractor left only the comments of is
    one too); it runs from the first comment (above its first mark, as far up as the next comment reaches, in
    lines under 25 words; over a time or `Jane says:`, the name on the line above) to its last mark (to the end of the page when
    at most 6 lines follow). Times alone are not enough: a live blog's entries and a list of headlines carry them too.
    """
    n = len(body)
    short = [i for i in range(n) if len(body[i].text) <= THREAD_MARK_CHARS]  # (every mark is a short line)
    marks = [i for i in short if _COMMENT_FURNITURE.match(body[i].text)]
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
    if _COMMENT_FURNITURE.match(body[start].text) and not _COMMENT_AUTHOR.match(body[start].text):
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
        yield Hit(*line.span, "byline between the headline and the article body", "")


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
    if LEADING_DATE.match(s) or _LIST_NUMBER.match(s) or _NOT_A_LINK.match(s):
        return False
    if s[0].isdigit() and 2 * sum(w[0].isupper() for w in ws) < len(ws):
        return False  # "1 large or 1200 g whole chicken": a quantity, not "15 Amazing Images of Stars"
    tokens = s.split()
    return sum(bool(_NUMBER.match(t)) for t in tokens) < 0.3 * len(tokens)


_NOT_A_LINK = re.compile(r"^(?:Q|A|Q\d{1,2}|A\d{1,2})\s?:\s|^About\s")
"""`Q: Favourite apps?` and `A: ...` (an interview's lines) and `About Example Health` (a press release's
boilerplate header) are not links to other stories."""
TAIL_MIN_HEADLINES = 3
TAIL_CONTENT = ("introduced", "code", "list", "table")  # `Email: ...` fields under an article are its footer
TAIL_BODY_WORDS = 15
LIST_REACH = 6  # a numbered list whose entries lie this close above the tail is the article's, going on


@check("RES015", "residue", "warning", fix="remove", label="related headlines after the article")
def trailing_link_list(view: TextView) -> Iterator[Hit]:
    """A run of headlines after the article's last paragraph: related stories without a header.

    After the last prose line of at least 15 words, if at least three lines and 40% of the rest read as
    headlines (4-15 words, capitalised, no closing punctuation, not a numbered or dated list entry) and the
    rest has fewer words than the article above it (and the article does not end in a numbered list, `3.
    The Salt Roads by ...`, whose further titles follow it), the headlines are flagged, and so are the short lines (at most 30 words) between two of them.
    Headlines that are structured content (introduced by a line ending in `:`, a table, code, a numbered
    list or steps; `audit/checks/structure.py`) are the article's; bullets before titles
    (`- 11 Fascinating Facts About Our Galaxy`) mark links, not a list of the article's.
    Also two or more short lines (at most 15 words, no closing punctuation) that end the body after a share or
    print button below the last paragraph: headlines or tags (`Running`, `Coastal Marathon`), whatever their length.
    A press release's contact block under the last paragraph (`Contact` over a number, `ENDS`, `Press office`:
    structure.under_media_contact) is its sender's, and nothing after the article is flagged then.
    """
    body = view.body
    last = -1
    for i in range(len(body) - 1, -1, -1):
        if word_count(body[i].text) >= TAIL_BODY_WORDS and is_prose(body[i].text):
            last = i
            break
    if last < 0 or under_media_contact(view.body_texts, min(last + 1, len(body) - 1)):
        return  # (a release's contact block under a `Contact` heading or `ENDS` is its sender's, not headlines)
    after = _after_furniture(body, last)
    for ln in after:
        yield Hit(*ln.span, "headline or tag list after the article's share bar", "")
    yield from _headline_tail(body, last, {ln.index for ln in after})


FURNITURE_TAIL_WORDS = 15  # a headline or tag under the share bar is short
TAIL_MIN_RUN = 2
_CLOSE = (".", "!", ":", ";", ",")


def _after_furniture(body: list, last: int) -> list:
    """The lines that end the body after page furniture (a share or print button, `is_ui_label`) that
    follows the article's last paragraph (line `last`): two or more short lines (at most 15 words) that do not
    end like a sentence or a lead-in are its related headlines or its tags (`Running`, `Coastal Marathon`).
    Structured content (a list, a table, code: `audit/checks/structure.py`) is left."""
    marks = [i for i in range(last + 1, len(body)) if is_ui_label(body[i].text)]
    if not marks:
        return []
    run = body[marks[-1] + 1 :]
    if len(run) < TAIL_MIN_RUN or structure_kind([ln.text for ln in run], kinds=TAIL_CONTENT):
        return []
    if all(0 < word_count(ln.text) <= FURNITURE_TAIL_WORDS and not ln.text.rstrip().endswith(_CLOSE) for ln in run):
        return run
    return []


def _headline_tail(body: list, last: int, taken: set[int]) -> Iterator[Hit]:
    """RES015's headline run after the article's last prose line (`last`), the lines in `taken` left out."""
    tail = body[last + 1 :]
    if sum(word_count(ln.text) for ln in tail) > sum(word_count(ln.text) for ln in body[: last + 1]):
        return  # more "tail" than article: a list that is the article itself
    if sum(bool(_LIST_NUMBER.match(ln.text)) for ln in body[max(0, last - LIST_REACH) :]) >= TAIL_MIN_HEADLINES:
        return  # the end of a numbered list (`3. The Salt Roads by ...`): titles after it go on with its list
    n_headlines = sum(_is_headline_like(ln.text) for ln in tail)
    if n_headlines < TAIL_MIN_HEADLINES or n_headlines < 0.4 * len(tail):
        return
    marks = [i for i, ln in enumerate(tail) if _is_headline_like(ln.text)]
    intro = body[last].text if marks[0] == 0 else tail[marks[0] - 1].text
    heads = [tail[i].text for i in marks]
    kinds = ("introduced", "code") if is_bulleted_titles(heads) else TAIL_CONTENT  # (`- 15 Amazing ...`: no table)
    if structure_kind(heads, intro, kinds=kinds):
        return  # a table, a list or steps of the article
    for i in range(marks[0], marks[-1] + 1):
        ln = tail[i]
        if (i in marks or 0 < word_count(ln.text) <= 30) and ln.index not in taken:
            yield Hit(*ln.span, "headline list after the article", "")


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
    if len(s) > 120 or not any(c.isalpha() for c in s) or s[:1].isdigit():
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
