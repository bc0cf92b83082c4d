"""Article text is escaped; only our own <mark> tags are markup."""
from __future__ import annotations

from ui.highlight import highlight, merge_spans, sentence_with_span


def test_script_is_shown_as_text():
    text = "전남 <script>alert('x')</script> 1,280억원"
    out = highlight(text, [(text.index("1,280"), len(text), "금액: 1,280억원")])
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.endswith('>1,280억원</mark>')
    assert out.count("<mark") == 1


def test_titles_are_escaped_and_spans_merged():
    out = highlight("abcdef", [(1, 3, '"><img>'), (2, 5, "b")])
    assert out.count("<mark") == 1 and "<img>" not in out and "&quot;&gt;&lt;img&gt;" in out
    assert merge_spans([(5, 99, "x"), (-3, 1, "y"), (2, 2, "empty")], 10) == [(0, 1, "y"), (5, 10, "x")]


def test_sentence_span_is_relative_to_sentence_start():
    assert sentence_with_span("국비 640억원 확보", 100, 103, 108, "국비").count("640억원</mark>") == 1
