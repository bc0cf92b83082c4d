"""사업: searchable, sortable project table and a detail view with every figure's source."""
from __future__ import annotations

import streamlit as st

from db.queries import PROJECT_SORTS
from db import queries
from ui import data, editing, nav, state, view
from ui.filters import empty_notice
from ui.format import count, day, period, scale_formula, won
from vocab import vocabulary
from ui.highlight import sentence_with_span
from ui.safe import md, web_url

PROJECT = state.Param("project", None, state.parse_int, state.dump_one, "사업 ID")
SORT = state.Param("sort", "recent", state.choice_parser(list(PROJECT_SORTS), many=False), state.dump_one, "정렬")
TABLE_KEY = "project_table"


def select_row(ids: list[int]) -> None:
    """A click on a table row opens that project (and puts it in the URL)."""
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        state.set_value(PROJECT, ids[rows[0]])


def close_detail() -> None:
    state.set_value(PROJECT, None)


def source_block(row, label: str) -> None:
    """A figure's source sentence with the figure marked, and links to the article."""
    st.html(f"<blockquote style='margin:0 0 4px 0'>{sentence_with_span(row.sentence, row.sentence_start, row.span_start, row.span_end, label)}</blockquote>")
    c1, c2 = st.columns([3, 2])
    with c1:
        nav.link("articles", f"기사: {day(row.published)} {md(str(row.article_title)[:50])}", article=row.article_id)
    url = web_url(row.url)
    if url:
        c2.link_button("원문 기사", url, icon=":material/open_in_new:")


def figure_history(d) -> None:
    """The project's current figures with what they were before (1,280억 → 1,350억), and conflicting reports."""
    if d.history.empty:
        return
    st.subheader("금액 변화")
    for role, rows in d.history.groupby("role", sort=False):
        steps = " → ".join(f"{won(r.krw)} ({day(r.published)}, {md(str(r.outlet or '-'))})" for r in rows.itertuples())
        view.fact_line(f"{rows['label'].iloc[0]} {won(rows['krw'].iloc[-1])}", steps)
    st.caption("현재 값은 그 구분을 보도한 가장 최근 기사의 금액이고, 앞의 값은 이전 보도입니다. 합계에는 현재 값만 들어갑니다.")
    if not d.conflicts.empty:
        st.warning(f"같은 시기 보도끼리 금액이 다릅니다: {len(d.conflicts)}건. 합산하지 않고 최근 값을 씁니다.")
        view.table(d.conflicts, f"사업{d.project['id']}_금액_불일치")


def edit_figure(row, key: str, others: dict[str, str]) -> None:
    """Editing mode: reject this figure, change its role or move it to another project
    (bound to its article and span)."""
    target = {"article": row.content_hash, "start": int(row.span_start), "end": int(row.span_end)}
    roles = vocabulary().role_labels
    c1, c2, c3 = st.columns([1, 2, 1])
    c1.button("금액 제외", key=f"reject_{key}", on_click=editing.submit, args=("reject_figure", target),
              icon=":material/block:")
    role = c2.selectbox("구분", list(roles), index=list(roles).index(row.role) if row.role in roles else 0,
                        format_func=roles.get, key=f"role_{key}", label_visibility="collapsed")
    if role != row.role:
        c3.button("구분 변경", key=f"setrole_{key}", on_click=editing.submit, args=("set_role", target, {"role": role}))
    if others:
        c4, c5 = st.columns([3, 1])
        into = c4.selectbox("옮길 사업", list(others), index=None, format_func=others.get, key=f"move_{key}",
                            placeholder="이 금액을 다른 사업으로", label_visibility="collapsed")
        if into:
            c5.button("금액 옮기기", key=f"do_move_{key}", on_click=editing.submit,
                      args=("move_figure", target, {"project": into}))


def correct_project(kind: str, target: dict, value: dict, follow: str) -> None:
    """A correction of the project on screen, then the project it is now, found by its key
    (after a merge, the one it joined; none when a split left no project under that key)."""
    editing.submit(kind, target, value)
    state.set_value(PROJECT, editing.project_of_key(follow))


def edit_project(p: dict, d, others: dict[str, str]) -> None:
    """Editing mode: rename the project, merge it into another, set its regions and industries,
    or split off one article's mention as a project of its own."""
    target = {"project": p["key"]}
    with st.expander("사업 수정", icon=":material/edit:", expanded=True):
        st.text_input("수정 사유 (선택)", key=editing.WHY_KEY, placeholder="예: 같은 사업의 다른 보도")
        name = st.text_input("사업 이름", value=p["name"], key=f"rename_{p['id']}")
        if name.strip() and name != p["name"]:
            st.button("이름 바꾸기", key=f"do_rename_{p['id']}", on_click=correct_project,
                      args=("rename_project", target, {"name": name.strip()}, p["key"]))
        if others:
            into = st.selectbox("이 사업을 합칠 사업", list(others), index=None, key=f"merge_{p['id']}",
                                format_func=others.get, placeholder="사업 선택")
            if into:
                st.button("사업 합치기", key=f"do_merge_{p['id']}", on_click=correct_project,
                          args=("merge_projects", target, {"into": into}, into))
        current = dict(zip(d.regions["code"], d.regions["name"]))
        regions = editing.region_choices(current)
        chosen = st.multiselect("지역 지정", list(regions), default=list(current), format_func=regions.get,
                                key=f"regions_{p['id']}")
        if chosen and set(chosen) != set(current):
            st.button("지역 바꾸기", key=f"do_regions_{p['id']}", on_click=correct_project,
                      args=("set_regions", target, {"regions": chosen}, p["key"]))
        industries = st.multiselect("산업 지정", editing.industry_choices(d.industries), default=d.industries,
                                    key=f"industries_{p['id']}")
        if industries and set(industries) != set(d.industries):
            st.button("산업 바꾸기", key=f"do_industries_{p['id']}", on_click=correct_project,
                      args=("set_industries", target, {"industries": industries}, p["key"]))
        mentions = editing.mention_choices(p["id"])
        if len(mentions) > 1:
            i = st.selectbox("새 사업으로 나눌 보도", range(len(mentions)), index=None, format_func=lambda i: mentions[i][2],
                             key=f"split_{p['id']}", placeholder="잘못 합쳐진 보도 선택")
            if i is not None:
                st.button("사업 나누기", key=f"do_split_{p['id']}", on_click=correct_project,
                          args=("split_project", {"article": mentions[i][0], "name": mentions[i][1]}, {}, p["key"]))


