"""Korean won formatting (억/조/만 units) and axis ticks."""
from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from ui.format import count, day, won, won_short, won_ticks


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (128_000_000_000, "1,280억원"),
        (3_450_000_000_000, "3조 4,500억원"),
        (80_000_000, "8,000만원"),
        (0, "0원"),
        (-128_000_000_000, "-1,280억원"),
        (-80_000_000, "-8,000만원"),
        (1_000_000_000_000, "1조원"),
        (2_000_050_000_000, "2조 1억원"),
        (150_000_000, "1억 5,000만원"),
        (100_000_000, "1억원"),
        (99_999_999, "1억원"),
        (999_960_000_000, "1조원"),
        (12_345_678_901, "123억원"),
        (9_999, "9,999원"),
        (10_000, "1만원"),
        (12_000_000_000_000_000, "12,000조원"),
        (None, "-"),
        (float("nan"), "-"),
    ],
)
def test_won(value, expected):
    assert won(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2_500_000_000_000, "2.5조원"),
        (3_450_000_000_000, "3.5조원"),
        (1_000_000_000_000, "1조원"),
        (128_000_000_000, "1,280억원"),
        (50_000_000_000, "500억원"),
        (80_000_000, "8,000만원"),
        (0, "0"),
        (-2_500_000_000_000, "-2.5조원"),
        (5_000, "5,000원"),
    ],
)
def test_won_short(value, expected):
    assert won_short(value) == expected


def test_won_ticks_are_round_and_cover_the_maximum():
    values, labels = won_ticks(3_450_000_000_000)
    assert values[0] == 0 and values[-1] >= 3_450_000_000_000
    assert labels == ["0", "1조원", "2조원", "3조원", "4조원"]
    assert won_ticks(0) == ([0], ["0"])
    assert won_ticks(float("nan")) == ([0], ["0"])
    vals, labs = won_ticks(128_000_000_000)
    assert all(not math.isnan(v) for v in vals) and labs[-1].endswith("억원")


def test_count_and_day():
    assert count(12345, "건") == "12,345건"
    assert count(None) == "-"
    assert day(date(2024, 6, 4)) == "2024-06-04"
    assert day(datetime(2024, 6, 4, 13, 55)) == "2024-06-04 13:55"
    assert day(None) == "-"


def test_scale_formula_reads_the_vocabulary() -> None:
    from ui.format import scale_formula
    from vocab import vocabulary

    assert scale_formula(vocabulary()) == (
        "사업 규모 = 사업별로 총사업비와 (국비+지방비+민자+기타) 중 큰 값의 합계입니다. "
        "기업의 투자 약속(투자)은 공공 사업비가 아니어서 사업 규모에 더하지 않고 따로 보여 줍니다."
    )
