"""`python -m etl watch`: rounds on a schedule, and a watch killed with SIGKILL
mid-round that is started again ends with the database of an uninterrupted run."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.etl.fetch_site import HOLD_SECONDS, Server
from tests.etl.fetch_site import articles as site_articles
from tests.etl.helpers import (
    ROOT,
    TIMEOUT,
    diff,
    etl_command,
    etl_env,
    integrity,
    poll,
    query,
    run_etl,
    snapshot,
    sqlite_url,
)

SOUND = ([("ok",)], [])
LINKS = [f"/news/{slug}.html" for slug in site_articles()] + ["/missing/gone.html", "/old/pohang-steel.html"]


def feeds_file(folder: Path, feed: str) -> Path:
    path = folder / "feeds.toml"
    path.write_text(f'[[feed]]\nname = "시험 피드"\nurl = "{feed}"\ntags = ["시험"]\n', encoding="utf-8")
    return path


def watch_args(feeds: Path, db: Path, *extra: str) -> list[str]:
    return ["watch", "--feeds", str(feeds), "--every", "1s", "--db", sqlite_url(db), "--delay", "0", "--retries", "0", *extra]


def fetch_rows(db: Path) -> Counter:
    """The fetch state that a user relies on, without ids and times: which URL led to which article."""
    return Counter(query(db, """select f.url, f.kind, case when f.outcome in ('loaded', 'duplicate') then 'stored' else f.outcome end,
                                       a.content_hash
                                from fetch_state f left join article a on a.id = f.article_id"""))


def count(db: Path, table: str) -> int:
    try:
        return query(db, f"select count(*) from {table}")[0][0]
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


@pytest.fixture(scope="module")
def site():
    with Server() as site:
        site.page_delay = 0.3  # a round of ten pages takes a few seconds: time to kill it in the middle
        yield site


def test_watch_killed_mid_round_resumes_to_the_same_database(site, tmp_path):
    feeds = feeds_file(tmp_path, site.feed("watched", LINKS))
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"

    uninterrupted = run_etl(*watch_args(feeds, reference, "--rounds", "1"))
    assert uninterrupted.returncode == 1, uninterrupted.stderr  # the missing page

    last_page = LINKS[len(site_articles()) - 1]
    site.held[last_page] = threading.Event()  # the round cannot end before the kills, however fast it runs
    for stored in (2, 5):  # killed twice, each time with some articles of the round stored
        process = subprocess.Popen(etl_command(*watch_args(feeds, killed, "--timeout", str(HOLD_SECONDS))), cwd=ROOT,
                                   env=etl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:  # each page is stored as it comes, not held back until the held page answers
            poll(lambda stored=stored, process=process: count(killed, "article") >= stored or process.poll() is not None,
                 timeout=HOLD_SECONDS / 2)
            assert process.poll() is None, "the watch ended before it could be killed"
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait(timeout=TIMEOUT)
        assert process.returncode == -signal.SIGKILL
        assert integrity(killed) == SOUND
        assert count(killed, "article") < len(site_articles())  # killed mid-round, not after it
    site.held.pop(last_page).set()
    resumed = run_etl(*watch_args(feeds, killed, "--rounds", "1"))

    assert resumed.returncode in (0, 1), resumed.stderr
    assert diff(snapshot(killed), snapshot(reference)) == {}
    assert fetch_rows(killed) == fetch_rows(reference)
    assert count(killed, "article") == len(site_articles())
    assert query(killed, "select count(distinct url) from article") == [(len(site_articles()),)]
    assert integrity(killed) == SOUND


def test_watch_rounds_are_logged_and_an_unchanged_feed_costs_a_304(site, tmp_path):
    feed = site.feed("rounds", ["/news/changwon-robot.html"])
    feeds = feeds_file(tmp_path, feed)
    db = tmp_path / "rounds.db"

    result = run_etl(*watch_args(feeds, db, "--rounds", "2"))

    assert result.returncode == 0, result.stderr
    logged = [line.split(" ", 2)[2] for line in result.stderr.splitlines() if line[:2] == "20"]
    assert [line for line in logged if line.startswith("round")] == [
        "round 1: fetching 1 feed(s)", "round 1 done (exit status 0)",
        "round 2: fetching 1 feed(s)", "round 2 done (exit status 0)"]
    assert site.answered("/rounds.xml") == [200, 304]
    assert query(db, "select command, status, n_new from etl_run order by id") == [("watch", "done", 1), ("watch", "done", 0)]


def test_watch_usage_errors(tmp_path):
    db = sqlite_url(tmp_path / "usage.db")
    bad = run_etl("watch", "--feeds", str(tmp_path / "none.toml"), "--db", db)
    assert (bad.returncode, bad.stderr.strip()) == (2, f"error: {tmp_path / 'none.toml'}: no such file")
    feeds = feeds_file(tmp_path, "https://news.example.kr/rss.xml")
    bad = run_etl("watch", "--feeds", str(feeds), "--every", "soon", "--db", db)
    assert (bad.returncode, bad.stderr.strip()) == (2, "error: not an interval: 'soon' (use e.g. 30m, 1h, 90s)")


def test_sigterm_between_rounds_stops_cleanly(site, tmp_path):
    feeds = feeds_file(tmp_path, site.feed("term", ["/news/ulsan-hydrogen.html"]))
    db = tmp_path / "term.db"
    process = subprocess.Popen(etl_command(*watch_args(feeds, db)[:4], "1h", *watch_args(feeds, db)[5:]), cwd=ROOT,
                               env=etl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        poll(lambda: query(db, "select count(*) from etl_run where status = 'done'")[0][0] if db.exists() and count(db, "etl_run") else 0,
             timeout=TIMEOUT)
        time.sleep(1.0)  # the round's feeds and log lines after its run row
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "next round in" in err and "stopped during or after round 1" in err

