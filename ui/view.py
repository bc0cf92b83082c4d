"""Small rendering helpers shared by the pages (header, chart + downloads, tables)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from db.filters import Filters
from ui import download
from ui.filters import describe, region_names

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
    """A plotly chart with CSV/Excel downloads of the data behind it."""
    kwargs.setdefault("key", f"chart_{name}")
    event = st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, **kwargs)
    download.buttons(df, name)
    return event


def table(df: pd.DataFrame, name: str, *, column_config: dict | None = None, height: int | str = "auto", **kwargs) -> object:
    """A dataframe with CSV/Excel downloads."""
    shown = st.dataframe(df, hide_index=True, column_config=column_config, height=height, width="stretch", **kwargs)
    download.buttons(df, name)
    return shown
