"""Source reliability: story clusters, provenance signals, corroboration and per-source tables."""

import csv
import sys

from conftest import ROOT, hits

from audit.cli import main
from audit.corpus.claims import corroborate, extract_claims
from audit.corpus.stories import assign_stories, story_terms
from audit.text import TextView

QUAKE = [
    "A strong earthquake struck Izmir and the Aegean coast on Friday; Turkish officials said 24 people were killed and 800 injured.",
    "Rescuers in Izmir searched collapsed buildings after the Aegean earthquake, which killed at least 24 people, the AFAD agency said.",
    "The Izmir earthquake on the Aegean coast killed nearly 25 people and injured about 800, AFAD said, as aftershocks continued.",
]
ELECTION = [
    "Voters in Montevideo chose a new mayor on Sunday; Carolina Cosse of the Frente Amplio won with 55 percent, the court said.",
    "Carolina Cosse won the Montevideo race for the Frente Amplio, the electoral court announced after counting ended late on Sunday.",
]


def _stories(texts):
    return assign_stories({str(i): story_terms(TextView(t)) for i, t in enumerate(texts)})


def test_reports_of_one_event_form_one_story_and_other_events_do_not_join():
    s = _stories(QUAKE + ELECTION)
    assert s["0"] == s["1"] == s["2"]
    assert s["3"] == s["4"]
    assert s["0"] != s["3"]


def test_claims_are_compared_within_a_story():
    docs = {str(i): extract_claims(TextView(t)) for i, t in enumerate(QUAKE)}
    rows = corroborate(docs, dict.fromkeys(docs, "s1"))
    killed = {r["doc_id"]: r["status"] for r in rows if r["kind"] == "killed"}
    assert killed["0"] == "supported" and killed["1"] == "supported"  # "24" and "at least 24"
    assert killed["2"] == "consistent"  # "nearly 25"
    injured = {r["doc_id"]: r["status"] for r in rows if r["kind"] == "injured"}
    assert injured["0"] == "supported" and injured["2"] == "supported"


def test_figures_that_count_something_else_are_not_claims():
    claims = extract_claims(
        TextView("The shelling hit 16 areas and two wars were fought; 5 km away three people died in 2020.")
    )
    assert [(c.kind, c.text) for c in claims] == [("killed", "three")]


def test_republication_markers():
    text = (
        "KYIV (Reuters) - The mayor said the bridge would reopen.\nOriginally published on Example News.\nSource: TASS"
    )
    assert len(hits("PRV001", text)) == 3
    assert hits("PRV001", "The mayor told Reuters the bridge would reopen, and the source said so.") == []


def test_seeds_story_sources_and_corroboration(shared, tmp_path):
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("source,rating\nseeds,my own rating\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(["run", str(shared / "seeds"), "--out", str(out), "--no-validation", "--source-ratings", str(ratings)])
        == 0
    )
    scores = list(csv.DictReader((out / "scores.csv").open(encoding="utf-8")))
    assert len({r["story"] for r in scores}) == 1
    sources = list(csv.DictReader((out / "sources.csv").open(encoding="utf-8")))
    assert sum(int(r["documents"]) for r in sources) == 5 and sources[0]["rating"] == "my own rating"
    claims = list(csv.DictReader((out / "claims.csv").open(encoding="utf-8")))
    evac = [r for r in claims if r["kind"] == "evacuated" and "7,000" in r["claim"]]
    pop = [r for r in claims if r["kind"] == "population" and "120,000" in r["claim"]]
    assert len(evac) == 2 and all(r["status"] == "supported" for r in evac)
    assert len(pop) == 2 and all(r["status"] == "supported" for r in pop)
    casualties = {r["claim"].lower(): r["status"] for r in claims if r["kind"] == "killed"}
    assert casualties["dozens"] in ("supported", "consistent")
    assert casualties["at least 29"] == "consistent" and casualties["nearly 30"] == "consistent"


def test_wmt_story_clusters(shared):
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_names import wmt_documents
    from eval_stories import purity

    n_clusters, n_stories, pure = purity(wmt_documents(shared / "eval" / "wmt23-uk-en-news.tsv"))
    assert pure >= 0.95 and n_clusters <= 1.1 * n_stories
