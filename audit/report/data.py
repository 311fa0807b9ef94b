"""The report's data: what the page shows, computed from an audit's results (no HTML here).

Corpus totals and bands, the `max_docs` lowest-scoring documents (worst first) with their titles, main
reasons in plain words, findings and deductions, the sources, the name variants and the claims. The page
itself (audit.report, the template and its script) renders this data and nothing else.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from audit import __version__
from audit.catalog import all_checks, label_of
from audit.corpus.mentions import name_tokens
from audit.corpus.quotes import MESSAGE_QUOTE_CUT
from audit.data import trie_pattern
from audit.engine import AuditResult, DocResult
from audit.records import CATEGORIES, PAGE_RESIDUE, Finding
from audit.score import Deduction, format_deduction
from audit.sources import source_rows
from audit.text import cut_words

REPORT_DOCS = 10_000  # documents whose text the report embeds (the lowest-scoring; all are in scores.csv)
BINS = 10  # score bands of 10 points; mt_probability bands of 0.1
TITLE_LIMIT = 160  # characters of a title or first line in the list
QUOTE_LIMIT = 240  # characters of a quotation in a message
EXCERPT_CHARS = 200_000  # a longer document shows its first this many characters (to a line break) and says so

# Where each document's source came from, as the page says it.
SOURCE_FROM: dict[str, str] = {
    "column": "the `source` column of the input",
    "folder": "the folder each file sits in (a file at the top of an input folder takes that folder's name)",
    "file": "the name of the input file, without its suffix",
    "url-host": "the host name of each document's `url` (without `www.`)",
    "none": "nowhere: these documents have no source and are grouped under (none)",
}

_COVERAGE = re.compile(r"(.+) cover (\d+%) of the text")
_QUOTED = re.compile(r"“([^”]*)”")


def plain_deduction(d: Deduction) -> str:
    """A score deduction in plain words, from its data: `not in the expected language`, `menu or button label (3×)`."""
    if not d.code:
        cover = _COVERAGE.fullmatch(d.message)
        return f"{cover.group(1)}: {cover.group(2)} of the text" if cover else d.message
    return (label_of(d.code) or d.message) + (f" ({d.count}×)" if d.count > 1 else "")


def main_reason(deductions: tuple[Deduction, ...]) -> str:
    """The first deduction in plain words; the residue share is named by the residue that covers it:
    `ad placeholder and other residue: 31% of the text`."""
    if not deductions:
        return "no findings"
    first = deductions[0]
    cover = _COVERAGE.fullmatch(first.message) if not first.code else None
    kinds = [d for d in deductions if d.code and d.category in PAGE_RESIDUE]
    if cover is None or not kinds:
        return plain_deduction(first)
    label = label_of(kinds[0].code) or kinds[0].message
    return f"{label}{' and other residue' if len(kinds) > 1 else ''}: {cover.group(2)} of the text"


def whole_quotes(message: str, suggestion: str | None) -> str:
    """A quotation the message cut short, given whole from the suggestion that holds it (cut at a word
    where it is long), or else cut back to the last whole word with an ellipsis: never `…end to the f”`."""
    if "“" not in message:
        return message

    def whole(m: re.Match[str]) -> str:
        q = m.group(1)
        if suggestion and len(suggestion) > len(q) and suggestion.startswith(q):
            return f"“{cut_words(suggestion, QUOTE_LIMIT)}”"
        if len(q) == MESSAGE_QUOTE_CUT and " " in q:
            return f"“{q[: q.rfind(' ')].rstrip(' ,;:-–—')}…”"
        return m.group(0)

    return _QUOTED.sub(whole, message)


def _reason_text(d: Deduction, r: DocResult) -> str:
    """A deduction as its reason string, a quotation its message cut short given whole (see `_whole_quotes`)."""
    if d.code and "“" in d.message:
        first = next((f for f in r.findings if f.code == d.code), None)
        if first is not None:
            d = replace(d, message=whole_quotes(d.message, first.suggestion))
    return format_deduction(d)


_MENU_SEPARATOR = re.compile(r"\s[|›»·•/>]\s|\s{3,}|\t")
HEADLINE_WORDS = (3, 25)  # a line of this many words may be a headline
BODY_WORDS = 30  # a line of more words is body text: the search for a headline stops there
TITLE_LINES = 8  # non-blank lines looked at for a headline


def reads_as_headline(line: str) -> bool:
    """Whether a line could be a headline: 3 to 25 words, mostly words with letters, no menu separators
    (` | `, ` › `, ` » `, ` · `, runs of spaces, tabs), not ending as a sentence or a label does (`.`, `:`, `,`)."""
    s = line.strip()
    words = s.split()
    if not HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] or _MENU_SEPARATOR.search(s):
        return False
    if s.endswith((".", ":", ",", ";")) and not s.endswith("..."):
        return False
    return sum(any(ch.isalpha() for ch in w) for w in words) >= 0.7 * len(words)


def _lines(text: str, limit: int = 20_000) -> Iterator[tuple[int, str]]:
    """(offset, line) of the non-blank lines in the first `limit` characters."""
    start = 0
    while start < len(text) and start < limit:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            yield start, text[start:end]
        start = end + 1


def document_title(meta: dict[str, Any], text: str, findings: list[Finding]) -> str:
    """The `title` column; else the first line that is not residue (an `[ad_1]`, another story's headline
    a check flagged) and reads as a headline (`reads_as_headline`: a menu or a label is passed over);
    else the first line that is not residue, or else the first non-blank line."""
    t = meta.get("title")
    if isinstance(t, str) and t.strip():
        return cut_words(t, TITLE_LIMIT)
    noise = sorted((f.start, f.end) for f in findings if f.category in PAGE_RESIDUE)
    first = clean = None
    for n, (start, line) in enumerate(_lines(text)):
        first = first if first is not None else line
        a = start + len(line) - len(line.lstrip())
        b = start + len(line.rstrip())
        if any(s <= a and b <= e for s, e in noise):
            continue
        clean = clean if clean is not None else line
        if reads_as_headline(line):
            return cut_words(line, TITLE_LIMIT)
        if len(line.split()) > BODY_WORDS or n >= TITLE_LINES:
            break
    return cut_words(clean if clean is not None else first or "", TITLE_LIMIT)


_SPACE_NAMES = {
    " ": "space",
    "\u00a0": "no-break space",
    "\u202f": "narrow no-break space",
    "\u2009": "thin space",
    "\t": "tab",
    "\n": "line break",
}


def _space_name(ws: str, article: str) -> str:
    if len(set(ws)) == 1:
        name = _SPACE_NAMES.get(ws[0], "white space")
        return f"{article} {name}" if len(ws) == 1 else f"{len(ws)} {name}s"
    return "the white space" if article == "the" else "white space"


def change_in_words(before: str, after: str | None) -> str | None:
    """A suggestion that changes only white space, in words (`remove the space before ':'`), where the
    new text alone would read as no change; None for any other suggestion."""
    if after is None or after == "" or before == after or "".join(before.split()) != "".join(after.split()):
        return None
    p = 0
    while p < min(len(before), len(after)) and before[p] == after[p]:
        p += 1
    q = 0
    while q < min(len(before), len(after)) - p and before[-1 - q] == after[-1 - q]:
        q += 1
    removed, added = before[p : len(before) - q], after[p : len(after) - q]
    if removed.strip() or added.strip():  # several changes apart: say what the spacing becomes
        return f"change only the spacing, to “{after}”"
    if removed and added:
        what = f"replace {_space_name(removed, 'the')} with {_space_name(added, 'a')}"
    elif removed:
        what = f"remove {_space_name(removed, 'the')}"
    else:
        what = f"add {_space_name(added, 'a')}"
    if q:
        return f"{what} before '{before[len(before) - q]}'"
    return f"{what} after '{before[p - 1]}'" if p else what


def excerpt_end(text: str, limit: int | None = None) -> int:
    """Where the report's excerpt of a text ends: the whole text when it has at most `limit` characters
    (default EXCERPT_CHARS), else the last line break in the final tenth before `limit`, else `limit`."""
    limit = EXCERPT_CHARS if limit is None else limit
    if len(text) <= limit:
        return len(text)
    cut = text.rfind("\n", limit - limit // 10, limit)
    return cut if cut > 0 else limit


def _host(url: Any) -> str:
    if not isinstance(url, str) or not url.strip():
        return ""
    try:
        url = url.strip()
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _mt_probability(r: DocResult) -> float | None:
    """The document's `mt_probability` (0-1) where the audit computed one."""
    p = getattr(r, "mt_probability", None)
    if p is None or p == "" or r.score is None:
        return None
    try:
        p = float(p)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(p) else min(1.0, max(0.0, p))


