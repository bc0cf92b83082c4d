"""Editing mode under AppTest: corrections from the project page change every total; never in read-only mode."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_paths
from db.engine import make_engine

CORPUS = Path(__file__).resolve().parents[1] / "etl" / "identity"


@pytest.fixture
def corpus_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    engine = make_engine(url)
    load_paths([str(CORPUS)], engine)
    engine.dispose()
    return url


def _buttons(at) -> list[str]:
    return [b.label for b in at.button]


def _scale(at) -> str:
    return {m.label: m.value for m in at.metric}["사업 규모"]


def test_an_analyst_rejects_a_figure_and_merges_projects_and_the_overview_follows(app_on, corpus_url):
    at = app_on(corpus_url, readonly=False)
    assert _scale(at) == "1조 1,300억원"
    at.session_state["editing_mode"] = True
    at.session_state["editing_who"] = "김분석"
    at.query_params = {"project": "1"}
    at.switch_page("pages/projects.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert sorted(b.key for b in at.button if b.label == "금액 제외") == [f"reject_1_{i}" for i in range(1, 7)]
    at.button(key="reject_1_6").click().run()  # 1,350억 of 2025-02-11: the total is 1,280억 again
    assert not at.exception, [e.value for e in at.exception]
    at.query_params = {"project": "2"}  # 구미 반도체 인력양성센터: really part of the 공동인프라, say
    at.run()
    at.selectbox(key="merge_2").set_value("47:구미시반도체소재부품공동인프라구축사업").run()
    at.button(key="do_merge_2").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.query_params = {}
    at.switch_page("pages/overview.py")
    at.run()
    assert _scale(at) == "1조 930억원"  # 1,280 + 5,800 + 450 + 3,400: the merged 300억 is an older total
    at.switch_page("pages/corrections.py")
    at.run()
    texts = [m.value for m in at.markdown]
    assert any("금액 제외" in t and "김분석" in t for t in texts) and any("사업 합치기" in t for t in texts)
    assert _buttons(at).count("되돌리기") == 2


def test_a_readonly_server_shows_no_editing_controls(app_on, corpus_url):
    at = app_on(corpus_url, readonly=True)
    at.session_state["editing_mode"] = True
    at.query_params = {"project": "1"}
    at.switch_page("pages/projects.py")
    at.run()
    assert not at.exception
    assert "금액 제외" not in _buttons(at) and not [t for t in at.toggle if t.label == "편집 모드 켜기"]
