"""예산: won by role, by region and by year; the largest projects."""
from __future__ import annotations

import streamlit as st

from db import queries
from ui import charts, data, nav, view
from ui.filters import empty_notice
from ui.format import scale_formula, won
from ui.safe import md
from vocab import vocabulary


CONFLICTS_SHOWN = 200  # newest first; the count above covers them all

def main() -> None:
    f = view.header("예산", "금액 구분(국비·지방비·민자·투자)별, 지역별, 연도별 금액 — 같은 금액은 한 번만 셉니다")
    by_role = data.cached(queries.funding_by_role)(f)
    if by_role.empty:
        empty_notice(f, "금액")
        return
    # One breakdown at a time, in tabs that run only when chosen: the first visit draws one chart, not three.
    by_roles, by_sido, by_year = st.tabs(["금액 구분별 합계", "시도별 · 구분별", "연도별 · 구분별"], key="funding_tabs", on_change="rerun")
    with by_roles:
        if by_roles.open:
            view.chart(charts.role_bar(by_role), by_role, "구분별_금액")
            view.doubt_note(f)
    with by_sido:
        if by_sido.open:
            by_region = data.cached(queries.funding_by_region_role)(f)
            view.chart(charts.stacked_roles(by_region, "sido", horizontal=True), by_region, "시도별_구분별_금액")
            view.doubt_note(f)
    with by_year:
        if by_year.open:
            years = data.cached(queries.funding_by_year)(f)
            view.chart(charts.stacked_roles(years, "year"), years, "연도별_구분별_금액")
            view.doubt_note(f)
            st.caption("연도: 기사에 적힌 예산 연도, 없으면 기사 연도. 막대는 셋씩: 총사업비, 그 구성(국비·지방비·민자·기타를 쌓음), 투자 유치. 총사업비는 구성을 이미 포함하므로 쌓지 않습니다.")
    st.subheader("사업 규모 상위 사업")
    top = data.cached(queries.largest_projects)(f, 20)
    view.table(
        top.assign(사업규모=[won(v) for v in top["krw"]], 투자유치=[won(v) if v else "" for v in top["investment"]]),
        "사업규모_상위",
        column_config={
            "이름": "사업명", "사업규모": "사업 규모", "투자유치": "투자 유치",
            "금액(원)": st.column_config.NumberColumn("사업 규모(원)", format="localized", width="medium"),
            "투자 유치(원)": st.column_config.NumberColumn("투자 유치(원)", format="localized", width="medium"),
        },
    )
    st.caption(scale_formula(vocabulary()))
    view.doubt_note(f, "scale")
    n_conflicts = data.cached(queries.conflict_count)(f)
    if n_conflicts:  # an audit list of hundreds of rows: read and sent only when opened
        box = st.expander(f"보도 간 금액 불일치 {n_conflicts:,}건", key="funding_conflicts", on_change="rerun", icon=":material/rule:")
        with box:
            st.caption("같은 사업의 같은 구분을 비슷한 시기에 다르게 보도한 기사들입니다. 합계는 둘을 더하지 않고 최근 기사의 값을 씁니다."
                       + (f" 최근 보도 {CONFLICTS_SHOWN}건을 보여 줍니다." if n_conflicts > CONFLICTS_SHOWN else ""))
            if box.open:
                view.table(data.cached(queries.figure_conflicts)(f, None, CONFLICTS_SHOWN), "금액_불일치")
    doubtful_list(f)


def doubtful_list(f) -> None:
    """Each doubtful figure with why, its sentence and a link to its article."""
    st.subheader("의심 금액")
    rows = data.cached(queries.doubtful_figures)(f)
    if rows.empty:
        st.caption("의심 금액을 제외하고 있습니다." if f.sure_only else "조건에 맞는 의심 금액이 없습니다.")
        return
    st.caption("근거 없이 큰 금액이나 혼자 합계의 대부분을 차지하는 금액입니다. 문장을 읽고 확인하세요.")
    for row in rows.itertuples():
        view.fact_line(f"{row.label} {won(row.krw)} · {row.reason}", row.sentence)
        nav.link("articles", f"기사: {md(row.article_title[:60])}", article=int(row.article_id))


if __name__ == "__main__":
    nav.entry(main)
