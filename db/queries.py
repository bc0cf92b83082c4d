"""Read-only queries behind the dashboard pages.

Every function takes a `Session` and (for lists and aggregates) a `Filters`
value and returns a DataFrame, a dataclass of DataFrames, or plain rows. The
aggregation happens in the database (GROUP BY); no function loads a whole
table into pandas.

Two rules about won figures apply everywhere:

* A figure is counted once (`_figures` reads `figure`, one row per
  dedup_key), because several articles report the same figure of the same
  project.
* Figures of different roles are not simply added up, because 총사업비 already
  contains 국비, 지방비 and 민자. Breakdowns *by role* sum each role on its own;
  a single number per region, industry, year or project ("사업 규모") is, per
  project, the larger of 총사업비 and the sum of its parts (국비+지방비+민자+기타):
  the figures on that side carry `in_scale` (db.figures.scale_flags), so a
  group's 사업 규모 is the sum of its flagged figures and the groups of any
  chart add up to the total (`_scale_by`). Companies' investment pledges (투자,
  shown as 투자 유치) are a measure of their own and never part of 사업 규모: a
  pledge is not a public budget, and a decades-long one would outweigh every
  budget of its region. With a role filter (or doubtful money left out) only
  the chosen figures take part, and each project's side is decided among them.

Sums come from the aggregates the writer keeps (db.rollups) whenever the
filters allow (`_rollup_mode`: no dates, search, roles or 시군구; for charts by
region, at most one industry); otherwise from the matching rows of `figure`.
Both give the same numbers (tests/db/test_rollups.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import groupby

import pandas as pd
from sqlalchemy import (
    Select,
    String,
    case,
    distinct,
    exists,
    extract,
    func,
    literal,
    and_,
    false,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from db import changes, doubt, figures, rollups
from db.version import data_version  # noqa: F401  (the pages' cache key, read through this module)
from db.filters import (
    Filters,
    figure_conditions,
    article_conditions,
    article_date_conditions,
    facet_articles,
    project_conditions,
    searched,
    searched_condition,
)
from vocab import vocabulary
from db.doubt import DOMINANT_LABEL
from db.search import id_in, index_only_ids, match_count, probing_pays
from db.models import (
    Correction,
    Amount,
    Article,
    ArticleFacet,
    ArticleIndustry,
    ArticleRegion,
    ArticleSource,
    EtlRun,
    Evidence,
    ExcludedAmount,
    Figure,
    FigureConflict,
    Jobs,
    Period,
    Project,
    ProjectIndustry,
    ProjectMention,
    ProjectMerge,
    ProjectMoney,
    ProjectRegion,
    Region,
    RollupIndustry,
    RollupProjects,
    RollupRegion,
    StatusEvent,
)

# ---------------------------------------------------------------- helpers


def _plain(value):
    """PostgreSQL returns SUM(bigint) and EXTRACT(year) as NUMERIC (Decimal); SQLite
    returns int. Whole numbers become int on both, so frames and charts agree."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _frame(rows, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(_plain(v) for v in r) for r in rows], columns=list(columns))


def _run(session: Session, stmt: Select) -> pd.DataFrame:
    result = session.execute(stmt)
    return _frame(result.all(), list(result.keys()))


def _figures(session: Session, f: Filters) -> Select:
    """One row per distinct figure among those matching `f` (see db.models.Figure).

    `year` is the year of the first article that reported the figure. `in_scale`
    is the stored flag, or, when a role filter or the sure-only switch leaves
    some of a project's figures out, decided among those left (db.figures).
    """
    cols = [Figure.dedup_key, Figure.krw, Figure.role, Figure.project_id, Figure.sido_code, Figure.region_code, Figure.year,
            Figure.doubt]
    conds = figure_conditions(f, session)
    if not (f.roles or f.sure_only):
        return select(*cols, Figure.in_scale).where(*conds)
    v = vocabulary()
    totals, parts = v.roles_counted_as("total"), v.roles_counted_as("part")

    def side(roles):
        return func.sum(case((Figure.role.in_(roles), Figure.krw), else_=0)).over(partition_by=Figure.project_id)

    flag = case(
        (Figure.project_id.is_(None), Figure.role.in_([*totals, *parts])),
        (side(totals) >= side(parts), Figure.role.in_(totals)),
        else_=Figure.role.in_(parts),
    )
    return select(*cols, flag.label("in_scale")).where(*conds)


RollupMode = str | None  # "region": rollup_region; "industry": rollup_industry of one industry; None: figures


def _rollup_mode(f: Filters, by_region: bool = False) -> RollupMode:
    """Which kept aggregate (db.rollups) answers a sum under `f`, None when only the figures do.

    The aggregates have no article dates, search, 시군구 of projects or role
    subsets; `rollup_region` has no industry, `rollup_industry` counts a figure
    once per industry (right for one industry) and has no region below the 시도
    (`by_region`: the query needs it)."""
    if f.date_from or f.date_to or f.words or f.roles or f.sure_only or f.sigungus:
        return None
    if not f.industries:
        return "region"
    return "industry" if len(f.industries) == 1 and not by_region else None


def _money(session: Session, f: Filters, by_region: bool = False) -> Select:
    """Rows to sum for `f`: sido_code, region_code, year, role, krw, scale (the part in
    사업 규모), figures, doubt, doubt_figures; from an aggregate when one answers, else one
    row per matching figure. Unknown 시도 and regions are '' and an unknown year 0 on both."""
    left_out = _left_out(session, f, by_region)
    if left_out is not None:
        regions = _rollup_mode(replace(f, q=""), by_region) == "region"  # rollup_industry has no region column
        return _less_left_out(session, f, left_out, lambda rest: _money(session, rest, by_region),
                              lambda figs, sign: _figure_money(figs, sign, regions))
    mode = _rollup_mode(f, by_region)
    if mode == "region":
        t = RollupRegion
        stmt = select(t.sido_code, t.region_code, t.year, t.role, t.krw, t.scale, t.figures, t.doubt, t.doubt_figures)
        return stmt.where(t.sido_code.in_(f.sidos) if f.sidos else true())
    if mode == "industry":
        t = RollupIndustry
        stmt = select(t.sido_code, literal("").label("region_code"), t.year, t.role, t.krw, t.scale, t.figures, t.doubt,
                      t.doubt_figures)
        return stmt.where(t.industry == f.industries[0], t.sido_code.in_(f.sidos) if f.sidos else true())
    return _figure_money(_figures(session, f))


def _figure_money(figs: Select, sign: int = 1, regions: bool = True) -> Select:
    """`_money`'s rows from figure rows (`_figures`), negated when `sign` is -1, the
    region '' for all when not `regions` (as `rollup_industry` gives them)."""
    return select(*_money_columns(figs.subquery("fig"), sign, regions))


def _money_columns(fig, sign: int, regions: bool = True) -> list:
    """The columns of `_money` over a subquery of figure rows (see `_figure_money`)."""
    krw = fig.c.krw if sign == 1 else -fig.c.krw
    region = func.coalesce(fig.c.region_code, "") if regions else literal("")
    return [
        func.coalesce(fig.c.sido_code, "").label("sido_code"), region.label("region_code"),
        func.coalesce(fig.c.year, 0).label("year"), fig.c.role, krw.label("krw"),
        case((fig.c.in_scale, krw), else_=0).label("scale"), literal(sign).label("figures"),
        case((fig.c.doubt.is_not(None), krw), else_=0).label("doubt"),
        case((fig.c.doubt.is_not(None), sign), else_=0).label("doubt_figures"),
    ]


