"""`python -m etl fetch` against a local news site (127.0.0.1 only, tests/etl/fetch_site.py).

Every scenario runs the command line as a user does and reads the database
back with sqlite3; the site's request log shows what the client asked for
and what it was answered.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.feeds import (
    BrokenItem,
    FeedItem,
    FeedsFileError,
    NotAFeed,
    parse_feed,
    read_feeds_file,
)
from etl.watch import parse_every
from tests.etl.fetch_site import Server
from tests.etl.helpers import (
    ROOT,
    query,
    run_etl,
    sqlite_url,
    stderr_lines,
    summary_counts,
)

FAST = ("--delay", "0", "--retries", "0")
FIRST_SIX = ["/news/gwangyang-battery.html", "/news/gumi-semiconductor.html", "/news/ulsan-hydrogen.html",
             "/missing/no-such-article.html", "/news/saemangeum-solar.html", "/news/changwon-robot.html"]


@pytest.fixture(scope="module")
def site():
    with Server() as site:
        yield site


def fetch(db: Path, *args: str):
    return run_etl("fetch", *args, "--db", sqlite_url(db), *FAST)


def articles(db: Path) -> list[tuple[str, str]]:
    return query(db, "select url, title from article order by url")


def test_feed_with_a_missing_page_then_an_unchanged_feed(site, tmp_path):
    db = tmp_path / "feed.db"
    feed = site.feed("six", FIRST_SIX)
    missing = site.url("/missing/no-such-article.html")

    first = fetch(db, feed)

    assert first.returncode == 1, first.stderr
    assert stderr_lines(first)[:-1] == [f"{missing}: HTTP 404"]
    assert summary_counts(first) == {"read": 6, "new": 5, "unchanged": 0, "rejected": 1}
    assert [url for url, _ in articles(db)] == sorted(site.url(p) for p in FIRST_SIX if "missing" not in p)
    assert query(db, "select source, reason from rejected_input") == [(missing, "HTTP 404")]
    assert query(db, "select outcome, http_status, etag is not null from fetch_state where url = ?", (feed,)) == [("read", 200, 1)]
    assert query(db, "select outcome, http_status, attempts from fetch_state where url = ?", (missing,)) == [("rejected", 404, 1)]
    # every page is kept raw beside its article
    assert query(db, "select count(*) from fetch_state where kind = 'page' and body is not null and article_id is not null") == [(5,)]

    before = len(site.requests)
    second = fetch(db, feed)

    assert second.returncode == 0, second.stderr
    assert summary_counts(second) == {"read": 0, "new": 0, "unchanged": 0, "rejected": 0}
    etag, last_modified = query(db, "select etag, last_modified from fetch_state where url = ?", (feed,))[0]
    # one conditional request, answered 304: no page asked for again, robots.txt kept from the first run
    assert site.requests[before:] == [("/six.xml", etag, last_modified, 304)]
    assert len(articles(db)) == 5
    assert query(db, "select outcome from fetch_state where url = ?", (feed,)) == [("not_modified",)]


def test_redirect_and_duplicate_items_are_stored_once(site, tmp_path):
    db = tmp_path / "dup.db"
    feed = site.feed("dups", ["/old/gumi-semiconductor.html", "/news/gumi-semiconductor.html",
                              "/news/ulsan-hydrogen.html", "/news/ulsan-hydrogen.html#comments"])

    result = fetch(db, feed)

    assert result.returncode == 0, result.stderr
    assert summary_counts(result) == {"read": 4, "new": 2, "unchanged": 2, "rejected": 0}
    assert [url for url, _ in articles(db)] == [site.url("/news/gumi-semiconductor.html"), site.url("/news/ulsan-hydrogen.html")]
    assert query(db, "select count(*) from article_source") == [(2,)]
    assert query(db, "select url, final_url, outcome from fetch_state where url like '%/old/%'") == [
        (site.url("/old/gumi-semiconductor.html"), site.url("/news/gumi-semiconductor.html"), "loaded")]
    assert site.answered("/old/gumi-semiconductor.html") == [301]

    # the redirected page is known by both addresses: a page URL given later is not fetched
    before = len(site.requests)
    again = fetch(db, site.url("/old/gumi-semiconductor.html"), site.url("/news/ulsan-hydrogen.html"))
    assert again.returncode == 0, again.stderr
    assert summary_counts(again) == {"read": 2, "new": 0, "unchanged": 2, "rejected": 0}
    assert [r for r in site.requests[before:] if r[0] != "/robots.txt"] == []


@pytest.mark.parametrize("how", ["flag", "env"])
def test_slow_page_times_out_and_the_rest_loads(site, tmp_path, how, monkeypatch):
    db = tmp_path / "slow.db"
    slow, fast = site.url("/slow/cheongju-bio.html"), site.url("/news/changwon-robot.html")
    if how == "flag":
        result = fetch(db, slow, fast, "--timeout", "0.5")
    else:
        monkeypatch.setenv("POLICY_RADAR_FETCH_TIMEOUT", "0.5")
        result = fetch(db, slow, fast)

    assert result.returncode == 1, result.stderr
    assert stderr_lines(result)[:-1] == [f"{slow}: timed out after 0.5 s"]
    assert summary_counts(result) == {"read": 2, "new": 1, "unchanged": 0, "rejected": 1}
    assert [url for url, _ in articles(db)] == [fast]
    # a timeout may pass: the page is tried again on a later run
    assert query(db, "select outcome, attempts from fetch_state where url = ?", (slow,)) == [("failed", 1)]


def test_broken_items_robots_and_pages_without_text(site, tmp_path):
    db = tmp_path / "broken.db"
    feed = site.feed("broken", ["/news/pohang-steel.html", "", "/private/gwangyang-battery.html", "/robots.txt",
                                "ftp://files.example/a.txt"])

    result = fetch(db, feed)

    assert result.returncode == 1, result.stderr
    assert sorted(stderr_lines(result)[:-1]) == sorted([
        f"{feed} item 2 (링크 없는 기사 2): feed item has no link",
        f"{site.url('/private/gwangyang-battery.html')}: robots.txt does not allow fetching this page",
        f"{site.url('/robots.txt')}: no Korean text found",
        f"{feed} item 5 (기사 5): feed item link is not a web address: ftp://files.example/a.txt",
    ])
    assert summary_counts(result) == {"read": 5, "new": 1, "unchanged": 0, "rejected": 4}
    assert site.answered("/private/gwangyang-battery.html") == []


def test_a_page_kept_but_not_stored_is_loaded_without_the_network(site, tmp_path):
    """A run killed between keeping a page and storing its article: the next run loads the kept page."""
    from etl.fetch import Outcome
    from tests.etl.fetch_site import articles as site_articles
    from tests.etl.fetch_site import page_html

    db = tmp_path / "pending.db"
    assert run_etl("db", "upgrade", "--db", sqlite_url(db)).returncode == 0
    url = site.url("/missing/kept-page.html")  # the site answers 404 here: only the kept page can load it
    from db import fetch_state
    from db.engine import make_engine

    engine = make_engine(sqlite_url(db))
    page = page_html(site_articles()["pohang-steel"], url).encode()
    fetch_state.save(engine, url, kind="page", outcome=Outcome.PENDING, final_url=url, content_type="text/html", page=page)
    engine.dispose()

    result = fetch(db, url)

    assert result.returncode == 0, result.stderr
    assert summary_counts(result) == {"read": 1, "new": 1, "unchanged": 0, "rejected": 0}
    assert [title for _, title in articles(db)] == ["포항시, 수소환원제철 실증단지 조성에 총사업비 2,600억원"]
    assert site.answered("/missing/kept-page.html") == []
    assert query(db, "select outcome from fetch_state where url = ?", (url,)) == [("loaded",)]


def test_feeds_file_names_and_tags(site, tmp_path):
    db = tmp_path / "tags.db"
    one, two = site.feed("tag-one", ["/news/cheongju-bio.html"]), site.feed("tag-two", ["/news/pohang-steel.html"])
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "충북 보도자료"\nurl = "{one}"\ntags = ["충북"]\n\n'
                     f'[[feed]]\nname = "경북 보도자료"\nurl = "{two}"\ntags = ["경북", "지역언론"]\n', encoding="utf-8")

    result = fetch(db, "--feeds", str(feeds), "--tag", "경북")

    assert result.returncode == 0, result.stderr
    assert [url for url, _ in articles(db)] == [site.url("/news/pohang-steel.html")]
    assert site.answered("/tag-one.xml") == []


@pytest.mark.parametrize("args, message", [
    ((), "error: give at least one URL to fetch, or --feeds FILE"),
    (("notaurl",), "error: notaurl: not a web address (give a URL starting with http:// or https://)"),
    (("--feeds", "no-such-feeds.toml"), "error: no-such-feeds.toml: no such file"),
    (("http://127.0.0.1:9/", "--timeout", "0"), "error: --timeout must be more than 0 seconds"),
])
def test_usage_errors(tmp_path, args, message):
    result = run_etl("fetch", *args, "--db", sqlite_url(tmp_path / "usage.db"))
    assert result.returncode == 2
    assert stderr_lines(result) == [message]


# ---------------------------------------------------------------- pure parts

@pytest.mark.parametrize("text, problem", [
    ('[[feed]]\nname = "x"\n', "feed 1 needs a url starting with http:// or https://"),
    ('[[feed]]\nurl = "https://a.example/rss"\ntags = "부처"\n', "feed 1: tags must be a list of text"),
    ('[[feed]]\nurl = "https://a.example/rss"\nlink = "x"\n', "feed 1 has unknown keys: link (use url, name, tags)"),
    ('[[feed]]\nurl = "https://a.example/rss"\n[[feed]]\nurl = "https://a.example/rss"\n', "feed 2 repeats the url https://a.example/rss"),
    ("title = 'x'\n", "no [[feed]] entries"),
    ("[[feed]\n", "not valid TOML"),
])
def test_feeds_file_problems_name_file_and_feed(tmp_path, text, problem):
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeedsFileError) as caught:
        read_feeds_file(path)
    assert str(caught.value).startswith(f"{path}: {problem}")


def test_shipped_example_feeds_file_reads():
    specs = read_feeds_file(ROOT / "feeds.example.toml")
    assert len(specs) >= 8
    assert all(s.url.startswith("https://") and s.name and s.tags for s in specs)
    tags = {t for s in specs for t in s.tags}
    assert {"부처", "광역지자체", "지역언론"} <= tags


BASE = "https://news.example.kr/rss/all.xml"


@pytest.mark.parametrize("document, expected", [
    ((b'<rss version="2.0"><channel><item><title>a</title><link>/a/1</link><pubDate>Mon, 02 Mar 2026 09:00:00 +0900</pubDate></item>'
      b'<item><title>b</title><guid>https://news.example.kr/b#top</guid></item>'
      b'<item><title>c</title><guid isPermaLink="false">c-1</guid></item></channel></rss>'),
     [FeedItem("https://news.example.kr/a/1", "a", "Mon, 02 Mar 2026 09:00:00 +0900"),
      FeedItem("https://news.example.kr/b", "b"), BrokenItem(3, "c", "feed item has no link")]),
    ('<?xml version="1.0" encoding="euc-kr"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>광양</title>'
     '<link rel="self" href="https://x.example/self"/><link href="https://x.example/a"/><updated>2026-03-02</updated></entry>'
     '</feed>'.encode("euc-kr"),
     [FeedItem("https://x.example/a", "광양", "2026-03-02")]),
    ((b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
      b'<item rdf:about="https://r.example/1"><title>r</title></item></rdf:RDF>'),
     [FeedItem("https://r.example/1", "r")]),
])
def test_parse_feed(document, expected):
    assert parse_feed(document, BASE) == expected


@pytest.mark.parametrize("document, message", [
    (b"<rss><channel><item>", "not a readable RSS/Atom feed"),
    (b"<html><body>hi</body></html>", "not an RSS/Atom feed (the document is <html>)"),
])
def test_not_a_feed(document, message):
    with pytest.raises(NotAFeed) as caught:
        parse_feed(document, BASE)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("text, seconds", [("30m", 1800), ("1h", 3600), ("90s", 90), ("1h30m", 5400), ("15", 900), ("0.5s", 0.5)])
def test_parse_every(text, seconds):
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "0m", "30x", "m30"])
def test_parse_every_refuses(text):
    with pytest.raises(ValueError):
        parse_every(text)


def test_a_timed_out_item_is_tried_again_while_the_feed_is_unchanged(site, tmp_path):
    db = tmp_path / "retry.db"
    feed = site.feed("retry", ["/slow/gwangyang-battery.html", "/missing/also-gone.html"])
    slow, missing = site.url("/slow/gwangyang-battery.html"), site.url("/missing/also-gone.html")

    first = fetch(db, feed, "--timeout", "0.5")
    assert summary_counts(first) == {"read": 2, "new": 0, "unchanged": 0, "rejected": 2}

    site.slow_seconds = 0.0  # the server has recovered
    try:
        second = fetch(db, feed, "--timeout", "0.5")
    finally:
        site.slow_seconds = 3.0
    assert second.returncode == 0, second.stderr
    assert site.answered("/retry.xml") == [200, 304]
    assert summary_counts(second) == {"read": 1, "new": 1, "unchanged": 0, "rejected": 0}  # the 404 is not asked again
    assert site.answered("/missing/also-gone.html") == [404]
    assert query(db, "select url, outcome, attempts from fetch_state where kind = 'page' order by url") == [
        (missing, "rejected", 1), (slow, "loaded", 1)]


def test_a_fetched_page_is_the_article_load_makes_of_the_saved_page_and_survives_rebuild(site, tmp_path):
    import urllib.request

    from tests.etl.helpers import diff, snapshot

    fetched_db, loaded_db = tmp_path / "fetched.db", tmp_path / "loaded.db"
    paths = ["/news/gwangyang-battery.html", "/news/pohang-steel.html"]
    assert fetch(fetched_db, *(site.url(p) for p in paths)).returncode == 0
    folder = tmp_path / "saved"
    folder.mkdir()
    for path in paths:
        with urllib.request.urlopen(site.url(path), timeout=10) as response:
            (folder / path.rsplit("/", 1)[1]).write_bytes(response.read())
    assert run_etl("load", folder, "--db", sqlite_url(loaded_db)).returncode == 0

    def facts(db: Path) -> dict:
        snap = snapshot(db)
        snap["articles"] = type(snap["articles"])(row[:1] + row[2:] for row in snap["articles"].elements())  # no doc_id
        del snap["sources"]  # a URL or a file name
        return snap

    assert diff(facts(fetched_db), facts(loaded_db)) == {}
    before = snapshot(fetched_db)
    assert run_etl("load", "--rebuild", "--db", sqlite_url(fetched_db)).returncode == 0
    assert diff(snapshot(fetched_db), before) == {}


def test_busy_server_is_retried_with_backoff_and_the_client_names_itself(site, tmp_path):
    db = tmp_path / "busy.db"
    path = "/news/saemangeum-solar.html"
    site.flaky[path] = 2  # two 503 answers, then the page
    try:
        busy(site, tmp_path, path, db)
    finally:
        site.flaky.pop(path, None)


def busy(site, tmp_path: Path, path: str, db: Path) -> None:
    before, agents_before = len(site.requests), len(site.agent_log)
    result = run_etl("fetch", site.url(path), "--db", sqlite_url(db), "--delay", "0", "--retries", "2")

    assert result.returncode == 0, result.stderr
    assert [status for p, _e, _s, status in site.requests[before:] if p == path] == [503, 503, 200]
    assert summary_counts(result)["new"] == 1
    sent = site.agent_log[agents_before:]  # this run's requests only (other tests share the site)
    assert sent and all(agent.startswith("PolicyRadar/") for agent in sent), sent

    site.flaky[path] = 5  # more 503s than retries: a rejection that may pass
    other = tmp_path / "busy2.db"
    result = run_etl("fetch", site.url(path), "--db", sqlite_url(other), "--delay", "0", "--retries", "1")
    assert result.returncode == 1
    assert stderr_lines(result)[:-1] == [f"{site.url(path)}: HTTP 503"]
    assert query(other, "select outcome from fetch_state where url = ?", (site.url(path),)) == [("failed",)]
