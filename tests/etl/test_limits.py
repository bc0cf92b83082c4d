"""Hostile and broken inputs: each one is a rejection naming the file and the
limit, in bounded time and memory, and the rest of the batch still loads.

The files are small but structurally hostile (bench/hostile.py builds them;
`python -m bench.hostile` prints what each costs at full size). Limits that
would need big files are exercised with smaller `Limits` on the reader
functions, so that every mechanism is shown to trigger. No test asserts a
timing; the time limit is shown with a limit already spent.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from bench import hostile
from etl.readers import read_bytes, read_paths
from etl.readers.delimited import CsvProblem, CsvRecord, parse_csv
from etl.readers.excel import load_rows
from etl.readers.jsonl import JsonLine, JsonProblem, json_depth, parse_jsonl
from etl.readers.limits import LimitExceeded, Limits
from etl.records import Document, Rejection

MB = 1024 * 1024


def outcome(records: list[Document | Rejection]) -> list[tuple[str, str]]:
    """(source, "document" or the reason) for each record, in order."""
    return [(r.source, r.reason if isinstance(r, Rejection) else "document") for r in records]


# ---------------------------------------------------------------- a hostile batch

HOSTILE_FILES = {  # name -> (bytes, the outcome of reading it, as (source suffix, reason))
    "a_declares_every_cell.xlsx": (hostile.declares_every_cell, [("#row 2", "document")]),
    "b_far_cell.xlsx": (hostile.far_cell, [("", "Excel sheet has more than 100,000 rows (the limit); split it")]),
    "c_wide.xlsx": (lambda: hostile.wide_row(16_384),
                    [("", "Excel row 1 reaches column 16,384, beyond the 1,000 column limit")]),
    "d_bomb.xlsx": (lambda: hostile.zip_bomb(9 * MB),
                    [("", "Excel file unpacks to 9 MB, more than the 8 MB limit (8 times --max-size)")]),
    "e_nested.jsonl": (lambda: hostile.nested_jsonl(3000),
                       [("#line 1", "document"), ("#line 2", "line 2 nests deeper than 32 levels (the limit)"),
                        ("#line 3", "document")]),
    "f_long.csv": (lambda: hostile.long_csv(182_000), [("#row 2", "document")]),
    "g_good.xlsx": (hostile.good_workbook, [("#row 2", "document")]),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (build, _) in HOSTILE_FILES.items():
        (folder / name).write_bytes(build())
    return folder


def test_each_hostile_file_is_one_named_rejection_and_the_rest_loads(batch: Path) -> None:
    """--max-size 1 MB: the ZIP bomb's limit is 8 MB; everything else at its default."""
    expected = [(f"{batch / name}{suffix}", reason) for name, (_, results) in HOSTILE_FILES.items()
                for suffix, reason in results]
    assert outcome(list(read_paths([str(batch)], max_bytes=MB))) == expected


def test_a_declared_dimension_is_not_a_size(batch: Path) -> None:
    """A1:XFD1048576 declared around two rows: the rows are as wide as their cells."""
    rows = load_rows((batch / "a_declares_every_cell.xlsx").read_bytes())
    assert rows == [("제목", "본문"), (hostile.TITLE, hostile.BODY)]


def test_a_long_csv_cell_is_read_whole(batch: Path) -> None:
    """182,000 characters, quoted, with commas, quotes and newlines: more than the csv module's 128 K."""
    [document] = read_paths([str(batch / "f_long.csv")])
    body = list(csv.reader(io.StringIO((batch / "f_long.csv").read_text(), newline="")))[1][1]
    assert len(body) == 182_000
    assert document.raw_text == f"{hostile.TITLE}\n\n{body.rstrip()}"


def test_the_csv_cell_limit_follows_max_size() -> None:
    """A cell may be as long as the file, and no longer than --max-size allows (not sys.maxsize)."""
    list(read_bytes(hostile.long_csv(1000), source="x.csv", stem="x", suffix=".csv", max_bytes=30 * MB))
    assert csv.field_size_limit() == 30 * MB


# ---------------------------------------------------------------- Excel limits

def test_rows_over_the_limit_reject_the_workbook() -> None:
    with pytest.raises(LimitExceeded, match=r"^Excel sheet has more than 10 rows \(the limit\); split it$"):
        load_rows(hostile.many_rows(10), limits=Limits(max_rows=10))
    assert len(load_rows(hostile.many_rows(9), limits=Limits(max_rows=10))) == 10


def test_two_million_rows_stop_at_the_row_limit() -> None:
    """The probe's 2,000,000-row sheet, here 100,001 rows: rejected at the default limit."""
    records = list(read_bytes(hostile.many_rows(100_000), source="rows.xlsx", stem="rows", suffix=".xlsx"))
    assert outcome(records) == [("rows.xlsx", "Excel sheet has more than 100,000 rows (the limit); split it")]


