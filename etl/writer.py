"""The writer: the one stage that writes articles and their facts to the database.

Every article is stored in its own transaction, so a crash leaves whole
articles or nothing. An article already stored under another source (same
cleaned text, or same URL) gains that source and nothing else. Projects are
resolved to their rows by `etl.identity`. Besides articles and facts the
writer keeps the run bookkeeping (`etl_run`, `rejected_input`), the
`figure` table the dashboard sums, the search index, and the reference rows
(regions) a new database needs. Orchestration is `etl.load`.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, Date, Engine, String, bindparam, case, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from db import search
from db.engine import snapshot
from db.models import (
    Amount,
    Article,
    ArticleIndustry,
    ArticleRegion,
    ArticleSource,
    EtlRun,
    Evidence,
    Figure,
    Jobs,
    Period,
    Project,
    ProjectIndustry,
    ProjectMention,
    ProjectRegion,
    RejectedInput,
    StatusEvent,
)
from db.schema import ensure_schema
from etl import EXTRACTOR_VERSION
from etl.gazetteer import load_gazetteer
from etl.identity import project_key, similar_project
from etl.records import Document, Extraction, ProjectFact, Rejection
from etl.records import Evidence as EvidenceRecord
from vocab import vocabulary

log = logging.getLogger(__name__)
RETRIES = 3


class Stored(NamedTuple):
    """What storing one article did."""

    status: str  # "new" | "duplicate"
    projects: int = 0
    amounts: int = 0


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------- the database itself

def prepare_database(engine: Engine) -> None:
    """Create or upgrade the schema (db.schema) and fill the region table of a new database."""
    ensure_schema(engine, regions=region_rows)


def region_rows() -> list[dict]:
    """Every gazetteer unit (시도, 시군구, 일반구) as a `region` row, so facts can reference them."""
    return [
        {"code": r.code, "sido_code": r.sido_code, "sido": r.sido, "sigungu": r.sigungu,
         "name": r.full_name, "level": r.level, "parent_code": r.parent}
        for r in load_gazetteer().regions.values()
    ]


# ---------------------------------------------------------------- runs

def start_run(engine: Engine, command: str) -> int:
    with Session(engine) as session:
        run = EtlRun(command=command, extractor_version=EXTRACTOR_VERSION, started_at=_now(), status="running")
        session.add(run)
        session.commit()
        return run.id


def finish_run(engine: Engine, run_id: int, status: str, counts: Mapping[str, int | float]) -> None:
    """Close the run's bookkeeping row: `counts` has read, new, unchanged, rejected,
    projects, amounts and seconds."""
    with Session(engine) as session:
        session.execute(
            update(EtlRun).where(EtlRun.id == run_id).values(
                finished_at=_now(), status=status, seconds=round(counts["seconds"], 3),
                **{f"n_{name}": counts[name] for name in ("read", "new", "unchanged", "rejected", "projects", "amounts")},
            )
        )
        session.commit()


def record_rejection(engine: Engine, run_id: int, rejection: Rejection) -> None:
    with Session(engine) as session:
        session.add(RejectedInput(run_id=run_id, source=rejection.source, reason=rejection.reason,
                                  source_hash=rejection.source_hash or None, created_at=_now()))
        session.commit()


def known_sources(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(ArticleSource.source_hash)))


@dataclass
class RunCache:
    """What the database holds that the loader asks about for every article:
    article content hashes and URLs, project keys, the projects of each
    시군구 and the regions and industries linked to each project.

    Read once at the start of a run and kept current by this process, so that
    storing an article costs inserts, not lookups. Rows a concurrent writer
    adds meanwhile surface as unique-key violations; `store_with_retry` then
    reloads the cache and tries again.
    """

    articles: dict[str, int] = field(default_factory=dict)
    urls: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)
    by_city: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    regions: dict[int, set[str]] = field(default_factory=dict)
    industries: dict[int, set[str]] = field(default_factory=dict)
    search_index: bool | None = None

    @classmethod
    def read(cls, conn: Connection) -> RunCache:
        cache = cls()
        cache.reload(conn)
        return cache

    def reload(self, conn: Connection) -> None:
        """Forget what this process knew and read it again (after a concurrent writer won a race)."""
        self.articles, self.urls, self.by_city, self.regions, self.industries = {}, {}, {}, {}, {}
        for article_id, content_hash, url in conn.execute(select(T_ARTICLE.c.id, T_ARTICLE.c.content_hash, T_ARTICLE.c.url)):
            self.articles[content_hash] = article_id
            if url:
                self.urls.setdefault(url, article_id)
        self.projects = {key: project_id for key, project_id in conn.execute(select(T_PROJECT.c.key, T_PROJECT.c.id))}
        keys = {project_id: key for key, project_id in self.projects.items()}
        for project_id, code in conn.execute(select(T_PREGION.c.project_id, T_PREGION.c.region_code)):
            self.regions.setdefault(project_id, set()).add(code)
            if len(code) > 2 and project_id in keys:  # else committed by a concurrent load after the SELECT above
                self.by_city.setdefault(code, []).append((project_id, keys[project_id]))
        for project_id, industry in conn.execute(select(T_PINDUSTRY.c.project_id, T_PINDUSTRY.c.industry)):
            self.industries.setdefault(project_id, set()).add(industry)
        self.search_index = search.has_search_index(conn)


def store_with_retry(engine: Engine, ex: Extraction, run_id: int, cache: RunCache) -> Stored:
    """Store one article in its own transaction; a concurrent writer that took
    the same project or article first makes us reload what we know and retry."""
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                return store(conn, ex, run_id, cache)
        except (IntegrityError, OperationalError) as exc:
            if attempt == RETRIES - 1:
                raise
            log.debug("retrying %s after %s", ex.article.source, exc)
            time.sleep(0.05 * (attempt + 1))
            with snapshot(engine) as conn:
                cache.reload(conn)
    raise AssertionError("unreachable")


T_ARTICLE, T_SOURCE, T_EVIDENCE = Article.__table__, ArticleSource.__table__, Evidence.__table__
T_PROJECT, T_MENTION, T_STATUS = Project.__table__, ProjectMention.__table__, StatusEvent.__table__
T_AREGION, T_AINDUSTRY = ArticleRegion.__table__, ArticleIndustry.__table__
T_PREGION, T_PINDUSTRY = ProjectRegion.__table__, ProjectIndustry.__table__
T_AMOUNT, T_PERIOD, T_JOBS = Amount.__table__, Period.__table__, Jobs.__table__
T_FIGURE = Figure.__table__


def store(conn: Connection, ex: Extraction, run_id: int, cache: RunCache) -> Stored:
    """Write one article and its facts, or only a new source for an article
    already stored under the same cleaned text or URL."""
    art = ex.article
    existing = cache.articles.get(art.content_hash) or (cache.urls.get(art.url) if art.url else None)
    if existing is not None:
        _add_source(conn, existing, ex, run_id)
        return Stored("duplicate")
    article_id = conn.execute(
        insert(T_ARTICLE).returning(T_ARTICLE.c.id),
        _fit(T_ARTICLE, {
            "doc_id": art.doc_id, "title": art.title, "published": art.published, "outlet": art.outlet,
            "reporter": art.reporter, "url": art.url, "fmt": art.fmt, "raw_text": art.raw_text, "text": art.text,
            "body_start": art.body_start, "doc_meta": _doc_meta(ex), "content_hash": art.content_hash,
            "extractor_version": EXTRACTOR_VERSION, "loaded_at": _now(), "run_id": run_id,
        }),
    ).scalar_one()
    cache.articles[art.content_hash] = article_id
    if art.url:
        cache.urls.setdefault(art.url, article_id)
    _add_source(conn, article_id, ex, run_id, known_new=True)
    new_projects, amounts = write_facts(conn, article_id, ex, cache)
    _index(conn, article_id, art.title, art.text, cache)
    return Stored("new", new_projects, amounts)


def _fit(table, row: dict) -> dict:
    """Cut strings to their column's declared length (a long outlet, reporter or
    doc id): PostgreSQL refuses longer values, SQLite keeps them; both store the same."""
    for name, value in row.items():
        length = getattr(table.c[name].type, "length", None)
        if length and isinstance(value, str) and len(value) > length:
            row[name] = value[:length]
    return row


def _index(conn: Connection, article_id: int, title: str, text: str, cache: RunCache) -> None:
    """Add the article to the Korean search index (see db/search.py)."""
    if cache.search_index is None:
        cache.search_index = search.has_search_index(conn)
    if cache.search_index:
        search.add_to_index(conn, article_id, title, text)


def _doc_meta(ex: Extraction) -> str:
    """The metadata the input stated itself, for re-cleaning on a rebuild."""
    a = ex.article
    stated = {name: getattr(a, name) for name in a.stated}
    if isinstance(stated.get("published"), date):
        stated["published"] = stated["published"].isoformat()
    return json.dumps(stated, ensure_ascii=False)


def _add_source(conn: Connection, article_id: int, ex: Extraction, run_id: int, known_new: bool = False) -> None:
    art = ex.article
    source_hash = art.source_hash or art.content_hash
    if not known_new and conn.execute(select(T_SOURCE.c.id).where(T_SOURCE.c.source_hash == source_hash)).scalar() is not None:
        return
    conn.execute(insert(T_SOURCE), _fit(T_SOURCE, {
        "article_id": article_id, "source": art.source, "source_hash": source_hash, "fmt": art.fmt,
        "outlet": art.outlet, "url": art.url, "seen_at": _now(), "run_id": run_id,
    }))


def write_facts(conn: Connection, article_id: int, ex: Extraction, cache: RunCache) -> tuple[int, int]:
    """Evidence, regions, industries, projects, amounts, periods and jobs of one
    article. Returns (projects created, amounts written)."""
    gaz = load_gazetteer()
    published = ex.article.published
    groups = (ex.regions, ex.industries, ex.projects, ex.amounts, ex.periods, ex.jobs)
    ids = iter(_evidence_ids(conn, article_id, [f.evidence for group in groups for f in group]))
    ev = [[next(ids) for _ in group] for group in groups]
    if ex.regions:
        conn.execute(insert(T_AREGION), [{"article_id": article_id, "region_code": r.code, "score": r.score, "evidence_id": e}
                                         for r, e in zip(ex.regions, ev[0])])
    if ex.industries:
        conn.execute(insert(T_AINDUSTRY), [{"article_id": article_id, "industry": i.label, "score": i.score, "evidence_id": e}
                                           for i, e in zip(ex.industries, ev[1])])
    project_ids, created = _upsert_projects(conn, ex.projects, published, gaz, cache)
    if ex.projects:
        default_status = vocabulary().status_labels[0]
        rows = [(project_ids[f.name], f, e) for f, e in zip(ex.projects, ev[2])]
        unique = {pid: (pid, f, e) for pid, f, e in reversed(rows)}.values()  # two names, one project: one mention
        conn.execute(insert(T_MENTION), [{"project_id": pid, "article_id": article_id, "name": f.name, "score": f.score,
                                          "evidence_id": e} for pid, f, e in unique])
        conn.execute(insert(T_STATUS), [{"project_id": pid, "article_id": article_id, "status": f.status or default_status,
                                         "event_date": published, "evidence_id": e} for pid, f, e in rows])
    year = published.year if published else None
    if ex.amounts:
        amounts = [_amount_row(article_id, a, e, project_ids, year, gaz, cache) for a, e in zip(ex.amounts, ev[3])]
        conn.execute(insert(T_AMOUNT), amounts)
        _upsert_figures(conn, amounts, published)
    if ex.periods:
        conn.execute(insert(T_PERIOD), [
            {"article_id": article_id, "project_id": project_ids.get(p.project or ""), "start_year": p.start,
             "end_year": p.end, "text": p.text[:80], "evidence_id": e} for p, e in zip(ex.periods, ev[4])])
    if ex.jobs:
        conn.execute(insert(T_JOBS), [
            {"article_id": article_id, "project_id": project_ids.get(j.project or ""), "count": j.count, "evidence_id": e}
            for j, e in zip(ex.jobs, ev[5])])
    return created, len(ex.amounts)


def _amount_row(article_id: int, a, evidence_id: int, project_ids: dict[str, int], year, gaz, cache: RunCache) -> dict:
    project_id = project_ids.get(a.project or "")
    region = a.region or _main_region(cache.regions.get(project_id, set()))
    owner = f"p{project_id}" if project_id else f"a{article_id}"
    return {
        "article_id": article_id, "project_id": project_id, "krw": a.krw, "role": a.role, "text": a.text[:80],
        "region_code": region, "sido_code": gaz.regions[region].sido_code if region else None,
        "year": year, "dedup_key": f"{owner}:{a.role}:{a.krw}", "evidence_id": evidence_id,
    }


def _upsert_figures(conn: Connection, amounts: list[dict], published: date | None) -> None:
    """Keep `figure` in step with the amounts just written: a new figure takes
    this article's attributes; a known one keeps its own and widens its date span."""
    rows = {}
    for a in amounts:
        rows.setdefault(a["dedup_key"], {
            "dedup_key": a["dedup_key"], "krw": a["krw"], "role": a["role"], "project_id": a["project_id"],
            "region_code": a["region_code"], "sido_code": a["sido_code"], "year": a["year"],
            "first_published": published, "last_published": published,
        })
    conn.execute(_figure_upsert(conn.dialect.name), list(rows.values()))


