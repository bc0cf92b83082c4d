"""The writer: the one stage that writes articles and their facts to the database.

A load stores its articles in batches (`store_batch`), one transaction per
batch and a savepoint per article, so a crash leaves whole batches (hence
whole articles) or nothing, and a bug in one article costs that article
only. An article already stored under another source (same cleaned text, or
same URL) gains that source and nothing else. Projects are
resolved to their rows by `etl.identity`. Besides articles and facts the
writer keeps the run bookkeeping (`etl_run`, `rejected_input`), the
`figure` table the dashboard sums (each project's current figures, db.figures), the search index, and the reference rows
(regions) a new database needs. Orchestration is `etl.load`.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, Date, Engine, Executable, String, Table, and_, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from db import changes, rollups, search
from db.engine import snapshot
from db.figures import forget_loose_figures, update_figures
from db.models import (
    Amount,
    Correction as CorrectionRow,
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
    RejectedInput,
    RollupIndustry,
    RollupProjects,
    RollupRegion,
    StatusEvent,
)
from db.schema import ensure_schema
from etl import EXTRACTOR_VERSION
from etl.gazetteer import load_gazetteer
from etl.corrections import FIGURE_KINDS, MENTION_KINDS, Correction, CorrectionSet, from_row, validate
from etl.identity import KEY_LENGTH, Reported, match, project_key
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
        # what the overview lists as new, worked out once (db.changes)
        session.execute(update(EtlRun).where(EtlRun.id == run_id).values(changes=changes.derive(session, run_id)))
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
    article content hashes and URLs, project keys (and the keys merged into
    each project), the projects of each 시도 with the regions, industries,
    won figures and periods linked to them.

    Read once at the start of a run and kept current by this process, so that
    storing an article costs inserts, not lookups. Projects another process
    created meanwhile are read under the identity lock before an article's
    projects are resolved (`catch_up`); other rows a concurrent writer adds
    surface as unique-key violations, and `store_with_retry` then reloads the
    cache and tries again.
    """

    articles: dict[str, int] = field(default_factory=dict)
    urls: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    by_sido: dict[str, list[int]] = field(default_factory=dict)
    regions: dict[int, set[str]] = field(default_factory=dict)
    industries: dict[int, set[str]] = field(default_factory=dict)
    amounts: dict[int, set[int]] = field(default_factory=dict)
    periods: dict[int, set[tuple[int | None, int]]] = field(default_factory=dict)
    last_project: int = 0
    last_merge: int = 0
    corrections: CorrectionSet = field(default_factory=CorrectionSet)
    search_index: bool | None = None
    locked: object | None = None  # the transaction that holds the identity lock and has caught up
    reported: dict[int, Reported] = field(default_factory=dict)  # `known`, kept until the project changes
    reuse: dict[str, int] = field(default_factory=dict)  # key -> id of a project recomposed (`rederive`)
    held: dict[tuple[int, int, int], str] = field(default_factory=dict)  # (article, span) -> region kept (`rederive`)
    kept: set[int] = field(default_factory=set)  # projects `rederive` keeps

    @classmethod
    def read(cls, conn: Connection, articles: bool = True) -> RunCache:
        """`articles`: also every article's hash and URL, which storing new articles needs
        and deriving stored ones again (`rederive`) does not."""
        cache = cls()
        cache.reload(conn, articles)
        return cache

    def reload(self, conn: Connection, articles: bool = True) -> None:
        """Forget what this process knew and read it again (after a concurrent writer won a race)."""
        self.articles, self.urls, self.projects, self.keys, self.by_sido = {}, {}, {}, {}, {}
        self.regions, self.industries, self.amounts, self.periods = {}, {}, {}, {}
        self.last_project = self.last_merge = 0
        self.locked, self.reported = None, {}
        for article_id, content_hash, url in (conn.execute(select(T_ARTICLE.c.id, T_ARTICLE.c.content_hash, T_ARTICLE.c.url))
                                              if articles else ()):
            self.articles[content_hash] = article_id
            if url:
                self.urls.setdefault(url, article_id)
        self.catch_up(conn)
        self.corrections = CorrectionSet.of(from_row(r._mapping) for r in conn.execute(select(T_CORRECTION)
                                                                                       .order_by(T_CORRECTION.c.id)))
        self.search_index = search.has_search_index(conn)

    def catch_up(self, conn: Connection) -> None:
        """Read the projects and merges stored since this cache last looked (by this or another process)."""
        rows = conn.execute(select(T_PROJECT.c.id, T_PROJECT.c.key, T_PROJECT.c.sido_code)
                            .where(T_PROJECT.c.id > self.last_project).order_by(T_PROJECT.c.id)).all()
        for project_id, key, sido in rows:
            self.add_project(project_id, key, sido)
        if rows:
            new = T_PROJECT.c.id > rows[0][0] - 1
            ids = select(T_PROJECT.c.id).where(new).scalar_subquery()
            for project_id, code in conn.execute(select(T_PREGION.c.project_id, T_PREGION.c.region_code)
                                                 .where(T_PREGION.c.project_id.in_(ids))):
                self.regions.setdefault(project_id, set()).add(code)
            for project_id, label in conn.execute(select(T_PINDUSTRY.c.project_id, T_PINDUSTRY.c.industry)
                                                  .where(T_PINDUSTRY.c.project_id.in_(ids))):
                self.industries.setdefault(project_id, set()).add(label)
            for project_id, krw in conn.execute(select(T_AMOUNT.c.project_id, T_AMOUNT.c.krw)
                                                .where(T_AMOUNT.c.project_id.in_(ids))):
                self.amounts.setdefault(project_id, set()).add(krw)
            for project_id, start, end in conn.execute(select(T_PERIOD.c.project_id, T_PERIOD.c.start_year, T_PERIOD.c.end_year)
                                                       .where(T_PERIOD.c.project_id.in_(ids))):
                self.periods.setdefault(project_id, set()).add((start, end))
            for project_id, _, _ in rows:
                self.changed(project_id)
        for merge_id, key, project_id in conn.execute(select(T_MERGE.c.id, T_MERGE.c.key, T_MERGE.c.project_id)
                                                      .where(T_MERGE.c.id > self.last_merge).order_by(T_MERGE.c.id)):
            self.projects.setdefault(key, project_id)
            self.last_merge = merge_id

    def forget(self, project_ids: Collection[int]) -> None:
        """Forget these projects (dropped to be derived again): their keys, merged keys and facts."""
        gone = set(project_ids)
        self.projects = {key: p for key, p in self.projects.items() if p not in gone}
        self.by_sido = {sido: [p for p in ids if p not in gone] for sido, ids in self.by_sido.items()}
        for p in gone:
            for known in (self.keys, self.regions, self.industries, self.amounts, self.periods):
                known.pop(p, None)

    def add_project(self, project_id: int, key: str, sido: str | None) -> None:
        self.projects[key] = project_id
        self.keys[project_id] = key
        self.by_sido.setdefault(sido or "00", []).append(project_id)
        self.last_project = max(self.last_project, project_id)

    def known(self, project_id: int) -> Reported:
        """A stored project as identity compares it: built once, and again after `changed`
        (each new article compares itself with every project of its 시도)."""
        found = self.reported.get(project_id)
        if found is None:
            found = self.reported[project_id] = Reported(
                self.keys[project_id], frozenset(c for c in self.regions.get(project_id, ()) if len(c) > 2),
                frozenset(self.amounts.get(project_id, ())), frozenset(self.periods.get(project_id, ())))
        return found

    def candidates(self, sido: str | None) -> list[tuple[int, Reported]]:
        """Every project of the 시도 as `known`, for `etl.identity.match`: a list made in one
        go, the projects `known` has already built taken straight from it (a new name meets
        every project of its 시도, tens of thousands of them per 1,000 articles)."""
        reported = self.reported
        return [(pid, reported.get(pid) or self.known(pid)) for pid in self.by_sido.get(sido or "00", ())]

    def changed(self, project_id: int) -> None:
        """The project's regions, amounts or periods grew: `known` builds it again."""
        self.reported.pop(project_id, None)


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


