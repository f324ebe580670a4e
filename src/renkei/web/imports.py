"""Importing a table from the browser (and the same through the API): a sphere's secretariat reads a new table on
the check page, sees its findings and the amendment list against the current revision, and imports it as the next
revision with a message and an effective date (適用日).

Between the two steps the uploaded bytes are held on the server by their SHA-256 (a directory under the system's
temporary files, shared by the worker processes); the confirmation names the hash, and the file is read again
from those bytes: nothing the browser sends back is trusted as a reading. Errors block an import; an
administrator may force it, the findings kept with the revision, as ``renkei import --force`` does. The store's
own import function decides everything else (sphere identity, same content → no new revision). Every import
is in the audit trail, its entry written in the import's own transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from renkei.core.messages import explain, explain_error, t
from renkei.core.permissions import Action, Principal, allowed
from renkei.ingest import Reading, TableReadError
from renkei.ingest.report import check_reading
from renkei.store import ImportRefused, ImportResult, SphereSpec, Store, StoreError, record
from renkei.vision.diff import diff
from renkei.vision.model import Finding, Severity, Vision
from renkei.web import views
from renkei.web.amendmentview import view as amendment_view
from renkei.web.auth import actor, check_csrf, principal, require_principal
from renkei.web.deps import ANNEX_HELP, MAX_UPLOAD, NAME_COLUMN_HELP, store_of
from renkei.web.reading import ANNEX_FILE, read_isolated
from renkei.web.refusal import refusal
from renkei.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["editing"])

# Held uploads older than this are removed when another is held: long enough to read and confirm.
HELD_SECONDS = 6 * 3600
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def held_directory() -> Path:
    path = Path(os.environ.get("RENKEI_HELD_DIR") or Path(tempfile.gettempdir()) / "renkei-held")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def hold(data: bytes, filename: str) -> str:
    """Keep an upload until it is confirmed; its SHA-256 names it."""
    directory = held_directory()
    cutoff = time.time() - HELD_SECONDS
    for old in directory.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    sha = hashlib.sha256(data).hexdigest()
    (directory / sha).write_bytes(data)
    (directory / f"{sha}.json").write_text(json.dumps({"filename": filename}), encoding="utf-8")
    return sha


def held(sha: str) -> tuple[bytes, str] | None:
    """The bytes and file name held under ``sha``, or None when they are gone (or never were)."""
    if not _SHA256.match(sha):
        return None
    path = held_directory() / sha
    try:
        data = path.read_bytes()
        meta = json.loads((held_directory() / f"{sha}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != sha:
        return None
    return data, str(meta.get("filename") or "")


def importable(who: Principal | None, store: Store) -> list[tuple[str, str]]:
    """The spheres (key, name) into which ``who`` may import: those it is secretariat of, all for an administrator."""
    if who is None:
        return []
    return [(s.key, s.name) for s in store.spheres() if allowed(who, Action.PUBLISH, s.key)]


def belongs_elsewhere(store: Store, key: str, vision: Vision) -> StoreError | None:
    """The refusal of a file that names another sphere as ``key``'s next revision, by the rule the CLI's import
    applies to a file (``Store.home_of``: the key it carries, its name, central city and kind), and by its
    central city where the file names one and the sphere has another: a table of another sphere would replace
    every member. None where nothing says it is another sphere's."""
    home = store.home_of(vision)
    info = store.sphere(key)
    if home is not None and home != key:
        other = store.sphere(home)
        city = other.central_city.name if other.central_city else "-"
        return StoreError("import-other-sphere", sphere=key, other=other.name, city=city)
    theirs, ours = vision.sphere.central_city, info.central_city
    if theirs is not None and ours is not None and theirs.code and ours.code and theirs.code != ours.code:
        return StoreError("import-other-sphere", sphere=key, other=vision.sphere.name or "-", city=theirs.name)
    return None


def offer(
    request: Request,
    sphere: str,
    reading: Reading,
    data: bytes,
    filename: str,
    as_of: datetime.date | None = None,
    annex: tuple[bytes, str] | None = None,
) -> dict[str, Any] | None:
    """What the check page adds under a reading for someone who may import it into ``sphere``: the held file,
    the amendment list against the current revision, whether errors block it and whether this person may force,
    and the 適用日 proposed from the table's 「…現在」 (``as_of``) where it is not before the newest revision's. A
    budget annex read with the table (its bytes and name) is held too, and read again with it on confirmation."""
    who = principal(request)
    store = store_of(request)
    if not sphere or who is None or not allowed(who, Action.PUBLISH, sphere):
        return None
    info = store.sphere(sphere)
    errors = sum(1 for f in check_reading(reading).findings if f.severity is Severity.ERROR)
    current = store.vision(sphere) if info.latest else None
    amendments = diff(current, reading.vision) if current is not None else None
    other = belongs_elsewhere(store, sphere, reading.vision)
    lang = request.state.lang
    return {
        "as_of": as_of if as_of and (info.latest is None or as_of >= info.latest.effective_on) else None,
        "other": t(f"store.{other.code}", lang, **{**other.params, "sphere": info.name}) if other else None,
        "sphere": info,
        "sha256": hold(data, filename),
        "annex_sha256": hold(*annex) if annex is not None else "",
        "errors": errors,
        "may_force": allowed(who, Action.MANAGE, sphere),
        "latest": info.latest,
        "av": amendment_view(amendments, request.state.lang) if amendments is not None else None,
        "unchanged": amendments is not None and not amendments,
    }


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value.strip() else None
    except ValueError:
        raise StoreError("effective-date-invalid", value=value) from None


