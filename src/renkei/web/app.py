"""The web app: server-rendered pages (Jinja2, htmx), the JSON API under /api, and downloads.

``create_app`` builds the app over a ``Store``; ``renkei serve`` runs it with uvicorn. Pages and API read the
store only through its public methods; the renderer registry serves every download.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from renkei import __version__
from renkei.messages import invalid as invalid_text
from renkei.messages import t
from renkei.render import RenderUnavailable
from renkei.store import Store, StoreError
from renkei.store.engine import ENV
from renkei.web import i18n
from renkei.web.assets import VersionedStatic
from renkei.web.hints import named, page_hint

# A kept response: body, headers, status and media type.
_Kept = tuple[bytes, dict[str, str], int, str | None]
_HERE = Path(str(importlib.resources.files("renkei") / "web"))
# The largest revision or project number a request may name: what the database's INTEGER columns hold
# (PostgreSQL's int4). A larger one is an invalid request (422), not a database overflow (500).
NUMBER_MAX = 2**31 - 1
TEMPLATES = Jinja2Templates(directory=str(_HERE / "templates"))
# JSON shown on a page (the audit trail's before and after) keeps Japanese readable; <, >, & and ' are still
# escaped by tojson.
TEMPLATES.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
# Static files named with a hash of their content (``static("renkei.css")``), cached for a year.
STATIC = VersionedStatic(_HERE / "static")
TEMPLATES.env.globals["static"] = STATIC.url
_STATUS = {
    **dict.fromkeys(
        (
            "sphere-unknown",
            "revision-unknown",
            "project-unknown",
            "not-a-member",
            "municipality-unknown",
            "draft-project-unknown",
            "heading-unknown",
            "account-unknown",
            "token-unknown",
        ),
        404,
    ),
    "forbidden": 403,
    "stale-version": 409,
    "stale-draft": 409,
    "stale-base": 409,
    "draft-unchanged": 409,
    "draft-empty": 409,
    "invalid": 422,
}
_HTTP_CODES = {401: "sign-in-needed", 403: "forbidden", 404: "not-found", 413: "too-large", 428: "if-match-needed"}


def create_app(store: Store | None = None) -> FastAPI:
    """The app over ``store``; without one, over the database of RENKEI_DB (as ``renkei serve --workers`` runs
    it, one app per worker process)."""
    store = store or Store.open(os.environ.get(ENV))
    app = FastAPI(
        title="renkei",
        version=__version__,
        summary="Registry of Japan's inter-municipal cooperation projects (定住自立圏・連携中枢都市圏)",
        openapi_url="/openapi.json",
        docs_url=None,  # served by renkei.web.apidocs from the vendored swagger-ui: no CDN
        redoc_url=None,
    )
    app.state.store = store
    app.state.responses = _Responses()
    app.mount("/static", STATIC, name="static")
    app.middleware("http")(_language)
    app.middleware("http")(_caching)
    # Outermost, so kept and tagged answers are compressed too; ETags stay those of the plain body.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    _handlers(app)
    from renkei.web import admin, amendments, api, apidocs, auth, compare, downloads, edit, imports, pages

    app.include_router(api.router)
    app.include_router(compare.api)
    app.include_router(compare.pages)
    app.include_router(apidocs.router)
    app.include_router(edit.api)
    app.include_router(downloads.router)
    app.include_router(amendments.router)
    app.include_router(auth.router)
    app.include_router(edit.pages)
    app.include_router(imports.pages)
    app.include_router(admin.pages)
    app.include_router(imports.api)
    app.include_router(pages.router)
    from renkei.web import rebase, security

    app.include_router(rebase.api)
    app.include_router(rebase.pages)
    security.install(app)  # last, so outermost: it sees every request first and every response last
    return app


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _language(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Decide the reader's language once per request, and remember an explicit choice in a cookie."""
    request.state.lang = i18n.negotiate(request)
    response = await call_next(request)
    asked = request.query_params.get("lang")
    if asked is not None and asked == request.state.lang:
        response.set_cookie(i18n.COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    if "text/html" in response.headers.get("content-type", ""):
        response.headers["Content-Language"] = request.state.lang
        response.headers.setdefault("Vary", "Accept-Language, Cookie")
    return response


async def _caching(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """ETag on every successful GET of the API and of downloads, and 304 when the client has it already.

    Public reads of published data (the API's and the registry's pages, to anyone not signed in) are kept in
    memory and served again while the store's generation stays the same: revisions never change, and every
    change to what these answer comes with a new revision (see ``Store.generation``)."""
    path = request.url.path
    if _private(request):
        # Drafts, the audit trail and anything asked with credentials are nobody else's: no shared caches.
        response = await call_next(request)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    tagged = path.startswith("/api/") or "/export/" in path
    kept = request.method == "GET" and _PUBLISHED.match(path) is not None
    if not kept:
        response = await call_next(request)
        if request.method != "GET" or response.status_code != 200 or not tagged:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        return _tagged(request, body, dict(response.headers), response.status_code, response.media_type)
    responses: _Responses = request.app.state.responses
    # htmx asks for the matrix alone (HX-Request): another answer at the same address.
    key = (str(request.url), i18n.negotiate(request), request.headers.get("hx-request", ""))
    generation = await run_in_threadpool(store_of(request).generation)
    hit = responses.get(key, generation)
    if hit is None:
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        if response.status_code != 200 or "set-cookie" in response.headers:
            # Not kept: passed on as it came, every header (two cookies, say) with it.
            passed = Response(body, status_code=response.status_code)
            passed.raw_headers = list(response.raw_headers)
            return passed
        headers = dict(response.headers)
        if tagged:
            headers["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        hit = (body, headers, response.status_code, response.media_type)
        responses.put(key, generation, hit)
    body, headers, status, media_type = hit
    if tagged:
        return _tagged(request, body, dict(headers), status, media_type)
    return Response(body, status_code=status, headers=_without_length(headers), media_type=media_type)


def _without_length(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() != "content-length"}


def _tagged(request: Request, body: bytes, headers: dict[str, str], status: int, media_type: str | None) -> Response:
    etag = headers.get("ETag") or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers["ETag"] = etag
    headers.setdefault("Cache-Control", "public, max-age=60")
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        keep = {k: v for k, v in headers.items() if k.lower() in ("etag", "cache-control", "vary")}
        return Response(status_code=304, headers=keep)
    headers.pop("content-length", None)
    return Response(body, status_code=status, headers=headers, media_type=media_type)


# The public reads of published data kept by _caching: the API's reads and the registry's pages.
_PUBLISHED = re.compile(
    r"""^/(?:
        api/(?:
            spheres(?:/[^/]+(?:/(?:revisions|vision|projects(?:/[^/]+)?|diff|agreements/[^/]+|charts/[^/]+))?)?
            | municipalities/[^/]+ | search | formats | compare
        )
        | spheres/[^/]+(?:/(?:revisions|diff|projects/[^/]+))?
        | municipalities/[^/]+ | search | compare
    )?$""",
    re.VERBOSE,
)
_KEPT = 1024
_KEPT_BYTES = 4 * 1024 * 1024
# All kept bodies together, per worker: a count alone let a worker keep a gigabyte of large pages and downloads
# (1,024 × up to 4 MB); what a soak found growing.
_KEPT_TOTAL = 64 * 1024 * 1024


class _Responses:
    """Responses kept per (URL, language, htmx or not), each with the generation it was made at; least recently used
    go first. One per app, so per worker process."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str, str, str], tuple[tuple[int, int], _Kept]] = OrderedDict()
        self._lock = threading.Lock()
        self._bytes = 0

    def get(self, key: tuple[str, str, str], generation: tuple[int, int]) -> _Kept | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != generation:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: tuple[str, str, str], generation: tuple[int, int], kept: _Kept) -> None:
        if len(kept[0]) > _KEPT_BYTES:
            return
        with self._lock:
            replaced = self._items.pop(key, None)
            self._bytes += len(kept[0]) - (len(replaced[1][0]) if replaced else 0)
            self._items[key] = (generation, kept)
            while len(self._items) > _KEPT or self._bytes > _KEPT_TOTAL:
                _, (_, gone) = self._items.popitem(last=False)
                self._bytes -= len(gone[0])


def _private(request: Request) -> bool:
    path = request.url.path
    signed = "authorization" in request.headers or "renkei_session" in request.cookies
    return signed or "/draft" in path or path.endswith("/audit") or path in ("/api/me", "/login")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, code: str, message: str, hint: str = "") -> Response:
    """Errors as JSON with a message on the API; as a page, in the reader's language, elsewhere."""
    if _wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message, "hint": hint}}, status_code=status)
    context = {"status": status, "code": code, "message": message, "hint": hint}
    return render(request, "error.html", context, status=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RenderUnavailable)
    async def render_unavailable(request: Request, error: RenderUnavailable) -> Response:
        # A format this machine cannot write (PDF without Pango or a Japanese font): the reason, not a 500.
        lang = getattr(request.state, "lang", "ja")
        message = t(f"render.{error.code}", lang, **error.params)
        return error_response(request, 503, error.code, message, t(f"hint.{error.code}", lang, **error.params))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        lang = getattr(request.state, "lang", "ja")
        status = _STATUS.get(error.code, 400)
        if error.code in ("stale-version", "stale-draft") and request.url.path.startswith("/api/"):
            status = 412  # the API's If-Match no longer holds
        message = t(f"store.{error.code}", lang, **error.params)
        hint = t(f"hint.store.{error.code}", lang, **error.params)
        if not _wants_json(request):
            params = await run_in_threadpool(named, store_of(request), error.params)
            message = t(f"store.{error.code}", lang, **params)
            hint = page_hint(f"store.{error.code}", lang, **params)
        response = error_response(request, status, error.code, message, hint)
        if isinstance(response, JSONResponse):
            body = json.loads(bytes(response.body))
            if hasattr(error, "errors"):
                body["error"]["details"] = [
                    {"where": k, "message": invalid_text(v, lang), "code": v.code, "params": v.params}
                    for k, v in error.errors.items()
                ]
            if hasattr(error, "current"):
                body["error"]["current"] = error.current.as_dict()
            response = JSONResponse(body, status_code=status)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        lang = getattr(request.state, "lang", "ja")
        headers = dict(error.headers or {})
        if 300 <= error.status_code < 400 and "Location" in headers:
            return RedirectResponse(headers["Location"], status_code=error.status_code)
        code = _HTTP_CODES.get(error.status_code, "http-error")
        message = str(error.detail) if error.status_code != 404 else t("ui.not_found", lang)
        response = error_response(request, error.status_code, code, message)
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        lang = getattr(request.state, "lang", "ja")
        details = [
            {"where": ".".join(str(part) for part in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        if _wants_json(request):
            body = {"error": {"code": "invalid-request", "message": t("ui.invalid_request", lang), "details": details}}
            return JSONResponse(body, status_code=422)
        return error_response(request, 422, "invalid-request", t("ui.invalid_request", lang))


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page in the reader's language: ``_`` translates, and dates come out the Japanese way."""
    lang = request.state.lang

    def translate(key: str, **params: object) -> str:
        return t(key, lang, **params)

    values = {
        "request": request,
        "lang": lang,
        "_": translate,
        "date": lambda value: i18n.format_date(value, lang),
        "datetime": lambda value: i18n.format_datetime(value, lang),
        "version": __version__,
        "user": _user(request),
        "csrf": _csrf(request),
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


def _user(request: Request) -> object:
    from renkei.web.auth import principal

    return principal(request)


def _csrf(request: Request) -> str:
    from renkei.web.auth import csrf_token

    return csrf_token(request)
