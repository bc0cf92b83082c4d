"""Dashboard benchmark: a synthetic database of N articles, page query times and browser render times.

    .venv/bin/python bench/dashboard.py [--articles 100000] [--db PATH] [--skip-browser] [--rebuild]

Builds (or reuses) a SQLite database with a realistic mix: regions weighted
towards 경기/전남/경북/충남/경남, several articles per project, log-normal won
figures (억 to 조) in role mixes, figures repeated across articles with the
same dedup_key, periods and status events. Rows go in with bulk Core inserts.

Rows are inserted every 20,000 articles, so memory stays flat: 1M articles
take a few minutes (see the note printed by the build).

Then, for each page, it times the page's queries (`ui.warm.page_calls`, the
calls the page makes, plus those a selection adds) straight against the
database, each on a fresh session as the dashboard's cache runs them: 'first',
the first run (nothing known yet: what the first visit of a search costs);
'db', the median of the following runs (a search's projects known for the data
version, as on a second page or a rerun of the same search, db.search.remembered);
and a hit of the page's st.cache_data cache. Unfiltered, filtered, and searched
(`search`: words every article has; `search1`: a word of one project name in nine). Finally `bench.browser`
opens every page in headless Chromium against the floor page (bench/floor.py)
and prints start-up and first/repeat visit times with their ratio to the floor.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, event, func, insert, select, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from db import changes, queries, rollups  # noqa: E402
from db.filters import Filters  # noqa: E402
from db.models import (  # noqa: E402
    Amount,
    Article,
    ArticleIndustry,
    ArticleRegion,
    EtlRun,
    Evidence,
    Period,
    Project,
    ProjectIndustry,
    ProjectMention,
    ProjectRegion,
    Region,
    StatusEvent,
)
from db.figures import refill_figures  # noqa: E402
from db.search import DATA_VERSION, forget_remembered, rebuild_search_index  # noqa: E402
from vocab import vocabulary  # noqa: E402

OUT = ROOT / "bench" / "out"
SIDO_WEIGHTS = {
    "41": 16, "46": 12, "47": 12, "44": 10, "48": 10, "43": 6, "52": 6, "51": 5, "26": 4,
    "28": 4, "31": 4, "27": 3, "29": 3, "30": 2, "11": 2, "36": 0.5, "50": 0.5,
}
SIDO_NAMES = {
    "11": "서울특별시", "26": "부산광역시", "27": "대구광역시", "28": "인천광역시", "29": "광주광역시", "30": "대전광역시",
    "31": "울산광역시", "36": "세종특별자치시", "41": "경기도", "51": "강원특별자치도", "43": "충청북도", "44": "충청남도",
    "52": "전북특별자치도", "46": "전라남도", "47": "경상북도", "48": "경상남도", "50": "제주특별자치도",
}
ROLE_WEIGHTS = {"total": 30, "national": 25, "local": 15, "private": 5, "investment": 20, "other": 5}
ROLE_WORDS = {"total": "총사업비", "national": "국비", "local": "지방비", "private": "민자", "investment": "투자", "other": "기타"}
STATUSES = list(vocabulary().status_labels)
INDUSTRIES = list(vocabulary().industry_labels)
INDUSTRY_WEIGHTS = ([8, 9, 3, 6, 6, 6, 7, 3, 3, 3, 3, 4, 3, 3, 4, 7, 2, 3, 5, 4, 4, 4] + [3] * len(INDUSTRIES))[: len(INDUSTRIES)]
KINDS = ["특화단지", "산업단지", "혁신클러스터", "규제자유특구", "기회발전특구", "실증센터", "지원센터", "캠퍼스", "테스트베드"]
BATCH = 20_000


# ---------------------------------------------------------------- generation


def won_text(krw: int) -> str:
    from ui.format import won

    return won(krw)


@dataclass
class Gen:
    rng: random.Random
    regions: dict[str, list[str]]  # sido -> sigungu codes

    def sido(self) -> str:
        return self.rng.choices(list(SIDO_WEIGHTS), weights=list(SIDO_WEIGHTS.values()))[0]

    def krw(self) -> int:
        value = math.exp(self.rng.gauss(math.log(3e10), 1.9))
        return max(1, round(min(value, 5e13) / 1e8)) * 10**8


def region_table(engine: Engine) -> dict[str, list[str]]:
    """Seed regions from the gazetteer (or a minimal set) and return sido -> sigungu codes."""
    from etl.writer import prepare_database

    prepare_database(engine)
    with Session(engine) as s:
        if not s.scalar(select(func.count()).select_from(Region)):
            rows = [dict(code=c, sido_code=c, sido=n, sigungu=None, name=n, level="sido", parent_code=None) for c, n in SIDO_NAMES.items()]
            rows += [dict(code=f"{c}{i:03d}", sido_code=c, sido=n, sigungu=f"시군{i}", name=f"{n} 시군{i}", level="sigungu", parent_code=c)
                     for c, n in SIDO_NAMES.items() for i in range(110, 200, 10)]
            s.execute(insert(Region), rows)
            s.commit()
        out: dict[str, list[str]] = {c: [] for c in SIDO_NAMES}
        for code, sido in s.execute(select(Region.code, Region.sido_code).where(Region.level == "sigungu")):
            out.setdefault(sido, []).append(code)
    return {k: v or [k] for k, v in out.items()}


def build(path: Path, n_articles: int, seed: int = 7) -> float:
    """Create the synthetic database; returns seconds taken."""
    t0 = time.perf_counter()
    if path.exists():
        path.unlink()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _fast(dbapi, _rec):  # bulk build only: durability does not matter here
        dbapi.execute("PRAGMA journal_mode=WAL")
        dbapi.execute("PRAGMA synchronous=OFF")
        dbapi.execute("PRAGMA temp_store=MEMORY")
        dbapi.execute("PRAGMA cache_size=-200000")

    regions = region_table(engine)
    g = Gen(random.Random(seed), regions)
    rng = g.rng
    n_projects = max(1, n_articles // 5)
    start_day, span_days = date(2019, 1, 1), (date(2025, 12, 31) - date(2019, 1, 1)).days
    now = datetime(2026, 1, 5, 9, 0)

    projects, p_regions, p_inds, figures = [], [], [], []
    for pid in range(1, n_projects + 1):
        sido = g.sido()
        sig = rng.sample(regions[sido], k=min(len(regions[sido]), rng.choice((1, 1, 1, 2))))
        inds = rng.choices(INDUSTRIES, weights=INDUSTRY_WEIGHTS, k=rng.choice((1, 1, 2)))
        name = f"{SIDO_NAMES[sido][:2]} {inds[0]} {rng.choice(KINDS)} {pid}"
        projects.append(dict(id=pid, key=f"p{pid}", name=name, sido_code=sido, status=rng.choice(STATUSES), first_published=None, last_published=None, n_articles=0))
        p_regions += [dict(project_id=pid, region_code=c) for c in sig]
        p_inds += [dict(project_id=pid, industry=i) for i in dict.fromkeys(inds)]
        n_fig = rng.choice((1, 2, 2, 3, 4))
        roles = rng.choices(list(ROLE_WEIGHTS), weights=list(ROLE_WEIGHTS.values()), k=n_fig)
        year = rng.choice((None, None) + tuple(range(2019, 2027)))
        figures.append([(r, g.krw(), rng.choice(sig), sido, year) for r in roles])

    by_project_regions: dict[int, list[str]] = {}
    for r in p_regions:
        by_project_regions.setdefault(r["project_id"], []).append(r["region_code"])
    articles: list[dict] = []
    a_regions, a_inds, mentions, amounts, periods, events = [], [], [], [], [], []
    evidences: list[dict] = []
    written = dict.fromkeys(("amounts", "evidence", "periods", "events"), 0)

    def flush() -> None:
        """Insert the rows generated so far and forget them: memory stays flat at 1M articles."""
        written.update(amounts=written["amounts"] + len(amounts), evidence=written["evidence"] + len(evidences),
                       periods=written["periods"] + len(periods), events=written["events"] + len(events))
        with engine.begin() as conn:
            for model, rows in ((Article, articles), (Evidence, evidences), (ArticleRegion, a_regions), (ArticleIndustry, a_inds),
                                (ProjectMention, mentions), (Amount, amounts), (Period, periods), (StatusEvent, events)):
                for i in range(0, len(rows), BATCH):
                    conn.execute(insert(model), rows[i:i + BATCH])
                rows.clear()

    ev_id = 0
    first: dict[int, date] = {}
    last: dict[int, date] = {}
    count_by_project: dict[int, int] = {}
    for aid in range(1, n_articles + 1):
        pid = rng.randint(1, n_projects)
        p = projects[pid - 1]
        published = start_day + timedelta(days=rng.randrange(span_days))
        first[pid] = min(first.get(pid, published), published)
        last[pid] = max(last.get(pid, published), published)
        count_by_project[pid] = count_by_project.get(pid, 0) + 1
        reported = [f for f in figures[pid - 1] if rng.random() < 0.6]
        sentences = [f"{p['name']} 추진 소식이다."]
        for role, krw, *_ in reported:
            sentences.append(f"{ROLE_WORDS[role]} {won_text(krw)}이 투입된다.")
        if rng.random() < 0.3:
            sentences.append("사업 기간은 2024년부터 2029년까지다.")
        sentences.append(f"{SIDO_NAMES[p['sido_code']]}는 {rng.choice(INDUSTRIES)} 산업 육성에 나선다. 수소와 이차전지, 반도체 기업 유치를 기대한다.")
        text = "\n".join(sentences)
        title = f"{p['name']} {rng.choice(('본격 추진', '선정', '예산 확보', '착공', '협약 체결'))}"
        articles.append(dict(id=aid, doc_id=f"syn{aid}", title=title, published=published, outlet=rng.choice(("지역일보", "산업신문", "경제투데이", "뉴스스텝")),
                             reporter="기자", url=f"https://example.com/{aid}", fmt="text", raw_text=text, text=text, body_start=0,
                             content_hash=f"h{aid}", extractor_version="bench", loaded_at=now, run_id=1))
        a_inds.append(dict(article_id=aid, industry=rng.choices(INDUSTRIES, weights=INDUSTRY_WEIGHTS)[0], score=1.0))

        def ev(sentence_no: int, needle: str) -> int:
            nonlocal ev_id
            ev_id += 1
            offset = sum(len(s) + 1 for s in sentences[:sentence_no])
            sent = sentences[sentence_no]
            at = max(0, sent.find(needle))
            evidences.append(dict(id=ev_id, article_id=aid, sentence=sent, sentence_start=offset, span_start=offset + at, span_end=offset + at + len(needle)))
            return ev_id

        mentions.append(dict(project_id=pid, article_id=aid, name=p["name"], score=1.0, evidence_id=ev(0, p["name"])))
        a_regions.extend(dict(article_id=aid, region_code=c, score=1.0) for c in by_project_regions[pid])
        for i, (role, krw, region, sido, year) in enumerate(reported, start=1):
            amounts.append(dict(article_id=aid, project_id=pid, krw=krw, role=role, text=won_text(krw)[:80], region_code=region, sido_code=sido,
                                year=year, dedup_key=f"{pid}|{role}|{krw}", evidence_id=ev(i, won_text(krw))))
        if "2029년" in text:
            idx = next(i for i, s in enumerate(sentences) if "2029년" in s)
            periods.append(dict(article_id=aid, project_id=pid, start_year=2024, end_year=2029, text="2024년부터 2029년까지", evidence_id=ev(idx, "2024년부터 2029년까지")))
        if rng.random() < 0.4:
            events.append(dict(project_id=pid, article_id=aid, status=rng.choice(STATUSES[:7]), event_date=published, evidence_id=ev(0, p["name"])))
        if aid % BATCH == 0:
            flush()
    flush()
    for p in projects:
        p["first_published"], p["last_published"] = first.get(p["id"]), last.get(p["id"])
        p["n_articles"] = count_by_project.get(p["id"], 0)
    with engine.begin() as conn:
        conn.execute(insert(EtlRun), [dict(id=1, command="bench", extractor_version="bench", started_at=now, finished_at=now, status="ok", n_read=n_articles, n_new=n_articles)])
        for model, rows in ((Project, projects), (ProjectRegion, p_regions), (ProjectIndustry, p_inds)):
            for i in range(0, len(rows), BATCH):
                conn.execute(insert(model), rows[i:i + BATCH])
    generated = time.perf_counter() - t0
    rebuild_search_index(engine, batch=5000)
    with engine.begin() as conn:
        refill_figures(conn)
        rollups.refill_facets(conn)
    with Session(engine) as s:  # what the loader stores when a run finishes (etl.writer.finish_run)
        s.execute(update(EtlRun).where(EtlRun.id == 1).values(changes=changes.derive(s, 1)))
        s.commit()
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"built {path}: {n_articles:,} articles, {n_projects:,} projects, {written['amounts']:,} amounts, "
          f"{written['evidence']:,} evidence rows, {written['periods']:,} periods, {written['events']:,} events in "
          f"{time.perf_counter() - t0:.0f} s ({generated:.0f} s rows, then search index and figures)")
    return time.perf_counter() - t0


# ---------------------------------------------------------------- query timing

ALL = Filters()
FILTERED = Filters(date_from=date(2023, 1, 1), regions=("41",), industries=("반도체",))
SEARCH_ALL = Filters(q="수소 반도체")  # every synthetic article says both: the worst case
SEARCH_SOME = Filters(q="실증센터")  # the names of about one project in nine


def page_queries(f: Filters) -> dict[str, list[tuple[Callable[..., Any], tuple]]]:
    """The db.queries calls each page makes for filters `f` (`ui.warm.page_calls`, the
    list the dashboard warms), plus the calls a selection adds (comparison, details)."""
    from ui.warm import page_calls

    calls = page_calls(f)
    calls["regions"] += [(queries.compare_roles, (f, ("41", "46"))), (queries.compare_industries, (f, ("41", "46"))),
                         (queries.compare_years, (f, ("41", "46")))]
    calls["projects"] += [(queries.project_detail, (1,))]
    calls["articles"] += [(queries.article_detail, (1,))]
    return calls


def time_page(engine: Engine, calls: list[tuple[Callable[..., Any], tuple]], runs: int) -> list[tuple[str, float, float]]:
    """(name, first, median of the following runs) in ms of each call, each on a fresh session.

    A run is one page visit: its calls in order, sharing what a page's calls share in the
    dashboard (the projects a search finds, once per data version: `db.search.remembered`).
    The memo is emptied before the first run, which pays for the search as the first
    visit of a search does; the following runs find it, as a second page or a rerun of
    the same search does."""
    times: list[list[float]] = [[] for _ in calls]
    forget_remembered()
    for _ in range(runs + 1):
        for i, (query, args) in enumerate(calls):
            with Session(engine, info={DATA_VERSION: ("bench",)}) as s:
                t = time.perf_counter()
                query(s, *args)
                times[i].append((time.perf_counter() - t) * 1000)
    return [(query.__name__, t[0], statistics.median(t[1:])) for (query, _), t in zip(calls, times)]


def time_cache_hit(url: str, query: Callable[..., Any], args: tuple) -> float:
    """A st.cache_data hit of the same call, as the dashboard makes it (ms)."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from ui import data

    data.cached(query)  # registers it under its key
    key, version = f"{query.__module__}.{query.__qualname__}", ("bench",)
    data._run(url, version, key, args, ())
    t = time.perf_counter()
    data._run(url, version, key, args, ())
    return (time.perf_counter() - t) * 1000


