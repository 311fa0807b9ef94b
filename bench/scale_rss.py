#!/usr/bin/env python3
"""The corpus pass on a real crawl: time per phase, peak memory and growth as the corpus grows.

    python bench/scale_rss.py [N ...]          # default 10000 30000 137302 (the whole file)
    JOBS=2 EXTRA="--no-validation" ...          # other worker counts or options
    KEEP=DIR python bench/scale_rss.py ...      # keep each size's output in DIR and run with --resume:
                                                # a rerun skips the per-document checks (cached shards)

Input: `../shared/eval/rss-dev.jsonl.gz` (137,302 real feed entries, January-February 2023, 102
feeds, English and Polish; median 284 characters). Each size is the first N entries in file order,
audited by `audit run --jobs 2 --source-column source` in a fresh process, measured as
`bench/memory.py` measures (its SCRIPT: each phase's peak by resetting VmHWM, the main process's own
peak, the largest worker's ru_maxrss). On top of its phases, this benchmark times the parts of the
corpus pass (wall-clock and the main process's CPU seconds): stories (`decide_stories`, and the peak
from the start of the corpus pass to the end of the stories: the forked child's, which assigns them,
where it is larger, its CPU seconds added to the stories' and the pass's), claims
(`corroborate`) and each corpus check's decision (`decide_checks`: a group of checks that share one
view, the name checks MT008, NAME001 and NAME002, is timed under its first code; where a group is
decided in a forked child, the child's CPU seconds and peak count as the group's),
and the per-document stage (from the start of the run to the corpus stage).

Each timed part also resets the peak resident set (VmHWM) as it starts (bench/memory.py's
`reset_peak`, which keeps the largest for the whole run's peak), so that its own peak shows: printed
under the table, with the other phases' peaks (MB at start / peak), so the phase that sets the main
process's peak is named.

Printed: a table a size; the growth exponent of each phase between consecutive sizes
(log(t1/t0) / log(n1/n0): 1.0 is linear, 2.0 quadratic); and a projection to 10,000,000 documents,
each phase extrapolated from the two largest sizes with its own exponent.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from memory import run  # noqa: E402  (the measured `audit run`, phases and peaks)

RSS = ROOT.parent / "shared" / "eval" / "rss-dev.jsonl.gz"
ALL = 137_302
TARGET = 10_000_000

# Run inside the audited process (bench/memory.py's BENCH_PATCH): wraps the parts of the corpus pass
# with timers and writes them, as JSON, to the file $SCALE_PARTS when the process exits.
PATCH = r"""
import atexit, json, os, time
import audit.engine as _eng
_parts, _t0 = {}, time.perf_counter()
def _timed(label, fn):
    def wrapper(*a, **k):
        reset_peak()  # this part's own peak (the run's largest is kept by reset_peak)
        rss0 = status('VmRSS')
        t, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            _parts[label] = _parts.get(label, 0.0) + time.perf_counter() - t
            _parts[label + ' cpu'] = _parts.get(label + ' cpu', 0.0) + time.process_time() - c
            _peaks = _parts.setdefault('peaks', {})
            _peaks[label] = [rss0, max(status('VmHWM'), _peaks.get(label, [0, 0])[1])]
    return wrapper
_stage = _eng.corpus_stage
def _corpus_stage(*a, **k):
    _parts['per-document stage'] = time.perf_counter() - _t0
    return _stage(*a, **k)
_eng.corpus_stage = _corpus_stage
_eng.decide_corpus = _timed('corpus pass', _eng.decide_corpus)
import audit.memory as _amem
_assign = _eng.decide_stories
def _stories_peak(*a, **k):  # stories come first in the corpus pass, whose start reset the peak (VmHWM)
    _amem.APART.clear()
    try:
        return _assign(*a, **k)
    finally:
        # assigned in a forked child (audit.memory.run_apart): its peak and CPU count as the stories'
        _child = _amem.APART
        _parts['stories peak MB'] = max(status('VmHWM'), round(_child.get('peak_mb', 0)))
        _parts['stories child MB'] = round(_child.get('peak_mb', 0))
        # a new interpreter (run_apart(fresh=True)): its start, from the job written to its imports done
        _parts['stories child start'] = [round(_child.get('start_s', 0), 2), round(_child.get('start_mb', 0))]
        for _k in ('stories cpu', 'corpus pass cpu'):
            _parts[_k] = _parts.get(_k, 0.0) + _child.get('cpu_s', 0.0)
