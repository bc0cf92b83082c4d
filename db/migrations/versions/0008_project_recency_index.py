"""The projects in order of their latest article, read from an index.

The overview's newest projects and the project table's default order ask for
the projects most recently reported: `ix_project_recent` (last_published, id)
lets the database walk them newest first and stop at the page, instead of
sorting every matching project (tens of thousands at 100,000 articles).

Frozen: plain DDL, no app imports. A database made by `create_all` (stamped, then upgraded)
has the index already.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("project")}
    if "ix_project_recent" not in have:  # a database made by create_all before migrations has it
        op.create_index("ix_project_recent", "project", ["last_published", "id"])


def downgrade() -> None:
    op.drop_index("ix_project_recent", table_name="project")
