#!/usr/bin/env python3
"""End to end: `audit run` against DataTrove's four quality filters, on real extracted news pages.

    python bench/e2e.py [--rounds N] [--scan hyperscan,python,off] [--profile]

Corpus: the `text` of every page in ../shared/eval/extraction-dev.jsonl and trafilatura-dev.jsonl
of 0.5-100 KB, as the extractors produced it (residue included): real pages, not cut to size.

Both sides are timed in CPU seconds (user + system) of their one process, not wall time: the machine
is shared, and its load stretches wall time but not the CPU a process takes (figures are per core).

news-audit: `audit run` with the defaults (the report and the validation) in one process
(`--jobs 1`), in a fresh interpreter, timed from outside; start-up is subtracted: the same command
on a one-document corpus (imports, models, the validation's fixed cost). DataTrove: Gopher quality,
Gopher repetition, C4 quality and FineWeb quality, each over every document, in the benchmark's own
environment (bench/.venv-peers, made by bench/bench.py), imports and tokenizer warm-up excluded.
The two are measured alternately in one run, `--rounds` times (default 2), and the best time of
each is kept; the ratio is the figure to compare across machines, not the documents per second.

`--scan` names the pre-filter scan engines to time `audit run` with (audit.scan; default: the one
in use, hyperscan where it is installed), each in every round, against the same DataTrove run; their
outputs (findings, scores, claims, sources) must be byte-identical, or the benchmark stops.

`--profile` also profiles the per-document stage in this process (cProfile, one pass) and prints
the functions that cost the most, and the time each check takes; then runs `audit run --jobs 1` once
more in this process (AUDIT_NO_FORK=1: the corpus decisions are timed here, not in forked children) and
prints the whole run's phases in CPU ms a document: the per-document stage, writing its shards, each
corpus check's decision, the rest of the corpus pass (stories, reading and rewriting the spilled results,
scoring), the outputs, the validation's table and the validation (this process's first documents pay
for loading models and word lists, which `audit run`'s start-up subtraction leaves out).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import real_pages  # noqa: E402

from bench import peers, per_check_seconds  # noqa: E402


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def audit_run(corpus: Path, out: Path, scan: str) -> float:
    """CPU seconds (user + system) of one `audit run` in a fresh interpreter: a shared machine's load
    stretches wall time, not the CPU time a process takes."""
    cmd = [sys.executable, "-m", "audit.cli", "run", str(corpus), "--out", str(out), "--jobs", "1", "--no-progress"]
    t0 = _children_cpu()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "AUDIT_SCAN": scan})
    secs = _children_cpu() - t0
    if r.returncode != 0:
        raise SystemExit(r.stdout[-2000:] + r.stderr[-3000:])
    return secs


def profile(docs) -> None:
    import cProfile
    import pstats

    from audit.engine import Options, check_document

    options = Options(jobs=1)
    checks = options.checks()
    for d in docs[:5]:
        check_document(d, options, checks)  # warm-up: models and word lists load on first use
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for d in docs:
        check_document(d, options, checks)
    prof.disable()
    secs = time.perf_counter() - t0
    print(f"\nper-document stage in this process: {1000 * secs / len(docs):.1f} ms a document (profiled)")
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    per_check = per_check_seconds(docs)
    print(
        f"per-document stage's parts, CPU ms a document (together {1000 * sum(per_check.values()) / len(docs):.1f};"
        " the first of NAME001/NAME002/MT008 pays for the shared mentions):"
    )
    for code, s in sorted(per_check.items(), key=lambda x: -x[1])[:25]:
        print(f"  {code:18s} {1000 * s / len(docs):6.2f}")


def _timed(table: dict[str, float], name: str, fn):
    """`fn` wrapped to add the CPU seconds of each call to `table[name]`."""

    def call(*args, **kwargs):
        t = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            table[name] = table.get(name, 0.0) + time.process_time() - t

    return call


def _timed_decisions(table: dict[str, float], decide_checks):
    """`engine.decide_checks` wrapped to add the CPU seconds spent on each check's hits to `table`."""

    def call(checks, *args, **kwargs):
        it = decide_checks(checks, *args, **kwargs)
        while True:
            t = time.process_time()
            try:
                c, found = next(it)
            except StopIteration:
                return
            table[f"  decide {c.code}"] = table.get(f"  decide {c.code}", 0.0) + time.process_time() - t
            yield c, found

    return call


