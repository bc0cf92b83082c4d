"""Writing extractions to the database: the one stage that does I/O on it.

Every article is stored in its own transaction, so a crash leaves whole
articles or nothing. An input already loaded (same bytes) is skipped before
any work is spent on it; an article already stored under another source
(same cleaned text, or same URL) gains that source and nothing else. A
project several articles report is one `Project` row: its key is the 시도
and the normalised name, abbreviations expanded (국가산단 = 국가산업단지).
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import NamedTuple

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from db import search
from db.models import (
    Amount,
    Article,
    ArticleIndustry,
    ArticleRegion,
    ArticleSource,
    EtlRun,
    Evidence,
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
from etl.projects import dice, name_key
from etl.readers import DEFAULT_MAX_BYTES
from etl.records import Document, Evidence as EvidenceRecord, Extraction, ProjectFact, Rejection

log = logging.getLogger(__name__)
Progress = Callable[[int, int | None], None]
ABBREVIATIONS = (("국가산단", "국가산업단지"), ("일반산단", "일반산업단지"), ("산단", "산업단지"))
SAME_PROJECT = 0.8
RETRIES = 3


@dataclass
class LoadSummary:
    run_id: int
    read: int = 0
    new: int = 0
    unchanged: int = 0
    rejected: int = 0
    projects: int = 0
    amounts: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.read} articles read: {self.new} new, {self.unchanged} unchanged, {self.rejected} rejected; "
            f"{self.projects} new projects, {self.amounts} amounts; {self.seconds:.1f} s"
        )


class _Stored(NamedTuple):
    status: str  # "new" | "duplicate"
    projects: int = 0
    amounts: int = 0


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def project_key(name: str, sido_code: str | None) -> str:
    """The identity of a project across articles: 시도 plus normalised name."""
    key = name_key(name)
    for short, full in ABBREVIATIONS:
        key = key.replace(full, "\0").replace(short, full).replace("\0", full)
    return f"{sido_code or '00'}:{key}"[:200]


def count_inputs(paths: Sequence[str]) -> int | None:
    """Files to read, for a progress total (None when reading standard input)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        if os.path.isdir(path):
            total += sum(len([f for f in files if not f.startswith(".")]) for _, _, files in os.walk(path))
        else:
            total += 1
    return total


# ---------------------------------------------------------------- runs

def start_run(engine: Engine, command: str) -> int:
    with Session(engine) as session:
        run = EtlRun(command=command, extractor_version=EXTRACTOR_VERSION, started_at=_now(), status="running")
        session.add(run)
        session.commit()
        return run.id


