"""``renkei report`` (a fiscal year's 取組状況 report, the 懇談会 packet) and ``renkei grades`` (a sphere's grade
thresholds), over ``Store.results`` and ``renkei.publish.progress``."""

from __future__ import annotations

from typing import Annotated

import typer

from renkei.cli.common import DbOpt, JsonOpt, OutOpt, State, console, errors, opened, progress, store_fail, write_out
from renkei.cli.store import document_format
from renkei.core.messages import t

YearOpt = Annotated[int, typer.Option("--year", min=1989, max=2100)]


def report(
    sphere: str,
    year: YearOpt,
    format: Annotated[str, typer.Option("--format")] = "pdf",
    output: OutOpt = None,
    rev: Annotated[int | None, typer.Option("--rev")] = None,
    db: DbOpt = None,
) -> None:
    """A sphere's 取組状況 report of a fiscal year: the table, budgets, KPIs with grades, grades per town and the
    amendments since the previous fiscal year's revision."""
    from renkei.publish import progress as report_of
    from renkei.render import RenderError
    from renkei.store import StoreError

    renderer = document_format(format)
    with progress() as bar, opened(db) as store:
        task = bar.add_task(t("cli.report_reading", State.lang, sphere=sphere), total=2)
        try:
            basis = store.results.basis(sphere, year, rev)
        except StoreError as error:
            store_fail(error)
        bar.update(task, advance=1, description=t("cli.report_writing", State.lang, format=renderer.name))
        previous = (basis.previous.number, basis.previous.effective_on.isoformat()) if basis.previous else None
        notes = report_of.basis_notes(
            (basis.revision.number, basis.revision.effective_on.isoformat()), previous, State.lang
        )
        document = report_of.report_document(
            basis.vision,
            year,
            basis.thresholds,
            report_of.report_title(basis.vision.sphere.name, year, State.lang),
            basis.amendments,
            notes,
            State.lang,
        )
        assert renderer.document is not None
        try:
            data = renderer.document(document)
        except RenderError as error:
            errors.print(f"renkei: {error}")
            raise typer.Exit(2) from None
        bar.update(task, advance=1)
    write_out(data, output)


def grades(
    sphere: str,
    a: Annotated[float | None, typer.Option("--a", min=0, max=1000)] = None,
    b: Annotated[float | None, typer.Option("--b", min=0, max=1000)] = None,
    c: Annotated[float | None, typer.Option("--c", min=0, max=1000)] = None,
    reset: Annotated[bool, typer.Option("--reset")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Show a sphere's grade thresholds, or set them (percentages: --a 100 --b 80 --c 50), audited."""
    import json

    from renkei.core.messages import invalid
    from renkei.store import Invalid, StoreError

    given = (a, b, c)
    if any(v is not None for v in given) and None in given:
        errors.print(f"renkei: {t('cli.grades_all_three', State.lang)}")
        raise typer.Exit(2)
    with opened(db) as store:
        try:
            if reset:
                thresholds = store.results.set_thresholds(sphere, None, None)
            elif a is not None and b is not None and c is not None:
                thresholds = store.results.set_thresholds(sphere, {"a": a / 100, "b": b / 100, "c": c / 100}, None)
            else:
                thresholds = store.results.thresholds(sphere)
        except Invalid as refused:
            errors.print(f"renkei: {'；'.join(invalid(p, State.lang) for p in refused.errors.values())}")
            raise typer.Exit(2) from None
        except StoreError as error:
            store_fail(error)
    values = {"a": thresholds.a, "b": thresholds.b, "c": thresholds.c}
    if as_json:
        console.print_json(json.dumps({"sphere": sphere, **values}))
        return
    from renkei.publish.progress import thresholds_text

    console.print(thresholds_text(thresholds, State.lang))
