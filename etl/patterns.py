"""Loading the pattern and keyword data files that drive cleaning and extraction.

The files under `etl/data/` are the domain knowledge (boilerplate patterns,
industry keywords, money and period cues); this module only reads them. Each
loader is cached, so a process reads a file once, on first use.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


class DataFileError(ValueError):
    """A data file under etl/data is missing or malformed."""


def read_toml(name: str, directory: Path | None = None) -> dict:
    path = (directory or DATA_DIR) / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataFileError(f"{path}: data file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML ({exc})") from None


def compile_any(patterns: list[str], source: str) -> re.Pattern[str]:
    """One alternation of all patterns, so a line is tested with a single search.

    Patterns anchored with ^ share one anchor: at every other position the
    search then fails after a single check instead of one per pattern.
    """
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(f"{source}: bad pattern {pattern!r} ({exc})") from None
    if not patterns:
        return re.compile(r"(?!x)x")
    anchored = [p[1:] for p in patterns if p.startswith("^")]
    floating = [p for p in patterns if not p.startswith("^")]
    parts = []
    if anchored:
        parts.append("^(?:" + "|".join(f"(?:{p})" for p in anchored) + ")")
    parts.extend(f"(?:{p})" for p in floating)
    return re.compile("|".join(parts))


@dataclass(frozen=True, slots=True)
class Boilerplate:
    tail: re.Pattern[str]
    copyright: re.Pattern[str]
    drop: re.Pattern[str]
    caption: re.Pattern[str]
    menu_separator: re.Pattern[str]
    byline: re.Pattern[str]
    furniture: re.Pattern[str]  # drop, caption or byline: one search per line
    end: re.Pattern[str]  # tail marker or copyright: where the article ends
    date_labels: tuple[str, ...]
    edit_labels: tuple[str, ...]
    page_clock: re.Pattern[str] = re.compile(r"(?!x)x")  # a weather bar: the date above it is today's, not the article's


@lru_cache(maxsize=None)
def boilerplate(directory: Path | None = None) -> Boilerplate:
    data = read_toml("boilerplate.toml", directory)
    source = "boilerplate.toml"
    return Boilerplate(
        tail=compile_any(data.get("tail_markers", []), source),
        copyright=compile_any(data.get("copyright", []), source),
        drop=compile_any(data.get("drop_lines", []), source),
        caption=compile_any(data.get("captions", []), source),
        menu_separator=compile_any(data.get("menu_separators", []), source),
        byline=compile_any(data.get("byline", []), source),
        furniture=compile_any(data.get("drop_lines", []) + data.get("captions", []) + data.get("byline", []), source),
        end=compile_any(data.get("tail_markers", []) + data.get("copyright", []), source),
        date_labels=tuple(data.get("date_labels", [])),
        edit_labels=tuple(data.get("edit_labels", [])),
        page_clock=compile_any(data.get("page_clock", []), source),
    )


def trie_branches(words: list[str]) -> list[str]:
    """Regular expressions for many literal words, shaped as a trie: one
    alternative per first character.

    A plain alternation of a few hundred words makes the regex engine try
    every word at every position; sharing prefixes makes a scan over an
    article close to linear, and an alternation whose every branch starts
    with a literal lets the engine skip at C speed to where a word can start.
    The longest word wins (optional tails are greedy). A space in a word
    matches any run of spaces, including none.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branches(root)


def _branches(node: dict) -> list[str]:
    return [(r"\s*" if ch == " " else re.escape(ch)) + _trie_regex(node[ch]) for ch in sorted(k for k in node if k)]


def _trie_regex(node: dict) -> str:
    branches = _branches(node)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body
