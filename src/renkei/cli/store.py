"""Commands over the registry (the database): db, import, spheres, history, diff, agreement, search, dump, restore.

Every command takes ``--db`` (a URL such as ``postgresql+psycopg://…`` or a SQLite file path; the embedded
database under the user's data directory when omitted, or ``RENKEI_DB``).
"""

from __future__ import annotations

import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from renkei import render as renderers
from renkei.cli.common import (
    AnnexOpt,
    DbOpt,
    EncodingOpt,
    JsonOpt,
    NameColumnOpt,
    OutOpt,
    PagesOpt,
    SheetOpt,
    State,
    ToOpt,
    console,
    errors,
    exit_status,
    fail,
    load,
    opened,
    print_report,
    progress,
    refuse_unavailable,
    said,
    store_fail,
    with_annex,
    write_out,
)
from renkei.cli.fitted import Column, Kind, fitted_table
from renkei.core.messages import t
from renkei.ingest.report import Report
from renkei.vision.model import SphereKind

if TYPE_CHECKING:
    from renkei.ingest import Reading
    from renkei.store import ImportRefused, SphereInfo, SphereSpec, Store
    from renkei.vision.diff import Amendments


db_app = typer.Typer(no_args_is_help=True)


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.print(f"renkei: {t('cli.bad_date', State.lang, value=value)}")
        raise typer.Exit(2) from None


def _period(value: str | None) -> tuple[datetime.date | None, datetime.date | None]:
    """2021-2025 (fiscal years, April to March) or two ISO dates joined by '/'."""
    if value is None:
        return None, None
    try:
        if "/" in value:
            start, end = value.split("/", 1)
            return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
        first, last = (int(part) for part in value.split("-", 1))
        return datetime.date(first, 4, 1), datetime.date(last + 1, 3, 31)
    except ValueError:
        errors.print(f"renkei: {t('cli.bad_period', State.lang, value=value)}")
        raise typer.Exit(2) from None


def document_format(name: str) -> renderers.Renderer:
    try:
        renderer = renderers.get(name)
    except KeyError:
        renderer = None
    if renderer is None or renderer.document is None:
        names = ", ".join(r.name for r in renderers.document_renderers())
        errors.print(f"renkei: {t('cli.unknown_format', State.lang, name=name, formats=names)}")
        raise typer.Exit(2)
    refuse_unavailable(renderer)
    return renderer


# db ------------------------------------------------------------------------------------------------------


