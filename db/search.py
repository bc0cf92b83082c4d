"""Korean full-text search over articles through character bigrams.

Korean words carry particles (광양시는, 수소를), so readers search for parts of
words, often only two syllables (광양, 수소). SQLite's FTS5 `trigram` tokenizer
cannot match fewer than three characters, so we index overlapping character
bigrams of every word instead and turn each query word into an FTS5 phrase of
its bigrams: 광양만 -> "광양 양만". A one-character query word has no bigram and
falls back to LIKE.

Between words the indexed text carries `WORD_BREAK`, a private-use character
that the FTS5 tokenizer keeps as a token of its own, so a phrase cannot run
across a word boundary ("광양 양만" in the text would otherwise match 광양만).

Everything dialect-specific lives in this module: SQLite uses the FTS5 table
`article_fts(article_id UNINDEXED, grams)` with rowid = article id; other
dialects fall back to ILIKE for now (a PostgreSQL tsvector over the same
`bigrams()` output can replace `_indexed_match` later).

The loader calls `ensure_search_index(engine)` once and
`index_articles(session, articles)` for every batch of new or changed
articles (after flush, so ids exist); `unindex_articles(session, ids)` when it
deletes articles; `rebuild_search_index(engine)` fills the index from scratch.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import Column, ColumnElement, Connection, Engine, Integer, MetaData, Table, Text, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from db.models import Article

WORD_BREAK = "\ue000"
_WORD = re.compile(r"[^\W_]+")
_FTS_DDL = "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(article_id UNINDEXED, grams)"

_meta = MetaData()
ARTICLE_FTS = Table(
    "article_fts",
    _meta,
    Column("rowid", Integer, primary_key=True),
    Column("article_id", Integer),
    Column("grams", Text),
)
_SQLITE_MASTER = Table("sqlite_master", MetaData(), Column("type", Text), Column("name", Text))


class Indexable(Protocol):
    id: int
    title: str
    text: str


def words(text: str) -> list[str]:
    """Letters-and-digits runs; punctuation and spaces separate words."""
    return _WORD.findall(text or "")


def word_bigrams(word: str) -> list[str]:
    return [word[i : i + 2] for i in range(len(word) - 1)]


def bigrams(text: str) -> str:
    """Space-separated overlapping bigrams of each word, words separated by `WORD_BREAK`.

    >>> bigrams("광양시 수소")
    '광양 양시 \\ue000 수소'
    """
    out: list[str] = []
    for word in words(text):
        grams = word_bigrams(word)
        if not grams:
            continue
        if out:
            out.append(WORD_BREAK)
        out.extend(grams)
    return " ".join(out)


def split_query(query: str | Sequence[str]) -> tuple[list[str], list[str]]:
    """(words of two or more characters, one-character words) of a query."""
    text = query if isinstance(query, str) else " ".join(query)
    found = words(text)
    return [w for w in found if len(w) >= 2], [w for w in found if len(w) == 1]


def fts_query(query: str | Sequence[str]) -> str | None:
    """FTS5 MATCH expression: every word of two or more characters as a phrase of its bigrams."""
    long_words, _ = split_query(query)
    if not long_words:
        return None
    return " AND ".join('"' + " ".join(word_bigrams(w)) + '"' for w in long_words)


def _dialect(session_or_engine: Session | Engine | Connection) -> str:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name


def has_search_index(session: Session | Connection) -> bool:
    """Whether the bigram index exists (databases built before it fall back to LIKE)."""
    if _dialect(session) != "sqlite":
        return False
    found = session.execute(
        select(_SQLITE_MASTER.c.name).where(_SQLITE_MASTER.c.name == ARTICLE_FTS.name)
    ).first()
    return found is not None


def _like_match(word: str, case_insensitive: bool) -> ColumnElement[bool]:
    if case_insensitive:
        return or_(Article.title.icontains(word, autoescape=True), Article.text.icontains(word, autoescape=True))
    return or_(Article.title.contains(word, autoescape=True), Article.text.contains(word, autoescape=True))


def _indexed_match(expression: str) -> ColumnElement[bool]:
    return Article.id.in_(select(ARTICLE_FTS.c.rowid).where(ARTICLE_FTS.c.grams.match(expression)))


def article_match(session: Session, query: str | Sequence[str]) -> ColumnElement[bool]:
    """A condition on `Article` that is true when title or text contains every query word."""
    long_words, short_words = split_query(query)
    sqlite = _dialect(session) == "sqlite"
    conds: list[ColumnElement[bool]] = []
    expression = fts_query(long_words)
    if expression and has_search_index(session):
        conds.append(_indexed_match(expression))
    else:
        conds.extend(_like_match(w, case_insensitive=not sqlite) for w in long_words)
    conds.extend(_like_match(w, case_insensitive=not sqlite) for w in short_words)
    return and_(*conds) if conds else Article.id.is_not(None)


def ensure_search_index(engine: Engine) -> None:
    """Create the index table if missing (SQLite; a no-op elsewhere for now)."""
    if _dialect(engine) != "sqlite":
        return
    with engine.begin() as conn:
        conn.exec_driver_sql(_FTS_DDL)


def unindex_articles(session: Session, ids: Iterable[int]) -> None:
    """Drop articles from the index (before deleting or re-indexing them)."""
    ids = list(ids)
    if ids and has_search_index(session):
        session.execute(delete(ARTICLE_FTS).where(ARTICLE_FTS.c.rowid.in_(ids)))


def index_articles(session: Session, articles: Iterable[Indexable]) -> int:
    """(Re)index title and cleaned text of the given flushed articles; returns how many."""
    rows = [
        {"rowid": a.id, "article_id": a.id, "grams": bigrams(f"{a.title}\n{a.text}")}
        for a in articles
    ]
    if not rows or not has_search_index(session):
        return 0
    unindex_articles(session, [r["rowid"] for r in rows])
    session.execute(insert(ARTICLE_FTS), rows)
    return len(rows)


def rebuild_search_index(engine: Engine, batch: int = 2000) -> int:
    """Index every article from scratch (after a bulk import or a schema reset)."""
    if _dialect(engine) != "sqlite":
        return 0
    ensure_search_index(engine)
    total = 0
    with Session(engine) as session:
        session.execute(delete(ARTICLE_FTS))
        last = 0
        while True:
            chunk = session.execute(
                select(Article.id, Article.title, Article.text).where(Article.id > last).order_by(Article.id).limit(batch)
            ).all()
            if not chunk:
                break
            total += index_articles(session, chunk)
            last = chunk[-1].id
        session.commit()
    return total


def add_to_index(conn: Connection, article_id: int, title: str, text: str) -> None:
    """Index one new article inside the loader's transaction (the index must exist:
    check once with `has_search_index`)."""
    conn.execute(insert(ARTICLE_FTS), {"rowid": article_id, "article_id": article_id, "grams": bigrams(f"{title}\n{text}")})


def remove_from_index(conn: Connection, ids: Iterable[int]) -> None:
    """Drop articles from the index inside the caller's transaction."""
    ids = list(ids)
    if ids and has_search_index(conn):
        conn.execute(delete(ARTICLE_FTS).where(ARTICLE_FTS.c.rowid.in_(ids)))
