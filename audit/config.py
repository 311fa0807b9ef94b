"""Settings from `[tool.audit]` in the nearest `pyproject.toml`; command-line options override them.

Recognised keys: `select`, `ignore` (lists of codes or categories), `language` (a code or a list;
"any" turns the language check off), `lang-engine` ("fasttext" or "langdetect"), `jobs` (int),
`out` (the default output folder), `text-column`, `id-column`, `source-column` (the row files'
columns) and `source-from` (`column`, `folder`, `file` or `url-host`), for `audit check`: `suite` (a
suite file), `fail-under`, `min-share`, `max-mt-share` (the thresholds the default suite names), and
for `audit fix`: `max-removal`.
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
    return out


def as_tuple(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return tuple(s.strip() for s in v.split(",") if s.strip())
    return tuple(str(s) for s in v)
