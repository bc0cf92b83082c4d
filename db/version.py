"""The data version: what a cached result of the dashboard is keyed by.

Kept apart from db.queries so that db.search can key what it remembers on it
without importing the queries that use the search.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Article, Correction, EtlRun


def data_version(session: Session) -> tuple:
    """Changes whenever a load finishes or an analyst's correction is applied or undone (they
    derive facts again without a load): the cache key for every other query."""
    row = session.execute(
        select(EtlRun.id, EtlRun.finished_at, EtlRun.status).order_by(EtlRun.id.desc()).limit(1)
    ).first()
    n = session.scalar(select(func.max(Article.id)))
    corrections = tuple(session.execute(select(func.max(Correction.id), func.count(Correction.undone_at))).one())
    return ((row.id, str(row.finished_at), row.status, n) if row else (0, "", "", n)) + corrections
