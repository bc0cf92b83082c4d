"""`python -m etl fetch`: feeds and article pages from the web into the database.

    summary = fetch([FeedSpec("https://…/rss.xml")], engine, client=Client())

Each URL is an RSS/Atom feed (every item's page is fetched) or an article
page. Pages are read by the HTML reader (trafilatura for the body, meta tags
for title, date and outlet) and stored by the loader, through the one
adapter `load_documents`, so a fetched page becomes an article exactly as
`load` makes one from a saved page.

What is remembered per URL (db.fetch_state) makes a run cheap and safe to
repeat or kill:

* a feed's ETag/Last-Modified go out with the next request, so an unchanged
  feed costs a 304; they are saved only after the run has stored its items,
  so a run killed half-way fetches the feed again instead of missing items;
* a page whose URL (asked for, redirected to, or canonical) is already stored
  is not fetched again; a duplicate item in a feed counts as unchanged;
* a page's raw HTML is saved before its article is stored ("pending"), and a
  pending page is loaded from there on the next run, without the network;
* a feed item that failed in a way that may pass (timeout, 5xx, 429) is
  tried again on later runs, at most MAX_ATTEMPTS times, even while the feed
  answers 304; one that will not (404, no article text) is reported once and
  then left alone. A page URL given by hand is always tried again.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

from sqlalchemy import Engine

from db import fetch_state
from etl.feeds import BrokenItem, FeedSpec, NotAFeed, looks_like_feed, parse_feed
from etl.http import Client, FetchError, Response, Validators, normalize_url
from etl.records import Document, Rejection, Unchanged

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
Progress = Callable[[int, int | None], None]


class Outcome:
    """The `fetch_state.outcome` vocabulary, in one place."""

    LOADED = "loaded"  # a page whose article is stored
    DUPLICATE = "duplicate"  # a page whose article was stored already (other URL, same text)
    PENDING = "pending"  # fetched and kept, not stored yet
    REJECTED = "rejected"  # will not load (404, no article text): not tried again
    FAILED = "failed"  # may load later (timeout, 5xx): tried again up to MAX_ATTEMPTS
    READ = "read"  # a feed read in full
    NOT_MODIFIED = "not_modified"  # a feed answered 304


DONE = (Outcome.LOADED, Outcome.DUPLICATE)


# ---------------------------------------------------------------- fetching

def fetch(specs: Sequence[FeedSpec], engine: Engine, *, client: Client, progress: Progress | None = None,
          command: str = "fetch"):
    """Fetch every feed or page in `specs` and load what is new; the loader's summary."""
    from etl.load import load_documents
    from etl.writer import prepare_database

    prepare_database(engine)
    client.robots_cache = StoredRobots(engine)
    run = _Run(engine, client)
    summary = load_documents(engine, run.items(specs), command=command, progress=progress,
                             total=lambda: run.total, on_done=run.done, batch=1)  # each page stored as it comes
    run.finish()
    return summary


class StoredRobots:
    """robots.txt answers kept in fetch_state for a day (RFC 9309), so a run whose
    feeds are unchanged sends nothing but conditional requests for them."""

    MAX_AGE = timedelta(hours=24)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, url: str) -> tuple[int, bytes] | None:
        return fetch_state.fresh_body(self.engine, url, self.MAX_AGE)

    def put(self, url: str, status: int, body: bytes) -> None:
        fetch_state.save(self.engine, url, kind="robots", outcome=Outcome.READ, http_status=status, page=body)


