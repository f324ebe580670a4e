"""``renkei chart``: a chart of a vision as SVG, PNG or its Vega-Lite spec."""

from __future__ import annotations

from typing import Annotated

import typer

from renkei.cli.common import DbOpt, OutOpt, State, errors, load, opened, store_fail, write_out
from renkei.core.messages import t


def chart_(
    arguments: Annotated[
        list[str],
        typer.Argument(metavar="SPHERE KIND"),
    ],
    output: OutOpt = None,
    rev: Annotated[int | None, typer.Option("--rev")] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format"),
    ] = None,
    scale: Annotated[float, typer.Option()] = 2.0,
    sample: Annotated[bool, typer.Option("--sample")] = False,
    db: DbOpt = None,
) -> None:
    """Draw a chart of a vision as SVG, PNG or its Vega-Lite spec: projects, heatmap, network, budgets or kpis."""
    from renkei.publish.budgetcharts import FIGURES, any_chart, draw, table
    from renkei.publish.chartfile import FORMATS, ChartError, convert, format_for
    from renkei.publish.charts import CHARTS

    if len(arguments) != (1 if sample else 2):
        errors.print(f"renkei: {t('cli.chart_arguments', State.lang)}", soft_wrap=True)
        raise typer.Exit(2)
    sphere, kind = (None, arguments[0]) if sample else (arguments[0], arguments[1])
    if any_chart(kind) is None:
        kinds = ", ".join([*CHARTS, *FIGURES])
        errors.print(f"renkei: {t('cli.unknown_chart', State.lang, name=kind, kinds=kinds)}", soft_wrap=True)
        raise typer.Exit(2)
    name = fmt or (format_for(output) if output is not None else "svg")
    if name not in FORMATS:
        given = fmt or (output.suffix if output is not None else "")
        formats = ", ".join(FORMATS)
        errors.print(
            f"renkei: {t('cli.unknown_chart_format', State.lang, name=given, formats=formats)}", soft_wrap=True
        )
        raise typer.Exit(2)
    if sphere is None:
        vision = load(None, True).vision
    else:
        from renkei.store import StoreError

        with opened(db) as store:
            try:
                vision = store.vision(sphere, rev)
            except StoreError as error:
                store_fail(error)
    if kind in FIGURES and not table(vision, kind, State.lang)[1]:  # an empty axis is no chart: say why
        what = t(f"chart.{kind}", State.lang)
        errors.print(f"renkei: {t('cli.chart_empty', State.lang, chart=what)}", soft_wrap=True)
        raise typer.Exit(1)
    try:
        data = convert(draw(vision, kind, State.lang), name, scale)
    except ChartError as error:
        errors.print(f"renkei: {t('cli.chart_failed', State.lang, reason=error)}", soft_wrap=True)
        raise typer.Exit(1) from None
    write_out(data, output)
