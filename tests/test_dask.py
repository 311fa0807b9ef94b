"""The Dask engine gives the local engine's results, on a real LocalCluster."""

import pytest
from conftest import SAMPLE

from audit.engine import Options, audit_documents
from audit.load import load_documents
from audit.model import Document

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'news-audit[dask]')")


def _corpus():
    base = list(load_documents([SAMPLE]))
    more = [
        Document(f"{d.id}-copy{i}", d.text + f"\nRead more {i}", d.source)
        for i in range(60)
        for d in base
        if d.readable
    ]
    return base + more


def test_dask_localcluster_matches_the_local_engine(tmp_path):
    from distributed import Client, LocalCluster

    from audit.dask_engine import DOCS_PER_PARTITION, audit_documents_dask

    docs = _corpus()
    assert len(docs) > DOCS_PER_PARTITION  # several partitions
    local = audit_documents(docs, Options(jobs=1))
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        remote = audit_documents_dask(docs, Options(), client=client)
        spilled = audit_documents_dask(docs, Options(), client=client, spill=tmp_path / "spill")
    assert [(r.doc.id, r.findings, r.score, r.story) for r in spilled.results] == [
        (r.doc.id, r.findings, r.score, r.story) for r in local.results
    ]
    assert [r.doc.id for r in remote.results] == [r.doc.id for r in local.results]
    assert remote.findings == local.findings
    assert [r.score for r in remote.results] == [r.score for r in local.results]
    assert [r.story for r in remote.results] == [r.story for r in local.results]
