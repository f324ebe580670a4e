"""Signing in and out, who is asking, and protection against forged requests.

A browser signs in with a name and password and holds a session cookie (HttpOnly, SameSite=Lax, Secure over
HTTPS); every form it posts carries the session's CSRF token. A script sends ``Authorization: Bearer <token>``
and needs no CSRF token, since no browser attaches it by itself. Sign-ins are limited by name and address
(``Accounts.sign_in``): past the limits each attempt waits longer, answered 429 with Retry-After. The address
is the socket's, or the proxy's X-Forwarded-For only when ``renkei serve --forwarded-allow-ips`` names it.
"""

from __future__ import annotations

import os
import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from renkei.messages import t
from renkei.permissions import Principal
from renkei.store.accounts import Actor
from renkei.web.app import render, store_of

router = APIRouter(include_in_schema=False)
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
            raise HTTPException(401, t("ui.sign_in_needed", request.state.lang), headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(303, headers={"Location": f"/login?next={quote(request.url.path)}"})
    return found


def check_csrf(request: Request, submitted: str | None) -> None:
    """A cookie-authenticated write must carry the session's CSRF token (form field or X-CSRF-Token)."""
    found, expected, by_token = _resolve(request)
    if by_token or found is None:
        return
    given = submitted or request.headers.get("x-csrf-token")
    if not expected or not given or not secrets.compare_digest(given, expected):
        raise HTTPException(403, t("ui.csrf_failed", request.state.lang))


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"next": _safe(next), "login_csrf": token, "error": None})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure_cookies(request))
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    lang = request.state.lang
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf, expected):
        raise HTTPException(403, t("ui.csrf_failed", lang))
    accounts = store_of(request).accounts
    outcome = accounts.sign_in(username, password, actor(request))
    if outcome.retry_after:
        context = {
            "next": _safe(next),
            "login_csrf": expected,
            "error": t("ui.login_wait", lang, seconds=outcome.retry_after),
        }
        limited = render(request, "login.html", context, status=429)
        limited.headers["Retry-After"] = str(outcome.retry_after)
        return limited
    found = outcome.principal
    if found is None:
        context = {"next": _safe(next), "login_csrf": expected, "error": t("ui.login_failed", lang)}
        return render(request, "login.html", context, status=401)
    cookie, _ = accounts.open_session(found)
    response = RedirectResponse(_safe(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=secure_cookies(request), max_age=12 * 3600
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        store_of(request).accounts.close_session(cookie, actor(request))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _safe(target: str) -> str:
    """Only addresses on this site: never send a signed-in person elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
