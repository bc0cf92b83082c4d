"""`python -m etl export`: projects, amounts, periods and jobs as CSV files or one Excel workbook.

For colleagues who do not use the dashboard. The tables come from
`db.exports`; this module only writes them. CSV files are UTF-8 with a byte
order mark, which Excel needs to show Korean text correctly when a file is
opened by double-click.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import exports
from etl.errors import ConfigurationError

TABLES = {"projects": exports.projects, "amounts": exports.amounts, "periods": exports.periods, "jobs": exports.jobs}
CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM


class ExportError(ConfigurationError):
    """The output path cannot be used (a configuration error: exit status 2, message shown as is)."""


def export(engine: Engine, out: str | Path) -> list[Path]:
    """Write the tables to `out`: a folder (one CSV per table) or a path ending in .xlsx
    (one sheet per table). Returns the files written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix in (".csv", ".xls", ".xlsm", ".ods"):
        raise ExportError(f"{out}: give a folder for CSV files or a file name ending in .xlsx")
    if suffix != ".xlsx" and out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder: give a folder for CSV files or a .xlsx path")
    with Session(engine) as session:
        frames = {name: query(session) for name, query in TABLES.items()}
    if suffix == ".xlsx":
        return [_write_workbook(frames, out)]
    return _write_csv(frames, out)


def _write_csv(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in frames.items():
        path = folder / f"{name}.csv"
        df.to_csv(path, index=False, encoding=CSV_ENCODING)
        written.append(path)
    return written


def _write_workbook(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in frames.items():
            df.to_excel(writer, sheet_name=name, index=False)
    return path
