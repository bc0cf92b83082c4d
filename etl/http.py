"""The HTTP client of `python -m etl fetch`: polite, patient and explicit about failure.

One `Client` per run. It names itself in the User-Agent, asks robots.txt
before any page of a host (kept for a day when given a `RobotsCache`), waits `delay` seconds between two requests to the
same host (longer when robots.txt asks for a Crawl-delay), retries
connection errors, timeouts and 429/5xx answers with exponential backoff,
follows redirects, sends conditional requests (If-None-Match,
If-Modified-Since) when it is given validators, and reads at most
`max_bytes` of a body. Every failure is a `FetchError` whose `reason` is a
one-line message; `permanent` says whether trying again later can help.
"""
from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urldefrag, urlsplit, urlunsplit

from etl import EXTRACTOR_VERSION

USER_AGENT = f"PolicyRadar/{EXTRACTOR_VERSION} (Korean regional policy news monitor; +python -m etl fetch)"
ROBOTS_AGENT = "PolicyRadar"
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
DEFAULT_DELAY = 1.0
MAX_CRAWL_DELAY = 60.0
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A later run may succeed: the server was slow, down or busy.
TRANSIENT_STATUSES = frozenset((408, *RETRY_STATUSES))


class RobotsCache(Protocol):
    """Where robots.txt answers are kept between runs (RFC 9309: for at most a day)."""

    def get(self, url: str) -> tuple[int, bytes] | None:
        """The (status, body) kept for this robots.txt URL, if still fresh."""
        ...

    def put(self, url: str, status: int, body: bytes) -> None:
        ...


class FetchError(Exception):
    """A URL could not be fetched; `reason` is the message shown to the user."""

    def __init__(self, reason: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.status = status


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a version of a URL, to ask "changed since?" next time."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched URL. `url` is the one asked for, `final_url` where redirects ended."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    validators: Validators = field(default_factory=Validators)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def normalize_url(url: str) -> str:
    """The URL as an identity: no fragment, lower-case scheme and host, a path of at least '/'."""
    url, _fragment = urldefrag(url.strip())
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Client:
    """A requests session with the manners described in the module docstring."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF, delay: float = DEFAULT_DELAY, max_bytes: int = 20 * 1024 * 1024,
                 user_agent: str = USER_AGENT) -> None:
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.timeout, self.delay, self.max_bytes = timeout, delay, max_bytes
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": user_agent, "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, other=0, backoff_factor=backoff,
                      status_forcelist=RETRY_STATUSES, allowed_methods=("GET", "HEAD"), raise_on_status=False,
                      respect_retry_after_header=True, backoff_max=30)
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchError | None] = {}
        self.robots_cache: RobotsCache | None = None

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------ robots.txt

    def check_robots(self, url: str) -> None:
        """Raise a permanent FetchError when robots.txt of the URL's host forbids it.

        RFC 9309: a robots.txt that is missing (4xx) allows everything; one
        that cannot be read (5xx, no answer) forbids everything for now.
        """
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(host)
        rules = self._robots[host]
        if isinstance(rules, FetchError):
            raise FetchError(f"robots.txt of {host} could not be read ({rules.reason}), so its pages are not fetched",
                             permanent=False, status=rules.status)
        if rules is not None and not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("robots.txt does not allow fetching this page", permanent=True)

    def _read_robots(self, host: str):
        url = f"{host}/robots.txt"
        kept = self.robots_cache.get(url) if self.robots_cache is not None else None
        if kept is None:
            try:
                response = self._get(url, {})
            except FetchError as exc:
                return exc
            if response.status >= 500:
                return FetchError(f"HTTP {response.status}", permanent=False, status=response.status)
            kept = (response.status, response.body)
            if self.robots_cache is not None:
                self.robots_cache.put(url, *kept)
        status, body = kept
        if 400 <= status < 500:
            return None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules

    def _host_delay(self, host: str) -> float:
        rules = self._robots.get(host)
        crawl = None
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            crawl = rules.crawl_delay(ROBOTS_AGENT)
        return max(self.delay, min(float(crawl or 0), MAX_CRAWL_DELAY))

    # ------------------------------------------------------------ fetching

    def fetch(self, url: str, validators: Validators | None = None) -> Response:
        """GET a page or feed after the robots.txt check; 4xx/5xx answers raise."""
        self.check_robots(url)
        response = self._get(url, (validators or Validators()).headers())
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status}", permanent=response.status not in TRANSIENT_STATUSES,
                             status=response.status)
        return response

    def _get(self, url: str, headers: Mapping[str, str]) -> Response:
        import requests

        host = host_of(url)
        wait = self._last.get(host, 0.0) + self._host_delay(host) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            with self._session.get(url, headers=dict(headers), timeout=self.timeout, stream=True,
                                   allow_redirects=True) as r:
                body = self._read_body(r)
                return Response(url=url, final_url=r.url, status=r.status_code,
                                content_type=r.headers.get("Content-Type", ""), body=body,
                                validators=Validators(r.headers.get("ETag"), r.headers.get("Last-Modified")))
        except requests.exceptions.TooManyRedirects:
            raise FetchError("too many redirects", permanent=True) from None
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            if _is_timeout(exc):
                raise FetchError(f"timed out after {self.timeout:g} s", permanent=False) from None
            raise FetchError(f"cannot connect ({_short(exc)})", permanent=False) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"request failed ({_short(exc)})", permanent=False) from None
        finally:
            self._last[host] = time.monotonic()

    def _read_body(self, r) -> bytes:
        chunks, size = [], 0
        for chunk in r.iter_content(65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"response is larger than the {self.max_bytes // (1024 * 1024)} MB limit (--max-size)",
                                 permanent=True)
            chunks.append(chunk)
        return b"".join(chunks)


def _is_timeout(exc: BaseException) -> bool:
    """Whether a requests error is a timeout: after retries requests reports a read
    timeout as a ConnectionError wrapping urllib3's MaxRetryError(ReadTimeoutError)."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError

    timeouts = (requests.exceptions.Timeout, ReadTimeoutError, ConnectTimeoutError, TimeoutError)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, timeouts):
            return True
        seen.add(id(current))
        inner = getattr(current, "reason", None) or next((a for a in current.args if isinstance(a, BaseException)), None)
        current = inner if isinstance(inner, BaseException) else current.__context__
    return False


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:160]
