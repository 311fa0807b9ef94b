#!/usr/bin/env python3
"""The real crawl on Dask: a LocalCluster of two workers and an existing scheduler, against the local engine.

    python bench/scale_dask.py [N ...]          # default 10000 30000
    ENGINES=local,cluster,scheduler WORKERS=2   # which runs, and the workers of each cluster

Input: the first N entries of `../shared/eval/rss-dev.jsonl.gz` (real feed entries, January-February
2023, 102 feeds, English and Polish), as bench/scale_rss.py writes them. Each size is audited three
times, each in a fresh process measured as bench/memory.py measures (bench/scale_rss.py's timers of
the corpus pass on top):

- `local`: `audit run --jobs 2 --source-column source` (the local engine, two worker processes);
- `cluster`: `audit run --engine dask --jobs 2 ...`: the run starts a LocalCluster of two workers;
- `scheduler`: `audit run --engine dask --scheduler tcp://127.0.0.1:PORT ...` on a cluster this benchmark
  starts first (`dask scheduler` and two `dask worker` processes of one thread each, on localhost) and
  tears down after the run.

Printed, a row a run: wall time; the per-document stage (from the start to the corpus stage: on Dask
it includes the groupbys of RES013 and MT009 on the workers, shown apart as `grouped on workers`);
the corpus pass and its parts (stories; claims, which on Dask are decided by story on the workers;
the name analysis; the client's CPU seconds in the pass); the outputs; the client's peak memory; the
largest worker's peak memory (VmHWM of every process the run or the cluster started, sampled every
0.5 s: for the local engine its pool workers, on Dask the worker processes, the scheduler left out);
whether every output file is byte-identical (sha256) to the local engine's (all but `validation/`,
whose data docs carry the time of the run); then each engine's growth exponents between sizes.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from memory import run  # noqa: E402  (the measured `audit run`, phases and peaks)
from scale_rss import PATCH, RSS, exponent, write_prefix  # noqa: E402

DASK = str(Path(sys.executable).parent / "dask")

# On top of scale_rss's timers: the Dask engine's groupbys (RES013, MT009) and its claims by story.
DASK_PATCH = r"""
import audit.dask_engine as _de
_de._decide_groups = _timed('grouped on workers', _de._decide_groups)
_corr = _de.corroborate_on_workers
def _corroborate_on_workers(*a, **k):
    return _timed('claims', _corr(*a, **k))
_de.corroborate_on_workers = _corroborate_on_workers
"""


def grandchildren(root: int) -> set[int]:
    """The processes under `root`'s children (their children, theirs, ...), from /proc: the workers of
    the audited process and of the cluster's `dask worker`s, not those processes themselves."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found: set[int] = set()
    frontier = {p for p, pp in parent.items() if pp == root}
    while frontier:
        kids = {p for p, pp in parent.items() if pp in frontier and p not in found}
        found |= kids
        frontier = kids
    return found


class PeakSampler:
    """The largest VmHWM (MB) of this process's grandchildren and theirs (`grandchildren`), every 0.5 s."""

    def __init__(self) -> None:
        self.peak, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            for pid in grandchildren(os.getpid()):
                try:
                    with open(f"/proc/{pid}/status") as f:
                        kb = next((int(x.split()[1]) for x in f if x.startswith("VmHWM")), 0)
                except OSError:
                    continue
                self.peak = max(self.peak, kb / 1024)
            self._stop.wait(0.5)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(workers: int, folder: Path) -> tuple[str, list[subprocess.Popen]]:
    """`dask scheduler` and `workers` × `dask worker` (one thread, no memory limit) on localhost."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ)
    log = (folder / "cluster.log").open("a")
    procs = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=log,
            stderr=log,
            env=env,
        )
    ]
    time.sleep(2)
    for _ in range(workers):
        cmd = [DASK, "worker", address, "--nthreads", "1", "--nworkers", "1", "--memory-limit", "0", "--no-dashboard"]
        procs.append(subprocess.Popen([*cmd, "--local-directory", str(folder)], stdout=log, stderr=log, env=env))
    with Client(address, timeout=60) as c:
        c.wait_for_workers(workers, timeout=120)
    return address, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):  # workers first, then the scheduler
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def digests(out: Path) -> dict[str, str]:
    """sha256 of every output file, but the run's hidden work folders and `validation/` (Great
    Expectations' data docs and result carry the time of the run: they differ between any two runs)."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") or part == "validation" for part in p.relative_to(out).parts)
    }


