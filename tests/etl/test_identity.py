"""Project identity: which reported names are one project (etl.identity)."""
from __future__ import annotations

import json

import pytest

from etl.identity import Reported, core_name, heads_agree, identity_rules, match, project_key

GUMI, GUNSAN = "47190", "52130"
E = 100_000_000  # 억


def reported(name: str, sido: str, cities=(), amounts=(), periods=()) -> Reported:
    return Reported(project_key(name, sido), frozenset(cities), frozenset(amounts), frozenset(periods))


@pytest.mark.parametrize("name, core", [
    ("구미시 반도체 소재·부품 공동인프라 구축사업", "반도체소재부품공동인프라"),
    ("경북 구미시 반도체 소재부품 공동인프라 구축사업", "반도체소재부품공동인프라"),
    ("구미 반도체 공동인프라", "반도체공동인프라"),
    ("당진 송산5산단 조성 계획", "송산5산업단지"),
    ("송산5산단", "송산5산업단지"),
    ("전북 군산시 미래모빌리티 국가산단", "미래모빌리티국가산업단지"),
])
def test_core_name_drops_region_and_programme_words(name, core):
    assert core_name(project_key(name, "47")) == core


@pytest.mark.parametrize("a, b, agree", [
    ("구미 반도체 공동인프라", "구미 반도체 인력양성센터", False),  # two kinds of facility
    ("미래모빌리티 국가산단", "미래모빌리티 부품 실증센터", False),  # a designation, a facility
    ("반도체 시험인증센터", "반도체 센터", True),  # one head ends the other
    ("구미 반도체 공동인프라 시험평가동", "구미 반도체 인력양성센터", True),  # no head of its own
])
def test_heads_agree(a, b, agree):
    assert heads_agree(project_key(a, "47"), project_key(b, "47")) is agree


KNOWN = [
    (1, reported("구미시 반도체 소재·부품 공동인프라 구축사업", "47", [GUMI], [1280 * E], [(2024, 2028)])),
    (2, reported("구미 반도체 인력양성센터", "47", [GUMI], [300 * E])),
    (3, reported("군산 미래모빌리티 국가산업단지", "52", [GUNSAN], [5200 * E], [(2025, 2032)])),
]


@pytest.mark.parametrize("new, expected", [
    # fewer words, one city and one figure in common: 0.667 + 0.1 + 0.3
    (reported("구미 반도체 공동인프라", "47", [GUMI], [1280 * E]), (1, 1.0, {"name": 0.667, "cities": [GUMI],
                                                                   "amounts": [1280 * E]})),
    # the same words with a 시도 in front and no figure in common
    (reported("경북 구미시 반도체 소재부품 공동인프라 구축사업", "47", [GUMI], [1350 * E]),
     (1, 1.0, {"name": 1.0, "cities": [GUMI]})),
    # alike, but nothing else shared: 0.667 < 0.8
    (reported("구미 반도체 공동인프라", "47"), None),
    # another figure, but the same city and an open-start period that agrees: 0.667 + 0.1 + 0.15
    (reported("구미 반도체 공동인프라", "47", [GUMI], [1300 * E], [(None, 2028)]),
     (1, 0.917, {"name": 0.667, "cities": [GUMI], "periods": [[2024, 2028]]})),
    (reported("구미 반도체 공동인프라", "47", [GUMI], [1300 * E], [(None, 2029)]), None),
    # a look-alike in the same city and industry
    (reported("구미 반도체 인력양성센터 건립", "47", [GUMI]), (2, 1.0, {"name": 1.0, "cities": [GUMI]})),
    (reported("구미 반도체 기술지원센터", "47", [GUMI], [300 * E]), None),
    (reported("군산 미래모빌리티 부품 실증센터", "52", [GUNSAN], [5200 * E]), None),
    # the same name in another 시군구 or 시도
    (reported("구미 반도체 공동인프라", "47", ["47110"], [1280 * E]), None),
    (reported("구미 반도체 공동인프라", "48", [], [1280 * E]), None),
])
def test_match(new, expected):
    found = match(new, KNOWN)
    got = None if found is None else (found.project_id, found.score, json.loads(found.reason))
    assert got == expected


def test_rules_are_read_from_the_data_file():
    rules = identity_rules()
    assert (rules.same_project, rules.min_name, rules.same_city, rules.same_amount, rules.same_period) == (
        0.8, 0.4, 0.1, 0.3, 0.15)