@db_app.command("init")
def db_init(
    db: DbOpt = None,
    country: Annotated[bool, typer.Option("--country/--no-country")] = True,
) -> None:
    """Create the database (or bring it to the newest schema), with the country's list of spheres."""
    from renkei.cli.country import load_shipped
    from renkei.store import Store, StoreError, describe

    try:
        with Store.open(db, check=False) as probe:
            new = probe.schema_state() == "empty"
    except StoreError as error:
        store_fail(error)
    # Opening creates an empty database and refuses an outdated or foreign one, saying what to do.
    with opened(db) as store:
        store.upgrade()
        console.print(
            t("cli.db_created" if new else "cli.db_ready", State.lang, db=describe(store.url)), soft_wrap=True
        )
        if country:
            load_shipped(store)  # says so the first time; a registry that has the list keeps it


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Apply pending migrations to an existing database."""
    from renkei.store import Store, describe

    with Store.open(db, check=False) as store:
        outdated = store.schema_state() == "outdated"
        store.upgrade()
        said = t("cli.db_upgraded" if outdated else "cli.db_ready", State.lang, db=describe(store.url))
        console.print(said, soft_wrap=True)  # the database's address is never cut


# import --------------------------------------------------------------------------------------------------


def import_(
    files: Annotated[list[Path] | None, typer.Argument()] = None,
    sample: Annotated[bool, typer.Option("--sample")] = False,
    sphere: Annotated[str | None, typer.Option()] = None,
    name: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[SphereKind | None, typer.Option()] = None,
    central_city: Annotated[str | None, typer.Option()] = None,
    prefecture: Annotated[str | None, typer.Option()] = None,
    period: Annotated[str | None, typer.Option()] = None,
    replaces: Annotated[str | None, typer.Option()] = None,
    author: Annotated[str | None, typer.Option()] = None,
    message: Annotated[str, typer.Option("--message", "-m")] = "",
    effective: Annotated[str | None, typer.Option()] = None,
    force: Annotated[
        bool,
        typer.Option(),
    ] = False,
    new_sphere: Annotated[
        bool,
        typer.Option("--new-sphere"),
    ] = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    pages: PagesOpt = None,
    name_column: NameColumnOpt = None,
    annex: AnnexOpt = None,
    manifest: Annotated[
        Path | None,
        typer.Option(),
    ] = None,
    jobs: Annotated[int | None, typer.Option(min=1)] = None,
    db: DbOpt = None,
) -> None:
    """Import tables as new revisions: all or nothing per file (per manifest); refused on errors unless --force."""
    from renkei.store import SphereSpec

    paths = list(files or [])
    if manifest is not None:
        if paths or sample or sphere:
            errors.print(f"renkei: {t('cli.manifest_alone', State.lang)}")
            raise typer.Exit(2)
        _import_manifest(manifest, jobs, author, force, db)
        return
    start, end = _period(period)
    # --sphere and the other options apply to every file given.
    spec = SphereSpec(sphere, name, kind, central_city, prefecture, start, end, replaces)
    if sample:  # the bundled sample makes its own sphere the first time
        spec.key, new_sphere = spec.key or "kamikawa-chubu", True
    readings = [load(None, True)] if sample else None
    options = _ImportOptions(author, message, effective, force, new_sphere)
    status = 0
    with opened(db) as store:
        if readings is not None:
            status = _import_one(store, readings[0], spec, options)
        elif len(paths) == 1:
            reading = load(paths[0], False, encoding, sheet, prefecture, pages=pages, name_column=name_column)
            status = _import_one(store, with_annex(reading, annex), spec, options)
        elif annex is not None:  # an annex belongs to one table
            errors.print(f"renkei: {t('cli.annex_one_table', State.lang)}")
            raise typer.Exit(2)
        else:
            with progress() as bar:
                task = bar.add_task(t("cli.importing", State.lang), total=len(paths))
                for path in paths:
                    reading = load(path, False, encoding, sheet, prefecture, pages=pages, name_column=name_column)
                    status = max(status, _import_one(store, reading, SphereSpec(**vars(spec)), options, path))
                    bar.advance(task)
    raise typer.Exit(status)


@dataclass(frozen=True)
class _ImportOptions:
    """What ``renkei import`` applies to every file."""

    author: str | None
    message: str
    effective: str | None
    force: bool
    new_sphere: bool


def _import_manifest(path: Path, jobs: int | None, author: str | None, force: bool, db: str | None) -> None:
    """Every sphere and revision a manifest lists, read by worker processes, written in one transaction."""
    from renkei.ingest import TableReadError
    from renkei.national.manifest import ManifestError, default_jobs, read_manifest
    from renkei.store import ImportResult, ManifestRefused, StoreError, import_manifest

    try:
        spheres = read_manifest(path)
        total = sum(len(s.revisions) for s in spheres)
        results: list[ImportResult] = []
        with opened(db) as store, progress() as bar:
            task = bar.add_task(t("cli.importing", State.lang), total=total)
            results = import_manifest(
                store,
                spheres,
                jobs=jobs or default_jobs(),
                force=force,
                author=author,
                on_result=lambda _: bar.advance(task),
            )
    except TableReadError as error:
        fail(error.code, error.params, error.location, subject=str(error.params.get("path", path)))
    except ManifestRefused as refused:
        _refused(refused.reading, refused, "store.manifest-refused", subject=str(refused.path))
        raise typer.Exit(exit_status(refused.kind.exit)) from None
    except (StoreError, ManifestError) as error:
        store_fail(error)
    created = [r for r in results if r.created]
    console.print(
        t(
            "cli.imported_manifest",
            State.lang,
            revisions=len(created),
            spheres=len({r.sphere for r in created}),
            unchanged=len(results) - len(created),
        )
    )


def _refused(reading: Reading, refused: ImportRefused, message: str, subject: str | None = None) -> None:
    """A refused import: the file's findings, then what was refused and what to do."""
    print_report(Report(reading, refused.findings))
    named = f"{subject}: " if subject else ""
    errors.print(
        f"renkei: {named}{t(message, State.lang, **refused.params)} {t('hint.store.import-refused', State.lang)}"
    )


