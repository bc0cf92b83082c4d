"""The aggregates the writer keeps (db.rollups, project_money, figure_conflict, etl_run.changes)
equal a computation from scratch after loads, rebuilds and corrections, on both backends, and
the dashboard's sums read from them equal the sums over the figures."""
from __future__ import annotations

import shutil
from datetime import date
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import changes, figures, queries, rollups
from db.filters import Filters
from db.models import ArticleFacet, EtlRun, Figure, FigureConflict, ProjectMoney, RollupRegion
from etl.load import load_paths, rebuild
from etl.writer import add_corrections, stored_corrections, undo_correction
from tests.db.test_corrections_backends import _every_kind

TESTS = Path(__file__).resolve().parents[1]
IDENTITY = TESTS / "etl" / "identity"  # three projects over three articles each, raised budgets, look-alikes
SAMPLE = TESTS.parent / "data" / "sample"
ARTICLES = TESTS / "etl" / "articles"


def _kept(conn) -> dict:
    """Everything kept from the amounts, in a comparable form."""
    fig = sorted(tuple(r) for r in conn.execute(select(*Figure.__table__.c)))
    money = sorted(tuple(r) for r in conn.execute(select(*ProjectMoney.__table__.c)))
    c = FigureConflict
    conflict = sorted(tuple(r) for r in conn.execute(select(c.project_id, c.role, c.article_a, c.krw_a, c.article_b, c.krw_b)))
    region, industry = rollups.stored(conn)
    counts = rollups.stored_counts(conn)
    facets = sorted(tuple(r) for r in conn.execute(select(ArticleFacet.article_id, ArticleFacet.sido_code, ArticleFacet.industry,
                                                          ArticleFacet.published)))
    return {"rollup_projects": counts, "article_facet": facets, "figure": fig, "rollup_region": region, "rollup_industry": industry, "project_money": money,
            "figure_conflict": conflict}


def _kept_and_scratch(engine) -> tuple[dict, dict]:
    """(as the writer kept it, as `refill_figures` computes it from every amount), the refill rolled back."""
    with engine.connect() as conn:
        kept = _kept(conn)
        figures.refill_figures(conn)
        rollups.refill_facets(conn)
        scratch = _kept(conn)
        conn.rollback()
    return kept, scratch


def _assert_in_step(engine) -> dict:
    kept, scratch = _kept_and_scratch(engine)
    for table in kept:
        assert kept[table] == scratch[table], table
    assert kept["rollup_region"] and kept["rollup_industry"] and kept["project_money"] and kept["article_facet"]
    return kept


