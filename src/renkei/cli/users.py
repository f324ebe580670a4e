"""``renkei user`` and ``renkei token``: accounts, their roles and API tokens."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from renkei.cli.common import DbOpt, JsonOpt, State, console, errors, opened, store_fail
from renkei.messages import t

if TYPE_CHECKING:
    from renkei.store.accounts import Accounts


user_app = typer.Typer(help="Accounts and their roles.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
]


def _password(from_stdin: bool) -> str:
    """A new password: from standard input, or typed twice at a hidden prompt. Never a default."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt(t("cli.password_prompt", State.lang), hide_input=True, confirmation_prompt=True))


@contextmanager
def _accounts(db: str | None) -> Iterator[Accounts]:
    from renkei.store import StoreError

    with opened(db) as store:
        try:
            yield store.accounts
        except StoreError as error:
            store_fail(error)


@user_app.command("add")
def user_add(
    username: str,
    name: Annotated[str, typer.Option(help="The name shown for the account.")] = "",
    admin: Annotated[bool, typer.Option("--admin", help="An administrator: manages spheres and accounts.")] = False,
    password_stdin: PasswordStdin = False,
    db: DbOpt = None,
) -> None:
    """Create an account (the first administrator is made this way)."""
    password = _password(password_stdin)
    with _accounts(db) as accounts:
        accounts.add(username, password, name, is_admin=admin)
    console.print(t("cli.user_added", State.lang, username=username))


@user_app.command("list")
def user_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List the accounts and their roles."""
    with _accounts(db) as accounts:
        rows = accounts.all()
    if as_json:
        data = [
            {
                "username": a.username,
                "name": a.display_name,
                "admin": a.is_admin,
                "disabled": a.disabled,
                "grants": [
                    {"sphere": g.sphere, "role": g.role.value, "municipality": g.municipality} for g in a.grants
                ],
            }
            for a in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table()
    for key in ("cli.username", "cli.name", "cli.roles", "cli.status"):
        table.add_column(t(key, State.lang))
    for a in rows:
        roles = ", ".join(
            f"{g.sphere}:{g.role.value}" + (f"({g.municipality})" if g.municipality else "") for g in a.grants
        )
        status = t("cli.disabled", State.lang) if a.disabled else (t("cli.admin", State.lang) if a.is_admin else "")
        table.add_row(a.username, a.display_name, roles, status)
    console.print(table)


@user_app.command("disable")
def user_disable(
    username: str, enable: Annotated[bool, typer.Option("--enable", help="Enable again.")] = False, db: DbOpt = None
) -> None:
    """Disable an account (its sessions end at once), or enable it again."""
    with _accounts(db) as accounts:
        accounts.disable(username, not enable)
    console.print(t("cli.user_enabled" if enable else "cli.user_disabled", State.lang, username=username))


@user_app.command("role")
def user_role(
    username: str,
    sphere: Annotated[str, typer.Option(help="The sphere's key.")],
    role: Annotated[str, typer.Option(help="secretariat, municipality or viewer.")],
    municipality: Annotated[str | None, typer.Option(help="For a municipality editor: its name or code.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take the role back.")] = False,
    db: DbOpt = None,
) -> None:
    """Give a role on a sphere (or take it back with --remove)."""
    from renkei.permissions import RoleName

    try:
        role_name = RoleName(role)
    except ValueError:
        errors.print(f"renkei: {t('cli.bad_role', State.lang, role=role)}")
        raise typer.Exit(2) from None
    with _accounts(db) as accounts:
        accounts.grant(username, sphere, role_name, municipality, remove=remove)
    console.print(
        t("cli.role_removed" if remove else "cli.role_given", State.lang, username=username, role=role, sphere=sphere)
    )


@user_app.command("password")
def user_password(username: str, password_stdin: PasswordStdin = False, db: DbOpt = None) -> None:
    """Reset an account's password (an administrator's task); its sessions end."""
    password = _password(password_stdin)
    with _accounts(db) as accounts:
        accounts.set_password(username, password)
    console.print(t("cli.password_reset", State.lang, username=username))


@token_app.command("create")
def token_create(
    username: str, name: Annotated[str, typer.Option(help="What the token is for.")] = "", db: DbOpt = None
) -> None:
    """Create an API token for an account; it is shown once."""
    with _accounts(db) as accounts:
        token_id, secret = accounts.create_token(username, name or "cli")
    errors.print(t("cli.token_created", State.lang, id=token_id))
    print(secret)


@token_app.command("list")
def token_list(username: str, db: DbOpt = None) -> None:
    """List an account's tokens (never their secrets)."""
    with _accounts(db) as accounts:
        rows = accounts.tokens(username)
    table = Table()
    for key in ("cli.token_id", "cli.name", "cli.created", "cli.status"):
        table.add_column(t(key, State.lang))
    for token_id, name, created, revoked in rows:
        status = t("cli.revoked", State.lang) if revoked else ""
        table.add_row(str(token_id), name, created.strftime("%Y-%m-%d %H:%M"), status)
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: int, db: DbOpt = None) -> None:
    """Revoke an API token at once."""
    with _accounts(db) as accounts:
        accounts.revoke_token(token_id)
    console.print(t("cli.token_revoked", State.lang, id=token_id))
