"""The web app: server-rendered pages (Jinja2, htmx), the JSON API under /api, and downloads.

``create_app`` assembles the app over a ``Store`` (``renkei serve`` runs it with uvicorn): its middleware, its
error handlers and the routers. What the routers share is in ``deps`` (the store, limits, the cacheable mark)
and ``templating`` (pages and error bodies); kept answers and ETags in ``caching``.
"""

from __future__ import annotations

import ctypes
import gc
import http
import json
import os

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei import __version__
from renkei.core.errorkinds import Family, kind_of, web_kind
from renkei.core.messages import invalid as invalid_text
from renkei.core.messages import t
from renkei.places.municipalities import Registry
from renkei.render import RenderUnavailable, usable
from renkei.store import ENV, Store, StoreError
from renkei.web import (
    admin,
    amendments,
    api,
    apidocs,
    budgetapi,
    budgetpages,
    compare,
    country,
    downloads,
    edit,
    i18n,
    imports,
    opendata,
    ownaccount,
    pages,
    reading,
    rebase,
    results,
    security,
    signin,
)
from renkei.web.caching import Caching, RouteMarks, kept_responses
from renkei.web.deps import store_of
from renkei.web.hints import hint_for_web, named, page_hint
from renkei.web.templating import STATIC, error_response, wants_json

# In the order they are matched.
ROUTERS = (
    api.router,
    budgetapi.router,
    compare.api,
    compare.pages,
    apidocs.router,
    edit.api,
    results.api,
    downloads.router,
    results.downloads,
    budgetpages.router,
    opendata.router,
    amendments.router,
    signin.router,
    ownaccount.router,
    edit.pages,
    results.pages,
    imports.pages,
    admin.pages,
    imports.api,
    pages.router,
    rebase.api,
    rebase.pages,
    country.api,
    country.pages,
)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def served_app() -> FastAPI:
    """The app as ``renkei serve`` runs it in each worker process, over the database of RENKEI_DB: made, then
    what it holds from the start (modules, catalogues, the municipalities, the routes) set aside from the garbage
    collector (``gc.freeze``), so that a first answer that makes many objects (the comparison, the search over
    every sphere) no longer walks them in each full collection: the cold ``/compare`` at 1,700 spheres took 355
    ms before, 240 after. Only the server's process does this; tests and embedders call ``create_app``."""
    _two_arenas()
    app = create_app()
    gc.collect()  # what making the app left over is collected, not set aside
    gc.freeze()
    return app