def store_batch(engine: Engine, batch: Sequence[Extraction], run_id: int, cache: RunCache) -> list[Stored | Exception]:
    """Store several articles in one transaction.

    One commit per batch instead of one per article: the commit and the
    identity lock's catching up are paid once; and the rows nothing reads back
    while the batch is written, and the figures of the projects it touches, are
    written at its end (`BatchWork`): each statement once for the batch. A bug
    storing one article makes us store the batch again, each article in a
    savepoint of its own that the bug rolls back: the article is returned in its
    place, the others are stored. A database error rolls back the whole batch
    and is raised. A concurrent writer that took the same project or article
    first makes us reload what we know and store the batch again.
    """
    try:
        return _store_batch(engine, batch, run_id, cache, together=True)
    except _BatchBug:
        log.debug("a bug storing a batch of %d: storing it again article by article", len(batch), exc_info=True)
        with snapshot(engine) as conn:
            cache.reload(conn)  # the rolled-back batch left the cache ahead of the database
        return _store_batch(engine, batch, run_id, cache, together=False)


def _store_batch(engine: Engine, batch: Sequence[Extraction], run_id: int, cache: RunCache,
                 together: bool) -> list[Stored | Exception]:
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                if together:
                    return _store_together(conn, batch, run_id, cache)
                return [_store_one(conn, ex, run_id, cache) for ex in batch]
        except (IntegrityError, OperationalError) as exc:
            if attempt == RETRIES - 1:
                raise
            log.debug("retrying a batch of %d after %s", len(batch), exc)
            time.sleep(0.05 * (attempt + 1))
            with snapshot(engine) as conn:
                cache.reload(conn)
    raise AssertionError("unreachable")


class _BatchBug(Exception):
    """A bug (not the database) storing one of a batch's articles together."""


def _store_together(conn: Connection, batch: Sequence[Extraction], run_id: int, cache: RunCache) -> list[Stored | Exception]:
    """The batch's new articles and their evidence are inserted first, each table in one
    statement (`_insert_articles`, `_evidence_ids`), in the order storing them one by one
    would: the same ids. Then each article's facts in turn, and `BatchWork` at the end."""
    work = BatchWork()
    try:
        new = _new_in_batch(batch, cache)
        ids = iter(_insert_articles(conn, [ex for ex, is_new in zip(batch, new) if is_new], run_id, cache))
        articles = [(next(ids) if is_new else None, ex) for ex, is_new in zip(batch, new)]
        evidence = iter(_evidence_ids(conn, [(a, _evidence_of(ex)) for a, ex in articles if a is not None]))
        stored: list[Stored | Exception] = [
            _store_new(conn, article_id, ex, run_id, cache, work, next(evidence)) if article_id is not None
            else _store_duplicate(conn, ex, run_id, cache, work) for article_id, ex in articles]
        work.write(conn)
    except SQLAlchemyError:
        raise  # the database itself (or a concurrent writer): the batch's transaction decides
    except Exception as exc:
        raise _BatchBug from exc
    return stored


def _store_one(conn: Connection, ex: Extraction, run_id: int, cache: RunCache) -> Stored | Exception:
    try:
        with conn.begin_nested():
            return store(conn, ex, run_id, cache)
    except SQLAlchemyError:
        raise  # the database itself (or a concurrent writer): the batch's transaction decides
    except Exception as exc:  # a bug in one article must not cost the batch; the caller reports it
        cache.reload(conn)  # the rolled-back savepoint may have left the cache ahead of the database
        return exc


@dataclass
class BatchWork:
    """What a batch writes once all its articles are in (`store_batch`), rather than
    article by article:

    * rows nothing reads back while the batch is written (an article's facts and
      sources, its projects' links and counts, the search index): per statement,
      one executemany for the batch, in the order they came;
    * the figures of the projects its articles touch, and of their figures without a
      project (db.figures.update_figures): a project several touch is derived once.
    """

    rows: dict[Executable, list[dict]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)  # source hashes in `rows`, for `_add_source`
    projects: set[int] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)

    def figures_of(self, projects: Collection[int], article_id: int | None) -> None:
        self.projects.update(projects)
        if article_id is not None:
            self.articles.add(article_id)

    def write(self, conn: Connection) -> None:
        for statement, rows in self.rows.items():
            conn.execute(statement, rows)
        if self.projects or self.articles:
            update_figures(conn, sorted(self.projects), sorted(self.articles))


