"""Loading: read → clean → tag → extract → write, for a batch of inputs or a rebuild.

This module only orchestrates and counts: the stages are `etl.pipeline`
(reading, cleaning, tagging, extraction) and `etl.writer` (the one stage that
writes). An input already loaded (same bytes) is skipped before any work is
spent on it. A failure in one input is a rejection of that input; a database
error stops the run.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from db.engine import snapshot
from db.models import Article
from etl.errors import rejection_for
from etl.readers import DEFAULT_MAX_BYTES
from etl.records import Document, Extraction, Rejection
from etl.writer import (
    RunCache,
    finish_run,
    known_sources,
    prepare_database,
    record_rejection,
    restore,
    start_run,
    store_many,
)

Progress = Callable[[int, int | None], None]
# Articles stored per transaction (`etl.writer.store_many`): one commit per batch
# instead of per article. A batch is written once it is this full or its first
# article has waited this long, so a slow input still sees its articles stored.
BATCH = 16
BATCH_SECONDS = 0.5


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
    from etl.pipeline import run

    prepare_database(engine)
    started = time.perf_counter()
    summary = LoadSummary(run_id=start_run(engine, "load"))
    seen = known_sources(engine)
    total = count_inputs(paths)
    with snapshot(engine) as conn:
        cache = RunCache.read(conn)

    def skip(doc: Document) -> bool:
        return bool(doc.source_hash) and doc.source_hash in seen

    def on_skip(_doc: Document) -> None:
        summary.read += 1
        summary.unchanged += 1
        _tick()

    def _tick() -> None:
        if progress is not None:
            progress(summary.read, total)

    pending: list[Extraction] = []
    since = 0.0

    def flush() -> None:
        for ex, result in zip(pending, store_many(engine, pending, summary.run_id, cache)):
            if isinstance(result, Exception):
                reject(rejection_for(result, ex.article.source, ex.article.source_hash, "storing"))
                continue
            summary.new += result.status == "new"
            summary.unchanged += result.status != "new"
            summary.projects += result.projects
            summary.amounts += result.amounts
            seen.add(ex.article.source_hash)
        pending.clear()

    def reject(rejection: Rejection) -> None:
        summary.rejected += 1
        summary.rejections.append(rejection)
        record_rejection(engine, summary.run_id, rejection)

    status = "failed"
    try:
        for item in run(paths, max_bytes=max_bytes, skip=skip, on_skip=on_skip):
            summary.read += 1
            if isinstance(item, Extraction):
                if not pending:
                    since = time.perf_counter()
                pending.append(item)
                if len(pending) >= BATCH or time.perf_counter() - since >= BATCH_SECONDS:
                    flush()
            else:
                reject(item)
            _tick()
        flush()
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        finish_run(engine, summary.run_id, status, summary.counts())
    return summary


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
            total = conn.scalar(select(func.count(Article.id)))
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
