"""Is a block of short lines structured content (a table, code, a list, steps) rather than page furniture?

Layout checks (RES006, RES011, RES015, RES016) fire on runs of short lines. Articles have such runs
too: a table of teams with their groups, a how-to's steps, an SQL listing and its output, the items
of a meal plan. `structure_kind` says which kind of content a block is, or "" when it has none of
their marks, and the checks leave a block of content alone. The marks, from how pages lay out content:

- introduced: the line before ends in `:` and reads as a sentence (`Here are the teams:`), or a list
  heading opens the block or stands before it (`Pros`, `Ingredients`, `Key specs`: audit/data/list_heads.txt);
- table: most lines split into the same number (2+) of fields on tabs, `|` or wide spaces, or most
  lines hold a number (scores, counts, prices, group letters with numbers);
- code: most lines carry code's marks (a statement ending in `;`, `{` or `}`, an assignment, a
  keyword such as `def`, `return`, `SELECT`, `FROM`, a shell prompt, a log level, a commit id, a mail or
  commit header with its address in angle brackets) or are indented;
- list: most lines open with a list marker (`1.`, `2)`, `Step 3`, `-`, `•`, `*`);
- fields: most lines are `Label: value` with a short label (a schedule, a spec sheet, fixtures);
- info: fields with no address, number to call or link among them (`Price: ...`, `Director: ...`, `When: ...`,
  `Where: ...`): a review's specs, a film's credits, an event's details; a footer's `Email:` and `Phone:` are not;
- signatures: most lines are a person's name, a comma and who they are (`Jane Roe, chair of the Pelham Trust`):
  an open letter's signatories;
- terms: most lines name a name or term of the article's own prose (`article_terms`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from audit.data import load_list
from audit.text import TextView, is_prose, word_count, words

MOST = 0.6  # the share of a block's lines that must carry a mark
MIN_INTRO_WORDS = 3
MIN_DATA_LINES = 3  # a listing or table has at least this many rows (`Updated 9:41 AM;` and a credit are not one)  # "Here are the teams:" (an intro is a sentence, not a bare "Related:")

# (each of these opens with a look-ahead of the characters its matches begin with: the engine skips the other
# characters at once instead of trying the pattern's branches or look-behinds at each; the same matches. A branch
# added must begin with one of them, or widen the look-ahead: tests/test_speed_equivalence.py compares the forms)
_FIELD_SPLIT = re.compile(r"(?=[\s|])(?:\t|\s*\|\s*|\s{3,})")
_NUMBER = re.compile(r"(?=\d)(?<![\w.])(?!(?:19|20)\d\d\b)\d+(?:[.,:]\d+)*(?:st|nd|rd|th|%|x)?(?![\w])", re.IGNORECASE)
_CODE_MARK = re.compile(
    r"[;{}]\s*$|^\s*[{}]|\s(?:==|!=|=>|->|:=|\+=)\s|^\s*[\w.\[\]]+\s*=\s*\S"
    r"|^\s*(?:def|class|return|import|from|function|var|let|const|if|elif|else|for|while|print|echo|sudo|cd|ls"
    r"|#include|SELECT|INSERT|UPDATE|DELETE|CREATE|WHERE|FROM|JOIN|GROUP BY|ORDER BY)\b"
    r"|^\s*\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE)\]?\s|^\s*(?:\$|>>>|#|//|--)\s|^\s*[+|][-+=]{3,}|\w\([^\n]{0,200}\)\s*;?$"
    r"|^commit\s+[0-9a-f]{7,40}\s*$|\b(?:INFO|WARN|ERROR|DEBUG)\s{1,2}\S|^[A-Z][\w-]{1,20}:\s[^\n<>]{1,60}<[^<>\s@]+@[^<>\s]+>\s*$",
)
# what a match of _CODE_MARK away from the line's start holds: one of these characters or words (its other
# branches are anchored at the start, `^` without MULTILINE); an unanchored branch added must hold one of them
_CODE_CHARS = frozenset(";{}=>(")
_CODE_WORDS = ("INFO", "WARN", "ERROR", "DEBUG")


def has_code_mark(s: str) -> bool:
    """`_CODE_MARK.search(s)` found a match: a line without any of `_CODE_CHARS` or `_CODE_WORDS` can match only
    at its start (`match`), which spares the search at every character of most lines."""
    if _CODE_CHARS.isdisjoint(s) and not any(w in s for w in _CODE_WORDS):
        return _CODE_MARK.match(s) is not None
    return _CODE_MARK.search(s) is not None


_LIST_MARK = re.compile(r"^\s*(?:\d{1,3}[.)]\s|\(\d{1,3}\)\s|step\s+\d+\b|[-•*·▪◦‣–]\s|[a-z][.)]\s)", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}[.)]|\(\d{1,3}\))\s+\S")
_RULE = re.compile(r"^\s*[-=+|]{3,}\s*$")  # a table's rule under its header (`-----+----`)
_FIELD = re.compile(r"^\s*[^\W\d_][\w'’&./ -]{0,30}:\s+\S")
_STOP = frozenset(
    "the a an this that these those it its he she they we you i his her their our my your in on at of for and"
    " but or to by with from as after before when while if how what why who where more most new read watch"
    " video photo photos live update updates news".split()
)


def _most(flags: Sequence[bool]) -> bool:
    return bool(flags) and sum(flags) >= MOST * len(flags)


def is_intro(s: str) -> bool:
    """A sentence that introduces what follows: ends in `:` and has a few words (`Here are the teams:`)."""
    s = s.strip()
    return s.endswith(":") and word_count(s) >= MIN_INTRO_WORDS


@functools.cache
def _list_heads() -> frozenset[str]:
    return frozenset(load_list("list_heads"))


def is_list_head(s: str) -> bool:
    """A heading over a list of the article's items (`Pros`, `Ingredients`, `Key specs:`, `Zutaten`; the
    entries of audit/data/list_heads.txt, as the whole line)."""
    s = s.strip()
    return len(s) <= 40 and BULLET.sub("", s).rstrip(":：").strip().casefold() in _list_heads()


def is_headed_list(lines: Sequence[str]) -> bool:
    """A run that a list heading opens (`Pros` over its items), or that holds two (`Pros` ... `Cons` ...)."""
    return bool(lines) and (is_list_heading(lines[0]) or sum(is_list_head(s) for s in lines) >= 2)


def is_aligned(lines: Sequence[str]) -> bool:
    """Aligned fields: most lines split into the same number (2+) of fields on tabs, `|` or wide spaces."""
    counts = [len([f for f in _FIELD_SPLIT.split(s.strip()) if f]) for s in lines]
    common = max(set(counts), key=counts.count) if counts else 0
    return common >= 2 and _most([c == common for c in counts])


def is_table(lines: Sequence[str]) -> bool:
    """Aligned fields (`is_aligned`) or a number after the first word on most lines (scores, counts, prices,
    appearances; a number opening a line is a headline's `11 Facts About ...` as often as a table's)."""
    return is_aligned(lines) or _most([bool(_NUMBER.search(s.strip(), len(s.strip().split(" ")[0]))) for s in lines])


def is_code(lines: Sequence[str]) -> bool:
    """Most lines carry code's marks or are indented."""
    return _most([has_code_mark(s) or s[:1] in (" ", "\t") and bool(s.strip()) for s in lines])


