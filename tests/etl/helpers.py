"""Plain helpers for the end-to-end tests of `python -m etl`.

The tests run the command line as a subprocess (as users do) against a SQLite
file in the test's own `tmp_path`, generate every input themselves, and read
the database back with `sqlite3` so that the check does not share code with
the loader it checks.
"""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import _places, article  # noqa: E402

T = TypeVar("T")
TIMEOUT = 180
SUMMARY_FIELDS = ("read", "new", "unchanged", "rejected")


# ---------------------------------------------------------------- running the CLI

def etl_env() -> dict[str, str]:
    """The environment for a subprocess: no DATABASE_URL leaking in from outside."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def etl_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "etl", *map(str, args)]


def run_etl(*args: str | Path, prefix: Sequence[str] = (), timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `python -m etl ARGS` from the repository root and wait for it;
    `prefix` is a command the CLI runs under (see `obeying_permissions`)."""
    return subprocess.run([*prefix, *etl_command(*args)], cwd=ROOT, env=etl_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)


def obeying_permissions() -> list[str] | None:
    """A command prefix under which a chmod 000 file cannot be read: none for
    an ordinary user; for root, setpriv without the capabilities that let root
    read anything; None when root has no setpriv."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


def start_etl(*args: str | Path) -> subprocess.Popen[str]:
    """Start `python -m etl ARGS` without waiting (output discarded, so pipes cannot fill)."""
    return subprocess.Popen(etl_command(*args), cwd=ROOT, env=etl_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()


def summary_counts(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    """read/new/unchanged/rejected from the last line `load` prints.

    "5 articles read: 3 new, 1 unchanged, 1 rejected; 8 new projects, 3 amounts; 4.2 s"
    """
    last = stderr_lines(result)[-1]
    match = re.fullmatch(
        r"(\d+) articles? read: (\d+) new, (\d+) unchanged, (\d+) rejected; \d+ new projects?, \d+ amounts?; [\d.]+ s", last
    )
    assert match, f"no summary line at the end of stderr: {last!r}"
    return dict(zip(SUMMARY_FIELDS, map(int, match.groups())))


def poll(condition: Callable[[], T], timeout: float, interval: float = 0.02) -> T:
    """Wait until `condition()` is truthy and return it; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def once_per_session(tmp_path_factory, name: str, build: Callable[[Path], dict]) -> tuple[Path, dict]:
    """Run `build(folder)` once per test session and share its folder and result.

    Under pytest-xdist every worker would otherwise build a module fixture
    again (several CLI runs each); the first worker builds it under a file
    lock in the session's shared temporary folder, the others read its
    result. `build` returns something JSON can hold (see `result_json`).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session
    folder, saved = base / name, base / f"{name}.json"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not saved.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            saved.write_text(json.dumps(build(folder), ensure_ascii=False))
    return folder, json.loads(saved.read_text())


def result_json(result: subprocess.CompletedProcess[str]) -> dict:
    return {"args": result.args, "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def result_of(saved: dict) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(saved["args"], saved["returncode"], saved["stdout"], saved["stderr"])


# ---------------------------------------------------------------- inputs

def corpus_texts(count: int, seed: int) -> list[str]:
    """`count` realistic synthetic articles (bench/corpus.py), in memory."""
    rng = random.Random(seed)
    places = _places()
    return [article(rng, places, n) for n in range(count)]


def as_cp949(text: str) -> bytes:
    """CP949 bytes of an article; © and • are not in CP949, so use what Korean
    Windows pages use instead (ⓒ, ·)."""
    return text.replace("©", "ⓒ").replace("•", "·").encode("cp949")


def parts(text: str) -> tuple[str, str, list[str]]:
    """(title, byline line, body paragraphs) of a `corpus_texts` article; the
    first body paragraph starts with the dateline "[여수=경제타임즈] ... 기자 =".
    """
    blocks = text.rstrip("\n").split("\n\n")
    return blocks[1], blocks[2], blocks[3:-3]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def html_page(title: str, paragraphs: list[str], url: str, outlet: str, published: str) -> str:
    """A saved news page with the meta tags Korean outlets emit."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{title} - {outlet}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}T09:00:00+09:00">
