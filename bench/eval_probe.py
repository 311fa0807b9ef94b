"""The independent residue probe (bench/probe): recall and clean-line false positives as unseen pages give them.

The pages in bench/probe/probe.jsonl were written by hand from general knowledge of how sites lay out
pages and how extractors leave them (bench/probe/README.md); every line carries its own label, so no
ground-truth matching is needed. This runs the installed CLI (`audit run FILE --out DIR`) once over all
pages and counts a line as flagged when findings of category `residue` or `bio` cover at least half of
its characters (the rule of ../shared/tools/score_extraction.py). It prints residue recall and clean-line
false positives per extractor style, per residue family and per kind of clean page, and how many clean
bodies the default `audit fix` changes: the 40 clean pages, and the clean lines of each noisy page
joined as its body. Lines labelled `ambiguous` count nowhere.

    python bench/eval_probe.py [--detail] [--lang en] [--set probe2|probe3|probe4|probe5]

--set picks the set: `probe` (default, bench/probe), `probe2` (bench/probe2, the second set written
later as the held-out measure; see bench/probe2/README.md) or `probe3` (bench/probe3, a third set that
nobody tunes to, the held-out measure for a round's final report; see bench/probe3/README.md) or
`probe4` (bench/probe4, mostly clean pages of unlike structured kinds: timetables, results, releases,
notices, code; a development set for residue precision, see bench/probe4/README.md) or `probe5`
(bench/probe5, a fifth set written fresh to be held out again: only the lead runs it, at the end of a
round, and reports aggregates only; see bench/probe5/README.md).

--detail lists every miss and false positive (with the codes whose findings covered it) and the codes
behind each changed clean body.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "bench" / "probe" / "probe.jsonl"
SETS = {
    "probe": PROBE,
    "probe2": ROOT / "bench" / "probe2" / "probe.jsonl",
    "probe3": ROOT / "bench" / "probe3" / "probe.jsonl",
    "probe4": ROOT / "bench" / "probe4" / "probe.jsonl",
    "probe5": ROOT / "bench" / "probe5" / "probe.jsonl",
}
FLAG_CATS = frozenset({"residue", "bio"})
LABELS = frozenset({"clean", "residue", "ambiguous", "blank"})


def load(path: Path = PROBE) -> list[dict]:
    """The probe's pages, one dict each (see bench/probe/README.md for the fields)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def page_text(page: dict) -> str:
    """The page as the extractor left it: its lines joined by newlines."""
    return "\n".join(line["t"] for line in page["lines"])


def clean_body(page: dict) -> str:
    """The page with its residue and ambiguous lines dropped: what a perfect fix would leave."""
    kept = [line["t"] for line in page["lines"] if line["l"] in ("clean", "blank")]
    return "\n".join(kept).strip("\n") + "\n"


def line_spans(page: dict) -> list[tuple[int, int, dict]]:
    """(start, end, line) for every line of page_text(page), blank ones included."""
    out, pos = [], 0
    for line in page["lines"]:
        out.append((pos, pos + len(line["t"]), line))
        pos += len(line["t"]) + 1
    return out


def covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when the union of spans covers at least half of [start, end) (as score_extraction.py)."""
    total, cur = 0, start
    for s, e in sorted(spans):
        s, e = max(s, cur), min(e, end)
        if e > s:
            total += e - s
            cur = e
    return total * 2 >= end - start


def codes_over(findings: list[dict], start: int, end: int) -> list[str]:
    """The codes of the flagging findings that overlap [start, end)."""
    return sorted({f["code"] for f in findings if f["start"] < end and f["end"] > start})


def judge(page: dict, findings: list[dict]) -> list[tuple[dict, bool, list[str]]]:
    """(line, flagged, codes) for every labelled line; `findings` are the page's residue and bio findings."""
    spans = [(f["start"], f["end"]) for f in findings]
    out = []
    for start, end, line in line_spans(page):
        if line["l"] in ("blank", "ambiguous") or not line["t"].strip():
            continue
        out.append((line, covered(spans, start, end), codes_over(findings, start, end)))
    return out


def audit_command() -> list[str]:
    """This checkout's `audit`: its venv's script, then PATH, then `python -m audit`."""
    script = ROOT / ".venv" / "bin" / "audit"
    if script.exists():
        return [str(script)]
    found = shutil.which("audit")
    return [found] if found else [sys.executable, "-m", "audit"]


def run_audit(pages: list[dict]) -> dict[str, list[dict]]:
    """Residue and bio findings per page id, from one `audit run` over all pages."""
    tmp = Path(tempfile.mkdtemp(prefix="audit-probe-"))
    src = tmp / "probe.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for p in pages:
            f.write(json.dumps({"id": p["id"], "text": page_text(p)}, ensure_ascii=False) + "\n")
    cmd = [*audit_command(), "run", str(src), "--out", str(tmp / "out")]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-4000:])
        raise SystemExit(f"`{' '.join(cmd)}` exited {proc.returncode}")
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for line in (tmp / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line) if line.strip() else None
        if f and f["category"] in FLAG_CATS:
            by_doc[f["doc_id"]].append(f)
    shutil.rmtree(tmp, ignore_errors=True)
    return by_doc


