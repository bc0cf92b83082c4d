"""JSON Lines: one JSON object per line, one article per object.

Each line is parsed on its own, so a bad line costs that line only; a line
nested deeper than the limit (which would exhaust Python's stack) is a bad
line too. A file with more lines than the limit is rejected whole, before
any of its articles is read.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from etl.readers.base import Input
from etl.readers.decode import DecodeError, decode_text
from etl.readers.fields import match_columns, missing_body_reason, pick, row_document
from etl.readers.limits import DEFAULT_LIMITS, LimitExceeded, Limits, count
from etl.records import Document, Rejection


@dataclass(frozen=True, slots=True)
class JsonLine:
    line: int
    value: dict


@dataclass(frozen=True, slots=True)
class JsonProblem:
    line: int
    message: str


def parse_jsonl(text: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[JsonLine | JsonProblem]:
    """Objects of a JSON Lines text (blank lines skipped), bad lines reported.

    Raises `LimitExceeded` past `limits.max_rows` lines or `max_seconds`.
    """
    clock = limits.clock()
    seen = 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        seen += 1
        if seen > limits.max_rows:
            raise LimitExceeded(f"more than {count(limits.max_rows)} lines (the limit); split the file")
        clock.check()
        yield _parse_line(line, number, limits)


def _parse_line(line: str, number: int, limits: Limits) -> JsonLine | JsonProblem:
    too_deep = JsonProblem(number, f"line {number} nests deeper than {limits.max_depth} levels (the limit)")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return JsonProblem(number, f"bad JSON on line {number}: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return too_deep
    except ValueError:  # the one other failure: an integer longer than Python converts (4,300 digits)
        return JsonProblem(number, f"bad JSON on line {number}: a number with too many digits")
    if not isinstance(value, dict):
        return JsonProblem(number, f"line {number} is not a JSON object")
    if json_depth(value, limits.max_depth) > limits.max_depth:
        return too_deep
    if len(value) > limits.max_columns:
        return JsonProblem(number, f"line {number} has {count(len(value))} fields, "
                                   f"more than the {count(limits.max_columns)} limit")
    return JsonLine(number, value)


def json_depth(value: object, limit: int) -> int:
    """How deeply lists and objects nest in `value` (a scalar is 0), counted
    without recursion; stops early once past `limit`."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


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
        parsed = list(parse_jsonl(text, item.limits))
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
