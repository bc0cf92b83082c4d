"""Names and folders of inputs: names shown escaped in every message, linked
folders followed once, loops reported instead of skipped without a word."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.readers import display_path, escape_controls, read_paths
from etl.records import Document, Rejection

ARTICLE = "광양시, 이차전지 특화단지 지정 추진\n\n광양시가 이차전지 특화단지 지정을 추진한다고 3일 밝혔다.\n"


def outcome(records: list[Document | Rejection]) -> list[tuple[str, str]]:
    return [(r.source, r.reason if isinstance(r, Rejection) else "document") for r in records]


@pytest.mark.parametrize(("name", "shown"), [
    ("a\nb.txt", "a\\nb.txt"),
    ("a\rb.txt", "a\\rb.txt"),
    ("tab\there.txt", "tab\\there.txt"),
    ("\x1b[31mred\x1b[0m.txt", "\\x1b[31mred\\x1b[0m.txt"),
    ("bell\x07.txt", "bell\\x07.txt"),
    ("del\x7f.txt", "del\\x7f.txt"),
    ("csi\x9b2J.txt", "csi\\x9b2J.txt"),
    ("txt.\u202eexe.txt", "txt.\\u202eexe.txt"),
    ("line\u2028sep.txt", "line\\u2028sep.txt"),
    ("광양 특화단지 (최종).txt", "광양 특화단지 (최종).txt"),
    ("전각\u3000공백.txt", "전각\u3000공백.txt"),
], ids=["newline", "cr", "tab", "ansi", "bell", "del", "c1-csi", "rtl-override", "line-separator", "korean", "ideographic-space"])
def test_control_characters_in_names_are_escaped(name: str, shown: str) -> None:
    assert escape_controls(name) == shown
    assert display_path(f"/in/{name}") == f"/in/{shown}"


def test_a_name_neither_utf8_nor_clean_is_escaped_both_ways() -> None:
    import os

    assert display_path(os.fsdecode(b"/in/\xff\n.txt")) == "/in/\\xff\\n.txt"


def test_messages_for_files_with_control_characters_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty\nname.txt").write_bytes(b"")
    (tmp_path / "\x1b]0;owned\x07.txt").write_text("no Korean here\n")
    (tmp_path / "good\r.txt").write_text(ARTICLE)
    records = outcome(list(read_paths([str(tmp_path)])))
    assert records == [
        (f"{tmp_path}/\\x1b]0;owned\\x07.txt", "no Korean text found"),
        (f"{tmp_path}/empty\\nname.txt", "empty file"),
        (f"{tmp_path}/good\\r.txt", "document"),
    ]
    assert all(source.isprintable() for source, _ in records)


# ---------------------------------------------------------------- linked folders

@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """in/a.txt, in/sub/loop -> in (a loop), in/link -> other, in/twin -> other (the same folder again)."""
    inbox, other = tmp_path / "in", tmp_path / "other"
    (inbox / "sub").mkdir(parents=True)
    other.mkdir()
    (inbox / "a.txt").write_text(ARTICLE)
    (other / "b.txt").write_text(ARTICLE.replace("3일", "4일"))
    (inbox / "sub" / "loop").symlink_to(inbox, target_is_directory=True)
    (inbox / "link").symlink_to(other, target_is_directory=True)
    (inbox / "twin").symlink_to(other, target_is_directory=True)
    return inbox


def test_linked_folders_are_followed_once_and_loops_are_reported(linked: Path) -> None:
    assert outcome(list(read_paths([str(linked)]))) == [
        (f"{linked}/sub/loop", f"link to a folder that contains it (a loop: {linked}); not followed"),
        (f"{linked}/twin", f"link to a folder already read as {linked}/link; not followed"),
        (f"{linked}/a.txt", "document"),
        (f"{linked}/link/b.txt", "document"),
    ]


def test_a_link_to_itself_is_a_loop(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "self").symlink_to(".", target_is_directory=True)
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    assert outcome(list(read_paths([str(tmp_path / "in")]))) == [
        (f"{tmp_path}/in/self", f"link to a folder that contains it (a loop: {tmp_path}/in); not followed"),
        (f"{tmp_path}/in/a.txt", "document"),
    ]


def test_a_real_folder_reached_first_through_a_link_is_read_once(tmp_path: Path) -> None:
    """in/a_link -> in/z/deep: the link comes first in name order, the real folder is then a repeat."""
    (tmp_path / "in" / "z" / "deep").mkdir(parents=True)
    (tmp_path / "in" / "z" / "deep" / "b.txt").write_text(ARTICLE)
    (tmp_path / "in" / "a_link").symlink_to(tmp_path / "in" / "z" / "deep", target_is_directory=True)
    inbox = tmp_path / "in"
    assert outcome(list(read_paths([str(inbox)]))) == [
        (f"{inbox}/z/deep", f"folder already read through the link {inbox}/a_link; not read again"),
        (f"{inbox}/a_link/b.txt", "document"),
    ]


def test_load_names_every_input_on_one_line_and_records_loops(linked: Path, tmp_path: Path) -> None:
    from tests.etl.helpers import query, run_etl, sqlite_url, stderr_lines

    (linked / "bad\nname.txt").write_bytes(b"")
    db = tmp_path / "policy.db"
    result = run_etl("load", linked, "--db", sqlite_url(db))
    expected = [
        f"{linked}/sub/loop: link to a folder that contains it (a loop: {linked}); not followed",
        f"{linked}/twin: link to a folder already read as {linked}/link; not followed",
        f"{linked}/bad\\nname.txt: empty file",
    ]
    assert result.returncode == 1, result.stderr
    assert stderr_lines(result)[:-1] == expected
    assert query(db, "select source || ': ' || reason from rejected_input order by id") == [(e,) for e in expected]
    assert sorted(query(db, "select source from article_source")) == [(f"{linked}/a.txt",), (f"{linked}/link/b.txt",)]
