"""Screens as an analyst reads them, in headless Chromium (see test_browser.py).

The first test opens a link on the just-started server, so it sees the cold start.
"""
from __future__ import annotations

import time

import pytest

from test_browser import CHROMIUM, CHROMIUM_ARGS, server, settle  # noqa: F401, F811  (server is a fixture)



@pytest.fixture
def page(browser):
    pg = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="ko-KR")
    yield pg
    pg.close()


def test_cold_start_shows_no_streamlit_page_list(server, page):
    """A link opened on a just-started server: never Streamlit's English page list."""
    page.goto(f"{server}/articles?article=1")
    seen, deadline = [], time.time() + 60
    while time.time() < deadline:
        seen.append(page.locator('[data-testid="stSidebarNav"]').count())
        if page.locator('[data-testid="stApp"][data-test-script-state="notRunning"] h2').count():
            break
        page.wait_for_timeout(100)
    settle(page)
    assert set(seen) == {0} and len(seen) > 1
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    menu = page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')
    menu.nth(6).wait_for(timeout=30_000)  # the menu is drawn with the page; under load, a moment after its title
    links = menu.all_inner_texts()
    assert [t.strip()[-2:] for t in links[:7]] == ["개요", "지역", "산업", "예산", "일정", "사업", "기사"]  # the app's own menu


def _not_cut(page, selector: str) -> list[tuple[str, bool]]:
    return page.eval_on_selector_all(selector, "els => els.map(e => [e.value ?? e.innerText, e.scrollWidth <= e.clientWidth + 1])")


def test_sidebar_dates_and_project_facts_are_not_cut(server, page):
    page.goto(f"{server}/projects?project=3&from=2023-11-20&to=2024-12-31")
    page.wait_for_selector('[data-testid="fact-value"]', timeout=60_000)
    settle(page)
    dates = _not_cut(page, '[data-testid="stSidebar"] [data-testid="stDateInput"] input')
    assert dates == [["2023-11-20", True], ["2024-12-31", True]]
    facts = _not_cut(page, '[data-testid="fact-value"]')
    assert facts == [["착공", True], ["전북특별자치도", True], ["2023-11-20 ~ 2023-11-20", True], ["1건", True], ["300명", True]]


def test_period_with_only_an_end_year(server, page):
    page.goto(f"{server}/projects?project=2")
    page.wait_for_selector('[data-testid="fact-value"]', timeout=60_000)
    settle(page)
    assert page.get_by_text("?–2030 · 2030년까지", exact=True).count() == 1
    assert page.get_by_text("nan", exact=False).count() == 0


def test_click_inside_a_province_opens_it(server, page):
    page.goto(f"{server}/regions")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    settle(page)
    page.wait_for_timeout(1000)
    lon, lat = 127.45, 34.98  # 순천 area: inside 전라남도, far from its centre
    x, y = page.evaluate(
        """([lon, lat]) => { const gd = document.querySelector('.js-plotly-plot'); const fl = gd._fullLayout;
        const r = gd.getBoundingClientRect();
        return [r.left + fl.xaxis._offset + fl.xaxis.l2p(lon), r.top + fl.yaxis._offset + fl.yaxis.l2p(lat)]; }""",
        [lon, lat],
    )
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url("**sido=46**", timeout=30_000)
    settle(page)
    assert "전라남도 시군구별" in page.locator(".js-plotly-plot").first.inner_text()


def _region_box(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first


def test_region_filter_matches_as_typed(server, page):
    """'광양' offers 광양시 only; '전라남도' and Enter selects 전라남도 itself, not every match."""
    page.goto(server)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    settle(page)
    box = _region_box(page)
    box.locator("input").fill("광양")
    page.wait_for_timeout(400)
    assert page.locator('[role="option"]').all_inner_texts() == ["전라남도 광양시"]
    box.locator("input").fill("전라남도")
    page.wait_for_timeout(400)
    options = page.locator('[role="option"]').all_inner_texts()
    assert options[0] == "전라남도" and not any("Select" in o for o in options)
    box.locator("input").press("Enter")
    page.wait_for_url("**region=46**", timeout=30_000)
    settle(page)
    assert "region=46&" in page.url + "&" and "region=46230" not in page.url and "region=46130" not in page.url
