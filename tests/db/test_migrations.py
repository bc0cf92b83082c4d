"""Alembic migrations on SQLite and PostgreSQL: head equals the models, upgrades keep rows."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, insert, select, text
from sqlalchemy.orm import Session

from db import rollups
from db.models import Base, Figure, ProjectMoney, Region
from db.schema import (
    FIRST_REVISION,
    SchemaError,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    include_name,
    migrate,
)
from db.search import article_match, indexed_count
from db.models import Article

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
T0 = datetime(2024, 6, 4, 9, 0)

# One or two rows in every table of revision 0001, in dependency order.
ROWS: dict[str, list[dict]] = {
    "etl_run": [dict(id=1, command="load", extractor_version="v1", started_at=T0, finished_at=T0, status="done",
                     n_read=2, n_new=2, n_unchanged=0, n_rejected=1, n_projects=1, n_amounts=1, seconds=1.5)],
    "region": [dict(code="46", sido_code="46", sido="전라남도", sigungu=None, name="전라남도", level="sido", parent_code=None),
               dict(code="46230", sido_code="46", sido="전라남도", sigungu="광양시", name="전라남도 광양시", level="sigungu",
                    parent_code="46")],
    "project": [dict(id=1, key="46:광양만권이차전지특화단지", name="광양만권 이차전지 특화단지", sido_code="46", status="지정",
                     first_published=date(2024, 6, 4), last_published=date(2024, 7, 10), n_articles=2)],
    "article": [dict(id=1, doc_id="a1", title="광양 이차전지 특화단지", published=date(2024, 6, 4), outlet="뉴스스텝",
                     reporter="최선경 기자", url="https://example.com/a1", fmt="text", raw_text="원문 1",
                     text="광양시가 이차전지 특화단지 지정을 추진한다. 총사업비 1,280억원.", body_start=0, doc_meta="{}",
                     content_hash="h1", extractor_version="v1", loaded_at=T0, run_id=1),
                dict(id=2, doc_id="a2", title="특화단지 지정", published=date(2024, 7, 10), outlet=None, reporter=None,
                     url=None, fmt="jsonl", raw_text="원문 2", text="광양만권 특화단지가 지정됐다. 사업은 2028년까지.",
                     body_start=3, doc_meta=None, content_hash="h2", extractor_version="v1", loaded_at=T0, run_id=1)],
    "project_industry": [dict(project_id=1, industry="이차전지"), dict(project_id=1, industry="소재부품")],
    "project_region": [dict(project_id=1, region_code="46230")],
    "rejected_input": [dict(id=1, run_id=1, source="data/bad.pdf", reason="PDF document", source_hash="r1", created_at=T0)],
    "article_source": [dict(id=1, article_id=1, source="data/a1.txt", source_hash="s1", fmt="text", outlet="뉴스스텝",
                            url="https://example.com/a1", seen_at=T0, run_id=1),
                       dict(id=2, article_id=2, source="data/a2.jsonl:1", source_hash="s2", fmt="jsonl", outlet=None,
                            url=None, seen_at=T0, run_id=1)],
    "evidence": [dict(id=1, article_id=1, sentence="총사업비 1,280억원.", sentence_start=25, span_start=30, span_end=37),
                 dict(id=2, article_id=2, sentence="사업은 2028년까지.", sentence_start=16, span_start=20, span_end=27)],
    "amount": [dict(id=1, article_id=1, project_id=1, krw=128_000_000_000, role="total", text="1,280억원",
                    region_code="46230", sido_code="46", year=2024, dedup_key="p1:total:128000000000", evidence_id=1)],
    "article_industry": [dict(article_id=1, industry="이차전지", score=0.9, evidence_id=1)],
    "article_region": [dict(article_id=1, region_code="46230", score=1.0, evidence_id=None)],
    "jobs": [dict(id=1, article_id=1, project_id=1, count=300, evidence_id=1)],
    "period": [dict(id=1, article_id=2, project_id=1, start_year=None, end_year=2028, text="2028년까지", evidence_id=2)],
    "project_mention": [dict(id=1, project_id=1, article_id=1, name="광양만권 이차전지 특화단지", score=0.95, evidence_id=1),
                        dict(id=2, project_id=1, article_id=2, name="광양만권 특화단지", score=0.8, evidence_id=None)],
    "status_event": [dict(id=1, project_id=1, article_id=2, status="지정", event_date=date(2024, 7, 10), evidence_id=2)],
}


AMOUNT_REGION = ROWS["amount"][0].get("region_code")


def _fill(engine) -> None:
    tables = Base.metadata.tables
    with engine.begin() as conn:
        for name, rows in ROWS.items():
            conn.execute(insert(tables[name]), rows)


def _contents(engine) -> dict[str, list[dict]]:
    tables = Base.metadata.tables
    with engine.connect() as conn:
        return {
            name: [dict(r._mapping) for r in conn.execute(select(tables[name]).order_by(*tables[name].primary_key.columns))]
            for name in ROWS
        }


def _expected() -> dict[str, list[dict]]:
    tables = Base.metadata.tables
    # columns added by later revisions (amount.cue, part_of, doubt: 0006) are empty in upgraded rows
    return {name: sorted(({**{c.name: None for c in tables[name].columns}, **row} for row in rows),
                         key=lambda r: tuple(r[c.name] for c in tables[name].primary_key.columns))
            for name, rows in ROWS.items()}


def _found(engine, query: str) -> list[int]:
    with Session(engine) as s:
        return sorted(s.scalars(select(Article.id).where(article_match(s, query))))


def test_head_schema_equals_the_models(engine):
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}), Base.metadata)
    assert diff == []


def test_first_revision_filled_then_upgraded_keeps_every_row(engine):
    migrate(engine, FIRST_REVISION)
    with engine.connect() as conn:
        assert current_revision(conn) == FIRST_REVISION
        assert "ix_article_run_id" not in {i["name"] for i in inspect(conn).get_indexes("article")}
    _fill(engine)

    ensure_schema(engine)

    assert _contents(engine) == _expected()
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision() == "0008"
        assert "ix_article_run_id" in {i["name"] for i in inspect(conn).get_indexes("article")}
        assert "ix_amount_figure" not in {i["name"] for i in inspect(conn).get_indexes("amount")}
        assert "ix_project_recent" in {i["name"] for i in inspect(conn).get_indexes("project")}  # revision 0008
        # revision 0003 made one figure of the stored amount, dated by its article
        assert [tuple(r) for r in conn.execute(select(Figure.dedup_key, Figure.krw, Figure.role, Figure.project_id,
                                                      Figure.sido_code, Figure.year, Figure.first_published,
                                                      Figure.last_published))] == [
            ("p1:total:128000000000", 128_000_000_000, "total", 1, "46", 2024, date(2024, 6, 4), date(2024, 6, 4))]
        assert conn.scalar(select(func.count()).select_from(Region)) == 2  # regions present: not seeded again
        # revision 0007: the figure is in its project's 사업 규모, and the aggregates were filled from it
        assert conn.execute(select(Figure.in_scale, Figure.industries)).all() == [(True, "소재부품|이차전지")]
        region, industry = rollups.stored(conn)
        key = ("46", AMOUNT_REGION or "", 2024, "total")
        assert region == {key: [128_000_000_000, 128_000_000_000, 1, 0, 0]}
        assert industry == {(i, "46", 2024, "total"): [128_000_000_000, 128_000_000_000, 1, 0, 0] for i in ("소재부품", "이차전지")}
        assert conn.execute(select(ProjectMoney.project_id, ProjectMoney.scale, ProjectMoney.investment)).all() == [
            (1, 128_000_000_000, 0)]
    with Session(engine) as s:
        assert indexed_count(s) == 2  # revision 0002 indexed the articles already there
    assert (_found(engine, "광양"), _found(engine, "특화단지"), _found(engine, "광양만"), _found(engine, "없는말")) == ([1, 2], [1, 2], [2], [])


def test_downgrade_to_first_and_upgrade_again_keeps_rows(engine):
    migrate(engine, FIRST_REVISION)
    _fill(engine)
    migrate(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), FIRST_REVISION)
    with engine.connect() as conn:
        assert current_revision(conn) == FIRST_REVISION
    migrate(engine)
    assert _contents(engine) == _expected()
    assert _found(engine, "특화단지") == [1, 2]


def test_database_made_by_create_all_is_stamped_and_upgraded(engine):
    """Before migrations, ensure_schema was create_all: such a database has no alembic_version."""
    Base.metadata.create_all(engine)
    _fill(engine)
    ensure_schema(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    assert _contents(engine) == _expected()
    assert _found(engine, "광양") == [1, 2]


def test_fresh_database_gets_head_and_every_region(engine):
    from etl.gazetteer import load_gazetteer
    from etl.writer import prepare_database

    prepare_database(engine)
    prepare_database(engine)  # second call: nothing to do
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert conn.scalar(select(func.count()).select_from(Region)) == len(load_gazetteer().regions)


def test_half_made_database_is_refused(engine):
    Region.__table__.create(engine)
    with pytest.raises(SchemaError, match="has Policy Radar tables \\(region\\) but not amount, article"):
        ensure_schema(engine)


def test_two_processes_upgrade_the_same_database_at_once(db_url):
    code = "import sys; from db.engine import make_engine; from etl.writer import prepare_database; prepare_database(make_engine(sys.argv[1]))"
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        assert conn.scalar(select(func.count()).select_from(Region)) == conn.scalar(select(func.count(func.distinct(Region.code))))
        assert conn.scalar(select(func.count()).select_from(Region)) > 250
    engine.dispose()


def test_revisions_are_frozen_they_import_no_module_of_the_app():
    """A revision must do tomorrow what it did when written: no import of db, etl, ui or vocab."""
    import ast

    for path in sorted((ROOT / "db" / "migrations" / "versions").glob("*.py")):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0])
        assert imported <= {"__future__", "re", "sqlalchemy", "alembic"}, (path.name, imported)
