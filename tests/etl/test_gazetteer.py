"""The region gazetteer and the map geometry built from it (etl/data, ui/data)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from etl.gazetteer import Gazetteer, GazetteerError, load_gazetteer, short_form

REPO = Path(__file__).resolve().parents[2]
UI_DATA = REPO / "ui" / "data"
TODAY = date(2026, 11, 22)

SIDO = [
    ("11", "서울특별시"), ("26", "부산광역시"), ("27", "대구광역시"), ("28", "인천광역시"),
    ("29", "광주광역시"), ("30", "대전광역시"), ("31", "울산광역시"), ("36", "세종특별자치시"),
    ("41", "경기도"), ("51", "강원특별자치도"), ("43", "충청북도"), ("44", "충청남도"),
    ("52", "전북특별자치도"), ("46", "전라남도"), ("47", "경상북도"), ("48", "경상남도"),
    ("50", "제주특별자치도"),
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def current(gaz: Gazetteer, level: str) -> list[str]:
    return sorted(r.code for r in gaz.regions.values() if r.level == level and r.valid_on(TODAY))


def test_seventeen_sido_with_official_names(gaz: Gazetteer) -> None:
    sido = {r.code: r.name for r in gaz.regions.values() if r.level == "sido"}
    assert sido == dict(SIDO)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("시", 75),  # 시 (제주시·서귀포시 are counted apart: 행정시, not 지방자치단체)
        ("군", 82),
        ("구", 70),  # 자치구: 69 until 2026-06-30, 인천 중구·동구 → 제물포구·영종구·검단구
        ("행정시", 2),
    ],
)
def test_current_sigungu_counts(gaz: Gazetteer, kind: str, expected: int) -> None:
    units = [gaz.regions[c] for c in current(gaz, "sigungu")]
    jeju = [r for r in units if r.sido_code == "50"]
    counted = jeju if kind == "행정시" else [r for r in units if r not in jeju and r.name.endswith(kind)]
    assert len(counted) == expected


def test_sigungu_level_totals(gaz: Gazetteer) -> None:
    assert len(current(gaz, "sigungu")) == 229  # 226 + 2026 인천 (+3 −2) + 제주 행정시 2
    assert len(current(gaz, "gu")) == 39  # 일반구, incl. 부천 3 (2024) and 화성 4 (2026)
    assert len(gaz.regions) == 287


@pytest.mark.parametrize(
    ("code", "full_name", "level", "parent"),
    [
        ("47", "경상북도", "sido", None),
        ("47190", "경상북도 구미시", "sigungu", "47"),
        ("41461", "경기도 용인시 처인구", "gu", "41460"),
        ("27720", "대구광역시 군위군", "sigungu", "27"),
        ("51820", "강원특별자치도 고성군", "sigungu", "51"),
        ("52111", "전북특별자치도 전주시 완산구", "gu", "52110"),
        ("41192", "경기도 부천시 원미구", "gu", "41190"),
        ("41597", "경기도 화성시 동탄구", "gu", "41590"),
        ("28115", "인천광역시 제물포구", "sigungu", "28"),
        ("28125", "인천광역시 영종구", "sigungu", "28"),
        ("28265", "인천광역시 검단구", "sigungu", "28"),
        ("11680", "서울특별시 강남구", "sigungu", "11"),
    ],
)
def test_full_name_level_parent(gaz: Gazetteer, code: str, full_name: str, level: str, parent: str | None) -> None:
    region = gaz.regions[code]
    assert (region.full_name, region.level, region.parent) == (full_name, level, parent)


@pytest.mark.parametrize(
    ("code", "valid_to", "successor"),
    [("28110", date(2026, 6, 30), "28115"), ("28140", date(2026, 6, 30), "28115"), ("28260", None, None)],
)
def test_incheon_2026_reorganisation(gaz: Gazetteer, code: str, valid_to: date | None, successor: str | None) -> None:
    region = gaz.regions[code]
    assert (region.valid_to, region.successor) == (valid_to, successor)
    assert region.valid_on(date(2026, 6, 30))


@pytest.mark.parametrize("code", ["42", "45", "47720", "42110", "45110", "36110", "28170", "41730", "43710", "28116"])
def test_stale_codes_are_gone(gaz: Gazetteer, code: str) -> None:
    assert code not in gaz.regions


def test_sejong_is_single_tier(gaz: Gazetteer) -> None:
    assert [r.code for r in gaz.regions.values() if r.sido_code == "36"] == ["36"]


@pytest.mark.parametrize(
    ("form", "code", "full_name"),
    [
        ("전남", "46", "전라남도"),
        ("전라북도", "52", "전북특별자치도"),
        ("전북자치도", "52", "전북특별자치도"),
        ("강원도", "51", "강원특별자치도"),
        ("구미", "47190", "경상북도 구미시"),
        ("구미시", "47190", "경상북도 구미시"),
        ("군위군", "27720", "대구광역시 군위군"),
        ("청원군", "43110", "충청북도 청주시"),
        ("여주군", "41670", "경기도 여주시"),
        ("미추홀", "28177", "인천광역시 미추홀구"),
        ("제주", "50", "제주특별자치도"),
        ("세종시", "36", "세종특별자치시"),
        ("분당", "41135", "경기도 성남시 분당구"),
        ("제물포구", "28115", "인천광역시 제물포구"),
    ],
)
def test_alias_resolves_to_one_region(gaz: Gazetteer, form: str, code: str, full_name: str) -> None:
    (alias,) = gaz.aliases[form]
    assert (alias.code, gaz.regions[alias.code].full_name) == (code, full_name)


@pytest.mark.parametrize(
    ("form", "codes"),
    [
        ("고성", ("48820", "51820")),
        ("고성군", ("48820", "51820")),
        ("강서구", ("11500", "26440")),
        ("광주", ("29", "41610")),
        ("중구", ("11140", "26110", "27110", "28110", "30140", "31110")),
        ("남구", ("26290", "27200", "28177", "29155", "31140", "47111")),
    ],
)
def test_ambiguous_forms_have_every_candidate(gaz: Gazetteer, form: str, codes: tuple[str, ...]) -> None:
    assert tuple(a.code for a in gaz.aliases[form]) == codes


@pytest.mark.parametrize(
    ("form", "code", "needs_context", "kind"),
    [
        ("예산", "44810", True, "short"),
        ("화성", "41590", True, "short"),
        ("양산", "48330", True, "short"),
        ("경기", "41", True, "short"),
        ("광주", "41610", True, "short"),
        ("광주", "29", False, "short"),
        ("구미", "47190", False, "short"),
        ("경상북도", "47", False, "full"),
        ("강원도", "51", False, "legacy"),
        ("처인구", "41461", False, "full"),
    ],
)
def test_alias_flags(gaz: Gazetteer, form: str, code: str, needs_context: bool, kind: str) -> None:
    alias = next(a for a in gaz.aliases[form] if a.code == code)
    assert (alias.needs_context, alias.kind) == (needs_context, kind)


@pytest.mark.parametrize("form", ["수정", "중원", "일산동", "영종", "검단"])
def test_gu_short_forms_only_when_curated(gaz: Gazetteer, form: str) -> None:
    assert form not in gaz.aliases  # 수정구/중원구/… keep their suffix; 영종/검단 are zones


@pytest.mark.parametrize(
    ("name", "expected"),
    [("구미시", "구미"), ("고성군", "고성"), ("광양시", "광양"), ("강남구", None), ("처인구", None), ("경기도", None)],
)
def test_short_form_rule(name: str, expected: str | None) -> None:
    assert short_form(name) == expected


@pytest.mark.parametrize(
    ("code", "city"),
    [("41461", "41460"), ("41460", "41460"), ("47190", "47190"), ("41", "41"), ("52113", "52110")],
)
def test_city_of_gu(gaz: Gazetteer, code: str, city: str) -> None:
    assert gaz.city(code).code == city


@pytest.mark.parametrize(("code", "sido"), [("41461", "41"), ("27720", "27"), ("51110", "51"), ("36", "36")])
def test_sido_of_any_code(gaz: Gazetteer, code: str, sido: str) -> None:
    assert gaz.sido(code).code == sido


@pytest.mark.parametrize(
    ("name", "code"),
    [("전북", "52"), ("전라북도", "52"), ("강원특별자치도", "51"), ("제주도", "50"), ("광주", "29"), ("구미", None)],
)
def test_sido_by_name(gaz: Gazetteer, name: str, code: str | None) -> None:
    region = gaz.sido_by_name(name)
    assert (region.code if region else None) == code


@pytest.mark.parametrize(
    ("form", "name", "codes"),
    [
        ("새만금", "새만금", ("52130", "52210", "52800")),
        ("광양만권", "광양만권경제자유구역", ("46130", "46150", "46230", "48850")),
        ("대덕특구", "대덕연구개발특구", ("30200", "30230")),
        ("영종도", "영종도", ("28110", "28125")),
        ("송도국제도시", "송도", ("28185",)),
        ("빛그린국가산단", "빛그린국가산업단지", ("29200", "46860")),
        ("행복도시", "행정중심복합도시", ("36",)),
        ("용인반도체클러스터", "용인반도체클러스터", ("41460",)),
    ],
)
def test_zones(gaz: Gazetteer, form: str, name: str, codes: tuple[str, ...]) -> None:
    zone = gaz.zones[form]
    assert (zone.name, zone.codes) == (name, codes)


def test_zone_codes_are_map_units(gaz: Gazetteer) -> None:
    assert len({z.name for z in gaz.zones.values()}) >= 50
    levels = {gaz.regions[c].level for z in gaz.zones.values() for c in z.codes}
    assert levels <= {"sigungu", "sido"}


def test_surface_forms_cover_aliases_and_zones(gaz: Gazetteer) -> None:
    forms = gaz.surface_forms()
    assert forms == sorted(set(forms))
    assert {"구미", "전북자치도", "새만금", "대덕특구"} <= set(forms)


def test_loader_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_malformed_region_row_names_file_and_line(tmp_path: Path) -> None:
    for name in ("region_aliases.csv", "zones.csv"):
        (tmp_path / name).write_text((REPO / "etl" / "data" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "regions.csv").write_text(
        "code,sido_code,sido,sigungu,level,parent,valid_to,successor,note\n"
        "11,11,서울특별시,,sido,,,,\n"
        "11110,11,서울특별시,종로구,county,11,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match=r"regions\.csv:3: level 'county'"):
        load_gazetteer(tmp_path)


def load_layer(name: str) -> dict[str, dict]:
    collection = json.loads((UI_DATA / f"{name}.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert len(codes) == len(set(codes)), "duplicate codes"
    return {f["properties"]["code"]: f for f in collection["features"]}


def test_sido_layer(gaz: Gazetteer) -> None:
    layer = load_layer("sido")
    assert {c: f["properties"]["name"] for c, f in layer.items()} == dict(SIDO)


def test_sigungu_layer_has_every_current_unit(gaz: Gazetteer) -> None:
    layer = load_layer("sigungu")
    assert set(current(gaz, "sigungu")) | {"36"} <= set(layer)
    assert set(layer) <= {c for c, r in gaz.regions.items() if r.level == "sigungu"} | {"36"}
    for code, feature in layer.items():
        assert feature["properties"]["name"] == gaz.regions[code].full_name
        assert feature["properties"]["sido_code"] == code[:2]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("name", ["sido", "sigungu"])
def test_layer_size(name: str) -> None:
    assert (UI_DATA / f"{name}.geojson").stat().st_size < 1_500_000
