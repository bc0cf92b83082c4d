"""Adding a role, an industry and a status is an edit to data files and nothing else.

`tests/vocab/extended.py` adds 기금 (role `fund`, a part of 사업 규모), 양자 (an
industry) and 보류 (a status) to copies of the data; one article is loaded
with them. Every layer must carry the three: extraction, the loader, filters
and 사업 규모, URL parsing, every chart that shows roles, industries or
statuses, the export and the overview page.
"""
from __future__ import annotations


import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import vocab
from db import exports, queries
from db.filters import Filters
from tests.vocab.extended import ARTICLE, INDUSTRY, ROLE, STATUS, build
from ui import charts, state

FUND, FUND_LABEL, FUND_COLOR = ROLE
QUANTUM, QUANTUM_COLOR = INDUSTRY
ON_HOLD, HOLD_MARKER = STATUS
PROJECT = "광양 양자산업단지 조성"


def _clear_caches() -> None:
    from etl import extract, industries, money, pipeline, projects

    for cached in (extract.load_resources, industries.load_taxonomy, money.role_cues, projects.project_cues):
        cached.cache_clear()
    pipeline._ANALYZER = None  # its user dictionary holds the industry words


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """The extended data in effect, and the article loaded into a fresh database."""
    from etl import patterns
    from etl.load import load_paths

    base = tmp_path_factory.mktemp("vocab")
    words, data = build(base)
    article = base / "quantum.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    url = f"sqlite:///{base / 'db.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(vocab.ENV, str(words))
        mp.setattr(patterns, "DATA_DIR", data)
        _clear_caches()
        try:
            from db.engine import make_engine

            engine = make_engine(url)
            summary = load_paths([str(article)], engine)
            assert (summary.new, summary.rejected) == (1, 0)
            yield {"article": article, "url": url, "engine": engine}
            engine.dispose()
        finally:
            _clear_caches()


@pytest.fixture
def session(extended):
    with Session(create_engine(extended["url"])) as s:
        yield s


def test_the_vocabulary_lists_them_last(extended):
    v = vocab.vocabulary()
    assert (v.role_codes[-1], v.role_labels[FUND], v.roles_counted_as("part")) == (
        FUND, FUND_LABEL, ("national", "local", "private", "other", FUND))
    assert (v.industry_labels[-1], v.industry_colors[QUANTUM]) == (QUANTUM, QUANTUM_COLOR)
    assert (v.status_labels[-1], v.status_markers[ON_HOLD]) == (ON_HOLD, HOLD_MARKER)


def test_extraction_finds_them(extended):
    from etl.extract import to_record
    from etl.pipeline import run

    (record,) = [to_record(x) for x in run([str(extended["article"])])]
    assert record["industries"] == [QUANTUM]
    assert [(a["role"], a["krw"]) for a in record["amounts"]] == [(FUND, 500 * 10**8), ("national", 300 * 10**8), ("total", 1200 * 10**8)]
    assert [(p["name"], p["status"], p["industries"]) for p in record["project_details"]] == [(PROJECT, ON_HOLD, [QUANTUM])]


def test_the_loader_stores_them(session):
    from db.models import Amount, Project, ProjectIndustry, StatusEvent

    assert session.query(Project.name, Project.status).all() == [(PROJECT, ON_HOLD)]
    assert session.query(ProjectIndustry.industry).all() == [(QUANTUM,)]
    assert sorted(session.query(Amount.role, Amount.krw).all()) == [(FUND, 500 * 10**8), ("national", 300 * 10**8), ("total", 1200 * 10**8)]
    assert session.query(StatusEvent.status).all() == [(ON_HOLD,)]