def finish_run(engine: Engine, summary: LoadSummary, status: str) -> None:
    with Session(engine) as session:
        session.execute(
            update(EtlRun).where(EtlRun.id == summary.run_id).values(
                finished_at=_now(), status=status, n_read=summary.read, n_new=summary.new,
                n_unchanged=summary.unchanged, n_rejected=summary.rejected, n_projects=summary.projects,
                n_amounts=summary.amounts, seconds=round(summary.seconds, 3),
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


# ---------------------------------------------------------------- loading

def load_paths(
    paths: Sequence[str],
    engine: Engine,
    *,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadSummary:
    """Read, extract and store everything under `paths`."""
    from etl.pipeline import run

    ensure_schema(engine)
    started = time.perf_counter()
    summary = LoadSummary(run_id=start_run(engine, "load"))
    seen = known_sources(engine)
    total = count_inputs(paths)

    def skip(doc: Document) -> bool:
        return bool(doc.source_hash) and doc.source_hash in seen

    def on_skip(_doc: Document) -> None:
        summary.read += 1
        summary.unchanged += 1
        _tick()

    def _tick() -> None:
        if progress is not None:
            progress(summary.read, total)

    status = "failed"
    try:
        for item in run(paths, max_bytes=max_bytes, skip=skip, on_skip=on_skip):
            summary.read += 1
            if isinstance(item, Rejection):
                summary.rejected += 1
                summary.rejections.append(item)
                record_rejection(engine, summary.run_id, item)
            else:
                stored = store_with_retry(engine, item, summary.run_id)
                seen.add(item.article.source_hash)
                if stored.status == "new":
                    summary.new += 1
                else:
                    summary.unchanged += 1
                summary.projects += stored.projects
                summary.amounts += stored.amounts
            _tick()
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        finish_run(engine, summary, status)
    return summary


def store_with_retry(engine: Engine, ex: Extraction, run_id: int) -> _Stored:
    """Store one article in its own transaction; a concurrent writer that took
    the same project or article first makes us retry, not fail."""
    for attempt in range(RETRIES):
        try:
            with Session(engine) as session, session.begin():
                return store(session, ex, run_id)
        except (IntegrityError, OperationalError) as exc:
            if attempt == RETRIES - 1:
                raise
            log.debug("retrying %s after %s", ex.article.source, exc)
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def store(session: Session, ex: Extraction, run_id: int) -> _Stored:
    art = ex.article
    existing = session.scalar(select(Article.id).where(Article.content_hash == art.content_hash))
    if existing is None and art.url:
        existing = session.scalar(select(Article.id).where(Article.url == art.url).limit(1))
    if existing is not None:
        _add_source(session, existing, ex, run_id)
        return _Stored("duplicate")
    article_id = session.execute(
        insert(Article).returning(Article.id),
        {
            "doc_id": art.doc_id, "title": art.title, "published": art.published, "outlet": art.outlet,
            "reporter": art.reporter, "url": art.url, "fmt": art.fmt, "raw_text": art.raw_text, "text": art.text,
            "body_start": art.body_start, "doc_meta": _doc_meta(ex), "content_hash": art.content_hash,
            "extractor_version": EXTRACTOR_VERSION, "loaded_at": _now(), "run_id": run_id,
        },
    ).scalar_one()
    _add_source(session, article_id, ex, run_id)
    new_projects, amounts = write_facts(session, article_id, ex)
    search.index_articles(session, [_Indexed(article_id, art.title, art.text)])
    return _Stored("new", new_projects, amounts)


class _Indexed(NamedTuple):
    id: int
    title: str
    text: str


def _doc_meta(ex: Extraction) -> str:
    """The metadata the input stated itself, for re-cleaning on a rebuild."""
    a = ex.article
    stated = {name: getattr(a, name) for name in a.stated}
    if isinstance(stated.get("published"), date):
        stated["published"] = stated["published"].isoformat()
    return json.dumps(stated, ensure_ascii=False)


def _add_source(session: Session, article_id: int, ex: Extraction, run_id: int) -> None:
    art = ex.article
    source_hash = art.source_hash or art.content_hash
    if session.scalar(select(ArticleSource.id).where(ArticleSource.source_hash == source_hash)) is not None:
        return
    session.execute(insert(ArticleSource), {
        "article_id": article_id, "source": art.source, "source_hash": source_hash, "fmt": art.fmt,
        "outlet": art.outlet, "url": art.url, "seen_at": _now(), "run_id": run_id,
    })


def _evidence_ids(session: Session, article_id: int, items: list[EvidenceRecord]) -> list[int]:
    if not items:
        return []
    rows = [{"article_id": article_id, "sentence": e.sentence, "sentence_start": e.sentence_start,
             "span_start": e.start, "span_end": e.end} for e in items]
    result = session.execute(insert(Evidence).returning(Evidence.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def write_facts(session: Session, article_id: int, ex: Extraction) -> tuple[int, int]:
    """Evidence, regions, industries, projects, amounts, periods and jobs of one
    article. Returns (projects created, amounts written)."""
    gaz = load_gazetteer()
    published = ex.article.published
    ev_regions = _evidence_ids(session, article_id, [r.evidence for r in ex.regions])
    if ex.regions:
        session.execute(insert(ArticleRegion), [
            {"article_id": article_id, "region_code": r.code, "score": r.score, "evidence_id": e}
            for r, e in zip(ex.regions, ev_regions)
        ])
    ev_ind = _evidence_ids(session, article_id, [i.evidence for i in ex.industries])
    if ex.industries:
        session.execute(insert(ArticleIndustry), [
            {"article_id": article_id, "industry": i.label, "score": i.score, "evidence_id": e}
            for i, e in zip(ex.industries, ev_ind)
        ])
    project_ids: dict[str, int] = {}
    created = 0
    ev_proj = _evidence_ids(session, article_id, [p.evidence for p in ex.projects])
    for fact, evidence_id in zip(ex.projects, ev_proj):
        project_id, is_new = _upsert_project(session, fact, published, gaz)
        created += is_new
        project_ids[fact.name] = project_id
        session.execute(insert(ProjectMention), {"project_id": project_id, "article_id": article_id,
                                                 "name": fact.name, "score": fact.score, "evidence_id": evidence_id})
        session.execute(insert(StatusEvent), {"project_id": project_id, "article_id": article_id,
                                              "status": fact.status or "계획", "event_date": published,
                                              "evidence_id": evidence_id})
    _write_amounts(session, article_id, ex, project_ids, gaz)
    _write_periods(session, article_id, ex, project_ids)
    _write_jobs(session, article_id, ex, project_ids)
    return created, len(ex.amounts)


def _write_amounts(session: Session, article_id: int, ex: Extraction, project_ids: dict[str, int], gaz) -> None:
    if not ex.amounts:
        return
    ids = _evidence_ids(session, article_id, [a.evidence for a in ex.amounts])
    year = ex.article.published.year if ex.article.published else None
    rows = []
    for a, evidence_id in zip(ex.amounts, ids):
        project_id = project_ids.get(a.project or "")
        region = a.region or _project_region(session, project_id)
        owner = f"p{project_id}" if project_id else f"a{article_id}"
        rows.append({
            "article_id": article_id, "project_id": project_id, "krw": a.krw, "role": a.role, "text": a.text[:80],
            "region_code": region, "sido_code": gaz.regions[region].sido_code if region else None,
            "year": year, "dedup_key": f"{owner}:{a.role}:{a.krw}", "evidence_id": evidence_id,
        })
    session.execute(insert(Amount), rows)


def _project_region(session: Session, project_id: int | None) -> str | None:
    if project_id is None:
        return None
    return session.scalar(select(ProjectRegion.region_code).where(ProjectRegion.project_id == project_id)
                          .order_by(func.length(ProjectRegion.region_code).desc()).limit(1))


def _write_periods(session: Session, article_id: int, ex: Extraction, project_ids: dict[str, int]) -> None:
    if not ex.periods:
        return
    ids = _evidence_ids(session, article_id, [p.evidence for p in ex.periods])
    session.execute(insert(Period), [
        {"article_id": article_id, "project_id": project_ids.get(p.project or ""), "start_year": p.start,
         "end_year": p.end, "text": p.text[:80], "evidence_id": e}
        for p, e in zip(ex.periods, ids)
    ])


def _write_jobs(session: Session, article_id: int, ex: Extraction, project_ids: dict[str, int]) -> None:
    if not ex.jobs:
        return
    ids = _evidence_ids(session, article_id, [j.evidence for j in ex.jobs])
    session.execute(insert(Jobs), [
        {"article_id": article_id, "project_id": project_ids.get(j.project or ""), "count": j.count, "evidence_id": e}
        for j, e in zip(ex.jobs, ids)
    ])


def _upsert_project(session: Session, fact: ProjectFact, published: date | None, gaz) -> tuple[int, bool]:
    """The project this fact names: an existing one with the same key or, in
    the same 시군구, a very similar name; else a new row."""
    sido = gaz.regions[fact.regions[0]].sido_code if fact.regions else None
    key = project_key(fact.name, sido)
    project_id = session.scalar(select(Project.id).where(Project.key == key))
    if project_id is None:
        project_id = _similar_project(session, fact, key)
    is_new = project_id is None
    if is_new:
        project_id = session.execute(insert(Project).returning(Project.id), {
            "key": key, "name": fact.name, "sido_code": sido, "status": fact.status,
            "first_published": published, "last_published": published, "n_articles": 0,
        }).scalar_one()
        _link_project(session, project_id, fact)
    else:
        _link_project(session, project_id, fact)
    _touch_project(session, project_id, fact, published)
    return project_id, is_new


def _similar_project(session: Session, fact: ProjectFact, key: str) -> int | None:
    cities = [c for c in fact.regions if len(c) > 2]
    if not cities:
        return None
    prefix, name = key.split(":", 1)
    rows = session.execute(
        select(Project.id, Project.key).join(ProjectRegion, ProjectRegion.project_id == Project.id)
        .where(ProjectRegion.region_code == cities[0], Project.key.like(f"{prefix}:%"))
    ).all()
    best = max(rows, key=lambda r: dice(r.key.split(":", 1)[1], name), default=None)
    if best is not None and dice(best.key.split(":", 1)[1], name) >= SAME_PROJECT:
        return best.id
    return None


def _link_project(session: Session, project_id: int, fact: ProjectFact) -> None:
    have_regions = set(session.scalars(select(ProjectRegion.region_code).where(ProjectRegion.project_id == project_id)))
    new_regions = [c for c in dict.fromkeys(fact.regions) if c not in have_regions]
    if new_regions:
        session.execute(insert(ProjectRegion), [{"project_id": project_id, "region_code": c} for c in new_regions])
    have_ind = set(session.scalars(select(ProjectIndustry.industry).where(ProjectIndustry.project_id == project_id)))
    new_ind = [i for i in dict.fromkeys(fact.industries) if i not in have_ind]
    if new_ind:
        session.execute(insert(ProjectIndustry), [{"project_id": project_id, "industry": i} for i in new_ind])


def _touch_project(session: Session, project_id: int, fact: ProjectFact, published: date | None) -> None:
    """Keep the project's article count, first/last date and latest status current."""
    row = session.execute(select(Project.first_published, Project.last_published).where(Project.id == project_id)).one()
    values: dict = {"n_articles": Project.n_articles + 1}
    if published is not None:
        if row.first_published is None or published < row.first_published:
            values["first_published"] = published
        if row.last_published is None or published >= row.last_published:
            values["last_published"] = published
            values["status"] = fact.status
    session.execute(update(Project).where(Project.id == project_id).values(**values))


# ---------------------------------------------------------------- rebuild

FACT_TABLES = (StatusEvent, Amount, Period, Jobs, ProjectMention, ProjectRegion, ProjectIndustry, Project,
               ArticleRegion, ArticleIndustry, Evidence)


def rebuild(engine: Engine, *, progress: Progress | None = None, batch: int = 500) -> LoadSummary:
    """Re-extract every stored article from its stored raw text.

    For when the extraction rules or data files change: the original files are
    not needed. Extracted facts and projects are derived data, so they are
    dropped and derived again; articles and their sources stay.
    """
    from sqlalchemy import delete

    from etl.pipeline import clean_document, extract_articles

    ensure_schema(engine)
    started = time.perf_counter()
    summary = LoadSummary(run_id=start_run(engine, "rebuild"))
    with Session(engine) as session, session.begin():
        for table in FACT_TABLES:
            session.execute(delete(table))
        total = session.scalar(select(func.count(Article.id)))
    status = "failed"
    try:
        documents = (clean_document(doc) for doc in _stored_documents(engine, batch))
        for item in extract_articles(documents):
            summary.read += 1
            if isinstance(item, Rejection):
                summary.rejected += 1
                summary.rejections.append(item)
                record_rejection(engine, summary.run_id, item)
            else:
                with Session(engine) as session, session.begin():
                    created, amounts = _restore(session, item, summary.run_id)
                summary.new += 1
                summary.projects += created
                summary.amounts += amounts
            if progress is not None:
                progress(summary.read, total)
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        finish_run(engine, summary, status)
    return summary


REBUILD_SOURCE = "db:article/"


def _stored_documents(engine: Engine, batch: int):
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


def _restore(session: Session, ex: Extraction, run_id: int) -> tuple[int, int]:
    article_id = int(ex.article.source.removeprefix(REBUILD_SOURCE))
    art = ex.article
    values = {"title": art.title, "published": art.published, "outlet": art.outlet, "reporter": art.reporter,
              "text": art.text, "body_start": art.body_start, "extractor_version": EXTRACTOR_VERSION}
    clash = session.scalar(select(Article.id).where(Article.content_hash == art.content_hash, Article.id != article_id))
    if clash is None:
        values["content_hash"] = art.content_hash
    session.execute(update(Article).where(Article.id == article_id).values(**values))
    created, amounts = write_facts(session, article_id, ex)
    search.index_articles(session, [_Indexed(article_id, art.title, art.text)])
    return created, amounts
