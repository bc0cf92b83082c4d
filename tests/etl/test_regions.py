"""Which regions an article is about: short articles written for each pattern
the real articles showed, run through cleaning, tagging and extraction."""
from __future__ import annotations

import pytest

from etl.clean import clean
from etl.extract import extract, load_resources, to_record
from etl.gazetteer import load_gazetteer
from etl.nlp import Token
from etl.pipeline import analyzer
from etl.records import Document
from etl.regions import _glued


def regions_of(text: str) -> tuple[list[str], list[str]]:
    article = clean(Document(doc_id="t", source="t.txt", raw_text=text))
    record = to_record(extract(article, analyzer().analyze(article.text, article.body_start), load_resources()))
    return sorted(record["sido"]), sorted(record["sigungu"])


CASES = [
    # A national announcement that selects several regions names each of them and its 시군구,
    # even when the article's headline names only the main one.
    ("selected list",
     "'국가 수소 클러스터' 거점 울산 확정\n\n"
     "정부가 국가 수소 클러스터의 거점으로 울산을 최종 확정했다고 3일 밝혔다. "
     "거점을 뒷받침할 연계지구에는 경남 창원시와 부산 강서구가 함께 지정됐다. "
     "클러스터에는 2032년까지 국비 1조원이 투입된다.",
     ["경상남도", "부산광역시", "울산광역시"], ["경상남도 창원시", "부산광역시 강서구"]),
    ("selected list with a dot",
     "원전 해체 실증센터 착공\n\n"
     "원전 해체 실증센터가 부산 기장군에서 첫 삽을 떴다. "
     "센터는 기장군 장안읍과 울산 울주군 서생면에 걸쳐 들어선다. "
     "2020년 유치전 끝에 부산·울산시가 공동으로 낙점받았다. 총사업비는 2400억원이다.",
     ["부산광역시", "울산광역시"], ["부산광역시 기장군", "울산광역시 울주군"]),
    ("selected list after its heading",
     "부산 강서구 등 2곳 수소 특구 선정\n\n"
     "중소벤처기업부가 수소 규제자유특구 2곳을 발표했다. 부산 강서구는 수소 선박 실증을 맡는다. "
     "이번에 선정된 곳은 부산 강서구, 대구 달성군이다. 특구에는 4년간 국비 300억원이 들어간다.",
     ["대구광역시", "부산광역시"], ["대구광역시 달성군", "부산광역시 강서구"]),
    # One place chosen alone in a story about another region's failed bid is the rival that won.
    ("rival that won",
     "대전시, 바이오 특화단지 공모 탈락\n\n"
     "대전시가 추진한 바이오 특화단지 유치가 무산됐다. 대전시는 유성구 일원을 후보지로 냈다. "
     "최종 대상지로는 충북 청주시가 선정됐다.",
     ["대전광역시"], ["대전광역시 유성구"]),
    # A comparison (X보다) and a rival in a contest are not where the project is.
    ("comparison",
     "과학관 입지 전남 순천 결정\n\n"
     "국립 과학관 입지가 전남 순천시로 결정됐다. "
     "순천시는 경쟁 상대였던 여수시를 제치고 최종 입지로 뽑혔다. "
     "평가 점수는 광양시보다 8점 높았다.",
     ["전라남도"], ["전라남도 순천시"]),
    # A company's head office is not its project's location.
    ("head office",
     "구미에 배터리 소재 공장 짓는다\n\n"
     "서울에 본사를 둔 한빛소재가 경북 구미시에 양극재 공장을 짓는다. "
     "회사는 2027년까지 3000억원을 투자한다.",
     ["경상북도"], ["경상북도 구미시"]),
    # The far end of a road or rail link is not where it is built.
    ("far end of a link",
     "노원구 동부 순환도로 착공\n\n"
     "서울시는 노원구 동부 순환도로 공사를 시작한다고 밝혔다. "
     "이 도로는 노원구 상계동에서 강남까지 곧바로 잇는 도로로, 2029년 개통한다.",
     ["서울특별시"], ["서울특별시 노원구"]),
    # Old unit names lead to today's units.
    ("legacy names",
     "옛 영일군 일대 2차전지 단지 조성\n\n"
     "경북도는 옛 영일군 흥해읍 일대에 2차전지 소재 단지를 조성한다. 사업비는 1500억원이다.",
     ["경상북도"], ["경상북도 포항시"]),
    ("legacy names, south-west",
     "여천시 석유화학단지 고도화\n\n"
     "옛 여천시 지역의 석유화학단지에 1200억원을 들여 스페셜티 설비를 짓는다.",
     ["전라남도"], ["전라남도 여수시"]),
    ("연기군 and 청원군",
     "연기군·청원군 기능지구 지정\n\n"
     "과학벨트 기능지구로 충남 연기군과 충북 청원군이 지정됐다. 기능지구에는 500억원이 들어간다.",
     ["세종특별자치시", "충청북도"], ["충청북도 청주시"]),
]


@pytest.mark.parametrize("case, text, sido, sigungu", CASES, ids=[c[0] for c in CASES])
def test_regions(case: str, text: str, sido: list[str], sigungu: list[str]) -> None:
    assert regions_of(text) == (sorted(sido), sorted(sigungu))


@pytest.mark.parametrize(
    "tokens, index, glued",
    [
        # "특구로": the tokenizer cut 구로 (구로구) out of a longer word
        ([Token("특", "NNG", 0, 1), Token("구로", "NNP", 1, 3)], 1, True),
        # "신안산선": 안산 inside a rail line's name
        ([Token("신", "XPN", 0, 1), Token("안산", "NNP", 1, 3), Token("선", "NNG", 3, 4)], 1, True),
        # "대구경북": two place names side by side are both places
        ([Token("대구", "NNP", 0, 2), Token("경북", "NNP", 2, 4)], 1, False),
        # "특구 구로": a space before the name
        ([Token("특구", "NNG", 0, 2), Token("구로", "NNP", 3, 5)], 1, False),
        # a full unit name is never cut out of a word
        ([Token("신", "XPN", 0, 1), Token("안산시", "NNP", 1, 4)], 1, False),
    ],
)
def test_glued_short_names(tokens: list[Token], index: int, glued: bool) -> None:
    text = "".join(" " * (t.start - (tokens[i - 1].end if i else 0)) + t.form for i, t in enumerate(tokens))
    assert _glued(tuple(tokens), index, text, load_gazetteer()) is glued
