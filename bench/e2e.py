#!/usr/bin/env python3
"""End to end: `audit run` against DataTrove's four quality filters, on real extracted news pages.

    python bench/e2e.py [--rounds N] [--profile]

Corpus: the `text` of every page in ../shared/eval/extraction-dev.jsonl and trafilatura-dev.jsonl
of 0.5-100 KB, as the extractors produced it (residue included): real pages, not cut to size.

news-audit: `audit run` with the defaults (the report and the validation) in one process
(`--jobs 1`), in a fresh interpreter, timed from outside; start-up is subtracted: the same command
on a one-document corpus (imports, models, the validation's fixed cost). DataTrove: Gopher quality,
Gopher repetition, C4 quality and FineWeb quality, each over every document, in the benchmark's own
environment (bench/.venv-peers, made by bench/bench.py), imports and tokenizer warm-up excluded.
The two are measured alternately in one run, `--rounds` times (default 2), and the best time of
each is kept; the ratio is the figure to compare across machines, not the documents per second.

`--profile` also profiles the per-document stage in this process (cProfile, one pass) and prints
the functions that cost the most, and the time each check takes.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import real_pages  # noqa: E402

from bench import peers, per_check_seconds  # noqa: E402


def audit_run(corpus: Path, out: Path) -> float:
    cmd = [sys.executable, "-m", "audit.cli", "run", str(corpus), "--out", str(out), "--jobs", "1", "--no-progress"]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    secs = time.perf_counter() - t0
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
    print("per check, ms a document (the first of NAME001/NAME002/MT008 pays for the shared mentions):")
    for code, s in sorted(per_check.items(), key=lambda x: -x[1])[:20]:
        print(f"  {code:8s} {1000 * s / len(docs):6.2f}")


def main() -> int:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2
    docs = real_pages()
    sizes = sorted(len(d.text.encode("utf-8")) for d in docs)
    load = os.getloadavg()
    print(
        f"{len(docs)} pages, {sum(sizes) / 1e6:.1f} MB, {sizes[0] / 1e3:.1f}-{sizes[-1] / 1e3:.0f} KB "
        f"(median {sizes[len(sizes) // 2] / 1e3:.1f} KB); load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    best = {"audit run": float("inf"), "start-up": float("inf"), "DataTrove": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, one = Path(tmp) / "pages.jsonl", Path(tmp) / "one.jsonl"
        with corpus.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"id": d.id, "text": d.text, "source": d.source}, ensure_ascii=False) + "\n")
        with one.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"id": docs[0].id, "text": docs[0].text, "source": docs[0].source}) + "\n")
        for k in range(rounds):
            start = audit_run(one, Path(tmp) / "out-one")
            whole = audit_run(corpus, Path(tmp) / "out")
            dt = peers(docs)
            if dt is None:
                raise SystemExit("DataTrove did not run (see above)")
            best["start-up"] = min(best["start-up"], start)
            best["audit run"] = min(best["audit run"], whole)
            best["DataTrove"] = min(best["DataTrove"], dt["all four"])
            print(
                f"round {k + 1}: audit run {whole:.1f} s, start-up {start:.1f} s, DataTrove's four filters "
                f"{dt['all four']:.1f} s ({', '.join(f'{n} {s:.1f}' for n, s in dt.items() if n != 'all four')})",
                flush=True,
            )
    audit_s = best["audit run"] - best["start-up"]
    n = len(docs)
    print("\n| what | seconds | docs/s | time relative to news-audit |")
    print("| --- | --- | --- | --- |")
    print(
        f"| news-audit, `audit run --jobs 1` (report, validation), start-up subtracted | {audit_s:.1f} | {n / audit_s:.0f} | 1.00x |"
    )
    print(
        f"| DataTrove's four filters | {best['DataTrove']:.1f} | {n / best['DataTrove']:.0f} | {best['DataTrove'] / audit_s:.2f}x |"
    )
    print(f"\nnews-audit end to end is {best['DataTrove'] / audit_s:.2f}x as fast as DataTrove's four filters")
    if "--profile" in sys.argv:
        profile(docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