def _split_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """The identity corpus in two folders: each project's later articles come in a second load."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(sorted(IDENTITY.glob("*.txt"))):
        shutil.copy(path, (first if i % 2 == 0 else second) / path.name)
    return first, second


def test_two_loads_keep_every_aggregate_equal_to_a_fresh_computation(engine, tmp_path):
    first, second = _split_corpus(tmp_path)
    load_paths([str(first), str(SAMPLE)], engine)
    before = _assert_in_step(engine)
    for day, krw in ((3, 5000), (12, 5200)):  # two outlets, nine days apart, two totals: a conflict
        (second / f"c{day}.txt").write_text(
            f"제목: 광양 이차전지 특화단지 사업비\n발행일: 2024-03-{day:02d}\n\n전라남도 광양시 이차전지 특화단지 조성사업에 "
            f"총사업비 {krw}억원이 투입된다.\n", encoding="utf-8")
    load_paths([str(second), str(ARTICLES)], engine)
    after = _assert_in_step(engine)
    assert after["rollup_region"] != before["rollup_region"]
    assert [(role, a, b) for _p, role, _x, a, _y, b in after["figure_conflict"]] == [("total", 5000 * 10**8, 5200 * 10**8)]
    with Session(engine) as s:
        listed = queries.figure_conflicts(s, Filters(), None, 1)
        assert queries.conflict_count(s, Filters()) == 1 == len(queries.figure_conflicts(s, Filters()))
        assert listed[["krw_a", "krw_b", "published_b"]].values.tolist() == [[5000 * 10**8, 5200 * 10**8, date(2024, 3, 12)]]


def test_rebuild_corrections_and_undo_keep_every_aggregate_equal(engine):
    load_paths([str(IDENTITY), str(SAMPLE)], engine)
    original = _assert_in_step(engine)
    ids = add_corrections(engine, _every_kind(engine))
    rebuild(engine)
    corrected = _assert_in_step(engine)
    assert corrected["rollup_industry"] != original["rollup_industry"]  # set_industries moved 당진 to 수소
    for correction_id in ids:
        undo_correction(engine, correction_id)
    rebuild(engine)
    assert _assert_in_step(engine)["rollup_region"] == original["rollup_region"]
    assert len(stored_corrections(engine)) == 8


@pytest.mark.parametrize("skipped", ["replace", "update_project_money"])
def test_the_comparison_fails_when_the_writer_skips_a_step(engine, monkeypatch, skipped):
    """Without the incremental step the kept tables lag behind: the check above has teeth."""
    monkeypatch.setattr(rollups, skipped, lambda *_args, **_kwargs: None)
    load_paths([str(IDENTITY)], engine)
    kept, scratch = _kept_and_scratch(engine)
    table = "rollup_region" if skipped == "replace" else "project_money"
    assert kept[table] == {} if skipped == "replace" else kept[table] == []
    assert scratch[table]


def test_a_new_industry_of_a_project_moves_its_figures_in_the_industry_rollup(engine, tmp_path):
    """An article that only adds an industry to a known project (no figures of its own)
    must still move the project's figures into that industry."""
    first = tmp_path / "a.txt"
    first.write_text("제목: 광양 특화단지 예산 확정\n발행일: 2024-03-02\n\n전라남도 광양시 이차전지 특화단지 조성사업에 "
                     "총사업비 5000억원이 투입된다.\n", encoding="utf-8")
    load_paths([str(first)], engine)
    with engine.connect() as conn:
        industries = {k[0] for k in rollups.stored(conn)[1]}
    second = tmp_path / "b.txt"
    second.write_text("제목: 광양 특화단지 수소 연계\n발행일: 2024-05-02\n\n전라남도 광양시 이차전지 특화단지 조성사업이 수소 "
                      "생산 기지와 연계된다. 수소 충전소와 수소 연료전지 기업도 들어선다.\n", encoding="utf-8")
    load_paths([str(second)], engine)
    kept = _assert_in_step(engine)
    assert {k[0] for k in kept["rollup_industry"]} > industries


def test_a_finished_load_stores_its_changes(engine):
    load_paths([str(IDENTITY)], engine)
    with Session(engine) as s:
        run_id, stored = s.execute(select(EtlRun.id, EtlRun.changes).order_by(EtlRun.id.desc())).first()
        assert stored == changes.derive(s, run_id)
        assert stored["n_new_projects"] == len(queries.project_choices(s)) > 0


# ---------------------------------------------------------------- reads

FILTERS = [
    Filters(),
    Filters(regions=("47",)),
    Filters(regions=("47", "52")),
    Filters(industries=("반도체",)),
    Filters(regions=("52",), industries=("미래차",)),
    Filters(industries=("반도체", "미래차")),
    Filters(q="사업"),  # finds most projects: the aggregates less the few it leaves out
    Filters(q="산업", regions=("47",)),
    Filters(q="추진", industries=("반도체",)),
    Filters(q="특화단지"),  # finds few: summed over their figures
]