def is_code_or_table(lines: Sequence[str]) -> bool:
    """Most lines, and at least three, are code (`is_code`'s marks, or indented) or table rows (2+ fields on
    tabs, `|` or wide spaces, or a rule of dashes under a header): a query and its output, a log, a listing
    with its results."""

    flags = [is_data_line(s) for s in lines]
    return sum(flags) >= MIN_DATA_LINES and _most(flags)


def is_data_line(s: str) -> bool:
    """A line of code or of a table: 2+ fields on tabs, `|` or wide spaces, code's marks, a rule of dashes, or
    indented."""
    fields = [f for f in _FIELD_SPLIT.split(s.strip()) if f]
    return len(fields) >= 2 or has_code_mark(s) or bool(_RULE.match(s)) or s[:1] in (" ", "\t") and bool(s.strip())


BLOCK_REACH = 4  # how far around a line to look for the table, listing or list it may sit in


def in_data_block(lines: Sequence[str], i: int) -> bool:
    """Line i sits, with the lines around it that are not prose (BLOCK_REACH on each side), in a block of
    code or an aligned table (SQL output, a log, a listing), or it is one of three or more numbered lines
    in a row (a results list, `1. Jane Roe (SWE) 1:34.21`; not bulleted ones, which menus are too): its
    dates, times and addresses are data, not the page's."""
    lo, hi = i, i
    while lo > max(0, i - BLOCK_REACH) and not is_prose(lines[lo - 1], 12):
        lo -= 1
    while hi < min(len(lines) - 1, i + BLOCK_REACH) and not is_prose(lines[hi + 1], 12):
        hi += 1
    block = lines[lo : hi + 1]
    return (
        len(block) >= 3
        and is_code_or_table(block)
        or _numbered_run(lines, i) >= MIN_DATA_LINES
        or _in_listing(lines, i)
    )


def _in_listing(lines: Sequence[str], i: int) -> bool:
    """Line i is one of MIN_DATA_LINES or more data lines in a row (`is_data_line`), one of them with code's marks
    (`$ openssl ...` and its output, `commit ...`, `Author: ...`, `Date: ...` of a log): a listing, however
    much title and prose sit around it."""
    if not is_data_line(lines[i]):
        return False
    lo, hi = i, i
    while lo > 0 and is_data_line(lines[lo - 1]):
        lo -= 1
    while hi < len(lines) - 1 and is_data_line(lines[hi + 1]):
        hi += 1
    run = lines[lo : hi + 1]
    return len(run) >= MIN_DATA_LINES and any(has_code_mark(s) for s in run)


def _numbered_run(lines: Sequence[str], i: int) -> int:
    """How many lines in a row, line i among them, open with a number marker (`1.`, `2)`, `(3)`); 0 when
    line i does not."""
    if not _NUMBERED.match(lines[i]):
        return 0
    lo, hi = i, i
    while lo > 0 and _NUMBERED.match(lines[lo - 1]):
        lo -= 1
    while hi < len(lines) - 1 and _NUMBERED.match(lines[hi + 1]):
        hi += 1
    return hi - lo + 1


def is_list_item(s: str) -> bool:
    """The line opens with a list marker (`1.`, `2)`, `Step 3`, `-`, `•`): an item of a list or of steps."""
    return _LIST_MARK.match(s) is not None


def is_list(lines: Sequence[str]) -> bool:
    """Most lines open with a list marker (`1.`, `2)`, `Step 3`, `-`, `•`)."""
    return _most([bool(_LIST_MARK.match(s)) for s in lines])


def is_field_list(lines: Sequence[str]) -> bool:
    """Most lines are `Label: value` with a short label."""
    return _most([bool(_FIELD.match(s)) for s in lines])


def _terms_of(s: str) -> set[str]:
    """Capitalised words of a line other than its first, and not common words: names and terms."""
    ws = words(s)
    return {w.casefold() for w in ws[1:] if w[:1].isupper() and len(w) > 2 and w.casefold() not in _STOP}


def article_terms(view: TextView) -> frozenset[str]:
    """The names and terms (capitalised words not opening a line) of the document's prose lines."""

    def build(v: TextView) -> frozenset[str]:
        out: set[str] = set()
        for ln in v.body:
            if len(ln.text) <= 5000 and is_prose(ln.text, 12):
                out |= _terms_of(ln.text)
        return frozenset(out)

    return view.memo("article_terms", build)


def shares_terms(lines: Sequence[str], terms: frozenset[str]) -> bool:
    """Most lines name one of the article's names or terms (their own words, first ones included)."""
    if not terms:
        return False
    return _most([bool({w.casefold() for w in words(s)} & terms) for s in lines])


KINDS = ("introduced", "code", "list", "table", "fields", "info", "signatures", "terms")


BULLET = re.compile(r"^\s*[-•*·▪◦‣–]\s+")  # a bullet before a list item or a link
_MINOR = frozenset("a an the of in on to for and or at by with from as is vs".split())


def is_title_case(s: str) -> bool:
    """Every word but the minor ones (`of`, `the`, `and` ...) capitalised or a number, three or more of them:
    a title (`11 Fascinating Facts About Our Galaxy`), not an item or a step (`Preheat the oven to 200C`)."""
    ws = [w for w in words(s) if w.lower() not in _MINOR]
    return len(ws) >= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in ws)


def is_bulleted_titles(lines: Sequence[str]) -> bool:
    """Most lines a bullet and a title (`- 15 Amazing Images of Stars`): a list of links to other stories,
    which pages mark with bullets too; the items of a content list are phrases or sentences."""
    return _most([bool(BULLET.match(s)) and is_title_case(BULLET.sub("", s, count=1)) for s in lines])


def structure_kind(
    lines: Sequence[str], intro: str = "", terms: frozenset[str] = frozenset(), kinds: Sequence[str] = KINDS
) -> str:
    """Which kind of content the block of lines is ("introduced", "table", "code", "list", "fields",
    "terms"), or "" when it has none of their marks. `intro` is the line before the block, `terms` the
    article's names and terms (`article_terms`; leave empty not to ask), `kinds` the kinds to ask about
    (a footer of `Email: ...` fields is furniture to RES015, a fixtures list of `Team: ...` content to RES011)."""
    lines = [s for s in lines if s.strip()]
    if not lines:
        return ""
    for kind, yes in (
        ("introduced", lambda: is_intro(intro) or is_list_head(intro) or is_headed_list(lines)),
        ("code", lambda: is_code(lines)),
        ("list", lambda: is_list(lines)),
        ("table", lambda: is_table(lines)),
        ("fields", lambda: is_field_list(lines)),
        ("info", lambda: is_info_fields(lines)),
        ("signatures", lambda: is_signature_list(lines)),
        ("terms", lambda: shares_terms(lines, terms)),
    ):
        if kind in kinds and yes():
            return kind
    return ""


