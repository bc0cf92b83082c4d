"""SQLAlchemy 2.0 models for Policy Radar.

The schema separates what was read (articles and their sources), what was
extracted from each article (evidence, amounts, periods, status events, jobs,
regions, industries), and what those facts are about (projects, which several
articles may report). Every extracted figure points at an `Evidence` row: the
sentence and the character span in the article's cleaned text.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Region(Base):
    """A 시도 or 시군구 from the gazetteer; codes are the official 행정구역 codes."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    sido_code: Mapped[str] = mapped_column(String(2), index=True)
    sido: Mapped[str] = mapped_column(String(20))
    sigungu: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(10))  # sido | sigungu | gu
    parent_code: Mapped[str | None] = mapped_column(String(10))


class EtlRun(Base):
    """One invocation of `python -m etl load` (or rebuild)."""

    __tablename__ = "etl_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(String(40))
    extractor_version: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    n_read: Mapped[int] = mapped_column(Integer, default=0)
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    n_rejected: Mapped[int] = mapped_column(Integer, default=0)
    n_projects: Mapped[int] = mapped_column(Integer, default=0)
    n_amounts: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None] = mapped_column(Float)
    # What the run changed (db.queries.load_changes), worked out once when it finished
    # so the overview does not derive it from every fact on each visit (0007).
    changes: Mapped[dict | None] = mapped_column(JSON)


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    outlet: Mapped[str | None] = mapped_column(String(100))
    reporter: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(Text)
    fmt: Mapped[str] = mapped_column(String(20))
    raw_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    body_start: Mapped[int] = mapped_column(Integer, default=0)
    # Metadata the input stated itself (a BIGKinds date column, og:title), as
    # JSON, so that a rebuild re-cleans the raw text with the same facts.
    doc_meta: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    extractor_version: Mapped[str] = mapped_column(String(40))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("etl_run.id"))

    sources: Mapped[list[ArticleSource]] = relationship(back_populates="article", cascade="all, delete-orphan")


class ArticleSource(Base):
    """Where an article was read from. One article may arrive from several files or outlets."""

    __tablename__ = "article_source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64), unique=True)
    fmt: Mapped[str] = mapped_column(String(20))
    outlet: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(Text, index=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("etl_run.id"))

    article: Mapped[Article] = relationship(back_populates="sources")


