"""A local news site for the fetch tests: 127.0.0.1 only, http.server in a thread.

Pages are the invented Korean articles of tests/etl/site/articles.toml at
/news/<slug>.html, with the meta tags Korean outlets emit. Feeds are RSS
documents the test composes from links (`site.feed(name, links)`), served
with an ETag and a Last-Modified date that answer conditional requests with
304. `site.requests` logs every request (path, conditional headers, status),
so a test can see what the client asked and what it got.

Special paths: a path in `site.flaky` answers 503 that many times first, /missing/... answers 404, /old/<slug>.html redirects (301) to
/news/<slug>.html, /slow/<slug>.html waits `slow_seconds` before answering,
/robots.txt forbids /private/.
"""
from __future__ import annotations

import email.utils
import hashlib
import threading
import time
import tomllib
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARTICLES = Path(__file__).resolve().parent / "site" / "articles.toml"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
HOLD_SECONDS = 120  # the longest a held page waits for its release (a test that never releases it)
LAST_MODIFIED = email.utils.formatdate(time.mktime((2026, 4, 2, 9, 0, 0, 0, 0, 0)), usegmt=True)


def articles() -> dict[str, dict]:
    return {a["slug"]: a for a in tomllib.loads(ARTICLES.read_text(encoding="utf-8"))["article"]}


def page_html(article: dict, url: str) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article["body"])
    title, outlet = escape(article["title"]), escape(article["outlet"])
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{title} - {outlet}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{article['published']}T09:00:00+09:00">
<meta property="og:url" content="{url}">
</head><body><nav><a href="/">홈</a> <a href="/local">지역</a> <a href="/economy">경제</a></nav>
<article><h1>{title}</h1>
<div class="byline">{outlet} · 입력 {article['published']} 09:00</div>
{body}
</article><footer>Copyright {outlet}. All rights reserved. 무단전재 및 재배포 금지</footer></body></html>
"""


def rss(title: str, base: str, links: list[str]) -> bytes:
    items = "\n".join(
        f"<item><title>기사 {n}</title><link>{escape(base + link if link.startswith('/') else link)}</link>"
        f"<pubDate>{LAST_MODIFIED}</pubDate></item>" if link else f"<item><title>링크 없는 기사 {n}</title></item>"
        for n, link in enumerate(links, 1)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>{base}/</link><description>시험용 피드</description>\n{items}\n</channel></rss>\n").encode()


@dataclass
class Site:
    base: str = ""
    slow_seconds: float = 3.0
    page_delay: float = 0.0  # seconds every article page waits (a slow round for the kill test)
    feeds: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str | None, str | None, int]] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)  # User-Agent headers seen
    agent_log: list[str] = field(default_factory=list)  # the User-Agent of each answer, in order
    flaky: dict[str, int] = field(default_factory=dict)  # path -> how many more times to answer 503
    held: dict[str, threading.Event] = field(default_factory=dict)  # path -> answered once the event is set
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def feed(self, name: str, links: list[str]) -> str:
        """Serve /<name>.xml listing `links` (paths on this site, or '' for an item without link); its URL."""
        self.feeds[name] = rss(f"시험 피드 {name}", self.base, links)
        return f"{self.base}/{name}.xml"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def log(self, path: str, etag: str | None, since: str | None, status: int) -> None:
        with self._lock:
            self.requests.append((path, etag, since, status))

    def answered(self, path: str) -> list[int]:
        return [status for p, _e, _s, status in self.requests if p == path]


def _handler(site: Site):
    pages = articles()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            site.log(self.path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), status)
            site.agents.add(self.headers.get("User-Agent", ""))
            site.agent_log.append(self.headers.get("User-Agent", ""))
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/robots.txt":
                return self._send(200, ROBOTS, "text/plain")
            if path.endswith(".xml") and path[1:-4] in site.feeds:
                body = site.feeds[path[1:-4]]
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, headers=headers)
                return self._send(200, body, "application/rss+xml; charset=utf-8", headers)
            if site.flaky.get(path, 0) > 0:
                site.flaky[path] -= 1
                return self._send(503, "<html><body>잠시 후 다시 시도해 주세요</body></html>".encode())
            folder, _, name = path.strip("/").partition("/")
            slug = name.removesuffix(".html")
            if folder == "old" and slug in pages:
                return self._send(301, headers={"Location": f"/news/{slug}.html"})
            if folder in ("news", "slow", "private") and slug in pages:
                if folder == "slow":
                    time.sleep(site.slow_seconds)
                if site.page_delay:
                    time.sleep(site.page_delay)
                if (gate := site.held.get(path)) is not None:
                    gate.wait(HOLD_SECONDS)
                try:
                    return self._send(200, page_html(pages[slug], site.url(f"/news/{slug}.html")).encode())
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    return None
            return self._send(404, "<html><body><h1>404 페이지를 찾을 수 없습니다</h1></body></html>".encode())

    return Handler


class Server:
    """The site on a free port of 127.0.0.1, served by a daemon thread."""

    def __init__(self) -> None:
        self.site = Site()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.site))
        self._httpd.daemon_threads = True
        self.site.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self._thread.start()
        return self.site

    def __exit__(self, *_exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