def _mt_not_judged(r: DocResult) -> bool:
    """True where `machine_translated` is `n/a`: the MT model gives no verdict (not English, or too short)."""
    from audit.provenance import NOT_JUDGED, mt_columns

    if not isinstance(getattr(r, "mt_probability", None), float) or r.score is None:
        return False
    return mt_columns(r, {f.code for f in r.findings}, 1.0)[0] == NOT_JUDGED


def _band(x: float, width: float) -> int:
    return min(BINS - 1, max(0, int(x // width)))


def _category_order(categories: dict[str, int]) -> list[str]:
    """The contract's five categories, provenance, then any a plug-in check added."""
    fixed = [*CATEGORIES, "provenance"]
    return fixed + sorted(c for c in categories if c not in fixed)


def _source_kind(r: DocResult) -> str:
    """How this document's source was set: as the loader recorded it (`meta["source_from"]`, which
    `--source-from` chooses), else as the input shows (a `.txt` file takes its folder)."""
    d = r.doc
    if not d.source:
        return "none"
    kind = d.meta.get("source_from")
    if isinstance(kind, str) and kind:
        return kind
    return "folder" if d.origin and d.origin.endswith(".txt") else "column"


class _Tally:
    """One pass over every document: corpus totals, per-source figures, the name variants found."""

    def __init__(self) -> None:
        self.totals: dict[str, Any] = {
            "documents": 0,
            "audited": 0,
            "findings": 0,
            "bins": [0] * BINS,
            "categories": dict.fromkeys(CATEGORIES, 0),
            "checks": {},
            "check_docs": {},
        }
        self.score_sum = 0.0
        self.sources: dict[str, dict[str, Any]] = {}
        self.source_from: Counter[str] = Counter()
        self.variants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.name_codes = frozenset(c.code for c in all_checks() if c.names)
        self.with_mtp = False

    def _source(self, r: DocResult) -> dict[str, Any]:
        key = r.doc.source or ""
        if key not in self.sources:
            self.sources[key] = {"bins": [0] * BINS, "with": Counter(), "mtp": [0] * BINS}
        return self.sources[key]

    def add(self, r: DocResult) -> None:
        t, s = self.totals, self._source(r)
        t["documents"] += 1
        self.source_from[_source_kind(r)] += 1
        if r.score is not None:
            t["audited"] += 1
            self.score_sum += r.score.score
            t["bins"][_band(r.score.score, 10)] += 1
            s["bins"][_band(r.score.score, 10)] += 1
        p = _mt_probability(r)
        if p is not None:
            self.with_mtp = True
            s["mtp"][_band(p, 0.1)] += 1
        t["findings"] += len(r.findings)
        codes, cats = set(), set()
        for f in r.findings:
            t["categories"][f.category] = t["categories"].get(f.category, 0) + 1
            t["checks"][f.code] = t["checks"].get(f.code, 0) + 1
            codes.add(f.code)
            cats.add(f.category)
            if f.code in self.name_codes and f.suggestion:
                v = self.variants[f.suggestion].setdefault(
                    f.evidence, {"form": f.evidence, "code": f.code, "occurrences": 0, "docs": set()}
                )
                v["occurrences"] += 1
                v["docs"].add(f.doc_id)
        for code in codes:
            t["check_docs"][code] = t["check_docs"].get(code, 0) + 1
        s["with"].update(cats)

    def finish(self) -> dict[str, Any]:
        """The totals, in a fixed order (byte-identical output whatever the hash seed)."""
        t = self.totals
        t["checks"] = dict(sorted(t["checks"].items()))
        t["check_docs"] = dict(sorted(t["check_docs"].items()))
        t["categories"] = {c: t["categories"].get(c, 0) for c in _category_order(t["categories"])}
        t["mean"] = round(self.score_sum / t["audited"], 1) if t["audited"] else None
        return t

    def source_from_rows(self) -> list[dict[str, Any]]:
        """Where the sources came from: one row a way, with its documents, commonest first."""
        return [
            {"kind": k, "documents": n, "text": SOURCE_FROM.get(k, k)}
            for k, n in sorted(self.source_from.items(), key=lambda x: (-x[1], x[0]))
        ]


def _tally_documents(result: AuditResult, max_docs: int) -> tuple[_Tally, dict[int, int]]:
    """One pass: the tally, and the documents to show: input position -> rank, worst first."""
    tally = _Tally()

    def tallied():
        for i, r in enumerate(result.results):
            tally.add(r)
            yield (-1.0 if r.score is None else r.score.score, r.doc.id), i

    keyed = tallied()
    worst = heapq.nsmallest(max_docs, keyed)  # holds max_docs items, not the corpus
    for _ in keyed:  # nsmallest(0, ...) reads nothing, and the totals need every document
        pass
    return tally, {i: rank for rank, (_, i) in enumerate(worst)}


def _shown_ranks(ids, rank_of_id: dict[str, int]) -> list[int]:
    return sorted(rank_of_id[x] for x in ids if x in rank_of_id)


def _name_clusters(
    variants: dict[str, dict[str, dict[str, Any]]],
    canon_docs: dict[str, list[str]],
    canon_count: dict[str, int],
    rank_of_id: dict[str, int],
) -> list[dict[str, Any]]:
    """Name clusters, those touching most documents first; each form's documents as ranks in the page's list."""
    clusters = []
    for canonical in sorted(variants):
        docs = canon_docs.get(canonical, [])
        forms = [
            {
                "form": canonical,
                "code": "",
                "occurrences": canon_count.get(canonical, 0),
                "docs": docs,
                "canonical": True,
            }
        ]
        for v in sorted(variants[canonical].values(), key=lambda v: (-len(v["docs"]), v["form"])):
            forms.append({**v, "canonical": False})
        touched = set(docs).union(*(v["docs"] for v in variants[canonical].values()))
        for f in forms:
            f["documents"] = len(set(f["docs"]))
            f["shown"] = _shown_ranks(set(f.pop("docs")), rank_of_id)
        clusters.append(
            {
                "canonical": canonical,
                "documents": len(touched),
                "occurrences": sum(f["occurrences"] for f in forms),
                "shown": _shown_ranks(touched, rank_of_id),
                "forms": forms,
            }
        )
    clusters.sort(key=lambda c: (-c["documents"], c["canonical"]))
    return clusters


class _Strings:
    """Messages, suggestions and reasons repeat across documents: stored once, referenced by index."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, s: str | None) -> int:
        if s is None:
            return -1
        if s not in self.index:
            self.index[s] = len(self.strings)
            self.strings.append(s)
        return self.index[s]


def _doc_entry(r: DocResult, ref: _Strings, codes: _Strings, categories: list[str]) -> tuple[dict[str, Any], list]:
    """One document of the page's list (what the list shows and filters on), and the part written with its
    text, read only when it is opened: its findings (`[start, end, code, message, suggestion]`) and url."""
    d = r.doc
    deductions = r.score.deductions if r.score else ()
    if r.score is None:
        main = f"unreadable: {d.reason or ''}"
    else:
        main = main_reason(r.score.deductions)
    url = d.meta.get("url")
    counts = r.score.counts if r.score else {}
    entry = {
        "id": d.id,
        "title": document_title(d.meta, d.text, r.findings),
        "host": _host(url),
        "source": d.source or "",
        "status": d.status,
        "reason": d.reason or "",
        "score": r.score.score if r.score else None,
        "share": r.score.clean_share if r.score else None,
        "story": r.story or "",
        "k": [counts.get(c, 0) for c in categories],  # findings per category, in the order of `categories`
        "c": sorted({codes(f.code) for f in r.findings}),  # the checks that fired, for the check filter
        "m": ref(main),
        "r": [ref(_reason_text(x, r)) for x in deductions],
    }
    p = _mt_probability(r)
    if p is not None:
        entry["mtp"] = round(p, 3)
    if _mt_not_judged(r):
        entry["mtv"] = "not judged"
    shown = excerpt_end(d.text)
    found = [
        [f.start, min(f.end, shown), codes(f.code), ref(whole_quotes(f.message, f.suggestion)), ref(f.suggestion)]
        + ([ref(words)] if (words := change_in_words(f.evidence, f.suggestion)) else [])
        for f in r.findings
        if f.start < shown or f.start == f.end == shown
    ]
    if shown < len(d.text):  # a huge document: [characters shown, characters in all, findings beyond]
        entry["cut"] = [shown, len(d.text), len(r.findings) - len(found)]
    return entry, [found, url.strip() if isinstance(url, str) else ""]


def _source_table(result: AuditResult, ratings: dict[str, str] | None, tally: _Tally) -> list[dict[str, Any]]:
    """The rows of sources.csv, each with its score bands, documents per category and mt_probability bands."""
    cats = list(tally.totals["categories"])
    rows = source_rows(result, ratings)
    for row in rows:
        fig = tally.sources.get(row["source"], {"bins": [0] * BINS, "with": Counter(), "mtp": [0] * BINS})
        row["bins"] = fig["bins"]
        row["with"] = {c: fig["with"].get(c, 0) for c in cats}
        if tally.with_mtp:
            row["mtp_bins"] = fig["mtp"]
    return rows


@dataclass
class ReportPage:
    """What the page is written from: its data, the documents shown (input position -> rank, worst first),
    and per shown document what is written with its text (findings and url)."""

    data: dict[str, Any]
    shown: dict[int, int]
    extras: list[Any]
    first_text: str | None = None


def _checks(codes: _Strings) -> dict[str, Any]:
    """Every check, as the page describes it; each code gets its index in `codes`, in code order."""
    out = {}
    for c in all_checks():
        codes(c.code)
        out[c.code] = {
            "category": c.category,
            "severity": c.severity,
            "summary": c.summary,
            "label": c.label,
        }
    return out


def report_page(result: AuditResult, ratings: dict[str, str] | None, max_docs: int) -> ReportPage:
    """The page's data, and what is written with each shown text."""
    tally, shown = _tally_documents(result, max_docs)
    totals, variants = tally.finish(), tally.variants
    ref, codes = _Strings(), _Strings()
    checks = _checks(codes)  # every check's code gets its index first, in code order
    page = ReportPage({}, shown, [None] * len(shown))
    docs: list[Any] = [None] * len(shown)
    canon_docs: dict[str, list[str]] = defaultdict(list)  # every canonical name form's documents
    canon_count: dict[str, int] = defaultdict(int)  # ... and occurrences
    # a name token is a piece of the text: where no canonical form is, the tokenizer has nothing to count
    somewhere = re.compile(trie_pattern(sorted(variants), lower=False)) if variants else None
    for i, r in enumerate(result.results):
        d = r.doc
        if somewhere is not None and d.readable and somewhere.search(d.text):
            seen = set()
            for _, _, w in name_tokens(d.text):  # the name checks' own tokenizer
                if w in variants:
                    canon_count[w] += 1
                    seen.add(w)
            for w in seen:
                canon_docs[w].append(d.id)
        if i not in shown:
            continue
        docs[shown[i]], page.extras[shown[i]] = _doc_entry(r, ref, codes, list(totals["categories"]))
        if shown[i] == 0:
            page.first_text = d.text[: excerpt_end(d.text)]
    r = d = None  # the last text read must not stay alive while the source table reads the results again
    page.data = {
        "version": __version__,
        "categories": list(totals["categories"]),
        "checks": checks,
        "codes": codes.strings,
        "totals": totals,
        "strings": ref.strings,
        "docs": docs,
        "sources": _source_table(result, ratings, tally),
        "source_from": tally.source_from_rows(),
        "mt_probability": tally.with_mtp,
        "names": _name_clusters(variants, canon_docs, canon_count, {d["id"]: k for k, d in enumerate(docs)}),
        "claims": list(result.claims),
    }
    return page


def report_data(
    result: AuditResult, ratings: dict[str, str] | None = None, max_docs: int = REPORT_DOCS
) -> dict[str, Any]:
    """The data the page renders: corpus totals, the `max_docs` lowest-scoring documents (worst first),
    sources, names, claims (each document's findings are written with its text)."""
    return report_page(result, ratings, max_docs).data