# a press release's media-contact label, in the languages releases are sent in: `Media contact:`, `Press office`,
# `Notes to editors`, `For further information, please contact`, `Pressekontakt`, `Kontakt für die Presse`,
# `Contact presse`, `Contacto de prensa`, `Kontakt dla mediów`, `Perscontact`, `Contatti stampa`, `Presskontakt`
_MEDIA_CONTACT = re.compile(
    r"^\W*(?:(?:media|press|news|investor)\s+(?:contacts?|enquiries|inquiries|office|relations)\b"
    r"|notes?\s+(?:to|for)\s+editors\b|for\s+(?:interviews|media|press|images|more information|further information)\b"
    r"[^\n]{0,60}\bcontact"
    r"|(?:presse|medien)kontakt|kontakt\s+f(?:ü|ue)r\s+(?:die\s+)?(?:presse|medien)|pressestelle"
    r"|contacts?\s+(?:presse|m[ée]dias?)\b|contactos?\s+(?:de\s+)?(?:prensa|imprensa)\b"
    r"|kontakt\s+dla\s+(?:medi[óo]w|prasy)|biuro\s+prasowe|perscontact|persvoorlichting"
    r"|contatt[oi]\s+(?:per\s+la\s+)?stampa|ufficio\s+stampa|presskontakt)",
    re.IGNORECASE,
)
MEDIA_BLOCK = 3  # the lines under a press release's `Media contact:` that are its contact block, whatever they are
MEDIA_REACH = 6  # ... or this many short lines (a name, a role, `T:`, `M:`, `E:`) that are not sentences
CONTACT_BLOCK_WORDS = 12


def is_media_contact_head(s: str) -> bool:
    """A press release's media-contact label (`Media contact:`, `Press office`, `Notes to editors`, `Pressekontakt`,
    `Kontakt dla mediów:`)."""
    return _MEDIA_CONTACT.search(s) is not None


# a press release's end mark, after which its sender's notes and contacts follow: `ENDS`, `- ends -`, `###`, `-30-`
_RELEASE_END = re.compile(
    r"^\s*(?:[-–—*#(\[]\s*)*(?:ends?|fin|koniec|einde|slut|#{3}|-30-)(?:\s*[-–—*#)\]])*\s*$", re.I
)
# a bare contact heading (`Contact`, `Contacts`, `Kontakt`, `Contacto`): a release's block only with an address or
# a number under it and a sentence above it (a footer's `Contact` sits among menu labels)
_CONTACT_HEAD = re.compile(r"^\s*(?:contacts?|kontakte?|contactos?|contatti|contatos?)\s*:?\s*$", re.I)
_ADDRESS_OR_PHONE = re.compile(r"(?=[@+(\d])(?:@[\w-]+\.\w|\+?\(?\d[\d ().-]{6,}\d)")  # (look-ahead: _FIELD_SPLIT's)


# a sentence that tells the reader whom to contact, ending in a stop or a colon, over the number it gives:
# `Contact the Payment Centre if you have not been paid by 29 January.`, `Call the helpline on:`
_TELLS_TO_CONTACT = re.compile(
    r"^\s*(?:contact|call|phone|ring|telephone|write to|e-?mail)\s+(?!us\b)[^\n]*[.:]\s*$", re.IGNORECASE
)
TELLS_WORDS = 5


def is_release_end(s: str) -> bool:
    """A press release's end mark alone on its line (`ENDS`, `- ends -`, `###`, `-30-`)."""
    return len(s) <= 20 and _RELEASE_END.match(s) is not None and any(c.isalnum() or c == "#" for c in s)


def is_contact_head(lines: Sequence[str], j: int) -> bool:
    """Line j opens a release's or a notice's contact block: a media-contact label, an end mark, or a bare
    `Contact` heading with a sentence or an end mark above it, or a sentence of TELLS_WORDS or more that tells
    the reader whom to contact (`Contact the Payment Centre if ...`), either with an address or a phone number
    within the MEDIA_BLOCK lines under it."""
    s = lines[j]
    if is_media_contact_head(s) or is_release_end(s):
        return True
    heading = _CONTACT_HEAD.match(s) is not None and j > 0
    above = heading and (lines[j - 1].rstrip().endswith((".", "!", "?")) or is_release_end(lines[j - 1]))
    if not (above or _TELLS_TO_CONTACT.match(s) and word_count(s) >= TELLS_WORDS):
        return False
    return any(_ADDRESS_OR_PHONE.search(t) for t in lines[j + 1 : j + 1 + MEDIA_BLOCK])


def in_contact_block(lines: Sequence[str], i: int) -> bool:
    """Line i is a contact label or end mark (`is_contact_head`) or one of the MEDIA_BLOCK lines under it, with an
    address or a phone number within MEDIA_BLOCK lines of it: a block of contacts, not a menu's `Investor
    relations` among its other labels, nor the share bar and footer that follow the block."""
    near = lines[max(0, i - MEDIA_BLOCK) : i + MEDIA_BLOCK + 1]
    if not any(_ADDRESS_OR_PHONE.search(t) for t in near):
        return False
    return any(is_contact_head(lines, j) for j in range(max(0, i - MEDIA_BLOCK), i + 1))


def under_media_contact(lines: Sequence[str], i: int) -> bool:
    """Line i is a media-contact label or a release's end mark (`ENDS`, `###`), or in the contact block under
    one: within MEDIA_BLOCK lines of it, or within MEDIA_REACH lines when every line between is short and not a
    sentence; a bare `Contact` heading counts when a sentence stands above it and an address or a number under
    it. A release's sender wrote that block for the reader; an outlet's own contact details in its footer have
    no such label."""
    if any(is_contact_head(lines, j) for j in range(max(0, i - MEDIA_BLOCK), i + 1)):
        return True
    for j in range(i - 1, max(-1, i - MEDIA_REACH - 1), -1):
        if j < i - MEDIA_BLOCK and is_contact_head(lines, j):  # (the nearer lines were asked above)
            return True
        if word_count(lines[j]) > CONTACT_BLOCK_WORDS or lines[j].rstrip().endswith((".", "!", "?")):
            return False
    return False


GRID_REACH = 6  # how far on each side of a cell to look for the other cells of its table
GRID_CELLS = 3  # ... and how many numbers or times alone on their lines it must find there
_CELL_NUMBER = re.compile(r"^\s*[(\[]?[-+]?\d{1,4}(?:[.,:]\d{1,3})?[)\]]?%?\s*$")


