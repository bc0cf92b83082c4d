"""Errors by kind: one input's failure is a rejection of that input (a bug says so),
the rest of the batch loads; whatever escapes a command is one line and its exit status.

The CLI runs in-process here (`etl.cli.main`) so that a bug can be injected with monkeypatch.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy.exc

from etl import cli
from etl.errors import Bug, ConfigurationError, DatabaseError
from etl.readers.webpage import HtmlReader
from tests.etl.helpers import corpus_texts, csv_bytes, html_page, parts, query, write

TEXTS = corpus_texts(3, seed=77)


def _one_line(text: str) -> tuple[str, str]:
    title, _, body = parts(text)
    return title, " ".join(body)


def _workbook(title: str, body: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["제목", "본문"])
    book.active.append([title, body])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder with one saved web page, one CSV and one Excel workbook, one article each."""
    folder = tmp_path / "inbox"
    title, _, body = parts(TEXTS[0])
    write(folder / "page.html", html_page(title, body, "https://news.example/1", "한빛경제", "2024-06-04"))
    write(folder / "rows.csv", csv_bytes([["제목", "일자", "본문"], [*_one_line(TEXTS[1])[:1], "2024-06-05", _one_line(TEXTS[1])[1]]]))
    write(folder / "book.xlsx", _workbook(*_one_line(TEXTS[2])))
    return folder


def _load(tmp_path: Path, *args: str) -> tuple[int, Path]:
    db = tmp_path / "db.sqlite"
    return cli.main(["load", "--no-progress", "--db", f"sqlite:///{db}", *args]), db


def _sources(db: Path) -> list[str]:
    return sorted(Path(s).name for (s,) in query(db, "select source from article_source"))


def test_a_folder_of_html_csv_and_xlsx_loads_every_file(tmp_path, mixed, capsys):
    status, db = _load(tmp_path, str(mixed))
    err = capsys.readouterr().err.splitlines()
    assert status == 0, err
    assert _sources(db) == ["book.xlsx#row 2", "page.html", "rows.csv#row 2"]
    assert err == [line for line in err if "articles read: 3 new, 0 unchanged, 0 rejected" in line]


def test_a_bug_in_one_reader_rejects_that_file_only(tmp_path, mixed, capsys, monkeypatch):
    def broken(self, item):
        raise KeyError("og:title")
        yield  # a generator, as readers are

    monkeypatch.setattr(HtmlReader, "read", broken)
    status, db = _load(tmp_path, str(mixed))
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    reason = "bug while reading (KeyError: 'og:title'); please report it, --debug shows the traceback"
    assert err[0] == f"{mixed / 'page.html'}: {reason}"
    assert "3 articles read: 2 new, 0 unchanged, 1 rejected" in err[-1] and len(err) == 2
    assert _sources(db) == ["book.xlsx#row 2", "rows.csv#row 2"]
    assert query(db, "select source, reason from rejected_input") == [(str(mixed / "page.html"), reason)]


def test_debug_prints_the_traceback_of_a_bug(tmp_path, mixed, capsys, monkeypatch):
    def broken(self, item):
        raise KeyError("og:title")
        yield

    monkeypatch.setattr(HtmlReader, "read", broken)
    status, _db = _load(tmp_path, "--debug", str(mixed))
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback (most recent call last)" in err and 'raise KeyError("og:title")' in err


def test_a_missing_module_rejects_the_file_as_configuration_not_as_a_bug(tmp_path, mixed, capsys, monkeypatch):
    def missing(self, item):
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")
        yield

    monkeypatch.setattr(HtmlReader, "read", missing)
    status, db = _load(tmp_path, str(mixed))
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0] == (f"{mixed / 'page.html'}: cannot be read while reading: a required module is missing "
                      "(ImportError: lxml.html.clean module is now a separate project lxml_html_clean); install requirements.txt")
    assert _sources(db) == ["book.xlsx#row 2", "rows.csv#row 2"]


@pytest.mark.parametrize(("target", "stage"), [("etl.pipeline.extract", "extracting"), ("etl.pipeline.clean", "cleaning"),
                                               ("etl.writer.write_facts", "storing")])
def test_a_bug_in_one_article_at_any_stage_costs_only_that_article(tmp_path, mixed, capsys, monkeypatch, target, stage):
    import importlib

    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    real = getattr(module, name)

    def fails_on_csv(*args, **kwargs):
        if any("rows.csv" in str(getattr(getattr(a, "article", a), "source", "")) for a in args):
            raise ZeroDivisionError("division by zero")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, fails_on_csv)
    status, db = _load(tmp_path, str(mixed))
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0] == (f"{mixed / 'rows.csv'}#row 2: bug while {stage} (ZeroDivisionError: division by zero); "
                      "please report it, --debug shows the traceback")
    assert _sources(db) == ["book.xlsx#row 2", "page.html"]
    assert query(db, "select count(*) from article") == [(2,)]


