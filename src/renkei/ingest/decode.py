"""Bytes to text: encoding detection (UTF-8, UTF-8 with BOM, CP932, EUC-JP, UTF-16 with BOM) and the refusal of
non-text input.

Japanese Excel writes CSV in CP932 (Shift_JIS); a PDF copy is UTF-8; an old Unix system or web page EUC-JP. Strict
UTF-8 is tried first because a UTF-8 file never decodes as CP932 by accident in practice, then CP932, then EUC-JP,
then charset-normalizer's best guess.
A forced ``encoding`` that fails names the byte and line and suggests the encoding that would work.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from renkei.ingest.errors import TableReadError
from renkei.vision.model import Finding, Location, Severity

_MAGIC = {
    b"%PDF": "pdf",
    b"\xd0\xcf\x11\xe0": "xls",
    b"PK\x03\x04": "zip",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    findings: tuple[Finding, ...] = ()


# Images by their first bytes: a table photographed or scanned, or a file renamed .xlsx or .csv.
_IMAGES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def sniff_binary(data: bytes) -> str | None:
    """The kind of a binary container by its magic bytes (pdf, xls, zip), or None for anything else."""
    return next((kind for magic, kind in _MAGIC.items() if data.startswith(magic)), None)


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    if not data.strip():
        raise TableReadError("empty-file")
    image = next((kind for magic, kind in _IMAGES if data.startswith(magic)), None)
    if image is not None:  # a photo or scan of a table, whatever its name says: no text to read
        raise TableReadError("image-file", kind=image)
    if encoding is not None:
        return _decode_forced(data, encoding)
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_utf8(data[len(codecs.BOM_UTF8) :]), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_utf16(data), "utf-16")
    if b"\x00" in data[:4096]:
        # No text encoding a table arrives in puts NUL bytes in text (UTF-16 came with its BOM above): an image,
        # an archive or other binary file. Refuse it as such rather than suggest an encoding.
        raise TableReadError("binary-file")
    for candidate in _JAPANESE:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as error:
            if candidate == "utf-8" and error.start >= len(data) - 3 and error.reason == "unexpected end of data":
                return _truncated(data, error)
            continue
        return _checked(Decoded(text, candidate), candidate)
    guess = from_bytes(data).best()
    if guess is None or guess.encoding is None:
        raise TableReadError("undecodable")
    return _checked(Decoded(str(guess), guess.encoding), guess.encoding)


def _utf8(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8-sig")
    except UnicodeDecodeError as error:
        raise _decode_error(data, "utf-8", error) from None


def _utf16(data: bytes) -> Decoded:
    """Excel's 「Unicode テキスト」 export: tab-separated UTF-16 with a byte-order mark."""
    try:
        return Decoded(data.decode("utf-16"), "utf-16")
    except UnicodeDecodeError as error:
        raise _decode_error(data, "utf-16", error) from None


# What Japanese users call Shift_JIS is Microsoft's CP932: the strict codec refuses ① and other NEC characters.
# The encodings Japanese text arrives in, tried strictly in this order: UTF-8 never decodes as CP932 by accident in
# practice, and CP932's lead bytes 0x81–0x9F are no EUC-JP's (an old Unix system's or web page's export), so a file
# of one decodes as no other before it.
_JAPANESE = ("utf-8", "cp932", "euc_jp")

_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "s-jis": "cp932",
    "shiftjis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "utf8": "utf-8",
    "utf-8-bom": "utf-8-sig",
}


def text_encoding(name: str) -> str:
    """The codec name for an encoding a user gave, refusing unknown names and the codecs that are not text
    encodings (base64, hex, zlib, rot13 …: bytes to bytes or str to str)."""
    encoding = _ALIASES.get(name.strip().lower(), name.strip())
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):  # ValueError: a NUL in the name
        raise TableReadError("unknown-encoding", encoding=name[:40]) from None
    if not getattr(info, "_is_text_encoding", True):
        raise TableReadError("encoding-not-text", encoding=name[:40])
    return encoding


def _decode_forced(data: bytes, encoding: str) -> Decoded:
    encoding = text_encoding(encoding)
    start = len(codecs.BOM_UTF8) if encoding.replace("_", "-").lower().startswith("utf-8") else 0
    if data.startswith(codecs.BOM_UTF8) and start:
        data = data[start:]
    try:
        return _checked(Decoded(data.decode(encoding), encoding), encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(data, encoding, error) from None
    except UnicodeError:  # punycode, idna …: a text codec that fails without saying where
        raise TableReadError(
            "decode-failed", Location(line=1), encoding=encoding, byte=1, suggestion=_suggest(data, encoding)
        ) from None


def _decode_error(data: bytes, encoding: str, error: UnicodeDecodeError) -> TableReadError:
    line = data.count(b"\n", 0, error.start) + 1
    suggestion = _suggest(data, encoding)
    return TableReadError(
        "decode-failed", Location(line=line), encoding=encoding, byte=error.start + 1, suggestion=suggestion
    )


def _suggest(data: bytes, failed: str) -> str:
    for candidate in _JAPANESE:
        if candidate != failed.lower():
            try:
                data.decode(candidate)
            except UnicodeDecodeError:
                continue
            return candidate
    guess = from_bytes(data).best()
    return guess.encoding if guess is not None and guess.encoding else "cp932"


def _truncated(data: bytes, error: UnicodeDecodeError) -> Decoded:
    """A file cut in the middle of a character: read what is whole and say so."""
    text = data[: error.start].decode("utf-8")
    line = text.count("\n") + 1
    finding = Finding(Severity.WARNING, "truncated-character", {}, Location(line=line))
    return _checked(Decoded(text, "utf-8", (finding,)), "utf-8")


# Control characters other than tab and line breaks, and the replacement character: junk in a table's text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def _checked(decoded: Decoded, encoding: str) -> Decoded:
    """Refuse text that is mostly control characters: binary junk that happened to decode."""
    text = decoded.text
    control = len(_CONTROL.findall(text))
    if "\x00" in text or control > max(2, len(text) // 50):
        raise TableReadError("binary-file")
    if encoding not in ("utf-8", "utf-8-sig"):
        info = Finding(Severity.INFO, "encoding-detected", {"encoding": encoding})
        return Decoded(text, encoding, (*decoded.findings, info))
    return decoded
