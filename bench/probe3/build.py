"""Build bench/probe3/probe.jsonl from the hand-written pages in bench/probe3/pages/*.txt.

    python bench/probe3/build.py          # writes probe.jsonl
    python bench/probe3/build.py --check  # exits 1 when probe.jsonl is not what the pages give

The page format and its parser are the first probe set's (bench/probe/build.py, bench/probe/README.md);
only the folder differs. See bench/probe3/README.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def first_set_builder():
    """bench/probe/build.py as a module (both folders name their builder build.py)."""
    spec = importlib.util.spec_from_file_location("probe1_build", HERE.parent / "probe" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> str:
    return first_set_builder().build(HERE)


def main() -> int:
    return first_set_builder().main(HERE)


if __name__ == "__main__":
    sys.exit(main())
