"""A load killed with SIGKILL at any moment leaves a consistent database, and
running the same command again ends with the database an uninterrupted load
gives (issue 4).

One database is killed at several points in a row, each re-run picking up
where the last one died, while a reference load of the same corpus runs
alongside into a second database. The load stores articles in batches, one
transaction each (etl.load.BATCH): the last kill lands while a batch is being
written, and none of that batch may be left.
"""
from __future__ import annotations

import os
import signal
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from tests.etl.helpers import (
    TIMEOUT,
    by_article,
    diff,
    integrity,
    poll,
    query,
    run_etl,
    snapshot,
    sqlite_url,
    start_etl,
    summary_counts,
)

COUNT = 300
FILE_CREATED, RUN_STARTED = -1, 0
# Articles in the database when the load is killed. FILE_CREATED: as soon as
# the database file appears (while the schema is being made); RUN_STARTED: as
# soon as the run row is written, before any article is stored.
KILL_AFTER = (FILE_CREATED, RUN_STARTED, 1, 150, 200)
WRITING_FROM = 200  # from this kill on, the load is killed only while it holds the write lock (mid-batch)
SOUND = ([("ok",)], [])


def _scalar_or_none(db: Path, sql: str) -> int | None:
    """One number from the database, or None while it or the table does not exist yet."""
    if not db.exists():
        return None
    try:
        return query(db, sql)[0][0]
    except sqlite3.OperationalError:
        return None


def _writing(db: Path) -> bool:
    """Another connection holds the database's write lock (a batch is being stored, not yet committed)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def _reached(db: Path, articles: int, runs_before: int) -> bool:
    if articles == FILE_CREATED:
        return db.exists()
    if articles == RUN_STARTED:
        return (_scalar_or_none(db, "select count(*) from etl_run") or 0) > runs_before
    stored = _scalar_or_none(db, "select count(*) from article") or 0
    return stored >= articles and (articles < WRITING_FROM or _writing(db))


def kill_after(db: Path, folder: Path, articles: int) -> int:
    """Start a load, SIGKILL it once `articles` articles are stored (or at
    FILE_CREATED, RUN_STARTED); the number of articles it left behind. From
    WRITING_FROM on it is killed while it writes a batch: stopped (SIGSTOP)
    once it holds the write lock, and killed if it still does, so that the
    batch in hand is known to be uncommitted; none of it may be left."""
    runs_before = _scalar_or_none(db, "select count(*) from etl_run") or 0
    process = start_etl("load", folder, "--db", sqlite_url(db))
    try:
        while True:
            poll(lambda: _reached(db, articles, runs_before) or process.poll() is not None, timeout=TIMEOUT, interval=0.01)
            assert process.poll() is None, f"the load ended before it could be killed: {process.stderr.read()}"
            os.kill(process.pid, signal.SIGSTOP)
            if articles < WRITING_FROM or _writing(db):
                break
            os.kill(process.pid, signal.SIGCONT)  # it committed meanwhile: wait for the next batch
        committed = _scalar_or_none(db, "select count(*) from article") or 0
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=TIMEOUT)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    left = _scalar_or_none(db, "select count(*) from article") or 0
    assert left == committed, "the batch being written when the load was killed left articles behind"
    return left


def assert_whole_articles(partial: dict[str, Counter], reference: dict[str, Counter]) -> None:
    """Whole articles or nothing: every article a killed load left behind has a
    source and exactly the facts the uninterrupted load gives it."""
    stored, expected = by_article(partial), by_article(reference)
    for content_hash, facts in stored.items():
        assert "sources" in facts, f"article {content_hash} has no source"
        assert facts == expected[content_hash], f"article {content_hash} differs from the reference"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "articles"
    write_corpus(folder, COUNT, seed=11)
    return folder


def test_killed_loads_resume_to_the_same_database(corpus: Path, tmp_path: Path) -> None:
    reference_db, db = tmp_path / "reference.db", tmp_path / "killed.db"
    reference_load = start_etl("load", corpus, "--db", sqlite_url(reference_db))
    left, partials = [], []
    for articles in KILL_AFTER:
        left.append(kill_after(db, corpus, articles))
        assert integrity(db) == SOUND, f"after a kill at {articles} articles"
        if _scalar_or_none(db, "select count(*) from article") is not None:  # the schema is there
            partials.append(snapshot(db))
    final = run_etl("load", corpus, "--db", sqlite_url(db))
    _, reference_err = reference_load.communicate(timeout=TIMEOUT)
    assert reference_load.returncode == 0, reference_err
    assert final.returncode == 0, final.stderr

    assert [got >= wanted for got, wanted in zip(left, KILL_AFTER)] == [True] * len(KILL_AFTER)
    assert left[-1] < COUNT
    assert summary_counts(final) == {"read": COUNT, "new": COUNT - left[-1], "unchanged": left[-1], "rejected": 0}
    reference = snapshot(reference_db)
    for partial in partials:
        assert_whole_articles(partial, reference)
    assert diff(snapshot(db), reference) == {}
    assert integrity(db) == SOUND
    assert query(db, "select count(*) from article_source") == [(COUNT,)]
    runs = dict(query(db, "select status, count(*) from etl_run group by status"))
    assert runs["done"] == 1
    assert len(KILL_AFTER) - 1 <= runs["running"] <= len(KILL_AFTER)  # the first kill may precede the run row
