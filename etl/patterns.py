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
    """One alternation of all patterns, so a line is tested with a single search."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(f"{source}: bad pattern {pattern!r} ({exc})") from None
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class Boilerplate:
    tail: re.Pattern[str]
    copyright: re.Pattern[str]
    drop: re.Pattern[str]
    caption: re.Pattern[str]
    menu_separator: re.Pattern[str]
    byline: re.Pattern[str]
    date_labels: tuple[str, ...]
    edit_labels: tuple[str, ...]


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
        date_labels=tuple(data.get("date_labels", [])),
        edit_labels=tuple(data.get("edit_labels", [])),
    )