def _write(conn: Connection, work: BatchWork | None, statement: Executable, rows: list[dict]) -> None:
    """`statement` over `rows` now, or, in a batch, at its end (`BatchWork`)."""
    if not rows:
        return
    if work is None:
        conn.execute(statement, rows)
    else:
        work.rows.setdefault(statement, []).extend(rows)


@lru_cache(maxsize=None)
def _insert(table: Table) -> Executable:
    """One INSERT per table, so that `BatchWork` gathers a table's rows under one statement."""
    return insert(table)


@lru_cache(maxsize=None)
def _insert_returning(table: Table, in_order: bool = False) -> Executable:
    """INSERT … RETURNING id, built once (a statement built anew is keyed for SQLAlchemy's
    cache at every execution; a project is inserted per new project). `in_order`: the ids of
    many rows in the order given (`_inserted_ids`)."""
    return insert(table).returning(table.c.id, sort_by_parameter_order=in_order)


T_ARTICLE, T_SOURCE, T_EVIDENCE = Article.__table__, ArticleSource.__table__, Evidence.__table__
T_PROJECT, T_MENTION, T_STATUS = Project.__table__, ProjectMention.__table__, StatusEvent.__table__
T_AREGION, T_AINDUSTRY = ArticleRegion.__table__, ArticleIndustry.__table__
T_PREGION, T_PINDUSTRY = ProjectRegion.__table__, ProjectIndustry.__table__
T_AMOUNT, T_PERIOD, T_JOBS = Amount.__table__, Period.__table__, Jobs.__table__
T_FIGURE, T_EXCLUDED, T_FACET = Figure.__table__, ExcludedAmount.__table__, ArticleFacet.__table__
T_MERGE, T_CORRECTION = ProjectMerge.__table__, CorrectionRow.__table__


def store(conn: Connection, ex: Extraction, run_id: int, cache: RunCache, work: BatchWork | None = None) -> Stored:
    """Write one article and its facts, or only a new source for an article
    already stored under the same cleaned text or URL (`work`: see `write_facts`)."""
    if _stored_id(ex, cache) is not None:
        return _store_duplicate(conn, ex, run_id, cache, work)
    article_id = conn.execute(_insert_returning(T_ARTICLE), _article_row(ex, run_id)).scalar_one()
    _remember(cache, ex, article_id)
    return _store_new(conn, article_id, ex, run_id, cache, work)


def _store_new(conn: Connection, article_id: int, ex: Extraction, run_id: int, cache: RunCache,
               work: BatchWork | None = None, evidence_ids: Sequence[int] | None = None) -> Stored:
    """Everything of an article just inserted but its row (`evidence_ids`: see `write_facts`)."""
    _add_source(conn, article_id, ex, run_id, work, known_new=True)
    new_projects, amounts = write_facts(conn, article_id, ex, cache, work, evidence_ids=evidence_ids)
    _index(conn, article_id, ex.article.title, ex.article.text, cache, work)
    return Stored("new", new_projects, amounts)


def _store_duplicate(conn: Connection, ex: Extraction, run_id: int, cache: RunCache, work: BatchWork | None = None) -> Stored:
    """An article already stored: only its source, if new."""
    _add_source(conn, _stored_id(ex, cache), ex, run_id, work)
    return Stored("duplicate")


def _stored_id(ex: Extraction, cache: RunCache) -> int | None:
    """The stored article with the same cleaned text, or else the same URL."""
    art = ex.article
    return cache.articles.get(art.content_hash) or (cache.urls.get(art.url) if art.url else None)


def _remember(cache: RunCache, ex: Extraction, article_id: int) -> None:
    """A new article stored: later ones with its cleaned text or URL are duplicates."""
    cache.articles[ex.article.content_hash] = article_id
    if ex.article.url:
        cache.urls.setdefault(ex.article.url, article_id)


def _new_in_batch(batch: Sequence[Extraction], cache: RunCache) -> list[bool]:
    """Which articles of a batch `store` would insert: neither stored yet nor sharing the
    cleaned text or URL of an earlier one of the batch."""
    hashes: set[str] = set()
    urls: set[str] = set()
    new = []
    for ex in batch:
        art = ex.article
        is_new = (_stored_id(ex, cache) is None and art.content_hash not in hashes
                  and not (art.url and art.url in urls))
        if is_new:
            hashes.add(art.content_hash)
            if art.url:
                urls.add(art.url)
        new.append(is_new)
    return new


def _insert_articles(conn: Connection, batch: Sequence[Extraction], run_id: int, cache: RunCache) -> list[int]:
    """Insert these new articles in one statement, in order, and remember them (`_remember`); their ids."""
    ids = _inserted_ids(conn, T_ARTICLE, [_article_row(ex, run_id) for ex in batch])
    for ex, article_id in zip(batch, ids):
        _remember(cache, ex, article_id)
    return ids


def _article_row(ex: Extraction, run_id: int) -> dict:
    art = ex.article
    return _fit(T_ARTICLE, {
        "doc_id": art.doc_id, "title": art.title, "published": art.published, "outlet": art.outlet,
        "reporter": art.reporter, "url": art.url, "fmt": art.fmt, "raw_text": art.raw_text, "text": art.text,
        "body_start": art.body_start, "doc_meta": _doc_meta(ex), "content_hash": art.content_hash,
        "extractor_version": EXTRACTOR_VERSION, "loaded_at": _now(), "run_id": run_id,
    })


def _fit(table: Table, row: dict) -> dict:
    """Cut strings to their column's declared length (a long outlet, reporter or
    doc id): PostgreSQL refuses longer values, SQLite keeps them; both store the same."""
    for name, length in _lengths(table):
        value = row.get(name)
        if isinstance(value, str) and len(value) > length:
            row[name] = value[:length]
    return row