def test_cells_over_the_limit_reject_the_workbook() -> None:
    with pytest.raises(LimitExceeded, match=r"^Excel sheet has more than 3 cells \(the limit\); split it$"):
        load_rows(hostile.good_workbook(), limits=Limits(max_cells=3))


def test_a_cell_longer_than_max_size_rejects_the_workbook() -> None:
    """A small ZIP can hold one cell far longer than any file --max-size lets in."""
    with pytest.raises(LimitExceeded, match=r"^Excel row 2 has a cell of 52 characters, more than --max-size allows \(51\)$"):
        load_rows(hostile.good_workbook(), limits=Limits(max_bytes=51))
    assert len(hostile.BODY) == 52


def test_a_workbook_that_takes_too_long_is_rejected() -> None:
    """A limit already spent (-1 s) shows the check runs while rows stream."""
    with pytest.raises(LimitExceeded, match=r"^reading took longer than -1 seconds \(the limit\); split the file$"):
        load_rows(hostile.many_rows(300), limits=Limits(max_seconds=-1))


def test_too_many_zip_parts_reject_the_workbook() -> None:
    data = hostile.workbook(hostile.header_and_article(), extra={f"xl/media/{i}.bin": b"" for i in range(20)})
    with pytest.raises(LimitExceeded, match=r"^Excel file holds 25 parts, more than the 10 limit$"):
        load_rows(data, limits=Limits(max_zip_members=10))


# ---------------------------------------------------------------- JSON Lines

@pytest.mark.parametrize(("line", "message"), [
    ("[" * 3000 + "]" * 3000, "line 1 nests deeper than 32 levels (the limit)"),
    ('{"body": ' + "[" * 33 + "]" * 33 + "}", "line 1 nests deeper than 32 levels (the limit)"),
    ('{"body": ' + "{\"a\": " * 100_000 + "1" + "}" * 100_001, "line 1 nests deeper than 32 levels (the limit)"),
    ('{"body": ' + "1" * 5000 + "}", "bad JSON on line 1: a number with too many digits"),
    (json.dumps({f"k{i}": i for i in range(1001)}), "line 1 has 1,001 fields, more than the 1,000 limit"),
], ids=["3000-arrays", "33-in-a-field", "100000-objects", "5000-digits", "1001-fields"])
def test_hostile_json_lines_are_bad_lines(line: str, message: str) -> None:
    assert list(parse_jsonl(line)) == [JsonProblem(1, message)]


def test_nesting_up_to_the_limit_is_read() -> None:
    line = '{"body": ' + "[" * 31 + "]" * 31 + "}"
    assert [type(p) for p in parse_jsonl(line)] == [JsonLine]


@pytest.mark.parametrize(("value", "depth"), [(1, 0), ({}, 1), ({"a": [1, {"b": []}]}, 4), ([[[[]]]], 4)])
def test_json_depth(value: object, depth: int) -> None:
    assert json_depth(value, 32) == depth


def test_lines_over_the_limit_reject_the_file() -> None:
    text = "\n".join(json.dumps({"body": f"본문 {i}"}, ensure_ascii=False) for i in range(4))
    records = list(read_bytes(text.encode(), source="x.jsonl", stem="x", suffix=".jsonl"))
    assert [type(r) for r in records] == [Document] * 4
    with pytest.raises(LimitExceeded, match=r"^more than 3 lines \(the limit\); split the file$"):
        list(parse_jsonl(text, Limits(max_rows=3)))


# ---------------------------------------------------------------- CSV

def _csv_text(rows: int, columns: int = 2) -> str:
    return "\n".join(",".join(f"c{r}{c}" for c in range(columns)) for r in range(rows)) + "\n"


@pytest.mark.parametrize(("text", "limits", "message"), [
    (_csv_text(4), Limits(max_rows=3), "more than 3 rows (the limit); split the file"),
    (_csv_text(2, 6), Limits(max_columns=5), "row 1 has 6 cells, more than the 5 column limit; is the delimiter right?"),
    (_csv_text(3, 4), Limits(max_cells=10), "more than 10 cells (the limit); split the file"),
    (_csv_text(3), Limits(max_seconds=-1), "reading took longer than -1 seconds (the limit); split the file"),
], ids=["rows", "columns", "cells", "time"])
def test_csv_limits(text: str, limits: Limits, message: str) -> None:
    with pytest.raises(LimitExceeded) as raised:
        list(parse_csv(text, ",", limits))
    assert raised.value.reason == message


