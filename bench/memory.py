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
ten million documents. The main process's resident set is also sampled every 0.25 s, and the peak
of each phase (corpus pass, finishing the shards, claims.csv, report, validation table, validation)
is measured by resetting the peak (VmHWM) as it starts, so the phase that sets the peak shows
(`--trace`). A table of 5,000 documents or more is validated in a process of its own
(`audit.gate.expectations.validate_apart`): the `validation` phase is then the main process's side
(pickling the table), and the validating process's peak counts among the children's (the largest
worker's column is the largest of the workers and the validating process).
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

# The sampler keeps its samples in arrays allocated up front: a sample kept as a new Python object every
# 0.25 s would itself survive among the corpus pass's freed memory and keep allocator arenas resident
# (hundreds of them at 30,000 documents), inflating what it measures.
from array import array
SAMPLES = 1 << 16
times, rsses, count = array('d', bytes(8 * SAMPLES)), array('q', bytes(8 * SAMPLES)), array('q', [0])
def sample():
    t0 = time.perf_counter()
    while count[0] < SAMPLES:
        with open('/proc/self/status') as f:
            rss = next(int(x.split()[1]) for x in f if x.startswith('VmRSS'))
        times[count[0]], rsses[count[0]] = time.perf_counter() - t0, rss
        count[0] += 1
        time.sleep(0.25)
threading.Thread(target=sample, daemon=True).start()
import os
if os.environ.get('MEMDIAG') == 'trace':
    import tracemalloc
    tracemalloc.start()

phases = []
peak = [0]
def status(key):
    with open('/proc/self/status') as f:
        return next(int(x.split()[1]) for x in f if x.startswith(key)) // 1024
def reset_peak():
    peak[0] = max(peak[0], status('VmHWM'))  # clearing the peak clears ru_maxrss too: keep the largest
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # resets the peak resident set (VmHWM) for this phase
def phased(module, name, label):
    import importlib
    mod = importlib.import_module(module)
    fn = getattr(mod, name)
    def wrapper(*a, **k):
        reset_peak()
        t0, rss0 = time.perf_counter(), status('VmRSS')
        try:
            return fn(*a, **k)
        finally:
            phases.append((label, rss0, status('VmHWM'), status('VmRSS'), time.perf_counter() - t0))
    setattr(mod, name, wrapper)
for module, name, label in [
    ('audit.engine', 'decide_corpus', 'corpus pass'),
    ('audit.memory', 'release_after_pass', 'release'),
    ('audit.output', 'claims_csv', 'claims.csv'),
    ('audit.report', 'write_report', 'report'),
    ('audit.gate.expectations', 'gate_table', 'validation table'),
    ('audit.gate.expectations', 'validate', 'validation'),
]:
    phased(module, name, label)
def diagnose():
    # MEMDIAG=1: what is resident after the corpus pass: live Python objects by type, obmalloc's
    # arenas, glibc's heap (in use / free)
    import collections, ctypes, gc, io, os, contextlib
    if not os.environ.get('MEMDIAG'):
        return
    sizes, counts = collections.Counter(), collections.Counter()
    for o in gc.get_objects():
        t = type(o).__name__
        counts[t] += 1
        sizes[t] += sys.getsizeof(o)
    print('DIAG objects', ' '.join(f'{t}:{counts[t]}:{sizes[t] // 1024}K' for t, _ in sizes.most_common(15)), file=sys.stderr)
    class Mallinfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ('arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks', 'fordblks', 'keepcost')]
    libc = ctypes.CDLL('libc.so.6')
    libc.mallinfo2.restype = Mallinfo2
    m = libc.mallinfo2()
    print('DIAG malloc', f'arena {m.arena >> 20} MB, mmapped {m.hblkhd >> 20} MB, in use {m.uordblks >> 20} MB, free {m.fordblks >> 20} MB', file=sys.stderr)
    sys._debugmallocstats()
    import tracemalloc
    if tracemalloc.is_tracing():
        stats = tracemalloc.take_snapshot().compare_to(before[0], 'lineno')
        for st in stats[:25]:
            print('DIAG new since the corpus pass began', st, file=sys.stderr)