@lru_cache(maxsize=None)
def _lengths(table: Table) -> tuple[tuple[str, int], ...]:
    """(column, declared length) of the table's columns that have one, looked up once
    (`_fit` runs for several rows of every article)."""
    return tuple((c.key, length) for c in table.columns if (length := getattr(c.type, "length", None)))


def _index(conn: Connection, article_id: int, title: str, text: str, cache: RunCache, work: BatchWork | None = None) -> None:
    """Add the article to the Korean search index (see db/search.py)."""
    if cache.search_index is None:
        cache.search_index = search.has_search_index(conn)
    if cache.search_index:
        dialect = conn.dialect.name
        _write(conn, work, search.index_statement(dialect), search.index_rows(dialect, [(article_id, title, text)]))


def _doc_meta(ex: Extraction) -> str:
    """The metadata the input stated itself, for re-cleaning on a rebuild."""
    a = ex.article
    stated = {name: getattr(a, name) for name in a.stated}
    if isinstance(stated.get("published"), date):
        stated["published"] = stated["published"].isoformat()
    return json.dumps(stated, ensure_ascii=False)


def _add_source(conn: Connection, article_id: int, ex: Extraction, run_id: int, work: BatchWork | None = None,
                known_new: bool = False) -> None:
    art = ex.article
    source_hash = art.source_hash or art.content_hash
    if not known_new and (source_hash in (work.sources if work else ()) or conn.execute(
            select(T_SOURCE.c.id).where(T_SOURCE.c.source_hash == source_hash)).scalar() is not None):
        return
    if work is not None:
        work.sources.add(source_hash)
    _write(conn, work, _insert(T_SOURCE), [_fit(T_SOURCE, {
        "article_id": article_id, "source": art.source, "source_hash": source_hash, "fmt": art.fmt,
        "outlet": art.outlet, "url": art.url, "seen_at": _now(), "run_id": run_id,
    })])


def write_facts(conn: Connection, article_id: int, ex: Extraction, cache: RunCache,
                work: BatchWork | None = None, evidence_ids: Sequence[int] | None = None) -> tuple[int, int]:
    """Evidence, regions, industries, projects, amounts, periods and jobs of one
    article. Returns (projects created, amounts written). The rows nothing reads back
    and the figures of the projects it touches are written at once, or, given a batch's
    `work`, when the batch ends. `evidence_ids`: the ids of `_evidence_of(ex)`, when the
    batch has inserted them already."""
    gaz = load_gazetteer()
    published = ex.article.published
    if evidence_ids is None:
        (evidence_ids,) = _evidence_ids(conn, [(article_id, _evidence_of(ex))])
    ids = iter(evidence_ids)
    ev = [[next(ids) for _ in group] for group in _fact_groups(ex)]
    if ex.regions:
        _write(conn, work, _insert(T_AREGION), [{"article_id": article_id, "region_code": r.code, "score": r.score, "evidence_id": e}
                                         for r, e in zip(ex.regions, ev[0])])
    if ex.industries:
        _write(conn, work, _insert(T_AINDUSTRY), [{"article_id": article_id, "industry": i.label, "score": i.score, "evidence_id": e}
                                           for i, e in zip(ex.industries, ev[1])])
    sidos = {gaz.regions[r.code].sido_code if r.code in gaz.regions else r.code[:2] for r in ex.regions}
    _write(conn, work, _insert(T_FACET), facet_rows(article_id, published, sidos, {i.label for i in ex.industries}))
    project_ids, created = _upsert_projects(conn, article_id, ex, gaz, cache, work)
    if ex.projects:
        default_status = vocabulary().status_labels[0]
        rows = [(project_ids[f.name], f, e) for f, e in zip(ex.projects, ev[2])]
        unique = {pid: (pid, f, e) for pid, f, e in reversed(rows)}.values()  # two names, one project: one mention
        _write(conn, work, _insert(T_MENTION), [{"project_id": pid, "article_id": article_id, "name": f.name, "score": f.score,
                                          "evidence_id": e} for pid, f, e in unique])
        _write(conn, work, _insert(T_STATUS), [{"project_id": pid, "article_id": article_id, "status": f.status or default_status,
                                         "event_date": published, "evidence_id": e} for pid, f, e in rows])
    year = published.year if published else None
    held = _held_regions(article_id, ex, project_ids, cache)
    amounts = [row for a, e in zip(ex.amounts, ev[3])
               if (row := _corrected(_amount_row(article_id, a, e, project_ids, year, gaz, cache, held), a, ex, cache))]
    _write(conn, work, _insert(T_AMOUNT), amounts)
    # every project the article touches: a new article may add an industry to a project
    # whose figures the rollups count under its industries (db.rollups)
    touched = {a["project_id"] for a in amounts if a["project_id"] is not None} | set(project_ids.values())
    if work is not None:
        work.figures_of(touched, article_id if amounts else None)
    elif touched or amounts:
        update_figures(conn, sorted(touched), [article_id] if amounts else [])
    if ex.periods:
        _write(conn, work, _insert(T_PERIOD), [
            {"article_id": article_id, "project_id": project_ids.get(p.project or ""), "start_year": p.start,
             "end_year": p.end, "text": p.text[:80], "evidence_id": e} for p, e in zip(ex.periods, ev[4])])
    if ex.jobs:
        _write(conn, work, _insert(T_JOBS), [
            {"article_id": article_id, "project_id": project_ids.get(j.project or ""), "count": j.count, "evidence_id": e}
            for j, e in zip(ex.jobs, ev[5])])
    if ex.excluded_amounts:
        _write(conn, work, _insert(T_EXCLUDED), [_fit(T_EXCLUDED, {
            "article_id": article_id, "krw": x.krw, "reason": x.reason, "label": x.label, "text": x.text,
            "cue": x.cue or None, "evidence_id": e}) for x, e in zip(ex.excluded_amounts, ev[6])])
    return created, len(amounts)


def facet_rows(article_id: int, published: date | None, sidos: set[str], industries: set[str]) -> list[dict]:
    """`article_facet` rows: the article under every combination of its 시도 and industries,
    '' standing for any (db.models.ArticleFacet)."""
    return [{"article_id": article_id, "sido_code": sido, "industry": industry, "published": published}
            for sido in ["", *sorted(sidos)] for industry in ["", *sorted(industries)]]


