"""Industries from what the projects do: each word weighed by where it stands."""
from __future__ import annotations

import pytest

from etl.industries import SentenceContext, choose, hits_in, industry_cues, load_taxonomy, weighed_hits

HEADER = SentenceContext(in_header=True)
PROJECT = SentenceContext(about_project=True)
BODY = SentenceContext()


def labels(*sentences: tuple[str, SentenceContext]) -> list[str]:
    taxonomy = load_taxonomy()
    hits = [h for n, (text, ctx) in enumerate(sentences) for h in weighed_hits(text, n, taxonomy, ctx)]
    return sorted(choose(hits))


def places(text: str, *named: tuple[str, bool]) -> SentenceContext:
    """A body sentence naming these places (True: one of the article's regions)."""
    return SentenceContext(places=tuple((text.index(name), ours) for name, ours in named))


CASES = [
    # Industries named side by side are a list of targets: each counts once named.
    ("list of targets",
     [("군산시, 미래 신산업 육성 계획 발표", HEADER),
      ("시는 수소, 이차전지, 반도체, 드론 등 미래 신산업을 키운다.", BODY)],
     ["드론", "반도체", "수소", "이차전지"]),
    # Industries around a place (its customers) are no list of targets.
    ("downstream industries",
     [("구미 반도체 특화단지 유치 총력", HEADER),
      ("시는 반도체 특화단지 지정을 위해 힘을 모았다.", PROJECT),
      ("구미에는 가전, 국방, 로봇산업 등 전방산업이 포진해 있다.", BODY)],
     ["반도체"]),
    ("breadth of a sector",
     [("부산, 수리조선 지원센터 구축", HEADER),
      ("수리조선은 해운, 선박관리, 조선기자재, 철강, 전자산업 등 여러 산업과 연관된다.", BODY)],
     ["조선해양"]),
    # Three industries in one long sentence, far apart, are no list.
    ("far apart",
     [("강릉 관광거점도시 선정", HEADER),
      ("강릉시는 관광 안내 체계를 개편한다.", PROJECT),
      ("관광객 빅데이터 분석 결과를 토대로 사업 전반을 다듬은 뒤 해변 주차장 발전사업 검토에 나선다.", BODY)],
     ["관광문화"]),
    # One industry per region in a national list counts for each region.
    ("one industry per region",
     [("정부, 소부장 특화단지 3곳 지정", HEADER),
      ("경북 구미는 반도체를, 전북 전주는 탄소섬유를, 경남 창원은 로봇 부품을 맡는다.",
       SentenceContext(regions_named=3))],
     ["로봇", "반도체", "소재부품", "탄소소재"]),  # 소재부품 from 소부장 in the headline
    # A list of other regions' projects says nothing about this article's industry.
    ("other regions' list",
     [("안동시, 헴프 규제자유특구 지정", HEADER),
      ("이번에 △경북(헴프) △대구(협동로봇) △강원(액화수소) 특구가 함께 지정됐다.",
       places("이번에 △경북(헴프) △대구(협동로봇) △강원(액화수소) 특구가 함께 지정됐다.",
              ("경북", True), ("대구", False), ("강원", False)))],
     ["바이오"]),
    # Words inside names of organisations, events and ministries are names.
    ("organisation names",
     [("천안 미래모빌리티 국가산단 선정", HEADER),
      ("산단은 국립축산과학원 이전 부지에 조성되며 축산자원개발부 터도 포함된다.", PROJECT)],
     ["미래차"]),
    ("ministry names",
     [("익산시, 로봇 실증센터 선정", HEADER),
      ("과학기술정보통신부가 공모한 로봇 실증센터 사업에 총 50억원이 들어간다.", PROJECT)],
     ["로봇"]),
    # A quotation counts half: a passing remark in a quote does not make a label.
    ("quotation",
     [("창원에 특수선박 지원센터 준공", HEADER),
      ("센터는 특수선박 부품의 성능을 시험한다.", PROJECT),
      ("도 관계자는 “함정 MRO 산업에서도 선박 기업이 선전하길 바란다”고 말했다.", BODY)],
     ["조선해양"]),
    # A minor label far below the main one is a passing mention.
    ("far below the main label",
     [("세종시, 자율주행차 개발에 145억", HEADER),
      ("시는 자율주행 기술 개발과 자율주행 시험도시 기반을 다진다.", PROJECT),
      ("자율주행 부품 기업의 전환을 돕고 자율주행 실증 테스트베드를 만든다.", PROJECT),
      ("스마트시티 시범도시 지정에 이어 나온 성과다.", BODY)],
     ["미래차"]),
    # No industry word at all: the fallback label.
    ("no industry word", [("시청 앞 광장 새 단장", HEADER), ("시는 광장 바닥을 새로 깐다.", BODY)], ["기타"]),
]


@pytest.mark.parametrize("case, sentences, expected", CASES, ids=[c[0] for c in CASES])
def test_industries(case: str, sentences: list, expected: list[str]) -> None:
    assert labels(*sentences) == sorted(expected)


@pytest.mark.parametrize(
    "sentence, context, weights",
    [
        ("반도체 공장", BODY, [1.0]),
        ("반도체 공장", HEADER, [2.0]),
        ("반도체 공장", PROJECT, [1.5]),
        ("“반도체 공장”", BODY, [0.5]),
        ("한국반도체협회 회원사", BODY, [0.3]),
        ("부품 공장", BODY, [0.5]),  # a weak word
        # a two-syllable word inside another word is that other word ...
        ("전방산업이 많다", BODY, [0.0]),
        # ... but not when a particle or a compound's noun follows it
        ("스마트항만을 짓는다", BODY, [0.5, 1.0]),
        ("원자력수소산업 육성", BODY, [1.0, 1.0]),
        # a word spelled two ways in the taxonomy is one word
        ("4차 산업혁명 대응", BODY, [1.0]),
    ],
)
def test_weights(sentence: str, context: SentenceContext, weights: list[float]) -> None:
    assert [h.weight for h in weighed_hits(sentence, 0, load_taxonomy(), context)] == weights


def test_fallback_label_comes_from_the_data_file() -> None:
    assert choose([]) == [industry_cues().fallback] == ["기타"]


def test_hits_in_counts_each_sense_once() -> None:
    assert [(h.label, h.strong) for h in hits_in("4차산업혁명", 0, load_taxonomy())] == [("디지털·AI", True)]


@pytest.mark.parametrize(
    ("sentence", "spans"),
    [
        ("AI 산업", [(0, 2)]),  # a Latin word at the very start
        ("OpenAI 투자", []),  # ... but not inside a longer Latin word
        ("AI반도체", [(0, 2), (2, 5)]),  # Hangul may touch it
        ("xRE100", []),
        ("RE100산단", [(0, 5)]),
    ],
)
def test_latin_words_are_whole_words(sentence: str, spans: list[tuple[int, int]]) -> None:
    assert [(h.start, h.end) for h in hits_in(sentence, 0, load_taxonomy())] == spans
