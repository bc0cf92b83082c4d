"""Pure chart builders: a DataFrame (and settings) in, a plotly Figure out.

No streamlit here, so every chart can be tested by looking at its traces.
Colours of roles and industries and the markers of statuses come from the
vocabulary (`vocab`), so a role, industry or status added there is drawn in
every chart. Won axes get explicit Korean tick labels (`ui.format.won_ticks`), and hover
texts use `ui.format.won`, because plotly would otherwise print 1.28T.
"""
from __future__ import annotations

import html
import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ui.format import count, period, won, won_short, won_ticks
from vocab import vocabulary

OTHER_COLOR = "#576574"  # a label the vocabulary does not know
MAP_SCALE = "Blues"
EMPTY_FILL = "#eef1f5"
FONT = "NanumGothic, 'Nanum Gothic', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
METRIC_LABELS = {"funding": "사업 규모", "projects": "사업 수"}
HEATMAP_FONT = 11


def _layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    fig.update_layout(
        title=title,
        font={"family": FONT},
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_family": FONT},
    )
    if height:
        fig.update_layout(height=height)
    return fig


def _won_axis(fig: go.Figure, max_value: float, axis: str = "y") -> None:
    values, labels = won_ticks(max_value)
    update = {"tickvals": values, "ticktext": labels, "range": [0, max(values[-1], 1) * 1.02]}
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**update)


def empty_figure(message: str) -> go.Figure:
    """A blank chart with a message, so a page keeps its layout when nothing matches."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "family": FONT})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=240)


def role_bar(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Won by role (columns label, krw): one bar per role."""
    if df.empty:
        return empty_figure("금액 자료가 없습니다")
    fig = go.Figure(
        go.Bar(
            x=list(df["label"]),
            y=list(df["krw"]),
            text=[won(v) for v in df["krw"]],
            textposition="outside",
            marker_color=[vocabulary().role_colors.get(lbl, OTHER_COLOR) for lbl in df["label"]],
            hovertemplate="%{x}: %{text}<extra></extra>",
            name="금액",
        )
    )
    _won_axis(fig, float(df["krw"].max()) * 1.15)
    return _layout(fig, title, 320)


def ranked_bar(
    df: pd.DataFrame, label_col: str, value_col: str, *, money: bool, title: str | None = None, top: int = 20
) -> go.Figure:
    """Horizontal bars, largest on top (regions or industries by won or by count)."""
    data = df[df[value_col] > 0].sort_values(value_col, ascending=False).head(top)
    if data.empty:
        return empty_figure("조건에 맞는 자료가 없습니다")
    data = data.iloc[::-1]
    texts = [won(v) if money else count(v, "건") for v in data[value_col]]
    fig = go.Figure(
        go.Bar(
            y=list(data[label_col]),
            x=list(data[value_col]),
            orientation="h",
            text=texts,
            textposition="auto",
            marker_color="#2e86de" if money else "#10ac84",
            hovertemplate="%{y}: %{text}<extra></extra>",
            name=METRIC_LABELS["funding" if money else "projects"],
        )
    )
    if money:
        _won_axis(fig, float(data[value_col].max()), axis="x")
    return _layout(fig, title, max(260, 28 * len(data) + 80))


