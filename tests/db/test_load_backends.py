"""The loader and the `etl` commands on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import Article, ArticleSource, EtlRun, Project
from db.search import article_match
from etl.cli import main
from etl.load import load_paths, rebuild
from tests.db.fixtures import content_summary

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
SECOND = ROOT / "tests" / "etl" / "articles"
N_SAMPLE, N_SECOND = 5, 10


def _summary_and_keys(engine) -> tuple[dict, list[str]]:
    with Session(engine) as s:
        keys = list(s.scalars(select(Project.key).order_by(Project.key)))
    return content_summary(engine), keys


def _found(engine, query: str) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Article).where(article_match(s, query)))


def test_loading_the_same_folder_twice_changes_nothing(engine):
    first = load_paths([str(SAMPLE)], engine)
    after_first = _summary_and_keys(engine)
    second = load_paths([str(SAMPLE)], engine)
    assert (first.read, first.new, first.unchanged, first.rejected) == (N_SAMPLE, N_SAMPLE, 0, 0)
    assert (second.read, second.new, second.unchanged, second.projects, second.amounts) == (N_SAMPLE, 0, N_SAMPLE, 0, 0)
    assert _summary_and_keys(engine) == after_first
    assert after_first[0]["rows"]["article"] == after_first[0]["rows"]["article_source"] == N_SAMPLE
    with Session(engine) as s:
        assert [r.status for r in s.scalars(select(EtlRun).order_by(EtlRun.id))] == ["done", "done"]


def test_a_second_folder_adds_its_articles_and_search_finds_them(engine):
    load_paths([str(SAMPLE)], engine)
    summary = load_paths([str(SECOND)], engine)
    assert (summary.read, summary.new) == (N_SECOND, N_SECOND)
    counts = content_summary(engine)["rows"]
    assert counts["article"] == counts["article_source"] == N_SAMPLE + N_SECOND
    assert _found(engine, "광양") >= 1 and _found(engine, "평택") >= 1 and _found(engine, "없는말없는") == 0


def test_both_backends_store_the_same_facts(new_url):
    """Same inputs, same loader: equal rows per table, project keys and won by role."""
    results = {}
    for backend in ("sqlite", "postgresql"):
        engine = make_engine(new_url(backend))
        load_paths([str(SAMPLE), str(SECOND)], engine)
        results[backend] = _summary_and_keys(engine)
        engine.dispose()
    assert results["sqlite"] == results["postgresql"]


def test_rebuild_rederives_the_same_facts_and_keeps_search(engine):
    load_paths([str(SAMPLE)], engine)
    before = _summary_and_keys(engine)
    hits = _found(engine, "이차전지")
    summary = rebuild(engine)
    assert (summary.read, summary.new, summary.rejected) == (N_SAMPLE, N_SAMPLE, 0)
    assert _summary_and_keys(engine)[0] == before[0]
    assert _found(engine, "이차전지") == hits > 0


def test_long_metadata_is_cut_to_the_column_sizes(engine, tmp_path):
    """PostgreSQL enforces VARCHAR(n); both backends store the same cut values."""
    body = "광양시가 이차전지 특화단지 지정을 추진한다. 총사업비 1,280억원을 투입한다."
    row = {"id": "x" * 250, "title": "광양 이차전지 특화단지 추진", "body": body, "published": "2024-06-04",
           "outlet": "아" * 150, "reporter": "기자" * 80, "url": "https://example.com/1"}
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = load_paths([str(path)], engine)
    assert (summary.new, summary.rejected) == (1, 0)
    with Session(engine) as s:
        article = s.scalars(select(Article)).one()
        source = s.scalars(select(ArticleSource)).one()
    assert (article.doc_id, article.outlet, article.reporter, source.outlet) == ("x" * 200, "아" * 100, "기자" * 50, "아" * 100)


@pytest.fixture
def inputs(tmp_path) -> Path:
    """Two sample articles and two inputs that are rejected."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(SAMPLE.glob("*.txt"))[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    return folder


def test_etl_commands(db_url, inputs, tmp_path, capsys):
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert "up to date" in capsys.readouterr().err
    assert main(["load", "--no-progress", "--db", db_url, str(inputs)]) == 1  # some inputs rejected
    capsys.readouterr()

    assert main(["rejects", "--db", db_url]) == 0
    out, err = capsys.readouterr()
    lines = [re.sub(r"\t\d{4}-\d\d-\d\d \d\d:\d\d\t", "\t<time>\t", line) for line in out.splitlines()]
    assert sorted(lines) == [
        f"run 1\t<time>\t{inputs / 'empty.txt'}: empty file",
        f"run 1\t<time>\t{inputs / 'report.pdf'}: binary file (PDF document), not an article",
    ]
    assert err.strip() == "2 rejected inputs"
    assert main(["rejects", "--run", "2", "--db", db_url]) == 0
    assert capsys.readouterr().err.strip() == "0 rejected inputs"

    assert main(["export", "--db", db_url, "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["amounts.csv", "excluded_amounts.csv", "jobs.csv", "periods.csv", "projects.csv"]


ONE_PROJECT = """새만금 이차전지 특화단지, 국비 확보로 속도
2025.05.10 09:00
군산=김민수 기자
전북특별자치도 군산시는 '새만금 이차전지 특화단지' 조성에 지방비 100억원을 더한다고 10일 밝혔다.
"""


def test_an_article_naming_a_project_twice_counts_once(engine, tmp_path):
    """Two names in one article that resolve to the same stored project (one by
    key, one by similarity in the same 시군구) add one article, not two."""
    from dataclasses import replace

    from etl.writer import RunCache, store
    from etl.pipeline import run

    (tmp_path / "a.txt").write_text(ONE_PROJECT, encoding="utf-8")
    load_paths([str(tmp_path / "a.txt")], engine)
    ex = next(run([str(tmp_path / "a.txt")]))
    fact = ex.projects[0]
    twice = replace(ex, article=replace(ex.article, content_hash="other", source_hash="other", url=None),
                    projects=(fact, replace(fact, name=fact.name + "사업")))
    with engine.begin() as conn:
        cache = RunCache.read(conn)
        store(conn, twice, run_id=1, cache=cache)
    with Session(engine) as s:
        assert [(p.name, p.n_articles) for p in s.scalars(select(Project))] == [(fact.name, 2)]


def _figures(engine) -> list[tuple]:
    from db.models import Figure

    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(Figure.__table__).order_by(Figure.dedup_key))]


def test_the_loader_keeps_figures_as_a_refill_from_amounts_would(engine):
    """Figures kept article by article equal those computed from scratch from
    the stored amounts (at most one per dedup_key: a later report of a
    project's role replaces the earlier ones), after a load and a rebuild."""
    from db.figures import refill_figures
    from db.models import Amount

    load_paths([str(SAMPLE), str(SECOND)], engine)
    for step in ("load", "rebuild"):
        incremental = _figures(engine)
        with engine.begin() as conn:
            keys = conn.scalar(select(func.count(func.distinct(Amount.dedup_key))))
            assert keys >= refill_figures(conn) == len(incremental) > 0, step
        assert _figures(engine) == incremental, step
        rebuild(engine)
