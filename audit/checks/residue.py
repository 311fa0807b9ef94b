"""Scraper and page residue: text that came from the page around the article, not the article."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Container, Iterator

from audit.checks.structure import (
    closes_notice,
    in_cell_grid,
    in_data_block,
    in_programme,
    in_sender_contact,
    is_contact_head,
    is_event_header,
    is_list_item,
    is_schedule_entry,
    is_section_label,
    is_signoff_date,
    labels_a_listing,
    under_media_contact,
)
from audit.data import load_list, pattern_list, phrase_regex, trie_pattern
from audit.linemodel import is_whole_page
from audit.records import Hit
from audit.registry import check
from audit.scan import ALL, lower_case_form, lower_case_line
from audit.text import TextView, ends_sentence, is_prose, word_count, words

MAX_PROMPT_WORDS = 40  # a call to action is short; a long line that mentions "newsletter" is prose
EDGE_PROMPT_WORDS = 75  # ... but a notice of a few sentences at the body's edges (cookies, comment policy)
EDGE_LINES = 3  # the first and the last lines of the body are its edges


def _line_hit(line, message: str, suggestion: str | None = "", kind: str | None = None) -> Hit:
    start, end = line.span
    return Hit(start, end, message, suggestion, kind=kind)


_AD = re.compile(
    r"\[(?:ad|ads|advert|advertisement|adsense|adsbygoogle)[_\- ]?\d{0,3}\]"
    r"|^[ \t]*(?:advertisement|advert|sponsored|ad|ads|story continues below(?: this)? advertisement"
    r"|article continues below(?: this)? (?:ad|advertisement)|skip advertisement|continue reading below"
    r"|publicidade|publicidad|anzeige|werbung|publicité|pubblicità|iklan|реклама|reklama|reklam|advertentie)[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)


@check("RES001", "residue", "error", fix="remove", autofix=True, label="ad placeholder")
def ad_placeholder(view: TextView) -> Iterator[Hit]:
    """Ad placeholders and ad labels: `[ad_1]`, `[adsense]`, a line reading `Advertisement`.

    Auto-blogging plugins and ad slots leave these behind when a page is scraped.
    """
    for m in view.finditer(_AD):
        start, end = m.span()
        seg = view.text[start:end]
        start += len(seg) - len(seg.lstrip())
        end -= len(seg) - len(seg.rstrip())
        yield Hit(start, end, "ad placeholder", "")


_SEP = r"(?:\s*[:|»›>\-–—]|\s*$)"


def _opener_regex() -> re.Pattern[str]:
    return phrase_regex("related_openers", prefix=r"^[\s\[(•*\-–—]*", suffix=r"\b")


@functools.cache
def _intl_opener_regex() -> re.Pattern[str]:
    return phrase_regex("related_openers_intl", prefix=r"^[\s\[(•*\-–—]*", suffix=r"\b")


def _headers_regex() -> re.Pattern[str]:
    return phrase_regex("related_headers", prefix=r"^[\s\[(•*]*", suffix=_SEP)


_STORIES_HEADER = re.compile(
    r"^\s*(?:more|latest|top|related|popular|recommended|trending|featured|other|similar)\b[\w'’ ]{0,30}"
    r"\b(?:stories|news|articles|posts|videos|reads|headlines|links)\s*:?\s*$",
    re.IGNORECASE,
)


def is_link_header(s: str) -> bool:
    """A line that is only a header opening a list of links ("Related", "Most Popular", "Popular on X"; in
    other languages `related_openers_intl.txt`: "À lire aussi", "Zobacz też")."""
    s = s.strip()
    if s.endswith(("...", "…")):
        s = s.rstrip(".… ")  # "You may also like..."
    if len(s) > 60 or word_count(s) > 6 or s.endswith((".", "?", "!")):
        return False
    if _STORIES_HEADER.match(s):
        return True
    m = _headers_regex().match(s) or _opener_regex().match(s)
    if not m and not s.isascii():
        m = _intl_opener_regex().match(s)  # `Das könnte Sie auch interessieren`, `Zobacz też`
    if not m:
        return False
    rest = s[m.end() :].strip(" :|»›>-–—")
    return word_count(rest) <= 2 and ":" not in s[m.end() :].rstrip(": ")


@check("RES002", "residue", "warning", fix="remove", label="read-more link")
def related_link(view: TextView) -> Iterator[Hit]:
    """Read-more and related-story links: `Read more: ...`, `Related: ...`, `You may also like`.

    Fires on short lines that open with a known link phrase (`audit/data/related_openers.txt`, and
    `related_openers_intl.txt` for the phrases of other languages with letters outside ASCII), or that
    consist of a section header (`audit/data/related_headers.txt`) alone or followed by `:` or `|`.
    A sentence that merely opens with such words (`Also on July 26, the pilots ...`) is prose.
    """
    openers = _opener_regex()
    headers = _headers_regex()
    lines = [view.candidates(rx) for rx in (openers, headers, pattern_list("related_patterns"))]
    for line in view.body:
        s = line.text
        intl = None if s.isascii() or len(s) > 1000 else _intl_opener_regex().match(s)  # (`Lee también: ...`)
        if not intl and not any(line.index in c for c in lines) or len(s) > 1000 or word_count(s) > 30:
            continue  # none of the patterns can match this line (audit.scan), or it is too long
        m = intl or openers.match(s) or headers.match(s) or pattern_list("related_patterns").match(s)
        if m and (not is_prose(s, 10) or s[m.end() :].lstrip()[:1] in (":", "|", "»", "›", ">")):
            yield _line_hit(line, "link to another story or page")


_QUOTATION = re.compile(r"[\"“][^\"“”\n]{1,300}[\"”]")
SHORT_PROMPT_WORDS = 20  # phrases that also occur in prose count only on a line this short
FOOTER_WORDS = 12  # a footer or account link is a short line, never a sentence ...
FOOTER_SHARE = 0.5  # ... made up mostly of such links


@functools.cache
def _prompt_patterns() -> tuple[re.Pattern[str], ...]:
    return (
        phrase_regex("prompts"),
        pattern_list("prompt_patterns"),
        phrase_regex("prompts_short"),
        phrase_regex("footer_links"),
    )


_EVERY = (True, True, True, True)


@functools.cache
def prompt_pattern_parts() -> tuple[re.Pattern[str], ...]:
    """The patterns of `prompt_patterns.txt` one by one (`pattern_list` joins them): each is searched only on
    the lines that hold its own required literals, not any literal of them all (their alternation tries every
    pattern at every place of a line). A line matches the alternation where it matches one of them."""
    return tuple(re.compile(p, re.IGNORECASE) for p in load_list("prompt_patterns"))


def _any_pattern(s: str, parts: tuple[bool, ...] | None, low: str | None = None) -> bool:
    """Whether a pattern of `prompt_patterns.txt` matches `s`; `parts` says which can (the pre-filter scan:
    one flag a pattern of `prompt_pattern_parts`), None that any can (the alternation is searched); `low`:
    `s` in lower case (`_found`)."""
    return any(_found(rx, s, low) for rx in _prompt_rxs(parts, phrases=False))


def _searched(rx: re.Pattern[str], s: str, low: str | None) -> tuple[re.Pattern[str], str]:
    """What to search for `rx` in `s`: rx in s, or its form without `re.IGNORECASE` in `low`
    (`audit.scan.lower_case_line(s)`) where that finds the same (`audit.scan.lower_case_form`), three times
    faster."""
    form = lower_case_form(rx) if low is not None else None
    return (rx, s) if form is None else (form, low)


def _found(rx: re.Pattern[str], s: str, low: str | None) -> bool:
    """`rx.search(s)` found a match (searched as `_searched` says)."""
    pattern, text = _searched(rx, s, low)
    return pattern.search(text) is not None


def is_prompt(
    s: str,
    may: tuple[bool, bool, bool, bool] = _EVERY,
    limit: int = MAX_PROMPT_WORDS,
    parts: tuple[bool, ...] | None = None,
) -> bool:
    """A line that is a call to action: a phrase of `prompts.txt` or `prompt_patterns.txt` (at most `limit`,
    40, words),
    a phrase of `prompts_short.txt` (at most 20 words), or footer and account links of `footer_links.txt`
    that make up most of a short line that is not a sentence.

    `may` says which of those four lists can match the line at all (the document's pre-filter scan), and
    `parts` which patterns of `prompt_patterns.txt` can (None: any of them, where `may` allows)."""
    if len(s) > 1000 or not any(may):
        return False
    n = word_count(s)
    if n > limit:
        return False
    prompts, _, short, footer = _prompt_patterns()
    s = _QUOTATION.sub(" ", s)  # a call to action someone is quoted saying is part of the story
    low = lower_case_line(s)
    if may[0] and _found(prompts, s, low) or may[1] and _any_pattern(s, parts, low):
        return True
    if n <= SHORT_PROMPT_WORDS and may[2] and _found(short, s, low):
        return True
    if n > FOOTER_WORDS or s.rstrip().endswith((".", "!", "?", "”", '"')) or not may[3]:
        return False
    linked = sum(len(m.group()) for m in footer.finditer(s))
    return linked > 0 and linked >= FOOTER_SHARE * len("".join(s.split()))


@check("RES003", "residue", "warning", fix="remove", autofix=True, label="subscribe or share prompt")
def call_to_action(view: TextView) -> Iterator[Hit]:
    """Subscribe, share, follow and sign-up prompts, cookie, consent, app, login and comment-form notices.

    Fires on lines of at most 40 words (75 among the first and last three lines of a body of seven or
    more, where pages put notices of a few sentences: a cookie banner, a comment policy, an advertising
    disclosure; there, only a notice that a prompt phrase opens) that contain a phrase from
    `audit/data/prompts.txt` or a pattern
    from `audit/data/prompt_patterns.txt` (promotions that name the outlet: `Download the Example app
    for iOS and Android`), on lines of at most 20 words with a phrase from `audit/data/prompts_short.txt`
    (phrases that also occur in prose: `delivered to your inbox`), and on short lines that are not
    sentences and consist mostly of footer or account links from `audit/data/footer_links.txt`
    (`Privacy Policy | Terms of Use`, `Log In`; not `How to register to vote`).
    The default fix removes only lines that are prompts as a whole (not running prose, or a sentence a
    prompt phrase opens); a sentence that merely contains a prompt phrase is flagged with no suggestion,
    and one that reports on prompts (`a box asking you to sign up`) is not flagged.
    """
    lines = [view.candidates(rx) for rx in _prompt_patterns()]
    flags = _part_flags(view) if lines[1] else {}
    none = (False,) * len(prompt_pattern_parts())  # a line no pattern's literals are in
    n = len(view.body)
    for k, line in enumerate(view.body):
        i = line.index
        may = (i in lines[0], i in lines[1], i in lines[2], i in lines[3])
        if not any(may):
            continue
        edge = n > 2 * EDGE_LINES and (k < EDGE_LINES or k >= n - EDGE_LINES)
        limit = EDGE_PROMPT_WORDS if edge else MAX_PROMPT_WORDS
        parts = flags.get(i, none)
        if is_prompt(line.text, may, limit, parts):
            if is_whole_prompt(line.text):
                yield _line_hit(line, "call to action left by the page")
            elif word_count(line.text) <= MAX_PROMPT_WORDS and not _REPORTED_PROMPT.search(line.text):
                yield _line_hit(line, "sentence with a call to action (not removed by default)", None)
        elif (may[0] or may[1]) and (box := notice_box(line.text, parts, may[0])) is not None:
            yield _notice_hit(line, box)


def _part_flags(view: TextView) -> dict[int, tuple[bool, ...]]:
    """For each line that some pattern of `prompt_pattern_parts` can match (the pre-filter scan), which can:
    built from each pattern's few candidate lines, not by asking every line about every pattern."""
    rxs = prompt_pattern_parts()
    found: dict[int, list[bool]] = {}
    for n, rx in enumerate(rxs):
        lines = view.candidates(rx)
        for i in range(len(view.lines)) if lines is ALL else lines:  # (ALL: no pre-filter, every line)
            found.setdefault(i, [False] * len(rxs))[n] = True
    return {i: tuple(f) for i, f in found.items()}


def _notice_hit(line, box: tuple[int, int]) -> Hit:
    """A notice box that is the whole line is removed by the default fix; one glued to prose is flagged alone,
    and left for a person."""
    text = line.text
    if not text[: box[0]].strip() and not text[box[1] :].strip():
        return _line_hit(line, "notice box of several prompt sentences left by the page")
    start = line.span[0]
    return Hit(start + box[0], start + box[1], "notice box glued to prose (not removed by default)", None)


NOTICE_MAX_WORDS = 150  # a newsletter, comment-policy or data-credit box of a few sentences, run together
NOTICE_MIN_SENTENCES = 2
NOTICE_MIN_CHARS = 160  # (41 words take more characters than this: a cheap first test)
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:[\"”’)]?\s+(?=[\"“(*¿¡]?[A-Z0-9À-ÖØ-Þ])|(?:</?[a-z][^<>\n]{0,300}>)+\s*)")


def _prompt_rxs(parts: tuple[bool, ...] | None, phrases: bool = True) -> list[re.Pattern[str]]:
    """The phrase list's pattern (where `phrases`) and the patterns of `prompt_patterns.txt` that can match a
    line (`parts`, the pre-filter scan's answer; None: all of them)."""
    rxs = [_prompt_patterns()[0]] if phrases else []
    if parts is None:
        return [*rxs, _prompt_patterns()[1]]
    return rxs + list(itertools.compress(prompt_pattern_parts(), parts))


def _phrases_in(s: str, rxs: list[re.Pattern[str]]) -> int:
    """Matches of `rxs` in `s`, at most two a pattern (each searched as `_searched` says)."""
    low = lower_case_line(s)
    searches = (_searched(rx, s, low) for rx in rxs)
    return sum(1 for pattern, text in searches for _ in itertools.islice(pattern.finditer(text), 2))


def notice_box(s: str, parts: tuple[bool, ...] | None = None, phrases: bool = True) -> tuple[int, int] | None:
    """The span of a notice box in a paragraph longer than a prompt line (over 40 words, at most 150): a run of
    sentences (of at most 40 words each) that are calls to action or notices of `prompts.txt` /
    `prompt_patterns.txt`, at most one other sentence between two of them, holding at least two of them and at
    least half of the paragraph's sentences. Such is the box a page puts around a newsletter form (`Sign up ...
    You can unsubscribe at any time.`), a comment policy or a market-data credit (`Quotes delayed ... Market data
    provided by ...`). A paragraph of prose that mentions a newsletter once has one such sentence among many;
    None where there is no box."""
    if not NOTICE_MIN_CHARS <= len(s) <= 1500 or not MAX_PROMPT_WORDS < word_count(s) <= NOTICE_MAX_WORDS:
        return None
    rxs = _prompt_rxs(parts, phrases)
    if _phrases_in(s, rxs) < NOTICE_MIN_SENTENCES:
        return None  # (a cheap first look: two phrases anywhere in the line, quotations too, or no box)
    bare = _QUOTATION.sub(lambda m: " " * len(m.group()), s)  # (same offsets)
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(bare)), len(s)]
    spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if bare[a:b].strip()]
    hits = [
        k
        for k, (a, b) in enumerate(spans)
        if word_count(bare[a:b]) <= MAX_PROMPT_WORDS and any(rx.search(bare[a:b]) for rx in rxs)
    ]
    runs: list[list[int]] = []  # notice sentences with at most one other sentence between them
    for k in hits:
        if runs and k - runs[-1][-1] <= 2:
            runs[-1].append(k)
        else:
            runs.append([k])
    run = max(runs, key=len, default=[])
    if len(run) < NOTICE_MIN_SENTENCES or 2 * len(run) < len(spans):
        return None
    start, end = spans[run[0]][0], spans[run[-1]][1]
    return start, end - (len(s[start:end]) - len(s[start:end].rstrip()))


