"""Monitoring commands of `python -m etl`: fetch, watch, digest, watchlist.

Registered by `etl.cli.build_parser` through `add_commands`; the same exit
statuses and messages as `load` (0 all loaded, 1 some rejected, 2 usage or
configuration), the same progress bar and summary line.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from etl.readers import DEFAULT_MAX_BYTES

ENV_TIMEOUT, ENV_DELAY, ENV_RETRIES = "POLICY_RADAR_FETCH_TIMEOUT", "POLICY_RADAR_FETCH_DELAY", "POLICY_RADAR_FETCH_RETRIES"


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("seconds cannot be negative")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(text)


def _env(name: str, default, parse):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except argparse.ArgumentTypeError as exc:
        from etl.cli import UsageError

        raise UsageError(f"{name}={raw!r}: {exc}") from None


def add_commands(sub, add_db, add_debug) -> None:
    """Add the monitoring subcommands to the `python -m etl` parser."""
    from etl.cli import size_in_mb

    def add_fetching(p: argparse.ArgumentParser) -> None:
        p.add_argument("--tag", action="append", default=[], metavar="TAG",
                       help="only the feeds of the feeds file with this tag (repeatable)")
        p.add_argument("--timeout", type=_seconds, default=None, metavar="S",
                       help=f"seconds to wait for a server (default 20, or ${ENV_TIMEOUT})")
        p.add_argument("--retries", type=_count, default=None, metavar="N",
                       help=f"retries of a failed request, with backoff (default 2, or ${ENV_RETRIES})")
        p.add_argument("--delay", type=_seconds, default=None, metavar="S",
                       help=f"seconds between two requests to the same host (default 1, or ${ENV_DELAY}; "
                            "longer when robots.txt asks)")
        p.add_argument("--max-size", type=size_in_mb, default=DEFAULT_MAX_BYTES, metavar="MB",
                       help="reject pages larger than this many megabytes (default 20)")
        p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
        p.add_argument("-v", "--verbose", action="store_true", help="log each feed (items, 304 not modified)")
        add_db(p)
        add_debug(p)

    p = sub.add_parser("fetch", help="fetch RSS/Atom feeds or article pages and load them",
                       description="Fetch feeds (every item's page) or article pages and load them like `load`. "
                                   "URLs already loaded are not fetched again; an unchanged feed costs a 304.")
    p.add_argument("urls", nargs="*", metavar="URL", help="a feed or an article page (http:// or https://)")
    p.add_argument("--feeds", metavar="FILE", help="a feeds file (TOML, see feeds.example.toml)")
    add_fetching(p)
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("watch", help="fetch the feeds of a feeds file in rounds until stopped",
                       description="Fetch and load on a schedule, logging each round; stop with Ctrl-C or SIGTERM. "
                                   "A watch killed at any moment resumes without loss or duplicates.")
    p.add_argument("--feeds", required=True, metavar="FILE", help="the feeds file (TOML), read again every round")
    p.add_argument("--every", default="30m", metavar="INTERVAL", help="time between round starts: 30m, 1h, 90s (default 30m)")
    p.add_argument("--rounds", type=_count, default=None, metavar="N", help="stop after N rounds (default: never)")
    add_fetching(p)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("digest", help="print what changed in a watchlist, as Markdown",
                       description="New projects, new or changed figures and status changes of a watchlist (관심 목록).")
    p.add_argument("watchlist", metavar="WATCHLIST", help="the watchlist's name")
    p.add_argument("--since", choices=("load", "seen"), default="load",
                   help="since the last load (default) or since the user last looked in the dashboard")
    add_db(p)
    add_debug(p)
    p.set_defaults(func=cmd_digest)

    p = sub.add_parser("watchlist", help="save, list and remove watchlists (관심 목록); write their feeds")
    add_debug(p)
    wl = p.add_subparsers(dest="watchlist_command", required=True, metavar="ACTION")
    q = wl.add_parser("add", help="save a dashboard view under a name (or change the view of a watchlist)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("view", metavar="VIEW_URL", help="the dashboard address, e.g. http://host:8501/funding?region=46")
    q.set_defaults(func=cmd_watchlist_add)
    q = wl.add_parser("list", help="the saved watchlists and their feed addresses")
    q.set_defaults(func=cmd_watchlist_list)
    q = wl.add_parser("remove", help="delete a watchlist")
    q.add_argument("name", metavar="NAME")
    q.set_defaults(func=cmd_watchlist_remove)
    q = wl.add_parser("feeds", help="write every watchlist's Atom feed now")
    q.set_defaults(func=cmd_watchlist_feeds)
    for action in wl.choices.values():
        add_db(action)
        add_debug(action)


# ---------------------------------------------------------------- fetch and watch

def _specs(args: argparse.Namespace):
    """The URLs of the command line and the feeds file, validated (UsageError names the problem)."""
    from etl.cli import UsageError
    from etl.feeds import FeedsFileError, FeedSpec, read_feeds_file
    from etl.http import is_web_url, normalize_url

    specs = []
    for url in getattr(args, "urls", []):
        if not is_web_url(url):
            raise UsageError(f"{url}: not a web address (give a URL starting with http:// or https://)")
        specs.append(FeedSpec(normalize_url(url)))
    if args.feeds:
        try:
            specs += _with_tags(read_feeds_file(args.feeds), args.tag)
        except FeedsFileError as exc:
            raise UsageError(str(exc)) from None
    if not specs:
        raise UsageError("give at least one URL to fetch, or --feeds FILE")
    return list({s.url: s for s in specs}.values())


def _with_tags(specs, tags: list[str]):
    return [s for s in specs if not tags or set(tags) & set(s.tags)]


def _client(args: argparse.Namespace):
    from etl.http import DEFAULT_DELAY, DEFAULT_RETRIES, DEFAULT_TIMEOUT, Client

    timeout = args.timeout if args.timeout is not None else _env(ENV_TIMEOUT, DEFAULT_TIMEOUT, _seconds)
    retries = args.retries if args.retries is not None else _env(ENV_RETRIES, DEFAULT_RETRIES, _count)
    delay = args.delay if args.delay is not None else _env(ENV_DELAY, DEFAULT_DELAY, _seconds)
    if timeout <= 0:
        from etl.cli import UsageError

        raise UsageError("--timeout must be more than 0 seconds")
    return Client(timeout=timeout, retries=retries, delay=delay, max_bytes=args.max_size)


def _fetch_once(args: argparse.Namespace, engine, specs, command: str, client) -> int:
    """One fetch: rejections, then the summary line, then the watchlist feeds; the exit status."""
    from etl.cli import EXIT_OK, EXIT_REJECTED, ProgressBar, report_rejection
    from etl.fetch import fetch
    from etl.watchfeeds import refresh_after_load

    bar = None if args.no_progress or not sys.stderr.isatty() else ProgressBar()
    try:
        summary = fetch(specs, engine, client=client, progress=bar, command=command)
    finally:
        if bar is not None:
            bar.close()
    for rejection in summary.rejections:
        report_rejection(rejection, getattr(args, "debug", False))
    print(summary.line(), file=sys.stderr)
    warning = refresh_after_load(engine)
    if warning:
        print(warning, file=sys.stderr)
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def _verbose(args: argparse.Namespace) -> None:
    if args.verbose and not args.debug:
        for name in ("etl.fetch", "etl.watchfeeds", "etl.watch"):
            logging.getLogger(name).setLevel(logging.INFO)


def cmd_fetch(args: argparse.Namespace) -> int:
    from etl.cli import engine_of

    specs = _specs(args)
    _verbose(args)
    client = _client(args)
    try:
        return _fetch_once(args, engine_of(args), specs, "fetch", client)
    finally:
        client.close()


def _watch_logging(verbose: bool) -> None:
    """Rounds are logged with a timestamp on stderr; with --verbose each feed too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    for name in ("etl.watch", "etl.fetch", "etl.watchfeeds"):
        if name == "etl.watch" or verbose:
            logger = logging.getLogger(name)
            logger.setLevel(logging.INFO)
            logger.addHandler(handler)
            logger.propagate = False