def detail(project_id: int) -> None:
    d = data.cached(queries.project_detail)(project_id)
    if d is None:
        state.warn(f"링크의 사업 ID `{project_id}`에 해당하는 사업이 없습니다.")
        return
    p = d.project
    st.button("목록으로", on_click=close_detail, icon=":material/arrow_back:")
    view.text_heading(p["name"])
    view.facts([
        ("상태", p["status"] or "-"), ("시도", p["sido"] or "-"),
        ("보도 기간", f"{day(p['first_published'])} ~ {day(p['last_published'])}"),
        ("기사", count(p["n_articles"], "건")), ("일자리", count(d.jobs["jobs"].max(), "명") if not d.jobs.empty else "-"),
    ])
    st.markdown("**지역** " + md(", ".join(d.regions["name"]) or "-") + "  \n**산업** " + md(", ".join(d.industries) or "-"))
    others = editing.other_projects(p["id"]) if editing.enabled() else {}
    if editing.enabled():
        edit_project(p, d, others)
    figure_history(d)
    st.subheader(f"금액 {len(d.amounts)}건")
    for row in d.amounts.itertuples():
        view.fact_line(f"{row.label} {won(row.krw)}", " · ".join([row.text, *([f"{int(row.year)}년"] if row.year == row.year and row.year else [])]))
        source_block(row, f"{row.label} {won(row.krw)}")
        if editing.enabled():
            edit_figure(row, f"{project_id}_{row.id}", others)
    if not d.amounts.empty:
        view.table(d.amounts[["label", "krw", "text", "year", "sentence", "article_title", "published", "url"]],
                   f"사업{project_id}_금액", links=("url",))
        st.caption(scale_formula(vocabulary()))
    st.subheader("기간")
    for row in d.periods.itertuples():
        view.fact_line(period(row.start_year, row.end_year), row.text)
        source_block(row, "기간")
    if d.periods.empty:
        st.caption("기간 자료가 없습니다.")
    st.subheader("상태 변화")
    for row in d.events.itertuples():
        st.markdown(f"**{row.status}** · {day(row.event_date)}")
        source_block(row, row.status)
    if d.events.empty:
        st.caption("상태 변화 자료가 없습니다.")
    st.subheader("일자리")
    for row in d.jobs.itertuples():
        st.markdown(f"**{count(row.jobs, '명')}**")
        source_block(row, f"일자리 {count(row.jobs, '명')}")
    if d.jobs.empty:
        st.caption("일자리 자료가 없습니다.")
    st.subheader("보도 기사")
    view.table(d.articles, f"사업{project_id}_기사", links=("url",))


def listing(f) -> None:
    c1, _ = st.columns([1, 3])
    c1.selectbox("정렬", list(PROJECT_SORTS), key=state.bind(SORT), format_func=PROJECT_SORTS.get)
    rows, total = data.cached(queries.project_table)(f, state.value(SORT) or "recent")
    if rows.empty:
        empty_notice(f, "사업")
        return
    st.caption(f"조건에 맞는 사업 {total:,}개" + (f" 중 {len(rows):,}개 표시" if total > len(rows) else "") + " · 행을 누르면 상세 정보가 열립니다.")
    shown = rows.assign(사업규모=[won(v) if v == v and v else "" for v in rows["krw"]],
                        투자유치=[won(v) if v == v and v else "" for v in rows["investment"]])
    view.table(
        shown,
        "사업목록",
        key=TABLE_KEY,
        on_select=lambda: select_row([int(i) for i in rows["id"]]),
        selection_mode="single-row",
        column_config={
            "이름": st.column_config.TextColumn("사업명", width="medium"), "사업규모": "사업 규모", "투자유치": "투자 유치",
            "금액(원)": st.column_config.NumberColumn("사업 규모(원)", format="localized", width="medium"),
            "투자 유치(원)": st.column_config.NumberColumn("투자 유치(원)", format="localized", width="medium"),
        },
    )
    st.caption(scale_formula(vocabulary()))


def main() -> None:
    f = view.header("사업", "사업 목록(검색·정렬)과 사업별 금액·기간·지역·산업, 금액마다 출처 문장")
    state.bind(PROJECT)
    project_id = state.value(PROJECT)
    if project_id is not None:
        detail(int(project_id))
        st.divider()
    listing(f)


if __name__ == "__main__":
    nav.entry(main)
