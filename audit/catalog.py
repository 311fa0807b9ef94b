"""The catalog: every check, once the built-in checks have registered, and the questions asked of them.

audit.registry defines what a check is and registers it; this module imports the checks (which fills
the registry) and answers for the rest of the pipeline: which checks a `--select`/`--ignore` chooses,
which check plays a role (`registry.ROLES`), what a code's label is. Nothing outside audit/checks and
audit/corpus names a check code: it asks here.
"""

from __future__ import annotations

from collections.abc import Iterable

from audit.registry import REGISTRY, ROLES, Check


def all_checks() -> list[Check]:
    """Every registered check, ordered by code."""
    import audit.checks  # noqa: F401  (registers the built-in checks)
    import audit.corpus  # noqa: F401

    return [REGISTRY[c] for c in sorted(REGISTRY)]


def _matches(c: Check, sel: str) -> bool:
    sel = sel.strip()
    return c.code == sel or c.category == sel or (sel.isalpha() and sel.isupper() and c.code.startswith(sel))


def selected_checks(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Check]:
    """Checks chosen by code (`RES001`), code prefix (`RES`) or category (`residue`)."""
    select, ignore = [s for s in select if s], [s for s in ignore if s]
    checks = all_checks()
    known = {c.code for c in checks} | {c.category for c in checks} | {c.code.rstrip("0123456789") for c in checks}
    unknown = [s for s in (*select, *ignore) if s not in known]
    if unknown:
        raise ValueError(f"unknown check code or category: {', '.join(unknown)} (see `audit rules`)")
    if select:
        checks = [c for c in checks if any(_matches(c, s) for s in select)]
    return [c for c in checks if not any(_matches(c, s) for s in ignore)]


def check_of(code: str) -> Check | None:
    """The check registered under `code`, or None (a finding read back from a file of another version)."""
    all_checks()
    return REGISTRY.get(code)


def with_role(role: str) -> list[Check]:
    """The checks that play `role` (one of `registry.ROLES`)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    return [c for c in all_checks() if c.role == role]


_ROLE_CODES: dict[tuple[str, int], frozenset[str]] = {}


def codes_with_role(role: str) -> frozenset[str]:
    """The codes of the checks that play `role` (remembered until another check registers)."""
    key = (role, len(REGISTRY))
    if key not in _ROLE_CODES:
        _ROLE_CODES[key] = frozenset(c.code for c in with_role(role))
    return _ROLE_CODES[key]


def mt_signal_checks() -> tuple[Check, ...]:
    """The per-document checks whose firing the MT model counts (registered with `mt_signal=True`)."""
    return tuple(c for c in all_checks() if c.mt_signal and c.fn is not None)


def label_of(code: str) -> str:
    """A code's label in plain words ("" for a code no check registers)."""
    c = check_of(code)
    return c.label if c is not None else ""


__all__ = [
    "all_checks",
    "check_of",
    "codes_with_role",
    "label_of",
    "mt_signal_checks",
    "selected_checks",
    "with_role",
]