_REPORTED_PROMPT = re.compile(
    r"\b(?:ask|asks|asking|asked|tell|tells|telling|told|urge|urges|urging|urged|prompt|prompts|prompting"
    r"|prompted|invite|invites|inviting|invited|remind|reminds|reminding|nag|nags|nagging|beg|begging)"
    r"\s+(?:you|them|him|her|readers|users|people|visitors|viewers|customers|subscribers)\s+to\b",
    re.IGNORECASE,
)
"""A sentence that reports on a prompt (`a box asking you to sign up for the newsletter`, `pop-ups telling
them to log in to continue`): prose about prompts, not one; a page's own prompt does not describe itself."""


PROMPT_LEAD_WORDS = 3  # a clause is a prompt as a whole when its prompt phrase opens it (within 3 words)
_LEAD = re.compile(r"^[\W\d_]*(?:\w+[^\w\n]+){0," + str(PROMPT_LEAD_WORDS) + "}")
_CLAUSE = re.compile(r"(?:^|(?<=[.!?;:,])\s+)(?=\S)")


def is_whole_prompt(s: str) -> bool:
    """A prompt line as a whole, which the default fix may remove: not running prose, or a line in which a
    prompt phrase opens a sentence or clause (`Sign up for our newsletter to get ...`, `Don't miss a brief.
    Sign up for our daily email.`, `By checking this box, I agree to the terms ...`). A sentence that
    merely contains one (`The council urged residents to sign up for alerts.`) is left for a person."""
    if not is_prose(s, 8):
        return True
    s = _QUOTATION.sub(" ", s[:600])
    prompts, patterns, short, _ = _prompt_patterns()
    for c in _CLAUSE.finditer(s):
        clause = s[c.end() : c.end() + 160]
        lead = _LEAD.match(clause).end()
        if any((m := rx.search(clause)) is not None and m.start() <= lead for rx in (prompts, patterns, short)):
            return True
    return False


_COUNTER_WORDS = r"votes?|likes?|views?|shares?|comments?|replies|reads|responses|reactions"
_COUNTER = re.compile(
    r"^\s*(?:rating|" + _COUNTER_WORDS + r")\s*:?\s*[(\[]?\d[\d,. ]{0,12}[)\]]?(?:\s*(?:" + _COUNTER_WORDS + r"))?\s*$"
    r"|^\s*[(\[]?\d[\d,.]{0,8}[)\]]?\s*k?\s*(?:" + _COUNTER_WORDS + r")\s*$"
    r"|^\s*(?:(?:image|photo|picture|slide)\s*)?\d{1,3}\s*(?:of|/)\s*\d{1,3}\s*$",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^\s*home\s*[›»>/|]\s*\S.{0,150}$", re.IGNORECASE)
_BARE_COUNT = re.compile(r"^\s*[(\[]?(\d{1,3})[)\]]?\s*$")
_ICON = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _bare_counts(body: list) -> set[int]:
    """Lines holding a bare number of at most 3 digits (a share or comment count, a page number).

    Two or more in a row are table cells unless they count up by one (pagination).
    """
    nums = [_BARE_COUNT.match(ln.text) for ln in body]
    out: set[int] = set()
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and nums[j]:
            j += 1
        values = [int(m.group(1)) for m in nums[i:j] if m]
        if j - i == 1 or j > i and all(b == a + 1 for a, b in zip(values, values[1:], strict=False)):
            out.update(range(i, j))
        i = j + 1
    return out


@check("RES004", "residue", "warning", fix="remove", label="menu or button label")
def page_furniture(view: TextView) -> Iterator[Hit]:
    """Lines that are only a button or menu label or a counter: `Share`, `Email`, `Tags:`, `Rating: 36 Votes`, `1 / 23`.

    The labels are listed in `audit/data/ui_words.txt`; a line must consist of labels alone (an extractor
    may have joined them with single spaces: `Share Tweet Email`; not a lead-in: `See more photos:`; not a
    programme's one-word title under its time, `6.30pm` over `News`: structure.is_schedule_entry; not a
    release's `Contact` heading between its last sentence and a number or an address; not the label of one of the
    article's sections, alone between longer lines, in an article of three or more (`Politics` ... `Business` ...
    `Sport`), or two where the line under it takes up its word (`Video` over `The camera records steady video
    ...`), in an article's text rather than a whole page's: structure.is_section_label; not a category label of a
    listing the article leads into, `Music` and `Film` each over two or more entries of fields or numbers,
    `The Harbour Quartet, St Anne's Church, Saturday 7pm`: structure.labels_a_listing). A bare
    number counts when it has at most 3 digits and is not one of a run of table cells, nor a cell of a table
    left one cell a line (structure.in_cell_grid: other numbers and times around it, no button among them). Breadcrumbs
    (`Home > News > World`) count too, and so does a trail of a few capitalised section names run into
    the headline printed on the line above or below (`Home News World Storm hits the coast`), and a
    logo's text alternative alone on a line (`Example News Logo`), and contact details that are not a
    sentence (`... Suite 900 | 555-010-0100 tel | 555-010-0101 fax`), except in a press release's contact
    block under its media-contact label (`Press office`, `Pressekontakt`: structure.under_media_contact).
    """
    body, texts = view.body, view.body_texts
    counts = _bare_counts(body)
    article = not is_whole_page(texts)  # (a whole page's labels between long lines are its widgets' as often)
    for i, line in enumerate(body):
        more = not line.text.rstrip().endswith(".")  # (none of the rules below takes a line ending in a stop)
        if (
            i in counts
            and not in_cell_grid(texts, i, is_ui_label)
            or len(line.text) <= 60
            and _COUNTER.match(line.text)
        ):
            yield _line_hit(line, "page furniture (counter)")
        elif (
            (is_ui_label(line.text) or more and is_glued_labels(line.text))
            and not is_schedule_entry(texts, i)
            and not is_contact_head(texts, i)
            and not (article and is_section_label(texts, i))
            and not labels_a_listing(texts, i)
        ):
            yield _line_hit(line, "page furniture (button or menu label)")
        elif _BREADCRUMB.match(line.text) or more and is_crumb_trail(body, i):
            yield _line_hit(line, "page furniture (breadcrumb)")
        elif more and _LOGO.match(line.text):
            yield _line_hit(line, "page furniture (logo)")
        elif (
            more
            and is_contact_block(line.text)
            and not under_media_contact(texts, i)
            and not closes_notice(texts, i)
            and not in_sender_contact(texts, i)
        ):
            yield _line_hit(line, "page furniture (contact details)")


# an outlet's or a company's contact details in the footer: "... Suite 900 | 555-010-0100 tel | 555-010-0101 fax",
# "Tel: +44 20 7946 0000", "Phone: (555) 010-0100 Fax: (555) 010-0101"
_PHONE = r"\+?\(?\d[\d ().-]{6,}\d"
_CONTACT = re.compile(
    r"\b(?:tel|phone|telephone|fax|ph)\b\.?\s*:?\s*" + _PHONE + r"|" + _PHONE + r"\s*\(?(?:tel|phone|fax)\b",
    re.IGNORECASE,
)
CONTACT_WORDS = 30


def is_contact_block(s: str) -> bool:
    """Contact details on a line that is not a sentence: a phone or fax number with its label (`Tel:`, `fax`)."""
    low = s.lower()
    if "tel" not in low and "fax" not in low and "ph" not in low:
        return False  # (every match holds one of them)
    s = s.strip()
    return (
        len(s) <= 300
        and not s.endswith((".", "!", "?"))
        and word_count(s) <= CONTACT_WORDS
        and _CONTACT.search(s) is not None
    )


# a logo's text alternative on a line of its own: "Example News Logo", "EXAMPLE logo"
_LOGO = re.compile(r"^\s*(?:[A-Z0-9][\w&.'’-]*\s+){1,3}(?i:logo)\s*$")
CRUMB_WORDS = 6  # the sections of a breadcrumb trail before the page's title


def is_crumb_trail(body: list, i: int) -> bool:
    """A breadcrumb trail run into the page's title: line i is a few capitalised section names followed by
    the text of the line above or below it, the headline (`Home News World` + `Storm hits the coast`)."""
    s = body[i].text.strip()
    if len(s) > 300 or s.count(" ") < 3 or s.endswith("."):
        return False  # (a trail and a headline of 3+ words, which ends on no stop)
    for j in (i - 1, i + 1):
        t = body[j].text.strip() if 0 <= j < len(body) else ""
        if len(s) <= len(t) or not t or not s.endswith(t) or word_count(t) < 3:
            continue
        crumbs = s[: -len(t)].replace("»", " ").replace("›", " ").replace(">", " ").replace("/", " ").split()
        if 0 < len(crumbs) <= CRUMB_WORDS and all(w[:1].isupper() or w[:1].isdigit() for w in crumbs):
            return True
    return False


@functools.cache
def _ui_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load_list("ui_words"))