def in_cell_grid(lines: Sequence[str], i: int, furniture: Callable[[str], bool] = lambda s: False) -> bool:
    """Line i sits in a table an extractor left one cell a line (a departures board, a table of seats or
    points): at least GRID_CELLS other lines within GRID_REACH on each side are a number or a time alone
    (`4`, `16:05`, `29`), the numbers there are not whole numbers counting up by one (ranked lists, steps, stars), and none there
    is page furniture (`furniture`: a share bar's `Share` over its count)."""
    around = range(max(0, i - GRID_REACH), min(len(lines), i + GRID_REACH + 1))
    window = [lines[k] for k in around if k != i]
    if sum(_CELL_NUMBER.match(s) is not None for s in window) < GRID_CELLS:
        return False
    cells = [s for s in (lines[k].strip() for k in around) if _CELL_NUMBER.match(s)]
    counts = [int(s) for s in cells if s.isdigit()]
    if len(counts) == len(cells) >= 3 and all(b in (a + 1, 1) for a, b in zip(counts, counts[1:], strict=False)):
        return False  # `1`, `2`, `3` between lines (and again from `1`): ranked lists, steps, stars, not cells
    return not any(furniture(s) for s in window)


SCHEDULE_REACH = 4
_TIME_ALONE = re.compile(r"^\s*\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|h)?\s*$", re.IGNORECASE)


def is_schedule_entry(lines: Sequence[str], i: int) -> bool:
    """Line i follows a time alone on its line (`6.30pm`, `18:00`) and another such time lies within
    SCHEDULE_REACH lines: an entry of a programme or a TV guide whose title may be one word (`News`, `Sport`)."""
    if i == 0 or not _is_clock_alone(lines[i - 1]):
        return False
    near = range(max(0, i - 1 - SCHEDULE_REACH), min(len(lines), i + SCHEDULE_REACH + 1))
    return any(k != i - 1 and _is_clock_alone(lines[k]) for k in near)


def _is_clock_alone(s: str) -> bool:
    """A clock time alone on its line, with its `:`, `.` or am/pm (`6.30pm`, `18:00`; not a bare `4`)."""
    return _TIME_ALONE.match(s) is not None and any(c in s for c in ":.apAP")


_OPENS_TIME = re.compile(  # (`10am: Writing the coast`: a colon may follow an hour with its am or pm)
    r"^\W{0,3}(?:[01]?\d|2[0-4])(?:[:.][0-5]\d\s*(?:[ap]\.?m\.?|h)?(?![\d:.,%]|\s*%)|\s*[ap]\.?m\.?(?![\d.,%]|\s*%))",
    re.I,
)
_DAY_ALONE = re.compile(
    r"^\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight)\s*:?\s*$", re.I
)
PROGRAMME_TIMES = 2  # lines opening with a time near a line that make it a programme's or a listing's


def in_programme(lines: Sequence[str], i: int, reach: int = SCHEDULE_REACH) -> bool:
    """Line i is, or sits under, an entry of a programme or an events listing: it opens with a clock time or is a
    day's name alone (`Saturday`), or a line within `reach` above it opens with a time, and PROGRAMME_TIMES or more
    lines within `reach` on each side open with a time (`10:00 Farmers' market`, `11:30 Panel: ...`)."""
    near = range(max(0, i - reach), min(len(lines), i + reach + 1))
    times = [k for k in near if _OPENS_TIME.match(lines[k])]
    if len(times) < PROGRAMME_TIMES:
        return False
    return bool(_OPENS_TIME.match(lines[i]) or _DAY_ALONE.match(lines[i]) or any(k < i for k in times))


# --- a notice's own header and contact lines (a meeting, an event, an agenda) ---

# a clock time as an event gives it: `at 7pm`, `6.30pm`, `7.30 p.m.`, `at 19:00`, `from 10:00`
_EVENT_CLOCK = re.compile(
    r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b(?:at|from)\s+\d{1,2}[.:]\d{2}\b", re.IGNORECASE
)
# a venue: two parts of capitalised words (a house number may open one), a comma between, `Council Chamber, Civic
# Centre`, `Ashcombe Village Hall, Church Lane`, `The Old School, 4 Mill Road`
_VENUE_PART = r"(?:\d{1,4}[a-z]?\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of|the|and|on|upon)?\s*[A-Z0-9][\w'’.&-]*){0,5}"
_VENUE = re.compile(rf"^\s*{_VENUE_PART}\s*,\s*{_VENUE_PART}\s*$")
VENUE_WORDS = 4  # a venue names a building and a street or a place: more than a dateline's `LONDON, England`


def is_venue(s: str) -> bool:
    """A venue alone on its line: capitalised names in two parts with a comma between, four or more words, not in
    capitals only, not a byline (`Ashcombe Village Hall, Church Lane`; not `DUNFORD, Westmoor`, `By Jane Roe, Reporter`)."""
    if word_count(s) < VENUE_WORDS or s.isupper() or _BYLINE_OPEN.match(s):
        return False
    return _VENUE.match(s) is not None


_BYLINE_OPEN = re.compile(r"^\W*(?:by|von|par|por|door|di|przez|av)\s", re.IGNORECASE)  # `By Jane Roe, Reporter`


def is_event_header(lines: Sequence[str], i: int) -> bool:
    """Line i says when an event is, a date with a clock time (`Tuesday 15 December 2026 at 7pm`), and the line
    under it where (`is_venue`): the header of a meeting's or an event's notice, not the page's time stamp (a
    byline, a headline or the body follows a stamp)."""
    return i + 1 < len(lines) and _EVENT_CLOCK.search(lines[i]) is not None and is_venue(lines[i + 1])


# a notice's named contact: a role or an office label, then a name or an office (not `us`), then a number
_OFFICE_CONTACT = re.compile(
    r"^\s*(?:contact|clerk|secretary|enquiries|inquiries|organi[sz]er|bookings?|box office|information)\s*:\s*"
    r"(?!us\b|me\b)[A-Z][^,:\n]{2,60},\s*(?:tel(?:ephone)?|phone|t)\b\.?\s*:?\s*\+?\(?\d",
    re.IGNORECASE,
)
NOTICE_ITEMS = 3  # a notice's numbered list (an agenda, an order of business) has at least this many items
NOTICE_REACH = 3  # ... and its contact line stands within this many lines of the body's end


def closes_notice(lines: Sequence[str], i: int) -> bool:
    """Line i is the named contact that closes a notice (`Clerk: Jane Roe, Tel: 01632 960 771`, `Contact:
    Democratic Services, Tel: ...`): a role or an office label, a name or an office, a telephone number, within
    NOTICE_REACH lines of the end of a body that holds a numbered list of NOTICE_ITEMS or more items (an agenda).
    The council or the club wrote it for the reader; an outlet's footer says `Contact us`, and an author's line
    gives an address."""
    if i < len(lines) - NOTICE_REACH or not _OFFICE_CONTACT.match(lines[i]):
        return False
    return sum(bool(_NUMBERED.match(s)) for s in lines[:i]) >= NOTICE_ITEMS


