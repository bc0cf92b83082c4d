"""Exact aggregates of db.queries on the hand-built fixture (every figure once per dedup_key)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

import dashboard_fixture as fx
from db import queries as q
from db.filters import Filters
from db.models import Amount, Article, EtlRun, Project


def test_funding_by_role_counts_each_dedup_key_once(session):
    df = q.funding_by_role(session, Filters())
    assert dict(zip(df["role"], df["krw"])) == fx.EXPECTED_BY_ROLE
    assert dict(zip(df["role"], df["figures"]))["total"] == 2
    # the raw sum double counts the repeated 1,280억원: the query must not
    raw_total = session.scalar(select(func.sum(Amount.krw)).where(Amount.role == "total"))
    assert raw_total == fx.EXPECTED_BY_ROLE["total"] + 128_000_000_000


def test_headline_counts(session):
    h = q.headline(session, Filters())
    assert (h.articles, h.projects, h.regions) == (5, 3, 3)
    assert h.articles == session.scalar(select(func.count()).select_from(Article))
    assert h.projects == session.scalar(select(func.count()).select_from(Project))


def test_scale_by_sido_takes_larger_of_total_and_parts_never_investment(session):
    df = q.funding_by_region(session, Filters())
    got = {c: k for c, k in zip(df["code"], df["krw"]) if k}
    assert got == fx.EXPECTED_SCALE_BY_SIDO
    assert dict(zip(df["code"], df["projects"])) == {"11": 0, "46": 1, "47": 1, "52": 1}


def test_drill_down_rolls_gu_up_to_its_si(session):
    df = q.funding_by_region(session, Filters(), "47")
    assert df.to_dict("records") == [{"code": "47110", "name": "경상북도 포항시", "krw": 3_450_000_000_000, "projects": 1}]


def test_region_and_industry_filters(session):
    f = Filters(regions=("46",), industries=("이차전지",))
    by_role = q.funding_by_role(session, f)
    assert dict(zip(by_role["role"], by_role["krw"])) == {
        "total": 128_000_000_000, "national": 64_000_000_000, "investment": 1_000_000_000_000,
    }
    h = q.headline(session, f)
    assert (h.articles, h.projects) == (2, 1)
    sigungu = Filters(regions=("47110",))  # 포항시 matches facts filed under 포항시 남구
    assert q.headline(session, sigungu).projects == 1
    assert dict(zip(*q.funding_by_role(session, sigungu)[["role", "krw"]].T.values)) == {"total": 3_450_000_000_000, "local": 50_000_000_000}


def test_date_and_role_filters(session):
    f = Filters(date_from=date(2024, 7, 1), date_to=date(2024, 12, 31))
    df = q.funding_by_role(session, f)
    assert dict(zip(df["role"], df["krw"])) == {"total": 128_000_000_000, "investment": 1_000_000_000_000}
    assert q.headline(session, f).projects == 1  # only 광양 was reported in the range
    roles = q.funding_by_region(session, Filters(roles=("national",)))
    assert {c: k for c, k in zip(roles["code"], roles["krw"]) if k} == {"46": 64_000_000_000, "52": 80_000_000}


P1_TOTAL, P1_NATIONAL, P1_INVEST = 128_000_000_000, 64_000_000_000, 1_000_000_000_000
P2_TOTAL, P2_LOCAL, P3_NATIONAL = 3_450_000_000_000, 50_000_000_000, 80_000_000


@pytest.mark.parametrize("date_from, date_to, expected", [
    # 1,280억원 (p1 total) is reported on 2024-06-04 and 2024-07-10: in a range that holds
    # either date it counts, in one that lies between them (straddled, no article) it does not.
    (date(2024, 6, 1), date(2024, 6, 30), {"total": P1_TOTAL, "national": P1_NATIONAL}),
    (date(2024, 6, 10), date(2024, 6, 30), {}),
    (date(2024, 6, 10), date(2024, 7, 10), {"total": P1_TOTAL, "investment": P1_INVEST}),
    (date(2024, 6, 5), None, {"total": P1_TOTAL, "investment": P1_INVEST}),
    (None, date(2024, 6, 4), {"total": P1_TOTAL + P2_TOTAL, "national": P1_NATIONAL + P3_NATIONAL, "local": P2_LOCAL}),
    (None, date(2023, 12, 31), {"national": P3_NATIONAL}),
    (date(2025, 1, 1), None, {}),
])
def test_a_figure_counts_when_one_of_its_articles_is_in_the_range(session, date_from, date_to, expected):
    df = q.funding_by_role(session, Filters(date_from=date_from, date_to=date_to))
    assert dict(zip(df["role"], df["krw"])) == expected


def test_by_year_uses_article_year_when_budget_year_missing(session):
    df = q.funding_by_year(session, Filters())
    rows = {(y, r): k for y, r, k in zip(df["year"], df["role"], df["krw"])}
    assert rows[(2024, "investment")] == 1_000_000_000_000
    assert rows[(2023, "national")] == 80_000_000
    assert rows[(2025, "total")] == 3_450_000_000_000


def test_industries(session):
    df = q.funding_by_industry(session, Filters())
    assert list(df["industry"]) == ["수소", "소재부품", "이차전지", "탄소소재"]
    assert dict(zip(df["industry"], df["krw"]))["이차전지"] == 128_000_000_000
    assert set(df["projects"]) == {1}
    m = q.region_industry_matrix(session, Filters(), "projects")
    assert len(m) == 4 and set(m["value"]) == {1}


def test_largest_and_table(session):
    top = q.largest_projects(session, Filters())
    assert list(top["id"]) == [2, 1, 3]
    rows, total = q.project_table(session, Filters(q="광양"), "funding")
    assert total == 1 and rows.iloc[0]["name"] == "광양만권 이차전지 특화단지"
    assert rows.iloc[0]["industries"] in ("소재부품, 이차전지", "이차전지, 소재부품")
    rows, all_total = q.project_table(session, Filters(), "name")
    assert all_total == 3
    assert dict(zip(rows["id"], rows["krw"])) == {1: 128_000_000_000, 2: 3_450_000_000_000, 3: 80_000_000}
    # 투자 유치 apart, and a project with no figure is empty, not 0
    assert {i: None if v != v else v for i, v in zip(rows["id"], rows["investment"])} == {1: 1_000_000_000_000, 2: None, 3: None}
    assert dict(zip(top["id"], top["investment"])) == {2: 0, 1: 1_000_000_000_000, 3: 0}
    h = q.headline(session, Filters())
    assert (h.scale, h.investment, h.jobs) == (128_000_000_000 + 3_450_000_000_000 + 80_000_000, fx.EXPECTED_INVESTMENT, 300)
    assert q.headline(session, Filters(regions=("46",))).jobs == 0
    assert list(q.project_detail(session, 3).jobs["jobs"]) == [300]
    assert list(q.project_table(session, Filters(), "funding")[0]["id"]) == [2, 1, 3]


def test_compare_regions(session):
    df = q.compare_roles(session, Filters(regions=("52",)), ("46", "47111"))  # region filter replaced
    got = {(c, r): k for c, r, k in zip(df["code"], df["role"], df["krw"])}
    assert got == {
        ("46", "investment"): 1_000_000_000_000, ("46", "national"): 64_000_000_000, ("46", "total"): 128_000_000_000,
        ("47111", "local"): 50_000_000_000, ("47111", "total"): 3_450_000_000_000,
    }
    years = q.compare_years(session, Filters(), ("46", "47"))
    assert years.to_dict("records") == [
        {"code": "46", "year": 2024, "krw": 128_000_000_000}, {"code": "47", "year": 2025, "krw": 3_450_000_000_000},
    ]


def test_timeline_and_details(session):
    t = q.timeline(session, Filters())
    assert t.total == 2
    # only an end year (2030년까지): no start, not a 2030–2030 period; most reported first
    assert [(i, None if s != s else s, e, n, sido) for i, s, e, n, sido in
            t.periods[["project_id", "start_year", "end_year", "articles", "sido"]].itertuples(index=False)] == [
        (1, 2024, 2028, 2, "전라남도"), (2, None, 2030, 1, "경상북도")]
    assert len(t.events) == 3
    d = q.project_detail(session, 1)
    assert len(d.amounts) == 4 and d.industries == ["소재부품", "이차전지"]
    row = d.amounts[d.amounts["role"] == "national"].iloc[0]
    assert row["sentence"][row["span_start"] - row["sentence_start"]:row["span_end"] - row["sentence_start"]] == "640억원"
    assert q.project_detail(session, 999) is None
    a = q.article_detail(session, 1)
    assert {"금액", "기간", "상태"} <= set(a.facts["kind"])
    assert sorted(a.facts.loc[a.facts["kind"] == "금액", "detail"]) == ["국비", "총사업비"]  # roles in Korean, not total/national
    assert q.article_detail(session, 999) is None


def test_article_list_search_and_filters(session):
    rows, total = q.article_list(session, Filters(q="광양"))
    assert (total, sorted(rows["id"])) == (3, [1, 2, 5])
    rows, total = q.article_list(session, Filters(q="이차전지", regions=("46230",)))
    assert (total, sorted(rows["id"])) == (2, [1, 2])
    rows, total = q.article_list(session, Filters(q="광양만"))
    assert sorted(rows["id"]) == [1, 2]  # article 5 has "광양 양만" as two words: no false hit


def test_empty_database_queries(tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from db.models import Base

    engine = create_engine(f"sqlite:///{tmp_path/'e.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        f = Filters()
        assert q.headline(s, f).articles == 0
        assert q.funding_by_role(s, f).empty and q.funding_by_region(s, f).empty
        assert q.project_table(s, f)[1] == 0 and q.article_list(s, f)[1] == 0
        assert q.timeline(s, f).periods.empty and q.latest_run(s) is None
        assert q.data_version(s)[0] == 0


@pytest.mark.parametrize(
    "text, projects, scale",
    [
        ("광양", {1}, 128_000_000_000),  # by name and by its articles
        ("선정됐다", {2}, 3_450_000_000_000),  # only the article says it: the project it mentions matches
        ("착공했다", {3}, 80_000_000),
        ("규제자유특구 선정됐다", {2}, 3_450_000_000_000),  # name word + article word
        ("없는말", set(), 0),
    ],
)
def test_search_matches_projects_through_their_articles(session, text, projects, scale):
    f = Filters(q=text)
    rows, total = q.project_table(session, f, "name")
    assert set(rows["id"]) == projects and total == len(projects)
    assert q.headline(session, f).scale == scale


def test_an_article_from_two_outlets_names_both(tmp_path):
    """The same text read from two outlets is one article; the page names both."""
    from datetime import datetime

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from db.models import ArticleSource

    url = f"sqlite:///{tmp_path / 'two.db'}"
    fx.build(url).dispose()
    engine = create_engine(url)
    with Session(engine) as s:
        for i, outlet in enumerate(("전남일보", "광주일보", None)):
            s.add(ArticleSource(article_id=2, source=f"f{i}.txt", source_hash=f"h{i}", fmt="text", outlet=outlet, seen_at=datetime(2024, 7, 10)))
        s.commit()
        assert q.article_detail(s, 2).outlets == ["전남일보", "광주일보"]
        assert q.article_detail(s, 1).outlets == ["뉴스스텝"]
        rows, _ = q.article_list(s, Filters(), 10)
        assert dict(zip(rows["id"], rows["outlet"]))[2] == "전남일보, 광주일보"
    engine.dispose()


def _statements_reading_the_index(engine, call) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sum("article_fts" in s for s in seen)


def test_a_search_reads_the_index_once_per_data_version_not_once_per_statement(fixture_engine):
    """headline runs eight statements; the index is read twice, to count the matching
    articles and for the projects the search finds, which the other statements reuse,
    also from other sessions, until the data version changes (db.search.remembered)."""
    from datetime import datetime

    from sqlalchemy.orm import Session

    from db.search import forget_remembered

    forget_remembered()
    f = Filters(q="선정됐다")
    with Session(fixture_engine) as s:
        assert _statements_reading_the_index(fixture_engine, lambda: q.headline(s, f)) == 2
        assert _statements_reading_the_index(fixture_engine, lambda: q.funding_by_region(s, f)) == 0
    with Session(fixture_engine) as s:  # another session over the same data: still known
        assert _statements_reading_the_index(fixture_engine, lambda: q.funding_by_region(s, f)) == 0
        s.rollback()  # the version is read once per transaction
        s.add(EtlRun(command="load", extractor_version="test", started_at=datetime(2026, 1, 1)))
        s.flush()  # a new run: another data version, so the search is looked up again (count, projects)
        assert _statements_reading_the_index(fixture_engine, lambda: q.funding_by_region(s, f)) == 2
        assert q.headline(s, f).scale == 3_450_000_000_000
        s.rollback()


def test_a_first_load_reports_what_the_long_way_finds(session, monkeypatch):
    """One load holds every article: its changes are found without looking back, and
    they are exactly those the look back finds."""
    from db import changes

    fast = q.last_load_changes(session)
    assert changes._nothing_older(session, fast.run["id"])
    assert (fast.n_new_projects, fast.n_changed_projects) == (session.scalar(select(func.count()).select_from(Project)), 0)
    monkeypatch.setattr(changes, "_nothing_older", lambda *_args: False)
    slow = q.last_load_changes(session)  # the fixture's run stored none: derived now, the long way
    assert (fast.n_new_projects, fast.n_changed_projects, fast.n_new_figures) == (slow.n_new_projects, slow.n_changed_projects, slow.n_new_figures)
    assert fast.new_projects.equals(slow.new_projects) and fast.changed.equals(slow.changed)
    assert fast.n_new_figures == session.scalar(select(func.count(func.distinct(Amount.dedup_key))))


def test_the_overview_reads_the_changes_a_load_stored(session, monkeypatch):
    """The changes are worked out when the run finishes (db.changes), not on each visit."""
    from db import changes

    derived = q.last_load_changes(session)
    session.execute(update(EtlRun).where(EtlRun.id == derived.run["id"]).values(changes=changes.derive(session, derived.run["id"])))
    monkeypatch.setattr(changes, "derive", lambda *_a, **_k: pytest.fail("derived on a visit"))
    stored = q.last_load_changes(session)
    session.rollback()
    assert stored.n_new_projects == derived.n_new_projects == 3 and stored.new_projects.equals(derived.new_projects)
