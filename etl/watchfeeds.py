"""Writing every watchlist's Atom feed after a load, and the digest of one.

The feeds are static files in the dashboard's `static/watchlists/` folder,
which Streamlit serves at `/app/static/watchlists/<slug>.xml` when
`server.enableStaticServing` is on (.streamlit/config.toml). Two settings,
for a deployment whose dashboard lives elsewhere (README, 관심 목록):

* POLICY_RADAR_BASE_URL: the address readers open the dashboard at, for the
  links in the feeds (default http://localhost:8501);
* POLICY_RADAR_FEED_DIR: where to write the feeds (default static/watchlists
  beside dashboard.py).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from db import watchlists

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    return (os.environ.get("POLICY_RADAR_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def feed_dir() -> Path:
    return Path(os.environ.get("POLICY_RADAR_FEED_DIR") or ROOT / "static" / "watchlists")


def write_feeds(engine: Engine, folder: Path | None = None, base: str | None = None) -> list[Path]:
    """Write the Atom feed of every watchlist (its changes of the last load); the paths written.

    Each file is replaced atomically, so a feed reader never gets half a feed.
    """
    import ui.digest as digest

    folder, base = folder or feed_dir(), base or base_url()
    if not inspect(engine).has_table("watchlist"):
        return []
    with Session(engine) as session:
        saved = watchlists.all_saved(session)
        last = watchlists.last_load(session)
        feeds = []
        for w in saved:
            changes = watchlists.changes(session, w.view.filters, last.mark) if last else watchlists.Changes(0)
            feeds.append((w, digest.atom(w, changes, base_url=base, updated=last.finished_at if last else None)))
    if not feeds:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for w, data in feeds:
        path = folder / digest.feed_file_name(w)
        partial = path.with_name(f".{path.name}.tmp")
        partial.write_bytes(data)
        os.replace(partial, path)
        written.append(path)
    return written


def refresh_after_load(engine: Engine) -> str | None:
    """`write_feeds` after a load; a warning line when the folder cannot be written (the load stands)."""
    try:
        paths = write_feeds(engine)
    except OSError as exc:
        return f"warning: watchlist feeds not written to {feed_dir()}: {exc.strerror or exc}"
    if paths:
        log.info("wrote %d watchlist feed(s) to %s", len(paths), paths[0].parent)
    return None


def digest_markdown(engine: Engine, name: str, *, since: str = "load", base: str | None = None) -> str:
    """The Markdown digest of watchlist `name`: changes since the last load, or since last seen."""
    import ui.digest as digest
    from ui.format import day

    saved = watchlists.get(engine, name)
    if saved is None:
        raise watchlists.WatchlistError(f"no watchlist named {name!r}")
    with Session(engine) as session:
        if since == "seen":
            mark = saved.seen_article_id
            label = f"마지막 확인({day(saved.seen_at)}) 이후"
        else:
            last = watchlists.last_load(session)
            mark = last.mark if last else watchlists.newest_article(session)
            label = f"마지막 적재({day(last.finished_at)} UTC) 이후" if last else "적재 기록이 없습니다"
        changes = watchlists.changes(session, saved.view.filters, mark)
    return digest.markdown(saved, changes, base_url=base or base_url(), since=label)
