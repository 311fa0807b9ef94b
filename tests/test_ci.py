"""The README's test command is the one `.ci/run` runs, word for word, on both cores; the units of work `-n 2` sends."""

import tomllib

from conftest import ROOT, SAME_WORKER, same_worker_scope

ENGINES = ("python", "hyperscan")


def _readme_test_command() -> str:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("# run the tests"))
    return lines[k + 1]


def test_ci_runs_the_readme_test_command_on_two_workers():
    command = _readme_test_command()
    assert command.endswith(".venv/bin/python -m pytest -q -n 2"), command  # pytest-xdist: both cores
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_test_extra_installs_what_the_command_and_the_suite_need():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = " ".join(project["project"]["optional-dependencies"]["test"])
    assert "pytest-xdist" in extra and "pytest>=" in extra


def test_tests_that_share_a_costly_fixture_are_one_unit_of_work_and_the_rest_go_alone():
    assert same_worker_scope("tests/test_dask.py::test_a") == same_worker_scope("tests/test_dask.py::test_b[x]")
    python, hyperscan = (f"tests/test_scan.py::test_no_line_a_pattern_matches_is_left_out[{e}]" for e in ENGINES)
    assert same_worker_scope(python) == same_worker_scope(hyperscan)
    assert same_worker_scope("tests/test_cli.py::test_a") == "tests/test_cli.py::test_a"
    assert same_worker_scope("tests/test_scan.py::test_line_bound") == "tests/test_scan.py::test_line_bound"
    for prefix in SAME_WORKER:  # each names tests that exist: a renamed file or test would undo its unit
        path, _, name = prefix.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert not name or f"def {name.rstrip('[')}(" in source, prefix
