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

Each project's figures carry `in_scale` (`scale_flags`): its 총사업비 when that is
at least the sum of its parts, else its parts. 사업 규모 of any group is then a
plain sum of flagged figures, so the groups of a chart add up to the total.

`current_figures` is the rule as a pure function; the writer applies it to the
projects an article touches (etl.writer, through `update_figures`, which also
keeps db.rollups and the stored conflicts in step), `refill_figures` to every
amount (migration 0005 has a frozen copy; bench/dashboard.py and the tests use it).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from db import rollups
from db.models import Amount, Article, Figure, FigureConflict, ProjectIndustry
from vocab import vocabulary

COLUMNS = ("dedup_key", "krw", "role", "project_id", "region_code", "sido_code", "year", "first_published", "last_published",
           "doubt")


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
    doubt: str | None = None  # why the extractor doubts it (db.doubt)


def _recency(r: Report) -> tuple:
    return (r.published is not None, r.published or date.min, r.article_id)


def current_figures(reports: Iterable[Report], industries: Mapping[int, str] | None = None) -> list[dict]:
    """The `figure` rows of these reports: per project and role the latest article's figures,
    flagged for 사업 규모 (`scale_flags`), with their project's `industries` (rollups.industries_text)."""
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
    industries = industries or {}
    rows = [
        {"dedup_key": key, "krw": r.krw, "role": r.role, "project_id": r.project_id, "region_code": r.region_code,
         "sido_code": r.sido_code, "year": r.year if r.year is not None else (r.published.year if r.published else None),
         "first_published": spans[key][0], "last_published": spans[key][1], "doubt": r.doubt,
         "industries": industries.get(r.project_id, "") if r.project_id is not None else ""}
        for key, r in chosen.items()
    ]
    flags = scale_flags(rows)
    return [{**row, "in_scale": flag} for row, flag in zip(rows, flags)]


def scale_flags(rows: Sequence[Mapping]) -> list[bool]:
    """Per figure row, whether it is in its project's 사업 규모: per project, the figures
    of the total role when they are at least the sum of the parts, else the parts
    (vocab roles.toml `scale`); a figure without a project stands alone. 투자 유치
    (scale "separate") never is."""
    v = vocabulary()
    totals, parts = set(v.roles_counted_as("total")), set(v.roles_counted_as("part"))
    sums: dict[int, list[int]] = {}
    for row in rows:
        if row["project_id"] is not None:
            t_p = sums.setdefault(row["project_id"], [0, 0])
            t_p[0] += row["krw"] if row["role"] in totals else 0
            t_p[1] += row["krw"] if row["role"] in parts else 0
    flags = []
    for row in rows:
        if row["project_id"] is None:
            flags.append(row["role"] in totals or row["role"] in parts)
            continue
        total, part = sums[row["project_id"]]
        flags.append(row["role"] in (totals if total >= part else parts))
    return flags


def article_values(reports: Iterable[Report]) -> dict[tuple[int, str], list[tuple[tuple, int, int]]]:
    """Per (project, role), each article's value of the role in date order: ((recency), article_id, krw).

    An article's value follows the rule of `current_figures`: its last total,
    or the sum of its distinct figures of another role."""
    totals = set(vocabulary().roles_counted_as("total"))
    by_article: dict[tuple[int, str, int], dict[int, int]] = {}
    recency: dict[int, tuple] = {}
    for r in sorted(reports, key=lambda r: r.amount_id):
        if r.project_id is None:
            continue
        figures = by_article.setdefault((r.project_id, r.role, r.article_id), {})
        if r.role in totals:
            figures.clear()
        figures[r.krw] = r.krw
        recency[r.article_id] = _recency(r)
    values: dict[tuple[int, str], list] = {}
    for (project_id, role, article_id), figures in by_article.items():
        values.setdefault((project_id, role), []).append((recency[article_id], article_id, sum(figures)))
    return {key: sorted(v) for key, v in values.items()}


def conflicts(reports: Iterable[Report], days: int) -> list[tuple[int, str, int, int, int, int]]:
    """(project_id, role, article_a, krw_a, article_b, krw_b): two dated articles at most `days`
    apart whose values of one project's role differ. Neither is added to the other; the
    later one is still the current figure, the pair is shown for an analyst to settle."""
    found = []
    for (project_id, role), values in article_values(reports).items():
        dated = [v for v in values if v[0][0]]
        for i, (when_a, article_a, krw_a) in enumerate(dated):
            for when_b, article_b, krw_b in dated[i + 1:]:
                if (when_b[1] - when_a[1]).days > days:
                    break
                if krw_a != krw_b:
                    found.append((project_id, role, article_a, krw_a, article_b, krw_b))
    return found


