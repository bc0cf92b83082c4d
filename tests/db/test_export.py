"""`python -m etl export` on both backends: exact rows of the dashboard fixture."""
from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from db.engine import make_engine
from db.exports import AMOUNT_COLUMNS, JOBS_COLUMNS, PERIOD_COLUMNS, project_columns
from etl.export import ExportError, export
from tests.db.fixtures import build_dashboard_fixture

A1_URL = "https://example.com/a1"
# Exact rows, from tests/dashboard/dashboard_fixture.py (each figure once in the totals).
PROJECTS = [
    ["1", "광양만권 이차전지 특화단지", "지정", "46", "전라남도", "전라남도 광양시", "소재부품, 이차전지", "2024-06-04", "2024-07-10", "2",
     "128000000000", "64000000000", "", "", "1000000000000", ""],
    ["2", "포항 수소경제 규제자유특구", "선정", "47", "경상북도", "경상북도 포항시 남구", "수소", "2024-03-02", "2024-03-02", "1",
     "3450000000000", "", "50000000000", "", "", ""],
    ["3", "전주 탄소소재 국가산단", "착공", "52", "전북특별자치도", "전북특별자치도 전주시", "탄소소재", "2023-11-20", "2023-11-20", "1",
     "", "80000000", "", "", "", ""],
]
AMOUNT_IDS_AND_FIGURES = [
    # amount_id, project_id, role, role_label, krw, text, year, region, article_id, article_published, article_url, evidence
    ["1", "1", "total", "총사업비", "128000000000", "1,280억원", "2024", "전라남도 광양시", "1", "2024-06-04", A1_URL,
     "총사업비 1,280억원 가운데 국비 640억원을 확보할 계획이다."],
    ["2", "1", "national", "국비", "64000000000", "640억원", "2024", "전라남도 광양시", "1", "2024-06-04", A1_URL,
     "총사업비 1,280억원 가운데 국비 640억원을 확보할 계획이다."],
    ["3", "1", "total", "총사업비", "128000000000", "1,280억원", "2024", "전라남도 광양시", "2", "2024-07-10", "", "총사업비 1,280억원이 투입된다."],
    ["4", "1", "investment", "투자", "1000000000000", "1조원", "", "전라남도 광양시", "2", "2024-07-10", "", "포스코퓨처엠은 광양에 1조원을 투자한다."],
    ["5", "2", "total", "총사업비", "3450000000000", "3조 4,500억원", "2025", "경상북도 포항시 남구", "3", "2024-03-02",
     "https://example.com/a3", "총사업비 3조 4,500억원, 지방비 500억원이 들어간다."],
    ["6", "2", "local", "지방비", "50000000000", "500억원", "2025", "경상북도 포항시 남구", "3", "2024-03-02",
     "https://example.com/a3", "총사업비 3조 4,500억원, 지방비 500억원이 들어간다."],
    ["7", "3", "national", "국비", "80000000", "8,000만원", "", "전북특별자치도 전주시", "4", "2023-11-20", "", "국비 8,000만원이 설계비로 쓰인다."],
]
PERIODS = [
    ["1", "1", "광양만권 이차전지 특화단지", "2024", "2028", "2024년부터 2028년까지", "1", "광양시, 이차전지 산업 중심지로 성장 전략 제시",
     "2024-06-04", A1_URL, "사업 기간은 2024년부터 2028년까지다."],
    ["2", "2", "포항 수소경제 규제자유특구", "", "2030", "2030년까지", "3", "포항 수소경제 규제자유특구 선정", "2024-03-02",
     "https://example.com/a3", "사업은 2030년까지 이어진다."],
]
AMOUNT_PICK = ["amount_id", "project_id", "role", "role_label", "krw", "text", "year", "region", "article_id",
               "article_published", "article_url", "evidence"]


@pytest.fixture
def fixture_engine(db_url):
    build_dashboard_fixture(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv_files_hold_exact_rows(fixture_engine, tmp_path):
    written = export(fixture_engine, tmp_path / "out")
    assert [p.name for p in written] == ["projects.csv", "amounts.csv", "periods.csv", "jobs.csv"]
    projects, amounts, periods, jobs = (_csv(p) for p in written)
    assert jobs == [JOBS_COLUMNS, ["1", "3", "전주 탄소소재 국가산단", "300", "4", "전주 탄소소재 국가산단 착공", "2023-11-20", "", "일자리 300개가 생긴다."]]
    assert projects == [project_columns(), *PROJECTS]
    assert periods == [PERIOD_COLUMNS, *PERIODS]
    assert amounts[0] == AMOUNT_COLUMNS
    picked = [[dict(zip(AMOUNT_COLUMNS, row))[c] for c in AMOUNT_PICK] for row in amounts[1:]]
    assert picked == AMOUNT_IDS_AND_FIGURES


def test_workbook_has_four_sheets_with_the_same_rows(fixture_engine, tmp_path):
    [path] = export(fixture_engine, tmp_path / "policy.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    assert list(sheets) == ["projects", "amounts", "periods", "jobs"]
    assert [list(df.columns) for df in sheets.values()] == [project_columns(), AMOUNT_COLUMNS, PERIOD_COLUMNS, JOBS_COLUMNS]
    assert [len(df) for df in sheets.values()] == [3, 7, 2, 1]
    p = sheets["projects"].iloc[0]
    assert (p["name"], p["krw_total"], p["krw_investment"], p["first_published"].date()) == (
        "광양만권 이차전지 특화단지", 128_000_000_000, 1_000_000_000_000, date(2024, 6, 4))
    assert pd.isna(sheets["periods"].iloc[1]["start_year"])


@pytest.mark.parametrize("name", ["out.csv", "out.xls"])
def test_unusable_output_paths_are_refused(name, tmp_path):
    with pytest.raises(ExportError, match="give a folder for CSV files"):
        export(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), tmp_path / name)


def test_an_existing_file_is_not_a_folder(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), tmp_path / "out")
