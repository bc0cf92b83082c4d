"""지역: map by 시도 (drill-down to 시군구), 시도 × 산업 heatmap, comparison of 2-4 regions."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from db import queries
from ui import charts, data, geo, nav, state, view
from ui.filters import REGION_PICKER, empty_notice, region_names
from vocab import vocabulary

METRICS = {"funding": "사업 규모(원)", "projects": "사업 수"}


def params(names: dict[str, str]) -> dict[str, state.Param]:
    sidos = [c for c in names if len(c) == 2]
    aliases = state.region_aliases(names)
    return {
        "metric": state.Param("metric", "funding", state.choice_parser(list(METRICS), many=False), state.dump_one, "지도 기준"),
        "sido": state.Param("sido", None, state.choice_parser(sidos, aliases, many=False), state.dump_one, "시도"),
        "compare": state.Param("compare", [], state.choice_parser(list(names), aliases, limit=4), state.dump_list, "비교 지역"),
    }


def pick_region(map_key: str, sido_key: str) -> None:
    """Clicking a 시도 on the map drills down into it."""
    points = st.session_state[map_key].selection.points if st.session_state.get(map_key) else []
    codes = [p.get("customdata") for p in points if isinstance(p.get("customdata"), str)]
    if codes and len(codes[0]) == 2:
        st.session_state[sido_key] = codes[0]


def region_map(f, metric: str, sido: str | None, names: dict[str, str], sido_key: str) -> None:
    money = metric == "funding"
    df = data.cached(queries.funding_by_region)(f, sido)
    shown = df.assign(value=df["krw" if money else "projects"])
    title = f"{names.get(sido, sido)} 시군구별 {METRICS[metric]}" if sido else f"시도별 {METRICS[metric]}"
    values = tuple(zip(shown["code"].astype(str), shown["value"].astype(float)))
    fig = geo.map_figure("sigungu" if sido else "sido", sido, values, money=money, title=title)
    if fig is None:
        st.caption("지도 경계 자료(ui/data/*.geojson)가 없어 막대그래프로 보여 줍니다.")
        fig = charts.ranked_bar(shown, "name", "value", money=money, title=title)
        view.chart(fig, shown[["code", "name", "krw", "projects"]], "지역별")
        if money:
            view.doubt_note(drilled(f, sido), "scale")
        return
    kwargs = {} if sido else {"key": "region_map", "on_select": lambda: pick_region("region_map", sido_key), "selection_mode": "points"}
    view.chart(fig, shown[["code", "name", "krw", "projects"]], "지역별", **kwargs)
    if money:
        view.doubt_note(drilled(f, sido), "scale")


def drilled(f, sido: str | None):
    """The filters of the figures the map shows: a chosen 시도 stands for an empty region filter."""
    return replace(f, regions=(sido,)) if sido and not f.regions else f


def comparison(f, codes: list[str], names: dict[str, str]) -> None:
    label = {c: names.get(c, c) for c in codes}
    roles = data.cached(queries.compare_roles)(f, tuple(codes))
    roles = roles.assign(region=roles["code"].map(label))
    # Titles above the charts, not in them: a plotly title sits where the legend is.
    st.markdown("**금액 구분별**")
    view.chart(charts.grouped_bars(roles, "label", "region", "krw", money=True), roles, "지역비교_구분별")
    compared = replace(f, regions=tuple(codes))  # the region filter is replaced by the compared regions
    view.doubt_note(compared)
    left, right = st.columns(2)
    with left:
        st.markdown("**산업별 사업 수**")
        inds = data.cached(queries.compare_industries)(f, tuple(codes))
        inds = inds.assign(region=inds["code"].map(label))
        view.chart(charts.grouped_bars(inds, "industry", "region", "projects", money=False), inds, "지역비교_산업별")
    with right:
        st.markdown("**연도별 사업 규모**")
        years = data.cached(queries.compare_years)(f, tuple(codes))
        years = years.assign(region=years["code"].map(label))
        view.chart(charts.lines(years, "year", "region", "krw", money=True), years, "지역비교_연도별")
        view.doubt_note(compared, "scale")


def industry_matrix(f, metric: str) -> None:
    """The 시도 × 산업 heatmap of the chosen metric."""
    matrix = data.cached(queries.region_industry_matrix)(f, metric)
    if matrix.empty:
        empty_notice(f, "사업")
        return
    view.chart(charts.heatmap(matrix, money=metric == "funding", industries=list(vocabulary().industry_labels)), matrix, "시도x산업")
    if metric == "funding":
        view.doubt_note(f, "scale")


def main() -> None:
    f = view.header("지역", "시도·시군구별 사업 규모와 사업 수, 지역 × 산업, 지역 비교")
    names = region_names()
    p = params(names)
    keys = {k: state.bind(v) for k, v in p.items()}
    c1, c2 = st.columns([1, 1])
    c1.radio("지도 기준", list(METRICS), key=keys["metric"], format_func=METRICS.get, horizontal=True)
    sidos = [c for c in names if len(c) == 2]
    c2.selectbox("시군구로 보기 (시도 선택)", sidos, key=keys["sido"], format_func=lambda c: names.get(c, c), index=None,
                 placeholder="전국 (시도별)", filter_mode="contains")
    metric, sido = state.value(p["metric"]), state.value(p["sido"])
    if not names:
        empty_notice(f, "지역 자료")
        return
    region_map(f, metric, sido, names, keys["sido"])
    # Below the map, run only when opened: the first visit draws the map, not 400 heatmap cells.
    matrix_box = st.expander("시도 × 산업", key="region_matrix", on_change="rerun", icon=":material/grid_on:")
    with matrix_box:
        if matrix_box.open:
            industry_matrix(f, metric)
    st.subheader("지역 비교")
    st.multiselect("비교할 지역 (2~4곳)", list(names), key=keys["compare"], format_func=lambda c: names.get(c, c), max_selections=4,
                   placeholder="지역을 두 곳 이상 고르세요", **REGION_PICKER)
    codes = list(state.value(p["compare"]))[:4]
    if len(codes) < 2:
        st.info("비교하려면 지역을 두 곳 이상 고르세요. 지역 필터 대신 이 선택이 적용됩니다.")
        return
    comparison(f, codes, names)


if __name__ == "__main__":
    nav.entry(main)
