"""Fetching and watchlists on SQLite and PostgreSQL: fetch state, kept pages and changes."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Article, FetchState
from tests.etl.fetch_site import Server
from tests.etl.helpers import run_etl, summary_counts


@pytest.fixture(scope="module")
def site():
    with Server() as site:
        yield site


def test_fetch_then_304_then_watchlist_changes(site, db_url, engine, tmp_path, monkeypatch):
    from db import watchlists

    monkeypatch.setenv("POLICY_RADAR_FEED_DIR", str(tmp_path / "feeds"))
    feed = site.feed(f"backend-{abs(hash(db_url))}", ["/news/ulsan-hydrogen.html", "/missing/x.html"])
    first = run_etl("fetch", feed, "--db", db_url, "--delay", "0", "--retries", "0")
    assert first.returncode == 1, first.stderr
    assert summary_counts(first) == {"read": 2, "new": 1, "unchanged": 0, "rejected": 1}
    second = run_etl("fetch", feed, "--db", db_url, "--delay", "0", "--retries", "0")
    assert summary_counts(second) == {"read": 0, "new": 0, "unchanged": 0, "rejected": 0}

    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        rows = session.execute(select(FetchState.kind, FetchState.outcome, FetchState.http_status).order_by(FetchState.url)).all()
        assert sorted(tuple(r) for r in rows) == [("feed", "not_modified", 304), ("page", "loaded", 200), ("page", "rejected", 404),
                                                        ("robots", "read", 200)]
        assert len(session.scalar(select(FetchState.body).where(FetchState.outcome == "loaded"))) > 100

    saved = watchlists.save(engine, "울산", "/?region=31")
    with Session(engine) as session:
        last = watchlists.last_load(session)
        changes = watchlists.changes(session, saved.view.filters, last.mark)
        assert [p.name for p in changes.projects] == ["수소 모빌리티 규제자유특구 지정 신청"]
        assert watchlists.changes(session, saved.view.filters, saved.seen_article_id).empty
