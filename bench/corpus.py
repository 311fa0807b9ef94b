"""Benchmark corpora from ../shared's real text, deterministic.

- `build_corpus(n)`: documents of 3-8 KB cut from a few hundred real texts (extraction pages, WMT
  stories, seeds). Dense: the same texts recur, so near-duplicates are common (a stress test of the
  story pass, not a crawl).
- `build_realistic(n)`: a crawl-like corpus. Paragraphs of real articles (extraction-dev ground
  truths, trafilatura-dev pages, mt-dev originals, human translations and two MT systems) are
  recombined in runs of consecutive paragraphs, so documents read locally like articles but rarely
  share much with each other (near-duplicates as rare as in a crawl). The pool has about 9,000
  paragraphs, so a large corpus uses each one many times: to keep the corpus as sparse at 30,000
  documents as at 6,000 (a crawl does not repeat its sentences more as it grows), each document
  gives the names in its paragraphs (capitalised words inside a sentence) its own spellings from a
  pool of names that grows with the corpus, drawn with Zipf's law so that some names recur widely
  (30% keep their real spelling; months and weekdays are kept), and its own figures (years kept). Documents are 0.5-30 KB (log-normal, median
  about 4 KB), spread over 37 sources; each source has a template (a header or footer line taken
  from real scraper residue) that most of its documents carry, as a site's pages do.
- `real_pages()`: the extracted news pages themselves (the `text` of extraction-dev.jsonl and
  trafilatura-dev.jsonl), 0.5-100 KB: the end-to-end benchmark's corpus (bench/e2e.py).
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import math
import random
import re
from collections import defaultdict
from pathlib import Path

from audit.records import Document

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
EVAL = SHARED / "eval"
N_SOURCES = 37


def _material() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for line in (EVAL / "extraction-dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts.append((r["extractor"], r["text"]))
    with (EVAL / "wmt23-uk-en-news.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    segs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        for c in r:
            if c == "ref_human" or c.startswith("hyp_"):
                segs[(r["doc_id"], c)].append((int(r["seg_id"]), r[c]))
    for (_, col), parts in sorted(segs.items()):
        texts.append((col, "\n".join(t for _, t in sorted(parts))))
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        texts.append(("seeds", p.read_text(encoding="utf-8")))
    return texts


def build_corpus(n: int, seed: int = 7, min_chars: int = 3000, max_chars: int = 8000) -> list[Document]:
    """n documents of 3-8 KB: real texts cut or joined to size, with the source kept."""
    material = [(s, t) for s, t in _material() if len(t) > 200]
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        source, text = material[rng.randrange(len(material))]
        target = rng.randint(min_chars, max_chars)
        while len(text) < target:
            text += "\n" + material[rng.randrange(len(material))][1]
        cut = text.rfind("\n", 0, target)
        docs.append(Document(f"doc{i:07d}", text[: cut if cut > min_chars // 2 else target], source=source))
    return docs


def _reduce(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (EVAL / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@functools.cache
def _paragraphs() -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """(articles as tuples of paragraphs, residue lines). Each paragraph occurs once in the pool."""
    seen: set[str] = set()
    articles: list[tuple[str, ...]] = []

    def add(paragraphs) -> None:
        kept = []
        for p in paragraphs:
            p = " ".join(p.split()) if "\n" in p else p.strip()
            key = _reduce(p)
            if len(key) >= 20 and key not in seen:
                seen.add(key)
                kept.append(p)
        if len(kept) >= 2:
            articles.append(tuple(kept))

    residue: set[str] = set()
    extraction = _jsonl("extraction-dev.jsonl")
    truths = {}
    for r in extraction:
        truths[r["page"]] = r["ground_truth"]
        gt = _reduce(r["ground_truth"])
        gt_lines = {_reduce(x) for x in r["ground_truth"].splitlines()}
        for line in r["text"].splitlines():
            red = _reduce(line)
            if 3 <= len(red) <= 120 and not (red in gt_lines if len(red) < 25 else red in gt):
                residue.add(line.strip())
    for _, gt in sorted(truths.items()):
        add(gt.split("\n"))
    by_page: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _jsonl("trafilatura-dev.jsonl"):
        by_page[r["page"]][r["extractor"]] = r["text"]
    for _, texts in sorted(by_page.items()):  # one extraction a page: the others are near-copies
        add((texts.get("trafilatura") or next(iter(texts.values()))).split("\n"))
    systems_kept: dict[str, set[str]] = defaultdict(set)
    for r in _jsonl("mt-dev.jsonl"):
        if r["label"] == "mt":  # two systems a language pair: more would be near-copies of one source
            kept = systems_kept[r["pair"]]
            if r["system"] not in kept and len(kept) >= 2:
                continue
            kept.add(r["system"])
        sentences = [s for s in r["text"].split("\n") if s.strip()]
        # WMT text is one sentence a line: paragraphs of two to four sentences
        rng = random.Random(r["id"])
        paras, k = [], 0
        while k < len(sentences):
            step = rng.randint(2, 4)
            paras.append(" ".join(sentences[k : k + step]))
            k += step
        add(paras)
    return tuple(articles), tuple(sorted(residue))


_ONSETS = "b c d f g h j k l m n p r s t v w z br ch dr gr kh kr pr sh st tr zh".split()
_VOWELS = "a e i o u y ai ei ia io ou".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "k", "m", "v", "sk", "nd", "rt"]
_MID_SENTENCE_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")
_FIGURE = re.compile(r"\b\d{2,}\b")
_NOT_NAMES = frozenset(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday The This That These Those There Then And But For Not".split()
)


def _name_pool(n: int, rng: random.Random) -> list[str]:
    """n distinct pronounceable names (two or three syllables of a few thousand kinds: as varied as
    real names, so that the name pass's blocks stay about as small as with real ones)."""
    names: set[str] = set()
    while len(names) < n:
        syllables = (rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(2, 3)))
        names.add("".join(syllables).capitalize())
    return sorted(names)


