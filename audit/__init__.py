"""news-audit: find scraper residue, boilerplate bios, machine-translation artifacts and name variants in news text.

The public API (imported on first use, so that `import audit` stays cheap)::

    audit.audit_texts(texts, ids=None, sources=None, **options) -> Audit
    audit.audit_frame(df, id_column="id", text_column="text", source_column="source", **options) -> Audit
    audit.audit_paths(paths, **options) -> Audit
    audit.score_text(text, **options) -> float

`Audit.scores` and `Audit.findings` are pandas DataFrames. Options, as on the command line: select and
ignore ("residue,MT001" or a list), language ("en,pl" or a list), lang_engine, jobs, mt_threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Audit", "audit_frame", "audit_paths", "audit_texts", "score_text", "__version__"]

if TYPE_CHECKING:
    from audit.api import Audit, audit_frame, audit_paths, audit_texts, score_text


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        from audit import api

        return getattr(api, name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (loaded on first use, so a plain listing would miss it) and the module's dunder names."""
    return sorted(set(__all__) | {n for n in globals() if n.startswith("__")})
