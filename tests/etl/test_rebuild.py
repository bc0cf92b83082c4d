"""`python -m etl load --rebuild` re-derives every fact from the stored raw
text, without the original files (issue 4).

The rules cannot be changed across processes, so the test damages the derived
data instead (facts deleted, a project renamed, cleaned text overwritten),
moves the input files away, rebuilds, and expects exactly what the fresh load
stored: the same articles under the same ids, and the same facts.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.etl.helpers import (
    ROOT,
    connect,
    corpus_texts,
    csv_bytes,
    diff,
    html_page,
    TIMEOUT,
    integrity,
    once_per_session,
    parts,
    poll,
    query,
    result_json,
    result_of,
    run_etl,
    snapshot,
    sqlite_url,
    start_etl,
    summary_counts,
    table_counts,
    write,
)

EXTRA = corpus_texts(3, seed=403)
ARTICLE_IDS = "select id, doc_id, content_hash, fmt, published from article order by id"

# Damage to what extraction derived; the rebuild must undo every one.
DAMAGE = [
    "delete from amount",
    "delete from period",
    "update project set name = '망가진 사업', key = '00:망가진 사업' where id = (select min(id) from project)",
    "update article set text = '', title = '', published = null, outlet = null",
    "delete from article_fts",
]


def write_inputs(folder: Path) -> int:
    """The sample articles plus a CSV with dated rows and a web page with meta
    tags, whose stated metadata the rebuild must keep; returns the article count."""
    samples = sorted((ROOT / "data" / "sample").glob("*.txt"))
    for path in samples:
        write(folder / path.name, path.read_bytes())
    rows = [[parts(t)[0], day, "\n".join(parts(t)[2]), "충청로컬"] for t, day in zip(EXTRA[:2], ["2023.03.02", "2023년 4월 5일"])]
    write(folder / "rows.csv", csv_bytes([["제목", "일자", "본문", "언론사"], *rows]))
    write(folder / "page.html", html_page(parts(EXTRA[2])[0], parts(EXTRA[2])[2], "https://news.example.kr/9", "남도신문",
                                          "2022-11-30"))
    return len(samples) + 3


def _load_damage_rebuild(base: Path) -> dict:
    """Load, keep a copy of the fresh database, damage the original, move the
    inputs away and rebuild."""
    folder, db, fresh = base / "in", base / "policy.db", base / "fresh.db"
    count = write_inputs(folder)
    load = run_etl("load", folder, "--db", sqlite_url(db))
    with connect(db) as source, connect(fresh) as copy:
        source.backup(copy)
    with connect(db) as connection:
        for statement in DAMAGE:
            connection.execute(statement)
    folder.rename(base / "moved-away")
    rebuild = run_etl("load", "--rebuild", "--db", sqlite_url(db))
    return {"count": count, "load": result_json(load), "rebuild": result_json(rebuild)}


@dataclass(frozen=True)
class Rebuilt:
    count: int
    db: Path  # loaded, damaged, rebuilt
    fresh: Path  # as the load left it
    load: subprocess.CompletedProcess
    rebuild: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Rebuilt:
    base, runs = once_per_session(tmp_path_factory, "rebuild", _load_damage_rebuild)
    return Rebuilt(runs["count"], base / "policy.db", base / "fresh.db", result_of(runs["load"]), result_of(runs["rebuild"]))


def test_rebuild_succeeds_without_the_original_files(rebuilt: Rebuilt) -> None:
    assert rebuilt.load.returncode == 0, rebuilt.load.stderr
    assert rebuilt.rebuild.returncode == 0, rebuilt.rebuild.stderr
    assert summary_counts(rebuilt.rebuild)["read"] == rebuilt.count
    assert summary_counts(rebuilt.rebuild)["rejected"] == 0
    assert query(rebuilt.db, "select command, status, n_read from etl_run order by id") == [
        ("load", "done", rebuilt.count), ("rebuild", "done", rebuilt.count)]


def test_rebuild_keeps_article_ids_and_stated_metadata(rebuilt: Rebuilt) -> None:
    ids = query(rebuilt.db, ARTICLE_IDS)
    assert ids == query(rebuilt.fresh, ARTICLE_IDS)
    assert [(doc_id, published) for _, doc_id, _, fmt, published in ids if fmt != "text"] == [
        ("page", "2022-11-30"), ("rows#2", "2023-03-02"), ("rows#3", "2023-04-05")]


def test_rebuild_restores_every_fact(rebuilt: Rebuilt) -> None:
    after = snapshot(rebuilt.db)
    assert diff(after, snapshot(rebuilt.fresh)) == {}
    assert sum(after["amounts"].values()) > 0 and sum(after["projects"].values()) > 0
    assert integrity(rebuilt.db) == ([("ok",)], [])


def test_rebuild_leaves_row_counts_as_a_fresh_load(rebuilt: Rebuilt) -> None:
    assert table_counts(rebuilt.db) == {**table_counts(rebuilt.fresh), "etl_run": 2}


def _write_locked(db: Path) -> bool:
    """True while another connection holds the database's write lock."""
    connection = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    finally:
        connection.close()


def rebuild_under_way(db: Path, amounts: int, held: float = 0.2) -> Callable[[], bool]:
    """A poll condition: the rebuild has dropped facts (they are fewer than
    `amounts`), or has held the write lock for `held` seconds on end, past the
    moment it takes to delete them."""
    held_since: float | None = None

    def reached() -> bool:
        nonlocal held_since
        if not query(db, "select count(*) from etl_run where command = 'rebuild'")[0][0]:
            return False
        if query(db, "select count(*) from amount")[0][0] < amounts:
            return True
        if not _write_locked(db):
            held_since = None
            return False
        held_since = held_since or time.monotonic()
        return time.monotonic() - held_since >= held

    return reached


def test_a_killed_rebuild_keeps_the_old_facts_and_a_rerun_finishes(rebuilt: Rebuilt, tmp_path: Path) -> None:
    """SIGKILL half-way through a rebuild: every article keeps its facts (none
    is left without, which a plain load would call unchanged); rebuilding again
    gives the fresh load's database."""
    db = tmp_path / "policy.db"
    with connect(rebuilt.fresh) as fresh, connect(db) as copy:
        fresh.backup(copy)
    amounts = query(db, "select count(*) from amount")[0][0]
    process = start_etl("load", "--rebuild", "--db", sqlite_url(db))
    try:
        under_way = rebuild_under_way(db, amounts)
        poll(lambda: under_way() or process.poll() is not None, timeout=TIMEOUT, interval=0.005)
        assert process.poll() is None, "the rebuild ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.communicate(timeout=TIMEOUT)
    assert integrity(db) == ([("ok",)], [])
    assert diff(snapshot(db), snapshot(rebuilt.fresh)) == {}
    again = run_etl("load", "--rebuild", "--db", sqlite_url(db))
    assert again.returncode == 0, again.stderr
    assert diff(snapshot(db), snapshot(rebuilt.fresh)) == {}