def _respell(text: str, names: dict[str, str], pick, rng: random.Random) -> str:
    """The document's own names and figures (years kept)."""

    def name(m: re.Match[str]) -> str:
        w = m.group()
        if w in _NOT_NAMES:
            return w
        if w not in names:
            names[w] = w if rng.random() < 0.3 else pick()
        return names[w]

    def figure(m: re.Match[str]) -> str:
        d = m.group()
        if len(d) == 4 and d[:2] in ("19", "20"):
            return d
        return str(rng.randrange(10 ** (len(d) - 1), 10 ** len(d)))

    return _FIGURE.sub(figure, _MID_SENTENCE_NAME.sub(name, text))


def build_realistic(n: int, seed: int = 11) -> list[Document]:
    """n crawl-like documents (see the module docstring); the same n and seed give the same corpus."""
    articles, residue = _paragraphs()
    rng = random.Random(seed)
    pool = _name_pool(max(5000, 3 * n), random.Random(seed + 1))
    random.Random(seed + 2).shuffle(pool)
    # Zipf's law with a flat head: the commonest name is in 1-2% of the documents at 6,000 and 30,000
    cum = list(itertools.accumulate(1.0 / (k + 500) for k in range(len(pool))))

    def pick() -> str:
        return rng.choices(pool, cum_weights=cum)[0]

    sources = [f"site{k:02d}" for k in range(N_SOURCES)]
    templates = {s: (rng.choice(residue), rng.choice(residue), rng.random()) for s in sources}
    weights = [1.0 / (k + 1) ** 0.6 for k in range(N_SOURCES)]  # a few large sites, many small ones
    docs = []
    for i in range(n):
        source = rng.choices(sources, weights)[0]
        target = min(30_000, max(500, int(math.exp(rng.gauss(math.log(4000), 0.8)))))
        parts: list[str] = []
        used: set[tuple[int, int]] = set()
        size = 0
        while size < target:
            a = rng.randrange(len(articles))
            art = articles[a]
            start = rng.randrange(len(art))
            for k in range(start, min(len(art), start + rng.randint(2, 5))):
                if (a, k) in used:
                    continue
                used.add((a, k))
                parts.append(art[k])
                size += len(art[k]) + 2
                if size >= target:
                    break
        names: dict[str, str] = {}
        parts = [_respell(p, names, pick, rng) for p in parts]
        header, footer, style = templates[source]
        if rng.random() < 0.8:  # most pages of a site carry its template line
            if style < 0.5:
                parts.append(footer)
            else:
                parts.insert(1, header)
        docs.append(Document(f"{source}/{i:08d}", "\n\n".join(parts), source=source))
    return docs


def real_pages(min_bytes: int = 500, max_bytes: int = 100_000) -> list[Document]:
    """Extracted news pages as extractors produced them (residue included), 0.5-100 KB, in file order."""
    docs = []
    for name in ("extraction-dev.jsonl", "trafilatura-dev.jsonl"):
        for k, r in enumerate(_jsonl(name)):
            if min_bytes <= len(r["text"].encode("utf-8")) <= max_bytes:
                docs.append(Document(f"{name.split('-')[0]}:{k}:{r['extractor']}", r["text"], source=r["extractor"]))
    return docs
