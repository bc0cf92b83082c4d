"""Sentence splitting and tagging with kiwipiepy, plus the domain dictionary.

One `Analyzer` per process: building a Kiwi takes about a second and 300 MB.
Articles are fed to Kiwi as one stream, so that Kiwi's worker threads stay
busy while Python extracts from what is already tagged; a headline without a
full stop must not run into the next line, so sentences are also cut at line
breaks.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

WARM_UP = "사전을 준비합니다."  # tagged once when an Analyzer is built
NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "SL", "SN", "SH", "XPN", "XSN", "NR"})


class Token(NamedTuple):
    """A morpheme; a named tuple because an article has thousands of them."""

    form: str
    tag: str
    start: int  # offset in the article text
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence and its tokens. Tokens are Kiwi's own `Token` objects (or
    `Token` tuples in tests): both have form, tag, start and end, with
    offsets into the article text."""

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
        to analyse a stream.

        Kiwi builds its dictionary, user words included, on the first
        analysis (about 1.7 s with our 1,100 words): a short text tagged here
        pays that with the rest of start-up, not in the first article's time.
        """
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi(num_workers=num_workers if num_workers != 0 else 1)
        for word, tag in user_words:
            if word and " " not in word:
                self._kiwi.add_user_word(word, tag, 0.0)
        self._kiwi.tokenize(WARM_UP)

    def analyze(self, text: str, body_start: int = 0) -> list[Sentence]:
        """The sentences of one text (tests and one-off use; loads stream `analyze_many`)."""
        return _sentences(text, self._kiwi.tokenize(text, split_sents=True), body_start)

    def analyze_many(self, items: Iterable[tuple[str, int]], read_ahead: bool = True) -> Iterator[list[Sentence]]:
        """Sentences of each (text, body_start) pair, in input order.

        Kiwi tags whole articles on its worker threads; a sentence that Kiwi
        ran across a line break (a headline has no full stop) is cut there.
        Streamed, Kiwi answers the first text only once it has read a window
        of later ones (or the end): a source that comes slowly, page by page,
        asks for `read_ahead=False`, each text tagged as it comes.
        """
        if not read_ahead:
            yield from (self.analyze(text, body_start) for text, body_start in items)
            return
        pending: deque[tuple[str, int]] = deque()

        def texts() -> Iterator[str]:
            for text, body_start in items:
                pending.append((text, body_start))
                yield text

        for kiwi_sents in self._kiwi.tokenize(texts(), split_sents=True):
            text, body_start = pending.popleft()
            yield _sentences(text, kiwi_sents, body_start)


def _sentences(text: str, kiwi_sents: list[list[Any]], body_start: int) -> list[Sentence]:
    out: list[Sentence] = []
    for tokens in kiwi_sents:
        for line in _by_line(tokens):
            start, end = line[0].start, line[-1].end
            out.append(Sentence(len(out), text[start:end], start, end, tuple(line), start < body_start))
    return out


def _by_line(tokens: list[Any]) -> list[list[Any]]:
    """Tokens of one Kiwi sentence, cut where the text starts a new line."""
    if not tokens or tokens[0].line_number == tokens[-1].line_number:
        return [tokens] if tokens else []
    lines: list[list[Any]] = [[tokens[0]]]
    for tok in tokens[1:]:
        if tok.line_number != lines[-1][-1].line_number:
            lines.append([])
        lines[-1].append(tok)
    return lines
