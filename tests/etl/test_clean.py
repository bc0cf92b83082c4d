"""Separating the article from the page around it."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from etl.clean import _last_non_empty, _next_non_empty, clean, has_email, strip_dateline, without_spaces
from etl.readers import read_paths
from etl.records import Document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"


def page(text: str, **meta) -> Document:
    return Document(doc_id="t", source="t.txt", raw_text=text, **meta)


@pytest.mark.parametrize(
    "name, title, published, outlet",
    [
        ("000_6dde551483eaaae1", "광양시, 이차전지 산업 중심지로 성장 전략 제시", date(2024, 6, 4), "뉴스스텝"),
        ("001_b24f4e435000f45f", "광양시, 이차전지·그린수소 등 미래 먹거리 사업 본격화", date(2023, 7, 26), None),
        ("002_38ebee007b4f574f", "전북자치도, 글로벌 이차전지 특화단지 생태계 활성화 추진단 운영", None, "전자신문"),
        ("003_038faf55acbd31c8", "광양시, 4차 산업혁명 촉진 단계별 로드맵 완성", date(2023, 2, 17), "뉴스핌"),
        ("004_accd6d631eb1101b", "전주시, 탄소융복합 기회발전특구 컨퍼런스’ 개최...30개 기관간 이행 협약도 체결", date(2024, 6, 26), "전북 소비자저널"),
    ],
)
def test_seed_metadata(name: str, title: str, published: date | None, outlet: str | None) -> None:
    (doc,) = read_paths([str(SAMPLE / f"{name}.txt")])
    article = clean(doc)
    assert (article.title, article.published, article.outlet) == (title, published, outlet)


@pytest.mark.parametrize(
    "name, absent",
    [
        # appended unrelated articles and headline lists never reach the article
        ("000_6dde551483eaaae1", ["시흥", "대전시의회", "수원시립미술관", "최신뉴스"]),
        ("002_38ebee007b4f574f", ["삼성전자", "엔비디아", "(예시) 가장 빠른 뉴스", "Copyright"]),
        ("003_038faf55acbd31c8", ["이시바", "소나기", "뉴스핌 베스트", "[광양=뉴스핌]"]),
        ("004_accd6d631eb1101b", ["관리 메뉴", "반응형", "<공식>"]),
    ],
)
def test_seed_furniture_removed(name: str, absent: list[str]) -> None:
    text = (SAMPLE / f"{name}.txt").read_text(encoding="utf-8")
    article = clean(Document(doc_id=name, source=name, raw_text=text))
    for word in absent:
        assert word not in article.text


def test_repeated_paragraphs_kept_once() -> None:
    text = (SAMPLE / "001_b24f4e435000f45f.txt").read_text(encoding="utf-8")
    article = clean(Document(doc_id="001", source="001", raw_text=text))
    assert article.text.count("광양시는 지난 24일 ‘미래 신성장 동력 발굴사업 실행방안’ 보고회를 열었다고 26일 밝혔다.") == 1


PAGE = """전체기사 | 정치 | 경제 | 사회
HOME > 지역 > 충청

세종시, 스마트 물류 거점 조성에 300억 투입

입력 2025.03.02 10:00 | 수정 2025.03.03 09:00
홍길동 기자

[세종=한국일보] 홍길동 기자 = 세종시가 스마트 물류 거점 조성 사업에 300억원을 투입한다고 2일 밝혔다.

▲세종시청 전경. 세종시 제공

시는 2027년까지 물류센터를 완공할 계획이다.

시는 2027년까지 물류센터를 완공할 계획이다.

홍길동 기자 hong@example.kr
<저작권자 © 한국일보 무단전재 및 재배포 금지>

