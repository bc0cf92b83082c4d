"""Why a figure is project money, on SQLite and PostgreSQL: the cue, part and doubt of
each amount, the excluded figures with their reason, and the doubtful money the
dashboard reports and can leave out (db.doubt).

The three articles in money_evidence/ were written for these tests:
e1 a 전북 harbour (총사업비 3200억 = 국비 2000억 + 도비 1200억, a 30조 market
outlook and a 1조 2천억 생산유발 효과, both excluded), e2 a 충북 valley (2조 5천억
with no total cue: doubtful; 국비 800억), e3 a 경북 plant (a 4조 투자협약 that is most
of all 투자, 총사업비 1500억 with its 국비 900억 as a part, 300억 more 투자).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import doubt, queries
from db.exports import EXCLUDED_COLUMNS
from db.exports import amounts as exported_amounts
from db.exports import excluded_amounts as exported_excluded
from db.filters import Filters
from db.models import Amount, ExcludedAmount, Figure
from etl.load import load_paths, rebuild

ARTICLES = Path(__file__).resolve().with_name("money_evidence")
JO = 1_000_000_000_000
EOK = 100_000_000
MARK = "조 단위, 사업비·투자 표지 없음"  # etl/data/money.toml [doubt] label


@pytest.fixture
def loaded(engine):
    summary = load_paths([str(ARTICLES)], engine)
    assert (summary.new, summary.amounts) == (3, 9)
    return engine


def _amounts(engine) -> list[tuple]:
    with Session(engine) as s:
        return [tuple(r) for r in s.execute(
            select(Amount.krw, Amount.role, Amount.cue, Amount.part_of, Amount.doubt).order_by(Amount.id))]


def _excluded(engine) -> list[tuple]:
    with Session(engine) as s:
        return [tuple(r) for r in s.execute(
            select(ExcludedAmount.article_id, ExcludedAmount.krw, ExcludedAmount.reason, ExcludedAmount.label,
                   ExcludedAmount.text, ExcludedAmount.cue).order_by(ExcludedAmount.id))]


AMOUNTS = [
    (3200 * EOK, "total", "총사업비", None, None),
    (2000 * EOK, "national", "국비", None, None),
    (1200 * EOK, "local", "도비", None, None),
    (25_000 * EOK, "total", None, None, MARK),
    (800 * EOK, "national", "국비", None, None),
    (4 * JO, "investment", "을 투자하는 투자협약", None, None),
    (1500 * EOK, "total", "총사업비", None, None),
    (900 * EOK, "national", "국비", 1500 * EOK, None),
    (300 * EOK, "investment", "을 투자한", None, None),
]
EXCLUDED = [
    (1, 30 * JO, "market", "시장 전망", "30조원", "규모로 커질"),
    (1, 12_000 * EOK, "effect", "경제 효과", "1조 2천억원", "의 생산유발"),
]


def test_the_writer_stores_cue_part_and_doubt_of_each_amount_and_the_excluded_figures(loaded):
    assert _amounts(loaded) == AMOUNTS
    assert _excluded(loaded) == EXCLUDED
    with Session(loaded) as s:
        assert list(s.execute(select(Figure.krw, Figure.doubt).where(Figure.doubt.is_not(None)))) == [(25_000 * EOK, MARK)]


def test_a_rebuild_rewrites_them(loaded):
    with loaded.begin() as conn:  # as an older loader left them
        conn.execute(ExcludedAmount.__table__.update().values(label="옛 이름"))
        conn.execute(Amount.__table__.update().values(cue=None, part_of=None, doubt=None))
        conn.execute(Figure.__table__.update().values(doubt=None))
    rebuild(loaded)
    assert _amounts(loaded) == AMOUNTS
    assert [row[1:] for row in _excluded(loaded)] == [row[1:] for row in EXCLUDED]
    with Session(loaded) as s:
        assert queries.doubtful_money(s, Filters()).figures == 2


def test_doubtful_money_counts_the_marked_and_the_dominant_figure(loaded):
    with Session(loaded) as s:
        assert queries.doubtful_money(s, Filters()) == queries.Doubt(
            krw=25_000 * EOK + 4 * JO, figures=2, scale=25_000 * EOK, investment=4 * JO)
        listed = queries.doubtful_figures(s, Filters())
    assert [tuple(r) for r in listed[["krw", "label", "reason", "text", "project"]].itertuples(index=False)] == [
        (4 * JO, "투자", doubt.DOMINANT_LABEL, "4조원", "구미 반도체 소재 특화단지 조성사업"),
        (25_000 * EOK, "총사업비", MARK, "2조 5천억원", "오송 바이오 밸리 조성사업"),
    ]
    assert listed["sentence"].tolist() == [
        "경상북도와 구미시는 '구미 반도체 소재 특화단지 조성사업'에 한결머티리얼즈가 4조원을 투자하는 투자협약을 맺었다고 20일 밝혔다.",
        "이 사업에는 2조 5천억원이 들어갈 예정이다.",
    ]


def test_leaving_doubtful_money_out_changes_every_total(loaded):
    with Session(loaded) as s:
        every, sure = queries.headline(s, Filters()), queries.headline(s, Filters(sure_only=True))
        assert queries.doubtful_money(s, Filters(sure_only=True)) == queries.Doubt()
        assert queries.doubtful_figures(s, Filters(sure_only=True)).empty
    assert (every.scale, every.investment) == (3200 * EOK + 25_000 * EOK + 1500 * EOK, 4 * JO + 300 * EOK)
    # without its doubtful 총사업비 the valley's 사업 규모 is its 국비
    assert (sure.scale, sure.investment) == (3200 * EOK + 800 * EOK + 1500 * EOK, 300 * EOK)
    assert dict(zip(sure.by_role["role"], sure.by_role["krw"])) == {
        "total": 4700 * EOK, "national": 3700 * EOK, "local": 1200 * EOK, "investment": 300 * EOK}


@pytest.mark.parametrize(
    "share, min_krw, doubtful",
    [
        (doubt.DOMINANT_SHARE, doubt.DOMINANT_MIN_KRW, [4 * JO, 25_000 * EOK]),
        (doubt.DOMINANT_SHARE, 5 * JO, [25_000 * EOK]),  # the 4조 pledge is below the size
        (0.995, doubt.DOMINANT_MIN_KRW, [25_000 * EOK]),  # 4조 of 4조 300억 is 99.3 %
        # without the size every lone or large 국비·도비 would be doubtful: 2000억 of 3700억 국비, the only 도비
        (doubt.DOMINANT_SHARE, 1000 * EOK, [4 * JO, 25_000 * EOK, 2000 * EOK, 1200 * EOK]),
    ],
)
def test_the_dominance_rule(loaded, monkeypatch, share, min_krw, doubtful):
    monkeypatch.setattr(doubt, "DOMINANT_SHARE", share)
    monkeypatch.setattr(doubt, "DOMINANT_MIN_KRW", min_krw)
    with Session(loaded) as s:
        assert queries.doubtful_figures(s, Filters())["krw"].tolist() == doubtful


def test_dominance_is_judged_among_the_figures_a_view_shows(loaded):
    """In 전북 alone the 3200억 총사업비 is all of its role, but below the size: not doubtful;
    in 경북 alone the 4조 pledge is still most of 투자."""
    with Session(loaded) as s:
        assert queries.doubtful_money(s, Filters(regions=("52",))) == queries.Doubt()
        assert queries.doubtful_money(s, Filters(regions=("47",))).investment == 4 * JO
        assert queries.headline(s, Filters(regions=("47",), sure_only=True)).investment == 300 * EOK


def test_the_article_lists_its_excluded_figures_with_their_sentence(loaded):
    with Session(loaded) as s:
        detail = queries.article_detail(s, 1)
        assert queries.article_detail(s, 2).excluded.empty
    assert [tuple(r) for r in detail.excluded[["krw", "label", "text", "cue", "sentence"]].itertuples(index=False)] == [
        (30 * JO, "시장 전망", "30조원", "규모로 커질", "업계는 국내 해상풍력 시장이 2035년까지 약 30조원 규모로 커질 것으로 내다본다."),
        (12_000 * EOK, "경제 효과", "1조 2천억원", "의 생산유발", "사업이 끝나면 1조 2천억원의 생산유발 효과가 기대된다."),
    ]
    text = detail.article["text"]
    assert [text[r.span_start:r.span_end] for r in detail.excluded.itertuples()] == ["30조원", "1조 2천억원"]


def test_amounts_export_has_cue_part_and_doubt(loaded):
    with Session(loaded) as s:
        df = exported_amounts(s)
    assert [tuple(None if pd.isna(v) else v for v in r) for r in df[["krw", "cue", "part_of", "doubt"]].itertuples(index=False)] == [
        (krw, cue, part, why) for krw, _role, cue, part, why in AMOUNTS]


def test_excluded_amounts_export_has_each_with_reason_and_sentence(loaded):
    with Session(loaded) as s:
        df = exported_excluded(s)
    assert list(df.columns) == EXCLUDED_COLUMNS
    assert [tuple(r) for r in df[["article_id", "krw", "reason", "label", "text", "cue"]].itertuples(index=False)] == EXCLUDED
    assert df["evidence"].tolist()[1] == "사업이 끝나면 1조 2천억원의 생산유발 효과가 기대된다."
