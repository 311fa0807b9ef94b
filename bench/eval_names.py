#!/usr/bin/env python3
"""Name checks measured on real text: recall where names vary, false findings where they do not.

    python bench/eval_names.py [--show] [--per-story] [--halves] [--mixed] [--mt-dev] [--garbled]

- WMT23 (default): ../shared/eval/wmt23-uk-en-news.tsv, one English document per story and translator
  (segments joined in order; the translator is the document's source), audited as one corpus; the
  clusters the NAME001/NAME002/MT008 findings imply are compared with the hand labels in
  tests/data/wmt23_name_pairs.tsv (see its header for how the candidates were chosen). `--per-story`
  also audits each story's five translations as a corpus of its own; `--halves` audits the stories in two
  halves (alternate story ids), each a corpus of its own, so that a rule written while looking at one half
  can be measured on the other. `--show` prints the wrong, unchecked and missed pairs.
- `--mixed`: unrelated clean articles, the held-out-like case: the human-made bodies (`ground_truth`) of
  all 60 pages of ../shared/eval/extraction-dev.jsonl plus the English originals of mt-dev.jsonl (228
  documents, each story once), audited as one corpus. Every name finding there is counted (per 100
  documents) and printed: two articles about different events rarely spell one entity two ways.
- `--mt-dev`: the WMT21/22 stories of ../shared/eval/mt-dev.jsonl, each in 11-17 English versions (a
  human translation and the systems' outputs), all audited as one corpus. Pairs are labelled by rules
  that stand in for a person's judgement (`mt_story_labels`); recall and wrong links are reported.
- `--garbled`: the data behind MT008's GARBLED_SIMILARITY (`garbled_threshold`).
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.engine import Options, audit_documents  # noqa: E402
from audit.records import Document  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
WMT = EVAL / "wmt23-uk-en-news.tsv"
LABELS = ROOT / "tests" / "data" / "wmt23_name_pairs.tsv"
NAME_CODES = ("NAME001", "NAME002", "MT008")


def wmt_documents(path: Path = WMT) -> list[Document]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    cols = [c for c in rows[0] if c == "ref_human" or c.startswith("hyp_")]
    segs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        for c in cols:
            segs[(r["doc_id"], c)].append((int(r["seg_id"]), r[c]))
    return [
        Document(f"{story}:{col}", "\n".join(t for _, t in sorted(parts)), source=col, meta={"story": story})
        for (story, col), parts in sorted(segs.items())
    ]


def load_labels(path: Path = LABELS) -> dict[tuple[str, str], bool]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("form_a") or not line.strip():
            continue
        a, b, same = line.split("\t")
        labels[tuple(sorted((a, b)))] = same.strip() == "1"
    return labels


def name_findings(docs: list[Document]):
    return [f for f in audit_documents(docs, Options(select=NAME_CODES, jobs=1)).findings if f.code in NAME_CODES]


def linked_pairs(docs: list[Document]) -> set[tuple[str, str]]:
    clusters: dict[str, set[str]] = defaultdict(set)
    for f in name_findings(docs):
        if f.suggestion:
            clusters[f.suggestion].update((f.suggestion, f.evidence))
    return {tuple(sorted(p)) for members in clusters.values() for p in itertools.combinations(sorted(members), 2)}


def evaluate(docs: list[Document], labels: dict[tuple[str, str], bool]) -> dict:
    """The whole set audited as one corpus."""
    return evaluate_pairs(linked_pairs(docs), labels)


def evaluate_per_story(docs: list[Document], labels: dict[tuple[str, str], bool]) -> dict:
    """Each story audited on its own (its five translations as the whole corpus), as a user checking one
    story would; pairs count where both forms occur in that story."""
    from audit.corpus.mentions import extract_mentions
    from audit.text import TextView

    by_story: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        by_story[d.meta["story"]].append(d)
    linked: set[tuple[str, str]] = set()
    present: set[tuple[str, str]] = set()
    for story in sorted(by_story):
        forms = {f for d in by_story[story] for f in extract_mentions(TextView(d.text)).forms}
        present.update(p for p in labels if p[0] in forms and p[1] in forms)
        linked |= linked_pairs(by_story[story])
    return evaluate_pairs(linked, {p: v for p, v in labels.items() if p in present})


def evaluate_subset(docs: list[Document], labels: dict[tuple[str, str], bool]) -> dict:
    """`docs` audited as one corpus, against the labelled pairs whose two forms both occur in it."""
    from audit.corpus.mentions import extract_mentions
    from audit.text import TextView

    forms = {f for d in docs for f in extract_mentions(TextView(d.text)).forms}
    present = {p: v for p, v in labels.items() if p[0] in forms and p[1] in forms}
    return evaluate_pairs(linked_pairs(docs), present)


def story_halves(docs: list[Document]) -> tuple[list[Document], list[Document]]:
    """The documents of alternate stories (sorted story ids: first, third, ... and second, fourth, ...)."""
    stories = sorted({d.meta["story"] for d in docs})
    first = set(stories[0::2])
    return [d for d in docs if d.meta["story"] in first], [d for d in docs if d.meta["story"] not in first]


def evaluate_pairs(linked: set[tuple[str, str]], labels: dict[tuple[str, str], bool]) -> dict:
    positives = {p for p, same in labels.items() if same}
    found = positives & linked
    checked = {p for p in linked if p in labels}
    wrong = {p for p in checked if not labels[p]}
    return {
        "positives": len(positives),
        "found": len(found),
        "recall": len(found) / max(1, len(positives)),
        "linked": len(linked),
        "checked": len(checked),
        "wrong": len(wrong),
        "wrong_share": len(wrong) / max(1, len(checked)),
        "unchecked": sorted(linked - set(labels)),
        "wrong_pairs": sorted(wrong),
        "missed": sorted(positives - linked),
    }


def mixed_documents() -> list[Document]:
    """Unrelated clean English articles: extraction-dev ground truths (60 pages) and mt-dev originals."""
    docs, seen = [], set()
    for line in (EVAL / "extraction-dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["page"] not in seen:
            seen.add(r["page"])
            docs.append(Document("x:" + r["page"][:16], r["ground_truth"]))
    for line in (EVAL / "mt-dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["label"] == "original":
            docs.append(Document(r["id"], r["text"]))
    return docs


def mt_story_documents() -> list[Document]:
    """Every translated version (human and machine) of the mt-dev stories; the system is the source."""
    docs = []
    for line in (EVAL / "mt-dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["label"] != "original":
            story = r["id"].rsplit(":", 1)[0]
            docs.append(Document(r["id"], r["text"], source=r["system"], meta={"story": story}))
    return docs


def _line_forms(doc: Document) -> list[set[str]]:
    from audit.corpus.mentions import extract_mentions
    from audit.text import TextView

    starts = [0]
    for i, ch in enumerate(doc.text):
        if ch == "\n":
            starts.append(i + 1)
    lines: list[set[str]] = [set() for _ in starts]
    import bisect

    for form, spans in extract_mentions(TextView(doc.text)).occurrences():
        for s, _ in spans:
            lines[bisect.bisect_right(starts, s) - 1].add(form)
    return lines


def mt_story_labels(docs: list[Document]) -> dict[tuple[str, str], bool]:
    """Labels from rules that stand in for a person's judgement, per story (versions are aligned line by
    line: one source sentence a line):

    - same name (1): in some line, two versions differ by exactly one name each (each has one name form the
      other lacks), and the two forms look like one name to a reader: folded or transliteration-neutral
      similarity of at least 0.5 (otherwise they are two names of one thing, Britain/Kingdom), neither is
      an ordinary word (written in lower case in some version of the story), and neither is the other
      plus an English suffix or a hyphenated part (Asia/Asian, Arai/Arai-cho: a derivation or a compound);
    - different (0): two forms that stand in one line of one version (one writer, two names);
    - a pair that both rules claim, or that neither claims, is left unlabelled.
    """
    import re

    from rapidfuzz.distance import Levenshtein

    from audit.lexicon.translit import fold, tnorm

    suffix = re.compile(r"(s|es|n|an|ans|ian|ians|ese|ish|ic|ics|al|ity|ities|ly|ed|er|ers|ing|ion|ism|ist|i|a|e)$")

    def one_name(a: str, b: str, lower: set[str]) -> bool:
        if a.casefold() in lower or b.casefold() in lower:
            return False
        fa, fb = sorted((fold(a), fold(b)), key=len)
        if fb.startswith(fa) and (suffix.fullmatch(fb[len(fa) :]) or fb[len(fa) : len(fa) + 1] == "-"):
            return False
        sim = max(Levenshtein.normalized_similarity(fa, fb), Levenshtein.normalized_similarity(tnorm(a), tnorm(b)))
        return sim >= 0.5

    by_story: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        by_story[d.meta["story"]].append(d)
    same: set[tuple[str, str]] = set()
    apart: set[tuple[str, str]] = set()
    for story in sorted(by_story):
        versions = [_line_forms(d) for d in by_story[story]]
        lower = {w for d in by_story[story] for w in re.findall(r"\b[a-z][\w'-]*", d.text)}
        for v in versions:
            for forms in v:
                apart.update(itertools.combinations(sorted(forms), 2))
        for x, y in itertools.combinations(versions, 2):
            for fx, fy in zip(x, y, strict=False):
                rx, ry = fx - fy, fy - fx
                if len(rx) == 1 and len(ry) == 1:
                    a, b = sorted((next(iter(rx)), next(iter(ry))))
                    if one_name(a, b, lower):
                        same.add((a, b))
    labels = {p: True for p in same - apart}
    labels.update({p: False for p in apart - same})
    return labels


def garbled_threshold(docs: list[Document], labels: dict[tuple[str, str], bool], unrelated: list[Document]) -> None:
    """The data behind GARBLED_SIMILARITY: folded similarity of surnames that follow one given name.

    Positives: labelled same-name pairs (WMT23 and mt-dev stories) whose spellings are too far apart for a
    spelling variant (transliteration-neutral similarity under 0.8) and that share a neighbouring name.
    Negatives: two different surnames after one given name, within the stories (labelled 0) and across
    the unrelated articles (every such pair there names two people). Prints, for each threshold, how many
    of each it lets through, and the lowest threshold at which the similarity alone is 90% precise (the
    other conditions of a garbled link, one story and no support of its own, then add their own filter)."""
    from rapidfuzz.distance import Levenshtein

    from audit.corpus.mentions import extract_mentions
    from audit.corpus.names import SPELLING_SIMILARITY, count, people
    from audit.lexicon.translit import fold, tnorm
    from audit.text import TextView

    def sims(corpus: list[Document]):
        c = count({d.id: extract_mentions(TextView(d.text, source=d.source)) for d in corpus})
        by_given: dict[str, set[str]] = defaultdict(set)
        for f, gs in c.before.items():
            for g in gs:
                by_given[tnorm(g)].add(f)
        by_surname: dict[str, set[str]] = defaultdict(set)
        for f, ss in c.after.items():
            for s in ss:
                by_surname[tnorm(s)].add(f)
        pairs = set()
        for group in list(by_given.values()) + list(by_surname.values()):
            pairs.update(itertools.combinations(sorted(group), 2))
        out = {}
        for a, b in sorted(pairs):
            if Levenshtein.normalized_similarity(tnorm(a), tnorm(b)) >= SPELLING_SIMILARITY:
                continue
            if people(c, a, b).differ:
                continue
            out[(a, b)] = Levenshtein.normalized_similarity(fold(a), fold(b))
        return out

    story = sims(docs)
    pos = sorted(s for p, s in story.items() if labels.get(p) is True)
    neg = sorted(s for p, s in story.items() if labels.get(p) is False) + sorted(sims(unrelated).values())
    print(f"garbled candidates: {len(pos)} same-name pairs, {len(neg)} different-name pairs")
    derived = None
    for t in [x / 40 for x in range(16, 33)]:
        kept, through = sum(s >= t for s in pos), sum(s >= t for s in neg)
        precision = kept / max(1, kept + through)
        if derived is None and precision >= 0.9:
            derived = t
        print(
            f"  threshold {t:.3f}: same-name pairs kept {kept}/{len(pos)}, "
            f"different-name pairs let through {through}/{len(neg)}, precision {precision:.3f}"
        )
    print(f"lowest threshold at which the similarity alone is 90% precise: {derived}")


def _looks_alike(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    from audit.lexicon.translit import fold, tnorm

    sim = max(
        Levenshtein.normalized_similarity(fold(a), fold(b)), Levenshtein.normalized_similarity(tnorm(a), tnorm(b))
    )
    return sim >= 0.7


def _report(name: str, r: dict, show: bool) -> None:
    print(
        f"{name}: recall {r['recall']:.3f} ({r['found']}/{r['positives']}), "
        f"wrong links {r['wrong_share']:.3f} ({r['wrong']}/{r['checked']} checked), {r['linked']} linked, "
        f"{len(r['unchecked'])} unchecked"
    )
    if show:
        print("  wrong:", r["wrong_pairs"])
        print("  unchecked:", r["unchecked"])
        print("  missed:", r["missed"])


def main() -> int:
    if not WMT.exists():
        print(f"no evaluation data at {WMT}")
        return 1
    show = "--show" in sys.argv
    _report("wmt23 name pairs", evaluate(wmt_documents(), load_labels()), show)
    if "--per-story" in sys.argv:
        _report("wmt23 name pairs, each story on its own", evaluate_per_story(wmt_documents(), load_labels()), show)
    if "--halves" in sys.argv:
        for name, half in zip(("first", "second"), story_halves(wmt_documents()), strict=True):
            _report(f"wmt23 name pairs, {name} half of the stories", evaluate_subset(half, load_labels()), show)
    if "--mixed" in sys.argv:
        docs = mixed_documents()
        found = name_findings(docs)
        for f in found:
            print(f"  {f.doc_id}  {f.code}  {f.evidence!r} -> {f.suggestion!r}  ({f.confidence})  {f.message}")
        fixable = sum(1 for f in found if (f.confidence or 0) >= 0.8)
        print(
            f"unrelated articles: {len(found)} name findings in {len(docs)} documents "
            f"({100 * len(found) / len(docs):.2f} per 100), {fixable} at confidence >= 0.8"
        )
    if "--mt-dev" in sys.argv or "--garbled" in sys.argv:
        docs = mt_story_documents()
        labels = mt_story_labels(docs)
        if "--mt-dev" in sys.argv:
            linked = linked_pairs(docs)
            _report(f"mt-dev stories ({len(docs)} versions)", evaluate_pairs(linked, labels), show)
            close = {p: v for p, v in labels.items() if not v or _looks_alike(*p)}
            _report("mt-dev stories, pairs that look alike (similarity >= 0.7)", evaluate_pairs(linked, close), False)
        if "--garbled" in sys.argv:
            wmt_labels = {**labels, **load_labels()}
            garbled_threshold(wmt_documents() + docs, wmt_labels, mixed_documents())
    return 0


if __name__ == "__main__":
    sys.exit(main())
