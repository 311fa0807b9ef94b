"""Name variants across the corpus: cluster spellings of one name and choose the canonical form.

Per document (extract): name mentions (`audit.corpus.mentions`). Across the corpus (decide):

1. Candidate pairs come from blocking on a transliteration-neutral consonant key and on the first
   four folded letters, so the work grows with the number of distinct names, not its square.
2. A pair is linked when the spellings are close once transliteration differences are neutralised
   (`tnorm`: Hryhorenko ~ Grigorenko, Pashinian ~ Pashinyan), or when a rarer spelling shares a given
   name with a well-attested one (Stéphane Dizaric ~ Stephane Dujarric: a garbled name).
3. Never linked: a word and its derivations (Russia/Russian, Armenia/Armenian, Azeri/Azeris), forms
   that a document states as aliases ("Stepanakert, known as Xankandi"), and given names used with
   different surnames (Antony Blinken / Antonio Guterres: two people).
4. The canonical form of a cluster is the best-supported one: documents and sources using it, then
   its frequency in English (wordfreq), then occurrences.

Place names also get a gazetteer pass: a form listed in `audit/data/exonyms.tsv` (curated) or
`audit/data/gazetteer.tsv` (from GeoNames) is reported with its English spelling.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from audit.corpus.mentions import DocMentions, english_zipf, extract_mentions
from audit.corpus.translit import block_key, fold, tnorm
from audit.data import load_table
from audit.model import Hit
from audit.registry import corpus_check
from audit.text import TextView

# tails that turn a name into another word: Russia/Russian, Azeri/Azeris, Ukraine/Ukrainian, Ivanov/Ivanova
DERIVATION_TAILS = frozenset(
    "a e i n s an en in on ia ie is es ns ans ian ians ese ish ic ics ism ist ite ites er ers ova eva ina".split()
) | {""}
SPELLING_SIMILARITY = 0.8  # normalised similarity of tnorm keys for a spelling variant
GARBLED_SIMILARITY = 0.55  # folded similarity for a garbled name that shares a given name
MIN_NAME_LEN = 4
MAX_BLOCK = 400
ESTABLISHED_ZIPF = 4.0


def is_derivation(a: str, b: str) -> bool:
    """True when one folded form is the other plus a derivational or inflectional tail."""
    fa, fb = fold(a), fold(b)
    n = 0
    for x, y in zip(fa, fb, strict=False):
        if x != y:
            break
        n += 1
    if n < 3:
        return False
    return fa[n:] in DERIVATION_TAILS and fb[n:] in DERIVATION_TAILS


def _similarity(a: str, b: str) -> float:
    return Levenshtein.normalized_similarity(a, b)


def _close_pairs(forms: list[str]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of a block that can be linked at all: close once transliteration is
    neutralised, or close enough folded to be a garbled name. One vectorised comparison of the whole
    block (rapidfuzz's cdist) instead of a Python loop over every pair."""
    import numpy as np
    from rapidfuzz.process import cdist

    tn = [tnorm(f) for f in forms]
    fo = [fold(f) for f in forms]
    spelling = cdist(
        tn, tn, scorer=Levenshtein.normalized_similarity, score_cutoff=SPELLING_SIMILARITY - 1e-6, dtype=np.float32
    )
    garbled = cdist(
        fo, fo, scorer=Levenshtein.normalized_similarity, score_cutoff=GARBLED_SIMILARITY - 1e-6, dtype=np.float32
    )
    ii, jj = np.nonzero(np.triu((spelling > 0) | (garbled > 0), k=1))  # equal keys score 1: included
    return zip(ii.tolist(), jj.tolist(), strict=True)


@dataclass(frozen=True)
class Variant:
    form: str
    canonical: str
    garbled: bool
    evidence: str


@dataclass
class NameAnalysis:
    variants: dict[str, Variant]  # form -> how it relates to its canonical form
    exonyms: dict[str, tuple[str, str]]  # form -> (English form, why)
    clusters: list[dict]


def _cluster(pairs: Iterable[tuple[str, str]], cannot_link) -> dict[str, str]:
    """Union the linked pairs in the order given (strongest first), refusing any union that would put
    two forms that must stay apart into one cluster; returns form -> cluster root."""
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        members.setdefault(x, [x])
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra == rb or any(cannot_link(x, y) for x in members[ra] for y in members[rb]):
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        members[keep] += members.pop(drop)
    return {x: find(x) for x in parent}


@functools.cache
def exonym_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for row in load_table("gazetteer"):
        table[row[0]] = (row[1], f"GeoNames: English spelling of {row[0]} ({row[2]})")
    for row in load_table("exonyms"):
        table[row[0]] = (row[1], row[2] if len(row) > 2 else "curated exonym")
    return table


