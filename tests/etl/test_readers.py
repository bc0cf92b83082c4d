"""The reading stage: every format, every encoding, every kind of bad input.

All inputs are generated here in `tmp_path`; only the seed check reads the
bundled sample articles in data/sample.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import etl.readers as readers
from etl.readers import DEFAULT_MAX_BYTES, choose_reader, format_size, read_bytes, read_paths
from etl.readers.base import Input
from etl.readers.decode import DecodeError, decode_text
from etl.readers.delimited import CsvProblem, CsvRecord, parse_csv
from etl.readers.fields import match_columns, parse_date
from etl.readers.jsonl import JsonLine, JsonProblem, parse_jsonl
from etl.readers.webpage import visible_text
from etl.records import Document, Rejection

SEEDS = Path(__file__).resolve().parents[2] / "data" / "sample"  # the five seed articles, bundled

TITLE = "광양시, 이차전지 산업 중심지로 성장 전략 제시"
BODY = (
    "[뉴스스텝] 광양시가 3일 시청 상황실에서 ‘광양만권 이차전지 특화단지(특구) 지정 및 생태계 조성’ "
    "기획과제 연구용역 최종보고회를 개최했다고 밝혔다.\n"
    "사업비는 총 ３,０００억원 규모이며 부지는 약 ５０만㎡다."
)
ARTICLE = f"{TITLE}\n\n최선경 기자 / 기사승인 : 2024-06-04 13:55:57\n\n{BODY}\n"
# What every reader must produce for ARTICLE: full-width digits folded, no trailing newline.
ARTICLE_NORMALISED = ARTICLE.replace("３,０００", "3,000").replace("５０", "50").rstrip("\n")


def read_all(*paths: Path | str, **kwargs) -> list[Document | Rejection]:
    return list(read_paths([str(p) for p in paths], **kwargs))


def reasons(records: list[Document | Rejection]) -> dict[str, str]:
    return {r.source: r.reason for r in records if isinstance(r, Rejection)}


def documents(records: list[Document | Rejection]) -> list[Document]:
    return [r for r in records if isinstance(r, Document)]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- plain text

ENCODINGS = [
    ("utf-8", ARTICLE.encode("utf-8")),
    ("utf-8-bom", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")),
    ("utf-16-le-bom", b"\xff\xfe" + ARTICLE.encode("utf-16-le")),
    ("utf-16-be-bom", b"\xfe\xff" + ARTICLE.encode("utf-16-be")),
    ("cp949", ARTICLE.encode("cp949")),
    ("euc-kr", ARTICLE.replace("３,０００", "3,000").replace("５０", "50").encode("euc-kr")),
    ("utf-8-crlf", ARTICLE.replace("\n", "\r\n").encode("utf-8")),
    ("cp949-crlf", ARTICLE.replace("\n", "\r\n").encode("cp949")),
]


@pytest.mark.parametrize(("name", "data"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_every_encoding_gives_identical_text(tmp_path: Path, name: str, data: bytes) -> None:
    path = write(tmp_path / f"002_{name}.txt", data)
    [doc] = read_all(path)
    assert doc == Document(
        doc_id=f"002_{name}",
        source=str(path),
        raw_text=ARTICLE_NORMALISED,
        fmt="text",
        source_hash=hashlib.sha256(data).hexdigest(),
    )


def test_charset_normalizer_is_the_last_resort_for_other_korean_encodings() -> None:
    text = "광양시 이차전지 특화단지 지정 연구용역 최종보고회를 개최했다"
    assert decode_text(text.encode("johab")) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            "광양시 이차전지 특화단지 지정\n".encode() + b"\xff" + "본문".encode(),
            "cannot decode: not UTF-8 or CP949 (first bad byte at offset 43)",
        ),
        (
            b"\xff\xfe" + "광양시".encode("utf-16-le") + b"\x00",
            "cannot decode: the file says it is UTF-16 but is not (first bad byte at offset 8)",
        ),
        (
            b"\xef\xbb\xbf" + "광양시".encode() + b"\xff",
            "cannot decode: the file says it is UTF-8 but is not (first bad byte at offset 12)",
        ),
        (bytes(range(0x80, 0x100)) * 4, "cannot decode: not UTF-8 or CP949 (first bad byte at offset 0)"),
    ],
    ids=["utf8-with-bad-byte", "utf16-odd-length", "utf8-bom-bad-byte", "high-bytes"],
)
def test_undecodable_bytes_name_the_first_bad_byte(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_text(data)
    assert caught.value.reason == reason


# --------------------------------------------------------------------------- bad input

def _zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\r\n ", "empty file"),
    ("blank-utf16.txt", b"\xff\xfe" + " \n \u3000".encode("utf-16-le"), "empty file"),
    ("blank.csv", b"\xef\xbb\xbf\r\n", "empty file"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "binary file (PNG image), not an article"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "binary file (JPEG image), not an article"),
    ("anim.gif", b"GIF89a" + b"\x01" * 32, "binary file (GIF image), not an article"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document), not an article"),
    ("bundle.zip", _zip_of("기사.txt", "광양시".encode()), "binary file (ZIP archive), not an article"),
    ("disguised.txt", b"PK\x03\x04" + b"\x00" * 30, "binary file (ZIP archive), not an article"),
    ("nul.txt", "광양시".encode() + b"\x00\x00" + "본문".encode(), "binary file (contains NUL bytes), not an article"),
    ("report.hwp", OLE2 + "HwpSummaryInformation".encode("utf-16-le"), "binary file (HWP document), not an article"),
    ("english.txt", b"Gwangyang city announced a battery cluster plan.\n", "no Korean text found"),
    ("english.html", b"<!doctype html><html><body><p>Hello world</p></body></html>", "no Korean text found"),
    ("bad.txt", "광양시 이차전지 특화단지 지정\n".encode() + b"\xff",
     "cannot decode: not UTF-8 or CP949 (first bad byte at offset 43)"),
    ("locked.xlsx", OLE2 + os.urandom(64).replace(b"\x00", b"\x01"),
     "Excel file is password-protected; save an unprotected copy and read that"),
    ("encrypted.xlsx", OLE2 + b"\x00" * 16 + "EncryptedPackage".encode("utf-16-le"),
     "Excel file is password-protected; save an unprotected copy and read that"),
    ("legacy.xls", OLE2 + b"\x00" * 16 + "Workbook".encode("utf-16-le"),
     "old Excel 97-2003 file (.xls); open it in Excel and save it as .xlsx"),
    ("not-a-workbook.xlsx", "제목,본문\n".encode(), "Excel file is damaged or truncated"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_rejected_with_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path / name, data)
    assert read_all(path) == [Rejection(str(path), reason, hashlib.sha256(data).hexdigest())]


def test_bad_inputs_do_not_stop_the_batch(tmp_path: Path) -> None:
    for name, data, _ in BAD_INPUTS:
        write(tmp_path / "batch" / name, data)
    good = write(tmp_path / "batch" / "zz_good.txt", ARTICLE.encode("cp949"))
    records = read_all(tmp_path / "batch", tmp_path / "missing.txt", good)
    folder = tmp_path / "batch"
    expected = {str(folder / name): reason for name, _, reason in BAD_INPUTS}
    expected[str(tmp_path / "missing.txt")] = "no such file or directory"
    assert reasons(records) == expected
    assert [d.doc_id for d in documents(records)] == ["zz_good", "zz_good"]


def test_truncated_workbook_is_damaged(tmp_path: Path) -> None:
    whole = _bigkinds_workbook(BIGKINDS_HEADERS_2024, BIGKINDS_ROWS)
    for name in ("NewsResult_half.xlsx", "no-extension"):
        path = write(tmp_path / name, whole[: len(whole) // 2])
        assert reasons(read_all(path)) == {str(path): "Excel file is damaged or truncated"}


def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_all(fifo) == [Rejection(str(fifo), "not a regular file (device, pipe or socket)")]


def test_missing_path() -> None:
    assert read_all("/nonexistent/기사.txt") == [Rejection("/nonexistent/기사.txt", "no such file or directory")]


# --------------------------------------------------------------------------- size limit

@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"), (DEFAULT_MAX_BYTES, "20 MB"),
     (int(25.3 * 1024 * 1024), "25.3 MB"), (3 * 1024**3, "3 GB")],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


def test_size_limit(tmp_path: Path) -> None:
    data = ARTICLE.encode("utf-8")
    fits = write(tmp_path / "fits.txt", data)
    over = write(tmp_path / "over.txt", data + b"x")
    records = read_all(fits, over, max_bytes=len(data))
    assert [type(r).__name__ for r in records] == ["Document", "Rejection"]
    assert records[1].reason == f"file is {format_size(len(data) + 1)}, larger than the {format_size(len(data))} limit (--max-size)"


@pytest.mark.parametrize(("grown", "kind"), [(0, "Document"), (10, "Document"), (11, "Rejection")])
def test_a_file_that_grows_after_its_stat_is_read_in_full_up_to_the_limit(tmp_path, monkeypatch, grown: int, kind: str) -> None:
    data = ARTICLE.encode("utf-8")
    path = write(tmp_path / "grows.txt", data + b"x" * grown)
    real_stat = os.stat

    def stat_before_growing(name, *args, **kwargs):
        info = real_stat(name, *args, **kwargs)
        return os.stat_result((*info[:6], len(data), *info[7:])) if str(name) == str(path) else info

    monkeypatch.setattr(readers.os, "stat", stat_before_growing)
    [record] = read_all(path, max_bytes=len(data) + 10)
    assert type(record).__name__ == kind
    if kind == "Document":
        assert record.source_hash == hashlib.sha256(data + b"x" * grown).hexdigest()  # every byte read


def test_size_limit_message_for_a_big_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no 25 MB actually written
        handle.truncate(int(25.3 * 1024 * 1024))
    assert reasons(read_all(big)) == {str(big): "file is 25.3 MB, larger than the 20 MB limit (--max-size)"}


# --------------------------------------------------------------------------- permissions

@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_permission_denied_on_disk(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", ARTICLE.encode())
    path.chmod(0)
    try:
        assert read_all(path) == [Rejection(str(path), "permission denied")]
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list folders without permission")
def test_permission_denied_on_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path / "a" / "secret.txt", ARTICLE.encode())
    good = write(tmp_path / "b.txt", ARTICLE.encode())
    (tmp_path / "a").chmod(0)
    try:
        records = read_all(tmp_path)
    finally:
        (tmp_path / "a").chmod(0o755)
    assert records[0] == Rejection(str(tmp_path / "a"), "permission denied")
    assert [d.source for d in documents(records)] == [str(good)]


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write(tmp_path / "a_locked.txt", ARTICLE.encode())
    good = write(tmp_path / "b_good.txt", ARTICLE.encode())
    real_open = open

    def fake_open(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", fake_open, raising=False)
    records = read_all(tmp_path)
    assert records[0] == Rejection(str(locked), "permission denied")
    assert [d.source for d in documents(records)] == [str(good)]


# --------------------------------------------------------------------------- folders and stdin

def test_folder_recursion_is_sorted_and_skips_hidden_files(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    for name in ["z.txt", "b/2.txt", "a/sub/0.txt", "a/1.txt", ".hidden/x.txt", ".DS_Store", "~$lock.xlsx", "a/Thumbs.db"]:
        write(root / name, ARTICLE.encode())
    (tmp_path / "empty").mkdir()
    records = read_all(root, tmp_path / "empty")
    assert [r.source for r in records] == [
        str(root / "a" / "1.txt"),
        str(root / "a" / "sub" / "0.txt"),
        str(root / "b" / "2.txt"),
        str(root / "z.txt"),
    ]
    assert all(isinstance(r, Document) for r in records)


def test_empty_folder_yields_nothing(tmp_path: Path) -> None:
    assert read_all(tmp_path) == []


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (ARTICLE.encode("cp949"), "text"),
        (b"\xff\xfe" + ARTICLE.encode("utf-16-le"), "text"),
        (f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body><p>{BODY}</p></body></html>".encode(), "html"),
    ],
    ids=["cp949-text", "utf16-text", "html"],
)
def test_stdin(data: bytes, fmt: str) -> None:
    [doc] = read_all("-", stdin=io.BytesIO(data))
    assert isinstance(doc, Document)
    assert (doc.source, doc.fmt) == ("<stdin>", fmt)
    assert doc.doc_id == "stdin_" + hashlib.sha256(data).hexdigest()[:16]
    assert doc.raw_text.startswith(TITLE)


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b"x" * 2048, "input is larger than the 1 KB limit (--max-size)"),
     (b"%PDF-1.4\n", "binary file (PDF document), not an article")],
)
def test_stdin_rejections(data: bytes, reason: str) -> None:
    [rejection] = read_all("-", stdin=io.BytesIO(data), max_bytes=1024)
    assert (rejection.source, rejection.reason) == ("<stdin>", reason)


def test_stdin_tabular_is_detected_by_content() -> None:
    data = json.dumps({"title": TITLE, "body": BODY}, ensure_ascii=False).encode()
    [doc] = read_all("-", stdin=io.BytesIO(data))
    assert (doc.fmt, doc.title, doc.source) == ("jsonl", TITLE, "<stdin>#line 1")


# --------------------------------------------------------------------------- format choice

@pytest.mark.parametrize(
    ("suffix", "data", "reader"),
    [
        (".txt", "광양시".encode(), "text"),
        ("", "광양시".encode(), "text"),
        (".html", "광양시".encode(), "html"),
        (".txt", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (".txt", b"\xef\xbb\xbf<html lang='ko'>", "html"),
        ("", b"<!-- saved from url=(0014)about:internet -->\n<html>", "html"),
        (".csv", "제목,본문\n".encode(), "csv"),
        (".tsv", "제목\t본문\n".encode(), "csv"),
        (".jsonl", b"", "jsonl"),
        (".ndjson", b"", "jsonl"),
        (".txt", b'{"title": "x", "body": "y"}\n', "jsonl"),
        (".xlsx", b"PK\x03\x04", "excel"),
        ("", b"PK\x03\x04....xl/workbook.xml", "excel"),
        (".xlsx", OLE2, "excel"),
        ("", OLE2, "binary"),
        (".xlsx", b"%PDF-1.4", "binary"),
        (".png", "광양시".encode(), "text"),
    ],
)
def test_choose_reader(suffix: str, data: bytes, reader: str) -> None:
    assert choose_reader(Input.of("x", "x", suffix, data)).name == reader


# --------------------------------------------------------------------------- dates and columns

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-04", date(2024, 6, 4)),
        ("2024-06-04T13:55:57+09:00", date(2024, 6, 4)),
        ("2024-06-04 13:55:57", date(2024, 6, 4)),
        ("2024.06.04", date(2024, 6, 4)),
        ("2024.6.4.", date(2024, 6, 4)),
        ("2024/06/04", date(2024, 6, 4)),
        ("20240604", date(2024, 6, 4)),
        (20240604, date(2024, 6, 4)),
        (20240604.0, date(2024, 6, 4)),
        ("2024년 6월 4일", date(2024, 6, 4)),
        ("2023년 07월 26일(수) 17:30", date(2023, 7, 26)),
        ("２０２４-０６-０４", date(2024, 6, 4)),
        (datetime(2024, 6, 4, 13, 55), date(2024, 6, 4)),
        (date(2024, 6, 4), date(2024, 6, 4)),
        ("2024-13-01", None),
        ("20241341", None),
        ("어제", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["제목", "일자", "본문"], {"title": 0, "published": 1, "body": 2}),
        (["Title", "PubDate", "Content", "Link", "Press", "Byline", "ID"],
         {"title": 0, "published": 1, "body": 2, "url": 3, "outlet": 4, "reporter": 5, "id": 6}),
        (["HEADLINE", "text", "body"], {"title": 0, "body": 2}),
        (["뉴스 식별자", "기고자", "URL", "본문"], {"id": 0, "reporter": 1, "url": 2, "body": 3}),
        (["날짜", "기자", "링크", "언론사"], {"published": 0, "reporter": 1, "url": 2, "outlet": 3}),
    ],
)
def test_match_columns(headers: list[str], expected: dict[str, int]) -> None:
    assert match_columns(headers) == expected


# --------------------------------------------------------------------------- CSV

CSV_HEADER = ["제목", "일자", "본문", "언론사", "기자", "링크"]
CSV_ROWS = [
    [TITLE, "2024.06.04", BODY, "뉴스스텝", "최선경 기자", "https://example.kr/1"],
    ["전주시, 탄소융복합 기회발전특구 컨퍼런스 개최", "2024년 6월 26일", "전주시가 지방의 경제 활성화와 탄소산업을 위해", "소비자저널", "", ""],
]


def _csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949", "utf-8"])
def test_csv_with_korean_headers(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "기사목록.csv", _csv_bytes([CSV_HEADER, *CSV_ROWS], encoding))
    first, second = read_all(path)
    assert (first.doc_id, first.source, first.fmt) == ("기사목록#2", f"{path}#row 2", "csv")
    assert first.raw_text == f"{TITLE}\n\n{BODY.replace('３,０００', '3,000').replace('５０', '50')}"
    assert (first.title, first.published, first.outlet, first.reporter, first.url) == (
        TITLE, date(2024, 6, 4), "뉴스스텝", "최선경 기자", "https://example.kr/1")
    assert (second.doc_id, second.published, second.reporter, second.url) == ("기사목록#3", date(2024, 6, 26), None, None)
    assert first.source_hash != second.source_hash and len(first.source_hash) == 64


def test_csv_with_english_aliases_and_ids(tmp_path: Path) -> None:
    rows = [["ID", "Headline", "Published", "Content", "Publisher", "Author", "URL"],
            ["a-1", TITLE, "20240604", "광양시가 3일 보고회를 열었다.", "뉴스스텝", "최선경", "https://example.kr/1"]]
    path = write(tmp_path / "export.csv", _csv_bytes(rows, "utf-8"))
    [doc] = read_all(path)
    assert doc == Document(
        doc_id="a-1", source=f"{path}#row 2", raw_text=f"{TITLE}\n\n광양시가 3일 보고회를 열었다.", fmt="csv",
        title=TITLE, published=date(2024, 6, 4), outlet="뉴스스텝", reporter="최선경", url="https://example.kr/1",
        source_hash=doc.source_hash,
    )


def test_csv_without_body_column_is_one_rejection(tmp_path: Path) -> None:
    path = write(tmp_path / "list.csv", _csv_bytes([["제목", "일자", "URL"], [TITLE, "2024-06-04", "u"]] * 3, "utf-8"))
    assert read_all(path) == [Rejection(
        str(path),
        "no body column (one of body/content/text/본문/article); columns found: 제목, 일자, URL",
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )]


def test_csv_empty_body_and_blank_rows(tmp_path: Path) -> None:
    rows = [["title", "body"], [TITLE, BODY], ["빈 본문", "  "], [], ["둘째", "광양시 본문"]]
    path = write(tmp_path / "rows.csv", _csv_bytes(rows, "utf-8"))
    records = read_all(path)
    assert [(type(r).__name__, r.source) for r in records] == [
        ("Document", f"{path}#row 2"), ("Rejection", f"{path}#row 3"), ("Document", f"{path}#row 5")]
    assert records[1].reason == "empty body"


def test_csv_broken_quote_costs_one_row(tmp_path: Path) -> None:
    text = (
        "제목,본문\n"
        "첫 기사,광양시 첫 본문\n"
        '둘째 기사,"광양시 ""인용"" 본문\n'
        '셋째 기사,"따옴표가 닫히지 않은 본문\n'
        "넷째 기사,광양시 넷째 본문\n"
        "다섯째 기사,광양시 다섯째 본문\n"
    )
    path = write(tmp_path / "broken.csv", text.encode("utf-8"))
    records = read_all(path)
    assert [(type(r).__name__, r.source, getattr(r, "title", None) or getattr(r, "reason", None)) for r in records] == [
        ("Document", f"{path}#row 2", "첫 기사"),
        ("Rejection", f"{path}#row 3", 'broken quote: a quoted cell (") that starts on line 3 is never closed'),
        ("Rejection", f"{path}#row 4", 'broken quote: a quoted cell (") that starts on line 4 is never closed'),
        ("Document", f"{path}#row 5", "넷째 기사"),
        ("Document", f"{path}#row 6", "다섯째 기사"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n", [CsvRecord(1, 1, ["a", "b"]), CsvRecord(2, 2, ["1", "2"])]),
        ('a,b\n1,"두\n줄"\n3,4\n', [CsvRecord(1, 1, ["a", "b"]), CsvRecord(2, 2, ["1", "두\n줄"]), CsvRecord(3, 4, ["3", "4"])]),
        ('a,b\n1,"x"y\n3,4\n', [CsvRecord(1, 1, ["a", "b"]), CsvProblem(2, 2, 'broken quote on line 2: text follows the closing quote (") of a cell'),
                               CsvRecord(3, 3, ["3", "4"])]),
        # An unclosed quote that a later row's quote "closes": the merged row has the wrong width.
        ('a,b\n1,"x\n2,y\n3,"z"\n', [CsvRecord(1, 1, ["a", "b"]), CsvProblem(2, 2, 'broken quote: a quoted cell (") that starts on line 2 is never closed'),
                                    CsvRecord(3, 3, ["2", "y"]), CsvRecord(4, 4, ["3", "z"])]),
    ],
    ids=["plain", "multiline-cell", "junk-after-quote", "quote-closed-by-later-row"],
)
def test_parse_csv(text: str, expected: list) -> None:
    assert list(parse_csv(text)) == expected


# --------------------------------------------------------------------------- JSON Lines

def test_jsonl_with_aliases_and_a_bad_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"headline": TITLE, "datetime": "2024-06-04T13:55:57+09:00", "article": BODY, "press": "뉴스스텝",
                    "byline": "최선경 기자", "link": "https://example.kr/1", "id": 17}, ensure_ascii=False),
        '{"title": "깨진 줄", "body": "본문" "x"}',
        "",
        "[1, 2]",
        json.dumps({"Title": "빈 본문", "Body": ""}, ensure_ascii=False),
        json.dumps({"제목": "둘째", "본문": "광양시 둘째 본문", "날짜": "어제"}, ensure_ascii=False),
    ]
    path = write(tmp_path / "dump.jsonl", "\n".join(lines).encode("utf-8"))
    records = read_all(path)
    assert [(type(r).__name__, r.source) for r in records] == [
        ("Document", f"{path}#line 1"), ("Rejection", f"{path}#line 2"), ("Rejection", f"{path}#line 4"),
        ("Rejection", f"{path}#line 5"), ("Document", f"{path}#line 6")]
    first, bad, not_object, empty, last = records
    assert (first.doc_id, first.title, first.published, first.outlet, first.reporter, first.url, first.fmt) == (
        "17", TITLE, date(2024, 6, 4), "뉴스스텝", "최선경 기자", "https://example.kr/1", "jsonl")
    assert bad.reason == "bad JSON on line 2: Expecting ',' delimiter (column 32)"
    assert not_object.reason == "line 4 is not a JSON object"
    assert empty.reason == "empty body"
    assert (last.doc_id, last.raw_text, last.published) == ("dump#6", "둘째\n\n광양시 둘째 본문", None)


def test_jsonl_without_body_field(tmp_path: Path) -> None:
    path = write(tmp_path / "meta.jsonl", b'{"title": "\xea\xb0\x80", "url": "u"}\n{"title": "b", "date": "d"}\n')
    assert reasons(read_all(path)) == {
        str(path): "no body field (one of body/content/text/본문/article); fields found: title, url, date"}


def test_parse_jsonl() -> None:
    assert list(parse_jsonl('{"a": 1}\r\n\r\nnull\n{')) == [
        JsonLine(1, {"a": 1}), JsonProblem(3, "line 3 is not a JSON object"),
        JsonProblem(4, "bad JSON on line 4: Expecting property name enclosed in double quotes (column 2)")]


def test_same_row_in_csv_and_jsonl_has_the_same_hash(tmp_path: Path) -> None:
    csv_path = write(tmp_path / "a.csv", _csv_bytes([["title", "body"], [TITLE, BODY]], "cp949"))
    jsonl_path = write(tmp_path / "b.jsonl", json.dumps({"title": TITLE, "body": BODY}, ensure_ascii=False).encode())
    [from_csv], [from_jsonl] = read_all(csv_path), read_all(jsonl_path)
    assert from_csv.source_hash == from_jsonl.source_hash


# --------------------------------------------------------------------------- BIGKinds Excel

BIGKINDS_HEADERS_2024 = [
    "뉴스 식별자", "일자", "언론사", "기고자", "제목", "통합 분류1", "통합 분류2", "통합 분류3", "사건/사고 분류1",
    "사건/사고 분류2", "사건/사고 분류3", "인물", "위치", "기관", "키워드", "특성추출(가중치순 상위 50개)", "본문", "URL",
    "분석제외 여부",
]
BIGKINDS_HEADERS_OLD = [
    "뉴스식별자", "일자", "언론사", "기고자", "제목", "통합분류1", "통합분류2", "통합분류3", "사건/사고분류1",
    "사건/사고분류2", "사건/사고분류3", "인물", "위치", "기관", "키워드", "특성추출", "본문", "URL", "분석제외여부",
]


def _bigkinds_row(news_id, day, outlet, reporter, title, body, url, excluded):
    return [news_id, day, outlet, reporter, title, "경제>지역경제", "", "", "", "", "", "", "광양", "광양시", "이차전지",
            "이차전지,특화단지", body, url, excluded]


BIGKINDS_ROWS = [
    _bigkinds_row("01100101.20240604135557001", "20240604", "뉴스스텝", "최선경 기자", TITLE, BODY,
                  "https://www.newsstep.co.kr/news/1", None),
    _bigkinds_row("01100101.20240604140000002", "20240604", "뉴스스텝", "최선경 기자", TITLE, BODY, "", "중복"),
    _bigkinds_row("02100601.20230726173000001", 20230726, "광주일보", None, "광양시, 미래 먹거리 사업 본격화",
                  "광양시가 ‘글로벌 연구개발(R&D)센터 유치’ 등 미래 먹거리산업 밑그림을 그렸다.", None, "예외"),
    _bigkinds_row("02100601.20230726173000002", "20230726", "광주일보", None, "본문 없는 기사", "", None, None),
]


def _bigkinds_workbook(headers: list, rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "sheet"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("headers", [BIGKINDS_HEADERS_2024, BIGKINDS_HEADERS_OLD], ids=["2024", "older"])
def test_bigkinds_export(tmp_path: Path, headers: list[str]) -> None:
    path = write(tmp_path / "NewsResult_20240101-20240630.xlsx", _bigkinds_workbook(headers, BIGKINDS_ROWS))
    records = read_all(path)
    assert [(type(r).__name__, r.source) for r in records] == [
        ("Document", f"{path}#row 2"), ("Unchanged", f"{path}#row 3"), ("Document", f"{path}#row 4"),
        ("Rejection", f"{path}#row 5")]  # row 3 is BIGKinds' 중복: counted as unchanged, not read
    first, _duplicate, second, empty = records
    assert first == Document(
        doc_id="01100101.20240604135557001", source=f"{path}#row 2",
        raw_text=f"{TITLE}\n\n{BODY.replace('３,０００', '3,000').replace('５０', '50')}", fmt="bigkinds", title=TITLE,
        published=date(2024, 6, 4), outlet="뉴스스텝", reporter="최선경 기자", url="https://www.newsstep.co.kr/news/1",
        source_hash=first.source_hash,
    )
    assert (second.doc_id, second.published, second.outlet, second.reporter, second.url) == (
        "02100601.20230726173000001", date(2023, 7, 26), "광주일보", None, None)
    assert empty.reason == "empty body"


def test_generic_workbook_is_read_like_csv(tmp_path: Path) -> None:
    data = _bigkinds_workbook(["날짜", "Title", "Body", "링크"], [[datetime(2024, 6, 4, 9, 30), TITLE, "광양시 본문", "u"]])
    path = write(tmp_path / "수집.xlsx", data)
    [doc] = read_all(path)
    assert (doc.doc_id, doc.fmt, doc.published, doc.title, doc.url, doc.raw_text) == (
        "수집#2", "xlsx", date(2024, 6, 4), TITLE, "u", f"{TITLE}\n\n광양시 본문")


def test_workbook_without_body_column(tmp_path: Path) -> None:
    path = write(tmp_path / "목록.xlsx", _bigkinds_workbook(["제목", "일자"], [[TITLE, "20240604"]]))
    assert reasons(read_all(path)) == {str(path): "no body column (one of body/content/text/본문/article); columns found: 제목, 일자"}


# --------------------------------------------------------------------------- web pages

PAGE = f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="{{charset}}">
<title>광양시 성장 전략 - 뉴스스텝</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="뉴스스텝">
<meta property="og:article:author" content="최선경 기자">
<meta property="article:published_time" content="2024-06-04T13:55:57+09:00">
<meta property="og:url" content="https://www.newsstep.co.kr/news/1">
<script>var menu = "스크립트 메뉴";</script><style>p {{{{ color: red }}}}</style>
</head><body><nav><a href="/">홈</a> <a href="/p">정치</a></nav>
<article>
<p>[뉴스스텝] 광양시가 3일 시청 상황실에서 ‘광양만권 이차전지 특화단지(특구) 지정 및 생태계 조성’ 기획과제 연구용역 최종보고회를 개최했다고 밝혔다.</p>
<p>전남도와 공동으로 추진한 ‘기획과제 연구용역’의 최종보고회에는 정인화 광양시장을 비롯한 관계 공무원과 연구진 등 30여 명이 참석했다.</p>
<p>시는 이번 용역 결과를 바탕으로 이차전지 특화단지 지정을 위한 전략을 마련할 계획이다.</p>
</article><footer>Copyright 뉴스스텝</footer></body></html>
"""


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("euc-kr", "cp949")])
def test_web_page_with_meta_tags(tmp_path: Path, charset: str, encoding: str) -> None:
    data = PAGE.format(charset=charset).encode(encoding)
    path = write(tmp_path / "page.html", data)
    [doc] = read_all(path)
    assert (doc.doc_id, doc.fmt, doc.title, doc.published, doc.outlet, doc.reporter, doc.url) == (
        "page", "html", TITLE, date(2024, 6, 4), "뉴스스텝", "최선경 기자", "https://www.newsstep.co.kr/news/1")
    lines = doc.raw_text.split("\n")
    assert lines[0] == TITLE
    assert lines[2].startswith("[뉴스스텝] 광양시가 3일")
    assert "스크립트" not in doc.raw_text and "정치" not in doc.raw_text
    assert doc.source_hash == hashlib.sha256(data).hexdigest()