def do_import(
    request: Request,
    sphere: str,
    data: bytes,
    filename: str,
    *,
    message: str,
    effective_on: datetime.date | None,
    force: bool,
    encoding: str = "",
    sheet: str = "",
    pages: str = "",
    name_column: str = "",
    annex: tuple[bytes, str] | None = None,
) -> ImportResult:
    """Read the bytes (with the encoding, sheet and PDF pages the check used, and the budget annex merged as
    ``renkei import --annex`` does) and import them as the sphere's next revision, its audit entry written in
    the same transaction. Raises ``Forbidden``-like StoreErrors, ``TableReadError`` or ``ImportRefused``: an
    annex's error findings refuse the import as the table's do."""
    who = require_principal(request)
    from renkei.store import Forbidden

    if not allowed(who, Action.PUBLISH, sphere):
        raise Forbidden(Action.PUBLISH, sphere)
    if force and not allowed(who, Action.MANAGE, sphere):
        raise Forbidden(Action.MANAGE, sphere)
    store = store_of(request)
    store.sphere(sphere)  # 404 for an unknown sphere before anything is read
    options = {
        "encoding": encoding or None,
        "sheet": sheet or None,
        "pages": pages or None,
        "name_column": name_column or None,
        "annex": annex,
    }
    reading = read_isolated(request, data, filename, **options)
    if (other := belongs_elsewhere(store, sphere, reading.vision)) is not None:
        raise other
    who_did = actor(request)
    sha = hashlib.sha256(data).hexdigest()

    def audit(session: Session, result: ImportResult) -> None:
        errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
        record(
            session,
            who_did,
            "revision-import",
            result.sphere,
            target=f"r{result.revision.number}",
            after={
                "file": filename,
                "sha256": sha,
                "revision": result.revision.number,
                "created": result.created,
                "forced": force,
                "errors": errors,
            }
            | ({"annex": annex[1], "annex_sha256": hashlib.sha256(annex[0]).hexdigest()} if annex else {}),
        )

    return store.import_reading(
        reading,
        SphereSpec(key=sphere),
        author=who.username,
        message=message,
        effective_on=effective_on,
        force=force,
        audit=audit,
    )


# The page ------------------------------------------------------------------------------------------------


