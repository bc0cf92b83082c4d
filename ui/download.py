"""CSV and Excel downloads of the data behind a table or chart.

The files are built only when the reader clicks (callable `data`), so a page
with many tables does not pay for Excel files nobody asks for. Both are made
by `db.exports`, like the CLI export, so that text from articles never opens
as a formula.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from db.exports import csv_bytes, workbook_bytes


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel on Korean Windows opens Hangul correctly."""
    return csv_bytes(df)


def to_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    return workbook_bytes({sheet: df})


def buttons(df: pd.DataFrame, name: str, key: str | None = None) -> None:
    """Two small buttons: CSV and Excel of `df`, named `<name>.csv/.xlsx`."""
    key = key or name
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "CSV", lambda: to_csv(df), file_name=f"{name}.csv", mime="text/csv",
        key=f"dl_csv_{key}", on_click="ignore", icon=":material/download:",
    )
    row.download_button(
        "Excel", lambda: to_xlsx(df), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{key}", on_click="ignore", icon=":material/download:",
    )
