"""`python -m etl export` on both backends: exact rows of the dashboard fixture."""
from __future__ import annotations

import csv
import re
from datetime import date

import pandas as pd
import pytest

from db.engine import make_engine
from db.exports import AMOUNT_COLUMNS, EXCLUDED_COLUMNS, JOBS_COLUMNS, PERIOD_COLUMNS, project_columns
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
    assert [p.name for p in written] == ["projects.csv", "amounts.csv", "periods.csv", "jobs.csv", "excluded_amounts.csv"]
    projects, amounts, periods, jobs, excluded = (_csv(p) for p in written)
    assert excluded == [EXCLUDED_COLUMNS]  # the fixture states no figure that is not project money
    assert jobs == [JOBS_COLUMNS, ["1", "3", "전주 탄소소재 국가산단", "300", "4", "전주 탄소소재 국가산단 착공", "2023-11-20", "", "일자리 300개가 생긴다."]]
    assert projects == [project_columns(), *PROJECTS]
    assert periods == [PERIOD_COLUMNS, *PERIODS]
    assert amounts[0] == AMOUNT_COLUMNS
    picked = [[dict(zip(AMOUNT_COLUMNS, row))[c] for c in AMOUNT_PICK] for row in amounts[1:]]
    assert picked == AMOUNT_IDS_AND_FIGURES


def test_workbook_has_four_sheets_with_the_same_rows(fixture_engine, tmp_path):
    [path] = export(fixture_engine, tmp_path / "policy.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    assert list(sheets) == ["projects", "amounts", "periods", "jobs", "excluded_amounts"]
    assert [list(df.columns) for df in sheets.values()] == [project_columns(), AMOUNT_COLUMNS, PERIOD_COLUMNS, JOBS_COLUMNS,
                                                           EXCLUDED_COLUMNS]
    assert [len(df) for df in sheets.values()] == [3, 7, 2, 1, 0]
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


# ---------------------------------------------------------------- hostile text from articles

# Text an article can carry, and the cell every export must hold for it (OWASP: a leading quote).
HOSTILE = {
    "project": ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    "title": ('=HYPERLINK("http://evil.example/x","보기")', '\'=HYPERLINK("http://evil.example/x","보기")'),
    "sentence": ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    "period": ("+2024-2028", "'+2024-2028"),
    "amount": ("-1,280억원", "'-1,280억원"),
    "tab": ("\t=1+1", "'\t=1+1"),
    "url": ("\r=1+1", "'\r=1+1"),
}


@pytest.fixture
def hostile_engine(fixture_engine):
    """The dashboard fixture with text from articles that starts formulas."""
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from db.models import Amount, Article, Evidence, Period, Project, Region

    with Session(fixture_engine) as session:
        session.execute(update(Project).where(Project.id == 1).values(name=HOSTILE["project"][0]))
        session.execute(update(Article).where(Article.id == 1).values(title=HOSTILE["title"][0],
                                                                     url=HOSTILE["url"][0]))
        session.execute(update(Evidence).where(Evidence.id == select_evidence(session)).values(
            sentence=HOSTILE["sentence"][0]))
        session.execute(update(Period).where(Period.id == 1).values(text=HOSTILE["period"][0]))
        session.execute(update(Amount).where(Amount.id == 1).values(text=HOSTILE["amount"][0]))
        session.execute(update(Region).where(Region.name == "경상북도 포항시 남구").values(name=HOSTILE["tab"][0]))
        session.commit()
    return fixture_engine


def select_evidence(session) -> int:
    from sqlalchemy import select

    from db.models import Amount

    return session.scalar(select(Amount.evidence_id).where(Amount.id == 1))


def test_csv_export_neutralises_formulas_and_keeps_numbers(hostile_engine, tmp_path):
    projects, amounts, periods, jobs, _excluded = (_csv(p) for p in export(hostile_engine, tmp_path / "out"))
    project = dict(zip(project_columns(), projects[1]))
    assert (project["name"], project["krw_total"], project["n_articles"]) == (HOSTILE["project"][1], "128000000000", "2")
    amount = dict(zip(AMOUNT_COLUMNS, amounts[1]))
    assert [amount[c] for c in ("project_name", "text", "krw", "article_title", "article_url", "evidence")] == [
        HOSTILE["project"][1], HOSTILE["amount"][1], "128000000000", HOSTILE["title"][1], HOSTILE["url"][1],
        HOSTILE["sentence"][1]]
    assert dict(zip(AMOUNT_COLUMNS, amounts[5]))["region"] == HOSTILE["tab"][1]
    period = dict(zip(PERIOD_COLUMNS, periods[1]))
    assert [period[c] for c in ("text", "start_year", "end_year")] == [HOSTILE["period"][1], "2024", "2028"]
    cells = [cell for table in (projects, amounts, periods) for row in table[1:] for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_workbook_export_has_no_formula_cell(hostile_engine, tmp_path):
    from openpyxl import load_workbook

    [path] = export(hostile_engine, tmp_path / "policy.xlsx")
    workbook = load_workbook(path)  # not data_only: a formula would read back as a formula
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    projects, amounts, periods = (workbook[name] for name in ("projects", "amounts", "periods"))
    assert (projects["B2"].value, projects["K2"].value, projects["J2"].value) == (
        HOSTILE["project"][1], 128_000_000_000, 2)
    assert [amounts[f"{col}2"].value for col in "CGLNO"] == [
        HOSTILE["project"][1], HOSTILE["amount"][1], HOSTILE["title"][1], HOSTILE["url"][1], HOSTILE["sentence"][1]]
    assert amounts["J6"].value == HOSTILE["tab"][1]
    assert (periods["F2"].value, periods["D2"].value) == (HOSTILE["period"][1], 2024)


# ---------------------------------------------------------------- output paths

def test_an_empty_out_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError, match=r"^--out is empty: give a folder for CSV files or a file name ending in \.xlsx$"):
        export(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), "")
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder


