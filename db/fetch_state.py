"""Fetch state per URL (db.models.FetchState): what `etl fetch` remembers between runs.

Small functions over an Engine, each its own short transaction, so that the
state of a URL is written right after the article it produced is committed
(the loader's transaction) and a crash between the two costs nothing but a
second look (see etl.fetch).
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.models import Article, ArticleSource, FetchState

STORED = ("loaded", "duplicate")  # outcomes of a page whose article is in the database


@dataclass(frozen=True, slots=True)
class UrlState:
    url: str
    kind: str
    outcome: str
    attempts: int
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    feed_url: str | None = None
    article_id: int | None = None
    has_body: bool = False


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


_COLUMNS = (FetchState.url, FetchState.kind, FetchState.outcome, FetchState.attempts, FetchState.final_url,
            FetchState.etag, FetchState.last_modified, FetchState.content_type, FetchState.feed_url,
            FetchState.article_id, FetchState.body.is_not(None))


def states(engine: Engine) -> dict[str, UrlState]:
    """Every URL's state, read once at the start of a run."""
    with engine.connect() as conn:
        return {row[0]: UrlState(*row) for row in conn.execute(select(*_COLUMNS))}


def stored_urls(engine: Engine) -> set[str]:
    """URLs of stored articles: their own, their sources', and fetched URLs that led to them."""
    with engine.connect() as conn:
        urls = set(conn.scalars(select(Article.url).where(Article.url.is_not(None))))
        urls |= set(conn.scalars(select(ArticleSource.url).where(ArticleSource.url.is_not(None))))
        for url, final in conn.execute(select(FetchState.url, FetchState.final_url)
                                       .where(FetchState.outcome.in_(STORED), FetchState.article_id.is_not(None))):
            urls.add(url)
            if final:
                urls.add(final)
    return urls


def body(engine: Engine, url: str) -> bytes | None:
    """The raw page kept for `url` (decompressed), if any."""
    with engine.connect() as conn:
        data = conn.scalar(select(FetchState.body).where(FetchState.url == url))
    return zlib.decompress(data) if data else None


def article_of(engine: Engine, *, source_hash: str = "", urls: Iterable[str] = ()) -> int | None:
    """The stored article that holds these bytes (by source hash) or this URL."""
    with engine.connect() as conn:
        if source_hash:
            found = conn.scalar(select(ArticleSource.article_id).where(ArticleSource.source_hash == source_hash))
            if found is not None:
                return found
        wanted = [u for u in urls if u]
        if wanted:
            found = conn.scalar(select(Article.id).where(Article.url.in_(wanted)).order_by(Article.id).limit(1))
            if found is None:
                found = conn.scalar(select(ArticleSource.article_id).where(ArticleSource.url.in_(wanted))
                                    .order_by(ArticleSource.id).limit(1))
            return found
    return None


def save(engine: Engine, url: str, *, page: bytes | None = None, count_attempt: bool = False, **values) -> None:
    """Insert or update the state of `url`; `page` (raw bytes) is stored compressed,
    `count_attempt` adds one to the attempts of a failing URL."""
    values = {**values, "checked_at": now()}
    if page is not None:
        values["body"] = zlib.compress(page, 6)
    for _ in range(2):  # a concurrent fetch may insert the same URL first
        try:
            with engine.begin() as conn:
                row = conn.execute(select(FetchState.id, FetchState.attempts).where(FetchState.url == url)).first()
                if count_attempt:
                    values["attempts"] = (row.attempts if row else 0) + 1
                if row is None:
                    conn.execute(insert(FetchState).values(url=url, **{"attempts": 0, **values}))
                else:
                    conn.execute(update(FetchState).where(FetchState.id == row.id).values(**values))
            return
        except IntegrityError:
            continue


def fresh_body(engine: Engine, url: str, max_age: timedelta) -> tuple[int, bytes] | None:
    """(status, raw body) of `url` if it was fetched less than `max_age` ago (robots.txt)."""
    with engine.connect() as conn:
        row = conn.execute(select(FetchState.http_status, FetchState.body)
                           .where(FetchState.url == url, FetchState.checked_at >= now() - max_age)).first()
    if row is None or row.http_status is None:
        return None
    return row.http_status, zlib.decompress(row.body) if row.body else b""
