"""First run on an empty database: the bundled sample corpus is loaded with progress."""
from __future__ import annotations

import importlib.util
import sys
import types

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from db.models import Article, EtlRun


def test_first_run_loads_sample_with_progress(app_on, tmp_path, monkeypatch):
    """With a stand-in loader: the progress callback drives st.progress, then data shows."""
    calls: list[tuple[int, int | None]] = []

    def fake_load_paths(paths, engine, *, progress=None):
        from datetime import datetime

        with Session(engine) as s:
            run = EtlRun(command="load", extractor_version="fake", started_at=datetime(2024, 1, 1), finished_at=datetime(2024, 1, 1), status="ok")
            s.add(run)
            s.flush()
            for i, path in enumerate(paths, 1):
                s.add(Article(doc_id=path, title=f"예시 {i}", text="광양 이차전지", raw_text="x", fmt="text",
                              content_hash=str(i), extractor_version="fake", loaded_at=datetime(2024, 1, 1), run_id=run.id))
                if progress:
                    progress(i, len(paths))
                    calls.append((i, len(paths)))
            s.commit()
        return types.SimpleNamespace(new=len(paths))

    monkeypatch.setitem(sys.modules, "etl.load", types.SimpleNamespace(load_paths=fake_load_paths))
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    at = app_on(url, readonly=False)
    assert not at.exception, [e.value for e in at.exception]
    assert calls and calls[-1][0] == calls[-1][1] == 5
    assert at.metric[0].value == "5건"
    assert at.get("status") or at.get("expandable")  # the st.status box stays, collapsed


def test_readonly_never_loads(app_on, tmp_path):
    url = f"sqlite:///{tmp_path / 'ro.db'}"
    engine = create_engine(url)
    from db.models import Base

    Base.metadata.create_all(engine)
    at = app_on(url, readonly=True)
    assert not at.exception
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0


def test_first_run_with_real_loader(app_on, tmp_path, require):
    """Needs the real loader (etl.load) and gazetteer (etl.gazetteer)."""
    require(importlib.util.find_spec("etl.load") is not None, "etl.load (the loader) is not there yet")
    url = f"sqlite:///{tmp_path / 'real.db'}"
    at = app_on(url, readonly=False)
    assert not at.exception, [e.value for e in at.exception]
    engine = create_engine(url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(Article))
    assert n >= 1
    assert at.metric[0].value == f"{n:,}건"
    at2 = app_on(url, {"q": "광양"}, page="pages/articles.py", readonly=True)
    assert not at2.exception and len(at2.dataframe[0].value) >= 1
