"""Screenshots of every page as an analyst opens them, in headless Chromium.

    .venv/bin/python -m bench.screens --db sqlite:///bench/out/screens/real.db --tag after \
        --view "projects?project=12" --view "articles?article=3"

Starts `streamlit run dashboard.py` on a free 127.0.0.1 port (read-only) and
writes `bench/out/screens/<tag>_<view>.png` (a tall window: Streamlit scrolls
inside the page, so a full-page shot is only the window). Drives the Debian
chromium at /usr/bin/chromium through Playwright (never `playwright install`).
Prints each file and how long the page took to settle.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.dashboard.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, settle, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "screens"
VIEWS = ("", "regions", "regions?compare=46&compare=47&compare=52", "industries", "funding", "timeline", "projects", "articles")


def _name(view: str) -> str:
    return re.sub(r"[^0-9A-Za-z가-힣]+", "_", view or "overview").strip("_")


def shoot(db: str, tag: str, views: tuple[str, ...]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db, "POLICY_RADAR_READONLY": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 2600}, locale="ko-KR")
            for view in views:
                started = time.perf_counter()
                page.goto(f"{base}/{view}")
                page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
                settle(page, 60_000)
                page.wait_for_timeout(800)  # plotly draws after the script settles
                path = OUT / f"{tag}_{_name(view)}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"{path.relative_to(ROOT)}\t{time.perf_counter() - started:.1f} s")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--tag", default="after", help="file name prefix (before, after)")
    parser.add_argument("--view", action="append", help="page path with query string (default: every page)")
    args = parser.parse_args(argv)
    shoot(args.db, args.tag, tuple(args.view or VIEWS))


if __name__ == "__main__":
    main()
