"""The floor page: the least a dashboard page in this stack can do, for timing.

    .venv/bin/python -m streamlit run bench/floor.py

One Streamlit page with a five-widget sidebar, one 17-bar plotly chart and a
500-row table, built from data made in memory (no database). `bench/browser.py`
opens it next to the dashboard's pages in the same run; nothing in this stack
can render faster, so each page's time is read as a multiple of this one.
"""
from __future__ import annotations

import random
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

REGIONS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주")


@st.cache_data(show_spinner=False)
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """17 bars and 500 rows, the sizes of the dashboard's charts and tables."""
    rng = random.Random(7)
    bars = pd.DataFrame({"지역": REGIONS, "금액": [rng.randint(10**10, 10**13) for _ in REGIONS]})
    rows = pd.DataFrame({
        "사업": [f"사업 {i}" for i in range(500)],
        "지역": [rng.choice(REGIONS) for _ in range(500)],
        "금액": [rng.randint(10**9, 10**12) for _ in range(500)],
        "기사": [rng.randint(1, 40) for _ in range(500)],
    })
    return bars, rows


def main() -> None:
    st.set_page_config(page_title="floor", layout="wide", initial_sidebar_state="expanded")
    with st.sidebar:
        st.date_input("기간", (date(2023, 1, 1), date(2025, 12, 31)))
        st.multiselect("지역", REGIONS)
        st.multiselect("산업", ("반도체", "이차전지", "수소"))
        st.multiselect("재원", ("국비", "지방비", "민자"))
        st.text_input("검색어")
    st.title("floor")
    bars, rows = frames()
    fig = go.Figure(go.Bar(x=bars["금액"], y=bars["지역"], orientation="h"))
    fig.update_layout(height=480, margin=dict(l=0, r=0, t=10, b=0))
    st.plotly_chart(fig, width="stretch")
    st.dataframe(rows, hide_index=True)


main()