def _records(df) -> list[dict]:
    """Rows with NaN as None (NaN != NaN would make equal tables differ)."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


READS: list[tuple[str, Callable]] = [
    ("headline", lambda s, f: (queries.headline(s, f).scale, queries.headline(s, f).investment,
                               _records(queries.headline(s, f).by_role))),
    ("funding_by_role", lambda s, f: _records(queries.funding_by_role(s, f))),
    ("funding_by_region", lambda s, f: _records(queries.funding_by_region(s, f))),
    ("funding_by_sigungu", lambda s, f: _records(queries.funding_by_region(s, f, "47"))),
    ("region_industry_matrix", lambda s, f: _records(queries.region_industry_matrix(s, f, "funding"))),
    ("funding_by_industry", lambda s, f: _records(queries.funding_by_industry(s, f))),
    ("industry_by_year", lambda s, f: _records(queries.industry_by_year(s, f))),
    ("funding_by_year", lambda s, f: _records(queries.funding_by_year(s, f))),
    ("funding_by_region_role", lambda s, f: _records(queries.funding_by_region_role(s, f))),
    ("largest_projects", lambda s, f: _records(queries.largest_projects(s, f))),
    ("project_table", lambda s, f: _records(queries.project_table(s, f, "funding")[0])),
    ("compare", lambda s, f: (_records(queries.compare_roles(s, f, ("47", "52"))),
                              _records(queries.compare_years(s, f, ("47", "52"))),
                              _records(queries.compare_industries(s, f, ("47", "52", "47190", "52130"))))),
    ("doubtful_money", lambda s, f: queries.doubtful_money(s, f)),
    ("project_counts", lambda s, f: _records(queries.region_industry_matrix(s, f, "projects"))),
]


@pytest.fixture
def loaded(engine):
    load_paths([str(IDENTITY), str(SAMPLE), str(ARTICLES)], engine)
    return engine


@pytest.mark.parametrize("f", FILTERS, ids=repr)
def test_sums_read_from_the_aggregates_equal_sums_over_the_figures(loaded, monkeypatch, f):
    with Session(loaded) as s:
        kept = {name: read(s, f) for name, read in READS}
        monkeypatch.setattr(queries, "_rollup_mode", lambda *_args, **_kwargs: None)
        monkeypatch.setattr(queries.Filters, "is_empty", lambda _self: False)  # project_money off too
        scanned = {name: read(s, f) for name, read in READS}
    for name in kept:
        assert kept[name] == scanned[name], name


def test_the_charts_read_the_aggregates(loaded):
    """A changed rollup row changes what the charts show: they do not scan the figures."""
    with Session(loaded) as s:
        before = queries.headline(s, Filters()).by_role.set_index("role")["krw"]
        role = before.index[0]
        rows = len(s.execute(select(RollupRegion.year).where(RollupRegion.role == role)).all())
        s.execute(update(RollupRegion).where(RollupRegion.role == role).values(krw=RollupRegion.krw + 7))
        after = queries.headline(s, Filters()).by_role.set_index("role")["krw"]
        s.rollback()
    assert rows > 0 and int(after[role] - before[role]) == 7 * rows


def test_a_search_that_finds_most_projects_reads_the_aggregates_less_those_left_out(loaded):
    """"사업" finds all but a few projects: its sums are the kept ones less the figures of
    those few, so a changed rollup row shows in them, and they equal the sums of the
    figures the search finds (test_sums_read_from_the_aggregates_equal_sums_over_the_figures)."""
    f = Filters(q="사업")
    with Session(loaded) as s:
        left_out = queries._left_out(s, f)
        found = s.execute(select(Figure.sido_code, Figure.region_code, Figure.year, Figure.role)
                          .where(Figure.project_id.not_in(left_out), Figure.sido_code.is_not(None)).limit(1)).one()
        row = [RollupRegion.sido_code == found.sido_code, RollupRegion.region_code == (found.region_code or ""),
               RollupRegion.year == (found.year or 0), RollupRegion.role == found.role]
        before = queries.headline(s, f).by_role.set_index("role")["krw"]
        s.execute(update(RollupRegion).where(*row).values(krw=RollupRegion.krw + 7))
        after = queries.headline(s, f).by_role.set_index("role")["krw"]
        s.rollback()
    assert 0 < len(left_out) < 10
    assert int(after[found.role] - before[found.role]) == 7


ARTICLE_FILTERS = [
    Filters(regions=("47",)),
    Filters(regions=("47", "52"), industries=("미래차", "반도체")),
    Filters(industries=("반도체",), date_from=__import__("datetime").date(2024, 6, 1)),
    Filters(date_to=__import__("datetime").date(2024, 12, 31)),
    Filters(regions=("52",), q="국가산단"),
    Filters(regions=("52130",), q="국가산단"),  # a 시군구: no facets, the search index with the facts
    Filters(q="국가산단"),
    Filters(q="산단 조성"),  # a short word: not the index alone
]


@pytest.mark.parametrize("f", ARTICLE_FILTERS, ids=repr)
def test_articles_found_through_facets_equal_those_found_through_their_facts(loaded, monkeypatch, f):
    from db import filters

    def listing(s):
        rows, total = queries.article_list(s, f)
        return total, [int(i) for i in rows["id"]], queries.headline(s, f).articles

    with Session(loaded) as s:
        faceted = listing(s)
        monkeypatch.setattr(filters, "facet_articles", lambda _f: None)
        monkeypatch.setattr(queries, "facet_articles", lambda _f: None)
        by_facts = listing(s)
    assert faceted == by_facts and faceted[0] > 0


DATE_RANGES = [(date(2024, 6, 1), None), (None, date(2024, 6, 30)), (date(2024, 5, 1), date(2024, 12, 31)),
               (date(2024, 8, 1), date(2024, 8, 31)), (date(2030, 1, 1), None)]


@pytest.mark.parametrize("start, end", DATE_RANGES)
def test_date_filters_match_what_the_articles_say(loaded, start, end):
    """A project (or figure) is in a date range when one of its articles is; the first and
    last dates settle most of them, and the rest are looked up (db.filters)."""
    from sqlalchemy import func as sqlfunc

    from db.filters import figure_conditions, project_conditions
    from db.models import Amount, Article, Project, ProjectMention

    f = Filters(date_from=start, date_to=end)
    in_range = [Article.published.is_not(None), *([Article.published >= start] if start else []),
                *([Article.published <= end] if end else [])]
    with Session(loaded) as s:
        projects = set(s.scalars(select(Project.id).where(*project_conditions(f, s))))
        said = set(s.scalars(select(ProjectMention.project_id).join(Article, Article.id == ProjectMention.article_id)
                             .where(*in_range)))
        keys = set(s.scalars(select(Figure.dedup_key).where(*figure_conditions(f, s))))
        reported = set(s.scalars(select(Amount.dedup_key).join(Article, Article.id == Amount.article_id).where(*in_range)))
        reported &= set(s.scalars(select(Figure.dedup_key)))
        assert s.scalar(select(sqlfunc.count()).select_from(Project)) > len(projects)
    assert projects == said and keys == reported


def test_the_timeline_ranks_by_the_kept_article_counts_as_by_counting(loaded):
    """Unfiltered, the timeline walks projects by `project.n_articles`; counting each
    project's articles gives the same rows."""
    with Session(loaded) as s:
        kept = queries.timeline(s, Filters(), 5)
        counted = queries._timeline_in_range(s, Filters(), [], 5)
    assert _records(kept.periods) == _records(counted) and len(counted) == 5