def _import_one(
    store: Store, reading: Reading, spec: SphereSpec, options: _ImportOptions, path: Path | None = None
) -> int:
    from renkei.store import ImportRefused, StoreError

    try:
        result = store.import_reading(
            reading,
            spec,
            author=options.author,
            message=options.message,
            effective_on=_date(options.effective),
            force=options.force,
            new_sphere=options.new_sphere,
        )
    except ImportRefused as refused:
        _refused(reading, refused, "store.import-refused")
        return exit_status(refused.kind.exit)
    except StoreError as error:
        # Refusals about the file's place in the registry (declared with an ``import_exit``, 1, as for error
        # findings): the next file is imported.
        if error.kind.import_exit is None:
            store_fail(error)
        named = f"{path}: " if path is not None else ""
        errors.print(f"renkei: {named}{said(error)}", soft_wrap=True)
        return error.kind.import_exit
    key = "cli.imported" if result.created else "cli.unchanged"
    count = len(reading.vision.projects)
    console.print(t(key, State.lang, sphere=result.sphere, revision=result.revision.number, projects=count))
    for finding in result.findings:  # the registry's own check: the sphere's membership on the effective date
        if finding.code == "members-differ":
            message = t(f"finding.{finding.code}", State.lang, **finding.params)
            console.print(t("cli.import_membership", State.lang, message=message), soft_wrap=True)
    return 0


# reading the registry ------------------------------------------------------------------------------------


