"""The dashboard reads while a load writes (SQLite in WAL mode, busy timeout):
no "database is locked" for the reader, and no half-stored article in what it
sees (issue 4)."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.corpus import write_corpus
from db.engine import make_engine
from db.filters import Filters
from db.queries import headline
from tests.etl.helpers import TIMEOUT, connect, poll, query, sqlite_url, start_etl

COUNT = 200
PAUSE = 0.02  # between two dashboard refreshes, so the reader does not starve the load of CPU
# Dashboard-style reads, each one statement answering one number (so each sees one committed state).
READS = {
    "amounts": "select count(*) from amount",
    "articles": "select count(*) from article",
    "funding": "select count(*) from (select p.sido_code, m.role, sum(m.krw) from amount m "
               "join project p on p.id = m.project_id group by p.sido_code, m.role)",
    # What a reader must never see: facts of an article that is not there, or an article without a source.
    "orphan_amounts": "select count(*) from amount m where not exists (select 1 from article a where a.id = m.article_id)",
    "sourceless": "select count(*) from article a where not exists (select 1 from article_source s where s.article_id = a.id)",
}


def _schema_ready(db: Path) -> bool:
    try:
        return bool(db.exists() and query(db, "select count(*) from etl_run")[0][0])
    except sqlite3.OperationalError:
        return False


def read_once(engine) -> dict[str, int]:
    """One dashboard refresh: the numbers above and the overview's headline query."""
    with Session(engine) as session:
        numbers = {name: session.execute(text(sql)).scalar_one() for name, sql in READS.items()}
        numbers["headline_articles"] = headline(session, Filters()).articles
    return numbers


def test_dashboard_reads_while_a_load_writes(tmp_path: Path) -> None:
    folder, db = tmp_path / "articles", tmp_path / "policy.db"
    write_corpus(folder, COUNT, seed=23)
    load = start_etl("load", folder, "--db", sqlite_url(db))
    poll(lambda: _schema_ready(db) or load.poll() is not None, timeout=TIMEOUT)
    engine = make_engine(sqlite_url(db))
    seen: list[dict[str, int]] = []
    errors: list[str] = []
    try:
        while load.poll() is None:
            try:
                seen.append(read_once(engine))
                time.sleep(PAUSE)
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        _, stderr = load.communicate(timeout=TIMEOUT)
        engine.dispose()
    assert errors == []
    assert load.returncode == 0, stderr
    articles = sorted({s["articles"] for s in seen})
    assert len([n for n in articles if 0 < n < COUNT]) >= 3, f"the reads did not overlap the load: {articles}"
    assert {(s["orphan_amounts"], s["sourceless"]) for s in seen} == {(0, 0)}
    assert query(db, "select count(*) from article") == [(COUNT,)]


def test_a_session_reads_one_snapshot(tmp_path: Path) -> None:
    """Two reads in one Session see the same data although a load commits in between."""
    db = tmp_path / "policy.db"
    engine = make_engine(sqlite_url(db))
    try:
        with engine.begin() as connection:
            connection.execute(text("create table counter (n integer)"))
        with Session(engine) as session:
            before = session.execute(text("select count(*) from counter")).scalar_one()
            with connect(db) as writer:
                writer.execute("insert into counter values (1)")
            after = session.execute(text("select count(*) from counter")).scalar_one()
    finally:
        engine.dispose()
    assert (before, after) == (0, 0)
