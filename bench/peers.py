"""Run DataTrove's Gopher quality, Gopher repetition, C4 and FineWeb filters on a corpus (jsonl).

Runs inside the benchmark's own environment (bench/.venv-peers, made by bench/bench.py), never the
project's. Prints JSON: CPU seconds (this process's) per filter and for the four together.
"""

import json
import sys
import time

from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)

docs = [
    Document(text=json.loads(line)["text"], id=str(i)) for i, line in enumerate(open(sys.argv[1], encoding="utf-8"))
]
filters = [GopherQualityFilter(), GopherRepetitionFilter(), C4QualityFilter(), FineWebQualityFilter()]
for f in filters:  # warm-up: tokenizers load on first use
    f.filter(Document(text="Warm up the tokenizer with a sentence. And another one here.", id="w"))
out = {}
for f in filters:
    t0 = time.process_time()  # CPU time: the machine may be shared
    for d in docs:
        f.filter(d)
    out[type(f).__name__] = time.process_time() - t0
out["all four"] = sum(out.values())
print(json.dumps(out))
