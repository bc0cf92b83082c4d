"""The dashboard's filter set and the SQL conditions it implies.

One frozen `Filters` value travels from the URL through the cache (it is
hashable, so `st.cache_data` can key on it) into every query in `db.queries`.
Keeping the meaning of each filter here, once, is what makes filters behave
the same on every page:

* dates select articles by `published`; a project or a won figure matches
  when an article in the range reports it.
* regions are 2-digit 시도 codes (everything in that 시도) or 5-digit 시군구
  codes (that 시군구 and its 일반구).
* industries select projects (and their amounts) through `project_industry`,
  articles through `article_industry`.
* roles select figures only.
* `sure_only` leaves doubtful figures out (db.doubt): those the extractor
  marked and those that alone make up most of their role's total.
* the search text selects articles through the bigram index, and projects by
  name or through the matching articles that mention them; figures follow
  their project.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session
from sqlalchemy import ColumnElement, Select, and_, exists, false, not_, or_, select

from db.doubt import dominant_keys
from db.search import Found, article_match, id_in, search_terms, searched_projects
from db.models import (
    Amount,
    Article,
    ArticleFacet,
    ArticleIndustry,
    ArticleRegion,
    Figure,
    Project,
    ProjectIndustry,
    ProjectMention,
    ProjectRegion,
    Region,
)

@dataclass(frozen=True, slots=True)
class Filters:
    """What the reader asked to see; empty fields mean 'no restriction'."""

    date_from: date | None = None
    date_to: date | None = None
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    q: str = ""
    sure_only: bool = False  # leave doubtful figures out (db.doubt)

    @property
    def sidos(self) -> tuple[str, ...]:
        return tuple(c for c in self.regions if len(c) == 2)

    @property
    def sigungus(self) -> tuple[str, ...]:
        return tuple(c for c in self.regions if len(c) != 2)

    @property
    def words(self) -> tuple[str, ...]:
        """The search words, bounded (`db.search.search_terms`)."""
        return search_terms(self.q)[0]

    @property
    def query_cut(self) -> bool:
        """Whether the search text had more words (or longer ones) than a search uses."""
        return search_terms(self.q)[1]

    def is_empty(self) -> bool:
        return self == Filters()

    @property
    def only_search(self) -> bool:
        """Whether the search text is all that chooses articles and projects (roles and
        the sure-only switch choose figures only)."""
        return bool(self.words) and not (self.date_from or self.date_to or self.regions or self.industries)


def _date_range(column, f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.date_from is not None:
        conds.append(column >= f.date_from)
    if f.date_to is not None:
        conds.append(column <= f.date_to)
    return conds


def region_codes_subquery(f: Filters):
    """Codes of the chosen 시군구 and their 일반구, so a 시 matches facts filed under its 구."""
    return select(Region.code).where(
        or_(Region.code.in_(f.sigungus), Region.parent_code.in_(f.sigungus))
    )


def _region_match(code_col, sido_col, f: Filters) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if f.sidos:
        parts.append(sido_col.in_(f.sidos))
    if f.sigungus:
        parts.append(code_col.in_(region_codes_subquery(f)))
    return or_(*parts)


def _like_all(column, words: tuple[str, ...]) -> list[ColumnElement[bool]]:
    return [column.contains(w, autoescape=True) for w in words]


def project_conditions(f: Filters, session: Session | None = None) -> list[ColumnElement[bool]]:
    """Conditions on `Project` for every filter except roles.

    The search text matches a project by its name or by an article that
    mentions it (`db.search.mentioned_projects`; needs the session, like
    `article_conditions`; without one, by name only)."""
    conds: list[ColumnElement[bool]] = []
    if f.date_from or f.date_to:
        any_article = exists(
            select(ProjectMention.id)
            .join(Article, Article.id == ProjectMention.article_id)
            .where(ProjectMention.project_id == Project.id, *_date_range(Article.published, f))
        )
        conds.append(_reported_between(Project.first_published, Project.last_published, f, any_article))
    if f.regions:
        conds.append(
            or_(
                Project.sido_code.in_(f.sidos) if f.sidos else false(),
                Project.id.in_(
                    select(ProjectRegion.project_id)
                    .join(Region, Region.code == ProjectRegion.region_code)
                    .where(_region_match(Region.code, Region.sido_code, f))
                ),
            )
        )
    if f.industries:
        conds.append(
            Project.id.in_(select(ProjectIndustry.project_id).where(ProjectIndustry.industry.in_(f.industries)))
        )
    if f.words:
        conds.append(searched_condition(f, session))
    return conds


def searched_condition(f: Filters, session: Session | None, column=Project.id) -> ColumnElement[bool]:
    """`column` is the id of a project the search finds: by name, or (with a session)
    also through a matching article that mentions it. With a session the projects are
    worked out once (`db.search.searched_projects`) and bound as one value
    (`db.search.id_in`): those found, or, when it finds most, those it does not."""
    if session is None:
        return column.in_(select(Project.id).where(_named(f)))
    found = searched(f, session)
    if found.left_out is None:
        return id_in(session, column, found.ids)
    return and_(column.is_not(None), not_(id_in(session, column, found.left_out)))


def searched(f: Filters, session: Session) -> Found:
    """The projects `f`'s search finds (f must have search words)."""
    return searched_projects(session, f.words, _named(f))


