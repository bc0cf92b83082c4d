"""Fixtures for the dashboard suite: temporary databases and an app pointed at them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import dashboard_fixture  # noqa: E402

APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="session")
def fixture_url(tmp_path_factory) -> str:
    """The hand-built fixture database (built once; tests only read it)."""
    path = tmp_path_factory.mktemp("fixture") / "fixture.db"
    url = f"sqlite:///{path}"
    dashboard_fixture.build(url).dispose()
    return url


@pytest.fixture
def fixture_engine(fixture_url):
    from sqlalchemy import create_engine

    engine = create_engine(fixture_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(fixture_engine):
    from sqlalchemy.orm import Session

    with Session(fixture_engine) as s:
        yield s


@pytest.fixture
def app_on(monkeypatch):
    """Start an AppTest of the dashboard against `url` with optional query parameters."""
    from streamlit.testing.v1 import AppTest

    def start(url: str, params: dict | None = None, page: str | None = None, readonly: bool = True) -> AppTest:
        monkeypatch.setenv("DATABASE_URL", url)
        if readonly:
            monkeypatch.setenv("POLICY_RADAR_READONLY", "1")
        else:
            monkeypatch.delenv("POLICY_RADAR_READONLY", raising=False)
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params = dict(params or {})
        at.run()
        if page:  # pages registered by st.navigation can only be reached after a first run
            at.query_params = dict(params or {})
            at.switch_page(page)
            at.run()
        return at

    return start


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (system binary, see test_browser.py); skips with the reason when absent."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS
    from tests.conftest import require

    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (Python) is not installed")
        return
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


IDENTITY_CORPUS = ROOT / "tests" / "etl" / "identity"


@pytest.fixture
def corpus_url(tmp_path) -> str:
    """A fresh database with the identity corpus loaded (projects reported by several articles)."""
    from db.engine import make_engine
    from etl.load import load_paths

    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    engine = make_engine(url)
    load_paths([str(IDENTITY_CORPUS)], engine)
    engine.dispose()
    return url
