"""Inputs that are not articles at all (images, PDFs, archives).

Modelled as a reader so that dispatch stays one loop: it recognises binary
content and answers with a Rejection that says what the file looks like.
"""
from __future__ import annotations

from collections.abc import Iterator

from etl.readers.base import Input
from etl.readers.decode import binary_kind
from etl.records import Document, Rejection


class BinaryReader:
    name = "binary"
    extensions: tuple[str, ...] = ()  # content decides: a text file named .png is still text

    def sniff(self, item: Input) -> bool:
        return binary_kind(item.data) is not None

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        kind = binary_kind(item.data) or "unknown format"
        yield item.reject(f"binary file ({kind}), not an article")
