"""Engine and session set-up shared by the ETL and the dashboard.

SQLite is the default (one file, nothing to install); PostgreSQL is selected by
`DATABASE_URL`. SQLite runs in WAL mode with a busy timeout so that the
dashboard can read while a load writes.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///data/policy.db"
BUSY_TIMEOUT_MS = 30_000


class DatabaseConfigError(ValueError):
    """The database URL is malformed or names a driver that is not installed."""


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else `DATABASE_URL`, else the SQLite default."""
    return explicit or os.environ.get("DATABASE_URL") or DEFAULT_URL


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine; for a SQLite file, create its directory and enable WAL."""
    raw = database_url(url)
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseConfigError(f"database URL {raw!r} is not valid: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ImportError as exc:  # driver missing, e.g. psycopg not installed
        raise DatabaseConfigError(f"database URL {raw!r} needs a driver that is not installed: {exc}") from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