# Bars of the role breakdowns: 총사업비 and 투자 each stand alone; only the parts of
# a total (국비, 지방비, 민자, 기타) stack, because 총사업비 already contains them.
def stacked_roles(df: pd.DataFrame, x_col: str, title: str | None = None, *, horizontal: bool = False) -> go.Figure:
    """Won per role along `x_col` (year or region); columns role, label, krw.

    Three bars side by side per year or region: 총사업비, the parts stacked
    (국비+지방비+민자+기타), and 투자 — never 총사업비 on top of its own parts."""
    if df.empty:
        return empty_figure("금액 자료가 없습니다")
    fig = go.Figure()
    v = vocabulary()
    colors = v.role_colors
    groups = {r.code: r.scale for r in v.roles}  # parts stack in one bar; a total or a separate measure stands alone
    bases: dict[tuple[str, Any], float] = {}
    heights: dict[tuple[str, Any], float] = {}
    for label in [*colors, *sorted(set(df["label"]) - set(colors))]:  # every role, unknown ones last
        part = df[df["label"] == label]
        if part.empty:
            continue
        group = groups.get(str(part["role"].iloc[0]), "part") if "role" in part else "part"
        xs, ys = list(part[x_col]), [float(v) for v in part["krw"]]
        base = [bases.get((group, x), 0.0) for x in xs]
        for x, y, b in zip(xs, ys, base):
            bases[(group, x)] = b + y
            heights[(group, x)] = b + y
        fig.add_bar(
            x=ys if horizontal else xs,
            y=xs if horizontal else ys,
            base=base,
            offsetgroup=group,
            orientation="h" if horizontal else "v",
            name=label,
            marker_color=colors.get(label, OTHER_COLOR),
            text=[won(v) for v in ys],
            textposition="none",
            hovertemplate=f"{label} %{{{'y' if horizontal else 'x'}}}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    _won_axis(fig, max(heights.values()), axis="x" if horizontal else "y")
    if x_col == "year":
        fig.update_xaxes(dtick=1)
    n = df[x_col].nunique()
    return _layout(fig, title, max(380, 46 * n + 120) if horizontal else 380)


def heatmap(df: pd.DataFrame, *, money: bool, industries: list[str], title: str | None = None) -> go.Figure:
    """시도 × 산업 (columns sido, industry, value); industries in the fixed order."""
    if df.empty:
        return empty_figure("조건에 맞는 자료가 없습니다")
    table = df.pivot_table(index="sido", columns="industry", values="value", aggfunc="sum", fill_value=0)
    cols = [i for i in industries if i in table.columns]
    table = table[cols]
    # '1,740억' in a cell (no 원): 20 industry columns leave ~50 px a cell; the hover has the full figure
    texts = [[(won_short(v).removesuffix("원") if money else count(v, "건")) if v else "" for v in row] for row in table.to_numpy()]
    hover = [[(won(v) if money else count(v, "건")) if v else "-" for v in row] for row in table.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=cols,
            y=list(table.index),
            text=texts,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": HEATMAP_FONT},  # plotly fits the text to the cell otherwise: ~5 px with 20 industries
            xgap=1,
            ygap=1,
            colorscale=MAP_SCALE,
            hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>",
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, max(300, 30 * len(table.index) + 120))


def treemap(df: pd.DataFrame, *, money: bool, title: str | None = None) -> go.Figure:
    """산업 → 시도 breakdown (columns industry, sido, value)."""
    data = df[df["value"] > 0]
    if data.empty:
        return empty_figure("조건에 맞는 자료가 없습니다")
    fmt = won if money else (lambda v: count(v, "건"))
    industries = data.groupby("industry")["value"].sum()
    ids = list(industries.index) + [f"{i}/{s}" for i, s in zip(data["industry"], data["sido"])]
    labels = list(industries.index) + list(data["sido"])
    parents = [""] * len(industries) + list(data["industry"])
    values = [float(v) for v in industries] + [float(v) for v in data["value"]]
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            text=[fmt(v) for v in values],
            texttemplate="%{label}<br>%{text}",
            hovertemplate="%{id}: %{text}<extra></extra>",
        )
    )
    return _layout(fig, title, 460)


