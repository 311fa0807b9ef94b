#!/usr/bin/env python3
"""Peak memory of `audit run` as the corpus grows: is it flat, and what does it grow with?

    python bench/memory.py [N ...]      # default 1000 4000 16000 documents

Each size is written as a JSONL corpus (bench/corpus.py: 3-8 KB documents) and audited by the
`audit run` command in a fresh process with --jobs 2 (the report and the validation included);
the figure is the largest resident set of that process or of any of its workers (ru_maxrss of
the waited-for children). The slope between sizes is the memory each document costs the run.
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

from corpus import build_corpus  # noqa: E402


def peak_rss_mb(n: int, folder: Path, jobs: int) -> tuple[float, float, float]:
    corpus = folder / f"corpus{n}.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for d in build_corpus(n):
            f.write(json.dumps({"id": d.id, "source": d.source, "text": d.text}, ensure_ascii=False) + "\n")
    script = (
        "import resource, sys\n"
        "from audit.cli import main\n"
        f"rc = main(['run', {str(corpus)!r}, '--out', {str(folder / f'out{n}')!r}, '--jobs', '{jobs}', '--no-progress'])\n"
        "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('RSS', me, kids)\n"
        "sys.exit(rc)\n"
    )
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=folder)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("RSS"))
    _, me, kids = line.split()
    return int(me) / 1024, int(kids) / 1024, wall


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 4000, 16000]
    jobs = int(os.environ.get("JOBS", "2"))
    print(f"`audit run`, --jobs {jobs}; peak RSS of the main process and of the largest worker")
    print("| documents | MB of text | main process MB | largest worker MB | seconds |")
    print("| --- | --- | --- | --- | --- |")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            mb_text = sum(len(d.text.encode("utf-8")) for d in build_corpus(n)) / 1e6
            me, kids, wall = peak_rss_mb(n, Path(tmp), jobs)
            rows.append((n, me))
            print(f"| {n:,} | {mb_text:.0f} | {me:.0f} | {kids:.0f} | {wall:.0f} |", flush=True)
    if len(rows) > 1:
        (n0, m0), (n1, m1) = rows[0], rows[-1]
        print(f"\nslope: {1024 * (m1 - m0) / (n1 - n0):.1f} KB per document (main process, {n0:,} to {n1:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
