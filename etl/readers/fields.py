"""Shared by the tabular readers (CSV, JSON Lines, Excel): which column is
which, how dates are written, and how one row becomes a Document.

Column names differ between tools and years ("본문", "Body", "content",
"뉴스 식별자" vs "뉴스식별자"), so names are compared after removing case,
spaces and punctuation, against an alias table.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from etl.normalize import normalize_optional, normalize_text
from etl.readers.base import sha256_hex
from etl.records import Document, Rejection

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "제목", "headline"),
    "published": ("date", "published", "일자", "날짜", "pubdate", "datetime"),
    "body": ("body", "content", "text", "본문", "article"),
    "url": ("url", "link", "링크"),
    "outlet": ("source", "press", "outlet", "언론사", "publisher"),
    "reporter": ("reporter", "author", "byline", "기자", "기고자"),
    "id": ("id", "식별자", "뉴스식별자", "뉴스id"),
}
BODY_ALIASES_TEXT = "/".join(FIELD_ALIASES["body"])

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-./]|년)\s*(?P<m>\d{1,2})\s*(?:[-./]|월)\s*(?P<d>\d{1,2})\s*(?:일|\.)?(?=$|[\sT(])"
)
_COMPACT_DATE_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:\.0+)?$")


def header_key(name: object) -> str:
    """Comparable form of a column name: NFC, case-folded, letters and digits only."""
    text = unicodedata.normalize("NFC", str(name or "")).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def match_columns(headers: Sequence[object]) -> dict[str, int]:
    """Map each known field to the index of its column (alias order wins)."""
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in keys:
                found[field] = keys.index(alias)
                break
    return found


def missing_body_reason(headers: Sequence[object], what: str = "column") -> str:
    shown = ", ".join(str(h).strip() for h in headers if str(h or "").strip()) or "none"
    return f"no body {what} (one of {BODY_ALIASES_TEXT}); {what}s found: {shown}"


def parse_date(value: object) -> date | None:
    """A publication date from a cell or meta tag; None when it is not one we know.

    Accepts 2024-06-04, 2024-06-04T13:55:57+09:00, 2024.06.04, 2024/06/04,
    20240604 and 2024년 6월 4일; Excel dates arrive as datetime objects.
    The date is taken as written (no time-zone shift).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(str(value)).strip()
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if match is None:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def cell_text(value: object) -> str:
    """Text of a cell; Excel stores ids like 1 as 1.0, which should read "1"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def pick(row: Sequence[object], columns: Mapping[str, int]) -> dict[str, object]:
    """The known fields of one row (missing cells are None)."""
    return {field: (row[index] if index < len(row) else None) for field, index in columns.items()}


def row_document(
    fields: Mapping[str, object], *, source: str, fallback_id: str, fmt: str
) -> Document | Rejection:
    """Build the Document for one row, or the Rejection saying why not.

    `source_hash` hashes the row's normalised fields, so the loader can tell
    that the same article arrives again in a different export.
    """
    title = normalize_optional(cell_text(fields.get("title")))
    body = normalize_text(cell_text(fields.get("body"))).strip("\n")
    date_text = normalize_text(cell_text(fields.get("published"))).strip()
    url = normalize_optional(cell_text(fields.get("url")))
    outlet = normalize_optional(cell_text(fields.get("outlet")))
    reporter = normalize_optional(cell_text(fields.get("reporter")))
    row_id = normalize_optional(cell_text(fields.get("id")))
    canonical = json.dumps(
        {"id": row_id, "title": title, "date": date_text, "body": body, "url": url, "outlet": outlet, "reporter": reporter},
        ensure_ascii=False,
        sort_keys=True,
    )
    source_hash = sha256_hex(canonical.encode("utf-8"))
    if not body.strip():
        return Rejection(source=source, reason="empty body", source_hash=source_hash)
    return Document(
        doc_id=row_id or fallback_id,
        source=source,
        raw_text=f"{title}\n\n{body}" if title else body,
        fmt=fmt,
        title=title,
        published=parse_date(fields.get("published")),
        outlet=outlet,
        reporter=reporter,
        url=url,
        source_hash=source_hash,
    )