def measure(engine: str, corpus: Path, out: Path, workers: int) -> dict:
    extra = ["--source-column", "source"]
    procs: list[subprocess.Popen] = []
    if engine == "cluster":
        extra += ["--engine", "dask"]
    elif engine == "scheduler":
        address, procs = start_cluster(workers, out.parent)
        extra += ["--engine", "dask", "--scheduler", address]
    parts_file = out.parent / f"parts-{engine}.json"
    os.environ["BENCH_PATCH"] = PATCH + (DASK_PATCH if engine != "local" else "")
    os.environ["SCALE_PARTS"] = str(parts_file)
    sampler = PeakSampler()
    try:
        client_mb, _, wall, _, phases = run(corpus, out, workers, extra)
    finally:
        # the client's own peak is memory.py's (its VmHWM is reset phase by phase): left out here
        worker_mb = sampler.stop()
        stop_cluster(procs)
    parts = json.loads(parts_file.read_text())
    times = {name: t for name, _, _, _, t in phases}
    names = sum(parts.get(c, 0.0) for c in ("MT008", "NAME001", "NAME002"))
    return {
        "engine": engine,
        "wall": wall,
        "per-document stage": parts.get("per-document stage", 0.0),
        "grouped on workers": parts.get("grouped on workers", 0.0),
        "corpus pass": times.get("corpus pass", 0.0),
        "stories": parts.get("stories", 0.0),
        "claims": parts.get("claims", 0.0),
        "names": names,
        "corpus pass cpu": parts.get("corpus pass cpu", 0.0),
        "outputs": sum(times.get(p, 0.0) for p in ("finish shards", "claims.csv", "report", "validation table")),
        "client MB": client_mb,
        "largest worker MB": worker_mb,
        "digests": digests(out),
    }


COLUMNS = [
    "wall",
    "per-document stage",
    "grouped on workers",
    "corpus pass",
    "stories",
    "claims",
    "names",
    "corpus pass cpu",
    "outputs",
    "client MB",
    "largest worker MB",
]


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:] if not a.startswith("-")] or [10_000, 30_000]
    # the audited processes and the workers import this checkout's `audit`, whatever is installed
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    engines = os.environ.get("ENGINES", "local,cluster,scheduler").split(",")
    workers = int(os.environ.get("WORKERS", "2"))
    load = os.getloadavg()
    print(
        f"`audit run --source-column source` on the first N entries of {RSS.name}: local --jobs {workers}, a "
        f"LocalCluster of {workers} workers (--engine dask --jobs {workers}), and an existing scheduler with "
        f"{workers} `dask worker`s (--engine dask --scheduler); load average before: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(
        "| documents | engine | "
        + " | ".join(c + ("" if "MB" in c else " (s)") for c in COLUMNS)
        + " | outputs = local |"
    )
    print("| --- " * (len(COLUMNS) + 3) + "|")
    same_everywhere = True
    rows: dict[str, list[dict]] = {e: [] for e in engines}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"rss{n}.jsonl"
            n = write_prefix(n, corpus)
            reference = None
            for engine in engines:
                folder = Path(tmp) / f"{n}-{engine}"
                folder.mkdir()
                r = measure(engine, corpus, folder / "out", workers)
                rows[engine].append({**r, "n": n})
                reference = reference or r["digests"]
                same = r["digests"] == reference
                same_everywhere &= same
                print(
                    f"| {n:,} | {engine} | "
                    + " | ".join(f"{r[c]:.1f}" for c in COLUMNS)
                    + f" | {'yes' if same else 'NO'} ({len(r['digests'])} files) |",
                    flush=True,
                )
                if not same:
                    diff = sorted(
                        k for k in reference.keys() | r["digests"].keys() if reference.get(k) != r["digests"].get(k)
                    )
                    print(f"  differs from {engines[0]}: {', '.join(diff)}", flush=True)
            corpus.unlink()
    for engine, runs in rows.items():
        for a, b in zip(runs, runs[1:], strict=False):
            print(
                f"\ngrowth exponent, {engine}, {a['n']:,} -> {b['n']:,} (log(t1/t0) / log(n1/n0), 1.0 linear): "
                + ", ".join(f"{c} {exponent(a[c], b[c], a['n'], b['n']):.2f}" for c in COLUMNS)
            )
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    sys.exit(main())
