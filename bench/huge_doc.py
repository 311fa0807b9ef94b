#!/usr/bin/env python3
"""One huge document, end to end: time, peak memory and report size of `audit run` on a single .txt.

    python bench/huge_doc.py [MB ...]        (default: 5 10 20 50)

Builds one document of each size from the bench corpus's real-sized documents (bench/corpus.py, pages
and stories from ../shared, joined with blank lines), writes it as the only file of a folder and runs
`audit run FOLDER --out OUT --no-validation --no-progress` in a child process, so the figures are the
audit's own: wall seconds, CPU seconds, the child's peak resident memory (ru_maxrss) and the size of
report.html. Linear means MB/s and peak memory per MB of text hold as the size grows.

2026-12-07, this 2-core machine under load 10-14 (wall time is mostly waiting; read the CPU seconds):
    main at 8b44dff:  5 MB  28.6 s CPU  314 MB peak  report 6.52 MB;  50 MB  253.7 s  1,417 MB  report 65.46 MB
    this branch:      2 MB  12.0 s      213 MB       report 0.30 MB;   5 MB  27.6 s   294 MB   report 0.30 MB;
                     50 MB  241.3 s     1,417 MB     report 0.30 MB
    with INT007 (5,000,000 characters audited), load 2-4:  10 MB 30.1 s 347 MB;  50 MB 32.3 s 772 MB
    no loop variable keeps a text alive (2728f56), load 5:  10 MB 27.2 s 317 MB;  50 MB 31.1 s 519 MB
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_corpus  # noqa: E402


def huge_text(mb: float) -> str:
    """About `mb` MB of news text: the bench corpus's documents one after another, repeated as needed."""
    docs = build_corpus(2000)
    target = int(mb * 1_000_000)
    parts, size, k = [], 0, 0
    while size < target:
        t = docs[k % len(docs)].text.strip()
        parts.append(t)
        size += len(t.encode("utf-8")) + 2
        k += 1
    return "\n\n".join(parts)


def run(mb: float, work: Path) -> dict[str, float]:
    folder = work / f"doc-{mb:g}"
    folder.mkdir()
    (folder / "huge.txt").write_text(huge_text(mb), encoding="utf-8")
    out = work / f"out-{mb:g}"
    audit = ROOT / ".venv" / "bin" / "audit"
    cmd = [str(audit), "run", str(folder), "--out", str(out), "--no-validation", "--no-progress"]
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"audit run failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu, peak_kb = done.stderr.strip().splitlines()[-1].split()
    size = (folder / "huge.txt").stat().st_size / 1e6
    return {
        "MB": size,
        "wall_s": wall,
        "cpu_s": float(cpu),
        "peak_MB": int(peak_kb) / 1024,
        "report_MB": (out / "report.html").stat().st_size / 1e6,
    }


# A small interpreter runs the audit and reports its CPU seconds and peak RSS: Linux's ru_maxrss counts
# what a child inherited through fork and exec, so the audit is forked from this small process, not
# from the benchmark that holds the text.
WRAPPER = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr)
sys.exit(rc)
"""


def main() -> None:
    sizes = [float(a) for a in sys.argv[1:]] or [5, 10, 20, 50]
    work = Path(tempfile.mkdtemp(prefix="huge-doc-"))
    try:
        print(f"{'MB':>6} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'report MB':>10} {'s/MB':>6} {'peak/MB':>8}")
        for mb in sorted(sizes):
            r = run(mb, work)
            print(
                f"{r['MB']:6.1f} {r['wall_s']:8.1f} {r['cpu_s']:8.1f} {r['peak_MB']:8.0f} {r['report_MB']:10.2f} "
                f"{r['wall_s'] / r['MB']:6.2f} {r['peak_MB'] / r['MB']:8.1f}",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
