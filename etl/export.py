"""`python -m etl export`: projects, amounts, periods and jobs as CSV files or one Excel workbook.

For colleagues who do not use the dashboard. The tables come from
`db.exports`; this module only writes them. CSV files are UTF-8 with a byte
order mark, which Excel needs to show Korean text correctly when a file is
opened by double-click. The files' bytes come from `db.exports`, which the
dashboard's downloads use too, so text from articles never becomes a formula.

An existing file is never replaced unless `force` is given (`--force`), and
each file is written whole or not at all: it is built in memory, then created
exclusively (or, with `force`, written beside the target and renamed over it).
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import exports
from etl.errors import ConfigurationError
from etl.readers import display_path

TABLES = {"projects": exports.projects, "amounts": exports.amounts, "periods": exports.periods, "jobs": exports.jobs,
          "excluded_amounts": exports.excluded_amounts}
WORKBOOK_SUFFIX = ".xlsx"


class ExportError(ConfigurationError):
    """The output path cannot be used (a configuration error: exit status 2, message shown as is)."""


def export(engine: Engine, out: str | Path, *, force: bool = False) -> list[Path]:
    """Write the tables to `out`: a folder (one CSV per table) or a path ending in .xlsx
    (one sheet per table). Returns the files written."""
    if not str(out).strip():
        raise ExportError("--out is empty: give a folder for CSV files or a file name ending in .xlsx")
    out = Path(out)
    shown = display_path(str(out))
    suffix = out.suffix.lower()
    if suffix in (".csv", ".xls", ".xlsm", ".ods"):
        raise ExportError(f"{shown}: give a folder for CSV files or a file name ending in .xlsx")
    if suffix == WORKBOOK_SUFFIX and out.is_dir():
        raise ExportError(f"{shown} is a folder: give a file name ending in .xlsx, or another folder for CSV files")
    if suffix != WORKBOOK_SUFFIX and out.exists() and not out.is_dir():
        raise ExportError(f"{shown} is a file, not a folder: give a folder for CSV files or a .xlsx path")
    targets = [out] if suffix == WORKBOOK_SUFFIX else [out / f"{name}.csv" for name in TABLES]
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        names = ", ".join(display_path(str(path)) for path in existing)
        raise ExportError(f"{names} already exists: give another --out, or --force to overwrite")
    with Session(engine) as session:
        frames = {name: query(session) for name, query in TABLES.items()}
    if suffix == WORKBOOK_SUFFIX:
        contents = [exports.workbook_bytes(frames)]
    else:
        contents = [exports.csv_bytes(df) for df in frames.values()]
    try:
        for path, data in zip(targets, contents):
            _write(path, data, force=force)
    except OSError as exc:
        where = display_path(str(exc.filename)) if exc.filename else shown
        raise ExportError(f"cannot write {where}: {exc.strerror or exc}") from None
    return targets


def _write(path: Path, data: bytes, *, force: bool) -> None:
    """Create `path` holding `data`; with `force`, replace it in one rename."""
    for parent in path.parents:  # mkdir would call a file in the way "File exists"
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "a file, not a folder", str(parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (force and path.exists()):
        with open(path, "xb") as handle:  # "x": fails if the file appeared meanwhile
            handle.write(data)
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        shutil.copymode(path, temporary)  # keep the replaced file's permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
