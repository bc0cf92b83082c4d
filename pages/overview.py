"""개요: headline figures, newest projects and articles, funding at a glance, last load."""
from __future__ import annotations

import streamlit as st

from db.filters import ROLE_LABELS
from ui import charts, data, nav, view
from ui.filters import empty_notice
from ui.format import count, day, won


def last_load_line() -> str:
    run = data.query("latest_run")
    if run is None:
        return "적재 기록이 없습니다."
    return f"마지막 적재: {day(run['finished_at'])} · 읽음 {count(run['n_read'], '건')}, 신규 {count(run['n_new'], '건')}, 거부 {count(run['n_rejected'], '건')}"


def main() -> None:
    f = view.header("개요", "기사에서 추출한 지역 산업정책 사업과 금액 한눈에 보기")
    st.caption(last_load_line())
    h = data.query("headline", f)
    c = st.columns(3)
    c[0].metric("기사", count(h.articles, "건"))
    c[1].metric("사업", count(h.projects, "개"))
    c[2].metric("지역(시군구·시도)", count(h.regions, "곳"))
    roles = dict(zip(h.by_role["role"], h.by_role["krw"]))
    cols = st.columns(len(ROLE_LABELS))
    for col, (role, label) in zip(cols, ROLE_LABELS.items()):
        col.metric(label, won(roles.get(role, 0)))
    if h.articles == 0 and h.projects == 0:
        empty_notice(f, "기사나 사업")
        return
    left, right = st.columns(2)
    with left:
        st.subheader("지역별 사업 규모")
        by_region = data.query("funding_by_region", f)
        view.chart(charts.ranked_bar(by_region, "name", "krw", money=True), by_region, "지역별_사업규모")
    with right:
        st.subheader("산업별 사업 규모")
        by_industry = data.query("funding_by_industry", f)
        view.chart(charts.ranked_bar(by_industry, "industry", "krw", money=True), by_industry, "산업별_사업규모")
    left, right = st.columns(2)
    with left:
        st.subheader("최근 사업")
        for row in data.query("newest_projects", f, 8).itertuples():
            nav.link("projects", f"{row.name} · {row.status or '상태 미상'} · {day(row.last_published)}", project=row.id)
    with right:
        st.subheader("최근 기사")
        articles, _total = data.query("article_list", f, 8)
        for row in articles.itertuples():
            nav.link("articles", f"{day(row.published)} · {row.title[:60]}", article=row.id)


if __name__ == "__main__":
    nav.entry(main)