_eng.decide_stories = _timed('stories', _stories_peak)
_eng.corroborate = _timed('claims', _eng.corroborate)
_decide_checks = _eng.decide_checks
def _checks_timed(checks, *a, **k):  # a group of checks sharing a view (the names), under its first code
    label = checks[0].code if checks else '?'
    _amem.APART.clear()
    reset_peak()
    rss0 = status('VmRSS')
    t, c = time.perf_counter(), time.process_time()
    try:
        yield from _decide_checks(checks, *a, **k)
    finally:
        _child = dict(_amem.APART)  # decided in a forked child (audit.memory.run_apart): its peak and CPU
        _parts[label] = _parts.get(label, 0.0) + time.perf_counter() - t
        _cpu = time.process_time() - c + _child.get('cpu_s', 0.0)
        _parts[label + ' cpu'] = _parts.get(label + ' cpu', 0.0) + _cpu
        _parts['corpus pass cpu'] = _parts.get('corpus pass cpu', 0.0) + _child.get('cpu_s', 0.0)
        _peaks = _parts.setdefault('peaks', {})
        _peaks[label] = [rss0, max(status('VmHWM'), round(_child.get('peak_mb', 0)), _peaks.get(label, [0, 0])[1])]
        if _child:
            _parts.setdefault('child MB', {})[label] = round(_child.get('peak_mb', 0))
_eng.decide_checks = _checks_timed
@atexit.register
def _dump():
    with open(os.environ['SCALE_PARTS'], 'w') as f:
        json.dump(_parts, f)
