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

Everything dialect-specific lives in this module:

* SQLite: the FTS5 table `article_fts(article_id UNINDEXED, grams)` with
  rowid = article id; a query word is an FTS5 phrase.
* PostgreSQL: the table `article_search(article_id, doc tsvector)` with a GIN
  index, `doc = to_tsvector('simple', grams)` over the same `bigrams()` text
  (the 'simple' configuration lower-cases and neither stems nor drops
  anything). A query word becomes `phraseto_tsquery('simple', '광양 양만')`,
  i.e. '광양' <-> '양만': the bigrams at adjacent positions. `WORD_BREAK` is
  replaced by `PG_WORD_BREAK` there, because whether PostgreSQL's parser
  keeps a private-use character as a token depends on the database's
  LC_CTYPE (it does under C, it drops it under C.UTF-8); a one-character
  ASCII token is kept under every locale and never equals a bigram. Positions
  stop at 16383 in a tsvector, so only the first `PG_MAX_TOKENS` bigrams of
  an article are indexed there (roughly its first 16,000 characters).
* Other dialects, and databases without the index table, fall back to LIKE
  (ILIKE where LIKE is case-sensitive).

The index table is created by the migrations (db/migrations); the loader calls
`has_search_index(conn)` once per run and executes `index_statement(dialect)`
over `index_rows(dialect, ...)` for its articles inside its transaction (a
batch's rows at once), `remove_from_index(conn, ids)` before
re-indexing; `index_articles(session, articles)` and
`unindex_articles(session, ids)` do the same through a Session, and
`rebuild_search_index(engine)` fills the index from scratch.
"""
from __future__ import annotations

import json
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    func,
    inspect,
    not_,
    insert,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Session

from db.models import Article, Project, ProjectMention
from db.version import data_version

WORD_BREAK = "\ue000"
PG_WORD_BREAK = "0"
PG_MAX_TOKENS = 16_000
MAX_TERMS = 8  # words of one search (see `search_terms`)
MAX_TERM_CHARS = 30  # characters of one search word
PG_CONFIG = "simple"
_MEMO = "db.search.memo"  # Session.info key of `_per_transaction`
DATA_VERSION = "db.data_version"  # Session.info key: the data version the session reads (see `remembered`)
PROBE_RATIO = 150  # listing one match costs about 1/150 of looking one article up (SQLite FTS5)
SHARED_ENTRIES = 32  # values `remembered` keeps (a search: up to half the project ids), least recently used dropped first
_SHARED: OrderedDict[tuple, object] = OrderedDict()
_SHARED_LOCK = threading.Lock()
T = TypeVar("T")
_WORD = re.compile(r"[^\W_]+")
_GRAM_WORD = re.compile(r"[^\W_]{2,}")  # the words `bigrams` indexes: a one-letter word has no bigram
_GRAM_SEPARATOR = f" {WORD_BREAK} "
_FTS_DDL = "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(article_id UNINDEXED, grams)"

_meta = MetaData()
ARTICLE_FTS = Table(
    "article_fts",
    _meta,
    Column("rowid", Integer, primary_key=True),
    Column("article_id", Integer),
    Column("grams", Text),
)
ARTICLE_SEARCH = Table(
    "article_search",
    _meta,
    Column("article_id", Integer, ForeignKey(Article.__table__.c.id, ondelete="CASCADE"), primary_key=True),
    Column("doc", TSVECTOR, nullable=False),
    Index("ix_article_search_doc", "doc", postgresql_using="gin"),
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
    return list(map(operator.add, word, word[1:]))


def bigrams(text: str) -> str:
    """Space-separated overlapping bigrams of each word, words separated by `WORD_BREAK`.

    >>> bigrams("광양시 수소")
    '광양 양시 \\ue000 수소'

    Every article's whole text goes through here when it is stored: the pairs are made
    by `map` and joined per word (loops in C), one-letter words are left out by the
    regular expression itself.
    """
    join = " ".join
    return _GRAM_SEPARATOR.join([join(map(operator.add, w, w[1:])) for w in _GRAM_WORD.findall(text or "")])


def pg_document(text: str) -> str:
    """`bigrams(text)` as PostgreSQL indexes it: a locale-proof word break, at most
    `PG_MAX_TOKENS` tokens (tsvector positions end at 16383)."""
    grams = bigrams(text)
    tokens = grams.split(" ", PG_MAX_TOKENS)  # split no further than the cut needs
    if len(tokens) > PG_MAX_TOKENS:
        grams = " ".join(tokens[:PG_MAX_TOKENS])
    return grams.replace(WORD_BREAK, PG_WORD_BREAK)  # a bigram never holds WORD_BREAK: only the breaks change


def search_terms(query: str) -> tuple[tuple[str, ...], bool]:
    """The words a search uses, and whether the query was cut to get them.

    Every word becomes a condition (a phrase of bigrams, or a LIKE), and a
    pasted paragraph would make thousands: SQLite stops with "Expression tree
    is too large", PostgreSQL with "stack depth limit exceeded". At most
    `MAX_TERMS` words of at most `MAX_TERM_CHARS` characters are used, and the
    caller says so when the query was cut.
    """
    found = list(dict.fromkeys(words(query)))  # a repeated word adds nothing
    kept = tuple(w[:MAX_TERM_CHARS] for w in found[:MAX_TERMS])
    return kept, len(found) > MAX_TERMS or any(len(w) > MAX_TERM_CHARS for w in found[:MAX_TERMS])


def split_query(query: str | Sequence[str]) -> tuple[list[str], list[str]]:
    """(words of two or more characters, one-character words) of a query, bounded by `search_terms`."""
    text = query if isinstance(query, str) else " ".join(query)
    found, _ = search_terms(text)
    return [w for w in found if len(w) >= 2], [w for w in found if len(w) == 1]


def fts_query(query: str | Sequence[str]) -> str | None:
    """FTS5 MATCH expression: every word of two or more characters as a phrase of its bigrams."""
    long_words, _ = split_query(query)
    if not long_words:
        return None
    return " AND ".join('"' + " ".join(word_bigrams(w)) + '"' for w in long_words)


def _bind(session_or_engine: Session | Engine | Connection) -> Engine | Connection:
    return session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine


def _dialect(session_or_engine: Session | Engine | Connection) -> str:
    return _bind(session_or_engine).dialect.name


def has_search_index(session: Session | Connection) -> bool:
    """Whether the bigram index exists (databases built before it fall back to LIKE).

    Through a Session the answer is kept for the session's transaction: one
    search query asks several times, and on PostgreSQL each asking is a
    catalogue query."""
    if isinstance(session, Session):
        return _per_transaction(session, ("has_search_index",), lambda: _has_search_index(session))
    return _has_search_index(session)


def _has_search_index(session: Session | Connection) -> bool:
    dialect = _dialect(session)
    if dialect == "sqlite":
        found = session.execute(
            select(_SQLITE_MASTER.c.name).where(_SQLITE_MASTER.c.name == ARTICLE_FTS.name)
        ).first()
        return found is not None
    if dialect == "postgresql":
        conn = session.connection() if isinstance(session, Session) else session
        return inspect(conn).has_table(ARTICLE_SEARCH.name)
    return False


def _per_transaction(session: Session, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, once per transaction of `session`: the statements of one query
    function share a session, and a search used by several of them (articles,
    projects, figures) is worked out once. A new transaction computes afresh, so
    a value never outlives the data it was read from."""
    memo = session.info.setdefault(_MEMO, {})
    found = memo.get(key)
    if found is not None and found[0] is session.get_transaction() and found[0] is not None:
        return found[1]
    value = compute()
    memo[key] = (session.get_transaction(), value)
    return value


def remembered(session: Session, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per database and data version (db.version): a page runs several
    query functions, each on its own session, over one search; its matching projects
    are looked up once, not once per chart, and again only after a load or a correction.

    The version is the one the session says it reads (`Session.info[DATA_VERSION]`, as
    the dashboard's cache sets it: its results are keyed by the same version, so this is
    never staler than they are), else read once per transaction (three small queries)."""
    version = session.info.get(DATA_VERSION)
    if version is None:
        version = _per_transaction(session, ("data_version",), lambda: data_version(session))
    shared = (str(_bind(session).url), version, key)
    with _SHARED_LOCK:
        if shared in _SHARED:
            _SHARED.move_to_end(shared)
            return _SHARED[shared]
    value = compute()
    with _SHARED_LOCK:
        _SHARED[shared] = value
        while len(_SHARED) > SHARED_ENTRIES:
            _SHARED.popitem(last=False)
    return value


def forget_remembered() -> None:
    """Empty the memo of `remembered` (a benchmark's cold run; tests)."""
    with _SHARED_LOCK:
        _SHARED.clear()


def _like_match(word: str, case_insensitive: bool) -> ColumnElement[bool]:
    if case_insensitive:
        return or_(Article.title.icontains(word, autoescape=True), Article.text.icontains(word, autoescape=True))
    return or_(Article.title.contains(word, autoescape=True), Article.text.contains(word, autoescape=True))


def _indexed_ids(expression: str) -> Select:
    return select(ARTICLE_FTS.c.rowid).where(ARTICLE_FTS.c.grams.match(expression))


def _pg_indexed_ids(long_words: Sequence[str]) -> Select:
    """Every word as a phrase of its bigrams: '광양' <-> '양만' (see module doc)."""
    phrases = [
        ARTICLE_SEARCH.c.doc.bool_op("@@")(func.phraseto_tsquery(PG_CONFIG, " ".join(word_bigrams(w))))
        for w in long_words
    ]
    return select(ARTICLE_SEARCH.c.article_id).where(*phrases)


def _index_ids(session: Session, long_words: Sequence[str]) -> Select | None:
    """Ids of the articles whose indexed text has every long word, or None without an index."""
    if not long_words or not has_search_index(session):
        return None
    return _pg_indexed_ids(long_words) if _dialect(session) == "postgresql" else _indexed_ids(fts_query(long_words))


def index_only_ids(session: Session, query: str | Sequence[str]) -> Select | None:
    """Ids of the articles matching `query` when the index alone decides (every word
    long enough to be indexed), else None: counted there, no article row is read."""
    long_words, short_words = split_query(query)
    return None if short_words else _index_ids(session, long_words)


def article_match(session: Session, query: str | Sequence[str], article_id: ColumnElement | None = None,
                  probe: bool = False) -> ColumnElement[bool]:
    """A condition on `Article` that is true when title or text contains every query word
    (`article_id`: how to compare the article's id, see db.filters.article_conditions).

    `probe`: ask the index about each article the statement reads, rather than list
    every match first; for a list newest first of a search most articles match
    (`probing_pays`). SQLite's FTS5 looks one rowid up in its match quickly; elsewhere
    the list of matches is used all the same."""
    long_words, short_words = split_query(query)
    case_insensitive = _dialect(session) != "sqlite"  # SQLite's LIKE already ignores ASCII case
    conds: list[ColumnElement[bool]] = []
    indexed = _index_ids(session, long_words)
    if indexed is not None and probe and _dialect(session) == "sqlite":
        conds.append(exists(select(ARTICLE_FTS.c.rowid).where(
            ARTICLE_FTS.c.rowid == Article.id, ARTICLE_FTS.c.grams.match(fts_query(long_words)))))
    elif indexed is not None:
        conds.append((Article.id if article_id is None else article_id).in_(indexed))
    else:
        conds.extend(_like_match(w, case_insensitive) for w in long_words)
    conds.extend(_like_match(w, case_insensitive) for w in short_words)
    return and_(*conds) if conds else Article.id.is_not(None)


def match_count(session: Session, query: str | Sequence[str]) -> int | None:
    """How many articles match `query` by the index alone (`index_only_ids`), counted once
    per data version (`remembered`: the overview's count and its list share it); None
    when the index cannot say alone."""
    found = index_only_ids(session, query)
    if found is None:
        return None
    words_ = tuple(split_query(query)[0])
    return remembered(session, ("match_count", words_),
                      lambda: session.scalar(select(func.count()).select_from(found.subquery("found"))) or 0)


def _article_count(session: Session) -> int:
    return remembered(session, ("article_count",), lambda: session.scalar(select(func.count()).select_from(Article)) or 0)


def probing_pays(session: Session, query: str | Sequence[str], rows: int) -> bool:
    """Whether `rows` matches of a list newest first are found sooner by walking the
    articles in that order and asking the index about each (`article_match(probe=True)`)
    than by listing every match: when the walk is expected to ask about fewer articles
    than `PROBE_RATIO`-th of the matches (a lookup costs about as much as listing that
    many). Only SQLite's index answers one article quickly."""
    if _dialect(session) != "sqlite":
        return False
    matches = match_count(session, query)
    if not matches:
        return False
    articles = _article_count(session)
    return rows * articles / matches * PROBE_RATIO < matches


def mentioned_projects(session: Session, query: str | Sequence[str]) -> Select:
    """Ids of the projects mentioned in the articles that match `query`: a search
    for 구미 finds the projects of the articles about 구미, not only those named so.

    When the index alone decides the match, the mentions are looked up by the
    index's article ids directly, without a pass through `article`."""
    indexed = index_only_ids(session, query)
    if indexed is not None:
        return select(ProjectMention.project_id).where(ProjectMention.article_id.in_(indexed))
    return select(ProjectMention.project_id).where(
        ProjectMention.article_id.in_(select(Article.id).where(article_match(session, query))),
    )


@dataclass(frozen=True, slots=True)
class Found:
    """The projects a search finds, kept as the shorter list: `ids` when it finds at most
    half of them, else `left_out`, those it does not find (`ids` is then empty). A word
    most articles share (사업, 지역) finds nearly every project; saying which few it
    misses keeps each condition short and lets a sum start from the kept aggregates and
    take the few away (db.queries)."""

    ids: tuple[int, ...] = ()
    left_out: tuple[int, ...] | None = None


def searched_projects(session: Session, query: Sequence[str], by_name: ColumnElement[bool]) -> Found:
    """The projects a search finds (named so, `by_name`, or mentioned in a matching
    article), worked out once per data version or transaction (`remembered`):
    a page's query functions filter articles, projects and figures by them."""
    def ids(condition: ColumnElement[bool]) -> tuple[int, ...]:
        return tuple(session.scalars(select(Project.id).where(condition).order_by(Project.id)))

    def compute() -> Found:
        finds = or_(by_name, Project.id.in_(mentioned_projects(session, query)))
        every = session.scalar(select(func.count()).select_from(Project)) or 0
        matches = match_count(session, query)
        if matches is not None and matches * 2 > _article_count(session):  # most articles match: likely most projects too
            left_out = ids(not_(finds))
            if len(left_out) * 2 < every:
                return Found(left_out=left_out)
        found = ids(finds)
        return Found(found) if len(found) * 2 <= every else Found(left_out=ids(not_(finds)))

    return remembered(session, ("searched_projects", tuple(query)), compute)


def id_in(session: Session, column: ColumnElement, ids: Sequence[int | str]) -> ColumnElement[bool]:
    """`column IN ids` with the ids (ints or strings, as `column`) as ONE bound value
    (a JSON array read by json_each on SQLite, an array on PostgreSQL), not one
    parameter per id: a broad search finds tens of thousands of projects."""
    dialect = _dialect(session)
    if dialect == "sqlite":
        values = func.json_each(json.dumps(list(ids), ensure_ascii=False)).table_valued("value")
        return column.in_(select(values.c.value))
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(column.type)))
    return column.in_(list(ids))


def ensure_search_index(engine: Engine | Connection) -> None:
    """Create the index table if missing (the migrations normally have; a no-op
    on dialects without an index)."""
    dialect = _dialect(engine)
    if dialect not in ("sqlite", "postgresql"):
        return
    with _transaction(engine) as conn:
        if dialect == "sqlite":
            conn.exec_driver_sql(_FTS_DDL)
        else:
            ARTICLE_SEARCH.create(conn, checkfirst=True)


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """`engine.begin()` for an Engine; the caller's own transaction for a Connection."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as conn:
            yield conn


def index_rows(dialect: str, items: Iterable[tuple[int, str, str]]) -> list[dict]:
    """Parameter rows for `index_statement`: (id, title, text) -> grams document."""
    if dialect == "postgresql":
        return [{"aid": i, "grams": pg_document(f"{title}\n{text}")} for i, title, text in items]
    return [{"rowid": i, "article_id": i, "grams": bigrams(f"{title}\n{text}")} for i, title, text in items]


@lru_cache(maxsize=4)
def index_statement(dialect: str):
    """The INSERT of index rows (`index_rows`), built once per dialect."""
    if dialect == "postgresql":
        return insert(ARTICLE_SEARCH).values(article_id=bindparam("aid"), doc=func.to_tsvector(PG_CONFIG, bindparam("grams")))
    return insert(ARTICLE_FTS)


def _delete_statement(dialect: str, ids: list[int]):
    if dialect == "postgresql":
        return delete(ARTICLE_SEARCH).where(ARTICLE_SEARCH.c.article_id.in_(ids))
    return delete(ARTICLE_FTS).where(ARTICLE_FTS.c.rowid.in_(ids))


def unindex_articles(session: Session, ids: Iterable[int]) -> None:
    """Drop articles from the index (before deleting or re-indexing them)."""
    ids = list(ids)
    if ids and has_search_index(session):
        session.execute(_delete_statement(_dialect(session), ids))


def index_articles(session: Session, articles: Iterable[Indexable]) -> int:
    """(Re)index title and cleaned text of the given flushed articles; returns how many."""
    articles = list(articles)
    if not articles or not has_search_index(session):
        return 0
    dialect = _dialect(session)
    unindex_articles(session, [a.id for a in articles])
    session.execute(index_statement(dialect), index_rows(dialect, ((a.id, a.title, a.text) for a in articles)))
    return len(articles)


def indexed_count(session: Session) -> int:
    """How many articles the index holds (0 without an index), to spot a stale one."""
    if not has_search_index(session):
        return 0
    table = ARTICLE_SEARCH if _dialect(session) == "postgresql" else ARTICLE_FTS
    return session.scalar(select(func.count()).select_from(table)) or 0


def rebuild_search_index(engine: Engine, batch: int = 2000) -> int:
    """Index every article from scratch (after a bulk import or a schema reset)."""
    if _dialect(engine) not in ("sqlite", "postgresql"):
        return 0
    ensure_search_index(engine)
    table = ARTICLE_SEARCH if _dialect(engine) == "postgresql" else ARTICLE_FTS
    total = 0
    with Session(engine) as session:
        session.execute(delete(table))
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


def remove_from_index(conn: Connection, ids: Iterable[int]) -> None:
    """Drop articles from the index inside the caller's transaction."""
    ids = list(ids)
    if ids and has_search_index(conn):
        conn.execute(_delete_statement(conn.dialect.name, ids))
