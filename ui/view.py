"""Small rendering helpers shared by the pages (header, chart + downloads, tables)."""
from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from db import queries
from db.filters import Filters
from ui import data, download
from ui.filters import describe, region_names
from ui.format import COLUMNS, for_reader, won
from ui.safe import web_url

MONEY_COLUMNS = {COLUMNS[c] for c in ("krw", "investment", "previous")}  # raw won: 807,200,000,000

_FILTERS = "_filters"
PLOTLY_CONFIG = {"displaylogo": False, "locale": "ko", "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def filters() -> Filters:
    """The filters the router read from the sidebar for this run."""
    return st.session_state.get(_FILTERS, Filters())


def set_filters(f: Filters) -> None:
    st.session_state[_FILTERS] = f


def header(title: str, what: str) -> Filters:
    """Page title, what the page shows and the active filters; returns the filters."""
    f = filters()
    st.title(title)
    st.caption(f"{what} · 조건: {describe(f, region_names())}")
    return f


def chart(fig: go.Figure, df: pd.DataFrame, name: str, **kwargs) -> object:
    """A plotly chart with CSV/Excel downloads of the data behind it (Korean headers)."""
    kwargs.setdefault("key", f"chart_{name}")
    event = st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, **kwargs)
    download.buttons(for_reader(df), name)
    return event


def doubt_note(f: Filters, measure: str = "krw") -> None:
    """Say how much doubtful money (db.doubt) the money shown above includes: `measure`
    is the part of `queries.Doubt` it can hold (krw: every role; scale: 사업 규모; investment)."""
    if f.sure_only:
        st.caption("의심 금액 제외: 왼쪽 필터에서 '의심 금액 제외'를 끄면 포함합니다.")
        return
    amount = getattr(data.cached(queries.doubtful_money)(f), measure)
    if not amount:
        st.caption("의심 금액 없음")
        return
    st.caption(f"의심 금액 {won(amount)} 포함 · 왼쪽 필터 '의심 금액 제외'로 뺄 수 있습니다 (목록: 예산).")


def _blank_missing(df: pd.DataFrame, keep: Sequence[str] = ()) -> tuple[pd.DataFrame, list[str]]:
    """Missing values as empty cells, and the numeric columns that became text.

    st.dataframe prints "None" in any missing cell (and 2025.0 for whole
    numbers in a column with a gap), so a numeric column with gaps is shown as
    text: '807,200,000,000' for won, '2024' for years. Link columns (`keep`)
    stay None: an empty string would be a link to this page.
    """
    out = df.copy()
    as_text: list[str] = []
    for col in out.columns:
        s = out[col]
        if col in keep or not s.isna().any():
            continue
        if pd.api.types.is_numeric_dtype(s):
            money = col in MONEY_COLUMNS
            out[col] = pd.Series(["" if pd.isna(v) else _number(v, money) for v in s], index=s.index, dtype=object)
            as_text.append(col)
        else:
            out[col] = s.astype(object).where(s.notna(), "")
    return out, as_text


def _number(v: float, money: bool) -> str:
    if float(v).is_integer():
        return f"{int(v):,}" if money else str(int(v))
    return f"{v:,.1f}"


def table(
    df: pd.DataFrame, name: str, *, column_config: dict | None = None, links: Sequence[str] = (),
    height: int | str = "auto", **kwargs,
) -> object:
    """A dataframe with CSV/Excel downloads, both with Korean headers and without internal keys.

    `links` name (query) columns of URLs: they become link cells, and only
    http(s) addresses stay in them (`ui.safe.web_url`). `column_config` is
    keyed by the Korean header.
    """
    df = df.assign(**{c: df[c].map(web_url) for c in links if c in df.columns})
    reader = for_reader(df)
    display, as_text = _blank_missing(reader, [COLUMNS.get(c, c) for c in links])
    config = {c: st.column_config.NumberColumn(c, format="localized", width="medium") for c in reader.columns if c in MONEY_COLUMNS}
    config.update({COLUMNS.get(c, c): st.column_config.LinkColumn(COLUMNS.get(c, c)) for c in links})
    config.update(column_config or {})
    for c in as_text:  # numbers shown as text (gaps): keep them right-aligned like numbers
        given = config.get(c)
        label = given.get("label") if isinstance(given, dict) else given if isinstance(given, str) else None
        config[c] = st.column_config.TextColumn(label or c, alignment="right", width="medium" if c in MONEY_COLUMNS else None)
    shown = st.dataframe(display, hide_index=True, column_config=config, height=height, width="stretch", **kwargs)
    download.buttons(reader, name)
    return shown


def text_heading(text: str | None) -> None:
    """An article-derived title as a heading that renders no markdown (ui.safe)."""
    st.html(f'<h2 style="margin:0 0 0.25rem 0;font-weight:600">{html.escape(text or "")}</h2>')


def text_caption(text: str | None) -> None:
    """Article-derived text (a byline) as a caption that renders no markdown."""
    st.html(f'<p style="margin:0;color:rgba(49,51,63,0.6);font-size:0.875rem">{html.escape(text or "")}</p>')


def facts(pairs: list[tuple[str, str]]) -> None:
    """A row of label/value pairs that wrap instead of being cut off (st.metric
    truncates '전북특별자치도' and a date range in a quarter of the page)."""
    cells = "".join(
        f'<div style="min-width:7rem"><div style="font-size:0.875rem;color:rgba(49,51,63,0.6)">{html.escape(label)}</div>'
        f'<div style="font-size:1.35rem;line-height:1.4" data-testid="fact-value">{html.escape(value)}</div></div>'
        for label, value in pairs
    )
    st.html(f'<div style="display:flex;flex-wrap:wrap;gap:0.5rem 2.5rem;margin:0.25rem 0 0.75rem 0">{cells}</div>')


def fact_line(head: str, text: str | None) -> None:
    """'**국비 640억원** · 640억원', the text from the article shown as text (no markdown)."""
    tail = f" · {html.escape(text)}" if text else ""
    st.html(f'<p style="margin:0.5rem 0 0.25rem 0"><b>{html.escape(head)}</b>{tail}</p>')