FIELD_RUN = 3  # `Today: ...`, `Tonight: ...`, `Tuesday: ...`: this many field lines in a row are a list


def in_field_run(lines: Sequence[str], i: int) -> bool:
    """Line i is one of FIELD_RUN or more lines in a row that are each `Label: value` with a short label (a
    forecast's days, a spec sheet, a menu's days): the page's content, whatever stands around the run."""
    if not _FIELD.match(lines[i]):
        return False
    lo = hi = i
    while lo > 0 and _FIELD.match(lines[lo - 1]):
        lo -= 1
    while hi + 1 < len(lines) and _FIELD.match(lines[hi + 1]):
        hi += 1
    return hi - lo + 1 >= FIELD_RUN


# a life's dates: `3 May 1934 - 22 November 2026`, `(1934-2026)`, `born 4 June 1945; died 30 November 2026`
_LIFE_DATES = re.compile(
    r"\b(?P<a>(?:1[5-9]|20)\d\d)\s*[-–—]\s*(?:[\w.]+\s+){0,3}(?P<b>(?:1[5-9]|20)\d\d)\b"
    r"|\b(?:born|b\.)\s.{0,40}\b(?:died|d\.)\s",
    re.IGNORECASE,
)
LIFE_DATES_WORDS = 20
LIFE_YEARS = 15  # two years a life apart, not a season's or a term's (`2025-2026`, `2019-2024`)


def is_life_dates(s: str) -> bool:
    """A short line (at most 20 words) that gives a life's dates, birth to death (`3 May 1934 - 22 November
    2026`, `Jane Roe (1934-2026)`, `..., born 4 June 1945; died 30 November 2026.`): an obituary's or a
    profile's, so the name beside it is the subject's, not a byline."""
    if word_count(s) > LIFE_DATES_WORDS:
        return False
    m = _LIFE_DATES.search(s)
    return m is not None and (m.group("a") is None or int(m.group("b")) - int(m.group("a")) >= LIFE_YEARS)


# a sentence that announces the list under it without a colon: `The following roads will be shut ...`, `Their choices
# are these.`, `The winners are listed below.`, `Here is a selection of what is on.`, or one cut off before its colon:
# `The shortlisted books are`
_ANNOUNCES = re.compile(
    r"\bthe following\b|\b(?:are|were|is|was)\s+(?:these|as follows|listed below|below)\W*$|\bas follows\W*$"
    r"|\b(?:below|beneath)\W*$|\b(?:are|were|include|includes|included|including)\s*$"
    r"|^\W*here(?:\s+(?:is|are)|['’]s)\s",
    re.IGNORECASE,
)
ANNOUNCE_WORDS = 30


def announces_list(s: str) -> bool:
    """A lead-in to the list under it: a sentence ending in `:` (`is_intro`), or one that points to what follows
    (`the following`, `... are these.`, `... listed below.`, `as follows`), or a lead-in cut off before its colon
    (`The shortlisted books are`), at most 30 words."""
    s = s.strip()
    if is_intro(s):
        return True
    return MIN_INTRO_WORDS <= word_count(s) <= ANNOUNCE_WORDS and _ANNOUNCES.search(s) is not None


# the role of whoever sends a release or a notice for an organisation (not a reporter's): its press or
# communications officer, its spokesperson, its marketing or PR team, `Issued by ...`, `On behalf of ...`
_SENDER_ROLE = re.compile(
    r"\b(?:communications?|press|media|public relations|spokes(?:person|man|woman)|marketing|publicity"
    r"|issued by|on behalf of)\b",
    re.IGNORECASE,
)
_WRITER_ROLE = re.compile(r"\b(?:reporter|writer|correspondent|columnist|editor|journalist)\b", re.IGNORECASE)
SENDER_REACH = 3  # the sender's name and role stand within this many lines above the number or address
SENDER_END = 4  # ... and the block ends the body: its number or address within this many lines of the end


def in_sender_contact(lines: Sequence[str], i: int) -> bool:
    """Line i is a number or an address in the contact block that ends a release or a notice with no heading over
    it: within SENDER_END lines of the end, under SENDER_REACH or fewer short lines (at most CONTACT_BLOCK_WORDS
    words, not sentences) one of which names the sender's role (`Communications Manager`, `Press Officer`,
    `Spokesperson`, `Issued by ...`) and none a writer's (`Reporter`, `Editor`: an author's contact is a byline's)."""
    if i < len(lines) - SENDER_END or not _ADDRESS_OR_PHONE.search(lines[i]):
        return False
    above = []
    for j in range(i - 1, max(-1, i - SENDER_REACH - 1), -1):
        s = lines[j]
        if word_count(s) > CONTACT_BLOCK_WORDS or s.rstrip().endswith((".", "!", "?")):
            break
        above.append(s)
    block = [*above, lines[i]]
    return any(_SENDER_ROLE.search(s) for s in block) and not any(_WRITER_ROLE.search(s) for s in block)


# a place and a date as a notice or a letter is signed: `Villaseca, 3 de diciembre de 2026`, `Pelham, 4 December 2026`,
# `Lindenau, den 3. Dezember 2026`, `Kraków, 3 grudnia 2026 r.`
_SIGNOFF = re.compile(
    r"^\s*[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ -][A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3}\s*,\s*(?:(?:den|le|el|il|dnia|de)\s+)?"
    r"\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?\s+(?:de\s+)?(?:19|20)\d\d(?:\s*r\.)?\s*$"
)
SIGNOFF_REACH = 3  # the sign-off stands within this many lines of the body's end, a signatory or two under it


def is_signoff_date(lines: Sequence[str], i: int) -> bool:
    """Line i is the place and date a notice or a letter is signed with (`Villaseca, 3 de diciembre de 2026`): a
    place, a comma and a date alone on the line, under the text's last sentence and within SIGNOFF_REACH lines
    of the end (a signatory under it). A page's stamp carries a stamp word or a time, and sits at the top."""
    if not 0 < i or i < len(lines) - SIGNOFF_REACH or not _SIGNOFF.match(lines[i]):
        return False
    return is_prose(lines[i - 1], 6)


INFO_FIELDS = 3  # a spec box, a film's credits, an event's details: at least this many fields
INFO_LABEL_WORDS = 2  # ... each labelled with a word or two (`Running time:`; not a series' `Out of Line: ...`)
_CONTACT_OR_LINK = re.compile(r"@[\w-]+\.\w|\+?\(?\d[\d ().-]{6,}\d|://|\bwww\.", re.IGNORECASE)


