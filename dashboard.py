"""Policy Radar dashboard: `streamlit run dashboard.py`.

A router only: page set-up, navigation, shared filters and URL state; the
pages live in `pages/`, queries in `db/queries.py`, helpers in `ui/`.
"""
from __future__ import annotations

import streamlit as st

from ui import data, editing, filters, nav, state, view


def share_box() -> None:
    """The full address of this view, with a copy button (st.code has one), in a popover:
    its content is drawn only when opened, and st.code's highlighter costs every
    page about 0.4 s of browser time when drawn."""
    with st.popover("링크 복사", icon=":material/link:", width="stretch"):
        st.code(state.share_url(), language=None, wrap_lines=True)
        st.caption("이 주소를 열면 지금 화면(페이지·필터·선택)이 그대로 열립니다.")


def run() -> None:
    st.set_page_config(page_title="Policy Radar", page_icon=":material/radar:", layout="wide", initial_sidebar_state="expanded")
    page = st.navigation(nav.st_pages(), position="hidden")
    state.begin(page.url_path)
    warnings_box = st.container()
    if not data.prepare():
        return
    menu = st.sidebar.container()
    view.set_filters(filters.sidebar())
    editing.sidebar()
    with menu:
        st.markdown("### :material/radar: Policy Radar")
        nav.links()
        st.divider()
    share = st.sidebar.container()
    nav.run_page(page)
    with warnings_box:
        for message in state.warnings():
            st.warning(message, icon=":material/link_off:")
    with share:
        st.divider()
        share_box()
    state.commit()
    data.warm_up()  # after this page is drawn: the other pages' first visits find their figures


if __name__ == "__main__":
    run()
