"""The file commands: check, show, export and formats. They read a table without a database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from renkei import render as renderers
from renkei.cli.common import (
    AnnexOpt,
    EncodingOpt,
    FileArg,
    NameColumnOpt,
    PagesOpt,
    PrefectureOpt,
    SampleOpt,
    SheetOpt,
    State,
    console,
    errors,
    load,
    print_report,
    refuse_unavailable,
    with_annex,
    write_out,
)
from renkei.core.messages import t
from renkei.ingest.registry import all_readers
from renkei.ingest.report import check_reading
from renkei.vision.model import Heading, Severity, Vision
from renkei.vision.table import Figure, HeadingRow, table_view


def check(
    file: FileArg = None,
    sample: SampleOpt = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    prefecture: PrefectureOpt = None,
    pages: PagesOpt = None,
    name_column: NameColumnOpt = None,
    annex: AnnexOpt = None,
) -> None:
    """Read a table and check every figure: exit 0 when no errors, 1 when errors, 2 when unreadable."""
    reading = load(file, sample, encoding, sheet, prefecture, as_json, pages, name_column)
    report = check_reading(with_annex(reading, annex, as_json))
    if as_json:
        print(json.dumps(report.to_dict(State.lang), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    raise typer.Exit(0 if report.ok else 1)


def show(
    file: FileArg = None,
    sample: SampleOpt = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    prefecture: PrefectureOpt = None,
    pages: PagesOpt = None,
    name_column: NameColumnOpt = None,
) -> None:
    """Show the ○ matrix with computed counts and totals, and the declared figures where they differ."""
    report = check_reading(load(file, sample, encoding, sheet, prefecture, pages=pages, name_column=name_column))
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


def export(
    file: FileArg = None,
    to: Annotated[str, typer.Option("--to")] = "official",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    sample: SampleOpt = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    prefecture: PrefectureOpt = None,
    pages: PagesOpt = None,
    name_column: NameColumnOpt = None,
) -> None:
    """Write a table in another format: official layout, CSV, XLSX, JSON, Markdown …"""
    try:
        renderer = renderers.get(to)
    except KeyError:
        names = ", ".join(r.name for r in renderers.renderers())
        errors.print(f"renkei: {t('cli.unknown_format', State.lang, name=to, formats=names)}", soft_wrap=True)
        raise typer.Exit(2) from None
    refuse_unavailable(renderer)
    reading = load(file, sample, encoding, sheet, prefecture, pages=pages, name_column=name_column)
    try:
        data = renderer.render(reading.vision)
    except renderers.RenderError as error:
        errors.print(f"renkei: {t('cli.render_failed', State.lang, reason=error)}")
        raise typer.Exit(1) from None
    write_out(data, output)
    found = check_reading(reading).count(Severity.ERROR)
    if found:  # written as the document says, and said: a wrong count is not silently passed on
        errors.print(f"renkei: {t('cli.export_with_errors', State.lang, n=found)}", soft_wrap=True)


def formats(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    readers: Annotated[bool, typer.Option("--readers")] = False,
) -> None:
    """List the output formats of the renderer registry, then the formats of the registry of readers."""
    if readers:
        _readers(as_json)
        return
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
    table = Table(title=t("cli.formats_written", State.lang))
    for key in ("cli.format", "cli.extension", "cli.description", "cli.readable"):
        table.add_column(t(key, State.lang))
    for r in entries:
        table.add_row(r.name, r.extension, r.label(State.lang), "✓" if r.readable else "")
    console.print(table)
    _readers(False)


def _readers(as_json: bool) -> None:
    """The registry of readers: renkei's own first, then the plugins'."""
    entries = all_readers()
    if as_json:
        rows = [
            {
                "name": r.name,
                "extensions": list(r.extensions),
                "media_types": list(r.media_types),
                "description": r.label(State.lang),
                "plugin": r.read_with is None,
            }
            for r in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=t("cli.formats_read", State.lang))
    for key in ("cli.format", "cli.extension", "cli.description"):
        table.add_column(t(key, State.lang))
    for r in entries:
        table.add_row(r.name, " ".join(r.extensions), r.label(State.lang))
    console.print(table)
