"""Memory policy, in one place: the corpus pass's budget, the memo tables, the garbage collector.

- The budget (`audit run --memory MB`, `memory` in [tool.audit]): the engine sets it around the corpus
  pass (`memory_budget`); the corpus checks that can work in parts read it (`budget_bytes`) and put their
  parts in `work_dir()` (the run's spill folder, or a temporary one). What it bounds is listed where it is
  used; results never depend on it.
- Memo tables: a module memoises a function with `@memo(maxsize)` (or, for a function of a line or a
  sentence, `@short_memo(maxsize)`) where it defines it, and so registers it; `release_caches()` empties every registered table (after the corpus pass, before the outputs).
- Giving memory back: `trim_memory()` collects and returns freed pages to the system.
- A phase apart: `run_apart(fn)` runs `fn` in a forked child and returns its (pickled) result,
  so that what the phase's working memory leaves resident (pages of the allocator's arenas pinned by a
  few survivors) goes with the child instead of staying under every later phase.
- The garbage collector's settings for a command-line run: `fewer_collections()`, `settled()`.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

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


def trim_memory(collect: bool = True) -> None:
    """Collect unreachable objects and hand the freed memory back to the system (glibc keeps freed pages
    otherwise), so that a later phase starts from what is live, not from an earlier phase's high-water mark.
    `collect=False` only hands back what is already freed (large arrays, freed when their last reference
    goes): a full collection costs time in proportion to every live object, on every call."""
    import gc

    if collect:
        gc.collect()
    libc = _glibc()
    if libc is not None:  # not glibc: nothing to do
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> Any:
    """glibc, loaded once, for its malloc_trim and (glibc 2.33 on) mallinfo2; None elsewhere."""
    import ctypes

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd")] + [
            (name, ctypes.c_size_t) for name in ("usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")
        ]

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    if hasattr(libc, "mallinfo2"):
        libc.mallinfo2.restype = Mallinfo2
    return libc


def trim_above(free_bytes: int) -> None:
    """Hand freed memory back (`trim_memory(collect=False)`) when glibc's heap holds more than `free_bytes`
    free: a loop over chunks of numpy work calls it each step, so what its freed blocks keep resident (as
    holes in the heap, which glibc does not return by itself) stays below that, and the trim's cost (it
    walks the heap and the pages handed back fault in again when reused) is paid only when it frees."""
    libc = _glibc()
    if libc is not None and hasattr(libc, "mallinfo2") and libc.mallinfo2().fordblks > free_bytes:
        libc.malloc_trim(0)


T = TypeVar("T")
APART: dict[str, float] = {}  # the last `run_apart` child's peak resident MB and CPU seconds (the benchmarks')


def run_apart(fn: Callable[[], T], folder: str | None = None, fresh: bool = False) -> tuple[T] | None:
    """`(fn(),)` computed in a forked child process, its result pickled back through a file in `folder` (a
    `work_dir` of its own when None);
    None where there is no fork (not POSIX) or the child did not finish (the caller then calls `fn`
    itself, which raises what the child met). The child starts as a copy of this process and sees the
    same data; its peak is as high as `fn` run here would make this process's, but what `fn` frees
    leaves nothing resident here: Python's allocator keeps a 1 MB arena as long as one object in it
    lives, and a large phase's few survivors (its result, a memo entry) pin hundreds of them.
    `AUDIT_NO_FORK=1` in the environment turns it off (everything runs here, with the same results): for
    a host whose other threads must not be forked mid-work.

    `fresh=True`: `fn` runs in a new Python interpreter (`fresh_child`), not a copy of this
    process, so the child's resident set starts from its imports instead of this process's pages (a fork's
    child counts every page it shares with its parent). `fn` must pickle (a module-level function, or a
    `functools.partial` of one with arguments that pickle) and must not count on anything this process
    holds; the budget and the work folder travel with it. Its start costs what its imports cost
    (`APART["start_s"]`, `APART["start_mb"]`: about 0.3 s and 45 MB for `audit.engine`)."""
    if not hasattr(os, "fork") or os.environ.get("AUDIT_NO_FORK", "") not in ("", "0"):
        return None
    if folder is None:
        with work_dir("apart-") as own:
            return run_apart(fn, own, fresh)
    if fresh:
        return run_fresh(fn, folder)
    import pickle
    import signal
    import time

    path = os.path.join(folder, "apart.pkl")
    pid = os.fork()
    if pid == 0:  # the child: never returns (os._exit skips the parent's atexit and finalizers)
        code = 1
        try:
            t = time.process_time()
            result = fn()
            with open(path + ".tmp", "wb") as f:
                pickle.dump((result, _peak_mb(), time.process_time() - t), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(path + ".tmp", path)
            code = 0
        finally:
            os._exit(code)
    try:
        _, status = os.waitpid(pid, 0)
    except BaseException:  # interrupted: the child goes too
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    if status != 0 or not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        result, peak, cpu = pickle.load(f)
    os.remove(path)
    APART.update(peak_mb=peak, cpu_s=cpu)
    return (result,)


def run_fresh(fn: Callable[[], T], folder: str) -> tuple[T] | None:
    """`run_apart(fn, folder, fresh=True)`: `(fn(),)` from a new interpreter, None where it did not finish."""
    import pickle
    import subprocess
    import time

    path = os.path.join(folder, "fresh.pkl")
    job = os.path.join(folder, "fresh-job.pkl")
    with open(job, "wb") as f:
        pickle.dump((fn, budget_bytes() >> 20, _WORK.get(), time.time()), f, protocol=pickle.HIGHEST_PROTOCOL)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where this `audit` is imported from
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p))
    main = "import sys; from audit.memory import fresh_child; sys.exit(fresh_child(*sys.argv[1:]))"
    child = subprocess.Popen([sys.executable, "-c", main, job, path], env=env, stdout=subprocess.DEVNULL)
    try:
        code = child.wait()
    except BaseException:  # interrupted: the child goes too
        child.kill()
        child.wait()
        raise
    finally:
        os.remove(job)
    if code != 0 or not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        result, peak, cpu, start_s, start_mb = pickle.load(f)
    os.remove(path)
    APART.update(peak_mb=peak, cpu_s=cpu, start_s=start_s, start_mb=start_mb)
    return (result,)


def fresh_child(job: str, path: str) -> int:
    """The new interpreter's side of `run_fresh`: runs the pickled job under its budget and work folder
    and writes its result (with the child's peak MB, CPU seconds, and its start's seconds and MB) to `path`."""
    import pickle
    import time

    t = time.process_time()
    with open(job, "rb") as f:
        fn, mb, work, sent = pickle.load(f)  # unpickling imports fn's module
    start_s, start_mb = time.time() - sent, _rss_mb()
    with memory_budget(mb, work):
        result = fn()
    with open(path + ".tmp", "wb") as f:
        pickle.dump((result, _peak_mb(), time.process_time() - t, start_s, start_mb), f, pickle.HIGHEST_PROTOCOL)
    os.replace(path + ".tmp", path)
    return 0


def _rss_mb() -> float:
    """This process's resident set in MB (VmRSS; 0 where /proc is not there)."""
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    """This process's peak resident set in MB (VmHWM; 0 where /proc is not there)."""
    return _status_mb("VmHWM")


