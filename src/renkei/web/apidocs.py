"""The API's documentation page: swagger-ui served from the app's own vendored copy, so it works offline and
under a Content-Security-Policy that allows only the app's own scripts and styles."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from renkei.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    return render(request, "apidocs.html", {})
