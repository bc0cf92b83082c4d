"""`python -m etl export` as users run it: unusable --out values are one-line
errors (exit 2) and an existing file is replaced only with --force."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.etl.helpers import ROOT, run_etl, sqlite_url, stderr_lines


@pytest.fixture
def db(tmp_path: Path) -> str:
    """An empty database at the current schema (the tables' contents are tests/db/test_export.py's)."""
    from db.engine import make_engine
    from db.schema import ensure_schema

    url = sqlite_url(tmp_path / "policy.db")
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    return url


def test_an_empty_out_is_refused(db: str, tmp_path: Path) -> None:
    before = sorted(ROOT.iterdir())  # the folder the command runs in
    result = run_etl("export", "--out", "", "--db", db)
    assert (result.returncode, stderr_lines(result)) == (
        2, ["error: --out is empty: give a folder for CSV files or a file name ending in .xlsx"])
    assert sorted(ROOT.iterdir()) == before


def test_an_existing_workbook_needs_force(db: str, tmp_path: Path) -> None:
    out = tmp_path / "정책 현황.xlsx"
    first = run_etl("export", "--out", out, "--db", db)
    assert (first.returncode, stderr_lines(first)) == (0, [str(out)])
    out.write_bytes(b"edited by hand")
    again = run_etl("export", "--out", out, "--db", db)
    assert (again.returncode, stderr_lines(again)) == (
        2, [f"error: {out} already exists: give another --out, or --force to overwrite"])
    assert out.read_bytes() == b"edited by hand"
    forced = run_etl("export", "--out", out, "--force", "--db", db)
    assert (forced.returncode, stderr_lines(forced)) == (0, [str(out)])
    assert out.read_bytes().startswith(b"PK")


def test_an_out_name_with_a_newline_is_shown_escaped(db: str, tmp_path: Path) -> None:
    out = tmp_path / "bad\nname.csv"
    result = run_etl("export", "--out", out, "--db", db)
    assert (result.returncode, stderr_lines(result)) == (
        2, [f"error: {tmp_path}/bad\\nname.csv: give a folder for CSV files or a file name ending in .xlsx"])


def test_written_paths_are_shown_escaped(db: str, tmp_path: Path) -> None:
    out = tmp_path / "esc\x1b[2J"
    result = run_etl("export", "--out", out, "--db", db)
    assert (result.returncode, stderr_lines(result)) == (
        0, [f"{tmp_path}/esc\\x1b[2J/{name}.csv" for name in ("projects", "amounts", "periods", "jobs", "excluded_amounts")])
    assert sorted(p.name for p in out.iterdir()) == ["amounts.csv", "excluded_amounts.csv", "jobs.csv", "periods.csv", "projects.csv"]
