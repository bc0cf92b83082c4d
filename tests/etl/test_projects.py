"""Project names from short articles written for these tests (etl/projects.py, etl/data/projects.toml)."""
from __future__ import annotations

import pytest

from etl import projects
from etl.money import amounts_in
from etl.pipeline import analyzer


def names(text: str) -> list[tuple[str, str]]:
    """(name, status) of the projects `projects.choose` picks, in name order."""
    sentences = analyzer().analyze(text, 0)
    money = {s.index for s in sentences if amounts_in(s.text)}
    return sorted((cl.best.name, status) for cl, status in projects.choose(sentences, text, money))


@pytest.mark.parametrize(
    "text, expected",
    [
        # ▲ bullets with their money: each item is a project, even one ending in what is done
        ("시는 올해 신규 사업으로 ▲수소 연료전지 실증단지 조성(120억원) ▲스마트 물류센터 건립(80억원) ▲드론 배송 거점 구축(40억원) 등을 추진한다.",
         [("드론 배송 거점 구축", "계획"), ("수소 연료전지 실증단지 조성", "계획"), ("스마트 물류센터 건립", "계획")]),
        # numbered items
        ("도의회는 14일 정례회를 열었다. 도는 올해 ①스마트 양식 단지 조성 ②수산물 가공 거점 구축 ③어촌 관광 플랫폼 구축을 추진한다.",
         [("수산물 가공 거점 구축", "계획"), ("스마트 양식 단지 조성", "계획"), ("어촌 관광 플랫폼 구축", "계획")]),
        # unquoted names between commas, then 등 N개 사업: a list of projects
        ("도의회는 14일 정례회를 열었다. 군은 스마트 양식 단지 조성, 수산물 가공 거점 구축, 어촌 관광 플랫폼 구축 등 3개 사업을 해양수산부에 신청했다.",
         [("수산물 가공 거점 구축", "신청"), ("스마트 양식 단지 조성", "신청"), ("어촌 관광 플랫폼 구축", "신청")]),
        # A(억원), B(억원) 등 without bullets
        ("도는 해양바이오 소재 고도화(150억원), 수산식품 수출 거점 육성(90억원) 등 2개 사업에 예산을 배정했다.",
         [("수산식품 수출 거점 육성", "계획"), ("해양바이오 소재 고도화", "계획")]),
        # quoted names side by side, then 등 N개 사업; the list's verb is every item's status
        ("군은 ‘농촌 체류형 쉼터 조성’ ‘청년 스마트팜 단지 구축’ 등 5개 사업을 공모에 신청했다.",
         [("농촌 체류형 쉼터 조성", "신청"), ("청년 스마트팜 단지 구축", "신청")]),
        # a ministry designating seven 특구 names seven: no cap
        (("중소벤처기업부는 14일 ▲강원 폐배터리 재활용 규제자유특구 ▲충북 바이오의약 규제자유특구 ▲전남 해상풍력 규제자유특구 "
         "▲경북 스마트 물류 규제자유특구 ▲부산 해양 모빌리티 규제자유특구 ▲대전 양자기술 규제자유특구 ▲제주 자율주행 규제자유특구 등 7곳을 새로 지정했다."),
         [("강원 폐배터리 재활용 규제자유특구", "지정"), ("경북 스마트 물류 규제자유특구", "지정"), ("대전 양자기술 규제자유특구", "지정"),
          ("부산 해양 모빌리티 규제자유특구", "지정"), ("전남 해상풍력 규제자유특구", "지정"), ("제주 자율주행 규제자유특구", "지정"),
          ("충북 바이오의약 규제자유특구", "지정")]),
        # 「」 quotes
        ("시는 「친환경 선박 수리 지원기반 구축사업」에 선정돼 국비 40억원을 확보했다.", [("친환경 선박 수리 지원기반 구축사업", "선정")]),
        # coordinated head + action names; 에 대해 is no place
        ("그린수소 생산기지 구축과 해상풍력 지원부두 조성에 대해서도 실행 방안을 논의했다.",
         [("그린수소 생산기지 구축", "계획"), ("해상풍력 지원부두 조성", "계획")]),
        # a leading year and a subject noun inside a compound (거점기관) stay in the name
        ("산업부가 주관하는 2026년 지역산업 거점기관 육성 공모사업에 최종 선정됐다. 시는 국비 30억원을 확보했다.",
         [("지역산업 거점기관 육성 공모사업", "선정")]),
        # 기업 inside a compound (기업도시) is no company that starts the name; 이후 ends a name
        ("정부는 해남 일대를 관광레저형 기업도시 시범단지로 선정했다. 시범단지에는 2조원이 투입된다.",
         [("관광레저형 기업도시 시범단지", "선정")]),
        ("시는 수소 실증단지 이후 시범도시 지정을 추진한다.", [("수소 실증단지", "계획")]),
        # the verb right after a name is about it: built, run, set about (after a first sentence on something else)
        ("도의회는 14일 정례회를 열었다. 도는 도로와 주차장도 정비하고, 친환경 소재를 연구하는 해양소재 혁신센터를 새로 짓는다.",
         [("해양소재 혁신센터", "계획")]),
        ("도의회는 14일 정례회를 열었다. 시는 특구와 산단을 잇는 바이오 사업화 지원센터도 함께 추진한다.",
         [("바이오 사업화 지원센터", "계획")]),
        ("도의회는 14일 정례회를 열었다. 충북도는 기업 투자와 별도로 이차전지 공정 혁신 플랫폼 구축에 나선다.",
         [("이차전지 공정 혁신 플랫폼 구축", "계획")]),
        ("도의회는 14일 정례회를 열었다. 시는 산단 안에 바이오 사업화 지원센터를 검토하고 있다.", []),
        ("이 밖에도 새로운 발전 전략을 세우기 위해 용역을 추진했다.", []),
        # agreements: several companies, a company marked (주) after its name, a purpose, 투자 유치
        ("경북도는 20일 도청에서 5개 기업과 3천억 원 규모의 투자협약을 체결했다. 기업들은 포항에 공장을 짓는다.",
         [("5개 기업 투자협약", "협약")]),
        ("김철수 한빛에너지(주) 대표 등이 참석한 가운데 도청에서 투자협약을 체결했다. 회사는 2천억 원을 들여 수전해 설비를 새로 짓는다.",
         [("한빛에너지 수전해 설비 투자협약", "협약")]),
        ("시는 지역 대학 3곳과 반도체 인재 양성 지원을 위한 업무협약을 체결했다.", [("반도체 인재 양성 지원을 위한 업무협약", "협약")]),
        ("충남도는 대한전자의 5천억 원 규모 반도체 패키징 투자 유치에 성공했다고 밝혔다.", [("대한전자 반도체 패키징 투자 유치", "계획")]),
        # several 특구 of one programme stay several, though a bare 규제자유특구 names them all
        (("중기부는 규제자유특구 3곳을 새로 지정했다.\n전남 여수시는 '수소 선박 규제자유특구'로 뽑혔다. 사업비는 120억원이다.\n"
         "충북 충주시는 '바이오 헬스 규제자유특구'로 지정됐다. 사업비는 90억원이다.\n"
         "경북 포항시는 '배터리 재활용 규제자유특구'로 선정됐다. 사업비는 80억원이다."),
         [("바이오 헬스 규제자유특구", "지정"), ("배터리 재활용 규제자유특구", "지정"), ("수소 선박 규제자유특구", "선정")]),
        # a name ending in what is done is what money goes to, not a place
        ("시는 또 수소 충전소 구축에 320억원을 투입한다. 국비 200억원이 들어간다.", [("수소 충전소 구축", "계획")]),
        # not projects: the items of '… 등 전략' or of '전략방향은 ▲…', a place, a generic word
        ("보고서에는 ‘에너지 자립 기반 구축’ ‘해양관광 거점 조성’ 등 전략이 담겼다.", []),
        ("3대 전략방향은 ▲에너지 자립 기반 구축 ▲해양관광 거점 조성 ▲청년 일자리 확충이다.", []),
        # unquoted parts between commas are the parts of one project
        ("시는 120억원을 들여 송산면 일대에 배관, 발전소, 운영관리센터, 수소 연구센터 등을 갖춘다.", []),
        # places: 에 위치한, … 내 (the status is what happens inside), a site with its area, a role
        ("국토부는 오송 생명과학단지에 위치한 부지 두 곳을 새로 지정했다.", []),
        ("이날 평택 고덕산단 내 한빛전자 반도체 공장이 준공됐다.", []),
        ("공원은 구로 차량기지(약 25만㎡)와 인근 부지를 합쳐 조성한다.", []),
        ("충남혁신센터는 서북부 창업허브 역할을 맡는다. 센터는 스타트업 40곳을 지원한다.", []),
        ("입주 기업들은 기존 산업단지 인근에 공장을 짓는다. 이후 10월께 용역 결과를 받는다.", []),
    ],
)
def test_projects(text: str, expected: list[tuple[str, str]]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "name, generic",
    [
        ("거점센터", True),  # generic words written together
        ("업무이행 협약", True),
        ("신규산단", True),
        ("특화지원 인프라", True),
        ("사업추진 협약", True),
        ("산업부 공모", True),  # a ministry and a generic word
        ("개발구역지정", True),
        ("동북권 창업센터", False),
        ("기회발전특구", False),  # a national programme named by its head alone
        ("수소 연료전지 실증단지", False),
    ],
)
def test_generic_names(name: str, generic: bool) -> None:
    assert projects._is_generic(name, projects.project_cues()) is generic