def _money_by_industry(session: Session, f: Filters) -> Select:
    """industry, sido_code, year, role, krw, scale, figures: `_money` under each industry of the
    figure's project (a project of two industries counts in both), `f.industries` only."""
    left_out = _left_out(session, f)
    if left_out is not None:
        stmt = _less_left_out(session, f, left_out, lambda rest: _money_by_industry(session, rest), _figure_money_by_industry)
    elif _rollup_mode(f) is not None:
        t = RollupIndustry
        stmt = select(t.industry, t.sido_code, t.year, t.role, t.krw, t.scale, t.figures)
        if f.sidos:
            stmt = stmt.where(t.sido_code.in_(f.sidos))
    else:
        stmt = _figure_money_by_industry(_figures(session, f))
    if f.industries:
        stmt = stmt.where(stmt.selected_columns.industry.in_(f.industries))
    return stmt


def _figure_money_by_industry(figs: Select, sign: int = 1) -> Select:
    """`_money_by_industry`'s rows from figure rows (`_figures`), negated when `sign` is -1."""
    fig = figs.subquery("fig")
    columns = {c.name: c for c in _money_columns(fig, sign)}
    return (select(ProjectIndustry.industry, *(columns[k] for k in ("sido_code", "year", "role", "krw", "scale", "figures")))
            .join(ProjectIndustry, ProjectIndustry.project_id == fig.c.project_id))


def _left_out(session: Session, f: Filters, by_region: bool = False) -> tuple[int, ...] | None:
    """The projects `f`'s search does not find, when its sums are best made as those of
    `f` without the search, from the kept aggregates, less the figures of these projects
    (and of none): the search finds most projects (db.search.Found) and the rest of `f`
    is one the aggregates answer (`_rollup_mode`). None otherwise."""
    if not f.words or _rollup_mode(replace(f, q=""), by_region) is None:
        return None
    return searched(f, session).left_out


def _less_left_out(session: Session, f: Filters, left_out: tuple[int, ...], whole, from_figures) -> Select:
    """The kept rows of `whole(f without its search)` (one per key) less the `from_figures`
    rows of the figures of `left_out` and of no project (a search finds no figure outside
    its projects), key by key: the rows of the figures the search finds, a key left
    without figures dropped (as no figure row would make it)."""
    rest = replace(f, q="")
    figs = _figures(session, rest)
    gone = [figs.where(Figure.project_id.is_(None)), figs.where(id_in(session, Figure.project_id, left_out))]  # two index ranges
    kept = whole(rest).subquery("kept")
    taken = union_all(*(from_figures(g, -1) for g in gone)).subquery("taken")
    keys = [c.name for c in kept.c if c.name not in rollups.MEASURES]
    measures = [c.name for c in kept.c if c.name in rollups.MEASURES]
    less = (select(*(taken.c[k] for k in keys), *(func.sum(taken.c[m]).label(m) for m in measures))
            .group_by(*(taken.c[k] for k in keys)).subquery("less"))
    left = {m: kept.c[m] + func.coalesce(less.c[m], 0) for m in measures}
    return (select(*(kept.c[k] for k in keys), *(v.label(m) for m, v in left.items()))
            .outerjoin(less, and_(*(kept.c[k] == less.c[k] for k in keys)))
            .where(left["figures"] > 0))


def _role_label(role: str) -> str:
    return vocabulary().role_labels.get(role, role)


def _role_sum(fig, roles: Sequence[str]):
    return func.sum(case((fig.c.role.in_(roles), fig.c.krw), else_=0))


def _scale_by(money, group_cols: Sequence) -> Select:
    """Per group of `money` rows (`_money`, `_money_by_industry`, or figures with
    `in_scale`): `krw`, their 사업 규모 (see the module doc), and `investment`, the
    투자 유치 pledges, which are never in `krw`."""
    scale = money.c.scale if "scale" in money.c else case((money.c.in_scale, money.c.krw), else_=0)
    invest = _role_sum(money, vocabulary().roles_counted_as("separate"))
    return select(*group_cols, func.sum(scale).label("krw"), invest.label("investment")).group_by(*group_cols)


def _per_project_money(session: Session, f: Filters):
    """project_id, krw (사업 규모), investment of each project with figures matching `f`:
    the kept `project_money` when every figure matches, else summed from the figures."""
    if f.is_empty():
        return select(ProjectMoney.project_id, ProjectMoney.scale.label("krw"),
                      ProjectMoney.investment).subquery("money")
    fig = _figures(session, f).subquery("fig")
    return _scale_by(fig, [fig.c.project_id]).subquery("money")


def _matching_projects(session: Session, f: Filters) -> Select:
    return select(Project.id).where(*project_conditions(f, session))


def _only_matching(session: Session, column, f: Filters) -> list:
    """`column IN (matching projects)`, or nothing when every project matches (much cheaper),
    or, when the search is all `f` asks, the search's condition on `column` itself (its
    projects are known: no pass through `project`)."""
    if not project_conditions(f, session):
        return []
    if f.only_search:
        return [searched_condition(f, session, column)]
    return [column.in_(_matching_projects(session, f))]


def _sido_prefixes(f: Filters) -> tuple[str, ...]:
    return tuple(sorted({c[:2] for c in f.regions}))


def _project_sidos(session: Session, f: Filters, only: Sequence = ()):
    """(project_id, sido_code) for matching projects, once per 시도 their regions lie in
    (`only`: further conditions on `ProjectRegion`).

    A project's own `sido_code` is that of a region it is linked to (the loader
    links the region it takes the 시도 from), so the regions say it all.
    """
    stmt = (
        select(ProjectRegion.project_id.label("project_id"), Region.sido_code.label("sido_code"))
        .join(Region, Region.code == ProjectRegion.region_code)
        .where(*_only_matching(session, ProjectRegion.project_id, f), *only)
        .distinct()
    )
    if f.regions:
        stmt = stmt.where(Region.sido_code.in_(_sido_prefixes(f)))
    return stmt.subquery("project_sidos")


def _rollup_code():
    """A 일반구 counts for its 시; other regions for themselves."""
    return case((Region.level == "gu", Region.parent_code), else_=Region.code)


# ---------------------------------------------------------------- meta


