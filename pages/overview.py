"""개요: headline figures, newest projects and articles, funding at a glance, last load."""
from __future__ import annotations

import streamlit as st

from db import queries
from ui import charts, data, nav, view
from ui.filters import empty_notice
from ui.format import count, day, scale_formula, won
from ui.safe import md
from vocab import vocabulary


def last_load_line() -> str:
    run = data.cached(queries.latest_run)()
    if run is None:
        return "적재 기록이 없습니다."
    return f"마지막 적재: {day(run['finished_at'])} UTC · 읽음 {count(run['n_read'], '건')}, 신규 {count(run['n_new'], '건')}, 거부 {count(run['n_rejected'], '건')}"


def last_load_changes() -> None:
    """What the newest load added: new projects and changed figures, as links."""
    changes = data.cached(queries.last_load_changes)()
    if changes.run is None or (changes.n_new_projects == 0 and changes.n_changed_projects == 0):
        return
    title = f"마지막 적재로 바뀐 것: 새 사업 {count(changes.n_new_projects, '개')}, 금액이 바뀐 사업 {count(changes.n_changed_projects, '개')}"
    box = st.expander(title, icon=":material/update:", key="last_load_changes", on_change="rerun")
    with box:
        if not box.open:  # the links are drawn only when the reader opens the list
            return
        for row in changes.new_projects.itertuples():
            nav.link("projects", f"새 사업 · {md(row.name)} · {row.sido or '시도 미상'}", project=row.id)
        for row in changes.changed.itertuples():
            before = won(row.previous)  # '-' when the role had no figure before
            nav.link("projects", f"{md(row.name)} · {row.label} {'없음' if before == '-' else before} → {won(row.krw)}", project=row.project_id)
        if len(changes.new_projects) < changes.n_new_projects or changes.changed["project_id"].nunique() < changes.n_changed_projects:
            st.caption("처음 몇 건만 보입니다. 전체는 사업 페이지에서 볼 수 있습니다.")


def main() -> None:
    f = view.header("개요", "기사에서 추출한 지역 산업정책 사업과 금액 한눈에 보기")
    st.caption(last_load_line())
    last_load_changes()
    h = data.cached(queries.headline)(f)
    c = st.columns(3)
    c[0].metric("기사", count(h.articles, "건"))
    c[1].metric("사업", count(h.projects, "개"))
    c[2].metric("지역(시군구·시도)", count(h.regions, "곳"))
    roles = dict(zip(h.by_role["role"], h.by_role["krw"]))
    labels = vocabulary().role_labels
    cols = [col for _ in range(0, len(labels), 3) for col in st.columns(3)]  # rows of three: "2,498조 3,456억원" needs the width
    for col, (role, label) in zip(cols, labels.items()):
        col.metric(label, won(roles.get(role, 0)))
    c = st.columns(3)
    c[0].metric("사업 규모", won(h.scale), help=scale_formula(vocabulary()))
    c[1].metric("투자 유치", won(h.investment), help="기업이 약속한 투자(투자협약·투자 유치). 사업 규모에 더하지 않습니다.")
    c[2].metric("일자리", count(h.jobs, "명"), help="사업별로 기사에 보도된 가장 큰 일자리(고용) 수의 합계입니다.")
    view.doubt_note(f)
    if h.articles == 0 and h.projects == 0:
        empty_notice(f, "기사나 사업")
        return
    # One ranking at a time, in tabs that run only when chosen: the first visit draws one chart.
    by_region_tab, by_industry_tab = st.tabs(["지역별 사업 규모", "산업별 사업 규모"], key="overview_tabs", on_change="rerun")
    with by_region_tab:
        if by_region_tab.open:
            by_region = data.cached(queries.funding_by_region)(f)
            view.chart(charts.ranked_bar(by_region, "name", "krw", money=True), by_region, "지역별_사업규모")
            view.doubt_note(f, "scale")
    with by_industry_tab:
        if by_industry_tab.open:
            by_industry = data.cached(queries.funding_by_industry)(f)
            view.chart(charts.ranked_bar(by_industry, "industry", "krw", money=True), by_industry, "산업별_사업규모")
            view.doubt_note(f, "scale")
    left, right = st.columns(2)
    with left:
        st.subheader("최근 사업")
        for row in data.cached(queries.newest_projects)(f, 8).itertuples():
            nav.link("projects", f"{md(row.name)} · {row.status or '상태 미상'} · {day(row.last_published)}", project=row.id)
    with right:
        st.subheader("최근 기사")
        articles, _total = data.cached(queries.article_list)(f, 8)
        for row in articles.itertuples():
            nav.link("articles", f"{day(row.published)} · {md(row.title[:60])}", article=row.id)


if __name__ == "__main__":
    nav.entry(main)