@pytest.mark.parametrize("q, most", [("사업", True), ("추진", True), ("특화단지", False), ("없는말", False)])
def test_a_search_is_kept_as_the_shorter_list_of_the_same_projects(loaded, q, most):
    """db.search.Found: the projects found, or (when they are most) those left out."""
    from sqlalchemy import func, or_

    from db.filters import searched
    from db.models import Project
    from db.search import forget_remembered, mentioned_projects

    forget_remembered()
    f = Filters(q=q)
    with Session(loaded) as s:
        found = searched(f, s)
        every = set(s.scalars(select(Project.id)))
        named = [Project.name.contains(w) for w in f.words]
        direct = set(s.scalars(select(Project.id).where(or_(*named, Project.id.in_(mentioned_projects(s, f.words))))))
        assert s.scalar(select(func.count()).select_from(Project)) == len(every)
    assert (found.left_out is not None) is most
    assert (every - set(found.left_out) if most else set(found.ids)) == direct
    assert not found.ids if most else len(found.ids) * 2 <= len(every)


@pytest.mark.parametrize("q", ["사업", "추진", "국비"])
def test_a_list_that_probes_the_index_shows_the_same_articles(loaded, monkeypatch, q):
    """Pages of a search's articles, newest first, asking the index per article
    (db.search.probing_pays) or listing the matches first: the same rows."""
    f = Filters(q=q)
    with Session(loaded) as s:
        monkeypatch.setattr(queries, "probing_pays", lambda *_a: True)
        probed = [(_records(rows), total) for rows, total in (queries.article_list(s, f, n, o) for n, o in ((3, 0), (3, 3), (50, 0)))]
        monkeypatch.setattr(queries, "probing_pays", lambda *_a: False)
        listed = [(_records(rows), total) for rows, total in (queries.article_list(s, f, n, o) for n, o in ((3, 0), (3, 3), (50, 0)))]
    assert probed == listed and probed[2][1] == len(probed[2][0]) > 3
