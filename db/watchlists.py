"""Watchlists (관심 목록): saved dashboard views and what changed in them.

A watchlist is a dashboard address saved under a name: its page and its
query string, whose shared filters (from, to, region, industry, role, q)
say which projects and figures the user follows. What changed is read from
the data, as `db.queries.last_load_changes` does, for the articles after a
*mark* (an article id; ids grow with every insert):

* since the last load: the mark is just before the first article of the
  newest finished run that added articles;
* since the user last looked: the mark is `watchlist.seen_article_id`.

Changes are new projects (first reported after the mark), new or changed
figures of older projects (a figure first reported after the mark, with the
figure of the same role before it) and status changes of older projects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import Engine, delete, exists, func, insert, inspect, select, update
from sqlalchemy.orm import Session, aliased

from db.filters import (
    Filters,
    figure_conditions,
    project_conditions,
)
from vocab import vocabulary
from db.models import (
    Amount,
    Article,
    EtlRun,
    Figure,
    Project,
    ProjectMention,
    Region,
    StatusEvent,
    Watchlist,
)

MAX_NAME = 100
_SLUG_DROP = re.compile(r"[^0-9a-z가-힣]+")


class WatchlistError(ValueError):
    """A watchlist cannot be saved or found; the message says why."""


@dataclass(frozen=True, slots=True)
class View:
    """A dashboard view: its page (url path, "" for 개요), filters and canonical query string."""

    page: str
    filters: Filters
    query: str
    ignored: tuple[str, ...] = ()  # values of the address that name nothing


@dataclass(frozen=True, slots=True)
class Saved:
    id: int
    name: str
    slug: str
    page: str
    query: str
    seen_article_id: int
    seen_at: datetime | None
    view: View


@dataclass(frozen=True, slots=True)
class NewProject:
    project_id: int
    name: str
    sido: str | None
    status: str | None
    first_published: date | None
    key: str = ""  # Project.key: the project's identity, which a rebuild keeps (ids it does not)


@dataclass(frozen=True, slots=True)
class FigureChange:
    dedup_key: str
    project_id: int
    name: str
    role: str
    label: str
    krw: int
    previous: int | None  # the figure of the same role before the mark; None: the role is new
    published: date | None
    key: str = ""  # Project.key of the project


@dataclass(frozen=True, slots=True)
class StatusChange:
    project_id: int
    name: str
    before: str
    after: str
    published: date | None


@dataclass(frozen=True, slots=True)
class Changes:
    mark: int  # facts of articles with a larger id are new
    projects: tuple[NewProject, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    statuses: tuple[StatusChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.projects or self.figures or self.statuses)


# ---------------------------------------------------------------- views

def parse_view(address: str, region_codes: set[str] | frozenset[str]) -> View:
    """The page and shared filters of a dashboard address (full URL, path?query or ?query).

    Region values are codes, as the dashboard writes them; values that name
    nothing are left out and listed in `ignored`, as the dashboard does.
    """
    parts = urlsplit(address.strip())
    page = parts.path.rstrip("/").rsplit("/", 1)[-1] if parts.path.strip("/") else ""
    if page in ("app", "static") or "." in page:
        page = ""
    raw = parse_qs(parts.query, keep_blank_values=False)
    ignored: list[str] = []

    def pick(name: str, allowed) -> list[str]:
        good = []
        for value in raw.get(name, []):
            value = value.strip()
            if value in allowed:
                if value not in good:
                    good.append(value)
            elif value:
                ignored.append(f"{name}={value}")
        return good

    dates = {}
    for name in ("from", "to"):
        values = raw.get(name, [])
        try:
            dates[name] = date.fromisoformat(values[-1].strip()) if values else None
        except ValueError:
            dates[name] = None
            ignored.append(f"{name}={values[-1]}")
    start, end = dates["from"], dates["to"]
    if start and end and start > end:
        start, end = end, start
    q = " ".join((raw.get("q") or [""])[-1].split())[:100]
    filters = Filters(date_from=start, date_to=end, regions=tuple(pick("region", region_codes)),
                      industries=tuple(pick("industry", vocabulary().industry_labels)),
                      roles=tuple(pick("role", vocabulary().role_codes)), q=q)
    return View(page=page, filters=filters, query=filters_query(filters), ignored=tuple(ignored))


def filters_query(f: Filters) -> str:
    """The canonical query string of the shared filters (the dashboard's own order)."""
    pairs: list[tuple[str, str]] = []
    if f.date_from:
        pairs.append(("from", f.date_from.isoformat()))
    if f.date_to:
        pairs.append(("to", f.date_to.isoformat()))
    pairs += [("region", c) for c in f.regions] + [("industry", i) for i in f.industries] + [("role", r) for r in f.roles]
    if f.q:
        pairs.append(("q", f.q))
    return urlencode(pairs)


def slug_of(name: str) -> str:
    """A file-name-safe id of a watchlist name (Hangul kept; feeds are served by this name)."""
    return _SLUG_DROP.sub("-", name.strip().lower()).strip("-")[:80] or "watchlist"


def region_codes(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(Region.code)))


