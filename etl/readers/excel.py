"""Excel workbooks: BIGKinds news exports, and other sheets with article columns.

BIGKinds (the Korea Press Foundation's news archive) exports 19 columns whose
spellings changed over the years; they are matched after removing spaces and
punctuation. Rows that BIGKinds itself marks as duplicates (분석제외 여부 =
중복) are skipped without a Rejection: they are not errors, and the article
they duplicate is in the same export. The count is logged at INFO level.

openpyxl parses untrusted zip/XML, and a damaged workbook can fail inside it
with many exception types, so all of openpyxl's work is done in one place
(`load_rows`) that turns any failure into a "damaged" Rejection; mapping the
rows to Documents happens outside that boundary.

A workbook is also untrusted in size: a 2 KB file may declare every cell of
a sheet (A1:XFD1048576), and a small ZIP may unpack to gigabytes. So the ZIP
directory's unpacked sizes are checked before openpyxl opens anything, the
declared dimension is ignored (rows are only as wide as their last cell), and
rows are streamed against the row, column, cell, cell-length and time limits;
a workbook over any of them is rejected whole.
"""
from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime

from etl.readers.base import Input
from etl.readers.decode import OLE2_MAGIC, ZIP_MAGIC, container_kind
from etl.readers.fields import cell_text, header_key, match_columns, missing_body_reason, pick, row_document
from etl.readers.limits import DEFAULT_LIMITS, Deadline, LimitExceeded, Limits, UNPACKED_FACTOR, count, format_size
from etl.records import Document, Rejection, Unchanged

log = logging.getLogger(__name__)

EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
PASSWORD_PROTECTED = "Excel file is password-protected; save an unprotected copy and read that"
DAMAGED = "Excel file is damaged or truncated"
LEGACY_XLS = "old Excel 97-2003 file (.xls); open it in Excel and save it as .xlsx"
NO_SHEET = "Excel file has no worksheet"

_BIGKINDS_MARKERS = ("뉴스식별자", "뉴스id", "분석제외", "특성추출", "통합분류1")
_EXCLUDE_PREFIX = "분석제외"
DUPLICATE_MARK = "중복"

Row = tuple[object, ...]


