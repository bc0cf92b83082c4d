"""Money expressions and their roles (table-driven, exact values)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from pathlib import Path

from etl.money import amounts_in, article_role, figures_in, find_money, parse_korean_number, role_cues
from etl.patterns import DATA_DIR, DataFileError


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
        ("2천900여억", 290_000_000_000),
        ("20여조", 20_000_000_000_000),
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
        ("1천500여억원이 들어간다", [(150_000_000_000, "원", "1천500여억원")]),
        ("100여 명이 참석했다", []),
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


# ---------------------------------------------------------------- not project money
# Each figure is kept aside with its reason, never dropped silently.

@pytest.mark.parametrize(
    "sentence, kept, excluded",
    [
        # market size and outlooks
        ("업계는 2032년까지 약 480조 원 규모의 시장이 열릴 것으로 내다본다.", [], [(480_000_000_000_000, "market")]),
        ("국내 스마트팜 시장 규모는 2030년 8조원에 이를 것으로 보인다.", [], [(8_000_000_000_000, "market")]),
        ("관련 시장은 해마다 15%씩 커져 2035년 60조원대에 이를 것으로 예상된다.", [], [(60_000_000_000_000, "market")]),
        ("전기선박 시장이 2040년까지 35조원으로 커질 것이라는 분석이다.", [], [(35_000_000_000_000, "market")]),
        ("세계 해상풍력 시장은 2035년 900억 달러(약 120조원)로 성장할 전망이다.", [], [(120_000_000_000_000, "market")]),
        ("480조 시장 선점 나선 동해안 수소벨트", [], [(480_000_000_000_000, "market")]),
        ("27조 원 규모 로봇 시장을 겨냥한다.", [], [(27_000_000_000_000, "market")]),
        # induced production, value added, economic effects
        ("산단이 가동되면 74조 원의 생산유발 효과와 6만 명의 고용 효과가 예상된다.", [], [(74_000_000_000_000, "effect")]),
        ("부가가치 유발효과는 1조 3천억원으로 추산됐다.", [], [(1_300_000_000_000, "effect")]),
        ("이번 유치로 지역에 미치는 효과는 2조원에 달할 것으로 분석됐다.", [], [(2_000_000_000_000, "effect")]),
        ("파급효과는 직접 투자 3조원, 생산 유발 6조원에 이를 것으로 보인다.", [],
         [(3_000_000_000_000, "effect"), (6_000_000_000_000, "effect")]),
        ("생산유발 3조2천억원(도내 1조9천억원)이 기대된다.", [], [(3_200_000_000_000, "effect"), (1_900_000_000_000, "effect")]),
        # sales, exports, tax revenue, company finances
        ("이 회사는 지난해 매출 2조 4천억원을 올렸다.", [], [(2_400_000_000_000, "sales")]),
        ("센터는 2030년까지 관련 매출을 5조 원까지 늘린다는 목표다.", [], [(5_000_000_000_000, "sales")]),
        ("입주 기업들은 연간 7000억원 수출을 목표로 한다.", [], [(700_000_000_000, "export")]),
        ("연 150억원의 지방세 세수 증가가 예상된다.", [], [(15_000_000_000, "tax")]),
        ("이 회사의 영업이익은 1200억원이었다.", [], [(120_000_000_000, "sales")]),
        ("해마다 4천억원의 관광 수입이 생길 것으로 본다.", [], [(400_000_000_000, "sales")]),
        ("물류비 절감 250억원이 기대된다.", [], [(25_000_000_000, "effect")]),
        ("연간 900억원의 수입대체 효과가 있다.", [], [(90_000_000_000, "effect")]),
        ("도는 내년 살림 규모를 13조 5천억원으로 정했다.", [], [(13_500_000_000_000, "whole_budget")]),
        ("지난해 이 산단의 생산액은 31조원으로 줄었다.", [], [(31_000_000_000_000, "sales")]),
        ("이 조선소의 올해 수주액은 11조원을 넘어섰다.", [], [(11_000_000_000_000, "sales")]),
        ("충북의 지역내총생산(GRDP)은 80조원 규모다.", [], [(80_000_000_000_000, "economy")]),
        ("산단 인근 땅값은 3.3㎡당 250만원까지 올랐다.", [], [(2_500_000, "finance")]),
        # an institution's whole annual budget, and its parts
        ("충남도의 내년 예산은 11조 2000억원으로 확정됐다.", [], [(11_200_000_000_000, "whole_budget")]),
        ("군은 1조 1천억원 규모의 2026년도 본예산안을 군의회에 제출했다.", [], [(1_100_000_000_000, "whole_budget")]),
        ("올해 경북도 예산 13조원 가운데 농업 예산은 2조원이다.", [],
         [(13_000_000_000_000, "whole_budget"), (2_000_000_000_000, "whole_budget")]),
        ("정부가 짠 새해 예산안 690조원 가운데 R&D 예산은 27조원이다.", [],
         [(690_000_000_000_000, "whole_budget"), (27_000_000_000_000, "whole_budget")]),
        # past totals cited as background
        ("1·2차 지정 당시 기업들이 약속한 투자는 36조원이었다.", [], [(36_000_000_000_000, "background")]),
        ("앞서 1차 지정 당시 12개 특구에는 약 31조원의 투자가 약정됐다.", [], [(31_000_000_000_000, "background")]),
        ("민선 8기 들어 누적 투자유치 실적은 52조원에 달한다.", [], [(52_000_000_000_000, "background")]),
    ],
)
def test_excluded(sentence: str, kept: list, excluded: list) -> None:
    found = figures_in(sentence)
    assert [(a.krw, a.role) for a in found.kept] == kept
    assert [(x.krw, x.reason) for x in found.excluded] == excluded


def test_excluded_figures_carry_their_label_and_cue() -> None:
    found = figures_in("업계는 2032년까지 약 480조 원 규모의 시장이 열릴 것으로 내다본다.")
    [x] = found.excluded
    assert (x.label, x.cue, x.text) == ("시장 전망", "규모의 시장이", "480조 원")


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a cue word inside a longer noun or a quoted name is not a cue
        ("도는 수출형 스마트공장 보급에 총 240억원을 투입한다.", [(24_000_000_000, "total")]),
        ("물류 수출허브 조성에 모두 1조 1천억원이 들어간다.", [(1_100_000_000_000, "total")]),
        ("‘고부가가치 소재 실증센터 구축’ 사업에 국비 45억원이 반영됐다.", [(4_500_000_000, "national")]),
        # nor is one separated from the figure by a purpose
        ("시는 매출 증대를 위해 15억원을 들여 공동 브랜드를 만든다.", [(1_500_000_000, "total")]),
        # a mayor is not a market; a market building is a project
        ("박 시장은 800억원을 들여 복합문화센터를 짓겠다고 밝혔다.", [(80_000_000_000, "total")]),
        ("전통시장 주차장 건립에 60억원을 지원한다.", [(6_000_000_000, "total")]),
        ("군은 70억원 들여 시장 주차장을 넓힌다.", [(7_000_000_000, "total")]),
        # an effect named earlier does not exclude a figure that is spent
        ("생산유발 효과가 기대되는 이 사업에는 총 2700억원이 투입된다.", [(270_000_000_000, "total")]),
        ("정부 예산 1조원을 지원받는다.", [(1_000_000_000_000, "national")]),
        # a source named between the cue and the figure is the figure's own cue
        ("2026년 정부 예산에 국비 6조 1천억원이 반영됐다.", [(6_100_000_000_000, "national")]),
        ("수출사업 다각화에 30억원을 지원한다.", [(3_000_000_000, "total")]),
        # a figure that is spent is no market, effect or finance figure
        ("국내 시장 점유율 1위 기업이 650억원을 투자한다.", [(65_000_000_000, "investment")]),
        ("한빛자산운용은 420억원을 투자해 물류센터를 짓는다.", [(42_000_000_000, "investment")]),
        ("태풍 피해 복구에 260억원을 투입한다.", [(26_000_000_000, "total")]),
        # a past point does not make a figure that is spent background
        ("협약 당시 기업들은 4200억원을 투자하기로 했다.", [(420_000_000_000, "investment")]),
    ],
)
def test_not_excluded(sentence: str, expected: list) -> None:
    found = figures_in(sentence)
    assert [(a.krw, a.role) for a in found.kept] == expected
    assert found.excluded == ()


# ---------------------------------------------------------------- roles by meaning

@pytest.mark.parametrize(
    "sentence, expected",
    [
        # 투자 by a public body is its budget; by a company, investment
        ("도는 85억원을 투자해 야외 공연장을 짓는다.", [(8_500_000_000, "total", "도는")]),
        ("포항시는 2조원을 들여 배터리 산단을 조성한다.", [(2_000_000_000_000, "total", "")]),
        ("한빛에너지는 2030년까지 1조 8천억원을 투입해 수전해 공장을 짓는다.",
         [(1_800_000_000_000, "investment", "한빛에너지는")]),
        ("대성그룹은 2045년까지 20년간 40조원을 투자할 계획이다.", [(40_000_000_000_000, "investment", "대성그룹은")]),
        ("KM모빌리티가 600억원을 들여 부품 공장을 세운다.", [(60_000_000_000, "investment", "KM모빌리티가")]),
        ("AI센터는 350억원을 들여 슈퍼컴퓨터를 들인다.", [(35_000_000_000, "total", "")]),  # an institute, not a company
        # 총/모두 with a company's 투자, and 투자금 as the noun
        ("협약에 따라 기업 6곳이 모두 9,200억원을 투자한다.", [(920_000_000_000, "investment", "모두 … 을 투자한")]),
        ("기업들이 약속한 투자금은 총 3.2조원이다.", [(3_200_000_000_000, "investment", "투자금 … 총")]),
        ("시는 부품기업 4곳과 총 870억원 규모의 투자협약을 맺었다.",
         [(87_000_000_000, "investment", "총 … 규모의 투자협약")]),
        # a figure broken down into public shares is public money, whatever the verb
        ("4개 거점 사업에 560억원(국비 280억원, 도비 280억원)을 투자한다.",
         [(56_000_000_000, "total", "국비, 도비"), (28_000_000_000, "national", "국비"), (28_000_000_000, "local", "도비")]),
        # a named payer right before its share
        ("센터 건립에는 해양수산부 420억원, 공공기관 300억원 등 모두 720억원이 든다.",
         [(42_000_000_000, "national", "해양수산부"), (30_000_000_000, "other", "공공기관"), (72_000_000_000, "total", "모두")]),
        ("민간 사업자는 나머지 350억원을 부담한다.", [(35_000_000_000, "private", "민간 사업자는")]),
        ("총사업비 9천억원 가운데 민간이 5천억원을 댄다.",
         [(900_000_000_000, "total", "총사업비"), (500_000_000_000, "private", "민간이")]),
        ("2045년까지 120조원이 투자되는 반도체 특화단지가 들어선다.", [(120_000_000_000_000, "investment", "이 투자되")]),
        ("시는 총 2조원 규모의 민간 투자를 끌어온다.", [(2_000_000_000_000, "investment", "총 … 규모의 민간 투자를")]),
        # several sources named together are a whole
        ("국비, 도비, 민간투자 등 4천200여억원을 단계적으로 투입한다.",
         [(420_000_000_000, "total", "국비, 도비, 민간투자 등")]),
        ("국비와 시비 매칭으로 600억원이 투입된다.", [(60_000_000_000, "total", "국비와 시비 매칭으로")]),
        # a sentence about securing 국비
        ("신규 사업 3건, 84억 원이 정부 예산에 새로 반영됐다.", [(8_400_000_000, "national", "정부 예산에 새로 반영")]),
        ("‘해양 드론 실증’ 16억 원 등 계속사업 국비를 확보했다.", [(1_600_000_000, "national", "국비를 확보")]),
        # 올해 예산 against a multi-year total
        ("시는 첫해인 올해 30억원의 예산으로 설계를 시작하고, 2030년까지 총 750억원을 투입한다.",
         [(3_000_000_000, "other", "첫해인 올해"), (75_000_000_000, "total", "총")]),
        ("재단은 올해 총 920억원(국비 500, 시비 400, 기타 20) 규모의 예산을 집행한다.",
         [(92_000_000_000, "other", "올해 총"), (50_000_000_000, "national", "국비"), (40_000_000_000, "local", "시비"),
          (2_000_000_000, "other", "기타")]),
    ],
)
def test_roles_by_meaning(sentence: str, expected: list) -> None:
    assert [(a.krw, a.role, a.cue) for a in amounts_in(sentence)] == expected


@pytest.mark.parametrize(
    "header, role",
    [
        ("경남도, 이차전지 기업 5곳과 1조2천억 투자협약", "investment"),
        ("충북, 반도체 소부장 기업 투자 유치 잇따라", "investment"),
        ("강원도, 내년 국비 9조 확보…역대 최대", "national"),
        ("2027년 산업분야 국비 3,200억 반영", "national"),
        ("서산에 바이오 산단 조성…총사업비 3천억", None),
        ("도, 투자 유치 박차…내년 국비 1조 확보", None),  # both: neither wins
    ],
)
def test_article_role(header: str, role: str | None) -> None:
    assert article_role(header) == role


def test_article_role_is_the_default_of_uncued_figures() -> None:
    sentence = "한결은 장성 공장에 410억원을 쏟아 생산라인을 늘린다."
    assert [(a.role, a.confidence) for a in amounts_in(sentence)] == [("total", 0)]
    assert [(a.role, a.confidence) for a in amounts_in(sentence, default="investment")] == [("investment", 1)]


# ---------------------------------------------------------------- part and whole

@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a share and a cost item inside a total
        ("총사업비 8000억원 중 2500억원은 연구장비 구축에 투자한다.",
         [(800_000_000_000, "total", None), (250_000_000_000, "other", 800_000_000_000)]),
        ("사업비 2조원 가운데 국비는 1조2천억원, 지방비는 8천억원이다.",
         [(2_000_000_000_000, "total", None), (1_200_000_000_000, "national", 2_000_000_000_000),
          (800_000_000_000, "local", 2_000_000_000_000)]),
        ("총사업비는 3,600억원으로, 시가 진입도로 공사비 900억원을 맡는다.",
         [(360_000_000_000, "total", None), (90_000_000_000, "other", 360_000_000_000)]),
        # a 설계비 inside 국비 is that 국비's money
        ("국비 95억원(설계비 7억원 포함)이 내년 정부 예산안에 반영됐다.",
         [(9_500_000_000, "national", None), (700_000_000, "national", 9_500_000_000)]),
        ("테크노밸리는 2조4천억원을 들여(국·시비 6천억원, 민자 1조8천억원) 조성된다.",
         [(2_400_000_000_000, "total", None), (600_000_000_000, "other", 2_400_000_000_000),
          (1_800_000_000_000, "private", 2_400_000_000_000)]),
        # an uncued figure after a stated whole is a part of it
        ("군은 총 380억원을 들여 센터를 짓고, 95억원으로 연구장비를 들인다.",
         [(38_000_000_000, "total", None), (9_500_000_000, "other", 38_000_000_000)]),
        # a sentence opening with 이 가운데 details the figures of the one before
        ("이 가운데 진입도로 공사비 640억원은 내년에 투입된다.", [(64_000_000_000, "other", 410_000_000_000)]),
        # shares before their sum
        ("국비 210억원, 도비 60억원, 군비 90억원 등 총 360억원이 든다.",
         [(21_000_000_000, "national", 36_000_000_000), (6_000_000_000, "local", 36_000_000_000),
          (9_000_000_000, "local", 36_000_000_000), (36_000_000_000, "total", None)]),
        # parallel items of a list are each a whole, not parts of the first
        ("△수소 충전소 구축(2800억원) △연구단지 조성(4100억원) △물류센터 건립(950억원) 등이다.",
         [(280_000_000_000, "total", None), (410_000_000_000, "total", None), (95_000_000_000, "total", None)]),
        ("동부지구 2,210억 원, 서부지구 1,980억 원 등 1단계로 사업비 4,190억 원이 들어간다.",
         [(221_000_000_000, "total", 419_000_000_000), (198_000_000_000, "total", 419_000_000_000),
          (419_000_000_000, "total", None)]),
    ],
)
def test_part_and_whole(sentence: str, expected: list) -> None:
    previous = figures_in("총사업비는 4100억원이다.").kept
    assert [(a.krw, a.role, a.part_of) for a in figures_in(sentence, previous=previous).kept] == expected


def test_previous_sentence_only_when_continued() -> None:
    previous = figures_in("총사업비는 4100억원이다.").kept
    found = figures_in("진입도로 공사비 640억원은 내년에 투입된다.", previous=previous).kept
    assert [(a.krw, a.role, a.part_of) for a in found] == [(64_000_000_000, "total", None)]


# ---------------------------------------------------------------- change of a total

@pytest.mark.parametrize(
    "sentence, kept, excluded",
    [
        ("총사업비는 당초 2140억원에서 95억원 늘어난 2235억원으로 확정됐다.",
         [(223_500_000_000, "total")], [(214_000_000_000, "earlier"), (9_500_000_000, "change")]),
        ("사업비는 740억원에서 910억원으로 증액됐다.", [(91_000_000_000, "total")], [(74_000_000_000, "earlier")]),
        ("구축 예산도 애초 520억원에서 민자를 포함해 총 830억원으로 늘었다.",
         [(83_000_000_000, "total")], [(52_000_000_000, "earlier")]),
        ("국비가 전년보다 40억원 많은 310억원으로 늘었다.", [(31_000_000_000, "national")], [(4_000_000_000, "change")]),
    ],
)
def test_change_of_total(sentence: str, kept: list, excluded: list) -> None:
    found = figures_in(sentence)
    assert [(a.krw, a.role) for a in found.kept] == kept
    assert [(x.krw, x.reason) for x in found.excluded] == excluded


# ---------------------------------------------------------------- doubtful figures

@pytest.mark.parametrize(
    "sentence, doubtful",
    [
        ("새만금에는 2050년까지 18조원이 들어갈 예정이다.", [True]),
        ("구미시는 1조 3천억원을 들여 국가산단을 조성한다.", [True]),
        ("올해 국비 확보액은 8조 7000억원으로 늘었다.", [False]),  # 국비 is its own cue
        ("민간 자본 2조 4천억원으로 충당한다.", [False]),
        ("총사업비 1조 2천억원이 투입된다.", [False]),
        ("기업 3곳이 2조원을 투자한다.", [False]),
        ("이 사업에는 9000억원이 들어갈 예정이다.", [False]),  # under 1조: not doubtful by size
    ],
)
def test_doubtful(sentence: str, doubtful: list) -> None:
    found = amounts_in(sentence)
    assert [a.doubt is not None for a in found] == doubtful
    assert all(a.doubt == "조 단위, 사업비·투자 표지 없음" for a in found if a.doubt)


# ---------------------------------------------------------------- the data file

BROKEN = [
    ("[exclude.market] without a label", '[exclude.market]\nlabel = "시장 전망"', "[exclude.market]", "money.toml [exclude.market]: needs a label"),
    ("a bad pattern", "'국비', '국고'", "'(국비', '국고'", "money.toml [before]: bad pattern"),
    ("clause without outlook", "outlook = ['전망', '예상', '추산', '추정'", "nooutlook = ['전망', '예상', '추산', '추정'",
     "money.toml [exclude.market]: clause and outlook go together"),
]


@pytest.mark.parametrize("what, old, new, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_data_file_is_named(tmp_path: Path, what: str, old: str, new: str, message: str) -> None:
    text = (DATA_DIR / "money.toml").read_text(encoding="utf-8")
    assert old in text, what
    (tmp_path / "money.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        role_cues(tmp_path)


def test_vocabulary_is_read_from_the_data_file(tmp_path: Path) -> None:
    """A user adds a counter and an exclusion reason without touching code."""
    text = (DATA_DIR / "money.toml").read_text(encoding="utf-8")
    text = text.replace("counters = [", "counters = ['척', ", 1)
    text += '\n[exclude.lottery]\nlabel = "복권 당첨금"\nbefore = [\'당첨금\']\n'
    (tmp_path / "money.toml").write_text(text, encoding="utf-8")
    cues = role_cues(tmp_path)
    assert find_money("선박 12억 척", cues) == []
    found = figures_in("1등 당첨금 25억원이 지급됐다.", cues)
    assert [(x.krw, x.reason, x.label) for x in found.excluded] == [(2_500_000_000, "lottery", "복권 당첨금")]