@lru_cache(maxsize=4)
def _figure_upsert(dialect: str):
    """INSERT … ON CONFLICT for `figure`, built once per dialect (building `excluded`
    makes new column objects, and a new statement misses the compiled cache)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    upsert = dialect_insert(T_FIGURE)
    first, last = T_FIGURE.c.first_published, T_FIGURE.c.last_published
    new_first, new_last = upsert.excluded.first_published, upsert.excluded.last_published
    return upsert.on_conflict_do_update(index_elements=[T_FIGURE.c.dedup_key], set_={
        # NULL < x is NULL: an undated article leaves a known date alone
        "first_published": case((or_(first.is_(None), new_first < first), new_first), else_=first),
        "last_published": case((or_(last.is_(None), new_last > last), new_last), else_=last),
    })


def _main_region(codes: set[str]) -> str | None:
    """A project's most specific region: a 시군구 before a 시도."""
    return min(codes, key=lambda c: (-len(c), c)) if codes else None


def _evidence_ids(conn: Connection, article_id: int, items: list[EvidenceRecord]) -> list[int]:
    if not items:
        return []
    rows = [{"article_id": article_id, "sentence": e.sentence, "sentence_start": e.sentence_start,
             "span_start": e.start, "span_end": e.end} for e in items]
    result = conn.execute(insert(T_EVIDENCE).returning(T_EVIDENCE.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def _upsert_projects(conn: Connection, facts: tuple[ProjectFact, ...], published: date | None, gaz,
                     cache: RunCache) -> tuple[dict[str, int], int]:
    """The project each fact names: an existing one with the same key or, in
    the same 시군구, a very similar name; else a new row. Each project counts
    this article once, however many of its names the article uses. Returns
    the ids by fact name and how many projects were created."""
    resolved: list[tuple[ProjectFact, str, int | None]] = []
    new: dict[str, dict] = {}
    for fact in facts:
        sido = gaz.regions[fact.regions[0]].sido_code if fact.regions else None
        key = project_key(fact.name, sido)
        project_id = cache.projects.get(key) or _same_city_project(fact, key, cache)
        resolved.append((fact, key, project_id))
        if project_id is None and key not in new:
            new[key] = {"key": key, "name": fact.name, "sido_code": sido, "status": fact.status,
                        "first_published": published, "last_published": published, "n_articles": 1}
    if new:
        ids = conn.execute(insert(T_PROJECT).returning(T_PROJECT.c.id, sort_by_parameter_order=True), list(new.values()))
        for key, (project_id,) in zip(new, ids):
            cache.projects[key] = project_id
    touched = {pid: fact.status for fact, _key, pid in resolved if pid is not None}
    _touch_projects(conn, touched, published)
    project_ids = {fact.name: cache.projects.get(key) or pid for fact, key, pid in resolved}
    _link_projects(conn, [(project_ids[fact.name], key, fact) for fact, key, _pid in resolved], cache)
    return project_ids, len(new)


def _same_city_project(fact: ProjectFact, key: str, cache: RunCache) -> int | None:
    """A known project in the fact's first 시군구 that identity says is the same one."""
    cities = [c for c in fact.regions if len(c) > 2]
    return similar_project(key, cache.by_city.get(cities[0], ())) if cities else None


def _link_projects(conn: Connection, links: list[tuple[int, str, ProjectFact]], cache: RunCache) -> None:
    """Regions and industries the projects did not have yet, in one insert each."""
    region_rows, industry_rows = [], []
    for project_id, key, fact in links:
        have_regions = cache.regions.setdefault(project_id, set())
        for code in dict.fromkeys(fact.regions):
            if code not in have_regions:
                have_regions.add(code)
                region_rows.append({"project_id": project_id, "region_code": code})
                if len(code) > 2:
                    cache.by_city.setdefault(code, []).append((project_id, key))
        have_industries = cache.industries.setdefault(project_id, set())
        for label in dict.fromkeys(fact.industries):
            if label not in have_industries:
                have_industries.add(label)
                industry_rows.append({"project_id": project_id, "industry": label})
    if region_rows:
        conn.execute(insert(T_PREGION), region_rows)
    if industry_rows:
        conn.execute(insert(T_PINDUSTRY), industry_rows)


def _touch_projects(conn: Connection, statuses: dict[int, str | None], published: date | None) -> None:
    """One more article for each existing project: count, first/last date and
    the status of the latest article; one prepared statement for them all."""
    if statuses:
        dated = published is not None
        rows = [{"pid": pid, "pub": published, "new_status": status} if dated else {"pid": pid}
                for pid, status in statuses.items()]
        conn.execute(_touch_statement(dated), rows)


@lru_cache(maxsize=2)
def _touch_statement(dated: bool):
    """The UPDATE of `_touch_projects`, built once: with bound parameters it is
    compiled once and runs as one executemany."""
    values: dict = {"n_articles": T_PROJECT.c.n_articles + 1}
    if dated:
        pub = bindparam("pub", type_=Date)
        first, last = T_PROJECT.c.first_published, T_PROJECT.c.last_published
        latest = or_(last.is_(None), last <= pub)
        values["first_published"] = case((or_(first.is_(None), first > pub), pub), else_=first)
        values["status"] = case((latest, bindparam("new_status", type_=String)), else_=T_PROJECT.c.status)
        values["last_published"] = case((latest, pub), else_=last)
    return update(T_PROJECT).where(T_PROJECT.c.id == bindparam("pid")).values(**values)


# ---------------------------------------------------------------- rebuild

FACT_TABLES = (Figure, StatusEvent, Amount, Period, Jobs, ProjectMention, ProjectRegion, ProjectIndustry, Project,
               ArticleRegion, ArticleIndustry, Evidence)
REBUILD_SOURCE = "db:article/"


def clear_facts(conn: Connection) -> None:
    """Drop every extracted fact and project (derived data); articles and sources stay."""
    for table in FACT_TABLES:
        conn.execute(delete(table))


def stored_documents(engine: Engine, batch: int) -> Iterator[Document]:
    """Documents rebuilt from stored raw text and the metadata the input stated."""
    last = 0
    while True:
        with Session(engine) as session:
            rows = session.execute(
                select(Article.id, Article.doc_id, Article.raw_text, Article.fmt, Article.doc_meta)
                .where(Article.id > last).order_by(Article.id).limit(batch)
            ).all()
        if not rows:
            return
        for row in rows:
            meta = json.loads(row.doc_meta or "{}")
            if meta.get("published"):
                meta["published"] = date.fromisoformat(meta["published"])
            yield Document(doc_id=row.doc_id, source=f"{REBUILD_SOURCE}{row.id}", raw_text=row.raw_text, fmt=row.fmt,
                           **{k: v for k, v in meta.items() if k in ("title", "published", "outlet", "reporter", "url")})
        last = rows[-1].id


def restore(conn: Connection, ex: Extraction, cache: RunCache) -> tuple[int, int]:
    """Write the facts re-extracted from a stored article (see `stored_documents`)."""
    article_id = int(ex.article.source.removeprefix(REBUILD_SOURCE))
    art = ex.article
    values = {"title": art.title, "published": art.published, "outlet": art.outlet, "reporter": art.reporter,
              "text": art.text, "body_start": art.body_start, "extractor_version": EXTRACTOR_VERSION}
    clash = conn.execute(select(T_ARTICLE.c.id).where(T_ARTICLE.c.content_hash == art.content_hash,
                                                      T_ARTICLE.c.id != article_id)).scalar()
    if clash is None:
        values["content_hash"] = art.content_hash
    conn.execute(update(T_ARTICLE).where(T_ARTICLE.c.id == article_id).values(**_fit(T_ARTICLE, values)))
    created, amounts = write_facts(conn, article_id, ex, cache)
    search.remove_from_index(conn, [article_id])
    _index(conn, article_id, art.title, art.text, cache)
    return created, amounts


def store_many(engine: Engine, batch: Sequence[Extraction], run_id: int, cache: RunCache) -> list[Stored | Exception]:
    """Store several articles in ONE transaction (one commit, one fsync, instead of
    one per article), each inside its own savepoint.

    Per article, its `Stored`, or the exception of a bug storing it: that
    article's savepoint is rolled back and the others stand, as with
    `store_with_retry`. A database error ends the batch (the caller stops the run);
    a concurrent writer's unique-key violation rolls the whole batch back, reloads
    the cache and retries it. A load killed mid-batch loses the batch's
    uncommitted articles only, and the next load stores them again: nothing is
    half-written and nothing is stored twice.
    """
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                return [_store_one(conn, ex, run_id, cache) for ex in batch]
        except (IntegrityError, OperationalError) as exc:
            if attempt == RETRIES - 1:
                raise
            log.debug("retrying a batch of %d after %s", len(batch), exc)
            time.sleep(0.05 * (attempt + 1))
            with snapshot(engine) as conn:
                cache.reload(conn)
    raise AssertionError("unreachable")


def _store_one(conn: Connection, ex: Extraction, run_id: int, cache: RunCache) -> Stored | Exception:
    try:
        with conn.begin_nested():
            return store(conn, ex, run_id, cache)
    except SQLAlchemyError:
        raise
    except Exception as exc:  # a bug in one article: its savepoint is gone, the cache may be ahead of it
        cache.reload(conn)
        return exc
