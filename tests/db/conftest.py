"""Fixtures for the database suite: every test runs on SQLite and on PostgreSQL.

`db_url` is a fresh, empty database per test: a SQLite file in tmp_path, or a
new database (CREATE DATABASE) on a throwaway PostgreSQL server that the
session starts once per xdist worker (see pg_server.py). Without server
binaries the PostgreSQL half skips with the reason — or fails under
POLICY_RADAR_REQUIRE_ALL=1, as in CI.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

DASHBOARD_TESTS = Path(__file__).resolve().parent.parent / "dashboard"
if str(DASHBOARD_TESTS) not in sys.path:  # dashboard_fixture: the hand-built database, reused here
    sys.path.insert(0, str(DASHBOARD_TESTS))

from tests.conftest import require  # noqa: E402  (tests/conftest.py put the repository on sys.path)
from tests.db import pg_server  # noqa: E402

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg():
    """The session's PostgreSQL server (skips or fails when there is none)."""
    require(pg_server.available(), pg_server.MISSING)
    try:
        server = pg_server.start()
    except pg_server.ServerError as exc:
        require(False, f"PostgreSQL test server did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture
def new_url(request, tmp_path):
    """Make fresh empty databases of a backend: new_url("sqlite") / new_url("postgresql")."""
    made: list[str] = []
    counter = iter(range(1000))

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'db{next(counter)}.sqlite'}"
        url = request.getfixturevalue("pg").create_database()
        made.append(url)
        return url

    yield make
    if made:
        server = request.getfixturevalue("pg")
        for url in made:
            server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, new_url) -> str:
    """A fresh empty database on the test's backend."""
    return new_url(backend)


@pytest.fixture
def engine(db_url):
    from db.engine import make_engine

    eng = make_engine(db_url)
    yield eng
    eng.dispose()
