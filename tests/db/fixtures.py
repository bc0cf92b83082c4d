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


COUNTED_TABLES = (
    "article", "article_source", "evidence", "project", "project_mention", "project_region", "project_industry",
    "article_region", "article_industry", "amount", "period", "status_event", "jobs",
)


def content_summary(engine) -> dict:
    """Rows per table and won by role (each figure once), to compare two databases."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from db import queries
    from db.filters import Filters
    from db.models import Base

    with Session(engine) as session:
        counts = {t: session.scalar(select(func.count()).select_from(Base.metadata.tables[t])) for t in COUNTED_TABLES}
        by_role = queries.funding_by_role(session, Filters())
    return {"rows": counts, "won_by_role": dict(zip(by_role["role"], by_role["krw"]))}
