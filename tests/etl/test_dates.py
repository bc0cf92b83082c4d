"""Dates as Korean news pages print them."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st

from etl.dates import find_dates


def first_date(text: str) -> date | None:
    """The first date in a dateline, as cleaning takes it (compact forms allowed)."""
    found = find_dates(text.strip(), compact=True)
    return found[0][0] if found else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("최선경 기자 / 기사승인 : 2024-06-04 13:55:57", date(2024, 6, 4)),
        ("2023년 07월 26일(수) 17:30 가가", date(2023, 7, 26)),
        ("기사입력 : 2023년02월17일 15:51", date(2023, 2, 17)),
        ("전주 지킴이 2024. 6. 26. 20:19", date(2024, 6, 26)),
        ("입력2024.11.20. 오전 11:03  수정2024.11.20. 오후 2:41", date(2024, 11, 20)),
        ("등록 2023.05.10 16:45 | 수정 2023.05.11 09:02", date(2023, 5, 10)),
        ("2024/04/02 16:10", date(2024, 4, 2)),
        ("2023-03-15 오후 2:02:11", date(2023, 3, 15)),
        ("송고시간2025-02-03 11:05", date(2025, 2, 3)),
        ("20240604", date(2024, 6, 4)),
        ("2024-02-30", None),
        ("5-1생활권", None),
        ("", None),
    ],
)
def test_first_date(text: str, expected: date | None) -> None:
    assert first_date(text) == expected


def test_find_dates_spans() -> None:
    text = "입력 2025-05-27 10:05 수정 2025.05.28"
    assert [(d, text[s:e].strip()) for d, s, e in find_dates(text)] == [
        (date(2025, 5, 27), "2025-05-27"),
        (date(2025, 5, 28), "2025.05.28"),
    ]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["{:%Y-%m-%d}", "{:%Y.%m.%d}", "{d.year}년 {d.month}월 {d.day}일", "{d.year}. {d.month}. {d.day}."]))
def test_generated_dates_round_trip(d: date, pattern: str) -> None:
    text = pattern.format(d, d=d)
    assert first_date(text) == d


@given(st.text(max_size=100))
def test_never_raises(text: str) -> None:
    first_date(text)
