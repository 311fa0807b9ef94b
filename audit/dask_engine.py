"""The audit on Dask (`audit run --engine dask`, extra `news-audit[dask]`).

The same two passes as the local engine, as map and reduce, with the work where the data is:

- **Workers read their own partitions** of the inputs (`audit.load.plan_partitions`): a JSONL file in byte
  ranges cut at line starts (about 8 MB each; line numbers are counted by the workers first, so ids
  and messages match a local run), a Parquet file by row group, a folder of `.txt` files in groups
  of files, a CSV or `.txt` file whole. The client opens no document.
- **Workers check and write**: each partition is checked (the per-document checks and the corpus
  checks' extract halves) and, when the spill folder is on a file system the workers share with the
  client (a marker file tells), written there by the worker itself: its results (texts and findings)
  and its packed summaries. What comes back is a few bytes a document: the ids and the summaries'
  offsets. Without a shared folder the worker sends the results and the packed summaries instead.
- **Workers decide the corpus checks that decompose by a key** (`Check.decides_in_groups`: RES013 by
  source, MT009 by speaker): each partition's task keeps those checks' summaries on its worker, split
  into (key, record) items (`Check.split`); a Dask bag groupby (a task shuffle, worker to worker)
  brings each key's records together and `Check.decide_group` decides them there. The client receives
  only the hits, and reduces them as `decide` would (`merge_group_hits`).
- **Workers decide the claims by story**: each partition's claims stay on its worker (the client never
  receives them); once the client has assigned the stories, they go once to each worker, the claims are
  keyed by story (`claims.claim_items`), a task shuffle brings each story's together and
  `claims.corroborate_story` decides it there: only the rows come back (`corroborate_on_workers`).
- **Workers decide the name blocks and find the name hits**: the client counts the names (`names.count`,
  over the summaries on disk) and builds the story context; both go once to each worker, and the blocks
  (by transliteration-neutral key and the other block keys) are decided there in parts of consecutive
  keys (`names.block_parts`, `names.decide_blocks`): only the links come back (`names_on_workers`).
  The client clusters the links and picks the canonical forms (small: a few per linked name); the
  analysis goes once to each worker, and each partition's documents get their NAME001, NAME002 and
  MT008 hits on the worker that kept their mentions (`names_hits_on_workers`).
- **Workers keep little between the stages**: what a partition's task keeps for the corpus stages (the
  grouped checks' records, the claims, the name mentions) is written by its worker to the shared spill
  folder (`kept`), and the stage that needs it reads it back (`unkept`); without a shared folder it
  stays in the worker's memory until then.
- **The client coordinates**: it collects the partitions in input order, gives repeated ids their
  `#2` suffix as `load_documents` would, runs the rest of the corpus pass (stories, the name counts and
  clusters) over the summaries on disk (`SummaryStore`) and scores every shard in place; the outputs
  are written from the shards.

Results are identical to a local run (tests compare them on a LocalCluster). Where the workers cannot
see the inputs (another machine, no shared file system), the client reads the documents and sends
them in partitions, as `audit_documents_dask(docs)` without `inputs` does.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from audit import load
from audit.corpus.names import BLOCK_RUNNER, HITS_RUNNER
from audit.engine import (
    CLAIMS_KEY,
    AuditResult,
    Corroborate,
    DocResult,
    Options,
    ResultSink,
    ShardOutcome,
    check_chunk,
    chunked,
    corpus_stage,
    write_shard,
)
from audit.load import Partition, count_lines, plan_partitions, read_partition
from audit.records import Document, Hit
from audit.store import PackedSummaries, SpilledResults


def _number_lines(client: Any, parts: list[Partition]) -> list[Partition]:
    """Give each JSONL partition the number of its first line: the workers count the lines of their
    byte ranges (a pass over the bytes, no parsing) and the client adds them up."""
    ranges = [k for k, p in enumerate(parts) if p.kind == "jsonl"]
    if not ranges:
        return parts
    counts = client.gather(client.map(count_lines, [parts[k] for k in ranges], pure=False))
    out = list(parts)
    first: dict[str, int] = {}
    for k, n in zip(ranges, counts, strict=True):
        line = first.get(parts[k].path, 1)
        out[k] = replace(parts[k], first=line)
        first[parts[k].path] = line + n
    return out


def _audit_partition(
    part: Partition | list[Document],
    options: Options,
    columns: Any,
    shard_path: str | None,
    summaries_path: str | None,
    grouped: tuple[str, ...] = (),
) -> tuple[list[str], ShardOutcome | tuple[list[DocResult], PackedSummaries], list[tuple[str, dict[str, Any]]]]:
    """A worker's task: read (or take) a partition's documents, check them, and write the shard and
    its summaries to the shared spill folder (returning their locations), or send them back. Last,
    each document's (id, summaries) of the `grouped` checks: they stay on the worker (`_group_records`)."""
    docs = list(read_partition(part, columns)) if isinstance(part, Partition) else part
    outcome = check_chunk((docs, options))
    triples = [(d, found, summ) for d, (found, summ) in zip(docs, outcome, strict=True)]
    ids = [d.id for d in docs]
    kept = [(d.id, {c: summ[c] for c in grouped if c in summ}) for d, _, summ in triples] if grouped else []
    if CLAIMS_KEY in grouped:  # the claims are decided on the workers: the client never receives them
        triples = [(d, found, {k: v for k, v in summ.items() if k != CLAIMS_KEY}) for d, found, summ in triples]
    if shard_path is not None:
        return ids, write_shard(shard_path, triples, summaries_path), kept
    from audit.engine import corpus_summaries, doc_result
    from audit.store import pack_summaries

    packed = pack_summaries((d.id, corpus_summaries(summ)) for d, _, summ in triples)
    return ids, ([doc_result(d, found, summ) for d, found, summ in triples], packed), kept