def _corrected(row: dict, a, ex: Extraction, cache: RunCache) -> dict | None:
    """The amount row after the analysts' corrections of its figure (None: rejected)."""
    for c in cache.corrections.figure(ex.article.content_hash, a.evidence.start, a.evidence.end):
        if c.kind == "reject_figure":
            return None
        if c.kind == "set_role":
            row["role"] = c.value["role"]
        elif c.kind == "move_figure" and (into := cache.corrections.merged(c.value["project"])) in cache.projects:
            row["project_id"] = cache.projects[into]
    row["dedup_key"] = dedup_key(row["project_id"], row["article_id"], row["role"], row["krw"])
    return row


def _held_regions(article_id: int, ex: Extraction, project_ids: dict[str, int], cache: RunCache) -> dict[int, str]:
    """Deriving an article again (`rederive`): the region its figures without one of their own had
    from each kept project. It was that project's most specific region as the articles stored up
    to this one gave it, which the project's regions now (later articles', an analyst's) are not."""
    held: dict[int, str] = {}
    for a in ex.amounts if cache.held else ():
        project_id = project_ids.get(a.project or "")
        region = cache.held.get((article_id, a.evidence.start, a.evidence.end))
        if a.region is None and project_id in cache.kept and region is not None:
            held.setdefault(project_id, region)
    return held


def _amount_row(article_id: int, a, evidence_id: int, project_ids: dict[str, int], year, gaz, cache: RunCache,
                held: Mapping[int, str]) -> dict:
    project_id = project_ids.get(a.project or "")
    region = a.region or held.get(project_id) or _main_region(cache.regions.get(project_id, set()))
    return _fit(T_AMOUNT, {
        "article_id": article_id, "project_id": project_id, "krw": a.krw, "role": a.role, "text": a.text[:80],
        "region_code": region, "sido_code": gaz.regions[region].sido_code if region else None,
        "year": year, "dedup_key": dedup_key(project_id, article_id, a.role, a.krw), "evidence_id": evidence_id,
        "cue": a.cue or None, "part_of": a.part_of, "doubt": a.doubt or None,
    })


def _main_region(codes: set[str]) -> str | None:
    """A project's most specific region: a 시군구 before a 시도."""
    return min(codes, key=lambda c: (-len(c), c)) if codes else None


def _fact_groups(ex: Extraction) -> tuple[Sequence, ...]:
    """The article's facts with evidence, in the order their evidence rows are written."""
    return (ex.regions, ex.industries, ex.projects, ex.amounts, ex.periods, ex.jobs, ex.excluded_amounts)


def _evidence_of(ex: Extraction) -> list[EvidenceRecord]:
    return [f.evidence for group in _fact_groups(ex) for f in group]


def _evidence_ids(conn: Connection, articles: Sequence[tuple[int, list[EvidenceRecord]]]) -> list[list[int]]:
    """Insert the evidence of these articles (article id, its evidence) in one statement; the ids, per article."""
    rows = [{"article_id": article_id, "sentence": e.sentence, "sentence_start": e.sentence_start,
             "span_start": e.start, "span_end": e.end} for article_id, items in articles for e in items]
    ids = iter(_inserted_ids(conn, T_EVIDENCE, rows))
    return [[next(ids) for _ in items] for _, items in articles]


def _inserted_ids(conn: Connection, table: Table, rows: list[dict]) -> list[int]:
    """Insert rows in one statement (an executemany); their ids, in the order of the rows."""
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        # SQLite numbers the rows of an INSERT in the order given (each new rowid one more
        # than the largest, under the write lock) but may return them in any order, and
        # SQLAlchemy keeps the order by inserting row by row: one INSERT, its ids sorted.
        return sorted(r[0] for r in conn.execute(_insert_returning(table), rows))
    return [r[0] for r in conn.execute(_insert_returning(table, in_order=True), rows)]


IDENTITY_LOCK_KEY = 0x50524149  # "PRAI": resolving project identity, one process at a time


def _lock_identity(conn: Connection, cache: RunCache) -> None:
    """Resolve projects one process at a time, knowing every project committed so far.

    Two loads at once would otherwise each create "당진 송산5산단" and
    "송산5산단" as new projects: different keys, so no unique key stops them.
    PostgreSQL: a transaction-scoped advisory lock. SQLite: the article's
    first write already holds the database's write lock, and a transaction
    that wrote first reads the newest commits. Once per transaction: while it
    holds the lock no other process can add a project, so the later articles
    of a batch need not look again."""
    transaction = conn.get_transaction()
    if cache.locked is transaction:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(IDENTITY_LOCK_KEY)))
    cache.catch_up(conn)
    cache.locked = transaction


def _reported(fact: ProjectFact, key: str, ex: Extraction) -> Reported:
    """What one article says about one of its projects, for `etl.identity.match`."""
    return Reported(key, frozenset(c for c in fact.regions if len(c) > 2),
                    frozenset(a.krw for a in ex.amounts if a.project == fact.name),
                    frozenset((p.start, p.end) for p in ex.periods if p.project == fact.name))


