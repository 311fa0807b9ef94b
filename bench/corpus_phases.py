#!/usr/bin/env python3
"""The main process's memory, part by part, on the first N entries of the real crawl (#31).

    python bench/corpus_phases.py N OUTDIR [TAG]     # e.g. 50000 /tmp/p50k; JOBS=2 EXTRA="--memory 256"

`audit run --jobs 2 --source-column source --resume --out OUTDIR/run` on the first N entries of
`../shared/eval/rss-dev.jsonl.gz`, measured as bench/memory.py measures (each phase's peak by resetting
VmHWM at its start), with bench/scale_rss.py's timers, and on top each part of the corpus pass
(stories, claims, each corpus check's decision, the tables) and each output reset and measured alike.
Printed: `phase` and `part` rows (name, MB resident at its start, its peak, MB at its end, seconds).
PATCH_FILE=FILE adds FILE's code to the patch (run in the audited process before the run).
OUTDIR keeps the input and the `--resume` cache: a rerun skips the per-document stage and measures the
corpus pass and the outputs alone (MEMDIAG=1 adds what is live after the pass).
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_rss  # noqa: E402
from memory import run  # noqa: E402

PATCH = (
    scale_rss.PATCH
    + r"""
_mem = []
def _mphase(label, fn):
    def wrapper(*a, **k):
        reset_peak()
        r0 = status('VmRSS')
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            _mem.append((label, r0, status('VmHWM'), status('VmRSS'), round(time.perf_counter() - t, 1)))
    return wrapper
import audit.output as _out, audit.sources as _src, audit.provenance as _prov
import audit.engine as _eng2
for _n in ('write_scores', 'sources_csv', 'claims_csv', 'finding_lines'):
    setattr(_out, _n, _mphase(_n, getattr(_out, _n)))
_eng2.decide_stories = _mphase('stories', _eng2.decide_stories)  # the child's own peak: scale_rss's 'stories child MB'
_eng2.corroborate = _mphase('claims', _eng2.corroborate)
_dc = _eng2.decide_checks  # scale_rss's wrapper: each group's peak already counts a forked child's
def _checks_mem(checks, *a, **k):
    reset_peak()
    r0 = status('VmRSS')
    t = time.perf_counter()
    try:
        yield from _dc(checks, *a, **k)
    finally:
        child = round(_amem.APART.get('peak_mb', 0))
        _mem.append(('+'.join(c.code for c in checks), r0, max(status('VmHWM'), child), status('VmRSS'), round(time.perf_counter() - t, 1)))
_eng2.decide_checks = _checks_mem
_lt = __import__('audit.corpus', fromlist=['x'])
_lt.load_tables = _mphase('load_tables', _lt.load_tables)
@atexit.register
def _dump2():
    with open(os.environ['SCALE_PARTS'] + '.mem', 'w') as f:
        json.dump(_mem, f)
"""
)
if os.environ.get("PATCH_FILE"):  # an experiment's own patch on top, e.g. tracemalloc around one phase
    PATCH += "\n" + Path(os.environ["PATCH_FILE"]).read_text()
n, out = int(sys.argv[1]), Path(sys.argv[2])
tag = sys.argv[3] if len(sys.argv) > 3 else ""
out.mkdir(parents=True, exist_ok=True)
corpus = out / f"rss{n}.jsonl"
if not corpus.exists():
    scale_rss.write_prefix(n, corpus)
os.environ["BENCH_PATCH"] = PATCH
os.environ["SCALE_PARTS"] = str(out / f"parts{tag}.json")
t0 = time.time()
me, kids, wall, trace, phases = run(
    corpus,
    out / "run",
    int(os.environ.get("JOBS", "2")),
    ["--source-column", "source", "--resume", *os.environ.get("EXTRA", "").split()],
)
print(f"N={n} main peak {me:.0f} MB, workers {kids:.0f} MB, wall {wall:.0f}s")
for p in phases:
    print("phase", p)
for p in json.load(open(out / f"parts{tag}.json.mem")):
    print("part", p)
parts = json.load(open(out / f"parts{tag}.json"))
print("parts", json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in parts.items()}))
step = max(1, len(trace) // 60)
print("trace", " ".join(f"{t:.0f}:{m}" for t, m in trace[::step]))
