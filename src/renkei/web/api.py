"""The JSON API under /api: everything the pages show, documented by OpenAPI at /openapi.json.

Lists are paginated (``limit``, ``offset``, ``total``); every successful GET carries an ETag and
Cache-Control (see ``renkei.web.caching``); errors are JSON objects with a code and a message.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from renkei.core.errorbody import read_error_body
from renkei.ingest import TableReadError
from renkei.ingest.registry import all_readers
from renkei.ingest.report import check_reading
from renkei.places.municipalities import Registry
from renkei.render import renderers
from renkei.store import RevisionInfo, SphereInfo
from renkei.vision import record
from renkei.vision.model import Project
from renkei.vision.serialize import vision_to_dict
from renkei.web import views
from renkei.web.deps import ANNEX_HELP, MAX_UPLOAD, NAME_COLUMN_HELP, NUMBER_MAX, Scope, cacheable, store_of
from renkei.web.projectmodels import ProjectOut
from renkei.web.reading import ANNEX_FILE, read_upload
from renkei.web.refusal import refusal
from renkei.web.shapes import AmendmentSummary, ChangeOut, change_out, summary_out

router = APIRouter(prefix="/api", tags=["api"])
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Rev = Annotated[int | None, Query(ge=1, le=NUMBER_MAX, description="Revision number (the newest if omitted).")]
Number = Annotated[int, Path(ge=0, le=NUMBER_MAX, description="The project's number in the revision.")]


class Error(BaseModel):
    code: str
    message: str
    hint: str = ""


class ErrorBody(BaseModel):
    error: Error


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}


class MunicipalityRef(BaseModel):
    name: str
    code: str | None
    prefecture: str | None = None


class SphereOut(BaseModel):
    key: str
    name: str
    kind: str
    prefecture: str | None
    central_city: MunicipalityRef | None
    central_cities: list[MunicipalityRef] = Field(
        description="Every central city: central_city first, then a 複眼型 sphere's others (by the country's list)."
    )
    plan_start: datetime.date | None
    plan_end: datetime.date | None
    replaces: str | None
    replaced_by: str | None
    members: int = Field(description="Its newest table's municipalities, else the country's list's members now.")
    projects: int | None = Field(description="Its newest table's projects; null where no table is registered.")
    revision: int | None
    effective_on: datetime.date | None
    # The lifecycle (the country's list): dates of 宣言/協定/ビジョン/廃止 as precise as known (2019, 2019-04,
    # 2019-04-23), the abolition among them; a sphere known by its members only has no table.
    dates: dict[str, str] = {}
    abolished: str | None = None
    has_table: bool = True


class SpherePage(BaseModel):
    items: list[SphereOut]
    total: int
    limit: int
    offset: int


class RevisionOut(BaseModel):
    number: int
    author: str
    created_at: datetime.datetime
    effective_on: datetime.date
    message: str
    source_name: str | None
    source_sha256: str | None
    findings: list[dict[str, Any]]


class ProjectPage(BaseModel):
    items: list[ProjectOut]
    total: int
    limit: int
    offset: int
    revision: int


class ProjectVersion(BaseModel):
    revision: int
    effective_on: datetime.date
    project: ProjectOut


class ProjectDetail(BaseModel):
    sphere: str
    revision: int
    project: ProjectOut
    history: list[ProjectVersion]


class Amendments(BaseModel):
    sphere: str
    old: int
    new: int
    changes: list[ChangeOut]
    summary: AmendmentSummary


class Agreement(BaseModel):
    sphere: str
    revision: int
    municipality: MunicipalityRef
    count: int
    projects: list[ProjectOut]


class Membership(BaseModel):
    sphere: SphereOut
    count: int
    projects: list[ProjectOut]


class MunicipalityOut(BaseModel):
    code: str
    name: str | None
    prefecture: str | None
    spheres: list[Membership]


class Hit(BaseModel):
    sphere: str
    sphere_name: str
    revision: int
    number: int
    name: str
    description: str
    score: int
    number_label: str = Field("", description="The number as the document writes it (1-1), where not whole.")


class SearchOut(BaseModel):
    query: str
    total: int
    limit: int
    offset: int
    hits: list[Hit]


class ReaderOut(BaseModel):
    name: str
    extensions: list[str]
    media_types: list[str]
    description: str
    plugin: bool


class FormatOut(BaseModel):
    name: str
    extension: str
    media_type: str
    description: str
    readable: bool
    documents: bool


def _sphere(info: SphereInfo) -> SphereOut:
    central = info.central_city
    latest = info.latest
    return SphereOut(
        key=info.key,
        name=info.name,
        kind=info.kind.value,
        prefecture=info.prefecture,
        central_city=MunicipalityRef(name=central.name, code=central.code, prefecture=central.prefecture)
        if central
        else None,
        central_cities=[
            MunicipalityRef(name=c.name, code=c.code, prefecture=c.prefecture) for c in info.central_cities
        ],
        plan_start=info.plan_start,
        plan_end=info.plan_end,
        replaces=info.replaces,
        replaced_by=info.replaced_by,
        members=info.members_shown,
        projects=info.projects if latest else None,
        revision=latest.number if latest else None,
        effective_on=latest.effective_on if latest else None,
        dates=info.dates,
        abolished=info.abolished,
        has_table=info.has_table,
    )


def _revision(r: RevisionInfo) -> RevisionOut:
    return RevisionOut(
        number=r.number,
        author=r.author,
        created_at=r.created_at,
        effective_on=r.effective_on,
        message=r.message,
        source_name=r.source_name,
        source_sha256=r.source_sha256,
        findings=r.findings,
    )


def _project(p: Project) -> ProjectOut:
    return ProjectOut(**record.to_json(p))


@router.get("/spheres", response_model=SpherePage, summary="Every sphere, with its newest revision")
@cacheable(Scope.REGISTRY)
def list_spheres(request: Request, limit: Limit = 100, offset: Offset = 0) -> SpherePage:
    spheres = store_of(request).spheres()
    items = [_sphere(s) for s in spheres[offset : offset + limit]]
    return SpherePage(items=items, total=len(spheres), limit=limit, offset=offset)


@router.get("/spheres/{key}", response_model=SphereOut, responses=ERRORS, summary="One sphere")
@cacheable(Scope.SPHERE)
def get_sphere(request: Request, key: str) -> SphereOut:
    return _sphere(store_of(request).sphere(key))


@router.get(
    "/spheres/{key}/revisions", response_model=list[RevisionOut], responses=ERRORS, summary="A sphere's revisions"
)
@cacheable(Scope.SPHERE)
def list_revisions(request: Request, key: str) -> list[RevisionOut]:
    return [_revision(r) for r in store_of(request).history(key)]


@router.get("/spheres/{key}/vision", responses=ERRORS, summary="A revision whole, as `renkei check --json` shapes it")
@cacheable(Scope.SPHERE)
def get_vision(request: Request, key: str, rev: Rev = None) -> dict[str, Any]:
    store = store_of(request)
    revision = store.revision(key, rev)
    data = vision_to_dict(store.vision(key, revision.number))
    data["revision"] = _revision(revision).model_dump(mode="json")
    return data


@router.get(
    "/spheres/{key}/projects",
    response_model=ProjectPage,
    responses=ERRORS,
    summary="A revision's projects, optionally of one field or one municipality",
)
@cacheable(Scope.SPHERE)
def list_projects(
    request: Request,
    key: str,
    rev: Rev = None,
    field: Annotated[str | None, Query(description="A field heading, e.g. `エ 産業振興`.")] = None,
    municipality: Annotated[str | None, Query(description="A municipality's code or name.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    store = store_of(request)
    if not field and not municipality:
        # The whole list, kept with the revision as this answer's JSON (issue 24): one indexed read and a slice.
        kept = store.project_list(key, rev)
        if kept is not None:
            return Response(_kept_page(kept, limit, offset), media_type="application/json")
    # The revision read whole names its number (its edition): one read, not a revision's and then its vision's.
    vision = store.vision(key, rev)
    number = vision.edition.revision
    assert number is not None  # every stored revision names its own
    projects = views.select_projects(vision, field, municipality)
    items = [_project(p) for p in projects[offset : offset + limit]]
    page = ProjectPage(items=items, total=len(projects), limit=limit, offset=offset, revision=number)
    # Serialised once, by the model itself: returned as a model, FastAPI would validate and encode it again.
    return Response(page.model_dump_json(), media_type="application/json")


def _kept_page(kept: tuple[int, int, str], limit: int, offset: int) -> str:
    """A ``ProjectPage``'s JSON from a revision's kept list (``Store.project_list``): the same bytes as the model
    writes (its fields in order, compact), the items sliced from the objects kept one a line."""
    number, total, lines = kept
    items = ",".join(lines.split("\n")[offset : offset + limit]) if offset < total else ""
    return f'{{"items":[{items}],"total":{total},"limit":{limit},"offset":{offset},"revision":{number}}}'


@router.get(
    "/spheres/{key}/projects/{number}",
    response_model=ProjectDetail,
    responses=ERRORS,
    summary="One project and its history across revisions",
)
@cacheable(Scope.SPHERE)
def get_project(request: Request, key: str, number: Number, rev: Rev = None) -> ProjectDetail:
    store = store_of(request)
    revision = store.revision(key, rev)
    history = store.project_history(key, number, revision.number)
    current = next(p for info, p in history if info.number == revision.number)
    versions = [ProjectVersion(revision=i.number, effective_on=i.effective_on, project=_project(p)) for i, p in history]
    return ProjectDetail(sphere=key, revision=revision.number, project=_project(current), history=versions)


@router.get(
    "/spheres/{key}/diff", response_model=Amendments, responses=ERRORS, summary="The amendments between two revisions"
)
@cacheable(Scope.SPHERE)
def get_diff(
    request: Request,
    key: str,
    old: Annotated[int, Query(alias="from", ge=1, le=NUMBER_MAX)],
    new: Annotated[int, Query(alias="to", ge=1, le=NUMBER_MAX)],
) -> Amendments:
    amendments = store_of(request).diff(key, old, new)
    changes = [change_out(c) for c in amendments.changes]
    return Amendments(sphere=key, old=old, new=new, changes=changes, summary=summary_out(amendments))


@router.get(
    "/spheres/{key}/agreements/{municipality}",
    response_model=Agreement,
    responses=ERRORS,
    summary="A municipality's agreement schedule: the projects it takes part in",
)
@cacheable(Scope.SPHERE)
def get_agreement(request: Request, key: str, municipality: str, rev: Rev = None) -> Agreement:
    store = store_of(request)
    revision = store.revision(key, rev)
    vision, member = store.agreement(key, municipality, revision.number)
    projects = [_project(p) for p in vision.projects_of(member.name)]
    ref = MunicipalityRef(name=member.name, code=member.code, prefecture=member.prefecture)
    return Agreement(sphere=key, revision=revision.number, municipality=ref, count=len(projects), projects=projects)


@router.get("/spheres/{key}/charts/{kind}", responses=ERRORS, summary="A chart of a revision, as a Vega-Lite spec")
@cacheable(Scope.SPHERE)
def get_chart(request: Request, key: str, kind: str, rev: Rev = None) -> dict[str, Any]:
    from renkei.publish.budgetcharts import any_chart, draw  # the vision's charts and its budgets' and KPIs'

    if any_chart(kind) is None:
        raise refusal("not-found")
    store = store_of(request)
    vision = store.vision(key, store.revision(key, rev).number)
    spec: dict[str, Any] = draw(vision, kind, request.state.lang)
    return spec


@router.get(
    "/municipalities/{code}",
    response_model=MunicipalityOut,
    responses=ERRORS,
    summary="A municipality: its spheres and the projects of its agreements",
)
@cacheable(Scope.REGISTRY)
def get_municipality(request: Request, code: str) -> MunicipalityOut:
    store = store_of(request)
    entry = Registry.default().by_code(code)
    memberships = []
    for info in store.memberships(code):
        vision = store.vision(info.key)
        member = vision.find_municipality(code)
        projects = [_project(p) for p in vision.projects_of(member.name)] if member else []
        memberships.append(Membership(sphere=_sphere(info), count=len(projects), projects=projects))
    if entry is None and not memberships:
        raise refusal("not-found")
    name = entry.name if entry else None
    prefecture = entry.prefecture if entry else None
    return MunicipalityOut(code=code, name=name, prefecture=prefecture, spheres=memberships)


@router.get("/search", response_model=SearchOut, summary="Projects whose name or description contains the text")
@cacheable(Scope.REGISTRY)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Any text, one character or more.")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> SearchOut:
    hits, total = store_of(request).search(q, limit, offset)
    return SearchOut(query=q, total=total, limit=limit, offset=offset, hits=[Hit(**vars(h)) for h in hits])


@router.get("/formats", response_model=list[FormatOut], summary="The formats of the renderer registry")
@cacheable(Scope.REGISTRY)
def formats(request: Request) -> list[FormatOut]:
    lang = request.state.lang
    return [
        FormatOut(
            name=r.name,
            extension=r.extension,
            media_type=r.media_type,
            description=r.label(lang),
            readable=r.readable,
            documents=r.document is not None,
        )
        for r in renderers()
    ]


@router.get("/readers", response_model=list[ReaderOut], summary="The formats of the registry of readers")
@cacheable(Scope.REGISTRY)
def readers(request: Request) -> list[ReaderOut]:
    lang = request.state.lang
    return [
        ReaderOut(
            name=r.name,
            extensions=list(r.extensions),
            media_types=list(r.media_types),
            description=r.label(lang),
            plugin=r.read_with is None,
        )
        for r in all_readers()
    ]


@router.post(
    "/check", responses=ERRORS, summary="Check an uploaded table like `renkei check --json`; nothing is stored"
)
async def check(
    request: Request,
    file: Annotated[UploadFile, File()],
    pages: Annotated[str, Form(max_length=100, description="A PDF's pages that hold the table: 31-40")] = "",
    name_column: Annotated[str, Form(max_length=200, description=NAME_COLUMN_HELP)] = "",
    annex: Annotated[UploadFile | None, File(description=ANNEX_HELP)] = None,
) -> dict[str, Any]:
    data = await file.read(MAX_UPLOAD + 1)
    extra = await annex.read(MAX_UPLOAD + 1) if annex is not None else b""
    lang = request.state.lang
    if len(data) > MAX_UPLOAD or len(extra) > MAX_UPLOAD:
        raise refusal("too-large")
    attached = (extra, annex.filename or "") if annex is not None and extra else None
    try:
        reading = await read_upload(
            request, data, file.filename or "", pages=pages or None, name_column=name_column or None, annex=attached
        )
    except TableReadError as error:
        body = read_error_body(error.code, error.params, lang)
        if ANNEX_FILE in error.params:  # the annex's error, not the table's: the body names its file
            body["error"]["file"] = error.params[ANNEX_FILE]
        return JSONResponse(body, status_code=error.kind.status())  # type: ignore[return-value]
    return check_reading(reading).to_dict(lang)
