"""A watchlist's changes as an Atom feed and as Markdown: pure functions, no Streamlit.

The feed has one entry per new project and one per new or changed figure
(status changes are in the dashboard and the digest, and in the text of the
entries of their project); each entry links to the project's view on the
dashboard, with the watchlist's filters. Entry ids are stable (a project is
new once, a figure is new once, and ids are made of project keys, which a
`load --rebuild` keeps), so a feed reader that saw an entry in an earlier
version of the feed does not show it again.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote
from xml.etree import ElementTree as ET

from db.watchlists import Changes, FigureChange, NewProject, Saved, StatusChange
from ui.format import won

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:policy-radar,2026"
FEED_PATH = "app/static/watchlists"


def feed_file_name(saved: Saved) -> str:
    return f"{saved.slug}.xml"


def feed_url(base_url: str, saved: Saved) -> str:
    """Where Streamlit's static serving publishes the feed (see README, 관심 목록)."""
    return f"{base_url.rstrip('/')}/{FEED_PATH}/{quote(feed_file_name(saved))}"


def view_url(base_url: str, saved: Saved) -> str:
    """The saved dashboard view itself."""
    path = f"{base_url.rstrip('/')}/{quote(saved.page)}" if saved.page else f"{base_url.rstrip('/')}/"
    return f"{path}?{saved.view.query}" if saved.view.query else path


def project_url(base_url: str, saved: Saved, project_id: int) -> str:
    """The project's detail view on the 사업 page, with the watchlist's filters."""
    query = "&".join(q for q in (saved.view.query, f"project={project_id}") if q)
    return f"{base_url.rstrip('/')}/projects?{query}"


def figure_line(c: FigureChange) -> str:
    before = "없음" if c.previous is None else won(c.previous)
    return f"{c.label} {before} → {won(c.krw)}"


def project_line(p: NewProject) -> str:
    return " · ".join(x for x in (p.sido or "시도 미상", p.status or "상태 미상") if x)


def status_line(s: StatusChange) -> str:
    return f"상태 {s.before} → {s.after}"


def _iso(moment: datetime | None) -> str:
    moment = moment or datetime.now(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def atom(saved: Saved, changes: Changes, *, base_url: str, updated: datetime | None) -> bytes:
    """The watchlist's Atom feed (RFC 4287): one entry per new project or changed figure."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent, tag: str, text: str | None = None, **attrs: str):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    add(feed, "id", f"{TAG}:watchlist/{saved.slug}")
    add(feed, "title", f"Policy Radar 관심 목록: {saved.name}")
    add(feed, "subtitle", "마지막 적재로 새로 나온 사업과 새로 나오거나 바뀐 금액")
    add(feed, "updated", _iso(updated))
    add(feed, "link", rel="alternate", type="text/html", href=view_url(base_url, saved))
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url(base_url, saved))
    add(add(feed, "author"), "name", "Policy Radar")
    statuses = {s.project_id: s for s in changes.statuses}
    for p in changes.projects:
        entry = add(feed, "entry")
        add(entry, "id", f"{TAG}:watchlist/{saved.slug}/project/{quote(p.key or str(p.project_id))}")
        add(entry, "title", f"새 사업: {p.name}")
        add(entry, "link", rel="alternate", type="text/html", href=project_url(base_url, saved, p.project_id))
        add(entry, "updated", _iso(updated))
        add(entry, "summary", project_line(p))
    for c in changes.figures:
        entry = add(feed, "entry")
        add(entry, "id", f"{TAG}:watchlist/{saved.slug}/figure/{quote(c.key or str(c.project_id))}/{c.role}/{c.krw}")
        add(entry, "title", f"{c.name}: {figure_line(c)}")
        add(entry, "link", rel="alternate", type="text/html", href=project_url(base_url, saved, c.project_id))
        add(entry, "updated", _iso(updated))
        status = statuses.get(c.project_id)
        add(entry, "summary", " · ".join(x for x in (figure_line(c), status and status_line(status)) if x))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown link label."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def markdown(saved: Saved, changes: Changes, *, base_url: str, since: str) -> str:
    """The digest: what `atom` lists, plus status changes, as Markdown for a report or a mail."""
    lines = [f"# 관심 목록: {_md(saved.name)}", "",
             f"{since} · [대시보드에서 보기]({view_url(base_url, saved)})", ""]
    if changes.empty:
        lines.append("새로 바뀐 것이 없습니다.")
        return "\n".join(lines) + "\n"
    lines.append(f"새 사업 {len(changes.projects)}개, 새로 나오거나 바뀐 금액 {len(changes.figures)}건, "
                 f"상태 변화 {len(changes.statuses)}건")
    sections = (
        ("새 사업", [f"- [{_md(p.name)}]({project_url(base_url, saved, p.project_id)}) · {project_line(p)}" for p in changes.projects]),
        ("새로 나오거나 바뀐 금액", [f"- [{_md(c.name)}]({project_url(base_url, saved, c.project_id)}) · {figure_line(c)}"
                          for c in changes.figures]),
        ("상태 변화", [f"- [{_md(s.name)}]({project_url(base_url, saved, s.project_id)}) · {status_line(s)}" for s in changes.statuses]),
    )
    for title, items in sections:
        if items:
            lines += ["", f"## {title}", "", *items]
    return "\n".join(lines) + "\n"