def cmd_watch(args: argparse.Namespace) -> int:
    from etl.cli import UsageError, engine_of
    from etl.feeds import FeedsFileError, read_feeds_file
    from etl.watch import parse_every, watch

    try:
        every = parse_every(args.every)
        read_feeds_file(args.feeds)
    except (ValueError, FeedsFileError) as exc:
        raise UsageError(str(exc)) from None
    _watch_logging(args.verbose)
    engine = engine_of(args)
    log = logging.getLogger("etl.watch")

    def run_round(specs, number: int) -> int:
        client = _client(args)
        try:
            status = _fetch_once(args, engine, specs, "watch", client)
        finally:
            client.close()
        log.info("round %d done (exit status %d)", number, status)
        return status

    return watch(Path(args.feeds), every=every, rounds=args.rounds, run_round=run_round,
                 select=lambda specs: _with_tags(specs, args.tag))


# ---------------------------------------------------------------- watchlists

def cmd_digest(args: argparse.Namespace) -> int:
    from etl.writer import prepare_database
    from db.watchlists import WatchlistError
    from etl.cli import EXIT_OK, UsageError, engine_of
    from etl.watchfeeds import digest_markdown

    engine = engine_of(args)
    prepare_database(engine)
    try:
        sys.stdout.write(digest_markdown(engine, args.watchlist, since=args.since))
    except WatchlistError as exc:
        raise UsageError(f"{exc}; saved: {', '.join(_names(engine)) or 'none'}") from None
    return EXIT_OK


