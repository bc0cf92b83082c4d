"""Which reported won figures are current, and the `figure` table that holds them.

Every report of a figure stays in `amount`, with its article and date: the
history. `figure` holds the figures every total adds up, each once:

* A project's figures of one role are those of the LATEST article that
  reports that role (latest publication date; undated articles before dated
  ones; ties: the later stored article). 1,280억 in March and 1,350억 the next
  February make a 총사업비 of 1,350억 with 1,280억 as its history, not 2,630억.
  Within that article its distinct figures of the role count (도비 200억 and
  시비 440억 are 지방비 640억), except for a role counted as the total
  (vocab roles.toml scale = "total"), of which a project has one: the last
  the article states.
* A figure without a project stands alone (each distinct figure of its article).

`first_published`/`last_published` bound the dates of every article that
reported the figure (its dedup_key), so a date filter can tell whether one
of them falls in a range (db.filters.figure_conditions).

`current_figures` is the rule as a pure function; the writer applies it to the
projects an article touches (etl.writer), `refill_figures` to every amount
(migration 0005 has a frozen copy; bench/dashboard.py and the tests use it).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from db.models import Amount, Article, Figure
from vocab import vocabulary

COLUMNS = ("dedup_key", "krw", "role", "project_id", "region_code", "sido_code", "year", "first_published", "last_published")


class Report(NamedTuple):
    """One stored amount as the rule needs it."""

    amount_id: int
    article_id: int
    published: date | None
    dedup_key: str
    krw: int
    role: str
    project_id: int | None
    region_code: str | None
    sido_code: str | None
    year: int | None


def _recency(r: Report) -> tuple:
    return (r.published is not None, r.published or date.min, r.article_id)


def current_figures(reports: Iterable[Report]) -> list[dict]:
    """The `figure` rows of these reports: per project and role the latest article's figures."""
    totals = set(vocabulary().roles_counted_as("total"))
    reports = sorted(reports, key=lambda r: r.amount_id)
    spans: dict[str, tuple[date | None, date | None]] = {}
    for r in reports:
        first, last = spans.get(r.dedup_key, (None, None))
        if r.published is not None:
            first = r.published if first is None or r.published < first else first
            last = r.published if last is None or r.published > last else last
        spans[r.dedup_key] = (first, last)
    groups: dict[tuple, list[Report]] = {}
    for r in reports:
        groups.setdefault((r.project_id, r.role) if r.project_id is not None else (None, r.dedup_key), []).append(r)
    chosen: dict[str, Report] = {}
    for (project_id, role), group in groups.items():
        if project_id is None:
            chosen.setdefault(group[0].dedup_key, group[0])
            continue
        latest = max(_recency(r) for r in group)
        of_latest = [r for r in group if _recency(r) == latest]
        for r in (of_latest[-1:] if role in totals else of_latest):
            chosen.setdefault(r.dedup_key, r)
    return [
        {"dedup_key": key, "krw": r.krw, "role": r.role, "project_id": r.project_id, "region_code": r.region_code,
         "sido_code": r.sido_code, "year": r.year if r.year is not None else (r.published.year if r.published else None),
         "first_published": spans[key][0], "last_published": spans[key][1]}
        for key, r in chosen.items()
    ]


def _reports(conn: Connection, *where) -> list[Report]:
    stmt = (select(Amount.id, Amount.article_id, Article.published, Amount.dedup_key, Amount.krw, Amount.role,
                   Amount.project_id, Amount.region_code, Amount.sido_code, Amount.year)
            .join(Article, Article.id == Amount.article_id).where(*where))
    return [Report(*row) for row in conn.execute(stmt)]


def update_figures(conn: Connection, project_ids: Sequence[int], article_id: int | None = None) -> None:
    """Recompute the figures of these projects (and of this article's figures without a project)."""
    where = [Amount.project_id.in_(project_ids)] if project_ids else []
    if article_id is not None:
        where.append(and_(Amount.article_id == article_id, Amount.project_id.is_(None)))
    if not where:
        return
    reports = _reports(conn, or_(*where))
    if project_ids:
        conn.execute(delete(Figure).where(Figure.project_id.in_(project_ids)))
    loose = {r.dedup_key for r in reports if r.project_id is None}
    if loose:
        conn.execute(delete(Figure).where(Figure.dedup_key.in_(loose)))
    rows = current_figures(reports)
    if rows:
        conn.execute(insert(Figure), rows)


def refill_figures(conn: Connection) -> int:
    """Replace the figure table with one computed from every amount; returns its row count."""
    conn.execute(delete(Figure))
    rows = current_figures(_reports(conn))
    for start in range(0, len(rows), 5000):
        conn.execute(insert(Figure), rows[start:start + 5000])
    return conn.scalar(select(func.count()).select_from(Figure)) or 0


