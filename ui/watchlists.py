"""관심 목록 for the dashboard: cached reads of db.watchlists, writes that refresh the feeds.

Reads of what changed are cached under the data version (ui.data), so they
refresh when a load finishes; the list of watchlists is a small table read
on every run, so a watchlist saved by someone else shows at once.
"""
from __future__ import annotations

from urllib.parse import parse_qs

import streamlit as st
from sqlalchemy.orm import Session

from db import watchlists
from db.filters import Filters
from ui import data, nav


def saved() -> list[watchlists.Saved]:
    with Session(data.engine()) as session:
        return watchlists.all_saved(session)


@st.cache_data(show_spinner=False, max_entries=200)
def _changes(url: str, version: tuple, f: Filters, mark: int) -> watchlists.Changes:
    with Session(data.engine_for(url)) as session:
        return watchlists.changes(session, f, mark)


@st.cache_data(show_spinner=False, max_entries=20)
def _last_load(url: str, version: tuple) -> watchlists.LastLoad | None:
    with Session(data.engine_for(url)) as session:
        return watchlists.last_load(session)


def _version() -> tuple:
    return st.session_state.get(data._VERSION) or data.refresh_version()


def last_load() -> watchlists.LastLoad | None:
    return _last_load(data.db_url(), _version())


def changes(f: Filters, mark: int) -> watchlists.Changes:
    return _changes(data.db_url(), _version(), f, mark)


def view_params(w: watchlists.Saved, **extra: int) -> dict[str, list[str]]:
    """The saved view's URL parameters, plus page values (project=<id>)."""
    params = {k: list(v) for k, v in parse_qs(w.query).items()}
    params.update({k: [str(v)] for k, v in extra.items()})
    return params


def view_page(w: watchlists.Saved) -> str:
    """The script of the saved view's page (개요 when the page is unknown)."""
    spec = nav.BY_NAME.get(w.page) or nav.PAGES[0]
    return spec.path


def feed_href(w: watchlists.Saved) -> str:
    """The feed's address relative to the dashboard's pages (works under --server.baseUrlPath too)."""
    from ui.digest import FEED_PATH, feed_file_name

    return f"{FEED_PATH}/{feed_file_name(w)}"


def _written() -> None:
    """After a change: new feeds and no stale reads."""
    from etl.watchfeeds import refresh_after_load

    _changes.clear()
    warning = refresh_after_load(data.engine())
    if warning:
        st.toast(warning)


def save(name: str, address: str) -> watchlists.Saved:
    w = watchlists.save(data.engine(), name, address)
    _written()
    return w


def mark_seen(watchlist_id: int) -> None:
    watchlists.mark_seen(data.engine(), watchlist_id)
    _written()


def remove(name: str) -> None:
    watchlists.remove(data.engine(), name)
    _written()
