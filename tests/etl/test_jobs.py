"""Job figures next to hiring words only."""
from __future__ import annotations

import pytest

from etl.jobs import find_jobs


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("투자 8072억 원과 고용 2233명 등 대규모 경제효과", [2233]),
        ("신규 인력 320명을 채용하기로 했다.", [320]),
        ("직접 고용 1만8,000명이 생길 것으로 보고 있다.", [18000]),
        ("세 회사는 공장 가동에 맞춰 1,500명을 새로 고용하기로 했다.", [1500]),
        ("일자리 2만1천개가 생길 것으로 예상했다.", [21000]),
        ("누적 일자리 5만2천개가 생길 것으로 내다봤다.", [52000]),
        ("두 투자로 새로 생기는 일자리는 1,450명으로 추산됐다.", [1450]),
        ("가동 후 고용 인원은 400명이다.", [400]),
        ("생산유발효과 7조8천억원, 취업유발 3만8천명이 기대된다.", []),
        ("관계자 등 50여명이 자리를 함께 했다.", []),
        ("전주형 일자리 10개 참여기업의 투자 부지", []),
        ("드론 기업 14곳이 입주해 있으며", []),
    ],
)
def test_jobs(sentence: str, expected: list[int]) -> None:
    assert [j.count for j in find_jobs(sentence)] == expected
