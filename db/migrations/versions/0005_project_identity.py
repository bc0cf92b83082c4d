"""Project identity across articles and figures over time.

* `project_merge`: each name an article reported that joined a project it
  did not match exactly, with the score and reason of the decision
  (etl/identity.py), so a merge can be shown and undone.

Idempotent, like 0002 and 0003: a database made by `create_all` is stamped
0001 and may have the table already.

Frozen: plain DDL, no app imports.

Revision ID: 0005
Revises: 0003
Create Date: 2025-01-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


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


def downgrade() -> None:
    op.drop_table("project_merge")
