"""Aggregates the charts read, kept in step with `figure` as the writer changes it.

A chart of 사업 규모 per 시도, of 국비 per year or of won per industry is a sum
over figures. Summing every figure on every visit costs time in proportion
to the corpus (hundreds of milliseconds at 100,000 articles), so the sums
are kept:

* `rollup_region`: per 시도 × region × year × role;
* `rollup_industry`: per industry × 시도 × year × role (a project's figures
  count under each of its industries, as every industry chart counts them);
* `project_money`: per project, its 사업 규모 and 투자 유치, and the places and
  industries it is counted under in `rollup_projects` (how many projects lie
  in each 시도 and 시군구, per industry);
* `article_facet`: each article under every combination of its 시도 and
  industries ('' for any), with its date (written by etl.writer.facet_rows;
  `refill_facets` derives the same rows from the stored regions and industries).

Each rollup row holds the won of its figures (`krw`), the part of it in
사업 규모 (`scale`: figures with `in_scale`, decided once per project by
db.figures, so sums over any grouping add each project's money once), the
number of figures and the doubtful won the extractor marked (db.doubt).

The invariant: a rollup table equals the sum of the contributions of the
rows of `figure`. `figure` changes only through db.figures, which hands this
module the rows it removes and the rows it adds (`replace`); a row carries
what it contributed (its industries as written: `Figure.industries`), so
taking it back needs nothing that may have changed since. `from_scratch`
computes the tables from `figure` alone: the tests compare the two after
loads, rebuilds and corrections on both backends.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from sqlalchemy import Connection, Table, bindparam, case, delete, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from db.models import (
    Article,
    ArticleFacet,
    ArticleIndustry,
    ArticleRegion,
    Figure,
    Project,
    ProjectIndustry,
    ProjectMoney,
    ProjectRegion,
    Region,
    RollupIndustry,
    RollupProjects,
    RollupRegion,
)
from vocab import vocabulary

MEASURES = ("krw", "scale", "figures", "doubt", "doubt_figures")
REGION_KEY = ("sido_code", "region_code", "year", "role")
INDUSTRY_KEY = ("industry", "sido_code", "year", "role")
INDUSTRY_SEPARATOR = "|"
NO_REGION, NO_YEAR = "", 0  # stored for an unknown 시도, region or year: key columns cannot be NULL

Sums = dict[tuple, list[int]]


def industries_text(industries: Iterable[str]) -> str:
    """A project's industries as a figure row stores them."""
    return INDUSTRY_SEPARATOR.join(sorted(set(industries)))


def _measures(row: Mapping) -> tuple[int, ...]:
    krw, doubtful = int(row["krw"]), row["doubt"] is not None
    return (krw, krw if row["in_scale"] else 0, 1, krw if doubtful else 0, 1 if doubtful else 0)


def _region_key(row: Mapping) -> tuple:
    return (row["sido_code"] or NO_REGION, row["region_code"] or NO_REGION, row["year"] or NO_YEAR, row["role"])


def _industry_keys(row: Mapping) -> list[tuple]:
    return [(industry, row["sido_code"] or NO_REGION, row["year"] or NO_YEAR, row["role"])
            for industry in (row["industries"] or "").split(INDUSTRY_SEPARATOR) if industry]


def contributions(rows: Iterable[Mapping], sign: int = 1) -> tuple[Sums, Sums]:
    """(per region key, per industry key) sums of these figure rows, times `sign`."""
    region: Sums = {}
    industry: Sums = {}
    for row in rows:
        values = _measures(row)
        for sums, keys in ((region, [_region_key(row)]), (industry, _industry_keys(row))):
            for key in keys:
                total = sums.setdefault(key, [0] * len(MEASURES))
                for i, v in enumerate(values):
                    total[i] += sign * v
    return region, industry


def _merge(a: Sums, b: Sums) -> Sums:
    out = {k: list(v) for k, v in a.items()}
    for key, values in b.items():
        total = out.setdefault(key, [0] * len(values))
        for i, v in enumerate(values):
            total[i] += v
    return {k: v for k, v in out.items() if any(v)}


def replace(conn: Connection, removed: Iterable[Mapping], added: Iterable[Mapping]) -> None:
    """Take the contributions of `removed` figure rows back and add those of `added`."""
    old_region, old_industry = contributions(removed, -1)
    new_region, new_industry = contributions(added)
    _apply(conn, RollupRegion.__table__, REGION_KEY, _merge(old_region, new_region))
    _apply(conn, RollupIndustry.__table__, INDUSTRY_KEY, _merge(old_industry, new_industry))