def _two_arenas() -> None:
    """At most two of the C library's memory arenas in this process (glibc's ``M_ARENA_MAX``), where it would
    give each thread of the server's pool its own (up to eight per core), each keeping what was freed in it from
    the others. ``renkei serve`` also sets ``MALLOC_ARENA_MAX`` for its worker processes, which the C library
    reads as a process starts and which does more (a worker held 271–274 MB after reads rotating over 1,700
    spheres, 283–284 with this call alone, 281–304 with neither, at the same speed); this covers a server of
    one process. Nothing where the C library is not glibc (its ``mallopt`` is missing)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_ARENA_MAX, 2)


_M_ARENA_MAX = -8  # glibc's malloc.h


def create_app(store: Store | None = None) -> FastAPI:
    """The app over ``store``; without one, over the database of RENKEI_DB (as ``renkei serve --workers`` runs
    it, one app per worker process)."""
    store = store or Store.open(os.environ.get(ENV))
    app = FastAPI(
        title="renkei",
        version=__version__,
        summary="Registry of Japan's inter-municipal cooperation projects (定住自立圏・連携中枢都市圏)",
        openapi_url=None,  # served by renkei.web.apidocs in the reader's language
        docs_url=None,  # served by renkei.web.apidocs from the vendored swagger-ui: no CDN
        redoc_url=None,
    )
    app.state.store = store
    app.state.responses = kept_responses()
    app.mount("/static", STATIC, name="static")
    app.add_middleware(_Language)
    app.add_middleware(Caching)
    # Outermost, so kept and tagged answers are compressed too; ETags stay those of the plain body.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    _handlers(app)
    reading.install(app)  # 503/429 with Retry-After when no reader is free for an upload
    for router in ROUTERS:
        app.include_router(router)
    # The routes' own marks say which answers are kept (routes of the app itself, /openapi.json and /static,
    # answer no path of these).
    app.state.route_marks = RouteMarks(route for router in ROUTERS for route in router.routes)
    security.install(app)  # last, so outermost: it sees every request first and every response last
    # The formats a sphere page offers are probed once per process (the PDF's by importing WeasyPrint, about a
    # second): done as the app is made, before it answers, not in the first visitor's request (nor beside it,
    # where it held the interpreter while the first pages were made).
    usable()
    # Likewise the municipalities' registry and the country's room (a fifth of a second of imports), which the
    # national pages (home, comparison, search, a sphere's lifecycle) all read.
    Registry.default()
    store.country  # noqa: B018 (loaded, not used: its module is imported on first use)
    # And the list of spheres, which the home page shows and every sphere's page looks its sphere up in: read
    # once here (brought up to date after each publish), not in the first visitor's request.
    store.spheres()
    return app


class _Language:
    """Decide the reader's language once per request (``request.state.lang``), remember an explicit choice in a
    cookie, and say a page's language (Content-Language, Vary). A plain ASGI middleware, not Starlette's
    ``BaseHTTPMiddleware``, which runs the app in a task of its own and passes its answer on through a stream:
    some tenths of a millisecond on every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        lang = request.state.lang = i18n.negotiate(request)
        remember = request.query_params.get("lang") == lang

        async def said(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if remember:
                    headers.append("set-cookie", _language_cookie(lang))
                if "text/html" in headers.get("content-type", ""):
                    headers["Content-Language"] = lang
                    headers.setdefault("Vary", "Accept-Language, Cookie")
            await send(message)

        await self.app(scope, receive, said)


def _language_cookie(lang: str) -> str:
    """The Set-Cookie header that remembers a language chosen with ``?lang=`` for a year."""
    response = Response()
    response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response.headers["set-cookie"]


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RenderUnavailable)
    async def render_unavailable(request: Request, error: RenderUnavailable) -> Response:
        # A format this machine cannot write (PDF without Pango or a Japanese font): the reason, not a 500.
        lang = getattr(request.state, "lang", "ja")
        kind = error.kind
        message = t(kind.message_key, lang, **error.params)
        hint = t(kind.hint_key, lang, **error.params) if kind.hint_key else ""
        return error_response(request, kind.status(), error.code, message, hint)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        lang = getattr(request.state, "lang", "ja")
        kind = error.kind  # its status declared in renkei.core.errorkinds (under /api/ a stale version is 412)
        status = kind.status(api=request.url.path.startswith("/api/"))
        message = t(kind.message_key, lang, **error.params)
        # A hint for a client of the web app or its API, never a command line's (renkei spheres, --force).
        hint = hint_for_web(kind.hint_key, lang, **error.params) if kind.hint_key else ""
        if not wants_json(request):
            params = await run_in_threadpool(named, store_of(request), error.params)
            message = t(kind.message_key, lang, **params)
            hint = page_hint(kind.message_key, lang, **params)
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
            if hasattr(error, "clashes"):  # each cell changed by both: the value saved meanwhile and the one sent
                body["error"]["cells"] = [c.as_dict() for c in error.clashes]
            response = JSONResponse(body, status_code=status)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        lang = getattr(request.state, "lang", "ja")
        headers = dict(error.headers or {})
        if 300 <= error.status_code < 400 and "Location" in headers:
            return RedirectResponse(headers["Location"], status_code=error.status_code)
        kind = web_kind(error.status_code)  # its code and words declared in renkei.core.errorkinds
        # The raiser's own detail where it gave one (Starlette's default is the status phrase); an unknown address
        # never says what was asked for.
        said = error.detail not in (None, "", _phrase(error.status_code)) and kind.code != "not-found"
        message = str(error.detail) if said else t(kind.message_key, lang)
        response = error_response(request, error.status_code, kind.code, message)
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        lang = getattr(request.state, "lang", "ja")
        details = [
            {"where": ".".join(str(part) for part in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        kind = kind_of(Family.WEB, "invalid-request")
        if wants_json(request):
            body = {"error": {"code": kind.code, "message": t(kind.message_key, lang), "details": details}}
            return JSONResponse(body, status_code=kind.status())
        return error_response(request, kind.status(), kind.code, t(kind.message_key, lang))