class Evidence(Base):
    """A sentence of an article and the character span of one fact in it.

    Offsets are into `Article.text`; `sentence_start` lets a reader highlight the
    span inside `sentence` without loading the whole article.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    sentence: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int] = mapped_column(Integer)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class Project(Base):
    """A policy project, plan, designation or programme; one row however many articles report it."""

    __tablename__ = "project"
    # the timeline walks projects by how many articles report them, and stops at its limit
    __table_args__ = (Index("ix_project_n_articles", "n_articles"), Index("ix_project_recent", "last_published", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    sido_code: Mapped[str | None] = mapped_column(String(2), index=True)
    status: Mapped[str | None] = mapped_column(String(10))
    first_published: Mapped[date | None] = mapped_column(Date)
    last_published: Mapped[date | None] = mapped_column(Date)
    n_articles: Mapped[int] = mapped_column(Integer, default=0)


class ProjectMerge(Base):
    """That a name an article reported joined a project it did not match exactly.

    `etl.identity` decided it from the evidence in `reason` (JSON: name
    likeness, shared 시군구, figures, periods) with `score`; the row shows
    the merge and lets an analyst undo it. `key` is the reported name's own
    project key, so later reports under that key join the same project.
    """

    __tablename__ = "project_merge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Correction(Base):
    """An analyst's correction of what the extractor found: what, who, when, why.

    Bound to stable identities, not row ids, so that the writer applies it
    again after `load --rebuild` and a re-extraction (etl/corrections.py):
    a figure is its article's content hash and the span of its text; a
    project is its key. `target` and `value` are JSON; an undone correction
    keeps its row with `undone_at` set.
    """

    __tablename__ = "correction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(100))
    why: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ProjectMention(Base):
    """That an article reports a project, with the name as written there."""

    __tablename__ = "project_mention"
    __table_args__ = (UniqueConstraint("project_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))


# Filters select articles and projects by region and industry: indexes on (code, id) answer
# "the ids of this region" from the index alone, without a lookup per row (migration 0007).
class ProjectRegion(Base):
    __tablename__ = "project_region"
    __table_args__ = (Index("ix_project_region_region_code", "region_code", "project_id"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)


class ProjectIndustry(Base):
    __tablename__ = "project_industry"
    __table_args__ = (Index("ix_project_industry_industry", "industry", "project_id"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    industry: Mapped[str] = mapped_column(String(20), primary_key=True)


class ArticleRegion(Base):
    __tablename__ = "article_region"
    __table_args__ = (Index("ix_article_region_region_code", "region_code", "article_id"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))


class ArticleIndustry(Base):
    __tablename__ = "article_industry"
    __table_args__ = (Index("ix_article_industry_industry", "industry", "article_id"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    industry: Mapped[str] = mapped_column(String(20), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))


class ArticleFacet(Base):
    """One row per article × 시도 × industry it is about, '' standing for "any" (the
    article's own row is ('', ''); one with 경기 and 반도체 also has ('41', ''), ('', '반도체')
    and ('41', '반도체')), with its date: a filter by 시도, industry and date finds its
    articles in one range of the index instead of intersecting id lists (0007).
    Written by the writer with the article's regions and industries."""

    __tablename__ = "article_facet"
    __table_args__ = (Index("ix_article_facet_lookup", "sido_code", "industry", "published", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    sido_code: Mapped[str] = mapped_column(String(2))
    industry: Mapped[str] = mapped_column(String(20))
    published: Mapped[date | None] = mapped_column(Date)


class Amount(Base):
    """A won figure with its role. `dedup_key` is equal for rows that report the
    same figure of the same project, so totals can count each figure once."""

    __tablename__ = "amount"
    __table_args__ = (Index("ix_amount_sido_role", "sido_code", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"), index=True)
    krw: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    sido_code: Mapped[str | None] = mapped_column(String(2))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    dedup_key: Mapped[str] = mapped_column(String(120), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    # Why the figure has this role, from the extractor (etl.records.AmountFact), added by migration 0006:
    cue: Mapped[str | None] = mapped_column(String(40))  # the words that decided the role ("국비", "투자협약")
    part_of: Mapped[int | None] = mapped_column(BigInteger)  # krw of the figure this one is a part of
    doubt: Mapped[str | None] = mapped_column(String(80))  # why the figure is doubtful; None when it is not


FIGURE_COLUMNS = ("project_id", "role", "krw", "in_scale", "sido_code", "region_code", "year", "first_published",
                  "last_published")


class Figure(Base):
    """The figures every total adds up, each once: a project's current figures.

    Every report of a figure stays in `amount` (its history). Per project
    and role, the current figures are those of the latest article reporting
    the role, so a raised budget replaces the total (db.figures has the rule;
    the writer keeps this table in step in the transaction that writes the
    amounts, since grouping `amount` on every dashboard query cost 200 ms at
    100,000 articles). One row per dedup_key; `first_published` and
    `last_published` bound the dates of every article that reported the
    figure, so a date filter needs to look at `amount` only for figures whose
    articles straddle the range boundary (db.filters.figure_conditions).
    """

    __tablename__ = "figure"
    # Covering indexes in the orders the dashboard groups by (per project; per
    # 시도 and project; per year and project), so SQLite streams the groups
    # instead of sorting every figure for every chart.
    __table_args__ = (
        *(Index(f"ix_figure_{name}", *lead, *(c for c in FIGURE_COLUMNS if c not in lead))
          for name, lead in (("project", ("project_id",)), ("sido", ("sido_code", "project_id")), ("year", ("year", "project_id")))),
        # the few figures large enough to dominate their role's total (db.doubt), without a scan
        Index("ix_figure_krw", "krw", "role"),
        Index("ix_figure_doubt", "doubt"),  # the few the extractor doubts
    )

    dedup_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    krw: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(12))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"))
    region_code: Mapped[str | None] = mapped_column(String(10))
    sido_code: Mapped[str | None] = mapped_column(String(2))
    year: Mapped[int | None] = mapped_column(Integer)
    first_published: Mapped[date | None] = mapped_column(Date)
    last_published: Mapped[date | None] = mapped_column(Date)
    # Why the figure is doubtful (that of its first amount row), None when it is not: the
    # dashboard says how much doubtful money a chart holds and can leave it out (migration 0006).
    doubt: Mapped[str | None] = mapped_column(String(80))
    # Whether the figure is part of its project's 사업 규모 (db.figures.scale_flags): the
    # project's 총사업비 when it is at least the sum of its parts, else its parts (0007).
    # Decided once per project, so any grouping of figures adds up each project once.
    in_scale: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The project's industries when the figure was written ('|'-joined; db.rollups):
    # what the figure contributed to `rollup_industry`, so that it can be taken back.
    industries: Mapped[str] = mapped_column(String(400), default="", server_default="")


class RollupRegion(Base):
    """Won figures summed per 시도 × region × year × role (db.rollups): what the
    region, role and year charts read instead of every figure.

    Kept by the writer with every change of `figure` (each figure row adds its
    contribution, a replaced one takes it back), so its size depends on the
    number of regions, years and roles, not of articles. Unknown values are
    stored as '' (regions) and 0 (year) so that they can be part of the key.
    """

    __tablename__ = "rollup_region"

    sido_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    krw: Mapped[int] = mapped_column(BigInteger)  # every figure of the role
    scale: Mapped[int] = mapped_column(BigInteger)  # of it, the figures in 사업 규모 (Figure.in_scale)
    figures: Mapped[int] = mapped_column(Integer)
    doubt: Mapped[int] = mapped_column(BigInteger)  # of `krw`, the figures the extractor doubts
    doubt_figures: Mapped[int] = mapped_column(Integer)


class RollupIndustry(Base):
    """Won figures summed per industry × 시도 × year × role (db.rollups): a
    project's figures count under each of its industries, as in every industry chart."""

    __tablename__ = "rollup_industry"

    industry: Mapped[str] = mapped_column(String(20), primary_key=True)
    sido_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    krw: Mapped[int] = mapped_column(BigInteger)
    scale: Mapped[int] = mapped_column(BigInteger)
    figures: Mapped[int] = mapped_column(Integer)
    doubt: Mapped[int] = mapped_column(BigInteger)
    doubt_figures: Mapped[int] = mapped_column(Integer)


class ProjectMoney(Base):
    """Per project: its 사업 규모 and 투자 유치 (db.rollups), indexed by size, so the
    largest projects and a table sorted by 사업 규모 need not add up every figure;
    and the places and industries it was counted under in `rollup_projects`."""

    __tablename__ = "project_money"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    scale: Mapped[int] = mapped_column(BigInteger, index=True)
    investment: Mapped[int] = mapped_column(BigInteger)
    places: Mapped[str] = mapped_column(Text, default="")  # '41|41110': its 시도 and 시군구 ('|'-joined)
    industries: Mapped[str] = mapped_column(String(400), default="")


class RollupProjects(Base):
    """How many projects lie in each 시도 (region_code '') or 시군구 (a 일반구 counted
    for its 시), per industry ('' for any): the project counts beside each region and
    industry, kept by the writer like the other rollups (db.rollups)."""

    __tablename__ = "rollup_projects"

    sido_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    industry: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class FigureConflict(Base):
    """Two articles at most `conflict_days` apart (vocab figures.toml) that give one
    project's role different values (db.figures.conflicts), kept by the writer with
    the project's figures so the 예산 page need not compare every report."""

    __tablename__ = "figure_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    article_a: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    krw_a: Mapped[int] = mapped_column(BigInteger)
    article_b: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    krw_b: Mapped[int] = mapped_column(BigInteger)


class ExcludedAmount(Base):
    """A won figure an article states that is not project money (a market outlook,
    an economic effect, 매출 …): kept with its reason so the article page can show
    "제외: <label>" beside its sentence instead of the figure vanishing."""

    __tablename__ = "excluded_amount"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    krw: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(40))  # a key of [exclude.*] in etl/data/money.toml
    label: Mapped[str] = mapped_column(String(40))  # its Korean label ("시장 전망")
    text: Mapped[str] = mapped_column(String(80))
    cue: Mapped[str | None] = mapped_column(String(40))
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))


class Period(Base):
    __tablename__ = "period"
    # Covering: the timeline's span per project is read from the index alone.
    __table_args__ = (Index("ix_period_project_span", "project_id", "start_year", "end_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(80))
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))


class StatusEvent(Base):
    """A status an article reports for a project (선정, 지정, 착공 ...), dated by the article."""

    __tablename__ = "status_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    event_date: Mapped[date | None] = mapped_column(Date)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))


class Jobs(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))


