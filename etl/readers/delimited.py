"""CSV files with one article per row (Excel "Save as CSV", scraper dumps).

The csv module in strict mode raises on a broken quote, but by then it has
swallowed every line up to the end of the file. `parse_csv` therefore
restarts after the line where the broken row began, so one stray quote costs
one row, not the rest of the file. Each restart may read to the end of the
file again, so after `max_broken_rows` the rest of the file is given up.

The csv module's own cell limit (128 K characters) would call a long article
a broken quote; it is raised to the size of the file (`Limits.max_field`).
A file over the row, column or cell limits is rejected whole, before any of
its articles is read.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from etl.readers.base import Input
from etl.readers.decode import DecodeError, decode_text
from etl.readers.fields import match_columns, missing_body_reason, pick, row_document
from etl.readers.limits import DEFAULT_LIMITS, LimitExceeded, Limits, count
from etl.records import Document, Rejection

_DELIMITERS = (",", "\t", ";", "|")
_UNCLOSED = ("unexpected end of data", "field larger than field limit")


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One parsed row; `row` counts like a spreadsheet (header = row 1)."""

    row: int
    line: int
    cells: list[str]


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """A row that could not be parsed, with a message for the user."""

    row: int
    line: int
    message: str


def guess_delimiter(text: str, suffix: str = "") -> str:
    """Tab for .tsv, else whichever of , TAB ; | occurs most in the header line."""
    if suffix == ".tsv":
        return "\t"
    first = text.lstrip("\ufeff\n").split("\n", 1)[0]
    best = max(_DELIMITERS, key=first.count)
    return best if first.count(best) else ","


def parse_csv(text: str, delimiter: str = ",", limits: Limits = DEFAULT_LIMITS) -> Iterator[CsvRecord | CsvProblem]:
    """Rows of `text`, with each broken row reported and skipped.

    A row that spans several lines and ends up with a different number of
    cells than the header is also a broken quote (one that happened to be
    closed by a quote in a later row), and is reported the same way.
    Raises `LimitExceeded` past the row, column, cell or time limits.
    """
    allow_long_cells(limits.max_field)
    budget = _Budget(limits)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start, row, width, broken = 0, 0, None, 0
    while start < len(lines):
        reader = csv.reader((line + "\n" for line in lines[start:]), delimiter=delimiter, strict=True)
        consumed = 0
        restart = None
        try:
            for cells in reader:
                row += 1
                budget.charge(row, len(cells))
                first_line = start + consumed + 1
                spanned = reader.line_num - consumed
                consumed = reader.line_num
                if width is None and any(c.strip() for c in cells):
                    width = len(cells)
                elif spanned > 1 and width is not None and len(cells) != width:
                    yield CsvProblem(row, first_line, _unclosed(first_line))
                    restart = first_line  # resume on the line after the broken row's first line
                    break
                yield CsvRecord(row, first_line, cells)
        except csv.Error as exc:
            row += 1
            first_line = start + consumed + 1
            yield CsvProblem(row, first_line, _csv_error_message(str(exc), first_line, reader.line_num - consumed))
            restart = first_line
        if restart is None:
            return
        broken += 1
        if broken >= limits.max_broken_rows and restart < len(lines):
            yield CsvProblem(row + 1, restart + 1, f"more than {limits.max_broken_rows} broken rows (the limit): "
                                                   f"lines {restart + 1}-{len(lines)} were not read")
            return
        start = restart


def allow_long_cells(characters: int) -> None:
    """Raise the csv module's cell limit (process-wide) to at least `characters`."""
    if csv.field_size_limit() < characters:
        csv.field_size_limit(characters)


class _Budget:
    """Counts rows and cells against `Limits` and watches the clock."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0
        self.clock = limits.clock()

    def charge(self, row: int, cells: int) -> None:
        limits = self.limits
        if row > limits.max_rows:
            raise LimitExceeded(f"more than {count(limits.max_rows)} rows (the limit); split the file")
        if cells > limits.max_columns:
            raise LimitExceeded(f"row {row} has {count(cells)} cells, more than the {count(limits.max_columns)} "
                                "column limit; is the delimiter right?")
        self.cells += cells
        if self.cells > limits.max_cells:
            raise LimitExceeded(f"more than {count(limits.max_cells)} cells (the limit); split the file")
        self.clock.check()


def _csv_error_message(error: str, line: int, spanned: int) -> str:
    """Translate the csv module's error into something a spreadsheet user can fix."""
    if spanned > 1 or any(marker in error for marker in _UNCLOSED):
        return _unclosed(line)
    if "expected after" in error:
        return f'broken quote on line {line}: text follows the closing quote (") of a cell'
    return f"malformed CSV on line {line}: {error}"


def _unclosed(line: int) -> str:
    return f'broken quote: a quoted cell (") that starts on line {line} is never closed'


class CsvReader:
    name = "csv"
    extensions = (".csv", ".tsv")

    def sniff(self, item: Input) -> bool:
        return False  # CSV has no reliable signature; the extension decides

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        try:
            text = decode_text(item.data)
        except DecodeError as exc:
            yield item.reject(exc.reason)
            return
        if not text.strip():
            yield item.reject("empty file")
            return
        columns: dict[str, int] | None = None
        records = list(parse_csv(text, guess_delimiter(text, item.suffix), item.limits))  # limits first
        for record in records:
            source = f"{item.source}#row {record.row}"
            if isinstance(record, CsvProblem):
                yield Rejection(source=source, reason=record.message)
                continue
            if not any(cell.strip() for cell in record.cells):
                continue
            if columns is None:
                columns = match_columns(record.cells)
                if "body" not in columns:
                    yield item.reject(missing_body_reason(record.cells))
                    return
                continue
            yield row_document(
                pick(record.cells, columns), source=source, fallback_id=f"{item.stem}#{record.row}", fmt="csv"
            )
