"""Pages in the reader's language (``render``), and errors as a page or, on the API, as JSON
(``error_response``): what the routers and the app's error handlers share."""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from renkei import __version__
from renkei.core.errorbody import error_body
from renkei.core.messages import place, t
from renkei.ingest.registry import accept
from renkei.ingest.report import record_location
from renkei.publish import fiscal
from renkei.vision.model import Role, SphereKind
from renkei.vision.table import HeadingRow, TableView
from renkei.web import i18n
from renkei.web.assets import VersionedStatic
from renkei.web.auth import csrf_token, principal

_HERE = Path(str(importlib.resources.files("renkei") / "web"))
TEMPLATES = Jinja2Templates(directory=str(_HERE / "templates"))
# JSON shown on a page (the audit trail's before and after) keeps Japanese readable; <, >, & and ' are still
# escaped by tojson.
TEMPLATES.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
# Static files named with a hash of their content (``static("renkei.css")``), cached for a year.
STATIC = VersionedStatic(_HERE / "static")
TEMPLATES.env.globals["static"] = STATIC.url
# The upload pickers offer every format the registry of readers reads, a plugin's too.
TEMPLATES.env.globals["accept"] = accept


def _marks(roles: Sequence[Role | None], selected: int | None, said: Mapping[Role, str], quiet: str) -> str:
    """A matrix row's mark cells: ○ or ◎ for the eye and the role in words for a screen reader (``said``, each
    cell's content after its opening tag), ``quiet`` where the town takes no part, and the chosen municipality's
    column marked."""
    cells = []
    for at, role in enumerate(roles):
        chosen = " selected" if at == selected else ""
        if role is None:
            cells.append(f'<td class="mark{chosen}">{quiet}')
        else:
            cells.append(f'<td class="mark on{chosen}">{said[role]}')
    return "".join(cells)


def matrix_rows(
    matrix: TableView,
    link: str | None,
    rev: int | None,
    with_description: bool,
    chosen: int | None,
    said: Mapping[str, str],
) -> Markup:
    """The matrix's body rows (``_matrix.html``): a heading row per pillar and field, and per project its number,
    its name (a link to its page under ``link`` where the page is a sphere's, with ``?rev=`` where the revision
    shown is not the newest), its description where asked, its marks (``_marks``), its count with the declared
    one beside it where they differ, and its budget and KPI cells. Made here, not by the template's loops: a
    sphere's page at national scale has hundreds of rows and thousands of cells, and the loops were most of its
    rendering (issue 24). ``said`` holds the words, translated once: member, lead, absent, declared,
    declared_title; each mark's cell is made once too."""
    width = len(matrix.columns) + len(matrix.figures) + (4 if with_description else 3)
    marked = {
        Role.MEMBER: f'<span aria-hidden="true">○</span><span class="sr">{escape(said["member"])}</span></td>',
        Role.LEAD: f'<span aria-hidden="true">◎</span><span class="sr">{escape(said["lead"])}</span></td>',
    }
    quiet = f'<span class="sr">{escape(said["absent"])}</span></td>'
    declared = f'<span class="declared" title="{escape(said["declared_title"])}">({escape(said["declared"])} '
    href = None if link is None else f'<a href="{escape(link)}'
    query = "" if rev is None else f"?rev={rev}"
    figures = matrix.figures
    out: list[str] = []
    for row in matrix.rows:
        if isinstance(row, HeadingRow):
            heading = escape(row.heading)
            out.append(f'<tr class="heading {row.level}"><th scope="rowgroup" colspan="{width}">{heading}</th></tr>')
            continue
        p, count = row.project, row.count
        name = escape(p.name)
        named = name if href is None else f'{href}{p.number}{query}">{name}</a>'
        out.append(f'<tr><td class="no">{escape(p.written_number)}</td><th scope="row" class="name">{named}</th>')
        if with_description:
            out.append(f'<td class="desc">{escape(p.description)}</td>')
        out.append(_marks(row.roles, chosen, marked, quiet))
        if count.differs:
            out.append(f'<td class="count differs">{count.computed} {declared}{count.declared})</span></td>')
        else:
            out.append(f'<td class="count">{count.computed}</td>')
        out.extend(f'<td class="figure">{escape(f.shown(p))}</td>' for f in figures)
        out.append("</tr>")
    return Markup("".join(out))


TEMPLATES.env.globals["matrix_rows"] = matrix_rows


def central_cities(cities: Sequence[Any]) -> Markup:
    """A sphere's central cities (``SphereInfo.central_cities``: two in a 複眼型 sphere) as the lists write them,
    joined by ・, each a link to its municipality's page where it has a code."""
    return Markup("・").join(
        Markup('<a href="/municipalities/{}">{}</a>').format(c.code, c.name) if c.code else escape(c.name)
        for c in cities
    )


TEMPLATES.env.globals["central_cities"] = central_cities


def stored_where(record: Mapping[str, Any], lang: str) -> str:
    """Where a revision's stored finding (``report.finding_record``) points, in words: a text file's line and
    column, a workbook's sheet and cell, a PDF's page, in the annex it names where it is an annex's."""
    return place(record_location(record), record.get("params") or {}, lang)


TEMPLATES.env.globals["stored_where"] = stored_where


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, code: str, message: str, hint: str = "") -> Response:
    """Errors as JSON with a message on the API; as a page, in the reader's language, elsewhere."""
    if wants_json(request):
        return JSONResponse(error_body(code, message, hint), status_code=status)
    context = {"status": status, "code": code, "message": message, "hint": hint}
    return render(request, "error.html", context, status=status)


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
        # A budget or KPI change in the reader's words (「事業費 R7」, 「1,200」, 「1,500千円」), and a fiscal year.
        "figure": lambda change: fiscal.figure_cells(change, lang),
        "figure_line": lambda change: fiscal.figure_line(change, lang),
        "fy": lambda year: fiscal.year_text(year, lang),
        # A kind of sphere in the reader's words (定住自立圏 is "Settlement sphere" in English); values stay the data's.
        "kind_label": lambda kind: t(f"kind.{SphereKind(str(kind)).name.lower()}", lang),
        "version": __version__,
        "user": principal(request),
        "csrf": csrf_token(request),
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response
