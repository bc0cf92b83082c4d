"""Finding calendar dates in the forms Korean news pages print them.

    2024-06-04 13:55:57   2024.06.04.   2024. 6. 26. 20:19   2024/04/02
    2023년 07월 26일(수)   2025년05월02일   입력2024.11.20. 오전 11:03
"""
from __future__ import annotations

import re
from datetime import date

DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-./]|년)\s*(?P<m>\d{1,2})\s*(?:[-./]|월)\s*(?P<d>\d{1,2})(?!\d)\s*(?:일|\.)?"
)
COMPACT_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def _make(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_dates(text: str, *, compact: bool = False) -> list[tuple[date, int, int]]:
    """Every valid date in `text` with its character span, in order.

    `compact` also accepts 20240604, which is only safe where a label or a
    column says the number is a date.
    """
    if "19" not in text and "20" not in text:
        return []  # every year both patterns accept starts so; most lines have none
    found = []
    for m in DATE_RE.finditer(text):
        value = _make(m["y"], m["m"], m["d"])
        if value:
            found.append((value, m.start(), m.end()))
    if compact:
        for m in COMPACT_RE.finditer(text):
            value = _make(m["y"], m["m"], m["d"])
            if value and not any(s <= m.start() < e for _, s, e in found):
                found.append((value, m.start(), m.end()))
        found.sort(key=lambda item: item[1])
    return found
