"""Plain-text articles: one file, one article (the scraped seeds look like this)."""
from __future__ import annotations

from collections.abc import Iterator

from etl.normalize import normalize_text
from etl.readers.base import Input
from etl.readers.decode import DecodeError, decode_text
from etl.records import Document, Rejection


class TextReader:
    """The fallback reader: anything that decodes to text is an article."""

    name = "text"
    extensions = (".txt", ".text", ".md")

    def sniff(self, item: Input) -> bool:
        return False  # plain text has no signature; it is chosen last

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        try:
            text = normalize_text(decode_text(item.data))
        except DecodeError as exc:
            yield item.reject(exc.reason)
            return
        text = text.strip("\n")
        if not text.strip():
            yield item.reject("empty file")
            return
        yield Document(
            doc_id=item.stem,
            source=item.source,
            raw_text=text,
            fmt="text",
            source_hash=item.source_hash,
        )