def analyse(summaries: Mapping[str, DocMentions]) -> NameAnalysis:
    """The corpus-wide half: count, block, link, cluster and choose canonical forms."""
    docs: dict[str, int] = defaultdict(int)  # form -> documents using it
    named_sources: dict[str, set[str]] = defaultdict(set)
    sourceless: dict[str, int] = defaultdict(int)  # a document without a source counts as a source of its own
    occurrences: dict[str, int] = defaultdict(int)
    before: dict[str, set[str]] = defaultdict(set)
    after: dict[str, set[str]] = defaultdict(set)
    aliases: set[frozenset[str]] = set()
    for doc_id in sorted(summaries):
        m = summaries[doc_id]
        for form, n in zip(m.forms, m.counts, strict=True):
            docs[form] += 1
            if m.source is None:
                sourceless[form] += 1
            else:
                named_sources[form].add(m.source)
            occurrences[form] += n
        for prev, word in m.neighbours():
            before[word].add(prev)
            after[prev].add(word)
        aliases.update(m.aliases)
    alias_keys = {frozenset(fold(x) for x in pair) for pair in aliases}

    forms = sorted(f for f in docs if len(fold(f)) >= MIN_NAME_LEN)
    blocks: dict[str, list[str]] = defaultdict(list)
    for f in forms:
        blocks["k:" + block_key(f)].append(f)
        blocks["p:" + fold(f)[:4]].append(f)
        for g in before[f]:
            blocks["g:" + tnorm(g)].append(f)  # surnames after the same given name: garbled-name candidates

    def n_sources(f: str) -> int:
        return len(named_sources.get(f, ())) + sourceless.get(f, 0)

    def support(f: str) -> tuple:
        return (n_sources(f), docs[f], round(english_zipf(fold(f)), 2), occurrences[f], f.isascii(), f)

    def close(x: str, y: str) -> bool:
        return x == y or _similarity(tnorm(x), tnorm(y)) >= SPELLING_SIMILARITY

    pairs: dict[tuple[str, str], tuple[bool, str]] = {}
    for block in blocks.values():
        if len(block) < 2 or len(block) > MAX_BLOCK:
            continue  # an oversized block (a very common given name) would make the pass quadratic
        uniq = sorted(set(block))
        for i, j in _close_pairs(uniq):
            a, b = uniq[i], uniq[j]
            if (a, b) in pairs or fold(a) == fold(b) and a.casefold() == b.casefold():
                continue
            if is_derivation(a, b) or frozenset((fold(a), fold(b))) in alias_keys:
                continue
            if min(english_zipf(fold(a)), english_zipf(fold(b))) >= ESTABLISHED_ZIPF:
                continue  # both are established English words (Defence/Defense): a style choice, not a name
            ta, tb = tnorm(a), tnorm(b)
            spelling = ta == tb or _similarity(ta, tb) >= SPELLING_SIMILARITY
            # given names used with different surnames are different people
            if after[a] and after[b] and not any(close(x, y) for x in after[a] for y in after[b]):
                continue
            shared_given = bool(before[a] and before[b] and any(close(x, y) for x in before[a] for y in before[b]))
            if before[a] and before[b] and not shared_given:
                continue  # different given names: different people
            if spelling:
                pairs[(a, b)] = (False, "spelling variant", _similarity(ta, tb))
            elif shared_given and _similarity(fold(a), fold(b)) >= GARBLED_SIMILARITY:
                given = sorted(before[a] | before[b])[0]
                pairs[(a, b)] = (True, f"same given name ({given})", _similarity(fold(a), fold(b)))

    def cannot_link(x: str, y: str) -> bool:
        # stated aliases name one place in two languages: information, never a variant, even transitively.
        # (Derivations are refused pair by pair only: case endings that MT leaves, Minay/Minaya, would
        # otherwise split real clusters.)
        return frozenset((fold(x), fold(y))) in alias_keys

    strongest_first = sorted(pairs, key=lambda p: (-pairs[p][2], p))
    root = _cluster(strongest_first, cannot_link)
    members: dict[str, list[str]] = defaultdict(list)
    for f, r in root.items():
        members[r].append(f)
    variants: dict[str, Variant] = {}
    clusters = []
    for group in members.values():
        canonical = max(group, key=support)
        for f in group:
            if f == canonical or fold(f) == fold(canonical) and f.casefold() == canonical.casefold():
                continue
            key = (f, canonical) if (f, canonical) in pairs else (canonical, f)
            garbled, why, _ = pairs.get(key, (False, "same cluster", 0.0))
            # a garbled name has no support of its own: one source, unknown to English
            garbled = garbled and n_sources(f) == 1 and english_zipf(fold(f)) == 0.0
            variants[f] = Variant(f, canonical, garbled, why)
        clusters.append(
            {
                "canonical": canonical,
                "variants": [
                    {"form": f, "documents": docs[f], "occurrences": occurrences[f]}
                    for f in sorted(group, key=support, reverse=True)
                ],
            }
        )
    clusters.sort(key=lambda c: c["canonical"])

    table = exonym_table()
    folded_forms = {fold(x) for x in docs}
    partners: dict[str, set[str]] = defaultdict(set)  # folded form -> the folded forms stated as its aliases
    for key in alias_keys:
        a, *rest = key
        b = rest[0] if rest else a  # an alias that folds to the form itself
        partners[a].add(b)
        partners[b].add(a)
    in_forms = set(forms)
    exonyms: dict[str, tuple[str, str]] = {}
    for f in forms + [f for f in docs if f not in in_forms]:
        if f in table and f not in variants:
            eng, why = table[f]
            if eng != f and not any(p in folded_forms for p in partners.get(fold(f), ())):
                exonyms[f] = (eng, why)
    return NameAnalysis(variants, exonyms, clusters)


