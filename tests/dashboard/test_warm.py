"""ui.warm: the unfiltered pages' queries are computed in the background, into the cache the pages read."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from db import queries
from db.filters import Filters
from ui import data, warm


@pytest.fixture
def on_fixture(fixture_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fixture_url)
    data._run.clear()
    data.st.session_state.clear()
    monkeypatch.setattr(warm, "_started", set())
    yield fixture_url
    data._run.clear()


def _statements(engine, call) -> int:
    seen: list[str] = []

    def record(*_args):
        seen.append("sql")

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def test_warming_fills_the_entries_the_pages_read(on_fixture):
    url = on_fixture
    version = data.refresh_version()
    thread = warm.start(url, version, data.run_cached)
    assert thread is not None
    thread.join(timeout=60)
    engine = data.engine_for(url)
    # what each page asks for unfiltered is already computed: no SQL at all
    for query, args in warm.unfiltered_calls():
        assert _statements(engine, lambda q=query, a=args: data.cached(q)(*a)) == 0, query.__name__
    assert _statements(engine, lambda: data.cached(queries.timeline)(Filters(regions=("46",)), 40)) > 0
    warmed = data.cached(queries.headline)(Filters())
    with data.Session(engine) as session:
        fresh = queries.headline(session, Filters())
    assert (warmed.articles, warmed.projects, warmed.scale, warmed.investment) == (fresh.articles, fresh.projects, fresh.scale, fresh.investment)
    assert warmed.by_role.equals(fresh.by_role)


def test_warming_runs_once_per_database_and_data_version(on_fixture):
    ran: list[tuple] = []

    def run(url, version, query, args):
        ran.append((version, query.__name__))

    first = warm.start(on_fixture, ("v1",), run)
    first.join(timeout=10)
    assert warm.start(on_fixture, ("v1",), run) is None
    second = warm.start(on_fixture, ("v2",), run)
    second.join(timeout=10)
    names = [q.__name__ for q, _args in warm.unfiltered_calls()]
    assert ran == [(("v1",), n) for n in names] + [(("v2",), n) for n in names]
    assert len(names) == len(set((q, a) for q, a in warm.unfiltered_calls()))  # each call once


def test_every_page_query_is_warmed():
    """Each query a page calls through data.cached appears in page_calls for that page."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    listed = {page: {q.__name__ for q, _ in calls} for page, calls in warm.page_calls(Filters()).items()}
    detail_only = {"article_detail", "project_detail", "compare_roles", "compare_industries", "compare_years",
                   "industry_projects_by_year",  # opened by a selection or a non-default choice, never unfiltered
                   "project_choices",  # what a merge can join: editing mode only
                   "figure_conflicts"}  # the list of conflicting reports: when its section is opened
    for page in listed:
        tree = ast.parse((root / "pages" / f"{page}.py").read_text(encoding="utf-8"))
        called = {node.args[0].attr for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and ast.unparse(node.func) == "data.cached"}
        assert called - detail_only <= listed[page], (page, called - detail_only - listed[page])


def test_the_dashboard_starts_warming_after_its_first_page(fixture_url, app_on, monkeypatch):
    monkeypatch.setattr(warm, "_started", set())
    at = app_on(fixture_url)
    assert not at.exception
    assert [url for url, _version in warm._started] == [fixture_url]



def test_the_warming_thread_carries_no_script_context(fixture_url, app_on, monkeypatch):
    """Started from a page's run, the warming thread has no ScriptRunContext: one carrying
    the page's context held back that page's 'script finished' message until warming ended."""
    import threading

    contexts: list[object] = []
    monkeypatch.setattr(warm, "_started", set())
    monkeypatch.setattr(warm, "_warm", lambda *_a: contexts.append(getattr(threading.current_thread(), "streamlit_script_run_ctx", None)))
    at = app_on(fixture_url)
    assert not at.exception
    for thread in threading.enumerate():
        if thread.name == warm.THREAD_NAME:
            thread.join(timeout=10)
    assert contexts == [None]
