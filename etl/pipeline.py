"""Running the stages over a batch: read → clean → tag → extract.

Cleaning and extraction are pure; this module wires them to the readers and
to one Kiwi `Analyzer`, which tags the whole batch as a stream on its worker
threads while this thread extracts. A failure on one input becomes a
`Rejection` for that input; the rest of the batch goes on.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence

from etl.clean import clean
from etl.errors import rejection_for
from etl.extract import Resources, extract, load_resources, user_words
from etl.nlp import Analyzer
from etl.readers import DEFAULT_MAX_BYTES, read_paths
from etl.records import Article, Document, Extraction, Rejection, Unchanged

HANGUL = re.compile(r"[가-힣]")

_ANALYZER: Analyzer | None = None


def analyzer() -> Analyzer:
    """The process's Analyzer, built on first use (Kiwi takes a second to load)."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = Analyzer(user_words(load_resources()))
    return _ANALYZER


def clean_document(doc: Document) -> Article | Rejection:
    """Clean one document, or say why it holds no article."""
    try:
        article = clean(doc)
    except Exception as exc:  # a bug in one document must not cost the batch; it is reported as a bug
        return rejection_for(exc, doc.source, doc.source_hash, "cleaning")
    if not HANGUL.search(article.text):
        return Rejection(doc.source, "no Korean article text left after removing page furniture", doc.source_hash)
    return article


def extract_articles(
    articles: Iterable[Article | Rejection], res: Resources | None = None, nlp: Analyzer | None = None,
    read_ahead: bool = True,
) -> Iterator[Extraction | Rejection]:
    """Tag and extract a stream of articles; rejections pass through, everything in input order.
    `read_ahead=False` answers each article before reading the next (`Analyzer.analyze_many`)."""
    res = res or load_resources()
    nlp = nlp or analyzer()
    waiting: deque[Article | Rejection] = deque()  # inputs read and not yet passed on, in input order

    def texts() -> Iterator[tuple[str, int]]:
        for item in articles:
            waiting.append(item)
            if not isinstance(item, Rejection):
                yield item.text, item.body_start

    for sentences in nlp.analyze_many(texts(), read_ahead):
        while isinstance(waiting[0], Rejection):  # Kiwi reads ahead: a later rejection waits its turn
            yield waiting.popleft()
        article = waiting.popleft()
        try:
            yield extract(article, sentences, res)
        except Exception as exc:  # a bug in one article must not cost the batch; it is reported as a bug
            yield rejection_for(exc, article.source, article.source_hash, "extracting")
    yield from waiting  # rejections only


def run(
    paths: Sequence[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    skip: Callable[[Document], bool] | None = None,
    on_skip: Callable[[Document], None] | None = None,
) -> Iterator[Extraction | Rejection]:
    """Everything in `paths`, extracted. `skip` leaves out documents already
    loaded (reported to `on_skip`) before any tagging is spent on them."""

    def cleaned() -> Iterator[Article | Rejection]:
        for item in read_paths(paths, max_bytes=max_bytes):
            if isinstance(item, Rejection):
                yield item
            elif isinstance(item, Unchanged):
                continue  # a duplicate its source marked (BIGKinds 중복): nothing to extract
            elif skip is not None and skip(item):
                if on_skip is not None:
                    on_skip(item)
            else:
                yield clean_document(item)

    return extract_articles(cleaned())
