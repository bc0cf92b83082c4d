"""One row per distinct won figure, for the dashboard's totals.

* `figure`: one row per `amount.dedup_key` with the attributes of the first
  article that reported it and the first and last publication date of all
  the articles that did (see db.models.Figure), filled from the stored
  amounts (db.figures). From here on the loader keeps it in step.
* Three covering indexes on it, in the orders the dashboard groups by.
* The covering index `ix_amount_figure`, which only served the per-query
  GROUP BY that the figure table replaces, is dropped: one index less to
  write for every amount.
* A covering index on period (project_id, start_year, end_year) for the
  timeline's span per project, in place of the one on project_id alone.

Idempotent, like 0002: a database made by `create_all` is stamped 0001 and
may have the table already.

Frozen: the fill is a copy of db/figures.py's statement as it was at this
revision, over the tables as they were then, not the live models.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ("project_id", "role", "krw", "sido_code", "region_code", "year", "first_published", "last_published")
INDEXES = (("project", ("project_id",)), ("sido", ("sido_code", "project_id")), ("year", ("year", "project_id")))
amount = sa.table("amount", *(sa.column(c) for c in ("id", "article_id", "dedup_key", "krw", "role", "project_id",
                                                     "region_code", "sido_code", "year")))
article = sa.table("article", sa.column("id"), sa.column("published", sa.Date))
figure = sa.table("figure", *(sa.column(c) for c in ("dedup_key", *COLUMNS)))


def fill_statement() -> sa.Insert:
    """INSERT … SELECT of every figure: attributes from its first amount row, dates over all its
    articles; `year` is the budget year, else the year of that first article (db/figures.py at 0003)."""
    spans = (
        sa.select(amount.c.dedup_key, sa.func.min(amount.c.id).label("first_id"),
                  sa.func.min(article.c.published).label("first_published"),
                  sa.func.max(article.c.published).label("last_published"))
        .join(article, article.c.id == amount.c.article_id)
        .group_by(amount.c.dedup_key)
        .subquery("spans")
    )
    year = sa.func.coalesce(amount.c.year, sa.extract("year", article.c.published))
    first = (
        sa.select(amount.c.dedup_key, amount.c.krw, amount.c.role, amount.c.project_id, amount.c.region_code,
                  amount.c.sido_code, year, spans.c.first_published, spans.c.last_published)
        .join(spans, spans.c.first_id == amount.c.id)
        .join(article, article.c.id == amount.c.article_id)
    )
    names = ["dedup_key", "krw", "role", "project_id", "region_code", "sido_code", "year", "first_published", "last_published"]
    return sa.insert(figure).from_select(names, first)


def upgrade() -> None:
    op.create_table(
        "figure",
        sa.Column("dedup_key", sa.String(length=120), nullable=False),
        sa.Column("krw", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=10), nullable=True),
        sa.Column("sido_code", sa.String(length=2), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("first_published", sa.Date(), nullable=True),
        sa.Column("last_published", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("dedup_key"),
        if_not_exists=True,
    )
    for name, lead in INDEXES:
        op.create_index(f"ix_figure_{name}", "figure", [*lead, *(c for c in COLUMNS if c not in lead)], if_not_exists=True)
    if not op.get_bind().scalar(sa.text("SELECT count(*) FROM figure")):
        op.execute(fill_statement())
    op.drop_index("ix_amount_figure", table_name="amount", if_exists=True)
    op.create_index("ix_period_project_span", "period", ["project_id", "start_year", "end_year"], if_not_exists=True)
    op.drop_index("ix_period_project_id", table_name="period", if_exists=True)


def downgrade() -> None:
    op.create_index("ix_period_project_id", "period", ["project_id"])
    op.drop_index("ix_period_project_span", table_name="period")
    op.create_index("ix_amount_figure", "amount",
                    ["dedup_key", "krw", "role", "project_id", "sido_code", "region_code", "year", "article_id"])
    op.drop_table("figure")