def test_filters_and_the_project_scale_count_them(session):
    by_role = queries.funding_by_role(session, Filters(roles=(FUND,)))
    assert by_role.to_dict("records") == [{"role": FUND, "label": FUND_LABEL, "krw": 500 * 10**8, "figures": 1}]
    # 기금 is a part of 사업 규모: without 총사업비 the scale is 기금 + 국비
    parts = queries.funding_by_region(session, Filters(roles=(FUND, "national")))
    assert dict(zip(parts["name"], parts["krw"]))["전라남도"] == 800 * 10**8
    assert queries.headline(session, Filters(industries=(QUANTUM,))).projects == 1
    from ui.format import scale_formula

    assert scale_formula(vocab.vocabulary()) == (
        "사업 규모 = 사업별로 총사업비와 (국비+지방비+민자+기타+기금) 중 큰 값의 합계입니다. "
        "기업의 투자 약속(투자)은 공공 사업비가 아니어서 사업 규모에 더하지 않고 따로 보여 줍니다."
    )


def test_the_url_accepts_them(extended):
    f, warnings = state.parse_filters({"role": [FUND_LABEL], "industry": [QUANTUM]}, {})
    assert (f.roles, f.industries, warnings) == ((FUND,), (QUANTUM,), [])
    assert state.parse_filters({"role": [FUND]}, {})[0].roles == (FUND,)


def _trace(fig, name: str):
    (trace,) = [t for t in fig.data if t.name == name]
    return trace


def test_every_chart_draws_them(session):
    f = Filters()
    by_role = queries.funding_by_role(session, f)
    bar = charts.role_bar(by_role).data[0]
    assert dict(zip(bar.x, bar.marker.color))[FUND_LABEL] == FUND_COLOR
    for frame, x in ((queries.funding_by_year(session, f), "year"), (queries.funding_by_region_role(session, f), "sido")):
        assert _trace(charts.stacked_roles(frame, x), FUND_LABEL).marker.color == FUND_COLOR
    compare = queries.compare_roles(session, f, ("46",))
    assert FUND_LABEL in set(compare["label"])
    matrix = queries.region_industry_matrix(session, f, "funding")
    assert QUANTUM in charts.heatmap(matrix, money=True, industries=list(vocab.vocabulary().industry_labels)).data[0].x
    by_industry = queries.funding_by_industry(session, f)
    assert QUANTUM in charts.ranked_bar(by_industry, "industry", "krw", money=True).data[0].y
    trend = queries.industry_by_year(session, f)
    assert _trace(charts.lines(trend, "year", "industry", "krw", money=True), QUANTUM).line.color == QUANTUM_COLOR
    timeline = queries.timeline(session, f, 40)
    assert _trace(charts.gantt(timeline.periods, timeline.events), ON_HOLD).marker.symbol == HOLD_MARKER


def test_the_export_carries_them(session):
    projects = exports.projects(session)
    assert projects.loc[0, f"krw_{FUND}"] == 500 * 10**8 and projects.loc[0, "industries"] == QUANTUM
    assert projects.loc[0, "status"] == ON_HOLD
    amounts = exports.amounts(session)
    assert list(amounts.loc[amounts["role"] == FUND, "role_label"]) == [FUND_LABEL]


def test_the_overview_shows_every_role_and_the_sidebar_offers_them(extended, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.conftest import APP

    monkeypatch.setenv("DATABASE_URL", extended["url"])
    monkeypatch.setenv("POLICY_RADAR_READONLY", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[FUND_LABEL] == "500억원" and len([m for m in at.metric]) == 3 + 7 + 3  # counts, one per role (six and 기금), 사업 규모·투자 유치·일자리
    options = {m.label: m.options for m in at.sidebar.multiselect}
    assert options["산업"][-1] == QUANTUM and options["금액 구분"][-1] == FUND_LABEL


def test_a_broken_vocabulary_file_names_the_file_and_the_entry(tmp_path):
    (tmp_path / "roles.toml").write_text('[fund]\nlabel = "기금"\ncolor = "#000"\nscale = "bonus"\n', encoding="utf-8")
    for name in ("industries.toml", "statuses.toml"):
        (tmp_path / name).write_text((vocab.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(vocab.VocabularyError, match=r"roles.toml \[fund\]: scale must be one of total, part, separate, not 'bonus'"):
        vocab.load(tmp_path)


