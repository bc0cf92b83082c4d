"""The dashboard's queries (db/queries.py) give the same answers on SQLite and PostgreSQL.

Two datasets, each built on both backends once per module: the dashboard
suite's hand-built fixture (exact values known) and the sample plus the ETL
test articles loaded by the real loader. Every query function is called with
a table of filters and the results are compared, types included.
"""
from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import dashboard_fixture as fx
from db import queries as q
from db.engine import make_engine
from db.filters import Filters
from db.models import Amount, Article, EtlRun, Evidence, Project, ProjectMention, Region
from db.schema import migrate
from etl.load import load_paths
from tests.db.fixtures import build_dashboard_fixture

ROOT = Path(__file__).resolve().parents[2]
FILTERS = [
    Filters(),
    Filters(regions=("46",), industries=("이차전지",)),
    Filters(date_from=date(2024, 7, 1), date_to=date(2024, 12, 31)),
    Filters(q="광양"),
    Filters(q="수 이차전지"),
    Filters(roles=("national", "local")),
    Filters(regions=("47110", "41")),
]
PER_FILTER = {
    "headline": [()], "funding_by_role": [()], "newest_projects": [()],
    "funding_by_region": [(), ("47",), ("41",)], "region_industry_matrix": [(), ("funding",)],
    "funding_by_industry": [()], "industry_by_year": [()], "industry_projects_by_year": [()], "funding_by_year": [()],
    "funding_by_region_role": [()], "largest_projects": [()], "timeline": [()], "article_list": [()],
    "project_table": [(), ("funding",), ("articles",), ("name",)],
    "compare_roles": [(("46", "47", "41"),)], "compare_years": [(("46", "47", "41"),)],
    "compare_industries": [(("46", "47110", "41"),)],
}
OTHER = {
    "project_detail": [(1,), (2,)], "article_detail": [(1,), (5,)], "region_options": [()], "article_count": [()],
    "last_load_changes": [()],
}
# name -> every argument tuple it is called with
CALLS = {name: [(f, *extra) for f in FILTERS for extra in extras] for name, extras in PER_FILTER.items()} | OTHER


@pytest.fixture(scope="module")
def datasets(pg, tmp_path_factory) -> dict[str, dict[str, str]]:
    """{dataset: {backend: url}} built once for the module."""
    folder = tmp_path_factory.mktemp("queries")
    urls = {"fixture": {"sqlite": f"sqlite:///{folder / 'fixture.db'}", "postgresql": pg.create_database()},
            "loaded": {"sqlite": f"sqlite:///{folder / 'loaded.db'}", "postgresql": pg.create_database()}}
    for url in urls["fixture"].values():
        build_dashboard_fixture(url)
    for url in urls["loaded"].values():
        engine = make_engine(url)
        load_paths([str(ROOT / "data" / "sample"), str(ROOT / "tests" / "etl" / "articles")], engine)
        engine.dispose()
    yield urls
    for by_backend in urls.values():
        pg.drop_database(by_backend["postgresql"])


@pytest.fixture(scope="module")
def engines(datasets):
    """{dataset: {backend: engine}}, opened once."""
    made = {d: {b: create_engine(url) for b, url in by_backend.items()} for d, by_backend in datasets.items()}
    yield made
    for by_backend in made.values():
        for engine in by_backend.values():
            engine.dispose()


def _call(engine, name: str, args: tuple):
    with Session(engine) as session:
        return getattr(q, name)(session, *args)


def _assert_same(a, b, path: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_dtype=True, obj=path)
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _assert_same(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, tuple) and any(isinstance(x, pd.DataFrame) for x in a):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, dict) and path.endswith(".run"):  # the loaded dataset's runs ran at different times
        assert {k: v for k, v in a.items() if not k.endswith("_at") and k != "seconds"} == \
               {k: v for k, v in b.items() if not k.endswith("_at") and k != "seconds"}, path
    else:
        assert (type(a), a) == (type(b), b), path


@pytest.mark.parametrize("dataset", ["fixture", "loaded"])
@pytest.mark.parametrize("name", list(CALLS))
def test_same_answer_on_both_backends(engines, dataset, name):
    for args in CALLS[name]:
        _assert_same(_call(engines[dataset]["sqlite"], name, args), _call(engines[dataset]["postgresql"], name, args),
                     f"{name}{args}")