class WorkbookError(Exception):
    """The workbook could not be opened; `reason` is the user message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExcelReader:
    name = "excel"
    extensions = EXCEL_EXTENSIONS

    def sniff(self, item: Input) -> bool:
        data = item.data
        if data.startswith(ZIP_MAGIC):
            return container_kind(data) == "Excel workbook" or item.suffix in EXCEL_EXTENSIONS
        if data.startswith(OLE2_MAGIC):
            return container_kind(data) in ("password-protected Office file", "Excel 97-2003 workbook") or (
                item.suffix in EXCEL_EXTENSIONS
            )
        return False

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        try:
            rows = load_rows(item.data, item.suffix, item.limits)
        except WorkbookError as exc:
            yield item.reject(exc.reason)
            return
        yield from rows_to_records(rows, item)


def ole2_reason(data: bytes, suffix: str) -> str:
    """Why an OLE2 file given to the Excel reader cannot be read.

    Excel saves password-protected .xlsx files as OLE2 containers holding an
    EncryptedPackage; genuine .xls files are OLE2 too but hold a Workbook.
    """
    kind = container_kind(data)
    if kind == "password-protected Office file":
        return PASSWORD_PROTECTED
    if kind == "Excel 97-2003 workbook" or suffix == ".xls":
        return LEGACY_XLS
    return PASSWORD_PROTECTED


def load_rows(data: bytes, suffix: str = ".xlsx", limits: Limits = DEFAULT_LIMITS) -> list[Row]:
    """All rows of the first worksheet as tuples of cell values.

    Raises `WorkbookError` for a workbook that cannot be read and
    `LimitExceeded` for one over `limits`.
    """
    if data.startswith(OLE2_MAGIC):
        raise WorkbookError(ole2_reason(data, suffix))
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError(DAMAGED)
    check_unpacked_size(data, limits)
    from openpyxl import load_workbook

    clock = limits.clock()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - see module docstring
        log.debug("openpyxl could not open workbook: %r", exc)
        raise WorkbookError(DAMAGED) from None
    try:
        if not workbook.worksheets:
            raise WorkbookError(NO_SHEET)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared A1:XFD1048576 is a claim, not a size
        return bounded_rows(sheet.iter_rows(values_only=True), limits, clock)
    except (WorkbookError, LimitExceeded):
        raise
    except Exception as exc:  # noqa: BLE001 - see module docstring
        log.debug("openpyxl could not read worksheet: %r", exc)
        raise WorkbookError(DAMAGED) from None
    finally:
        workbook.close()


def check_unpacked_size(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose ZIP directory says it unpacks to more than the limit.

    The sizes in the directory are binding: Python's zipfile stops at the
    stated size and fails on the checksum, so a part cannot unpack to more.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:  # openpyxl would fail the same way
        log.debug("not a readable ZIP: %r", exc)
        raise WorkbookError(DAMAGED) from None
    if len(parts) > limits.max_zip_members:
        raise LimitExceeded(f"Excel file holds {count(len(parts))} parts, more than the "
                            f"{count(limits.max_zip_members)} limit")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked:
        raise LimitExceeded(f"Excel file unpacks to {format_size(unpacked)}, more than the "
                            f"{format_size(limits.max_unpacked)} limit ({UNPACKED_FACTOR} times --max-size)")


def bounded_rows(rows: Iterator[Row], limits: Limits, clock: Deadline) -> list[Row]:
    """`rows` collected, stopping with `LimitExceeded` at the first row over a limit."""
    collected: list[Row] = []
    cells = 0
    for number, row in enumerate(rows, start=1):
        if number > limits.max_rows:
            raise LimitExceeded(f"Excel sheet has more than {count(limits.max_rows)} rows (the limit); split it")
        if len(row) > limits.max_columns:
            raise LimitExceeded(f"Excel row {number} reaches column {count(len(row))}, beyond the "
                                f"{count(limits.max_columns)} column limit")
        cells += len(row)
        if cells > limits.max_cells:
            raise LimitExceeded(f"Excel sheet has more than {count(limits.max_cells)} cells (the limit); split it")
        longest = max((len(v) for v in row if isinstance(v, str)), default=0)
        if longest > limits.max_field:
            raise LimitExceeded(f"Excel row {number} has a cell of {count(longest)} characters, more than "
                                f"--max-size allows ({count(limits.max_field)})")
        if number % 256 == 0:
            clock.check()
        collected.append(tuple(row))
    return collected


def is_bigkinds(headers: Sequence[object]) -> bool:
    keys = [header_key(h) for h in headers]
    return any(key.startswith(marker) for key in keys for marker in _BIGKINDS_MARKERS)


def exclude_column(headers: Sequence[object]) -> int | None:
    for index, header in enumerate(headers):
        if header_key(header).startswith(_EXCLUDE_PREFIX):
            return index
    return None


def rows_to_records(rows: Sequence[Row], item: Input) -> Iterator[Document | Rejection]:
    """Documents for the data rows under the first non-empty row (the header)."""
    header_index = next((i for i, row in enumerate(rows) if any(cell_text(c).strip() for c in row)), None)
    if header_index is None:
        yield item.reject("Excel file has no rows")
        return
    headers = [cell_text(c) for c in rows[header_index]]
    columns = match_columns(headers)
    if "body" not in columns:
        yield item.reject(missing_body_reason(headers))
        return
    fmt = "bigkinds" if is_bigkinds(headers) else "xlsx"
    excluded = exclude_column(headers) if fmt == "bigkinds" else None
    duplicates = 0
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(cell_text(c).strip() for c in row):
            continue
        number = index + 1  # the row number Excel shows
        if excluded is not None and excluded < len(row) and DUPLICATE_MARK in cell_text(row[excluded]):
            duplicates += 1
            yield Unchanged(source=f"{item.source}#row {number}")  # counted in the summary, not read
            continue
        fields = pick(row, columns)
        if isinstance(fields.get("published"), datetime):
            fields["published"] = fields["published"].date().isoformat()
        yield row_document(fields, source=f"{item.source}#row {number}", fallback_id=f"{item.stem}#{number}", fmt=fmt)
    if duplicates:
        log.info("%s: skipped %d rows marked 중복 (duplicate) by BIGKinds", item.source, duplicates)
