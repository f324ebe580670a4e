"""The account commands as an administrator runs them: ``renkei user`` and ``renkei token``, in a subprocess.

Passwords come from standard input (``--password-stdin``) or a hidden prompt, never from a default: without
input the command fails and makes nothing. Errors are one line on stderr and exit status 2. What the commands
did is checked in the database through the store (argon2 hashes, roles, disabled accounts, tokens).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clirun import cli_env
from renkei.cli import app
from renkei.core.messages import t
from renkei.ingest import read_sample
from renkei.store import Actor, SphereSpec, Store
from seedfacts import SeedFacts

KEY = "kamikawa-chubu"
PASSWORD = "a long enough password 1234"
RUNNER = CliRunner()


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def renkei(db: Path, *args: str, stdin: str | None = None) -> Ran:
    """``renkei ARGS --db DB`` with ``stdin`` as its standard input (empty if None), run in this process as
    the console command runs it (Typer's runner: its own stdin, stdout and stderr)."""
    result = RUNNER.invoke(app, [*args, "--db", str(db)], input=stdin or "", catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def renkei_process(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The same in a subprocess (``python -m renkei``): standard input is a pipe, not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "renkei", *args, "--db", str(db)],
        input=stdin or "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        cwd=db.parent,
        timeout=120,
        check=False,
    )


def one_line_error(result: Ran | subprocess.CompletedProcess[str]) -> str:
    """An error as the commands give it: exit status 2, one line on stderr, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("renkei: ")
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """A SQLite registry holding the sample (so that roles have a sphere)."""
    path = tmp_path / "registry.db"
    with Store.open(str(path)) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
    yield path


def users(db: Path) -> dict[str, dict[str, Any]]:
    result = renkei(db, "user", "list", "--json")
    assert result.returncode == 0, result.stderr
    return {u["username"]: u for u in json.loads(result.stdout)}


def test_user_add_takes_the_password_from_stdin_and_never_a_default(db: Path) -> None:
    command = ("user", "add", "root-admin", "--admin", "--name", "管理者", "--password-stdin")
    added = renkei_process(db, *command, stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    # Without input: no account, whether the password was to come from stdin or from a prompt.
    one_line_error(renkei_process(db, "user", "add", "nobody-yet", "--password-stdin"))
    prompted = renkei_process(db, "user", "add", "nobody-yet")
    assert prompted.returncode != 0 and "Traceback" not in prompted.stderr
    with Store.open(str(db)) as store:
        accounts = {a.username: a for a in store.accounts.all()}
        assert set(accounts) == {"root-admin"}
        assert accounts["root-admin"].is_admin and accounts["root-admin"].display_name == "管理者"
        with store.engine.connect() as connection:
            (hashed,) = connection.exec_driver_sql("SELECT password_hash FROM account").one()
        assert hashed.startswith("$argon2") and PASSWORD not in hashed
        assert store.accounts.authenticate("root-admin", PASSWORD, Actor(None, "cli-test")) is not None
    # Errors: a short password, a name taken, a name with a space.
    assert "10" in one_line_error(renkei(db, "user", "add", "shorty", "--password-stdin", stdin="short"))
    one_line_error(renkei(db, "user", "add", "root-admin", "--password-stdin", stdin=PASSWORD))
    one_line_error(renkei(db, "user", "add", "two words", "--password-stdin", stdin=PASSWORD))


def test_roles_list_disable_and_password_reset(db: Path, facts: SeedFacts) -> None:
    for name in ("jimukyoku", "takasu"):
        assert renkei(db, "user", "add", name, "--password-stdin", stdin=PASSWORD).returncode == 0
    assert renkei(db, "user", "role", "jimukyoku", "--sphere", KEY, "--role", "secretariat").returncode == 0
    town = renkei(
        db, "user", "role", "takasu", "--sphere", KEY, "--role", "municipality", "--municipality", facts.towns[0]
    )
    assert town.returncode == 0, town.stderr
    listed = users(db)
    assert listed["jimukyoku"]["grants"] == [{"sphere": KEY, "role": "secretariat", "municipality": None}]
    grants = listed["takasu"]["grants"]
    assert isinstance(grants, list) and len(grants) == 1
    grant = grants[0]
    assert grant["role"] == "municipality" and grant["municipality"]  # the town, by its code
    with Store.open(str(db)) as store:
        member = next(m for m in store.vision(KEY).municipalities if m.name == facts.towns[0])
    assert grant["municipality"] == member.code
    text = renkei(db, "user", "list")
    assert text.returncode == 0
    assert "jimukyoku" in text.stdout and "takasu" in text.stdout
    assert f"{KEY}: {t('ui.role_name_secretariat', 'ja')}" in text.stdout  # the role in words, not secretariat

    # Role errors: unknown role, unknown user, unknown sphere, a town outside the sphere, a town editor
    # without a town.
    assert "boss" in one_line_error(renkei(db, "user", "role", "takasu", "--sphere", KEY, "--role", "boss"))
    one_line_error(renkei(db, "user", "role", "ghost", "--sphere", KEY, "--role", "viewer"))
    one_line_error(renkei(db, "user", "role", "takasu", "--sphere", "no-such-sphere", "--role", "viewer"))
    one_line_error(
        renkei(db, "user", "role", "takasu", "--sphere", KEY, "--role", "municipality", "--municipality", "池田町")
    )
    one_line_error(renkei(db, "user", "role", "takasu", "--sphere", KEY, "--role", "municipality"))
    removed = renkei(db, "user", "role", "jimukyoku", "--sphere", KEY, "--role", "secretariat", "--remove")
    assert removed.returncode == 0
    assert users(db)["jimukyoku"]["grants"] == []

    # Disable, enable.
    assert renkei(db, "user", "disable", "takasu").returncode == 0
    assert users(db)["takasu"]["disabled"] is True
    with Store.open(str(db)) as store:
        assert store.accounts.authenticate("takasu", PASSWORD, Actor(None, "cli-test")) is None
    assert renkei(db, "user", "disable", "takasu", "--enable").returncode == 0
    assert users(db)["takasu"]["disabled"] is False
    one_line_error(renkei(db, "user", "disable", "ghost"))

    # Password reset: the new one works, the old one no longer; a short one and an unknown user are errors.
    new_password = "another long password 5678"
    assert renkei(db, "user", "password", "takasu", "--password-stdin", stdin=new_password).returncode == 0
    with Store.open(str(db)) as store:
        assert store.accounts.authenticate("takasu", new_password, Actor(None, "cli-test")) is not None
        assert store.accounts.authenticate("takasu", PASSWORD, Actor(None, "cli-test")) is None
    one_line_error(renkei(db, "user", "password", "takasu", "--password-stdin", stdin="short"))
    one_line_error(renkei(db, "user", "password", "ghost", "--password-stdin", stdin=new_password))


def test_tokens_are_created_listed_and_revoked(db: Path) -> None:
    assert renkei(db, "user", "add", "script-owner", "--password-stdin", stdin=PASSWORD).returncode == 0
    created = renkei(db, "token", "create", "script-owner", "--name", "nightly import")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert len(created.stdout.splitlines()) == 1 and secret.startswith("rk_")  # the secret alone on stdout
    with Store.open(str(db)) as store:
        ((token_id, name, _, revoked),) = store.accounts.tokens("script-owner")
        principal = store.accounts.by_token(secret)
        assert principal is not None and principal.username == "script-owner"
    assert name == "nightly import" and revoked is None
    assert str(token_id) in created.stderr
    listed = renkei(db, "token", "list", "script-owner")
    assert listed.returncode == 0 and "nightly import" in listed.stdout and str(token_id) in listed.stdout
    assert secret not in listed.stdout + listed.stderr
    assert renkei(db, "token", "revoke", str(token_id)).returncode == 0
    with Store.open(str(db)) as store:
        assert store.accounts.by_token(secret) is None
        assert store.accounts.tokens("script-owner")[0][3] is not None
    relisted = renkei(db, "token", "list", "script-owner")
    assert relisted.stdout != listed.stdout  # now marked as revoked
    one_line_error(renkei(db, "token", "revoke", "999999"))
    one_line_error(renkei(db, "token", "create", "ghost"))
    one_line_error(renkei(db, "token", "list", "ghost"))
