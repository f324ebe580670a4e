"""The API's documentation: ``/openapi.json`` in the reader's language, and swagger-ui over it, served from the
app's own vendored copy, so that it works offline and under a Content-Security-Policy that allows only the
app's own scripts and styles.

The API's texts (each operation's summary and description, each parameter's, each schema field's) are written in
English beside the code that they describe, as FastAPI takes them. Their Japanese is a translation catalogue in
the way of gettext, ``renkei/locale/openapi.ja.json``: the English text (its whitespace folded) to the Japanese.
The Japanese document is the default, as every page's is; ``?lang=en`` or the reader's choice gives the
English. ``tests/test_api_docs.py`` holds every text of the document to a translation and every translation to
a text still in use."""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from renkei.web.templating import render

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)

TEXTS = ("summary", "description")


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """English text (whitespace folded) → the language's, for the API's document; none for English."""
    source = importlib.resources.files("renkei") / "locale" / f"openapi.{lang}.json"
    if lang == "en" or not source.is_file():
        return {}
    found: dict[str, str] = json.loads(source.read_text(encoding="utf-8"))
    return found


def folded(text: str) -> str:
    return " ".join(text.split())


def _places(node: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """Every summary and description of an OpenAPI document (operations, parameters, responses, schemas), as
    the mapping that holds it and its key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXTS and isinstance(value, str):
                yield node, key
            else:
                yield from _places(value)
    elif isinstance(node, list):
        for value in node:
            yield from _places(value)


def texts_of(document: Any) -> list[str]:
    """Every summary and description of an OpenAPI document."""
    return [holder[key] for holder, key in _places(document)]


def localised(document: dict[str, Any], lang: str) -> dict[str, Any]:
    """The document with its texts in ``lang`` where the catalogue has them (the English where it has not)."""
    table = translations(lang)
    if not table:
        return document
    out = copy.deepcopy(document)
    for holder, key in list(_places(out)):
        holder[key] = table.get(folded(holder[key]), holder[key])
    return out


@router.get("/openapi.json")
def openapi(request: Request) -> Response:
    lang = request.state.lang
    headers = {"Content-Language": lang, "Vary": "Accept-Language, Cookie"}
    return JSONResponse(localised(request.app.openapi(), lang), headers=headers)


@router.get("/favicon.ico")
def favicon() -> Response:
    """The icon a browser asks for at this address before it reads a page's ``<link rel="icon">``: two rings
    linked, the app's mark (an SVG, which browsers take at this address too)."""
    data = (STATIC_DIR / "favicon.svg").read_bytes()
    return Response(data, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/api/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    return render(request, "apidocs.html", {})
