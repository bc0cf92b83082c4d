"""How much one input may hold, so that one hostile or broken file costs only itself.

A 6 KB line of nested arrays, a 1.8 KB workbook declaring every cell of a
sheet, or a small ZIP that unpacks to gigabytes would otherwise stop the
batch, run for minutes or exhaust memory. Every bound lives here, derived
from `--max-size` where it measures text, so that one flag moves them
together; a reader that meets one rejects the input with a reason that names
the limit (`Limits` is carried on each `Input`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

MAX_ROWS = 100_000  # rows of one sheet or CSV file, lines of one JSON Lines file
MAX_COLUMNS = 1_000  # columns of one row (a BIGKinds export has 19)
MAX_CELLS = 5_000_000  # cells of one sheet or CSV file, empty ones included
MAX_DEPTH = 32  # nesting of one JSON value (an article needs 2)
MAX_BROKEN_ROWS = 20  # broken rows reported before the rest of a file is given up
MAX_SECONDS = 120.0  # reading one file (not extracting its articles)
UNPACKED_FACTOR = 8  # a workbook may unpack to this many times --max-size
MAX_ZIP_MEMBERS = 10_000
# trafilatura's time grows faster than the page: 10,000 elements take seconds,
# 80,000 minutes. Past this many, a page's visible text is read instead.
MAX_HTML_ELEMENTS = 25_000


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds for reading one input; `for_size` derives them from --max-size."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cells: int = MAX_CELLS
    max_depth: int = MAX_DEPTH
    max_broken_rows: int = MAX_BROKEN_ROWS
    max_seconds: float = MAX_SECONDS
    max_unpacked: int = UNPACKED_FACTOR * DEFAULT_MAX_BYTES
    max_zip_members: int = MAX_ZIP_MEMBERS
    max_html_elements: int = MAX_HTML_ELEMENTS

    @classmethod
    def for_size(cls, max_bytes: int) -> Limits:
        """A file may be as large as --max-size, a workbook may unpack to a
        fixed multiple of it, and one CSV cell may be as long as the file."""
        return cls(max_bytes=max_bytes, max_unpacked=UNPACKED_FACTOR * max_bytes)

    @property
    def max_field(self) -> int:
        """Characters in one cell: a long article is real, so a whole CSV file may be
        one cell; a workbook cell (unpacked from a ZIP) may be no longer."""
        return self.max_bytes

    def clock(self) -> Deadline:
        return Deadline(self.max_seconds)


class LimitExceeded(Exception):
    """An input is over one of the `Limits`; `reason` is the user message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Deadline:
    """Time spent reading one file; `check` raises once it is over the limit."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise LimitExceeded(f"reading took longer than {self.seconds:g} seconds (the limit); split the file")


def count(n: int) -> str:
    """10000 → "10,000", as limits are shown in messages."""
    return f"{n:,}"


def format_size(size: float) -> str:
    """Sizes the way a file manager shows them: 25.3 MB, 20 MB, 512 bytes."""
    if size < 1024:
        return f"{int(size)} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")


DEFAULT_LIMITS = Limits()  # frozen: safe to share as a default argument