def _names(engine) -> list[str]:
    from sqlalchemy.orm import Session

    from db.watchlists import all_saved

    with Session(engine) as session:
        return [w.name for w in all_saved(session)]


def cmd_watchlist_add(args: argparse.Namespace) -> int:
    from etl.writer import prepare_database
    from db.watchlists import WatchlistError, save
    from etl.cli import EXIT_OK, UsageError, engine_of
    from etl.watchfeeds import base_url, refresh_after_load
    from ui.digest import feed_url

    engine = engine_of(args)
    prepare_database(engine)
    try:
        saved = save(engine, args.name, args.view)
    except WatchlistError as exc:
        raise UsageError(str(exc)) from None
    for value in saved.view.ignored:
        print(f"{args.view}: {value} names nothing and was left out", file=sys.stderr)
    warning = refresh_after_load(engine)
    if warning:
        print(warning, file=sys.stderr)
    print(f"saved {saved.name!r}: /{saved.page}?{saved.query}; feed {feed_url(base_url(), saved)}", file=sys.stderr)
    return EXIT_OK


def cmd_watchlist_list(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from etl.writer import prepare_database
    from db.watchlists import all_saved
    from etl.cli import EXIT_OK, engine_of
    from etl.watchfeeds import base_url
    from ui.digest import feed_url, view_url

    engine = engine_of(args)
    prepare_database(engine)
    with Session(engine) as session:
        saved = all_saved(session)
    for w in saved:
        print(f"{w.name}\t{view_url(base_url(), w)}\t{feed_url(base_url(), w)}")
    print(f"{len(saved)} watchlist(s)", file=sys.stderr)
    return EXIT_OK


def cmd_watchlist_remove(args: argparse.Namespace) -> int:
    from etl.writer import prepare_database
    from db.watchlists import remove, slug_of
    from etl.cli import EXIT_OK, UsageError, engine_of
    from etl.watchfeeds import feed_dir

    engine = engine_of(args)
    prepare_database(engine)
    if not remove(engine, args.name):
        raise UsageError(f"no watchlist named {args.name!r}")
    (feed_dir() / f"{slug_of(args.name)}.xml").unlink(missing_ok=True)
    print(f"removed {args.name!r}", file=sys.stderr)
    return EXIT_OK


def cmd_watchlist_feeds(args: argparse.Namespace) -> int:
    from etl.writer import prepare_database
    from etl.cli import EXIT_OK, UsageError, engine_of
    from etl.watchfeeds import feed_dir, write_feeds

    engine = engine_of(args)
    prepare_database(engine)
    try:
        paths = write_feeds(engine)
    except OSError as exc:
        raise UsageError(f"cannot write the feeds to {feed_dir()}: {exc.strerror or exc}") from None
    for path in paths:
        print(path)
    print(f"{len(paths)} feed(s) written", file=sys.stderr)
    return EXIT_OK