@lru_cache(maxsize=16)
def _upsert(dialect_name: str, table: Table, measures: tuple[str, ...]):
    """INSERT … ON CONFLICT DO UPDATE adding `measures` (built once: the writer runs it per article)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[c for c in table.primary_key.columns],
        set_={m: table.c[m] + stmt.excluded[m] for m in measures},
    )


@lru_cache(maxsize=16)
def _delete_emptied(table: Table, key: tuple[str, ...], count: str):
    """DELETE the row of one key once its `count` is down to 0."""
    return delete(table).where(*(table.c[c] == bindparam(f"k_{c}") for c in key), table.c[count] <= 0)


def _apply(conn: Connection, table: Table, key: Sequence[str], deltas: Sums, measures: tuple[str, ...] = MEASURES,
           count: str = "figures") -> None:
    """Add `deltas` to the rows of `table` (creating them), then drop rows left with nothing counted."""
    if not deltas:
        return
    rows = [dict(zip((*key, *measures), (*k, *v))) for k, v in sorted(deltas.items())]
    conn.execute(_upsert(conn.dialect.name, table, measures), rows)
    at = measures.index(count)
    emptied = [dict(zip((f"k_{c}" for c in key), k)) for k, v in deltas.items() if v[at] < 0]
    if emptied:
        conn.execute(_delete_emptied(table, tuple(key), count), emptied)


def update_project_money(conn: Connection, project_ids: Sequence[int], figures: Sequence[Mapping] | None = None,
                         industries: Mapping[int, str] | None = None) -> None:
    """Recompute `project_money` of these projects from their figures, places and
    industries, and move their counts in `rollup_projects` accordingly (`figures`: their
    figure rows and `industries` as figure rows store them, when the caller has them)."""
    if not project_ids:
        return
    ids = sorted(set(project_ids))
    t = ProjectMoney
    old = {r.project_id: dict(r._mapping) for r in conn.execute(
        select(t.project_id, t.scale, t.investment, t.places, t.industries).where(t.project_id.in_(ids)))}
    new = {r["project_id"]: r for r in project_money_rows(conn, ids, figures, industries)}
    changed = [pid for pid in ids if old.get(pid) != new.get(pid)]  # most articles change nothing here
    if not changed:
        return
    conn.execute(delete(t).where(t.project_id.in_(changed)))
    rows = [new[pid] for pid in changed if pid in new]
    if rows:
        conn.execute(insert(t), rows)
    gone = [(old[p]["places"], old[p]["industries"]) for p in changed if p in old]
    _apply_counts(conn, _merge(_tally(gone, -1), _tally([(r["places"], r["industries"]) for r in rows])))


def forget_projects(conn: Connection, project_ids: Sequence[int]) -> None:
    """Take these projects out of `project_money` and `rollup_projects` before they are
    deleted (derived again from their articles): their figures must be gone already."""
    if not project_ids:
        return
    ids = sorted(set(project_ids))
    old = conn.execute(select(ProjectMoney.places, ProjectMoney.industries).where(ProjectMoney.project_id.in_(ids))).all()
    conn.execute(delete(ProjectMoney).where(ProjectMoney.project_id.in_(ids)))
    _apply_counts(conn, _tally(old, -1))


def project_money_rows(conn: Connection, project_ids: Sequence[int] | None = None, figures: Sequence[Mapping] | None = None,
                       industries: Mapping[int, str] | None = None) -> list[dict]:
    """`project_money` rows of these projects (None: of every project), one per project."""
    def where(column):
        return [column.in_(project_ids)] if project_ids is not None else []

    if figures is None:
        money = {r.project_id: (int(r.scale or 0), int(r.investment or 0))
                 for r in conn.execute(_project_money_select().where(*where(Figure.project_id)))}
    else:
        money = _money_of(figures)
    if industries is None:
        found: dict[int, set[str]] = {}
        stmt = select(ProjectIndustry.project_id, ProjectIndustry.industry).where(*where(ProjectIndustry.project_id))
        for project_id, industry in conn.execute(stmt):
            found.setdefault(project_id, set()).add(industry)
        industries = {pid: industries_text(names) for pid, names in found.items()}
    places: dict[int, set[str]] = {}
    rolled = case((Region.level == "gu", Region.parent_code), (Region.level == "sido", literal("")), else_=Region.code)
    stmt = (select(ProjectRegion.project_id, Region.sido_code, rolled)
            .join(Region, Region.code == ProjectRegion.region_code).where(*where(ProjectRegion.project_id)))
    for project_id, sido, code in conn.execute(stmt):
        places.setdefault(project_id, set()).update((sido, *((code,) if code else ())))
    known = set(conn.scalars(select(Project.id).where(*where(Project.id))))
    return [{"project_id": pid, "scale": money.get(pid, (0, 0))[0], "investment": money.get(pid, (0, 0))[1],
             "places": INDUSTRY_SEPARATOR.join(sorted(places.get(pid, ()))), "industries": industries.get(pid, "")}
            for pid in sorted(known)]


def _money_of(figures: Iterable[Mapping]) -> dict[int, tuple[int, int]]:
    """Per project: (사업 규모, 투자 유치) of these figure rows."""
    separate = set(vocabulary().roles_counted_as("separate"))
    money: dict[int, list[int]] = {}
    for row in figures:
        if row["project_id"] is not None:
            sums = money.setdefault(row["project_id"], [0, 0])
            sums[0] += row["krw"] if row["in_scale"] else 0
            sums[1] += row["krw"] if row["role"] in separate else 0
    return {pid: (s, i) for pid, (s, i) in money.items()}


def _project_money_select():
    separate = vocabulary().roles_counted_as("separate")
    return (
        select(Figure.project_id.label("project_id"),
               func.sum(case((Figure.in_scale.is_(True), Figure.krw), else_=0)).label("scale"),
               func.sum(case((Figure.role.in_(separate), Figure.krw), else_=0)).label("investment"))
        .where(Figure.project_id.is_not(None))
        .group_by(Figure.project_id)
    )


COUNT_KEY = ("sido_code", "region_code", "industry")


def _tally(rows: Iterable[tuple[str, str]], sign: int = 1) -> Sums:
    """`rollup_projects` counts of projects with these (places, industries): each project once
    anywhere ('', ''), per 시도 and per 시군구 it lies in, under each of its industries and
    under '' (any)."""
    sums: Sums = {}
    for places, industries in rows:
        codes = [c for c in (places or "").split(INDUSTRY_SEPARATOR) if c]
        cells = {(NO_REGION, NO_REGION), *((c, NO_REGION) if len(c) == 2 else (c[:2], c) for c in codes)}
        labels = ["", *(i for i in (industries or "").split(INDUSTRY_SEPARATOR) if i)]
        for sido, code in cells:
            for label in labels:
                sums.setdefault((sido, code, label), [0])[0] += sign
    return sums


def _apply_counts(conn: Connection, deltas: Sums) -> None:
    _apply(conn, RollupProjects.__table__, COUNT_KEY, deltas, ("n",), "n")


def stored_counts(conn: Connection) -> dict[tuple, int]:
    t = RollupProjects
    return {(r.sido_code, r.region_code, r.industry): r.n for r in conn.execute(select(t.sido_code, t.region_code, t.industry, t.n))}


FIGURE_FIELDS = ("krw", "role", "in_scale", "doubt", "sido_code", "region_code", "year", "industries")


def figure_rows(conn: Connection, *where) -> list[dict]:
    """The figure rows matching `where`, with the fields their contributions need."""
    cols = [Figure.__table__.c[c] for c in FIGURE_FIELDS]
    return [dict(r._mapping) for r in conn.execute(select(*cols).where(*where))]


def from_scratch(conn: Connection) -> tuple[Sums, Sums]:
    """Both rollups computed from every figure row (what the stored tables must equal)."""
    region, industry = contributions(figure_rows(conn))
    return ({k: v for k, v in region.items() if any(v)}, {k: v for k, v in industry.items() if any(v)})


def stored(conn: Connection) -> tuple[Sums, Sums]:
    """Both rollup tables as they are stored."""
    def read(model, key):
        t = model.__table__
        return {tuple(r[:len(key)]): [int(x) for x in r[len(key):]]
                for r in conn.execute(select(*(t.c[c] for c in (*key, *MEASURES))))}

    return read(RollupRegion, REGION_KEY), read(RollupIndustry, INDUSTRY_KEY)


def refill(conn: Connection) -> None:
    """Replace every rollup with one computed from `figure` (after a bulk change of it)."""
    for model in (RollupRegion, RollupIndustry, ProjectMoney):
        conn.execute(delete(model))
    region, industry = from_scratch(conn)
    for table, key, sums in ((RollupRegion.__table__, REGION_KEY, region), (RollupIndustry.__table__, INDUSTRY_KEY, industry)):
        rows = [dict(zip((*key, *MEASURES), (*k, *v))) for k, v in sorted(sums.items())]
        for start in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[start:start + 5000])
    conn.execute(delete(RollupProjects))
    money = project_money_rows(conn)
    for start in range(0, len(money), 5000):
        conn.execute(insert(ProjectMoney), money[start:start + 5000])
    _apply_counts(conn, _tally([(r["places"], r["industries"]) for r in money]))


def refill_facets(conn: Connection) -> None:
    """Replace `article_facet` with the rows of every article's stored regions and industries."""
    conn.execute(delete(ArticleFacet))
    any_ = literal("")
    sidos = (select(ArticleRegion.article_id.label("article_id"), Region.sido_code.label("sido_code"))
             .join(Region, Region.code == ArticleRegion.region_code).distinct().subquery("sidos"))
    industries = select(ArticleIndustry.article_id.label("article_id"), ArticleIndustry.industry.label("industry")).subquery("ind")
    combinations = (
        select(Article.id, any_, any_, Article.published),
        select(sidos.c.article_id, sidos.c.sido_code, any_, Article.published).join(Article, Article.id == sidos.c.article_id),
        select(industries.c.article_id, any_, industries.c.industry, Article.published)
        .join(Article, Article.id == industries.c.article_id),
        select(sidos.c.article_id, sidos.c.sido_code, industries.c.industry, Article.published)
        .join(industries, industries.c.article_id == sidos.c.article_id).join(Article, Article.id == sidos.c.article_id),
    )
    columns = ["article_id", "sido_code", "industry", "published"]
    for rows in combinations:
        conn.execute(insert(ArticleFacet).from_select(columns, rows))
