"""Benchmark: the same corpus loaded into SQLite and into PostgreSQL.

    .venv/bin/python bench/backends.py [--articles 5000] [--workdir DIR] [--pg URL]

Writes the synthetic corpus (bench/corpus.py), loads it with `load_paths`
into a fresh SQLite file and a fresh PostgreSQL database (a throwaway server
started like the test suite's, tests/db/pg_server.py, unless `--pg` gives an
admin URL of a running server, in which case a new database is created on
it), prints both load times and a table of counts (articles, projects,
amounts) and won by role (each figure once), and exits 1 if the two
databases differ. The throwaway server keeps PostgreSQL's durable defaults
(fsync, synchronous_commit on); SQLite runs as the application configures it
(WAL, synchronous=NORMAL).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import write_corpus  # noqa: E402
from tests.db import pg_server  # noqa: E402


def load(url: str, corpus: Path) -> tuple[float, object]:
    """Seconds to load the corpus into an empty database (schema creation included)."""
    from db.engine import make_engine
    from etl.load import load_paths

    engine = make_engine(url)
    try:
        started = time.perf_counter()
        summary = load_paths([str(corpus)], engine)
        return time.perf_counter() - started, summary
    finally:
        engine.dispose()


def totals(url: str) -> dict[str, int]:
    """Counts and won by role, the figures the two backends must agree on."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from db import queries
    from db.engine import make_engine
    from db.filters import Filters
    from vocab import vocabulary
    from db.models import Amount, Article, Project

    engine = make_engine(url)
    try:
        with Session(engine) as s:
            out = {name: s.scalar(select(func.count()).select_from(model)) for name, model in
                   (("articles", Article), ("projects", Project), ("amounts", Amount))}
            out["figures (distinct amounts)"] = s.scalar(select(func.count(func.distinct(Amount.dedup_key))))
            by_role = queries.funding_by_role(s, Filters())
        won = dict(zip(by_role["role"], by_role["krw"]))
        out.update({f"won {role}": int(won.get(role, 0)) for role in vocabulary().role_codes})
        return out
    finally:
        engine.dispose()


def table(sqlite: dict[str, int], pg: dict[str, int]) -> list[str]:
    lines = [f"{'':28} {'SQLite':>20} {'PostgreSQL':>20}  same"]
    for key in sqlite:
        lines.append(f"{key:28} {sqlite[key]:>20,} {pg[key]:>20,}  {'yes' if sqlite[key] == pg[key] else 'NO'}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and the SQLite file (default: a temp dir)")
    parser.add_argument("--pg", metavar="URL", help="admin URL of a running PostgreSQL server (default: start a throwaway one)")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="policy-radar-backends-"))
    corpus = workdir / "corpus"
    paths = sorted(corpus.glob("*.txt")) if corpus.exists() else []
    if len(paths) != args.articles:
        paths = write_corpus(corpus, args.articles)
    print(f"corpus: {len(paths)} articles in {corpus}")

    from etl.pipeline import analyzer

    analyzer()  # Kiwi starts once per process: keep it out of both timings
    sqlite_file = workdir / "backends.db"
    sqlite_file.unlink(missing_ok=True)
    sqlite_url = f"sqlite:///{sqlite_file}"
    server = pg_server.PgServer(admin_url=args.pg) if args.pg else pg_server.start(settings=())
    pg_url = server.create_database("bench")
    try:
        sqlite_s, sqlite_summary = load(sqlite_url, corpus)
        print(f"SQLite:     {sqlite_s:7.1f} s  {len(paths) / sqlite_s:6.1f} articles/s  ({sqlite_summary.line()})")
        pg_s, pg_summary = load(pg_url, corpus)
        print(f"PostgreSQL: {pg_s:7.1f} s  {len(paths) / pg_s:6.1f} articles/s  ({pg_summary.line()})")
        got_sqlite, got_pg = totals(sqlite_url), totals(pg_url)
    finally:
        server.drop_database(pg_url)
        server.stop()
    print("\n".join(table(got_sqlite, got_pg)))
    same = got_sqlite == got_pg
    print("identical" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
