"""Korean search on PostgreSQL, a filled search index everywhere, articles by run.

* PostgreSQL: the table `article_search(article_id, doc tsvector)` with a GIN
  index (see db/search.py), filled from the articles already stored.
* SQLite: the FTS5 table of revision 0001 is created if a pre-migration
  database lacks it, and articles missing from it are indexed.
* Both: an index on `article.run_id`, so the dashboard can show what the
  last load added without scanning every article.

Every step is idempotent, because a database made by `create_all` before
migrations is stamped 0001 and may already have some of these.

Frozen: the index text is built by a copy of db/search.py's functions as they
were at this revision, so a later change there cannot change what this
revision did (the loader and `rebuild_search_index` use the live ones).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1000
WORD_BREAK, PG_WORD_BREAK, PG_MAX_TOKENS = "\ue000", "0", 16_000
_WORD = re.compile(r"[^\W_]+")
FTS_DDL = "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(article_id UNINDEXED, grams)"
article = sa.table("article", sa.column("id", sa.Integer), sa.column("title", sa.Text), sa.column("text", sa.Text))
article_search = sa.table("article_search", sa.column("article_id", sa.Integer), sa.column("doc", TSVECTOR))
article_fts = sa.table("article_fts", sa.column("rowid", sa.Integer), sa.column("article_id", sa.Integer),
                       sa.column("grams", sa.Text))


def upgrade() -> None:
    op.create_index("ix_article_run_id", "article", ["run_id"], if_not_exists=True)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.create_table(
            "article_search",
            sa.Column("article_id", sa.Integer(), nullable=False),
            sa.Column("doc", TSVECTOR(), nullable=False),
            sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("article_id"),
            if_not_exists=True,
        )
        op.create_index("ix_article_search_doc", "article_search", ["doc"], postgresql_using="gin", if_not_exists=True)
        _fill(article_search.c.article_id,
              sa.insert(article_search).values(article_id=sa.bindparam("aid"),
                                               doc=sa.func.to_tsvector("simple", sa.bindparam("grams"))),
              lambda r: {"aid": r.id, "grams": pg_document(f"{r.title}\n{r.text}")})
    elif dialect == "sqlite":
        op.execute(FTS_DDL)
        _fill(article_fts.c.rowid, sa.insert(article_fts),
              lambda r: {"rowid": r.id, "article_id": r.id, "grams": bigrams(f"{r.title}\n{r.text}")})


def bigrams(text: str) -> str:
    """Overlapping two-letter pieces of each word, words separated by WORD_BREAK (db/search.py at 0002)."""
    out: list[str] = []
    for word in _WORD.findall(text or ""):
        grams = [word[i:i + 2] for i in range(len(word) - 1)]
        if not grams:
            continue
        if out:
            out.append(WORD_BREAK)
        out.extend(grams)
    return " ".join(out)


def pg_document(text: str) -> str:
    tokens = bigrams(text).split(" ")[:PG_MAX_TOKENS]
    return " ".join(PG_WORD_BREAK if t == WORD_BREAK else t for t in tokens)


def _fill(indexed_id, insert, row) -> None:
    """Index, in batches, the stored articles the index does not have yet."""
    conn = op.get_bind()
    last = 0
    while True:
        chunk = conn.execute(
            sa.select(article.c.id, article.c.title, article.c.text)
            .where(article.c.id > last, article.c.id.not_in(sa.select(indexed_id)))
            .order_by(article.c.id).limit(BATCH)
        ).all()
        if not chunk:
            return
        conn.execute(insert, [row(r) for r in chunk])
        last = chunk[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("article_search")
    op.drop_index("ix_article_run_id", table_name="article")
