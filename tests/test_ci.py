"""The README's test command is the one `.ci/run` runs, word for word, on both cores."""

import tomllib

from conftest import ROOT


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
    assert "--dist loadgroup" in project["tool"]["pytest"]["ini_options"]["addopts"]  # xdist_group marks hold
