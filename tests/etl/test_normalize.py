"""normalize_text: the one canonical text form every reader produces."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.normalize import inside_quote, normalize_optional, normalize_text

CASES = [
    ("fullwidth digits", "２０２４년 ６월", "2024년 6월"),
    ("fullwidth letters and punctuation", "ＡＩ（인공지능）！", "AI(인공지능)!"),
    ("fullwidth percent and tilde", "３０％～４０％", "30%~40%"),
    ("ideographic space", "광양시\u3000이차전지", "광양시 이차전지"),
    ("no-break space", "3조\u00a04500억", "3조 4500억"),
    ("zero-width space", "특화\u200b단지", "특화단지"),
    ("zero-width joiners", "a\u200cb\u200dc\u2060d", "abcd"),
    ("byte order mark", "\ufeff광양시", "광양시"),
    ("CRLF", "첫줄\r\n둘째줄\r\n", "첫줄\n둘째줄\n"),
    ("lone CR", "첫줄\r둘째줄", "첫줄\n둘째줄"),
    ("trailing spaces per line", "제목  \n본문\t \n끝 ", "제목\n본문\n끝"),
    ("leading spaces kept", "  들여쓰기", "  들여쓰기"),
    ("decomposed Hangul to NFC", "\u1100\u1161\u11a8", "각"),
    ("middle dot, tilde operator, units kept", "산·학·연 3∼5년 ㎡ ㎞", "산·학·연 3∼5년 ㎡ ㎞"),
    ("quotes kept", "‘기획과제’ “특구” '단' \"지\"", "‘기획과제’ “특구” '단' \"지\""),
    ("compatibility jamo kept", "ㄱㄴㅎ ㅏ", "ㄱㄴㅎ ㅏ"),
    ("blank lines kept", "a\n\n\nb", "a\n\n\nb"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("  \u3000 ", None), (" 뉴스핌 ", "뉴스핌"), ("ＫＢＳ", "KBS")],
)
def test_normalize_optional(value: str | None, expected: str | None) -> None:
    assert normalize_optional(value) == expected


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\r\n\u3000\u00a0\u200b\ufeff！～Ａ가\u1100\u1161")))
def test_normalize_output_is_canonical(text: str) -> None:
    out = normalize_text(text)
    assert not any(0xFF01 <= ord(ch) <= 0xFF5E for ch in out)
    assert not any(ch in out for ch in "\r\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff")
    assert all(line == line.rstrip() for line in out.split("\n"))


@pytest.mark.parametrize(
    ("text", "word", "single", "inside"),
    [
        ("“2030년까지 완공하겠다”고 말했다", "2030", True, True),
        ("“완공하겠다”고 2030년에 말했다", "2030", True, False),
        ('"광양에 짓겠다"고 밝혔다', "광양", True, True),
        ('"짓겠다"고 광양시가 밝혔다', "광양", True, False),
        ("‘여수·순천 상생’ 협약", "여수", True, True),
        ("‘여수·순천 상생’ 협약", "여수", False, False),
        ("‘상생’ 여수 협약", "여수", True, False),
    ],
)
def test_inside_quote(text: str, word: str, single: bool, inside: bool) -> None:
    assert inside_quote(text, text.index(word), single=single) is inside