def top_series(df: pd.DataFrame, x_col: str, series_col: str, value_col: str, top: int) -> pd.DataFrame:
    """The `top` series with the largest totals; the others summed into one
    '그 외 N개' series (20 industry lines over 10 years cannot be told apart)."""
    totals = df.groupby(series_col)[value_col].sum().sort_values(ascending=False, kind="stable")
    if len(totals) <= top + 1:
        return df
    kept = list(totals.index[:top])
    rest = df[~df[series_col].isin(kept)]
    others = rest.groupby(x_col, as_index=False)[value_col].sum().assign(**{series_col: f"그 외 {len(totals) - top}개"})
    order = {name: i for i, name in enumerate(kept)}
    head = df[df[series_col].isin(kept)].sort_values(series_col, key=lambda s: s.map(order), kind="stable")
    return pd.concat([head, others[[*df.columns.intersection([x_col, series_col, value_col])]]], ignore_index=True)


def lines(
    df: pd.DataFrame, x_col: str, series_col: str, value_col: str, *, money: bool, title: str | None = None,
    top: int | None = None,
) -> go.Figure:
    """One line per series (industry or region) over years; with `top`, the largest
    `top` series and one line for the rest (`top_series`)."""
    if df.empty:
        return empty_figure("연도별 자료가 없습니다")
    if top:
        df = top_series(df, x_col, series_col, value_col, top)
    fig = go.Figure()
    colors = vocabulary().industry_colors if series_col == "industry" else {}
    for name, part in df.groupby(series_col, sort=False):
        part = part.sort_values(x_col)
        fig.add_scatter(
            line={"color": colors[name]} if name in colors else None,
            x=list(part[x_col]),
            y=list(part[value_col]),
            mode="lines+markers",
            name=str(name),
            text=[won(v) if money else count(v, "건") for v in part[value_col]],
            hovertemplate=f"{name} %{{x}}: %{{text}}<extra></extra>",
        )
    if money:
        _won_axis(fig, float(df[value_col].max()))
    fig.update_xaxes(dtick=1)
    return _layout(fig, title, 360)


