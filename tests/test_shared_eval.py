"""The project's yardsticks on ../shared: skipped with a reason where it is absent."""

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_seeds_pass_the_gold(shared):
    r = subprocess.run(
        [sys.executable, str(shared / "tools" / "score_seeds.py")], capture_output=True, text=True, cwd=ROOT
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "required 15/15" in r.stdout and "clean flagged 0/" in r.stdout


@pytest.mark.slow
def test_extraction_targets(shared):
    r = subprocess.run(
        [sys.executable, str(shared / "tools" / "score_extraction.py")], capture_output=True, text=True, cwd=ROOT
    )
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        name = line.split()[0]
        if name in ("boilerpipe", "newspaper", "trafilatura", "readability"):
            recall = float(line.split("residue recall ")[1].split()[0])
            fp = float(line.split("clean-line FP ")[1].split()[0])
            assert recall >= 0.5 and fp <= 0.03, line
    summary = r.stdout.splitlines()[-1]
    ok, n = summary.split("clean-above-noisy ")[1].split(",")[0].split("/")
    assert int(ok) >= 0.8 * int(n)


def test_wmt_name_pairs(shared):
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_names import evaluate, load_labels, wmt_documents

    r = evaluate(wmt_documents(shared / "eval" / "wmt23-uk-en-news.tsv"), load_labels())
    assert r["recall"] >= 0.7, r["missed"]
    assert r["wrong_share"] <= 0.05, r["wrong_pairs"]
    assert not r["unchecked"], "linked pairs missing from the label set: label them"
