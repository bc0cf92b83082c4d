"""Watchlists end to end: saved from the command line, refreshed by every load,
read as Atom (feedparser) and as the Markdown digest."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest

from tests.etl.helpers import once_per_session, query
from tests.etl.watchlist_fixture import build, cli, env

BASE = "http://localhost:8501"
GWANGYANG, POHANG = "이차전지 소재 특화단지 조성 사업", "수소환원제철 실증단지 조성"
JN = "region=46&industry=" + quote("이차전지")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    _folder, out = once_per_session(tmp_path_factory, "watchlists", build)
    assert (out["load1"], out["load2"]) == (0, 0)
    return out


def project_id(db: str, name: str) -> int:
    return query(Path(db), "select id from project where name = ?", (name,))[0][0]


def changed_in_last_load(db: str) -> tuple[int, int]:
    """(new projects, new figures of older projects) of the newest load, counted in SQL."""
    path = Path(db)
    run = query(path, "select max(id) from etl_run where n_new > 0")[0][0]
    new_projects = query(path, """select count(*) from (select project_id, min(article_id) a from project_mention group by project_id)
                                  where a in (select id from article where run_id = ?)""", (run,))[0][0]
    new_figures = query(path, """select count(*) from (select dedup_key, min(article_id) a, project_id from amount group by dedup_key) f
                                 where f.a in (select id from article where run_id = ?) and f.project_id in
                                 (select project_id from project_mention group by project_id
                                  having min(article_id) not in (select id from article where run_id = ?))""", (run, run))[0][0]
    return new_projects, new_figures


def test_saving_names_what_it_left_out(built):
    assert built["add"][1].splitlines()[0] == "http://localhost:8501/funding?region=46&industry=이차전지&region=99999: region=99999 names nothing and was left out"
    assert query(Path(built["db"]), "select name, slug, page, query from watchlist order by id") == [
        ("전체", "전체", "", ""), ("전남 이차전지", "전남-이차전지", "funding", JN)]


def test_feed_has_one_entry_per_new_project_or_changed_figure(built):
    feed = feedparser.parse(Path(built["feeds"], "전체.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Policy Radar 관심 목록: 전체"
    assert len(feed.entries) == sum(changed_in_last_load(built["db"])) == 2
    gwangyang, pohang = project_id(built["db"], GWANGYANG), project_id(built["db"], POHANG)
    assert [(e.title, e.link) for e in feed.entries] == [
        (f"새 사업: {POHANG}", f"{BASE}/projects?project={pohang}"),
        (f"{GWANGYANG}: 국비 640억원 → 700억원", f"{BASE}/projects?project={gwangyang}"),
    ]
    assert feed.entries[1].summary == "국비 640억원 → 700억원 · 상태 계획 → 착공"
    assert len({e.id for e in feed.entries}) == 2


def test_feed_of_a_filtered_view_keeps_its_filters_in_the_links(built):
    feed = feedparser.parse(Path(built["feeds"], "전남-이차전지.xml").read_bytes())
    gwangyang = project_id(built["db"], GWANGYANG)
    assert [(e.title, e.link) for e in feed.entries] == [
        (f"{GWANGYANG}: 국비 640억원 → 700억원", f"{BASE}/projects?{JN}&project={gwangyang}")]
    assert feed.feed.link == f"{BASE}/funding?{JN}"


def test_digest_prints_the_same_as_markdown(built):
    result = cli(env(Path(built["feeds"])), "digest", "전체", "--db", built["url"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    gwangyang, pohang = project_id(built["db"], GWANGYANG), project_id(built["db"], POHANG)
    assert lines[0] == "# 관심 목록: 전체"
    assert lines[2].startswith("마지막 적재(") and lines[2].endswith(f"UTC) 이후 · [대시보드에서 보기]({BASE}/)")
    assert lines[4:] == [
        "새 사업 1개, 새로 나오거나 바뀐 금액 1건, 상태 변화 1건", "",
        "## 새 사업", "", f"- [{POHANG}]({BASE}/projects?project={pohang}) · 경상북도 · 계획", "",
        "## 새로 나오거나 바뀐 금액", "", f"- [{GWANGYANG}]({BASE}/projects?project={gwangyang}) · 국비 640억원 → 700억원", "",
        "## 상태 변화", "", f"- [{GWANGYANG}]({BASE}/projects?project={gwangyang}) · 상태 계획 → 착공",
    ]


def test_digest_of_an_unknown_watchlist_is_a_usage_error(built):
    result = cli(env(Path(built["feeds"])), "digest", "없는 목록", "--db", built["url"])
    assert (result.returncode, result.stderr.strip()) == (2, "error: no watchlist named '없는 목록'; saved: 전남 이차전지, 전체")


def test_since_seen_and_a_load_with_nothing_new(built, tmp_path):
    """Copy the database: 'seen' moves, and a load that adds nothing keeps the last load's changes in the feed."""
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(built["db"], db)
    feeds = tmp_path / "feeds"
    environment = env(feeds)
    seen = cli(environment, "digest", "전남 이차전지", "--since", "seen", "--db", f"sqlite:///{db}")
    assert "새 사업 0개, 새로 나오거나 바뀐 금액 1건, 상태 변화 1건" in seen.stdout  # saved before load 2

    from db.engine import make_engine
    from db.watchlists import get, mark_seen

    engine = make_engine(f"sqlite:///{db}")
    mark_seen(engine, get(engine, "전남 이차전지").id)
    engine.dispose()
    seen = cli(environment, "digest", "전남 이차전지", "--since", "seen", "--db", f"sqlite:///{db}")
    assert seen.stdout.splitlines()[-1] == "새로 바뀐 것이 없습니다."

    again = cli(environment, "load", Path(built["db"]).parent / "load2", "--db", f"sqlite:///{db}")
    assert again.returncode == 0, again.stderr
    feed = feedparser.parse((feeds / "전체.xml").read_bytes())
    assert len(feed.entries) == 2  # the newest load that added articles is still the one reported


def test_entry_ids_survive_a_rebuild(built, tmp_path):
    """A rebuild gives projects new ids; a feed reader must not see the same news twice."""
    import shutil

    db = tmp_path / "rebuilt.db"
    shutil.copy(built["db"], db)
    feeds = tmp_path / "feeds"
    rebuilt = cli(env(feeds), "load", "--rebuild", "--db", f"sqlite:///{db}")
    assert rebuilt.returncode == 0, rebuilt.stderr
    before = feedparser.parse(Path(built["feeds"], "전체.xml").read_bytes())
    after = feedparser.parse((feeds / "전체.xml").read_bytes())
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert [e.title for e in after.entries] == [e.title for e in before.entries]
    # made of project keys, not of ids (which PostgreSQL's sequences do not reuse after a rebuild)
    key = query(db, "select key from project where name = ?", (POHANG,))[0][0]
    assert after.entries[0].id == f"tag:policy-radar,2026:watchlist/전체/project/{quote(key)}"
    assert after.entries[1].id.endswith("/national/70000000000")
