"""Browser benchmark: each dashboard page against the floor page, in headless Chromium.

    .venv/bin/python -m bench.browser --db sqlite:///bench/out/b100k.db [--repeat 3]

Starts `streamlit run dashboard.py` on the database (read-only) and
`streamlit run bench/floor.py`, each on a free 127.0.0.1 port, and drives the
Debian chromium at /usr/bin/chromium through Playwright (never `playwright
install`). Each visit opens the page in a new tab and counts the time until
Streamlit has stopped running the script and the page's chart or table is
drawn. Prints:

* start-up: from launching the server until its first page is complete, and
  whether Streamlit's own page list (stSidebarNav) showed at any moment;
* per page, the first visit (this server has not shown the page yet: cold
  query caches unless the app warmed them) and the median of the repeat
  visits, each with its ratio to the floor page's visit of the same kind.

A benchmark: it prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.dashboard.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"overview": "", "regions": "regions", "industries": "industries", "funding": "funding",
         "timeline": "timeline", "projects": "projects", "articles": "articles"}
# Set by an init script in every tab: whether Streamlit's default page list was ever in the page.
NAV_WATCH = """
window.__navSeen = false;
new MutationObserver(() => {
  if (document.querySelector('[data-testid="stSidebarNav"]')) window.__navSeen = true;
}).observe(document, {childList: true, subtree: true});
"""
DONE = (
    "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
    " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
    " && !!document.querySelector('.js-plotly-plot .main-svg, [data-testid=\"stDataFrame\"] canvas,"
    " [data-testid=\"stDataFrameResizable\"], [data-testid=\"stMetric\"]'); }"
)


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    launched: float  # perf_counter at launch

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def launch(script: str, db: str | None) -> Server:
    """`streamlit run script` on a free port; returns once it answers its health check."""
    port = free_port()
    env = {**os.environ, "POLICY_RADAR_READONLY": "1"}
    if db:
        env["DATABASE_URL"] = db
    launched = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = Server(proc, f"http://127.0.0.1:{port}", launched)
    try:
        wait_healthy(server.base, proc, timeout=120)
    except Exception:
        server.stop()
        raise
    return server


def visit(context, url: str, timeout_ms: float = 120_000) -> tuple[float, bool]:
    """(ms until the page is complete, whether the default page list showed), in a new tab."""
    tab = context.new_page()
    try:
        started = time.perf_counter()
        tab.goto(url)
        tab.wait_for_function(DONE, timeout=timeout_ms, polling=50)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, bool(tab.evaluate("window.__navSeen"))
    finally:
        tab.close()


def measure(db: str, repeat: int = 3, pages: dict[str, str] = PAGES) -> dict:
    """Start-up, then first and repeat visits of the floor page and of each dashboard page."""
    from playwright.sync_api import sync_playwright

    results: dict = {"pages": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="ko-KR")
        context.add_init_script(NAV_WATCH)
        floor = launch("bench/floor.py", None)
        try:
            first = visit(context, floor.base)[0]
            results["floor"] = (first, statistics.median(visit(context, floor.base)[0] for _ in range(repeat)))
        finally:
            floor.stop()
        app = launch("dashboard.py", db)
        try:
            healthy = time.perf_counter()
            ms, nav_seen = visit(context, f"{app.base}/")
            results["startup"] = ((time.perf_counter() - app.launched) * 1000, (healthy - app.launched) * 1000, ms, nav_seen)
            for name, path in pages.items():
                url = f"{app.base}/{path}"
                # the start-up visit was the root page's first
                first, seen = (ms, nav_seen) if path == "" else visit(context, url)
                again = statistics.median(visit(context, url)[0] for _ in range(repeat))
                results["pages"][name] = (first, again, seen)
        finally:
            app.stop()
        browser.close()
    return results


def report(results: dict) -> str:
    floor_first, floor_again = results["floor"]
    total, healthy, first_page, nav_seen = results["startup"]
    lines = [
        f"start-up: {total / 1000:.1f} s from launch to the first complete page "
        f"(server healthy after {healthy / 1000:.1f} s, page {first_page / 1000:.1f} s); "
        f"Streamlit page list shown: {'yes' if nav_seen else 'no'}",
        "",
        f"{'page':<12}{'first ms':>10}{'× floor':>9}{'repeat ms':>11}{'× floor':>9}",
        f"{'floor':<12}{floor_first:>10.0f}{1:>9.2f}{floor_again:>11.0f}{1:>9.2f}",
    ]
    for name, (first, again, seen) in results["pages"].items():
        mark = "  (page list shown)" if seen else ""
        lines.append(f"{name:<12}{first:>10.0f}{first / floor_first:>9.2f}{again:>11.0f}{again / floor_again:>9.2f}{mark}")
    first_worst = max(results["pages"].items(), key=lambda kv: kv[1][0])
    again_worst = max(results["pages"].items(), key=lambda kv: kv[1][1])
    lines.append(f"slowest first visit: {first_worst[0]} {first_worst[1][0] / floor_first:.2f}× floor; "
                 f"slowest repeat visit: {again_worst[0]} {again_worst[1][1] / floor_again:.2f}× floor")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="database URL (sqlite:///bench/out/b100k.db)")
    ap.add_argument("--repeat", type=int, default=3, help="repeat visits per page (the median is printed)")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed: nothing to measure")
        return 1
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(report(measure(args.db, args.repeat)))
    print(f"load average: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
