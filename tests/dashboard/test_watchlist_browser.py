"""A watchlist's Atom feed served by the dashboard (Streamlit static serving), read
with feedparser, and every entry's link opened in headless Chromium: it shows
that project, with the watchlist's filters.

Skips when Chromium or Playwright is missing, unless POLICY_RADAR_REQUIRE_ALL=1.
"""
from __future__ import annotations

import shutil
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, dashboard_server, settle

from tests.etl.helpers import once_per_session
from tests.etl.watchlist_fixture import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    _folder, out = once_per_session(tmp_path_factory, "watchlists", build)
    return out


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    with dashboard_server(built["url"], tmp_path_factory.mktemp("watch_server"), "--server.enableStaticServing", "true") as base:
        yield base


@pytest.fixture
def published(built, server):
    """The feeds written where the dashboard serves them (a folder of this test's own under static/watchlists)."""
    from db.engine import make_engine
    from etl.watchfeeds import write_feeds

    folder = ROOT / "static" / "watchlists" / f"test-{uuid.uuid4().hex[:8]}"
    engine = make_engine(built["url"])
    try:
        paths = write_feeds(engine, folder=folder, base=server)
    finally:
        engine.dispose()
    try:
        yield {p.name: f"{server}/app/static/watchlists/{folder.name}/{quote(p.name)}" for p in paths}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_feed_entries_open_their_project_view(built, server, published, require):
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (Python) is not installed")
        return

    with urllib.request.urlopen(published["전남-이차전지.xml"], timeout=10) as response:
        assert response.status == 200
        feed = feedparser.parse(response.read())
    assert not feed.bozo, feed.bozo_exception
    everything = feedparser.parse(urllib.request.urlopen(published["전체.xml"], timeout=10).read())
    entries = list(feed.entries) + list(everything.entries)
    assert len(entries) == 1 + 2
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="ko-KR")
        for entry in entries:
            assert entry.link.startswith(f"{server}/projects?")
            name = entry.title.removeprefix("새 사업: ").split(": ")[0]
            page.goto(entry.link)
            page.get_by_role("heading", name=name).first.wait_for(timeout=60_000)
            settle(page)
            assert "project=" in page.url
            if "region=46" in entry.link:  # the watchlist's filters came along
                sidebar = page.locator('[data-testid="stSidebar"]')
                assert "전라남도" in sidebar.locator('[data-testid="stMultiSelect"]').first.inner_text()
        page.screenshot(path=str(Path(built["feeds"]).parent / "watchlist_entry.png"), full_page=True)

        # the 관심 목록 page links to the same feed
        page.goto(f"{server}/watchlists")
        page.get_by_role("heading", name="전남 이차전지").wait_for(timeout=60_000)
        settle(page)
        hrefs = page.locator("a", has_text="Atom 피드").evaluate_all("els => els.map(e => e.href)")
        assert f"{server}/app/static/watchlists/{quote('전남-이차전지.xml')}" in hrefs
        page.screenshot(path=str(Path(built["feeds"]).parent / "watchlists_page.png"), full_page=True)
        browser.close()
