"""A database with two loads and two watchlists, built with the command line as a user would.

Load 1: six articles of tests/etl/site/articles.toml (saved pages); then the
watchlists "전체" (every project) and "전남 이차전지" (region=46, 이차전지,
saved from a 예산 view with one unknown region); load 2: the 광양 update
(국비 640억 → 700억, 계획 → 착공) and a new 포항 project.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests.etl.fetch_site import articles, page_html
from tests.etl.helpers import ROOT, TIMEOUT, etl_command, etl_env, sqlite_url

SECOND = ("gwangyang-battery-update", "pohang-steel")
WATCHLISTS = {"전체": "http://localhost:8501/", "전남 이차전지": "http://localhost:8501/funding?region=46&industry=이차전지&region=99999"}


def env(feed_dir: Path, base_url: str = "http://localhost:8501") -> dict[str, str]:
    return {**etl_env(), "POLICY_RADAR_FEED_DIR": str(feed_dir), "POLICY_RADAR_BASE_URL": base_url}


def cli(environment: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(etl_command(*args), cwd=ROOT, env=environment, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False)


def write_pages(folder: Path, slugs) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pages = articles()
    for slug in slugs:
        (folder / f"{slug}.html").write_text(page_html(pages[slug], f"https://news.example.kr/news/{slug}.html"), encoding="utf-8")
    return folder


def build(folder: Path) -> dict:
    """Build the database in `folder`; what each command said, for the tests to check."""
    db, feeds = folder / "watch.db", folder / "feeds"
    environment = env(feeds)
    first = write_pages(folder / "load1", [s for s in articles() if s not in SECOND])
    second = write_pages(folder / "load2", SECOND)
    out = {"db": str(db), "feeds": str(feeds), "url": sqlite_url(db)}
    out["load1"] = cli(environment, "load", first, "--db", sqlite_url(db)).returncode
    out["add"] = [cli(environment, "watchlist", "add", name, view, "--db", sqlite_url(db)).stderr
                  for name, view in WATCHLISTS.items()]
    out["load2"] = cli(environment, "load", second, "--db", sqlite_url(db)).returncode
    return out
