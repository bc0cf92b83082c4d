"""Feeds: the list a user keeps (feeds.toml) and reading RSS/Atom documents.

    [[feed]]
    name = "산업통상자원부 보도자료"
    url = "https://www.korea.kr/rss/dept_motie.xml"
    tags = ["부처", "산업"]

`parse_feed` reads RSS 2.0, RSS 1.0 (RDF) and Atom with lxml and is pure:
bytes in, `FeedItem`s and `BrokenItem`s out. An item without a usable link
is a `BrokenItem` (reported by the caller); the other items go on.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from etl.http import is_web_url, normalize_url

FEED_TYPES = ("rss", "atom", "rdf", "xml")
FEED_ROOTS = frozenset({"rss", "feed", "RDF", "channel"})


class FeedsFileError(ValueError):
    """The feeds file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed (or page) to fetch, as the user listed it."""

    url: str
    name: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedItem:
    link: str
    title: str = ""
    published: str = ""


@dataclass(frozen=True, slots=True)
class BrokenItem:
    """An item the feed lists but that cannot be fetched; `number` counts from 1."""

    number: int
    title: str
    reason: str


class NotAFeed(ValueError):
    """The document is not RSS or Atom (or is broken XML)."""


# ---------------------------------------------------------------- feeds.toml

def read_feeds_file(path: str | Path) -> list[FeedSpec]:
    """The feeds a TOML file lists, in order; FeedsFileError names the problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FeedsFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedsFileError(f"{path}: cannot read it ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise FeedsFileError(f"{path}: not valid TOML ({exc})") from None
    entries = data.get("feed")
    if not isinstance(entries, list) or not entries:
        raise FeedsFileError(f"{path}: no [[feed]] entries")
    specs, seen = [], set()
    for number, entry in enumerate(entries, 1):
        specs.append(_spec(path, number, entry))
        if specs[-1].url in seen:
            raise FeedsFileError(f"{path}: feed {number} repeats the url {specs[-1].url}")
        seen.add(specs[-1].url)
    return specs


def _spec(path: Path, number: int, entry: object) -> FeedSpec:
    where = f"{path}: feed {number}"
    if not isinstance(entry, dict):
        raise FeedsFileError(f"{where} is not a table")
    unknown = set(entry) - {"url", "name", "tags"}
    if unknown:
        raise FeedsFileError(f"{where} has unknown keys: {', '.join(sorted(unknown))} (use url, name, tags)")
    url, name, tags = entry.get("url"), entry.get("name", ""), entry.get("tags", [])
    if not isinstance(url, str) or not is_web_url(url.strip()):
        raise FeedsFileError(f"{where} needs a url starting with http:// or https://")
    if not isinstance(name, str):
        raise FeedsFileError(f"{where}: name must be text")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise FeedsFileError(f"{where}: tags must be a list of text, e.g. tags = [\"부처\"]")
    return FeedSpec(url=normalize_url(url), name=name.strip(), tags=tuple(t.strip() for t in tags if t.strip()))


# ---------------------------------------------------------------- RSS / Atom

def looks_like_feed(content_type: str, body: bytes) -> bool:
    """An RSS/Atom document, by its root element (servers often send feeds as text/html or text/xml)."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    if any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf")):
        return True
    kind = content_type.split(";")[0].strip().lower()
    return kind.endswith(("+xml", "/xml")) and any(t in kind for t in FEED_TYPES)


def parse_feed(body: bytes, base_url: str) -> list[FeedItem | BrokenItem]:
    """The items of an RSS or Atom document, links made absolute against `base_url`."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        root = etree.fromstring(body.lstrip(b"\xef\xbb\xbf \t\r\n"), parser)
    except etree.XMLSyntaxError as exc:
        raise NotAFeed(f"not a readable RSS/Atom feed ({exc})") from None
    if _local(root.tag) not in FEED_ROOTS:
        raise NotAFeed(f"not an RSS/Atom feed (the document is <{_local(root.tag)}>)")
    nodes = [e for e in root.iter() if isinstance(e.tag, str) and _local(e.tag) in ("item", "entry")]
    return [_item(n, number, base_url) for number, n in enumerate(nodes, 1)]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(node, *names: str) -> str:
    for child in node:
        if isinstance(child.tag, str) and _local(child.tag) in names:
            text = " ".join("".join(child.itertext()).split())
            if text:
                return text
    return ""


def _item(node, number: int, base_url: str) -> FeedItem | BrokenItem:
    title = _child_text(node, "title")
    link = _link(node)
    if not link:
        return BrokenItem(number, title, "feed item has no link")
    absolute = urljoin(base_url, link)
    if not is_web_url(absolute):
        return BrokenItem(number, title, f"feed item link is not a web address: {link[:80]}")
    return FeedItem(link=normalize_url(absolute), title=title, published=_child_text(node, "pubDate", "published", "updated", "date"))


def _link(node) -> str:
    """RSS <link>text</link>, Atom <link rel="alternate" href>, an RSS permalink <guid>, RDF rdf:about."""
    alternate = ""
    for child in node:
        if not isinstance(child.tag, str) or _local(child.tag) != "link":
            continue
        href = (child.get("href") or "").strip()
        if href and child.get("rel", "alternate") == "alternate":
            return href
        text = (child.text or "").strip()
        if text:
            return text
        alternate = alternate or href
    if alternate:
        return alternate
    for child in node:
        if isinstance(child.tag, str) and _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false":
            text = (child.text or "").strip()
            if text.startswith(("http://", "https://")):
                return text
    return (node.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "").strip()
