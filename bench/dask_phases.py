#!/usr/bin/env python3
"""The Dask workers' memory, phase by phase, on the first N entries of the real crawl (#31).

    python bench/dask_phases.py N OUTDIR              # EXTRA="--memory 64": other options

`audit run --engine dask --jobs 2 --source-column source` (a LocalCluster of two workers) on the first N
entries of `../shared/eval/rss-dev.jsonl.gz`, the client measured as bench/memory.py measures. Around
each of the Dask engine's phases (the per-document stage, the RES013/MT009 groupby, the claims by story,
the name blocks, the name hits) every worker's peak (VmHWM) is reset at the start and read at the end:
printed, the largest worker's resident MB at the start, its peak and its MB at the end; and the
grouped records' bytes on disk with the rounds they were grouped in (`dask_engine.group_rounds`).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_rss  # noqa: E402
from memory import run  # noqa: E402

PATCH = r"""
import atexit, json, os
import audit.dask_engine as _de
_wph = []
def _worker_mem(reset):
    with open('/proc/self/status') as f:
        d = {x.split(':')[0]: int(x.split()[1]) // 1024 for x in f if x.startswith(('VmHWM', 'VmRSS'))}
    if reset:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    return d['VmHWM'], d['VmRSS']
def _wphase(label, fn, client_of):
    def wrapper(*a, **k):
        client = client_of(a)
        start = client.run(_worker_mem, True)
        try:
            return fn(*a, **k)
        finally:
            end = client.run(_worker_mem, False)
            _wph.append((label, max(v[1] for v in start.values()), max(v[0] for v in end.values()), max(v[1] for v in end.values())))
    return wrapper
_de._run = _wphase('per-document stage', _de._run, lambda a: a[0])
_de._decide_groups = _wphase('groupby RES013/MT009', _de._decide_groups, lambda a: a[0])
for _name in ('corroborate_on_workers', 'names_on_workers'):
    _orig = getattr(_de, _name)
    def _make(orig, name):
        def outer(client, *a):
            return _wphase(name, orig(client, *a), lambda _a: client)
        return outer
    setattr(_de, _name, _make(_orig, _name))
_oh = _de.names_hits_on_workers
def _nh(client, records):
    return _wphase('name hits', _oh(client, records), lambda _a: client)
_de.names_hits_on_workers = _nh
_gr = _de.group_rounds
def _gr2(sizes, memory=None):
    r = _gr(sizes, memory)
    _wph.append(('group_rounds: kept bytes, rounds', sum(sizes), r, 0))
    return r
_de.group_rounds = _gr2
@atexit.register
def _dumpw():
    with open(os.environ['WPHASES'], 'w') as f:
        json.dump(_wph, f)
"""
n, out = int(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
corpus = out / f"rss{n}.jsonl"
if not corpus.exists():
    scale_rss.write_prefix(n, corpus)
os.environ["BENCH_PATCH"] = PATCH
os.environ["WPHASES"] = str(out / "wphases.json")
me, kids, wall, trace, phases = run(
    corpus, out / "run", 2, ["--source-column", "source", "--engine", "dask", *os.environ.get("EXTRA", "").split()]
)
print(f"N={n} client peak {me:.0f} MB, wall {wall:.0f}s")
for p in phases:
    print("phase", p)
for p in json.load(open(out / "wphases.json")):
    print("worker phase (label, largest RSS at start, largest peak, largest RSS at end)", p)
