"""Aggregates the charts read, kept by the writer (db.rollups), and stored load changes.

* `figure.in_scale`: whether the figure is in its project's 사업 규모 (decided
  once per project, db.figures.scale_flags); `figure.industries`: the
  project's industries the figure was counted under. The covering figure
  indexes gain `in_scale`; `ix_figure_krw` finds the few figures large
  enough to dominate a total (db.doubt).
* The indexes on project_region/article_region.region_code and
  project_industry/article_industry.industry hold the id too, so a filter's
  ids come from the index alone.
* `rollup_region` (시도 × region × year × role), `rollup_industry` (industry ×
  시도 × year × role), `project_money` (per project), `rollup_projects` (project
  counts per 시도 / 시군구 × industry) and `figure_conflict`.
* `etl_run.changes`: what a load changed (db.changes), stored when it finishes.
* `article_facet`: each article × 시도 × industry ('' for any) with its date, so a
  filter by them reads one index range (filled here from the stored regions
  and industries, in plain SQL).

DDL only. The new tables are derived from `amount`: db.schema refills them
(db.figures.refill_figures) in the transaction that upgrades past this
revision, with the vocabulary the program runs with.

Frozen: plain DDL over the tables as they are at this revision, no app imports.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD_COLUMNS = ("project_id", "role", "krw", "sido_code", "region_code", "year", "first_published", "last_published")
NEW_COLUMNS = ("project_id", "role", "krw", "in_scale", "sido_code", "region_code", "year", "first_published",
               "last_published")
LEADS = (("project", ("project_id",)), ("sido", ("sido_code", "project_id")), ("year", ("year", "project_id")))
MEASURES = (
    ("krw", sa.BigInteger()), ("scale", sa.BigInteger()), ("figures", sa.Integer()), ("doubt", sa.BigInteger()),
    ("doubt_figures", sa.Integer()),
)


def _indexes(columns: tuple[str, ...]) -> None:
    for name, lead in LEADS:
        op.drop_index(f"ix_figure_{name}", table_name="figure", if_exists=True)
        op.create_index(f"ix_figure_{name}", "figure", [*lead, *(c for c in columns if c not in lead)])


def _rollup(name: str, keys: list[sa.Column]) -> None:
    op.create_table(
        name,
        *keys,
        *(sa.Column(m, t, nullable=False) for m, t in MEASURES),
        sa.PrimaryKeyConstraint(*(k.name for k in keys)),
        if_not_exists=True,
    )


COVERED = (  # (table, code column, id column): the index on the code also holds the id
    ("project_region", "region_code", "project_id"), ("project_industry", "industry", "project_id"),
    ("article_region", "region_code", "article_id"), ("article_industry", "industry", "article_id"),
)


def _covered(with_id: bool) -> None:
    for table, code, id_ in COVERED:
        op.drop_index(f"ix_{table}_{code}", table_name=table, if_exists=True)
        op.create_index(f"ix_{table}_{code}", table, [code, id_] if with_id else [code])


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    have = {c["name"] for c in inspector.get_columns("figure")}
    if "in_scale" not in have:
        op.add_column("figure", sa.Column("in_scale", sa.Boolean(), nullable=False, server_default=sa.false()))
    if "industries" not in have:
        op.add_column("figure", sa.Column("industries", sa.String(length=400), nullable=False, server_default=""))
    if "changes" not in {c["name"] for c in inspector.get_columns("etl_run")}:
        op.add_column("etl_run", sa.Column("changes", sa.JSON(), nullable=True))
    _indexes(NEW_COLUMNS)
    _covered(with_id=True)
    op.create_index("ix_figure_krw", "figure", ["krw", "role"], if_not_exists=True)
    op.create_index("ix_figure_doubt", "figure", ["doubt"], if_not_exists=True)
    op.create_index("ix_project_n_articles", "project", ["n_articles"], if_not_exists=True)
    _rollup("rollup_region", [sa.Column("sido_code", sa.String(length=2), nullable=False),
                              sa.Column("region_code", sa.String(length=10), nullable=False),
                              sa.Column("year", sa.Integer(), nullable=False),
                              sa.Column("role", sa.String(length=12), nullable=False)])
    _rollup("rollup_industry", [sa.Column("industry", sa.String(length=20), nullable=False),
                                sa.Column("sido_code", sa.String(length=2), nullable=False),
                                sa.Column("year", sa.Integer(), nullable=False),
                                sa.Column("role", sa.String(length=12), nullable=False)])
    op.create_table(
        "project_money",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.BigInteger(), nullable=False),
        sa.Column("investment", sa.BigInteger(), nullable=False),
        sa.Column("places", sa.Text(), nullable=False),
        sa.Column("industries", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id"),
        if_not_exists=True,
    )
    op.create_index("ix_project_money_scale", "project_money", ["scale"], if_not_exists=True)
    op.create_table(
        "rollup_projects",
        sa.Column("sido_code", sa.String(length=2), nullable=False),
        sa.Column("region_code", sa.String(length=10), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sido_code", "region_code", "industry"),
        if_not_exists=True,
    )
    op.create_table(
        "figure_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("article_a", sa.Integer(), nullable=False),
        sa.Column("krw_a", sa.BigInteger(), nullable=False),
        sa.Column("article_b", sa.Integer(), nullable=False),
        sa.Column("krw_b", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_a"], ["article.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_b"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_figure_conflict_project_id", "figure_conflict", ["project_id"], if_not_exists=True)
    op.create_table(
        "article_facet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sido_code", sa.String(length=2), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_article_facet_article_id", "article_facet", ["article_id"], if_not_exists=True)
    op.create_index("ix_article_facet_lookup", "article_facet", ["sido_code", "industry", "published", "article_id"],
                    if_not_exists=True)
    _fill_facets()


INSERT_FACETS = "INSERT INTO article_facet (article_id, sido_code, industry, published) "
FACET_ROWS = (  # every article; per 시도; per industry; per 시도 and industry
    "SELECT a.id, '', '', a.published FROM article a",
    "SELECT DISTINCT r.article_id, g.sido_code, '', a.published FROM article_region r "
    "JOIN region g ON g.code = r.region_code JOIN article a ON a.id = r.article_id",
    "SELECT i.article_id, '', i.industry, a.published FROM article_industry i JOIN article a ON a.id = i.article_id",
    "SELECT DISTINCT r.article_id, g.sido_code, i.industry, a.published FROM article_region r "
    "JOIN region g ON g.code = r.region_code JOIN article_industry i ON i.article_id = r.article_id "
    "JOIN article a ON a.id = r.article_id",
)


def _fill_facets() -> None:
    """Facets of the stored articles, from their regions and industries (plain SQL)."""
    for rows in FACET_ROWS:
        op.execute(INSERT_FACETS + rows)


def downgrade() -> None:
    op.drop_index("ix_article_facet_lookup", table_name="article_facet")
    op.drop_index("ix_article_facet_article_id", table_name="article_facet")
    op.drop_table("article_facet")
    op.drop_index("ix_figure_conflict_project_id", table_name="figure_conflict")
    op.drop_table("figure_conflict")
    op.drop_index("ix_project_money_scale", table_name="project_money")
    for name in ("rollup_projects", "project_money", "rollup_industry", "rollup_region"):
        op.drop_table(name)
    op.drop_index("ix_project_n_articles", table_name="project")
    op.drop_index("ix_figure_doubt", table_name="figure")
    op.drop_index("ix_figure_krw", table_name="figure")
    _indexes(OLD_COLUMNS)
    _covered(with_id=False)
    op.drop_column("etl_run", "changes")  # not in batch mode: copying etl_run breaks article's key to it
    with op.batch_alter_table("figure") as batch:
        batch.drop_column("industries")
        batch.drop_column("in_scale")
