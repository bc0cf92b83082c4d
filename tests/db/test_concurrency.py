"""Two loads of different folders at once into one PostgreSQL database."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.corpus import write_corpus
from db.engine import make_engine
from db.models import Article, ArticleSource, Project, ProjectMention
from tests.db.fixtures import content_summary

ROOT = Path(__file__).resolve().parents[2]
PER_FOLDER = 100


def _load(url: str, *folders: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "etl", "load", "--no-progress", "--db", url, *map(str, folders)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _duplicates(engine) -> dict[str, int]:
    """Rows whose natural key occurs more than once (the unique keys should make these 0)."""
    def dupes(*cols):
        sub = select(*cols).group_by(*cols).having(func.count() > 1).subquery()
        return session.scalar(select(func.count()).select_from(sub))

    with Session(engine) as session:
        return {
            "article.content_hash": dupes(Article.content_hash),
            "article_source.source_hash": dupes(ArticleSource.source_hash),
            "project.key": dupes(Project.key),
            "project_mention": dupes(ProjectMention.project_id, ProjectMention.article_id),
        }


def test_two_loads_at_once_finish_and_equal_a_sequential_load(pg, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a, PER_FOLDER, seed=1)
    write_corpus(b, PER_FOLDER, seed=2)
    together, one_by_one = pg.create_database(), pg.create_database()

    procs = [_load(together, a), _load(together, b)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _out, err in outputs]
    sequential = _load(one_by_one, a, b)
    _out, err = sequential.communicate(timeout=300)
    assert sequential.returncode == 0, err[-2000:]

    engines = make_engine(together), make_engine(one_by_one)
    try:
        got, expected = (content_summary(e) for e in engines)
        assert got == expected
        assert got["rows"]["article"] == 2 * PER_FOLDER
        assert _duplicates(engines[0]) == {"article.content_hash": 0, "article_source.source_hash": 0,
                                           "project.key": 0, "project_mention": 0}
    finally:
        for e in engines:
            e.dispose()
        pg.drop_database(together)
        pg.drop_database(one_by_one)
