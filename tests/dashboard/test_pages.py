"""Every page under AppTest: empty database, fixture database, and links with good and bad values.

The figures on the page are compared with the fixture's known values and
with independent SQLAlchemy counts.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select

from db.models import Article, Base, Project

PAGES = [None, "pages/regions.py", "pages/industries.py", "pages/funding.py", "pages/timeline.py", "pages/projects.py", "pages/articles.py",
         "pages/watchlists.py"]


def texts(at, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_specs(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def assert_ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('empty') / 'empty.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_empty_database(app_on, empty_url, page):
    at = app_on(empty_url, page=page)
    assert_ok(at)
    assert any("없습니다" in t for t in texts(at, "info") + texts(at, "caption")), texts(at, "info")


def test_readonly_without_schema_says_so_and_writes_nothing(app_on, tmp_path):
    path = tmp_path / "none.db"
    at = app_on(f"sqlite:///{path}")
    assert_ok(at)
    assert any("읽기 전용" in t for t in texts(at, "info"))
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from sqlite_master where type='table'").scalar() == 0


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_fixture_database(app_on, fixture_url, page):
    at = app_on(fixture_url, page=page)
    assert_ok(at)
    assert at.title and not at.warning


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_bad_link_values(app_on, fixture_url, page):
    params = {"region": ["46", "99999"], "industry": ["이차전지", "우주관광"], "from": "2024-13-01", "project": "abc", "article": "x1"}
    at = app_on(fixture_url, params, page=page)
    assert_ok(at)
    shown = " ".join(texts(at, "warning"))
    for bad in ("99999", "우주관광", "2024-13-01"):
        assert bad in shown
    if page == "pages/projects.py":
        assert "abc" in shown
    if page == "pages/articles.py":
        assert "x1" in shown
    # the URL keeps only the valid values
    assert at.query_params == {"region": "46", "industry": "이차전지"}


def test_overview_numbers_match_database(app_on, fixture_url, session):
    at = app_on(fixture_url)
    m = metrics(at)
    assert m["기사"] == f"{session.scalar(select(func.count()).select_from(Article))}건" == "5건"
    assert m["사업"] == f"{session.scalar(select(func.count()).select_from(Project))}개" == "3개"
    assert m["총사업비"] == "3조 5,780억원"
    assert m["국비"] == "641억원"  # 640억 8,000만원, rounded to 억 above 100억
    assert m["투자"] == "1조원"
    assert any("마지막 적재: 2024-08-02 09:30" in c for c in texts(at, "caption"))


def test_overview_with_region_and_industry_filter(app_on, fixture_url):
    at = app_on(fixture_url, {"region": "46", "industry": "이차전지"})
    m = metrics(at)
    assert (m["기사"], m["사업"], m["총사업비"], m["국비"], m["투자"]) == ("2건", "1개", "1,280억원", "640억원", "1조원")
    assert at.sidebar.multiselect[0].value == ["46"] and at.sidebar.multiselect[1].value == ["이차전지"]
    region_chart = chart_specs(at)[0]["data"][0]
    assert region_chart["y"] == ["전라남도"] and region_chart["x"] == [1_128_000_000_000]
    links = [e.proto for e in at.sidebar.get("page_link")]
    assert len(links) == 8 and all("region=46" in p.query_string and "industry=" in p.query_string for p in links)


def test_funding_page_tables_match(app_on, fixture_url):
    at = app_on(fixture_url, page="pages/funding.py")
    roles = chart_specs(at)[0]["data"][0]
    assert dict(zip(roles["x"], roles["y"])) == {"총사업비": 3_578_000_000_000, "국비": 64_080_000_000, "지방비": 50_000_000_000, "투자": 1_000_000_000_000}
    top = at.dataframe[0].value
    assert list(top["id"]) == [2, 1, 3] and list(top["금액"]) == ["3조 4,500억원", "1조 1,280억원", "8,000만원"]


def test_regions_page_map_compare_and_drill_down(app_on, fixture_url):
    at = app_on(fixture_url, {"compare": ["46", "47"], "metric": "projects"}, page="pages/regions.py")
    assert_ok(at)
    specs = chart_specs(at)
    fills = [t for t in specs[0]["data"] if t.get("fill") == "toself"]
    assert len(fills) >= 3  # polygons of the 시도 (map file present) or bars
    assert any(t["name"].startswith("전라남도: 1건") for t in fills)
    compare = specs[2]["data"]
    assert {t["name"] for t in compare} == {"전라남도", "경상북도"}
    at2 = app_on(fixture_url, {"sido": "47"}, page="pages/regions.py")
    assert_ok(at2)
    names = [t["name"] for t in chart_specs(at2)[0]["data"] if t.get("fill") == "toself"]
    assert "경상북도 포항시: 3조 4,500억원" in names or any("포항" in n and "3조 4,500억원" in n for n in names)


def test_projects_page_table_and_detail(app_on, fixture_url, session):
    at = app_on(fixture_url, {"q": "광양"}, page="pages/projects.py")
    table = at.dataframe[0].value
    assert list(table["name"]) == ["광양만권 이차전지 특화단지"]
    at = app_on(fixture_url, {"project": "1"}, page="pages/projects.py")
    assert_ok(at)
    assert at.header[0].value == "광양만권 이차전지 특화단지"
    marks = [h.proto.body for h in at.get("html")]
    assert any("<mark" in b and "640억원</mark>" in b for b in marks)
    article_links = [e.proto for e in at.get("page_link") if "article=" in e.proto.query_string]
    assert {p.page for p in article_links} == {"articles"} and any("article=1" in p.query_string for p in article_links)
    assert at.dataframe[-2].value.shape[0] == 2  # reported by two articles (the list of all projects follows)
    assert at.dataframe[-1].value.shape[0] == 3
    missing = app_on(fixture_url, {"project": "999"}, page="pages/projects.py")
    assert any("999" in w for w in texts(missing, "warning"))


def test_articles_page_search_and_escaping(app_on, fixture_url):
    at = app_on(fixture_url, {"q": "수소"}, page="pages/articles.py")
    assert sorted(at.dataframe[0].value["id"]) == [3, 5]
    at = app_on(fixture_url, {"article": "5"}, page="pages/articles.py")
    body = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;" in body and "<script>" not in body
    at = app_on(fixture_url, {"article": "1"}, page="pages/articles.py")
    body = " ".join(h.proto.body for h in at.get("html"))
    assert body.count("<mark") >= 3 and "1,280억원</mark>" in body


def test_timeline_and_industries_pages(app_on, fixture_url):
    at = app_on(fixture_url, {"region": "46"}, page="pages/timeline.py")
    gantt = chart_specs(at)[0]["data"]
    assert gantt[0]["type"] == "bar" and len(gantt[0]["y"]) == 1
    assert {t["name"] for t in gantt[1:]} == {"계획", "지정"}
    at = app_on(fixture_url, {"metric": "projects"}, page="pages/industries.py")
    bars = chart_specs(at)[0]["data"][0]
    assert dict(zip(bars["y"], bars["x"]))["수소"] == 3_450_000_000_000


def test_share_link_shows_full_view(app_on, fixture_url):
    at = app_on(fixture_url, {"region": "46", "project": "1"}, page="pages/projects.py")
    link = at.sidebar.code[0].value
    assert "region=46" in link and "project=1" in link
