"""`python -m etl` end to end: broken inputs, exit statuses, messages, duplicates.

Every input is generated here. Starting the CLI costs a Kiwi load (~1.5 s),
so each scenario is one subprocess run over a folder holding many cases, and
the parametrized tests below assert per case on what that run left behind.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.etl.helpers import (
    ROOT,
    as_cp949,
    corpus_texts,
    csv_bytes,
    html_page,
    obeying_permissions,
    once_per_session,
    parts,
    query,
    result_json,
    result_of,
    run_etl,
    sqlite_url,
    stderr_lines,
    summary_counts,
    table_counts,
    write,
)

PERMISSIONS = obeying_permissions()  # how to run the CLI so that chmod 000 denies reading
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
GOLD_KEYS = {"id", "published", "sido", "sigungu", "industries", "amounts", "periods", "projects", "jobs"}
SAMPLE = ROOT / "data" / "sample"


def _zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _workbook(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the broken batch

GOOD = corpus_texts(7, seed=401)
# File names that are not UTF-8, as unzipping a Windows archive leaves them: CP949, and neither.
CP949_NAME = os.fsdecode("광양_특화단지.txt".encode("cp949"))
BAD_NAME = os.fsdecode(b"\xff\xfe_notes.txt")


def _one_line(text: str) -> tuple[str, str]:
    """(title, body on one line) of a corpus article, for a spreadsheet row."""
    title, _, body = parts(text)
    return title, " ".join(body)


CSV_TITLE, CSV_BODY = _one_line(GOOD[3])
CSV_TEXT = csv_bytes([["제목", "일자", "본문"], [CSV_TITLE, "2024-06-04", CSV_BODY]]) + (
    '깨진 기사,2024-06-05,"따옴표가 닫히지 않은 본문\r\n'.encode()  # row 3, line 3: the quote never closes
)
JSONL_TEXT = "\n".join([
    json.dumps({"title": _one_line(GOOD[4])[0], "body": _one_line(GOOD[4])[1]}, ensure_ascii=False),
    "{bad",
    json.dumps({"title": _one_line(GOOD[5])[0], "body": _one_line(GOOD[5])[1]}, ensure_ascii=False),
]).encode()
WHOLE_WORKBOOK = _workbook([["제목", "본문"], ["광양시 특화단지", "광양시가 이차전지 특화단지 지정을 추진한다."]])
UNDECODABLE = "광양시 이차전지 특화단지 지정\n".encode() + b"\xff" + "본문".encode()

# name -> bytes of the good files; each becomes one article.
GOOD_FILES = {
    "good_utf8.txt": GOOD[0].encode(),
    "good_cp949.txt": as_cp949(GOOD[1]),
    "good_bom.txt": b"\xef\xbb\xbf" + GOOD[2].encode(),
    "rows.csv": CSV_TEXT,
    "lines.jsonl": JSONL_TEXT,
    CP949_NAME: GOOD[6].encode(),
}
GOOD_SOURCES = {  # article_source.source (relative to the batch folder) -> article.doc_id
    "good_utf8.txt": "good_utf8",
    "good_cp949.txt": "good_cp949",
    "good_bom.txt": "good_bom",
    "rows.csv#row 2": "rows#2",
    "lines.jsonl#line 1": "lines#1",
    "lines.jsonl#line 3": "lines#3",
    "광양_특화단지.txt": "광양_특화단지",
}


@dataclass(frozen=True)
class Broken:
    """One broken input: the file, the source the message names, the reason,
    and whether the rejection carries the hash of the file's bytes."""

    name: str
    data: bytes | None  # None: made by `_make_special`
    source: str
    reason: str
    hashed: bool = True


