"""ETags and kept answers: every successful GET of the API and of downloads carries an ETag (304 when the client
has it already), and the public reads of published data are kept in memory.

A route is kept when its function is marked ``cacheable`` (``renkei.web.deps``): its answers to anyone not
signed in are served again while the generation of its scope stays the same (``Store.generation``: the
sphere's of a sphere's route, the registry's otherwise). Revisions never change, and every change to what these
answer comes with a new revision, so a publish in one sphere leaves the others' answers kept. Concurrent misses
of one answer make it once (``renkei.core.cache``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as AsgiScope

from renkei.core.cache import Answers
from renkei.store import one_generation
from renkei.web import i18n
from renkei.web.deps import Scope, scope_of, store_of

# A kept response: body, headers (its media type among them) and status.
Kept = tuple[bytes, dict[str, str], int]
_KEPT = 1024
_KEPT_BYTES = 4 * 1024 * 1024
# All kept bodies together, per worker: a count alone let a worker keep a gigabyte of large pages and downloads
# (1,024 × up to 4 MB); what a soak found growing. 32 MB: reads rotating over 1,700 spheres' pages (100 KB each)
# filled 64 MB, and the worker's memory (with what the allocator keeps of the bodies made and let go) passed 300 MB.
_KEPT_TOTAL = 32 * 1024 * 1024
# A route's mark and the sphere it names: (scope or None, the sphere's key or None).
_Mark = tuple[Scope | None, str | None]


def kept_responses() -> Answers[Kept]:
    """Responses kept per (URL, language, htmx or not), each with the generation it was made at. One per app,
    so per worker process."""
    return Answers(_KEPT, total=_KEPT_TOTAL, largest=_KEPT_BYTES, size=lambda kept: len(kept[0]))


class RouteMarks:
    """Which of the app's routes answers a GET, and how it was marked: found by matching the routes in the
    order the app dispatches them, once per path."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = [route for route in routes if isinstance(route, Route)]
        self._found: Answers[_Mark] = Answers(4096)

    def of(self, request: Request) -> _Mark:
        """The cacheable mark of the route that answers this GET, and the sphere it names (its ``key``)."""
        path = request.url.path
        found = self._found.get(path, 0)
        if found is None:
            found = (None, None)
            for route in self._routes:
                match, child = route.matches(request.scope)
                if match is Match.FULL:
                    key = child.get("path_params", {}).get("key")
                    found = (scope_of(route.endpoint), key if isinstance(key, str) else None)
                    break
            self._found.put(path, 0, found)
        return found


class Caching:
    """The middleware: ETags and 304 on the API and downloads, kept answers for the routes marked cacheable. A
    GET of published data is answered at one generation of each sphere it reads (``one_generation``): asked of
    the database once, not before each of the reads that make a page (on PostgreSQL, a round trip each).

    A plain ASGI middleware, not Starlette's ``BaseHTTPMiddleware``, which runs the app in a task of its own and
    passes its answer on through a stream (a fifth of an uncached JSON answer's time): an answer it keeps or
    tags is gathered here whole, and any other passes through as the app sends it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if private(request):
            # Drafts, the audit trail and anything asked with credentials are nobody else's: no shared caches.
            async def no_store(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message)["Cache-Control"] = "private, no-store"
                await send(message)

            await self.app(scope, receive, no_store)
            return
        if request.method != "GET":
            await self.app(scope, receive, send)
            return
        with one_generation():
            response = await self._published(request, scope, receive, send)
            if response is not None:
                await response(scope, receive, send)

    async def _published(self, request: Request, scope: AsgiScope, receive: Receive, send: Send) -> Response | None:
        """A GET of anyone not signed in: tagged where it is the API's or a download, kept where its route is;
        None where the app's answer went out as it was sent."""
        path = request.url.path
        tagged = path.startswith("/api/") or "/export/" in path
        marks: RouteMarks = request.app.state.route_marks
        mark, sphere = marks.of(request)
        if mark is None:
            if not tagged:
                await self.app(scope, receive, send)
                return None
            status, headers, body, sent = await self._gathered(scope, receive)
            if status != 200:
                return sent
            return _tagged(request, body, dict(headers), status)
        responses: Answers[Kept] = request.app.state.responses
        # htmx asks for the matrix alone (HX-Request): another answer at the same address.
        key = (str(request.url), i18n.negotiate(request), request.headers.get("hx-request", ""))
        generation = await run_in_threadpool(store_of(request).generation, sphere if mark is Scope.SPHERE else None)
        asked = responses.ask(key, generation)
        hit = asked.value
        if hit is None and asked.flight is not None and not asked.leader:
            hit = await asked.flight.wait_async()  # another request is making it: its answer, or make our own
        if hit is None:
            made: Kept | None = None
            try:
                status, headers, body, sent = await self._gathered(scope, receive)
                if status == 200 and "set-cookie" not in headers:
                    kept = dict(headers)
                    if tagged:
                        kept["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                    made = (body, kept, status)
            finally:
                if asked.leader and asked.flight is not None:
                    responses.land(asked.flight, made)
            if made is None:
                return sent  # not kept: passed on as it came, every header (two cookies, say) with it
            if not asked.leader:
                responses.put(key, generation, made)
            hit = made
        body, kept_headers, status = hit
        if tagged:
            return _tagged(request, body, dict(kept_headers), status)
        return Response(body, status_code=status, headers=_without_length(kept_headers))

    async def _gathered(self, scope: AsgiScope, receive: Receive) -> tuple[int, Headers, bytes, Response]:
        """The app's answer gathered whole: its status, headers and body, and the same as a response to send on
        unchanged."""
        started: Message = {}
        chunks: list[bytes] = []

        async def gather(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, gather)
        body = b"".join(chunks)
        sent = Response(body, status_code=started["status"])
        sent.raw_headers = list(started.get("headers", []))
        return started["status"], Headers(raw=sent.raw_headers), body, sent


def _without_length(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() != "content-length"}


def _tagged(request: Request, body: bytes, headers: dict[str, str], status: int) -> Response:
    etag = headers.get("ETag") or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers["ETag"] = etag
    headers.setdefault("Cache-Control", "public, max-age=60")
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        keep = {k: v for k, v in headers.items() if k.lower() in ("etag", "cache-control", "vary")}
        return Response(status_code=304, headers=keep)
    headers.pop("content-length", None)
    return Response(body, status_code=status, headers=headers)


def private(request: Request) -> bool:
    path = request.url.path
    signed = "authorization" in request.headers or "renkei_session" in request.cookies
    return signed or "/draft" in path or path.endswith("/audit") or path in ("/api/me", "/login")
