#!/usr/bin/env python3
"""Speed and memory of news-audit against its peers, on real-sized news documents.

    python bench/bench.py [N]          # default 2000 documents, one process (figures are per core)

Corpus: bench/corpus.py (3-8 KB documents cut from ../shared's extraction pages, WMT stories and
seeds). Reports documents per second per core for the whole audit, for each check alone, for one
compiled regular expression over the same text (the floor), and for DataTrove's Gopher quality,
Gopher repetition, C4 and FineWeb filters, run in the benchmark's own environment
(bench/.venv-peers, created on first use with pip). Peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_corpus  # noqa: E402

from audit.catalog import all_checks  # noqa: E402
from audit.engine import Options, audit_documents  # noqa: E402
from audit.text import TextView  # noqa: E402

PEERS_VENV = ROOT / "bench" / ".venv-peers"
FLOOR = re.compile(r"\[ad_\d+\]|Read more|Updated:|©|<[a-z]+>|&nbsp;")


def peers(docs) -> dict[str, float] | None:
    py = PEERS_VENV / "bin" / "python"
    if not py.exists():  # (where bench/.venv-peers is a link to a folder that is gone, made there)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV.resolve())], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "datatrove", "spacy", "regex", "nltk"], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"text": d.text}) + "\n")
    try:
        r = subprocess.run([str(py), str(ROOT / "bench" / "peers.py"), f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)  # the peers' input is one run's: left behind, every benchmark run leaked its corpus into /tmp
    if r.returncode != 0:
        print(r.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def per_check_seconds(docs) -> dict[str, float]:
    """CPU seconds each check spends on `docs`, one fresh view a document (the first of NAME001/NAME002/
    MT008 pays for the shared name mentions), and the per-document stage's other parts: the view's
    lines and language, the pre-filter scan, story terms, claims and the MT probability."""
    from audit.corpus.claims import extract_claims
    from audit.corpus.stories import story_terms
    from audit.mtmodel import mt_probability
    from audit.scan import PREFILTER

    per_check: dict[str, float] = {}

    def timed(name: str, fn) -> None:
        t = time.process_time()
        fn()
        per_check[name] = per_check.get(name, 0.0) + time.process_time() - t

    for d in docs:
        view = TextView(d.text, d.id, d.source)
        timed("(lines, language)", lambda: (view.body, view.language))  # noqa: B023 - called at once
        timed("(pre-filter scan)", lambda: [view.candidates(p) for p in PREFILTER.patterns])  # noqa: B023
        for c in all_checks():
            timed(c.code, lambda: list(c.fn(view)) if c.fn else c.extract(view))  # noqa: B023
        timed("(story terms)", lambda: story_terms(view))  # noqa: B023
        timed("(claims)", lambda: extract_claims(view))  # noqa: B023
        timed("(MT probability)", lambda: mt_probability(d.text, 0))  # noqa: B023
    return per_check


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    docs = build_corpus(n)
    mb = sum(len(d.text) for d in docs) / 1e6
    rows: list[tuple[str, float]] = []
    t0 = time.process_time()  # CPU time, as bench/peers.py measures DataTrove: the machine may be shared
    for d in docs:
        FLOOR.findall(d.text)
    floor = time.process_time() - t0
    t0 = time.process_time()
    audit_documents(docs, Options(jobs=1))
    whole = time.process_time() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_check = per_check_seconds(docs)
    rows.append(("news-audit, whole audit (per-document and corpus passes, scoring)", whole))
    rows.append(("one compiled regular expression (floor)", floor))
    peer = peers(docs)
    if peer:
        for name, secs in peer.items():
            rows.append((f"DataTrove {name}", secs))
    print(f"{n} documents, {mb:.1f} MB of text, one process; peak RSS {rss:.0f} MB")
    print("| what | docs/s per core | time vs. news-audit |")
    print("| --- | --- | --- |")
    for name, secs in rows:
        print(f"| {name} | {n / secs:,.0f} | {secs / whole:.2f}x |")
    print("\nper check (the first of NAME001/NAME002/MT008 pays for the shared name mentions):")
    for code, secs in sorted(per_check.items(), key=lambda x: -x[1]):
        print(f"  {code:8s} {n / secs:>10,.0f} docs/s  ({1000 * secs / n:.2f} ms/doc)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