# the `Share on X` forms of a share bar (`Click to share on X`, `Partager sur X`): a lead, a verb of sharing and a
# preposition, in English and the languages of ui_words.txt; `_SHARE_ON` and the label vocabulary are made of them
_SHARE_LEADS = ("click to", "tap to")
_SHARE_VERBS = ("share", "post", "send", "tweet", "pin", "follow us", "email", "e-mail")
_SHARE_PREPS = ("on", "via", "to", "by", "with")
_SHARE_VERBS_INTL = ("compartir", "partager", "teilen", "condividi", "compartilhar", "partilhar", "udostępnij", "delen")
_SHARE_VERBS_INTL += ("поделиться",)
_SHARE_PREPS_INTL = ("en", "sur", "auf", "per", "via", "su", "no", "na", "em", "op", "в")
_SHARE_ON = re.compile(
    "^(?:" + "|".join(f"{w} " for w in _SHARE_LEADS) + ")?(?:" + "|".join(_SHARE_VERBS) + r")\s+(?:it\s+)?"
    "(?:" + "|".join(_SHARE_PREPS) + r")\s+"
    "|^(?:" + "|".join(_SHARE_VERBS_INTL) + r")\s+(?:" + "|".join(_SHARE_PREPS_INTL) + r")\s+"
)
_COUNT_IN_BRACKETS = re.compile(r"\s*[(\[]\d{1,6}[)\]]")
_NEW_WINDOW = re.compile(r"\s*\(?\s*opens in (?:a )?new (?:window|tab)\s*\)?\s*$", re.IGNORECASE)


def _is_label(part: str, ui: frozenset[str]) -> bool:
    if not part.isascii() or "opens in" in part.lower():  # (an ASCII part without it has nothing to cut)
        part = _NEW_WINDOW.sub("", part)
    part = part.strip().rstrip(":")
    return part in ui or bool(_SHARE_ON.match(part)) and _SHARE_ON.sub("", part) in ui


_LABEL_SEP = re.compile(r"(?=[\s|•·/])(?:\s*[|•·/]\s*|\s{2,})")  # (the look-ahead: where a separator can begin)


def is_ui_label(text: str) -> bool:
    """A line that consists of button or menu labels alone (`Share`, `Tweet | Email`, `Log In`).

    `Share on WhatsApp` and `Click to share on X (Opens in new window)` count when the network is a label.
    """
    if len(text) > 400:  # labels are short; and the substitutions below are quadratic on long runs of spaces
        return False
    s = _ICON.sub("", text) if "_" in text else text  # (each substitution only where it can match)
    s = _COUNT_IN_BRACKETS.sub("", s) if "(" in s or "[" in s else s
    s = s.strip().strip("|•·-–—:[]().…!").strip()
    if not s or len(s) > 80:
        return False
    ui = _ui_words()
    parts = [p.strip().lower() for p in _LABEL_SEP.split(s) if p.strip()]
    return bool(parts) and all(_is_label(p, ui) for p in parts)


@functools.cache
def _label_vocabulary() -> frozenset[str]:
    """Every word of a label (`audit/data/ui_words.txt` and the `Share on X` forms): a line with any other
    word cannot split into labels, which rules out almost every line before the split is tried."""
    forms = (*_SHARE_LEADS, *_SHARE_VERBS, *_SHARE_PREPS, "it", *_SHARE_VERBS_INTL, *_SHARE_PREPS_INTL)
    return frozenset(w for label in (*_ui_words(), *forms) for w in label.split())


def is_glued_labels(text: str) -> bool:
    """Labels an extractor joined with single spaces (`Share Tweet Email`), not a lead-in (`See more photos:`)."""
    s = text.strip()
    if len(s) > 120 or s.endswith((":", "?", ".")) or "  " in s:
        return False  # (a sentence, a lead-in)
    vocabulary = _label_vocabulary()
    s = s.strip("|•·-–—[]().…! ")
    if not s or s.split(None, 1)[0].lower().rstrip(":") not in vocabulary:
        return False  # (the first word tells for almost every line)
    ws = s.lower().split()
    if not 2 <= len(ws) <= GLUED_WORDS or not all(w in vocabulary or w.rstrip(":") in vocabulary for w in ws):
        return False
    return _glued_labels(ws, _ui_words())


GLUED_WORDS = 12  # a share bar or menu whose labels the extractor joined with single spaces is short
LABEL_WORDS = 4  # ... and each label has at most 4 words (`share on facebook`)


def _glued_labels(ws: list[str], ui: frozenset[str]) -> bool:
    """Words that split, left to right, into two or more labels: `Share Tweet Email`, `Share to X Share to
    Facebook` (a bar an extractor joined with single spaces)."""
    if not 2 <= len(ws) <= GLUED_WORDS:
        return False
    best = [0] + [-1] * len(ws)  # best[j]: fewest labels that cover the first j words (-1: none do)
    for j in range(1, len(ws) + 1):
        for k in range(max(0, j - LABEL_WORDS), j):
            if best[k] >= 0 and _is_label(" ".join(ws[k:j]), ui) and (best[j] < 0 or best[k] + 1 < best[j]):
                best[j] = best[k] + 1
    return best[-1] >= 2


@functools.cache
def _agency_alt() -> str:
    return trie_pattern(list(load_list("agencies")))


@functools.cache
def _agency_name() -> re.Pattern[str]:
    """An agency's name and nothing else (`Reuters`, `AP`)."""
    return re.compile(r"(?:" + _agency_alt() + r")", re.IGNORECASE)


@functools.cache
def _credit_patterns() -> tuple[re.Pattern[str], ...]:
    """The credit patterns, one a kind (a named group: label, foreign, courtesy, imgcopy, bracket, inline, paren,
    copy, agency, slash), in the order in which one pattern of them all would try them (`_credit_match`)."""
    agency = _agency_alt()
    return tuple(
        re.compile(part, re.IGNORECASE | re.MULTILINE)
        for part in (
            # "(Photo: X)", "Photo by X", "Image credit: X", "FILE PHOTO: ..."
            r"(?P<label>^\s*\(?(?:file\s+)?(?:photo|photograph|picture|image|pic|video|credit|illustration)s?"
            r"(?:\s+credit|\s+illustration)?\s*(?::|by\b|via\b)\s*\S.*$)",
            # the same labels in the languages news sites use most after English: "Foto: X", "Imagem: X",
            # "Bild: X" (those with letters outside ASCII, `Crédito: X`, `Фото: X`: `foreign_credit`)
            r"(?P<foreign>^\s*\(?(?:foto|fotos|imagem|imagen|bild|credito)\s*:\s*\S.{0,80}$)",
            # a credit line that opens with "Courtesy": "Courtesy of the artist", "Courtesy Example Museum"
            r"(?P<courtesy>^\s*\(?courtesy(?:\s+of)?\s+[^.!?\n]{2,60}\)?\s*$)",
            # "Image copyright Example Agency", "Image source: X", "Photo courtesy of X"
            r"(?P<imgcopy>^\s*(?:image|photo|picture|video|footage)\s+(?:copyright|source|courtesy(?:\s+of)?)\b\s*[:,]?\s*"
            r"(?-i:[A-Z©])[^.!?\n]{0,60}$)",
            # a caption closed by its credit in brackets: "... on Monday. (Photo: Example Agency)", "[Image by X]"
            r"(?P<bracket>[(\[]\s*(?:photo|photograph|picture|image|pic|video|footage|illustration)s?"
            r"(?:\s+(?:credit|courtesy|source))?\s*(?::|by\b|courtesy\b)\s*[^()\[\]\n]{1,80}[)\]]\s*$)",
            r"(?P<inline>\b(?:photo\s+)?credits?\s*(?:\.{2,}|…|:)\s*[A-Z][^\n]{0,80}$)",
            # "( NASA/JPL-Caltech/ASU )", "(AP Photo/Alan Diaz, File)"
            r"(?P<paren>\(\s*[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,3}(?:\s*/\s*[A-Z][\w.&'’ -]{0,40}){1,3}(?:,\s*file)?\s*\)\s*$)",
            # "© Sputnik/Hayk Harutyunyan", "(Image: © TNG Collaboration)"
            r"(?P<copy>[©ⓒ]\s*[^\s\d].{0,80}$)",
            # "... Stepanakert, Nagorno-Karabakh. EPA", "Alex Wong | Getty Images", "REUTERS/Brendan McDermid"
            r"(?P<agency>(?:[.!?)]\s+|\s[|/]\s*|/|^\s*)(?:"
            + agency
            + r")(?:\s*/\s*[\w.'’ -]{2,40}|\s+(?:file|photo|images?))?\s*\)?\s*$)",
            r"(?P<slash>\b(?:" + agency + r"|AP Photo)/[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,3}(?:,\s*file)?\)?\s*$)",
        )
    )


# credit labels with letters outside ASCII: "Crédito: X", "Crédit photo : X", Russian "Фото: X", and a picture
# from someone's own collection, "личный архив ..." (personal archive). Apart from the scanned patterns: a
# cased letter outside ASCII in a pattern sends the pre-filter scan (audit.scan) to `re` on every document.
_FOREIGN_CREDIT = re.compile(
    r"^\s*\(?(?:(?:фото|crédito|crédit(?:\s+photo)?)\s*:\s*\S.{0,80}|(?:из\s+)?личн(?:ый|ого)\s+архив\w*(?:\s+\S+){0,4})\s*$",
    re.I,
)


def foreign_credit(s: str) -> bool:
    """A credit line in another script or with accented labels (`Фото: X`, `личный архив X`, `Crédito: X`)."""
    return not s.isascii() and _FOREIGN_CREDIT.match(s) is not None


def _credit_match(line: str, index: int, parts: list[tuple[re.Pattern[str], object]]) -> re.Match[str] | None:
    """The match that one pattern of all the credit kinds (their alternation) finds in the line: the
    leftmost, and at one place the first kind. Each kind is searched only where the pre-filter allows it
    (`parts`: each pattern with its candidate lines), which is the whole gain of keeping them apart."""
    best = None
    for rx, lines in parts:
        if index in lines and (m := rx.search(line)) is not None and (best is None or m.start() < best.start()):
            best = m
    return best


def _patterns_by_line(parts: list[tuple[re.Pattern[str], Container[int]]]) -> dict[int, list[re.Pattern[str]]] | None:
    """For each line, the patterns (in their order) whose pre-filter answer holds it: a line asks only its
    own few patterns, not every pattern whether it may match. None where an answer is ALL (every line)."""
    if any(lines is ALL for _, lines in parts):
        return None
    out: dict[int, list[re.Pattern[str]]] = {}
    for rx, lines in parts:
        for i in lines:
            out.setdefault(i, []).append(rx)
    return out


def _may_match(parts: list[tuple[re.Pattern[str], Container[int]]], i: int) -> list[re.Pattern[str]]:
    """The patterns whose pre-filter answer holds line i (`_patterns_by_line`'s, asked of one line)."""
    return [rx for rx, lines in parts if i in lines]


def _any_line(candidates: list[Container[int]]) -> Container[int]:
    """The lines in any of the pre-filter's answers (`TextView.candidates`; ALL where one is ALL)."""
    if any(c is ALL for c in candidates):
        return ALL
    return set().union(*candidates)


@functools.cache
def _cue_patterns() -> tuple[re.Pattern[str], ...]:
    """The caption cues of `audit/data/caption_cues.txt`, one pattern a cue (`pattern_list` joins them)."""
    return tuple(re.compile(p, re.IGNORECASE) for p in load_list("caption_cues"))


MAX_CAPTION_WORDS = 60
# a credit alone in brackets under a picture: "(Example Pictures)", "(Walt Disney Co.)"
_SLASH_CREDIT = re.compile(
    r"^\s*(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+\s*/\s*[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4}\s*$"
)
_PAREN_CREDIT = re.compile(r"^\s*\(\s*[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|and|&|de|for)){0,5}\s*\)\s*$")


MAX_CAPTION_PROSE = 40  # a line of running prose this long that ends on an agency is a paragraph, not a caption


def _agency_in_prose(s: str, m: re.Match[str]) -> bool:
    """The agency's name found in line s (match m) is a sentence's: the line opens with it and goes on, or a
    paragraph ends on it (`... he told AFP`)."""
    opens = m.start() == len(s) - len(s.lstrip()) and word_count(s) > 4
    return opens or is_prose(s[: m.start() + 1], MAX_CAPTION_PROSE)


def _is_dateline(body: list, k: int) -> bool:
    """A name in brackets that opens the story (`(CNN)` between the headline and the first paragraph):
    one word, no sentence ends just above it (a caption would) and prose follows."""
    if len(body[k].text.split()) > 1:
        return False
    above = body[k - 1].text.rstrip() if k else ""
    return not above.endswith((".", "!", "?", ".”", '."')) and k + 1 < len(body) and is_prose(body[k + 1].text, 8)


