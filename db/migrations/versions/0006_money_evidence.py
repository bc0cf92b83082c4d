"""Why each figure counts as project money, and the figures that do not.

* `amount.cue`, `amount.part_of`, `amount.doubt`: the words that decided a
  figure's role, the won value of the figure it is a part of, and why it is
  doubtful (a 조-sized figure with no total or investment cue near it).
* `figure.doubt`: the same for the dashboard's one row per figure, so that a
  chart can say how much doubtful money it holds and a filter can leave it out.
* `excluded_amount`: won figures an article states that are not project money
  (시장 전망, 생산유발 효과, 매출 …), with the reason, its label and the cue,
  pointing at their sentence in `evidence`.

Stored articles gain these with `python -m etl load --rebuild`; until then the
new columns are empty (no figure is doubtful, nothing is listed as excluded).

Frozen: plain DDL over the tables as they are at this revision, no app imports.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


NEW_COLUMNS = {
    "amount": (("cue", sa.String(length=40)), ("part_of", sa.BigInteger()), ("doubt", sa.String(length=80))),
    "figure": (("doubt", sa.String(length=80)),),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table, columns in NEW_COLUMNS.items():
        have = {c["name"] for c in inspector.get_columns(table)}
        for name, type_ in columns:
            if name not in have:  # idempotent, like 0003: a create_all database is stamped 0001 and has them
                op.add_column(table, sa.Column(name, type_, nullable=True))
    op.create_table(
        "excluded_amount",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("krw", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("text", sa.String(length=80), nullable=False),
        sa.Column("cue", sa.String(length=40), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_excluded_amount_article_id", "excluded_amount", ["article_id"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_excluded_amount_article_id", table_name="excluded_amount")
    op.drop_table("excluded_amount")
    for table, columns in NEW_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _type in reversed(columns):
                batch.drop_column(name)