def _upsert_projects(conn: Connection, article_id: int, ex: Extraction, gaz,
                     cache: RunCache, work: BatchWork | None = None) -> tuple[dict[str, int], int]:
    """The project each fact names: one with the same key (or a key merged into
    it), one `etl.identity.match` finds the same, or a new row. A match is
    stored in `project_merge`. Each project counts this article once, however
    many of its names the article uses. Returns the ids by fact name and how
    many projects were created."""
    published = ex.article.published
    if ex.projects:
        _lock_identity(conn, cache)
    project_ids: dict[str, int] = {}
    created: set[int] = set()
    touched: dict[int, str | None] = {}
    merges = []
    for fact in ex.projects:
        sido = gaz.regions[fact.regions[0]].sido_code if fact.regions else None
        key = cache.corrections.merged(project_key(fact.name, sido))
        split = (ex.article.content_hash, fact.name) in cache.corrections.splits
        if split:  # a mention an analyst split off: a project of its own, never a match
            key = f"{key}#{ex.article.content_hash[:12]}"[:KEY_LENGTH]
        project_id = cache.projects.get(key)
        if project_id is None and not split:
            reported = _reported(fact, key, ex)
            found = match(reported, cache.candidates(sido))
            if found is not None:
                project_id = found.project_id
                cache.projects[key] = project_id
                merges.append({"project_id": project_id, "article_id": article_id, "key": key, "name": fact.name,
                               "score": found.score, "reason": found.reason, "created_at": _now()})
        if project_id is None:
            reused = {"id": cache.reuse.pop(key)} if key in cache.reuse else {}  # links to it keep working
            project_id = conn.execute(_insert_returning(T_PROJECT), {
                **reused, "key": key, "name": fact.name, "sido_code": sido, "status": fact.status,
                "first_published": published, "last_published": published, "n_articles": 1}).scalar_one()
            cache.add_project(project_id, key, sido)
            created.add(project_id)
        elif project_id not in created:
            reached = fact.status if fact.status != vocabulary().status_labels[0] else None
            touched[project_id] = reached or touched.get(project_id)
        project_ids[fact.name] = project_id
        _link_projects(conn, project_id, fact, cache, work)
        cache.amounts.setdefault(project_id, set()).update(a.krw for a in ex.amounts if a.project == fact.name)
        cache.periods.setdefault(project_id, set()).update((p.start, p.end) for p in ex.periods if p.project == fact.name)
        cache.changed(project_id)
    _write(conn, work, _insert(T_MERGE), merges)
    _touch_projects(conn, touched, published, work)
    return project_ids, len(created)


def _link_projects(conn: Connection, project_id: int, fact: ProjectFact, cache: RunCache,
                   work: BatchWork | None = None) -> None:
    """Regions and industries the project did not have yet."""
    have_regions = cache.regions.setdefault(project_id, set())
    region_rows = [{"project_id": project_id, "region_code": c} for c in dict.fromkeys(fact.regions) if c not in have_regions]
    have_regions.update(fact.regions)
    have_industries = cache.industries.setdefault(project_id, set())
    industry_rows = [{"project_id": project_id, "industry": i} for i in dict.fromkeys(fact.industries)
                     if i not in have_industries]
    have_industries.update(fact.industries)
    _write(conn, work, _insert(T_PREGION), region_rows)
    _write(conn, work, _insert(T_PINDUSTRY), industry_rows)


def _touch_projects(conn: Connection, statuses: dict[int, str | None], published: date | None,
                    work: BatchWork | None = None) -> None:
    """One more article for each existing project: count, first/last date and
    the status the latest article reports (None, i.e. 계획 or no status word,
    keeps the one reached); one prepared statement for them all."""
    if statuses:
        dated = published is not None
        rows = [{"pid": pid, "pub": published, "new_status": status} if dated else {"pid": pid}
                for pid, status in statuses.items()]
        _write(conn, work, _touch_statement(dated), rows)


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
        status = bindparam("new_status", type_=String)  # NULL: the article reports no new status (계획)
        values["status"] = case((and_(latest, status.is_not(None)), status), else_=T_PROJECT.c.status)
        values["last_published"] = case((latest, pub), else_=last)
    return update(T_PROJECT).where(T_PROJECT.c.id == bindparam("pid")).values(**values)


# ---------------------------------------------------------------- rebuild

FACT_TABLES = (RollupRegion, RollupIndustry, RollupProjects, ProjectMoney, FigureConflict, ArticleFacet, Figure, StatusEvent, Amount, ExcludedAmount, Period, Jobs, ProjectMerge, ProjectMention, ProjectRegion,
               ProjectIndustry, Project, ArticleRegion, ArticleIndustry, Evidence)
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
        yield from (_stored_document(row) for row in rows)
        last = rows[-1].id


def _stored_document(row) -> Document:
    """A stored article as the document it was read from, with the metadata the input stated."""
    meta = json.loads(row.doc_meta or "{}")
    if meta.get("published"):
        meta["published"] = date.fromisoformat(meta["published"])
    return Document(doc_id=row.doc_id, source=f"{REBUILD_SOURCE}{row.id}", raw_text=row.raw_text, fmt=row.fmt,
                    **{k: v for k, v in meta.items() if k in ("title", "published", "outlet", "reporter", "url")})


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


# ---------------------------------------------------------------- a correction, derived where it lands

@dataclass
class Scope:
    """What corrections touch: the articles to derive again and the projects to recompose.

    A recomposed project is dropped and derived again from all of its articles
    (`articles_of`), as a rebuild would: a merge, a split, and the undoing of a
    rename or of set regions or industries change which mentions it holds or
    what they give it. The other projects those articles name keep their rows
    and their identity decisions (keys, project_merge); only the rows the
    articles themselves hold are derived again. `refresh` are projects whose
    own corrections are re-applied without deriving anything."""

    articles: set[int] = field(default_factory=set)
    projects: set[int] = field(default_factory=set)
    refresh: set[int] = field(default_factory=set)


class Rederived(NamedTuple):
    """What deriving articles again did: the kept projects whose mentions changed (to recompose
    as well) and every project whose rows changed, before and after."""

    moved: set[int]
    touched: set[int]


def correction_scope(conn: Connection, cache: RunCache, corrections: Iterable[Correction]) -> Scope:
    """What each correction (just added, or just undone) touches, by its kind (etl.corrections)."""
    scope = Scope()
    stored = [from_row(r._mapping) for r in conn.execute(select(T_CORRECTION).order_by(T_CORRECTION.c.id))]
    for c in corrections:
        t = c.target
        article_id = conn.scalar(select(T_ARTICLE.c.id).where(T_ARTICLE.c.content_hash == t["article"])) if "article" in t else None
        if c.kind in FIGURE_KINDS:
            scope.articles.update([article_id] if article_id is not None else [])
        elif c.kind in MENTION_KINDS:
            if article_id is not None:
                scope.articles.add(article_id)
                named = set(conn.scalars(select(T_MENTION.c.project_id).where(T_MENTION.c.article_id == article_id,
                                                                                T_MENTION.c.name == t["name"])))
                scope.projects.update(named or conn.scalars(select(T_MENTION.c.project_id)
                                                            .where(T_MENTION.c.article_id == article_id)))
        elif c.kind == "merge_projects":  # the projects of both keys, merged as now and as if it were active
            with_it = CorrectionSet.of([*stored, Correction(c.kind, c.target, c.value)])
            keys = {t["project"], c.value["into"]}
            keys |= {s.merged(k) for k in tuple(keys) for s in (cache.corrections, with_it)}
            scope.projects.update(cache.projects[k] for k in keys if k in cache.projects)
        else:
            project_id = cache.projects.get(cache.corrections.merged(t["project"]))
            if project_id is not None:  # undone: derive what the correction had replaced
                (scope.projects if c.undone_at is not None else scope.refresh).add(project_id)
    return scope


