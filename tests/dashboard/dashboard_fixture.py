"""A small hand-built database whose aggregates are known exactly.

Three projects in three 시도 (전남 광양 이차전지, 경북 포항 수소, 전북 전주 탄소소재),
five articles (one repeats a figure with the same dedup_key, one contains
`<script>`), amounts of every interesting role, periods and status events.
Built directly through the models (no gazetteer, no loader needed).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from db.models import (
    Amount,
    Article,
    ArticleIndustry,
    ArticleRegion,
    Base,
    EtlRun,
    Evidence,
    Jobs,
    Period,
    Project,
    ProjectIndustry,
    ProjectMention,
    ProjectRegion,
    Region,
    StatusEvent,
)
from db.figures import refill_figures
from db.rollups import refill_facets
from db.search import ensure_search_index, index_articles

REGIONS = [
    ("11", "11", "서울특별시", None, "서울특별시", "sido", None),
    ("46", "46", "전라남도", None, "전라남도", "sido", None),
    ("46230", "46", "전라남도", "광양시", "전라남도 광양시", "sigungu", "46"),
    ("46130", "46", "전라남도", "여수시", "전라남도 여수시", "sigungu", "46"),
    ("47", "47", "경상북도", None, "경상북도", "sido", None),
    ("47110", "47", "경상북도", "포항시", "경상북도 포항시", "sigungu", "47"),
    ("47111", "47", "경상북도", "포항시 남구", "경상북도 포항시 남구", "gu", "47110"),
    ("52", "52", "전북특별자치도", None, "전북특별자치도", "sido", None),
    ("52110", "52", "전북특별자치도", "전주시", "전북특별자치도 전주시", "sigungu", "52"),
]

A1_TEXT = (
    "광양시가 광양만권 이차전지 특화단지 지정을 위한 최종보고회를 열었다.\n"
    "총사업비 1,280억원 가운데 국비 640억원을 확보할 계획이다.\n"
    "사업 기간은 2024년부터 2028년까지다."
)
A2_TEXT = (
    "광양만권 이차전지 특화단지가 지정됐다.\n"
    "총사업비 1,280억원이 투입된다.\n"
    "포스코퓨처엠은 광양에 1조원을 투자한다."
)
A3_TEXT = (
    "포항시가 수소경제 규제자유특구에 선정됐다.\n"
    "총사업비 3조 4,500억원, 지방비 500억원이 들어간다.\n"
    "사업은 2030년까지 이어진다."
)
A4_TEXT = "전주 탄소소재 국가산단이 착공했다.\n국비 8,000만원이 설계비로 쓰인다.\n일자리 300개가 생긴다."
A5_TEXT = "전남 소식 <script>alert('xss')</script> 그리고 <b>굵게</b> 표시.\n수소 이야기는 없다. 광양 양만 이라는 단어."

ARTICLES = [
    # id, title, published, text, outlet
    (1, "광양시, 이차전지 산업 중심지로 성장 전략 제시", date(2024, 6, 4), A1_TEXT, "뉴스스텝", "https://example.com/a1"),
    (2, "광양만권 이차전지 특화단지 지정", date(2024, 7, 10), A2_TEXT, "전남일보", None),
    (3, "포항 수소경제 규제자유특구 선정", date(2024, 3, 2), A3_TEXT, "경북매일", "https://example.com/a3"),
    (4, "전주 탄소소재 국가산단 착공", date(2023, 11, 20), A4_TEXT, "전북도민일보", None),
    (5, "<b>전남</b> 소식 <script>alert('xss')</script>", date(2024, 8, 1), A5_TEXT, "테스트일보", None),
]

PROJECTS = [
    # id, key, name, sido, status, first, last, n_articles
    (1, "p1", "광양만권 이차전지 특화단지", "46", "지정", date(2024, 6, 4), date(2024, 7, 10), 2),
    (2, "p2", "포항 수소경제 규제자유특구", "47", "선정", date(2024, 3, 2), date(2024, 3, 2), 1),
    (3, "p3", "전주 탄소소재 국가산단", "52", "착공", date(2023, 11, 20), date(2023, 11, 20), 1),
]
PROJECT_REGIONS = [(1, "46230"), (2, "47111"), (3, "52110")]
PROJECT_INDUSTRIES = [(1, "이차전지"), (1, "소재부품"), (2, "수소"), (3, "탄소소재")]
ARTICLE_REGIONS = [(1, "46230"), (2, "46230"), (3, "47111"), (4, "52110"), (5, "46")]
ARTICLE_INDUSTRIES = [(1, "이차전지"), (2, "이차전지"), (3, "수소"), (4, "탄소소재")]

# article, project, role, krw, text (found in the article), region, sido, year, dedup_key
AMOUNTS = [
    (1, 1, "total", 128_000_000_000, "1,280억원", "46230", "46", 2024, "p1|total|128000000000"),
    (1, 1, "national", 64_000_000_000, "640억원", "46230", "46", 2024, "p1|national|64000000000"),
    (2, 1, "total", 128_000_000_000, "1,280억원", "46230", "46", 2024, "p1|total|128000000000"),
    (2, 1, "investment", 1_000_000_000_000, "1조원", "46230", "46", None, "p1|investment|1000000000000"),
    (3, 2, "total", 3_450_000_000_000, "3조 4,500억원", "47111", "47", 2025, "p2|total|3450000000000"),
    (3, 2, "local", 50_000_000_000, "500억원", "47111", "47", 2025, "p2|local|50000000000"),
    (4, 3, "national", 80_000_000, "8,000만원", "52110", "52", None, "p3|national|80000000"),
]
# article, project, start, end, text
PERIODS = [(1, 1, 2024, 2028, "2024년부터 2028년까지"), (3, 2, None, 2030, "2030년까지")]
# article, project, jobs, text
JOBS = [(4, 3, 300, "일자리 300개")]
# article, project, status, date, text
EVENTS = [
    (1, 1, "계획", date(2024, 6, 4), "계획"),
    (2, 1, "지정", date(2024, 7, 10), "지정"),
    (3, 2, "선정", date(2024, 3, 2), "선정"),
    (4, 3, "착공", date(2023, 11, 20), "착공"),
]

# Expected values computed by hand from the rows above.
EXPECTED_BY_ROLE = {
    "total": 128_000_000_000 + 3_450_000_000_000,
    "national": 64_000_000_000 + 80_000_000,
    "local": 50_000_000_000,
    "investment": 1_000_000_000_000,
}
# 사업 규모 per 시도: max(total, parts) per project; 투자 유치 (investment) is never added in.
EXPECTED_SCALE_BY_SIDO = {"46": 128_000_000_000, "47": 3_450_000_000_000, "52": 80_000_000}
EXPECTED_INVESTMENT = 1_000_000_000_000  # 포스코퓨처엠's pledge for 광양, its own measure


def _sqlite_fk(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _evidence(session: Session, article_id: int, text: str, needle: str) -> int:
    start = text.index(needle)
    sent_start = text.rfind("\n", 0, start) + 1
    sent_end = text.find("\n", start)
    sent_end = len(text) if sent_end < 0 else sent_end
    ev = Evidence(
        article_id=article_id,
        sentence=text[sent_start:sent_end],
        sentence_start=sent_start,
        span_start=start,
        span_end=start + len(needle),
    )
    session.add(ev)
    session.flush()
    return ev.id


def create_current_schema(engine: Engine) -> None:
    """The models' tables, stamped at the newest migration (as `etl db upgrade` leaves a
    database), so that a read-only dashboard accepts them."""
    from alembic import command

    from db.schema import alembic_config

    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        command.stamp(alembic_config(conn), "head")


def build(url: str) -> Engine:
    """Create the fixture database at `url` and return an engine for it."""
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_fk)
    create_current_schema(engine)
    ensure_search_index(engine)
    texts = {a[0]: a[3] for a in ARTICLES}
    with Session(engine) as s:
        s.add_all(Region(code=c, sido_code=sc, sido=sd, sigungu=sg, name=n, level=lv, parent_code=pc) for c, sc, sd, sg, n, lv, pc in REGIONS)
        now = datetime(2024, 8, 2, 9, 30)
        s.add(EtlRun(id=1, command="load", extractor_version="test", started_at=now, finished_at=now, status="ok", n_read=5, n_new=5))
        s.flush()
        for aid, title, published, text, outlet, url_ in ARTICLES:
            s.add(Article(
                id=aid, doc_id=f"doc{aid}", title=title, published=published, outlet=outlet, reporter="홍길동 기자",
                url=url_, fmt="text", raw_text=f"{title}\n\n{text}\n\n(raw)", text=text, body_start=0,
                content_hash=f"hash{aid}", extractor_version="test", loaded_at=now, run_id=1,
            ))
        for pid, key, name, sido, status, first, last, n in PROJECTS:
            s.add(Project(id=pid, key=key, name=name, sido_code=sido, status=status, first_published=first, last_published=last, n_articles=n))
        s.flush()
        s.add_all(ProjectRegion(project_id=p, region_code=r) for p, r in PROJECT_REGIONS)
        s.add_all(ProjectIndustry(project_id=p, industry=i) for p, i in PROJECT_INDUSTRIES)
        s.add_all(ArticleRegion(article_id=a, region_code=r, score=1.0) for a, r in ARTICLE_REGIONS)
        s.add_all(ArticleIndustry(article_id=a, industry=i, score=1.0) for a, i in ARTICLE_INDUSTRIES)
        for aid, pid in ((1, 1), (2, 1), (3, 2), (4, 3)):
            name = next(p[2] for p in PROJECTS if p[0] == pid)
            s.add(ProjectMention(project_id=pid, article_id=aid, name=name, score=1.0))
        for aid, pid, role, krw, text, region, sido, year, key in AMOUNTS:
            ev = _evidence(s, aid, texts[aid], text)
            s.add(Amount(article_id=aid, project_id=pid, krw=krw, role=role, text=text, region_code=region, sido_code=sido, year=year, dedup_key=key, evidence_id=ev))
        for aid, pid, start, end, text in PERIODS:
            ev = _evidence(s, aid, texts[aid], text)
            s.add(Period(article_id=aid, project_id=pid, start_year=start, end_year=end, text=text, evidence_id=ev))
        for aid, pid, n, text in JOBS:
            s.add(Jobs(article_id=aid, project_id=pid, count=n, evidence_id=_evidence(s, aid, texts[aid], text)))
        for aid, pid, status, when, text in EVENTS:
            ev = _evidence(s, aid, texts[aid], text)
            s.add(StatusEvent(project_id=pid, article_id=aid, status=status, event_date=when, evidence_id=ev))
        s.flush()
        refill_figures(s.connection())
        refill_facets(s.connection())
        index_articles(s, s.query(Article).all())
        s.commit()
    return engine