많이 본 뉴스
1 부산시, 북항 2단계 착공
2 전남, 해상풍력 5조 투자
"""


def test_synthetic_page() -> None:
    article = clean(page(PAGE))
    assert article.title == "세종시, 스마트 물류 거점 조성에 300억 투입"
    assert article.published == date(2025, 3, 2)
    assert article.outlet == "한국일보"
    assert article.reporter == "홍길동"
    body = article.text[article.body_start:]
    assert body == (
        "세종시가 스마트 물류 거점 조성 사업에 300억원을 투입한다고 2일 밝혔다.\n\n"
        "시는 2027년까지 물류센터를 완공할 계획이다."
    )
    assert article.text[: article.body_start].strip() == article.title


def test_stated_metadata_wins() -> None:
    article = clean(page(PAGE, title="다른 제목", published=date(2025, 1, 1), outlet="연합뉴스"))
    assert (article.title, article.published, article.outlet) == ("다른 제목", date(2025, 1, 1), "연합뉴스")
    assert article.stated == ("title", "published", "outlet")


@pytest.mark.parametrize(
    "line, rest, outlet, reporter",
    [
        ("[광양=뉴스핌] 오정근 기자 = 전남 광양시는 회의를 열었다.", "전남 광양시는 회의를 열었다.", "뉴스핌", "오정근"),
        ("(인천=경인통신) 윤서아 기자 = 인천시가 밝혔다.", "인천시가 밝혔다.", "경인통신", "윤서아"),
        ("[전북 소비자저널=최훈 기자] 전주시가 밝혔다.", "전주시가 밝혔다.", "전북 소비자저널", "최훈"),
        ("[한빛경제] 경북 구미시가 나선다.", "경북 구미시가 나선다.", "한빛경제", None),
        ("[춘천] 강원도가 만든다.", "강원도가 만든다.", None, None),
        ("구미시가 나선다.", "구미시가 나선다.", None, None),
    ],
)
def test_strip_dateline(line: str, rest: str, outlet: str | None, reporter: str | None) -> None:
    assert strip_dateline(line) == (rest, outlet, reporter)


def test_same_text_same_hash() -> None:
    a = clean(page(PAGE))
    b = clean(page(PAGE.replace("\n\n", "\n")))
    assert a.content_hash == b.content_hash


APPENDED_WITHOUT_HEADING = """경기 평택시, 반도체 소부장 협력단지 조성…2,650억 투입

입력 2025.09.18 14:22

[평택=경기일보] 김민수 기자 = 경기 평택시가 반도체 소재·부품·장비 협력단지를 조성한다고 18일 밝혔다.

시는 2029년까지 총사업비 2,650억원을 투입한다.

부산시, 북항 야간 관광 활성화에 50억 투입