def _status_mb(key: str) -> float:
    """The field `key` of /proc/self/status in MB (0 where /proc is not there)."""
    try:
        with open("/proc/self/status") as f:
            return next((int(x.split()[1]) / 1024 for x in f if x.startswith(key)), 0.0)
    except OSError:
        return 0.0


F = TypeVar("F", bound=Callable[..., Any])
_MEMOS: list[Any] = []


def memo(maxsize: int | None = None) -> Callable[[F], F]:
    """`functools.lru_cache(maxsize)` (unbounded with None, for constant tables), registered so that
    `release_caches` empties it. Results never depend on a memo: it only saves recomputing."""

    def wrap(fn: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        if maxsize is not None:  # an unbounded memo holds a constant table: loaded once, kept
            _MEMOS.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


SHORT_KEY = 2_000  # characters: a line or a sentence, not a document


def short_memo(maxsize: int) -> Callable[[F], F]:
    """`memo(maxsize)` for a function of a string (its first argument) that remembers only strings of up to
    SHORT_KEY characters: pages repeat their lines and sentences, and a memo must not pin whole texts (a
    longer string is computed each time)."""

    def wrap(fn: F) -> F:
        cached = memo(maxsize)(fn)

        @functools.wraps(fn)
        def call(s: str, *args: Any, **kwargs: Any) -> Any:
            return cached(s, *args, **kwargs) if len(s) <= SHORT_KEY else fn(s, *args, **kwargs)

        return call  # type: ignore[return-value]

    return wrap


def release_caches() -> None:
    """Empty every bounded memo table (each is bounded, but together they reach tens of MB on a large
    corpus) and wordfreq's memo of looked-up words (up to 100,000 of the corpus's forms). Called once the
    corpus pass is done; a later run only fills them again."""
    for cached in _MEMOS:
        cached.cache_clear()
    wordfreq = sys.modules.get("wordfreq")
    cache = getattr(wordfreq, "_wf_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def release_after_pass() -> None:
    """Hand the memory the corpus pass freed back to the system, so that the outputs that follow start
    from the index, not from the corpus pass's high-water mark."""
    release_caches()
    trim_memory()


# The cyclic garbage collector's youngest generation is collected after this many new container objects
# (Python's default is 700). A run allocates millions of short-lived ones (findings, matches, tuples)
# and holds every document's results to the end, so the default collects often and sweeps that growing
# heap again and again: about 0.3 s in 7 of the e2e benchmark's CPU seconds. Unreachable cycles wait a
# little longer (a few thousand objects); nothing else changes.
GC_YOUNG = 10_000


def fewer_collections() -> None:
    """Collect the youngest generation less often (GC_YOUNG); a command-line run's setting, not the API's."""
    import gc

    young, older, oldest = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG, young), older, oldest)


@contextmanager
def settled() -> Iterator[None]:
    """What is alive now (the results, the models) is left out of the garbage collector's sweeps until the
    block ends: the outputs and the validation each collect (`trim_memory`), and each full collection
    would walk every result again; what they make and drop is collected as before."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
