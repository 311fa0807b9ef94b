#!/usr/bin/env python3
"""CPU time of RES017 (the learned residue-line model) per document, on the development pages.

    python bench/residue_model.py

Runs the check (features and score of every line; the language decision is made once beforehand, as
other checks share it) on each `text` and `ground_truth` of ../shared/eval/extraction-dev.jsonl and each
`text` of trafilatura-dev.jsonl, and prints the median and 90th-percentile milliseconds a document, by
kind of text (whole-page html-text output apart: it has hundreds of lines), and the lines a millisecond.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.checks.learned import learned_residue  # noqa: E402
from audit.text import TextView  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"


def texts() -> list[tuple[str, str]]:
    out = []
    for name in ("extraction-dev.jsonl", "trafilatura-dev.jsonl"):
        for line in (SHARED / name).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            out.append(("whole page (html-text)" if r["extractor"] == "html-text" else "article text", r["text"]))
            if "ground_truth" in r and r["extractor"] == "html-text":
                out.append(("article text", r["ground_truth"]))
    return out


def main() -> None:
    times: dict[str, list[float]] = {}
    lines = secs = 0.0
    for kind, text in texts():
        view = TextView(text)
        _ = view.is_english, view.body
        t0 = time.perf_counter()
        list(learned_residue(view))
        dt = time.perf_counter() - t0
        times.setdefault(kind, []).append(dt * 1000)
        lines, secs = lines + len(view.body), secs + dt
    for kind, ms in sorted(times.items()):
        ms.sort()
        print(
            f"{kind:24s} {len(ms):4d} docs  median {statistics.median(ms):.2f} ms  p90 {ms[int(0.9 * len(ms))]:.2f} ms"
        )
    print(f"{lines / (secs * 1000):.0f} lines a millisecond")


if __name__ == "__main__":
    main()
