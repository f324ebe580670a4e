"""``renkei synth``: a synthetic national registry as files or in a database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renkei.cli.common import State, console, errors, opened, progress
from renkei.core.messages import t

if TYPE_CHECKING:
    from renkei.synthetic.synth import SynthSphere


def synth_(
    spheres_: Annotated[int, typer.Option("--spheres", min=0)] = 170,
    seed: Annotated[int, typer.Option()] = 0,
    years: Annotated[int, typer.Option(min=1, max=20)] = 5,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    db: Annotated[str | None, typer.Option("--db")] = None,
    budgets: Annotated[bool, typer.Option("--budgets")] = False,
) -> None:
    """A synthetic national registry with the real one's shape, as files (-o DIR) or in a database (--db)."""
    from renkei.national.manifest import MANIFEST
    from renkei.synthetic.synth import files_keep_budgets, synthesize, write_files

    if output is None and db is None:
        errors.print(f"renkei: {t('cli.synth_target', State.lang)}", soft_wrap=True)
        raise typer.Exit(2)
    try:
        made = synthesize(spheres_, seed, years, with_budgets=budgets)
    except ValueError:
        errors.print(f"renkei: {t('cli.synth_too_many', State.lang, most=_most_spheres())}", soft_wrap=True)
        raise typer.Exit(2) from None
    revisions = sum(len(s.revisions) for s in made)
    if output is not None:
        with progress() as bar:
            task = bar.add_task(t("cli.synthesizing", State.lang), total=revisions)
            files = write_files(made, output, lambda _: bar.advance(task))
        console.print(
            t("cli.synth_written", State.lang, spheres=len(made), files=len(files), manifest=MANIFEST, path=output)
        )
        if budgets and not files_keep_budgets(made):
            errors.print(f"renkei: {t('cli.synth_budgets_dropped', State.lang)}", soft_wrap=True)
    if db is not None:
        _synth_load(made, db, revisions)


def _most_spheres() -> int:
    from renkei.places.municipalities import Registry

    return sum(1 for e in Registry.default().entries if e.name.endswith("市"))


def _synth_load(made: list[SynthSphere], db: str, revisions: int) -> None:
    from renkei.store import describe, load_into

    with opened(db) as store:
        existing = {s.key for s in store.spheres()}
        clash = next((s.key for s in made if s.key in existing), None)
        if clash is not None:
            errors.print(f"renkei: {t('cli.synth_exists', State.lang, sphere=clash)}", soft_wrap=True)
            raise typer.Exit(2)
        with progress() as bar:
            task = bar.add_task(t("cli.importing", State.lang), total=revisions)
            loaded = load_into(store, made, lambda _: bar.advance(task))
        projects = sum(len(s.revisions[-1].vision.projects) for s in made if s.revisions)
        summary = t(
            "cli.synth_loaded",
            State.lang,
            spheres=len(made),
            revisions=loaded,
            projects=projects,
            db=describe(store.url),
        )
        console.print(summary, soft_wrap=True)
