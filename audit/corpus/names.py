"""Name variants across the corpus: link spellings of one name, and never two different names.

Per document (extract): name mentions (`audit.corpus.mentions`, English documents only). Across the
corpus, one analysis in six steps (`analyse`), computed once and shared by NAME001, NAME002 and MT008
(`shared_analysis`):

1. count: each spelling's documents, sources and occurrences, its neighbours (the given name before a
   surname, the title before a name), the aliases documents state, and the spellings some document
   writes in lower case (ordinary words).
2. block: candidate pairs come only from blocks (a transliteration-neutral consonant key and its
   ending, the first four letters, one given name in several languages, the names next to one given
   name or surname, one Slavic place stem), so the work grows with the distinct names, not their square.
3. link: string similarity alone never links two spellings; `judge_pair` asks for evidence (one story,
   one person) and says how sure the link is (`confidence`, 0-1). Besides spellings, two grammatical
   traces of translation from Slavic languages link inside one story: a place and the adjective or
   ending left on it (`place_form`: Kakhovka/Kakhovsky, Opytne/Opitnoye) and a case ending on both
   words of a name (`_case_anchor`: Ilan Shor/Ilana Shora).
4. cluster: links are merged strongest first; a merge that would join two forms that must stay apart
   is refused.
5. canonical: the best-supported form of a cluster (sources, documents, English frequency,
   occurrences); each variant's confidence is the weakest link on its path to the canonical form.
6. exonyms: forms listed in `audit/data/exonyms.tsv` (curated) or `audit/data/gazetteer.tsv`
   (GeoNames) get their English spelling.

Confidence means: at 0.8 or more (`FIX_CONFIDENCE`) a link is safe to apply unattended (`audit fix
--fix-names`); below that it is reported for a person to judge.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
import weakref
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from rapidfuzz.distance import Levenshtein

from audit.corpus.mentions import DocMentions, extract_mentions
from audit.data import load_list, load_table
from audit.lexicon import english_zipf
from audit.lexicon.translit import block_key, fold, loose_key, place_stem, tnorm
from audit.memory import memo
from audit.records import Hit
from audit.registry import corpus_check
from audit.text import TextView

# tails that turn a name into another word: Russia/Russian, Azeri/Azeris, Ukraine/Ukrainian, Ivanov/Ivanova
DERIVATION_TAILS = frozenset(
    "a e i n s an en in on ia ie is es ns ans ian ians ese ish ic ics ism ist ite ites er ers ova eva ina".split()
) | {""}
SPELLING_SIMILARITY = 0.8  # normalised similarity of tnorm keys for a spelling variant
# Folded similarity for a garbled name (a surname after a shared given name), derived from data by
# `python bench/eval_names.py --garbled`: the lowest value at which the similarity alone keeps 90% of
# what it lets through right, among surnames after one given name (or given names before one surname)
# in the WMT23 and mt-dev stories (labelled) and across 228 unrelated articles (all different people).
GARBLED_SIMILARITY = 0.55
SURE_GARBLED = 0.7  # ... and where that similarity alone is 92% precise (same data): safe to fix (confidence 0.8)
MIN_NAME_LEN = 4
SHORT_NAME_LEN = 3  # three-letter names (Dia/Diia) link only as accents, doubling or transliteration, in one story
MAX_BLOCK = 400
KNOWN_ZIPF = 1.5  # wordfreq knows the spelling beyond its noise floor: English uses it for something of its own
ATTESTED_ZIPF = 2.5  # English uses the spelling often: an entity or word of its own
WORD_ZIPF = 4.5  # as common as an everyday word (edition 4.8): never the partner of another spelling
RARE_ZIPF = 2.0  # rarer than this, two near-identical spellings hardly name two different things
COMMON_GIVEN_ZIPF = 4.0  # a given name this common (John, David) is no evidence that two people are one
# weighted co-mentioned names two documents share to tell one story: 254 of the 260 pairs of translations of
# one WMT23 story (98%) share at least this much, 37 of the 25,878 pairs of 228 unrelated articles (0.14%)
CONTEXT_MIN = 2.0
MAX_POSTINGS = 500  # a name in more documents than this is too common to place a document in a story
MAX_NEIGHBOURS = 100  # a document's closest documents by shared names: where its story is told
FIX_CONFIDENCE = 0.8  # links at or above this are safe to apply unattended (audit fix --fix-names)
TRIVIAL = ("same letters", "doubled letters", "transliteration")
LOOSE = "loose transliteration"  # equal by `translit.loose_key` (Lesbos/Lesvos, Pyotr/Petr): one story only
PLACE_FORM = "place form"  # a Slavic place name and the adjective or case form translation left (`place_form`)
CASE_ENDING = "case ending"  # a name with a Slavic case ending, next to a neighbour with the same one
# Slavic case endings that translation leaves on a masculine name ending in a consonant: genitive or
# accusative -a, dative -u/-ovi, instrumental -om (Ilana Shora is "of Ilan Shor"). From the grammars of
# Ukrainian, Russian, Polish and Czech, not from any evaluation file.
CASE_ENDINGS = ("a", "u", "om", "ovi")
PLACE_CONFIDENCE = 0.7  # reported, not applied unattended: the adjective may stand in a longer proper name
# English writes a word this common (Kyle 4.1, Chile 4.1, Nike 3.9, Niche 3.9, Cash 4.9, Miley 3.6): two
# spellings that a key rule makes alike (transliteration, doubling), one of them this common, are two
# words, unless a shared given name, surname or title ties them. Below it: Kyiv 3.1 / Kiev 3.5 (wordfreq).
LOOKALIKE_ZIPF = 3.5
# `_weight`'s line for a rare name: co-mentions rarer are content-bearing, and two forms both this common
# are common English words or names, which `--fix-names` never rewrites one into the other (`fix_safe`)
COMMON_NAME_ZIPF = 3.0
LOOKALIKE = ("doubled letters", "transliteration", LOOSE, "spelling", "given name")
REPORT_ONLY = 0.7  # the confidence a link is capped at where `--fix-names` must not apply it (`fix_safe`)
SIBLING_TAIL_ZIPF = 3.0  # Chrome+box / Chrome+books: two compounds whose different tails are English words


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


_DOUBLED = re.compile(r"(.)\1+")


@functools.cache
def given_name_groups() -> dict[str, int]:
    """tnorm key -> group: forms of one given name in several languages (`audit/data/given_names.tsv`)."""
    return {tnorm(f): i for i, row in enumerate(load_table("given_names")) for f in row}


def string_kind(a: str, b: str) -> tuple[str, float] | None:
    """How two spellings differ, from the most to the least harmless: `same letters` (accents or case:
    Müller/Muller, McDonald/Mcdonald), `doubled letters` (Zaporizhia/Zaporizhzhia), `transliteration`
    (equal once romanisation differences are neutralised: Hryhorenko/Grigorenko, Yuri/Yury), `loose
    transliteration` (equal by `translit.loose_key`, neither used often in English: Lesbos/Lesvos),
    `spelling` (close once neutralised: Gavrilita/Gavrilitsa) or `given name` (one given name in two
    languages, `audit/data/given_names.tsv`: Serhii/Sergei); None when they are further apart."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return "same letters", 1.0
    if _DOUBLED.sub(r"\1", fa) == _DOUBLED.sub(r"\1", fb):
        return "doubled letters", 1.0
    ta, tb = tnorm(a), tnorm(b)
    if ta == tb:
        return "transliteration", 1.0
    if loose_key(a) == loose_key(b) and max(english_zipf(fa), english_zipf(fb)) < ATTESTED_ZIPF:
        return LOOSE, 1.0  # not for names English uses often: Carl/Carr, Olson/Orson
    s = _similarity(ta, tb)
    if s >= SPELLING_SIMILARITY:
        return "spelling", s
    groups = given_name_groups()
    return ("given name", s) if groups.get(ta, -1) == groups.get(tb, -2) else None