def test_fixture_values_on_postgresql(engines):
    """The exact values the dashboard suite checks on SQLite hold on PostgreSQL too."""
    engine = engines["fixture"]["postgresql"]
    by_role = _call(engine, "funding_by_role", (Filters(),))
    assert dict(zip(by_role["role"], by_role["krw"])) == fx.EXPECTED_BY_ROLE
    by_sido = _call(engine, "funding_by_region", (Filters(),))
    assert {c: k for c, k in zip(by_sido["code"], by_sido["krw"]) if k} == fx.EXPECTED_SCALE_BY_SIDO
    h = _call(engine, "headline", (Filters(q="광양"),))
    assert (h.articles, h.projects) == (3, 1)


# ---------------------------------------------------------------- freshness

T1, T2 = datetime(2024, 8, 1, 9, 0), datetime(2024, 8, 2, 9, 30)
# id, run, project ids mentioned
FRESH_ARTICLES = [(1, 1, (1,)), (2, 1, (2,)), (3, 2, (1,)), (4, 2, (3,))]
FRESH_PROJECTS = [(1, "광양만권 이차전지 특화단지", "46"), (2, "포항 수소 특구", "47"), (3, "전주 탄소 국가산단", None)]
# article, project, role, krw
FRESH_AMOUNTS = [
    (1, 1, "total", 100_000_000_000), (2, 2, "national", 5_000_000_000),
    (3, 1, "total", 120_000_000_000), (3, 1, "national", 30_000_000_000), (3, 1, "total", 100_000_000_000),
    (4, 3, "total", 7_000_000_000),
]


