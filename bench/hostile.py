"""Hostile inputs for the readers, and what reading each one costs.

    .venv/bin/python -m bench.hostile [--out DIR]

builds files shaped like those of the security probe in issue 9 (a workbook
declaring every cell of a sheet, one of 2,000,000 rows, a ZIP bomb, a JSON
line of 3,000 nested arrays, a 182,000-character CSV cell), then runs
`python -m etl extract` on each in its own process and prints the exit
status, the seconds, the peak memory and the message. The builders are
also used by tests/etl/test_limits.py at smaller sizes.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
TITLE = "광양시, 이차전지 특화단지 지정 추진"
BODY = "광양시가 이차전지 특화단지 지정을 추진한다고 3일 밝혔다. 사업비는 총 3,000억원 규모다."

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def workbook(rows_xml: str, dimension: str = "A1:B2", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .xlsx whose first sheet holds `rows_xml` (the <row> elements)
    and declares `dimension`; `extra` adds parts (for a ZIP bomb)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def header_and_article(body: str = BODY) -> str:
    return (f'<row r="1">{_cell("A1", "제목")}{_cell("B1", "본문")}</row>'
            f'<row r="2">{_cell("A2", TITLE)}{_cell("B2", body)}</row>')


def good_workbook() -> bytes:
    """One article under a 제목/본문 header (what the hostile ones are compared with)."""
    return workbook(header_and_article(BODY.replace("3일", "5일")))


def declares_every_cell() -> bytes:
    """Two rows of text, but a dimension claiming all 17 billion cells of a sheet."""
    return workbook(header_and_article(), dimension="A1:XFD1048576")


def far_cell() -> bytes:
    """A header, one article and a single cell in the very last row and column."""
    return workbook(header_and_article() + '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>',
                    dimension="A1:XFD1048576")


def many_rows(n: int) -> bytes:
    """A header and then `n` rows of one number each (2,000,000 rows pack into ~3 MB)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, n + 2))
    return workbook(f'<row r="1">{_cell("A1", "본문")}</row>' + rows, dimension=f"A1:A{n + 1}")


def wide_row(columns: int) -> bytes:
    """A header row with `columns` cells: a sheet as wide as Excel allows."""
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(i)}1" t="n"><v>{i}</v></c>' for i in range(1, columns + 1))
    return workbook(f'<row r="1">{cells}</row>', dimension=f"A1:{get_column_letter(columns)}1")


def zip_bomb(unpacked: int) -> bytes:
    """A valid workbook with one extra part of `unpacked` zero bytes (compresses ~1000:1),
    written in chunks so that building it does not take `unpacked` bytes of memory."""
    buffer = io.BytesIO(workbook(header_and_article()))
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            for start in range(0, unpacked, len(chunk)):
                part.write(chunk[: unpacked - start])
    return buffer.getvalue()


def nested_jsonl(depth: int) -> bytes:
    """A good article line, then one line of `depth` nested arrays, then another good line."""
    good = json.dumps({"title": TITLE, "body": BODY.replace("3일", "6일")}, ensure_ascii=False)
    return "\n".join([good, "[" * depth + "]" * depth, good.replace("6일", "4일")]).encode()


def long_csv(characters: int) -> bytes:
    """A valid CSV whose one body cell, quoted and with commas and newlines, is `characters` long."""
    unit = BODY + ' "인용" 문장, 그리고\n'
    body = (unit * (characters // len(unit) + 1))[:characters]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["제목", "본문"], [TITLE, body]])
    return buffer.getvalue().encode()


CASES = {
    "good.xlsx": good_workbook,
    "declares_every_cell.xlsx": declares_every_cell,
    "far_cell.xlsx": far_cell,
    "rows_2000000.xlsx": lambda: many_rows(2_000_000),
    "wide_16384.xlsx": lambda: wide_row(16_384),
    "zip_bomb.xlsx": lambda: zip_bomb(1024 * 1024 * 1024),
    "nested_3000.jsonl": lambda: nested_jsonl(3000),
    "long_cell_182000.csv": lambda: long_csv(182_000),
}


def measure(path: Path) -> tuple[int, float, float, str]:
    """(exit status, seconds, peak MB, stderr) of `python -m etl extract PATH` in a fresh process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "etl", "extract", str(path)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the maximum over all
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip()
    return child.returncode, seconds, usage.ru_maxrss / 1024, message


def build(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, builder in CASES.items():
        (folder / name).write_bytes(builder())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="keep the files in this folder (default: a temporary one)")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="hostile-"))
    if args.build_only:
        build(folder)
        return
    # Built in another process: a child's peak memory starts at its parent's size when it forks.
    subprocess.run([sys.executable, "-m", "bench.hostile", "--build-only", "--out", str(folder)], cwd=ROOT, check=True)
    print(f"{'file':<26}{'size':>10}{'exit':>6}{'seconds':>9}{'peak MB':>9}  message")
    for name in CASES:
        path = folder / name
        status, seconds, peak, message = measure(path)
        shown = message.splitlines()[0].removeprefix(f"{path}: ") if message else ""
        print(f"{name:<26}{os.path.getsize(path):>10}{status:>6}{seconds:>9.1f}{peak:>9.0f}  {shown}")


if __name__ == "__main__":
    main()
