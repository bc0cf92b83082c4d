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
    """What 사업 규모 counts (db.queries._scale_by), in the vocabulary's own labels, said
    wherever the figure is shown: '사업 규모 = 사업별로 총사업비와 (국비+지방비+민자+기타) 중
    큰 값의 합계입니다. 기업의 투자 약속(투자)은 … 따로 보여 줍니다.'"""
    labels = v.role_labels
    totals = "·".join(labels[c] for c in v.roles_counted_as("total"))
    parts = "+".join(labels[c] for c in v.roles_counted_as("part"))
    text = f"사업 규모 = 사업별로 {totals}와 ({parts}) 중 큰 값의 합계입니다."
    separate = "·".join(labels[c] for c in v.roles_counted_as("separate"))
    if separate:
        text += f" 기업의 투자 약속({separate})은 공공 사업비가 아니어서 사업 규모에 더하지 않고 따로 보여 줍니다."
    return text


def period(start: object, end: object) -> str:
    """'2024–2028', or '?–2030' when only the end is known (years from the database
    arrive as floats with NaN once a column has a gap: '2025.0' must not show)."""
    return f"{_year(start) or '?'}–{_year(end) or '?'}"


def _year(value: object) -> str:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(int(value))


# Column headers a reader sees in tables and downloads, by query column name.
COLUMNS: dict[str, str] = {
    "id": "ID",
    "project_id": "사업 ID",
    "article_id": "기사 ID",
    "name": "이름",
    "sido": "시도",
    "region": "지역",
    "status": "상태",
    "industry": "산업",
    "industries": "산업",
    "label": "구분",
    "krw": "금액(원)",
    "projects": "사업 수",
    "figures": "금액 건수",
    "year": "연도",
    "start_year": "시작 연도",
    "end_year": "종료 연도",
    "period": "기간",
    "text": "기사 표현",
    "sentence": "출처 문장",
    "article_title": "기사 제목",
    "title": "제목",
    "published": "날짜",
    "first_published": "첫 보도",
    "last_published": "최근 보도",
    "n_articles": "기사 수",
    "outlet": "매체",
    "reporter": "기자",
    "url": "원문",
    "mention": "기사 속 사업명",
    "event_date": "날짜",
    "kind": "종류",
    "detail": "세부",
    "value": "값",
    "jobs": "일자리(명)",
    "previous": "이전 금액(원)",
    "investment": "투자 유치(원)",
    "current": "현재 값",
    "who": "작성자",
    "why": "사유",
    "created_at": "작성 시각",
    "undone_at": "되돌린 시각",
    "krw_a": "금액 A(원)",
    "published_a": "날짜 A",
    "article_a": "기사 A",
    "outlet_a": "매체 A",
    "krw_b": "금액 B(원)",
    "published_b": "날짜 B",
    "article_b": "기사 B",
    "outlet_b": "매체 B",
}
# Keys that mean something to the database only: never shown, never downloaded.
INTERNAL: frozenset[str] = frozenset(
    {"code", "sido_code", "role", "dedup_key", "sentence_start", "span_start", "span_end", "key", "bucket", "evidence_id",
     "content_hash"}
)


def for_reader(df):
    """`df` with internal keys left out and Korean headers (tables and downloads alike)."""
    kept = [c for c in df.columns if c not in INTERNAL]
    return df[kept].rename(columns={c: COLUMNS.get(c, c) for c in kept})

