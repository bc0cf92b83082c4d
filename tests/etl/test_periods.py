"""Periods and deadlines (table-driven, exact values)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from etl.periods import find_periods


@pytest.mark.parametrize(
    "sentence, pub_year, expected",
    [
        ("2028년까지 5년간 369억원을 투입한다.", 2024, [(2024, 2028)]),
        ("2028년까지 5년간 369억원을 투입한다.", None, [(2024, 2028)]),
        ("2025∼2029년 총사업비 1,280억원을 투입해", 2025, [(2025, 2029)]),
        ("사업 기간은 2025~2027년이다.", 2025, [(2025, 2027)]),
        ("오는 2030년까지 총사업비 3,680억원을 투입한다.", 2025, [(None, 2030)]),
        ("시는 오는 2026년까지 1단계로 기존 10개 참여기업을 시작으로 오는 2028년 입주기업을 포함해 3단계가 완료되면", 2024,
         [(None, 2026), (None, 2028)]),
        ("2026년 상반기 착공해 오는 2032년까지 조성을 마칠 계획이다.", 2024, [(2026, 2032)]),
        ("도는 내년 상반기 보상에 착수해 2026년 착공하고, 2031년 준공한다는 목표다.", 2024, [(2026, 2031)]),
        ("1단계(2027년)·2단계(2030년)로 나눠 개발한다.", 2024, [(None, 2027), (None, 2030)]),
        ("도는 2026년 말 시범 운항을 거쳐 2028년 상용 운항을 시작할 계획이다.", 2025, [(None, 2026), (None, 2028)]),
        ("정부는 2026년 말 부지 조성 공사에 들어가 오는 2030년 첫 번째 팹을 가동하는 것을 목표로 하고 있다.", 2024, [(2026, 2030)]),
        ("특구 실증은 2025년 1월부터 2028년 12월까지 4년간 진행된다.", 2024, [(2025, 2028)]),
        ("올해부터 2030년까지 7년간 1,120억원을 들여", 2024, [(2024, 2030)]),
        ("산업통상자원부는 내년부터 2027년까지 국비 1,200억원을 들여", 2024, [(2025, 2027)]),
        ("2024년부터 5년간 단계적으로 지원할 방침이다.", 2023, [(2024, 2028)]),
        ("보령에는 블루수소 생산 실증 사업이 선정돼 내년 말 완공을 앞두고 있다.", 2024, [(None, 2025)]),
        ("향후 5년간 4차산업혁명 촉진을 위한 기본계획이 수립된 만큼", 2023, [(2023, 2027)]),
        # past events, forecasts, budget years and relative years without a timeline verb
        ("구미는 지난 2023년 7월 반도체 특화단지로 지정된 뒤 기업 유치에 힘을 쏟아 왔다.", 2025, []),
        ("1980년 조성된 염색산단에는 업체 120여 곳이 입주해 있다.", None, []),
        ("지난 2017년 수립한 ‘2030 광양시 종합발전 계획’ 이후", 2023, []),
        ("업계는 IT용 OLED 세계 시장이 2027년 68조원 규모로 커질 것으로 본다.", 2024, []),
        ("2025년도 정부 예산에 반영됐다.", 2024, []),
        ("올해는 60개 기업을 뽑는다.", 2024, []),
        ("시는 \"토지 보상 절차도 내년 중 시작할 수 있도록 준비하겠다\"고 말했다.", 2024, []),
    ],
)
def test_periods(sentence: str, pub_year: int | None, expected: list) -> None:
    assert [(p.start, p.end) for p in find_periods(sentence, pub_year)] == expected


def test_period_span_points_at_the_text() -> None:
    sentence = "총사업비는 2025∼2029년 1,280억원이다."
    (period,) = find_periods(sentence, 2025)
    assert sentence[period.span_start:period.span_end] == "2025∼2029년"


@given(st.text(max_size=200), st.one_of(st.none(), st.integers(min_value=1990, max_value=2040)))
def test_never_raises(text: str, pub_year: int | None) -> None:
    for period in find_periods(text, pub_year):
        assert period.start is None or period.start <= period.end


@given(st.integers(min_value=2000, max_value=2060), st.integers(min_value=0, max_value=20))
def test_generated_ranges_round_trip(start: int, length: int) -> None:
    end = start + length
    assert [(p.start, p.end) for p in find_periods(f"사업 기간은 {start}∼{end}년이다.", start)] == [(start, end)]


@pytest.mark.parametrize(
    "sentence, pub_year, expected",
    [
        # A deadline is a plan however the words after it read ("위한", "가능한" are adjectives, not past verbs).
        ("관측 위성 개발 사업은 2029년까지 150억원을 들여 확장 가능한 시스템을 만든다.", None, [(None, 2029)]),
        ("2027년까지 3년간 장비 공동 활용을 위한 플랫폼을 구축한다.", None, [(2025, 2027)]),
        # A sentence that reports what was done: its bare years date events.
        ("2019년 3월 노사가 상생협약을 맺은 뒤 공장을 완공하는 성과를 냈다.", None, []),
        ("경남도는 2021년 5월 공모에 선정되면서 센터 문을 열게 됐다.", None, []),
        ("시는 2016년 전담 부서를 만들어 생태계 구축에 힘써 온 결과 여러 성과를 내고 있다.", None, []),
        ("2020년 7월 협약을 체결한 이후 코로나19에도 공사가 이어졌다.", None, []),
        # "…하기로 했다" decides the future: the year is a milestone.
        ("기반 조성이 끝나는 2027년부터 상설 공연을 운영하기로 했다.", None, [(None, 2027)]),
        # The budget year a figure is for.
        ("경남도, 2024년 해양수산 국비 1,200억 확보", 2023, []),
        ("2026년 정부 예산안에 320억원이 반영됐다.", 2025, []),
        # The reference year of a statistic, inside a sentence about a target.
        ("국산화율을 2030년까지 80%(2022년 55%)로 높이고 매출을 2조원(2022년 4000억 원)까지 늘린다.", None, [(None, 2030)]),
        # Economic-effect outlooks are not timelines; a 매출 target with a plan is one.
        ("도는 2033년까지 생산 1조원, 고용 300명의 경제적 파급효과를 기대하고 있다.", 2024, []),
        ("2030년까지 관련 매출을 3조 원으로 늘린다는 계획이다.", 2025, [(None, 2030)]),
        ("국내 수소 매출은 2030년 10조원에 이를 전망이다.", 2025, []),
        # A lone start is a milestone only when a project step follows it.
        ("2027년부터 생산가능인구가 줄어드는 사회 변화에 대비한다.", 2024, []),
        ("센터는 2027년부터 시범 운영에 들어간다.", 2024, [(None, 2027)]),
        # A stated span counts even when it is over (a results article names it after the fact).
        ("도는 2019년부터 2023년까지 5년간 국비 250억원을 들여 센터를 지었다.", 2025, [(2019, 2023)]),
        ("2020~2024년 5년간 총사업비 400억원이 투입됐다.", 2025, [(2020, 2024)]),
        ("지난 2018년 착공한 공장은 2020년 가동에 들어갔다.", 2025, []),
    ],
)
def test_periods_learned_from_real_articles(sentence: str, pub_year: int | None, expected: list) -> None:
    assert [(p.start, p.end) for p in find_periods(sentence, pub_year)] == expected


@pytest.mark.parametrize(
    "sentence, pub_year, expected",
    [
        # the day of an event, a ceremony or a meeting
        ("오는 2025년 3월 10일 착공식을 열 예정이다.", 2024, []),
        ("도는 2025년 9월 출범식을 갖고 추진단을 꾸린다.", 2024, []),
        ("2026년 5월 투자 설명회를 연 뒤 기업을 모집한다.", 2025, []),
        # a national goal year
        ("정부는 2050년 탄소중립 달성을 위해 수소 산업을 키운다.", 2024, []),
        # a month without a day is still a timeline
        ("센터는 2026년 3월 완공된다.", 2024, [(None, 2026)]),
        ("오는 2026년 준공식을 갖고 운영에 들어간다.", 2024, [(None, 2026)]),
    ],
)
def test_event_dates_are_not_timelines(sentence: str, pub_year: int | None, expected: list) -> None:
    assert [(p.start, p.end) for p in find_periods(sentence, pub_year)] == expected