def latest_run(session: Session) -> dict | None:
    """The newest finished load, for the '마지막 적재' line."""
    row = session.execute(
        select(EtlRun).where(EtlRun.finished_at.is_not(None)).order_by(EtlRun.finished_at.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None:
        return None
    return {
        "id": row.id,
        "command": row.command,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "status": row.status,
        "n_read": row.n_read,
        "n_new": row.n_new,
        "n_unchanged": row.n_unchanged,
        "n_rejected": row.n_rejected,
        "n_projects": row.n_projects,
        "n_amounts": row.n_amounts,
        "seconds": row.seconds,
    }


@dataclass(frozen=True)
class LoadChanges:
    """What the newest finished load changed, for readers who ask "what is new?"."""

    run: dict | None  # latest_run()
    new_projects: pd.DataFrame  # id, name, sido, status: projects first reported by this load
    n_new_projects: int
    changed: pd.DataFrame  # project_id, name, role, label, krw, previous: new figures of older projects
    n_changed_projects: int
    n_new_figures: int  # figures (dedup_key) first reported by this load, any project


_CHANGE_COLUMNS = ["project_id", "name", "role", "label", "krw", "previous"]


def last_load_changes(session: Session, limit: int = 10) -> LoadChanges:
    """New projects and new or changed figures of the newest finished load (db.changes):
    as the loader stored them when the run finished, else (a run finished before
    they were stored) derived now."""
    run = latest_run(session)
    if run is None:
        return LoadChanges(None, _frame([], ["id", "name", "sido", "status"]), 0, _frame([], _CHANGE_COLUMNS), 0, 0)
    found = session.scalar(select(EtlRun.changes).where(EtlRun.id == run["id"]))
    if found is None or limit > changes.LIMIT:
        found = changes.derive(session, run["id"], limit)
    return LoadChanges(
        run,
        _frame(found["new_projects"][:limit], ["id", "name", "sido", "status"]),
        found["n_new_projects"],
        _frame([(p, n, r, _role_label(r), k, prev) for p, n, r, k, prev in found["changed"][:limit]], _CHANGE_COLUMNS),
        found["n_changed_projects"],
        found["n_new_figures"],
    )


def _count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def region_options(session: Session) -> list[tuple[str, str, str, str]]:
    """(code, name, level, sido_code) of every 시도 and 시군구, 시도 first."""
    rows = session.execute(
        select(Region.code, Region.name, Region.level, Region.sido_code)
        .where(Region.level.in_(("sido", "sigungu")))
        .order_by(case((Region.level == "sido", 0), else_=1), Region.code)
    ).all()
    return [tuple(r) for r in rows]


def article_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


# ---------------------------------------------------------------- overview


@dataclass(frozen=True)
class Headline:
    articles: int
    projects: int
    regions: int
    by_role: pd.DataFrame = field(repr=False)
    scale: int = 0  # 사업 규모: public project budgets (see module doc)
    investment: int = 0  # 투자 유치: companies' pledges, never part of `scale`
    jobs: int = 0  # 일자리: per project its largest reported figure


def headline(session: Session, f: Filters) -> Headline:
    """The overview's headline figures: counts and won by role."""
    articles = article_total(session, f)
    projects = session.scalar(select(func.count()).select_from(Project).where(*project_conditions(f, session))) or 0
    regions = (
        session.scalar(
            select(func.count(distinct(ProjectRegion.region_code))).where(*_only_matching(session, ProjectRegion.project_id, f))
        )
        or 0
    )
    by_role = _role_sums(session, f)
    investment = by_role.loc[by_role["role"].isin(vocabulary().roles_counted_as("separate")), "krw"].sum()
    return Headline(articles, projects, regions, by_role.drop(columns="scale"), int(by_role["scale"].sum()), int(investment),
                    jobs_total(session, f))


def article_total(session: Session, f: Filters) -> int:
    """How many articles match `f`: counted in the facet index and the search index
    when they answer (no 시군구, every search word indexed), without reading an article row."""
    facets = facet_articles(f)  # None: no 시도, industry or date chosen, or a 시군구 (facets cannot say)
    found = index_only_ids(session, f.words) if f.words else None  # None: no search, or not the index alone
    if found is not None and f.only_search:  # the index alone
        return match_count(session, f.words) or 0
    if facets is None or (f.words and found is None):
        return session.scalar(select(func.count()).select_from(Article).where(*article_conditions(f, session))) or 0
    if found is not None:
        facets = facets.where(ArticleFacet.article_id.in_(found))
    ids = facets.subquery("ids")
    once = len(f.sidos) <= 1 and len(f.industries) <= 1  # then each article has one matching facet row
    return session.scalar(select(func.count() if once else func.count(distinct(ids.c.article_id))).select_from(ids)) or 0


def jobs_total(session: Session, f: Filters) -> int:
    """Jobs of the matching projects: per project the largest figure an article in
    the range reports (articles repeat a project's figure; adding them would count
    one plant's jobs twice), summed over projects."""
    dates = [Jobs.article_id.in_(select(Article.id).where(*article_date_conditions(f)))] if f.date_from or f.date_to else []
    per = (
        select(Jobs.project_id, func.max(Jobs.count).label("n"))
        .where(Jobs.project_id.is_not(None), *_only_matching(session, Jobs.project_id, f), *dates)
        .group_by(Jobs.project_id)
        .subquery("per")
    )
    return int(_plain(session.scalar(select(func.sum(per.c.n)))) or 0)


def funding_by_role(session: Session, f: Filters) -> pd.DataFrame:
    """role, label, krw, figures: each role summed on its own, every figure once."""
    return _role_sums(session, f).drop(columns="scale")


def _role_sums(session: Session, f: Filters) -> pd.DataFrame:
    """`funding_by_role` with `scale`, each role's part in 사업 규모: one pass over the
    money gives the headline both its role breakdown and its totals."""
    money = _money(session, f).subquery("money")
    rows = session.execute(
        select(money.c.role, func.sum(money.c.krw), func.sum(money.c.figures), func.sum(money.c.scale)).group_by(money.c.role)
    ).all()
    found = {r[0]: (int(r[1] or 0), int(r[2]), int(r[3] or 0)) for r in rows}
    return _frame(
        [(role, label, *found.get(role, (0, 0, 0))) for role, label in vocabulary().role_labels.items() if role in found],
        ["role", "label", "krw", "figures", "scale"],
    )


def newest_projects(session: Session, f: Filters, limit: int = 10) -> pd.DataFrame:
    stmt = (
        select(Project.id, Project.name, Project.status, Project.sido_code, Project.last_published, Project.n_articles)
        .where(*project_conditions(f, session))
        .order_by(Project.last_published.desc().nulls_last(), Project.id.desc())
        .limit(limit)
    )
    return _run(session, stmt)


# ---------------------------------------------------------------- regions


def funding_by_region(session: Session, f: Filters, sido: str | None = None) -> pd.DataFrame:
    """code, name, krw, projects for every 시도 (or every 시군구 of `sido`), zeros included."""
    if sido is None:
        return _funding_by_sido(session, f)
    return _funding_by_sigungu(session, f, sido)


def _funding_by_sido(session: Session, f: Filters) -> pd.DataFrame:
    rows = _money(session, f).subquery("rows")
    money = _scale_by(rows, [rows.c.sido_code]).subquery("money")

    def counted(g: Filters, only: list) -> Select:
        ps = _project_sidos(session, g, only)
        return select(ps.c.sido_code.label("code"), func.count(distinct(ps.c.project_id)).label("n")).group_by(ps.c.sido_code)

    counts = _region_counts(session, f, counted, sido=True).subquery("counts")
    every_sido = _every_region(money.c.sido_code, money.c.krw, counts.c.code, counts.c.n, Region.level == "sido")
    return _run(session, every_sido)


def _funding_by_sigungu(session: Session, f: Filters, sido: str) -> pd.DataFrame:
    rows = _money(session, f, by_region=True).subquery("rows")
    rolled = (
        select(rows, _rollup_code().label("code"))
        .join(Region, Region.code == rows.c.region_code)
        .where(rows.c.sido_code == sido, Region.level != "sido")
        .subquery("rolled")
    )
    money = _scale_by(rolled, [rolled.c.code]).subquery("money")

    def counted(g: Filters, only: list) -> Select:
        pairs = (
            select(ProjectRegion.project_id, _rollup_code().label("code"))
            .join(Region, Region.code == ProjectRegion.region_code)
            .where(Region.sido_code == sido, Region.level != "sido", *_only_matching(session, ProjectRegion.project_id, g), *only)
            .subquery("pairs")
        )
        return select(pairs.c.code, func.count(distinct(pairs.c.project_id)).label("n")).group_by(pairs.c.code)

    counts = _region_counts(session, f, counted, sido=False, within=sido).subquery("counts")
    units = (Region.sido_code == sido, Region.level == "sigungu")
    return _run(session, _every_region(money.c.code, money.c.krw, counts.c.code, counts.c.n, *units))


def _region_counts(session: Session, f: Filters, counted, sido: bool, within: str | None = None) -> Select:
    """(code, n) projects per 시도 or 시군구 (`_kept_counts` over `_project_counts`);
    `counted(g, only)` counts the projects matching `g` whose `ProjectRegion` rows meet `only`."""
    return _kept_counts(session, f, lambda g: _project_counts(g, sido, within), counted, ProjectRegion.project_id)


def _kept_counts(session: Session, f: Filters, kept, counted, project_id) -> Select:
    """(code, n) project counts: `kept(f)`, the kept counts, when they answer (not None);
    when `f`'s search finds most projects, the kept counts of `f` without it less
    `counted` of the projects it leaves out (`_left_out`, conditions on `project_id`),
    codes left with none dropped; else `counted(f, [])`."""
    found = kept(f)
    if found is not None:
        return found
    left_out = _left_out(session, f)
    rest = replace(f, q="")
    base = kept(rest) if left_out is not None else None
    if base is None:
        return counted(f, [])
    base, less = base.subquery("kept"), counted(rest, [id_in(session, project_id, left_out)]).subquery("less")
    n = base.c.n - func.coalesce(less.c.n, 0)
    return select(base.c.code, n.label("n")).outerjoin(less, less.c.code == base.c.code).where(n > 0)


def _project_counts(f: Filters, sido: bool, within: str | None = None) -> Select | None:
    """(code, n) projects per 시도 (`sido`) or per 시군구 of `within`, from the kept counts
    (db.rollups); None when `f` is beyond them (`_rollup_mode`)."""
    mode = _rollup_mode(f)
    if mode is None:
        return None
    t = RollupProjects
    industry = f.industries[0] if mode == "industry" else ""
    if sido:
        stmt = select(t.sido_code.label("code"), t.n).where(t.region_code == "", t.industry == industry)
        return stmt.where(t.sido_code.in_(f.sidos)) if f.sidos else stmt
    if f.sidos and within not in f.sidos:
        return select(t.region_code.label("code"), t.n).where(false())
    return select(t.region_code.label("code"), t.n).where(t.sido_code == within, t.region_code != "", t.industry == industry)


def _every_region(money_code, krw, count_code, n, *which) -> Select:
    """code, name, krw, projects of every region `which` selects, zeros where none."""
    return (
        select(Region.code, Region.name, func.coalesce(krw, 0).label("krw"), func.coalesce(n, 0).label("projects"))
        .outerjoin(money_code.table, money_code == Region.code)
        .outerjoin(count_code.table, count_code == Region.code)
        .where(*which)
        .order_by(Region.code)
    )


def region_industry_matrix(session: Session, f: Filters, metric: str = "projects") -> pd.DataFrame:
    """sido_code, sido, industry, value: projects (count) or funding (won) per 시도 × 산업."""
    if metric == "funding":
        rows = _money_by_industry(session, f).subquery("rows")
        agg = _scale_by(rows, [rows.c.sido_code, rows.c.industry]).subquery("agg")
        value = agg.c.krw
    elif _rollup_mode(f) is not None:  # kept counts (db.rollups); only f's industries are shown
        t = RollupProjects
        agg = (select(t.sido_code, t.industry, t.n).where(t.region_code == "", t.industry != "", t.sido_code != "",
                                                          *([t.sido_code.in_(f.sidos)] if f.sidos else []))
               .subquery("agg"))
        value = agg.c.n
    else:
        ps = _project_sidos(session, f)
        agg = (
            select(ps.c.sido_code, ProjectIndustry.industry, func.count(distinct(ps.c.project_id)).label("n"))
            .join(ProjectIndustry, ProjectIndustry.project_id == ps.c.project_id)
            .group_by(ps.c.sido_code, ProjectIndustry.industry)
            .subquery("agg")
        )
        value = agg.c.n
    stmt = (
        select(agg.c.sido_code, Region.name.label("sido"), agg.c.industry, value.label("value"))
        .join(Region, Region.code == agg.c.sido_code)
        .where(value > 0)
        .order_by(agg.c.sido_code, agg.c.industry)
    )
    if f.industries:
        stmt = stmt.where(agg.c.industry.in_(f.industries))
    return _run(session, stmt)


def _bucketed_figures(session: Session, f: Filters, codes: Sequence[str]):
    """`_money` rows of each compared region, labelled with the region (overlaps allowed)."""
    parts = [
        _money(session, replace(f, regions=(code,))).add_columns(literal(code, String).label("bucket"))
        for code in codes
    ]
    return union_all(*parts).subquery("buckets")


def compare_roles(session: Session, f: Filters, codes: Sequence[str]) -> pd.DataFrame:
    """code, role, label, krw for each compared region (the region filter is replaced by `codes`)."""
    if not codes:
        return _frame([], ["code", "role", "label", "krw"])
    b = _bucketed_figures(session, f, codes)
    rows = session.execute(
        select(b.c.bucket, b.c.role, func.sum(b.c.krw)).group_by(b.c.bucket, b.c.role).order_by(b.c.bucket)
    ).all()
    return _frame([(c, r, _role_label(r), int(k or 0)) for c, r, k in rows], ["code", "role", "label", "krw"])


def compare_years(session: Session, f: Filters, codes: Sequence[str]) -> pd.DataFrame:
    """code, year, krw (사업 규모) for each compared region."""
    if not codes:
        return _frame([], ["code", "year", "krw"])
    b = _bucketed_figures(session, f, codes)
    agg = _scale_by(b, [b.c.bucket, b.c.year]).subquery("agg")
    stmt = select(agg.c.bucket.label("code"), agg.c.year, agg.c.krw).where(agg.c.year != 0).order_by(agg.c.bucket, agg.c.year)
    return _run(session, stmt)


def compare_industries(session: Session, f: Filters, codes: Sequence[str]) -> pd.DataFrame:
    """code, industry, projects for each compared region."""
    if not codes:
        return _frame([], ["code", "industry", "projects"])
    if _rollup_mode(replace(f, regions=())) == "region":  # the kept counts (db.rollups) per 시도 or 시군구 and industry
        t = RollupProjects
        kept = [select(literal(code, String).label("code"), t.industry, t.n.label("projects"))
                .where(t.sido_code == code[:2], t.region_code == ("" if len(code) == 2 else code), t.industry != "")
                for code in codes]
        u = union_all(*kept).subquery("kept")
        return _run(session, select(u.c.code, u.c.industry, u.c.projects).order_by(u.c.code, u.c.industry))
    parts = []
    for code in codes:
        ps = _project_sidos(session, replace(f, regions=(code,))) if len(code) == 2 else None
        matching = select(ps.c.project_id) if ps is not None else _matching_projects(session, replace(f, regions=(code,)))
        parts.append(
            select(literal(code, String).label("code"), ProjectIndustry.industry, ProjectIndustry.project_id).where(
                ProjectIndustry.project_id.in_(matching)
            )
        )
    u = union_all(*parts).subquery("u")
    stmt = (
        select(u.c.code, u.c.industry, func.count(distinct(u.c.project_id)).label("projects"))
        .group_by(u.c.code, u.c.industry)
        .order_by(u.c.code, u.c.industry)
    )
    return _run(session, stmt)


# ---------------------------------------------------------------- industries


def funding_by_industry(session: Session, f: Filters) -> pd.DataFrame:
    """industry, krw, projects: won (사업 규모) and matching projects per industry."""
    rows = _money_by_industry(session, f).subquery("rows")
    money = _scale_by(rows, [rows.c.industry]).subquery("money")
    t = RollupProjects

    def kept(g: Filters) -> Select | None:  # the kept counts (db.rollups), of one 시도 at most
        if _rollup_mode(g) is None or len(g.sidos) > 1:
            return None
        return select(t.industry.label("code"), t.n).where(t.sido_code == (g.sidos[0] if g.sidos else ""),
                                                           t.region_code == "", t.industry != "")

    def counted(g: Filters, only: list) -> Select:
        return (select(ProjectIndustry.industry.label("code"), func.count(distinct(ProjectIndustry.project_id)).label("n"))
                .where(*_only_matching(session, ProjectIndustry.project_id, g), *only).group_by(ProjectIndustry.industry))

    counts = _kept_counts(session, f, kept, counted, ProjectIndustry.project_id).subquery("counts")
    # every label in use, once, from the kept counts (not a UNION of money and counts: that would compute `money` twice)
    industries = select(t.industry).where(t.sido_code == "", t.region_code == "", t.industry != "").subquery("ind")
    stmt = (
        select(
            industries.c.industry,
            func.coalesce(money.c.krw, 0).label("krw"),
            func.coalesce(counts.c.n, 0).label("projects"),
        )
        .outerjoin(money, money.c.industry == industries.c.industry)
        .outerjoin(counts, counts.c.code == industries.c.industry)
        .where(or_(money.c.industry.is_not(None), counts.c.code.is_not(None)))
    )
    if f.industries:
        stmt = stmt.where(industries.c.industry.in_(f.industries))
    df = _run(session, stmt)
    return df.sort_values(["krw", "projects", "industry"], ascending=[False, False, True], ignore_index=True)


def industry_by_year(session: Session, f: Filters) -> pd.DataFrame:
    """year, industry, krw: 사업 규모 per industry and budget year (article year when none)."""
    rows = _money_by_industry(session, f).subquery("rows")
    agg = _scale_by(rows, [rows.c.year, rows.c.industry]).subquery("agg")
    conds = [agg.c.year != 0]
    stmt = select(agg.c.year, agg.c.industry, agg.c.krw).where(*conds).order_by(agg.c.year, agg.c.industry)
    return _run(session, stmt)


def industry_projects_by_year(session: Session, f: Filters) -> pd.DataFrame:
    """year, industry, projects: matching projects by the year they were first reported."""
    year = extract("year", Project.first_published)
    stmt = (
        select(year.label("year"), ProjectIndustry.industry, func.count(distinct(Project.id)).label("projects"))
        .join(ProjectIndustry, ProjectIndustry.project_id == Project.id)
        .where(*project_conditions(f, session), Project.first_published.is_not(None))
        .group_by(year, ProjectIndustry.industry)
        .order_by(year, ProjectIndustry.industry)
    )
    if f.industries:
        stmt = stmt.where(ProjectIndustry.industry.in_(f.industries))
    return _run(session, stmt)


# ---------------------------------------------------------------- funding


def funding_by_year(session: Session, f: Filters) -> pd.DataFrame:
    """year, role, label, krw: each role per year (budget year, article year when none)."""
    money = _money(session, f).subquery("money")
    rows = session.execute(
        select(money.c.year, money.c.role, func.sum(money.c.krw))
        .where(money.c.year != 0)
        .group_by(money.c.year, money.c.role)
        .order_by(money.c.year, money.c.role)
    ).all()
    return _frame([(int(y), r, _role_label(r), int(k or 0)) for y, r, k in rows], ["year", "role", "label", "krw"])


def funding_by_region_role(session: Session, f: Filters) -> pd.DataFrame:
    """sido_code, sido, role, label, krw: each role per 시도 (figures without a 시도 under '미상')."""
    money = _money(session, f).subquery("money")
    stmt = (
        select(money.c.sido_code, Region.name, money.c.role, func.sum(money.c.krw))
        .outerjoin(Region, Region.code == money.c.sido_code)
        .group_by(money.c.sido_code, Region.name, money.c.role)
        .order_by(money.c.sido_code, money.c.role)  # '미상' ('') first on every database
    )
    rows = session.execute(stmt).all()
    return _frame(
        [(s or "", n or "미상", r, _role_label(r), int(k or 0)) for s, n, r, k in rows],
        ["sido_code", "sido", "role", "label", "krw"],
    )


def largest_projects(session: Session, f: Filters, limit: int = 20) -> pd.DataFrame:
    """id, name, sido, status, krw, investment: projects with a 사업 규모, largest first
    (their 투자 유치 alongside, never added in)."""
    per_project = _per_project_money(session, f)
    stmt = (
        select(Project.id, Project.name, Region.name.label("sido"), Project.status, per_project.c.krw,
               per_project.c.investment)
        .join(per_project, per_project.c.project_id == Project.id)
        .outerjoin(Region, Region.code == Project.sido_code)
        .where(*project_conditions(f, session), per_project.c.krw > 0)
        .order_by(per_project.c.krw.desc(), Project.id)
        .limit(limit)
    )
    return _run(session, stmt)


# ---------------------------------------------------------------- doubtful money


@dataclass(frozen=True)
class Doubt:
    """How much doubtful money (db.doubt) the figures matching a filter set hold."""

    krw: int = 0  # summed over every role: what the role charts include
    figures: int = 0
    scale: int = 0  # of it, in 총사업비 and its parts (what 사업 규모 can hold)
    investment: int = 0  # of it, in 투자 유치


def _dominant(session: Session, f: Filters):
    """Condition on `Figure`: alone more than `DOMINANT_SHARE` of its role's total among the
    figures matching `f`, and at least `DOMINANT_MIN_KRW` (db.doubt). The role totals are read
    first (from an aggregate when one answers), so only the few large figures are looked at."""
    money = _money(session, f).subquery("money")
    totals = session.execute(select(money.c.role, func.sum(money.c.krw)).group_by(money.c.role)).all()
    least, share = doubt.DOMINANT_MIN_KRW, doubt.DOMINANT_SHARE
    parts = [and_(Figure.role == role, Figure.krw > int(_plain(total)) * share)
             for role, total in totals if total and int(_plain(total)) >= least]
    return and_(Figure.krw >= least, or_(*parts)) if parts else false()  # krw first: a range of ix_figure_krw


def _doubtful(session: Session, f: Filters) -> Select:
    """The matching figures that are doubtful, each with why: the extractor's
    mark, else `DOMINANT_LABEL`. Empty when doubtful figures are left out."""
    if f.sure_only:
        return select(Figure.dedup_key, Figure.krw, Figure.role, literal(DOMINANT_LABEL).label("reason")).where(false())
    conds = figure_conditions(f, session)
    cols = (Figure.dedup_key, Figure.krw, Figure.role)
    # `doubt > ''` is `doubt IS NOT NULL` for a stored reason (never empty: etl.writer), as an index range
    marked = select(*cols, Figure.doubt.label("reason")).where(*conds, Figure.doubt > "")
    dominant = select(*cols, literal(DOMINANT_LABEL).label("reason")).where(*conds, Figure.doubt.is_(None), _dominant(session, f))
    return union_all(marked, dominant)  # two index look-ups (ix_figure_doubt, ix_figure_krw), not a scan for an OR


def doubtful_money(session: Session, f: Filters) -> Doubt:
    """Sum and count of the doubtful figures among those matching `f`, for the charts' captions:
    those the extractor marked (summed in `_money`), and those that dominate their role."""
    if f.sure_only:
        return Doubt()
    v = vocabulary()
    scale_roles = [*v.roles_counted_as("total"), *v.roles_counted_as("part")]
    separate = v.roles_counted_as("separate")
    money = _money(session, f).subquery("money")
    marked = session.execute(select(
        func.sum(money.c.doubt), func.sum(money.c.doubt_figures),
        func.sum(case((money.c.role.in_(scale_roles), money.c.doubt), else_=0)),
        func.sum(case((money.c.role.in_(separate), money.c.doubt), else_=0)))).one()
    dominant = session.execute(
        select(Figure.krw, Figure.role).where(*figure_conditions(f, session), Figure.doubt.is_(None), _dominant(session, f))
    ).all()
    krw, n, scale, investment = (int(_plain(x) or 0) for x in marked)
    return Doubt(krw + sum(k for k, _r in dominant), n + len(dominant),
                 scale + sum(k for k, r in dominant if r in scale_roles),
                 investment + sum(k for k, r in dominant if r in separate))


def doubtful_figures(session: Session, f: Filters, limit: int = 100) -> pd.DataFrame:
    """krw, role, label, reason, text, sentence, article_id, article_title, published, url,
    project_id, project: each doubtful figure, largest first, with the sentence of the
    first article that reported it."""
    fig = _doubtful(session, f).subquery("doubtful")
    first = select(Amount.dedup_key, func.min(Amount.id).label("amount_id")).where(
        Amount.dedup_key.in_(select(fig.c.dedup_key))).group_by(Amount.dedup_key).subquery("first")
    stmt = (
        select(fig.c.krw, fig.c.role, fig.c.role.label("label"), fig.c.reason, Amount.text, Evidence.sentence,
               Article.id.label("article_id"), Article.title.label("article_title"), Article.published, Article.url,
               Project.id.label("project_id"), Project.name.label("project"))
        .join(first, first.c.dedup_key == fig.c.dedup_key)
        .join(Amount, Amount.id == first.c.amount_id)
        .join(Evidence, Evidence.id == Amount.evidence_id)
        .join(Article, Article.id == Amount.article_id)
        .outerjoin(Project, Project.id == Amount.project_id)
        .order_by(fig.c.krw.desc(), fig.c.dedup_key)
        .limit(limit)
    )
    df = _run(session, stmt)
    df["label"] = [_role_label(r) for r in df["role"]]
    return df


# ---------------------------------------------------------------- projects

PROJECT_SORTS: dict[str, str] = {
    "recent": "최근 보도순",
    "funding": "사업 규모순",
    "articles": "기사 수순",
    "name": "이름순",
}


def project_table(session: Session, f: Filters, sort: str = "recent", limit: int = 500) -> tuple[pd.DataFrame, int]:
    """(rows, total) of matching projects with industries, period, 사업 규모 and 투자 유치.

    Two steps: the ids of the page in the chosen order, then the columns of
    those ids only, so 사업 규모 and industries are computed for `limit`
    projects, not for all (except when sorting by 사업 규모).
    """
    conds = project_conditions(f, session)
    total = session.scalar(select(func.count()).select_from(Project).where(*conds)) or 0
    if sort == "funding":
        money = _per_project_money(session, f)
        page = (
            select(Project.id)
            .outerjoin(money, money.c.project_id == Project.id)
            .where(*conds)
            .order_by(func.coalesce(money.c.krw, 0).desc(), Project.id.desc())
        )
    else:
        order = {
            "articles": [Project.n_articles.desc(), Project.id.desc()],
            "name": [Project.name, Project.id],
        }.get(sort, [Project.last_published.desc().nulls_last(), Project.id.desc()])
        page = select(Project.id).where(*conds).order_by(*order)
    ids = list(session.scalars(page.limit(limit)))
    columns = ["id", "name", "sido", "status", "industries", "first_published", "last_published", "n_articles", "krw", "investment"]
    if not ids:
        return _frame([], columns), total
    fig = _figures(session, f).where(Figure.project_id.in_(ids)).subquery("fig")
    scale = _scale_by(fig, [fig.c.project_id]).subquery("scale")
    money = {pid: (krw, inv) for pid, krw, inv in session.execute(select(scale.c.project_id, scale.c.krw, scale.c.investment))}
    industries = _joined_industries(session, ids)
    rows = session.execute(
        select(Project.id, Project.name, Region.name, Project.status, Project.first_published, Project.last_published, Project.n_articles)
        .outerjoin(Region, Region.code == Project.sido_code)
        .where(Project.id.in_(ids))
    ).all()
    by_id = {r[0]: r for r in rows}
    out = [
        (i, by_id[i][1], by_id[i][2], by_id[i][3], industries.get(i), by_id[i][4], by_id[i][5], by_id[i][6],
         *(_plain(v) or None for v in money.get(i, (None, None))))  # no figure: an empty cell, not 0
        for i in ids
    ]
    return _frame(out, columns), total


def _joined_industries(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """'소재부품, 이차전지' per project, in name order on every database (string_agg and
    group_concat keep no order of their own)."""
    rows = session.execute(
        select(ProjectIndustry.project_id, ProjectIndustry.industry)
        .where(ProjectIndustry.project_id.in_(ids))
        .order_by(ProjectIndustry.project_id, ProjectIndustry.industry)
    ).all()
    return {pid: ", ".join(r.industry for r in group) for pid, group in groupby(rows, key=lambda r: r.project_id)}


@dataclass(frozen=True)
class ProjectDetail:
    project: dict
    amounts: pd.DataFrame
    periods: pd.DataFrame
    regions: pd.DataFrame
    industries: list[str]
    events: pd.DataFrame
    articles: pd.DataFrame
    jobs: pd.DataFrame  # id, jobs, evidence columns: every jobs figure with its sentence
    history: pd.DataFrame = field(default_factory=pd.DataFrame)  # role, label, krw, published, article: HISTORY_COLUMNS
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)  # CONFLICT_COLUMNS, this project's


HISTORY_COLUMNS = ["role", "label", "krw", "published", "article_id", "article_title", "outlet", "current"]
CONFLICT_COLUMNS = ["project_id", "name", "role", "label", "krw_a", "published_a", "article_a", "outlet_a",
                    "krw_b", "published_b", "article_b", "outlet_b"]


def _articles_by_id(session: Session, ids) -> dict[int, tuple]:
    rows = session.execute(select(Article.id, Article.published, Article.title, Article.outlet)
                           .where(Article.id.in_(sorted(set(ids))))) if ids else []
    return {r[0]: tuple(r[1:]) for r in rows}


def figure_history(session: Session, project_id: int) -> pd.DataFrame:
    """Per role, each article's value of the project's figure in date order; the last is current
    (1,280억 → 1,350억). See db.figures.article_values."""
    values = figures.article_values(figures.project_reports(session.connection(), [project_id]))
    articles = _articles_by_id(session, [a for v in values.values() for _w, a, _k in v])
    order = {code: i for i, code in enumerate(vocabulary().role_codes)}
    rows = []
    for (_pid, role), reports in sorted(values.items(), key=lambda kv: order.get(kv[0][1], len(order))):
        for i, (_when, article_id, krw) in enumerate(reports):
            published, title, outlet = articles[article_id]
            rows.append((role, _role_label(role), krw, published, article_id, title, outlet, i == len(reports) - 1))
    return _frame(rows, HISTORY_COLUMNS)


def figure_conflicts(session: Session, f: Filters, project_id: int | None = None, limit: int | None = None) -> pd.DataFrame:
    """Reports of one project's figure that disagree at about the same time (vocab figures.toml):
    listed on their own, never added up. Kept by the writer (db.figures.conflicts). With
    `limit`, the newest that many (`conflict_count` counts them all)."""
    c = FigureConflict
    a, b = Article.__table__.alias("a"), Article.__table__.alias("b")
    stmt = (select(c.project_id, Project.name, c.role, c.krw_a, a.c.published, c.article_a, a.c.outlet,
                   c.krw_b, b.c.published, c.article_b, b.c.outlet)
            .join(Project, Project.id == c.project_id).join(a, a.c.id == c.article_a).join(b, b.c.id == c.article_b)
            .where(*_only_matching(session, c.project_id, f)))
    if project_id is not None:
        stmt = stmt.where(c.project_id == project_id)
    stmt = stmt.order_by(c.project_id, c.id) if limit is None else stmt.order_by(c.article_b.desc(), c.id.desc()).limit(limit)
    rows = [(pid, name, role, _role_label(role), *rest) for pid, name, role, *rest in session.execute(stmt)]
    return _frame(rows, CONFLICT_COLUMNS)


def conflict_count(session: Session, f: Filters) -> int:
    """How many conflicting pairs of reports `figure_conflicts` lists for `f`."""
    return session.scalar(select(func.count()).select_from(FigureConflict)
                          .where(*_only_matching(session, FigureConflict.project_id, f))) or 0


def _evidence_cols():
    return (
        Evidence.sentence,
        Evidence.sentence_start,
        Evidence.span_start,
        Evidence.span_end,
        Article.id.label("article_id"),
        Article.title.label("article_title"),
        Article.published,
        Article.url,
        Article.content_hash,
    )


def project_detail(session: Session, project_id: int) -> ProjectDetail | None:
    """Everything known about one project, each figure with its source sentence."""
    p = session.get(Project, project_id)
    if p is None:
        return None
    amounts = _run(
        session,
        select(Amount.id, Amount.role, Amount.krw, Amount.text, Amount.year, Amount.dedup_key, *_evidence_cols())
        .join(Evidence, Evidence.id == Amount.evidence_id)
        .join(Article, Article.id == Amount.article_id)
        .where(Amount.project_id == project_id)
        .order_by(Amount.role, Amount.krw.desc(), Amount.id),
    )
    amounts["label"] = amounts["role"].map(_role_label)
    periods = _run(
        session,
        select(Period.id, Period.start_year, Period.end_year, Period.text, *_evidence_cols())
        .join(Evidence, Evidence.id == Period.evidence_id)
        .join(Article, Article.id == Period.article_id)
        .where(Period.project_id == project_id)
        .order_by(Period.end_year, Period.id),
    )
    regions = _run(
        session,
        select(Region.code, Region.name)
        .join(ProjectRegion, ProjectRegion.region_code == Region.code)
        .where(ProjectRegion.project_id == project_id)
        .order_by(Region.code),
    )
    industries = list(
        session.scalars(
            select(ProjectIndustry.industry).where(ProjectIndustry.project_id == project_id).order_by(ProjectIndustry.industry)
        )
    )
    events = _run(
        session,
        select(StatusEvent.id, StatusEvent.status, StatusEvent.event_date, *_evidence_cols())
        .join(Evidence, Evidence.id == StatusEvent.evidence_id)
        .join(Article, Article.id == StatusEvent.article_id)
        .where(StatusEvent.project_id == project_id)
        .order_by(StatusEvent.event_date, StatusEvent.id),
    )
    articles = _run(
        session,
        select(Article.id, Article.published, Article.title, Article.outlet, Article.url, ProjectMention.name.label("mention"))
        .join(ProjectMention, ProjectMention.article_id == Article.id)
        .where(ProjectMention.project_id == project_id)
        .order_by(Article.published.desc().nulls_last(), Article.id),
    )
    jobs = _run(
        session,
        select(Jobs.id, Jobs.count.label("jobs"), *_evidence_cols())
        .join(Evidence, Evidence.id == Jobs.evidence_id)
        .join(Article, Article.id == Jobs.article_id)
        .where(Jobs.project_id == project_id)
        .order_by(Jobs.count.desc(), Jobs.id),
    )
    sido = session.get(Region, p.sido_code) if p.sido_code else None
    project = {
        "id": p.id,
        "key": p.key,
        "name": p.name,
        "sido_code": p.sido_code,
        "sido": sido.name if sido else None,
        "status": p.status,
        "first_published": p.first_published,
        "last_published": p.last_published,
        "n_articles": p.n_articles,
    }
    return ProjectDetail(project, amounts, periods, regions, industries, events, articles, jobs,
                         figure_history(session, project_id), figure_conflicts(session, Filters(), project_id))


CORRECTION_COLUMNS = ["id", "kind", "target", "value", "who", "why", "created_at", "undone_at"]


def corrections(session: Session) -> pd.DataFrame:
    """Every analyst's correction, newest first (target and value as stored, JSON)."""
    return _run(session, select(Correction.id, Correction.kind, Correction.target, Correction.value, Correction.who,
                                Correction.why, Correction.created_at, Correction.undone_at).order_by(Correction.id.desc()))


def project_mentions(session: Session, project_id: int) -> pd.DataFrame:
    """Each article's mention of the project (name as written, article content hash), newest first:
    what a split can take off into a project of its own."""
    return _run(session, select(ProjectMention.name, Article.content_hash, Article.published, Article.outlet, Article.title)
                .join(Article, Article.id == ProjectMention.article_id).where(ProjectMention.project_id == project_id)
                .order_by(Article.published.desc().nulls_last(), Article.id))


def project_by_key(session: Session, key: str) -> int | None:
    """The project a key names now (its own key, or one merged into it): where a page follows a
    project an analyst's merge or split derived again under a new id."""
    found = session.scalar(select(Project.id).where(Project.key == key))
    if found is None:
        found = session.scalar(select(ProjectMerge.project_id).where(ProjectMerge.key == key).order_by(ProjectMerge.id).limit(1))
    return found


def project_choices(session: Session) -> pd.DataFrame:
    """id, name, key of every project, by name: what a merge can join."""
    return _run(session, select(Project.id, Project.name, Project.key).order_by(Project.name, Project.id))


# ---------------------------------------------------------------- timeline


@dataclass(frozen=True)
class Timeline:
    periods: pd.DataFrame  # project_id, name, sido, start_year (None: only the end is known), end_year, articles
    events: pd.DataFrame  # project_id, name, status, event_date
    total: int  # matching projects with a period


def timeline(session: Session, f: Filters, limit: int = 40) -> Timeline:
    """Project periods (earliest start to latest end) and dated status events.

    Shows the `limit` projects reported by the most articles in the range
    (ties: the most recently reported first); the rest are counted. A project
    whose articles give only end years has no start (`start_year` None), so the
    chart can show "?–2029" rather than a one-year bar.
    """
    matching = _only_matching(session, Period.project_id, f)
    total = session.scalar(select(func.count(distinct(Period.project_id))).where(Period.project_id.is_not(None), *matching)) or 0
    if f.date_from or f.date_to:
        periods = _timeline_in_range(session, f, matching, limit)
    else:  # every article: walk the projects by the count the writer keeps, until `limit` have a period
        has_period = exists(select(Period.id).where(Period.project_id == Project.id))
        top = (select(Project.id, Project.name, Region.name.label("sido"), Project.n_articles.label("articles"))
               .outerjoin(Region, Region.code == Project.sido_code)
               .where(has_period, *_only_matching(session, Project.id, f))
               .order_by(Project.n_articles.desc(), Project.last_published.desc().nulls_last(), Project.id).limit(limit))
        rows = session.execute(top).all()
        spans = {r[0]: (r[1], r[2]) for r in session.execute(
            select(Period.project_id, func.min(Period.start_year), func.max(Period.end_year))
            .where(Period.project_id.in_([r.id for r in rows])).group_by(Period.project_id))}
        periods = _frame([(r.id, r.name, r.sido, *spans[r.id], r.articles) for r in rows],
                         ["project_id", "name", "sido", "start_year", "end_year", "articles"])
    ids = [int(i) for i in periods["project_id"]]
    date_conds = []
    if f.date_from:
        date_conds.append(StatusEvent.event_date >= f.date_from)
    if f.date_to:
        date_conds.append(StatusEvent.event_date <= f.date_to)
    events = _run(
        session,
        select(StatusEvent.project_id, Project.name, StatusEvent.status, StatusEvent.event_date)
        .join(Project, Project.id == StatusEvent.project_id)
        .where(StatusEvent.project_id.in_(ids), StatusEvent.event_date.is_not(None), *date_conds)
        .distinct()
        .order_by(StatusEvent.event_date),
    )
    return Timeline(periods, events, total)


def _timeline_in_range(session: Session, f: Filters, matching: list, limit: int) -> pd.DataFrame:
    """The timeline's rows ranked by the articles in f's date range."""
    spans = (
        select(Period.project_id, func.min(Period.start_year).label("start_year"), func.max(Period.end_year).label("end_year"))
        .where(Period.project_id.is_not(None), *matching)
        .group_by(Period.project_id)
        .subquery("spans")
    )
    reports = (
        select(ProjectMention.project_id, func.count(distinct(ProjectMention.article_id)).label("n"))
        .join(Article, Article.id == ProjectMention.article_id)
        .where(ProjectMention.project_id.in_(select(spans.c.project_id)), *article_date_conditions(f))
        .group_by(ProjectMention.project_id)
        .subquery("reports")
    )
    n = func.coalesce(reports.c.n, 0)
    return _run(
        session,
        select(spans.c.project_id, Project.name, Region.name.label("sido"), spans.c.start_year, spans.c.end_year,
               n.label("articles"))
        .join(Project, Project.id == spans.c.project_id)
        .outerjoin(Region, Region.code == Project.sido_code)
        .outerjoin(reports, reports.c.project_id == spans.c.project_id)
        .order_by(n.desc(), Project.last_published.desc().nulls_last(), Project.id)
        .limit(limit),
    )


# ---------------------------------------------------------------- articles


def article_list(session: Session, f: Filters, limit: int = 200, offset: int = 0) -> tuple[pd.DataFrame, int]:
    """(rows, total): matching articles, newest first."""
    cols = (Article.id, Article.published, Article.title, Article.outlet, Article.reporter, Article.url)
    page = _facet_page(session, f, limit, offset)
    if page is None:
        probe = f.only_search and probing_pays(session, f.words, limit + offset)  # most articles match: ask per article
        stmt = (select(*cols).where(*article_conditions(f, session, by_date=True, probe=probe))
                .order_by(_newest(session, Article.published), Article.id.desc()).limit(limit).offset(offset))
        rows = _run(session, stmt)
    else:  # the page's ids from the facet index, in its order; then only those articles are read
        found = _run(session, select(*cols).where(Article.id.in_(page)))
        rows = found.set_index("id").loc[page].reset_index() if page else found
    total = article_total(session, f)
    outlets = _outlets(session, [int(i) for i in rows["id"]])
    rows["outlet"] = [", ".join(outlets.get(int(i), [])) or o for i, o in zip(rows["id"], rows["outlet"])]
    return rows, total


def _facet_page(session: Session, f: Filters, limit: int, offset: int) -> list[int] | None:
    """Ids of one page of the articles matching `f`, newest first, read in the facet index
    (db.filters.facet_articles); None when it cannot answer (a 시군구 or a search)."""
    facets = facet_articles(f)
    if facets is None or f.words:
        return None
    fa = ArticleFacet
    if len(f.sidos) <= 1 and len(f.industries) <= 1:  # one facet row per article: the index's own order
        published = fa.published
    else:
        published = func.max(fa.published)
        facets = facets.add_columns(published.label("published")).group_by(fa.article_id)
    return [int(i) for i in session.scalars(facets.order_by(_newest(session, published), fa.article_id.desc())
                                            .limit(limit).offset(offset))]


def _newest(session: Session, column):
    """Descending, undated last. SQLite sorts NULL last in a descending order already, and
    spelling it out would keep it from walking an index in that order."""
    return column.desc() if session.get_bind().dialect.name == "sqlite" else column.desc().nulls_last()


def _outlets(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """Every outlet an article was stored from, the article's own first: the same
    text from two outlets is one article with both names."""
    if not ids:
        return {}
    rows = session.execute(
        select(Article.id, Article.outlet, ArticleSource.outlet)
        .outerjoin(ArticleSource, ArticleSource.article_id == Article.id)
        .where(Article.id.in_(ids))
        .order_by(Article.id, ArticleSource.id)
    ).all()
    out: dict[int, list[str]] = {}
    for article_id, own, source in rows:
        names = out.setdefault(article_id, [])
        for name in (own, source):
            if name and name not in names:
                names.append(name)
    return out


@dataclass(frozen=True)
class ArticleDetail:
    article: dict
    facts: pd.DataFrame  # span_start, span_end, kind, text, detail (an amount's role label)
    projects: pd.DataFrame  # id, name
    regions: list[str]
    industries: list[str]
    outlets: list[str] = field(default_factory=list)  # every outlet it was stored from
    # krw, label, reason, text, cue, sentence, span_start, span_end: won figures that are not project money
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)


def article_detail(session: Session, article_id: int) -> ArticleDetail | None:
    """One article with the spans of every fact extracted from it."""
    a = session.get(Article, article_id)
    if a is None:
        return None
    ev = (Evidence.span_start, Evidence.span_end)
    parts = [
        select(*ev, literal("금액").label("kind"), Amount.text.label("label"), Amount.role.label("detail"))
        .join(Amount, Amount.evidence_id == Evidence.id)
        .where(Amount.article_id == article_id),
        select(*ev, literal("기간"), Period.text, literal(""))
        .join(Period, Period.evidence_id == Evidence.id)
        .where(Period.article_id == article_id),
        select(*ev, literal("상태"), StatusEvent.status, literal(""))
        .join(StatusEvent, StatusEvent.evidence_id == Evidence.id)
        .where(StatusEvent.article_id == article_id),
        select(*ev, literal("일자리"), func.cast(Jobs.count, String), literal(""))
        .join(Jobs, Jobs.evidence_id == Evidence.id)
        .where(Jobs.article_id == article_id),
        select(*ev, literal("사업"), ProjectMention.name, literal(""))
        .join(ProjectMention, ProjectMention.evidence_id == Evidence.id)
        .where(ProjectMention.article_id == article_id),
        select(*ev, literal("지역"), ArticleRegion.region_code, literal(""))
        .join(ArticleRegion, ArticleRegion.evidence_id == Evidence.id)
        .where(ArticleRegion.article_id == article_id),
        select(*ev, literal("산업"), ArticleIndustry.industry, literal(""))
        .join(ArticleIndustry, ArticleIndustry.evidence_id == Evidence.id)
        .where(ArticleIndustry.article_id == article_id),
    ]
    u = union_all(*parts).subquery("facts")
    facts = _run(session, select(u).order_by(u.c.span_start, u.c.span_end, u.c.kind, u.c.label))  # ties: same order everywhere
    facts.columns = ["span_start", "span_end", "kind", "text", "detail"]
    labels = vocabulary().role_labels
    facts["detail"] = [labels.get(d, d) for d in facts["detail"]]  # an amount's role as the reader names it
    projects = _run(
        session,
        select(Project.id, Project.name)
        .join(ProjectMention, ProjectMention.project_id == Project.id)
        .where(ProjectMention.article_id == article_id)
        .order_by(Project.id),
    )
    regions = list(
        session.scalars(
            select(Region.name)
            .join(ArticleRegion, ArticleRegion.region_code == Region.code)
            .where(ArticleRegion.article_id == article_id)
            .order_by(ArticleRegion.score.desc(), Region.code)
        )
    )
    industries = list(
        session.scalars(
            select(ArticleIndustry.industry)
            .where(ArticleIndustry.article_id == article_id)
            .order_by(ArticleIndustry.score.desc(), ArticleIndustry.industry)
        )
    )
    article = {
        "id": a.id,
        "title": a.title,
        "published": a.published,
        "outlet": a.outlet,
        "reporter": a.reporter,
        "url": a.url,
        "text": a.text,
        "raw_text": a.raw_text,
        "body_start": a.body_start,
    }
    return ArticleDetail(article, facts, projects, regions, industries, _outlets(session, [a.id]).get(a.id, []),
                         excluded_amounts(session, article_id))


def excluded_amounts(session: Session, article_id: int) -> pd.DataFrame:
    """krw, label, reason, text, cue, sentence, span_start, span_end: the article's won
    figures that are not project money (a market outlook, 매출 …), in text order."""
    return _run(
        session,
        select(ExcludedAmount.krw, ExcludedAmount.label, ExcludedAmount.reason, ExcludedAmount.text, ExcludedAmount.cue,
               Evidence.sentence, Evidence.span_start, Evidence.span_end)
        .join(Evidence, Evidence.id == ExcludedAmount.evidence_id)
        .where(ExcludedAmount.article_id == article_id)
        .order_by(Evidence.span_start, ExcludedAmount.id),
    )