@check("RES005", "residue", "warning", fix="remove", label="photo caption or credit")
def caption_credit(view: TextView) -> Iterator[Hit]:
    """Photo captions and credits: `© Sputnik/Name`, `Photo: X`, a caption ending in `. EPA`, `REUTERS/Name`.

    Also a caption closed by its credit in brackets (`... on Monday. (Photo: Example Agency)`) and
    `Image copyright X`, `Image source: X`, `Photo courtesy of X`, the same labels in other languages
    (`Foto: X`, `Фото: X`, `Imagem: X`, `Bild: X`, `Crédito: X`) and a Russian personal-archive credit.

    A credit marks its whole line as a caption when the line is short (at most 60 words); so does a
    caption cue from `audit/data/caption_cues.txt` (`Jane Roe, left, and ...`, `Pictured: ...`,
    `In this file photo ...`, `... poses for a photo`), and a capitalised name alone in brackets
    (`(Example Pictures)`) unless it is a dateline (one word, no sentence ends above it, prose follows: `(CNN)`
    before the first paragraph). A paragraph of running prose of 40 words or more that ends on an agency
    (`... he told AFP`) is not a caption. A caption without a verb right under a paragraph (`Jane Roe at her
    studio in the old town.`, `is_verbless_caption`) is one, and so is, in English, a subject and a participle
    with no full stop between two paragraphs (`Children carrying lanterns along Castle Street`,
    `is_participle_caption`), and the one short sentence or phrase over a picture's own credit
    (`captions_over_credits`).
    """
    credit = [(rx, view.candidates(rx)) for rx in _credit_patterns()]
    cues = [(rx, view.candidates(rx)) for rx in _cue_patterns()]
    copyright = view.candidates(_COPYRIGHT)
    # the lines where some credit kind, some cue, the bracketed or the slashed credit can match (pre-filter)
    any_credit, any_cue = _any_line([c for _, c in credit]), _any_line([c for _, c in cues])
    cues_of = _patterns_by_line(cues)
    paren, slash = view.candidates(_PAREN_CREDIT), view.candidates(_SLASH_CREDIT)
    found, credits = [], []
    for k, line in enumerate(view.body):
        s, i = line.text, line.index
        if len(s) > 600:
            continue
        m = _credit_match(s, i, credit) if i in any_credit else None
        if i in copyright and _COPYRIGHT.search(s):
            continue  # a copyright notice is RES010's
        if m and m.lastgroup == "agency" and _agency_in_prose(s, m):
            m = None
        if (
            m
            or foreign_credit(s)
            or i in paren
            and _PAREN_CREDIT.match(s)
            and not _is_dateline(view.body, k)
            or i in slash
            and _SLASH_CREDIT.match(s)
        ):
            found.append(k)
            credits.append((k, m.lastgroup if m else "bare"))
        elif (
            i in any_cue
            and word_count(s) <= MAX_CAPTION_WORDS
            and any(rx.search(s) for rx in (cues_of.get(i, ()) if cues_of is not None else _may_match(cues, i)))
            or k
            and len(s) <= VERBLESS_CHARS
            and _bare_caption(view.body, k, view.is_english)
        ):
            found.append(k)
    pairs = caption_pairs(view.body, found) | captions_over_credits(view.body, credits, set(found))
    for k in sorted(set(found) | pairs):
        yield _line_hit(view.body[k], "photo caption or credit")


CREDIT_WORDS = 8  # a credit alone on its line under a caption is short
CAPTION_SENTENCE_WORDS = 30  # ... and the caption above it one short sentence
BARE_CREDIT_WORDS = 4
LAYOUT_PAIRS = 2  # a page shows its caption layout at least twice before it counts


_REPORTED = re.compile(r"[\"“][^\"“”\n]{25,}[\"”]|\b(?:said|says|told|tells|according\s+to|asked|added)\b", re.I)


def _caption_sentence(body: list, k: int) -> bool:
    """Line k can caption a picture: one short sentence or a phrase (4-30 words, not a lead-in ending in `:`)
    that reports and quotes nobody (`..., officials said.` is the story's; a word in scare quotes may stand) and
    is shorter than the line above."""
    s = body[k].text.strip()
    if not 4 <= word_count(s) <= CAPTION_SENTENCE_WORDS or s.endswith(":") or ". " in s or _REPORTED.search(s):
        return False
    return k == 0 or word_count(body[k - 1].text) > word_count(s)


def _bare_credit(s: str) -> bool:
    """A name alone, as credits print it: 1-4 capitalised words, no digits, no closing punctuation."""
    ws = s.split()
    return (
        0 < len(ws) <= BARE_CREDIT_WORDS
        and all(w[:1].isupper() for w in ws)
        and not any(c.isdigit() for c in s)
        and not s.rstrip().endswith((".", "!", "?", ":", ","))
    )


# what a caption does not say: it reports nobody (the words of saying in the languages news sites use most;
# from their grammars), looks ahead to nothing (modal and future verbs: the picture shows what is) and does
# not carry the argument on ("however", "also": a paragraph does)
_STORY_WORDS = re.compile(
    r"\b(?:sagte|sagt|sagten|erklärte|betonte|dit|déclaré|selon|explique|dijo|afirmó|explicó|según|señaló|disse"
    r"|afirmou|segundo|detto|dichiarato|secondo|powiedział|powiedziała|według|сказал\w*|сообщил\w*|заявил\w*"
    r"|рассказал\w*|отметил\w*|(?:по)?обещал\w*|что|dass|że|будет|будут|уже|также|expected|expects|will|would|could|should|shall|might|must|wird|werden|va|vont|however"
    r"|also|already|meanwhile|therefore|but|because|auch|bereits|aussi|déjà|también|ya|anche|já|też|już)\b",
    re.IGNORECASE,
)
# a credit for the page's lead picture is no caption's (`Main image credit: X`, `Top image: X`)
_LEAD_PICTURE = re.compile(r"\b(?:main|top|header|featured|lead|cover|hero)\s+(?:image|picture|photo)", re.I)


LONE_CAPTION_WORDS = 16  # a caption over its credit, where the line above is no longer than it
LONE_CAPTION_MIN = 6  # ... and no shorter: a line of a few words may be a paragraph of its own


def _lone_caption(body: list, k: int) -> bool:
    """Line k reads as the caption of the picture credited just below it: one short sentence or phrase
    (6-16 words, or up to 30 under a longer line, not a lead-in ending in `:`) that reports nobody, quotes
    nobody, says nothing of what will be, does not argue and is no list item (a step, a bullet)."""
    s = body[k].text.strip()
    n = word_count(s)
    if not LONE_CAPTION_MIN <= n <= CAPTION_SENTENCE_WORDS or s.endswith(":") or ". " in s or is_list_item(s):
        return False
    if n > LONE_CAPTION_WORDS and not (k and word_count(body[k - 1].text) > n):
        return False
    return not _REPORTED.search(s) and not _STORY_WORDS.search(s)


def _is_heading(s: str) -> bool:
    """A section heading: a short line (2-8 words) that does not end like a sentence. The line under one
    opens a section; a picture's caption follows a paragraph or the headline block."""
    return 2 <= word_count(s) <= 8 and not ends_sentence(s) and not _STAMP_LIKE.search(s)


_STAMP_LIKE = re.compile(r"\d|\bby\b|^\W*(?:von|par|por|przez|от)\b", re.IGNORECASE)  # a dateline or byline


_PLACE_WORDS = frozenset("at on in near during outside inside beside aboard under along".split())
_FINITE = frozenset(
    "is are was were be been has have had will would can could should may might must do does did said says told".split()
)
_DETERMINERS = frozenset(("a", "an", "the"))
_S_VERB_NEXT = _DETERMINERS | _PLACE_WORDS | frozenset("to his her their its up out down off".split())
_TOKEN = re.compile(r"[\w'’-]+")
# a full stop after four letters, not after an abbreviation (`Sts. Peter`, `Dr. Roe`); the stop first, the letters
# looked back at from it: the engine scans for `.` (a look-behind first is tried at every character)
_FIRST_SENTENCE = re.compile(r"\.(?<=[^\W\d_]{4}\.)\s")
VERBLESS_WORDS = (6, 16)
VERBLESS_SPACES = 40  # a caption with a second sentence (`An otter on a bank. Otters mark ...`) stays short
VERBLESS_CHARS = 300  # ... and a cheap first look at its length


def is_verbless_caption(s: str) -> bool:
    """A caption without a verb: a name or a noun phrase (`Jane Roe`, `An otter`: capitalised words, a
    determiner) then where it is (`at`, `on`, `in`, `near` ...), 6-16 words and a full stop, no quotation and
    no finite verb (no auxiliary or verb of saying, no word in `-ed`, no `-s` verb before an object or a place).
    `Jane Roe at her studio in the old town.`"""
    s = s.strip()
    if not s.endswith(".") or not s[:1].isupper() or s.count(" ") > VERBLESS_SPACES or ":" in s or '"' in s or "“" in s:
        return False  # (a cheap first look: most lines are longer sentences)
    toks = _TOKEN.findall(_FIRST_SENTENCE.split(s, 1)[0])
    if not VERBLESS_WORDS[0] <= len(toks) <= VERBLESS_WORDS[1]:
        return False
    low = [t.lower() for t in toks]
    at = next((i for i, t in enumerate(low[:7]) if t in _PLACE_WORDS), 0)
    if at < 2 or any(t in _FINITE or len(t) > 4 and t.endswith("ed") for t in low):
        return False
    if not all(t[:1].isupper() or t in _DETERMINERS for t in toks[:at]) and not _described(toks[:at]):
        return False
    return not any(low[j].endswith("s") and low[j + 1] in _S_VERB_NEXT for j in range(at, len(low) - 1))


def _bare_caption(body: list, k: int, english: bool) -> bool:
    """Line k is a caption with no credit under a paragraph: one without a verb (`is_verbless_caption`), or,
    in English, a subject and a participle between two paragraphs (`is_participle_caption`)."""
    if not is_prose(body[k - 1].text, 10):
        return False
    s = body[k].text
    if is_verbless_caption(s):
        return True
    return english and k + 1 < len(body) and is_prose(body[k + 1].text, 6) and is_participle_caption(s)


PARTICIPLE_WORDS = (7, 20)  # a caption of a subject doing something is a phrase of this many words
PARTICIPLE_AT = 6  # ... whose participle comes within this many words of its start, after its subject
# past participles that captions use of what the picture shows (`An otter photographed on ...`)
_SHOWN = frozenset("pictured photographed seen shown captured filmed".split())
# words in -ing that are nouns or prepositions, not a participle (`during`, `morning`, `meeting`, `building`)
_ING_NOUNS = frozenset(
    """during morning evening building nothing something anything everything king ring spring thing wing sing
    bring sting string swing ceiling wedding pudding meeting housing funding training parking shopping spending
    warning clothing ending beginning hearing reading opening ruling sibling darling viking cling fling
    sling""".split()
)
# words after which an -ing word is a noun or a gerund (`the meeting`, `for parking`, `of singing`)
_BEFORE_GERUND = (
    _DETERMINERS
    | _PLACE_WORDS
    | frozenset(
        "of for to from with by as his her their its our my your this that these those and or no any some".split()
    )
)
_GIVEN = frozenset("given taken told sent found held kept won lost chosen urged asked".split())


def _headline_verb(w: str, before: str) -> bool:
    """A passive verb of a headline (`given`, `warned`), not an adjective after a determiner (`a disused mill`)."""
    return (w in _GIVEN or len(w) > 4 and w.endswith("ed")) and before not in _BEFORE_GERUND


_SENTENCE_OPENERS = frozenset("however but and yet so still also then meanwhile instead moreover thus".split())
_CAPTION_NOT = re.compile(r"[\"“”„«»:;?!]|\b(?:said|says|told|tells|according)\b", re.IGNORECASE)


