"""Who is asking, and protection against forged requests (the sign-in pages are ``renkei.web.signin``).

A browser signs in with a name and password and holds a session cookie (HttpOnly, SameSite=Lax, Secure over
HTTPS); every form it posts carries the session's CSRF token. A script sends ``Authorization: Bearer <token>``
and needs no CSRF token, since no browser attaches it by itself. Sign-ins are limited by name and address
(``Accounts.sign_in``): past the limits each attempt waits longer, answered 429 with Retry-After. The address
is the socket's, or the proxy's X-Forwarded-For only when ``renkei serve --forwarded-allow-ips`` names it.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import quote

from fastapi import HTTPException, Request

from renkei.core.permissions import Principal
from renkei.store import Actor
from renkei.web.deps import store_of
from renkei.web.refusal import refusal

SESSION_COOKIE = "renkei_session"
LOGIN_CSRF_COOKIE = "renkei_login_csrf"


def secure_cookies(request: Request) -> bool:
    return request.url.scheme == "https" or os.environ.get("RENKEI_SECURE_COOKIES") == "1"


def actor(request: Request) -> Actor:
    client = request.client.host if request.client else None
    return Actor(principal(request), client, request.headers.get("user-agent"))


def _resolve(request: Request) -> tuple[Principal | None, str | None, bool]:
    """(principal, the session's CSRF token, whether by API token), worked out once per request."""
    cached: tuple[Principal | None, str | None, bool] | None = getattr(request.state, "auth", None)
    if cached is not None:
        return cached
    accounts = store_of(request).accounts
    result: tuple[Principal | None, str | None, bool] = (None, None, False)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found = accounts.by_token(header[7:].strip())
        result = (found, None, True)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        session = accounts.session(cookie)
        if session is not None:
            result = (session[0], session[1], False)
    request.state.auth = result
    return result


def principal(request: Request) -> Principal | None:
    return _resolve(request)[0]


def csrf_token(request: Request) -> str:
    return _resolve(request)[1] or ""


def require_principal(request: Request) -> Principal:
    """The signed-in principal; 401 for a script, a redirect to the sign-in page for a browser."""
    found = principal(request)
    if found is None:
        if request.url.path.startswith("/api/"):
            raise refusal("sign-in-needed", headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(303, headers={"Location": f"/login?next={quote(request.url.path)}"})
    return found


def check_csrf(request: Request, submitted: str | None) -> None:
    """A cookie-authenticated write must carry the session's CSRF token (form field or X-CSRF-Token)."""
    found, expected, by_token = _resolve(request)
    if by_token or found is None:
        return
    given = submitted or request.headers.get("x-csrf-token")
    if not expected or not given or not secrets.compare_digest(given, expected):
        raise refusal("forbidden")
