"""Open data for data users and portals: stable addresses per revision, the DCAT catalogue, and the whole
registry in one download.

- ``/spheres/{key}/revisions/{n}/{format}.{ext}``: a revision's table in one format of the registry (the data
  package included). A revision never changes, so neither does the file: answered with a year's
  ``immutable`` cache lifetime, and listed by the catalogue as the distribution's URL.
- ``/catalog`` (also ``/catalog.jsonld``): DCAT in JSON-LD (``web.catalog``) for CKAN's harvesters.
- ``/downloads``: the page of the bulk downloads with their sizes; ``/downloads/registry.sqlite`` (the public
  tables, ``store.snapshot``) and ``/downloads/registry-datapackage.zip`` (every sphere's newest revision as a
  data package, one folder per sphere). Both are made again after a publish: they are kept per worker with
  the registry's generation, like the other registry-scoped answers.
"""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from renkei import render as registry
from renkei.core.messages import t
from renkei.render.datapackage import datapackage_bytes, table_package
from renkei.store import Store, snapshot_bytes
from renkei.web.catalog import MEDIA_TYPE, Publishing, catalog, dataset, embedded
from renkei.web.compare import SEARCH_COLUMNS, Asked, Kind, Prefecture
from renkei.web.deps import NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.files import renderer_of
from renkei.web.national import Column, National, Table, facet_search
from renkei.web.refusal import refusal
from renkei.web.templating import render

router = APIRouter(tags=["open data"])
_YEAR = 365 * 24 * 3600
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def base_url(request: Request) -> str:
    """The catalogue's absolute addresses: ``RENKEI_PUBLIC_URL`` where the site is published behind a proxy, else
    the address the server listens on. Never the request's Host header, which a client chooses (a page must not
    carry an address an attacker named: web/security.py)."""
    configured = os.environ.get("RENKEI_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    host, port = request.scope.get("server") or ("127.0.0.1", 8000)
    scheme = request.url.scheme
    host = f"[{host}]" if ":" in str(host) else str(host)
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


@router.get("/spheres/{key}/revisions/{number}/{file}", summary="A revision's table at its stable address")
@cacheable(Scope.SPHERE)
def revision_file(request: Request, key: str, number: Annotated[int, Path(ge=1, le=NUMBER_MAX)], file: str) -> Response:
    """``{format}.{extension}`` of a format of ``renkei formats`` (``datapackage.zip``, ``xlsx.xlsx``,
    ``csv-cp932.csv``): the revision as it was published, never filtered."""
    name, dot, extension = file.rpartition(".")
    renderer = renderer_of(name) if dot else renderer_of(file)
    if extension != renderer.extension:
        raise refusal("not-found", f"{file}: use {renderer.name}.{renderer.extension}")
    store = store_of(request)
    revision = store.revision(key, number)
    vision = store.vision(key, revision.number)
    try:
        if renderer.name == "datapackage":
            data = datapackage_bytes(vision, source=revision.source_name, licence=Publishing.from_env().licence)
        else:
            data = renderer.render(vision)
    except registry.RenderError as error:
        raise refusal("invalid-request", str(error)) from None
    headers = {
        "Cache-Control": f"public, max-age={_YEAR}, immutable",
        "Content-Disposition": f'attachment; filename="{key}-r{number}-{file}"',
    }
    return Response(data, media_type=renderer.media_type, headers=headers)


def _catalog(request: Request) -> JSONResponse:
    store = store_of(request)
    spheres = [(info, store.history(info.key)) for info in store.spheres()]
    body = catalog(base_url(request), spheres, Publishing.from_env())
    return JSONResponse(body, media_type=MEDIA_TYPE)


@router.get("/catalog", summary="DCAT catalogue (JSON-LD) of every sphere and revision")
@cacheable(Scope.REGISTRY)
def catalog_jsonld(request: Request) -> JSONResponse:
    return _catalog(request)


@router.get("/catalog.jsonld", summary="The DCAT catalogue, by its file name")
@cacheable(Scope.REGISTRY)
def catalog_file(request: Request) -> JSONResponse:
    return _catalog(request)


def sphere_jsonld(request: Request, key: str) -> str:
    """The sphere's Dataset as JSON-LD for its page's ``<script type="application/ld+json">``."""
    store = store_of(request)
    return embedded(dataset(base_url(request), store.sphere(key), store.history(key), Publishing.from_env()))


# A comparison's and a search's tables ---------------------------------------------------------------------


def _package_response(table: Table, name: str, description: str) -> Response:
    columns = [(c.label, c.numeric) for c in table.columns]
    data = table_package(name, table.title, description, columns, table.rows, licence=Publishing.from_env().licence)
    headers = {"Content-Disposition": f'attachment; filename="{name}-datapackage.zip"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.get("/compare/datapackage.zip", summary="The comparison as shown, as a data package")
@cacheable(Scope.REGISTRY)
def compare_package(request: Request, ask: Asked) -> Response:
    lang = request.state.lang
    table = National(store_of(request), lambda key, **params: t(key, lang, **params)).table(ask)
    return _package_response(table, "compare", t("ui.od_compare_description", lang))


@router.get("/search/datapackage.zip", summary="Search hits as filtered by the facets, as a data package")
@cacheable(Scope.REGISTRY)
def search_package(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="The words searched.")],
    kind: Kind = "",
    prefecture: Prefecture = "",
    field: Annotated[str, Query(max_length=200, description="A field's title.")] = "",
) -> Response:
    lang = request.state.lang
    found = facet_search(store_of(request), q, kind, prefecture, field)
    columns = [Column(c, t(f"ui.col_{c}", lang), c == "number") for c in SEARCH_COLUMNS]
    rows: list[list[object]] = [
        [h.hit.sphere, h.hit.sphere_name, h.prefecture, h.kind, h.field, h.hit.number, h.hit.name, h.hit.description]
        for h in found.hits
    ]
    described = t("ui.od_search_description", lang, q=q)
    return _package_response(Table(q, columns, rows), "search", described)


