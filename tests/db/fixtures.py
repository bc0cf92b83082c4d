"""Databases with known content, built the same way on SQLite and PostgreSQL."""
from __future__ import annotations

from unittest import mock

from sqlalchemy.engine import make_url

import dashboard_fixture
from db.engine import make_engine
from db.schema import migrate


def build_dashboard_fixture(url: str) -> None:
    """The dashboard suite's hand-built database (tests/dashboard/dashboard_fixture.py) on
    a schema made by the migrations, on either backend."""
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    if make_url(url).get_backend_name() == "sqlite":
        dashboard_fixture.build(url).dispose()
        return
    # The fixture turns on SQLite's foreign keys on connect; PostgreSQL always enforces them.
    with mock.patch.object(dashboard_fixture, "_sqlite_fk", lambda *_args: None):
        dashboard_fixture.build(url).dispose()