def _fresh_db(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as s:
        s.add_all(Region(code=c, sido_code=c, sido=n, name=n, level="sido") for c, n in (("46", "전라남도"), ("47", "경상북도")))
        s.add_all([EtlRun(id=1, command="load", extractor_version="t", started_at=T1, finished_at=T1, status="done", n_read=2, n_new=2),
                   EtlRun(id=2, command="load", extractor_version="t", started_at=T2, finished_at=T2, status="done", n_read=2, n_new=2,
                          n_projects=1, n_amounts=4)])
        s.add_all(Project(id=pid, key=f"k{pid}", name=name, sido_code=sido, n_articles=1) for pid, name, sido in FRESH_PROJECTS)
        s.flush()
        for aid, run, pids in FRESH_ARTICLES:
            s.add(Article(id=aid, doc_id=str(aid), title=f"기사 {aid}", text="본문", raw_text="본문", fmt="text",
                          content_hash=str(aid), extractor_version="t", loaded_at=T1, run_id=run))
            s.add(Evidence(id=aid, article_id=aid, sentence="본문", sentence_start=0, span_start=0, span_end=2))
            s.flush()
            s.add_all(ProjectMention(project_id=p, article_id=aid, name="", score=1.0) for p in pids)
        s.add_all(Amount(article_id=a, project_id=p, role=r, krw=k, text="", dedup_key=f"p{p}:{r}:{k}", evidence_id=a)
                  for a, p, r, k in FRESH_AMOUNTS)
        s.commit()
    engine.dispose()


def test_last_load_changes(db_url):
    _fresh_db(db_url)
    engine = make_engine(db_url)
    with Session(engine) as s:
        changes = q.last_load_changes(s)
    engine.dispose()
    assert (changes.run["id"], changes.run["finished_at"], changes.run["n_projects"]) == (2, T2, 1)
    assert (changes.n_new_projects, changes.n_changed_projects, changes.n_new_figures) == (1, 1, 3)
    assert changes.new_projects.to_dict("records") == [{"id": 3, "name": "전주 탄소 국가산단", "sido": None, "status": None}]
    assert changes.changed.astype(object).where(changes.changed.notna(), None).to_dict("records") == [
        {"project_id": 1, "name": "광양만권 이차전지 특화단지", "role": "national", "label": "국비", "krw": 30_000_000_000, "previous": None},
        {"project_id": 1, "name": "광양만권 이차전지 특화단지", "role": "total", "label": "총사업비", "krw": 120_000_000_000,
         "previous": 100_000_000_000},
    ]


def test_no_load_yet(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    with Session(engine) as s:
        changes = q.last_load_changes(s)
    engine.dispose()
    assert (changes.run, changes.n_new_projects, changes.n_changed_projects, len(changes.changed)) == (None, 0, 0, 0)


# ---------------------------------------------------------------- the dashboard itself on PostgreSQL


def _app(monkeypatch, url: str, readonly: bool, page: str | None = None, params: dict | None = None):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", url)
    if readonly:
        monkeypatch.setenv("POLICY_RADAR_READONLY", "1")
    else:
        monkeypatch.delenv("POLICY_RADAR_READONLY", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params = dict(params or {})
    at.run()
    if page:
        at.query_params = dict(params or {})
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_dashboard_overview_on_postgresql_read_only(datasets, monkeypatch):
    at = _app(monkeypatch, datasets["fixture"]["postgresql"], readonly=True)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["기사"], metrics["사업"], metrics["총사업비"], metrics["국비"], metrics["투자"]) == ("5건", "3개", "3조 5,780억원", "641억원", "1조원")
    assert any("마지막 적재: 2024-08-02 09:30 UTC" in c.value for c in at.caption)


def test_dashboard_shows_what_the_last_load_changed(monkeypatch, new_url):
    url = new_url("postgresql")
    _fresh_db(url)
    at = _app(monkeypatch, url, readonly=True)
    assert [e.label for e in at.expander] == ["마지막 적재로 바뀐 것: 새 사업 1개, 금액이 바뀐 사업 1개"]


def test_dashboard_first_start_on_empty_postgresql_migrates_and_loads(monkeypatch, new_url):
    url = new_url("postgresql")
    at = _app(monkeypatch, url, readonly=False)
    assert {m.label: m.value for m in at.metric}["기사"] == "5건"
    found = _app(monkeypatch, url, readonly=True, page="pages/articles.py", params={"q": "광양"})
    assert len(found.dataframe[0].value) >= 1


def readme_grants(database: str, viewer: str, owner: str) -> list[str]:
    """The README's SQL for a read-only viewer role, for this test's database and roles."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    sql = (block.replace(" PASSWORD '…'", "").replace("radar_viewer", viewer).replace("policy_radar", database)
           .replace("FOR ROLE radar ", f"FOR ROLE {owner} "))
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def test_read_only_database_user_can_view_but_not_change(pg, datasets, monkeypatch, tmp_path, capsys):
    """The documented set-up for a shared dashboard (the README's GRANT block): a PostgreSQL role
    that reads, cannot write or create TEMP tables, and whose `etl load` fails in one line."""
    import uuid

    from sqlalchemy import insert
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError

    from etl import cli

    url = datasets["fixture"]["postgresql"]
    role = f"viewer_{uuid.uuid4().hex[:8]}"
    owner = create_engine(url, isolation_level="AUTOCOMMIT")
    statements = readme_grants(make_url(url).database, role, make_url(url).username)
    assert statements[0] == f"CREATE ROLE {role} LOGIN" and any(s.startswith("REVOKE TEMP") for s in statements)
    with owner.connect() as conn:
        for statement in statements:  # test-only DDL with generated names
            conn.exec_driver_sql(statement)
    viewer_url = make_url(url).set(username=role).render_as_string(hide_password=False)
    try:
        at = _app(monkeypatch, viewer_url, readonly=True, page="pages/articles.py", params={"q": "광양"})
        assert len(at.dataframe[0].value) == 3
        viewer = create_engine(viewer_url)
        with pytest.raises(ProgrammingError, match="permission denied"), viewer.begin() as conn:
            conn.execute(insert(Region), {"code": "99", "sido_code": "99", "sido": "x", "name": "x", "level": "sido"})
        with pytest.raises(ProgrammingError, match="permission denied to create temporary tables"), viewer.begin() as conn:
            conn.exec_driver_sql("CREATE TEMP TABLE scratch (x int)")
        viewer.dispose()
        article = tmp_path / "a.txt"
        article.write_text("광양시가 이차전지 특화단지 지정을 추진한다.", encoding="utf-8")
        capsys.readouterr()
        assert cli.main(["load", "--no-progress", "--db", viewer_url, str(article)]) == cli.EXIT_DATABASE
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("error: database: permission denied for "), err
    finally:
        with owner.connect() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        owner.dispose()


@pytest.mark.parametrize(("page", "param"), [("pages/projects.py", "project"), ("pages/articles.py", "article")])
@pytest.mark.parametrize("value", ["2147483648", "99999999999999999999"])
def test_an_id_past_the_integer_column_is_a_notice(datasets, backend, monkeypatch, page, param, value):
    """PostgreSQL said "integer out of range"; the link names the value instead."""
    at = _app(monkeypatch, datasets["fixture"][backend], readonly=True, page=page, params={param: value})
    assert any(value in w.value for w in at.warning), [w.value for w in at.warning]


def test_read_only_engine_refuses_writes_on_postgresql(datasets):
    """Read-only mode opens PostgreSQL sessions as read-only transactions (even for the owner role)."""
    from sqlalchemy import insert
    from sqlalchemy.exc import InternalError

    engine = make_engine(datasets["fixture"]["postgresql"], readonly=True)
    try:
        with pytest.raises(InternalError, match="read-only transaction"), engine.begin() as conn:
            conn.execute(insert(Region), {"code": "99", "sido_code": "99", "sido": "x", "name": "x", "level": "sido"})
    finally:
        engine.dispose()