def is_participle_caption(s: str) -> bool:
    """An English caption of a subject doing something, without a finite verb: a noun phrase (a name, `Members
    of the choir`, `An otter`) then, within its first six words, a participle in `-ing` or a participle of
    showing (`pictured`, `photographed`, `seen`), then where (`at`, `on`, `in`, `near`, `along` ...), 7-20 words
    in all (a subheading is shorter and says no place: `Businesses counting the cost`), no auxiliary or other finite verb
    (`is`, `was`, `has`, `will`, `said`), no word in `-ed` before the participle, no quotation, colon or
    question, no full stop (a paragraph of one sentence ends in one), not a list item: `Children carrying paper
    lanterns along Castle Street`. A subheading is shorter, a sentence has its verb."""
    s = s.strip()
    if not s[:1].isupper() or s.endswith(".") or _CAPTION_NOT.search(s) or is_list_item(s):
        return False
    low = [t.lower() for t in _TOKEN.findall(s)]
    if not PARTICIPLE_WORDS[0] <= len(low) <= PARTICIPLE_WORDS[1] or any(t in _FINITE for t in low):
        return False
    if low[0] in _SENTENCE_OPENERS:
        return False  # `However, exceeding the dose ...`: a sentence cut short, not a caption's subject
    for j in range(1, min(PARTICIPLE_AT, len(low))):
        t = low[j]
        if t in _SHOWN or len(t) > 5 and t.endswith("ing") and t not in _ING_NOUNS:
            if low[j - 1] in _BEFORE_GERUND or any(len(w) > 4 and w.endswith("ed") for w in low[:j]):
                return False
            rest = low[j + 1 :]
            if any(_headline_verb(w, low[j + k]) for k, w in enumerate(rest)):
                return False  # `Families living near the river given advice`: a headline's verb after the subject
            return any(w in _PLACE_WORDS for w in rest)  # where the picture was taken
        if len(t) > 4 and t.endswith("ed") or t in _NOT_NOUNS:
            return False
    return False


CAPTION_NOUN_WORDS = 3  # `An otter`, `A view of the harbour`: a determiner and a short noun phrase


def _described(head: list[str]) -> bool:
    """A noun phrase that opens with a determiner and has 1-3 more words in lower case, none of them a pronoun,
    an adverb or a negation, the last not in `-s` after another (a verb): `An otter`, `A general view`,
    `The protesters`: a caption's subject, not a sentence's."""
    if not head or head[0].lower() not in _DETERMINERS or not 2 <= len(head) <= CAPTION_NOUN_WORDS + 1:
        return False
    rest = head[1:]
    if any(not t.islower() or t in _NOT_NOUNS or t.endswith(("ly", "n't", "n’t")) for t in rest):
        return False  # a name (`The Wild still rank ...`), a pronoun, an adverb, a negation: a sentence's subject
    return not (len(rest) > 1 and rest[-1].endswith("s"))  # `The event begins on ...`: a verb before the place


_NOT_NOUNS = frozenset("he she it they we you i who which that this there what still also now then just even".split())


def captions_over_credits(body: list, credits: list[tuple[int, str]], known: set[int]) -> set[int]:
    """The caption over a picture's own credit: a credit alone on its line (at most 8 words, not the lead
    picture's) under one short sentence or phrase that reads as a caption (`_lone_caption`). One such pair
    is enough where the credit names a picture's maker (`Photo by X`, `Jane Roe/Example Agency`, `(Example
    Pictures)`); an agency's name alone (`Reuters`) also signs stories, so under it the article must go on.
    The body's first line (the headline or the lede), a line under a section heading (`_is_heading`: the
    section's first paragraph) and the line over a credit that closes the body (the credit may be the lead
    picture's, printed after the article) are not taken."""
    out = set()
    for k, kind in credits:
        s = body[k].text
        if not 2 <= k < len(body) - 1 or k - 1 in known or word_count(s) > CREDIT_WORDS or _LEAD_PICTURE.search(s):
            continue
        if kind == "agency" and not (
            k + 1 < len(body) and is_prose(body[k + 1].text, 6) and _caption_sentence(body, k - 1)
        ):
            continue
        if _lone_caption(body, k - 1) and not (k > 1 and _is_heading(body[k - 2].text)):
            out.add(k - 1)
    return out


def caption_pairs(body: list, credits: list[int]) -> set[int]:
    """Captions and credits recognised by the page's own layout: where short credit lines (`Jane Roe/Example
    Agency`) sit under one-sentence captions, twice or more, the captions are ones; and then a bare
    name under another such sentence, with prose below (`Example Observatory`), is a credit too. The
    article must go on below the credit: a credit at the end signs the story (`Reuters`) or credits the top
    picture, and the sentence above it is prose."""
    known = set(credits)
    pairs = [k for k in credits if 0 < k < len(body) - 1 and word_count(body[k].text) <= CREDIT_WORDS]
    pairs = [k for k in pairs if k - 1 not in known and _caption_sentence(body, k - 1)]
    pairs = [k for k in pairs if is_prose(body[k + 1].text, 12)]  # the article goes on below the picture
    if len(pairs) < LAYOUT_PAIRS:
        return set()  # one short paragraph over a credit may be the article's: a layout shows itself twice
    out = {k - 1 for k in pairs}
    for j in range(1, len(body) - 1):
        if j not in known and _bare_credit(body[j].text) and _caption_sentence(body, j - 1):
            if is_prose(body[j + 1].text, 12) and j - 1 not in known:
                out.update((j - 1, j))
    return out


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
# the months and weekdays of the other languages news sites print stamps in (Portuguese, Spanish, French,
# German, Italian, Dutch; from their calendars): "22 de outubro de 2010 às 20:13", "25. September 2018".
# `mars` (the planet) and `mai` stay out: "Mars 2020" is a mission.
_MONTHS_INTL = (
    "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro"
    "|enero|febrero|marzo|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|agosto|abril"
    "|janvier|février|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    "|januar|februar|märz|juni|juli|oktober|dezember"
    "|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    "|januari|februari|maart|augustus"
)
_WEEKDAYS_INTL = (
    "segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|sábado|domingo"
    "|lunes|martes|miércoles|jueves|viernes|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    "|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    "|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica"
)
# the words around a foreign stamp: "publicado em", "às", "à", "alle ore", "um ... Uhr", "publiziert am"
_STAMP_KEYS_INTL = (
    "publicado|atualizado|actualizado|publié|publiée|veröffentlicht|aktualisiert|publiziert|pubblicato|aggiornato"
)
_STAMP_WORDS = frozenset(
    (_MONTHS + "|" + _WEEKDAYS + "|" + _MONTHS_INTL + "|" + _WEEKDAYS_INTL + "|" + _STAMP_KEYS_INTL).split("|")
    + "updated update published posted modified created last first on at am pm a.m p.m et est edt pst pdt cst cdt gmt"
    " utc bst cet"
    " ist ago an hour hours minute minutes min mins second seconds day days week weeks month months year years"
    " read reading time today yesterday st nd rd th of"
    " de del em às las le à mis jour um uhr h il alle ore om el en"
    " minuto minutos leitura lectura lesezeit lecture lettura di"
    # the labels a stamp goes under (`Date:`, `Stand:`, `Fecha:`, `Opublikowano:`, `Gepubliceerd:`)
    " date datum fecha data stand dodano opublikowano aktualizacja zaktualizowano gepubliceerd bijgewerkt"
    " publicerad uppdaterad publicación publicacion actualización actualizacion".split()
)
_ORD = r"(?:st|nd|rd|th)?"  # "Sept. 20th", "20th of September"
# (the look-ahead: a digit or the first letter of a month, `an`/`one` or a stamp word, where every match begins;
# a branch added must begin with one of them, or widen it: tests/test_speed_equivalence.py)
_DATE_SIGNAL = re.compile(
    r"(?=[\djfmasondup])(?:\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
    r"|\b(?:"
    + _MONTHS
    + r")\.?,?\s+(?:\d{1,2}"
    + _ORD
    + r"|(?:19|20)\d\d)\b|\b\d{1,2}"
    + _ORD
    + r"\s+(?:of\s+)?(?:"
    + _MONTHS
    + r")\b|\b\d{1,2}\.?\s+(?:de\s+)?(?:"
    + _MONTHS_INTL
    + r")\b|\b\d{1,2}\.\s+(?:"
    + _MONTHS
    + r")\s+(?:19|20)\d\d\b"
    r"|\b\d+\s+(?:min|mins|minutes?|hours?|days?)\s+(?:ago|read)\b|\b(?:an|a|one)\s+hour\s+ago\b"
    # reading times in other languages: "2 minutos", "3 minutos de leitura", "4 Min. Lesezeit", "5 min de lecture"
    r"|\b\d{1,2}\s+minutos?\b|\b\d{1,2}\s+min\.?\s+(?:lesezeit|de\s+lecture|di\s+lettura)\b"
    r"|\b(?:updated|published|posted|modified)\b)",
    re.IGNORECASE,
)
_EMBED_ATTRIBUTION = re.compile(
    r"^[—–-]\s*.{0,60}\(@\w+\)"
)  # "— Name (@handle) November 18, 2019" closes an embedded post
# what every match of _DATE_SIGNAL holds (a digit, `hour` or one of its words): a cheap first look
_DATE_HINT = re.compile(r"\d|hour|updated|published|posted|modified", re.IGNORECASE)
_HINT_WORDS = ("hour", "updated", "published", "posted", "modified")
_ANY_DIGIT = re.compile(r"\d")
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u212a\u017f]")  # İ ı K ſ: `re.IGNORECASE` takes them for i, k, s


def _date_hint(s: str) -> bool:
    """`_DATE_HINT.search(s)`, a third of its time: a digit, else the words in the line's lower case, where no
    character folds to an ASCII letter under `re.IGNORECASE` other than by lower-casing (İ ı K ſ do)."""
    if _ANY_DIGIT.search(s):
        return True
    if not s.isascii() and _FOLDS_TO_ASCII.search(s):
        return _DATE_HINT.search(s) is not None
    low = s.lower()
    return any(w in low for w in _HINT_WORDS)


_STAMP_KEY = re.compile(
    r"\b(?:updated|published|posted|modified|ago|read|" + _STAMP_KEYS_INTL + r")\b|\d{1,2}:\d{2}", re.IGNORECASE
)


_DATE_VALUE = re.compile(
    r"\d{1,2}:\d{2}|\b\d{4}\b|\b(?:" + _MONTHS + r")\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:" + _MONTHS + r")\b", re.I
)
_UNTIL = re.compile(
    r"^\W*(?:[^\W\d_][\w' -]{0,24}:\s*)?(?:until|till|through|since|from|between|before|after|open|opens|closes|runs"
    r"|dated|released)\b|\b(?:embargo\w*|sperrfrist)\b",
    re.I,
)
"""When something runs, was signed or may be published (`Until August 23.`, `Availability: from January 2027`,
`Dated 5 December 2026`, `EMBARGOED UNTIL 00:01 GMT ...`): a date of the text's subject, not the page's stamp."""
_CLOCK = re.compile(r"(?<![\d:.])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])(?:\s*[ap]\.?\s?m\b\.?)?", re.I)
TIMETABLE_TIMES = 3  # a line with this many clock times is a row of a timetable (`Fenwick arr. 05:55 06:25 06:55`)
_PRICE = re.compile(r"[£$€¥]\s?\d|\d\s?(?:€|zł|kr|USD|EUR|GBP)(?!\w)")
_VERSION = re.compile(
    r"\b(?:v|version|versión|versão|versione|wersja)\s*\d+(?:\.\d+)+\b|(?<![\d.])\d+\.\d+\.\d(?![\d.])", re.I
)
_STAMP_WORD_KEY = re.compile(r"\b(?:updated|published|posted|modified|ago|read|" + _STAMP_KEYS_INTL + r")\b", re.I)


_FIELD_LABEL = re.compile(r"^\W*([^\W\d_][\w' -]{0,24}?)\s*:\s*\S")


def _other_label(s: str) -> bool:
    """The date is a field's value under a label that is no stamp's (`Starts: Tuesday 18 April 2028`, `Half term:
    ...`, `Deadline: 3 May`): the date of what the label names. `Updated:`, `Date:`, `Stand:` are a stamp's."""
    m = _FIELD_LABEL.match(s)
    if m is None or _CLOCK.search(s) or _STAMP_WORD_KEY.search(s):
        return False  # a time beside the date is a stamp's (`기사입력 :[ 2018-08-25 15:24 ]`)
    return not any(w.lower() in _STAMP_WORDS or w.lower() == "by" for w in words(m.group(1)))


# a timetable's arrival or departure mark before a time, in the languages of its boards: `arr. 06:50`, `dep 7.05`,
# `an 6:50`, `ab 7:02`, `arrivée 8h10`, `salida 9:15`, `przyj. 6:50`, `odj. 7:02`, `aankomst 6:50`
_ARR_DEP = re.compile(
    r"\b(?:arr|dep|arrives?|departs?|an|ab|arriv[ée]e|d[ée]part|llegada|salida|przyj|odj|aankomst|vertrek)\.?\s+"
    r"\d{1,2}[:.h]\d{2}\b",
    re.IGNORECASE,
)


