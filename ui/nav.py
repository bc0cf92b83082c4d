"""Page registry and the app's own navigation, which carries the shared filters.

Streamlit's built-in sidebar navigation drops the query string, so the
router hides it (`position="hidden"`) and `links()` draws page links whose
`query_params` are the current filters.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui import state


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "개요", ":material/dashboard:", "overview"),
    PageSpec("pages/regions.py", "지역", ":material/map:", "regions"),
    PageSpec("pages/industries.py", "산업", ":material/factory:", "industries"),
    PageSpec("pages/funding.py", "예산", ":material/payments:", "funding"),
    PageSpec("pages/timeline.py", "일정", ":material/timeline:", "timeline"),
    PageSpec("pages/projects.py", "사업", ":material/list_alt:", "projects"),
    PageSpec("pages/articles.py", "기사", ":material/article:", "articles"),
    PageSpec("pages/watchlists.py", "관심 목록", ":material/bookmarks:", "watchlists"),  # issue 14
    PageSpec("pages/corrections.py", "수정 기록", ":material/edit_note:", "corrections"),
)
BY_NAME = {p.url_path: p for p in PAGES}


ROUTED = "_routed"


def entry(main: Callable[[], None]) -> None:
    """Run a page's `main` inside the router.

    Streamlit treats a `pages/` folder next to the entry script as a legacy
    multipage app until the first `st.navigation` call of the process, and
    then runs a requested page file directly (a fresh server opened at
    /articles, and every AppTest run). Such a page hands over to the router,
    which calls `st.navigation` and runs the page again with filters and URL state.
    """
    if st.session_state.get(ROUTED):
        main()
        return
    import dashboard

    dashboard.run()


def run_page(page: Any) -> None:
    """Run the selected page with the routed flag set (see `entry`)."""
    st.session_state[ROUTED] = True
    try:
        page.run()
    finally:
        st.session_state[ROUTED] = False


def st_pages() -> list[Any]:
    """st.Page objects; 개요 is the default page (served at the app root)."""
    return [
        st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(PAGES)
    ]


def links() -> None:
    """The page menu: one link per page, each carrying the shared filters."""
    params = state.shared_params()
    for p in PAGES:
        st.page_link(p.path, label=p.title, icon=p.icon, query_params=params)


def link(name: str, label: str, **extra: str | int) -> None:
    """A link to another page with the shared filters plus page values (e.g. article=<id>)."""
    spec = BY_NAME[name]
    params = {**state.shared_params(), **{k: [str(v)] for k, v in extra.items()}}
    st.page_link(spec.path, label=label, query_params=params)

