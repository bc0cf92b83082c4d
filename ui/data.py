"""Database access for the pages: one engine per URL, cached queries, first-run load.

Pages call the query functions of `db.queries` themselves, through one
caching wrapper: `data.cached(queries.headline)(f)`. The wrapper has the
query's own signature without the session, so a renamed or mistyped query
fails at import and in the type checker, not at run time. The cache key
includes the database URL and the data version (latest EtlRun and article
id), so results refresh as soon as a load finishes and never leak between
databases.
"""
from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from db import queries
from db.engine import database_url, make_engine
from db.search import DATA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
_VERSION = "_data_version"
_load_lock = threading.Lock()


def readonly() -> bool:
    """Viewers of a shared deployment can never change data."""
    return os.environ.get("POLICY_RADAR_READONLY", "").strip().lower() in {"1", "true", "yes"}


def db_url() -> str:
    return database_url()


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    return make_engine(url, readonly=readonly())


def engine() -> Engine:
    return engine_for(db_url())


def has_schema(eng: Engine) -> bool:
    return inspect(eng).has_table("article") and inspect(eng).has_table("region")


def refresh_version() -> tuple:
    """Read the data version once per run (cheap) so queries of this run share it."""
    with Session(engine()) as session:
        version = queries.data_version(session)
    st.session_state[_VERSION] = version
    return version


P = ParamSpec("P")
R = TypeVar("R")
# The query functions wrapped so far, by "module.name": st.cache_data keys on
# plain values, so the cached body looks the function up by that key.
_QUERIES: dict[str, Callable[..., Any]] = {}


@st.cache_data(show_spinner=False, max_entries=1000)
def _run(url: str, version: tuple, key: str, args: tuple, kwargs: tuple) -> Any:
    # The session says which data version it reads, so a page's queries share one
    # search's matching projects (db.search.remembered) under the same key as this cache.
    with Session(engine_for(url), info={DATA_VERSION: version}) as session:
        return _QUERIES[key](session, *args, **dict(kwargs))


def _register(query: Callable[..., Any]) -> str:
    key = f"{query.__module__}.{query.__qualname__}"
    _QUERIES[key] = query
    return key


def cached(query: Callable[Concatenate[Session, P], R]) -> Callable[P, R]:
    """`query` without its session argument, run through the cache.

    `cached(queries.timeline)(f, 40)` is `queries.timeline(session, f, 40)` on
    a fresh session of the current database, cached until the data changes.
    """
    key = _register(query)

    @functools.wraps(query, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        version = st.session_state.get(_VERSION) or refresh_version()
        return _run(db_url(), version, key, args, tuple(sorted(kwargs.items())))

    return call


def run_cached(url: str, version: tuple, query: Callable[..., Any], args: tuple) -> Any:
    """`query(session, *args)` through the same cache entry a page's `cached(query)(*args)` uses."""
    return _run(url, version, _register(query), args, ())


def warm_up() -> threading.Thread | None:
    """Start warming the unfiltered pages' caches for this database and data version
    (`ui.warm`); None when this process has already done so for them."""
    from ui import warm

    version = st.session_state.get(_VERSION)
    return warm.start(db_url(), version, run_cached) if version else None


# ---------------------------------------------------------------- first run


def ensure_database(eng: Engine) -> None:
    """Create or upgrade the schema with its regions and search index (never in read-only
    mode), through the ETL's writer: the dashboard writes nothing itself."""
    from etl.writer import prepare_database

    prepare_database(eng)


def correct(kind: str, target: dict, value: dict, who: str, why: str = "") -> None:
    """Store an analyst's correction through the writer and derive again what it touches
    (etl.load.correct: its article or projects, not the corpus), so every page shows it
    (never in read-only mode)."""
    from etl.load import correct as store
    from etl.writer import Correction

    if readonly():
        raise PermissionError("read-only mode: corrections are not stored")
    with st.spinner("수정 사항을 반영하는 중입니다…"):
        store(engine(), [Correction(kind, target, value, who, why)])
    refresh_version()


def undo_correction(correction_id: int) -> None:
    """Undo a correction and derive again what it had changed (never in read-only mode)."""
    from etl.load import undo

    if readonly():
        raise PermissionError("read-only mode: corrections are not stored")
    with st.spinner("되돌리는 중입니다…"):
        if undo(engine(), correction_id):
            refresh_version()


def sample_paths() -> list[str]:
    return sorted(str(p) for p in SAMPLE_DIR.glob("*.txt"))


def load_sample(eng: Engine, load_paths: Callable[..., Any] | None = None) -> str | None:
    """Load the bundled sample corpus into an empty database, showing progress.

    Returns a message for the reader when the load could not run. Serialised
    by a lock so that two first visitors do not load twice.
    """
    paths = sample_paths()
    if not paths:
        return None
    if load_paths is None:
        from etl.load import load_paths
    with _load_lock:
        with Session(eng) as session:
            if queries.article_count(session):
                return None
        with st.status("처음 실행: 예시 기사를 적재하는 중…", expanded=True) as status:
            bar = st.progress(0.0, text=f"0 / {len(paths)}")

            def progress(done: int, total: int | None) -> None:
                total = total or len(paths)
                bar.progress(min(done / total, 1.0), text=f"{done} / {total}")

            summary = load_paths(paths, eng, progress=progress)
            status.update(label=f"예시 기사 {summary.new}건을 적재했습니다.", state="complete", expanded=False)
    return None



def _prepare_readonly() -> bool:
    """Read-only: open the database as it is, or say why it cannot be shown."""
    from db.engine import DatabaseConfigError
    from db.schema import readonly_problem

    try:
        eng = engine()
    except DatabaseConfigError as exc:
        st.error(str(exc), icon=":material/database_off:")
        return False
    problem = readonly_problem(eng)
    if problem:
        st.info(problem)
        return False
    refresh_version()
    return True


def prepare() -> bool:
    """Make the database usable; False when there is nothing to show (read-only, no schema)."""
    if readonly():
        return _prepare_readonly()
    eng = engine()
    if not has_schema(eng) or st.session_state.get("_bootstrapped") != db_url():
        ensure_database(eng)
        with Session(eng) as session:
            empty = queries.article_count(session) == 0
        if empty:
            message = load_sample(eng)
            if message:
                st.info(message)
        st.session_state["_bootstrapped"] = db_url()
    refresh_version()
    return True