def _is_data_date(s: str) -> bool:
    """A date or time that belongs to what the line lists, not to the page: a row of a timetable (three or
    more clock times, or an arrival or departure mark before a time: `Kesselfeld Hbf an 6:50`), a price
    beside the date (`On sale 12 December from £699`), a version number (`3.4.0 - 2026-11-28`: a release)."""
    return len(_CLOCK.findall(s)) >= TIMETABLE_TIMES or bool(
        _PRICE.search(s) or _VERSION.search(s) or _ARR_DEP.search(s)
    )


_REPUBLISHED = re.compile(r"^\W*(?:originally|first)\s+(?:published|appeared|posted)\b", re.IGNORECASE)
_DAY_MONTH = (
    r"(?:" + _MONTHS + r")\.?\s+\d{1,2}\b|\d{1,2}\s+(?:" + _MONTHS + r")\b|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b"
)
LEADING_DATE = re.compile(r"^\W{0,3}(?:(?:" + _WEEKDAYS + r")\.?,?\s+)?(?:" + _DAY_MONTH + ")", re.IGNORECASE)
"""A line that opens with a date (`July 19 -- ...`, `Mon., Nov. 4`, `19/07`)."""
LIST_RUN = 3  # this many lines in a row that open with a date are a list (tour dates, a schedule, a timeline)


def _is_stamp(s: str, first: bool) -> bool:
    """A date, time or reading-time stamp: a date signal and at most three words that are not part of it."""
    if not s or len(s) > 120 or not _date_hint(s) or not _DATE_SIGNAL.search(s):
        return False
    if _EMBED_ATTRIBUTION.match(s):
        return False
    if _UNTIL.search(s) or _is_data_date(s) or _other_label(s):
        return False  # "Until August 23.": when something runs, not when the page was written
    if _REPUBLISHED.match(s) and not _DATE_VALUE.search(s):
        return False  # "Originally published on Example Science": provenance, not a date
    ws = words(s)
    other = [w for w in ws if w.lower().rstrip(".") not in _STAMP_WORDS and w.lower() != "by"]
    if len(other) > 3 and "|" in s:
        return _stamp_with_byline(s)
    if len(other) > 3 or (ends_sentence(s) and s.rstrip()[-1] in ".!?" and len(ws) > 6):
        return False
    if s.rstrip()[-1:] in ".!?" and any(w.islower() and len(w) > 2 for w in other):
        return False  # "The event begins on July 27." is a sentence
    if _RANGE.search(s) and len(_DATE_SIGNAL.findall(s)) >= 2 and not _STAMP_KEY.search(s):
        return False  # "29 November 2018 – 20 January 2019": when an exhibition or a term runs, not a stamp
    return not (len(other) > 1 and not _STAMP_KEY.search(s) and first)  # a short dated headline is content


STAMP_PART_WORDS = 5  # a byline or a place beside the stamp: "New Delhi, Example Bureau | Updated: ..."


def _stamp_with_byline(s: str) -> bool:
    """A stamp line whose other parts, set off by `|`, are a byline, a desk or a place (`Example Desk | Updated:
    19 November 2019, 09:01 AM`): one part is a keyed stamp (`Updated`, `Published`, a time), each other part
    a few words that are not a sentence. A row of a table is content."""
    parts = [p.strip() for p in s.split("|") if p.strip()]
    stamps = [p for p in parts if _STAMP_KEY.search(p) and _is_stamp(p, False)]
    if len(stamps) != 1 or len(parts) > 3:
        return False
    rest = [p for p in parts if p is not stamps[0]]
    return all(word_count(p) <= STAMP_PART_WORDS and not p.endswith((".", "!", "?")) for p in rest)


_RANGE = re.compile(r"\s(?:–|—|-{1,2}|to|until|till|through|\|)\s", re.IGNORECASE)


def _date_lists(body: list) -> set[int]:
    """Indices of lines in runs of at least LIST_RUN consecutive lines that open with a date, and of lines
    that open with a clock time when at least LIST_RUN of them lie at most SCHEDULE_GAP lines apart: a
    programme, a timetable, a TV guide, a live blog's entries (`18:30 Evening news`, `9.15am Keynote`),
    with a line of description under each or not."""
    out: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*body, None]):
        if line is not None and LEADING_DATE.match(line.text.strip()):
            run.append(i)
            continue
        if len(run) >= LIST_RUN:
            out.update(run)
        run = []
    run = []
    for i in [i for i, line in enumerate(body) if _LEADING_TIME.match(line.text)] + [len(body) + SCHEDULE_GAP + 1]:
        if run and i > run[-1] + SCHEDULE_GAP:
            out.update(run if len(run) >= LIST_RUN else ())
            run = []
        run.append(i)
    return out


_OPENS_DATED = re.compile(
    r"^\W{0,3}(?:\d|(?:" + "|".join((_WEEKDAYS, _WEEKDAYS_INTL, _MONTHS, _MONTHS_INTL)) + r")\b)", re.IGNORECASE
)


def _is_row(s: str) -> bool:
    """A line that opens with a number, a weekday or a month and carries a date or time, or one with two or more
    clock times (`SK 412  Brannock 07:05 - Valletta 11:20`), and no stamp word."""
    if not _ANY_DIGIT.search(s):
        return False  # (every row holds a digit: a cheap first look)
    opens = _OPENS_DATED.match(s) and _DATE_SIGNAL.search(s) or len(_CLOCK.findall(s)) >= 2
    return bool(opens) and not _STAMP_WORD_KEY.search(s)


def _dated_rows(body: list, stamps: list[int]) -> set[int]:
    """The stamps (indices in `stamps`) that lie in runs of at least LIST_RUN consecutive short rows (`_is_row`:
    a date or time that opens the line, or two clock times; no stamp word such as `Updated`, `Published`,
    `ago`), each but the first (a heading) with words or numbers of its own beside it: the rows of opening
    hours, a timetable or a fixtures list (`Thursday 25 and Friday 26 December: closed`, `24 e 31 dicembre:
    10-14`). A run with bare dates among its lines (an archive's `February 2020` over its posts' dated
    titles) is not one, nor are related headlines or comment headers with their dates at the end. Only the
    lines around a stamp are looked at."""
    rows: dict[int, bool] = {}

    def row(k: int) -> bool:
        if k not in rows:
            rows[k] = len(body[k].text) <= 120 and _is_row(body[k].text)
        return rows[k]

    out: set[int] = set()
    for i in stamps:
        if i in out or not row(i):
            continue
        lo, hi = i, i
        while lo > 0 and row(lo - 1):
            lo -= 1
        while hi < len(body) - 1 and row(hi + 1):
            hi += 1
        if hi - lo + 1 >= LIST_RUN and all(_has_own_content(body[k].text) for k in range(lo + 1, hi + 1)):
            out.update(range(lo, hi + 1))
    return out


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _has_own_content(s: str) -> bool:
    """Beside its dates and years the line has words or numbers of its own (`closed`, `10-18`, a station)."""
    rest = _YEAR.sub(" ", _DATE_SIGNAL.sub(" ", s))
    return _has_own_words(rest) or _ANY_DIGIT.search(rest) is not None


def _has_own_words(s: str) -> bool:
    """The line has a word that is not a date's or a stamp's (a place, a label, `closed`)."""
    return any(len(w) > 1 and w.lower().rstrip(".") not in _STAMP_WORDS for w in words(s))


SCHEDULE_GAP = 3  # a schedule's times lie at most this many lines apart (a title and a description between)
_LEADING_TIME = re.compile(
    r"^\W{0,3}\d{1,2}(?:[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?|h)?|\s*(?:a\.m\.|p\.m\.|am|pm)|\s?(?-i:h)\s?\d{2})(?![\d:.])",
    re.I,
)


def _dated_subheads(body: list, stamps: list[int], lists: set[int]) -> set[int]:
    """Bare dates (no time, no `Updated`) when two or more head prose: the subheads of a diary or blotter;
    bare years count as heads too (a timeline's `1884`); bare dates with a weekday (`Friday 11 December`,
    `Vendredi 12 décembre`) when two or more head lines that are not stamps (a schedule's entries, `lists`,
    are not): the days of a listing or a schedule; and bare clock times (`4:14 p.m.`, `10 a.m. EST`, `09:05`) when
    two or more head prose: the entries of a live blog (`The Latest`), whose times are its structure,
    not the page's stamp."""
    bare = [i for i in stamps if not _STAMP_KEY.search(body[i].text)]
    years = [i for i, ln in enumerate(body) if _BARE_YEAR.match(ln.text)] if bare else []  # a timeline's `1884`
    heads = [i for i in bare + years if i + 1 < len(body) and is_prose(body[i + 1].text, 8)]
    out = set(bare) if len(heads) >= 2 else set()
    stamped = set(stamps) - lists
    days = [i for i in bare if _WEEKDAY.search(body[i].text) and i + 1 < len(body) and i + 1 not in stamped]
    out |= set(days) if len(days) >= 2 else set()
    times = [i for i, ln in enumerate(body[:-1]) if _BARE_TIME.match(ln.text) and is_prose(body[i + 1].text, 8)]
    return out | set(times) if len(times) >= 2 else out


_BARE_TIME = re.compile(
    r"^\s*(?:\d{1,2}:\d{2}(?:\s*(?:a\.m\.|p\.m\.|am|pm))?|\d{1,2}\s*(?:a\.m\.|p\.m\.|am|pm))(?:\s+[A-Z]{2,4})?\s*$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:" + _WEEKDAYS + "|" + _WEEKDAYS_INTL + r")\b", re.IGNORECASE)
_BARE_YEAR = re.compile(r"^\W{0,3}(?:1[5-9]|20)\d\d\W{0,3}$")


@check("RES006", "residue", "warning", fix="remove", label="date or time stamp line")
def timestamp(view: TextView) -> Iterator[Hit]:
    """Date, time and reading-time stamps on a line of their own: `Updated: September 20, 2023, 7:17 AM`.

    A line qualifies when it carries a date or time and at most three words that are not part of it
    (an author's name beside the date is allowed), and does not read as a sentence. Dates that are
    content are left alone: three or more lines in a row that open with a date (tour dates, a
    schedule), bare dates that head entries of prose (a police blotter, a diary), dates in code
    listings and aligned tables (SQL output, logs; `audit/checks/structure.py`), and
    `Originally published on ...` (provenance, PRV001). So are the rows of opening hours, timetables and
    fixtures (three or more in a row that open with a date or time, or hold two clock times, with words of
    their own), a line with three or more clock times, a date beside a price or a version number, an
    embargo, `Dated ...`, a field whose label is not a stamp's (`Starts: Tuesday 18 April`), a cell of a
    table left one cell a line, an event's date and time over its venue (structure.is_event_header) and the
    place and date a notice or a letter is signed with above its signatory (structure.is_signoff_date). Months, weekdays and stamp words of Portuguese,
    Spanish, French, German, Italian and Dutch count too (`sexta-feira, 22 de outubro de 2010 às 20:13`).
    """
    body = view.body
    stamps = [i for i, line in enumerate(body) if _is_stamp(line.text.strip(), i == 0)]
    lists = _date_lists(body) | _dated_rows(body, stamps)
    skip = lists | _dated_subheads(body, stamps, lists) | _repeated_heads(body, stamps)
    texts = view.body_texts
    for i in stamps:
        if (
            i not in skip
            and not in_data_block(texts, i)
            and not _grid_cell(texts, i)
            and not _heads_programme(texts, i)
            and not is_event_header(texts, i)
            and not is_signoff_date(texts, i)
        ):
            yield _line_hit(body[i], "date or time stamp")


_ROOM_MARK = re.compile(r"\d|\b[a-z]\b")  # the number or letter of a room, a court, a stage: `Court 2`, `Room B`


# weekdays of Dutch, Polish and Swedish programmes (`Zaterdag 16 januari`), asked only of a day over a programme
_MORE_WEEKDAYS = re.compile(
    r"\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|poniedziałek|wtorek|środa|czwartek|piątek"
    r"|sobota|niedziela|måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)\b",
    re.IGNORECASE,
)


def _heads_programme(texts: list[str], i: int) -> bool:
    """A day's date without a stamp word over a programme's entries (`Zaterdag 16 januari` over `10.00 uur
    Welkom`): the next line opens with a time, among others that do (structure.in_programme)."""
    return (
        i + 1 < len(texts)
        and (_WEEKDAY.search(texts[i]) or _MORE_WEEKDAYS.search(texts[i])) is not None
        and not _STAMP_WORD_KEY.search(texts[i])
        and in_programme(texts, i + 1)
        and _LEADING_TIME.match(texts[i + 1]) is not None
    )