def articles_of(conn: Connection, project_ids: Collection[int]) -> set[int]:
    """Every article with a row of these projects (mentions, figures moved into them, periods, jobs)."""
    if not project_ids:
        return set()
    ids = sorted(project_ids)
    found: set[int] = set()
    for table in (T_MENTION, T_AMOUNT, T_PERIOD, T_JOBS, T_STATUS):
        found.update(conn.scalars(select(table.c.article_id).where(table.c.project_id.in_(ids)).distinct()))
    return found


def documents_of(conn: Connection, article_ids: Collection[int]) -> list[Document]:
    """The stored documents of these articles, in id order (see `stored_documents`)."""
    rows = conn.execute(select(T_ARTICLE.c.id, T_ARTICLE.c.doc_id, T_ARTICLE.c.raw_text, T_ARTICLE.c.fmt,
                               T_ARTICLE.c.doc_meta).where(T_ARTICLE.c.id.in_(sorted(article_ids))).order_by(T_ARTICLE.c.id))
    return [_stored_document(row) for row in rows]


_FACTS_OF_ARTICLE = (T_AMOUNT, T_EXCLUDED, T_PERIOD, T_JOBS, T_STATUS, T_MENTION, T_AREGION, T_AINDUSTRY, T_FACET)
_KEPT = ("n_articles", "first_published", "last_published", "status")


