"""`python -m etl`: a thin command line over the pipeline and the loader.

Exit status: 0 when every input loaded, 1 when some were rejected (the rest
still loaded), 2 for usage or configuration errors, 3 when the database
refused or could not be reached, 4 for a bug (see `etl.errors`). Whatever
escapes a command is printed as one line; `--debug` adds the traceback.
Messages are in English, or in Korean when `POLICY_RADAR_LANG=ko` (or the
locale is Korean).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Sequence

from etl import messages
from etl.errors import BadInput, Bug, ConfigurationError, DatabaseError, RadarError, describe
from etl.readers import DEFAULT_MAX_BYTES

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, BadInput.exit_status, ConfigurationError.exit_status
EXIT_DATABASE, EXIT_BUG = DatabaseError.exit_status, Bug.exit_status


class UsageError(ConfigurationError):
    """A problem with the command line; exit status 2."""


def size_in_mb(text: str) -> int:
    try:
        megabytes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {text!r}") from None
    if megabytes <= 0:
        raise argparse.ArgumentTypeError("the size limit must be positive")
    return int(megabytes * 1024 * 1024)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Policy Radar ETL: Korean regional policy articles in, facts out.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", metavar="URL", help="database URL (default: $DATABASE_URL or sqlite:///data/policy.db)")

    def add_debug(p: argparse.ArgumentParser) -> None:
        """--debug after the command too (`load x.txt --debug`), as the error message suggests;
        SUPPRESS keeps a subcommand from resetting a --debug given before it."""
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks and debug logging")

    def add_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (read recursively); - for standard input")
        p.add_argument("--max-size", type=size_in_mb, default=DEFAULT_MAX_BYTES, metavar="MB",
                       help="reject files larger than this many megabytes (default 20)")

    p = sub.add_parser("extract", help="extract facts and print one JSON object per article (no database)",
                       description="Print one JSON object per article in the gold format (shared/gold/SCHEMA.md), with evidence.")
    add_inputs(p)
    add_debug(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("load", help="extract and store articles in the database",
                       description="Read, extract and store articles. Inputs already loaded are skipped.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (read recursively); - for standard input")
    p.add_argument("--max-size", type=size_in_mb, default=DEFAULT_MAX_BYTES, metavar="MB",
                   help="reject files larger than this many megabytes (default 20)")
    p.add_argument("--rebuild", action="store_true", help="re-extract every stored article from its stored raw text")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    add_db(p)
    add_debug(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("rejects", help="list inputs that were rejected, and why")
    p.add_argument("--run", type=int, metavar="ID", help="only this load run (default: all)")
    add_db(p)
    add_debug(p)
    p.set_defaults(func=cmd_rejects)

    p = sub.add_parser("db", help="database administration")
    add_debug(p)
    dbsub = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = dbsub.add_parser("upgrade", help="create or upgrade the schema to the latest revision")
    add_db(up)
    add_debug(up)
    up.set_defaults(func=cmd_db_upgrade)

    p = sub.add_parser("corrections", help="move analysts' corrections between databases")
    add_debug(p)
    csub = p.add_subparsers(dest="corrections_command", required=True, metavar="ACTION")
    for name, text, func in (("export", "write every correction (active and undone) as JSON lines", cmd_corrections_export),
                             ("import", "add the corrections of a file and rebuild, so they apply", cmd_corrections_import)):
        c = csub.add_parser(name, help=text)
        c.add_argument("file", metavar="FILE")
        add_db(c)
        add_debug(c)
        c.set_defaults(func=func)

    p = sub.add_parser("export", help="write projects, amounts and periods as CSV or Excel")
    p.add_argument("--out", required=True, metavar="PATH", help="a folder for CSV files, or a .xlsx file")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist")
    add_db(p)
    add_debug(p)
    p.set_defaults(func=cmd_export)

    # Monitoring (issue 14): fetch, watch, digest, watchlist live in etl/monitor_cli.py.
    from etl.monitor_cli import add_commands

    add_commands(sub, add_db, add_debug)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(messages.text("interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:  # the traceback, then the same message and exit status as without --debug
            traceback.print_exc()
        error = classify(exc)
        line = str(error)
        if isinstance(error, Bug) and not args.debug:
            line += messages.text("debug_hint")
        print(f"{messages.text('error')}: {line}", file=sys.stderr)
        return error.exit_status


def classify(exc: Exception) -> RadarError:
    """The kind of an exception that escaped a command, with its one-line message."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

    from db.engine import DatabaseConfigError
    from db.schema import SchemaError
    from etl.errors import CONFIGURATION_ERRORS

    if isinstance(exc, RadarError):
        return exc
    if isinstance(exc, (DatabaseConfigError, ArgumentError, *CONFIGURATION_ERRORS)):
        return ConfigurationError(describe(exc).split(": ", 1)[-1])
    if isinstance(exc, SchemaError):
        return DatabaseError(messages.text("database", problem=str(exc)))
    if isinstance(exc, DBAPIError):  # the driver's message, not the SQL and parameters
        return DatabaseError(messages.text("database", problem=describe(exc.orig).split(": ", 1)[-1]))
    if isinstance(exc, SQLAlchemyError):
        return DatabaseError(messages.text("database", problem=describe(exc)))
    if isinstance(exc, OSError):
        return ConfigurationError(f"{exc.filename}: {exc.strerror}" if exc.filename else describe(exc))
    return Bug(messages.text("bug", problem=describe(exc)))