def is_info_fields(lines: Sequence[str]) -> bool:
    """A box of facts as fields: INFO_FIELDS or more lines, most of them `Label: value` with a label of one or two
    words (`Price: £299`, `Running time: 98 minutes`, `When: Saturday 14 March`; a series' headlines, `Out of
    Line: ...`, have longer labels), and no address, phone number or link on any (a footer's `Email: news@...`,
    `Phone: ...` are contact fields, not the article's facts)."""
    if len(lines) < INFO_FIELDS or any(_CONTACT_OR_LINK.search(s) for s in lines):
        return False
    return _most([bool(_FIELD.match(s)) and word_count(s.split(":", 1)[0]) <= INFO_LABEL_WORDS for s in lines])


# a person's name, a comma and who they are, with no verb of its own: `Jane Roe, chair of the Pelham Trust`
_SIGNATORY = re.compile(r"^\s*[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3},\s+(?P<who>[^,\n]{2,80})$")
_VERBISH = re.compile(r"\b(?:is|are|was|were|has|have|had|will|to|\w{3,}ed|\w{3,}s)\b")
_MINOR_OK = frozenset("is was has its this his us bus gas news series species campus status sales affairs".split())


def is_signature_list(lines: Sequence[str]) -> bool:
    """Most lines (three or more) are a person's name, a comma and who they are, with no verb (`Jane Roe, chair
    of the Pelham Trust`, `Tom Pell, Ardley Residents' Association`): an open letter's signatories. A headline
    about a person has its verb (`Jane Roe, 54, jailed for fraud`, `Tom Pell, mayor, resigns`)."""
    return len(lines) >= INFO_FIELDS and _most([_is_signatory(s) for s in lines])


def _is_signatory(s: str) -> bool:
    m = _SIGNATORY.match(s)
    if m is None or any(c.isdigit() for c in s):
        return False
    who = m.group("who")
    return not any(w.lower() not in _MINOR_OK for w in _VERBISH.findall(who) if not w[:1].isupper())


def is_list_heading(s: str) -> bool:
    """A list heading (`is_list_head`: `Key facts`, `At a glance`), alone or followed by what it is about (`Key facts
    about Hollow Wood`, `Key dates in the dispute`): the lines under it are the article's list."""
    if is_list_head(s):
        return True
    ws = s.strip().rstrip(":").split()
    return any(is_list_head(" ".join(ws[:n])) and ws[n].lower() in _ABOUT for n in (1, 2, 3) if len(ws) > n)


_ABOUT = frozenset("about on for of in from behind".split())


# a line that points to an office or a club's officer, not to a writer: `Enquiries: parks@...`, `Bookings: ...`,
# `Contact the club secretary, Jane Roe, at ...`, `contact the box office on ...`
_OFFICE_LINE = re.compile(
    r"^\W*(?:enquiries|inquiries|bookings?|tickets|box office|reception)\s*:"
    r"|\bcontact\s+(?:the\s+|our\s+)?(?:[\w'’-]+\s+){0,2}(?:secretary|clerk|organi[sz]ers?|committee|box office|reception"
    r"|helpline|treasurer|chair(?:man|woman|person)?)\b",
    re.IGNORECASE,
)


def is_office_contact(s: str) -> bool:
    """A contact line that points to an office or to a club's or a council's officer (`Enquiries: parks@...`,
    `Contact the club secretary, Jane Roe, at ...`): the notice's own, not an author's (`Contact the author at
    ...`, `Email: jane@...`, `Follow her on X` stay an author's)."""
    return _OFFICE_LINE.search(s) is not None


# The article's own headings. A short line that sits between two of the article's paragraphs and opens the one
# under it is a subhead (`Background`, `What comes next`, `Les horaires`), and a short line above the body whose
# words the body's first paragraphs take up is the page's headline: content, whatever the words, where a menu,
# a credit or a button stands among other short lines or names nothing the text goes on to say.
HEADING_WORDS = 6  # a subhead has at most this many words ...
HEADING_CHARS = 60  # ... and characters
PARAGRAPH_WORDS = 6  # the paragraph a heading opens has at least this many words (the one above it, 8) ...
TAKEN_UP_WORDS = (
    5  # ... or this many where it takes up the heading's word (`Images` over `Images are sent on request.`)
)
TITLE_REACH = 3  # a headline's words are taken up within this many lines under it
TITLE_WORDS = 15  # a headline has at most this many words
TITLE_BELOW = 3  # a whole page's title stands under its menu: at least this many lines above it
TITLE_ALONE = 3  # ... and over a single paragraph (a letter's), this many of its words taken up
_POSTED_BY = re.compile(r"^\W*(?:(?:posted|written|words|reporting|photos?)\s+)?by\s", re.IGNORECASE)  # a byline
_SEPARATOR = re.compile(r"[|»›>@\\]|://")
_NOT_HEADING = re.compile(r"[:|»›>@/\\]|://|^\W|[.!,;…]\s*$")
_HEAD_STOP = (_STOP - frozenset("read watch video photo photos live update updates news".split())) | frozenset(
    "about above after again also been being between could each every from have here into just like many more much"
    " only other over same some such than their them then there these they this those through under very were what"
    " when where which while will with would your".split()
)


def is_heading_shape(s: str) -> bool:
    """A line shaped like a heading: 1-6 words and at most 60 characters, opening with a capital letter or a digit,
    ending in no stop, comma or ellipsis (a question may end it: `Who can apply?`), and holding no colon, separator,
    slash or address (`Photo: Jane Roe`, `Home | News`, `@handle` are labels and credits, not headings)."""
    s = s.strip()
    if not s or len(s) > HEADING_CHARS or word_count(s) > HEADING_WORDS or _NOT_HEADING.search(s):
        return False
    return s[0].isupper() or s[0].isdigit()


def heading_terms(s: str) -> set[str]:
    """A line's content words: 4+ letters, not common words, case-folded."""
    return {w for w in words(s.casefold()) if len(w) >= 4 and w not in _HEAD_STOP}


def taken_up(own: set[str], other: set[str]) -> set[str]:
    """The words of `own` that `other` takes up: the same word, or one the other opens (`image` and `images`,
    `forecast` and `forecasts`; not `compartilhe` and `compañía`, which share only their first letters)."""
    return {w for w in own if any(w.startswith(t) or t.startswith(w) for t in other)}