# ---------------------------------------------------------------- saved watchlists

def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def save(engine: Engine, name: str, address: str) -> Saved:
    """Save (or replace the view of) the watchlist `name`; the user has seen everything so far."""
    name = " ".join(name.split())
    if not name:
        raise WatchlistError("a watchlist needs a name")
    if len(name) > MAX_NAME:
        raise WatchlistError(f"the name is longer than {MAX_NAME} characters")
    with Session(engine) as session, session.begin():
        view = parse_view(address, region_codes(session))
        slug = slug_of(name)
        clash = session.scalar(select(Watchlist.name).where(Watchlist.slug == slug, Watchlist.name != name))
        if clash is not None:
            raise WatchlistError(f"the name {name!r} would share its feed address with the watchlist {clash!r}")
        newest = session.scalar(select(func.max(Article.id))) or 0
        existing = session.scalar(select(Watchlist.id).where(Watchlist.name == name))
        values = {"slug": slug, "page": view.page, "query": view.query}
        if existing is None:
            session.execute(insert(Watchlist).values(name=name, created_at=_now(), seen_article_id=newest,
                                                     seen_at=_now(), **values))
        else:
            session.execute(update(Watchlist).where(Watchlist.id == existing).values(**values))
    found = get(engine, name)
    assert found is not None
    return replace(found, view=replace(found.view, ignored=view.ignored))


def remove(engine: Engine, name: str) -> bool:
    with engine.begin() as conn:
        return conn.execute(delete(Watchlist).where(Watchlist.name == name)).rowcount > 0


def mark_seen(engine: Engine, watchlist_id: int, article_id: int | None = None) -> None:
    """The user has looked: what exists now (or up to `article_id`) is no longer new to them."""
    with engine.begin() as conn:
        newest = article_id if article_id is not None else (conn.scalar(select(func.max(Article.id))) or 0)
        conn.execute(update(Watchlist).where(Watchlist.id == watchlist_id).values(seen_article_id=newest, seen_at=_now()))


def available(session: Session) -> bool:
    """Whether the database has watchlists at all (a read-only dashboard may face a schema before 0004)."""
    return inspect(session.connection()).has_table("watchlist")


def all_saved(session: Session) -> list[Saved]:
    if not available(session):
        return []
    codes = region_codes(session)
    rows = session.scalars(select(Watchlist).order_by(Watchlist.name)).all()
    return [_saved(row, codes) for row in rows]


def get(engine: Engine, name_or_slug: str) -> Saved | None:
    with Session(engine) as session:
        row = session.scalar(select(Watchlist).where(Watchlist.name == name_or_slug)) or session.scalar(
            select(Watchlist).where(Watchlist.slug == name_or_slug))
        return _saved(row, region_codes(session)) if row is not None else None


def _saved(row: Watchlist, codes: frozenset[str]) -> Saved:
    view = parse_view(f"/{row.page}?{row.query}", codes)
    return Saved(row.id, row.name, row.slug, row.page, row.query, row.seen_article_id, row.seen_at, view)


# ---------------------------------------------------------------- what changed

@dataclass(frozen=True, slots=True)
class LastLoad:
    run_id: int
    finished_at: datetime | None
    mark: int


