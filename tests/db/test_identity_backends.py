"""One project across articles and loads, on SQLite and PostgreSQL (etl.identity via etl.writer)."""
from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Project, ProjectMerge
from etl.load import load_paths
from etl.pipeline import run
from etl.writer import RunCache, prepare_database, start_run, store, store_with_retry

CORPUS = Path(__file__).resolve().parents[1] / "etl" / "identity"
LATER = ("i03_gumi_raised.txt", "i07_gunsan_raised.txt", "i11_dangjin_raised.txt")
PROJECTS = [  # (first name, articles) in load order
    ("구미시 반도체 소재·부품 공동인프라 구축사업", 3),
    ("구미 반도체 인력양성센터 건립", 1),
    ("군산 미래모빌리티 국가산업단지", 3),
    ("군산 미래모빌리티 부품 실증센터", 1),
    ("당진 송산5산단 조성 계획", 3),
]


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    """The corpus as two loads: last month's articles, then this month's."""
    first, second = tmp_path / "first", tmp_path / "second"
    for path in sorted(CORPUS.glob("*.txt")):
        target = second if path.name in LATER else first
        target.mkdir(exist_ok=True)
        shutil.copy(path, target / path.name)
    return first, second


def _projects(engine) -> list[tuple[str, int]]:
    with Session(engine) as s:
        return [(p.name, p.n_articles) for p in s.scalars(select(Project).order_by(Project.id))]


def test_new_articles_join_the_projects_of_an_earlier_load(engine, tmp_path):
    first, second = _folders(tmp_path)
    load_paths([str(first)], engine)
    assert [n for _name, n in _projects(engine)] == [2, 1, 2, 1, 2]
    load_paths([str(second)], engine)
    assert _projects(engine) == PROJECTS
    with Session(engine) as s:
        merges = s.execute(select(ProjectMerge.name, ProjectMerge.score, ProjectMerge.reason)
                           .where(ProjectMerge.name == "구미 반도체 공동인프라")).all()
    assert [(n, score, json.loads(reason)) for n, score, reason in merges] == [
        ("구미 반도체 공동인프라", 1.0, {"name": 0.667, "cities": ["47190"], "amounts": [128_000_000_000],
                                      "periods": [[2024, 2028]]})]


def _extractions(*names: str) -> list:
    return [ex for ex in run([str(CORPUS / n) for n in names])]


def test_a_writer_with_a_stale_cache_finds_the_project_another_process_stored(engine):
    """Two loads started at the same time: neither knew the other's projects when it began."""
    a, b = _extractions("i09_dangjin_approved.txt", "i10_dangjin_groundbreaking.txt")
    prepare_database(engine)
    run_id = start_run(engine, "load")
    with engine.connect() as conn:
        one, other = RunCache.read(conn), RunCache.read(conn)
    store_with_retry(engine, a, run_id, one)
    store_with_retry(engine, b, run_id, other)
    assert _projects(engine) == [("당진 송산5산단 조성 계획", 2)]


def test_a_concurrent_writer_waits_for_the_identity_lock(engine, backend):
    """While one load's transaction has stored 당진 송산5산단 but not committed,
    another load's 송산5산단 waits for it and then joins it."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second article cannot begin its write")
    a, b = _extractions("i09_dangjin_approved.txt", "i10_dangjin_groundbreaking.txt")
    prepare_database(engine)
    run_id = start_run(engine, "load")
    with engine.connect() as conn:
        one, other = RunCache.read(conn), RunCache.read(conn)
    done = threading.Event()
    with engine.begin() as conn:
        store(conn, a, run_id, one)
        worker = threading.Thread(target=lambda: (store_with_retry(engine, b, run_id, other), done.set()))
        worker.start()
        time.sleep(0.5)
        assert not done.is_set()
    worker.join(30)
    assert done.is_set()
    assert _projects(engine) == [("당진 송산5산단 조성 계획", 2)]
