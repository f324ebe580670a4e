"""The command line as a new secretariat meets it (issue 21): help and prompts in the language chosen, passwords
asked on a terminal and refused early, roles and towns in words, a sphere list whose keys survive a narrow
terminal, ``db init`` saying what it did, no progress bar after a refusal, and a README that says what works.

Every command runs as the user runs it (``python -m renkei`` in a subprocess); the prompts run on a real
pseudo-terminal. ``--help`` of every command is also read in this process, through Typer's runner, which is
faster for the whole tree.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from alembic import command as alembic_command
from typer.testing import CliRunner

from clirun import cli_env, run
from renkei.cli import app
from renkei.cli.helptext import commands, lang_first, option_help
from renkei.core.messages import t
from renkei.ingest import read_sample
from renkei.national.country import shipped
from renkei.store import SphereSpec, Store, describe, resolve_url
from seedfacts import SeedFacts

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long enough password 1234"
KEY = "kamikawa-chubu"
_FRAME = re.compile(r"[\s│╭╮╰╯─┃┏┓┗┛━]")


def squeezed(text: str) -> str:
    """Text without spaces, line breaks and box lines: what Rich wraps into a panel, read as one string."""
    return _FRAME.sub("", text)


def tree() -> list[tuple[tuple[str, ...], Any]]:
    return list(commands(typer.main.get_command(app)))


def fed(*args: str | Path, stdin: str) -> subprocess.CompletedProcess[str]:
    """``python -m renkei ARGS`` with ``stdin`` on a pipe (a script giving a password with --password-stdin)."""
    return subprocess.run(
        [sys.executable, "-m", "renkei", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        timeout=120,
        check=False,
    )


# --help follows --lang ---------------------------------------------------------------------------------------


def test_help_is_japanese_by_default_and_english_with_lang_en() -> None:
    for args, lang in (
        (("check", "--help"), "ja"),
        (("--lang", "en", "check", "--help"), "en"),
        (("--lang", "ja", "check", "--help"), "ja"),
    ):
        result = run(*args, COLUMNS="200")
        assert result.returncode == 0, result.stderr
        out = squeezed(result.stdout)
        assert squeezed(t("clihelp.check", lang)) in out
        for option in ("json", "pages", "encoding", "sample"):
            assert squeezed(t(f"clihelp.{'check.json' if option == 'json' else 'opt.' + option}", lang)) in out
        assert squeezed(t("clihelp.click.help", lang)) in out
        assert squeezed(t("clihelp.click.usage", lang)) in out
        other = "en" if lang == "ja" else "ja"
        assert squeezed(t("clihelp.check", other)) not in out
        assert squeezed(t("clihelp.click.help", other)) not in out
    japanese = squeezed(run("check", "--help", COLUMNS="200").stdout)
    assert "Showthismessage" not in japanese and "Usage:" not in japanese and "Options" not in japanese


def test_the_programs_own_help_and_the_environment_choose_the_language_too() -> None:
    listing = run("--help", COLUMNS="200")
    assert listing.returncode == 0
    out = squeezed(listing.stdout)
    assert squeezed(t("clihelp.renkei", "ja")) in out and squeezed(t("clihelp.import", "ja")) in out
    english = run("--lang", "en", "--help", COLUMNS="200")
    assert squeezed(t("clihelp.import", "en")) in squeezed(english.stdout)
    by_variable = run("user", "add", "--help", COLUMNS="200", RENKEI_LANG="en")
    assert squeezed(t("clihelp.opt.password-stdin", "en")) in squeezed(by_variable.stdout)
    by_locale = run("user", "add", "--help", COLUMNS="200", LANG="en_US.UTF-8")
    assert squeezed(t("clihelp.user.add", "en")) in squeezed(by_locale.stdout)
    # A group without a command shows its help, in Japanese.
    group = run("user", COLUMNS="200")
    assert squeezed(t("clihelp.user.add", "ja")) in squeezed(group.stdout + group.stderr)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_command_and_option_has_its_help_in_the_language(lang: str) -> None:
    runner = CliRunner()
    seen = 0
    for path, command in tree():
        result = runner.invoke(app, ["--lang", lang, *path, "--help"], env={"COLUMNS": "250"})
        assert result.exit_code == 0, (path, result.output)
        out = squeezed(result.output)
        assert squeezed(t(f"clihelp.{'.'.join(path) or 'renkei'}", lang)) in out, path
        for param in command.params:
            text = option_help(path, param, lang)
            assert text and squeezed(text) in out, (path, param.name)
            seen += 1
    assert seen > 80  # the walk reached every command's options


def test_lang_after_the_command_is_the_programs_option_too() -> None:
    """``renkei check t.csv --lang en`` as ``renkei --lang en check t.csv``: the messages and the help follow."""
    first = run("--lang", "en", "check", "--sample")
    assert first.returncode == 0 and first.stdout != run("check", "--sample").stdout
    for args in (("check", "--sample", "--lang", "en"), ("check", "--lang=en", "--sample")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert result.stdout == first.stdout
    helped = run("check", "--help", "--lang", "en", COLUMNS="200")
    assert squeezed(t("clihelp.check", "en")) in squeezed(helped.stdout)
    # After "--" a word is a file's name, never the option.
    assert lang_first(["check", "--", "--lang", "en"]) == ["check", "--", "--lang", "en"]
    assert lang_first(["check", "a.csv", "--lang", "en", "--json"]) == ["--lang", "en", "check", "a.csv", "--json"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_help_at_eighty_columns_cuts_no_text(lang: str) -> None:
    """A terminal of 80 columns: every command's summary in the listing and every option's text is there whole
    (Japanese has no spaces to wrap at: Rich cut each long sentence with an ellipsis)."""
    runner = CliRunner()
    for path, command in tree():
        result = runner.invoke(app, ["--lang", lang, *path, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, (path, result.output)
        assert max(len(line) for line in result.output.splitlines()) <= 80
        out = squeezed(result.output)
        texts = [t(f"clihelp.{'.'.join(path) or 'renkei'}", lang)]
        for name in getattr(command, "commands", {}):
            summary = t(f"clihelp.{'.'.join((*path, name))}", lang).split("\n\n")[0]
            assert squeezed(summary) in out, (path, name)  # a column of its own: read whole across its lines
            texts.append(summary)
        texts += [option_help(path, param, lang) for param in command.params]
        # Options share their lines with the names' and types' columns: no text was cut short.
        assert result.output.count("…") == sum(text.count("…") for text in texts), (path, result.output)


def test_no_help_text_is_left_in_the_code() -> None:
    """The catalogues are the one place of help texts: none is written beside an option."""
    for path in (ROOT / "src" / "renkei" / "cli").glob("*.py"):
        assert not re.search(r"\bhelp=", path.read_text(encoding="utf-8")), path


# Passwords ---------------------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "registry.db"
    with Store.open(str(path)) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
    return path


class Terminal:
    """``python -m renkei ARGS`` on a pseudo-terminal of its own, as someone typing at it."""

    def __init__(self, *args: str, lang: str | None = None) -> None:
        env = cli_env(COLUMNS="120", **({"RENKEI_LANG": lang} if lang else {}))
        pid, fd = pty.fork()
        if pid == 0:  # the child: its controlling terminal is the pseudo-terminal
            os.execvpe(sys.executable, [sys.executable, "-m", "renkei", *args], env)
        self.pid, self.fd, self.seen = pid, fd, ""

    def read_until(self, wanted: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while wanted not in self.seen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child has closed the terminal
                    break
                if not chunk:
                    break
                self.seen += chunk.decode("utf-8", "replace")
        return self.seen

    def answer(self, prompt: str, line: str) -> None:
        """Type ``line`` at ``prompt`` once the prompt waits for it: a hidden prompt turns echo off (and drops
        what was typed before) and then writes the space after its colon."""
        assert prompt in self.read_until(f"{prompt}: "), self.seen
        os.write(self.fd, (line + "\n").encode())

    def finish(self, timeout: float = 60.0) -> tuple[int, str]:
        """Everything the command writes until it ends, and its exit status (killed if it hangs)."""
        deadline = time.monotonic() + timeout
        self.read_until("\0", timeout=timeout)
        done, status = os.waitpid(self.pid, os.WNOHANG)
        while done == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
            done, status = os.waitpid(self.pid, os.WNOHANG)
        if done == 0:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.fd)
            raise AssertionError(f"the command did not end: {self.seen}")
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status), self.seen


def test_a_short_password_is_refused_before_it_is_asked_for_again(db: Path) -> None:
    shell = Terminal("user", "add", "shorty", "--db", str(db))
    shell.answer(t("cli.password_prompt", "ja", minimum=10), "short")
    status, seen = shell.finish()
    assert status == 2
    assert t("store.password-short", "ja", minimum=10) in seen
    assert t("cli.password_repeat", "ja") not in seen and "Repeat for confirmation" not in seen
    with Store.open(str(db)) as store:
        assert [a.username for a in store.accounts.all()] == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_prompts_follow_the_language_and_the_account_is_made(db: Path, lang: str) -> None:
    args = ("--lang", lang) if lang == "en" else ()
    shell = Terminal(*args, "user", "add", "suzuki", "--db", str(db))
    shell.answer(t("cli.password_prompt", lang, minimum=10), PASSWORD)
    shell.answer(t("cli.password_repeat", lang), PASSWORD)
    status, seen = shell.finish()
    assert status == 0, seen
    assert t("cli.user_added", lang, username="suzuki") in seen
    assert PASSWORD not in seen  # hidden input is never echoed
    if lang == "ja":
        assert "Repeat for confirmation" not in seen


def test_two_different_passwords_change_nothing(db: Path) -> None:
    shell = Terminal("user", "add", "suzuki", "--db", str(db))
    shell.answer(t("cli.password_prompt", "ja", minimum=10), PASSWORD)
    shell.answer(t("cli.password_repeat", "ja"), PASSWORD + "x")
    status, seen = shell.finish()
    assert status == 2 and t("cli.password_mismatch", "ja") in seen
    with Store.open(str(db)) as store:
        assert store.accounts.all() == []


@pytest.mark.parametrize("command", [("user", "add", "nobody"), ("user", "password", "nobody")])
def test_without_a_terminal_the_command_says_to_use_password_stdin(db: Path, command: tuple[str, ...]) -> None:
    if command[1] == "password":  # an account to reset
        added = fed("user", "add", "nobody", "--password-stdin", "--db", db, stdin=PASSWORD)
        assert added.returncode == 0, added.stderr
    done = subprocess.run(
        [sys.executable, "-m", "renkei", *command, "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("renkei: ") and "--password-stdin" in lines[0]
    for noise in ("GetPassWarning", "Aborted", "Traceback", "Warning"):
        assert noise not in done.stderr + done.stdout


def test_a_name_taken_is_said_before_the_password_is_asked(db: Path) -> None:
    assert fed("user", "add", "suzuki", "--password-stdin", "--db", db, stdin=PASSWORD).returncode == 0
    shell = Terminal("user", "add", "suzuki", "--db", str(db))
    status, seen = shell.finish()
    assert status == 2 and t("store.username-taken", "ja", username="suzuki") in seen
    assert t("cli.password_prompt", "ja", minimum=10) not in seen


# Roles and towns in words -----------------------------------------------------------------------------------


def test_roles_and_towns_are_named_in_words(db: Path, facts: SeedFacts) -> None:
    town = facts.towns[0]
    with Store.open(str(db)) as store:
        code = next(m.code for m in store.vision(KEY).municipalities if m.name == town)
    assert code
    for name in ("suzuki", "takasu"):
        assert fed("user", "add", name, "--password-stdin", "--db", db, stdin=PASSWORD).returncode == 0
    given = run("user", "role", "suzuki", "--sphere", KEY, "--role", "secretariat", "--db", db)
    assert given.returncode == 0
    assert t("ui.role_name_secretariat", "ja") in given.stdout and "secretariat" not in given.stdout
    town_role = ("user", "role", "takasu", "--sphere", KEY, "--role", "municipality", "--municipality", town)
    assert run(*town_role, "--db", db).returncode == 0
    # A secretariat given a town: the error names the role in words.
    wrong = run("user", "role", "takasu", "--sphere", KEY, "--role", "secretariat", "--municipality", town, "--db", db)
    assert wrong.returncode == 2
    assert t("ui.role_name_secretariat", "ja") in wrong.stderr and "secretariat" not in wrong.stderr
    unknown = run("user", "role", "takasu", "--sphere", KEY, "--role", "boss", "--db", db)
    assert unknown.returncode == 2 and t("ui.role_name_municipality", "ja") in unknown.stderr

    listed = run("user", "list", "--db", db, COLUMNS="200")
    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if "takasu" in line)
    assert town in row and code in row and t("ui.role_name_municipality", "ja") in row
    assert "municipality" not in row
    english = run("--lang", "en", "user", "list", "--db", db, COLUMNS="200")
    row = next(line for line in english.stdout.splitlines() if "takasu" in line)
    assert town in row and code in row and t("ui.role_name_municipality", "en") in row


# The sphere list in a narrow terminal ------------------------------------------------------------------------


def test_spheres_keeps_every_key_whole_in_a_narrow_terminal(tmp_path: Path) -> None:
    db = tmp_path / "narrow.db"
    keys = ["kamikawa-chubu-teiju-jiritsuken-heisei21", "asahikawa-taisetsu-renkei-chusu-toshiken"]
    with Store.open(str(db)) as store:
        for key in keys:
            store.import_reading(read_sample(), SphereSpec(key=key), new_sphere=True, message="sample")
    for columns in ("80", "60", "40"):
        listed = run("spheres", "--db", db, COLUMNS=columns)
        assert listed.returncode == 0, listed.stderr
        lines = listed.stdout.splitlines()
        assert max(len(line) for line in lines) <= int(columns)
        for key in keys:
            assert any(key in line for line in lines), (columns, listed.stdout)  # on one line, uncut
        assert "…" not in listed.stdout
        # Every name and the date are there too, if folded.
        text = squeezed(listed.stdout)
        assert read_sample().vision.sphere.name in text or columns != "80"


# db init, progress ------------------------------------------------------------------------------------------


def test_db_init_says_it_created_the_database_and_then_that_it_is_current(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    named = describe(resolve_url(str(db)))
    first = run("db", "init", "--db", db)
    assert first.returncode == 0 and db.exists()
    # Created, then the country's list of spheres loaded into it (once: a second init keeps the list).
    assert first.stdout.strip().splitlines() == [
        t("cli.db_created", "ja", db=named),
        t("cli.country_loaded", "ja", n=len(shipped())),
    ]
    again = run("db", "init", "--db", db)
    assert again.returncode == 0
    assert again.stdout.strip() == t("cli.db_ready", "ja", db=named)


def test_db_upgrade_says_whether_it_changed_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    named = describe(resolve_url(str(db)))
    assert run("db", "init", "--no-country", "--db", db).returncode == 0
    with Store.open(str(db), create=False) as store:  # one migration back: a database of the release before
        alembic_command.downgrade(store.alembic_config(), "-1")
        assert store.schema_state() == "outdated"
    upgraded = run("db", "upgrade", "--db", db)
    assert (upgraded.returncode, upgraded.stdout.strip()) == (0, t("cli.db_upgraded", "ja", db=named))
    again = run("db", "upgrade", "--db", db)
    assert (again.returncode, again.stdout.strip()) == (0, t("cli.db_ready", "ja", db=named))


def test_no_progress_bar_after_a_refused_import(tmp_path: Path, seed_text: str, facts: SeedFacts) -> None:
    db = tmp_path / "registry.db"
    good = tmp_path / "good.txt"
    good.write_text(seed_text, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    first = facts.rows[0]
    lines = seed_text.splitlines()
    # One mark less in the first project row: its declared count no longer agrees (an error finding).
    lines[first.line - 1] = lines[first.line - 1].replace("○", "", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("import", bad, good, "--sphere", KEY, "--name", "試験圏域", "--new-sphere", "--db", db, COLUMNS="120")
    assert done.returncode == 1
    assert t("cli.importing", "ja") not in done.stderr and "━" not in done.stderr
    refused = re.escape(t("store.import-refused", "ja", errors=999)).replace("999", r"\d+")
    assert re.search(refused, done.stderr), done.stderr  # the refusal is the last thing said, no bar after it


# The README says what works ------------------------------------------------------------------------------------


def test_the_readme_search_example_says_what_works(db: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("renkei search "))
    assert "two characters" not in line and "one character" in line
    query = line.split()[2]
    for text in (query, query[0]):  # the example, and one character of it
        found = run("search", text, "--json", "--db", db)
        assert found.returncode == 0 and '"total": 0' not in found.stdout, text


def test_the_readme_shows_password_stdin_and_the_test_database_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"\| renkei user add \S+ --password-stdin", readme)
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    variable = re.search(r'POSTGRES_ENV = "(\w+)"', conftest)
    assert variable is not None
    tests_section = readme[readme.index("Run the tests") : readme.index("## What it does")]
    assert variable.group(1) in tests_section and "`test`" in tests_section
    # The two set-up commands are as they were.
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/renkei serve" in readme
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest" in readme
