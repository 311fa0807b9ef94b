"""Build bench/probe2/probe.jsonl from the hand-written pages in bench/probe2/pages/*.txt.

    python bench/probe2/build.py          # writes probe.jsonl
    python bench/probe2/build.py --check  # exits 1 when probe.jsonl is not what the pages give

The page format and its parser are the first probe set's (bench/probe/build.py, bench/probe/README.md);
only the folder differs. See bench/probe2/README.md.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "probe.jsonl"


def first_set_builder():
    """bench/probe/build.py as a module (both folders name their builder build.py)."""
    spec = importlib.util.spec_from_file_location("probe1_build", HERE.parent / "probe" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> str:
    parse = first_set_builder().parse
    pages = [p for path in sorted((HERE / "pages").glob("*.txt")) for p in parse(path)]
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages)


def main() -> int:
    text = build()
    if "--check" in sys.argv:
        return 0 if OUT.exists() and OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {text.count(chr(10))} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
