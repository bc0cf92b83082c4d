"""Turning bytes into text, and recognising bytes that are not text at all.

Pure functions, so that every encoding case can be tested without files.
Korean inputs come in UTF-8 (with or without BOM), UTF-16 with BOM (Notepad's
"Unicode"), and CP949/EUC-KR (Excel and older Windows tools). The order of
attempts matters: a BOM is proof; strict UTF-8 almost never succeeds on
CP949 bytes by accident; CP949 is a superset of EUC-KR; charset-normalizer is
only a last resort because it happily "decodes" garbage into Latin text.
"""
from __future__ import annotations

import re

from etl.readers.base import has_hangul

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)

_KOREAN_CHARSETS = {
    "euc-kr", "euckr", "euc_kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601",
    "cp949", "ms949", "uhc", "windows-949", "x-windows-949",
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"MZ", "Windows program"),
    (b"\x7fELF", "program"),
)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; `reason` says where."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The codec and BOM length if `data` starts with a Unicode BOM."""
    for bom, codec, _ in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def decode_text(data: bytes) -> str:
    """Decode article bytes; raise `DecodeError` naming the first bad byte."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                offset = exc.start + len(bom)
                raise DecodeError(
                    f"cannot decode: the file says it is {label} but is not (first bad byte at offset {offset})",
                    offset,
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_offset = exc.start
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as exc:
        cp949_offset = exc.start
    guessed = _guess_with_charset_normalizer(data)
    if guessed is not None:
        return guessed
    # The encoding that got further is the one the file is most likely in,
    # so its failure point is the byte worth looking at.
    offset = max(utf8_offset, cp949_offset)
    raise DecodeError(f"cannot decode: not UTF-8 or CP949 (first bad byte at offset {offset})", offset)


def decode_declared(data: bytes, charset: str | None) -> str:
    """Decode with a charset a container declares (HTML meta), else as plain text.

    A declared charset is tried strictly first because web pages often lie
    (UTF-8 declared, EUC-KR saved); if it fails, the ordinary detection runs.
    """
    if charset and bom_encoding(data) is None:
        codec = "cp949" if charset.lower() in _KOREAN_CHARSETS else charset.lower()
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _guess_with_charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # heavy import, only for odd files

    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    return text if has_hangul(text) else None


def binary_kind(data: bytes) -> str | None:
    """What a non-text input looks like ("PDF document"), or None if it may be text.

    ZIP and OLE2 containers are described more precisely by `container_kind`
    because an Excel workbook is also a ZIP file.
    """
    head = data[:16]
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP image"
    container = container_kind(data)
    if container is not None:
        return container
    if b"\x00" in data[:65536] and bom_encoding(data) is None:
        return "contains NUL bytes"
    return None


def container_kind(data: bytes) -> str | None:
    """Name ZIP-based and OLE2-based office files from their inner part names."""
    if data.startswith(ZIP_MAGIC):
        if b"xl/" in data:
            return "Excel workbook"
        if b"word/" in data:
            return "Word document"
        if b"ppt/" in data:
            return "PowerPoint presentation"
        if b"hwp+zip" in data[:512]:
            return "HWPX document"
        return "ZIP archive"
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "password-protected Office file"
        if "HwpSummaryInformation".encode("utf-16-le") in data or b"HWP Document File" in data:
            return "HWP document"
        if "WordDocument".encode("utf-16-le") in data:
            return "Word 97-2003 document"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "Excel 97-2003 workbook"
        return "Microsoft Office 97-2003 file"
    return None


def meta_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in its first few kilobytes."""
    match = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", head[:8192], re.I)
    return match.group(1).decode("ascii") if match else None
