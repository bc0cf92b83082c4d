"""The 관심 목록 page under AppTest, on the database of tests/etl/watchlist_fixture.py."""
from __future__ import annotations

import pytest

from tests.etl.helpers import once_per_session, query
from tests.etl.watchlist_fixture import build

PAGE = "pages/watchlists.py"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    _folder, out = once_per_session(tmp_path_factory, "watchlists", build)
    return out


def test_each_watchlist_shows_what_is_new(app_on, built):
    from pathlib import Path

    at = app_on(built["url"], page=PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.subheader] == ["전남 이차전지", "전체"]
    labels = [t.label for t in at.tabs]
    # 전남 이차전지 was saved after load 1, so since-seen equals since-last-load; 전체 likewise
    assert labels == ["마지막 적재 이후 · 새 사업 0개 · 금액 1건 · 상태 1건", "마지막 확인 이후 · 새 사업 0개 · 금액 1건 · 상태 1건",
                      "마지막 적재 이후 · 새 사업 1개 · 금액 1건 · 상태 1건", "마지막 확인 이후 · 새 사업 1개 · 금액 1건 · 상태 1건"]
    db = Path(built["db"])
    gwangyang = query(db, "select id from project where name = '이차전지 소재 특화단지 조성 사업'")[0][0]
    links = [(e.proto.label, e.proto.query_string) for e in at.main.get("page_link")]
    assert ("금액 · 이차전지 소재 특화단지 조성 사업 · 국비 640억원 → 700억원",
            f"region=46&industry=%EC%9D%B4%EC%B0%A8%EC%A0%84%EC%A7%80&project={gwangyang}") in links
    assert any(label.startswith("새 사업 · 수소환원제철 실증단지 조성") for label, _ in links)
    # read-only: the page cannot write
    assert all(b.disabled for b in at.button if b.label in ("확인함", "삭제"))
    markdown = " ".join(m.value for m in at.markdown)
    assert "app/static/watchlists/전남-이차전지.xml" in markdown


def test_saving_and_marking_seen(app_on, built, tmp_path, monkeypatch):
    import shutil

    db = tmp_path / "page.db"
    shutil.copy(built["db"], db)
    monkeypatch.setenv("POLICY_RADAR_FEED_DIR", str(tmp_path / "feeds"))
    at = app_on(f"sqlite:///{db}", {"region": "47"}, page=PAGE, readonly=False)
    at.text_input[0].input("경북")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert query(db, "select name, page, query from watchlist where name = '경북'") == [("경북", "", "region=47")]
    assert (tmp_path / "feeds" / "경북.xml").exists()
    assert [h.value for h in at.subheader] == ["경북", "전남 이차전지", "전체"]
    assert [t.label for t in at.tabs][5] == "마지막 확인 이후 · 새 사업 1개 · 금액 1건 · 상태 1건"
    [b for b in at.button if b.label == "확인함"][2].click().run()  # 전체: seen
    assert [t.label for t in at.tabs][4:] == ["마지막 적재 이후 · 새 사업 1개 · 금액 1건 · 상태 1건",
                                             "마지막 확인 이후 · 새 사업 0개 · 금액 0건 · 상태 0건"]
