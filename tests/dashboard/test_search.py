"""Bigram search: two-syllable Korean words are found, word boundaries hold, no false hits."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from db.models import Article, Base
from db.search import (
    WORD_BREAK,
    article_match,
    bigrams,
    ensure_search_index,
    fts_query,
    has_search_index,
    index_articles,
    rebuild_search_index,
    split_query,
    unindex_articles,
)

TEXTS = {
    1: ("광양 이차전지 특화단지", "광양시는 이차전지 특화단지 지정을 추진한다."),
    2: ("포항 소식", "수소 소재 산업을 키운다."),
    3: ("경계 시험", "광양 양만 이라는 두 단어."),
    4: ("영문", "AI 반도체와 K-배터리."),
}


def test_bigrams_of_each_word_with_word_breaks():
    assert bigrams("광양시는 수소") == f"광양 양시 시는 {WORD_BREAK} 수소"
    assert bigrams("수") == ""
    assert bigrams("<script>") == "sc cr ri ip pt"
    assert bigrams("디지털·AI") == f"디지 지털 {WORD_BREAK} AI"


def test_query_builder():
    assert fts_query("광양") == '"광양"'
    assert fts_query("광양만 수소") == '"광양 양만" AND "수소"'
    assert fts_query("수") is None
    assert split_query("광양 수 AI") == (["광양", "AI"], ["수"])


def _db(index: bool = True):
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    if index:
        ensure_search_index(engine)
    with Session(engine) as s:
        for i, (title, text) in TEXTS.items():
            s.add(Article(id=i, doc_id=str(i), title=title, text=text, raw_text=text, fmt="text",
                          content_hash=str(i), extractor_version="t", loaded_at=datetime(2024, 1, 1)))
        s.flush()
        index_articles(s, s.scalars(select(Article)).all())
        s.commit()
    return engine


def _find(engine, query: str) -> list[int]:
    with Session(engine) as s:
        return sorted(s.scalars(select(Article.id).where(article_match(s, query))))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("광양", [1, 3]),
        ("수소", [2]),
        ("양시", [1]),
        ("광양만", []),  # "광양 양만" in article 3 spans two words: no false hit
        ("수소재", []),  # "수소 소재" likewise
        ("이차전지 광양", [1]),
        ("소", [2]),  # one character: LIKE fallback
        ("반도체", [4]),
        ("ai", [4]),
        ("없는말", []),
    ],
)
def test_search_finds_two_syllable_words_and_no_false_hits(query, expected):
    assert _find(_db(), query) == expected


def test_like_fallback_without_index_gives_same_answers():
    engine = _db(index=False)
    with Session(engine) as s:
        assert not has_search_index(s)
    assert _find(engine, "광양") == [1, 3]
    assert _find(engine, "광양만") == []


def test_reindex_and_unindex():
    engine = _db()
    with Session(engine) as s:
        unindex_articles(s, [1])
        s.commit()
    assert _find(engine, "이차전지") == []
    assert rebuild_search_index(engine) == 4
    assert _find(engine, "이차전지") == [1]
