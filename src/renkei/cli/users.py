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
from renkei.core.messages import has, t
from renkei.places.municipalities import Registry

if TYPE_CHECKING:
    from renkei.core.permissions import Grant
    from renkei.store import Accounts


user_app = typer.Typer(no_args_is_help=True)
token_app = typer.Typer(no_args_is_help=True)
PasswordStdin = Annotated[bool, typer.Option("--password-stdin")]


def _password(from_stdin: bool) -> str:
    """A new password: from standard input, or typed twice at a hidden prompt. Never a default.

    Without a terminal to ask on (a script, a pipe) the command says to use --password-stdin instead of
    reading the pipe with a warning; a password too short is refused before it is asked for again."""
    from renkei.store import MIN_PASSWORD, StoreError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        errors.print(f"renkei: {t('cli.password_no_terminal', State.lang)}", soft_wrap=True)
        raise typer.Exit(2)
    password = str(typer.prompt(t("cli.password_prompt", State.lang, minimum=MIN_PASSWORD), hide_input=True))
    if len(password) < MIN_PASSWORD:
        store_fail(StoreError("password-short", minimum=MIN_PASSWORD))
    if str(typer.prompt(t("cli.password_repeat", State.lang), hide_input=True)) != password:
        errors.print(f"renkei: {t('cli.password_mismatch', State.lang)}", soft_wrap=True)
        raise typer.Exit(2)
    return password


@contextmanager
def _accounts(db: str | None) -> Iterator[Accounts]:
    from renkei.store import StoreError

    with opened(db) as store:
        try:
            yield store.accounts
        except StoreError as error:
            if isinstance(error.params.get("role"), str):  # 事務局, not secretariat, in a sentence
                error.params["role"] = role_words(str(error.params["role"]))
            store_fail(error)


def _refuse_taken(username: str, db: str | None) -> None:
    """A name already taken is said before the password is asked for (the store refuses it again on adding)."""
    from renkei.store import StoreError

    with _accounts(db) as accounts:
        taken = any(account.username == username.strip() for account in accounts.all())
    if taken:
        store_fail(StoreError("username-taken", username=username))


@user_app.command("add")
def user_add(
    username: str,
    name: Annotated[str, typer.Option()] = "",
    admin: Annotated[bool, typer.Option("--admin")] = False,
    password_stdin: PasswordStdin = False,
    db: DbOpt = None,
) -> None:
    """Create an account (the first administrator is made this way)."""
    _refuse_taken(username, db)
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
        roles = "\n".join(_grant_words(g) for g in a.grants)
        status = t("cli.disabled", State.lang) if a.disabled else (t("cli.admin", State.lang) if a.is_admin else "")
        table.add_row(a.username, a.display_name, roles, status)
    console.print(table)


def role_words(role: str) -> str:
    """A role as the pages name it (事務局, 市町村の担当者, 閲覧者); an unknown one as it was typed."""
    key = f"ui.role_name_{role}"
    return t(key, State.lang) if has(key, State.lang) else role


def _grant_words(grant: Grant) -> str:
    """kamikawa-chubu: 市町村の担当者（鷹栖町 014524）: the sphere's key (what the other commands take), the role
    in words and the town by its name with its code."""
    if grant.municipality is None:
        return t("cli.grant", State.lang, sphere=grant.sphere, role=role_words(grant.role.value))
    entry = Registry.default().by_code(grant.municipality)
    town = f"{entry.name} {entry.code}" if entry is not None else grant.municipality
    return t("cli.grant_town", State.lang, sphere=grant.sphere, role=role_words(grant.role.value), municipality=town)


@user_app.command("disable")
def user_disable(username: str, enable: Annotated[bool, typer.Option("--enable")] = False, db: DbOpt = None) -> None:
    """Disable an account (its sessions end at once), or enable it again."""
    with _accounts(db) as accounts:
        accounts.disable(username, not enable)
    console.print(t("cli.user_enabled" if enable else "cli.user_disabled", State.lang, username=username))


@user_app.command("role")
def user_role(
    username: str,
    sphere: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option()],
    municipality: Annotated[str | None, typer.Option()] = None,
    remove: Annotated[bool, typer.Option("--remove")] = False,
    db: DbOpt = None,
) -> None:
    """Give a role on a sphere (or take it back with --remove)."""
    from renkei.core.permissions import RoleName

    try:
        role_name = RoleName(role)
    except ValueError:
        roles = t("cli.list_separator", State.lang).join(f"{r.value}（{role_words(r.value)}）" for r in RoleName)
        errors.print(f"renkei: {t('cli.bad_role', State.lang, role=role, roles=roles)}", soft_wrap=True)
        raise typer.Exit(2) from None
    with _accounts(db) as accounts:
        accounts.grant(username, sphere, role_name, municipality, remove=remove)
    key = "cli.role_removed" if remove else "cli.role_given"
    console.print(t(key, State.lang, username=username, role=role_words(role), sphere=sphere))


@user_app.command("password")
def user_password(username: str, password_stdin: PasswordStdin = False, db: DbOpt = None) -> None:
    """Reset an account's password (an administrator's task); its sessions end."""
    with _accounts(db) as accounts:
        accounts.get(username)  # an unknown account is said before the password is asked for
    password = _password(password_stdin)
    with _accounts(db) as accounts:
        accounts.set_password(username, password)
    console.print(t("cli.password_reset", State.lang, username=username))


@token_app.command("create")
def token_create(username: str, name: Annotated[str, typer.Option()] = "", db: DbOpt = None) -> None:
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
