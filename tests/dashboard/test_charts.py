"""Pure chart builders: the figure carries the expected traces and values."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ui import charts, geo

SQUARE = lambda x, y: [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]  # noqa: E731
GEO = {
    "type": "FeatureCollection",
    "features": [
        {"properties": {"code": "46", "name": "전라남도", "sido_code": "46"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE(126, 34)]}},
        {"properties": {"code": "47", "name": "경상북도", "sido_code": "47"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE(128, 36)], [SQUARE(130, 37)]]}},
    ],
}


def test_role_bar_values_and_korean_axis():
    df = pd.DataFrame({"label": ["총사업비", "국비"], "krw": [3_450_000_000_000, 64_000_000_000]})
    fig = charts.role_bar(df)
    assert list(fig.data[0].y) == [3_450_000_000_000, 64_000_000_000]
    assert list(fig.data[0].text) == ["3조 4,500억원", "640억원"]
    assert "1조원" in fig.layout.yaxis.ticktext


def test_ranked_bar_sorts_and_drops_zeros():
    df = pd.DataFrame({"name": ["서울", "전남", "경북"], "krw": [0, 5, 9]})
    fig = charts.ranked_bar(df, "name", "krw", money=True)
    assert list(fig.data[0].y) == ["전남", "경북"]  # largest drawn on top (last)
    assert charts.ranked_bar(df[df.krw == 0], "name", "krw", money=True).layout.annotations[0].text


def test_map_fills_each_region_and_keeps_codes_for_clicks():
    df = pd.DataFrame({"code": ["46", "47"], "value": [100, 0]})
    fig = charts.korea_map(GEO, df, money=False)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in fills] == ["전라남도: 100건", "경상북도: 0건"]
    assert fills[1].fillcolor == charts.EMPTY_FILL and fills[0].fillcolor != charts.EMPTY_FILL
    assert np.isnan(fig.data[0].x).sum() == 1 and np.isnan(fig.data[1].x).sum() == 2  # MultiPolygon: two rings
    assert list(fig.data[-1].customdata) == ["46", "47"]
    assert fig.layout.yaxis.scaleanchor == "x"
    assert not any(t.type.startswith(("scattergeo", "choropleth", "scattermap")) for t in fig.data)


def test_geo_thin_and_subset():
    ring = [[126 + i * 0.0001, 34] for i in range(100)] + [[126, 34]]
    thinned = geo.thin({"type": "Polygon", "coordinates": [ring]}, 0.001)
    assert 4 <= len(thinned["coordinates"][0]) < len(ring)
    assert [f["properties"]["code"] for f in geo.subset(GEO, "47")["features"]] == ["47"]


def test_geo_thin_drops_small_islands_but_keeps_the_largest_part():
    def square(x: float, side: float) -> list[list[list[float]]]:
        return [[[x, 34], [x + side, 34], [x + side, 34 + side], [x, 34 + side], [x, 34]]]

    islands = {"type": "MultiPolygon", "coordinates": [square(126, 0.01), square(127, 0.1), square(128, 0.03)]}
    kept = geo.thin(islands, 0.0, min_area=5e-4)["coordinates"]
    assert [part[0][0][0] for part in kept] == [127, 128]  # 0.01° square (1e-4 deg²) dropped
    tiny = {"type": "MultiPolygon", "coordinates": [square(126, 0.001), square(127, 0.002)]}
    assert [part[0][0][0] for part in geo.thin(tiny, 0.0, min_area=5e-4)["coordinates"]] == [127]


def test_heatmap_uses_fixed_industry_order():
    df = pd.DataFrame({"sido": ["전라남도", "경상북도"], "industry": ["이차전지", "반도체"], "value": [2, 1]})
    fig = charts.heatmap(df, money=False, industries=["이차전지", "반도체", "수소"])
    assert list(fig.data[0].x) == ["이차전지", "반도체"]
    assert fig.data[0].z.tolist() == [[0, 1], [2, 0]]


def test_stacked_roles_and_lines():
    df = pd.DataFrame({"year": [2024, 2024, 2025], "role": ["national", "local", "national"],
                       "label": ["국비", "지방비", "국비"], "krw": [10**11, 5 * 10**10, 2 * 10**11]})
    fig = charts.stacked_roles(df, "year")
    assert [t.name for t in fig.data] == ["국비", "지방비"]
    assert list(fig.data[0].y) == [10**11, 2 * 10**11]
    assert list(fig.data[1].base) == [10**11]  # 지방비 stacks on 국비
    lines = charts.lines(df.rename(columns={"label": "series"}), "year", "series", "krw", money=True)
    assert [t.name for t in lines.data] == ["국비", "지방비"]


def test_gantt_bars_span_whole_years_and_events_are_markers():
    periods = pd.DataFrame({"project_id": [1], "name": ["광양만권 이차전지 특화단지"], "start_year": [2024], "end_year": [2028]})
    events = pd.DataFrame({"project_id": [1], "name": ["광양만권 이차전지 특화단지"], "status": ["지정"], "event_date": [pd.Timestamp("2024-07-10").date()]})
    fig = charts.gantt(periods, events)
    bar, marker = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert str(bar.base[0])[:10] == "2024-01-01"
    assert bar.x[0] == (pd.Timestamp("2029-01-01") - pd.Timestamp("2024-01-01")).total_seconds() * 1000
    assert marker.name == "지정" and marker.marker.symbol == "diamond"
    assert charts.gantt(periods.iloc[0:0], events).layout.annotations


def test_gantt_open_start_long_period_and_region():
    """'?–2029' hatched, apart from known periods; a 2026–2047 plan runs past a clipped axis, marked."""
    periods = pd.DataFrame({
        "project_id": [1, 2, 3], "name": ["가 사업", "나 사업", "다 사업"], "sido": ["전라남도", None, "경상북도"],
        "start_year": [2024, None, 2026], "end_year": [2028, 2029, 2047],
    })
    fig = charts.gantt(periods, pd.DataFrame(columns=["project_id", "name", "status", "event_date"]))
    known, open_start, past = fig.data
    assert (known.name, list(known.y), list(known.text)) == ("사업 기간", ["가 사업 · 전라남도 #1", "다 사업 · 경상북도 #3"], ["2024–2028", "2026–2047"])
    assert (open_start.name, list(open_start.y), list(open_start.text)) == ("시작 연도 미상 (종료 연도만)", ["나 사업 · 시도 미상 #2"], ["?–2029"])
    assert open_start.marker.pattern.shape == "/"
    assert str(open_start.base[0])[:10] == "2029-01-01"
    assert charts.gantt_axis([2024, None, 2026], [2028, 2029, 2047]) == (2024, 2039)
    assert str(known.base[1])[:10] == "2026-01-01" and known.x[1] == (pd.Timestamp("2040-01-01") - pd.Timestamp("2026-01-01")).total_seconds() * 1000
    assert (past.name, list(past.y), list(past.text)) == ("2039년 이후까지", ["다 사업 · 경상북도 #3"], ["→2047"])
    assert [str(v)[:10] for v in fig.layout.xaxis.range] == ["2024-01-01", "2040-06-30"]


def test_treemap_parents_and_values():
    df = pd.DataFrame({"industry": ["수소", "수소"], "sido": ["경상북도", "울산광역시"], "value": [3, 1]})
    fig = charts.treemap(df, money=False)
    t = fig.data[0]
    assert list(t.ids) == ["수소", "수소/경상북도", "수소/울산광역시"]
    assert list(t.values) == [4.0, 3.0, 1.0]


def test_total_is_not_stacked_on_its_own_parts():
    """총사업비 1,280억 with 국비 640억 inside it: two bars (1,280억 and 640억), not one of 1,920억."""
    df = pd.DataFrame({"sido": ["전라남도"] * 4, "role": ["total", "national", "local", "investment"],
                       "label": ["총사업비", "국비", "지방비", "투자"], "krw": [1280 * 10**8, 640 * 10**8, 100 * 10**8, 10**12]})
    fig = charts.stacked_roles(df, "sido", horizontal=True)
    got = {t.name: (t.offsetgroup, list(t.base), list(t.x)) for t in fig.data}
    assert got == {
        "총사업비": ("total", [0.0], [1280 * 10**8]),
        "국비": ("part", [0.0], [640 * 10**8]),
        "지방비": ("part", [640 * 10**8], [100 * 10**8]),
        "투자": ("separate", [0.0], [10**12]),
    }
    assert fig.layout.barmode == "group"


def test_trend_keeps_the_largest_series_and_sums_the_rest():
    df = pd.DataFrame({"year": [2024] * 5 + [2025] * 2, "industry": ["a", "b", "c", "d", "e", "a", "e"],
                       "krw": [50, 40, 30, 20, 10, 5, 7]})
    fig = charts.lines(df, "year", "industry", "krw", money=True, top=2)
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [
        ("a", [2024, 2025], [50, 5]), ("b", [2024], [40]), ("그 외 3개", [2024, 2025], [60, 7])]
    assert len(charts.lines(df, "year", "industry", "krw", money=True, top=4).data) == 5  # 4 + 1 other: no '그 외 1개'


def test_heatmap_labels_are_readable():
    df = pd.DataFrame({"sido": ["전라남도", "경상북도"], "industry": ["이차전지", "수소"], "value": [1128 * 10**8, 3_450_000_000_000]})
    t = charts.heatmap(df, money=True, industries=["수소", "이차전지"]).data[0]
    assert t.textfont.size == 11
    assert [list(r) for r in t.text] == [["3.5조", ""], ["", "1,128억"]]
    assert [list(r) for r in t.customdata] == [["3조 4,500억원", "-"], ["-", "1,128억원"]]


def test_whole_province_is_clickable():
    """Plotly selects points, not filled areas: the region's area is covered by
    invisible points carrying its code, not only its centre."""
    square = [[0.0, 0.0], [0.3, 0.0], [0.3, 0.3], [0.0, 0.3], [0.0, 0.0]]
    notch = [[0.0, 0.0], [0.3, 0.0], [0.3, 0.3], [0.15, 0.1], [0.0, 0.3], [0.0, 0.0]]  # concave: the notch is outside
    xs, ys = charts.pick_points([square], step=0.1)
    assert (round(xs[0], 2), round(ys[0], 2)) == (0.12, 0.12)  # the centre (mean of the ring's points) first
    assert sorted((round(x, 2), round(y, 2)) for x, y in zip(xs[1:], ys[1:])) == [
        (x, y) for x in (0.05, 0.15, 0.25) for y in (0.05, 0.15, 0.25)]
    nx, ny = charts.pick_points([notch], step=0.1)
    assert (0.15, 0.25) not in {(round(x, 2), round(y, 2)) for x, y in zip(nx[1:], ny[1:])}
    geo = {"features": [{"properties": {"code": "46", "name": "전라남도"}, "geometry": {"type": "Polygon", "coordinates": [square]},
                         "pick": (xs, ys)}]}
    fig = charts.korea_map(geo, pd.DataFrame({"code": ["46"], "name": ["전라남도"], "value": [1.0]}), money=False)
    picks = fig.data[-1]
    assert list(picks.customdata) == ["46"] * 10 and len(picks.x) == 10


def test_the_map_figure_is_built_once_per_values(monkeypatch):
    """지역 rebuilt a 0.1 s map on every visit: the same level, 시도 and values give the same figure."""
    built: list[tuple] = []
    real = charts.korea_map

    def counting(polygons, shown, **kwargs):
        built.append((len(polygons["features"]), tuple(shown["code"])))
        return real(polygons, shown, **kwargs)

    monkeypatch.setattr(charts, "korea_map", counting)
    geo.map_figure.clear()
    values = (("46", 5.0), ("47", 0.0))
    first = geo.map_figure("sido", None, values, money=False, title="시도별")
    assert geo.map_figure("sido", None, values, money=False, title="시도별") is first
    other = geo.map_figure("sido", None, (("46", 1.0),), money=False, title="시도별")
    assert other is not first and built == [(17, ("46", "47")), (17, ("46",))]
    fills = {t.name for t in first.data if t.fill == "toself"}
    assert "전라남도: 5건" in fills and "경상북도: 0건" in fills
    jeonnam = geo.map_figure("sigungu", "46", (("46230", 2.0),), money=False, title="전라남도")
    assert len(built) == 3 and all(t.name.startswith("전라남도 ") for t in jeonnam.data if t.fill == "toself")
    geo.map_figure.clear()