def report_rejection(rejection, debug: bool = False) -> None:
    print(f"{rejection.source}: {rejection.reason}", file=sys.stderr)
    if debug and rejection.bug:
        print(rejection.detail.rstrip(), file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    from etl.extract import to_record
    from etl.pipeline import run
    from etl.records import Rejection

    rejected = 0
    out = sys.stdout
    for item in run(args.paths, max_bytes=args.max_size):
        if isinstance(item, Rejection):
            rejected += 1
            report_rejection(item, args.debug)
            continue
        out.write(json.dumps(to_record(item), ensure_ascii=False) + "\n")
    out.flush()
    return EXIT_REJECTED if rejected else EXIT_OK


def engine_of(args: argparse.Namespace):
    from db.engine import make_engine

    return make_engine(args.db)


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import load_paths, rebuild

    if not args.paths and not args.rebuild:
        raise UsageError(messages.text("no_paths"))
    if args.paths and args.rebuild:
        raise UsageError(messages.text("rebuild_paths"))
    engine = engine_of(args)
    bar = None if args.no_progress or not sys.stderr.isatty() else ProgressBar()
    try:
        if args.rebuild:
            summary = rebuild(engine, progress=bar)
        else:
            summary = load_paths(args.paths, engine, progress=bar, max_bytes=args.max_size)
    finally:
        if bar is not None:
            bar.close()
    for rejection in summary.rejections:
        report_rejection(rejection, args.debug)
    print(messages.summary(summary), file=sys.stderr)
    _refresh_watchlist_feeds(engine)
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def _refresh_watchlist_feeds(engine) -> None:
    """Every load refreshes the watchlists' Atom feeds (issue 14, etl/watchfeeds.py)."""
    from etl.watchfeeds import refresh_after_load

    warning = refresh_after_load(engine)
    if warning:
        print(warning, file=sys.stderr)


class ProgressBar:
    """A tqdm bar fed by the loader's (done, total) callback."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bar = tqdm(unit="article", file=sys.stderr, dynamic_ncols=True)

    def __call__(self, done: int, total: int | None) -> None:
        if total is not None and self._bar.total != max(total, done):
            self._bar.total = max(total, done)
        if done and not self._bar.n:
            # The rate (and so the ETA) counts from the first article done, not from the
            # model's warm-up before it: "02:37" left for a 20-second load misleads.
            self._bar.reset(total=self._bar.total)
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def cmd_rejects(args: argparse.Namespace) -> int:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from db.models import RejectedInput
    from etl.writer import prepare_database

    engine = engine_of(args)
    prepare_database(engine)
    query = select(RejectedInput).order_by(RejectedInput.id)
    if args.run is not None:
        query = query.where(RejectedInput.run_id == args.run)
    with Session(engine) as session:
        rows = session.scalars(query).all()
    for row in rows:
        print(f"run {row.run_id}\t{row.created_at:%Y-%m-%d %H:%M}\t{row.source}: {row.reason}")
    print(messages.text("rejected_inputs", n=len(rows)), file=sys.stderr)
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from etl.writer import prepare_database

    engine = engine_of(args)
    prepare_database(engine)
    print(messages.text("schema_ok"), file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from etl.export import export
    from etl.readers import display_path

    engine = engine_of(args)
    written = export(engine, args.out, force=args.force)
    for path in written:
        print(display_path(str(path)), file=sys.stderr)
    return EXIT_OK


def cmd_corrections_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from etl.corrections import write_lines
    from etl.writer import prepare_database, stored_corrections

    engine = engine_of(args)
    prepare_database(engine)
    n = write_lines((c for _id, c in stored_corrections(engine)), Path(args.file))
    print(f"{n} corrections written to {args.file}", file=sys.stderr)
    return EXIT_OK


def cmd_corrections_import(args: argparse.Namespace) -> int:
    """Add a file's corrections (all or none: a bad line stops the import) and rebuild to apply them."""
    from pathlib import Path

    from etl.corrections import read_lines
    from etl.load import rebuild
    from etl.writer import add_corrections, prepare_database

    corrections = read_lines(Path(args.file))
    engine = engine_of(args)
    prepare_database(engine)
    add_corrections(engine, corrections)
    summary = rebuild(engine)
    print(f"{len(corrections)} corrections imported; " + messages.summary(summary), file=sys.stderr)
    return EXIT_REJECTED if summary.rejected else EXIT_OK
