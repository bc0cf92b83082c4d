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

    def tokenize(self, texts: str | Iterator[str], split_sents: bool):
        """One text's sentences for a str, as Kiwi does; a stream otherwise."""
        return self._tag(texts) if isinstance(texts, str) else self._stream(texts)

    def _stream(self, texts: Iterator[str]) -> Iterator[list[list[KiwiToken]]]:
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


def test_without_read_ahead_each_text_is_answered_before_the_next_is_read():
    read: list[str] = []

    def texts() -> Iterator[tuple[str, int]]:
        for n in range(3):
            read.append(f"기사{n}")
            yield f"기사{n}", 0

    answered = [(list(read), sents[0].text) for sents in _fake(FakeKiwi(ahead=40)).analyze_many(texts(), read_ahead=False)]
    assert answered == [(["기사0"], "기사0"), (["기사0", "기사1"], "기사1"), (["기사0", "기사1", "기사2"], "기사2")]
    streamed = [(list(read[3:]), sents[0].text) for sents in _fake(FakeKiwi(ahead=40)).analyze_many(texts())]
    assert streamed == [(["기사0", "기사1", "기사2"], "기사0"), (["기사0", "기사1", "기사2"], "기사1"), (["기사0", "기사1", "기사2"], "기사2")]


def test_rejections_pass_through_in_input_order():
    from etl.records import Article

    def article(n: int) -> Article:
        return Article(doc_id=str(n), source=f"a{n}", raw_text=f"기사{n:03d}", text=f"기사{n:03d}", title="", published=None,
                       outlet=None, reporter=None, url=None, fmt="text", content_hash=str(n))

    items = [article(n) if n % 3 else Rejection(f"r{n}", "비어 있음") for n in range(100)]
    out = list(extract_articles(items, nlp=_fake(FakeKiwi(ahead=40))))
    names = [o.source if isinstance(o, Rejection) else o.article.source for o in out]
    assert names == [f"a{n}" if n % 3 else f"r{n}" for n in range(100)]


class RecordingKiwi:
    """Stands in for kiwipiepy.Kiwi and records the calls an Analyzer makes while it is built."""

    def __init__(self, num_workers: int) -> None:
        self.calls: list[tuple[str, str]] = []

    def add_user_word(self, word: str, tag: str, score: float) -> None:
        self.calls.append(("add_user_word", word))

    def tokenize(self, text: str) -> list[object]:
        self.calls.append(("tokenize", text))
        return []


def test_an_analyzer_builds_kiwis_dictionary_when_it_is_built_not_on_the_first_article(monkeypatch):
    import kiwipiepy

    monkeypatch.setattr(kiwipiepy, "Kiwi", RecordingKiwi)
    nlp = Analyzer([("이차전지", "NNG"), ("기회발전특구", "NNP")])
    assert nlp._kiwi.calls == [("add_user_word", "이차전지"), ("add_user_word", "기회발전특구"), ("tokenize", "사전을 준비합니다.")]
