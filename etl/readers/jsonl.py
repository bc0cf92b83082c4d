"""JSON Lines: one JSON object per line, one article per object.

Each line is parsed on its own, so a bad line costs that line only.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from etl.readers.base import Input
from etl.readers.decode import DecodeError, decode_text
from etl.readers.fields import match_columns, missing_body_reason, pick, row_document
from etl.records import Document, Rejection


@dataclass(frozen=True, slots=True)
class JsonLine:
    line: int
    value: dict


@dataclass(frozen=True, slots=True)
class JsonProblem:
    line: int
    message: str


def parse_jsonl(text: str) -> Iterator[JsonLine | JsonProblem]:
    """Objects of a JSON Lines text (blank lines skipped), bad lines reported."""
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield JsonProblem(number, f"bad JSON on line {number}: {exc.msg} (column {exc.colno})")
            continue
        if isinstance(value, dict):
            yield JsonLine(number, value)
        else:
            yield JsonProblem(number, f"line {number} is not a JSON object")


class JsonlReader:
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")

    def sniff(self, item: Input) -> bool:
        head = item.data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
        first = head.split(b"\n", 1)[0].rstrip()
        return first.startswith(b"{") and first.endswith(b"}")

    def read(self, item: Input) -> Iterator[Document | Rejection]:
        try:
            text = decode_text(item.data)
        except DecodeError as exc:
            yield item.reject(exc.reason)
            return
        if not text.strip():
            yield item.reject("empty file")
            return
        parsed = list(parse_jsonl(text))
        objects = [p for p in parsed if isinstance(p, JsonLine)]
        if objects and not any("body" in match_columns(list(o.value)) for o in objects):
            keys = list(dict.fromkeys(key for o in objects for key in o.value))
            yield item.reject(missing_body_reason(keys, what="field"))
            return
        for entry in parsed:
            source = f"{item.source}#line {entry.line}"
            if isinstance(entry, JsonProblem):
                yield Rejection(source=source, reason=entry.message)
                continue
            keys = list(entry.value)
            values = [entry.value[key] for key in keys]
            yield row_document(
                pick(values, match_columns(keys)), source=source, fallback_id=f"{item.stem}#{entry.line}", fmt="jsonl"
            )