[부산=경기일보] 이서윤 기자 = 부산시가 북항 일대 야간 경관 개선에 50억원을 투입한다고 18일 밝혔다.
"""


def test_another_article_appended_without_heading_is_cut() -> None:
    """A second dateline starts another article; it and its headline are not this one."""
    article = clean(page(APPENDED_WITHOUT_HEADING))
    assert article.text[article.body_start:] == (
        "경기 평택시가 반도체 소재·부품·장비 협력단지를 조성한다고 18일 밝혔다.\n\n"
        "시는 2029년까지 총사업비 2,650억원을 투입한다."
    )


WEATHER_BAR = "2025.09.30 (화)\n\n• 맑음서울 21.4℃\n• 흐림부산 23.0℃\n\n"
BODY = "청주시, 오송 바이오 실증단지 착공\n\n청주시가 오송 바이오 실증단지 공사를 시작했다고 30일 밝혔다. 시는 2028년까지 모두 900억원을 들인다.\n"


@pytest.mark.parametrize(
    "raw, published",
    [
        # the date above a weather bar is the page's clock, not the article's
        (WEATHER_BAR + BODY, None),
        (WEATHER_BAR + BODY.replace("\n\n청주시가", "\n\n입력 2025.09.29 17:05\n\n청주시가"), date(2025, 9, 29)),
        # a labelled date glued to the start of the first paragraph
        (" date 2025-09-29 청주시가 오송 바이오 실증단지 공사를 시작했다고 30일 밝혔다. 시는 2028년까지 모두 900억원을 들인다.\n",
         date(2025, 9, 29)),
        # a date deeper in the first paragraph is no label's
        ("청주시가 2025.09.29 오송 바이오 실증단지 공사를 시작했다고 30일 밝혔다. 시는 2028년까지 모두 900억원을 들인다.\n", None),
        # a photo caption dates the photo
        (BODY.replace("\n\n청주시가", "\n\n(사진=청주시 제공) 2025.09.12\n\n청주시가"), None),
        # English labels; an update label is an edit, used only when nothing else is found
        (BODY.replace("\n\n청주시가", "\n\nPosted 2025-09-28 · Updated 2025-09-29\n\n청주시가"), date(2025, 9, 28)),
    ],
)
def test_published_date(raw: str, published: date | None) -> None:
    assert clean(page(raw)).published == published


@pytest.mark.parametrize("heading", ["댓글 많은 뉴스", "공감 많은 기사", "▶ 관련기사", "함께 볼만한 뉴스", "이 기사와 함께 많이 본 뉴스", "헤드라인"])
def test_related_headlines_end_the_article(heading: str) -> None:
    raw = BODY + "홍길동 기자\n" + heading + "\n부산시, 북항 2단계 반도체 단지 3조 투입\n전남, 해상풍력 5조 투자\n"
    body = clean(page(raw)).text
    assert "북항" not in body and "해상풍력" not in body


def test_headlines_listed_after_the_byline_are_not_the_article() -> None:
    """A byline followed by a run of other articles' headlines, without a heading."""
    raw = BODY + "\n김철수 기자 kim@news.kr\n\n부산시, 북항 2단계 재개발 착공\n울산시, 수소 트램 2027년 개통\n"
    assert clean(page(raw)).text.endswith("시는 2028년까지 모두 900억원을 들인다.")


def test_a_byline_before_more_paragraphs_does_not_end_the_article() -> None:
    raw = BODY + "김철수 기자\n\n시는 착공식에서 단지 조성 일정을 설명했다. 입주 기업 모집은 내년에 시작한다.\n"
    assert clean(page(raw)).text.endswith("입주 기업 모집은 내년에 시작한다.")


@pytest.mark.parametrize(("stated", "expected"), [
    ("이민수 기자; 입력", "이민수 기자"),
    ("이민수 기자; 김하나 기자", "이민수 기자, 김하나 기자"),
    ("입력 2024.06.04", None),
    ("  ", None),
    (None, None),
    ("박정우 기자", "박정우 기자"),
])
def test_a_stated_reporter_keeps_only_the_names(stated, expected):
    """A page's author tags come joined by ';' with date labels among them (trafilatura)."""
    from etl.clean import tidy_reporter
    from etl.patterns import boilerplate

    assert tidy_reporter(stated, boilerplate()) == expected


def test_without_spaces_drops_what_a_regex_space_matches() -> None:
    # str.split stands in for re.sub(r"\s+", ""): both must see the same characters
    # (every Unicode space is below U+3001).
    chars = "".join(chr(c) for c in range(0x3001))
    assert without_spaces(f"a{chars}b") == re.sub(r"\s+", "", f"a{chars}b")


@pytest.mark.parametrize("line, expected", [
    ("홍길동 기자 hong@news.co.kr", True), ("문의 hong＠news.co.kr", False), ("이메일이 없는 줄", False),
])
def test_has_email(line: str, expected: bool) -> None:
    assert has_email(line) is expected


def test_the_lines_around_a_line_skip_empty_ones() -> None:
    lines = ["a", "", "b", "", "", "c", "d"]
    assert _next_non_empty(lines, 1, 2) == ["b", "c"]
    assert _next_non_empty(lines, 6, 2) == ["d"]
    assert _last_non_empty(lines, 5) == "b"
    assert _last_non_empty(lines, 0) is None