def test_web_page_without_meta_uses_guesses(tmp_path: Path) -> None:
    page = ("<html><head><title>전주시 기회발전특구 컨퍼런스 개최</title></head><body>"
            "<h1>전주시 기회발전특구 컨퍼런스 개최</h1><p>" + "전주시가 지방의 경제 활성화와 탄소산업 육성을 위해 컨퍼런스를 열었다. " * 5
            + "</p></body></html>")
    path = write(tmp_path / "전주.htm", page.encode())
    [doc] = read_all(path)
    assert (doc.title, doc.published, doc.fmt) == ("전주시 기회발전특구 컨퍼런스 개최", None, "html")
    assert doc.raw_text.startswith("전주시 기회발전특구 컨퍼런스 개최\n")
    assert doc.raw_text.count("전주시 기회발전특구 컨퍼런스 개최") == 1


def test_visible_text_drops_scripts_styles_and_menus() -> None:
    page = ("<html><head><title>제목</title><style>.a{}</style></head><body><nav>메뉴 홈</nav>"
            "<script>var a = '스크립트';</script><div>광양시 <b>이차전지</b></div><p>둘째 문단</p>"
            "<ul><li>하나</li><li>둘</li></ul></body></html>")
    assert visible_text(page) == "광양시 이차전지\n둘째 문단\n하나\n둘"


