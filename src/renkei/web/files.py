"""What a download is made of: a renderer of the registry asked for by name, a document in its format, and the
response that names the file in Japanese and in ASCII (RFC 6266 ``filename*``)."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.responses import Response

from renkei import render as registry
from renkei.web.refusal import refusal


def ascii_filename(stem: str) -> str:
    """A file name's plain-ASCII fallback: a sphere's key may be Japanese, and a header must stay Latin-1."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "renkei"


# Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) make a name read otherwise than it
# is ("report\u202Efdp.exe" shows as "reportexe.pdf"); control characters have no place in a file name.
_UNSHOWN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x1f\x7f-\x9f]")


def download_name(name: str) -> str:
    """A file name as a download offers it: without bidirectional or other control characters."""
    return _UNSHOWN.sub("", name) or "renkei"


def content_disposition(name: str, fallback: str) -> str:
    """An attachment's header: the name in UTF-8 (RFC 6266 ``filename*``) and its ASCII fallback."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download_name(name), safe='')}"


# Each CSV variant's own name, so that two downloads of one table in two encodings do not overwrite each other.
VARIANTS = {"csv-utf8": "UTF-8", "csv-cp932": "Shift_JIS", "csv-long": "縦長"}
ASCII_VARIANTS = {"csv-utf8": "utf8", "csv-cp932": "sjis", "csv-long": "long"}


def stem(parts: list[str]) -> str:
    """Parts of a file name joined by _, each without characters a file system refuses."""
    return "_".join(re.sub(r'[\\/:*?"<>|\s]+', "-", p).strip("-") for p in parts if p)


def document_names(
    renderer: registry.Renderer, parts: list[str], ascii_parts: list[str], old: int, new: int, date: str
) -> tuple[str, str]:
    """A compared document's file name, in Japanese and in ASCII: what it is (``parts``), the revisions compared,
    the date the later one takes effect and the CSV variant, so that no two downloads share a name."""
    japanese = [*parts, f"第{old}版-第{new}版", date, VARIANTS.get(renderer.name, "")]
    plain = [*ascii_parts, f"r{old}-r{new}", date, ASCII_VARIANTS.get(renderer.name, "")]
    return stem(japanese), "-".join(p for p in plain if p)


def attachment(data: bytes, renderer: registry.Renderer, stem: str, ascii_stem: str) -> Response:
    name = f"{stem}.{renderer.extension}"
    fallback = f"{ascii_filename(ascii_stem)}.{renderer.extension}"
    disposition = content_disposition(name, fallback)
    return Response(data, media_type=renderer.media_type, headers={"Content-Disposition": disposition})


def renderer_of(name: str, document: bool = False) -> registry.Renderer:
    try:
        renderer = registry.get(name)
    except KeyError:
        raise refusal("not-found") from None
    if document and renderer.document is None:
        raise refusal("not-found")
    problem = renderer.unavailable() if renderer.unavailable is not None else None
    if problem is not None:
        raise problem  # 503 with the reason (app.py), before any work
    return renderer


def document_bytes(renderer: registry.Renderer, document: registry.Document) -> bytes:
    """A document in the renderer's format; 422 with the reason where the format cannot hold its text."""
    assert renderer.document is not None
    try:
        return renderer.document(document)
    except registry.RenderError as error:
        raise refusal("invalid-request", str(error)) from None
