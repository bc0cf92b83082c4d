"""URL parsing: valid values become filters, bad values are named in warnings."""
from __future__ import annotations

from datetime import date

from db.filters import Filters
from ui.state import choice_parser, filters_to_params, int_choice, parse_filters, parse_int, region_aliases

NAMES = {"46": "전라남도", "46230": "전라남도 광양시", "11": "서울특별시", "11140": "서울특별시 중구", "26110": "부산광역시 중구"}


def test_valid_link_round_trips():
    raw = {"from": ["2024-01-01"], "to": ["2024-06-30"], "region": ["46230", "11"], "industry": ["이차전지"], "role": ["national"], "q": ["  광양  수소 "]}
    f, warnings = parse_filters(raw, NAMES)
    assert warnings == []
    assert f == Filters(date(2024, 1, 1), date(2024, 6, 30), ("46230", "11"), ("이차전지",), ("national",), "광양 수소")
    assert filters_to_params(f) == {k: v for k, v in raw.items() if k != "q"} | {"q": ["광양 수소"]}


def test_bad_values_are_named():
    raw = {"from": ["2024-13-45"], "region": ["99999", "46"], "industry": ["우주관광"], "role": ["bribe"]}
    f, warnings = parse_filters(raw, NAMES)
    assert f == Filters(regions=("46",))
    text = " ".join(warnings)
    for bad in ("2024-13-45", "99999", "우주관광", "bribe"):
        assert bad in text


def test_aliases_and_reversed_dates():
    f, warnings = parse_filters({"region": ["광양시", "전라남도"], "role": ["국비"], "from": ["2024-12-31"], "to": ["2024-01-01"]}, NAMES)
    assert warnings == [] and f.regions == ("46230", "46") and f.roles == ("national",)
    assert (f.date_from, f.date_to) == (date(2024, 1, 1), date(2024, 12, 31))
    assert "중구" not in region_aliases(NAMES)  # ambiguous short name is not an alias


def test_scalar_parsers():
    assert parse_int(["12"]) == (12, []) and parse_int(["abc"]) == (None, ["abc"]) and parse_int(["-1"]) == (None, ["-1"])
    assert int_choice((20, 40))(["40"]) == (40, []) and int_choice((20, 40))(["41"]) == (None, ["41"])
    assert choice_parser(["a", "b", "c"], limit=2)(["a", "b", "c", "a"]) == (["a", "b"], ["c"])
    assert choice_parser(["a"], many=False)(["x"]) == (None, ["x"])


def test_ids_past_the_integer_column_are_named_not_queried():
    from ui.state import MAX_ID

    assert parse_int([str(MAX_ID)]) == (MAX_ID, [])
    assert parse_int(["2147483648"]) == (None, ["2147483648"])
    assert parse_int(["0"]) == (None, ["0"])
    assert parse_int(["99999999999999999999"]) == (None, ["99999999999999999999"])


def test_a_long_search_text_is_cut_with_a_notice():
    from ui.state import MAX_Q

    f, warnings = parse_filters({"q": ["수소 " * 1_000]}, NAMES)
    assert len(f.q) == MAX_Q and f.q.startswith("수소 수소")
    assert warnings == [f"링크의 검색어가 너무 길어 앞의 {MAX_Q}자만 사용합니다."]
    assert parse_filters({"q": ["수소"]}, NAMES)[1] == []