def grouped_bars(df: pd.DataFrame, x_col: str, series_col: str, value_col: str, *, money: bool, title: str | None = None) -> go.Figure:
    """Bars of several series side by side (the region comparison)."""
    if df.empty:
        return empty_figure("비교할 자료가 없습니다")
    fig = go.Figure()
    for name, part in df.groupby(series_col, sort=False):
        fig.add_bar(
            x=list(part[x_col]),
            y=list(part[value_col]),
            name=str(name),
            text=[won(v) if money else count(v, "건") for v in part[value_col]],
            textposition="none",
            hovertemplate=f"{name} · %{{x}}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    if money:
        _won_axis(fig, float(df[value_col].max()))
    return _layout(fig, title, 360)


# ---------------------------------------------------------------- map


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _path(rings: list[list[list[float]]]) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every ring, NaN between rings (a gap for plotly). Arrays, not
    lists: plotly validates a list point by point, which made a map cost 0.3 s."""
    parts = []
    for ring in rings:
        parts.append(np.asarray(ring, dtype=float)[:, :2])
        parts.append(np.full((1, 2), np.nan))
    xy = np.concatenate(parts) if parts else np.empty((0, 2))
    return xy[:, 0], xy[:, 1]


def _centroid(rings: list[list[list[float]]]) -> tuple[float, float]:
    biggest = max(rings, key=len)
    return sum(p[0] for p in biggest) / len(biggest), sum(p[1] for p in biggest) / len(biggest)


# Degrees between the invisible points that make a region clickable (~14 km): on the
# 620 px map that is ~14 px, so a click is always within plotly's 20 px hover distance
# of a point; 0.07 made 2,100 points, each an SVG path the browser draws on every visit.
PICK_STEP = 0.14


def _inside(xs: np.ndarray, ys: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Which points (xs, ys) lie inside `ring` (even-odd ray casting, vectorised)."""
    x1, y1 = ring[:-1, 0][:, None], ring[:-1, 1][:, None]
    x2, y2 = ring[1:, 0][:, None], ring[1:, 1][:, None]
    crosses = (y1 > ys) != (y2 > ys)
    with np.errstate(divide="ignore", invalid="ignore"):
        at_x = x1 + (ys - y1) * (x2 - x1) / (y2 - y1)
    return ((crosses & (xs < at_x)).sum(axis=0) % 2) == 1


def pick_points(rings: list[list[list[float]]], step: float = PICK_STEP) -> tuple[list[float], list[float]]:
    """Grid points inside the rings, plus each ring's centre: plotly selects points,
    not filled areas, so these (invisible) points let a click anywhere on a
    province select it."""
    xs_out: list[float] = []
    ys_out: list[float] = []
    for ring in rings:
        r = np.asarray(ring, dtype=float)[:, :2]
        (x0, y0), (x1, y1) = r.min(axis=0), r.max(axis=0)
        gx, gy = np.meshgrid(np.arange(x0 + step / 2, x1, step), np.arange(y0 + step / 2, y1, step))
        gx, gy = gx.ravel(), gy.ravel()
        keep = _inside(gx, gy, r) if len(gx) else np.zeros(0, dtype=bool)
        xs_out.extend(gx[keep].tolist())
        ys_out.extend(gy[keep].tolist())
    x, y = _centroid(rings)
    return [x, *xs_out], [y, *ys_out]


def korea_map(geo: dict, df: pd.DataFrame, *, money: bool, title: str | None = None) -> go.Figure:
    """Choropleth drawn as filled polygons on equal-aspect axes (no tiles, no CDN).

    `geo` is a GeoJSON FeatureCollection whose features carry `code` and `name`;
    `df` has columns code, name, value. Regions without a value are grey.
    """
    values = {str(c): float(v) for c, v in zip(df["code"], df["value"])}
    top = max(values.values(), default=0.0)
    fmt = won if money else (lambda v: count(v, "건"))
    fig = go.Figure()
    cx, cy, ctext, ccode, cval = [], [], [], [], []
    for feature in geo.get("features", []):
        props = feature.get("properties", {})
        code, name = str(props.get("code")), props.get("name", "")
        rings = _rings(feature.get("geometry") or {"type": "None"})
        if not rings:
            continue
        value = values.get(code, 0.0)
        color = sample_colorscale(MAP_SCALE, [0.15 + 0.85 * value / top])[0] if top and value else EMPTY_FILL
        xs, ys = _path(rings)
        label = f"{name}: {fmt(value)}"
        fig.add_scatter(
            x=xs, y=ys, fill="toself", fillcolor=color, mode="lines",
            line={"color": "#ffffff", "width": 0.8}, name=label, text=label,
            hoveron="fills", hoverinfo="text", showlegend=False,
        )
        px, py = feature.get("pick") or ([_centroid(rings)[0]], [_centroid(rings)[1]])  # ui.geo computes them once
        cx.extend(px), cy.extend(py)
        ctext.extend([label] * len(px)), ccode.extend([code] * len(px)), cval.extend([value] * len(px))
    fig.add_scatter(
        x=np.asarray(cx), y=np.asarray(cy), mode="markers", text=np.asarray(ctext, dtype=object),
        customdata=np.asarray(ccode, dtype=object), hovertemplate="%{text}<extra></extra>",
        marker={"size": 9, "color": np.asarray(cval), "colorscale": MAP_SCALE, "cmin": 0, "cmax": top or 1, "opacity": 0.01,
                "showscale": bool(top), "colorbar": {"title": METRIC_LABELS["funding" if money else "projects"],
                "tickvals": won_ticks(top)[0] if money else None, "ticktext": won_ticks(top)[1] if money else None}},
        name="regions", showlegend=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(36)))
    fig.update_layout(dragmode="pan", plot_bgcolor="rgba(0,0,0,0)")
    return _layout(fig, title, 620)


# ---------------------------------------------------------------- timeline


GANTT_SPAN = 16  # years the axis shows at most; longer periods run past its edge, marked