def tally(pages: list[dict], findings: dict[str, list[dict]]) -> dict[str, dict]:
    """Counts [hit, total] for residue by style and family, and for clean lines by style and genre."""
    t: dict[str, dict] = {
        k: defaultdict(lambda: [0, 0])
        for k in ("rec_style", "rec_family", "rec_lang", "fp_style", "fp_genre", "fp_lang")
    }
    t["misses"], t["fps"] = [], []
    for p in pages:
        for line, flagged, codes in judge(p, findings.get(p["id"], [])):
            if line["l"] == "residue":
                for key, group in (("rec_style", p["extractor"]), ("rec_family", line["f"]), ("rec_lang", p["lang"])):
                    t[key][group][0] += flagged
                    t[key][group][1] += 1
                if not flagged:
                    t["misses"].append((p["id"], line["f"], line["t"]))
            else:
                for key, group in (("fp_style", p["extractor"]), ("fp_genre", p["genre"]), ("fp_lang", p["lang"])):
                    t[key][group][0] += flagged
                    t[key][group][1] += 1
                if flagged:
                    t["fps"].append((p["id"], ",".join(codes), line["t"]))
    return t


def rate(hit_total: list[int]) -> str:
    hit, total = hit_total
    return f"{hit / max(1, total):.3f} ({hit}/{total})"


def fix_changes(pages: list[dict]) -> list[tuple[str, str, str, list[str]]]:
    """(kind, page id, outcome, codes) for each clean body the default `audit fix` changes or wants to.

    outcome is `changed`, or `held` where the per-document guard left a body unchanged because its
    fixes would remove too much; bodies it skips for their language are listed as `language`.
    """
    from audit.engine import Options
    from audit.fix import FixPolicy, fix_documents
    from audit.records import Document

    docs = [Document(p["id"], clean_body(p)) for p in pages]
    options = Options(jobs=1)
    fixed, summaries = fix_documents(docs, options, policy=FixPolicy.from_options(options))
    kind = {p["id"]: p["kind"] for p in pages}
    out = []
    for before, after, summary in zip(docs, fixed, summaries, strict=True):
        codes = sorted(summary.codes)
        if before.text != after.text:
            out.append((kind[before.id], before.id, "changed", codes))
        elif summary.needs_review.startswith("fixes would remove"):
            out.append((kind[before.id], before.id, "held", codes))
        elif "language" in summary.needs_review:
            out.append((kind[before.id], before.id, "language", codes))
    return out


def report(pages: list[dict], detail: bool) -> None:
    t = tally(pages, run_audit(pages))
    print("residue recall and clean-line FP by extractor style (noisy pages; 'clean' = the clean pages):")
    for style in sorted(t["rec_style"]):
        print(f"  {style:12s} recall {rate(t['rec_style'][style])}  clean-line FP {rate(t['fp_style'][style])}")
    rec = [sum(v[i] for v in t["rec_style"].values()) for i in (0, 1)]
    fp = [sum(v[i] for k, v in t["fp_style"].items() if k != "clean") for i in (0, 1)]
    print(f"  all noisy    recall {rate(rec)}  clean-line FP {rate(fp)}")
    print(f"  clean pages  clean-line FP {rate(t['fp_style']['clean'])}")
    print("by language (noisy pages' residue; clean lines of all pages):")
    for lang in sorted(t["rec_lang"]):
        print(f"  {lang:12s} recall {rate(t['rec_lang'][lang])}  clean-line FP {rate(t['fp_lang'][lang])}")
    print("residue recall by family:")
    for fam, v in sorted(t["rec_family"].items(), key=lambda kv: (-kv[1][1], kv[0])):
        print(f"  {fam:14s} {rate(v)}")
    print("clean-line FP by kind of page:")
    for genre, v in sorted(t["fp_genre"].items()):
        print(f"  {genre:14s} {rate(v)}")
    by_code: dict[str, int] = defaultdict(int)
    for _, codes, _ in t["fps"]:
        for code in codes.split(","):
            by_code[code] += 1
    print("clean lines flagged, by code (a line under two codes counts for each):")
    print("  " + (", ".join(f"{c} {n}" for c, n in sorted(by_code.items(), key=lambda kv: -kv[1])) or "none"))
    ambiguous = sum(line["l"] == "ambiguous" for p in pages for line in p["lines"])
    print(f"ambiguous lines (not counted): {ambiguous}")
    fixes = fix_changes(pages)
    for kind in ("clean", "noisy"):
        n = sum(p["kind"] == kind for p in pages)
        got = {o: sum(k == kind and x == o for k, _, x, _ in fixes) for o in ("changed", "held", "language")}
        print(
            f"default `audit fix` on the {kind} pages' clean bodies: {got['changed']}/{n} changed, "
            f"{got['held']} more held back by the removal guard, {got['language']} skipped as not English"
        )
    if detail:
        print("\nmisses (page, family, line):")
        for doc, fam, text in sorted(t["misses"], key=lambda m: (m[1], m[0])):
            print(f"  {doc} [{fam}] {text[:110]}")
        print("\nfalse positives (page, codes, line):")
        for doc, codes, text in t["fps"]:
            print(f"  {doc} [{codes}] {text[:110]}")
        print("\nclean bodies the default fix changed or wanted to (page, outcome, codes):")
        for _, doc, outcome, codes in fixes:
            if outcome != "language":
                print(f"  {doc} {outcome} [{', '.join(codes)}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--detail", action="store_true", help="list misses, false positives and changed bodies")
    ap.add_argument("--set", choices=sorted(SETS), default="probe", help="which probe set (default probe)")
    ap.add_argument("--probe", type=Path, help="a probe file to read instead of --set's")
    ap.add_argument("--lang", help="only the pages in this language (en, de, fr, es, pl, ru)")
    args = ap.parse_args()
    pages = [p for p in load(args.probe or SETS[args.set]) if args.lang in (None, p["lang"])]
    report(pages, args.detail)


if __name__ == "__main__":
    main()
