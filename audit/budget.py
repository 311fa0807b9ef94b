"""The corpus pass's memory budget (`audit run --memory MB`, `memory` in [tool.audit]).

The engine sets it around the corpus pass (`memory_budget`); the corpus checks that can work in parts
read it (`budget_bytes`) and put their parts in `work_dir()` (the run's spill folder, or a temporary
one). What it bounds is listed where it is used; results never depend on it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_MB = 1024
_BUDGET: ContextVar[int] = ContextVar("audit_memory_budget", default=DEFAULT_MB << 20)
_WORK: ContextVar[str | None] = ContextVar("audit_work_dir", default=None)


def megabytes(mb: int | None) -> int:
    """`mb` megabytes in bytes (None: DEFAULT_MB; at least one)."""
    return (DEFAULT_MB if mb is None else max(1, int(mb))) << 20


def budget_bytes() -> int:
    """The budget in bytes (DEFAULT_MB megabytes unless a caller set another)."""
    return _BUDGET.get()


@contextmanager
def memory_budget(mb: int | None = None, work: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """Run the enclosed code with a budget of `mb` megabytes (None: the default) and a folder for the
    parts that go to disk (None: a temporary folder where one is needed)."""
    b = _BUDGET.set(megabytes(mb))
    w = _WORK.set(None if work is None else str(work))
    try:
        yield
    finally:
        _BUDGET.reset(b)
        _WORK.reset(w)


@contextmanager
def work_dir(prefix: str) -> Iterator[str]:
    """A new folder for one check's parts on disk, deleted afterwards."""
    base = _WORK.get()
    if base is not None:
        os.makedirs(base, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=base) as folder:
        yield folder


def trim_memory() -> None:
    """Collect unreachable objects and hand the freed memory back to the system (glibc keeps freed pages
    otherwise), so that a later phase starts from what is live, not from an earlier phase's high-water mark."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