@pytest.mark.parametrize("target", ["policy.xlsx", "out"])
def test_existing_files_are_kept_unless_forced(fixture_engine, tmp_path, target):
    first = export(fixture_engine, tmp_path / target)
    for path in first:
        path.write_bytes(b"kept")
    shown = ", ".join(str(p) for p in first)
    with pytest.raises(ExportError, match=f"^{re.escape(shown)} already exists: give another --out, or --force to overwrite$"):
        export(fixture_engine, tmp_path / target)
    assert {p.read_bytes() for p in first} == {b"kept"}
    assert export(fixture_engine, tmp_path / target, force=True) == first
    assert all(p.read_bytes() != b"kept" and p.stat().st_size > 100 for p in first)
    assert sorted(p.name for p in (tmp_path / target).parent.iterdir() if p.name.startswith(".")) == []


def test_a_folder_named_like_a_workbook_is_refused(tmp_path):
    (tmp_path / "policy.xlsx").mkdir()
    with pytest.raises(ExportError, match=r"policy\.xlsx is a folder: give a file name ending in \.xlsx"):
        export(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), tmp_path / "policy.xlsx")


def test_a_path_under_a_file_is_a_one_line_error(fixture_engine, tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ExportError, match=f"^cannot write {re.escape(str(tmp_path / 'plain'))}: a file, not a folder$"):
        export(fixture_engine, tmp_path / "plain" / "policy.xlsx")


def test_awkward_out_paths_are_written(fixture_engine, tmp_path):
    """Spaces, Korean, an upper-case suffix and folders that do not exist yet."""
    for out in ("새 폴더/정책 현황.XLSX", "깊은/경로/없는 폴더", "공백 있는 이름 "):
        written = export(fixture_engine, tmp_path / out)
        assert written and all(p.is_file() and p.stat().st_size > 100 for p in written), out