class RejectedInput(Base):
    """An input that could not be loaded, with the reason shown to the user."""

    __tablename__ = "rejected_input"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("etl_run.id"))
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


# Added with migration 0002 (db/migrations): the dashboard's "what changed in
# the last load" selects the articles of one run.
Index("ix_article_run_id", Article.run_id)


# ---------------------------------------------------------------- monitoring (issue 14, migration 0004_monitoring)


class FetchState(Base):
    """What `python -m etl fetch` knows about one URL (a feed or an article page).

    Feeds keep their validators (ETag, Last-Modified) so the next fetch is a
    conditional request that costs a 304 when nothing changed; pages keep the
    outcome (loaded, rejected, failed and how often) and the raw HTML, zlib
    compressed, so a page fetched but not yet stored is loaded from here after
    a crash, and so the page itself is kept beside the text extracted from it.
    """

    __tablename__ = "fetch_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # feed | page | robots
    feed_url: Mapped[str | None] = mapped_column(Text)  # the feed a page was listed in
    final_url: Mapped[str | None] = mapped_column(Text, index=True)  # after redirects and the canonical link
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))  # see etl.fetch.Outcome
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    checked_at: Mapped[datetime] = mapped_column(DateTime)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Watchlist(Base):
    """A dashboard view (page and query string) saved under a name: 관심 목록.

    `seen_article_id` is the newest article when the user last looked, so
    "new since you last looked" is every fact of a later article.
    """

    __tablename__ = "watchlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    page: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    seen_article_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
