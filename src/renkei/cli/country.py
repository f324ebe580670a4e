"""``renkei country``: the country's list of spheres in the registry (``renkei.national.country``, ``Store.country``).

``update FILE`` merges a newer list of the shipped shape and says what changed; ``counts`` prints the counts of
a date beside the official figures. The list shipped with renkei is loaded by ``renkei db init`` and by the
first ``renkei serve`` (``load_shipped``).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renkei.cli.common import DbOpt, JsonOpt, State, console, errors, exit_status, opened
from renkei.core.messages import t

if TYPE_CHECKING:
    from renkei.national.country import ListChanges
    from renkei.store import Store

country_app = typer.Typer(no_args_is_help=True)


def load_shipped(store: Store) -> bool:
    """Load the list shipped with renkei into a registry that has none yet; whether it did."""
    from renkei.national.country import shipped

    if store.country.loaded():
        return False
    store.country.merge(shipped(), source="renkei/data/country.csv")
    console.print(t("cli.country_loaded", State.lang, n=len(shipped())))
    return True


@country_app.command("update")
def update(
    file: Annotated[Path, typer.Argument()],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Merge a newer list of the country's spheres, all or nothing, and report what changed."""
    from renkei.national.country import CountryError, read_list
    from renkei.store import Actor

    try:
        rows = read_list(file.read_text(encoding="utf-8-sig"), source=str(file))
    except (OSError, UnicodeDecodeError) as error:
        errors.print(f"renkei: {t('country.unreadable', State.lang, source=str(file), reason=str(error))}")
        raise typer.Exit(2) from None
    except CountryError as error:
        kind = error.kind
        hint = t(kind.hint_key, State.lang) if kind.hint_key else ""
        errors.print(f"renkei: {t(kind.message_key, State.lang, **error.params)} {hint}")
        raise typer.Exit(exit_status(kind.exit)) from None
    with opened(db) as store:
        found = store.country.merge(rows, Actor(None), source=file.name)
    if as_json:
        print(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        return
    _report(found)


def _report(found: ListChanges) -> None:
    lang = State.lang
    if not found:
        console.print(t("cli.country_unchanged", lang))
        return
    for key in found.added:
        console.print(t("cli.country_added", lang, sphere=key))
    for key in found.removed:
        console.print(t("cli.country_removed", lang, sphere=key))
    for key, code in found.joined:
        console.print(t("cli.country_joined", lang, sphere=key, code=code, name=_name(code)))
    for key, code in found.left:
        console.print(t("cli.country_left", lang, sphere=key, code=code, name=_name(code)))
    for key, stage, before, after in found.dates:
        stage_name = t(f"ui.stage_{stage}", lang)
        console.print(
            t("cli.country_date", lang, sphere=key, stage=stage_name, before=before or "-", after=after or "-")
        )
    for key, what in found.other:
        console.print(t("cli.country_other", lang, sphere=key, what=what))


def _name(code: str) -> str:
    from renkei.places.municipalities import Registry

    entry = Registry.default().by_code(code)
    return entry.name if entry else code


@country_app.command("counts")
def counts(
    date: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Spheres by kind and stage, municipalities 延べ and distinct, on a date."""
    from renkei.national.country import count

    try:
        on = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        errors.print(f"renkei: {t('store.date-invalid', State.lang, value=date)}")
        raise typer.Exit(2) from None
    with opened(db) as store:
        found = count(store.country.standing(on), on)
    if as_json:
        body = {"spheres": found.spheres, "gross": found.gross, "distinct": found.distinct}
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return
    for kind, n in found.spheres.items():
        console.print(
            t(
                "cli.country_count",
                State.lang,
                kind=kind,
                n=n,
                gross=found.gross[kind],
                distinct=found.distinct.get(kind, 0),
            )
        )
    console.print(t("cli.country_distinct", State.lang, n=found.distinct.get("", 0)))
