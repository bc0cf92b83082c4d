"""Creating and upgrading the schema, and the reference rows every database needs.

The schema is managed by Alembic (db/migrations, configured here in code; no
alembic.ini is needed at run time). `ensure_schema(engine, regions=…)` brings
any database to the newest revision and, given the region rows (the ETL's
gazetteer: `etl.writer.prepare_database`; db does not import etl), fills an
empty region table:

* an empty database gets every revision from the first;
* a database that `Base.metadata.create_all` made before migrations existed
  (our tables, no alembic_version) is stamped as revision 0001 — the schema
  it has — and upgraded from there, keeping its rows;
* an up-to-date database costs one read and takes no lock.

Two processes may call it at once (two loads, a load and a dashboard): the
upgrade runs in one transaction that first takes a lock — an advisory lock
on PostgreSQL, SQLite's write lock (BEGIN IMMEDIATE) — and then reads the
revision again, so the second process waits and finds nothing left to do.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, inspect, select
from sqlalchemy.exc import DBAPIError

from db.models import Region

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
FIRST_REVISION = "0001"
# The tables revision 0001 creates (the models when migrations began).
FIRST_TABLES = frozenset({
    "etl_run", "project", "region", "article", "project_industry", "project_region", "rejected_input",
    "article_source", "evidence", "amount", "article_industry", "article_region", "jobs", "period",
    "project_mention", "status_event",
})
# Search index tables (db/search.py): dialect-specific, not in the models.
SEARCH_TABLES = ("article_fts", "article_search")
ADVISORY_LOCK_KEY = 0x50524144  # "PRAD": one key for every Policy Radar schema change


class SchemaError(RuntimeError):
    """The database holds tables that no migration revision accounts for."""


def include_name(name: str | None, type_: str, _parents: dict) -> bool:
    """Autogenerate filter: leave the search index tables (and FTS5's shadow tables) alone."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLES))


def alembic_config(connection: Connection | None = None):
    """Alembic's configuration, built in code; `connection` is the one env.py migrates."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision in db/migrations/versions."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The revision a database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine, regions: Callable[[], list[dict]] | None = None) -> None:
    """Upgrade to the newest revision; with `regions`, fill the region table with its rows if it is empty."""
    if _is_current(engine, need_regions=regions is not None):
        return
    with _locked(engine) as conn:
        _upgrade(conn, "head")
        if regions is not None and not conn.scalar(select(func.count()).select_from(Region)):
            conn.execute(insert(Region), regions())


def readonly_problem(engine: Engine) -> str | None:
    """Why a read-only dashboard cannot show this database (None: it can).

    Read-only mode never migrates, so an empty database, one at an older
    revision or one that cannot be opened is a notice for the reader, not an
    exception on every page.
    """
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("article"):
                return "데이터베이스가 비어 있습니다. 읽기 전용 모드라 예시 기사를 적재하지 않습니다."
            revision = current_revision(conn)
    except DBAPIError as exc:
        return f"데이터베이스를 읽기 전용으로 열 수 없습니다: {str(exc.orig).splitlines()[0]}"
    if revision != head_revision():
        return (
            f"데이터베이스 스키마가 이전 버전({revision or '없음'})입니다. 읽기 전용 모드라 올리지 않습니다: "
            f"관리자가 `python -m etl db upgrade`를 실행해야 합니다 (필요한 버전 {head_revision()})."
        )
    return None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade (never downgrade) to `revision` without seeding; tests build older schemas with it."""
    with _locked(engine) as conn:
        _upgrade(conn, revision)


def _is_current(engine: Engine, need_regions: bool) -> bool:
    """At head (with regions, if asked for): nothing to do (read-only, no lock)."""
    with engine.connect() as conn:
        if current_revision(conn) != head_revision():
            return False
        return not need_regions or bool(conn.scalar(select(func.count()).select_from(Region)))


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the schema lock; DDL inside it commits or rolls back as a whole."""
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        # SQLite: BEGIN IMMEDIATE takes the write lock before any DDL (see db.engine).
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        yield conn


def _upgrade(conn: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config(conn)
    if current_revision(conn) is None and _is_pre_migration(conn):
        command.stamp(config, FIRST_REVISION)
    before = current_revision(conn)
    command.upgrade(config, revision)
    if _crossed(before, current_revision(conn), ROLLUP_REVISION):
        from db.figures import refill_figures

        refill_figures(conn)  # the figures' scale flags and every aggregate kept from them


ROLLUP_REVISION = "0007"
"""The revision that added the aggregates (db.rollups): derived data, filled by the
program's own rule (and vocabulary) once the tables exist, not by a frozen copy."""


def _crossed(before: str | None, after: str | None, revision: str) -> bool:
    """Whether an upgrade from `before` to `after` applied `revision` to a database that had
    rows (revisions are numbered; a new database, `before` None, has nothing to refill)."""
    return before is not None and after is not None and before < revision <= after


def _is_pre_migration(conn: Connection) -> bool:
    """Whether the database was made by `create_all` before migrations (True) or is empty (False)."""
    present = FIRST_TABLES & set(inspect(conn).get_table_names())
    if not present:
        return False
    missing = FIRST_TABLES - present
    if missing:
        raise SchemaError(
            f"the database has Policy Radar tables ({', '.join(sorted(present))}) but not "
            f"{', '.join(sorted(missing))}, and no alembic_version table: it was not made by this "
            "program; use an empty database or restore the missing tables"
        )
    return True
