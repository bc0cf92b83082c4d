"""Engine and session set-up shared by the ETL and the dashboard.

SQLite is the default (one file, nothing to install); PostgreSQL is selected by
`DATABASE_URL`. SQLite runs in WAL mode with a busy timeout so that the
dashboard can read while a load writes.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_URL = "sqlite:///data/policy.db"
BUSY_TIMEOUT_MS = 30_000


class DatabaseConfigError(ValueError):
    """The database URL is malformed or names a driver that is not installed."""


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else `DATABASE_URL`, else the SQLite default."""
    return explicit or os.environ.get("DATABASE_URL") or DEFAULT_URL


class DatabaseUnavailable(DatabaseConfigError):
    """A read-only dashboard was pointed at a database it cannot open as it is."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy, not the driver, decides when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_readonly_pragmas(dbapi_connection, _record) -> None:
    """As `_sqlite_pragmas`, less everything that changes the file (the journal mode)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def folder_writable(folder: Path) -> bool:
    """False on a read-only mount or a folder this user may not write to."""
    return not (os.statvfs(folder).f_flag & os.ST_RDONLY) and os.access(folder, os.W_OK)


def _sqlite_readonly_url(parsed: URL) -> URL:
    """`mode=ro` (the file is never created or changed); `immutable=1` as well when
    its folder is not writable (a read-only mount), where SQLite could not make
    the WAL index it otherwise needs even for reading."""
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return parsed
    path = Path(database).resolve()
    if not path.is_file():
        raise DatabaseUnavailable(f"데이터베이스 파일이 없습니다: {path} (DATABASE_URL을 확인하세요)")
    query = {"mode": "ro", "uri": "true"}
    if not folder_writable(path.parent):
        query["immutable"] = "1"
    return parsed.set(database=f"file:{quote(str(path))}", query=query)


def _sqlite_begin(connection) -> None:
    """Begin a real transaction for reads too.

    Python's sqlite3 begins one only before a write, so the queries of one
    dashboard page could each see a different state of a load in progress; in
    WAL mode a read transaction is one snapshot. A connection may ask for
    `BEGIN IMMEDIATE` (take the write lock at once) with the execution option
    `sqlite_begin="IMMEDIATE"`.
    """
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip() if mode in ("", "IMMEDIATE", "EXCLUSIVE") else "BEGIN")


def snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one state of the database (a load that
    commits meanwhile is not half-visible): the SQLite transaction is a
    snapshot already; PostgreSQL needs REPEATABLE READ."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def make_engine(url: str | None = None, *, readonly: bool = False) -> Engine:
    """Create an engine; for a SQLite file, create its directory and enable WAL.

    `readonly` (the viewers' dashboard) opens SQLite with `mode=ro` and no
    pragma that writes, never creating a file or folder, and PostgreSQL
    sessions as read-only transactions: nothing it runs can change the data.
    """
    raw = database_url(url)
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseConfigError(f"database URL {raw!r} is not valid: {exc}") from None
    if readonly:
        return _readonly_engine(raw, parsed)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ImportError as exc:  # driver missing, e.g. psycopg not installed
        raise DatabaseConfigError(f"database URL {raw!r} needs a driver that is not installed: {exc}") from None


def _readonly_engine(raw: str, parsed: URL) -> Engine:
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(_sqlite_readonly_url(parsed), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_readonly_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(
            parsed, pool_pre_ping=True, connect_args={"options": "-c default_transaction_read_only=on"}
        )
    except ImportError as exc:
        raise DatabaseConfigError(f"database URL {raw!r} needs a driver that is not installed: {exc}") from None