def _named(f: Filters) -> ColumnElement[bool]:
    return and_(*_like_all(Project.name, f.words))


def figure_conditions(f: Filters, session: Session | None = None) -> list[ColumnElement[bool]]:
    """Conditions on `Figure` (one row per distinct figure); a figure's region is
    its own, its industry its project's, its dates those of the articles that
    report it: it matches a date range when one of them is in it."""
    conds: list[ColumnElement[bool]] = []
    if f.date_from or f.date_to:
        conds.append(_reported_in_range(f))
    if f.regions:
        conds.append(_region_match(Figure.region_code, Figure.sido_code, f))
    if f.industries:
        conds.append(
            Figure.project_id.in_(select(ProjectIndustry.project_id).where(ProjectIndustry.industry.in_(f.industries)))
        )
    if f.roles:
        conds.append(Figure.role.in_(f.roles))
    if f.words:
        conds.append(searched_condition(f, session, Figure.project_id))
    if f.sure_only:
        conds.extend(sure_conditions(conds))
    return conds


def sure_conditions(conds: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """Leave out the doubtful figures among those matching `conds`: marked ones, and
    those that dominate their role's total among them (db.doubt)."""
    return [Figure.doubt.is_(None), Figure.dedup_key.not_in(dominant_keys(list(conds)))]


def _reported_in_range(f: Filters) -> ColumnElement[bool]:
    """Whether an article reporting the figure falls in the range (`_reported_between`)."""
    any_article = exists(
        select(Amount.id)
        .join(Article, Article.id == Amount.article_id)
        .where(Amount.dedup_key == Figure.dedup_key, *_date_range(Article.published, f))
    )
    return _reported_between(Figure.first_published, Figure.last_published, f, any_article)


def _reported_between(first, last, f: Filters, any_article: ColumnElement[bool]) -> ColumnElement[bool]:
    """Whether one of the articles dated from `first` to `last` (the earliest and latest
    that report a thing) falls in f's date range. The first or the last date settles it
    when it lies in the range; only when both lie outside, on either side of a two-sided
    range, do the articles in between have to be looked up (`any_article`)."""
    def within(column) -> ColumnElement[bool]:
        return and_(column.is_not(None), *_date_range(column, f))

    if not (f.date_from and f.date_to):  # one bound: the date nearest it is in the range or none is
        return within(last if f.date_from else first)
    straddles = and_(first < f.date_from, last > f.date_to, any_article)
    return or_(within(first), within(last), straddles)


def article_date_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """Conditions on `Article.published` for the date range only."""
    return _date_range(Article.published, f)


def article_conditions(f: Filters, session: Session | None = None, by_date: bool = False,
                       probe: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on `Article`; the search text goes through `db.search` (needs the session
    to know whether the bigram index exists) and is skipped when no session is given.

    `by_date`: for a list in date order. The ids are then compared as `id + 0`, which
    SQLite cannot look up by key, so it walks the date index newest first and stops at
    the page, rather than fetch every matching article to sort them. `probe`: the
    search asks the index about each article so walked (db.search.article_match)."""
    article_id = Article.id + 0 if by_date else Article.id
    facets = facet_articles(f)
    conds = _article_conditions_by_fact(f, article_id) if facets is None else [article_id.in_(facets)]
    if session is not None and f.words:
        conds.append(article_match(session, f.words, article_id, probe))
    return conds


def facet_articles(f: Filters) -> Select | None:
    """Ids of the articles matching `f`'s 시도, industries and dates, from one range of the
    facet index (db.models.ArticleFacet); None when `f` chooses a 시군구 (facets know 시도
    only) or none of them. An article appears once when `f` has at most one 시도 and one
    industry, else once per matching combination."""
    if f.sigungus or not (f.sidos or f.industries or f.date_from or f.date_to):
        return None
    return select(ArticleFacet.article_id).where(
        ArticleFacet.sido_code.in_(f.sidos or ("",)), ArticleFacet.industry.in_(f.industries or ("",)),
        *_date_range(ArticleFacet.published, f))


def _article_conditions_by_fact(f: Filters, article_id: ColumnElement) -> list[ColumnElement[bool]]:
    """Dates, regions and industries as conditions on the article and its facts."""
    conds: list[ColumnElement[bool]] = list(_date_range(Article.published, f))
    if f.regions:
        conds.append(
            article_id.in_(
                select(ArticleRegion.article_id)
                .join(Region, Region.code == ArticleRegion.region_code)
                .where(_region_match(Region.code, Region.sido_code, f))
            )
        )
    if f.industries:
        conds.append(
            article_id.in_(select(ArticleIndustry.article_id).where(ArticleIndustry.industry.in_(f.industries)))
        )
    return conds

