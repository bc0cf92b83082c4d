"""Saved web pages: the article text via trafilatura, metadata via meta tags.

Meta tags (`og:title`, `article:published_time`, ...) are statements by the
publisher, so they win over trafilatura's guesses. When trafilatura finds no
article body (tiny or unusual pages), the page's visible text is used so that
the cleaning stage still gets a chance. A page with more elements than
`Limits.max_html_elements` goes straight to its visible text: trafilatura's
time grows much faster than the page, and one saved page must not hold up
the batch for minutes.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from etl.normalize import normalize_optional, normalize_text
from etl.readers.base import Input
from etl.readers.decode import DecodeError, decode_declared, meta_charset
from etl.readers.fields import parse_date
from etl.records import Document, Rejection

log = logging.getLogger(__name__)

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HTML_START_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_INVISIBLE_TAGS = ("script", "style", "nav", "noscript", "template", "head", "iframe", "svg", "form", "button")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table td th tr ul".split()
)

_META_KEYS = {
    "title": ("og:title", "twitter:title"),
    "published": ("article:published_time", "og:article:published_time", "og:regdate", "pubdate"),
    "outlet": ("og:site_name", "og:article:site_name"),
    "reporter": ("og:article:author", "dable:author", "author"),
    "url": ("og:url",),
}


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Metadata a page states about itself (all optional)."""

    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    reporter: str | None = None
    url: str | None = None


class HtmlReader:
    name = "html"
    extensions = (".html", ".htm", ".xhtml", ".shtml")

    def sniff(self, item: Input) -> bool:
        head = item.data[:4096]
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        return _HTML_START_RE.match(head) is not None

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        try:
            page = decode_declared(item.data, meta_charset(item.data))
        except DecodeError as exc:
            yield item.reject(exc.reason)
            return
        page = _XML_DECL_RE.sub("", page, count=1)
        if not page.strip():
            yield item.reject("empty file")
            return
        meta = page_meta(page)
        guess = trafilatura_extract(page) if _within(page, item) else {}
        body = guess.get("text") or visible_text(page)
        body = normalize_text(body).strip("\n")
        if not body.strip():
            yield item.reject("web page has no article text")
            return
        title = meta.title or normalize_optional(guess.get("title"))
        yield Document(
            doc_id=item.stem,
            source=item.source,
            raw_text=with_title_line(title, body),
            fmt="html",
            title=title,
            published=meta.published or parse_date(guess.get("date")),
            outlet=meta.outlet or normalize_optional(guess.get("sitename")),
            reporter=meta.reporter or normalize_optional(guess.get("author")),
            url=meta.url or normalize_optional(guess.get("url")),
            source_hash=item.source_hash,
        )


def _within(page: str, item: Input) -> bool:
    """Whether trafilatura may read `page` in bounded time (see the module docstring)."""
    elements = element_count(page, item.limits.max_html_elements)
    if elements > item.limits.max_html_elements:
        log.info("%s: more than %d elements; reading the page's visible text instead of its article",
                 item.source, item.limits.max_html_elements)
        return False
    return True


def element_count(page: str, limit: int) -> int:
    """Elements in the page, counted up to one past `limit`."""
    tree = _parse(page)
    seen = 0
    for seen, _ in enumerate(tree.iter() if tree is not None else (), start=1):
        if seen > limit:
            break
    return seen


def with_title_line(title: str | None, body: str) -> str:
    """Put the title first, unless the extracted body already starts with it."""
    if not title or body.split("\n", 1)[0].strip() == title:
        return body
    return f"{title}\n\n{body}"


def _parse(page: str):
    """An lxml tree of the page, or None when lxml finds no document in it."""
    from lxml import etree, html

    try:
        return html.document_fromstring(page)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def page_meta(page: str) -> PageMeta:
    """Read og:/article: meta tags and the canonical link."""
    tree = _parse(page)
    if tree is None:
        return PageMeta()
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value

    def first(field: str) -> str | None:
        for key in _META_KEYS[field]:
            value = normalize_optional(found.get(key))
            if value:
                return value
        return None

    url = first("url")
    if url is None:
        for link in tree.iter("link"):
            if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
                url = link.get("href").strip()
                break
    return PageMeta(
        title=first("title"),
        published=parse_date(first("published")),
        outlet=first("outlet"),
        reporter=first("reporter"),
        url=url,
    )


def trafilatura_extract(page: str) -> dict:
    """trafilatura's article text and metadata guesses ({} when it finds nothing)."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True)
    except ValueError:
        return {}
    if result is None:
        return {}
    return result if isinstance(result, dict) else result.as_dict()


def visible_text(page: str) -> str:
    """The text a browser would show, one block per line, without menus and scripts."""
    tree = _parse(page)
    if tree is None:
        return ""
    for element in list(tree.iter(*_INVISIBLE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
