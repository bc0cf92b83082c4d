"""The reading stage: files, folders and standard input to `Document | Rejection`.

    for record in read_paths(["articles/", "NewsResult_20240604.xlsx", "-"]):
        ...

Every problem with an input becomes a `Rejection` whose `reason` a
non-programmer can act on, and the rest of the batch continues; only
programming errors raise. The format is chosen by content first (a saved web
page called .txt is still a web page) and by extension second; see
`choose_reader`.
"""
from __future__ import annotations

import os
import stat
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from etl.readers.base import Input, Reader, has_hangul, sha256_hex
from etl.readers.binary import BinaryReader
from etl.readers.delimited import CsvReader
from etl.readers.excel import ExcelReader
from etl.readers.jsonl import JsonlReader
from etl.readers.limits import DEFAULT_MAX_BYTES, LimitExceeded, Limits, format_size
from etl.readers.text import TextReader
from etl.readers.webpage import HtmlReader
from etl.errors import rejection_for
from etl.records import Document, Rejection

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "Input", "Limits", "Reader", "choose_reader", "display_path", "format_size",
           "read_bytes", "read_paths"]

STDIN_SOURCE = "<stdin>"
NO_KOREAN = "no Korean text found"

# Content sniffing runs in this order; Excel must come before Binary because a
# workbook is also a ZIP (or, when encrypted, an OLE2) file.
READERS: tuple[Reader, ...] = (ExcelReader(), BinaryReader(), HtmlReader(), JsonlReader(), CsvReader(), TextReader())
FALLBACK: Reader = READERS[-1]

_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})


def read_paths(
    paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Document | Rejection]:
    """Every article in `paths` (files, folders, or "-" for standard input)."""
    for path in paths:
        if path == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
        elif os.path.isdir(path):
            yield from _read_folder(path, max_bytes)
        else:
            yield from _read_file(path, max_bytes)


def read_bytes(
    data: bytes, *, source: str, stem: str, suffix: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | Rejection]:
    """Read one input already in memory (pure apart from the parsers).

    A reader that finds the input over one of its `Limits` raises
    `LimitExceeded` before it yields anything, and the whole input is
    rejected with that reason.
    """
    item = Input.of(source, stem, suffix, data, Limits.for_size(max_bytes))
    if not data.strip():
        yield item.reject("empty file")
        return
    try:
        for record in choose_reader(item).read(item):
            if isinstance(record, Document) and not has_hangul(record.raw_text):
                yield Rejection(source=record.source, reason=NO_KOREAN, source_hash=record.source_hash)
            else:
                yield record
    except LimitExceeded as exc:
        yield item.reject(exc.reason)
    except Exception as exc:  # readers reject bad input themselves: this is a bug or a missing module
        yield rejection_for(exc, source, item.source_hash, "reading")


def choose_reader(item: Input) -> Reader:
    """The reader whose content sniffing matches, else the one for the extension, else text."""
    for reader in READERS:
        if reader.sniff(item):
            return reader
    for reader in READERS:
        if item.suffix in reader.extensions:
            return reader
    return FALLBACK


def file_too_large(size: int, max_bytes: int) -> str:
    return f"file is {format_size(size)}, larger than the {format_size(max_bytes)} limit (--max-size)"


def input_too_large(max_bytes: int) -> str:
    """Standard input is read only up to the limit, so its full size is unknown."""
    return f"input is larger than the {format_size(max_bytes)} limit (--max-size)"


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Document | Rejection]:
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        yield Rejection(source=STDIN_SOURCE, reason=f"cannot read standard input ({exc.strerror or exc})")
        return
    if len(data) > max_bytes:
        yield Rejection(source=STDIN_SOURCE, reason=input_too_large(max_bytes))
        return
    # Standard input has no name; the content hash keeps its doc_id unique.
    yield from read_bytes(data, source=STDIN_SOURCE, stem=f"stdin_{sha256_hex(data)[:16]}", max_bytes=max_bytes)


def _read_folder(folder: str, max_bytes: int) -> Iterator[Document | Rejection]:
    files, skipped = folder_files(folder)
    yield from skipped
    for path in files:
        yield from _read_file(path, max_bytes)


