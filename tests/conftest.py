from __future__ import annotations

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


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): evaluation data lives beside the checkout")
    return SHARED
