"""CSV and Excel downloads of the data behind a table or chart.

The files are built only when the reader clicks (callable `data`), so a page
with many tables does not pay for Excel files nobody asks for. Both pass
through `db.exports.spreadsheet_safe`, like the CLI export, so that text from
articles never opens as a formula.
"""
from __future__ import annotations

from io import BytesIO

import pandas as pd
import streamlit as st

from db.exports import spreadsheet_safe


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel on Korean Windows opens Hangul correctly."""
    return spreadsheet_safe(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    out = BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        # Control characters go first: "\x01=cmd" must not become "=cmd" after the formula check.
        spreadsheet_safe(_excel_safe(df)).to_excel(writer, index=False, sheet_name=sheet[:31] or "data")
    return out.getvalue()


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Excel rejects timezone-aware datetimes and control characters; strip both."""
    clean = df.copy()
    for col in clean.columns:
        if clean[col].dtype == object:
            clean[col] = clean[col].map(lambda v: "".join(ch for ch in v if ch >= " " or ch in "\t\n") if isinstance(v, str) else v)
    return clean


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
