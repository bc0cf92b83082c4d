"""Sentence splitting and tagging with kiwipiepy, plus the domain dictionary.

One `Analyzer` per process: building a Kiwi takes about a second and 300 MB.
Articles are fed to Kiwi line by line (a headline without a full stop must
not run into the next line), as one stream over all articles, so that Kiwi's
worker threads stay busy while Python extracts from what is already tagged.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "SL", "SN", "SH", "XPN", "XSN", "NR"})


@dataclass(frozen=True, slots=True)
class Token:
    form: str
    tag: str
    start: int  # offset in the article text
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    text: str
    start: int  # offset in the article text
    end: int
    tokens: tuple[Token, ...]
    in_header: bool  # title or subtitle


class Analyzer:
    """Kiwi with Policy Radar's user dictionary (regions, zones, industry words)."""

    def __init__(self, user_words: Iterable[tuple[str, str]] = (), num_workers: int = -1) -> None:
        """`num_workers` -1 uses every core; Kiwi needs at least one worker thread
        to analyse a stream."""
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi(num_workers=num_workers if num_workers != 0 else 1)
        for word, tag in user_words:
            if word and " " not in word:
                self._kiwi.add_user_word(word, tag, 0.0)

    def analyze(self, text: str, body_start: int = 0) -> list[Sentence]:
        return next(self.analyze_many([(text, body_start)]))

    def analyze_many(self, items: Iterable[tuple[str, int]]) -> Iterator[list[Sentence]]:
        """Sentences of each (text, body_start) pair, in input order."""
        pending: deque[tuple[str, int, list[tuple[int, str]]]] = deque()

        def lines() -> Iterator[str]:
            for text, body_start in items:
                spans = _line_spans(text)
                pending.append((text, body_start, spans))
                if not spans:
                    yield ""  # keep one result per article
                for _, line in spans:
                    yield line

        results = self._kiwi.split_into_sents(lines(), return_tokens=True)
        while True:
            try:
                first = next(results)
            except StopIteration:
                return
            text, body_start, spans = pending.popleft()
            per_line = [first] + [next(results) for _ in range(max(len(spans), 1) - 1)]
            yield _sentences(spans, per_line, body_start)


def _line_spans(text: str) -> list[tuple[int, str]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, line))
        pos += len(line) + 1
    return spans


def _sentences(spans: list[tuple[int, str]], per_line: list[Any], body_start: int) -> list[Sentence]:
    out: list[Sentence] = []
    for (offset, _), kiwi_sents in zip(spans, per_line):
        for ks in kiwi_sents:
            tokens = tuple(Token(t.form, t.tag, offset + t.start, offset + t.start + t.len) for t in ks.tokens)
            start = offset + ks.start
            out.append(Sentence(len(out), ks.text, start, offset + ks.end, tokens, start < body_start))
    return out