def project_reports(conn: Connection, project_ids: Sequence[int] | None = None) -> list[Report]:
    """The stored reports of these projects (None: of every project)."""
    return _reports(conn, Amount.project_id.in_(project_ids) if project_ids is not None else Amount.project_id.is_not(None))


def _reports(conn: Connection, *where) -> list[Report]:
    stmt = (select(Amount.id, Amount.article_id, Article.published, Amount.dedup_key, Amount.krw, Amount.role,
                   Amount.project_id, Amount.region_code, Amount.sido_code, Amount.year, Amount.doubt)
            .join(Article, Article.id == Amount.article_id).where(*where))
    return [Report(*row) for row in conn.execute(stmt)]


def project_industries(conn: Connection, project_ids: Sequence[int] | None = None) -> dict[int, str]:
    """Each project's industries as figure rows store them (rollups.industries_text)."""
    stmt = select(ProjectIndustry.project_id, ProjectIndustry.industry)
    if project_ids is not None:
        stmt = stmt.where(ProjectIndustry.project_id.in_(project_ids))
    found: dict[int, list[str]] = {}
    for project_id, industry in conn.execute(stmt):
        found.setdefault(project_id, []).append(industry)
    return {pid: rollups.industries_text(names) for pid, names in found.items()}


def update_figures(conn: Connection, project_ids: Sequence[int], article_ids: Sequence[int] = ()) -> None:
    """Recompute the figures of these projects (and of these articles' figures without a
    project), with what is kept from them: db.rollups, `project_money` and the stored conflicts.

    Call it for every project whose amounts, industries or identity changed (a
    merged-away project too): the rollups count a figure under the industries
    its row was written with. Once for many projects costs the statements of one."""
    project_ids = sorted(set(project_ids))
    where = [Amount.project_id.in_(project_ids)] if project_ids else []
    if article_ids:
        where.append(and_(Amount.article_id.in_(sorted(set(article_ids))), Amount.project_id.is_(None)))
    if not where:
        return
    reports = _reports(conn, or_(*where))
    loose = sorted({r.dedup_key for r in reports if r.project_id is None})
    replaced = [Figure.project_id.in_(project_ids)] if project_ids else []
    if loose:
        replaced.append(Figure.dedup_key.in_(loose))
    removed = rollups.figure_rows(conn, or_(*replaced))
    conn.execute(delete(Figure).where(or_(*replaced)))
    industries = project_industries(conn, project_ids)
    rows = current_figures(reports, industries)
    if rows:
        conn.execute(insert(Figure), rows)
    rollups.replace(conn, removed, rows)
    rollups.update_project_money(conn, project_ids, rows, industries)
    _store_conflicts(conn, project_ids, [r for r in reports if r.project_id is not None])


def _store_conflicts(conn: Connection, project_ids: Sequence[int], reports: Sequence[Report]) -> None:
    if project_ids:
        conn.execute(delete(FigureConflict).where(FigureConflict.project_id.in_(project_ids)))
    rows = conflict_rows(reports)
    if rows:
        conn.execute(insert(FigureConflict), rows)


def conflict_rows(reports: Iterable[Report]) -> list[dict]:
    """`figure_conflict` rows of these reports (see `conflicts`)."""
    names = ("project_id", "role", "article_a", "krw_a", "article_b", "krw_b")
    return [dict(zip(names, c)) for c in conflicts(reports, vocabulary().conflict_days)]


def forget_loose_figures(conn: Connection, article_ids: Sequence[int]) -> None:
    """Drop the figures of these articles' amounts without a project, before the amounts
    are derived again (an analyst's correction): each stands alone, keyed by its article."""
    keys = select(Amount.dedup_key).where(Amount.article_id.in_(article_ids), Amount.project_id.is_(None))
    loose = (Figure.project_id.is_(None), Figure.dedup_key.in_(keys))
    rollups.replace(conn, rollups.figure_rows(conn, *loose), [])  # what they added to the rollups goes too
    conn.execute(delete(Figure).where(*loose))


def refill_figures(conn: Connection) -> int:
    """Replace the figure table (and what is kept from it: db.rollups, the stored
    conflicts) with one computed from every amount; returns its row count."""
    conn.execute(delete(Figure))
    conn.execute(delete(FigureConflict))
    reports = _reports(conn)
    rows = current_figures(reports, project_industries(conn))
    for start in range(0, len(rows), 5000):
        conn.execute(insert(Figure), rows[start:start + 5000])
    conflict = conflict_rows([r for r in reports if r.project_id is not None])
    for start in range(0, len(conflict), 5000):
        conn.execute(insert(FigureConflict), conflict[start:start + 5000])
    rollups.refill(conn)
    return conn.scalar(select(func.count()).select_from(Figure)) or 0


