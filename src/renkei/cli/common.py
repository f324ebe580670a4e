"""What the commands share: the consoles, the options several commands take, the language, reading a table
or failing with one line, and the store opened with its errors reported.

The database layer (SQLAlchemy, Alembic) is imported by the commands that use it, so that the file commands
(check, show, export) start without it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from renkei import render as renderers
from renkei.cli.helptext import localise
from renkei.core.errorkinds import CodedError, Family, kind_of
from renkei.core.messages import explain, explain_error, language, t
from renkei.ingest import Reading, TableReadError, read_path, read_sample
from renkei.ingest.report import Report
from renkei.ingest.understanding import understood_lines
from renkei.vision.model import Severity, Sphere

if TYPE_CHECKING:
    from renkei.national.manifest import ManifestError
    from renkei.store import Store, StoreError


# markup=False: what is printed holds users' text (file names, sphere names, a library's message quoting a PDF
# dictionary such as "[/b]"), never Rich markup; styles are given as Text and Table styles.
console = Console(highlight=False, markup=False)
errors = Console(stderr=True, highlight=False, markup=False)
_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
FileArg = Annotated[Path | None, typer.Argument()]
SampleOpt = Annotated[bool, typer.Option("--sample")]
EncodingOpt = Annotated[str | None, typer.Option()]
SheetOpt = Annotated[str | None, typer.Option()]
PagesOpt = Annotated[str | None, typer.Option()]
NameColumnOpt = Annotated[str | None, typer.Option("--name-column")]
AnnexOpt = Annotated[Path | None, typer.Option("--annex")]
PrefectureOpt = Annotated[str | None, typer.Option()]
DbOpt = Annotated[str | None, typer.Option("--db")]
JsonOpt = Annotated[bool, typer.Option("--json")]
ToOpt = Annotated[str | None, typer.Option("--to")]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output")]


class State:
    lang = "ja"


def _language_chosen(ctx: typer.Context, value: str | None) -> str | None:
    """``--lang`` is read before every other option (``--help`` too, when it comes first): the messages, the
    help and the prompts of the command that follows are in its language."""
    State.lang = language(value)
    localise(ctx.find_root().command, State.lang)
    return value


LangOpt = Annotated[str | None, typer.Option("--lang", metavar="ja|en", is_eager=True, callback=_language_chosen)]


def choose_language(lang: LangOpt = None) -> None:
    """The options every command takes, before the command: the language of messages and help (set by the
    option's callback)."""


def fail(
    code: str,
    params: dict[str, object] | None = None,
    location: object = None,
    as_json: bool = False,
    subject: str | None = None,
) -> NoReturn:
    """Print a read error as one line (what, where, what to do) and exit with its declared status (2,
    ``renkei.core.errorkinds``). ``subject`` names the file where a command reads several."""
    explained = explain_error(code, location, params or {}, State.lang)  # type: ignore[arg-type]
    where = f" ({explained.where})" if explained.where else ""
    hint = f" {explained.hint}" if explained.hint else ""
    if as_json:
        from renkei.core.errorbody import error_body

        print(json.dumps(error_body(code, explained.message, explained.hint), ensure_ascii=False))
    named = f"{subject}: " if subject else ""
    errors.print(f"renkei: {named}{explained.message}{where}{hint}", soft_wrap=True)
    raise typer.Exit(exit_status(kind_of(Family.READ, code).exit))


def load(
    file: Path | None,
    sample: bool,
    encoding: str | None = None,
    sheet: str | None = None,
    prefecture: str | None = None,
    as_json: bool = False,
    pages: str | None = None,
    name_column: str | None = None,
) -> Reading:
    try:
        if sample:
            return read_sample()
        if file is None:
            errors.print(f"renkei: {t('cli.file_or_sample', State.lang)}")
            raise typer.Exit(2)
        sphere = Sphere(prefecture=prefecture) if prefecture else None
        return read_path(file, encoding=encoding, sheet=sheet, sphere=sphere, pages=pages, name_column=name_column)
    except TableReadError as error:
        fail(error.code, {**error.params, "path": str(file)}, error.location, as_json)


def with_annex(reading: Reading, annex: Path | None, as_json: bool = False) -> Reading:
    """The reading with a budget annex's (別冊) budgets merged into its vision (``renkei.ingest.annex``), all or
    nothing: an annex that is not a table stops the command (exit 2) before anything is checked or imported."""
    if annex is None:
        return reading
    from renkei.ingest.annex import merge, read_annex

    try:
        return merge(reading, read_annex(annex))
    except TableReadError as error:
        fail(error.code, {**error.params, "path": str(annex)}, error.location, as_json)


def print_report(report: Report) -> None:
    lang = State.lang
    vision = report.reading.vision
    summary = t(
        "cli.summary",
        lang,
        name=vision.sphere.name or report.reading.source.name,
        projects=len(vision.projects),
        municipalities=len(vision.municipalities),
        errors=report.count(Severity.ERROR),
        warnings=report.count(Severity.WARNING),
        infos=report.count(Severity.INFO),
    )
    console.print(Text(summary, style="bold" if report.ok else "bold red"))
    understood = understood_lines(report.reading.understood, lang)
    if understood:
        console.print(Text(t("understood.title", lang), style="bold"))
        for line in understood:
            console.print(Text(f"  {line}"), soft_wrap=True)
    if not report.findings:
        console.print(t("cli.no_findings", lang))
        return
    table = Table(title=t("cli.findings", lang), show_lines=True, expand=True)
    for column in ("cli.severity", "cli.where", "cli.message", "cli.hint"):
        table.add_column(t(column, lang), overflow="fold")
    for finding in report.sorted_findings():
        explained = explain(finding, lang)
        severity = Text(t(f"severity.{finding.severity.value}", lang), style=_STYLES[finding.severity])
        message = Text(explained.message)
        message.append(f"\n[{finding.code}]", style="dim")
        table.add_row(severity, explained.where, message, explained.hint)
    console.print(table)


def progress() -> Progress:
    """A progress bar on standard error, only where a person watches a terminal; it goes when the work ends, so
    what was done or refused is the last thing on the screen."""
    return Progress(console=errors, transient=True, disable=not errors.is_terminal)


def refuse_unavailable(renderer: renderers.Renderer) -> None:
    """Exit 2 with the reason where this machine cannot write the format (PDF without Pango or a Japanese
    font), before anything is read."""
    problem = renderer.unavailable() if renderer.unavailable is not None else None
    if problem is not None:
        errors.print(f"renkei: {said(problem)}", soft_wrap=True)
        raise typer.Exit(exit_status(problem.kind.exit))


def write_out(data: bytes, output: Path | None) -> None:
    """Bytes to the file named, or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
        errors.print(t("cli.written", State.lang, path=output, size=len(data)))


@contextmanager
def opened(db: str | None) -> Iterator[Store]:
    """The store, with its errors turned into one line each and exit status 2."""
    from renkei.store import ImportRefused, Store, StoreError

    try:
        with Store.open(db) as store:
            yield store
    except ImportRefused:
        raise
    except StoreError as error:
        store_fail(error)


def store_fail(error: StoreError | ManifestError) -> NoReturn:
    """A store's (or a manifest's) error as one line, what and what to do, and its declared exit status (2)."""
    errors.print(f"renkei: {said(error)}", soft_wrap=True)
    raise typer.Exit(exit_status(error.kind.exit))


def said(error: CodedError) -> str:
    """An error's message and what to do, in the language of the command, from its declared catalogue keys."""
    kind = error.kind
    message = t(kind.message_key, State.lang, **error.params)
    return f"{message} {t(kind.hint_key, State.lang, **error.params)}" if kind.hint_key else message


def exit_status(declared: int | None) -> int:
    """The exit status of an error the CLI meets: its declared one, 2 (refused input) for a kind declared for the
    web app alone."""
    return 2 if declared is None else declared
