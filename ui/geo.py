"""Map polygons from `ui/data/*.geojson`, loaded once and thinned for drawing.

The files come from the gazetteer work; until they exist the map pages fall
back to bar charts (`load` returns None). Polygons are thinned (points closer
than `tolerance` degrees to the previous kept point are dropped, and islands
too small to see are left out) because the browser draws every vertex and
every polygon, and a full-resolution 시군구 map is megabytes.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    import plotly.graph_objects as go

GEO_DIR = Path(__file__).resolve().parent / "data"
TOLERANCE = {"sido": 0.01, "sigungu": 0.004}
# Islands smaller than this (square degrees; 1e-4 is about 1 km² here) vanish
# at the map's scale but cost the browser a path each: 시도 had 2,720 polygons.
MIN_AREA = {"sido": 5e-4, "sigungu": 1e-4}


def _thin_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    if len(ring) <= 8:
        return ring
    kept = [ring[0]]
    for point in ring[1:-1]:
        last = kept[-1]
        if abs(point[0] - last[0]) >= tolerance or abs(point[1] - last[1]) >= tolerance:
            kept.append(point)
    kept.append(ring[-1])
    return kept if len(kept) >= 4 else ring


def _area(ring: list[list[float]]) -> float:
    """Shoelace area in square degrees."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def thin(geometry: dict, tolerance: float, min_area: float = 0.0) -> dict:
    """Outer rings only (holes are not drawn), thinned; of a MultiPolygon, the
    parts of at least `min_area` and always the largest part."""
    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": [_thin_ring(geometry["coordinates"][0], tolerance)]}
    if geometry.get("type") == "MultiPolygon":
        rings = [p[0] for p in geometry["coordinates"] if p and p[0]]
        areas = [_area(r) for r in rings]
        largest = max(areas, default=0.0)
        kept = [r for r, a in zip(rings, areas) if a >= min_area or a == largest]
        return {"type": "MultiPolygon", "coordinates": [[_thin_ring(r, tolerance)] for r in kept]}
    return geometry


def read(path: Path, tolerance: float, min_area: float = 0.0, pick: bool = False) -> dict:
    """The thinned FeatureCollection; with `pick`, each feature also carries the
    points that make its whole area clickable (`ui.charts.pick_points`), computed
    here once per process rather than on every run of the page."""
    from ui.charts import pick_points, _rings

    raw = json.loads(path.read_text(encoding="utf-8"))
    features = []
    for f in raw.get("features", []):
        geometry = thin(f.get("geometry") or {}, tolerance, min_area)
        feature = {"properties": {k: str(v) for k, v in (f.get("properties") or {}).items()}, "geometry": geometry}
        rings = _rings(geometry) if geometry.get("type") in ("Polygon", "MultiPolygon") else []
        if pick and rings:
            feature["pick"] = pick_points(rings)
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


@st.cache_resource(show_spinner=False)
def load(level: str) -> dict | None:
    """The 'sido' or 'sigungu' FeatureCollection, or None when the file is missing or broken."""
    path = GEO_DIR / f"{level}.geojson"
    try:
        return read(path, TOLERANCE.get(level, 0.005), MIN_AREA.get(level, 0.0), pick=level == "sido")
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def subset(geo: dict, sido_code: str) -> dict:
    """The 시군구 features of one 시도."""
    feats = [f for f in geo["features"] if f["properties"].get("sido_code") == sido_code or f["properties"].get("code", "").startswith(sido_code)]
    return {"type": "FeatureCollection", "features": feats}


@st.cache_resource(show_spinner=False, max_entries=200)
def map_figure(level: str, sido: str | None, values: tuple[tuple[str, float], ...], *, money: bool, title: str) -> go.Figure | None:
    """The map (`ui.charts.korea_map`) of `values`, (code, value) pairs, at `level`, only the
    시군구 of `sido` when given; None without the polygons. Built once per process for the same
    values (0.1 s of every 지역 visit otherwise) and shared between sessions: nothing changes
    a figure after it is built."""
    import pandas as pd

    from ui.charts import korea_map

    polygons = load(level)
    if polygons is None:
        return None
    if sido:
        polygons = subset(polygons, sido)
    shown = pd.DataFrame(list(values), columns=["code", "value"])
    return korea_map(polygons, shown, money=money, title=title)
