"""Tables for people who do not use the dashboard: projects, amounts, periods, jobs and
the won figures left out as not project money (excluded_amounts).

Each function returns a DataFrame with stable English column names (the
values stay Korean), one row per project, amount or period, ordered by id,
so that an export can be compared with the previous one. A project's won by
role is its current figure (db.figures), like the dashboard's; `amounts` lists
every report. Whole-number columns
that may be empty use pandas' nullable Int64, so a CSV shows `2024`, not
`2024.0`, and an empty cell where nothing was reported.

Titles, names and sentences come from articles, which anyone can write, so
every file written from these tables (the CLI export, the dashboard's
downloads) is made by `csv_bytes` or `workbook_bytes`, which pass each table
through `spreadsheet_safe`, the one place that keeps a cell such as
`=HYPERLINK(…)` from becoming a live formula.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from io import BytesIO
from itertools import groupby

import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from db.models import (
    Amount,
    Article,
    Evidence,
    ExcludedAmount,
    Figure,
    Jobs,
    Period,
    Project,
    ProjectIndustry,
    ProjectRegion,
    Region,
)
from vocab import vocabulary

PROJECT_COLUMNS = [
    "project_id", "name", "status", "sido_code", "sido", "regions", "industries",
    "first_published", "last_published", "n_articles",
]  # then krw_<role> for every role of the vocabulary (`project_columns`)
AMOUNT_COLUMNS = [
    "amount_id", "project_id", "project_name", "role", "role_label", "krw", "text", "year",
    "region_code", "region", "article_id", "article_title", "article_published", "article_url", "evidence",
    "cue", "part_of", "doubt",
]  # cue: the words that decided the role; part_of: krw of the figure it is part of; doubt: why it is doubtful
JOBS_COLUMNS = [
    "jobs_id", "project_id", "project_name", "jobs", "article_id", "article_title", "article_published", "article_url", "evidence",
]
EXCLUDED_COLUMNS = [
    "excluded_id", "krw", "reason", "label", "text", "cue", "article_id", "article_title", "article_published",
    "article_url", "evidence",
]
PERIOD_COLUMNS = [
    "period_id", "project_id", "project_name", "start_year", "end_year", "text",
    "article_id", "article_title", "article_published", "article_url", "evidence",
]


# OWASP's CSV-injection rule: a text cell starting with one of these is read
# as a formula by Excel, LibreOffice or Google Sheets. Full-width forms are
# included because spreadsheet input methods fold them to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
FORMULA_ESCAPE = "'"


def safe_text(value: object) -> object:
    """`value` with a leading quote when it is text that a spreadsheet would run
    as a formula; numbers, dates and empty cells are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return FORMULA_ESCAPE + value
    return value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` in which no text cell starts a formula (see `safe_text`).

    Only text columns are touched, so whole-number columns stay numbers (and
    keep their nullable Int64 type) in the CSV and the workbook. Column names
    are cells too (a chart's table may be pivoted by project name), so they
    are made safe the same way.
    """
    safe = df.copy()
    for position, dtype in enumerate(safe.dtypes):
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)):
            safe.isetitem(position, safe.iloc[:, position].astype(object).map(safe_text))
    safe.columns = safe.columns.map(
        lambda label: tuple(map(safe_text, label)) if isinstance(label, tuple) else safe_text(label))
    return safe


CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM, so Excel on Korean Windows opens Hangul correctly
# Characters openpyxl refuses in a cell (XML 1.0 forbids them); tab and newline are allowed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_bytes(df: pd.DataFrame) -> bytes:
    """`df` as a CSV file for spreadsheets: formulas neutralised, UTF-8 with BOM,
    CRLF rows, so that a carriage return inside a cell is quoted, not a row break."""
    return spreadsheet_safe(df).to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def workbook_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx file with one sheet per table, formulas neutralised.

    Characters that a workbook cannot hold are removed first, so that
    "\x01=cmd" cannot turn into "=cmd" after the formula check.
    """
    out = BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, df in sheets.items():
            spreadsheet_safe(_workbook_text(df)).to_excel(writer, index=False, sheet_name=name[:31] or "data")
    return out.getvalue()


def _workbook_text(df: pd.DataFrame) -> pd.DataFrame:
    clean = df.copy()
    for position, dtype in enumerate(clean.dtypes):
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
            column = clean.iloc[:, position].astype(object)
            clean.isetitem(position, column.map(lambda v: _XML_ILLEGAL.sub("", v) if isinstance(v, str) else v))
    return clean


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
               Amount.year, Amount.region_code, Region.name, *_article_columns(), Amount.cue, Amount.part_of,
               Amount.doubt)
        .join(Article, Article.id == Amount.article_id)
        .join(Evidence, Evidence.id == Amount.evidence_id)
        .outerjoin(Project, Project.id == Amount.project_id)
        .outerjoin(Region, Region.code == Amount.region_code)
        .order_by(Amount.id)
    )
    df = _frame(session, stmt, AMOUNT_COLUMNS, ("amount_id", "project_id", "krw", "year", "article_id", "part_of"))
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


def excluded_amounts(session: Session) -> pd.DataFrame:
    """Every won figure an article states that is not project money (시장 전망, 매출 …), with
    the reason (a key of [exclude.*] in etl/data/money.toml), its label, the cue and the sentence."""
    stmt = (
        select(ExcludedAmount.id, ExcludedAmount.krw, ExcludedAmount.reason, ExcludedAmount.label, ExcludedAmount.text,
               ExcludedAmount.cue, *_article_columns())
        .join(Article, Article.id == ExcludedAmount.article_id)
        .join(Evidence, Evidence.id == ExcludedAmount.evidence_id)
        .order_by(ExcludedAmount.id)
    )
    return _frame(session, stmt, EXCLUDED_COLUMNS, ("excluded_id", "krw", "article_id"))