BROKEN = [
    Broken("empty.txt", b"", "empty.txt", "empty file"),
    Broken("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png", "binary file (PNG image), not an article"),
    Broken("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.pdf", "binary file (PDF document), not an article"),
    Broken("articles.zip", _zip_of("기사.txt", GOOD[0].encode()), "articles.zip", "binary file (ZIP archive), not an article"),
    Broken("truncated.xlsx", WHOLE_WORKBOOK[: len(WHOLE_WORKBOOK) // 2], "truncated.xlsx", "Excel file is damaged or truncated"),
    Broken("locked.xlsx", OLE2 + b"\x00" * 16 + "EncryptedPackage".encode("utf-16-le"), "locked.xlsx",
           "Excel file is password-protected; save an unprotected copy and read that"),
    Broken("rows.csv", None, "rows.csv#row 3", 'broken quote: a quoted cell (") that starts on line 3 is never closed', False),
    Broken("lines.jsonl", None, "lines.jsonl#line 2",
           "bad JSON on line 2: Expecting property name enclosed in double quotes (column 2)", False),
    Broken("english.txt", b"Gwangyang city announced a battery cluster plan.\n", "english.txt", "no Korean text found"),
    Broken("undecodable.txt", UNDECODABLE, "undecodable.txt", "cannot decode: not UTF-8 or CP949 (first bad byte at offset 43)"),
    Broken("huge.txt", None, "huge.txt", "file is 25.3 MB, larger than the 20 MB limit (--max-size)", False),
    Broken("pipe.txt", None, "pipe.txt", "not a regular file (device, pipe or socket)", False),
    Broken("dangling.txt", None, "dangling.txt", "no such file or directory", False),
    Broken(BAD_NAME, b"", "\\xff\\xfe_notes.txt", "empty file"),
    *([] if PERMISSIONS is None else [Broken("unreadable.txt", None, "unreadable.txt", "permission denied", False)]),
]


def _make_special(folder: Path, name: str) -> None:
    """The inputs that are not plain bytes: a sparse 25.3 MB file, a named
    pipe, a dangling symlink, a file without read permission."""
    path = folder / name
    if name == "huge.txt":
        with path.open("wb") as handle:
            handle.truncate(int(25.3 * 1024 * 1024))
    elif name == "pipe.txt":
        os.mkfifo(path)
    elif name == "dangling.txt":
        path.symlink_to(folder / "deleted-before-loading.txt")
    elif name == "unreadable.txt":
        write(path, GOOD[0])
        path.chmod(0)


def write_broken_batch(folder: Path) -> None:
    """Every broken case of issue 4 next to the good files, in one folder."""
    for name, data in GOOD_FILES.items():
        write(folder / name, data)
    for case in BROKEN:
        if case.data is not None:
            write(folder / case.name, case.data)
        elif not (folder / case.name).exists():
            _make_special(folder, case.name)


@dataclass(frozen=True)
class BatchRun:
    folder: Path
    db: Path
    load: subprocess.CompletedProcess
    debug: subprocess.CompletedProcess  # `--debug load` of the same folder into a second database
    rejects: subprocess.CompletedProcess


def _run_batch(base: Path) -> dict:
    write_broken_batch(base / "batch")
    obeying = PERMISSIONS or ()
    return {
        "load": result_json(run_etl("load", base / "batch", "--db", sqlite_url(base / "policy.db"), prefix=obeying)),
        "debug": result_json(run_etl("--debug", "load", base / "batch", "--db", sqlite_url(base / "debug.db"),
                                     prefix=obeying)),
        "rejects": result_json(run_etl("rejects", "--db", sqlite_url(base / "policy.db"))),
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> BatchRun:
    base, runs = once_per_session(tmp_path_factory, "broken-batch", _run_batch)
    return BatchRun(base / "batch", base / "policy.db", result_of(runs["load"]), result_of(runs["debug"]),
                    result_of(runs["rejects"]))


def test_broken_batch_exits_1_without_traceback(batch: BatchRun) -> None:
    """Rejections are not errors: exit status 1 and no traceback, with or without --debug."""
    assert (batch.load.returncode, batch.debug.returncode) == (1, 1), batch.load.stderr + batch.debug.stderr
    assert "Traceback" not in batch.load.stderr
    assert "Traceback" not in batch.debug.stderr


def test_broken_batch_prints_one_line_per_rejection_and_a_summary(batch: BatchRun) -> None:
    """stderr is exactly one line per rejected input, then the summary line."""
    expected = sorted(f"{batch.folder / c.source}: {c.reason}" for c in BROKEN)
    lines = stderr_lines(batch.load)
    assert sorted(lines[:-1]) == expected
    assert summary_counts(batch.load) == {
        "read": len(GOOD_SOURCES) + len(BROKEN), "new": len(GOOD_SOURCES), "unchanged": 0, "rejected": len(BROKEN)}


@pytest.mark.parametrize("case", BROKEN, ids=[c.source for c in BROKEN])
def test_each_broken_input_is_named_and_recorded(batch: BatchRun, case: Broken) -> None:
    """The message names the file (and row) and the problem; the database keeps
    the same source and reason, with the hash of the bytes when they were read."""
    source = str(batch.folder / case.source)
    assert f"{source}: {case.reason}" in stderr_lines(batch.load)
    assert f"{source}: {case.reason}" in stderr_lines(batch.debug)
    rows = query(batch.db, "select reason, source_hash, run_id from rejected_input where source = ?", (source,))
    # the bytes on disk: the batch may have been written by another xdist worker, whose workbooks
    # (made at import) carry another creation time than this worker's `case.data`
    data = (batch.folder / case.name).read_bytes() if case.data is not None else b""
    expected_hash = hashlib.sha256(data).hexdigest() if case.hashed else None
    assert rows == [(case.reason, expected_hash, 1)]


@pytest.mark.parametrize(("source", "doc_id"), GOOD_SOURCES.items(), ids=list(GOOD_SOURCES))
def test_good_inputs_in_a_broken_batch_are_loaded(batch: BatchRun, source: str, doc_id: str) -> None:
    rows = query(batch.db, "select a.doc_id from article a join article_source s on s.article_id = a.id "
                           "where s.source = ?", (str(batch.folder / source),))
    assert rows == [(doc_id,)]


def test_nothing_else_is_loaded_or_rejected(batch: BatchRun) -> None:
    assert query(batch.db, "select count(*) from article") == [(len(GOOD_SOURCES),)]
    assert query(batch.db, "select count(*) from rejected_input") == [(len(BROKEN),)]
    assert query(batch.db, "select status, n_read, n_new, n_rejected from etl_run") == [
        ("done", len(GOOD_SOURCES) + len(BROKEN), len(GOOD_SOURCES), len(BROKEN))]


def test_rejects_lists_every_rejection_with_its_reason(batch: BatchRun) -> None:
    assert batch.rejects.returncode == 0, batch.rejects.stderr
    listed = sorted(line.split("\t", 2)[2] for line in batch.rejects.stdout.splitlines())
    assert listed == sorted(f"{batch.folder / c.source}: {c.reason}" for c in BROKEN)
    assert all(line.startswith("run 1\t") for line in batch.rejects.stdout.splitlines())
    assert stderr_lines(batch.rejects) == [f"{len(BROKEN)} rejected inputs"]


# ---------------------------------------------------------------- size limit

def test_max_size_rejects_a_bigger_file_and_loads_the_rest(tmp_path: Path) -> None:
    small = write(tmp_path / "in" / "a_small.txt", "광양시, 이차전지 특화단지 지정 추진\n\n광양시가 이차전지 특화단지 지정을 추진한다고 3일 밝혔다.\n")
    big = write(tmp_path / "in" / "b_big.txt", GOOD[0])
    result = run_etl("load", "--max-size", "0.001", tmp_path / "in", "--db", sqlite_url(tmp_path / "db.sqlite"))
    size = big.stat().st_size
    assert result.returncode == 1, result.stderr
    shown = f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    assert stderr_lines(result)[0] == f"{big}: file is {shown}, larger than the 1 KB limit (--max-size)"
    assert summary_counts(result) == {"read": 2, "new": 1, "unchanged": 0, "rejected": 1}
    assert query(tmp_path / "db.sqlite", "select source from article_source") == [(str(small),)]


# ---------------------------------------------------------------- usage

@pytest.mark.parametrize(
    ("args", "last_line"),
    [
        (["load"], "error: give at least one PATH to load, or --rebuild"),
        (["load", "--rebuild", "x.txt"], "error: --rebuild re-extracts stored articles and takes no PATH"),
        (["load", "x.txt", "--db", "notaurl://x"], "error: Can't load plugin: sqlalchemy.dialects:notaurl"),
        (["rejects", "--db", "notaurl://x"], "error: Can't load plugin: sqlalchemy.dialects:notaurl"),
        (["load", "x.txt", "--max-size", "0"], "python -m etl load: error: argument --max-size: the size limit must be positive"),
        (["load", "x.txt", "--max-size", "big"], "python -m etl load: error: argument --max-size: not a number of megabytes: 'big'"),
        (["frobnicate"], "python -m etl: error: argument COMMAND: invalid choice: 'frobnicate' "
                         "(choose from 'extract', 'load', 'rejects', 'db', 'corrections', 'export', 'fetch', 'watch', 'digest', 'watchlist')"),
        ([], "python -m etl: error: the following arguments are required: COMMAND"),
        (["db"], "python -m etl db: error: the following arguments are required: ACTION"),
    ],
    ids=["load-no-path", "rebuild-with-path", "load-bad-url", "rejects-bad-url", "max-size-zero", "max-size-nan",
         "unknown-command", "no-command", "db-no-action"],
)
def test_usage_errors_exit_2(args: list[str], last_line: str) -> None:
    result = run_etl(*args)
    assert result.returncode == 2
    assert stderr_lines(result)[-1] == last_line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["--debug", "load", "x.txt", "--db", "notaurl://x"], ["load", "x.txt", "--debug", "--db", "notaurl://x"],
     ["db", "upgrade", "--db", "notaurl://x", "--debug"]],
    ids=["before-command", "after-command", "after-subcommand"],
)
def test_debug_shows_the_traceback_and_keeps_exit_status_2(args: list[str]) -> None:
    """--debug works wherever it is written, and changes only what is shown."""
    result = run_etl(*args)
    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert stderr_lines(result)[-1] == "error: Can't load plugin: sqlalchemy.dialects:notaurl"


@pytest.mark.parametrize(
    "command", [[], ["extract"], ["load"], ["rejects"], ["db"], ["db", "upgrade"], ["export"]],
    ids=["etl", "extract", "load", "rejects", "db", "db-upgrade", "export"],
)
def test_help_for_every_command(command: list[str]) -> None:
    result = run_etl(*command, "--help")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(f"usage: {' '.join(['python -m etl', *command])}")


# ---------------------------------------------------------------- extract

def test_extract_prints_one_gold_record_per_article(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    sample = sorted(SAMPLE.glob("*.txt"))[:2]
    for path in sample:
        write(folder / path.name, path.read_bytes())
    write(folder / "zz_english.txt", "No Korean here.\n")
    result = run_etl("extract", folder)
    assert result.returncode == 1
    assert stderr_lines(result) == [f"{folder / 'zz_english.txt'}: no Korean text found"]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in sample]
    assert all(GOLD_KEYS <= r.keys() for r in records)
    first = records[0]
    assert (first["published"], first["sido"], first["sigungu"], first["industries"]) == (
        "2024-06-04", ["전라남도"], ["전라남도 광양시"], ["이차전지"])


# ---------------------------------------------------------------- duplicates, and loading twice

DUP = corpus_texts(6, seed=402)


def _second_outlet(text: str) -> str:
    """The same article as another outlet prints it: its own menu, headline,
    byline, dateline and copyright line around the same body text."""
    _, _, body = parts(text)
    lead = body[0].partition(" 기자 = ")[2]
    return "\n\n".join([
        "HOME > 뉴스 > 지역경제", "[지역일보] " + parts(text)[0], "김민수 기자 / 입력 2025.01.17 18:00",
        "[지역=지역일보] 김민수 기자 = " + lead, *body[1:], "김민수 기자 kim@jiyeok.example",
        "<저작권자 ⓒ 지역일보, 무단전재 및 재배포 금지>",
    ]) + "\n"


def _corrected(text: str) -> list[str]:
    """The body after the outlet corrected a figure: a different text, the same URL."""
    _, _, body = parts(text)
    return [*body[:-1], body[-1] + " (기사 수정: 사업비 표기 정정)"]


DUP_FILES = {
    "same_a.txt": DUP[0].encode(),
    "same_b.csv": csv_bytes([["제목", "본문", "언론사"], [parts(DUP[0])[0], "\n".join(parts(DUP[0])[2]), "경제타임즈"]]),
    "outlet_a.txt": DUP[1].encode(),
    "outlet_b.txt": _second_outlet(DUP[1]).encode(),
    "url_a.html": html_page(parts(DUP[2])[0], parts(DUP[2])[2], "https://news.example.kr/1", "남도신문", "2025-01-17").encode(),
    "url_b.html": html_page(parts(DUP[2])[0], _corrected(DUP[2]), "https://news.example.kr/1", "남도신문", "2025-01-17").encode(),
    "urls.csv": csv_bytes([["제목", "본문", "링크"],
                           [parts(DUP[3])[0], "\n".join(parts(DUP[3])[2]), "https://news.example.kr/2"],
                           [parts(DUP[3])[0], "\n".join(_corrected(DUP[3])), "https://news.example.kr/2"]]),
    "z_cp949.txt": as_cp949(DUP[4]),
    "z_lines.jsonl": (json.dumps({"제목": parts(DUP[4])[0], "본문": "\n".join(parts(DUP[4])[2])}, ensure_ascii=False)
                      + "\n").encode(),
}
# Each group is one article; the URL groups differ in text (a correction), so only the URL joins them.
DUP_GROUPS = {
    "txt-and-csv-row": ["same_a.txt", "same_b.csv#row 2"],
    "two-outlets-same-body": ["outlet_a.txt", "outlet_b.txt"],
    "two-pages-same-url": ["url_a.html", "url_b.html"],
    "two-csv-rows-same-url": ["urls.csv#row 2", "urls.csv#row 3"],
    "cp949-txt-and-jsonl": ["z_cp949.txt", "z_lines.jsonl#line 1"],
}


@dataclass(frozen=True)
class TwiceRun:
    folder: Path
    db: Path
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess
    counts_first: dict[str, int]
    counts_second: dict[str, int]


def _load_twice(base: Path) -> dict:
    for name, data in DUP_FILES.items():
        write(base / "in" / name, data)
    url = sqlite_url(base / "policy.db")
    first = run_etl("load", base / "in", "--db", url)
    counts_first = table_counts(base / "policy.db")
    second = run_etl("load", base / "in", "--db", url)
    return {"first": result_json(first), "second": result_json(second), "counts_first": counts_first,
            "counts_second": table_counts(base / "policy.db")}


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> TwiceRun:
    base, runs = once_per_session(tmp_path_factory, "load-twice", _load_twice)
    return TwiceRun(base / "in", base / "policy.db", result_of(runs["first"]), result_of(runs["second"]),
                    runs["counts_first"], runs["counts_second"])


@pytest.mark.parametrize("group", DUP_GROUPS.values(), ids=list(DUP_GROUPS))
def test_same_article_twice_is_stored_once_with_both_sources(twice: TwiceRun, group: list[str]) -> None:
    sources = [str(twice.folder / s) for s in group]
    rows = query(twice.db, f"select distinct article_id from article_source where source in ({','.join('?' * len(sources))})",
                 tuple(sources))
    assert len(rows) == 1
    stored = query(twice.db, "select source from article_source where article_id = ? order by source", rows[0])
    assert [r[0] for r in stored] == sorted(sources)


def test_first_load_counts_duplicates_as_unchanged(twice: TwiceRun) -> None:
    assert twice.first.returncode == 0, twice.first.stderr
    assert summary_counts(twice.first) == {"read": 10, "new": 5, "unchanged": 5, "rejected": 0}
    assert (twice.counts_first["article"], twice.counts_first["article_source"]) == (5, 10)


def test_loading_twice_changes_nothing(twice: TwiceRun) -> None:
    """The second run reads everything as unchanged and writes only its run row."""
    assert twice.second.returncode == 0, twice.second.stderr
    assert stderr_lines(twice.second)[:-1] == []
    assert summary_counts(twice.second) == {"read": 10, "new": 0, "unchanged": 10, "rejected": 0}
    assert twice.counts_second == {**twice.counts_first, "etl_run": twice.counts_first["etl_run"] + 1}


def test_the_progress_bar_times_from_the_first_article_not_the_warm_up(monkeypatch):
    """The ETA is the rate of articles done; the model's warm-up before the first one is not an article."""
    import io

    from etl import cli

    monkeypatch.setattr(cli.sys, "stderr", io.StringIO())
    clock = iter([100.0, 100.0, 160.0, 160.0, 160.0, 161.0, 161.0, 161.0, 161.0])
    monkeypatch.setattr("tqdm.std.time", lambda: next(clock, 161.0))
    bar = cli.ProgressBar()
    bar(0, 10)
    bar(1, 10)  # 60 s of warm-up before the first article
    started = bar._bar.start_t
    bar(2, 10)
    assert started >= 160.0
    assert bar._bar.format_dict["elapsed"] <= 1.0
    bar.close()
