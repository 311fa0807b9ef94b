#!/usr/bin/env python3
"""CPU cost of `mt_probability` on the end-to-end benchmark's pages, and A/B against another version.

    python bench/mt_cost.py [--rounds N] [--against PATH] [--profile]

Corpus: bench/e2e.py's (`real_pages()`: the `text` of every page of 0.5-100 KB in
../shared/eval/extraction-dev.jsonl and trafilatura-dev.jsonl), whole, as `audit run` passes them.

Each version runs in a fresh interpreter: the pages once on first sight (the per-process caches
empty, as in a worker that has just started) and once again (warm), timed in CPU seconds
(time.process_time) after the imports and the model file are loaded. `--against PATH` times a
module file (say a copy of an earlier audit/mtmodel.py) alternately with the current one, `--rounds`
times (default 3), keeps the best of each, and checks that both give bit-identical probabilities.
`--profile` prints cProfile's costliest functions of the warm pass of the current version.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def _texts() -> list[str]:
    from corpus import real_pages

    return [d.text for d in real_pages()]


def _load(path: str | None):
    """audit.mtmodel, or the module file at `path` loaded under another name."""
    if path is None:
        import audit.mtmodel as mod

        return mod
    spec = importlib.util.spec_from_file_location("mtmodel_other", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["mtmodel_other"] = mod
    spec.loader.exec_module(mod)
    return mod


def child(path: str | None) -> None:
    """Time one version in this (fresh) process; print JSON: CPU seconds of each pass, the probabilities."""
    texts = _texts()
    mod = _load(path)
    mod.model(), mod.alphabet(), mod._frequencies(), mod._letter_model()  # loaded once a process: not timed
    out = {}
    for name in ("first", "warm"):
        t0 = time.process_time()
        probs = [mod.mt_probability(t) for t in texts]
        out[name] = time.process_time() - t0
    out["probs"] = [p.hex() for p in probs]
    print(json.dumps(out))


def _run(path: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", *(["--path", path] if path else [])]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(r.stdout.splitlines()[-1])


def profile() -> None:
    import cProfile
    import pstats

    texts = _texts()
    mod = _load(None)
    for t in texts:
        mod.mt_probability(t)
    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        mod.mt_probability(t)
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(20)


def main() -> int:
    args = sys.argv[1:]
    if "--child" in args:
        child(args[args.index("--path") + 1] if "--path" in args else None)
        return 0
    if "--profile" in args:
        profile()
        return 0
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    versions = {"current": None}
    if "--against" in args:
        versions = {"against": args[args.index("--against") + 1], **versions}
    n = len(_texts())
    best: dict[str, dict[str, float]] = {v: {"first": float("inf"), "warm": float("inf")} for v in versions}
    probs: dict[str, list[str]] = {}
    for k in range(rounds):
        for v, path in versions.items():
            r = _run(path)
            probs[v] = r.pop("probs")
            best[v] = {p: min(best[v][p], r[p]) for p in best[v]}
            print(f"round {k + 1} {v}: first sight {r['first']:.3f} s, warm {r['warm']:.3f} s", flush=True)
    for v, b in best.items():
        print(
            f"{v:8s} {n} pages: {1000 * b['first'] / n:.3f} ms a page on first sight, {1000 * b['warm'] / n:.3f} ms warm"
        )
    if len(probs) == 2:
        same = probs["against"] == probs["current"]
        print("probabilities bit-identical" if same else "PROBABILITIES DIFFER")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
