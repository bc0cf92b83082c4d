"""The real app in headless Chromium: a shared link with filters, navigation and back.

Skips when Chromium or Playwright is missing, unless POLICY_RADAR_REQUIRE_ALL=1.
Never runs `playwright install`: it drives the Debian chromium at /usr/bin/chromium.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@contextmanager
def dashboard_server(database_url: str, log_dir: Path, *extra: str, readonly: bool = True) -> Iterator[str]:
    """A dashboard on `database_url` at a free 127.0.0.1 port (its base URL), read-only unless
    `readonly` is False, stopped on exit; the server's output goes to `log_dir`/streamlit.log."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "POLICY_RADAR_READONLY": "1" if readonly else ""}
    with open(log_dir / "streamlit.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             *extra],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def server(fixture_url, tmp_path_factory):
    with dashboard_server(fixture_url, tmp_path_factory.mktemp("server")) as base:
        yield base


def settle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')?.innerText?.includes('Running')",
        timeout=timeout,
    )


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_shared_link_filters_survive_navigation(server, tmp_path, require):
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (Python) is not installed")
        return

    link = f"{server}/?region=46&industry={quote('이차전지')}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="ko-KR")
        page.goto(link)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        settle(page)
        # numbers and chart reflect the filters (전남 · 이차전지: 2 articles, 1 project)
        assert metric(page, "기사") == "2건"
        assert metric(page, "사업") == "1개"
        assert metric(page, "총사업비") == "1,280억원"
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(state="visible")
        assert "전라남도" in chart.inner_text() and "경상북도" not in chart.inner_text()
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert "전라남도" in sidebar.locator('[data-testid="stMultiSelect"]').first.inner_text()
        # the share box is drawn only when its popover opens (st.code's highlighter is costly)
        assert sidebar.locator('[data-testid="stCode"]').count() == 0
        sidebar.get_by_role("button", name="링크 복사").click()
        share = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').inner_text()
        assert share.startswith(server) and "region=46" in share
        page.keyboard.press("Escape")

        # move to 예산 through the app's own menu: filters travel in the URL
        sidebar.locator('a[data-testid="stPageLink-NavLink"]').filter(has_text="예산").click()
        page.wait_for_url("**/funding?*", timeout=30_000)
        settle(page)
        assert "region=46" in page.url and "industry=" in page.url
        page.get_by_role("heading", name="예산").wait_for()
        page.locator(".js-plotly-plot").first.wait_for(state="visible")
        roles_chart = page.locator(".js-plotly-plot").first.inner_text()
        assert "1,280억원" in roles_chart and "3조 4,500억원" not in roles_chart
        page.screenshot(path=str(tmp_path / "funding.png"), full_page=True)

        # and back to 개요: the same filtered numbers
        sidebar.locator('a[data-testid="stPageLink-NavLink"]').filter(has_text="개요").click()
        page.wait_for_function("() => !location.pathname.endsWith('/funding')", timeout=30_000)
        page.get_by_role("heading", name="개요").wait_for()
        settle(page)
        assert "region=46" in page.url and "industry=" in page.url
        assert metric(page, "기사") == "2건" and metric(page, "사업") == "1개"
        shot = tmp_path / "overview_filtered.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    out = ROOT / "bench" / "out"
    if out.is_dir():
        shutil.copy(shot, out / "browser_overview_filtered.png")
        shutil.copy(tmp_path / "funding.png", out / "browser_funding_filtered.png")