def _raises(exc: Exception):
    def fail(*_args, **_kwargs):
        raise exc
    return fail


PERMISSION = sqlalchemy.exc.ProgrammingError(
    "INSERT INTO etl_run (command, extractor_version) VALUES (%(command)s, %(extractor_version)s)",
    {"command": "load"}, Exception("permission denied for table etl_run\nDETAIL: viewer role"))


@pytest.mark.parametrize(("exc", "line", "status"), [
    (PERMISSION, "error: database: permission denied for table etl_run", DatabaseError.exit_status),
    (sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("unable to open database file")),
     "error: database: unable to open database file", DatabaseError.exit_status),
    (ZeroDivisionError("division by zero"),
     "error: bug in Policy Radar, please report it: ZeroDivisionError: division by zero (run with --debug for the traceback)",
     Bug.exit_status),
    (ConfigurationError("data/vocab: no roles.toml"), "error: data/vocab: no roles.toml", ConfigurationError.exit_status),
])
def test_what_escapes_a_command_is_one_line_and_its_exit_status(tmp_path, capsys, monkeypatch, exc, line, status):
    monkeypatch.setattr("etl.load.start_run", _raises(exc))
    assert _load(tmp_path, str(tmp_path))[0] == status
    assert capsys.readouterr().err.splitlines() == [line]


def test_exit_statuses_are_distinct_per_kind():
    assert (cli.EXIT_OK, cli.EXIT_REJECTED, cli.EXIT_USAGE, cli.EXIT_DATABASE, cli.EXIT_BUG) == (0, 1, 2, 3, 4)


def test_export_errors_are_configuration_errors_not_the_clis():
    from etl.export import ExportError

    assert issubclass(ExportError, ConfigurationError) and not issubclass(ExportError, cli.UsageError)


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "1 article read: 1 new, 0 unchanged, 0 rejected; "),
    ("ko", "기사 1건 읽음: 신규 1, 변경 없음 0, 거부 0; "),
])
def test_summary_in_english_or_korean_with_singulars(tmp_path, capsys, monkeypatch, lang, line):
    monkeypatch.setenv("POLICY_RADAR_LANG", lang)
    path = write(tmp_path / "one.txt", TEXTS[0])
    assert _load(tmp_path, str(path))[0] == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith(line)


@pytest.mark.parametrize(("env", "lang"), [({"POLICY_RADAR_LANG": "ko"}, "ko"), ({"LANG": "ko_KR.UTF-8"}, "ko"),
                                           ({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"), ({}, "en")])
def test_language_from_setting_or_locale(monkeypatch, env, lang):
    from etl import messages

    for name in ("POLICY_RADAR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert messages.language() == lang


def test_a_missing_vocabulary_stops_the_run_as_configuration(tmp_path, capsys, monkeypatch):
    """A broken data file would fail every input: one line, exit 2, not one rejection per article."""
    from etl import extract, industries

    empty = tmp_path / "vocab"
    empty.mkdir()
    monkeypatch.setenv("POLICY_RADAR_VOCAB", str(empty))
    for cached in (extract.load_resources, industries.load_taxonomy):
        cached.cache_clear()
    monkeypatch.setattr("etl.pipeline._ANALYZER", None)
    try:
        path = write(tmp_path / "one.txt", TEXTS[0])
        assert _load(tmp_path, str(path))[0] == ConfigurationError.exit_status
        assert capsys.readouterr().err.splitlines() == [f"error: {empty / 'industries.toml'}: data file is missing"]
    finally:
        for cached in (extract.load_resources, industries.load_taxonomy):
            cached.cache_clear()


def test_a_bug_in_one_article_of_a_rebuild_rolls_back_that_article_only(tmp_path, mixed, capsys, monkeypatch):
    status, db = _load(tmp_path, str(mixed))
    assert status == 0
    facts = dict(query(db, "select a.doc_id, count(e.id) from article a left join evidence e on e.article_id = a.id group by a.doc_id"))
    assert all(facts.values()), facts
    import etl.writer

    real = etl.writer.write_facts

    def fails_on_csv(conn, article_id, ex, cache):
        if ex.article.doc_id.startswith("rows"):
            real(conn, article_id, ex, cache)  # half written, then the bug: the savepoint must undo it
            raise ZeroDivisionError("division by zero")
        return real(conn, article_id, ex, cache)

    monkeypatch.setattr(etl.writer, "write_facts", fails_on_csv)
    capsys.readouterr()
    assert cli.main(["load", "--rebuild", "--no-progress", "--db", f"sqlite:///{db}"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(": bug while storing (ZeroDivisionError: division by zero); please report it, --debug shows the traceback")
    assert "3 articles read: 2 new, 0 unchanged, 1 rejected" in err[-1]
    after = dict(query(db, "select a.doc_id, count(e.id) from article a left join evidence e on e.article_id = a.id group by a.doc_id"))
    assert after == {**facts, "rows#2": 0}
