"""Numbers and dates the way Korean readers expect them.

Won amounts are written in 만/억/조 units, not millions or billions:
1,280억원, 3조 4,500억원, 8,000만원. Tables use `won`; chart axes use the
shorter `won_short` (2.5조원) with tick positions from `won_ticks`, because
plotly's own tick formats only know SI prefixes (G, T).
"""
from __future__ import annotations

import math
from datetime import date, datetime

from vocab import Vocabulary

MAN = 10**4
EOK = 10**8
JO = 10**12


def _sign(value: float) -> str:
    return "-" if value < 0 else ""


def _round(x: float) -> int:
    """Half up (Python's round() goes to even: 2조 0.5억 would lose its 1억)."""
    return int(math.floor(x + 0.5))


def won(value: int | float | None) -> str:
    """Full amount in the largest two units, rounded to what a reader compares.

    >>> won(128_000_000_000), won(3_450_000_000_000), won(80_000_000)
    ('1,280억원', '3조 4,500억원', '8,000만원')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    sign, v = _sign(value), abs(value)
    if v >= JO - EOK / 2:
        eok = _round(v / EOK)
        jo, rest = divmod(eok, 10**4)
        return f"{sign}{jo:,}조 {rest:,}억원" if rest else f"{sign}{jo:,}조원"
    if v >= 100 * EOK - MAN / 2:
        return f"{sign}{_round(v / EOK):,}억원"
    if v >= EOK - MAN / 2:
        man = _round(v / MAN)
        eok, rest = divmod(man, 10**4)
        return f"{sign}{eok:,}억 {rest:,}만원" if rest else f"{sign}{eok:,}억원"
    if v >= MAN:
        return f"{sign}{_round(v / MAN):,}만원"
    return f"{sign}{_round(v):,}원"


def _decimal(x: float) -> str:
    text = f"{x:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def won_short(value: int | float | None) -> str:
    """One unit, at most one decimal, for axis labels and tight spaces.

    >>> won_short(2_500_000_000_000), won_short(128_000_000_000)
    ('2.5조원', '1,280억원')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    sign, v = _sign(value), abs(value)
    if v == 0:
        return "0"
    if v >= JO:
        return f"{sign}{_decimal(v / JO)}조원"
    if v >= EOK:
        return f"{sign}{_decimal(v / EOK)}억원"
    if v >= MAN:
        return f"{sign}{_decimal(v / MAN)}만원"
    return f"{sign}{v:,.0f}원"


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def won_ticks(max_value: float, target: int = 5) -> tuple[list[float], list[str]]:
    """Round tick positions from 0 to `max_value` and their Korean labels."""
    if not max_value or max_value <= 0 or math.isnan(max_value):
        return [0], ["0"]
    step = _nice_step(max_value, target)
    n = int(math.ceil(max_value / step - 1e-9))
    values = [i * step for i in range(n + 1)]
    return values, [won_short(v) for v in values]


def count(n: int | None, unit: str = "") -> str:
    """1,234건: thousands separators and a counter word."""
    return "-" if n is None else f"{int(n):,}{unit}"


def day(value: date | datetime | str | None) -> str:
    """2024-06-04 (ISO dates read unambiguously in Korean reports)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def scale_formula(v: Vocabulary) -> str:
    """How 사업 규모 is computed (db.queries._scale_by), in the vocabulary's own labels:
    '사업 규모 = 사업별로 총사업비와 (국비+지방비+민자+기타) 중 큰 값 + 투자.'"""
    labels = v.role_labels
    totals = "·".join(labels[c] for c in v.roles_counted_as("total"))
    parts = "+".join(labels[c] for c in v.roles_counted_as("part"))
    added = "".join(f" + {labels[c]}" for c in v.roles_counted_as("added"))
    return f"사업 규모 = 사업별로 {totals}와 ({parts}) 중 큰 값{added}."
