"""One canonical form for article text, applied by every reader.

Scraped pages, Excel exports and hand-saved files spell the same text in
different code points (full-width digits, NBSP, CRLF, decomposed Hangul).
Later stages match patterns and compute content hashes on this text, so it
must be normalised once, identically, before anything else looks at it.

Deliberately NFC, not NFKC: NFKC would turn `㎡` into `m2`, `㎞` into `km`
and compatibility jamo (`ㄱ`) into conjoining jamo, losing characters the
extractors match on. Only the full-width ASCII block is folded explicitly.
"""
from __future__ import annotations

import unicodedata

_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
# C0 control characters other than tab and newline: invisible in text, and
# PostgreSQL refuses NUL in a text column.
_CONTROLS = tuple(chr(cp) for cp in range(0x20) if chr(cp) not in "\t\n\r") + ("\x7f",)
_SPACES = ("\u00a0", "\u202f", "\u3000")


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({ord(ch): " " for ch in _SPACES})
    table.update({ord(ch): None for ch in _ZERO_WIDTH + _CONTROLS})
    return table


_TABLE = _build_table()


def normalize_text(text: str) -> str:
    """Return `text` in the pipeline's canonical form.

    Steps, in an order that keeps the function idempotent: line endings to
    LF; full-width ASCII to ASCII, NBSP/ideographic space to a plain space and
    zero-width characters, BOM and control characters (NUL …) removed (before NFC, so that a removed character
    cannot block a composition that a second pass would then perform); NFC;
    trailing whitespace stripped from every line.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TABLE)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def normalize_optional(value: str | None) -> str | None:
    """Normalise a metadata field; blank values become None."""
    if value is None:
        return None
    value = normalize_text(value).strip()
    return value or None


def quotes_anything(text: str, *, single: bool = True) -> bool:
    """Whether `text` holds a quote mark `inside_quote` counts: without one, no
    position in it is inside a quotation (a cheap test before many positions)."""
    return "“" in text or '"' in text or (single and "‘" in text)


def inside_quote(text: str, pos: int, *, single: bool = True) -> bool:
    """Whether `pos` falls inside a quotation: more “ than ” before it (and, with
    `single`, more ‘ than ’), or an odd number of straight double quotes. Years
    and places inside a quote are what someone said, not what the article reports.
    Single quotes also mark names and emphasis ('여수·순천 상생'); region
    weighting therefore counts double quotes only."""
    before = text[:pos]
    opened = before.count("“") - before.count("”")
    if single:
        opened += before.count("‘") - before.count("’")
    return opened > 0 or before.count('"') % 2 == 1