@pytest.mark.parametrize(
    "tail, expected",
    [
        # what follows 등 (or 이라는) in a list says what its items are
        (" 35개 사업을 검토했다", "project"),
        (" 신규사업 8건을 포함해", "project"),
        (" 과제를 담았다", "project"),
        (" 전략에 맞춘 세부 사업안", "other"),
        (" 3대 목표를 세웠다", "other"),
        (" 참여 기업이 모였다", "other"),  # the items are companies
        (" 여러 방안이 나왔다", None),
    ],
)
def test_list_nouns(tail: str, expected: str | None) -> None:
    cues = projects.project_cues()
    kind = "other" if cues.list_other.match(tail) else "project" if cues.list_project.match(tail) else None
    assert kind == expected


def test_remembered_answers_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-name tables on the cues give the same answers as working them
    out, and are emptied when full (a process that runs for weeks stays small)."""
    cues = projects.project_cues.__wrapped__()  # fresh cues: empty tables
    monkeypatch.setattr(projects, "MEMO_SIZE", 2)
    names = ["동북권 창업센터", "특화지원 인프라", "기회발전특구", "산업부 공모", "동북권 창업센터"]
    for name in names:
        assert projects._is_generic(name, cues) is projects._generic_name(name, cues)
        assert projects.head_kind(name, cues) == projects._head_kind(name, cues)
        assert projects._action_ending(name, cues) == projects._ends_in_action(name, cues)
    assert all(len(seen) <= 2 for seen in (cues.seen_generic, cues.seen_kinds, cues.seen_actions))
