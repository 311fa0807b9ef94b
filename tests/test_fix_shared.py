"""`audit fix` on real text from ../shared: clean bodies come out whole, seeds keep their quotations."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from audit.cli import main
from audit.engine import Options
from audit.fix import FixPolicy, fix_documents
from audit.load import load_documents
from audit.records import Document

_QUOTATION = re.compile(r"“[^”]+”")
_LOWER_START = re.compile(r"[.!?][\"”’]?\s+[a-z]")


def test_clean_article_bodies_come_out_of_fix_unharmed(shared):
    rows = [json.loads(line) for line in (shared / "eval" / "extraction-dev.jsonl").open(encoding="utf-8")]
    truths = {r["page"]: r["ground_truth"] for r in rows}
    docs = [Document(p, t) for p, t in sorted(truths.items())]
    options = Options(jobs=1)
    fixed, summaries = fix_documents(docs, options, policy=FixPolicy.from_options(options))
    same = sum(a.text == b.text for a, b in zip(docs, fixed, strict=True))
    assert same >= 0.9 * len(docs), [s.line() for s in summaries if s.changed]
    assert all(len(b.text) >= 0.9 * len(a.text) for a, b in zip(docs, fixed, strict=True))


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs the patch program")
def test_seeds_keep_quotations_and_capitals_and_the_diff_applies(shared, tmp_path, monkeypatch, capsys):
    shutil.copytree(shared / "seeds", tmp_path / "seeds")
    for p in (tmp_path / "seeds").iterdir():
        p.chmod(0o644)
    monkeypatch.chdir(tmp_path)
    args = ["fix", "seeds", "--out", "out", "--diff", "--select", "residue,bio,mt,name", "--fix-names"]
    assert main([*args, "--max-removal", "1"]) == 0
    printed = capsys.readouterr().out
    before = {d.id: d.text for d in load_documents([tmp_path / "seeds"])}
    after = {d.id: d.text for d in load_documents([tmp_path / "out" / "seeds"])}
    assert any(before[k] != after[k] for k in before)
    for k, text in before.items():  # a paragraph may go (a second translation of one), a quotation never changes
        assert set(_QUOTATION.findall(after[k])) <= set(_QUOTATION.findall(text)), k
        assert after[k].count("“") == after[k].count("”"), k
        assert len(_LOWER_START.findall(after[k])) <= len(_LOWER_START.findall(text)), k
    kept = [q for line in after["001_668d7c7c0085b13f"].splitlines() for q in _QUOTATION.findall(line)]
    assert "“immediate end to the conflict”" in kept  # MT009's quotation: information, never an edit
    diff = "".join(
        line + "\n" for line in printed.splitlines() if line.startswith(("---", "+++", "@@", " ", "-", "+", "\\"))
    )
    subprocess.run(["patch", "-p1", "--batch", "--forward"], input=diff, text=True, check=True, capture_output=True)
    for p in (tmp_path / "seeds").iterdir():
        assert p.read_bytes() == (tmp_path / "out" / "seeds" / p.name).read_bytes(), p.name
