"""관심 목록: saved views, and per view what is new since the last load and since you last looked."""
from __future__ import annotations

import streamlit as st

from db.watchlists import Changes, Saved, WatchlistError
from ui import data, nav, state, view
from ui import watchlists as wl
from ui.digest import figure_line, project_line, status_line
from ui.filters import describe, region_names
from ui.format import count, day


def save_form() -> None:
    """Save the current filters (or any dashboard address) under a name."""
    current = state.query_string(state.shared_params())
    with st.form("save_watchlist", clear_on_submit=True, border=True):
        st.markdown("**관심 목록 저장**")
        c1, c2 = st.columns([1, 2])
        name = c1.text_input("이름", placeholder="예: 전남 이차전지")
        address = c2.text_input("화면 주소", value=f"?{current}" if current else "",
                                placeholder="비우면 지금 필터 · 다른 화면은 '링크 복사'의 주소를 붙여 넣기")
        if st.form_submit_button("저장", icon=":material/bookmark_add:", disabled=data.readonly()):
            try:
                saved = wl.save(name, address or f"?{current}")
            except WatchlistError as exc:
                st.error(f"저장하지 못했습니다: {exc}")
            else:
                st.success(f"'{saved.name}'을(를) 저장했습니다.")
    if data.readonly():
        st.caption("읽기 전용 모드에서는 저장·확인·삭제를 할 수 없습니다 (`python -m etl watchlist add`로 저장).")


def change_list(w: Saved, changes: Changes) -> None:
    if changes.empty:
        st.caption("새로 바뀐 것이 없습니다.")
        return
    for p in changes.projects:
        st.page_link("pages/projects.py", label=f"새 사업 · {p.name} · {project_line(p)}",
                     query_params=wl.view_params(w, project=p.project_id))
    for c in changes.figures:
        st.page_link("pages/projects.py", label=f"금액 · {c.name} · {figure_line(c)}",
                     query_params=wl.view_params(w, project=c.project_id))
    for s in changes.statuses:
        st.page_link("pages/projects.py", label=f"상태 · {s.name} · {status_line(s)}",
                     query_params=wl.view_params(w, project=s.project_id))


def summary(changes: Changes) -> str:
    return f"새 사업 {count(len(changes.projects), '개')} · 금액 {count(len(changes.figures), '건')} · 상태 {count(len(changes.statuses), '건')}"


def watchlist_box(w: Saved, names: dict[str, str]) -> None:
    last = wl.last_load()
    since_load = wl.changes(w.view.filters, last.mark) if last else Changes(0)
    since_seen = wl.changes(w.view.filters, w.seen_article_id)
    with st.container(border=True):
        st.subheader(w.name)
        st.caption(f"조건: {describe(w.view.filters, names)} · 마지막 확인 {day(w.seen_at)} UTC")
        c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
        with c1:
            st.page_link(wl.view_page(w), label="저장한 화면 열기", icon=":material/open_in_new:", query_params=wl.view_params(w))
        c2.markdown(f"[:material/rss_feed: Atom 피드]({wl.feed_href(w)})")
        c3.button("확인함", key=f"seen_{w.id}", on_click=wl.mark_seen, args=(w.id,), disabled=data.readonly(),
                  help="지금까지의 변경을 본 것으로 표시합니다.")
        c4.button("삭제", key=f"remove_{w.id}", on_click=wl.remove, args=(w.name,), disabled=data.readonly())
        load_tab, seen_tab = st.tabs([f"마지막 적재 이후 · {summary(since_load)}", f"마지막 확인 이후 · {summary(since_seen)}"])
        with load_tab:
            if last is not None:
                st.caption(f"마지막 적재: {day(last.finished_at)} UTC")
            change_list(w, since_load)
        with seen_tab:
            change_list(w, since_seen)


def main() -> None:
    view.header("관심 목록", "저장한 화면마다 마지막 적재 이후, 마지막 확인 이후 새로 나온 사업·바뀐 금액·상태 변화")
    save_form()
    saved = wl.saved()
    if not saved:
        st.info("저장한 관심 목록이 없습니다. 필터를 고른 뒤 이름을 붙여 저장하세요.")
        return
    names = region_names()
    for w in saved:
        watchlist_box(w, names)


if __name__ == "__main__":
    nav.entry(main)