def last_load(session: Session) -> LastLoad | None:
    """The newest finished run that added articles, and the mark just before its first article.

    A run that added nothing (an unchanged feed, a rebuild, which re-derives
    the facts of old articles) does not hide the changes of the one before.
    """
    row = session.execute(
        select(EtlRun.id, EtlRun.finished_at)
        .where(EtlRun.finished_at.is_not(None), EtlRun.status == "done",
               exists(select(Article.id).where(Article.run_id == EtlRun.id)))
        .order_by(EtlRun.finished_at.desc(), EtlRun.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    first = session.scalar(select(func.min(Article.id)).where(Article.run_id == row.id))
    if first is None:
        return None
    return LastLoad(row.id, row.finished_at, first - 1)


def newest_article(session: Session) -> int:
    return session.scalar(select(func.max(Article.id))) or 0


def changes(session: Session, f: Filters, mark: int, limit: int = 200) -> Changes:
    """New projects, new or changed figures and status changes after article `mark`, within filters `f`."""
    projects = _new_projects(session, f, mark, limit)
    return Changes(mark, projects, _figure_changes(session, f, mark, limit), _status_changes(session, f, mark, limit))


def _first_mention():
    return (select(ProjectMention.project_id, func.min(ProjectMention.article_id).label("first"))
            .group_by(ProjectMention.project_id).subquery("first_mention"))


def _touched_projects(mark: int):
    return select(ProjectMention.project_id).where(ProjectMention.article_id > mark)


def _new_projects(session: Session, f: Filters, mark: int, limit: int) -> tuple[NewProject, ...]:
    first = _first_mention()
    rows = session.execute(
        select(Project.id, Project.name, Region.name, Project.status, Project.first_published, Project.key)
        .join(first, first.c.project_id == Project.id)
        .outerjoin(Region, Region.code == Project.sido_code)
        .where(Project.id.in_(_touched_projects(mark)), first.c.first > mark, *project_conditions(f, session))
        .order_by(Project.id).limit(limit)
    ).all()
    return tuple(NewProject(*row) for row in rows)


def _figure_changes(session: Session, f: Filters, mark: int, limit: int) -> tuple[FigureChange, ...]:
    """Figures first reported after the mark, of projects reported before it."""
    first_amount = (
        select(Amount.dedup_key, func.min(Amount.article_id).label("first"))
        .where(Amount.dedup_key.in_(select(Amount.dedup_key).where(Amount.article_id > mark)))
        .group_by(Amount.dedup_key).subquery("first_amount")
    )
    first = _first_mention()
    earlier = aliased(Amount)
    previous = (
        select(earlier.krw).where(earlier.project_id == Figure.project_id, earlier.role == Figure.role,
                                  earlier.article_id <= mark)
        .order_by(earlier.article_id.desc(), earlier.krw.desc()).limit(1).scalar_subquery()
    )
    published = select(Article.published).where(Article.id == first_amount.c.first).scalar_subquery()
    rows = session.execute(
        select(Figure.dedup_key, Figure.project_id, Project.name, Figure.role, Figure.krw, previous, published, Project.key)
        .join(first_amount, first_amount.c.dedup_key == Figure.dedup_key)
        .join(Project, Project.id == Figure.project_id)
        .join(first, first.c.project_id == Figure.project_id)
        .where(first_amount.c.first > mark, first.c.first <= mark, *figure_conditions(f, session))
        .order_by(Figure.project_id, Figure.role, Figure.krw).limit(limit)
    ).all()
    return tuple(FigureChange(dedup, pid, name, role, vocabulary().role_labels.get(role, role), krw, prev, pub, key)
                 for dedup, pid, name, role, krw, prev, pub, key in rows)


def _status_changes(session: Session, f: Filters, mark: int, limit: int) -> tuple[StatusChange, ...]:
    """Projects reported before the mark whose status, as of their latest article, differs now."""
    first = _first_mention()
    candidates = session.execute(
        select(Project.id, Project.name)
        .join(first, first.c.project_id == Project.id)
        .where(Project.id.in_(select(StatusEvent.project_id).where(StatusEvent.article_id > mark)),
               first.c.first <= mark, *project_conditions(f, session))
        .order_by(Project.id).limit(limit)
    ).all()
    out = []
    for project_id, name in candidates:
        before = _latest_status(session, project_id, StatusEvent.article_id <= mark)
        after = _latest_status(session, project_id)
        if before and after and before[0] != after[0]:
            out.append(StatusChange(project_id, name, before[0], after[0], after[1]))
    return tuple(out)


def _latest_status(session: Session, project_id: int, *conds) -> tuple[str, date | None] | None:
    """The status of the project's latest dated article among `conds` (the loader's rule: the newest article wins)."""
    row = session.execute(
        select(StatusEvent.status, StatusEvent.event_date)
        .where(StatusEvent.project_id == project_id, *conds)
        .order_by(StatusEvent.event_date.desc().nulls_last(), StatusEvent.article_id.desc(), StatusEvent.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