def is_section_head(lines: Sequence[str], i: int, furniture: Callable[[str], bool] = lambda s: False) -> bool:
    """Line i is one of the article's subheads: heading-shaped (`is_heading_shape`), between a prose line above it
    and a sentence under it, and either that sentence has TAKEN_UP_WORDS or more and takes up one of its words
    (`Health` over `The health budget rises ...`), or it is a paragraph of PARAGRAPH_WORDS or more in a text with
    another such heading of other words (an article in sections: `Beginnings` ... `The bridge` ...). A credit or
    a button between paragraphs names nothing of the paragraph under it and seldom comes with a second, different
    one in the same place; `furniture` says which lines cannot be that other heading."""
    if not 0 < i < len(lines) - 1 or not is_heading_shape(lines[i]) or not is_prose(lines[i - 1], 8):
        return False
    under = lines[i + 1]
    if is_prose(under, TAKEN_UP_WORDS) and taken_up(heading_terms(lines[i]), heading_terms(under)):
        return True
    if not is_prose(under, PARAGRAPH_WORDS):
        return False
    key = lines[i].strip().casefold()
    return any(
        lines[k].strip().casefold() != key
        and is_heading_shape(lines[k])
        and not furniture(lines[k])
        and is_prose(lines[k + 1], PARAGRAPH_WORDS)
        and is_prose(lines[k - 1], 8)
        for k in range(1, len(lines) - 1)
        if k != i
    )


LABEL_WORDS = 3  # a section's label (`Politics`, `Photos`, `Key points`) has at most this many words ...
SECTION_LINE_WORDS = 6  # ... and the sentences on each side of it at least this many
SECTIONS = 3  # the labels of an article in sections: at least this many different ones ...
TAKEN_SECTIONS = 2  # ... or this many, where the line under this one takes up its word


def _lone_label(lines: Sequence[str], k: int) -> bool:
    """Line k is a short heading (at most LABEL_WORDS words of letters, not all capitals, no byline) alone between
    two sentences of SECTION_LINE_WORDS or more words (`is_prose`)."""
    s = lines[k].strip() if 0 < k < len(lines) - 1 else ""
    if not _is_short_label(s) or s.isupper() or _POSTED_BY.match(s):
        return False
    return is_prose(lines[k - 1], SECTION_LINE_WORDS) and is_prose(lines[k + 1], SECTION_LINE_WORDS)


def _is_short_label(s: str) -> bool:
    """`s` (stripped) is a short heading: at most LABEL_WORDS words, heading-shaped, no digit."""
    return bool(s) and word_count(s) <= LABEL_WORDS and is_heading_shape(s) and not any(c.isdigit() for c in s)


def is_section_label(lines: Sequence[str], i: int) -> bool:
    """Line i, a word that is also a menu's or a button's (`Politics`, `Photos`, `Video`, `Music`), labels a section
    of the article: it stands alone between two sentences (`_lone_label`), and the text holds SECTIONS or more
    different such labels (a digest's `Politics` ... `Business` ... `Sport`), or
    TAKEN_SECTIONS where the line under this one takes up its word (`Video` over `The camera records steady video
    ...`, with `Price` further down), and it is the only one of its words (a button repeats under each comment). A
    menu's labels stand together, and a button between two paragraphs stands alone or beside one other."""
    if not _lone_label(lines, i):
        return False
    labels = [lines[k].strip().casefold() for k in range(1, len(lines) - 1) if _lone_label(lines, k)]
    if labels.count(lines[i].strip().casefold()) > 1:
        return False  # a button under each comment or item (`Reply`), no section's label
    took = bool(taken_up(heading_terms(lines[i]), heading_terms(lines[i + 1])))
    return len(set(labels)) >= (TAKEN_SECTIONS if took else SECTIONS)


DATA_ROWS = 8  # the rows of a table or a list under a title's first paragraph that are read


def _data_under(lines: Sequence[str], k: int) -> bool:
    """The lines from k up to the next prose line (DATA_ROWS at most, three at least) are a table, a list, code or
    fields (`structure_kind`): a page's body of data under its first paragraph (a bin calendar, a results table)."""
    block = []
    for t in lines[k : k + DATA_ROWS]:
        if is_prose(t, 8):
            break
        block.append(t)
    return len(block) >= MIN_DATA_LINES and bool(structure_kind(block, kinds=("code", "list", "table", "fields")))


def titles_the_text(lines: Sequence[str], i: int) -> bool:
    """Line i is the page's headline or standfirst: no prose line above it (it stands over the article's body), at
    most TITLE_WORDS words, no byline (`Posted by ...`, whose names the text takes up too), not ending like a lead-in
    or holding a link list's separator, and the prose lines within TITLE_REACH lines under it take up two of its content
    words, or its only one in the paragraph right under it (`Council backs cinema flats` over `Plans to turn the
    cinema into flats ...`), with more prose under them or a table, a list or fields (a body: `_data_under`) or,
    over one paragraph alone (a letter over its signature), TITLE_ALONE of its words: a site's banner over its one
    notice (`Campus operating status` over `The campus is open and operating ...`) takes up fewer. A menu above the
    headline names nothing the text says."""
    s = lines[i].strip()
    if not s or _SEPARATOR.search(s) or s.endswith(":") or word_count(s) > TITLE_WORDS or _POSTED_BY.match(s):
        return False
    own = heading_terms(s)
    reach = TITLE_REACH if len(own) > 1 else 1  # (a lone word: the paragraph right under it takes it up)
    under = [heading_terms(t) for t in lines[i + 1 : i + 1 + reach] if is_prose(t, 8)]
    took = taken_up(own, set().union(*under))
    if not own or len(took) < min(2, len(own)):
        return False
    body = any(is_prose(lines[k], 8) for k in range(i + 2, min(len(lines), i + 2 + reach))) or _data_under(lines, i + 2)
    return (body or len(took) >= TITLE_ALONE) and not _prose_above(lines, i)


def _prose_above(lines: Sequence[str], i: int) -> bool:
    """Whether a prose line (8+ words, a sentence's end) stands above line i: asked last, as it reads every line
    above (a whole page's menu lines that the model flags would otherwise each read the page's top again)."""
    return any(is_prose(t, 8) for t in lines[:i])


def heads_first_paragraph(lines: Sequence[str], i: int) -> bool:
    """Line i is a whole page's title: a heading-shaped line (`is_heading_shape`, a colon allowed: `Results: the
    county race`; no digit: a date or a count over the body is the page's, `March 3, 2027`) under the page's menu (TITLE_BELOW or more lines above it, none of
    them prose), right over the page's first paragraph of PARAGRAPH_WORDS or more, with more prose within
    TITLE_REACH lines under that (the article's body): a programme's, a race's or a gallery's title that the text
    does not repeat (`titles_the_text` asks for its words). An article's own text opens with its title, and a
    short line under that and over the body is its byline (`Staff report`). A line naming which part of a series
    the page is (`Series 4, episode 12`, `Part 3 of 5`) may stand between the title and its first paragraph."""
    if i < TITLE_BELOW:
        return False
    s = lines[i].strip()
    if not s or word_count(s) > HEADING_WORDS or _SEPARATOR.search(s) or s.endswith((".", "!", ",", ";", ":", "…")):
        return False
    k = i + 1 + bool(i + 1 < len(lines) and _PART_LINE.match(lines[i + 1]))  # (`Series 4, episode 12` between)
    if (
        not s[0].isupper()
        or any(c.isdigit() for c in s)
        or k + 1 >= len(lines)
        or not is_prose(lines[k], PARAGRAPH_WORDS)
    ):
        return False
    if not any(is_prose(t, 8) for t in lines[k + 1 : k + 1 + TITLE_REACH]):
        return False
    return not _prose_above(lines, i)