before = [None]
_decide = __import__('audit.engine', fromlist=['x']).decide_corpus
def decide_after_snapshot(*a, **k):
    import tracemalloc
    if tracemalloc.is_tracing():
        before[0] = tracemalloc.take_snapshot()
    return _decide(*a, **k)
__import__('audit.engine', fromlist=['x']).decide_corpus = decide_after_snapshot
_release = __import__('audit.memory', fromlist=['x']).release_after_pass
def release_and_diagnose():
    _release()
    diagnose()
__import__('audit.memory', fromlist=['x']).release_after_pass = release_and_diagnose
_update = __import__('audit.store', fromlist=['SpilledResults']).SpilledResults.update
def update(self, fn):
    reset_peak()
    t0, rss0 = time.perf_counter(), status('VmRSS')
    _update(self, fn)
    phases.append(('finish shards', rss0, status('VmHWM'), status('VmRSS'), time.perf_counter() - t0))
__import__('audit.store', fromlist=['SpilledResults']).SpilledResults.update = update
exec(os.environ.get('BENCH_PATCH', ''))  # an experiment's monkeypatch, e.g. of audit.engine
rc = main(sys.argv[1:])
print('PHASES', ';'.join(f'{l}:{a}:{b}:{c}:{t:.1f}' for l, a, b, c, t in phases))
# not ru_maxrss: Linux carries over, through exec, the peak of the process forked from the benchmark,
# which holds the corpus it just built (about 1,090 MB at 100,000 documents); VmHWM is this image's own
me = 1024 * max(peak[0], status('VmHWM'))
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print('RSS', me, kids)
print('TRACE', ' '.join(f'{times[i]:.1f}:{rsses[i] // 1024}' for i in range(count[0])))
sys.exit(rc)
"""


def write_corpus(n: int, path: Path, dense: bool) -> float:
    docs = build_corpus(n) if dense else build_realistic(n)
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "source": d.source, "text": d.text}, ensure_ascii=False) + "\n")
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


Phase = tuple[str, int, int, int, float]  # name, MB resident at its start, its peak, at its end; seconds


def run(
    corpus: Path, out: Path, jobs: int, extra: list[str]
) -> tuple[float, float, float, list[tuple[float, int]], list[Phase]]:
    args = ["run", str(corpus), "--out", str(out), "--jobs", str(jobs), "--no-progress", *extra]
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, cwd=out.parent)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout[-2000:] + r.stderr[-3000:])
    lines = r.stdout.splitlines()
    if os.environ.get("MEMDIAG"):
        diag = r.stderr.splitlines()
        print("\n".join(ln for ln in diag if ln.startswith("DIAG") or "arena" in ln or "bytes in" in ln))
    _, me, kids = next(ln for ln in lines if ln.startswith("RSS")).split()
    trace = [
        (float(t), int(m))
        for t, m in (x.split(":") for x in next(ln for ln in lines if ln.startswith("TRACE")).split()[1:])
    ]
    phases = [
        (name, int(a), int(b), int(c), float(t))
        for name, a, b, c, t in (
            x.split(":") for x in next(ln for ln in lines if ln.startswith("PHASES"))[7:].split(";") if x
        )
    ]
    return int(me) / 1024, int(kids) / 1024, wall, trace, phases


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
            me, kids, wall, trace, phases = run(corpus, Path(tmp) / f"out{n}", jobs, extra)
            corpus.unlink()
            rows.append((n, me, wall))
            print(f"| {n:,} | {mb_text:.0f} | {me:.0f} | {kids:.0f} | {wall:.0f} | {n / wall:.0f} |", flush=True)
            if show_trace:
                step = max(1, len(trace) // 40)
                print("  trace (s:MB): " + " ".join(f"{t:.0f}:{m}" for t, m in trace[::step]), flush=True)
                print(
                    "  phases (MB at start / peak / at end, seconds): "
                    + "; ".join(f"{name} {a}/{b}/{c} {t:.1f}s" for name, a, b, c, t in phases),
                    flush=True,
                )
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
