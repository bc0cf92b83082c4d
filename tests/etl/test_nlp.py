"""Tagging a stream (etl.nlp.Analyzer.analyze_many, etl.pipeline.extract_articles): Kiwi reads
ahead of what it answers, and each text still gets its own sentences, every input in order."""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from etl.nlp import Analyzer
from etl.pipeline import analyzer, extract_articles
from etl.records import Rejection


class KiwiToken(NamedTuple):
    """What analyze_many reads of a Kiwi token."""

    form: str
    tag: str
    start: int
    end: int
    line_number: int


class FakeKiwi:
    """One sentence of one token per text; reads `ahead` texts before it answers the
    first, as Kiwi fills its workers' queue."""

    def __init__(self, ahead: int = 1) -> None:
        self.ahead = ahead

    def tokenize(self, texts: Iterator[str], split_sents: bool) -> Iterator[list[list[KiwiToken]]]:
        buffered: list[str] = []
        for text in texts:
            buffered.append(text)
            if len(buffered) > self.ahead:
                yield self._tag(buffered.pop(0))
        for text in buffered:
            yield self._tag(text)

    def _tag(self, text: str) -> list[list[KiwiToken]]:
        return [[KiwiToken(text, "NNG", 0, len(text), 0)]]


def _fake(kiwi: FakeKiwi) -> Analyzer:
    made = Analyzer.__new__(Analyzer)
    made._kiwi = kiwi
    return made


def test_real_kiwi_gives_the_same_sentences_streamed_as_one_by_one():
    texts = ["광양시는 이차전지 특화단지를 추진한다.\n제목 줄\n본문이다.", "포항에 수소 산업을 키운다. 두 번째 문장이다."] * 40
    kiwi = analyzer()
    streamed = list(kiwi.analyze_many((t, 0) for t in texts))
    assert [[(s.text, s.start, s.end) for s in sents] for sents in streamed] == \
        [[(s.text, s.start, s.end) for s in kiwi.analyze(t)] for t in texts]


def test_rejections_pass_through_in_input_order():
    from etl.records import Article

    def article(n: int) -> Article:
        return Article(doc_id=str(n), source=f"a{n}", raw_text=f"기사{n:03d}", text=f"기사{n:03d}", title="", published=None,
                       outlet=None, reporter=None, url=None, fmt="text", content_hash=str(n))

    items = [article(n) if n % 3 else Rejection(f"r{n}", "비어 있음") for n in range(100)]
    out = list(extract_articles(items, nlp=_fake(FakeKiwi(ahead=40))))
    names = [o.source if isinstance(o, Rejection) else o.article.source for o in out]
    assert names == [f"a{n}" if n % 3 else f"r{n}" for n in range(100)]
