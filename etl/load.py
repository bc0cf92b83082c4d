"""Loading: read → clean → tag → extract → write, for a batch of inputs or a rebuild.

This module only orchestrates and counts: the stages are `etl.pipeline`
(reading, cleaning, tagging, extraction) and `etl.writer` (the one stage that
writes). An input already loaded (same bytes) is skipped before any work is
spent on it. A failure in one input is a rejection of that input; a database
error stops the run.

Articles are stored in batches of `BATCH`, one transaction each: a commit
per article cost as much as its facts. A killed load loses at most the batch
in hand, never half an article, and the next run picks up from the last
batch stored. Fetching stores each page as it comes (`batch=1`): it waits on
the network, next to which a commit costs nothing, and next to which Kiwi's
read-ahead would hold every page back until a window of later pages came.
"""
from __future__ import annotations

import os
import time
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from db.engine import snapshot
from db.models import Article as ArticleRow
from etl.errors import rejection_for
from etl.readers import DEFAULT_MAX_BYTES
from etl.records import Article, Document, Extraction, Rejection, Unchanged
from etl.corrections import Correction
from etl.writer import (
    REBUILD_SOURCE,
    RunCache,
    Stored,
    apply_figure_moves,
    apply_project_corrections,
    articles_of,
    correction_scope,
    documents_of,
    insert_corrections,
    mark_undone,
    rederive,
    settle_projects,
    finish_run,
    known_sources,
    prepare_database,
    record_rejection,
    restore,
    start_run,
    store_batch,
)

Progress = Callable[[int, int | None], None]
BATCH = 50  # articles per transaction


@dataclass
class LoadSummary:
    run_id: int
    read: int = 0
    new: int = 0
    unchanged: int = 0
    rejected: int = 0
    projects: int = 0
    amounts: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary the CLI prints (a rebuild counts re-extracted articles as new)."""
        from etl.messages import summary

        return summary(self)

    def counts(self) -> dict[str, int | float]:
        return {"read": self.read, "new": self.new, "unchanged": self.unchanged, "rejected": self.rejected,
                "projects": self.projects, "amounts": self.amounts, "seconds": self.seconds}



def count_inputs(paths: Sequence[str]) -> int | None:
    """Files to read, for a progress total (None when reading standard input)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        if os.path.isdir(path):
            total += sum(len([f for f in files if not f.startswith(".")]) for _, _, files in os.walk(path))
        else:
            total += 1
    return total


