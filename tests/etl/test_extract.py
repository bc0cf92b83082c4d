"""Extraction end to end: the bundled seed articles and articles written for these tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.extract import to_record
from etl.pipeline import run
from etl.projects import dice, name_key
from etl.records import Extraction

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
ARTICLES = Path(__file__).with_name("articles")


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extraction]:
    items = list(run([str(SAMPLE), str(ARTICLES)]))
    assert all(isinstance(i, Extraction) for i in items)
    return {i.article.doc_id: i for i in items}


def matches(names: list[str], expected: list[str]) -> bool:
    """Every expected project is named (character-bigram Dice ≥ 0.5, as the scorer does)."""
    return all(any(dice(name_key(n), name_key(e)) >= 0.5 for n in names) for e in expected)


CASES = [
    # id, published, sido, sigungu, industries, amounts (krw, role), period ends, jobs, projects that must be found
    ("000_6dde551483eaaae1", "2024-06-04", ["전라남도"], ["전라남도 광양시"], ["이차전지"], [], [], [],
     ["광양만권 이차전지 특화단지 지정 및 생태계 조성 연구용역", "이차전지 소재 전주기 국산화 거점단지 구축"]),
    ("001_b24f4e435000f45f", "2023-07-26", ["전라남도"], ["전라남도 광양시"],
     # 관광문화 is optional in the gold labels: a careful reader could go either way
     ["소재부품", "항만물류", "이차전지", "수소", "디지털·AI", "철강", "관광문화"], [], [], [],
     ["미래산업 분야 글로벌 R&D 센터 유치", "이차전지 소재부품 공정혁신 스마트공장 도입"]),
    ("002_38ebee007b4f574f", None, ["전북특별자치도"], ["전북특별자치도 군산시"], ["이차전지"],
     [(36_930_000_000, "total"), (15_040_000_000, "national"), (21_890_000_000, "local")], [2028], [],
     ["새만금 이차전지 특화단지", "이차전지 실시간 고도분석센터 구축 공모사업"]),
    ("003_038faf55acbd31c8", "2023-02-17", ["전라남도"], ["전라남도 광양시"],
     # 소재부품 and 에너지 are optional in the gold labels (소재 is an item of the list of target industries)
     ["디지털·AI", "이차전지", "수소", "철강", "항만물류", "드론", "에너지", "소재부품"], [], [2027], [], ["4차산업혁명 촉진 기본계획"]),
    ("004_accd6d631eb1101b", "2024-06-26", ["전북특별자치도"], ["전북특별자치도 전주시"], ["탄소소재"],
     [(807_200_000_000, "investment"), (284_300_000_000, "total")], [2026, 2028], [2233],
     ["전주시 탄소융복합 기회발전특구", "노후거점산업단지 경쟁력강화사업지구", "신규 일반산업단지 기본구상 및 타당성조사 용역"]),
    ("a01_pyeongtaek", "2025-09-18", ["경기도"], ["경기도 평택시"], ["소재부품", "반도체"],
     [(265_000_000_000, "total"), (80_000_000_000, "national"), (35_000_000_000, "local"),
      (50_000_000_000, "local"), (100_000_000_000, "private")], [2029], [3200], ["평택 반도체 소부장 협력단지 조성계획"]),
    ("a03_national_list", "2025-02-27", ["충청남도", "전라남도", "경상북도"],
     ["충청남도 아산시", "전라남도 순천시", "경상북도 포항시"], ["이차전지", "디스플레이", "관광문화"],
     [(9_000_000_000, "national")], [], [], ["교육발전특구 2차 지정"]),
    ("a04_busan_failed", "2024-09-12", ["부산광역시"], ["부산광역시 강서구"], ["항만물류"],
     [(180_000_000_000, "total")], [2030], [], ["부산 스마트 해운물류 허브 구축사업"]),
    ("a05_jeju_units", "2025-08-05", ["제주특별자치도"], ["제주특별자치도 제주시", "제주특별자치도 서귀포시"], ["수소", "미래차"],
     [(12_600_000_000, "total"), (6_300_000_000, "national"), (6_300_000_000, "local")], [2026, 2030], [],
     ["그린수소 충전 인프라 확충 사업"]),
    ("a06_ulsan_invest", "2024-05-21", ["울산광역시"], ["울산광역시 북구"], ["미래차", "이차전지"],
     [(450_000_000_000, "investment"), (12_000_000_000, "local")], [2026], [650],
     ["대한모빌리티 전기차 배터리 모듈 생산공장 투자협약"]),
    ("a07_press_release", "2025-04-08", ["충청북도"], ["충청북도 청주시"], ["바이오", "반도체", "이차전지", "소재부품"],
     [(430_000_000_000, "total"), (1_164_300_000_000, "total"), (2_000_000_000, "other")], [2029, 2030], [4000],
     ["오창 첨단소재 산업단지"]),
    ("a08_yonhap_short", "2025-11-18", ["경상남도"], ["경상남도 사천시"], ["항공우주"],
     [(520_000_000_000, "total")], [2031], [], ["사천 우주항공 국가산업단지"]),
    ("a10_cheonwon", "2024-12-03", ["전북특별자치도"], ["전북특별자치도 익산시"], ["관광문화", "디지털·AI"],
     [(3_500_000_000, "national"), (1_500_000_000, "local"), (5_000_000_000, "total")], [2027], [],
     ["홀로그램 콘텐츠 실증센터 구축 사업"]),
]


@pytest.mark.parametrize("doc_id, published, sido, sigungu, industries, amounts, ends, jobs, projects", CASES)
def test_article(extracted, doc_id, published, sido, sigungu, industries, amounts, ends, jobs, projects) -> None:
    record = to_record(extracted[doc_id])
    assert record["published"] == published
    assert sorted(record["sido"]) == sorted(sido)
    assert sorted(record["sigungu"]) == sorted(sigungu)
    assert sorted(record["industries"]) == sorted(industries)
    assert sorted((a["krw"], a["role"]) for a in record["amounts"]) == sorted(amounts)
    assert sorted(p["end"] for p in record["periods"]) == sorted(ends)
    assert record["jobs"] == jobs
    assert matches(record["projects"], projects), record["projects"]


def test_blog_article_regions(extracted) -> None:
    record = to_record(extracted["a02_wonju_blog"])
    assert record["title"] == "원주 의료기기 클러스터 2단계, 국비 확보로 속도 낸다"
    assert record["sido"] == ["강원특별자치도"]
    assert "강원특별자치도 원주시" in record["sigungu"]
    assert sorted((a["krw"], a["role"]) for a in record["amounts"]) == [
        (11_000_000_000, "local"), (12_000_000_000, "national"), (25_000_000_000, "local"),
        (35_000_000_000, "investment"), (48_000_000_000, "total"),
    ]


@pytest.mark.parametrize("doc_id", ["000_6dde551483eaaae1", "002_38ebee007b4f574f", "003_038faf55acbd31c8"])
def test_appended_articles_give_nothing(extracted, doc_id) -> None:
    """Regions, industries and amounts only from the article, never from the
    headline lists and other articles the page appends."""
    record = to_record(extracted[doc_id])
    assert not {"경기도", "대전광역시", "서울특별시"} & set(record["sido"])
    assert "반도체" not in record["industries"]
    assert not any(a["krw"] in (25_000_000_000,) for a in record["amounts"])


def test_evidence_spans_point_at_the_figures(extracted) -> None:
    for ex in extracted.values():
        text = ex.article.text
        for a in ex.amounts:
            assert text[a.evidence.start:a.evidence.end] == a.text
            assert a.evidence.quote == a.text
            assert text[a.evidence.sentence_start:].startswith(a.evidence.sentence)
        for p in ex.periods:
            assert text[p.evidence.start:p.evidence.end] == p.text
        for r in ex.regions:
            assert r.evidence.start < r.evidence.end


def test_figures_are_linked_to_projects(extracted) -> None:
    ex = extracted["002_38ebee007b4f574f"]
    assert {a.project for a in ex.amounts} == {"이차전지 실시간 고도분석센터 구축 공모사업"}
    ex = extracted["a06_ulsan_invest"]
    assert {(a.krw, a.region) for a in ex.amounts} == {(450_000_000_000, "31200"), (12_000_000_000, "31")}
