"""Trust in the money shown, under AppTest: captions with the doubtful money each money
chart includes, the sidebar switch (bound to the URL) that leaves it out, the list
of doubtful figures on 예산 and the excluded figures on an article's page.

The database is loaded by the real loader from tests/db/money_evidence (see
tests/db/test_money_evidence.py for the figures): doubtful are a 2조 5천억 with no
total cue (article 2) and a 4조 pledge that is most of all 투자 (article 3);
article 1 states a 30조 market outlook and a 1조 2천억 생산유발 효과, both excluded.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.engine import make_engine
from etl.load import load_paths
from test_pages import assert_ok, metrics, texts

ARTICLES = Path(__file__).resolve().parents[1] / "db" / "money_evidence"
INCLUDED = "의심 금액 6조 5,000억원 포함"  # 2조 5천억 + 4조
LEFT_OUT = "의심 금액 제외"


@pytest.fixture(scope="module")
def money_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('money') / 'money.db'}"
    engine = make_engine(url)
    assert load_paths([str(ARTICLES)], engine).new == 3
    engine.dispose()
    return url


def _captions(at) -> list[str]:
    return texts(at, "caption")


def _html(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_overview_says_how_much_doubtful_money_it_includes(app_on, money_url):
    at = app_on(money_url)
    assert_ok(at)
    m = metrics(at)
    assert (m["사업 규모"], m["투자 유치"], m["총사업비"]) == ("2조 9,700억원", "4조 300억원", "2조 9,700억원")
    assert sum(c.startswith(INCLUDED) for c in _captions(at)) == 1  # under the headline
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(at)) == 1  # 사업 규모 by region (the open tab)
    at.session_state["overview_tabs"] = "산업별 사업 규모"
    at.run()
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(at)) == 1  # by industry
    assert at.sidebar.checkbox(key=at.sidebar.checkbox[0].key).label == "의심 금액 제외"
    assert at.sidebar.checkbox[0].value is False


def test_the_sidebar_switch_leaves_doubtful_money_out_and_is_in_the_url(app_on, money_url):
    at = app_on(money_url)
    at.sidebar.checkbox[0].check().run()
    assert_ok(at)
    assert at.query_params.get("sure") in (["1"], "1")
    m = metrics(at)
    # the valley's 사업 규모 is its 국비 800억 without its doubtful 총사업비; 투자 유치 keeps the 300억
    assert (m["사업 규모"], m["투자 유치"], m["총사업비"]) == ("5,500억원", "300억원", "4,700억원")
    assert any(c.startswith(LEFT_OUT) for c in _captions(at))
    assert not any(re.match("의심 금액 [0-9]", c) for c in _captions(at))


def test_a_view_without_doubtful_money_says_so(app_on, money_url):
    at = app_on(money_url, {"region": "52"})  # 전북: the harbour's 3200억 is all of its 총사업비 but under 1조
    assert_ok(at)
    assert metrics(at)["사업 규모"] == "3,200억원"
    assert _captions(at).count("의심 금액 없음") == 2  # the headline and the open tab's ranking
    assert not any(re.match("의심 금액 [0-9]", c) for c in _captions(at))


def test_a_link_with_the_switch_on_opens_with_it_on(app_on, money_url):
    at = app_on(money_url, {"sure": "1"}, page="pages/funding.py")
    assert_ok(at)
    assert at.sidebar.checkbox[0].value is True
    assert "조건: 의심 금액 제외" in " ".join(_captions(at))
    assert "조건에 맞는 의심 금액이 없습니다." not in _captions(at) and "의심 금액을 제외하고 있습니다." in _captions(at)


def test_funding_lists_each_doubtful_figure_with_its_sentence_and_article(app_on, money_url):
    at = app_on(money_url, page="pages/funding.py")
    assert_ok(at)
    body = _html(at)
    first = body.index("<b>투자 4조원 · 한 금액이 구분 합계의 절반 넘음</b>")
    second = body.index("<b>총사업비 2조 5,000억원 · 조 단위, 사업비·투자 표지 없음</b>")
    assert first < second  # largest first
    assert "이 사업에는 2조 5천억원이 들어갈 예정이다." in body[second:]
    links = [e.proto for e in at.main.get("page_link")]
    assert [(link.label, link.query_string.split("article=")[-1].split("&")[0]) for link in links if "article=" in link.query_string] == [
        ("기사: 경북 구미에 반도체 소재 공장 들어선다", "3"), ("기사: 충청북도 바이오 밸리 조성 계획 발표", "2")]
    assert sum(c.startswith(INCLUDED) for c in _captions(at)) == 1  # by role (the open tab)
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(at)) == 1  # 사업 규모 상위
    for tab in ("시도별 · 구분별", "연도별 · 구분별"):
        at.session_state["funding_tabs"] = tab
        at.run()
        assert sum(c.startswith(INCLUDED) for c in _captions(at)) == 1, tab


def test_an_article_lists_and_marks_its_excluded_figures(app_on, money_url):
    at = app_on(money_url, {"article": "1"}, page="pages/articles.py")
    assert_ok(at)
    body = _html(at)
    assert "<b>제외: 시장 전망 · 30조원</b> · 업계는 국내 해상풍력 시장이 2035년까지 약 30조원 규모로 커질 것으로 내다본다." in body
    assert "<b>제외: 경제 효과 · 1조 2,000억원</b> · 사업이 끝나면 1조 2천억원의 생산유발 효과가 기대된다." in body
    assert 'title="제외: 시장 전망 30조원"' in body  # marked in the text too
    assert any(m.startswith("**제외된 금액 2건**") for m in texts(at, "markdown"))
    other = app_on(money_url, {"article": "2"}, page="pages/articles.py")
    assert "제외:" not in _html(other)


def test_region_and_industry_charts_say_it_for_the_figures_they_show(app_on, money_url):
    at = app_on(money_url, page="pages/regions.py")
    assert_ok(at)
    # the map (사업 규모), and the 시도 × 산업 heatmap once opened: the valley's 2조 5천억
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(at)) == 1
    at.session_state["region_matrix"] = True
    at.run()
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(at)) == 2
    drilled = app_on(money_url, {"sido": "47"}, page="pages/regions.py")  # 경북: only the pledge, not in 사업 규모
    drilled.session_state["region_matrix"] = True
    drilled.run()
    assert_ok(drilled)
    # the 경북 map holds only the pledge, which is no 사업 규모; the heatmap stays national
    assert [c.split(" · ")[0] for c in _captions(drilled) if c.startswith("의심")] == ["의심 금액 없음", "의심 금액 2조 5,000억원 포함"]
    compared = app_on(money_url, {"compare": ["43", "47"]}, page="pages/regions.py")
    assert_ok(compared)
    assert sum(c.startswith(INCLUDED) for c in _captions(compared)) == 1  # by role: 2조 5천억 + 4조
    industries = app_on(money_url, page="pages/industries.py")
    assert_ok(industries)
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(industries)) == 1  # ranked bars; the rest runs only when opened
    industries.session_state["industry_composition"] = True
    industries.run()
    assert sum(c.startswith("의심 금액 2조 5,000억원 포함") for c in _captions(industries)) == 2  # and the composition


def test_the_conflicts_table_is_sent_only_when_opened(app_on, tmp_path):
    """예산: two outlets' different 총사업비 for one project are one line in a closed expander."""
    import shutil

    corpus = Path(__file__).resolve().parents[1] / "etl" / "identity"
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(corpus / "i01_gumi_selected.txt", folder)
    text = (corpus / "i02_gumi_groundbreaking.txt").read_text(encoding="utf-8")
    (folder / "i02_other.txt").write_text(text.replace("2024.09.05", "2024.03.20").replace("1,280억", "1,300억"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'conflicts.db'}"
    engine = make_engine(url)
    load_paths([str(folder)], engine)
    engine.dispose()
    at = app_on(url, page="pages/funding.py")
    assert_ok(at)
    assert [e.label for e in at.expander] == ["보도 간 금액 불일치 1건"]
    assert len(at.dataframe) == 1  # 사업 규모 상위 only
    at.session_state["funding_conflicts"] = True
    at.run()
    conflicts = at.dataframe[1].value
    assert len(conflicts) == 1 and conflicts.iloc[0]["이름"] == "구미시 반도체 소재·부품 공동인프라 구축사업"
