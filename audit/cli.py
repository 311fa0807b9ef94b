"""The `audit` command: run, check, fix, rules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from audit import __version__
from audit.memory import fewer_collections, settled

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A usage or environment error the command line found (an unusable --out, a missing extra): exit 2."""


def _count(value: str) -> int:
    """A whole number of 0 or more (`--jobs 0` means automatic): argparse reports anything else as a usage error."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="folders of .txt files, or .txt/.jsonl/.csv/.parquet files"
    )
    p.add_argument(
        "--mt-threshold",
        type=float,
        default=None,
        metavar="P",
        help="MT probability over which machine_translated is 'detected' (default: the model's; see README)",
    )
    p.add_argument(
        "--select",
        action="append",
        default=None,
        metavar="CODES",
        help="only these checks: codes, code prefixes or categories, comma-separated",
    )
    p.add_argument(
        "--ignore", action="append", default=None, metavar="CODES", help="skip these checks (same forms as --select)"
    )
    p.add_argument(
        "--language",
        default=None,
        metavar="LANGS",
        help="expected language(s), comma-separated ISO codes, or 'any' (default: en)",
    )
    p.add_argument(
        "--lang-engine",
        choices=("fasttext", "langdetect"),
        default=None,
        help="language identifier (default: fasttext)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_count,
        default=None,
        metavar="N",
        help="worker processes (default: one per core above 2000 documents)",
    )
    _column_options(p)


def _column_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-column", default=None, metavar="NAME", help="row files: the text column (default: text)")
    p.add_argument("--id-column", default=None, metavar="NAME", help="row files: the id column (default: id)")
    p.add_argument(
        "--source-column", default=None, metavar="NAME", help="row files: the source column (default: source)"
    )
    p.add_argument(
        "--source-from",
        choices=("column", "folder", "file", "url-host"),
        default=None,
        help="a row's source when its column is empty: none (default), the file's folder or name, the url's host",
    )


def _engine_options(p: argparse.ArgumentParser) -> None:
    """Options of the commands that audit a corpus in one pass (run, check), not of fix."""
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local processes, or Dask (pip install 'news-audit[dask]')",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --engine dask: an existing cluster's scheduler (default: a LocalCluster)",
    )
    p.add_argument(
        "--memory",
        type=_count,
        default=None,
        metavar="MB",
        help="memory budget of the corpus checks that work in parts (default 1024); see README, Memory",
    )


def _mt_threshold(args: argparse.Namespace, cfg: dict[str, Any]) -> float | None:
    """--mt-threshold, else `mt-threshold` in [tool.audit], else None (the MT model's own threshold)."""
    value = getattr(args, "mt_threshold", None)
    value = cfg.get("mt-threshold") if value is None else value
    if value is not None and not 0 <= float(value) <= 1:
        raise UsageError(f"mt-threshold must be a probability between 0 and 1, not {value}")
    return None if value is None else float(value)


def _options(args: argparse.Namespace, cfg: dict[str, Any]):
    from audit.config import as_tuple
    from audit.engine import Options

    def joined(v):
        return tuple(s for item in v for s in as_tuple(item)) if v else None

    select = joined(args.select) or as_tuple(cfg.get("select"))
    ignore = joined(args.ignore) or as_tuple(cfg.get("ignore"))
    langs = as_tuple(args.language) if args.language else as_tuple(cfg.get("language", "en"))
    options = Options(
        select=select,
        ignore=ignore,
        languages=langs,
        lang_engine=args.lang_engine or cfg.get("lang-engine", "fasttext"),
        jobs=args.jobs if args.jobs is not None else int(cfg.get("jobs", 0)),
        mt_threshold=_mt_threshold(args, cfg),
    )
    from audit.catalog import all_checks

    all_checks()  # registering the checks: an error there is a bug, not a usage error
    try:
        options.checks()
    except ValueError as e:  # an unknown --select/--ignore code or category
        raise UsageError(str(e)) from e
    return options


def _columns(args: argparse.Namespace, cfg: dict[str, Any]):
    """The row files' id, text and source columns and where a missing source comes from (options, then config)."""
    from audit.load import Columns

    def pick(key: str, default: str) -> str:
        given = getattr(args, key.replace("-", "_"), None)
        return given if given is not None else str(cfg.get(key, default))

    return Columns(
        id=pick("id-column", "id"),
        text=pick("text-column", "text"),
        source=pick("source-column", "source"),
        source_from=pick("source-from", "column"),
    )


def _require_dask() -> None:
    """`--engine dask` without the extra is a usage error that says what to install."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ModuleNotFoundError as e:
        if (e.name or "").partition(".")[0] not in ("dask", "distributed"):
            raise
        raise UsageError(
            f"--engine dask needs Dask, which is not installed (no module {e.name!r}): pip install 'news-audit[dask]'"
        ) from e


def _out_dir(args: argparse.Namespace, cfg: dict[str, Any]) -> Path | None:
    if args.command == "run":
        return Path(args.out or cfg.get("out", "reports/latest"))
    out = getattr(args, "out", None)
    return Path(out) if out else None


def _check_out(out: Path) -> None:
    """Before any work: --out must be a folder, or a path where one can be made, that can be written in.

    Probes with a temporary file that is removed at once; creates nothing else."""
    import os
    import tempfile

    probe = out
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        what = "is a file" if probe == out else f"cannot be made: {probe} is a file"
        raise UsageError(f"--out {out} {what}, not a folder")
    try:
        fd, name = tempfile.mkstemp(prefix=".audit-probe-", dir=probe)
    except OSError as e:
        raise UsageError(f"--out {out}: cannot write in {probe}: {e.strerror or e}") from e
    os.close(fd)
    os.unlink(name)


@contextmanager
def _writing(out: Path | str) -> Iterator[None]:
    """An output that cannot be written is an error naming the file, not a traceback. Every file is
    written atomically, so each is either whole and new or as it was."""
    try:
        yield
    except OSError as e:
        if e.filename is not None and not Path(e.filename).resolve().is_relative_to(Path(out).resolve()):
            raise  # not an output (a data file the package cannot read): a bug, not a usage error
        raise UsageError(f"cannot write {e.filename or out}: {e.strerror or e}") from e


@contextmanager
def _audit(args: argparse.Namespace, cfg: dict[str, Any], work_dir: Path | None = None) -> Iterator[Any]:
    """Audit the inputs, streaming: documents are read lazily and, in the local engine, texts and
    findings wait on disk (a temporary folder in `work_dir`) while the corpus pass runs."""
    import tempfile

    from audit.engine import audit_documents
    from audit.load import count_documents, load_documents
    from audit.store import ShardCache

    options = _options(args, cfg)  # fails early on an unknown --select/--ignore
    if args.engine == "dask":
        _require_dask()
    elif args.scheduler:
        raise UsageError("--scheduler needs --engine dask")
    memory = _memory_option(args, cfg)
    docs = load_documents(args.inputs, _columns(args, cfg))  # checks that every input exists before any work
    n_docs = count_documents(args.inputs)
    cache = (
        ShardCache(Path(args.out or cfg.get("out", "reports/latest")) / ".cache")
        if getattr(args, "resume", False)
        else None
    )
    bar = _progress_bar(args, n_docs)
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".audit-work-", dir=work_dir) as spill:
        try:
            if getattr(args, "engine", "local") == "dask":
                from audit.dask_engine import audit_documents_dask

                result = audit_documents_dask(  # the workers read their own partitions of the inputs
                    None,
                    options,
                    scheduler=args.scheduler,
                    workers=args.jobs or None,
                    spill=spill,
                    progress=bar.update if bar else None,
                    inputs=args.inputs,
                    columns=_columns(args, cfg),
                    memory=memory,
                )
            else:
                result = audit_documents(
                    docs,
                    options,
                    progress=bar.update if bar else None,
                    n_docs=n_docs,
                    cache=cache,
                    spill=spill,
                    memory=memory,
                )
        finally:
            if bar:
                bar.close()
        yield result


def _memory_option(args: argparse.Namespace, cfg: dict[str, Any]) -> int | None:
    """`--memory`, else `memory` in [tool.audit], else None (the default budget)."""
    memory = args.memory if args.memory is not None else cfg.get("memory")
    if memory is not None and memory < 1:
        raise UsageError(f"memory must be at least 1 MB, not {memory}")
    return memory


def _progress_bar(args: argparse.Namespace, n_docs: int | None) -> Any:
    """A progress bar on a terminal for 50 documents or more, else None."""
    if args.no_progress or not sys.stderr.isatty() or (n_docs is not None and n_docs < 50):
        return None
    from tqdm import tqdm

    return tqdm(total=n_docs, unit="doc", desc="auditing", file=sys.stderr)


def _warn_if_empty(inputs: list[str], n_docs: int) -> None:
    """No document in the inputs: say so on stderr, and for a folder what was skipped and why."""
    if n_docs == 0:
        from audit.load import no_documents_note

        print(f"audit: warning: {no_documents_note(inputs)}", file=sys.stderr)


def _counts(results) -> tuple[int, int, int, float, dict[str, int], list[str]]:
    """Documents, audited ones, findings, the sum of scores, findings by category, unreadable lines: one
    pass in a function of its own, so that no loop variable keeps the last text alive afterwards."""
    n = n_ok = n_findings = 0
    total = 0.0
    by_cat: dict[str, int] = {}
    unreadable = []
    for r in results:
        n += 1
        n_findings += len(r.findings)
        for f in r.findings:
            by_cat[f.category] = by_cat.get(f.category, 0) + 1
        if r.score is not None:
            n_ok += 1
            total += r.score.score
        else:
            unreadable.append(f"  unreadable  {r.doc.id}: {r.doc.reason}")
    return n, n_ok, n_findings, total, by_cat, unreadable


def _summary(result) -> str:
    n, n_ok, n_findings, total, by_cat, unreadable = _counts(result.results)
    lines = [
        f"{n} documents read: {n_ok} audited, {n - n_ok} unreadable",
        f"{n_findings} findings: " + (", ".join(f"{k} {v}" for k, v in sorted(by_cat.items())) or "none"),
        f"mean score {total / n_ok:.1f}" if n_ok else "no scores",
    ]
    from audit.gate.formats import worst

    for r in worst(result, 3):
        lines.append(f"  {r.score:5.1f}  {r.doc_id}  {r.reasons[0] if r.reasons else ''}")
    return "\n".join(lines + unreadable)


def _ratings(path: str) -> dict[str, str]:
    from audit.sources import read_ratings

    try:
        return read_ratings(path)
    except OSError as e:
        raise UsageError(f"cannot read --source-ratings {path}: {e.strerror or e}") from e
    except (ValueError, UnicodeDecodeError) as e:  # no source/rating header, or not UTF-8
        raise UsageError(f"--source-ratings {path}: {e}") from e


SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample"  # the corpus the README's first command audits


def _validation_summary(validation, folder: Path, inputs: list[str]) -> str:
    """The validation verdict of `audit run`, with the columns that failed and where to read why."""
    failed = ", ".join(dict.fromkeys(fl.column or fl.expectation for fl in validation.failures))
    line = (
        f"validation ({validation.suite}): {'pass' if validation.success else 'fail'}, "
        f"{len(validation.failures)} of {validation.evaluated} expectations failed "
        f"on {validation.documents} documents" + (f" ({failed})" if failed else "")
    )
    if validation.success:
        return line
    line += f"\n  why: {folder / 'data_docs' / 'index.html'}, or `audit check` on the same input"
    if any(Path(p).resolve() == SAMPLE for p in inputs):
        line += "\n  the shipped sample is built with defects, so this verdict is expected (README: First run)"
    return line


def cmd_run(args: argparse.Namespace, cfg: dict[str, Any]) -> int:
    from audit.output import write_outputs

    out = Path(args.out or cfg.get("out", "reports/latest"))
    ratings = _ratings(args.source_ratings) if args.source_ratings else None
    spec = None
    if not args.no_validation:
        from audit.gate.expectations import read_suite_spec

        spec = read_suite_spec(cfg.get("suite"), _thresholds_from(cfg))  # a broken suite fails before the audit
    with _audit(args, cfg, work_dir=out) as result, settled():
        with _writing(out):
            paths = write_outputs(result, out, ratings=ratings, report_docs=args.report_docs)
        print(_summary(result))
        _warn_if_empty(args.inputs, len(result.results))
        if spec is not None:
            from audit.gate.expectations import gate_table, suite_columns, validate

            table = gate_table(result, suite_columns(spec))  # the columns the suite reads
            with _writing(out / "validation"):
                validation = validate(table, spec, out / "validation")
            paths["validation"] = out / "validation"
            print(_validation_summary(validation, out / "validation", args.inputs))
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return EXIT_OK


def cmd_fix(args: argparse.Namespace, cfg: dict[str, Any]) -> int:
    from audit.fix import FixPolicy, corpus_diff, fix_documents, write_edits
    from audit.load import load_documents
    from audit.output import write_corpus

    options = _options(args, cfg)
    options.checks()
    max_removal = args.max_removal if args.max_removal is not None else float(cfg.get("max-removal", 0.10))
    if not 0 <= max_removal <= 1:
        raise UsageError(f"--max-removal must be a share between 0 and 1, not {max_removal}")
    policy = FixPolicy.from_options(options, fix_names=args.fix_names, max_removal=max_removal)
    columns = _columns(args, cfg)
    docs = list(load_documents(args.inputs, columns))
    _warn_if_empty(args.inputs, len(docs))
    fixed, summaries = fix_documents(docs, options, policy=policy)
    out = Path(args.out)
    with _writing(out):
        written = write_corpus(fixed, args.inputs, out, columns)
        write_edits(summaries, out / "edits.jsonl")
    status = sys.stderr if args.diff else sys.stdout  # with --diff, stdout is the patch alone (as ruff does)
    changed = review = 0
    for before, s in zip(docs, summaries, strict=True):
        if not before.readable:
            print(f"unreadable, not written: {before.id}: {before.reason}", file=status)
        elif s.needs_review or s.changed:
            print(s.line(), file=status)
            changed += s.changed
            review += bool(s.needs_review)
    if args.diff:
        sys.stdout.write(corpus_diff(docs, fixed, args.inputs, written))
    print(
        f"{changed} of {len(docs)} documents changed, {review} need review; "
        f"cleaned corpus in {out}, every edit in {out / 'edits.jsonl'}",
        file=status,
    )
    return EXIT_OK


def _thresholds_from(cfg: dict[str, Any], args: argparse.Namespace | None = None) -> dict[str, Any]:
    from audit.gate.expectations import THRESHOLDS

    out = {}
    for key in THRESHOLDS:
        given = getattr(args, key.replace("-", "_"), None) if args is not None else None
        out[key] = given if given is not None else cfg.get(key)
        share = key != "fail-under"
        if out[key] is not None and not (0 <= out[key] <= (1 if share else 100)):
            want = "a share between 0 and 1" if share else "a score between 0 and 100"
            raise UsageError(f"{key} must be {want}, not {out[key]}")
    return out


def cmd_check(args: argparse.Namespace, cfg: dict[str, Any]) -> int:
    from audit.gate.expectations import gate_table, read_suite_spec, suite_columns, validate
    from audit.gate.formats import RENDERERS

    spec = read_suite_spec(args.suite or cfg.get("suite"), _thresholds_from(cfg, args))  # GateError: exit 2
    with _audit(args, cfg) as result:
        _warn_if_empty(args.inputs, len(result.results))
        table = gate_table(result, suite_columns(spec))  # the columns the suite reads
        if args.out:
            with _writing(args.out):
                validation = validate(table, spec, args.out, allow_empty=args.allow_empty)
        else:
            validation = validate(table, spec, allow_empty=args.allow_empty)
        sys.stdout.write(RENDERERS[args.format](result, validation))
    if args.exit_zero or validation.success:
        return EXIT_OK
    return EXIT_FAIL


def cmd_rules(args: argparse.Namespace, cfg: dict[str, Any]) -> int:
    from audit.catalog import all_checks

    checks = all_checks()
    if args.format == "json":
        import json

        print(
            json.dumps(
                [
                    {
                        "code": c.code,
                        "category": c.category,
                        "severity": c.severity,
                        "scope": "corpus" if c.is_corpus else "document",
                        "name": c.name,
                        "description": c.summary,
                        "fix": c.fix,
                        "autofix": c.autofix,
                        "mt_signal": c.mt_signal,
                        "names": c.names,
                        "doc": c.doc,
                    }
                    for c in checks
                ],
                indent=2,
            )
        )
        return EXIT_OK
    print(f"{'code':8s} {'category':10s} {'severity':8s} {'scope':7s} {'fix':7s} {'default fix':12s} description")
    for c in checks:
        scope = "corpus" if c.is_corpus else "doc"
        print(f"{c.code:8s} {c.category:10s} {c.severity:8s} {scope:7s} {c.fix:7s} {fix_default(c):12s} {c.summary}")
    return EXIT_OK


def fix_default(check) -> str:
    """Whether plain `audit fix` applies a check's fix: yes, no (only with --select), --fix-names, or - (no fix)."""
    if check.fix == "none":
        return "-"
    if check.names:
        return "--fix-names"
    return "yes" if check.autofix else "no"


def _gate_options(p: argparse.ArgumentParser) -> None:
    """The options of `audit check`: the suite, its thresholds, the output format and where to write."""
    p.add_argument(
        "--suite",
        default=None,
        metavar="FILE",
        help="Great Expectations suite JSON (default: expectations/news_audit.json)",
    )
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text", help="output format")
    p.add_argument(
        "--fail-under", type=float, default=None, metavar="SCORE", help="minimum document score (default 60)"
    )
    p.add_argument(
        "--min-share",
        type=float,
        default=None,
        metavar="SHARE",
        help="share of documents that must reach it (default 0.9)",
    )
    p.add_argument(
        "--max-mt-share",
        type=float,
        default=None,
        metavar="SHARE",
        help="largest share of documents with mt findings (default 0.2)",
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when the gate fails")
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="let a batch of 0 documents pass (by default it fails: it nearly always means a broken upstream step)",
    )
    p.add_argument("--out", default=None, metavar="DIR", help="also write the validation result and Data Docs here")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="audit",
        description="Audit news text: scraper residue, boilerplate bios, machine-translation artifacts, name variants.",
    )
    parser.add_argument("--version", action="version", version=f"news-audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub.add_parser("run", help="audit and write findings.jsonl, scores.csv and the report into --out"))
    chk = sub.add_parser("check", help="the CI gate: audit, validate with a Great Expectations suite, exit 0/1/2")
    _common(chk)
    _engine_options(chk)
    _gate_options(chk)
    chk.set_defaults(func=cmd_check)
    _fix_parser(sub.add_parser("fix", help="write the corpus cleaned, in the format it came in"))
    rules = sub.add_parser("rules", help="list every check: code, category, severity, scope, fix, description")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(func=cmd_rules)
    return parser


def _run_parser(run: argparse.ArgumentParser) -> None:
    _common(run)
    _engine_options(run)
    run.add_argument("--out", "-o", default=None, metavar="DIR", help="output folder (default: reports/latest)")
    run.add_argument(
        "--resume",
        action="store_true",
        help="keep per-shard results in DIR/.cache and reuse those of an earlier (interrupted) run",
    )
    run.add_argument(
        "--source-ratings",
        default=None,
        metavar="FILE",
        help="a CSV of source,rating merged into sources.csv and the report",
    )
    run.add_argument(
        "--report-docs",
        type=_count,
        default=None,
        metavar="N",
        help="documents whose text the report embeds, lowest scores first (default 10000; all are in scores.csv)",
    )
    run.add_argument(
        "--no-validation",
        action="store_true",
        help="skip the Great Expectations validation (DIR/validation), which costs about 3 s",
    )
    run.set_defaults(func=cmd_run)


def _fix_parser(fix: argparse.ArgumentParser) -> None:
    _common(fix)
    fix.add_argument("--out", "-o", required=True, metavar="DIR", help="folder for the cleaned corpus")
    fix.add_argument("--fix-names", action="store_true", help="also replace name variants by their canonical forms")
    fix.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of every change on stdout, the status on stderr (apply it with `patch -p1`)",
    )
    fix.add_argument(
        "--max-removal",
        type=float,
        default=None,
        metavar="SHARE",
        help="leave a document unchanged, for review, when fixes would remove more than this share of it (default 0.10)",
    )
    fix.set_defaults(func=cmd_fix)


def main(argv: list[str] | None = None) -> int:
    from audit.config import ConfigError, load_config
    from audit.gate import GateError
    from audit.load import InputError

    parser = build_parser()
    args = parser.parse_args(argv)
    fewer_collections()
    try:
        cfg = load_config()
        out = _out_dir(args, cfg)
        if out is not None:
            _check_out(out)
        return args.func(args, cfg)
    except (InputError, ConfigError, GateError, UsageError) as e:
        print(f"audit: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("audit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `audit run ... | head`
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
