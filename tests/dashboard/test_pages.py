"""Every page under AppTest: empty database, fixture database, and links with good and bad values.

The figures on the page are compared with the fixture's known values and
with independent SQLAlchemy counts.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select

from dashboard_fixture import create_current_schema
from db.models import Article, Project

PAGES = [None, "pages/regions.py", "pages/industries.py", "pages/funding.py", "pages/timeline.py", "pages/projects.py", "pages/articles.py",
         "pages/watchlists.py",
         "pages/corrections.py"]


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
    create_current_schema(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_empty_database(app_on, empty_url, page):
    at = app_on(empty_url, page=page)
    assert_ok(at)
    assert any("없습니다" in t for t in texts(at, "info") + texts(at, "caption")), texts(at, "info")


def test_readonly_without_schema_says_so_and_writes_nothing(app_on, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    at = app_on(f"sqlite:///{path}")
    assert_ok(at)
    assert texts(at, "info") == ["데이터베이스가 비어 있습니다. 읽기 전용 모드라 예시 기사를 적재하지 않습니다."]
    assert path.stat().st_size == 0


def test_readonly_with_a_mistyped_path_creates_nothing(app_on, tmp_path):
    path = tmp_path / "typo" / "policy.db"
    at = app_on(f"sqlite:///{path}")
    assert_ok(at)
    assert [e.value for e in at.error] == [f"데이터베이스 파일이 없습니다: {path} (DATABASE_URL을 확인하세요)"]
    assert not path.parent.exists()


def _delete_journal_database(path) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    create_current_schema(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    engine.dispose()
    return url


def test_readonly_never_changes_the_file(app_on, tmp_path):
    """A DELETE-journal database stays one: no switch to WAL, no -wal/-shm files, same bytes."""
    path = tmp_path / "delete.db"
    url = _delete_journal_database(path)
    before = path.read_bytes()
    at = app_on(url)
    assert_ok(at)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delete.db"]


def test_readonly_on_a_read_only_mount(app_on, tmp_path, monkeypatch):
    """A folder that cannot be written (a read-only mount; root ignores mode bits, so the
    check is stood in for) opens the database immutable, and the pages work."""
    import db.engine

    url = _delete_journal_database(tmp_path / "ro.db")
    monkeypatch.setattr(db.engine, "folder_writable", lambda folder: False)
    assert db.engine.make_engine(url, readonly=True).url.query == {"mode": "ro", "uri": "true", "immutable": "1"}
    at = app_on(url)
    assert_ok(at)
    assert not at.error and at.title


def test_readonly_at_an_older_revision_is_a_notice(app_on, tmp_path):
    from db.engine import make_engine
    from db.schema import head_revision, migrate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(make_engine(url), "0002")
    at = app_on(url)
    assert_ok(at)
    assert texts(at, "info") == [
        "데이터베이스 스키마가 이전 버전(0002)입니다. 읽기 전용 모드라 올리지 않습니다: "
        f"관리자가 `python -m etl db upgrade`를 실행해야 합니다 (필요한 버전 {head_revision()})."
    ]


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
    # 사업 규모 leaves 투자 유치 out; both and the jobs are their own figures
    assert (m["사업 규모"], m["투자 유치"], m["일자리"]) == ("3조 5,781억원", "1조원", "300명")  # 1,280억 + 3조 4,500억 + 8,000만
    assert any("마지막 적재: 2024-08-02 09:30" in c for c in texts(at, "caption"))


def test_overview_with_region_and_industry_filter(app_on, fixture_url):
    at = app_on(fixture_url, {"region": "46", "industry": "이차전지"})
    m = metrics(at)
    assert (m["기사"], m["사업"], m["총사업비"], m["국비"], m["투자"]) == ("2건", "1개", "1,280억원", "640억원", "1조원")
    assert at.sidebar.multiselect[0].value == ["46"] and at.sidebar.multiselect[1].value == ["이차전지"]
    region_chart = chart_specs(at)[0]["data"][0]
    assert region_chart["y"] == ["전라남도"] and region_chart["x"] == [128_000_000_000]
    links = [e.proto for e in at.sidebar.get("page_link")]
    assert len(links) == 9 and all("region=46" in p.query_string and "industry=" in p.query_string for p in links)


def test_funding_page_tables_match(app_on, fixture_url):
    at = app_on(fixture_url, page="pages/funding.py")
    roles = chart_specs(at)[0]["data"][0]
    assert dict(zip(roles["x"], roles["y"])) == {"총사업비": 3_578_000_000_000, "국비": 64_080_000_000, "지방비": 50_000_000_000, "투자": 1_000_000_000_000}
    top = at.dataframe[0].value
    assert list(top.columns) == ["ID", "이름", "시도", "상태", "금액(원)", "투자 유치(원)", "사업규모", "투자유치"]
    assert list(top["ID"]) == [2, 1, 3] and list(top["사업규모"]) == ["3조 4,500억원", "1,280억원", "8,000만원"]
    assert list(top["시도"]) == ["경상북도", "전라남도", "전북특별자치도"]  # names, not codes
    assert list(top["투자유치"]) == ["", "1조원", ""]  # 투자 유치 apart, never in 사업 규모


def test_regions_page_map_compare_and_drill_down(app_on, fixture_url):
    at = app_on(fixture_url, {"compare": ["46", "47"], "metric": "projects"}, page="pages/regions.py")
    assert_ok(at)
    specs = chart_specs(at)
    fills = [t for t in specs[0]["data"] if t.get("fill") == "toself"]
    assert len(fills) >= 3  # polygons of the 시도 (map file present) or bars
    assert any(t["name"].startswith("전라남도: 1건") for t in fills)
    compare = specs[1]["data"]  # the 시도 × 산업 heatmap between them is drawn only when opened
    assert {t["name"] for t in compare} == {"전라남도", "경상북도"}
    # titles above the comparison charts, not inside them where the legend is
    assert [spec["layout"].get("title", {}).get("text") for spec in specs[1:]] == [None, None, None]
    assert [m.value for m in at.main.markdown if m.value.startswith("**") and m.value.endswith("**")][-3:] == [
        "**금액 구분별**", "**산업별 사업 수**", "**연도별 사업 규모**"]
    at2 = app_on(fixture_url, {"sido": "47"}, page="pages/regions.py")
    assert_ok(at2)
    names = [t["name"] for t in chart_specs(at2)[0]["data"] if t.get("fill") == "toself"]
    assert "경상북도 포항시: 3조 4,500억원" in names or any("포항" in n and "3조 4,500억원" in n for n in names)


def test_projects_page_table_and_detail(app_on, fixture_url, session):
    at = app_on(fixture_url, {"q": "광양"}, page="pages/projects.py")
    table = at.dataframe[0].value
    assert list(table["이름"]) == ["광양만권 이차전지 특화단지"]
    at = app_on(fixture_url, {"project": "1"}, page="pages/projects.py")
    assert_ok(at)
    marks = [h.proto.body for h in at.get("html")]
    assert '<h2 style="margin:0 0 0.25rem 0;font-weight:600">광양만권 이차전지 특화단지</h2>' in marks
    assert any("<mark" in b and "640억원</mark>" in b for b in marks)
    article_links = [e.proto for e in at.get("page_link") if "article=" in e.proto.query_string]
    assert {p.page for p in article_links} == {"articles"} and any("article=1" in p.query_string for p in article_links)
    assert at.dataframe[-2].value.shape[0] == 2  # reported by two articles (the list of all projects follows)
    assert at.dataframe[-1].value.shape[0] == 3
    missing = app_on(fixture_url, {"project": "999"}, page="pages/projects.py")
    assert any("999" in w for w in texts(missing, "warning"))


def test_articles_page_search_and_escaping(app_on, fixture_url):
    at = app_on(fixture_url, {"q": "수소"}, page="pages/articles.py")
    assert sorted(at.dataframe[0].value["ID"]) == [3, 5]
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
    at = app_on(fixture_url, page="pages/industries.py")
    bars = chart_specs(at)[0]["data"][0]
    assert dict(zip(bars["y"], bars["x"]))["수소"] == 3_450_000_000_000
    at = app_on(fixture_url, {"metric": "projects"}, page="pages/industries.py")  # the ranking follows 기준
    assert [s.value for s in at.subheader] == ["산업별 사업 수"]
    bars = chart_specs(at)[0]["data"][0]
    assert dict(zip(bars["y"], bars["x"])) == {"수소": 1, "이차전지": 1, "탄소소재": 1, "소재부품": 1}


def test_share_link_shows_full_view(app_on, fixture_url):
    at = app_on(fixture_url, {"region": "46", "project": "1"}, page="pages/projects.py")
    link = at.sidebar.code[0].value
    assert "region=46" in link and "project=1" in link


def html_texts(at) -> list[str]:
    """The visible text of every st.html element (tags dropped, entities decoded)."""
    import html as html_lib
    import re

    return [html_lib.unescape(re.sub(r"<[^>]+>", "", h.proto.body)) for h in at.get("html")]


@pytest.mark.parametrize(
    "project, period, facts",
    [
        ("1", "2024–2028 · 2024년부터 2028년까지", ["상태지정", "시도전라남도", "보도 기간2024-06-04 ~ 2024-07-10", "기사2건", "일자리-"]),
        ("2", "?–2030 · 2030년까지", ["상태선정", "시도경상북도", "보도 기간2024-03-02 ~ 2024-03-02", "기사1건", "일자리-"]),
    ],
)
def test_project_detail_reads_right(app_on, fixture_url, project, period, facts):
    """Periods as years ('?–2030', never 'nan–2030' or '2025.0'); facts not cut off; Korean headers."""
    at = app_on(fixture_url, {"project": project}, page="pages/projects.py")
    assert_ok(at)
    texts = html_texts(at)
    assert period in texts
    fact_row = next(h.proto.body for h in at.get("html") if 'data-testid="fact-value"' in h.proto.body)
    import re

    assert [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<div style="min-width:7rem">(.*?)</div></div>', fact_row)] == facts
    amounts = at.dataframe[0].value
    assert list(amounts.columns) == ["구분", "금액(원)", "기사 표현", "연도", "출처 문장", "기사 제목", "날짜", "원문"]
    assert not any(c in amounts.columns for c in ("dedup_key", "krw", "role", "sido_code"))


def test_tables_show_no_none(app_on, fixture_url):
    """Missing values are empty cells: no 'None', no 2025.0; a project without 투자 유치 is blank, not 0."""
    at = app_on(fixture_url, {"sort": "name"}, page="pages/projects.py")
    table = at.dataframe[0].value
    assert list(table["이름"]) == ["광양만권 이차전지 특화단지", "전주 탄소소재 국가산단", "포항 수소경제 규제자유특구"]
    assert list(table["투자 유치(원)"]) == ["1,000,000,000,000", "", ""]
    assert list(table["금액(원)"]) == [128_000_000_000, 80_000_000, 3_450_000_000_000]  # no gap: a number column
    amounts = app_on(fixture_url, {"project": "1"}, page="pages/projects.py").dataframe[0].value
    assert sorted(zip(amounts["구분"], amounts["연도"])) == [("국비", "2024"), ("총사업비", "2024"), ("총사업비", "2024"), ("투자", "")]


def test_below_the_fold_runs_only_when_opened(app_on, fixture_url):
    """Below the first screen nothing is computed or drawn until the reader opens it:
    산업's composition and trend, 지역's 시도 × 산업 heatmap, 예산's by-year tab and its
    conflicts table, 일정's events table."""
    at = app_on(fixture_url, page="pages/industries.py")
    assert [spec["data"][0]["type"] for spec in chart_specs(at)] == ["bar"]
    assert [e.label for e in at.expander] == ["산업 안의 지역 구성", "연도별 추이"]
    at.session_state["industry_composition"] = True
    at.run()
    assert [spec["data"][0]["type"] for spec in chart_specs(at)] == ["bar", "treemap"]
    at.session_state["industry_composition"] = False
    at.session_state["industry_trend"] = True
    at.run()
    assert [spec["data"][0]["type"] for spec in chart_specs(at)] == ["bar", "scatter"]
    at = app_on(fixture_url, page="pages/regions.py")
    assert [spec["data"][0]["type"] for spec in chart_specs(at)] == ["scatter"]  # the map
    at.session_state["region_matrix"] = True
    at.run()
    assert [spec["data"][0]["type"] for spec in chart_specs(at)] == ["scatter", "heatmap"]
    at = app_on(fixture_url, page="pages/funding.py")
    assert [spec["data"][0]["x"] for spec in chart_specs(at)] == [["총사업비", "국비", "지방비", "투자"]]  # by role only
    at.session_state["funding_tabs"] = "시도별 · 구분별"
    at.run()
    assert [spec["data"][0]["orientation"] for spec in chart_specs(at)] == ["h"]  # 시도 along y
    at.session_state["funding_tabs"] = "연도별 · 구분별"
    at.run()
    assert [spec["data"][0]["orientation"] for spec in chart_specs(at)] == ["v"]  # years along x
    at = app_on(fixture_url, page="pages/timeline.py")
    assert len(at.dataframe) == 0 and [e.label for e in at.expander] == ["상태 변화 3건"]
    at.session_state["timeline_events"] = True
    at.run()
    assert len(at.dataframe) == 1


NEW_PROJECT_LINKS = ["새 사업 · 광양만권 이차전지 특화단지 · 전라남도", "새 사업 · 전주 탄소소재 국가산단 · 전북특별자치도",
                     "새 사업 · 포항 수소경제 규제자유특구 · 경상북도"]


def test_overview_draws_the_last_load_links_only_when_opened(app_on, fixture_url):
    """The newest load's new projects are counted in the expander's title; their links
    are drawn when the reader opens it."""
    at = app_on(fixture_url)
    assert [e.label for e in at.expander] == ["마지막 적재로 바뀐 것: 새 사업 3개, 금액이 바뀐 사업 0개"]

    def new_project_links():
        return sorted(p.proto.label for p in at.main.get("page_link") if p.proto.label.startswith("새 사업 · "))
    assert new_project_links() == []
    at.session_state["last_load_changes"] = True
    at.run()
    assert new_project_links() == NEW_PROJECT_LINKS
