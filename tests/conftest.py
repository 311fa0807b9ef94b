from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

os.environ.setdefault("AUDIT_STRICT_SPANS", "1")  # a check's bad span raises in the tests (engine.STRICT_SPANS)

from audit.catalog import all_checks
from audit.engine import Options, audit_documents
from audit.records import Document
from audit.registry import REGISTRY
from audit.text import TextView

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "examples" / "sample"


def hits(code: str, text: str, **view_args) -> list[str]:
    """The evidence strings a per-document check yields for `text`."""
    all_checks()
    check = REGISTRY[code]
    assert check.fn is not None, f"{code} is a corpus check"
    view = TextView(text, **view_args)
    out = []
    for h in check.fn(view):
        assert 0 <= h.start <= h.end <= len(text)
        out.append(text[h.start : h.end])
    return out


def corpus_findings(texts: dict[str, str], select: tuple[str, ...], sources: dict[str, str] | None = None):
    docs = [Document(k, v, source=(sources or {}).get(k)) for k, v in texts.items()]
    return audit_documents(docs, Options(select=select, jobs=1)).findings


# With `pytest -n 2` (pytest-xdist) each test is a unit of work of its own, except those under these prefixes,
# which go to one worker together: a module whose module-scoped fixture starts something costly (test_dask's
# Dask cluster, test_report's browser, test_probe_set's pages) makes it once, and test_scan's engine cases share
# their plain-re matches. (xdist's own `--dist loadgroup` marks do nothing under pytest 9.2: it renames
# `item._nodeid`, which pytest no longer reads.)
SAME_WORKER = (
    "tests/test_dask.py::",
    "tests/test_report.py::",
    "tests/test_probe_set.py::",
    "tests/test_scan.py::test_no_line_a_pattern_matches_is_left_out[",
)


def same_worker_scope(nodeid: str) -> str:
    """The unit of work that the test `nodeid` is sent to a worker in: its SAME_WORKER prefix, else itself."""
    return next((prefix for prefix in SAME_WORKER if nodeid.startswith(prefix)), nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n 2`'s load balancing, by the units of `same_worker_scope` (the larger units first)."""
    if config.getvalue("dist") != "load":
        return None  # another --dist asked for by name
    from xdist.scheduler import LoadScopeScheduling

    class SameWorkerScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return same_worker_scope(nodeid)

    return SameWorkerScheduling(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """After each test, what is still alive (the collected items, the test modules' data, the package's loaded
    tables) is moved out of the cyclic collector's reach (`gc.freeze`) once its garbage is collected: every
    `audit_documents` ends with a full `gc.collect()` (memory.release_after_pass), whose cost grows with every
    live object of the process, and the suite runs it more than a thousand times. Without this, those
    collections took about half of the suite's time (0.3-0.6 s each late in a run). What a test makes
    itself is collected as before."""
    result = yield
    gc.collect()
    gc.freeze()
    return result


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): evaluation data lives beside the checkout")
    return SHARED
