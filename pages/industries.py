"""산업: funding and projects by industry, regions within each industry, trend by year."""
from __future__ import annotations

import streamlit as st

from db import queries
from ui import charts, data, nav, state, view
from ui.filters import empty_notice

METRICS = {"funding": "사업 규모(원)", "projects": "사업 수"}
TREND_LINES = 6  # industries drawn as their own line; the rest are one line


def main() -> None:
    f = view.header("산업", "산업별 사업 규모와 사업 수, 산업 안의 지역 구성, 연도별 추이")
    metric_param = state.Param("metric", "funding", state.choice_parser(list(METRICS), many=False), state.dump_one, "기준")
    key = state.bind(metric_param)
    st.radio("기준", list(METRICS), key=key, format_func=METRICS.get, horizontal=True)
    metric = state.value(metric_param)
    money = metric == "funding"
    by_industry = data.cached(queries.funding_by_industry)(f)
    if by_industry.empty:
        empty_notice(f, "산업별 사업")
        return
    # One ranking, by the chosen 기준: the two side by side cost the first visit a second chart.
    st.subheader(f"산업별 {charts.METRIC_LABELS[metric]}")
    view.chart(charts.ranked_bar(by_industry, "industry", "krw" if money else "projects", money=money), by_industry, "산업별")
    if money:
        view.doubt_note(f, "scale")
    # Below the first screen, each in an expander that runs only when opened: the first
    # visit computes and draws one bar chart, not a 400-cell treemap nobody has asked for yet.
    composition = st.expander("산업 안의 지역 구성", key="industry_composition", on_change="rerun", icon=":material/grid_view:")
    with composition:
        if composition.open:
            matrix = data.cached(queries.region_industry_matrix)(f, metric)
            view.chart(charts.treemap(matrix, money=money), matrix, "산업별_시도")
            if money:
                view.doubt_note(f, "scale")
    trend_box = st.expander("연도별 추이", key="industry_trend", on_change="rerun", icon=":material/show_chart:")
    with trend_box:
        if trend_box.open:
            trend(f, money)


def trend(f, money: bool) -> None:
    """Per year, the largest industries and the rest as one line."""
    if money:
        rows = data.cached(queries.industry_by_year)(f)
        view.chart(charts.lines(rows, "year", "industry", "krw", money=True, top=TREND_LINES), rows, "산업별_연도별_규모")
        view.doubt_note(f, "scale")
        st.caption(f"연도: 기사에 적힌 예산 연도, 없으면 기사 연도. 합계가 큰 {TREND_LINES}개 산업과 그 외 산업의 합계.")
    else:
        rows = data.cached(queries.industry_projects_by_year)(f)
        view.chart(charts.lines(rows, "year", "industry", "projects", money=False, top=TREND_LINES), rows, "산업별_연도별_사업수")
        st.caption(f"연도: 사업이 처음 보도된 해. 사업이 많은 {TREND_LINES}개 산업과 그 외 산업의 합계.")

if __name__ == "__main__":
    nav.entry(main)
