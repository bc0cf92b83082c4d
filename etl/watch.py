"""`python -m etl watch`: fetch and load in rounds, on a schedule, until stopped.

Each round reads the feeds file again (an edit takes effect at the next
round), runs one fetch (etl.fetch) and logs its summary line. Rounds start
every `every` seconds, counted from the start of the previous one; a round
that takes longer is followed at once by the next. SIGTERM or Ctrl-C stops
the watch: between rounds at once, within a round where it is (every
article is its own transaction and every URL's state is written after its
article, so nothing is lost and the next start picks up the rest).
"""
from __future__ import annotations

import logging
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path

from etl.feeds import FeedsFileError, FeedSpec, read_feeds_file

log = logging.getLogger("etl.watch")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s)")


class Stopped(Exception):
    """SIGTERM arrived: end the watch."""


def parse_every(text: str) -> float:
    """Seconds of an interval: 30m, 1h, 90s, 1h30m; a bare number is minutes."""
    cleaned = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        seconds = float(cleaned) * 60
    else:
        parts = _DURATION.findall(cleaned)
        if not parts or _DURATION.sub("", cleaned).strip():
            raise ValueError(f"not an interval: {text!r} (use e.g. 30m, 1h, 90s)")
        seconds = sum(float(n) * {"h": 3600, "m": 60, "s": 1}[unit] for n, unit in parts)
    if seconds <= 0:
        raise ValueError(f"the interval must be positive: {text!r}")
    return seconds


def watch(feeds_file: Path, *, every: float, rounds: int | None,
          run_round: Callable[[list[FeedSpec], int], int], select: Callable[[list[FeedSpec]], list[FeedSpec]]) -> int:
    """Run `run_round(specs, n)` every `every` seconds (`rounds` times, or until stopped).

    Returns 1 when some round rejected inputs, else 0. The feeds file is
    read before each round; when it has become unreadable the previous list
    is used and the problem logged.
    """
    specs = select(read_feeds_file(feeds_file))  # a bad file at start is a usage error
    previous = signal.signal(signal.SIGTERM, _raise_stopped)
    worst, number = 0, 0
    try:
        while rounds is None or number < rounds:
            number += 1
            started = time.monotonic()
            try:
                specs = select(read_feeds_file(feeds_file))
            except FeedsFileError as exc:
                log.error("round %d: %s; using the %d feed(s) read before", number, exc, len(specs))
            log.info("round %d: fetching %d feed(s)", number, len(specs))
            worst = max(worst, run_round(specs, number))
            if rounds is not None and number >= rounds:
                break
            pause = every - (time.monotonic() - started)
            if pause > 0:
                log.info("next round in %.0f s", pause)
                time.sleep(pause)
    except (Stopped, KeyboardInterrupt):
        log.info("stopped during or after round %d", number)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return worst


def _raise_stopped(_signum, _frame) -> None:
    raise Stopped()