def _head(outcome: tuple[Any, Any, Any]) -> tuple[Any, Any]:
    """What the client collects of a partition's task: ids and shard, not the grouped checks' summaries."""
    return outcome[0], outcome[1]


class OnDisk(str):
    """A partition's kept records (group records, name mentions or claims) written by its worker to a
    file in the shared spill folder: the future holds this path, not the records (`kept`, `unkept`)."""


def kept(folder: str | None, make: Callable[..., Any], *args: Any) -> Any:
    """On a worker: `make(*args)`, pickled into a new file in `folder` and returned as its path
    (`OnDisk`), so that the worker keeps a few bytes a partition until a later stage reads them; without
    a folder (workers that do not share the spill folder), the records themselves."""
    value = make(*args)
    if folder is None:
        return value
    import pickle

    path = Path(folder) / f"{uuid.uuid4().hex}.pkl"
    with open(path, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    return OnDisk(path)


def unkept(value: Any) -> Any:
    """What `kept` kept: read back from its file (on whichever worker a later stage runs), or as it was."""
    if not isinstance(value, OnDisk):
        return value
    import pickle

    with open(value, "rb") as f:
        return pickle.load(f)


GroupRecord = tuple[tuple[str, str], Any]  # ((check code, group key), record)
Outcome = tuple[Any, Any, list[tuple[str, dict[str, Any]]]]  # a partition's task's result: its summaries last


def _final_summaries(outcome: Outcome, new_ids: list[str] | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """A partition's (document id, summary), under the documents' final ids (`new_ids`, where some were
    renamed)."""
    for k, (doc_id, summ) in enumerate(outcome[2]):
        yield (new_ids[k] if new_ids is not None else doc_id), summ


def _group_records(outcome: Outcome, new_ids: list[str] | None, codes: list[str]) -> list[GroupRecord]:
    """A partition's records for the groupby (on its worker): each grouped check's (`codes`) `split` of
    each document's summary, under the document's final id."""
    out: list[GroupRecord] = []
    for doc_id, summ in _final_summaries(outcome, new_ids):
        for code in codes:
            if code in summ:
                out.extend(((code, key), rec) for key, rec in _check(code).split(doc_id, summ[code]))  # type: ignore[misc]
    return out


def _name_records(outcome: Outcome, new_ids: list[str] | None, codes: list[str]) -> list[tuple[str, Any]]:
    """A partition's (document id, name mentions): the summary the name checks (`codes`) share, kept on
    its worker for the hits (`names_hits_on_workers`)."""
    out = []
    for doc_id, summ in _final_summaries(outcome, new_ids):
        found = next((summ[c] for c in codes if c in summ), None)
        if found is not None:
            out.append((doc_id, found))
    return out


def _name_hits(records: list[tuple[str, Any]], analysis: Any, describe: Any) -> list[tuple[str, list[Hit]]]:
    """A partition's name hits (`names.doc_hits`), on its worker."""
    from audit.corpus.names import doc_hits

    return [(doc_id, found) for doc_id, m in unkept(records) if (found := doc_hits(m, analysis, describe))]


def names_hits_on_workers(client: Any, records: list[Any]) -> Any:
    """A `names.HITS_RUNNER` that finds the name checks' hits on the workers that hold each partition's
    mentions (`_name_records`): the analysis goes once to each worker, only the hits come back."""
    sent: list[Any] = []  # (analysis, its future on the workers): one analysis serves the three checks

    def run(analysis: Any, describe: Any) -> dict[str, list[Hit]]:
        if not sent or sent[0][0] is not analysis:
            for _, f in sent:
                f.release()
            sent[:] = [(analysis, client.scatter([analysis], broadcast=True)[0])]
        shared = sent[0][1]
        futures = [client.submit(_name_hits, f, shared, describe, pure=False) for f in records]
        return {doc_id: found for part in client.gather(futures) for doc_id, found in part}

    return run


def _claim_records(outcome: Outcome, new_ids: list[str] | None) -> list:
    """A partition's (document id, claims), under the documents' final ids: kept on its worker until
    the stories are known (`corroborate_on_workers`)."""
    return [(doc_id, summ[CLAIMS_KEY]) for doc_id, summ in _final_summaries(outcome, new_ids) if CLAIMS_KEY in summ]


def _story_items(claims: list, stories: dict[str, str]) -> list:
    """A partition's claims as (story, item)s (`claims.claim_items`), on its worker."""
    from audit.corpus.claims import claim_items

    return [pair for doc_id, found in unkept(claims) for pair in claim_items(doc_id, found, stories)]


def _story_of(pair: tuple[str, Any]) -> str:
    return pair[0]


def _corroborate_group(group: tuple[str, list[tuple[str, Any]]]) -> tuple[str, list[dict[str, Any]]]:
    """One story's claim rows (`claims.corroborate_story`), decided on the worker it lands on."""
    from audit.corpus.claims import corroborate_story

    story, pairs = group
    return story, corroborate_story(story, [item for _, item in pairs])


def corroborate_on_workers(client: Any, claims: list[Any]) -> Corroborate:
    """The claims decided by story on the workers, as `corroborate` decides them: `claims` are the
    partitions' (document id, claims) futures (`_claim_records`); given the stories (one copy sent to
    each worker), each partition's claims are keyed by story, a task shuffle brings each story's
    together, it is decided where it lands, and only the rows come back, in story order."""

    def corroborated(stories: Any) -> list[dict[str, Any]]:
        import dask.bag as db

        if not claims:
            return []
        [shared] = client.scatter([dict(stories)], broadcast=True)
        items = [client.submit(_story_items, f, shared, pure=False) for f in claims]
        bag = db.from_delayed(items).groupby(_story_of, shuffle="tasks").map(_corroborate_group)
        groups = client.compute(bag).result()
        for f in (*claims, *items, shared):
            f.release()
        claims.clear()
        return [row for _, rows in sorted(groups, key=_story_of) for row in rows]

    return corroborated


def _check(code: str) -> Any:
    """The registered check `code`, on a worker (the built-in checks registered first)."""
    from audit.catalog import all_checks
    from audit.registry import REGISTRY

    all_checks()
    return REGISTRY[code]


def _group_key(record: GroupRecord) -> tuple[str, str]:
    return record[0]


def _decide_group(group: tuple[tuple[str, str], list[GroupRecord]]) -> list[tuple[str, str, int, str, Hit]]:
    """One group's decision (on a worker): (check code, document id, place, preference, hit)s."""
    (code, key), records = group
    decide = _check(code).decide_group
    assert decide is not None
    return [(code, *found) for found in decide(key, [rec for _, rec in records])]


# memory a groupby takes per byte of its records' pickles (decoded, then the shuffle's copies): at 30,000
# rss-dev entries 17.5 MB on disk took the largest of two workers from 346 to 506 MB (about 17x in all)
GROUP_EXPANSION = 16


def _disk_bytes(value: Any) -> int:
    """The size of a partition's kept records on disk (on a worker); -1 where they are in memory."""
    return os.path.getsize(value) if isinstance(value, OnDisk) else -1


def group_rounds(sizes: list[int], memory: int | None = None) -> int:
    """In how many rounds the grouped checks' records are grouped, each round the keys of one hash
    bucket, so that a round's records fit the `--memory` budget (`memory` MB) at GROUP_EXPANSION bytes
    a byte on disk: one round where they are in memory (a size of -1) or fit."""
    from audit.memory import megabytes

    if not sizes or min(sizes) < 0:
        return 1
    return max(1, -(-GROUP_EXPANSION * sum(sizes) // megabytes(memory)))


def records_in_round(value: Any, k: int, rounds: int) -> list[GroupRecord]:
    """A partition's records (on a worker) whose (check, key) falls in round `k` of `rounds` (by a hash
    of the key that every worker computes alike): one key's records are all in one round."""
    import zlib

    records = unkept(value)
    if rounds == 1:
        return records
    return [r for r in records if zlib.crc32(f"{r[0][0]}\x00{r[0][1]}".encode("utf-8", "surrogatepass")) % rounds == k]


def _decide_groups(
    client: Any, records: list[Any], codes: tuple[str, ...], memory: int | None = None
) -> dict[str, dict[str, list[Hit]]]:
    """The grouped checks' hits, by code: the partitions' records (futures, on the workers) grouped by
    (code, key) with a task shuffle, each group decided where it lands; only the hits come back. Records
    kept on disk are grouped in rounds (`group_rounds`), a hash bucket of the keys at a time, so that
    the workers hold one round's records, not all of them."""
    import dask.bag as db

    from audit.registry import merge_group_hits

    found: dict[str, list[tuple[str, int, str, Hit]]] = {code: [] for code in codes}
    if records:
        rounds = group_rounds(client.gather([client.submit(_disk_bytes, f, pure=False) for f in records]), memory)
        for k in range(rounds):
            loaded = [client.submit(records_in_round, f, k, rounds, pure=False) for f in records]
            bag = db.from_delayed(loaded).groupby(_group_key, shuffle="tasks").map(_decide_group).flatten()
            for code, *hit in client.compute(bag).result():
                found[code].append(tuple(hit))  # type: ignore[arg-type]
            for f in loaded:
                f.release()
            del bag, loaded
        for f in records:
            f.release()
    return {code: merge_group_hits(hits) for code, hits in found.items()}


def _decide_blocks(shared: tuple[Any, Any], skipped: frozenset[str], blocks: list) -> list:
    """One part of the name blocks' links (`names.decide_blocks`), on a worker, from the counts and the
    story context sent once to each worker (a cache of its own: tasks on one worker share them)."""
    from audit.corpus.names import decide_blocks

    counts, ctx = shared
    return decide_blocks(counts, ctx.own_cache(), skipped, blocks)


def names_on_workers(client: Any) -> Any:
    """A `names.BLOCK_RUNNER` that decides the parts of the name blocks on the workers: the counts and
    the story context go once to each worker, each part (consecutive keys, `names.block_parts`) is a
    task, and only the links come back."""

    def run(counts: Any, ctx: Any, parts: Iterable[tuple[frozenset[str], list]]) -> list:
        [shared] = client.scatter([(counts, ctx)], broadcast=True)
        futures = [client.submit(_decide_blocks, shared, skipped, blocks, pure=False) for skipped, blocks in parts]
        links = [lk for found in client.gather(futures) for lk in found]
        for f in (*futures, shared):
            f.release()
        return links

    return run


class _UniqueIds:
    """`load.unique_ids`, fed one id at a time as the partitions arrive in input order."""

    def __init__(self) -> None:
        from audit.load import unique_ids

        self._feed: deque[SimpleNamespace] = deque()
        self._renamed = unique_ids(self._pull())

    def _pull(self) -> Iterator[SimpleNamespace]:
        while True:
            yield self._feed.popleft()

    def __call__(self, doc_id: str) -> str:
        self._feed.append(SimpleNamespace(id=doc_id, meta={}))
        return next(self._renamed).id


def _rename(results: list[DocResult], new_ids: list[str]) -> None:
    """Give repeated ids the names `load_documents` gives them (`id#2`), findings included."""
    for r, new in zip(results, new_ids, strict=True):
        if r.doc.id != new:
            r.doc.meta = {**r.doc.meta, "duplicate_of": r.doc.id}
            r.doc.id = new
            r.findings = [replace(f, doc_id=new) for f in r.findings]


def _renamed_packed(packed: PackedSummaries, new_ids: list[str]) -> PackedSummaries:
    """A shard's packed summaries under its documents' final ids (one entry a document, in order)."""
    codes, ids, table, blob = packed
    assert len(ids) == len(new_ids)
    return codes, new_ids, table, blob


def _workers_see(client: Any, paths: Sequence[str], marker: tuple[str, str] | None = None) -> bool:
    """Whether every worker can read `paths` (and, with `marker`, finds that file with that content:
    the same folder, not one of the same name on another machine)."""
    try:
        seen = client.run(_exists, list(paths), marker)
    except Exception:  # noqa: BLE001 - a worker that cannot answer cannot be relied on
        return False
    return bool(seen) and all(seen.values())


def _exists(paths: list[str], marker: tuple[str, str] | None) -> bool:
    if not all(os.path.exists(p) for p in paths):
        return False
    if marker is not None:
        try:
            return Path(marker[0]).read_text(encoding="utf-8") == marker[1]
        except OSError:
            return False
    return True


MIN_PARTITION_BYTES = 1 << 20  # a JSONL partition's least size: a task's overhead stays small beside its work


def partition_bytes(client: Any, inputs: Sequence[str | os.PathLike[str]]) -> int:
    """A JSONL partition's size in bytes: `load.BYTES_PER_PARTITION`, or less where the JSONL inputs are
    small, so that each worker thread gets about four partitions (10,000 short feed entries are 7 MB:
    one 8 MB range, which one worker would check alone), but never under MIN_PARTITION_BYTES."""
    threads = sum((client.nthreads() or {1: 1}).values())
    total = sum(Path(p).stat().st_size for p in inputs if Path(p).suffix == ".jsonl" and Path(p).is_file())
    return min(load.BYTES_PER_PARTITION, max(MIN_PARTITION_BYTES, total // (4 * threads)))


def _connect(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    """(the cluster this run starts, or None; a client of it or of `scheduler`)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return None, Client(scheduler)
    cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=":0")
    return cluster, Client(cluster)


def _shared_spill(client: Any, sink: ResultSink) -> bool:
    """Whether the workers see the sink's spill folder (a marker file with fresh content tells)."""
    if not isinstance(sink.results, SpilledResults):
        return False
    marker = (str(sink.results.folder / ".shared"), uuid.uuid4().hex)
    Path(marker[0]).write_text(marker[1], encoding="utf-8")
    try:
        return _workers_see(client, [str(sink.results.folder)], marker)
    finally:
        Path(marker[0]).unlink()


def _kept_folder(sink: ResultSink) -> str:
    """The folder, in the shared spill folder, where the workers keep what the corpus stages need of
    each partition (`kept`); removed after the run."""
    folder = str(sink.results.folder / "kept")  # type: ignore[union-attr]
    os.makedirs(folder, exist_ok=True)
    return folder


def audit_documents_dask(
    docs: Iterable[Document] | None = None,
    options: Options | None = None,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    spill: str | os.PathLike[str] | None = None,
    progress: Callable[[int], None] | None = None,
    inputs: Sequence[str | os.PathLike[str]] | None = None,
    columns: Any = None,
    window: int | None = None,
    memory: int | None = None,
) -> AuditResult:
    """Audit on an existing cluster (`scheduler` address or `client`) or on a new LocalCluster.

    With `inputs` (the paths `load_documents` would read, and its `columns`), the workers read the
    input themselves, partition by partition; otherwise the client sends `docs` in partitions. With
    `spill`, results and summaries go to disk (written by the workers where they share the folder),
    and the client holds an index of the documents, not their summaries. `window`: partitions in
    flight at once (default: four a worker thread). `memory`: the corpus pass's budget in MB, as in
    `audit_documents`."""
    options = options or Options()
    options.checks()
    own_cluster, own_client = (None, None) if client is not None else _connect(scheduler, workers)
    client = client if client is not None else own_client
    sink = ResultSink(spill, progress, memory)
    grouped = tuple(c.code for c in options.checks() if c.decides_in_groups)
    named = tuple(c.code for c in options.checks() if c.names and c.is_corpus)
    wanted = (*grouped, *named, CLAIMS_KEY) if options.stories else (*grouped, *named)
    try:
        shared = _shared_spill(client, sink)
        pieces: Iterable[Partition | list[Document]]
        if inputs is not None and _workers_see(client, [str(Path(p).resolve()) for p in inputs]):
            parts = plan_partitions(inputs, partition_bytes(client, inputs))
            pieces = _number_lines(client, parts)
        else:
            if docs is None:
                docs = load.load_documents(inputs or (), columns)
            pieces = chunked(docs, load.DOCS_PER_PARTITION)
        folder = _kept_folder(sink) if shared else None  # what the corpus stages need waits there, not in memory
        records, claims, mentions = _run(client, pieces, options, columns, sink, shared, window, wanted, named, folder)
        decided = _decide_groups(client, records, grouped, memory) if grouped else None
        corroborated = corroborate_on_workers(client, claims) if options.stories else None
        tokens = BLOCK_RUNNER.set(names_on_workers(client)), HITS_RUNNER.set(names_hits_on_workers(client, mentions))
        try:
            return corpus_stage(sink.results, sink.summaries, options, memory, decided, corroborated)
        finally:
            BLOCK_RUNNER.reset(tokens[0])
            HITS_RUNNER.reset(tokens[1])
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


def _run(
    client: Any,
    pieces: Iterable[Partition | list[Document]],
    options: Options,
    columns: Any,
    sink: ResultSink,
    shared: bool,
    window: int | None,
    grouped: tuple[str, ...] = (),
    named: tuple[str, ...] = (),
    folder: str | None = None,
) -> tuple[list[Any], list[Any], list[Any]]:
    """Submit the partitions (at most `window` in flight) and collect them in input order. Returns the
    futures, one a partition, left on the workers, of the records of the `grouped` checks that decide in
    groups (`_group_records`), of the claims (`_claim_records`, where `grouped` holds CLAIMS_KEY) and of
    the name checks' mentions (`_name_records`, where `grouped` holds the `named` checks). With a
    `folder` the workers share, each of those is written there by its worker (`kept`), which then holds
    its path only."""
    if window is None:
        threads = sum((client.nthreads() or {1: 1}).values())
        window = max(2, 4 * threads)
    unique = _UniqueIds()
    store_folder = getattr(sink.summaries, "folder", None)
    in_flight: deque[tuple[Any, Any]] = deque()
    records: list[Any] = []
    claims: list[Any] = []
    mentions: list[Any] = []
    checks = [c for c in grouped if c != CLAIMS_KEY and c not in named]

    def collect(head: Any, whole: Any) -> None:
        ids, got = head.result()[:2]
        head.release()
        new_ids = [unique(d) for d in ids]
        if whole is not None:
            renamed = new_ids if new_ids != ids else None
            if checks:
                records.append(client.submit(kept, folder, _group_records, whole, renamed, checks, pure=False))
            if named:
                mentions.append(client.submit(kept, folder, _name_records, whole, renamed, list(named), pure=False))
            if CLAIMS_KEY in grouped:
                claims.append(client.submit(kept, folder, _claim_records, whole, renamed, pure=False))
            whole.release()  # kept by the scheduler until its records are made
        _add_outcome(sink, got, ids, new_ids)

    for piece in pieces:
        shard_path = summaries_path = None
        if shared:
            shard_path = str(sink.results.next_path())  # type: ignore[union-attr]
            summaries_path = str(Path(store_folder) / f"{Path(shard_path).stem}.bin")  # type: ignore[arg-type]
        whole = client.submit(
            _audit_partition, piece, options, columns, shard_path, summaries_path, grouped, pure=False
        )
        in_flight.append((client.submit(_head, whole, pure=False), whole) if grouped else (whole, None))
        while len(in_flight) > window:
            collect(*in_flight.popleft())
    while in_flight:
        collect(*in_flight.popleft())
    return records, claims, mentions


def _add_outcome(
    sink: ResultSink,
    got: ShardOutcome | tuple[list[DocResult], PackedSummaries],
    ids: list[str],
    new_ids: list[str],
) -> None:
    """One partition's shard into the sink, its documents under their final ids (`new_ids`)."""
    if isinstance(got, ShardOutcome):  # written by the worker in the shared spill folder
        if new_ids != ids:  # rare: a repeated id; the shard is rewritten with the new names
            results = SpilledResults.read_file(Path(got.path))
            _rename(results, new_ids)
            SpilledResults.write_file(Path(got.path), results)
            got = replace(got, summaries=_renamed_packed(got.summaries, new_ids))
        sink.add_shard(got)
        return
    results, packed = got
    _rename(results, new_ids)
    if isinstance(sink.results, SpilledResults):
        path = sink.results.next_path()
        SpilledResults.write_file(path, results)
        sink.add_shard(ShardOutcome(str(path), len(results), _renamed_packed(packed, new_ids)))
    else:
        summaries = _unpacked(packed)
        sink.add((r.doc, r.findings, summ) for r, summ in zip(results, summaries, strict=True))


def _unpacked(packed: PackedSummaries) -> Iterator[dict[str, Any]]:
    """Each document's {code: summary} from a packed shard, in order (for a run that keeps summaries
    in memory); an object that several codes share comes back shared, as the name checks expect."""
    import pickle

    codes, ids, table, blob = packed
    width = 2 * len(codes)
    for i in range(len(ids)):
        summ: dict[str, Any] = {}
        loaded: dict[int, Any] = {}
        for k, code in enumerate(codes):
            off, length = table[i * width + 2 * k], table[i * width + 2 * k + 1]
            if off >= 0:
                if off not in loaded:
                    loaded[off] = pickle.loads(blob[off : off + length])
                summ[code] = loaded[off]
        yield summ
