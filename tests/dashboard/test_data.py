"""ui.data.cached: pages call query functions themselves, through one cache keyed on the data version."""
from __future__ import annotations

import inspect

import pytest

from db import queries
from db.filters import Filters
from ui import data


@pytest.fixture
def on_fixture(fixture_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fixture_url)
    data._run.clear()
    data.st.session_state.clear()
    yield
    data._run.clear()


def test_cached_call_is_the_query_without_its_session(on_fixture, session):
    call = data.cached(queries.region_options)
    assert call.__name__ == "region_options" and call.__doc__ == queries.region_options.__doc__
    assert call() == queries.region_options(session) and len(call()) == 8
    f = Filters(industries=("수소",))
    assert data.cached(queries.funding_by_role)(f).equals(queries.funding_by_role(session, f))


def test_cache_is_keyed_on_the_data_version(on_fixture, monkeypatch):
    calls: list[tuple] = []

    def counted(session, f: Filters) -> int:
        calls.append((f,))
        return len(calls)

    call = data.cached(counted)
    data.st.session_state[data._VERSION] = ("v1",)
    assert (call(Filters()), call(Filters())) == (1, 1)
    data.st.session_state[data._VERSION] = ("v2",)
    assert call(Filters()) == 2


def test_every_page_query_is_a_real_function_of_db_queries():
    """No page names a query as a string: each `data.cached(...)` argument resolves at import."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in [*sorted((root / "pages").glob("*.py")), root / "ui" / "filters.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("data.cached", "data.query"):
                arg = node.args[0]
                assert isinstance(arg, ast.Attribute) and ast.unparse(arg.value) == "queries", (path.name, ast.unparse(node))
                assert inspect.isfunction(getattr(queries, arg.attr)), (path.name, arg.attr)
