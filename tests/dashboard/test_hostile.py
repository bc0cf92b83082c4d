"""Hostile article text and URLs: shown as text, never markup, never a link or a fetch.

The fixture database with article 1's title, outlet, reporter and URL, article
3's URL and project 1's name replaced by markdown, Streamlit directives,
images, links and script URLs. AppTest checks the exact values each element
is given; Chromium checks what a browser makes of them.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import dashboard_fixture
from ui.safe import md, web_url

TITLE = ":red[빨강] **굵게** $$x^2$$ :material/home: ![t](http://127.0.0.1:9/p.png) [공식 발표](http://127.0.0.1:9/a) hong@news.example"
OUTLET = "[공식 발표](javascript:alert(1))"
REPORTER = ":material/warning: *기자* <img src=x onerror=alert(1)>"
PROJECT = "![p](http://127.0.0.1:9/q.png) :blue[사업] `코드`"
URLS = {1: "javascript:alert(1)", 3: "data:text/html,<script>alert(1)</script>", 2: " //127.0.0.1:9/x", 4: "https://example.com/a4"}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}"
    dashboard_fixture.build(url).dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE article SET title = :t, outlet = :o, reporter = :r WHERE id = 1"),
                     {"t": TITLE, "o": OUTLET, "r": REPORTER})
        for article_id, value in URLS.items():
            conn.execute(text("UPDATE article SET url = :u WHERE id = :i"), {"u": value, "i": article_id})
        conn.execute(text("UPDATE project SET name = :n WHERE id = 1"), {"n": PROJECT})
    engine.dispose()
    return url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.com/a?b=1#c", "https://example.com/a?b=1#c"),
        ("HTTP://EXAMPLE.COM", "HTTP://EXAMPLE.COM"),
        (" https://example.com/a ", "https://example.com/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//127.0.0.1/x", None),
        ("file:///etc/passwd", None),
        ("http://", None),
        ("https://exa mple.com", None),
        ('https://example.com/"onmouseover=', None),
        ("https://example.com/\x00", None),
        (None, None),
        (12, None),
    ],
)
def test_web_url_keeps_only_http_addresses(url, expected):
    assert web_url(url) == expected


@pytest.mark.parametrize(
    "raw, escaped",
    [
        (":red[빨강]", r"\:red\[빨강\]"),
        (":material/home:", r"\:material\/home\:"),
        ("$$x$$ **b**", r"\$\$x\$\$ \*\*b\*\*"),
        ("![t](http://h/p.png)", r"\!\[t\]\(http\:\/\/h\/p\.png\)"),
        ("1. 첫째\n# 둘째", r"1\. 첫째 \# 둘째"),
        ("광양만권 이차전지 특화단지", "광양만권 이차전지 특화단지"),
        (None, ""),
    ],
)
def test_md_escapes_every_markdown_character(raw, escaped):
    assert md(raw) == escaped


def _html_bodies(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_article_page_shows_hostile_text_as_text(app_on, hostile_url):
    at = app_on(hostile_url, {"article": "1"}, page="pages/articles.py")
    assert not at.exception
    bodies = _html_bodies(at)
    assert f'<h2 style="margin:0 0 0.25rem 0;font-weight:600">{html.escape(TITLE)}</h2>' in bodies
    byline = f"2024-06-04 · {OUTLET} · {REPORTER}"
    assert sum(b.endswith(f">{html.escape(byline)}</p>") for b in bodies) == 1
    assert not at.get("link_button")  # javascript: is no 원문 button
    labels = [e.proto.label for e in at.get("page_link") if "project=" in e.proto.query_string]
    assert labels == [f"사업: {md(PROJECT)}"]
    assert not any(h.value == TITLE for h in at.header)


def test_link_cells_and_buttons_carry_only_http_urls(app_on, hostile_url):
    at = app_on(hostile_url, page="pages/articles.py")
    urls = {i: v if isinstance(v, str) else None for i, v in zip(at.dataframe[0].value["ID"], at.dataframe[0].value["원문"])}
    assert urls == {1: None, 2: None, 3: None, 4: "https://example.com/a4", 5: None}
    at = app_on(hostile_url, {"project": "1"}, page="pages/projects.py")
    assert not at.exception
    assert not at.get("link_button")  # both articles of project 1 have unsafe URLs
    for table in at.dataframe:
        if "원문" in table.value.columns:
            assert all(not isinstance(v, str) or re.match(r"https?://", v) for v in table.value["원문"]), list(table.value["원문"])
            assert table.value["원문"].map(lambda v: isinstance(v, str)).sum() == 0
    labels = [e.proto.label for e in at.get("page_link") if "article=" in e.proto.query_string]
    assert f"기사: 2024-06-04 {md(TITLE[:50])}" in labels


def test_overview_links_are_escaped(app_on, hostile_url):
    at = app_on(hostile_url)
    labels = [e.proto.label for e in at.get("page_link")]
    assert f"2024-06-04 · {md(TITLE[:60])}" in labels
    assert any(label.startswith(md(PROJECT)) for label in labels)
    assert not any(":red[" in label or "](http" in label for label in labels)


def test_chromium_renders_no_markup_link_image_or_script(hostile_url, require, tmp_path_factory):
    """In the browser: no <img> from outside, no <a href> but http(s) and the app's own
    and none to the hostile host, no script run, the text visible as written."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, settle

    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (Python) is not installed")
        return
    from test_browser import dashboard_server

    dialogs: list[str] = []
    requests: list[str] = []
    with dashboard_server(hostile_url, tmp_path_factory.mktemp("hostile_server")) as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            for view in ("articles?article=1", "projects?project=1", "", "articles"):
                page.goto(f"{base}/{view}")
                page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
                settle(page, 60_000)
                page.wait_for_timeout(500)
                srcs = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src') || '')")
                assert not [s for s in srcs if re.match(r"(?i)(https?:)?//", s) and not s.startswith(base)], (view, srcs)
                hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                bad = [h for h in hrefs if not re.match(r"https?://", h) or "127.0.0.1:9" in h or "news.example" in h]
                assert not bad, (view, bad)
                assert page.locator(".stMarkdownColoredText, .katex").count() == 0, view
            page.goto(f"{base}/articles?article=1")
            settle(page, 60_000)
            assert page.locator("h2").filter(has_text=TITLE).count() == 1
            browser.close()
    assert dialogs == []
    assert not [r for r in requests if "127.0.0.1:9" in r]


def test_search_text_from_a_link_is_shown_as_text(app_on, hostile_url):
    q = ":red[x] ![t](http://127.0.0.1:9/p.png)"
    at = app_on(hostile_url, {"q": q}, page="pages/articles.py")
    captions = [c.value for c in at.caption if "조건:" in c.value]
    assert captions == [f"기사 찾아보기 · 검색어는 두 글자 단어(광양, 수소)도 찾습니다 · 조건: 검색어 '{md(q)}'"]