# The bulk downloads ---------------------------------------------------------------------------------------


def registry_package(store: Store) -> bytes:
    """Every sphere's newest revision as a data package, each in a folder named by its key."""
    out = io.BytesIO()
    licence = Publishing.from_env().licence
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in store.spheres():
            if info.latest is None:
                continue
            vision = store.vision(info.key, info.latest.number)
            package = datapackage_bytes(vision, source=info.latest.source_name, licence=licence)
            with zipfile.ZipFile(io.BytesIO(package)) as inner:
                for name in inner.namelist():
                    archive.writestr(zipfile.ZipInfo(f"{info.key}/{name}", _ZIP_TIME), inner.read(name))
    return out.getvalue()


BULK: dict[str, tuple[str, Callable[[Store], bytes]]] = {
    "registry.sqlite": ("application/vnd.sqlite3", snapshot_bytes),
    "registry-datapackage.zip": ("application/zip", registry_package),
}


class Bulk:
    """The bulk files of one app (one worker), each kept with the registry's generation it was made at."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[int, ...], bytes]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, name: str) -> bytes:
        generation = store.generation()
        with self._lock:  # one maker at a time: a file of the whole registry is not made twice at once
            kept = self._kept.get(name)
            if kept is None or kept[0] != generation:
                kept = (generation, BULK[name][1](store))
                self._kept[name] = kept
            return kept[1]


def bulk_of(request: Request) -> Bulk:
    state = request.app.state
    if not hasattr(state, "bulk"):
        state.bulk = Bulk()
    bulk: Bulk = state.bulk
    return bulk


@router.get("/downloads/{name}", summary="The whole registry in one file (SQLite, or every sphere's data package)")
def bulk_download(request: Request, name: str) -> Response:
    if name not in BULK:
        raise refusal("not-found", f"{name}: one of {', '.join(BULK)}")
    data = bulk_of(request).get(store_of(request), name)
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "public, no-cache"}
    return Response(data, media_type=BULK[name][0], headers=headers)


@router.get("/downloads", response_class=HTMLResponse, summary="The bulk downloads and their sizes")
def downloads_page(request: Request) -> Response:
    store = store_of(request)
    bulk = bulk_of(request)
    files = [(name, media, len(bulk.get(store, name))) for name, (media, _make) in BULK.items()]
    context = {"files": files, "spheres": store.spheres(), "catalog": "/catalog"}
    return render(request, "downloads.html", context)
