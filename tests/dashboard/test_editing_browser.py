"""Editing mode in headless Chromium (see test_browser.py): an analyst merges two projects and
rejects a figure on the project page, and the overview's totals follow; a read-only server on
the same database offers no editing at all.

The identity corpus (tests/etl/identity): 구미 공동인프라 reported 1,280억 and then 1,350억
(2025-02-11); its 인력양성센터 look-alike 300억; 군산 국가산단 5,800억 and its 실증센터 450억;
당진 송산5산단 3,400억.
"""
from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import queries
from db.engine import make_engine
from db.filters import Filters
from db.models import Amount
from test_browser import dashboard_server, metric, settle
from ui.format import won
from vocab import vocabulary

GUMI = "구미시 반도체 소재·부품 공동인프라 구축사업"




def totals(url: str) -> dict[str, str]:
    """The overview's 사업 규모 and 총사업비 as the database holds them now, formatted as the page does."""
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            h = queries.headline(s, Filters())
    finally:
        engine.dispose()
    by_role = dict(zip(h.by_role["role"], h.by_role["krw"])) if not h.by_role.empty else {}
    return {"사업 규모": won(h.scale), vocabulary().role_labels["total"]: won(by_role.get("total", 0))}


def amount_id(url: str, project_id: int, krw: int) -> int:
    """The row id of a project's figure, which its 금액 제외 button is keyed by."""
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return c.scalar(select(Amount.id).where(Amount.project_id == project_id, Amount.krw == krw))
    finally:
        engine.dispose()


def shown(page, base: str) -> dict[str, str]:
    page.goto(f"{base}/")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    settle(page)
    return {label: metric(page, label) for label in ("사업 규모", vocabulary().role_labels["total"])}


def changed_totals(page, url: str, before: dict, timeout_s: float = 60) -> dict:
    """The database's totals once a correction made in the browser has changed them (or, after
    `timeout_s`, as they are: the assertion that follows then says what did not happen)."""
    deadline = time.monotonic() + timeout_s
    while (now := totals(url)) == before and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return now


def project_page(page, base: str, project_id: int, editing: bool) -> None:
    """Open a project; with `editing`, switch editing mode on in the sidebar (a new page load is a new session)."""
    page.goto(f"{base}/projects?project={project_id}")
    page.wait_for_selector('[data-testid="fact-value"]', timeout=60_000)
    settle(page)
    if editing:
        page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').filter(has_text="편집 모드").click()
        page.get_by_text("편집 모드 켜기").click()
        page.locator(f"[class*='st-key-reject_{project_id}_']").first.wait_for()
        settle(page)


def test_an_analyst_merges_and_rejects_in_the_browser_and_the_overview_follows(browser, corpus_url, tmp_path):
    before = totals(corpus_url)
    assert before == {"사업 규모": "1조 1,300억원", "총사업비": "1조 1,300억원"}  # 1,350 + 300 + 5,800 + 450 + 3,400
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="ko-KR")
    with dashboard_server(corpus_url, tmp_path, readonly=False) as base:
        assert shown(page, base) == before
        # 구미 반도체 인력양성센터 (project 2) is part of the 공동인프라 (project 1), says the analyst
        project_page(page, base, 2, editing=True)
        page.locator(".st-key-merge_2 input[role='combobox']").click()
        page.get_by_role("option", name=GUMI).click()
        page.locator(".st-key-do_merge_2 button").click()
        settle(page)
        page.wait_for_url("**/projects?project=1*", timeout=30_000)  # the page follows the project it joined
        # and the 1,350억 of 2025-02-11 was not the project's money: its total is 1,280억 again
        project_page(page, base, 1, editing=True)
        merged = totals(corpus_url)
        page.locator(f".st-key-reject_1_{amount_id(corpus_url, 1, 1350 * 10**8)} button").click()
        after = changed_totals(page, corpus_url, merged)  # the click's rerun may not have started when it returns
        settle(page)
        assert after == {"사업 규모": "1조 930억원", "총사업비": "1조 930억원"}  # 1,280 + 5,800 + 450 + 3,400; 300억 is older
        assert shown(page, base) == after
        page.screenshot(path=str(tmp_path / "overview_after_corrections.png"), full_page=True)
    readonly_dir = tmp_path / "readonly"
    readonly_dir.mkdir()
    with dashboard_server(corpus_url, readonly_dir) as base:
        assert shown(page, base) == after
        page.goto(f"{base}/projects?project=1")
        page.wait_for_selector('[data-testid="fact-value"]', timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stSidebar"]').get_by_text("편집 모드").count() == 0
        assert page.get_by_role("button", name="금액 제외", exact=True).count() == 0
        assert page.locator("[class*='st-key-reject_'], [class*='st-key-do_merge_']").count() == 0
        assert page.get_by_text("총사업비 1,280억원").count() > 0  # the same corrected project, read-only
    page.close()
