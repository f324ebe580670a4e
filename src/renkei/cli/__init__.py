"""The command line: a thin layer over the library that parses options, calls it and prints with Rich.

Exit status (the contract in docs/architecture.md): 0 no errors, 1 errors found, 2 the input cannot be read
as a table at all, or the command was used wrongly. A user never sees a traceback; ``RENKEI_DEBUG=1`` shows one
for a bug report.

The app is assembled here from a module per group of commands: ``check`` (check, show, export, formats),
``store`` (db, import, spheres, history, diff, agreement, search, dump, restore), ``results`` (report, grades),
``synth``, ``charts``, ``serve``, ``users`` (user, token) and ``country`` (update, counts); ``common`` holds what
they share.
"""

from __future__ import annotations

import os
import sys
import traceback

import typer

from renkei.cli import charts, check, country, results, serve, store, synth, users
from renkei.cli.common import State, choose_language, errors
from renkei.cli.helptext import lang_first, language_in, localise
from renkei.core.messages import language

app = typer.Typer(
    name="renkei",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.callback()(choose_language)
for command in (check.check, check.show, check.export, check.formats):
    app.command()(command)
app.command("import")(store.import_)
app.command()(store.spheres)
app.command()(store.history)
app.command("diff")(store.diff_)
app.command()(store.agreement)
app.command()(results.report)
app.command()(results.grades)
app.command("search")(store.search_)
app.command("dump")(store.dump_)
app.command("restore")(store.restore_)
app.command("synth")(synth.synth_)
app.command("chart")(charts.chart_)
app.command()(serve.serve)
app.add_typer(store.db_app, name="db")
app.add_typer(country.country_app, name="country")
app.add_typer(users.user_app, name="user")
app.add_typer(users.token_app, name="token")


def main() -> None:
    """The console entry point: no traceback reaches the user unless RENKEI_DEBUG is set."""
    arguments = lang_first(sys.argv[1:])  # --lang after the command's name too
    State.lang = language(language_in(arguments))
    # The program's own help is printed before any option's callback runs: its language is set here.
    command = typer.main.get_command(app)
    localise(command, State.lang)
    try:
        command(args=arguments)
    except Exception as error:
        if os.environ.get("RENKEI_DEBUG"):
            traceback.print_exc()
        errors.print(f"renkei: internal error: {type(error).__name__}: {error} (RENKEI_DEBUG=1 shows details)")
        sys.exit(2)