# which part of a series a page is, alone on the line under its title: `Series 4, episode 12`, `Season 2, Episode 3`,
# `Part 3 of 5`, `Chapter 7`
_PART_LINE = re.compile(
    r"^\s*(?:series|season|episode|part|chapter|volume|book)\s+\d{1,3}(?:\s+of\s+\d{1,3})?"
    r"(?:\s*[,:/–-]\s*(?:episode|part|chapter)\s+\d{1,3}(?:\s+of\s+\d{1,3})?)?\s*$",
    re.IGNORECASE,
)


TITLE_GAP = 2  # a data page's title stands this many lines at most above its data (a time stamp may come between)


def titles_data(lines: Sequence[str], i: int) -> bool:
    """Line i is the title of a page of data: two to TITLE_WORDS words, opening with a capital, no digit, separator or
    closing stop or colon, no prose line above it, and a programme (`in_programme`: `7pm` over its act) or a run of
    `Label: value.` fields whose first value ends in a stop (`in_field_run`: a forecast's days; a menu's `Out of
    Line: Gerrymandering` items have none) starting within TITLE_GAP lines under it (`Lowbridge weather` over `Issued at 05:00` over `Today: Rain ...`). A menu's
    items over a schedule are single words or buttons (RES017 leaves those to its model)."""
    s = lines[i].strip()
    if not 2 <= word_count(s) <= TITLE_WORDS or not s[:1].isupper() or _SEPARATOR.search(s):
        return False
    if any(c.isdigit() for c in s) or s.endswith((".", "!", "?", ",", ";", ":", "…")):
        return False
    starts = range(i + 1, min(len(lines), i + 1 + TITLE_GAP))
    data = any(in_programme(lines, k) or in_field_run(lines, k) and lines[k].rstrip().endswith(".") for k in starts)
    return data and not _prose_above(lines, i)


ENTRY_WORDS = 15  # an entry of a listing (a name, a place, a time) has at most this many words
CATEGORY_ENTRIES = 2  # ... and each category label of a listing has at least this many under it
CATEGORIES = 2  # ... and a listing has at least this many labels with their entries
_ENTRY_MARK = re.compile(r"\d|,\s*\S")


def is_listing_entry(s: str) -> bool:
    """A listing's entry: a phrase of at most ENTRY_WORDS words, not a sentence (no closing stop) and not a heading,
    made of fields (`The Harbour Quartet, St Anne's Church, Saturday 7pm`) or holding a number (a time, a price,
    a score: `Rovers 2 Ashby Town 1`)."""
    s = s.strip()
    if not s or word_count(s) > ENTRY_WORDS or s.endswith((".", "!", "?", ":")):
        return False
    return _ENTRY_MARK.search(s) is not None


def _category_at(lines: Sequence[str], k: int) -> int:
    """The number of listing entries (`is_listing_entry`) under line k when it is a category label (a heading of at
    most LABEL_WORDS words with no digit: `Music`, `Film`, `Family days out`), 0 otherwise."""
    if not _is_short_label(lines[k].strip()):
        return 0
    n = 0
    while k + 1 + n < len(lines) and is_listing_entry(lines[k + 1 + n]):
        n += 1
    return n


def labels_a_listing(lines: Sequence[str], i: int) -> bool:
    """Line i is a category label of a listing the article carries (`Music` over `The Harbour Quartet, St Anne's
    Church, Saturday 7pm` and another entry, then `Film` over its own): CATEGORY_ENTRIES or more entries under it
    and under CATEGORIES or more different labels in the text, the first of them under a sentence (the article
    leading into its listing). A menu's labels stand together, with no entries of fields and numbers under each."""
    if _category_at(lines, i) < CATEGORY_ENTRIES:
        return False
    heads = [k for k in range(1, len(lines)) if _category_at(lines, k) >= CATEGORY_ENTRIES]
    if len({lines[k].strip().casefold() for k in heads}) < CATEGORIES:
        return False
    return is_prose(lines[heads[0] - 1], SECTION_LINE_WORDS) or announces_list(lines[heads[0] - 1])


# a sentence that names the kind of items a list under it holds, without a colon (`... most of the set, which ...`,
# `The shortlisted titles span four continents.`): works and their parts, a contest's entrants, a how-to's steps
_LIST_NOUN = re.compile(
    r"\b(?:songs|tracks|the set|set ?list|setlist|titles|books|novels|films|albums|poems|dishes|recipes|steps"
    r"|winners|nominees|finalists|entrants|shortlist|line-?up|squad|teams|results|fixtures)\b",
    re.IGNORECASE,
)


def names_its_items(s: str) -> bool:
    """The sentence over a run of short lines names the kind of items the run holds (`songs`, `the set`, `titles`,
    `nominees`, `teams`, `results`, `steps`): the run is the list it speaks of, not other stories' headlines."""
    return is_prose(s, MIN_INTRO_WORDS) and _LIST_NOUN.search(s) is not None


def heads_its_items(s: str) -> bool:
    """A short heading (two to LABEL_WORDS words, no closing punctuation) that names the kind of items under it
    (`Relay winners`, `The nominees`, `Set list`): the lines under it are its list, not tags. (A menu's one-word
    `Results` or `Fixtures` is not one.)"""
    s = s.strip()
    return 2 <= word_count(s) <= LABEL_WORDS and not s.endswith((".", "!", "?")) and _LIST_NOUN.search(s) is not None


COMMA_FIELDS = 3  # a row of a table printed with commas has at least this many fields ...
COMMA_FIELD_WORDS = 5  # ... of at most this many words each


def is_comma_table(lines: Sequence[str]) -> bool:
    """Three or more lines of one shape, each COMMA_FIELDS or more short fields split by commas, the same number on
    every line (`Norland, Group A, ninth appearance`), and a column after the first that repeats a value (`Group A`)
    or holds a number on every line: a table the article prints as text. Headlines about people (`Jane Roe, 54,
    jailed for fraud`, `Tom Pell, mayor, resigns`) share no column."""
    if len(lines) < MIN_DATA_LINES:
        return False
    fields = [[f.strip().casefold() for f in s.strip().split(",")] for s in lines]
    n = len(fields[0])
    if n < COMMA_FIELDS or any(
        len(fs) != n or not all(0 < word_count(f) <= COMMA_FIELD_WORDS for f in fs) for fs in fields
    ):
        return False
    columns = [[fs[j] for fs in fields] for j in range(1, n)]
    return any(len(set(col)) < len(col) or all(any(c.isdigit() for c in f) for f in col) for col in columns)