def _projects_of_articles(conn: Connection, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for table in (T_MENTION, T_AMOUNT, T_PERIOD, T_JOBS, T_STATUS):
        found.update(p for p in conn.scalars(select(table.c.project_id).where(table.c.article_id.in_(ids)).distinct())
                     if p is not None)
    return found


def _mentions(conn: Connection, ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for project_id, article_id in conn.execute(select(T_MENTION.c.project_id, T_MENTION.c.article_id)
                                               .where(T_MENTION.c.article_id.in_(ids))):
        out.setdefault(project_id, set()).add(article_id)
    return out


def rederive(conn: Connection, cache: RunCache, article_ids: Collection[int], extractions: Sequence[Extraction],
             recompose: Collection[int]) -> Rederived:
    """Derive these articles' facts again (re-extracted from their stored text) and the
    projects in `recompose` from scratch, in article order, as a rebuild would
    (one derived under its old key keeps its id, so links to it still work).

    The articles' rows are dropped (their loose figures too), then the recomposed
    projects (forgotten by the cache), and the articles are written again
    through `restore`. A kept project keeps its article count, dates and status
    (its mentions are the same articles'); when its mentions did change (a split
    mention rejoining it), it is returned in `moved`, to be recomposed too."""
    ids = sorted(int(ex.article.source.removeprefix(REBUILD_SOURCE)) for ex in extractions)
    recompose = sorted(recompose)
    before = _projects_of_articles(conn, ids) | set(recompose)
    kept = sorted(before - set(recompose))
    mentions = {p: a for p, a in _mentions(conn, ids).items() if p in kept}
    reuse = dict(conn.execute(select(T_PROJECT.c.key, T_PROJECT.c.id).where(T_PROJECT.c.id.in_(recompose))).all())
    aggregates = [dict(r._mapping) for r in conn.execute(select(T_PROJECT.c.id, *(T_PROJECT.c[c] for c in _KEPT))
                                                         .where(T_PROJECT.c.id.in_(kept)))] if kept else []
    held = {(r.article_id, r.span_start, r.span_end): r.region_code for r in conn.execute(
        select(T_AMOUNT.c.article_id, T_AMOUNT.c.region_code, T_EVIDENCE.c.span_start, T_EVIDENCE.c.span_end)
        .join(T_EVIDENCE, T_EVIDENCE.c.id == T_AMOUNT.c.evidence_id).where(T_AMOUNT.c.article_id.in_(ids)))
        if r.region_code is not None}
    forget_loose_figures(conn, ids)
    for table in _FACTS_OF_ARTICLE:
        conn.execute(delete(table).where(table.c.article_id.in_(ids)))
    conn.execute(delete(T_EVIDENCE).where(T_EVIDENCE.c.article_id.in_(ids)))
    if recompose:
        update_figures(conn, recompose)  # none of their figures is left: their rows go
        rollups.forget_projects(conn, recompose)  # and what they counted for
        for table in (T_MERGE, T_PREGION, T_PINDUSTRY):
            conn.execute(delete(table).where(table.c.project_id.in_(recompose)))
        conn.execute(delete(T_PROJECT).where(T_PROJECT.c.id.in_(recompose)))
    cache.forget(recompose)
    existing = set(cache.keys)
    cache.reuse = reuse  # a project derived again under its old key keeps its id
    cache.held, cache.kept = held, set(kept)  # and a kept project's figures their regions
    for ex in extractions:
        restore(conn, ex, cache)
    cache.reuse, cache.held, cache.kept = {}, {}, set()
    if aggregates:
        conn.execute(update(T_PROJECT).where(T_PROJECT.c.id == bindparam("pid"))
                     .values(**{c: bindparam(f"v_{c}") for c in _KEPT}),
                     [{"pid": a["id"], **{f"v_{c}": a[c] for c in _KEPT}} for a in aggregates])
    after = {p: a for p, a in _mentions(conn, ids).items() if p in existing}
    moved = {p for p in set(mentions) | set(after) if mentions.get(p) != after.get(p)}
    return Rederived(moved, before | _projects_of_articles(conn, ids))


def settle_projects(conn: Connection, project_ids: Collection[int]) -> None:
    """After deriving some projects again: their corrections, late figure moves and figures."""
    corrections = _active(conn)
    ids = sorted(project_ids)
    apply_figure_moves(conn, corrections)
    apply_project_corrections(conn, corrections, set(ids))
    update_figures(conn, ids)


# ---------------------------------------------------------------- corrections

def _active(conn: Connection) -> CorrectionSet:
    return CorrectionSet.of(from_row(r._mapping) for r in conn.execute(select(T_CORRECTION).order_by(T_CORRECTION.c.id)))


def apply_project_corrections(conn: Connection, corrections: CorrectionSet | None = None,
                              project_ids: Collection[int] | None = None) -> int:
    """Rename projects and set their regions and industries as analysts said (etl.corrections);
    run after every load and rebuild, since articles stored later add regions of their own.
    `project_ids`: only the corrections of these projects (a correction applied where it lands).
    Each corrected project's figures are derived again (db.figures.update_figures). Returns how
    many corrections found their project."""
    if corrections is None:
        corrections = _active(conn)
    applied: list[int] = []
    for c in corrections.projects:
        project_id = conn.execute(select(T_PROJECT.c.id).where(T_PROJECT.c.key == corrections.merged(c.target["project"]))).scalar()
        if project_id is None or (project_ids is not None and project_id not in project_ids):
            continue
        applied.append(project_id)
        if c.kind == "rename_project":
            conn.execute(update(T_PROJECT).where(T_PROJECT.c.id == project_id).values(name=c.value["name"]))
        elif c.kind == "set_regions":
            conn.execute(delete(T_PREGION).where(T_PREGION.c.project_id == project_id))
            conn.execute(insert(T_PREGION), [{"project_id": project_id, "region_code": code} for code in c.value["regions"]])
        elif c.kind == "set_industries":
            conn.execute(delete(T_PINDUSTRY).where(T_PINDUSTRY.c.project_id == project_id))
            conn.execute(insert(T_PINDUSTRY), [{"project_id": project_id, "industry": i} for i in c.value["industries"]])
    if applied:
        update_figures(conn, sorted(set(applied)))
    return len(applied)


def apply_figure_moves(conn: Connection, corrections: CorrectionSet | None = None) -> set[int]:
    """Move figures into projects that did not exist yet when their article was stored.

    An article is stored before the projects of later articles: a figure moved
    into one of them (move_figure) is moved once every article is in, at the
    end of each load and rebuild, so the correction does not depend on the order
    of the articles. Returns the projects whose figures changed (before and after)."""
    if corrections is None:
        corrections = _active(conn)
    moved: set[int] = set()
    for (content_hash, start, end), found in corrections.figures.items():
        if any(c.kind == "reject_figure" for c in found):
            continue
        keys = [corrections.merged(c.value["project"]) for c in found if c.kind == "move_figure"]
        into = next((pid for key in reversed(keys) if (pid := _project_of_key(conn, key)) is not None), None)
        if into is None:
            continue
        row = conn.execute(select(T_AMOUNT.c.id, T_AMOUNT.c.project_id, T_AMOUNT.c.role, T_AMOUNT.c.krw)
                           .join(T_EVIDENCE, T_EVIDENCE.c.id == T_AMOUNT.c.evidence_id)
                           .join(T_ARTICLE, T_ARTICLE.c.id == T_AMOUNT.c.article_id)
                           .where(T_ARTICLE.c.content_hash == content_hash, T_EVIDENCE.c.span_start == start,
                                  T_EVIDENCE.c.span_end == end)).first()
        if row is None or row.project_id == into:
            continue
        conn.execute(update(T_AMOUNT).where(T_AMOUNT.c.id == row.id)
                     .values(project_id=into, dedup_key=dedup_key(into, None, row.role, row.krw)))
        moved.update(p for p in (row.project_id, into) if p is not None)
    if moved:
        update_figures(conn, sorted(moved))
    return moved


def _project_of_key(conn: Connection, key: str) -> int | None:
    """The project a key names: its own key, or one merged into it (project_merge)."""
    found = conn.execute(select(T_PROJECT.c.id).where(T_PROJECT.c.key == key)).scalar()
    if found is None:
        found = conn.execute(select(T_MERGE.c.project_id).where(T_MERGE.c.key == key).order_by(T_MERGE.c.id)).scalar()
    return found


def dedup_key(project_id: int | None, article_id: int | None, role: str, krw: int) -> str:
    """A figure's identity in `figure`: one per project, role and value (else per article)."""
    owner = f"p{project_id}" if project_id else f"a{article_id}"
    return f"{owner}:{role}:{krw}"


def add_corrections(engine: Engine, corrections: list[Correction]) -> list[int]:
    """Store corrections (validated); they apply from the next `load --rebuild` (etl.load.rebuild),
    or at once through etl.load.correct."""
    with engine.begin() as conn:
        return insert_corrections(conn, corrections)


def insert_corrections(conn: Connection, corrections: Sequence[Correction]) -> list[int]:
    for c in corrections:
        validate(c)
    return [conn.execute(insert(T_CORRECTION).returning(T_CORRECTION.c.id), c.row()).scalar_one() for c in corrections]


def undo_correction(engine: Engine, correction_id: int) -> bool:
    """Mark a correction undone (the record stays); False when there is no such active correction."""
    with engine.begin() as conn:
        return mark_undone(conn, correction_id) is not None


def mark_undone(conn: Connection, correction_id: int) -> Correction | None:
    """The correction, now undone; None when there is no such active correction."""
    done = conn.execute(update(T_CORRECTION).where(T_CORRECTION.c.id == correction_id, T_CORRECTION.c.undone_at.is_(None))
                        .values(undone_at=_now()))
    if not done.rowcount:
        return None
    return from_row(conn.execute(select(T_CORRECTION).where(T_CORRECTION.c.id == correction_id)).one()._mapping)


def stored_corrections(engine: Engine) -> list[tuple[int, Correction]]:
    """Every correction, active and undone, oldest first."""
    with engine.connect() as conn:
        return [(r.id, from_row(r._mapping)) for r in conn.execute(select(T_CORRECTION).order_by(T_CORRECTION.c.id))]
