"""db.watchlists: reading saved dashboard addresses, names and the change windows."""
from __future__ import annotations

from datetime import date

import pytest

from db.filters import Filters
from db.watchlists import View, filters_query, parse_view, slug_of

CODES = frozenset({"46", "46230", "47"})


@pytest.mark.parametrize("address, expected", [
    ("http://host:8501/", View("", Filters(), "")),
    ("http://host:8501/funding?region=46&industry=이차전지", View("funding", Filters(regions=("46",), industries=("이차전지",)),
                                                               "region=46&industry=%EC%9D%B4%EC%B0%A8%EC%A0%84%EC%A7%80")),
    ("/radar/projects?to=2024-01-01&from=2025-06-30&role=national&q=  광양   수소 ",
     View("projects", Filters(date_from=date(2024, 1, 1), date_to=date(2025, 6, 30), roles=("national",), q="광양 수소"),
          "from=2024-01-01&to=2025-06-30&role=national&q=%EA%B4%91%EC%96%91+%EC%88%98%EC%86%8C")),
    ("?region=99999&region=46230&region=46230&industry=우주관광&from=2024-13-01",
     View("", Filters(regions=("46230",)), "region=46230", ("region=99999", "industry=우주관광", "from=2024-13-01"))),
])
def test_parse_view(address, expected):
    got = parse_view(address, CODES)
    assert (got.page, got.filters, got.query) == (expected.page, expected.filters, expected.query)
    assert sorted(got.ignored) == sorted(expected.ignored)
    # the canonical query string reads back to the same filters
    assert parse_view(f"?{got.query}", CODES).filters == got.filters == expected.filters
    assert filters_query(got.filters) == got.query


@pytest.mark.parametrize("name, slug", [("전남 이차전지", "전남-이차전지"), ("Busan / 수소!", "busan-수소"), ("...", "watchlist")])
def test_slug(name, slug):
    assert slug_of(name) == slug
