"""Warm caches: the queries of every page opened unfiltered, run once per data version.

A first visit of a page costs its queries (hundreds of milliseconds on a
large database) on top of drawing it. After the first page of a process has
been drawn, and again after each load (the data version changes),
`start()` runs the calls of `page_calls(Filters())` on a background thread
through the same cache the pages read (`ui.data`), so that the next page a
reader opens finds its figures computed. A call listed here that a page no
longer makes only costs a little time; a page call missing here only costs
that page a cold first visit: the figures always come from `db.queries`.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from db import queries
from db.filters import Filters

log = logging.getLogger(__name__)
THREAD_NAME = "policy-radar-warm"
Call = tuple[Callable[..., Any], tuple]
_started: set[tuple[str, tuple]] = set()
_lock = threading.Lock()


def page_calls(f: Filters) -> dict[str, list[Call]]:
    """The cached query calls each page makes with filters `f` and its own defaults
    (kept in step with pages/*.py; `bench/dashboard.py` times the same calls)."""
    return {
        "overview": [(queries.latest_run, ()), (queries.last_load_changes, ()), (queries.headline, (f,)),
                     (queries.funding_by_region, (f,)), (queries.funding_by_industry, (f,)),
                     (queries.newest_projects, (f, 8)), (queries.article_list, (f, 8))],
        "regions": [(queries.region_options, ()), (queries.funding_by_region, (f, None)),
                    (queries.region_industry_matrix, (f, "funding"))],
        "industries": [(queries.funding_by_industry, (f,)), (queries.region_industry_matrix, (f, "funding")),
                       (queries.industry_by_year, (f,))],
        "funding": [(queries.funding_by_role, (f,)), (queries.funding_by_region_role, (f,)), (queries.funding_by_year, (f,)),
                    (queries.largest_projects, (f, 20)), (queries.conflict_count, (f,)), (queries.doubtful_figures, (f,))],
        "timeline": [(queries.timeline, (f, 40))],
        "projects": [(queries.project_table, (f, "recent"))],  # project_choices: editing mode only
        "articles": [(queries.article_list, (f, 200))],
    }


def unfiltered_calls() -> list[Call]:
    """Every page's unfiltered calls, each once, in page order."""
    seen: dict[tuple, Call] = {}
    for calls in page_calls(Filters()).values():
        for query, args in calls:
            seen.setdefault((query.__qualname__, args), (query, args))
    return list(seen.values())


def start(url: str, version: tuple, run: Callable[[str, tuple, Callable[..., Any], tuple], Any]) -> threading.Thread | None:
    """Run `unfiltered_calls()` through `run(url, version, query, args)` on a
    background thread, once per database and data version in this process;
    the thread when this call started it, else None."""
    key = (url, version)
    with _lock:
        if key in _started:
            return None
        _started.add(key)
    # No ScriptRunContext on purpose: a thread carrying the page's context held back that
    # page's "script finished" message until warming was done (4 s at start-up on 100k articles).
    thread = threading.Thread(target=_warm, args=(url, version, run), name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


def _warm(url: str, version: tuple, run: Callable[[str, tuple, Callable[..., Any], tuple], Any]) -> None:
    for query, args in unfiltered_calls():
        try:
            run(url, version, query, args)
        except Exception:  # a failing query shows its error on its page; warming just moves on
            log.exception("warming %s failed", query.__name__)
