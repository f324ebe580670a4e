"""The command line: a thin layer over the library that parses options, calls it and prints with Rich.

Exit status (the contract in docs/architecture.md): 0 no errors, 1 errors found, 2 the input cannot be read
as a table at all, or the command was used wrongly. A user never sees a traceback; ``RENKEI_DEBUG=1`` shows one
for a bug report.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from renkei import render as renderers
from renkei.ingest import Reading, TableReadError, read_path, read_sample
from renkei.messages import explain, explain_error, language, t
from renkei.model import Heading, Severity, Sphere, Vision
from renkei.report import Report, check_reading
from renkei.table import Figure, HeadingRow, table_view

app = typer.Typer(
    name="renkei",
    help="連携: read, check, keep and publish the project tables of Japan's cooperation spheres.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

FileArg = Annotated[
    Path | None, typer.Argument(help="Table: a PDF, text copied from one, CSV, XLSX, Markdown or JSON.")
]
SampleOpt = Annotated[bool, typer.Option("--sample", help="Use the bundled sample (上川中部定住自立圏).")]
EncodingOpt = Annotated[str | None, typer.Option(help="Text encoding, e.g. utf-8 or cp932 (detected if omitted).")]
SheetOpt = Annotated[str | None, typer.Option(help="XLSX sheet name or number (the first sheet if omitted).")]
PagesOpt = Annotated[str | None, typer.Option(help="PDF pages that hold the table, e.g. 31-40 (searched if omitted).")]
PrefectureOpt = Annotated[str | None, typer.Option(help="The sphere's prefecture, to resolve names like 池田町.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Language of messages: ja or en.")]


class State:
    lang = "ja"


@app.callback()
def _main(lang: LangOpt = None) -> None:
    State.lang = language(lang)


def fail(
    code: str,
    params: dict[str, object] | None = None,
    location: object = None,
    as_json: bool = False,
    subject: str | None = None,
) -> NoReturn:
    """Print a read error as one line (what, where, what to do) and exit with status 2. ``subject`` names the
    file where a command reads several."""
    explained = explain_error(code, location, params or {}, State.lang)  # type: ignore[arg-type]
    where = f" ({explained.where})" if explained.where else ""
    hint = f" {explained.hint}" if explained.hint else ""
    if as_json:
        from renkei.errorbody import error_body

        print(json.dumps(error_body(code, explained.message, explained.hint), ensure_ascii=False))
    named = f"{subject}: " if subject else ""
    errors.print(f"renkei: {named}{explained.message}{where}{hint}", soft_wrap=True)
    raise typer.Exit(2)


def load(
    file: Path | None,
    sample: bool,
    encoding: str | None = None,
    sheet: str | None = None,
    prefecture: str | None = None,
    as_json: bool = False,
    pages: str | None = None,
) -> Reading:
    try:
        if sample:
            return read_sample()
        if file is None:
            errors.print(f"renkei: {t('cli.file_or_sample', State.lang)}")
            raise typer.Exit(2)
        sphere = Sphere(prefecture=prefecture) if prefecture else None
        return read_path(file, encoding=encoding, sheet=sheet, sphere=sphere, pages=pages)
    except TableReadError as error:
        fail(error.code, {**error.params, "path": str(file)}, error.location, as_json)


@app.command()
def check(
    file: FileArg = None,
    sample: SampleOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    prefecture: PrefectureOpt = None,
    pages: PagesOpt = None,
) -> None:
    """Read a table and check every figure: exit 0 when no errors, 1 when errors, 2 when unreadable."""
    report = check_reading(load(file, sample, encoding, sheet, prefecture, as_json, pages))
    if as_json:
        print(json.dumps(report.to_dict(State.lang), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    raise typer.Exit(0 if report.ok else 1)


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


@app.command()
def show(
    file: FileArg = None,
    sample: SampleOpt = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    prefecture: PrefectureOpt = None,
    pages: PagesOpt = None,
) -> None:
    """Show the ○ matrix with computed counts and totals, and the declared figures where they differ."""
    report = check_reading(load(file, sample, encoding, sheet, prefecture, pages=pages))
    console.print(matrix(report.reading.vision))
    print_report(report)


def _figure(figure: Figure) -> Text:
    """A computed figure, with the declared one under it in red where the document says otherwise."""
    declared = figure.declared_if_differs
    if declared is None:
        return Text(str(figure.computed))
    return Text.assemble(str(figure.computed), ("\n" + str(declared), "bold red"))


def _heading(heading: Heading, style: str) -> Text:
    # A no-break space keeps the label with the first word of its title when the cell wraps.
    return Text(f"{heading.label}\u00a0{heading.title}" if heading.label else heading.title, style=style)


def _vertical(name: str) -> str:
    # Japanese tables write column heads top to bottom; it keeps eight towns within a terminal's width.
    return "\n".join(name)


def matrix(vision: Vision) -> Table:
    lang = State.lang
    caption = t("cli.declared_caption", lang)
    table = Table(title=vision.sphere.name or None, caption=caption, header_style="bold", pad_edge=False)
    table.add_column(t("cli.number", lang), justify="right")
    table.add_column(t("cli.project", lang), min_width=16, max_width=34, overflow="fold")
    for m in vision.municipalities:
        table.add_column(_vertical(m.display), justify="center", vertical="middle")
    table.add_column(_vertical(t("cli.count", lang)) if lang == "ja" else t("cli.count", lang), justify="right")
    view = table_view(vision)
    blank = [""] * (len(view.columns) + 1)
    for i, section in enumerate(view.sections):
        if i:
            table.add_section()
        for row in section:
            if isinstance(row, HeadingRow):
                style = "bold magenta" if row.level == "pillar" else "bold cyan"
                table.add_row("", _heading(row.heading, style), *blank)
            else:
                table.add_row(str(row.number), row.name, *row.marks, _figure(row.count))
    table.add_section()
    totals = [_figure(figure) for figure in view.totals]
    table.add_row("", Text(t("cli.totals", lang), style="bold"), *totals, _figure(view.grand_total))
    return table


@app.command()
def export(
    file: FileArg = None,
    to: Annotated[str, typer.Option("--to", help="Output format (see renkei formats).")] = "official",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (stdout if omitted).")] = None,
    sample: SampleOpt = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    prefecture: PrefectureOpt = None,
    pages: PagesOpt = None,
) -> None:
    """Write a table in another format: official layout, CSV, XLSX, JSON, Markdown …"""
    try:
        renderer = renderers.get(to)
    except KeyError:
        names = ", ".join(r.name for r in renderers.renderers())
        errors.print(f"renkei: {t('cli.unknown_format', State.lang, name=to, formats=names)}", soft_wrap=True)
        raise typer.Exit(2) from None
    refuse_unavailable(renderer)
    reading = load(file, sample, encoding, sheet, prefecture, pages=pages)
    try:
        data = renderer.render(reading.vision)
    except renderers.RenderError as error:
        errors.print(f"renkei: {t('cli.render_failed', State.lang, reason=error)}")
        raise typer.Exit(1) from None
    write_out(data, output)


def refuse_unavailable(renderer: renderers.Renderer) -> None:
    """Exit 2 with the reason where this machine cannot write the format (PDF without Pango or a Japanese
    font), before anything is read."""
    problem = renderer.unavailable() if renderer.unavailable is not None else None
    if problem is not None:
        message = t(f"render.{problem.code}", State.lang, **problem.params)
        errors.print(f"renkei: {message} {t(f'hint.{problem.code}', State.lang, **problem.params)}", soft_wrap=True)
        raise typer.Exit(2)


def write_out(data: bytes, output: Path | None) -> None:
    """Bytes to the file named, or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
        errors.print(t("cli.written", State.lang, path=output, size=len(data)))


@app.command()
def formats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the output formats of the renderer registry."""
    entries = renderers.renderers()
    if as_json:
        rows = [
            {
                "name": r.name,
                "extension": r.extension,
                "media_type": r.media_type,
                "description": r.label(State.lang),
                "readable": r.readable,
            }
            for r in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for key in ("cli.format", "cli.extension", "cli.description", "cli.readable"):
        table.add_column(t(key, State.lang))
    for r in entries:
        table.add_row(r.name, r.extension, r.label(State.lang), "✓" if r.readable else "")
    console.print(table)


def main() -> None:
    """The console entry point: no traceback reaches the user unless RENKEI_DEBUG is set."""
    try:
        app()
    except Exception as error:
        if os.environ.get("RENKEI_DEBUG"):
            traceback.print_exc()
        errors.print(f"renkei: internal error: {type(error).__name__}: {error} (RENKEI_DEBUG=1 shows details)")
        sys.exit(2)


# The registry's commands register themselves on the same app.
from renkei import cli_registry  # noqa: E402, F401
