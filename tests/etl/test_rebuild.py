"""`python -m etl load --rebuild` re-derives every fact from the stored raw
text, without the original files (issue 4).

The rules cannot be changed across processes, so the test damages the derived
data instead (facts deleted, a project renamed, cleaned text overwritten),
moves the input files away, rebuilds, and expects exactly what the fresh load
stored: the same articles under the same ids, and the same facts.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import (
    ROOT,
    connect,
    corpus_texts,
    csv_bytes,
    diff,
    html_page,
    integrity,
    parts,
    query,
    run_etl,
    snapshot,
    sqlite_url,
    summary_counts,
    table_counts,
    write,
)

EXTRA = corpus_texts(3, seed=403)
ARTICLE_IDS = "select id, doc_id, content_hash, fmt, published from article order by id"

# Damage to what extraction derived; the rebuild must undo every one.
DAMAGE = [
    "delete from amount",
    "delete from period",
    "update project set name = '망가진 사업', key = '00:망가진 사업' where id = (select min(id) from project)",
    "update article set text = '', title = '', published = null, outlet = null",
    "delete from article_fts",
]


def write_inputs(folder: Path) -> int:
    """The sample articles plus a CSV with dated rows and a web page with meta
    tags, whose stated metadata the rebuild must keep; returns the article count."""
    samples = sorted((ROOT / "data" / "sample").glob("*.txt"))
    for path in samples:
        write(folder / path.name, path.read_bytes())
    rows = [[parts(t)[0], day, "\n".join(parts(t)[2]), "충청로컬"] for t, day in zip(EXTRA[:2], ["2023.03.02", "2023년 4월 5일"])]
    write(folder / "rows.csv", csv_bytes([["제목", "일자", "본문", "언론사"], *rows]))
    write(folder / "page.html", html_page(parts(EXTRA[2])[0], parts(EXTRA[2])[2], "https://news.example.kr/9", "남도신문",
                                          "2022-11-30"))
    return len(samples) + 3


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("rebuild")
    folder, db = base / "in", base / "policy.db"
    count = write_inputs(folder)
    load = run_etl("load", folder, "--db", sqlite_url(db))
    assert load.returncode == 0, load.stderr
    before = {"snapshot": snapshot(db), "ids": query(db, ARTICLE_IDS), "counts": table_counts(db)}
    with connect(db) as connection:
        for statement in DAMAGE:
            connection.execute(statement)
    folder.rename(base / "moved-away")
    result = run_etl("load", "--rebuild", "--db", sqlite_url(db))
    return {"count": count, "db": db, "result": result, "before": before}


def test_rebuild_succeeds_without_the_original_files(rebuilt: dict) -> None:
    result = rebuilt["result"]
    assert result.returncode == 0, result.stderr
    assert summary_counts(result)["read"] == rebuilt["count"]
    assert summary_counts(result)["rejected"] == 0
    assert query(rebuilt["db"], "select command, status, n_read from etl_run order by id") == [
        ("load", "done", rebuilt["count"]), ("rebuild", "done", rebuilt["count"])]


def test_rebuild_keeps_article_ids_and_stated_metadata(rebuilt: dict) -> None:
    ids = query(rebuilt["db"], ARTICLE_IDS)
    assert ids == rebuilt["before"]["ids"]
    assert [(doc_id, published) for _, doc_id, _, fmt, published in ids if fmt != "text"] == [
        ("page", "2022-11-30"), ("rows#2", "2023-03-02"), ("rows#3", "2023-04-05")]


def test_rebuild_restores_every_fact(rebuilt: dict) -> None:
    after = snapshot(rebuilt["db"])
    assert diff(after, rebuilt["before"]["snapshot"]) == {}
    assert sum(after["amounts"].values()) > 0 and sum(after["projects"].values()) > 0
    assert integrity(rebuilt["db"]) == ([("ok",)], [])


def test_rebuild_leaves_row_counts_as_a_fresh_load(rebuilt: dict) -> None:
    counts = table_counts(rebuilt["db"])
    assert counts == {**rebuilt["before"]["counts"], "etl_run": 2}