def run_phases(docs) -> None:
    """`audit run --jobs 1` on `docs` in this process, each phase's CPU time a document (see --profile)."""
    from audit import cli, engine, output
    from audit.gate import expectations

    table: dict[str, float] = {}
    patched = [
        (engine, "check_document", "per-document stage"),
        (engine, "write_shard", "writing the shards"),
        (engine, "corpus_stage", "corpus pass, all"),
        (output, "write_outputs", "outputs (findings, scores, report ...)"),
        (expectations, "gate_table", "validation table"),
        (expectations, "validate", "validation (Great Expectations, its import too)"),
    ]
    saved = [(mod, name, getattr(mod, name)) for mod, name, _ in patched] + [
        (engine, "decide_checks", engine.decide_checks)
    ]
    for mod, name, label in patched:
        setattr(mod, name, _timed(table, label, getattr(mod, name)))
    engine.decide_checks = _timed_decisions(table, engine.decide_checks)
    os.environ["AUDIT_NO_FORK"] = "1"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "pages.jsonl"
            with corpus.open("w", encoding="utf-8") as f:
                for d in docs:
                    f.write(json.dumps({"id": d.id, "text": d.text, "source": d.source}, ensure_ascii=False) + "\n")
            t = time.process_time()
            with contextlib.redirect_stdout(io.StringIO()):
                cli.main(["run", str(corpus), "--out", str(Path(tmp) / "out"), "--jobs", "1", "--no-progress"])
            whole = time.process_time() - t
    finally:
        del os.environ["AUDIT_NO_FORK"]
        for mod, name, fn in saved:
            setattr(mod, name, fn)
    decided = sum(v for k, v in table.items() if k.startswith("  decide"))
    table["  rest of the corpus pass"] = table.pop("corpus pass, all", 0.0) - decided
    print(f"\n`audit run --jobs 1` in this process: {1000 * whole / len(docs):.2f} ms a document, CPU; its phases:")
    for name, secs in sorted(table.items(), key=lambda x: -x[1]):
        print(f"  {name:40s} {1000 * secs / len(docs):6.2f}")
    print(f"  {'(the rest: reading, imports, start-up)':40s} {1000 * (whole - sum(table.values())) / len(docs):6.2f}")


OUTPUTS = ("findings.jsonl", "scores.csv", "claims.csv", "sources.csv")


def _same_outputs(tmp: Path, engines: list[str]) -> None:
    """Every scan engine's `audit run` wrote the same outputs, byte for byte (the scan only skips lines)."""
    for e in engines[1:]:
        for name in OUTPUTS:
            if (tmp / f"out-{e}" / name).read_bytes() != (tmp / f"out-{engines[0]}" / name).read_bytes():
                raise SystemExit(f"{name} differs between the {engines[0]} and {e} scans")


def _measure(docs, rounds: int, engines: list[str]) -> dict[str, float]:
    """Best seconds of each: `audit run` with each scan engine, its start-up, DataTrove's four filters."""
    best = {name: float("inf") for name in ["start-up", "DataTrove", *engines]}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, one = Path(tmp) / "pages.jsonl", Path(tmp) / "one.jsonl"
        with corpus.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"id": d.id, "text": d.text, "source": d.source}, ensure_ascii=False) + "\n")
        with one.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"id": docs[0].id, "text": docs[0].text, "source": docs[0].source}) + "\n")
        for k in range(rounds):
            best["start-up"] = min(best["start-up"], audit_run(one, Path(tmp) / "out-one", engines[0]))
            times = {e: audit_run(corpus, Path(tmp) / f"out-{e}", e) for e in engines}
            dt = peers(docs)
            if dt is None:
                raise SystemExit("DataTrove did not run (see above)")
            for e, secs in times.items():
                best[e] = min(best[e], secs)
            _same_outputs(Path(tmp), engines)
            best["DataTrove"] = min(best["DataTrove"], dt["all four"])
            print(
                f"round {k + 1}: audit run {', '.join(f'{e} scan {s:.1f} s' for e, s in times.items())}, start-up "
                f"{best['start-up']:.1f} s, DataTrove's four filters {dt['all four']:.1f} s "
                f"({', '.join(f'{n} {s:.1f}' for n, s in dt.items() if n != 'all four')})",
                flush=True,
            )
    return best


def main() -> int:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2
    if "--scan" in sys.argv:
        engines = sys.argv[sys.argv.index("--scan") + 1].split(",")
    else:
        from audit import scan

        engines = [scan.engine()]
    docs = real_pages()
    sizes = sorted(len(d.text.encode("utf-8")) for d in docs)
    load = os.getloadavg()
    print(
        f"{len(docs)} pages, {sum(sizes) / 1e6:.1f} MB, {sizes[0] / 1e3:.1f}-{sizes[-1] / 1e3:.0f} KB "
        f"(median {sizes[len(sizes) // 2] / 1e3:.1f} KB); load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    best = _measure(docs, rounds, engines)
    n = len(docs)
    print("\n| what | CPU seconds | docs/s per core | time relative to news-audit |")
    print("| --- | --- | --- | --- |")
    first = best[engines[0]] - best["start-up"]
    for e in engines:
        secs = best[e] - best["start-up"]
        print(
            f"| news-audit, `audit run --jobs 1` (report, validation), {e} pre-filter scan, start-up subtracted "
            f"| {secs:.1f} | {n / secs:.0f} | {secs / first:.2f}x |"
        )
    print(
        f"| DataTrove's four filters | {best['DataTrove']:.1f} | {n / best['DataTrove']:.0f} | {best['DataTrove'] / first:.2f}x |"
    )
    for e in engines:
        ratio = best["DataTrove"] / (best[e] - best["start-up"])
        print(f"\nnews-audit end to end ({e} pre-filter scan) is {ratio:.2f}x as fast as DataTrove's four filters")
    if "--profile" in sys.argv:
        profile(docs)
        run_phases(docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