class _Run:
    """One fetch run: the stream of inputs for the loader, and the bookkeeping per URL."""

    def __init__(self, engine: Engine, client: Client) -> None:
        self.engine, self.client = engine, client
        self.state = fetch_state.states(engine)
        self.stored = {normalize_url(u) for u in fetch_state.stored_urls(engine)}
        self.seen: set[str] = set()
        self.total = 0
        self.failures: dict[str, tuple[str, bool, int | None]] = {}  # url -> (reason, permanent, status)
        self.pages: dict[str, tuple[str | None, str | None]] = {}  # url -> (feed_url, final url)
        self.kinds: dict[str, str] = {}  # url -> feed | page, of the failures
        self.feeds: list[tuple[str, Response]] = []  # feeds read in full, saved after the run
        self.known: list[tuple[str, str | None, str]] = []  # (url, feed, final url) skipped as stored: settled after the run

    # ------------------------------------------------------------ the input stream

    def items(self, specs: Sequence[FeedSpec]) -> Iterator[Document | Rejection | Unchanged]:
        for spec in specs:
            yield from self._guarded(spec.url, self._url(spec.url))
        feeds = {s.url for s in specs}
        for url, state in list(self.state.items()):  # pages of these feeds kept or failed before: they may load now
            if state.kind == "page" and url not in self.seen and state.feed_url in feeds and self._worth_another_try(state):
                yield from self._guarded(url, self._page(url, state.feed_url))

    @staticmethod
    def _worth_another_try(state: fetch_state.UrlState) -> bool:
        return state.outcome == Outcome.PENDING or (state.outcome == Outcome.FAILED and state.attempts < MAX_ATTEMPTS)

    def _guarded(self, url: str, inner: Iterator) -> Iterator:
        """A bug while handling one URL costs that URL, not the run."""
        try:
            yield from inner
        except Exception as exc:  # a bug must not cost the batch (as in etl.pipeline)
            log.debug("fetching %s failed", url, exc_info=True)
            self.total += 1
            yield Rejection(url, f"fetching failed ({type(exc).__name__}: {exc})")

    def _url(self, url: str) -> Iterator[Document | Rejection | Unchanged]:
        """A URL from the command line or the feeds file: a feed, or a page."""
        state = self.state.get(url)
        if state is not None and state.kind == "page":
            yield from self._page(url, None)
            return
        if state is None and url in self.stored:
            self.total += 1
            yield Unchanged(url)
            return
        conditional = state is not None and state.outcome in (Outcome.READ, Outcome.NOT_MODIFIED)
        validators = Validators(state.etag, state.last_modified) if conditional else None
        try:
            response = self.client.fetch(url, validators)
        except FetchError as exc:
            self.total += 1
            yield self._failed(url, exc, kind=state.kind if state else "feed")
            return
        if response.not_modified:
            log.info("%s: not modified since the last fetch (HTTP 304)", url)
            fetch_state.save(self.engine, url, kind="feed", outcome=Outcome.NOT_MODIFIED, http_status=304)
            return
        if looks_like_feed(response.content_type, response.body):
            yield from self._feed(url, response)
        else:
            yield from self._page(url, None, response)

    def _feed(self, url: str, response: Response) -> Iterator[Document | Rejection | Unchanged]:
        try:
            entries = parse_feed(response.body, response.final_url)
        except NotAFeed as exc:
            self.total += 1
            fetch_state.save(self.engine, url, kind="feed", outcome=Outcome.REJECTED, reason=exc.args[0],
                             http_status=response.status, etag=None, last_modified=None)
            yield Rejection(url, exc.args[0])
            return
        log.info("%s: %d items", url, len(entries))
        for entry in entries:
            if isinstance(entry, BrokenItem):
                self.total += 1
                title = f" ({entry.title[:40]})" if entry.title else ""
                yield Rejection(f"{url} item {entry.number}{title}", entry.reason)
            else:
                yield from self._guarded(entry.link, self._page(entry.link, url))
        self.feeds.append((url, response))

    def _page(self, url: str, feed_url: str | None, response: Response | None = None) -> Iterator[Document | Rejection | Unchanged]:
        if url in self.seen:  # listed twice
            self.total += 1
            yield Unchanged(url)
            return
        self.seen.add(url)
        state = self.state.get(url)
        finished = state is not None and state.outcome in DONE and state.article_id is not None
        if response is None and (url in self.stored or finished):
            self.total += 1
            if not finished:
                self.known.append((url, feed_url, url))
            yield Unchanged(url)
            return
        if response is None and feed_url is not None and state is not None \
                and state.outcome in (Outcome.REJECTED, Outcome.FAILED) and not self._worth_another_try(state):
            log.info("%s: rejected before (%s), not fetched again", url, state.outcome)
            return
        self.total += 1
        if response is None and state is not None and state.outcome == Outcome.PENDING and state.has_body:
            response = Response(url, state.final_url or url, 200, state.content_type or "", fetch_state.body(self.engine, url) or b"")
        if response is None:
            try:
                response = self.client.fetch(url)
            except FetchError as exc:
                yield self._failed(url, exc, kind="page", feed_url=feed_url)
                return
        final = normalize_url(response.final_url)
        if final != url and final in self.stored:  # redirected to a page stored (or being stored) already
            self.known.append((url, feed_url, final))
            yield Unchanged(url)
            return
        if looks_like_feed(response.content_type, response.body):
            yield self._failed(url, FetchError("a feed, not an article page (list it as a feed)", permanent=True),
                               kind="page", feed_url=feed_url)
            return
        fetch_state.save(self.engine, url, kind="page", feed_url=feed_url, final_url=final, outcome=Outcome.PENDING,
                         http_status=response.status, content_type=response.content_type[:100], page=response.body,
                         etag=response.validators.etag, last_modified=response.validators.last_modified,
                         changed_at=fetch_state.now(), reason=None)
        self.stored.update({url, final})
        self.pages[url] = (feed_url, None)
        for item in read_page(url, response):
            if isinstance(item, Document):
                self.pages[url] = (feed_url, item.url)
                self.stored.add(normalize_url(item.url or final))
            yield item

    def _failed(self, url: str, exc: FetchError, *, kind: str, feed_url: str | None = None) -> Rejection:
        self.failures[url] = (exc.reason, exc.permanent, exc.status)
        self.pages.setdefault(url, (feed_url, None))
        self.kinds[url] = kind
        return Rejection(url, exc.reason)

    # ------------------------------------------------------------ after the loader

    def done(self, source: str, status: str, source_hash: str, reason: str) -> None:
        """The loader stored, skipped or rejected `source`: record it in the URL's state."""
        if source not in self.pages and source not in self.failures:
            return  # a broken feed item or a feed: nothing per page to record
        feed_url, canonical = self.pages.get(source, (None, None))
        if source in self.failures:
            reason, permanent, http_status = self.failures.pop(source)
            kind = self.kinds.pop(source, "page")
            fetch_state.save(self.engine, source, kind=kind, feed_url=feed_url, http_status=http_status, reason=reason,
                             outcome=Outcome.REJECTED if permanent else Outcome.FAILED, count_attempt=True)
            return
        if status == "rejected":
            fetch_state.save(self.engine, source, kind="page", feed_url=feed_url, outcome=Outcome.REJECTED,
                             reason=reason, count_attempt=True)
            return
        article = fetch_state.article_of(self.engine, source_hash=source_hash, urls=[canonical or source])
        values = {"final_url": normalize_url(canonical)} if canonical else {}
        fetch_state.save(self.engine, source, kind="page", feed_url=feed_url, article_id=article, reason=None,
                         outcome=Outcome.LOADED if status == "new" else Outcome.DUPLICATE, **values)

    def finish(self) -> None:
        """After the loader: pages skipped as stored get a finished state row (a
        redirect target, or a run killed between the article and its row), and
        every feed read in full keeps its validators, so from now on an
        unchanged feed costs a 304."""
        for url, feed_url, final in self.known:
            article = fetch_state.article_of(self.engine, urls=[url, final])
            if article is not None:  # else its article was not stored after all: no row, so it is fetched next time
                fetch_state.save(self.engine, url, kind="page", feed_url=feed_url, final_url=final,
                                 outcome=Outcome.LOADED if final == url else Outcome.DUPLICATE, article_id=article, reason=None)
        for url, response in self.feeds:
            fetch_state.save(self.engine, url, kind="feed", outcome=Outcome.READ, http_status=response.status,
                             final_url=normalize_url(response.final_url), etag=response.validators.etag,
                             last_modified=response.validators.last_modified, content_type=response.content_type[:100],
                             changed_at=fetch_state.now(), reason=None)


# ---------------------------------------------------------------- reading a page

_SLUG = re.compile(r"[^0-9A-Za-z가-힣._-]+")


def page_stem(url: str) -> str:
    """A readable document id from a URL: host and path (and query), e.g. news.example.kr_article_123."""
    parts = urlsplit(url)
    text = f"{parts.netloc}{parts.path}" + (f"_{parts.query}" if parts.query else "")
    return _SLUG.sub("_", text).strip("_")[:180] or "page"


def read_page(url: str, response: Response) -> Iterator[Document | Rejection]:
    """The documents of a fetched page, by the same readers as `load`; the
    article's URL is the page's canonical link (og:url, rel=canonical, made
    absolute) or else where the redirects ended."""
    from etl.readers import read_bytes

    html = "html" in response.content_type.lower() or not response.content_type
    final = response.final_url
    for item in read_bytes(response.body, source=url, stem=page_stem(final), suffix=".html" if html else ""):
        if isinstance(item, Document):
            canonical = urljoin(final, item.url) if item.url else final
            item = replace(item, url=canonical if canonical.startswith(("http://", "https://")) else final)
        yield item
