"""Memory policy (audit.memory): memo tables registered where they are made, emptied in one call."""

from audit import memory
from audit.lexicon import translit


def test_memo_registers_and_release_empties_every_table():
    calls = []

    @memory.memo(8)
    def double(x):
        calls.append(x)
        return 2 * x

    assert double(3) == 6 and double(3) == 6 and calls == [3]
    translit.tnorm("Zelenskyy")  # a memo the corpus pass fills, made in its own module
    assert translit.tnorm.cache_info().currsize >= 1
    memory.release_caches()
    assert double.cache_info().currsize == 0
    assert translit.tnorm.cache_info().currsize == 0
    assert double(3) == 6 and calls == [3, 3]


def test_unbounded_memo_is_a_constant_table_and_stays():
    @memory.memo(None)
    def table():
        return {"a": 1}

    first = table()
    memory.release_caches()
    assert table() is first


def test_budget_is_scoped():
    assert memory.budget_bytes() == memory.DEFAULT_MB << 20
    with memory.memory_budget(64):
        assert memory.budget_bytes() == 64 << 20
    assert memory.budget_bytes() == memory.DEFAULT_MB << 20


def test_freed_memory_is_handed_back_only_when_the_heap_holds_more_than_asked(monkeypatch):
    from types import SimpleNamespace

    calls = []
    free = {"bytes": 10 << 20}
    fake = SimpleNamespace(
        mallinfo2=lambda: SimpleNamespace(fordblks=free["bytes"]), malloc_trim=lambda pad: calls.append(pad)
    )
    monkeypatch.setattr(memory, "_glibc", lambda: fake)
    memory.trim_above(32 << 20)
    assert calls == []  # 10 MB free: below the limit, nothing walked
    free["bytes"] = 40 << 20
    memory.trim_above(32 << 20)
    assert calls == [0]
    monkeypatch.setattr(memory, "_glibc", lambda: None)  # not glibc: nothing to do, no error
    memory.trim_above(0)


def test_run_apart_returns_the_childs_result_and_none_when_the_child_fails(tmp_path):
    import os

    parent = os.getpid()
    got = memory.run_apart(lambda: (os.getpid(), [1, 2, 3]), str(tmp_path))
    assert got is not None
    pid, values = got[0]
    assert pid != parent and values == [1, 2, 3]  # computed in another process, sent back
    assert memory.APART["peak_mb"] > 0 and memory.APART["cpu_s"] >= 0
    assert list(tmp_path.iterdir()) == []  # the result's file is gone

    def fails():
        raise ValueError("in the child")

    assert memory.run_apart(fails, str(tmp_path)) is None  # the caller then runs it itself
    assert os.getpid() == parent


def test_run_apart_is_off_with_audit_no_fork(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_NO_FORK", "1")
    assert memory.run_apart(lambda: 1, str(tmp_path)) is None
    monkeypatch.setenv("AUDIT_NO_FORK", "0")
    assert memory.run_apart(lambda: 1, str(tmp_path)) == (1,)


def test_run_apart_fresh_runs_in_a_new_interpreter_with_the_budget(tmp_path, monkeypatch):
    import functools
    import os

    held = bytearray(b"x" * (150 << 20))  # 150 MB resident here: a forked child would start with them
    got = memory.run_apart(functools.partial(os.getpid), str(tmp_path), fresh=True)
    assert got is not None and got[0] != os.getpid()
    assert 0 < memory.APART["start_mb"] < 100 and memory.APART["peak_mb"] < 100 and memory.APART["start_s"] >= 0
    assert memory.run_apart(functools.partial(os.getpid), str(tmp_path))[0] != os.getpid()
    assert memory.APART["peak_mb"] > 150  # a forked child: the parent's pages count
    del held
    with memory.memory_budget(7):  # the budget travels with it
        assert memory.run_apart(memory.budget_bytes, str(tmp_path), fresh=True) == (7 << 20,)
    assert memory.run_apart(functools.partial(int, "not a number"), str(tmp_path), fresh=True) is None
    assert list(tmp_path.iterdir()) == []  # the job's and the result's files are gone
    monkeypatch.setenv("AUDIT_NO_FORK", "1")
    assert memory.run_apart(functools.partial(os.getpid), str(tmp_path), fresh=True) is None
