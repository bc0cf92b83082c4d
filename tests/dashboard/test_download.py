"""The dashboard's CSV and Excel downloads: text from articles never opens as a formula."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ui import download

# (cell text, what the download must hold), table-driven: OWASP's list, full-width forms, harmless text.
CASES = [
    ('=HYPERLINK("http://evil.example/x","보기")', '\'=HYPERLINK("http://evil.example/x","보기")'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+82 10", "'+82 10"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("＝1+1", "'＝1+1"),
    ("광양 = 이차전지", "광양 = 이차전지"),
    ("1,280억원", "1,280억원"),
]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "제목": [text for text, _ in CASES],
        "원": pd.array([-5, None, *range(len(CASES) - 2)], dtype="Int64"),
        "비율": [-0.5, *([1.5] * (len(CASES) - 1))],
    })


def test_csv_download_quotes_formula_text_and_keeps_numbers():
    data = download.to_csv(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back["제목"]) == [safe for _, safe in CASES]
    assert list(back["원"]) == ["-5", "", *map(str, range(len(CASES) - 2))]  # numbers stay numbers, unquoted
    assert data.decode("utf-8-sig").splitlines()[1] == "\"'=HYPERLINK(\"\"http://evil.example/x\"\",\"\"보기\"\")\",-5,-0.5"


def test_excel_download_has_no_formula_cell():
    sheet = load_workbook(io.BytesIO(download.to_xlsx(frame(), "목록"))).active
    assert sheet.title == "목록"
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(CASES))] == [safe for _, safe in CASES]
    assert (sheet["B2"].value, sheet["B3"].value, sheet["C2"].value) == (-5, None, -0.5)


@pytest.mark.parametrize("text", ["\x01=cmd|' /C calc'!A0", "\x1b=1+1", "\x00@SUM(1)"])
def test_control_characters_cannot_unmask_a_formula(text):
    """A workbook cannot hold control characters; they go before the formula check, not after it."""
    sheet = load_workbook(io.BytesIO(download.to_xlsx(pd.DataFrame({"제목": [text]})))).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "'" + text[1:]


def test_column_names_from_articles_are_cells_too():
    """A table pivoted by project name has article text in its header row."""
    df = pd.DataFrame({"=cmd|' /C calc'!A0": [1], "광양 특화단지": [2]})
    assert download.to_csv(df).decode("utf-8-sig").splitlines() == ["'=cmd|' /C calc'!A0,광양 특화단지", "1,2"]
    sheet = load_workbook(io.BytesIO(download.to_xlsx(df))).active
    assert [(c.value, c.data_type) for c in sheet[1]] == [("'=cmd|' /C calc'!A0", "s"), ("광양 특화단지", "s")]
    assert (sheet["A2"].value, sheet["B2"].value) == (1, 2)
