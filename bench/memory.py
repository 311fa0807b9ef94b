#!/usr/bin/env python3
"""Peak memory and time of `audit run` as the corpus grows: is the main process flat?

    python bench/memory.py [N ...]      # default 6000 30000 documents
    CORPUS=dense python bench/memory.py  # bench/corpus.py's dense corpus instead of the crawl-like one
    JOBS=2 EXTRA="--no-validation" ...   # other worker counts or options

Each size is written as a JSONL corpus (bench/corpus.py's `build_realistic`: paragraphs of real
articles recombined, 0.5-30 KB, 37 sources, near-duplicates as rare as in a crawl) and audited by
`audit run` with the defaults (report and validation) and --jobs 2, in a fresh process. Reported:
the main process's largest resident set (ru_maxrss), the largest worker's, the wall time, and, from
the two largest sizes, the memory each further document costs and a straight-line projection to
ten million documents. The main process's resident set is also sampled every 0.25 s, so the phase
that sets the peak shows (`--trace`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_corpus, build_realistic  # noqa: E402

SCRIPT = r"""
import resource, sys, threading, time
from audit.cli import main

trace = []
def sample():
    t0 = time.perf_counter()
    while True:
        with open('/proc/self/status') as f:
            rss = next(int(x.split()[1]) for x in f if x.startswith('VmRSS'))
        trace.append((time.perf_counter() - t0, rss))
        time.sleep(0.25)
threading.Thread(target=sample, daemon=True).start()
rc = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print('RSS', me, kids)
print('TRACE', ' '.join(f'{t:.1f}:{r // 1024}' for t, r in trace))
sys.exit(rc)
"""


def write_corpus(n: int, path: Path, dense: bool) -> float:
    docs = build_corpus(n) if dense else build_realistic(n)
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "source": d.source, "text": d.text}, ensure_ascii=False) + "\n")
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


def run(corpus: Path, out: Path, jobs: int, extra: list[str]) -> tuple[float, float, float, list[tuple[float, int]]]:
    args = ["run", str(corpus), "--out", str(out), "--jobs", str(jobs), "--no-progress", *extra]
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, cwd=out.parent)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout[-2000:] + r.stderr[-3000:])
    lines = r.stdout.splitlines()
    _, me, kids = next(ln for ln in lines if ln.startswith("RSS")).split()
    trace = [
        (float(t), int(m))
        for t, m in (x.split(":") for x in next(ln for ln in lines if ln.startswith("TRACE")).split()[1:])
    ]
    return int(me) / 1024, int(kids) / 1024, wall, trace


def main() -> int:
    argv = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_trace = "--trace" in sys.argv
    sizes = [int(a) for a in argv] or [6000, 30000]
    jobs = int(os.environ.get("JOBS", "2"))
    dense = os.environ.get("CORPUS", "realistic") == "dense"
    extra = os.environ.get("EXTRA", "").split()
    load = os.getloadavg()
    print(
        f"`audit run --jobs {jobs} {' '.join(extra)}` on the {'dense' if dense else 'crawl-like'} corpus; "
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print("| documents | MB of text | main process, peak MB | largest worker, peak MB | seconds | docs/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"corpus{n}.jsonl"
            mb_text = write_corpus(n, corpus, dense)
            me, kids, wall, trace = run(corpus, Path(tmp) / f"out{n}", jobs, extra)
            corpus.unlink()
            rows.append((n, me, wall))
            print(f"| {n:,} | {mb_text:.0f} | {me:.0f} | {kids:.0f} | {wall:.0f} | {n / wall:.0f} |", flush=True)
            if show_trace:
                step = max(1, len(trace) // 40)
                print("  trace (s:MB): " + " ".join(f"{t:.0f}:{m}" for t, m in trace[::step]), flush=True)
    if len(rows) > 1:
        (n0, m0, w0), (n1, m1, w1) = rows[-2], rows[-1]
        per_doc = (m1 - m0) / (n1 - n0)
        secs = (w1 - w0) / (n1 - n0)
        print(
            f"\nmain process: peak at {n1:,} is {m1 / m0:.2f}x the peak at {n0:,}; "
            f"{1024 * per_doc:.2f} KB per further document"
        )
        print(
            f"projection to 10,000,000 documents (straight line through the two largest sizes, "
            f"--jobs {jobs} on this machine): main process {m1 + per_doc * (10_000_000 - n1):,.0f} MB, "
            f"{(w1 + secs * (10_000_000 - n1)) / 3600:,.0f} hours"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
