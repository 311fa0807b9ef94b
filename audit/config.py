"""Settings from `[tool.audit]` in the nearest `pyproject.toml`; command-line options override them.

Recognised keys: `select`, `ignore` (lists of codes or categories), `language` (a code or a list;
"any" turns the language check off), `lang-engine` ("fasttext" or "langdetect"), `jobs` (int),
`out` (the default output folder), `text-column`, `id-column`, `source-column` (the row files'
columns) and `source-from` (`column`, `folder`, `file` or `url-host`), for `audit check`: `suite` (a
suite file), `fail-under`, `min-share`, `max-mt-share` (the thresholds the default suite names), and
for `audit fix`: `max-removal`; `mt-threshold` (0-1: the MT probability above which `machine_translated`
is `detected`; default the model's own, chosen for at most 2% false positives on English originals);
`memory` (int, MB: the corpus pass's budget, as `--memory`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

KEYS = (
    "select",
    "ignore",
    "language",
    "lang-engine",
    "jobs",
    "out",
    "suite",
    "fail-under",
    "min-share",
    "max-mt-share",
    "text-column",
    "id-column",
    "source-column",
    "source-from",
    "max-removal",
    "mt-threshold",
    "memory",
)


class ConfigError(Exception):
    pass


def find_pyproject(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for p in (here, *here.parents):
        candidate = p / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The `[tool.audit]` table, with keys normalised to use dashes; {} when there is none."""
    path = path or find_pyproject()
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read {path}: {e}") from e
    table = data.get("tool", {}).get("audit", {})
    out = {k.replace("_", "-"): v for k, v in table.items()}
    unknown = sorted(set(out) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown [tool.audit] keys: {', '.join(unknown)} (known: {', '.join(KEYS)})")
    for key, value in out.items():
        _check_type(path, key, value)
    return out


NUMBERS = ("fail-under", "min-share", "max-mt-share", "max-removal", "mt-threshold")
LISTS = ("select", "ignore", "language")
STRINGS = ("lang-engine", "out", "suite", "text-column", "id-column", "source-column", "source-from")


def _check_type(path: Path, key: str, value: Any) -> None:
    """A value of the wrong type is the config's error, found when it is read, not a crash later."""
    if key in ("jobs", "memory"):
        ok, want = isinstance(value, int) and not isinstance(value, bool), "an integer"
    elif key in NUMBERS:
        ok, want = isinstance(value, int | float) and not isinstance(value, bool), "a number"
    elif key in LISTS:
        ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        want = "a string or a list of strings"
    elif key in STRINGS:
        ok, want = isinstance(value, str), "a string"
    else:
        return
    if not ok:
        raise ConfigError(f"{path}: [tool.audit] {key} must be {want}, not {value!r}")


def as_tuple(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return tuple(s.strip() for s in v.split(",") if s.strip())
    return tuple(str(s) for s in v)