def test_a_csv_over_a_limit_is_rejected_whole_by_name() -> None:
    """Rejected before any article is read: no row of it is half-loaded."""
    text = "제목,본문\n" + "".join(f"기사 {i},광양시 본문 {i}\n" for i in range(1200)) + ",".join(["x"] * 1001) + "\n"
    records = list(read_bytes(text.encode(), source="wide.csv", stem="wide", suffix=".csv"))
    assert outcome(records) == [
        ("wide.csv", "row 1202 has 1,001 cells, more than the 1,000 column limit; is the delimiter right?")]


def test_broken_rows_past_the_limit_give_up_the_rest_of_the_file() -> None:
    """Each broken row may cost a read to the end of the file, so only so many are tried."""
    good = "제목,본문\n기사,광양시 본문\n"
    broken = "".join(f'기사 {i},"닫히지 않은 {i}\n' for i in range(6))  # lines 3-8
    parsed = list(parse_csv(good + broken, ",", Limits(max_broken_rows=3)))
    assert [type(p) for p in parsed] == [CsvRecord, CsvRecord, CsvProblem, CsvProblem, CsvProblem, CsvProblem]
    assert [p.line for p in parsed] == [1, 2, 3, 4, 5, 6]
    assert parsed[-1] == CsvProblem(6, 6, "more than 3 broken rows (the limit): lines 6-8 were not read")


# ---------------------------------------------------------------- the command line

def test_load_rejects_hostile_files_records_them_and_loads_the_rest(batch: Path, tmp_path: Path) -> None:
    """End to end: one line per rejection naming the file, exit 1, the good
    articles stored, and every rejection in `python -m etl rejects`."""
    from tests.etl.helpers import query, run_etl, sqlite_url, stderr_lines, summary_counts

    db = tmp_path / "policy.db"
    result = run_etl("load", "--max-size", "1", batch, "--db", sqlite_url(db))
    rejected = [(f"{batch / name}{suffix}", reason) for name, (_, results) in HOSTILE_FILES.items()
                for suffix, reason in results if reason != "document"]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert stderr_lines(result)[:-1] == [f"{source}: {reason}" for source, reason in rejected]
    assert summary_counts(result)["rejected"] == len(rejected)
    assert query(db, "select source, reason from rejected_input order by id") == rejected
    stored = {row[0] for row in query(db, "select source from article_source")}
    assert stored == {f"{batch / name}{suffix}" for name, (_, results) in HOSTILE_FILES.items()
                      for suffix, reason in results if reason == "document"}
    listed = run_etl("rejects", "--db", sqlite_url(db))
    assert [line.split("\t", 2)[2] for line in listed.stdout.splitlines()] == [f"{s}: {r}" for s, r in rejected]


def test_memory_stays_bounded_for_a_zip_bomb_at_the_default_size(tmp_path: Path) -> None:
    """A 1 GB part is refused from the ZIP directory, before anything is unpacked."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(hostile.zip_bomb(1024 * MB))
    assert os.path.getsize(path) < 2 * MB
    assert outcome(list(read_paths([str(path)]))) == [
        (str(path), "Excel file unpacks to 1 GB, more than the 160 MB limit (8 times --max-size)")]


# ---------------------------------------------------------------- web pages

def _page(paragraphs: int) -> bytes:
    return ("<html><head><title>t</title></head><body><article>"
            + "".join(f"<p>광양시가 이차전지 특화단지 지정을 추진한다고 {i}일 밝혔다.</p>" for i in range(paragraphs))
            + "</article></body></html>").encode()


def test_element_count_stops_past_the_limit() -> None:
    from etl.readers.webpage import element_count

    page = _page(10).decode()
    assert element_count(page, 1000) == 15  # html, head, title, body, article and 10 p
    assert element_count(page, 3) == 4
    assert element_count("", 3) == 0


def test_a_page_too_big_for_trafilatura_is_read_from_its_visible_text(monkeypatch) -> None:
    """Past the element limit trafilatura is not called (it took 164 s on 80,000 paragraphs)."""
    import etl.readers.webpage as webpage

    called = []
    monkeypatch.setattr(webpage, "trafilatura_extract", lambda page: called.append(len(page)) or {})
    item = webpage.Input.of("big.html", "big", ".html", _page(100), Limits(max_html_elements=50))
    [document] = webpage.HtmlReader().read(item)
    assert called == []
    assert document.raw_text.splitlines()[:2] == ["광양시가 이차전지 특화단지 지정을 추진한다고 0일 밝혔다.",
                                                  "광양시가 이차전지 특화단지 지정을 추진한다고 1일 밝혔다."]
    small = webpage.Input.of("small.html", "small", ".html", _page(10), Limits(max_html_elements=50))
    list(webpage.HtmlReader().read(small))
    assert len(called) == 1
