"""Signing in and out: a name and password give a session cookie (``renkei.web.auth``), limited by name and
address (``Accounts.sign_in``: past the limits each attempt waits longer, answered 429 with Retry-After)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from renkei.core.messages import t
from renkei.web.auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE, actor, check_csrf, secure_cookies
from renkei.web.deps import store_of
from renkei.web.ownaccount import after_sign_in
from renkei.web.refusal import refusal
from renkei.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "") -> Response:
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
    next: Annotated[str, Form()] = "",
) -> Response:
    lang = request.state.lang
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf, expected):
        raise refusal("forbidden")
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
    # Where an administrator asked for a new password, the change comes first; then the page asked for, else
    # the person's own sphere (renkei.web.ownaccount.landing), not the national list.
    response = RedirectResponse(after_sign_in(request, found, _safe(next)), status_code=303)
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
    return target if target.startswith("/") and not target.startswith("//") else ""
