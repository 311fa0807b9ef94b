"""The audit on Dask (`audit run --engine dask`, extra `news-audit[dask]`).

The same two passes as the local engine, as map and reduce: the per-document stage (checks and the
corpus checks' extract halves) is mapped over partitions of a Dask bag on the cluster; the corpus
stage (stories, claims, the corpus checks' decide halves, scoring) reduces the gathered summaries on
the client. Partitions are gathered one at a time, in order; with `spill`, each goes to disk as it
arrives, as in the local engine, so the client holds the summaries, not the results. Results are
identical to a local run (a test compares them on a LocalCluster). The input documents themselves
are still sent from the client.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from audit.engine import AuditResult, Options, ResultSink, check_chunk, corpus_stage
from audit.model import Document

DOCS_PER_PARTITION = 256


def _check_partition(docs: list[Document], options: Options) -> list[tuple[Document, list, dict[str, Any]]]:
    return [(d, *outcome) for d, outcome in zip(docs, check_chunk((docs, options)), strict=True)]


def audit_documents_dask(
    docs: Iterable[Document],
    options: Options | None = None,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    spill: str | os.PathLike[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> AuditResult:
    """Audit on an existing cluster (`scheduler` address or `client`) or on a new LocalCluster."""
    import dask.bag as db
    from distributed import Client, LocalCluster

    options = options or Options()
    options.checks()
    docs = list(docs)
    own_cluster = own_client = None
    if client is None:
        if scheduler:
            client = own_client = Client(scheduler)
        else:
            own_cluster = LocalCluster(
                n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = own_client = Client(own_cluster)
    sink = ResultSink(spill, progress)
    try:
        n_parts = max(1, -(-len(docs) // DOCS_PER_PARTITION))
        bag = db.from_sequence(docs, npartitions=n_parts)
        del docs
        futures = client.compute(bag.map_partitions(_check_partition, options).to_delayed())
        for k, future in enumerate(futures):  # in partition order: the input order
            part, futures[k] = future.result(), None  # drop the future: the cluster may free the partition
            sink.add(part)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
    return corpus_stage(sink.results, sink.summaries, options)
