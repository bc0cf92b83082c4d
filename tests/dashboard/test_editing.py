"""Editing mode under AppTest: corrections from the project page change every total; never in read-only mode."""
from __future__ import annotations

import json

from sqlalchemy import select

from etl.corrections import Correction as EtlCorrection
from etl.load import correct
from db.engine import make_engine
from db.models import Amount, Article, Correction, Evidence, Project




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


def _project_page(at, project_id: int):
    at.query_params = {"project": str(project_id)}
    at.switch_page("pages/projects.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _editing(app_on, url: str, project_id: int):
    at = app_on(url, readonly=False)
    at.session_state["editing_mode"] = True
    at.session_state["editing_who"] = "김분석"
    return _project_page(at, project_id)


def _stored(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return [(r.kind, json.loads(r.target), json.loads(r.value), r.who, r.why)
                    for r in c.execute(select(Correction).order_by(Correction.id))]
    finally:
        engine.dispose()


def _facts(at) -> str:
    """The project page's 지역 / 산업 line."""
    return next(m.value for m in at.markdown if m.value.startswith("**지역**"))


def _click(at, key: str, why: str):
    at.text_input(key="editing_why").input(why)
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def _amounts_heading(at) -> str:
    return next(h.value for h in at.subheader if h.value.startswith("금액 ") and h.value.endswith("건"))


def test_an_analyst_moves_a_figure_to_another_project(app_on, corpus_url):
    at = _editing(app_on, corpus_url, 4)  # 군산 미래모빌리티 부품 실증센터: its 450억 is the 국가산단's, say
    [figure] = [s.key for s in at.selectbox if s.key.startswith("move_4_")]
    at.selectbox(key=figure).set_value("52:군산미래모빌리티국가산업단지").run()
    _click(at, f"do_move_{figure.removeprefix('move_')}", "실증센터는 국가산단 안의 시설")
    assert _amounts_heading(at) == "금액 0건"
    [(kind, target, value, who, why)] = _stored(corpus_url)
    assert (kind, value, who, why) == ("move_figure", {"project": "52:군산미래모빌리티국가산업단지"}, "김분석",
                                       "실증센터는 국가산단 안의 시설")
    assert set(target) == {"article", "start", "end"}
    _project_page(at, 3)
    assert _amounts_heading(at) == "금액 4건" and "<b>총사업비 450억원</b>" in _html(at)


def test_an_analyst_splits_off_a_mention_merged_by_mistake(app_on, corpus_url):
    at = _editing(app_on, corpus_url, 5)  # 당진 송산5산단 조성 계획, reported by three articles
    split = at.selectbox(key="split_5")
    [i] = [i for i, label in enumerate(split.options) if label.endswith("‘송산5산단’")]
    split.set_value(i).run()
    _click(at, "do_split_5", "착공 기사는 다른 단지")
    [(kind, target, value, _who, why)] = _stored(corpus_url)
    assert (kind, target["name"], value, why) == ("split_project", "송산5산단", {}, "착공 기사는 다른 단지")
    assert _amounts_heading(at) == "금액 2건" and ">당진 송산5산단 조성 계획</h2>" in _html(at)  # i10's 3,100억 left with it
    engine = make_engine(corpus_url)
    try:
        with engine.connect() as c:
            rows = sorted(c.execute(select(Project.name, Project.n_articles).where(Project.name.like("%송산5산단%"))).all())
    finally:
        engine.dispose()
    assert rows == [("당진 송산5산단 조성 계획", 2), ("송산5산단", 1)]


def test_an_analyst_sets_the_regions_of_a_project(app_on, corpus_url):
    at = _editing(app_on, corpus_url, 5)
    assert _facts(at).startswith("**지역** 충청남도\\, 충청남도 당진시  \n")
    at.multiselect(key="regions_5").set_value(["44270"]).run()
    _click(at, "do_regions_5", "도 전체 사업이 아님")
    assert _facts(at).startswith("**지역** 충청남도 당진시  \n")
    assert [(k, v, w) for k, _t, v, _who, w in _stored(corpus_url)] == [
        ("set_regions", {"regions": ["44270"]}, "도 전체 사업이 아님")]


def test_an_analyst_sets_the_industries_of_a_project(app_on, corpus_url):
    at = _editing(app_on, corpus_url, 5)
    assert _facts(at).endswith("**산업** 기타\\, 수소\\, 철강")
    at.multiselect(key="industries_5").set_value(["수소", "철강"]).run()
    _click(at, "do_industries_5", "")
    assert _facts(at).endswith("**산업** 수소\\, 철강")
    assert [(k, t, v, w) for k, t, v, _who, w in _stored(corpus_url)] == [
        ("set_industries", {"project": "44:당진송산5산업단지조성계획"}, {"industries": ["수소", "철강"]}, "")]


def test_an_analyst_undoes_a_correction_from_its_record_and_the_overview_follows(app_on, corpus_url):
    engine = make_engine(corpus_url)
    try:
        with engine.connect() as c:
            h, start, end = c.execute(select(Article.content_hash, Evidence.span_start, Evidence.span_end)
                                      .join(Amount, Amount.evidence_id == Evidence.id).join(Article, Article.id == Amount.article_id)
                                      .where(Article.doc_id == "i03_gumi_raised", Amount.krw == 1350 * 10**8)).one()
        [correction_id] = correct(engine, [EtlCorrection("reject_figure", {"article": h, "start": start, "end": end})])
    finally:
        engine.dispose()
    at = app_on(corpus_url, readonly=False)
    assert _scale(at) == "1조 1,230억원"  # 1,280 + 300 + 5,800 + 450 + 3,400: the 1,350억 rejected
    at.session_state["editing_mode"] = True
    at.switch_page("pages/corrections.py")
    at.run()
    at.button(key=f"undo_{correction_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "되돌리기" not in _buttons(at)
    at.switch_page("pages/overview.py")
    at.run()
    assert _scale(at) == "1조 1,300억원"