"""

PARTS = ["per-document stage", "stories", "claims", "MT008", "NAME001", "NAME002", "MT009", "RES013"]
LATER = ["finish shards", "claims.csv", "report", "validation table", "validation"]


def write_prefix(n: int, path: Path) -> int:
    """The first `n` entries of the crawl, unpacked; returns how many there were."""
    k = 0
    with gzip.open(RSS, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            if k >= n:
                break
            out.write(line)
            k += 1
    return k


def measure(n: int, tmp: Path, jobs: int, extra: list[str]) -> dict:
    corpus = tmp / f"rss{n}.jsonl"
    n = write_prefix(n, corpus)
    parts_file = tmp / f"parts{n}.json"
    os.environ["BENCH_PATCH"] = PATCH
    os.environ["SCALE_PARTS"] = str(parts_file)
    keep = os.environ.get("KEEP")
    out = Path(keep) / f"out{n}" if keep else tmp / f"out{n}"
    out.parent.mkdir(parents=True, exist_ok=True)
    resume = ["--resume"] if keep else []
    me, kids, wall, _, phases = run(corpus, out, jobs, ["--source-column", "source", *resume, *extra])
    corpus.unlink()
    parts = json.loads(parts_file.read_text())
    times = {name: t for name, _, _, _, t in phases}
    peaks = {name: b for name, _, b, _, _ in phases}
    row = {"n": n, "wall": wall, "main_mb": me, "worker_mb": kids, "corpus pass": times.get("corpus pass", 0.0)}
    row.update({p: parts.get(p, 0.0) for p in PARTS})
    row.update({p + " cpu": parts.get(p + " cpu", 0.0) for p in [*PARTS, "corpus pass"]})
    for suffix in ("", " cpu"):
        row["names (MT008+NAME001+NAME002)" + suffix] = sum(
            parts.get(c + suffix, 0.0) for c in ("MT008", "NAME001", "NAME002")
        )
    row["outputs"] = sum(times.get(p, 0.0) for p in LATER)
    row["corpus pass peak MB"] = peaks.get("corpus pass", 0)
    row["stories peak MB"] = parts.get("stories peak MB", 0)
    row["stories child MB"] = parts.get("stories child MB", 0)
    row["stories child start"] = parts.get("stories child start", [0, 0])
    # each part's and each later phase's (MB at its start, its peak): the corpus pass's own peak is
    # the largest of its parts' (each part resets the peak)
    inner = {k: tuple(v) for k, v in parts.get("peaks", {}).items() if k != "corpus pass"}
    row["phase peaks"] = {**inner, **{name: (a, b) for name, a, b, _, _ in phases if name != "corpus pass"}}
    row["corpus pass peak MB"] = max([b for _, b in inner.values()] or [0])
    return row


COLUMNS = [
    "wall",
    "per-document stage",
    "corpus pass",
    "corpus pass cpu",
    "stories cpu",
    "claims cpu",
    "names (MT008+NAME001+NAME002) cpu",
    "MT009 cpu",
    "RES013 cpu",
    "outputs",
    "main_mb",
    "corpus pass peak MB",
    "stories peak MB",
    "worker_mb",
]


def exponent(a: float, b: float, n0: int, n1: int) -> float:
    return math.log(max(b, 1e-3) / max(a, 1e-3)) / math.log(n1 / n0)


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:] if not a.startswith("-")] or [10_000, 30_000, ALL]
    jobs = int(os.environ.get("JOBS", "2"))
    extra = os.environ.get("EXTRA", "").split()
    load = os.getloadavg()
    print(
        f"`audit run --jobs {jobs} --source-column source {' '.join(extra)}` on the first N entries of {RSS.name}; "
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print("| documents | " + " | ".join(c + (" (MB)" if "mb" in c.lower() else " (s)") for c in COLUMNS) + " |")
    # seconds are wall-clock time, except "cpu": the main process's CPU time in that part (steadier on a busy machine)
    print("| --- " * (len(COLUMNS) + 1) + "|")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            r = measure(n, Path(tmp), jobs, extra)
            rows.append(r)
            print(f"| {r['n']:,} | " + " | ".join(f"{r[c]:.1f}" for c in COLUMNS) + " |", flush=True)
            print(
                f"  phase peaks at {r['n']:,} (MB at its start / its peak): "
                + "; ".join(f"{k} {a}/{b}" for k, (a, b) in r["phase peaks"].items())
                + f"; the stories' child process {r['stories child MB']} MB (0: assigned in the main process)"
                + f", started in {r['stories child start'][0]} s at {r['stories child start'][1]} MB (0: forked)",
                flush=True,
            )
    for a, b in zip(rows, rows[1:], strict=False):
        print(
            f"\ngrowth exponent {a['n']:,} -> {b['n']:,} (x{b['n'] / a['n']:.1f} documents): "
            + ", ".join(f"{c} {exponent(a[c], b[c], a['n'], b['n']):.2f}" for c in COLUMNS)
        )
    if len(rows) > 1:
        a, b = rows[-2], rows[-1]
        proj = {c: b[c] * (TARGET / b["n"]) ** exponent(a[c], b[c], a["n"], b["n"]) for c in COLUMNS}
        print(
            f"\nprojection to {TARGET:,} documents (each figure extrapolated from {a['n']:,} and {b['n']:,} with its "
            f"own exponent, --jobs {jobs} on this machine): whole run {proj['wall'] / 3600:,.1f} h, per-document "
            f"stage {proj['per-document stage'] / 3600:,.1f} h, corpus pass {proj['corpus pass'] / 3600:,.1f} h "
            f"({proj['corpus pass cpu'] / 3600:,.1f} h CPU: stories {proj['stories cpu'] / 3600:,.1f} h, claims "
            f"{proj['claims cpu'] / 3600:,.2f} h, names {proj['names (MT008+NAME001+NAME002) cpu'] / 3600:,.1f} h, "
            f"MT009 {proj['MT009 cpu'] / 3600:,.1f} h), main process {proj['main_mb']:,.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