def _close_pairs(forms: list[str], garbled: bool) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of a block that can be linked at all: close once transliteration is
    neutralised, one given name in two languages, or (in a block of names next to one name, `garbled`)
    close enough folded to be a garbled name. One vectorised comparison of the whole block (rapidfuzz's
    cdist) instead of a Python loop over every pair."""
    from rapidfuzz.process import cdist

    tn = [tnorm(f) for f in forms]
    close = (
        cdist(
            tn, tn, scorer=Levenshtein.normalized_similarity, score_cutoff=SPELLING_SIMILARITY - 1e-6, dtype=np.float32
        )
        > 0
    )  # equal keys score 1: included
    if garbled:
        fo = [fold(f) for f in forms]
        close |= (
            cdist(
                fo,
                fo,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=GARBLED_SIMILARITY - 1e-6,
                dtype=np.float32,
            )
            > 0
        )
    groups = given_name_groups()
    group = np.array([groups.get(t, -1 - i) for i, t in enumerate(tn)])  # -1 - i: in no group, equal to nothing
    ii, jj = np.nonzero(np.triu(close | (group[:, None] == group[None, :]), k=1))
    return zip(ii.tolist(), jj.tolist(), strict=True)


@dataclass(frozen=True)
class Variant:
    form: str
    canonical: str
    garbled: bool
    evidence: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Link:
    """Evidence that two spellings are one name: how they differ and what ties them together."""

    a: str
    b: str
    kind: str  # a `string_kind`, or "garbled"
    similarity: float
    confidence: float
    evidence: str
    fixed: frozenset[str] = frozenset()  # forms that may not become the variant (given names of several people)
    grounded: bool = True  # evidence from article text: one story or one person (else likeness alone)


@dataclass
class NameAnalysis:
    variants: dict[str, Variant]  # form -> how it relates to its canonical form
    exonyms: dict[str, tuple[str, str]]  # form -> (English form, why)
    clusters: list[dict]
    links: list[Link] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- 1. count


class DocForms:
    """Each document's forms, compact: one id a distinct form (`names`, `ids`) and, for all documents
    together, one flat array of form ids with the offset where each document's run starts (4 bytes a
    form a document, instead of a Python tuple a document). `forms[i]` gives document i's forms as
    its mentions listed them."""

    __slots__ = ("names", "ids", "flat", "starts")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: dict[str, int] = {}
        self.flat = array("I")
        self.starts = array("Q", [0])

    def add(self, forms: Iterable[str]) -> None:
        for f in forms:
            k = self.ids.get(f)
            if k is None:
                k = self.ids[f] = len(self.names)
                self.names.append(f)
            self.flat.append(k)
        self.starts.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def form_ids(self, i: int) -> array:
        return self.flat[self.starts[i] : self.starts[i + 1]]

    def __getitem__(self, i: int) -> tuple[str, ...]:
        return tuple(self.names[k] for k in self.form_ids(i))


@dataclass
class Counts:
    """What the corpus says about each spelling (step 1)."""

    docs: dict[str, array]  # form -> indices of the documents using it, ascending (4 bytes each)
    sources: dict[str, int]  # form -> sources using it (a document without a source is a source of its own)
    occurrences: dict[str, int]
    before: dict[str, tuple[str, ...]]  # form -> capitalised words right before it (given names), sorted
    after: dict[str, tuple[str, ...]]
    alias_keys: set[frozenset[str]]  # folded pairs that a document states as aliases
    lowered: set[str]  # forms that some document also writes in lower case: ordinary words
    doc_forms: DocForms  # document index -> its forms
    titles: dict[str, set[str]] = field(default_factory=dict)  # form -> titles right before it (chancellor)

    def support(self, f: str) -> tuple:
        """What makes a spelling the canonical one: sources, documents, English frequency, occurrences."""
        return (
            self.sources[f],
            len(self.docs[f]),
            round(english_zipf(fold(f)), 2),
            self.occurrences[f],
            f.isascii(),
            f,
        )


class _Pairs:
    """Pairs of words, compact while the count runs: one id a distinct word and 8 bytes a pair (not one
    Python set a word); `grouped` gives each first word's second words once the pass is over."""

    __slots__ = ("ids", "names", "codes")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.codes = array("Q")

    def add(self, x: str, y: str) -> None:
        self.codes.append(self._id(x) << 32 | self._id(y))

    def _id(self, w: str) -> int:
        k = self.ids.get(w)
        if k is None:
            k = self.ids[w] = len(self.names)
            self.names.append(w)
        return k

    def unique(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct pairs' first and second word ids, by first word id."""
        u = np.unique(np.frombuffer(self.codes, dtype=np.uint64))
        return (u >> np.uint64(32)).astype(np.int64), (u & np.uint64(0xFFFFFFFF)).astype(np.int64)

    def grouped(self, reverse: bool = False) -> dict[str, tuple[str, ...]]:
        """first word -> its second words (sorted), or, `reverse`, second word -> its first words."""
        x, y = self.unique()
        if reverse:
            x, y = y, x
        order = np.argsort(x, kind="stable")
        xs, ys = x[order].tolist(), y[order].tolist()
        bounds = [0, *(np.flatnonzero(np.diff(x[order])) + 1).tolist(), len(xs)]
        names = self.names
        return {names[xs[s]]: tuple(sorted(names[k] for k in ys[s:e])) for s, e in itertools.pairwise(bounds) if e > s}


def count(summaries: Mapping[str, DocMentions]) -> Counts:
    """Step 1: one pass over the documents' mentions, in document-id order."""
    docs: dict[str, array] = defaultdict(lambda: array("I"))
    named = _Pairs()  # (form, source)
    sourceless: dict[str, int] = defaultdict(int)
    occurrences: dict[str, int] = defaultdict(int)
    neighbours = _Pairs()  # (word, the word after it)
    aliases: set[frozenset[str]] = set()
    lowered: set[str] = set()
    titles: dict[str, set[str]] = defaultdict(set)
    doc_forms = DocForms()
    for i, doc_id in enumerate(sorted(summaries)):
        m = summaries[doc_id]
        doc_forms.add(m.forms)
        for form, n in zip(m.forms, m.counts, strict=True):
            docs[form].append(i)
            if m.source is None:
                sourceless[form] += 1
            else:
                named.add(form, m.source)
            occurrences[form] += n
        for prev, word in m.neighbours():
            neighbours.add(prev, word)
        aliases.update(m.aliases)
        lowered.update(getattr(m, "lowered", ()))
        for title, word in m.titled() if hasattr(m, "titled") else ():
            titles[word].add(title)
    per_form = np.bincount(named.unique()[0], minlength=len(named.names)).tolist()
    sources = {f: (per_form[named.ids[f]] if f in named.ids else 0) + sourceless.get(f, 0) for f in docs}
    del named, sourceless, per_form
    alias_keys = {frozenset(fold(x) for x in pair) for pair in aliases}
    before, after = neighbours.grouped(reverse=True), neighbours.grouped()
    return Counts(dict(docs), sources, dict(occurrences), before, after, alias_keys, lowered, doc_forms, titles)


# ---------------------------------------------------------------------------------------------- 2. block


_BLOCK_KINDS = "fgknpst"  # the blocks' key prefixes, in the order their keys sort


def keys_of_kind(c: Counts, f: str, kind: str, groups: dict[str, int]) -> list[str]:
    """The keys of one kind (`_BLOCK_KINDS`) of the blocks form f is in."""
    if kind == "k":
        return ["k:" + block_key(f)]
    if len(fold(f)) < MIN_NAME_LEN:
        return []  # a three-letter name is compared with its own consonant key only
    if kind == "t":
        stem = place_stem(f)[0]  # a Slavic place name and its adjectives: Kakhovka/Kakhovsky
        return ["t:" + stem] if len(stem) >= MIN_NAME_LEN else []
    if kind == "p":
        return ["p:" + fold(f)[:4]]
    if kind == "s":
        key = block_key(f)  # the consonants of the ending: Ugledar/Vuhledar
        return ["s:" + key[-4:]] if len(key) >= 5 else []
    if kind == "n":
        return [f"n:{groups[tnorm(f)]}"] if tnorm(f) in groups else []
    side = c.before if kind == "g" else c.after  # surnames after one given name, given names before one surname
    return [f"{kind}:" + tnorm(g) for g in sorted(side.get(f, ()))]


def all_keys(c: Counts, f: str) -> set[str]:
    """Every block key of form f, all kinds."""
    groups = given_name_groups()
    return {k for kind in _BLOCK_KINDS for k in keys_of_kind(c, f, kind, groups)}


def all_blocks(c: Counts) -> Iterator[tuple[str, list[str]]]:
    """Every (key, distinct forms) group of two forms or more, in key order, whatever its size. The
    blocks of one kind are built at a time (keys sort by kind first), so only one kind's are held."""
    forms = [f for f in sorted(c.docs) if len(fold(f)) >= SHORT_NAME_LEN]
    groups = given_name_groups()
    for kind in _BLOCK_KINDS:
        blocks: dict[str, list[str]] = defaultdict(list)
        for f in forms:
            for key in keys_of_kind(c, f, kind, groups):
                blocks[key].append(f)
        for key in sorted(blocks):
            members = sorted(set(blocks.pop(key)))
            if len(members) >= 2:
                yield key, members


def block(c: Counts) -> Iterator[tuple[str, list[str]]]:
    """Step 2: (key, forms) groups worth comparing, each sorted, in key order; a form is in several (same
    consonant key, first four letters, consonants of the ending, one given name in several languages,
    and, where garbled names are looked for, surnames after one given name `g:` and given names before
    one surname `f:`). Blocks larger than MAX_BLOCK (a very common given name) are skipped, so the pass
    never turns quadratic."""
    return ((key, members) for key, members in all_blocks(c) if len(members) <= MAX_BLOCK)


def block_pairs(key: str, members: list[str]) -> list[tuple[str, str]]:
    """The pairs (a < b) of one block close enough to be linked at all (`_close_pairs`; in a place stem's
    block `t:`, every pair: `place_form` decides)."""
    if key.startswith("t:"):
        return list(itertools.combinations(members, 2))
    return [(members[i], members[j]) for i, j in _close_pairs(members, garbled=key.startswith(("g:", "f:")))]


def close_in(key: str, a: str, b: str) -> bool:
    """Whether the pair is among `block_pairs` of a block `key` holding both: `_close_pairs` for one pair."""
    if key.startswith("t:"):
        return True
    ta, tb = tnorm(a), tnorm(b)
    if Levenshtein.normalized_similarity(ta, tb, score_cutoff=SPELLING_SIMILARITY - 1e-6) > 0:
        return True
    garbled = key.startswith(("g:", "f:"))
    if garbled and Levenshtein.normalized_similarity(fold(a), fold(b), score_cutoff=GARBLED_SIMILARITY - 1e-6) > 0:
        return True
    groups = given_name_groups()
    return ta in groups and groups.get(ta) == groups.get(tb)


def owner(skipped: Collection[str], a: str, b: str, ka: set[str], kb: set[str]) -> str | None:
    """The block that decides a pair (a, b) whose block keys are ka and kb (`all_keys`): the first key (in
    key order) of a block that holds both, is not skipped (`skipped`: more than MAX_BLOCK forms) and
    finds them close (`close_in`). A pair in several blocks is judged once, by that block alone: only
    keys before the block's own are asked about, so `skipped` needs only the blocks of earlier keys."""
    for key in sorted(ka & kb):
        if key not in skipped and close_in(key, a, b):
            return key
    return None


def candidate_pairs(c: Counts) -> list[tuple[str, str]]:
    """Every pair (a < b) of one block close enough to be linked at all, once, in a fixed order."""
    return sorted({p for key, members in block(c) for p in block_pairs(key, members)})


# ---------------------------------------------------------------------------------------------- 3. link


@functools.cache
def outlet_names() -> frozenset[str]:
    """Folded names of wire and photo agencies (`audit/data/agencies.txt`): every outlet's copy names
    them, so two documents sharing one say nothing about one story."""
    return frozenset(fold(w) for w in load_list("agencies"))


@memo(32_768)
def _weight(form: str) -> float:
    """How much a shared co-mentioned name says about two documents telling one story (an outlet's
    name, nothing)."""
    if fold(form) in outlet_names():
        return 0.0
    z = english_zipf(fold(form))
    return 1.0 if z < COMMON_NAME_ZIPF else 0.5 if z < 4.0 else 0.25


class _LRU:
    """A least-recently-used cache of at most `size` entries: per-document results are recomputed when
    needed again, never held for the whole corpus (memory stays flat as the corpus grows)."""

    __slots__ = ("data", "size")

    def __init__(self, size: int) -> None:
        self.data: OrderedDict = OrderedDict()
        self.size = size

    def get(self, key, make: Callable):
        if key in self.data:
            self.data.move_to_end(key)
            return self.data[key]
        value = self.data[key] = make(key)
        if len(self.data) > self.size:
            self.data.popitem(last=False)
        return value


class DocKeys(NamedTuple):
    """A document's names, compact: transliteration-neutral key ids (ascending), the weight of each
    (`_weight`) and the id of the spelling that stands for it (the heaviest, then the greatest)."""

    keys: np.ndarray  # int32 key ids
    weights: np.ndarray  # float32 (1, 0.5 or 0.25: exact)
    spellings: np.ndarray  # int32 form ids (`DocForms.names`)


class StoryContext:
    """Whether the documents of two spellings tell one story: some document of one and some document of
    the other share co-mentioned names (transliteration-neutral, so Ihor and Igor count as one), weighted
    by how rare the names are in English (`_weight`). Names in more than MAX_POSTINGS documents are too
    common to say anything, and only a document's MAX_NEIGHBOURS closest documents count (the pass stays
    near-linear however many documents share a common name). Computed lazily, for the documents of
    candidate pairs only, and kept for the CACHED_DOCS documents used last: the memory of the pass grows
    with the distinct names (one key id a name, 4 bytes a name a document in the postings), not with
    per-document Python objects."""

    DOCS_PER_FORM = 4  # documents of the rarer spelling looked at
    CACHED_DOCS = 4096  # documents whose names and neighbours are kept

    def __init__(self, c: Counts) -> None:
        self.c = c
        self.key_ids: dict[str, int] = {}  # tnorm key -> id
        key_of_form = []  # form id (`DocForms`) -> key id, -1 for a name too short to count
        for f in c.doc_forms.names:
            short = len(fold(f)) < MIN_NAME_LEN
            key_of_form.append(-1 if short else self.key_ids.setdefault(tnorm(f), len(self.key_ids)))
        weight = [_weight(f) for f in c.doc_forms.names]
        # every document's names as one flat run each (`DocKeys`): 12 bytes a name a document
        flat_keys, flat_weights, flat_forms, self.starts = array("i"), array("f"), array("i"), array("Q", [0])
        for i in range(len(c.doc_forms)):
            best: dict[int, tuple[float, str, int]] = {}
            for f in c.doc_forms.form_ids(i):  # the max of (weight, spelling) does not depend on the order
                if (k := key_of_form[f]) >= 0:
                    best[k] = max(best.get(k, (0.0, "", -1)), (weight[f], c.doc_forms.names[f], f))
            for k in sorted(best):
                flat_keys.append(k)
                flat_weights.append(best[k][0])
                flat_forms.append(best[k][2])
            self.starts.append(len(flat_keys))
        self._flat = (
            np.frombuffer(flat_keys, dtype=np.int32),
            np.frombuffer(flat_weights, dtype=np.float32),
            np.frombuffer(flat_forms, dtype=np.int32),
        )
        self._post_docs, self._post_starts = self._postings()
        self._neighbours = _LRU(self.CACHED_DOCS)

    def own_cache(self) -> StoryContext:
        """This context with a cache of its own (the arrays shared): for another thread (a Dask worker's
        task) deciding blocks from the same context."""
        other = copy.copy(self)
        other._neighbours = _LRU(self.CACHED_DOCS)
        return other

    def _postings(self) -> tuple[np.ndarray, np.ndarray]:
        """Every key's documents (ascending), one flat uint32 array in key order (4 bytes a name a
        document), and where each key's run starts: one array, not one Python array object a key."""
        keys = self._flat[0]
        doc = np.repeat(
            np.arange(len(self.starts) - 1, dtype=np.uint32),
            np.diff(np.frombuffer(self.starts, np.uint64)).astype(np.intp),
        )
        docs = doc[np.argsort(keys, kind="stable")]  # stable: each key's documents stay ascending
        del doc
        starts = np.zeros(len(self.key_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=len(self.key_ids)), out=starts[1:])
        return docs, starts

    def postings(self, k: int) -> np.ndarray:
        """The documents naming key id k, ascending (a view: no copy)."""
        return self._post_docs[self._post_starts[k] : self._post_starts[k + 1]]

    def keys(self, i: int) -> DocKeys:
        """Document i's names (`DocKeys`): views into the flat arrays, no copy."""
        s, e = self.starts[i], self.starts[i + 1]
        return DocKeys(*(a[s:e] for a in self._flat))

    def neighbours(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Other documents sharing names with document i (ascending) and the weight of the names shared."""
        return self._neighbours.get(i, self._make_neighbours)

    def _make_neighbours(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        dk = self.keys(i)
        posts, weights = [], []
        for k, w in zip(dk.keys.tolist(), dk.weights.tolist(), strict=True):
            post = self.postings(k)
            if len(post) <= MAX_POSTINGS:
                posts.append(post)
                weights.append(w)
        if not posts:
            return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.float32)
        ids = np.concatenate(posts).astype(np.int64)
        each = np.repeat(np.asarray(weights), [len(p) for p in posts])  # multiples of 1/4: sums are exact
        docs, where = np.unique(ids, return_inverse=True)
        total = np.bincount(where, weights=each)
        mine = docs != i
        docs, total = docs[mine], total[mine]
        if len(docs) > MAX_NEIGHBOURS:  # the closest documents only, as stories.py keeps them
            keep = np.sort(np.lexsort((docs, -total))[:MAX_NEIGHBOURS])
            docs, total = docs[keep], total[keep]
        return docs.astype(np.uint32), total.astype(np.float32)  # sums of quarters: exact in float32

    def _docs(self, form: str) -> np.ndarray:
        return np.frombuffer(self.c.docs[form], dtype=np.uint32)  # a view: no copy

    def _weight_of(self, dk: DocKeys, k: int) -> float | None:
        """The weight of key id k in a document's keys, None if the document does not name it."""
        at = int(np.searchsorted(dk.keys, k))
        return float(dk.weights[at]) if at < len(dk.keys) and dk.keys[at] == k else None

    def shared(self, a: str, b: str) -> tuple[float, list[str]]:
        """The best weighted overlap of co-mentioned names between a document of `a` and a document of
        `b` (the pair's own names left out), and the names shared, heaviest first."""
        own = [self.key_ids[k] for k in sorted({tnorm(a), tnorm(b)}) if k in self.key_ids]  # key ids
        small, large = sorted((a, b), key=lambda f: (len(self.c.docs[f]), f))
        other = self._docs(large)
        best = (0.0, -1, -1)
        for i in self.c.docs[small][: self.DOCS_PER_FORM]:
            ids, weights = self.neighbours(i)
            if not len(ids):
                continue
            at = np.minimum(np.searchsorted(other, ids), len(other) - 1)
            hit = other[at] == ids
            ids, weights = ids[hit], weights[hit]
            mine = self.keys(i)
            counted = [
                (k, w)
                for k in own
                if (w := self._weight_of(mine, k)) is not None and len(self.postings(k)) <= MAX_POSTINGS
            ]
            for x in np.lexsort((ids, -weights)).tolist():
                if weights[x] < best[0]:
                    break  # sorted by weight: nothing further can win
                j = int(ids[x])
                theirs = self.keys(j)
                w = float(weights[x]) - sum(v for k, v in counted if self._weight_of(theirs, k) is not None)
                if w > best[0] or (w == best[0] and w > 0 and (i, j) < (best[1], best[2])):
                    best = (w, i, j)
        if best[1] < 0:
            return 0.0, []
        return best[0], self._shared_names(self.keys(best[1]), self.keys(best[2]), own)

    def _shared_names(self, mine: DocKeys, theirs: DocKeys, own: list[int]) -> list[str]:
        """The spellings (in `mine`) of the names two documents share, the pair's own left out, heaviest first."""
        common = np.isin(mine.keys, theirs.keys) & ~np.isin(mine.keys, np.asarray(own, dtype=np.int32))
        names = self.c.doc_forms.names
        found = [(-float(w), names[f]) for w, f in zip(mine.weights[common], mine.spellings[common], strict=True)]
        return [f for _, f in sorted(found)]


class _Word(NamedTuple):
    """What `same_name` compares of one word, worked out once a word (it is asked of every pair of two
    spellings' neighbouring words: over a million pairs at 6,000 documents)."""

    folded: str
    feminine: bool  # ends as a feminine surname does (`_FEMININE`)
    key: str  # transliteration-neutral (`tnorm`)
    group: int | None  # its given name's group in several languages (`given_name_groups`), if any


@memo(16_384)
def _word(w: str) -> _Word:
    f, t = fold(w), tnorm(w)
    return _Word(f, bool(_FEMININE.search(f)), t, given_name_groups().get(t))


def same_name(x: str, y: str) -> bool:
    """Two neighbouring words that may be one name: equal, close once transliteration is neutralised,
    or forms of one given name in two languages (Serhii/Sergei)."""
    if x == y:
        return True
    wx, wy = _word(x), _word(y)
    if _feminine_words(wx, wy):
        return False  # Petrov and Petrova are two people
    return _similarity(wx.key, wy.key) >= SPELLING_SIMILARITY or (wx.group is not None and wx.group == wy.group)


@dataclass(frozen=True)
class People:
    """What the neighbouring words say about two spellings: that they name different people, the given
    name before both, the surname after both, and which of them stand before several people's surnames."""

    differ: bool
    given: str | None
    surname: str | None
    several: frozenset[str]
    title: str | None = None  # a title or role before both (Chancellor Scholz, Chancellor Scholtz)


def same_names(xs: list[str], ys: list[str]) -> np.ndarray:
    """`same_name` of every word of xs with every word of ys, as a boolean matrix: one vectorised
    comparison (rapidfuzz's cdist) finds the candidates, `same_name` decides the few close pairs only. A popular name's
    neighbours (hundreds of given names before a head of state's surname) cost C, not Python, a pair."""
    from rapidfuzz.process import cdist

    if not xs or not ys:
        return np.zeros((len(xs), len(ys)), dtype=bool)
    wx, wy = [_word(x) for x in xs], [_word(y) for y in ys]
    near = cdist(  # candidates only: cdist's float may fall a hair below the scalar similarity
        [w.key for w in wx],
        [w.key for w in wy],
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=SPELLING_SIMILARITY - 1e-6,
        dtype=np.float32,
    )
    gx = np.array([-1 if w.group is None else w.group for w in wx])
    gy = np.array([-2 if w.group is None else w.group for w in wy])
    out = np.zeros(near.shape, dtype=bool)
    for i, j in zip(*np.nonzero((near > 0) | (gx[:, None] == gy[None, :])), strict=True):
        out[i, j] = xs[i] == ys[j] or same_name(xs[i], ys[j])
    out |= np.array(xs, dtype=object)[:, None] == np.array(ys, dtype=object)[None, :]
    return out


def _shared(xs: list[str], ys: list[str], same: np.ndarray) -> str | None:
    shared = [xs[i] for i in np.flatnonzero(same.any(axis=1))]
    return min(shared, key=lambda g: (english_zipf(fold(g)), g)) if shared else None


def _several(words: list[str], same: np.ndarray) -> bool:
    """A given name before several people's surnames (`words`, sorted), some of whom the other spelling
    never names (`same`: `same_names` of words with the other's): renaming it would rename them too
    (Vladimir Putin beside Vladimir Tkachenko)."""
    if not words or all(same_name(words[0], w) for w in words):
        return False
    return not same.any(axis=1).all()


def people(c: Counts, a: str, b: str) -> People:
    """Given names used with different surnames, or surnames after different given names, are
    different people; a shared given name (or surname) is evidence of one person."""
    aa, ab = list(c.after.get(a, ())), list(c.after.get(b, ()))
    ba, bb = list(c.before.get(a, ())), list(c.before.get(b, ()))
    after, before = same_names(aa, ab), same_names(ba, bb)
    surname = _shared(aa, ab, after)
    given = _shared(ba, bb, before)
    differ = bool(aa and ab and surname is None) or bool(ba and bb and given is None)
    several = frozenset(f for f, w, same in ((a, aa, after), (b, ab, after.T)) if _several(w, same))
    title = min(c.titles.get(a, set()) & c.titles.get(b, set()), default=None)
    return People(differ, given, surname, several, title)


_STYLED = re.compile(r"[A-Z]{2}[a-z]")  # TACtical: capitals for emphasis or a brand, not a spelling


# a surname and its feminine form (Kharlamov/Kharlamova, Zelensky/Zelenska): two people, or a case ending
_FEMININE = re.compile(r"(?:ov|ev|in|yn)a$|(?:sk|tsk|ck)aya$|(?:sk|tsk|ck)a$")


def _feminine_words(wx: _Word, wy: _Word) -> bool:
    """A surname and its feminine form (Petrov/Petrova, Zelensky/Zelenska), from the two words' parts
    (`_word`): one stem, and only one of them has a feminine ending (`_FEMININE`)."""
    if wx.feminine == wy.feminine:
        return False
    fx, fy = wx.folded, wy.folded
    short, long = (fy, fx) if wx.feminine else (fx, fy)
    n = next((i for i, (p, q) in enumerate(zip(short, long, strict=False)) if p != q), min(len(short), len(long)))
    return n >= max(3, len(short) - 2) and len(long) - n <= 4


NEUTER_ENDINGS = frozenset("ske skoye skoie skoe e oye oie oe o".split())


def _person_and_place(c: Counts, a: str, b: str) -> bool:
    """A Slavic neuter adjective (Petrovske, Lisnoye) names a place, never a person (surnames are
    masculine or feminine): where nothing says it is part of a name (`_placelike`; Gwynne Shotwell), it is
    not the spelling of a word that stands after a given name or a title (Marko Petrovsky)."""
    for x, y in ((a, b), (b, a)):
        neuter = place_stem(x)[1] and place_stem(x)[2] in NEUTER_ENDINGS and _placelike(c, x)
        if neuter and (c.before.get(y) or c.titles.get(y)):
            return True
    return False


def siblings(a: str, b: str) -> bool:
    """Two things of one family, not two spellings of one: a name and its English plural (Ryzen/Ryzens,
    Delhiite/Delhiites), a word and a hyphenated compound of another (Buser/Bush-era), two members of a
    series that differ in one short part (G-series/H-series, X1-Pro/X2-Pro), and two compounds of one stem
    whose different tails are two different English words (Chrome+box/Chrome+books, Zen+book/Zen+pad). Case variants
    of one product (Vivobook/VivoBook) are none of these: `fold` makes them equal first."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return False
    short, long = sorted((fa, fb), key=lambda f: (len(f), f))
    if long in (short + "s", short + "es", short + "'s", short + "’s") and not short.endswith("s"):
        return True  # (Donbas/Donbass is a doubled letter)
    pa, pb = fa.split("-"), fb.split("-")
    if len(pa) != len(pb):
        return "".join(pa) != "".join(pb)  # Buser/Bush-era; but Kabuki-za/Kabukiza is one word hyphenated or not
    differ = [(x, y) for x, y in zip(pa, pb, strict=True) if x != y]
    if len(pa) > 1 and len(differ) == 1 and min(len(differ[0][0]), len(differ[0][1])) <= 2:
        return True
    n = next((i for i, (x, y) in enumerate(zip(fa, fb, strict=False)) if x != y), len(short))
    return any(
        len(ta) >= 3
        and len(tb) >= 3
        and _similarity(ta, tb) <= 0.5  # two words, not two spellings of one
        and min(english_zipf(ta), english_zipf(tb)) >= SIBLING_TAIL_ZIPF
        for i in range(3, n + 1)
        for ta, tb in ((fa[i:], fb[i:]),)
    )


def _refused(c: Counts, a: str, b: str, kind: str | None, surname: str | None) -> bool:
    """Pairs never linked: ordinary words (written in lower case somewhere in the corpus, or as common
    as everyday words, unless only accents or case differ), words in capitals (typography), a name and a compound of it (Toyosawa/Toyosawa-cho), aliases a document
    states, a surname and its feminine form (Kharlamov/Kharlamova), a plural, compound or sibling product
    (`siblings`: Ryzen/Ryzens, Chromebox/Chromebooks, G-series/H-series), and a word and its derivation
    (Russia/Russian) where English knows the longer form. An unknown name with a case ending that
    translation left (Minay/Minaya) is a spelling, and so are two given names before one surname
    (Gwynn/Gwynne Shotwell)."""
    if a in c.lowered or b in c.lowered or a.isupper() or b.isupper() or _STYLED.search(a + " " + b):
        return True
    short, long = sorted((fold(a), fold(b)), key=lambda f: (len(f), f))
    if long.startswith(short + "-"):
        return True  # a compound (Toyosawa-cho is the town of Toyosawa)
    if frozenset((fold(a), fold(b))) in c.alias_keys or siblings(a, b):
        return True
    if kind not in TRIVIAL and max(english_zipf(short), english_zipf(long)) >= WORD_ZIPF:
        return True  # an everyday English word (Edition, Starter) is no variant of a name
    if kind in TRIVIAL or surname is not None or not is_derivation(a, b):
        return False
    if _FEMININE.search(long) and not _FEMININE.search(short):
        return True
    return english_zipf(long) >= KNOWN_ZIPF


def place_form(a: str, b: str) -> bool:
    """A Slavic place name and a form of it that translation left: one stem (`translit.place_stem`, at
    least MIN_NAME_LEN letters) with a place-noun ending against an adjective ending (Kakhovka/Kakhovsky,
    Lyman/Limanske, Kupyansk/Kupianske), a cut-off stem against either (Kupyan/Kupyansk), or the Ukrainian
    against the Russian adjective (Opytne/Opitnoye). General: these endings are how both languages make
    adjectives of places, and English writes the place name instead (the Kakhovka dam). Never two -sk-
    adjectives (a surname and its feminine form, Zelensky/Zelenska: `_refused` decides those) nor two
    words without such an ending."""
    (sa, ka, ea), (sb, kb, eb) = place_stem(a), place_stem(b)
    if sa != sb or len(sa) < MIN_NAME_LEN or not (ka or kb) or tnorm(a) == tnorm(b):
        return False
    if ka == kb:  # two adjectives: only a short (Ukrainian) against a long (Russian) ending, Opytne/Opitnoye
        return ka == "adj" and min(len(ea), len(eb)) == 1 and max(len(ea), len(eb)) >= 2
    return "adj" not in (ka, kb)  # a bare word and -a or -e is a name and its case ending (Dorin/Dorina)


ORDINARY_ZIPF = 2.5  # a capitalised word after a place this common in English is a noun (Reservoir), not a surname


def _placelike(c: Counts, f: str) -> bool:
    """Nothing in the corpus says `f` is part of a person's name: no capitalised word (a given name) or
    title right before it, and only ordinary words after it (Kakhovka Reservoir, not Stanislav Shor)."""
    if c.before.get(f) or c.titles.get(f):
        return False
    return all(w in c.lowered or english_zipf(fold(w)) >= ORDINARY_ZIPF for w in c.after.get(f, ()))


def _place_link(c: Counts, ctx: StoryContext, a: str, b: str) -> Link | None:
    """A `place_form` pair, linked only in one story, when neither spelling stands in a person's name and
    English has no word of its own for the adjective (it does for Russian, Kyivan)."""
    if _refused(c, a, b, PLACE_FORM, None) or not (_placelike(c, a) and _placelike(c, b)):
        return None
    if any(place_stem(f)[1] and english_zipf(fold(f)) >= KNOWN_ZIPF for f in (a, b)):
        return None
    story, names = ctx.shared(a, b)
    if not content_story(story, names):
        return None
    why = f"{PLACE_FORM} (a Slavic adjective or ending left by translation); same story: " + ", ".join(names[:3])
    return Link(a, b, PLACE_FORM, 1.0, PLACE_CONFIDENCE, why)


def _case_ending(x: str, y: str) -> str | None:
    """The Slavic case ending (CASE_ENDINGS) that the longer word adds to the shorter, a name ending in a
    consonant; None if there is none, or the longer is a feminine surname (Petrov/Petrova: two people)."""
    short, long = sorted((x, y), key=lambda w: (len(w), w))
    tail = long[len(short) :]
    if not long.startswith(short) or tail not in CASE_ENDINGS or len(short) < 3 or short[-1] in "aeiouyAEIOUY":
        return None
    return None if _FEMININE.search(long) else tail


def _case_anchor(c: Counts, a: str, b: str) -> str | None:
    """A neighbour that carries the same case ending as the pair: `Ilan Shor` and `Ilana Shora` (one man,
    the second in the genitive). A woman's name would change the given name only (Ilana Shor), so the
    ending on both words is evidence of grammar, not of a second person."""
    tail = _case_ending(a, b)
    if tail is None:
        return None
    short, long = sorted((a, b), key=lambda w: (len(w), w))
    for side in (c.after, c.before):
        for w in sorted(side.get(short, ())):
            if w + tail in side.get(long, ()) and _case_ending(w, w + tail) == tail:
                return w  # (not Ivan Petrov / Ivana Petrova: a feminine surname is a woman)
    return None


def _case_link(c: Counts, ctx: StoryContext, a: str, b: str, anchor: str) -> Link | None:
    if _refused(c, a, b, CASE_ENDING, anchor):
        return None
    story, names = ctx.shared(a, b)
    if not content_story(story, names):
        return None
    why = f"{CASE_ENDING} left by translation, as on {anchor}; same story: " + ", ".join(names[:3])
    return Link(a, b, CASE_ENDING, 1.0, 0.85, why)


def _garbled(c: Counts, ctx: StoryContext, a: str, b: str, anchor: str) -> Link | None:
    """A garbled rendering (Stéphane Dizaric for Stephane Dujarric): one spelling has no support of its own
    (one document, unknown to English), the other is used by several documents; they stand next to one
    given name (or surname), in documents that tell one story, and never meet in one document (one writer
    naming two people keeps them apart)."""
    sim = _similarity(fold(a), fold(b))
    if sim < GARBLED_SIMILARITY:
        return None
    lone = [f for f in (a, b) if len(c.docs[f]) == 1 and english_zipf(fold(f)) < KNOWN_ZIPF]
    other = b if lone and lone[0] == a else a
    if len(lone) != 1 or len(c.docs[other]) < 2 or c.docs[lone[0]][0] in c.docs[other]:
        return None  # (one document against a popular name's: one lookup, not two sets of its documents)
    story, names = ctx.shared(a, b)
    if not content_story(story, names):
        return None
    sure = sim >= SURE_GARBLED and english_zipf(fold(anchor)) < 3.0 and story >= 2 * CONTEXT_MIN
    return Link(a, b, "garbled", sim, 0.8 if sure else 0.6, f"next to the same name ({anchor})")


def _confidence(kind: str, story: bool, person: bool, rare: bool, unknown: bool = False) -> float:
    """The confidence table of `judge_pair`; 0 means no link."""
    if kind == "same letters":
        return 0.95 if story or person else 0.8 if rare else 0.0
    if kind == "doubled letters":
        return 0.95 if story or person else 0.8 if unknown else 0.0
    if kind == "transliteration":
        return 0.95 if story and person else 0.85 if story or person else 0.6 if unknown else 0.0
    if kind == "given name":
        return 0.85 if story and person else 0.0
    if kind == LOOSE:
        return 0.85 if story and person else 0.7 if story else 0.0
    return 0.9 if story and person else 0.7 if story else 0.0  # spelling


def content_story(story: float, names: list[str]) -> bool:
    """One story: the shared co-mentions weigh CONTEXT_MIN or more and one of them is rare in English
    (weight 1, `_weight`: below COMMON_NAME_ZIPF): content, not only common words a page's chrome shares with another page."""
    return story >= CONTEXT_MIN and any(_weight(f) == 1.0 for f in names)


def _never_apart(c: Counts, a: str, b: str) -> bool:
    """The two spellings are written by the very same documents: one document's (or one page's, as several
    extractors left it) two romanisations, and no document writes either alone."""
    return c.docs[a] == c.docs[b]


def judge_pair(c: Counts, ctx: StoryContext, a: str, b: str) -> Link | None:
    """Link two spellings only with evidence beyond string similarity.

    Never: ordinary words, words in capitals, derivations, stated aliases (`_refused`), different people
    (`people`), or two spellings that English knows each on its own (wordfreq), unless they differ only
    in accents, case, doubled letters or transliteration, or name one person (a shared given name or
    surname) in one story. Evidence: one story (`StoryContext`) and one person (a shared given name that
    is not too common, or a shared surname). Confidence (`_confidence`):

    | how the spellings differ                        | story and person | one of them | neither |
    | accents, case                                   | 0.95             | 0.95        | 0.8 if both are rare in English |
    | doubled letters (Rossetti/Rosetti)              | 0.95             | 0.95        | 0.8 if English knows neither |
    | transliteration (Yuri/Yury)                     | 0.95             | 0.85        | 0.6 if English knows neither |
    | loose transliteration (Lesbos/Lesvos, `LOOSE`)  | 0.85             | 0.7 with the story, else none | none |
    | given name in two languages (Serhii/Sergei)     | 0.85             | none        | none |
    | spelling (Gavrilita/Gavrilitsa)                 | 0.9              | 0.7 with the story, else none | none |
    | garbled (`_garbled`, MT008)                     | 0.8 or 0.6       | none        | none |

    Two spellings English uses often (both at ATTESTED_ZIPF or more) link only inside one story; a given
    name that stands before several people's surnames (Sergei Shoigu, Sergei Kulakov) is never made the
    variant of another: a fix would rename them all (`Link.fixed`). Two spellings that never stand apart
    (the very same documents write both) are one document's two romanisations, MT013's business,
    not a corpus finding; and two lookalikes (`LOOKALIKE`: doubled letters, transliteration, spelling) that
    English writes as words of their own (one at LOOKALIKE_ZIPF or more: Kyle/Chile, Nike/Niche) link only
    next to a shared given name, surname or title."""
    if _never_apart(c, a, b):
        return None
    if place_form(a, b) and (lk := _place_link(c, ctx, a, b)) is not None:
        return lk
    case = _case_anchor(c, a, b)
    if case is not None and (lk := _case_link(c, ctx, a, b, case)) is not None:
        return lk
    sk = string_kind(a, b)
    kind = sk[0] if sk else None
    short = min(len(fold(a)), len(fold(b))) < MIN_NAME_LEN
    if short and (kind not in TRIVIAL or any(c.before.get(f) or c.after.get(f) for f in (a, b))):
        return None  # a three-letter word: only a standalone name (Dia/Diia), spelt the same but for accents
    p = people(c, a, b)
    if p.differ or _refused(c, a, b, kind, p.surname) or _person_and_place(c, a, b):
        return None
    given = p.given if p.given is not None and english_zipf(fold(p.given)) < COMMON_GIVEN_ZIPF else None
    anchor = given or p.surname or p.title
    za, zb = english_zipf(fold(a)), english_zipf(fold(b))
    if kind in LOOKALIKE and anchor is None and max(za, zb) >= LOOKALIKE_ZIPF:
        return None  # Kyle/Chile, Diets/Dick: a key rule made two English words alike
    if kind is None:
        return _garbled(c, ctx, a, b, anchor) if min(za, zb) < KNOWN_ZIPF and anchor else None
    keep = p.several if p.surname is not None and kind not in TRIVIAL else frozenset()
    known = min(za, zb) >= KNOWN_ZIPF and kind not in (*TRIVIAL, LOOSE)
    if (known and anchor is None) or (kind == "given name" and p.surname is None) or len(keep) == 2:
        return None  # decided before the costlier story context
    needs_story = known or short or kind == LOOSE or min(za, zb) >= ATTESTED_ZIPF
    return _evidence_link(ctx, a, b, sk, anchor, (za, zb), needs_story, keep)


def _evidence_link(
    ctx: StoryContext,
    a: str,
    b: str,
    sk: tuple[str, Any],
    anchor: str | None,
    zipfs: tuple[float, float],
    needs_story: bool,
    keep: frozenset[str],
) -> Link | None:
    """`judge_pair`'s last step: the story evidence, the confidence and the link with the evidence it shows."""
    kind = sk[0]
    story, names = ctx.shared(a, b)
    in_story = content_story(story, names)
    if needs_story and not in_story:
        return None
    conf = _confidence(kind, in_story, anchor is not None, max(zipfs) < RARE_ZIPF, max(zipfs) < KNOWN_ZIPF)
    if conf == 0.0:
        return None
    why = [kind]
    if anchor is not None:
        why.append(f"next to {anchor} in both")
    if in_story:
        why.append("same story: " + ", ".join(names[:3]))
    return Link(a, b, kind, sk[1], conf, "; ".join(why), keep, anchor is not None or in_story)


def decide_block(
    c: Counts,
    ctx: StoryContext,
    skipped: Collection[str],
    key: str,
    members: list[str],
    keys_of: Callable[[str], set[str]] | None = None,
) -> list[Link]:
    """One block's links, decided alone: its close pairs that it owns (`owner`), judged (`judge_pair`).
    `keys_of(form)`: `all_keys` (a cache of it, across blocks)."""
    keys_of = keys_of or functools.partial(all_keys, c)
    out = []
    for a, b in block_pairs(key, members):
        if owner(skipped, a, b, keys_of(a), keys_of(b)) == key and (lk := judge_pair(c, ctx, a, b)) is not None:
            out.append(lk)
    return out


KEYS_CACHED = 1024  # forms whose block keys `decide_blocks` keeps (a popular name's given-name keys are many)
PART_FORMS = 4096  # forms (counted in their blocks) of one part of the blocks: a task on a Dask worker

Block = tuple[str, list[str]]  # (key, its forms)
BlockPart = tuple[frozenset[str], list[Block]]  # (the keys of the blocks skipped so far, consecutive blocks)


def block_parts(c: Counts) -> Iterator[BlockPart]:
    """The blocks to decide (`all_blocks`, at most MAX_BLOCK forms), in parts of consecutive keys of
    about PART_FORMS forms, each with the keys of the blocks skipped (more than MAX_BLOCK forms) up to
    its end: all that `owner` asks about a key before a block's own. Each part can be decided alone,
    anywhere (`decide_blocks`)."""
    skipped: set[str] = set()
    part: list[Block] = []
    size = 0
    for key, members in all_blocks(c):
        if len(members) > MAX_BLOCK:
            skipped.add(key)
            continue
        part.append((key, members))
        size += len(members)
        if size >= PART_FORMS:
            yield frozenset(skipped), part
            part, size = [], 0
    if part:
        yield frozenset(skipped), part


def decide_blocks(c: Counts, ctx: StoryContext, skipped: Collection[str], blocks: list[Block]) -> list[Link]:
    """One part's links (`block_parts`): each block decided alone (`decide_block`), in order."""
    cache = _LRU(KEYS_CACHED)
    keys_of = functools.partial(cache.get, make=functools.partial(all_keys, c))
    return [lk for key, members in blocks for lk in decide_block(c, ctx, skipped, key, members, keys_of)]


# Where the parts of the blocks are decided: given the counts, the story context and the parts
# (`block_parts`), every part's links (`decide_blocks` of each, in any order). None: here, one part
# after another. The Dask engine sets it for its corpus pass: the parts are decided on its workers.
BlockRunner = Callable[[Counts, StoryContext, Iterator[BlockPart]], list[Link]]
BLOCK_RUNNER: ContextVar[BlockRunner | None] = ContextVar("BLOCK_RUNNER", default=None)


def link(c: Counts) -> list[Link]:
    """Step 3: the links of every block (`decide_block`, each block alone, in parts of consecutive keys:
    `block_parts`, `decide_blocks`, wherever BLOCK_RUNNER decides them), strongest first."""
    ctx = StoryContext(c)
    runner = BLOCK_RUNNER.get()
    if runner is None:
        links = [lk for skipped, blocks in block_parts(c) for lk in decide_blocks(c, ctx, skipped, blocks)]
    else:
        links = runner(c, ctx, block_parts(c))
    return sorted(links, key=lambda x: (-x.confidence, -x.similarity, x.a, x.b))


# ---------------------------------------------------------------------------------------------- 4. cluster


def _must_stay_apart(c: Counts, linked: set[tuple[str, str]], x: str, y: str) -> bool:
    """Forms that no chain of links may join: stated aliases (one place in two languages), and two
    spellings English knows each on its own that differ by more than accents, case, doubling or
    transliteration (Yaroslav the name, Yaroslavl the city), unless a link joins them directly.
    Derivations are refused pair by pair only: case endings that translation leaves (Minay/Minaya)
    would otherwise split real clusters."""
    if frozenset((fold(x), fold(y))) in c.alias_keys:
        return True
    if min(english_zipf(fold(x)), english_zipf(fold(y))) < KNOWN_ZIPF or (min(x, y), max(x, y)) in linked:
        return False
    kind = string_kind(x, y)
    return kind is None or kind[0] not in TRIVIAL


def cluster(links: Iterable[Link], cannot_link: Callable[[str, str], bool]) -> list[Link]:
    """Step 4: union the links in the order given (strongest first), refusing any union that would put two
    forms that must stay apart into one cluster; returns the links used (a spanning forest)."""
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        members.setdefault(x, [x])
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    used = []
    for lk in links:
        ra, rb = find(lk.a), find(lk.b)
        if ra == rb or any(cannot_link(x, y) for x in members[ra] for y in members[rb]):
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        members[keep] += members.pop(drop)
        used.append(lk)
    return used


# ---------------------------------------------------------------------------------------------- 5. canonical


def _paths(tree: list[Link], root: str) -> dict[str, tuple[float, bool, bool, Link]]:
    """form -> (weakest confidence on its path to `root`, whether a garbled link is on it, whether every
    link on it is `grounded`, its own link)."""
    adjacent: dict[str, list[tuple[str, Link]]] = defaultdict(list)
    for lk in tree:
        adjacent[lk.a].append((lk.b, lk))
        adjacent[lk.b].append((lk.a, lk))
    out: dict[str, tuple[float, bool, bool, Link]] = {}
    stack = [(root, 1.0, False, True)]
    seen = {root}
    while stack:
        node, conf, garbled, grounded = stack.pop()
        for nxt, lk in sorted(adjacent[node], key=lambda p: p[0]):
            if nxt not in seen:
                seen.add(nxt)
                state = (min(conf, lk.confidence), garbled or lk.kind == "garbled", grounded and lk.grounded)
                out[nxt] = (*state, lk)
                stack.append((nxt, *state))
    return out


_MIXED_CASE = re.compile(r"[a-z][A-Z]")  # WikiLeaks, AirPods, McDonald: a capital inside the word


def _canonical_key(c: Counts, links: list[Link]) -> Callable[[str], tuple]:
    """The canonical form's key: where a cluster holds a place and its adjectives (a PLACE_FORM link), the
    place's own name first (Kakhovka, Kupyansk, not Kakhovsky: English names the place, not the
    adjective); then a form that no document writes in lower case (a name, over a common word); then a
    mixed-case form (WikiLeaks, AirPods: how an entity writes itself, over a case-flattened majority of
    copies); then `Counts.support`."""
    places = any(lk.kind == PLACE_FORM for lk in links)
    return lambda f: (
        not places or place_stem(f)[1] in ("", "vka") or place_stem(f)[2] == "sk",
        f not in c.lowered,
        bool(_MIXED_CASE.search(f)),
        *c.support(f),
    )


def fix_safe(form: str, canon: str, confidence: float, grounded: bool) -> float:
    """The confidence `--fix-names` sees, capped at REPORT_ONLY (reported, never applied) unless the link
    rests on story or person evidence from article text (`grounded`), the two forms are not both common
    English words or names (COMMON_NAME_ZIPF, unless they differ only in accents or case), and the fix
    does not rewrite a form English knows (KNOWN_ZIPF) into one it does not."""
    ff, fc = fold(form), fold(canon)
    zf, zc = english_zipf(ff), english_zipf(fc)
    common = ff != fc and min(zf, zc) >= COMMON_NAME_ZIPF
    if not grounded or common or (zf >= KNOWN_ZIPF and zc < KNOWN_ZIPF):
        return min(confidence, REPORT_ONLY)
    return confidence


def canonical(c: Counts, tree: list[Link]) -> tuple[dict[str, Variant], list[dict]]:
    """Step 5: each cluster's best-supported form, and every other form as its variant."""
    groups: dict[str, list[Link]] = defaultdict(list)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for lk in tree:
        ra, rb = find(lk.a), find(lk.b)
        parent[max(ra, rb)] = min(ra, rb)
    for lk in tree:
        groups[find(lk.a)].append(lk)
    variants: dict[str, Variant] = {}
    clusters = []
    for links in groups.values():
        forms = sorted({f for lk in links for f in (lk.a, lk.b)})
        best = max(forms, key=_canonical_key(c, links))
        for f, (conf, garbled, grounded, lk) in sorted(_paths(links, best).items()):
            if f not in lk.fixed:
                variants[f] = Variant(f, best, garbled, lk.evidence, fix_safe(f, best, conf, grounded))
        clusters.append(
            {
                "canonical": best,
                "variants": [
                    {"form": f, "documents": len(c.docs[f]), "occurrences": c.occurrences[f]}
                    for f in sorted(forms, key=c.support, reverse=True)
                ],
            }
        )
    clusters.sort(key=lambda x: x["canonical"])
    return variants, clusters


# ---------------------------------------------------------------------------------------------- 6. exonyms


GAZETTEER_CONFIDENCE = {"romanisation": 0.85, "exonym": 0.7}  # by the rule of tools/build_gazetteer.py


@functools.cache
def exonym_table() -> dict[str, tuple[str, str, float]]:
    """local form -> (English form, why, confidence): the GeoNames table, then the curated one over it.

    A GeoNames `romanisation` row (Laçın -> Lachin: the country's alphabet, which English romanises again)
    is safe to apply (0.85); an `exonym` row (München -> Munich) is reported only (0.7): local names live
    on inside proper names (Bayern München, Université libre de Bruxelles). Curated rows carry their own."""
    table: dict[str, tuple[str, str, float]] = {}
    for row in load_table("gazetteer"):
        rule = row[4] if len(row) > 4 else "romanisation"
        table[row[0]] = (row[1], f"GeoNames: English name of {row[0]}, {row[2]}", GAZETTEER_CONFIDENCE[rule])
    for row in load_table("exonyms"):
        conf = float(row[3]) if len(row) > 3 and row[3] else 0.9
        table[row[0]] = (row[1], row[2] if len(row) > 2 else "curated exonym", conf)
    return table


def exonyms(c: Counts, variants: Mapping[str, Variant]) -> dict[str, tuple[str, str, float]]:
    """Step 6: forms in the gazetteer, unless a document states the English form as an alias of it
    ("Stepanakert, known as Xankandi": information, not an error)."""
    table = exonym_table()
    folded = {fold(x) for x in c.docs}
    partners: dict[str, set[str]] = defaultdict(set)  # folded form -> the folded forms stated as its aliases
    for key in c.alias_keys:
        a, *rest = key
        b = rest[0] if rest else a  # an alias that folds to the form itself
        partners[a].add(b)
        partners[b].add(a)
    out: dict[str, tuple[str, str, float]] = {}
    for f in sorted(c.docs):
        if f in table and f not in variants:
            eng, why, conf = table[f]
            if eng != f and not any(p in folded for p in partners.get(fold(f), ())):
                out[f] = (eng, why, conf)
    return out


def analyse(summaries: Mapping[str, DocMentions]) -> NameAnalysis:
    """The corpus-wide half, shared by the name checks: count, block and link, cluster, canonical, exonyms."""
    c = count(summaries)
    links = link(c)
    linked = {(lk.a, lk.b) for lk in links}
    tree = cluster(links, lambda x, y: _must_stay_apart(c, linked, x, y))
    variants, clusters = canonical(c, tree)
    return NameAnalysis(variants, exonyms(c, variants), clusters, links)


# ---------------------------------------------------------------------------------------------- the checks

# The three name checks see the same mention objects (one `view.memo` per document): the analysis is
# computed once and kept beside the first of them, for as long as the corpus pass holds them.
_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def shared_analysis(summaries: Mapping[str, DocMentions]) -> NameAnalysis:
    """`analyse(summaries)`, computed once for the three name checks of one corpus pass.

    The engine hands the three checks one Mapping object, so the analysis is cached on that object
    (dropped when it goes); a plain dict, which takes no weak reference, is matched by its contents.
    """
    if not summaries:
        return analyse(summaries)
    try:
        ref = weakref.ref(summaries)
    except TypeError:
        return _shared_by_contents(summaries)
    got = _BY_MAPPING.get(id(summaries))
    if got is not None and got[0]() is summaries:
        return got[1]
    analysis = analyse(summaries)
    _BY_MAPPING[id(summaries)] = (ref, analysis)
    weakref.finalize(summaries, _BY_MAPPING.pop, id(summaries), None)
    return analysis


_BY_MAPPING: dict[int, tuple[weakref.ref, NameAnalysis]] = {}


def _shared_by_contents(summaries: Mapping[str, DocMentions]) -> NameAnalysis:
    anchor = summaries[min(summaries)]
    key = tuple((k, id(v)) for k, v in sorted(summaries.items()))
    got = _SHARED.get(anchor)
    if got is None or got[0] != key:
        got = (key, analyse(summaries))
        _SHARED[anchor] = got
    return got[1]


def _mentions(view: TextView) -> DocMentions:
    return view.memo("mentions", extract_mentions)


Describe = Callable[[str, NameAnalysis], "tuple[str, str, float] | None"]


def doc_hits(m: DocMentions, a: NameAnalysis, describe: Describe) -> list[Hit]:
    """One document's hits: every occurrence of the forms `describe(form, analysis)` has something to say about."""
    out: list[Hit] = []
    for form, spans in m.occurrences():
        said = describe(form, a)
        if said is not None:
            message, suggestion, conf = said
            out.extend(Hit(s, e, message, suggestion, conf) for s, e in spans)
    return out


# Where a name check's hits are found once the analysis is made: given it and the check's `describe`,
# every document's hits (`doc_hits`). None: here, over the summaries. The Dask engine sets it for its
# corpus pass: each partition's documents are described on the worker that holds their mentions.
HitsRunner = Callable[[NameAnalysis, Describe], dict[str, list[Hit]]]
HITS_RUNNER: ContextVar[HitsRunner | None] = ContextVar("HITS_RUNNER", default=None)


def _hits(summaries: Mapping[str, DocMentions], describe: Describe) -> dict[str, list[Hit]]:
    """Every document's hits (`doc_hits`), wherever HITS_RUNNER finds them."""
    a = shared_analysis(summaries)
    runner = HITS_RUNNER.get()
    if runner is not None:
        return runner(a, describe)
    out: dict[str, list[Hit]] = {}
    for doc_id, m in summaries.items():
        if found := doc_hits(m, a, describe):
            out[doc_id] = found
    return out


def _variant(form: str, a: NameAnalysis) -> tuple[str, str, float] | None:
    v = a.variants.get(form)
    if v is None or v.garbled:
        return None
    return f"name variant of {v.canonical} ({v.evidence})", v.canonical, v.confidence


def _exonym(form: str, a: NameAnalysis) -> tuple[str, str, float] | None:
    if form not in a.exonyms:
        return None
    eng, why, conf = a.exonyms[form]
    return f"English usage is {eng} ({why})", eng, conf


def _garbled_name(form: str, a: NameAnalysis) -> tuple[str, str, float] | None:
    v = a.variants.get(form)
    if v is None or not v.garbled:
        return None
    return f"garbled name: probably {v.canonical} ({v.evidence})", v.canonical, v.confidence


@corpus_check("NAME001", "name", "warning", fix="replace", names=True, label="name spelt differently elsewhere")
class NameVariant:
    """Spelling variants of one name across the corpus (`Pashinian` for `Pashinyan`); the suggestion is the canonical form.

    Two spellings are linked only with evidence beyond their likeness: documents that tell one story or
    a shared given name, or, across unrelated documents, two rare spellings that differ only in accents,
    case or doubled letters. Inside one story, a Slavic place and the adjective translation left
    (Kakhovka/Kakhovsky, confidence 0.7) and a case ending on both words of a name (Ilana Shora for Ilan
    Shor) are linked too. Ordinary words, English derivations (Russia/Russian), stated aliases, different
    people (a feminine surname is another person), plurals and sibling products (Chromebox/Chromebooks)
    and two spellings English knows each on its own are never linked. Words inside residue or bio
    findings, on page-furniture lines or naming site sections are no mentions (`mentions.ignored_spans`).
    The canonical form is a mixed-case form (WikiLeaks) over a case-flattened one, then the one most
    sources and documents use, then the commoner in English (wordfreq). `confidence` >= 0.8: safe to
    apply unattended, which `fix_safe` allows only with story or person evidence.
    """

    extract = staticmethod(_mentions)

    @staticmethod
    def decide(summaries: Mapping[str, DocMentions]) -> dict[str, list[Hit]]:
        return _hits(summaries, _variant)


@corpus_check("NAME002", "name", "info", fix="replace", names=True, label="place name in a local spelling")
class PlaceExonym:
    """Place names in a local spelling where English writes them otherwise (`Laçın` -> `Lachin`).

    From `audit/data/exonyms.tsv` (curated, with a confidence a row) and `audit/data/gazetteer.tsv`
    (GeoNames, every country, built by tools/build_gazetteer.py: local romanisations 0.85, exonyms of big
    cities 0.7, see `exonym_table`). A stated alias ("Stepanakert, known as Xankandi in Azeri") is
    information and is not reported.
    """

    extract = staticmethod(_mentions)

    @staticmethod
    def decide(summaries: Mapping[str, DocMentions]) -> dict[str, list[Hit]]:
        return _hits(summaries, _exonym)


@corpus_check("MT008", "mt", "error", fix="replace", names=True, label="name garbled by translation")
class GarbledName:
    """Names garbled by round-trip translation (`Stéphane Dizaric` for `Stephane Dujarric`).

    A spelling with no support of its own (one document, unknown to English) next to the same given name
    (or surname, or title) as a spelling other documents use, in documents that tell one story and never
    in one document with it; its folded similarity must reach GARBLED_SIMILARITY (derived from data,
    `bench/eval_names.py --garbled`). The suggestion is the attested form; confidence 0.8 (safe to fix)
    at similarity SURE_GARBLED or more with a rare given name and a clear story, else 0.6.
    """

    extract = staticmethod(_mentions)

    @staticmethod
    def decide(summaries: Mapping[str, DocMentions]) -> dict[str, list[Hit]]:
        return _hits(summaries, _garbled_name)
