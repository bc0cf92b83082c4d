"""Pure chart builders: a DataFrame (and settings) in, a plotly Figure out.

No streamlit here, so every chart can be tested by looking at its traces.
Colours of roles and industries and the markers of statuses come from the
vocabulary (`vocab`), so a role, industry or status added there is drawn in
every chart. Won axes get explicit Korean tick labels (`ui.format.won_ticks`), and hover
texts use `ui.format.won`, because plotly would otherwise print 1.28T.
"""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ui.format import count, won, won_ticks
from vocab import vocabulary

OTHER_COLOR = "#576574"  # a label the vocabulary does not know
MAP_SCALE = "Blues"
EMPTY_FILL = "#eef1f5"
FONT = "NanumGothic, 'Nanum Gothic', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
METRIC_LABELS = {"funding": "사업 규모", "projects": "사업 수"}


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


def stacked_roles(df: pd.DataFrame, x_col: str, title: str | None = None, *, horizontal: bool = False) -> go.Figure:
    """Won per role stacked along `x_col` (year or region); columns label, krw."""
    if df.empty:
        return empty_figure("금액 자료가 없습니다")
    fig = go.Figure()
    colors = vocabulary().role_colors
    for label in [*colors, *sorted(set(df["label"]) - set(colors))]:  # every role, unknown ones last
        part = df[df["label"] == label]
        if part.empty:
            continue
        xs, ys = list(part[x_col]), list(part["krw"])
        fig.add_bar(
            x=ys if horizontal else xs,
            y=xs if horizontal else ys,
            orientation="h" if horizontal else "v",
            name=label,
            marker_color=colors.get(label, OTHER_COLOR),
            text=[won(v) for v in ys],
            textposition="none",
            hovertemplate=f"{label} %{{{'y' if horizontal else 'x'}}}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    totals = df.groupby(x_col)["krw"].sum()
    _won_axis(fig, float(totals.max()), axis="x" if horizontal else "y")
    if x_col == "year":
        fig.update_xaxes(dtick=1)
    return _layout(fig, title, 380)


def heatmap(df: pd.DataFrame, *, money: bool, industries: list[str], title: str | None = None) -> go.Figure:
    """시도 × 산업 (columns sido, industry, value); industries in the fixed order."""
    if df.empty:
        return empty_figure("조건에 맞는 자료가 없습니다")
    table = df.pivot_table(index="sido", columns="industry", values="value", aggfunc="sum", fill_value=0)
    cols = [i for i in industries if i in table.columns]
    table = table[cols]
    texts = [[(won(v) if money else count(v, "건")) if v else "" for v in row] for row in table.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=cols,
            y=list(table.index),
            text=texts,
            texttemplate="%{text}",
            colorscale=MAP_SCALE,
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
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


def lines(df: pd.DataFrame, x_col: str, series_col: str, value_col: str, *, money: bool, title: str | None = None) -> go.Figure:
    """One line per series (industry or region) over years."""
    if df.empty:
        return empty_figure("연도별 자료가 없습니다")
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
        x, y = _centroid(rings)
        cx.append(x), cy.append(y), ctext.append(label), ccode.append(code), cval.append(value)
    fig.add_scatter(
        x=cx, y=cy, mode="markers", text=ctext, customdata=ccode, hovertemplate="%{text}<extra></extra>",
        marker={"size": 9, "color": cval, "colorscale": MAP_SCALE, "cmin": 0, "cmax": top or 1, "opacity": 0.01,
                "showscale": bool(top), "colorbar": {"title": METRIC_LABELS["funding" if money else "projects"],
                "tickvals": won_ticks(top)[0] if money else None, "ticktext": won_ticks(top)[1] if money else None}},
        name="regions", showlegend=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(36)))
    fig.update_layout(dragmode="pan", plot_bgcolor="rgba(0,0,0,0)")
    return _layout(fig, title, 620)


# ---------------------------------------------------------------- timeline


def gantt(periods: pd.DataFrame, events: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Project periods as bars over years, status events as markers on the same rows."""
    if periods.empty:
        return empty_figure("기간 자료가 있는 사업이 없습니다")
    rows = periods.copy()
    rows["label"] = [f"{str(n)[:28]} #{i}" for n, i in zip(rows["name"], rows["project_id"])]
    labels = dict(zip(rows["project_id"], rows["label"]))
    starts = [pd.Timestamp(date(int(y), 1, 1)) for y in rows["start_year"]]
    ends = [pd.Timestamp(date(int(y) + 1, 1, 1)) for y in rows["end_year"]]
    fig = go.Figure(
        go.Bar(
            y=list(rows["label"]),
            base=starts,
            x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends)],
            orientation="h",
            marker_color="#9ecae1",
            name="사업 기간",
            text=[f"{s}–{e}" for s, e in zip(rows["start_year"], rows["end_year"])],
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    markers = vocabulary().status_markers
    for status, part in events.groupby("status", sort=False) if not events.empty else []:
        fig.add_scatter(
            x=[pd.Timestamp(d) for d in part["event_date"]],
            y=[labels.get(p) for p in part["project_id"]],
            mode="markers",
            name=str(status),
            marker={"symbol": markers.get(status, "circle"), "size": 12, "line": {"width": 1.5}},
            hovertemplate=f"{status} %{{x|%Y-%m-%d}}<extra>%{{y}}</extra>",
        )
    fig.update_xaxes(type="date", dtick="M12", tickformat="%Y")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(rows["label"]))
    return _layout(fig, title, 26 * len(rows) + 140)