<meta property="og:url" content="{url}">
</head><body><nav><a href="/">홈</a> <a href="/local">지역</a></nav>
<article><h1>{title}</h1>
{body}
</article><footer>Copyright {outlet}. All rights reserved.</footer></body></html>
"""


# ---------------------------------------------------------------- reading the database

@contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits when the block succeeds and is closed after it."""
    connection = sqlite3.connect(db, timeout=30)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def table_counts(db: Path) -> dict[str, int]:
    """Row count of every table; the search index counts as its virtual table
    (its FTS5 shadow tables hold segments whose number depends on merge history)."""
    with connect(db) as connection:
        names = [r[0] for r in connection.execute("select name from sqlite_master where type = 'table' "
                                                  "and name not like 'article\\_fts\\_%' escape '\\' order by name")]
        return {name: connection.execute(f'select count(*) from "{name}"').fetchone()[0] for name in names}


def integrity(db: Path) -> tuple[list[tuple], list[tuple]]:
    """(PRAGMA integrity_check, PRAGMA foreign_key_check); ([('ok',)], []) when sound."""
    with connect(db) as connection:
        return (connection.execute("PRAGMA integrity_check").fetchall(),
                connection.execute("PRAGMA foreign_key_check").fetchall())


# Each fact keyed by what it means, not by row ids: articles by content hash,
# projects by key, so that two databases loaded in different runs compare equal.
SNAPSHOT_QUERIES = {
    "articles": """select a.content_hash, a.doc_id, a.title, a.published, a.outlet, a.reporter, a.url, a.fmt, a.text,
                          a.body_start from article a""",
    "sources": "select a.content_hash, s.source, s.source_hash, s.fmt, s.outlet, s.url from article_source s "
               "join article a on a.id = s.article_id",
    "projects": "select key, name, sido_code, status, first_published, last_published, n_articles from project",
    "amounts": """select a.content_hash, p.key, m.role, m.krw, m.text, m.region_code, m.sido_code, m.year, e.sentence,
                         e.span_start, e.span_end
                  from amount m join article a on a.id = m.article_id left join project p on p.id = m.project_id
                  join evidence e on e.id = m.evidence_id""",
    "periods": """select a.content_hash, p.key, d.start_year, d.end_year, d.text from period d
                  join article a on a.id = d.article_id left join project p on p.id = d.project_id""",
    "jobs": """select a.content_hash, p.key, j.count from jobs j join article a on a.id = j.article_id
               left join project p on p.id = j.project_id""",
    "mentions": """select a.content_hash, p.key, m.name from project_mention m join article a on a.id = m.article_id
                   join project p on p.id = m.project_id""",
    "status_events": """select a.content_hash, p.key, s.status, s.event_date from status_event s
                        join article a on a.id = s.article_id join project p on p.id = s.project_id""",
    "project_regions": "select p.key, r.region_code from project_region r join project p on p.id = r.project_id",
    "project_industries": "select p.key, i.industry from project_industry i join project p on p.id = i.project_id",
    "article_regions": "select a.content_hash, r.region_code, r.score from article_region r "
                       "join article a on a.id = r.article_id",
    "article_industries": "select a.content_hash, i.industry, i.score from article_industry i "
                          "join article a on a.id = i.article_id",
    "evidence": "select a.content_hash, e.sentence, e.span_start, e.span_end from evidence e "
                "join article a on a.id = e.article_id",
    "search_index": "select a.content_hash, f.grams from article_fts f join article a on a.id = f.article_id",
}


def snapshot(db: Path) -> dict[str, Counter]:
    """Everything a user can see in the database, as multisets of id-free rows."""
    with connect(db) as connection:
        return {name: Counter(map(tuple, connection.execute(sql))) for name, sql in SNAPSHOT_QUERIES.items()}


PROJECT_TABLES = ("projects", "project_regions", "project_industries")


def by_article(snap: dict[str, Counter]) -> dict[str, dict[str, Counter]]:
    """The snapshot's article-level rows grouped by article (their first column
    is the article's content hash); project-level tables are left out."""
    grouped: dict[str, dict[str, Counter]] = {}
    for name, rows in snap.items():
        if name in PROJECT_TABLES:
            continue
        for row, n in rows.items():
            grouped.setdefault(row[0], {}).setdefault(name, Counter())[row] += n
    return grouped


def diff(left: dict[str, Counter], right: dict[str, Counter]) -> dict[str, tuple[int, int]]:
    """Per table, how many rows only one side has: {} when the snapshots are equal."""
    out = {}
    for name in left.keys() | right.keys():
        mine, theirs = left.get(name, Counter()), right.get(name, Counter())
        only_left, only_right = mine - theirs, theirs - mine
        if only_left or only_right:
            out[name] = (sum(only_left.values()), sum(only_right.values()))
    return out
