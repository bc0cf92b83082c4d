"""Money expressions and their roles (table-driven, exact values)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from etl.money import amounts_in, find_money, parse_korean_number


@pytest.mark.parametrize(
    "expr, value",
    [
        ("1,280억", 128_000_000_000),
        ("3조 4,500억", 3_450_000_000_000),
        ("3조4500억", 3_450_000_000_000),
        ("369억3000만", 36_930_000_000),
        ("45억6천만", 4_560_000_000),
        ("15,846백만", 15_846_000_000),
        ("8천만", 80_000_000),
        ("9조5천억", 9_500_000_000_000),
        ("2.5조", 2_500_000_000_000),
        ("1조1,000억", 1_100_000_000_000),
        ("4만2,350", 42_350),
        ("2조 6,800억", 2_680_000_000_000),
        ("0.5억", 50_000_000),
        ("3천500억", 350_000_000_000),
        ("3천500만", 35_000_000),
        ("1조2천억", 1_200_000_000_000),
        ("5백억", 50_000_000_000),
        ("3,500,000천", 3_500_000_000),
    ],
)
def test_parse_korean_number(expr: str, value: int) -> None:
    assert parse_korean_number(expr) == value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("총사업비 1,280억원을 투입", [(128_000_000_000, "원", "1,280억원")]),
        ("사업비는 3조 4,500억 원으로", [(3_450_000_000_000, "원", "3조 4,500억 원")]),
        ("1280억 투입…2029년 완공", [(128_000_000_000, "", "1280억")]),
        ("2억 달러(약 2,900억원)를 투자", [(200_000_000, "달러", "2억 달러"), (290_000_000_000, "원", "2,900억원")]),
        ("직접 고용 1만8,000명이 생길", []),
        ("680만㎡에 들어서며", []),
        ("일자리 2만1천개가 생길", []),
        ("2026년 착공", []),
        ("국비 9,500백만원", [(9_500_000_000, "원", "9,500백만원")]),
        ("6조3천억원을 투자해", [(6_300_000_000_000, "원", "6조3천억원")]),
    ],
)
def test_find_money(text: str, expected: list) -> None:
    assert [(m.value, m.currency, m.text) for m in find_money(text)] == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("재원은 국비 640억원, 도비 192억원, 시비 448억원으로 짜였다.",
         [(64_000_000_000, "national"), (19_200_000_000, "local"), (44_800_000_000, "local")]),
        ("2028년까지 5년간 369억3000만원(국비 150억4000만원, 지방비 218억9000만원)을 투입한다.",
         [(36_930_000_000, "total"), (15_040_000_000, "national"), (21_890_000_000, "local")]),
        ("총사업비는 4,120억원으로 국비 1,650억원, 도비 420억원, 군비 450억원, 민자 1,600억원이 들어간다.",
         [(412_000_000_000, "total"), (165_000_000_000, "national"), (42_000_000_000, "local"),
          (45_000_000_000, "local"), (160_000_000_000, "private")]),
        ("총사업비는 5,200억원으로, 공사가 부지 조성비 2,100억원을 대고 격납고 건설비 3,100억원은 민자로 조달한다.",
         [(520_000_000_000, "total"), (210_000_000_000, "other"), (310_000_000_000, "private")]),
        ("이 회사는 2억 달러(약 2,900억원)를 투자해 엔진 정비 공장을 짓기로 했다.", [(290_000_000_000, "investment")]),
        ("양극재·전해액 기업 4곳이 2조7,000억원을 들여 생산시설을 짓는다.", [(2_700_000_000_000, "investment")]),
        ("부두 건설비 2,100억원은 전액 국비로 충당한다.", [(210_000_000_000, "national")]),
        ("시는 투자 기업에 지방 투자보조금 300억원을 지원한다.", [(30_000_000_000, "local")]),
        ("시는 이와 함께 AI 기업 전용 펀드 500억원을 조성한다.", [(50_000_000_000, "other")]),
        ("나머지 2,500억원은 민간 사업자가 부담하는 구조다.", [(250_000_000_000, "private")]),
        ("해상풍력 지원부두 건설에 1,840억원을 투입한다.", [(184_000_000_000, "total")]),
        # not project money: revenue, market size, induced effects, stock prices
        ("지난해 매출 1조1,000억원을 올린 한결머티리얼즈는", []),
        ("세계 반도체 소재 시장 규모는 올해 약 95조원에 이를 전망이다.", []),
        ("생산유발효과 1조8,000억원, 부가가치 유발효과 6,200억원이 나타날 것으로 분석했다.", []),
        ("주가는 전날보다 8% 오른 4만2,350원에 거래를 마쳤다.", []),
        ("해마다 1조5천억원 안팎의 정비 비용을 해외 업체에 지불하고 있다.", []),
        ("업계는 IT용 OLED 세계 시장이 2027년 68조원 규모로 커질 것으로 본다.", []),
    ],
)
def test_roles(sentence: str, expected: list) -> None:
    assert [(a.krw, a.role) for a in amounts_in(sentence)] == expected


JO = st.integers(min_value=0, max_value=99)
EOK = st.integers(min_value=0, max_value=9999)
MAN = st.integers(min_value=0, max_value=9999)


@given(JO, EOK, MAN, st.booleans(), st.booleans())
def test_generated_amounts_round_trip(jo: int, eok: int, man: int, commas: bool, space: bool) -> None:
    """'2조 3,566억 5,000만원' written any common way parses back to its value."""
    value = jo * 10**12 + eok * 10**8 + man * 10**4
    if value < 10**8:
        return
    sep = " " if space else ""
    fmt = (lambda n: f"{n:,}") if commas else str
    parts = []
    if jo:
        parts.append(f"{jo}조")
    if eok:
        parts.append(f"{fmt(eok)}억")
    if man:
        parts.append(f"{fmt(man)}만")
    text = sep.join(parts) + "원"
    found = find_money(f"총사업비 {text}을 투입한다")
    assert [(m.value, m.text) for m in found] == [(value, text)]


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    for amount in amounts_in(text):
        assert amount.krw > 0
