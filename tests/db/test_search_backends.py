"""Korean bigram search on SQLite (FTS5) and PostgreSQL (tsvector): same answers on both."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Article
from db.schema import migrate
from db.search import (
    PG_WORD_BREAK,
    WORD_BREAK,
    article_match,
    bigrams,
    has_search_index,
    index_articles,
    indexed_count,
    pg_document,
    rebuild_search_index,
    unindex_articles,
)

TEXTS = {
    1: ("광양 이차전지 특화단지", "광양시는 이차전지 특화단지 지정을 추진한다."),
    2: ("포항 소식", "수소 소재 산업을 키운다."),
    3: ("경계 시험", "광양 양만 이라는 두 단어."),
    4: ("영문", "AI 반도체와 K-배터리."),
    5: ("50% 할인", "100_000 원 a_b 밑줄 문자."),
}

CASES = [
    ("광양", [1, 3]),
    ("수소", [2]),
    ("양시", [1]),
    ("광양만", []),  # "광양 양만" in article 3 spans two words: no false hit
    ("수소재", []),  # "수소 소재" likewise
    ("이차전지 광양", [1]),
    ("광양시는", [1]),
    ("소", [2]),  # one character: LIKE fallback
    ("반도체", [4]),
    ("ai", [4]),
    ("AI", [4]),
    ("배터리", [4]),
    ("50%", [5]),  # punctuation is not part of a word
    ("밑줄", [5]),
    ("없는말", []),
    ("", [1, 2, 3, 4, 5]),
]


def _db(engine):
    migrate(engine)
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


def test_pg_document_keeps_a_word_break_token_under_every_locale():
    assert pg_document("광양시는 수소") == f"광양 양시 시는 {PG_WORD_BREAK} 수소"
    assert WORD_BREAK not in pg_document("광양 수소") and len(PG_WORD_BREAK) == 1
    assert pg_document("가" * 20_000).count(" ") + 1 == 16_000  # tsvector positions end at 16383


def test_search_answers_on_both_backends(engine):
    _db(engine)
    with Session(engine) as s:
        assert has_search_index(s) and indexed_count(s) == 5
    assert {q: _find(engine, q) for q, _ in CASES} == dict(CASES)


def test_unindex_and_rebuild(engine):
    _db(engine)
    with Session(engine) as s:
        unindex_articles(s, [1])
        s.commit()
        assert indexed_count(s) == 4
    assert _find(engine, "이차전지") == []
    assert rebuild_search_index(engine) == 5
    assert _find(engine, "이차전지") == [1]


def test_search_index_of_a_long_article_finds_its_beginning(engine):
    _db(engine)
    text = "특화단지 " + "가나 " * 30_000 + "끝말잇기"
    with Session(engine) as s:
        s.add(Article(id=9, doc_id="9", title="긴 기사", text=text, raw_text=text, fmt="text",
                      content_hash="9", extractor_version="t", loaded_at=datetime(2024, 1, 1)))
        s.flush()
        index_articles(s, [s.get(Article, 9)])
        s.commit()
    assert _find(engine, "특화단지") == [1, 9]
    expected_end = [] if engine.dialect.name == "postgresql" else [9]  # beyond the tsvector's positions
    assert _find(engine, "끝말잇기") == expected_end


@pytest.mark.parametrize("query", ["광양", "ai"])
def test_without_index_table_search_falls_back_to_like(query, engine):
    """A database whose index table is gone (or never made) still answers, by LIKE."""
    from db.search import ARTICLE_FTS, ARTICLE_SEARCH

    _db(engine)
    (ARTICLE_SEARCH if engine.dialect.name == "postgresql" else ARTICLE_FTS).drop(engine)
    with Session(engine) as s:
        assert not has_search_index(s)
    assert _find(engine, query) == dict(CASES)[query]


def test_bigrams_unchanged():
    assert bigrams("광양시는 수소") == f"광양 양시 시는 {WORD_BREAK} 수소"


def test_search_terms_are_bounded():
    from db.search import MAX_TERM_CHARS, MAX_TERMS, search_terms

    assert search_terms("광양 수소 광양") == (("광양", "수소"), False)
    words = [f"단어{i}" for i in range(MAX_TERMS + 3)]
    assert search_terms(" ".join(words)) == (tuple(words[:MAX_TERMS]), True)
    assert search_terms("가" * (MAX_TERM_CHARS + 5)) == (("가" * MAX_TERM_CHARS,), True)


@pytest.mark.parametrize(
    "query",
    [
        " ".join(f"광양{i}" for i in range(2_000)),  # thousands of words
        "가" * 10_000,  # one very long word
        " ".join(chr(0xAC00 + i) for i in range(5_000)),  # thousands of one-letter words (LIKE fallback)
    ],
)
def test_a_pasted_paragraph_searches_without_a_database_error(query, engine):
    """SQLite said "Expression tree is too large", PostgreSQL "stack depth limit exceeded"."""
    _db(engine)
    assert _find(engine, query) == []
    assert _find(engine, "광양 " + "이차전지 " * 3_000) == [1]


def test_probing_the_index_finds_what_the_list_of_matches_finds(engine):
    """article_match(probe=True) asks the index per article (SQLite) or falls back to the
    list of matches (PostgreSQL): the same articles either way."""
    _db(engine)
    with Session(engine) as s:
        probed = {q: sorted(s.scalars(select(Article.id).where(article_match(s, q, probe=True)))) for q, _ in CASES}
        sql = str(select(Article.id).where(article_match(s, "광양", probe=True)).compile(engine))
    assert probed == dict(CASES)
    assert ("article_fts.rowid = article.id" in sql) == (engine.dialect.name == "sqlite")


@pytest.mark.parametrize("matches, articles, rows, pays", [
    (100_000, 100_000, 200, True),  # every article matches: 200 lookups beat listing 100,000
    (100_000, 100_000, 700, False),  # 700 lookups cost more than listing them all
    (11_000, 100_000, 200, False),  # one in nine: 1,800 lookups
    (11_000, 100_000, 8, True),
    (0, 100_000, 8, False),  # nothing matches: nothing to walk for
])
def test_probing_pays_when_the_walk_is_short(monkeypatch, engine, matches, articles, rows, pays):
    from db import search

    monkeypatch.setattr(search, "match_count", lambda *_a: matches)
    monkeypatch.setattr(search, "_article_count", lambda *_a: articles)
    with Session(engine) as s:
        assert search.probing_pays(s, "광양", rows) is (pays and engine.dialect.name == "sqlite")