def bench_queries(path: Path, runs: int) -> dict[str, dict]:
    url = f"sqlite:///{path}"
    from db.engine import make_engine

    engine = make_engine(url)
    results: dict[str, dict] = {}
    for label, f in (("all", ALL), ("filtered", FILTERED), ("search", SEARCH_ALL), ("search1", SEARCH_SOME)):
        for page, calls in page_queries(f).items():
            if label.startswith("search") and page not in ("articles", "projects", "overview"):
                continue
            timed = time_page(engine, calls, runs)
            rows = [(*t, time_cache_hit(url, query, args)) for t, (query, args) in zip(timed, calls)]
            results[f"{page}/{label}"] = {
                "first": sum(r[1] for r in rows), "median": sum(r[2] for r in rows),
                "slowest": max(rows, key=lambda r: r[2]), "hit": sum(r[3] for r in rows),
            }
    engine.dispose()
    return results


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "bench.db")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--rebuild", action="store_true", help="rebuild even if the database exists with the same size")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3, help="repeat visits per page in the browser (median printed)")
    args = ap.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)

    reuse = args.db.exists() and not args.rebuild
    if reuse:
        with Session(create_engine(f"sqlite:///{args.db}")) as s:
            reuse = s.scalar(select(func.count()).select_from(Article)) == args.articles
    if not reuse:
        build(args.db, args.articles)
    else:
        print(f"reusing {args.db} ({args.articles:,} articles)")

    print(f"load average {os.getloadavg()[0]:.1f}")
    q = bench_queries(args.db, args.runs)
    print(f"\nQueries ({args.articles:,} articles; ms; 'db' = median of {args.runs} runs of all the page's queries, "
          "'first' = first run, 'hit' = st.cache_data hit)")
    print(f"{'page/filters':<22}{'db':>8}{'first':>8}{'hit':>7}  slowest query")
    for key, r in q.items():
        name, _f, med, _h = r["slowest"]
        print(f"{key:<22}{r['median']:>8.0f}{r['first']:>8.0f}{r['hit']:>7.1f}  {name} {med:.0f}")

    if not args.skip_browser:
        from bench.browser import CHROMIUM, measure, report

        if not Path(CHROMIUM).exists():
            print(f"\nbrowser: {CHROMIUM} missing, skipped")
            return 0
        print(f"\nBrowser (each visit in a new tab; load average {os.getloadavg()[0]:.1f})")
        print(report(measure(f"sqlite:///{args.db}", args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
