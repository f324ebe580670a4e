"""The command line's help in the language of its messages: every command's and option's help text, and the
words Click and Typer print around them (Usage, Options, [required], Error …), from the message catalogues.

Help texts are not written in the commands' code: they are catalogue entries named after the command's path and
the option, ``clihelp.<command path>.<option>`` (``clihelp.user.add.password-stdin``), with ``clihelp.opt.<option>``
for an option several commands share (``--db``) and ``clihelp.<command path>`` for the command itself
(``clihelp.renkei`` for the whole program). ``localise`` writes them into the Click command tree before its help
is formatted; ``tests/test_cli_year.py`` walks the tree and holds every command and option to a text in both
languages.

The language is known before any help is printed: ``main`` reads ``--lang`` (and ``RENKEI_LANG``, the locale)
from the arguments before Click parses them, and ``--lang`` is an eager option whose callback localises the tree
again (for a caller that runs the app without ``main``, as the tests' runner does).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import typer
from rich.text import Text
from typer.core import TyperArgument, TyperOption

from renkei.core.messages import has, t

if TYPE_CHECKING:
    from typer._click.core import Command, Parameter
    from typer._click.formatting import HelpFormatter
else:  # Typer's Click (its own copy in Typer 0.20 and later), without naming its private module
    HelpFormatter = typer.Context.formatter_class

# Choices longer than this are named by the option's name beside it (its help says them), not listed there.
_CHOICES_SHOWN = 20
# The words Typer's help and errors print around the texts, set again for each language (Typer reads them from
# these names of ``typer.rich_utils`` when it prints), and the catalogue key of each with the fields Typer fills.
_RICH_WORDS: dict[str, tuple[str, dict[str, str]]] = {
    "ARGUMENTS_PANEL_TITLE": ("clihelp.click.arguments", {}),
    "OPTIONS_PANEL_TITLE": ("clihelp.click.options", {}),
    "COMMANDS_PANEL_TITLE": ("clihelp.click.commands", {}),
    "ERRORS_PANEL_TITLE": ("clihelp.click.error", {}),
    "ABORTED_TEXT": ("clihelp.click.aborted", {}),
    "DEFAULT_STRING": ("clihelp.click.default", {"value": "{}"}),
    "REQUIRED_LONG_STRING": ("clihelp.click.required", {}),
    "RICH_HELP": ("clihelp.click.try_help", {"command": "{command_path}", "option": "{help_option}"}),
}


class _Formatter(HelpFormatter):
    """Click's help formatter with the usage line's prefix in the language chosen."""

    usage = "Usage: "

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, self.usage if prefix is None else prefix)


class _Context(typer.Context):
    formatter_class = _Formatter


def lang_first(argv: Sequence[str]) -> list[str]:
    """The arguments with a ``--lang`` given after the command's name (``renkei check t.csv --lang en``) moved
    before it, where the program's option is read; none after ``--`` (a file's name) is moved."""
    words = list(argv)
    end = words.index("--") if "--" in words else len(words)
    moved: list[str] = []
    i = 0
    while i < end:
        word = words[i]
        if word == "--lang" and i + 1 < end:
            moved += words[i : i + 2]
            del words[i : i + 2]
            end -= 2
        elif word.startswith("--lang="):
            moved.append(words.pop(i))
            end -= 1
        else:
            i += 1
    return [*moved, *words]


def language_in(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` among the program's own options (before the command's name), if given."""
    words = iter(argv)
    for word in words:
        if word == "--lang":
            return next(words, None)
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
        if not word.startswith("-"):
            return None
    return None


def _folding(highlighter: object) -> object:
    """Typer's highlighter of help texts, also telling each text to fold where a line is too long for its
    column. Rich wraps at spaces and cuts a longer word with an ellipsis; Japanese is written without spaces,
    so at 80 columns most commands' help ended in "…" (a whole sentence was one word)."""
    base = type(highlighter)

    class Folding(base):  # type: ignore[valid-type,misc]
        def highlight(self, text: Text) -> None:
            text.overflow = "fold"
            super().highlight(text)

    return Folding()


def localise(root: Command, lang: str) -> None:
    """Every help text of the command tree under ``root``, and Click's and Typer's words, in ``lang``."""
    rich = importlib.import_module("typer.rich_utils")
    highlighter = getattr(rich, "highlighter")  # noqa: B009 (the module is Typer's, imported by name)
    if type(highlighter).__name__ != "Folding":
        setattr(rich, "highlighter", _folding(highlighter))  # noqa: B010
    for attribute, (key, fields) in _RICH_WORDS.items():
        setattr(rich, attribute, t(key, lang, **fields))
    _Formatter.usage = t("clihelp.click.usage", lang) + " "
    for path, command in commands(root):
        command.help = t(f"clihelp.{'.'.join(path) or 'renkei'}", lang)
        command.short_help = None
        for param in command.params:
            if isinstance(param, TyperOption | TyperArgument):
                param.help = option_help(path, param, lang)
        command.context_class = _Context
        # Click makes the --help option when it is first asked for, and keeps it.
        help_option = command.get_help_option(_Context(command, **command.context_settings))
        if help_option is not None:
            help_option.help = t("clihelp.click.help", lang)
        for param in [*command.params, *([help_option] if help_option is not None else [])]:
            if getattr(param, "is_flag", False) and not getattr(param, "count", False):
                param.metavar = ""  # a flag takes no value: no <bool> beside it
            elif isinstance(param, TyperOption) and param.metavar is None:
                # Long choices (the kinds of sphere) are said in the option's help, not folded beside it.
                shown = param.display_type(_Context(command, **command.context_settings)) or ""
                if "|" in shown and len(shown) > _CHOICES_SHOWN:
                    param.metavar = f"<{option_name(param)}>"


def commands(root: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command of the tree with its path of names (the root's path is empty)."""
    yield path, root
    children: dict[str, Command] = getattr(root, "commands", {})
    for name, child in children.items():
        yield from commands(child, (*path, name))


def option_name(param: Parameter) -> str:
    """An option by its long name without dashes (``new-sphere``), an argument by its name."""
    long = [name for name in param.opts if name.startswith("--")]
    return max(long, key=len).lstrip("-") if long else param.name or ""


def option_help(path: tuple[str, ...], param: Parameter, lang: str) -> str:
    """The command's own text for the option where it has one, else the text the commands share."""
    name = option_name(param)
    own = f"clihelp.{'.'.join(path)}.{name}" if path else f"clihelp.renkei.{name}"
    return t(own if has(own, lang) else f"clihelp.opt.{name}", lang)
