"""The app's outer guard: requests carrying control characters are refused, and every answer carries the
security headers.

A NUL or another control character has no place in an address, a query or a header; PostgreSQL cannot even
hold a NUL in text, so one that reached a query used to end in a server error. They are refused here, before
any routing, with 400 on both backends. Every response, error pages included, says that it may not be framed,
that its type is the one declared, and which scripts and styles may run: only the app's own files under
/static (the vendored htmx, Vega and swagger-ui included), never inline code.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

from fastapi import FastAPI, Request, Response
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renkei.core.errorkinds import Family, kind_of
from renkei.core.messages import t
from renkei.web.templating import TEMPLATES, error_response

# Vega compiles its expressions with Function(), hence 'unsafe-eval' for scripts; every script and style is a
# file of the app's own. Vega draws SVG with style properties set from script (allowed by style-src 'self');
# vega-embed's and htmx's own <style> elements are switched off in renkei.js and base.html.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
# C0 controls and DEL; a header value may hold a tab.
_CONTROL = frozenset(range(0x20)) | {0x7F}


# PostgreSQL's answers to two transactions that collided (serialization failure, deadlock, lock not
# available): nothing was written, and the same request sent again may well succeed.
_COLLISIONS = frozenset(("40001", "40P01", "55P03"))


def install(app: FastAPI) -> None:
    """The guard around the whole app, the answer to a write that collided with another in the database, and
    the ``relative`` filter of the templates."""
    TEMPLATES.env.filters["relative"] = relative
    app.add_middleware(SecurityMiddleware)

    @app.exception_handler(IntegrityError)
    @app.exception_handler(OperationalError)
    async def collided(request: Request, error: Exception) -> Response:
        if not _collision(error):
            raise error
        lang = getattr(request.state, "lang", "ja")
        kind = kind_of(Family.STORE, "db-conflict")
        hint = t(kind.hint_key, lang) if kind.hint_key else ""
        response = error_response(request, kind.status(), kind.code, t(kind.message_key, lang), hint)
        response.headers["Retry-After"] = "1"
        return response


def relative(url: object) -> str:
    """A link to the same site as path and query only: the Host header a client sent (anything it likes) never
    ends up in a page, and the links work behind any proxy."""
    parts = urlsplit(str(url))
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


def _collision(error: Exception) -> bool:
    """A unique violation (two transactions made the same row) or a collision of locks."""
    if isinstance(error, IntegrityError):
        return True
    code = getattr(getattr(error, "orig", None), "sqlstate", None) if isinstance(error, DBAPIError) else None
    return code in _COLLISIONS or "database is locked" in str(error)


def has_control(data: bytes, allowed: bytes = b"") -> bool:
    return any(b in _CONTROL and b not in allowed for b in data)


def bad_request(scope: Scope) -> str | None:
    """Where the request carries a control character ("path", "query", "header"), or None."""
    raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    if has_control(unquote_to_bytes(raw_path)) or has_control(scope.get("path", "").encode("utf-8", "replace")):
        return "path"
    if has_control(unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" "))):
        return "query"
    if any(has_control(name) or has_control(value, b"\t") for name, value in scope.get("headers", ())):
        return "header"
    return None


class SecurityMiddleware:
    """Pure ASGI, outermost: it sees the request before anything parses it, and every response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = bad_request(scope)
        if where is not None:
            await _refuse(scope, send, where)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                extra = [(name, value) for name, value in HEADERS if name not in present]
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _refuse(scope: Scope, send: Send, where: str) -> None:
    lang = "en" if b"lang=en" in scope.get("query_string", b"") else "ja"
    kind = kind_of(Family.WEB, "bad-characters")
    message = t(kind.message_key, lang)
    body: dict[str, Any] = {"error": {"code": kind.code, "message": message, "where": where}}
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(data)).encode()),
        *HEADERS,
    ]
    await send({"type": "http.response.start", "status": kind.status(), "headers": headers})
    await send({"type": "http.response.body", "body": data})
