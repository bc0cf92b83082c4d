"""Job figures next to job words only (etl/data/jobs.toml)."""
from __future__ import annotations

import pytest

from etl.jobs import find_jobs


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a job noun right before the count
        ("투자 8072억 원과 고용 2233명 등 대규모 경제효과", [2233]),
        ("직접 고용 1만8,000명이 생길 것으로 보고 있다.", [18000]),
        ("일자리 2만1천개가 생길 것으로 예상했다.", [21000]),
        ("누적 일자리 5만2천개가 생길 것으로 내다봤다.", [52000]),
        ("두 투자로 새로 생기는 일자리는 1,450명으로 추산됐다.", [1450]),
        ("가동 후 고용 인원은 400명이다.", [400]),
        # the noun followed by 유발/창출/효과 and a qualifier
        ("물류센터가 문을 열면 고용유발효과는 약 3,140명으로 분석됐다.", [3140]),
        ("생산유발 2조원, 고용 유발 1만 2000여 명에 이를 전망이다.", [12000]),
        ("시는 취업유발 3만8천명을 기대한다.", [38000]),
        ("고용 창출 615명, 신제품 출시 40건의 성과를 냈다.", [615]),
        ("일자리 창출 효과는 3천여 개로 추산된다.", [3000]),
        # the noun after the count
        ("신규 인력 320명을 채용하기로 했다.", [320]),
        ("세 회사는 공장 가동에 맞춰 1,500명을 새로 고용하기로 했다.", [1500]),
        ("2030년까지 870명의 신규 일자리가 만들어진다.", [870]),
        ("완공되면 4천여 명의 일자리가 생긴다.", [4000]),
        # numbers written with 만/천 pieces
        ("일자리 만7천 개가 새로 생길 것으로 내다봤다.", [17000]),
        ("고용효과가 3만6천20명에 이를 것으로 추정했다.", [36020]),
        ("고용 유발 인원은 1만 9000명으로 추정됐다.", [19000]),
        # 직접/간접 after a job noun shortly before
        ("정규직 일자리 620개(간접 8,500개)가 생긴다.", [620, 8500]),
        ("직접 고용 900명, 간접 2천명의 효과가 기대된다.", [900, 2000]),
        # a count governed by something else
        ("9개의 협력 기업 유치와 240명의 고용유발 효과가 기대된다.", [240]),
        ("관계자 등 50여명이 자리를 함께 했다.", []),
        ("주민 3만명이 일자리를 잃을까 걱정한다.", []),
        ("전주형 일자리 10개 참여기업의 투자 부지", []),
        ("드론 기업 14곳이 입주해 있으며", []),
        ("일자리 박람회에는 구직자 600여명과 기업 40개사가 참가했다.", []),
        ("우주 전문인력 1500여명을 양성한다.", []),
        ("인력 1,200명 이상을 교육해 현장에 배출한다.", []),
        ("인구 2만명 아래로 떨어진 군이 일자리를 만든다.", []),
        ("고용 3명은 숫자가 너무 작아 잡음이다.", []),
    ],
)
def test_jobs(sentence: str, expected: list[int]) -> None:
    assert [j.count for j in find_jobs(sentence)] == expected


def test_job_span_covers_the_count() -> None:
    sentence = "고용유발효과는 5,916명으로 분석됐다."
    (job,) = find_jobs(sentence)
    assert sentence[job.start:job.end] == job.text == "5,916명"
