"""Tables for people who do not use the dashboard: projects, amounts, periods and jobs.

Each function returns a DataFrame with stable English column names (the
values stay Korean), one row per project, amount or period, ordered by id,
so that an export can be compared with the previous one. A project's won by
role is its current figure (db.figures), like the dashboard's; `amounts` lists
every report. Whole-number columns
that may be empty use pandas' nullable Int64, so a CSV shows `2024`, not
`2024.0`, and an empty cell where nothing was reported.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from db.models import Amount, Article, Evidence, Figure, Jobs, Period, Project, ProjectIndustry, ProjectRegion, Region
from vocab import vocabulary

PROJECT_COLUMNS = [
    "project_id", "name", "status", "sido_code", "sido", "regions", "industries",
    "first_published", "last_published", "n_articles",
]  # then krw_<role> for every role of the vocabulary (`project_columns`)
AMOUNT_COLUMNS = [
    "amount_id", "project_id", "project_name", "role", "role_label", "krw", "text", "year",
    "region_code", "region", "article_id", "article_title", "article_published", "article_url", "evidence",
]
JOBS_COLUMNS = [
    "jobs_id", "project_id", "project_name", "jobs", "article_id", "article_title", "article_published", "article_url", "evidence",
]
PERIOD_COLUMNS = [
    "period_id", "project_id", "project_name", "start_year", "end_year", "text",
    "article_id", "article_title", "article_published", "article_url", "evidence",
]


def _with_ints(df: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Whole-number columns as nullable Int64 (PostgreSQL sums arrive as Decimal)."""
    for name in names:
        df[name] = pd.array([None if pd.isna(v) else int(v) for v in df[name]], dtype="Int64")
    return df


def _frame(session: Session, stmt: Select, columns: Sequence[str], ints: Sequence[str]) -> pd.DataFrame:
    return _with_ints(pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=list(columns)), ints)


def _joined(session: Session, stmt: Select, sep: str) -> dict[int, str]:
    """(project_id, text) rows, ordered by project, joined per project."""
    rows = session.execute(stmt).all()
    return {pid: sep.join(r[1] for r in group) for pid, group in groupby(rows, key=lambda r: r[0])}


def _role_totals(session: Session) -> dict[int, dict[str, int]]:
    """Per project and role its current won figure (db.figures: the latest report, not a sum of reports)."""
    roles = vocabulary().role_codes
    sums = [func.sum(case((Figure.role == role, Figure.krw))).label(role) for role in roles]
    rows = session.execute(select(Figure.project_id, *sums).where(Figure.project_id.is_not(None))
                           .group_by(Figure.project_id)).all()
    return {r[0]: {role: value for role, value in zip(roles, r[1:])} for r in rows}


def project_columns() -> list[str]:
    """The columns of `projects`: one won column per role of the vocabulary."""
    return [*PROJECT_COLUMNS, *(f"krw_{role}" for role in vocabulary().role_codes)]


def projects(session: Session) -> pd.DataFrame:
    """One row per project: 시도, regions, industries, dates, article count, won by role."""
    regions = _joined(session, select(ProjectRegion.project_id, Region.name)
                      .join(Region, Region.code == ProjectRegion.region_code)
                      .order_by(ProjectRegion.project_id, Region.code), "; ")
    industries = _joined(session, select(ProjectIndustry.project_id, ProjectIndustry.industry)
                         .order_by(ProjectIndustry.project_id, ProjectIndustry.industry), ", ")
    totals = _role_totals(session)
    rows = session.execute(
        select(Project.id, Project.name, Project.status, Project.sido_code, Region.name,
               Project.first_published, Project.last_published, Project.n_articles)
        .outerjoin(Region, Region.code == Project.sido_code)
        .order_by(Project.id)
    ).all()
    records = [
        (pid, name, status, sido_code, sido, regions.get(pid, ""), industries.get(pid, ""), first, last, n,
         *(totals.get(pid, {}).get(role) for role in vocabulary().role_codes))
        for pid, name, status, sido_code, sido, first, last, n in rows
    ]
    columns = project_columns()
    return _with_ints(pd.DataFrame(records, columns=columns), ("project_id", "n_articles", *columns[len(PROJECT_COLUMNS):]))


def _article_columns():
    return (Article.id, Article.title, Article.published, Article.url, Evidence.sentence)


def amounts(session: Session) -> pd.DataFrame:
    """Every won figure as stated in an article, with its role, region and source sentence."""
    stmt = (
        select(Amount.id, Amount.project_id, Project.name, Amount.role, Amount.role, Amount.krw, Amount.text,
               Amount.year, Amount.region_code, Region.name, *_article_columns())
        .join(Article, Article.id == Amount.article_id)
        .join(Evidence, Evidence.id == Amount.evidence_id)
        .outerjoin(Project, Project.id == Amount.project_id)
        .outerjoin(Region, Region.code == Amount.region_code)
        .order_by(Amount.id)
    )
    df = _frame(session, stmt, AMOUNT_COLUMNS, ("amount_id", "project_id", "krw", "year", "article_id"))
    labels = vocabulary().role_labels
    df["role_label"] = [labels.get(r, r) for r in df["role"]]
    return df


def periods(session: Session) -> pd.DataFrame:
    """Every project period (start and end year) as stated in an article."""
    stmt = (
        select(Period.id, Period.project_id, Project.name, Period.start_year, Period.end_year, Period.text,
               *_article_columns())
        .join(Article, Article.id == Period.article_id)
        .join(Evidence, Evidence.id == Period.evidence_id)
        .outerjoin(Project, Project.id == Period.project_id)
        .order_by(Period.id)
    )
    return _frame(session, stmt, PERIOD_COLUMNS, ("period_id", "project_id", "start_year", "end_year", "article_id"))


def jobs(session: Session) -> pd.DataFrame:
    """Every jobs figure (고용 N명, 일자리 N개) as stated in an article, with its sentence."""
    stmt = (
        select(Jobs.id, Jobs.project_id, Project.name, Jobs.count, *_article_columns())
        .join(Article, Article.id == Jobs.article_id)
        .join(Evidence, Evidence.id == Jobs.evidence_id)
        .outerjoin(Project, Project.id == Jobs.project_id)
        .order_by(Jobs.id)
    )
    return _frame(session, stmt, JOBS_COLUMNS, ("jobs_id", "project_id", "jobs", "article_id"))