def _repeated_heads(body: list, stamps: list[int]) -> set[int]:
    """Stamps of a time without a date, with a word of their own, no stamp word and no time opening them, whose wording, the
    numbers and letters of rooms aside, another stamp repeats with another number (`Court 1 (10:00)`, `Court 2
    (10:00)`; `Stage B, 14:30`): the heads of a list's sessions or rooms. A page has one stamp of a kind, or
    copies of the same one; a comment's stamps differ by their names or carry `ago`; a gallery's `Nov 18 52
    photos` opens with its date."""
    keys = {
        i: _ROOM_MARK.sub("#", body[i].text.strip().lower())
        for i in stamps
        if not _STAMP_WORD_KEY.search(body[i].text)
        and not LEADING_DATE.match(body[i].text.strip())
        and not _LEADING_TIME.match(body[i].text)
        and _has_own_words(_DATE_SIGNAL.sub(" ", body[i].text))
        and _CLOCK.search(body[i].text) is not None
        and not _DATE_SIGNAL.search(_CLOCK.sub(" ", body[i].text))
    }
    texts: dict[str, set[str]] = {}
    for i, key in keys.items():
        texts.setdefault(key, set()).add(body[i].text.strip())
    return {i for i, key in keys.items() if len(texts[key]) >= 2}


def _grid_cell(texts: list[str], i: int) -> bool:
    """A time or number alone on its line among the cells of a table left one cell a line (`16:02` of a board)."""
    return _CELL_TIME.match(texts[i]) is not None and in_cell_grid(texts, i, is_ui_label)


_CELL_TIME = re.compile(r"^\s*\d{1,2}[:.]\d{2}\s*$")
_NAME_PARTICLES = frozenset("de da di del della van von der den la le al el bin ibn dos das du st".split())
_HANDLE = re.compile(r"\s*(?:@\w{2,30}.*|\|.*|/.*)$")
RARE_NAME_ZIPF = 3.8  # a surname is rare as an English word
COMMON_ZIPF = 5.2  # ... and no part of a name is a very common word
COMMON_GIVEN_ZIPF = 5.45  # ... but after `By` a given name may be as common as `John` (not `Will`, `More`)


def _name_tokens_ok(tokens: list[str], need_rare: bool = True) -> bool:
    from audit.lexicon import english_zipf

    core = [t for t in tokens if t.lower() not in _NAME_PARTICLES and not re.fullmatch(r"[A-Z]\.?", t)]
    if not 2 <= len(tokens) <= 4 or not core:
        return False
    if not all(re.fullmatch(r"[A-Z][\w'’.-]*", t) and not any(c.isdigit() for c in t) for t in core):
        return False
    zipfs = [english_zipf(t.lower().strip(".")) for t in core]
    if not need_rare and len(zipfs) > 1 and zipfs[0] < COMMON_GIVEN_ZIPF:
        zipfs[0] = 0.0  # where a name is expected, its given name may be a common one (`John`)
    return max(zipfs) < COMMON_ZIPF and (min(zipfs) < RARE_NAME_ZIPF or not need_rare)


def is_byline_name(s: str, need_rare: bool = True) -> bool:
    """A line that is a person's name, optionally with a handle, a role or an outlet after a comma.

    `Jane Roe`, `Jane Roe @janeroe`, `JANE ROE, Staff Writer`. Each part of the name is capitalised,
    none is a very common English word and one is rare (a surname): headings and labels do not pass.
    With `need_rare=False` (after `By`, which already says a name follows) `Troy Smith` passes too.
    """
    if len(s) > 120:
        return False  # a byline is short
    s = _HANDLE.sub("", s.strip())
    name, _, rest = s.partition(",")
    if word_count(rest) > 5 or ":" in s or any(c.isdigit() for c in name):
        return False
    tokens = name.split()
    if all(t.isupper() for t in tokens if len(t) > 1):
        tokens = [t.title() for t in tokens]
    return _name_tokens_ok(tokens, need_rare)


_SOURCE = re.compile(
    r"^\s*\(?(?:source|sources|via|credit|credits|courtesy(?: of)?)\s*:\s*\S.{0,80}$"
    r"|^\s*\(?(?:with\s+)?(?:additional\s+)?(?:reporting|writing|editing|compiled|contributed|translated|"
    r"translation|research|production)\s+by\b.{0,300}$"
    r"|^\s*[A-Z][^\n]{0,150}?\bcontributed\s+(?:reporting|to\s+this\s+(?:report|story|article))\W*$"
    r"|^\s*\(?(?:[A-Z][\w'’.-]+\s+){1,3}(?:and\s+(?:[A-Z][\w'’.-]+\s+){1,3})?reported\s+from\s+[A-Z][^\n]{0,40}?\W*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?:by|(?:written|words|story|text|reported|posted)\s+by|von|por|par|di|door|av|af"
    r"|(?:author|autor|autora|autorin|auteur|autore|auteurs|autores)\s*:)\s+[A-Z@][^\n]{0,100}$",
    re.IGNORECASE,
)
_HANDLE_BYLINE = re.compile(r"^\s*(?:by\s+)?[^\W\d_][^@\n]{2,60}\s@\w{2,30}\b[^\n]{0,40}$", re.IGNORECASE)
# a writer's role or desk on a line of its own: "Opinion Columnist", "Staff Writer", "New Delhi Bureau", "Example
# Sports Staff", "Newsroom"
_ROLE_LINE = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]*,?\s+){0,4}(?i:columnist|correspondent|reporter|writer|editor|contributor|photographer"
    r"|bureau|desk)s?\s*$|^\s*(?:[A-Z][\w'’.-]*\s+){0,4}(?:Staff(?:\s+Reports?)?|Newsroom)\s*$"
)
_BARE_BY = re.compile(r"^\s*(?:by|por|par|von|door|di|przez)\s*:?\s*$", re.IGNORECASE)
# a byline of Korean and Chinese news: the writer's name and role alone ("홍길동 기자"; with an e-mail address the line
# is a contact line, BIO003), the editor's line ("责任编辑：张三")
_CJK_BYLINE = re.compile(
    r"^\s*(?:[가-힣]{2,4}\s?(?:기자|특파원|칼럼니스트|논설위원|선임기자|객원기자|통신원)"
    r"|(?:记者|記者|编辑|編輯|责任编辑|責任編輯)\s*[:：]?\s*[\u4e00-\u9fff]{2,4})\s*$"
)
# a site named as the source ("EXAMPLE.COM"); an address to visit ("www.example.com") is content
_DOMAIN_LINE = re.compile(
    r"^\s*(?!www\.)[a-z0-9][\w-]{1,40}(?:\.[\w-]{2,20}){0,2}\.(?:com|org|net|news|info|co\.uk|tv)\s*$", re.I
)


_WRITER = re.compile(
    r"[@|/]|\b(?:staff|correspondent|reporter|writer|editor|contributor|bureau|desk|team|newsroom|wire|agency)s?\b",
    re.IGNORECASE,
)


TOP_NAME_LINES = 4  # a writer's name alone is a byline among the body's first lines


@functools.cache
def _with_agency() -> re.Pattern[str]:
    """A desk or initials with a wire agency (`La rédaction avec AFP`, `L. C. with Reuters`, `Redacción con
    EFE`, `mit dpa`): how papers credit a story written from agency copy."""
    agency = r"(?:" + _agency_alt() + r")"
    return re.compile(
        r"^\s*(?:[\w.'’-]+\s+){0,4}(?:avec|with|con|mit|com|met|z)\s+"
        + agency
        + r"(?:\s*(?:,|/|et|and|y|und|e)\s*"
        + agency
        + r")*\s*$",
        re.IGNORECASE,
    )


def is_bare_byline(view: TextView, k: int) -> bool:
    """Line k is a person's name alone (`Jane Roe`, `JANE ROE`: `is_byline_name`, a rare surname) next to a
    date stamp, whose words the rest of the text never uses: the writer, not the subject (a profile's
    headline `Jane Roe` names a person the story goes on to name)."""
    s, body = view.body[k].text.strip(), view.body
    if "," in s or not is_byline_name(s):
        return False
    if not any(_is_stamp(body[j].text.strip(), False) for j in (k - 1, k + 1) if 0 <= j < len(body)):
        return False  # a byline sits by the story's date; a name alone elsewhere may be a heading (`Status Quo`)
    names = {w.casefold() for w in words(s) if len(w) > 2}
    rest = (ln.text for j, ln in enumerate(view.body) if j != k)
    return not any(names & {w.casefold() for w in words(t)} for t in rest)


def _names_a_writer(rest: str) -> bool:
    """What follows `By` names writers: people's names, an agency, a handle, or a name with a role or outlet."""
    if _WRITER.search(rest) or re.search(r"\b(?:" + _agency_alt() + r")\b", rest, re.IGNORECASE):
        return True
    return all(is_byline_name(p, need_rare=False) for p in _AND.split(rest.strip()) if p)


_AND = re.compile(r"\s+(?:and|&|und|et|y|e|i|en|och|og|oraz)\s+")  # `and` in the bylines' languages


_URL_LINE = re.compile(r"^\s*[(<\[]?https?://[^\s<>]{3,}[)>\]]?\s*$", re.IGNORECASE)
_OUTLET_WORDS = frozenset(
    "news times post press herald journal tribune daily radio television tv magazine gazette telegraph guardian"
    " observer chronicle wire network media reporter star sun mail standard".split()
)
_PAIR = re.compile(r"^\s*(?:by\s+)?([^,&]+?)\s*,?\s+(?:and|&)\s+(.+?)\s*$", re.IGNORECASE)


def _is_outlet(s: str) -> bool:
    """A news outlet after writers' names: capitals (`CNN`, `BBC News`), an agency, or `... News`/`... Times`."""
    s = s.strip(" ,|-–—:()")
    ws = s.split()
    if not 1 <= len(ws) <= 5 or not all(w[:1].isupper() for w in ws):
        return False
    if any(len(w) >= 2 and w.isupper() for w in ws) or ws[-1].lower().strip(".") in _OUTLET_WORDS:
        return True
    if ws[0] == "The" and 2 <= len(ws) <= 4:
        return True  # a title with its article: `The Daily Planet`, `The Example Courier`
    if _DOMAIN_LINE.match(s):
        return True  # a site: `Example.com`
    return _agency_name().fullmatch(s) is not None


# broadcasters that sign their writers' pieces by their initials (the agencies are in agencies.txt)
_BROADCASTERS = frozenset("CNN BBC NPR CBS NBC ABC PBS ITV RTÉ DW CBC SBS".split())


def is_name_and_outlet(s: str) -> bool:
    """A writer's name, a comma and the outlet, alone on a line: `Jane Roe, CNN`, `Jane Roe, The Courier`;
    or a name, `|` and a role or the outlet: `Jane Roe | Staff Writer`.
    The outlet is an agency, a broadcaster's initials, `The ...`, `... News` or a word of four capitals (`Los
    Angeles, CA` and `Santa Monica, USA` are places), and the line is not a sentence."""
    if len(s) > 80 or ends_sentence(s):
        return False
    name, sep, outlet = s.strip().partition("|") if "|" in s else s.strip().partition(",")
    ws = outlet.strip(" ,|-–—:()").split()
    if not ws:
        return False
    if sep == "|" and _ROLE_LINE.match(outlet):
        return is_byline_name(name, need_rare=False)  # `Jane Roe | Staff Writer`
    if not _is_outlet(outlet):
        return False
    named = (
        ws[0] == "The"
        or ws[-1].lower().strip(".") in _OUTLET_WORDS
        or any(len(w) >= 4 and w.isupper() or w in _BROADCASTERS for w in ws)
        or _agency_name().fullmatch(" ".join(ws)) is not None
    )  # (not a country's or a state's code: `Santa Monica, USA`, `Los Angeles, CA`)
    return named and is_byline_name(name, need_rare=False)


def is_pair_byline(s: str) -> bool:
    """Two writers' names joined by `and`, then their outlet: `Jane Roe and John Doe, CNN`."""
    m = _PAIR.match(s) if len(s) <= 120 and not ends_sentence(s) else None
    if not m or not is_byline_name(m.group(1), need_rare=False):
        return False
    tail = m.group(2).split()
    return any(
        is_byline_name(" ".join(tail[:k]), need_rare=False) and _is_outlet(" ".join(tail[k:]))
        for k in (2, 3)
        if len(tail) > k
    )


MAX_LONE_LINKS = 2  # more links alone on their lines are a list the article gives (shops, sources, documents)