@pages.post("/spheres/{key}/import", response_class=HTMLResponse)
def confirm(
    request: Request,
    key: str,
    sha256: Annotated[str, Form()],
    message: Annotated[str, Form(max_length=2000)] = "",
    effective_on: Annotated[str, Form()] = "",
    force: Annotated[str, Form()] = "",
    encoding: Annotated[str, Form()] = "",
    sheet: Annotated[str, Form()] = "",
    pages: Annotated[str, Form(max_length=100)] = "",
    name_column: Annotated[str, Form(max_length=200)] = "",
    annex_sha256: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    require_principal(request)
    check_csrf(request, csrf)
    lang = request.state.lang
    kept = held(sha256)
    annex = held(annex_sha256) if annex_sha256 else None
    if kept is None or (annex_sha256 and annex is None):
        return render(request, "check.html", {"report": None, "error": t("ui.import_expired", lang)}, status=410)
    data, filename = kept
    try:
        result = do_import(
            request,
            key,
            data,
            filename,
            message=message.strip() or t("ui.import_default_message", lang, file=filename),
            effective_on=_date(effective_on),
            force=bool(force),
            encoding=encoding,
            sheet=sheet,
            pages=pages,
            name_column=name_column,
            annex=annex,
        )
    except TableReadError as error:
        explained = explain_error(error.code, error.location, error.params, lang)
        shown = error.params.get(ANNEX_FILE, filename)
        context: dict[str, Any] = {"report": None, "read_error": explained, "filename": shown}
        return render(request, "check.html", context, status=error.kind.status())
    except ImportRefused as refused:
        findings = [(f, explain(f, lang)) for f in refused.findings if f.severity is Severity.ERROR]
        context = {"report": None, "error": t("store.import-refused", lang, **refused.params), "refused": findings}
        return render(request, "check.html", context, status=refused.kind.status())
    state = "imported" if result.created else "unchanged"
    return RedirectResponse(f"/spheres/{key}/revisions?{state}={result.revision.number}", status_code=303)


# The API -------------------------------------------------------------------------------------------------


@api.post(
    "/spheres/{key}/revisions", status_code=201, summary="Import a table as the sphere's next revision (secretariat)"
)
async def import_revision(
    request: Request,
    key: str,
    file: Annotated[UploadFile, File()],
    message: Annotated[str, Form(max_length=2000)] = "",
    effective_on: Annotated[datetime.date | None, Form()] = None,
    force: Annotated[bool, Form()] = False,
    encoding: Annotated[str, Form(max_length=40)] = "",
    sheet: Annotated[str, Form(max_length=100)] = "",
    pages: Annotated[str, Form(max_length=100, description="A PDF's pages that hold the table: 31-40")] = "",
    name_column: Annotated[str, Form(max_length=200, description=NAME_COLUMN_HELP)] = "",
    annex: Annotated[UploadFile | None, File(description=ANNEX_HELP)] = None,
) -> Response:
    """Multipart: the file and, optionally, message, effective_on (YYYY-MM-DD), force (administrators), encoding,
    sheet, pages (a PDF's, as /api/check takes them), name_column (the names' column, by position or header),
    annex (a budget annex, 別冊, merged as ``renkei import --annex`` does).
    201 with the new revision; 200 when the content is the
    newest revision's already; 422 with the error findings when they block it."""
    require_principal(request)
    check_csrf(request, None)
    lang = request.state.lang
    data = await file.read(MAX_UPLOAD + 1)
    extra = await annex.read(MAX_UPLOAD + 1) if annex is not None else b""
    if len(data) > MAX_UPLOAD or len(extra) > MAX_UPLOAD:
        raise refusal("too-large")
    filename = file.filename or ""
    attached = (extra, annex.filename or "") if annex is not None and extra else None
    try:
        # In a thread: the reading waits for its worker process (renkei.web.reading), the import for the database.
        result = await run_in_threadpool(
            do_import,
            request,
            key,
            data,
            filename,
            message=message.strip() or t("ui.import_default_message", lang, file=filename),
            effective_on=effective_on,
            force=force,
            encoding=encoding,
            sheet=sheet,
            pages=pages,
            name_column=name_column,
            annex=attached,
        )
    except TableReadError as error:
        message_text = t(f"error.{error.code}", lang, **error.params)
        body = {
            "error": {
                "code": error.code,
                "message": message_text,
                "hint": t(f"hint.{error.code}", lang, **error.params),
            }
        }
        if ANNEX_FILE in error.params:  # the annex's error, not the table's: the body names its file
            body["error"]["file"] = str(error.params[ANNEX_FILE])
        return JSONResponse(body, status_code=error.kind.status())
    except ImportRefused as refused:
        details = [
            {"where": explain(f, lang).where, "code": f.code, "message": explain(f, lang).message}
            for f in refused.findings
            if f.severity is Severity.ERROR
        ]
        text = t("store.import-refused", lang, **refused.params)
        answer: dict[str, Any] = {
            "error": {
                "code": refused.code,
                "message": text,
                "hint": t("hint.import_force", lang),
                "details": details,
            }
        }
        return JSONResponse(answer, status_code=refused.kind.status())
    revision = result.revision
    created: dict[str, Any] = {
        "sphere": result.sphere,
        "revision": revision.number,
        "created": result.created,
        "effective_on": revision.effective_on.isoformat(),
        "message": revision.message,
        "findings": {s.value: sum(1 for f in result.findings if f.severity is s) for s in Severity},
        "membership": [membership_json(f, lang) for f in result.findings if f.code == "members-differ"],
    }
    return JSONResponse(created, status_code=201 if result.created else 200)


def membership_json(finding: Finding, lang: str) -> dict[str, Any]:
    """The registry's check of a table against the sphere's members on its effective date, for the API: the
    message and the towns joined (only in the table), left (not in it) and unknown, as lists."""

    def names(key: str) -> list[str]:
        value = str(finding.params.get(key, "-"))
        return [] if value == "-" else value.split("、")

    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": t(f"finding.{finding.code}", lang, **finding.params),
        "date": finding.params.get("date"),
        "joined": names("joined"),
        "left": names("left"),
        "unknown": names("unknown"),
    }


def check_extras(request: Request, sphere: str) -> dict[str, Any]:
    """What the check page's form needs: the spheres this person may import into, and the one chosen."""
    choices = importable(principal(request), store_of(request))
    chosen = sphere if sphere in {k for k, _ in choices} else ""
    return {"import_spheres": choices, "import_sphere": chosen, "key_of": views.municipality_key}
