"""The loader stores articles in batches, one transaction each (etl.load, etl.writer.store_batch).

An outside reader sees whole batches appear; a bug storing one article of a
batch costs that article alone (its savepoint), with no row of it left; a
database error leaves none of its batch; `on_done` hears of an article only
once its batch is committed. The loader runs in-process so that a failure
can be injected.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy.exc

import etl.writer
from bench.corpus import write_corpus
from db.engine import make_engine
from etl.load import load_documents
from db.models import ArticleSource
from etl.readers import read_paths
from tests.etl.helpers import by_article, diff, integrity, query, snapshot, sqlite_url

COUNT, BATCH = 12, 5
SOUND = ([("ok",)], [])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batches") / "articles"
    write_corpus(folder, COUNT, seed=23)
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The database one article per transaction gives."""
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    load_documents(make_engine(sqlite_url(db)), read_paths([str(corpus)]), batch=1)
    return snapshot(db)


def _articles(db: Path) -> int:
    return query(db, "select count(*) from article")[0][0] if db.exists() else 0


def _load(db: Path, corpus: Path, **options):
    """Load the corpus; the article count an outside reader sees after each input is read."""
    seen: list[int] = []
    summary = load_documents(make_engine(sqlite_url(db)), read_paths([str(corpus)]),
                             progress=lambda read, total: seen.append(_articles(db)), **options)
    return summary, seen


def _source_name(source: str) -> str:
    return Path(source).name


def test_an_outside_reader_sees_whole_batches_appear(corpus, reference, tmp_path):
    db = tmp_path / "db.sqlite"
    summary, seen = _load(db, corpus, batch=BATCH)
    assert seen == [0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10]
    assert (summary.read, summary.new, summary.rejected) == (COUNT, COUNT, 0)
    assert diff(snapshot(db), reference) == {}


def test_batches_of_one_store_each_article_as_it_comes(corpus, reference, tmp_path):
    """What fetching asks for: it waits on the network, next to which a commit costs nothing."""
    db = tmp_path / "db.sqlite"
    _, seen = _load(db, corpus, batch=1)
    assert seen == list(range(1, COUNT + 1))
    assert diff(snapshot(db), reference) == {}


def test_a_bug_storing_one_article_rolls_back_that_article_only(corpus, reference, tmp_path, monkeypatch):
    """The bug strikes after the article row and all its facts are written (or, in a batch
    stored together, gathered): the batch is stored again, the article in a savepoint that
    takes them back."""
    index = etl.writer._index
    victim = "synthetic_00006.txt"

    def fails_on_victim(conn, article_id, title, text, cache, work=None):
        doc_id = conn.execute(sqlalchemy.text("select doc_id from article where id = :id"), {"id": article_id}).scalar_one()
        if f"{doc_id}.txt" == victim:
            raise ZeroDivisionError("division by zero")
        return index(conn, article_id, title, text, cache, work)

    monkeypatch.setattr(etl.writer, "_index", fails_on_victim)
    db = tmp_path / "db.sqlite"
    summary, _ = _load(db, corpus, batch=BATCH)

    assert (summary.new, summary.rejected) == (COUNT - 1, 1)
    assert [(_source_name(s), r) for s, r in query(db, "select source, reason from rejected_input")] == [
        (victim, "bug while storing (ZeroDivisionError: division by zero); please report it, --debug shows the traceback")]
    stored, expected = by_article(snapshot(db)), by_article(reference)
    victim_hash = next(h for h, facts in expected.items() if any(_source_name(row[1]) == victim for row in facts["sources"]))
    assert victim_hash not in stored
    assert stored == {h: facts for h, facts in expected.items() if h != victim_hash}
    assert integrity(db) == SOUND


def test_a_database_error_stores_none_of_its_batch_and_the_next_run_finishes_the_load(corpus, reference, tmp_path,
                                                                                       monkeypatch):
    index = etl.writer._index
    calls = []

    def disk_fails_on_the_eighth(conn, article_id, title, text, cache, work=None):
        calls.append(article_id)
        if len(calls) == 8:
            raise sqlalchemy.exc.DatabaseError("INSERT", {}, OSError("disk I/O error"))
        return index(conn, article_id, title, text, cache, work)

    monkeypatch.setattr(etl.writer, "_index", disk_fails_on_the_eighth)
    db = tmp_path / "db.sqlite"
    with pytest.raises(sqlalchemy.exc.DatabaseError):
        _load(db, corpus, batch=BATCH)
    assert _articles(db) == BATCH  # the first batch; nothing of the second
    assert query(db, "select count(*) from evidence where article_id > ?", (BATCH,)) == [(0,)]
    assert query(db, "select status from etl_run") == [("failed",)]
    assert integrity(db) == SOUND

    monkeypatch.setattr(etl.writer, "_index", index)
    summary, _ = _load(db, corpus, batch=BATCH)
    assert (summary.new, summary.unchanged) == (COUNT - BATCH, BATCH)
    assert diff(snapshot(db), reference) == {}


def test_on_done_hears_of_an_article_once_its_batch_is_committed(corpus, tmp_path):
    db = tmp_path / "db.sqlite"
    heard = []

    def on_done(source, status, source_hash, reason):
        stored = query(db, "select count(*) from article_source where source = ?", (source,))[0][0]
        heard.append((_source_name(source), status, stored))

    load_documents(make_engine(sqlite_url(db)), read_paths([str(corpus)]), on_done=on_done, batch=BATCH)
    assert heard == [(f"synthetic_{n:05d}.txt", "new", 1) for n in range(COUNT)]


def test_a_bug_deriving_the_figures_of_a_batch_costs_one_article(corpus, reference, tmp_path, monkeypatch):
    """The figures of a batch are derived once, at its end (etl.writer.FigureWork). A bug
    there stores the batch again deriving each article's figures in its savepoint: the
    article whose figures fail is rejected, and the rest equal a load one by one."""
    update = etl.writer.update_figures
    victim = "synthetic_00006.txt"
    calls: list[int] = []

    def fails_with_victim(conn, project_ids, article_ids=()):
        calls.append(len(article_ids))
        sources = {_source_name(s) for (s,) in conn.execute(
            sqlalchemy.select(ArticleSource.source).where(ArticleSource.article_id.in_(list(article_ids))))}
        if victim in sources:
            raise ZeroDivisionError("division by zero")
        return update(conn, project_ids, article_ids)

    monkeypatch.setattr(etl.writer, "update_figures", fails_with_victim)
    db = tmp_path / "db.sqlite"
    summary, _ = _load(db, corpus, batch=BATCH)

    assert (summary.new, summary.rejected) == (COUNT - 1, 1)
    assert calls[:2] == [BATCH, BATCH]  # the first batch at once; the second at once, failing ...
    assert calls[2:2 + BATCH] == [1] * BATCH  # ... then again article by article
    stored, expected = by_article(snapshot(db)), by_article(reference)
    victim_hash = next(h for h, facts in expected.items() if any(_source_name(row[1]) == victim for row in facts["sources"]))
    assert victim_hash not in stored
    assert {h: f for h, f in stored.items()} == {h: f for h, f in expected.items() if h != victim_hash}
    assert integrity(db) == SOUND