_LAST: list = [None, None]


def _cached_analysis(summaries: Mapping[str, DocMentions]) -> NameAnalysis:
    """The analysis shared by the name checks of one run (they see the same summary objects)."""
    key = tuple((k, id(v)) for k, v in sorted(summaries.items()))
    if _LAST[0] != key:
        _LAST[0], _LAST[1] = key, analyse(summaries)
    return _LAST[1]


def _mentions(view: TextView) -> DocMentions:
    return view.memo("mentions", extract_mentions)


def _hits(summaries: Mapping[str, DocMentions], describe) -> dict[str, list[Hit]]:
    """Every occurrence of the forms `describe(form, analysis)` has something to say about."""
    a = _cached_analysis(summaries)
    out: dict[str, list[Hit]] = {}
    for doc_id, m in summaries.items():
        for form, spans in m.occurrences():
            said = describe(form, a)
            if said is not None:
                message, suggestion = said
                out.setdefault(doc_id, []).extend(Hit(s, e, message, suggestion) for s, e in spans)
    return out


def _variant(form: str, a: NameAnalysis) -> tuple[str, str] | None:
    v = a.variants.get(form)
    return (f"name variant of {v.canonical} ({v.evidence})", v.canonical) if v and not v.garbled else None


def _exonym(form: str, a: NameAnalysis) -> tuple[str, str] | None:
    if form not in a.exonyms:
        return None
    eng, why = a.exonyms[form]
    return f"English usage is {eng} ({why})", eng


def _garbled(form: str, a: NameAnalysis) -> tuple[str, str] | None:
    v = a.variants.get(form)
    return (f"garbled name: probably {v.canonical} ({v.evidence})", v.canonical) if v and v.garbled else None


@corpus_check("NAME001", "name", "warning", fix="replace", names=True)
class NameVariant:
    """Spelling variants of one name across the corpus (`Pashinian` for `Pashinyan`); the suggestion is the canonical form.

    Spellings are clustered (transliteration-aware, blocked so that it stays near-linear) and the canonical
    form is the one used by the most sources and documents, then the most common in English (wordfreq).
    """

    extract = staticmethod(_mentions)

    @staticmethod
    def decide(summaries: Mapping[str, DocMentions]) -> dict[str, list[Hit]]:
        return _hits(summaries, _variant)


@corpus_check("NAME002", "name", "info", fix="replace", names=True)
class PlaceExonym:
    """Place names in a local spelling where English writes them otherwise (`Laçın` -> `Lachin`).

    From `audit/data/exonyms.tsv` (curated) and `audit/data/gazetteer.tsv` (GeoNames). A stated alias
    ("Stepanakert, known as Xankandi in Azeri") is information and is not reported.
    """

    extract = staticmethod(_mentions)

    @staticmethod
    def decide(summaries: Mapping[str, DocMentions]) -> dict[str, list[Hit]]:
        return _hits(summaries, _exonym)


@corpus_check("MT008", "mt", "error", fix="replace", mt_signal=True, names=True)
class GarbledName:
    """Names garbled by round-trip translation (`Stéphane Dizaric` for `Stephane Dujarric`).

    A spelling with no support of its own (one source, unknown to English) that shares a given name with
    a well-attested spelling it resembles; the suggestion is the attested form.
    """

    extract = staticmethod(_mentions)

    @staticmethod
    def decide(summaries: Mapping[str, DocMentions]) -> dict[str, list[Hit]]:
        return _hits(summaries, _garbled)