def spheres(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List the spheres: kind, central city, members, projects, newest revision."""
    with opened(db) as store:
        rows = store.spheres()
    if as_json:
        print(json.dumps([_sphere_json(s) for s in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print(t("cli.no_spheres", State.lang))
        return
    # The key is what the next commands take: never cut, however narrow the terminal.
    columns = [Column(t("cli.key", State.lang), Kind.KEY)]
    columns += [Column(t(k, State.lang), Kind.TEXT) for k in ("cli.name", "cli.kind", "cli.central_city")]
    columns += [Column(t(k, State.lang), Kind.NUMBER) for k in ("cli.members", "cli.projects", "cli.revision")]
    columns.append(Column(t("cli.effective", State.lang), Kind.DATE))
    cells = [
        [
            s.key,
            s.name,
            s.kind.value,
            "・".join(c.name for c in s.central_cities),  # two in a 複眼型 sphere, as the lists write them
            str(s.members_shown),
            str(s.projects) if s.latest else "–",  # no table registered: no count of projects (as on the home page)
            str(s.latest.number) if s.latest else "–",
            s.latest.effective_on.isoformat() if s.latest else "",
        ]
        for s in rows
    ]
    console.print(fitted_table(columns, cells, console.width))


def _sphere_json(s: SphereInfo) -> dict[str, object]:
    return {
        "key": s.key,
        "name": s.name,
        "kind": s.kind.value,
        "prefecture": s.prefecture,
        "central_city": {"name": s.central_city.name, "code": s.central_city.code} if s.central_city else None,
        "central_cities": [{"name": c.name, "code": c.code} for c in s.central_cities],
        "plan_start": s.plan_start.isoformat() if s.plan_start else None,
        "plan_end": s.plan_end.isoformat() if s.plan_end else None,
        "replaces": s.replaces,
        "replaced_by": s.replaced_by,
        "members": s.members_shown,
        "projects": s.projects if s.latest else None,  # no table registered: no count of projects
        "revision": s.latest.number if s.latest else None,
    }


def history(sphere: str, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List a sphere's revisions: number, author, time, effective date, message, source file."""
    from renkei.store import StoreError

    with opened(db) as store:
        try:
            revisions = store.history(sphere)
        except StoreError as error:
            store_fail(error)
    if as_json:
        rows = [
            {
                "number": r.number,
                "author": r.author,
                "created_at": r.created_at.isoformat(),
                "effective_on": r.effective_on.isoformat(),
                "message": r.message,
                "source_name": r.source_name,
                "source_sha256": r.source_sha256,
                "findings": r.findings,
            }
            for r in revisions
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=sphere)
    for key in ("cli.revision", "cli.author", "cli.created", "cli.effective", "cli.message_col", "cli.source"):
        table.add_column(t(key, State.lang))
    for r in revisions:
        created = r.created_at.astimezone(datetime.timezone(datetime.timedelta(hours=9))).strftime("%Y-%m-%d %H:%M")
        table.add_row(str(r.number), r.author, created, r.effective_on.isoformat(), r.message, r.source_name or "")
    console.print(table)


def _amendments(store: Store, sphere: str, old: int, new: int) -> Amendments:
    from renkei.store import StoreError

    try:
        return store.diff(sphere, old, new)
    except StoreError as error:
        store_fail(error)


def diff_(
    sphere: str,
    old: Annotated[int, typer.Argument()],
    new: Annotated[int, typer.Argument()],
    by: Annotated[str, typer.Option()] = "project",
    to: ToOpt = None,
    output: OutOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """The amendment list (変更内容一覧) between two revisions."""
    from renkei.publish.documents import amendments_document

    with opened(db) as store:
        amendments = _amendments(store, sphere, old, new)
        info = store.sphere(sphere)
    title = t("doc.amendments_title", State.lang, sphere=info.name, old=old, new=new)
    document = amendments_document(amendments, title, "municipality" if by == "municipality" else "project", State.lang)
    _emit(document, to or ("json" if as_json else None), output)


def agreement(
    sphere: str,
    municipality: Annotated[str, typer.Argument()],
    rev: Annotated[int | None, typer.Option("--rev")] = None,
    to: ToOpt = None,
    output: OutOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """A municipality's agreement schedule: the projects it takes part in, at a revision."""
    from renkei.publish.documents import agreement_document
    from renkei.store import StoreError

    with opened(db) as store:
        try:
            vision, member = store.agreement(sphere, municipality, rev)
            number = store.revision(sphere, rev).number
        except StoreError as error:
            store_fail(error)
    title = t(
        "doc.agreement_title", State.lang, municipality=member.display, sphere=vision.sphere.name, revision=number
    )
    _emit(agreement_document(vision, member.name, title, State.lang), to or ("json" if as_json else None), output)


def _emit(document: renderers.Document, to: str | None, output: Path | None) -> None:
    if to is not None:
        renderer = document_format(to)
        assert renderer.document is not None
        write_out(renderer.document(document), output)
        return
    console.print(Text(document.title, style="bold"))
    for sheet in document.sheets:
        table = Table(title=sheet.title)
        for i, column in enumerate(sheet.columns):
            # Long prose (事業内容) is cut to a line in the terminal; the document formats carry it whole.
            long = any(len(str(row[i] or "")) > 60 for row in sheet.rows)
            table.add_column(
                column, overflow="ellipsis" if long else "fold", no_wrap=long, max_width=30 if long else None
            )
        for row in sheet.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        if sheet.rows:
            console.print(table)
        else:
            console.print(t("cli.no_changes", State.lang))
    for note in document.notes:
        console.print(note)


def search_(
    text: str,
    limit: Annotated[int, typer.Option()] = 20,
    offset: Annotated[int, typer.Option()] = 0,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Search project names and descriptions (any substring, from one character), ranked."""
    with opened(db) as store:
        hits, total = store.search(text, limit, offset)
    if as_json:
        rows = [vars(h) for h in hits]
        print(json.dumps({"query": text, "total": total, "hits": rows}, ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print(t("cli.no_hits", State.lang, query=text))
        return
    table = Table(title=t("cli.hits", State.lang, query=text, total=total))
    for key in ("cli.sphere", "cli.number", "cli.project", "cli.score"):
        table.add_column(t(key, State.lang))
    for h in hits:
        table.add_row(h.sphere_name, str(h.number), _marked(h.name, text), str(h.score))
    console.print(table)


def _marked(text: str, query: str) -> str:
    from rich.markup import escape

    from renkei.store import highlight

    return "".join(
        f"[reverse]{escape(piece)}[/reverse]" if hit else escape(piece) for piece, hit in highlight(text, query)
    )


def dump_(output: OutOpt = None, db: DbOpt = None) -> None:
    """Write the whole registry to one portable file (JSON lines); stdout if no -o."""
    from renkei.store import dump

    with opened(db) as store:
        if output is None:
            lines = dump(store, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="\n") as out:
                lines = dump(store, out)
    errors.print(t("cli.dumped", State.lang, lines=lines))


def restore_(file: Annotated[Path, typer.Argument()], db: DbOpt = None) -> None:
    """Restore a dump into an empty database, all or nothing."""
    from renkei.store import StoreError, restore

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        fail("file-missing", {"path": str(file)})
    with opened(db) as store:
        try:
            spheres_count, revisions = restore(store, text.splitlines())
        except (StoreError, ValueError, KeyError) as error:
            if isinstance(error, StoreError):
                store_fail(error)
            store_fail(StoreError("restore-format", expected="renkei.dump/1"))
    console.print(t("cli.restored", State.lang, spheres=spheres_count, revisions=revisions))