def folder_files(folder: str) -> tuple[list[str], list[Rejection]]:
    """The files under `folder` (sorted), and why any part of it was not read.

    Links to folders are followed, as users who link a folder of articles
    into the inbox expect, but each real folder is read once: a link back to a
    folder that contains it (a loop) or to a folder already read is reported
    and not followed.
    """
    problems: list[OSError] = []
    skipped: list[Rejection] = []
    files: list[str] = []
    seen: dict[tuple[int, int], str] = {}
    try:
        seen[_identity(folder)] = folder
    except OSError:
        pass  # os.walk reports it below
    for root, dirs, names in os.walk(folder, onerror=problems.append, followlinks=True):
        kept = []
        for name in sorted(d for d in dirs if not _is_hidden(d)):
            path = os.path.join(root, name)
            try:
                key = _identity(path)
            except OSError as exc:
                problems.append(exc)
                continue
            if key in seen:
                skipped.append(Rejection(source=display_path(path), reason=_repeat_reason(path, seen[key])))
                continue
            seen[key] = path
            kept.append(name)
        dirs[:] = kept
        files.extend(os.path.join(root, name) for name in names if not _is_hidden(name))
    for error in problems:
        skipped.append(Rejection(source=display_path(error.filename or folder), reason=_os_reason(error)))
    return sorted(files), sorted(skipped, key=lambda rejection: rejection.source)


def _identity(path: str) -> tuple[int, int]:
    """What makes two paths the same folder, links followed: device and inode."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _repeat_reason(path: str, first: str) -> str:
    """Why a folder is not read: a link loops, or the folder was read under another name."""
    if not os.path.islink(path):  # the real folder, after a link to it was followed
        return f"folder already read through the link {display_path(first)}; not read again"
    inside = os.path.commonpath([os.path.abspath(path), os.path.abspath(first)]) == os.path.abspath(first)
    if inside:
        return f"link to a folder that contains it (a loop: {display_path(first)}); not followed"
    return f"link to a folder already read as {display_path(first)}; not followed"


def _is_hidden(name: str) -> bool:
    """Files users do not think of as inputs: dotfiles, Excel lock files, Windows clutter."""
    return name.startswith((".", "~$")) or name.lower() in _IGNORED_NAMES


class _TooLarge(Exception):
    """The file is over --max-size; raised before its bytes are read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _NotRegular(OSError):
    """A device, pipe or socket: reading it could block or never end."""

    def __init__(self, path: str) -> None:
        super().__init__(0, "not a regular file", path)


def _read_file(path: str, max_bytes: int) -> Iterator[Document | Rejection]:
    source = display_path(path)
    try:
        data = _load(path, max_bytes)
    except _TooLarge as exc:
        yield Rejection(source=source, reason=file_too_large(exc.size, max_bytes))
        return
    except OSError as exc:
        yield Rejection(source=source, reason=_os_reason(exc))
        return
    name = Path(source)
    yield from read_bytes(data, source=source, stem=name.stem, suffix=name.suffix, max_bytes=max_bytes)


def display_path(path: str) -> str:
    """`path` as messages and the database can hold it: every message that
    names an input names it through here.

    File names are bytes. One that is not UTF-8 (Korean names unzipped from a
    Windows archive are CP949) reaches Python with surrogate escapes, which can
    be neither printed nor stored; each such part is decoded as CP949 instead,
    else shown with \\xNN escapes. A name may also hold a newline, a carriage
    return or a terminal escape code, which would split a message into two
    lines or reach the terminal raw; those are shown escaped (see `escape_controls`).
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        parts = os.fsencode(path).split(os.fsencode(os.sep))
        path = os.sep.join(_decode_name(part) for part in parts)
    return escape_controls(path)


# Characters that are invisible or move the cursor: C0/C1 controls and DEL
# (Cc), format characters such as right-to-left overrides (Cf), and the
# Unicode line and paragraph separators.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """`text` with each control character written as \\n, \\r, \\t, \\xNN or \\uNNNN."""
    if text.isprintable():
        return text
    return "".join(_escape_char(ch) for ch in text)


def _escape_char(ch: str) -> str:
    if unicodedata.category(ch) not in _CONTROL_CATEGORIES:
        return ch
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _decode_name(name: bytes) -> str:
    for codec in ("utf-8", "cp949"):
        try:
            return name.decode(codec)
        except UnicodeDecodeError:
            pass
    return name.decode("utf-8", "backslashreplace")


def _load(path: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing before reading anything over the limit.

    `stat` comes first so that a named pipe is refused instead of blocking.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _NotRegular(path)
    if info.st_size > max_bytes:
        raise _TooLarge(info.st_size)
    with open(path, "rb") as handle:
        data = handle.read(info.st_size + 1)  # a buffer of the file's size, not of the limit's 20 MB
        if len(data) > info.st_size:  # the file grew while we looked
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise _TooLarge(len(data))
    return data


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, _NotRegular):
        return "not a regular file (device, pipe or socket)"
    return f"cannot read file ({error.strerror or error})"