def load_paths(
    paths: Sequence[str],
    engine,
    *,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadSummary:
    """Read, extract and store everything under `paths`."""
    from etl.readers import read_paths

    total = count_inputs(paths)
    return load_documents(engine, read_paths(paths, max_bytes=max_bytes), progress=progress, total=lambda: total)


def load_documents(
    engine,
    items: Iterable[Document | Rejection | Unchanged],
    *,
    command: str = "load",
    progress: Progress | None = None,
    total: Callable[[], int | None] = lambda: None,
    on_done: Callable[[str, str, str, str], None] | None = None,
    batch: int = BATCH,
) -> LoadSummary:
    """Clean, extract and store a stream of documents (from files, or fetched).

    A document whose bytes are already stored (or an `Unchanged` input) is
    counted before any tagging is spent on it. `on_done(source, status,
    source_hash, reason)` hears of each input once it is stored or recorded,
    as "new", "duplicate", "unchanged" or "rejected" (fetching keeps its
    per-URL state with it): for a stored article, after its batch committed.
    Extractions wait in memory for their batch of `batch` articles; no
    transaction is open while the stream is read, so the stream may write
    (fetch state) too. A batch of one is also tagged as it comes, without
    Kiwi's read-ahead.
    """
    from etl.pipeline import clean_document, extract_articles

    prepare_database(engine)
    started = time.perf_counter()
    summary = LoadSummary(run_id=start_run(engine, command))
    seen = known_sources(engine)
    with snapshot(engine) as conn:
        cache = RunCache.read(conn)
    done = on_done or (lambda source, status, source_hash, reason: None)
    pending: list[Extraction | Rejection] = []

    def tick() -> None:
        if progress is not None:
            progress(summary.read, total())

    def cleaned() -> Iterator[Article | Rejection]:
        for item in items:
            if isinstance(item, Unchanged) or (isinstance(item, Document) and item.source_hash and item.source_hash in seen):
                summary.read += 1
                summary.unchanged += 1
                done(item.source, "unchanged", item.source_hash, "")
                tick()
            else:
                yield item if isinstance(item, Rejection) else clean_document(item)

    def flush() -> None:
        """Store the batch in hand, then record its rejections and tell `done`, in input order."""
        extractions = [item for item in pending if isinstance(item, Extraction)]
        outcomes = iter(store_batch(engine, extractions, summary.run_id, cache) if extractions else ())
        for item in pending:
            if isinstance(item, Extraction):
                stored = _count(item, next(outcomes), summary)
                if isinstance(stored, Stored):
                    seen.add(item.article.source_hash)
                    done(item.article.source, stored.status, item.article.source_hash, "")
                    continue
                item = stored
            summary.rejected += 1
            summary.rejections.append(item)
            record_rejection(engine, summary.run_id, item)
            done(item.source, "rejected", item.source_hash, item.reason)
        pending.clear()

    status = "failed"
    try:
        stream = cleaned()
        first = next(stream, None)  # nothing to extract (an unchanged feed): Kiwi is not started
        articles = itertools.chain([first], stream)
        for item in extract_articles(articles, read_ahead=batch > 1) if first is not None else ():
            summary.read += 1
            pending.append(item)
            if len(pending) >= batch:
                flush()
            tick()
        flush()
        with engine.begin() as conn:
            apply_figure_moves(conn)
            apply_project_corrections(conn)
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        finish_run(engine, summary.run_id, status, summary.counts())
    return summary


def _count(ex: Extraction, outcome: Stored | Exception, summary: LoadSummary) -> Stored | Rejection:
    """Count what storing one article did; a bug storing it (not the database) rejects that article only."""
    if isinstance(outcome, Exception):
        return rejection_for(outcome, ex.article.source, ex.article.source_hash, "storing")
    if outcome.status == "new":
        summary.new += 1
    else:
        summary.unchanged += 1
    summary.projects += outcome.projects
    summary.amounts += outcome.amounts
    return outcome


def rebuild(engine, *, progress: Progress | None = None, batch: int = 500) -> LoadSummary:
    """Re-extract every stored article from its stored raw text.

    For when the extraction rules or data files change: the original files are
    not needed. Extracted facts and projects are derived data, so they are
    dropped and derived again; articles and their sources stay. All of it is
    one transaction: a rebuild killed half-way leaves the old facts, not a
    database where some articles have none (which a plain `load` would then
    report as unchanged), and readers see the old facts until the new are in.
    A bug in one article rolls back that article's savepoint and rejects it.
    """
    from etl.pipeline import clean_document, extract_articles
    from etl.writer import clear_facts, stored_documents

    prepare_database(engine)
    started = time.perf_counter()
    summary = LoadSummary(run_id=start_run(engine, "rebuild"))
    status = "failed"
    try:
        with engine.begin() as conn:
            clear_facts(conn)
            total = conn.scalar(select(func.count(ArticleRow.id)))
            cache = RunCache.read(conn)
            documents = (clean_document(doc) for doc in stored_documents(engine, batch))
            for item in extract_articles(documents):
                summary.read += 1
                if isinstance(item, Extraction):
                    item = _restore(conn, item, summary, cache)
                if isinstance(item, Rejection):
                    summary.rejected += 1
                    summary.rejections.append(item)
                if progress is not None:
                    progress(summary.read, total)
            apply_figure_moves(conn, cache.corrections)
            apply_project_corrections(conn, cache.corrections)
        for rejection in summary.rejections:  # own transactions, so after the rebuild's
            record_rejection(engine, summary.run_id, rejection)
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        finish_run(engine, summary.run_id, status, summary.counts())
    return summary


def _restore(conn, ex: Extraction, summary: LoadSummary, cache: RunCache) -> Extraction | Rejection:
    try:
        with conn.begin_nested():
            created, amounts = restore(conn, ex, cache)
    except SQLAlchemyError:
        raise
    except Exception as exc:
        cache.reload(conn)
        return rejection_for(exc, ex.article.source, ex.article.source_hash, "storing")
    summary.new += 1
    summary.projects += created
    summary.amounts += amounts
    return ex


# ---------------------------------------------------------------- analysts' corrections


def correct(engine, corrections: Sequence[Correction]) -> list[int]:
    """Store analysts' corrections and apply them where they land (`apply_corrections`), in one
    transaction; returns their ids."""
    with engine.begin() as conn:
        ids = insert_corrections(conn, corrections)
        apply_corrections(conn, corrections)
    return ids


def undo(engine, correction_id: int) -> bool:
    """Undo a correction and derive again what it had changed; False when there is no such active one."""
    with engine.begin() as conn:
        undone = mark_undone(conn, correction_id)
        if undone is None:
            return False
        apply_corrections(conn, [undone])
    return True


def apply_corrections(conn, corrections: Sequence[Correction]) -> int:
    """Derive again only what these corrections (just stored, or just undone) touch, so that
    the database is what `rebuild` would make of it, without re-extracting the corpus.

    Figure and mention corrections: their article is re-extracted and written again.
    Merges, splits and undone project corrections: the projects involved are
    recomposed from their articles; when that moves a mention into another
    project (a split mention rejoining its project), that project is recomposed too
    and the work is redone under a savepoint. Renames, regions and industries: the
    project's corrections are applied again. Returns how many articles were derived again."""
    from etl.pipeline import clean_document, extract_articles

    cache = RunCache.read(conn, articles=False)
    scope = correction_scope(conn, cache, corrections)
    touched, recompose = set(scope.refresh), set(scope.projects)
    extracted: dict[int, Extraction] = {}
    articles: set[int] = set()
    while scope.articles or recompose:
        articles = scope.articles | articles_of(conn, recompose)
        missing = articles - extracted.keys()
        if missing:
            documents = (clean_document(doc) for doc in documents_of(conn, missing))
            extracted.update((int(ex.article.source.removeprefix(REBUILD_SOURCE)), ex)
                             for ex in extract_articles(documents) if isinstance(ex, Extraction))
        savepoint = conn.begin_nested()
        done = rederive(conn, cache, articles, [extracted[i] for i in sorted(articles) if i in extracted], recompose)
        if done.moved - recompose:
            savepoint.rollback()
            cache.reload(conn, articles=False)
            recompose |= done.moved
            continue
        savepoint.commit()
        touched |= done.touched
        break
    settle_projects(conn, touched)
    return len(articles)