def test_web_page_with_no_text(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.html", b"<!doctype html><html><head><title></title></head><body> </body></html>")
    assert reasons(read_all(path)) == {str(path): "web page has no article text"}


# --------------------------------------------------------------------------- robustness and seeds

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    suffix=st.sampled_from(["", ".txt", ".html", ".csv", ".jsonl", ".xlsx", ".xls", ".png"]),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", OLE2, b"<html>", b"{", "제목,본문\n".encode()]),
)
def test_any_bytes_give_records_not_exceptions(data: bytes, suffix: str, prefix: bytes) -> None:
    for record in read_bytes(prefix + data, source="fuzz", stem="fuzz", suffix=suffix):
        assert isinstance(record, (Document, Rejection))
        if isinstance(record, Rejection):
            assert record.reason and "\n" not in record.reason


SEED_IDS = ["000_6dde551483eaaae1", "001_b24f4e435000f45f", "002_38ebee007b4f574f", "003_038faf55acbd31c8",
            "004_accd6d631eb1101b"]


def test_seed_articles_read_as_documents() -> None:
    records = read_all(SEEDS)
    assert [r.doc_id for r in records if isinstance(r, Document)][:5] == SEED_IDS
    for record in records:
        assert isinstance(record, Document), record
        first_line = (SEEDS / f"{record.doc_id}.txt").read_text(encoding="utf-8").split("\n", 1)[0].rstrip()
        assert record.fmt == "text"
        assert record.raw_text.startswith(first_line)


def test_a_bigkinds_duplicate_row_is_in_the_load_summary(tmp_path: Path) -> None:
    """Rows BIGKinds marks 중복 are not loaded, and the summary says how many were left out."""
    from db.engine import make_engine
    from etl.load import load_paths
    from etl.messages import summary

    path = write(tmp_path / "NewsResult_20240101-20240630.xlsx", _bigkinds_workbook(BIGKINDS_HEADERS_2024, BIGKINDS_ROWS))
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    loaded = load_paths([str(path)], engine)
    engine.dispose()
    assert (loaded.read, loaded.new, loaded.unchanged, loaded.rejected) == (4, 2, 1, 1)
    assert "1 unchanged" in summary(loaded)
