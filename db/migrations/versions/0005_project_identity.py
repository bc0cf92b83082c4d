"""Project identity across articles and figures over time.

* `project_merge`: each name an article reported that joined a project it
  did not match exactly, with the score and reason of the decision
  (etl/identity.py), so a merge can be shown and undone.
* `figure` holds current figures only: per project and role those of the
  latest article reporting the role (one figure for the total role), so a
  raised budget replaces the total instead of adding to it (db/figures.py).
  Refilled from `amount`.
* `correction`: analysts' corrections (what, who, when, why), bound to
  article content hashes, spans and project keys (etl/corrections.py).

Idempotent, like 0002 and 0003: a database made by `create_all` is stamped
0001 and may have the table already.

Frozen: plain DDL, and the refill is a copy of db/figures.py's rule as it was
at this revision (the total role was "total"), over the tables as they were
then; no app imports.

Revision ID: 0005
Revises: 0004
Create Date: 2025-01-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


TOTAL_ROLES = ("total",)
REPORT = ("id", "article_id", "published", "dedup_key", "krw", "role", "project_id", "region_code", "sido_code", "year")
amount = sa.table("amount", *(sa.column(c) for c in REPORT if c != "published"))
article = sa.table("article", sa.column("id"), sa.column("published", sa.Date))
figure = sa.table("figure", *(sa.column(c) for c in ("dedup_key", "krw", "role", "project_id", "region_code",
                                                     "sido_code", "year", "first_published", "last_published")))


def _recency(r) -> tuple:
    return (r.published is not None, r.published.toordinal() if r.published else 0, r.article_id)


def current_figures(reports: list) -> list[dict]:
    """db/figures.py's current_figures at revision 0005."""
    reports = sorted(reports, key=lambda r: r.id)
    spans: dict = {}
    for r in reports:
        first, last = spans.get(r.dedup_key, (None, None))
        if r.published is not None:
            first = r.published if first is None or r.published < first else first
            last = r.published if last is None or r.published > last else last
        spans[r.dedup_key] = (first, last)
    groups: dict = {}
    for r in reports:
        groups.setdefault((r.project_id, r.role) if r.project_id is not None else (None, r.dedup_key), []).append(r)
    chosen: dict = {}
    for (project_id, role), group in groups.items():
        if project_id is None:
            chosen.setdefault(group[0].dedup_key, group[0])
            continue
        latest = max(_recency(r) for r in group)
        of_latest = [r for r in group if _recency(r) == latest]
        for r in (of_latest[-1:] if role in TOTAL_ROLES else of_latest):
            chosen.setdefault(r.dedup_key, r)
    return [
        {"dedup_key": key, "krw": r.krw, "role": r.role, "project_id": r.project_id, "region_code": r.region_code,
         "sido_code": r.sido_code, "year": r.year if r.year is not None else (r.published.year if r.published else None),
         "first_published": spans[key][0], "last_published": spans[key][1]}
        for key, r in chosen.items()
    ]


def refill_figures(conn) -> None:
    cols = [amount.c[c] if c != "published" else article.c.published for c in REPORT]
    reports = conn.execute(sa.select(*cols).join(article, article.c.id == amount.c.article_id)).all()
    conn.execute(sa.delete(figure))
    rows = current_figures(reports)
    for start in range(0, len(rows), 5000):
        conn.execute(sa.insert(figure), rows[start:start + 5000])


def upgrade() -> None:
    op.create_table(
        "project_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    for column in ("project_id", "article_id", "key"):
        op.create_index(f"ix_project_merge_{column}", "project_merge", [column], if_not_exists=True)
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    refill_figures(op.get_bind())


def downgrade() -> None:
    op.drop_table("correction")
    op.drop_table("project_merge")
