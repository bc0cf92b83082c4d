"""일정: project periods as a Gantt chart over years, status events as markers."""
from __future__ import annotations

import streamlit as st

from db import queries
from ui import charts, data, nav, state, view
from ui.filters import empty_notice

LIMITS = (20, 40, 80)


def main() -> None:
    f = view.header("일정", "사업 기간(막대)과 선정·지정·협약·착공 등 상태 변화(표식)")
    limit_param = state.Param("rows", 40, state.int_choice(LIMITS), state.dump_one, "표시 개수")
    key = state.bind(limit_param)
    st.segmented_control("표시할 사업 수", LIMITS, key=key)
    limit = state.value(limit_param) or 40
    t = data.cached(queries.timeline)(f, int(limit))
    if t.periods.empty:
        empty_notice(f, "기간 자료가 있는 사업")
        return
    st.caption(f"기간 자료가 있는 사업 {t.total:,}개 중 기사가 많은 순(같으면 최근 보도 순)으로 {len(t.periods):,}개 · "
               "빗금 막대: 종료 연도만 알려진 기간(?–종료 연도)")
    view.chart(charts.gantt(t.periods, t.events), t.periods, "사업기간")
    events = st.expander(f"상태 변화 {len(t.events):,}건", key="timeline_events", on_change="rerun")
    with events:
        if events.open:  # the table is built only when the reader opens it
            view.table(t.events, "상태변화")


if __name__ == "__main__":
    nav.entry(main)
