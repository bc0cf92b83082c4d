"""Filling the `figure` table from the stored amounts in one statement.

The writer keeps `figure` in step article by article (etl.writer); this is the
same result computed from scratch, for migration 0003, for databases built by
bulk inserts (bench/dashboard.py) and as the reference the tests compare the
loader's incremental upserts against.
"""
from __future__ import annotations

from sqlalchemy import Connection, Insert, delete, extract, func, insert, select

from db.models import Amount, Article, Figure

COLUMNS = ("dedup_key", "krw", "role", "project_id", "region_code", "sido_code", "year", "first_published", "last_published",
           "doubt")


def fill_statement() -> Insert:
    """INSERT … SELECT of every figure: attributes from its first amount row
    (lowest id, i.e. the first article loaded), dates over all its articles.
    `year` is the budget year, or the year of that first article when the
    figure has none, as the loader sets it."""
    spans = (
        select(
            Amount.dedup_key,
            func.min(Amount.id).label("first_id"),
            func.min(Article.published).label("first_published"),
            func.max(Article.published).label("last_published"),
        )
        .join(Article, Article.id == Amount.article_id)
        .group_by(Amount.dedup_key)
        .subquery("spans")
    )
    year = func.coalesce(Amount.year, extract("year", Article.published))  # budget year, else the article's
    first = (
        select(
            Amount.dedup_key, Amount.krw, Amount.role, Amount.project_id, Amount.region_code, Amount.sido_code,
            year, spans.c.first_published, spans.c.last_published, Amount.doubt,
        )
        .join(spans, spans.c.first_id == Amount.id)
        .join(Article, Article.id == Amount.article_id)
    )
    return insert(Figure).from_select(list(COLUMNS), first)


def refill_figures(conn: Connection) -> int:
    """Replace the figure table with one computed from `amount`; returns its row count."""
    conn.execute(delete(Figure))
    conn.execute(fill_statement())
    return conn.scalar(select(func.count()).select_from(Figure)) or 0
