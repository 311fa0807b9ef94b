"""What `audit fix` does to clean and to noisy text (../shared/eval/extraction-dev.jsonl).

Clean: the human-made `ground_truth` bodies: how many come out byte-identical, and the most any loses.
Noisy: the extractors' `text` of the same pages, labelled as in ../shared/eval/README.md (a line is
clean when its case-folded letters and digits occur in the ground truth, residue otherwise): the share
of residue lines and of clean lines that fixing removes. Run with the default policy (autofix checks
only) and with `--select residue,bio --max-removal 1` (every residue and bio finding applied); for the
clean bodies it also says how many each check's fixes changed.

    python bench/eval_fix.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from audit.engine import Options
from audit.fix import FixPolicy, fix_documents
from audit.records import Document

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction-dev.jsonl"


def reduce(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def label(text: str, truth: str) -> list[tuple[str, bool]]:
    """(line, is_residue) for every non-blank line."""
    gt = reduce(truth)
    gt_lines = {reduce(x) for x in truth.splitlines()}
    out = []
    for line in text.splitlines():
        r = reduce(line)
        if not r:
            continue
        clean = r in gt_lines if len(r) < 25 else r in gt
        out.append((line, not clean))
    return out


def run(
    docs: list[Document], options: Options, policy: FixPolicy, by_code: dict[str, int] | None = None
) -> dict[str, str]:
    """The fixed texts; `by_code` (when given) counts the documents each check's fixes changed."""
    fixed, summaries = fix_documents(docs, options, policy=policy)
    for s in summaries if by_code is not None else ():
        for code in s.codes:
            by_code[code] = by_code.get(code, 0) + 1
    return {d.id: d.text for d in fixed}


def main() -> None:
    rows = [json.loads(line) for line in EVAL.open(encoding="utf-8")]
    truths = {r["page"]: r["ground_truth"] for r in rows}
    clean_docs = [Document(p, t) for p, t in sorted(truths.items())]
    noisy = [Document(f"{r['page']}:{r['extractor']}", r["text"]) for r in rows]
    settings = {
        "default": Options(jobs=1),
        "--select residue,bio --max-removal 1": Options(select=("residue", "bio"), jobs=1),
    }
    for name, options in settings.items():
        policy = FixPolicy.from_options(options, max_removal=1.0 if "max-removal" in name else 0.10)
        changed_by: dict[str, int] = {}
        out = run(clean_docs, options, policy, changed_by)
        same = sum(out[d.id] == d.text for d in clean_docs)
        worst = max((len(d.text) - len(out[d.id])) / max(1, len(d.text)) for d in clean_docs)
        codes = ", ".join(f"{c} {n}" for c, n in sorted(changed_by.items())) or "none"
        print(
            f"[{name}] clean bodies: {same}/{len(clean_docs)} byte-identical, largest loss {100 * worst:.1f}%"
            f" (bodies changed by code: {codes})"
        )
        out = run(noisy, options, policy)
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for d in noisy:
            kept = set(out[d.id].splitlines())
            t = tally[d.id.split(":", 1)[1]]
            for line, residue in label(d.text, truths[d.id.split(":", 1)[0]]):
                t[0 if residue else 2] += 1
                t[1 if residue else 3] += line not in kept
        for ex, (n_res, gone_res, n_clean, gone_clean) in sorted(tally.items()):
            print(
                f"  {ex:12} residue lines removed {gone_res / max(1, n_res):.3f} ({gone_res}/{n_res})"
                f"  clean lines removed {gone_clean / max(1, n_clean):.3f} ({gone_clean}/{n_clean})"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