def _lone_link(body: list, k: int, n_links: int) -> bool:
    """A link alone on line k is residue when the document has few such lines and no sentence above
    introduces it (`Buy it here:`)."""
    return n_links <= MAX_LONE_LINKS and not (k > 0 and body[k - 1].text.rstrip().endswith(":"))


@check("RES007", "residue", "warning", fix="remove", label="source or byline line", role="byline")
def source_line(view: TextView) -> Iterator[Hit]:
    """Source, credit and byline lines: `Source :Skai`, `Reporting by X; Editing by Y`, `By Jane Doe, Reuters`.

    A byline must be short (at most 12 words), not read as a sentence, and name writers after `By` (people's
    names, an agency, a handle, or a role or outlet after a comma: `By Land and Sea` is a subhead); a name with a handle
    (`Jane Roe @janeroe / 2 days`) is one too, and so are a role or desk alone (`Opinion Columnist`,
    `New Delhi Bureau`), a line that is only a site's domain (`EXAMPLE.COM`) or a full link
    (`https://example.com/story`; not when introduced by a line ending in `:` or one of three or more:
    a list of links the article gives), two writers with their outlet (`Jane Roe and John Doe, CNN`;
    `Jane Roe and John Doe The Daily Planet`, a title with its article), one writer with the outlet
    (`Jane Roe, CNN`; not a place: `Los Angeles, CA`), a Korean or Chinese byline (`홍길동 기자`, `责任编辑：张三`),
    `By` alone on its line (the writer's name was a link the extractor dropped), an author label
    (`Autor: Jane Roe`), a desk's staff (`Example Herald Staff`), a desk with a wire agency (`La rédaction
    avec AFP`), a writer's name alone among the first lines beside the date (`Jane Roe` over `March 3,
    2026`; a name the story never uses, so not a profile's subject), and
    a contributors' line that closes a story (`Jane Roe contributed reporting.`, `... contributed to this report.`).
    A line in a listing or a table (a git log's `Author: Name <address>`: structure.in_data_block) is the
    listing's data.
    """
    texts = view.body_texts
    for k, hit in _source_hits(view):
        if not in_data_block(texts, k):
            yield hit


def _source_hits(view: TextView) -> Iterator[tuple[int, Hit]]:
    """RES007's findings, each with its line's index in the body."""
    urls = [k for k, line in enumerate(view.body) if _URL_LINE.match(line.text)]
    # each pattern is tried only on the lines that hold one of its required literals (the pre-filter scan)
    source, domain, pair, role, handle, cjk, agency = map(
        view.candidates, (_SOURCE, _DOMAIN_LINE, _PAIR, _ROLE_LINE, _HANDLE_BYLINE, _CJK_BYLINE, _with_agency())
    )
    for k, line in enumerate(view.body):
        s, i = line.text, line.index
        if len(s) > 400:
            continue
        if k in urls and _lone_link(view.body, k, len(urls)):
            yield k, _line_hit(line, "link alone on a line")
        elif i in source and _SOURCE.match(s) or i in domain and _DOMAIN_LINE.match(s):
            yield k, _line_hit(line, "source or credit line")
        elif i in pair and is_pair_byline(s):  # (no `and` or `&`: no pair)
            yield k, _line_hit(line, "byline (two writers and their outlet)", kind="byline")
        elif ("," in s or "|" in s) and is_name_and_outlet(s):
            yield k, _line_hit(line, "byline (a writer and the outlet)", kind="byline")
        elif i in role and _ROLE_LINE.match(s) and s.strip()[:1].isupper() or i in cjk and _CJK_BYLINE.match(s):
            yield k, _line_hit(line, "byline (the writer's role)", kind="role")
        elif (
            i in handle
            and _HANDLE_BYLINE.match(s)
            and is_byline_name(s.split("@")[0].removeprefix("By ").removeprefix("by "))
        ):
            yield k, _line_hit(line, "byline", kind="byline")
        elif len(s) <= 8 and _BARE_BY.match(s):  # the name was a link the extractor dropped
            yield k, _line_hit(line, "byline without its name", kind="byline")
        elif i in agency and len(s) <= 80 and _with_agency().match(s):
            yield k, _line_hit(line, "byline (the desk with an agency)", kind="byline")
        elif k < TOP_NAME_LINES and is_bare_byline(view, k):
            yield k, _line_hit(line, "byline (a writer's name alone)", kind="byline")
        elif _BYLINE.match(s) and word_count(s) <= 12 and not s.rstrip().endswith((".", "?", "!")):
            if _names_a_writer(re.sub(r"^\s*(?:\w+\s+)?by\s+|^\s*\w+:?\s+", "", s, count=1, flags=re.IGNORECASE)):
                yield k, _line_hit(line, "byline", kind="byline")


_META_ISO = re.compile(
    r"\b(?:date|published|updated|modified|created|timestamp|pubdate|datetime)\s*(?:[:=]\s*)?"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
# where `\d{4}-\d{2}-\d{2}` (a part of every _META_ISO match) is, from its first `-`: the same texts have a match,
# found by a scan for the dash (a pattern that opens with digits is tried at every character: 50 times the time)
_ISO_DATE = re.compile(r"-(?<=\d{4}-)\d{2}-\d{2}")
# a blog post's footer: "Posted in News | Tagged storm, coast", "Filed under Politics, tagged with elections"
_POSTED_IN = re.compile(
    r"^\s*(?:posted|filed|published)\s+(?:in|under)\s+[^\n|]{1,80}?(?:\|\s*|,\s*|\s)tagged\b[^\n]{0,120}$",
    re.IGNORECASE,
)
# tags or categories a template joins with spaced commas: "Jane Roe All , Books , Reviews , News"
_SPACED_COMMAS = re.compile(r"\S\s+,\s+\S.*\S\s+,\s+\S")
TAG_LINE_WORDS = 15
_META_FIELD = re.compile(
    r"^\s*(?:tags?|tagged|tagged with|labels|categories|category|filed under|posted in|keywords|topics|section|issn|permalink|"
    r"short url|source url|url|author|authors|lang|language|reading time|tempo de leitura|lesezeit"
    # the tag labels of other languages (from their sites' templates): Spanish and Portuguese, German, French,
    # Italian, Dutch, Polish, Russian
    r"|etiquetas|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|mots[- ]cl(?:é|e)s|(?:é|e)tiquettes|parole chiave"
    r"|trefwoorden|tagi|s(?:ł|l)owa kluczowe|теги|метки|ключевые слова)\s*:"
    r"[ \t]*[^\n]{0,200}$",
    re.IGNORECASE,
)


def is_tag_line(s: str) -> bool:
    """A short line, not a sentence, of items a template joined with spaced commas (`Books , Reviews , News`)."""
    if " ," not in s and "\t," not in s:
        return False  # (every match holds a space before a comma)
    return word_count(s) <= TAG_LINE_WORDS and not s.endswith((".", "!", "?")) and _SPACED_COMMAS.search(s) is not None


@check("RES008", "residue", "warning", fix="remove", label="page metadata in the text")
def metadata_field(view: TextView) -> Iterator[Hit]:
    """Metadata fields leaked into the body: `date 2023-09-19`, `Tags: ...`, `Filed under: ...`.

    Also a short line (at most 15 words, not a sentence) of tags or categories that a template joined with
    spaced commas (`All , Books , Reviews , News`): edited prose never puts a space before a comma twice.
    And a blog post's footer: `Posted in News | Tagged storm, coast`. A field in a listing (a git log's
    `Author: Name <address>` under its `commit` line: structure.in_data_block) is the listing's.
    """
    seen: set[int] = set()
    dated = _ISO_DATE.search(view.text) is not None  # every match holds one: no need to look further without
    for m in view.finditer(_META_ISO) if dated else ():
        seen.add(m.start())
        yield Hit(m.start(), m.end(), "metadata field in the body", "")
    texts = view.body_texts
    for i, line in enumerate(view.body):
        txt = line.text.rstrip()
        if (
            _META_FIELD.match(txt)
            and word_count(txt) <= 25
            and not in_data_block(texts, i)
            or is_tag_line(txt)
            or "agged" in txt
            and _POSTED_IN.match(txt)
        ):
            start, end = line.span
            if not any(start <= s < end for s in seen):
                yield Hit(start, end, "metadata field in the body", "")


_HTML = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]{0,15}(?:\s[^<>\n]{0,500})?/?>"
    r"|&lt;/?[a-zA-Z][a-zA-Z0-9]{0,15}(?:\s[^\n&]{0,300})?/?&gt;"
    r"|&(?:nbsp|amp|quot|apos|lt|gt|mdash|ndash|rsquo|lsquo|rdquo|ldquo|hellip|copy|reg|trade|laquo|raquo|bull"
    r"|middot|eacute|egrave|aacute|oacute|uuml|ouml|auml|ccedil|ntilde|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});"
    r"|\[/[a-z][a-z_]{1,30}\]|\[[a-z][a-z_]{1,30}\s+[a-z_]{2,20}\s*=[^\]\n]{0,300}\]"
    r"|\[[a-z]+_[a-z_]+\]",
)
_HTML_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_KNOWN_TAGS = frozenset(
    "a abbr b blockquote br button caption cite code div em embed figcaption figure font footer form h1 h2 h3 h4 h5"
    " h6 head header hr html i iframe img input label li link meta nav noscript ol option p picture pre script"
    " section select small source span strong style sub sup svg table tbody td th thead time tr u ul video".split()
)


@check("RES009", "residue", "warning", fix="remove", autofix=True, label="HTML left in the text")
def html_remnant(view: TextView) -> Iterator[Hit]:
    """HTML tags, escaped tags, character entities and CMS shortcodes left in the text.

    `<div class=...>`, `&nbsp;`, `&lt;span ...&gt;`, `[button link=...]`, `[/automerge]`. Tags must be real
    HTML element names, and a tag with words after its name must have attributes (`name=value`), so
    `<3`, `3 < 4 > 2` and `<A note on eating fish>` in prose are not flagged.
    """
    for m in _HTML.finditer(view.text):
        s = m.group()
        if s.startswith("<"):
            name = _HTML_TAG_NAME.match(s)
            if not name or name.group(1).lower() not in _KNOWN_TAGS:
                continue
            if " " in s.strip("</>") and "=" not in s:
                continue  # "<A note on eating fish>": a title in brackets, not a tag with attributes
        if re.fullmatch(r"\[(?:ad|ads|advert)_\d+\]", s, re.IGNORECASE):
            continue  # RES001's
        yield Hit(m.start(), m.end(), "HTML or markup remnant", "")


_COPYRIGHT = re.compile(
    r"^\s*copyright\s*:?\s*(?:©|\(c\)|\d|(?-i:[A-Z])|$)|all\s+rights\s+reserved|may not be (?:published|reproduced)"
    r"|\b(?:content|text|work|material|site|website|photos?|images?|articles?)\s+(?:is\s+|are\s+)?"
    r"(?:licensed|available|published|distributed)\s+under\s+(?:a\s+|the\s+)?creative\s+commons\b"
    r"|\b(?:republished|reproduced|reprinted)\s+(?:from\s+[^\n]{1,60}?\s+)?under\s+(?:a\s+|the\s+)?creative\s+commons\b"
    r"|(?:©|ⓒ|\(c\)|\bcopyright)\s*(?:©\s*)?(?:19|20)\d\d\b"
    r"|^\s*[©ⓒ].{0,80}\b(?:inc|ltd|llc|corp|corporation|limited|plc|gmbh|co)\b\.?\s*$"
    # the rights notices of Korean, Japanese and Chinese news sites ("no reproduction or redistribution")
    r"|무단\s*전재|재배포\s*금지|無断転載|無断複製|版权所有|版權所有|不得转载",
    re.IGNORECASE,
)


@check("RES010", "residue", "warning", fix="remove", autofix=True, label="copyright notice")
def copyright_notice(view: TextView) -> Iterator[Hit]:
    """Copyright, licence and rights notices: `© 2019 CBS Interactive Inc. All Rights Reserved.`

    Also licence lines (`Content is available under Creative Commons ...`, `This article is republished
    from Example under a Creative Commons license.`) and the reproduction bans of Korean, Japanese and
    Chinese sites; a line of 25 words or more that reads as prose is never flagged.
    """
    notices = view.candidates(_COPYRIGHT)
    for line in view.body:
        if (
            line.index in notices
            and len(line.text) <= 400
            and _COPYRIGHT.search(line.text)
            and not is_prose(line.text, 25)
        ):
            yield _line_hit(line, "copyright notice")
