"""The contract every format reader implements, and the input it receives.

Readers are chosen by `etl.readers.choose_reader`; each one turns the bytes of
one input into `Document`s and `Rejection`s and never raises for bad input.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from etl.readers.limits import DEFAULT_LIMITS, Limits
from etl.records import Document, Rejection

HANGUL_RE = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")


@dataclass(frozen=True, slots=True)
class Input:
    """One file (or standard input) as read from disk, before parsing.

    `source` is what users see in messages; `stem` names the documents;
    `suffix` is the lower-case extension ("" for standard input) and is only
    a hint, because content sniffing comes first. `limits` bounds what the
    reader may spend on it.
    """

    source: str
    stem: str
    suffix: str
    data: bytes
    source_hash: str
    limits: Limits = DEFAULT_LIMITS

    @classmethod
    def of(cls, source: str, stem: str, suffix: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Input:
        """Build an input, hashing its bytes once (the loader keys on the hash)."""
        return cls(source, stem, suffix.lower(), data, sha256_hex(data), limits)

    def reject(self, reason: str) -> Rejection:
        return Rejection(source=self.source, reason=reason, source_hash=self.source_hash)


class Reader(Protocol):
    """A format: how to recognise it and how to read it."""

    name: str
    extensions: tuple[str, ...]

    def sniff(self, item: Input) -> bool:
        """True when the content itself says the input is in this format."""
        ...

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        """Every article in the input, or why one could not be read."""
        ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def has_hangul(text: str) -> bool:
    return HANGUL_RE.search(text) is not None