def _year_or_none(value: Any) -> int | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def gantt_axis(starts: list[int | None], ends: list[int]) -> tuple[int, int]:
    """First and last year the axis shows: every start, and the ends up to
    `GANTT_SPAN` years after the earliest (one 2026–2047 plan would squeeze
    every other bar into a sliver)."""
    lo = min([y for y in starts if y is not None] + ends)
    return lo, min(max(ends), lo + GANTT_SPAN - 1)


def gantt(periods: pd.DataFrame, events: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Project periods as bars over years, status events as markers on the same rows.

    Rows read "사업명 · 시도". A period known only by its end year is a hatched
    one-year bar labelled "?–2029" (its own legend entry), not a 2029–2029 bar;
    a period running past the axis ends in a ▶ marker with its real end year.
    """
    if periods.empty:
        return empty_figure("기간 자료가 있는 사업이 없습니다")
    rows = periods.copy()
    sidos = rows["sido"] if "sido" in rows else [None] * len(rows)
    rows["label"] = [
        html.escape(f"{str(n)[:28]} · {s if isinstance(s, str) and s else '시도 미상'} #{i}") for n, s, i in zip(rows["name"], sidos, rows["project_id"])
    ]
    labels = dict(zip(rows["project_id"], rows["label"]))
    starts = [_year_or_none(y) for y in rows["start_year"]]
    ends = [int(y) for y in rows["end_year"]]
    lo, hi = gantt_axis(starts, ends)
    if not events.empty:  # a status event before every period (선정 in 2024 of a 2026– plan) stays on the axis
        lo = min(lo, min(pd.Timestamp(d).year for d in events["event_date"]))
    fig = go.Figure()
    for known, name, style in ((True, "사업 기간", {"color": "#9ecae1"}),
                               (False, "시작 연도 미상 (종료 연도만)", {"color": "#deebf7", "line": {"color": "#6baed6", "width": 1},
                                                              "pattern": {"shape": "/", "fgcolor": "#6baed6"}})):
        idx = [k for k, s in enumerate(starts) if (s is not None) == known]
        if not idx:
            continue
        first = [starts[k] if known else ends[k] for k in idx]
        base = [pd.Timestamp(date(y, 1, 1)) for y in first]
        stop = [pd.Timestamp(date(min(ends[k], hi) + 1, 1, 1)) for k in idx]
        fig.add_bar(
            y=[rows["label"].iloc[k] for k in idx], base=base,
            x=[(e - b).total_seconds() * 1000 for b, e in zip(base, stop)],
            orientation="h", marker=style, name=name,
            text=[period(starts[k], ends[k]) for k in idx], insidetextanchor="middle",
            textposition="inside" if known else "outside",  # hatching would run through the label
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    markers = vocabulary().status_markers
    past = [k for k, e in enumerate(ends) if e > hi]
    if past:
        fig.add_scatter(
            x=[pd.Timestamp(date(hi + 1, 1, 1))] * len(past), y=[rows["label"].iloc[k] for k in past],
            mode="markers+text", marker={"symbol": "triangle-right", "size": 11, "color": "#3182bd"},
            text=[f"→{ends[k]}" for k in past], textposition="middle left", name=f"{hi}년 이후까지",
            hovertemplate="%{y}<br>" + "%{text}<extra></extra>",
        )
    for status, part in events.groupby("status", sort=False) if not events.empty else []:
        fig.add_scatter(
            x=[pd.Timestamp(d) for d in part["event_date"]],
            y=[labels.get(p) for p in part["project_id"]],
            mode="markers",
            name=str(status),
            marker={"symbol": markers.get(status, "circle"), "size": 12, "line": {"width": 1.5}},
            hovertemplate=f"{status} %{{x|%Y-%m-%d}}<extra>%{{y}}</extra>",
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", dtick="M12", tickformat="%Y",
                     range=[pd.Timestamp(date(lo, 1, 1)), pd.Timestamp(date(hi + 1, 6, 30))])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(rows["label"]))
    return _layout(fig, title, 26 * len(rows) + 160)
