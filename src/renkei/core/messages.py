"""Message catalogues (``locale/ja.json``, ``locale/en.json``): every sentence a user reads.

Japanese is the first language. The CLI takes the language from ``--lang``, then ``RENKEI_LANG``, then the
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): English only where the locale says English, Japanese otherwise.
A key missing from a language's catalogue, or a parameter its text needs but was not given, is never passed over
in silence. With ``RENKEI_STRICT_MESSAGES=1`` (set for every test by ``tests/conftest.py``) ``t`` raises
``MissingMessage``; otherwise (a server, the CLI) it logs a warning once per key and shows the Japanese text, else
the key itself, so a gap shows to the reader and in the log but never crashes a page. ``has`` asks first where a
text is optional (a web hint).
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import logging
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass

from renkei.vision.model import Finding, Location
from renkei.vision.textrules import Problem

LANGUAGES = ("ja", "en")
DEFAULT = "ja"
STRICT = "RENKEI_STRICT_MESSAGES"

log = logging.getLogger(__name__)


class MissingMessage(KeyError):
    """A key absent from a catalogue, or a parameter its text needs and was not given (strict mode)."""


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    path = importlib.resources.files("renkei") / "locale" / f"{lang}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def language(explicit: str | None = None) -> str:
    for value in (explicit, os.environ.get("RENKEI_LANG")):
        if value:
            return value if value in LANGUAGES else DEFAULT
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def strict() -> bool:
    return os.environ.get(STRICT) == "1"


def has(key: str, lang: str = DEFAULT) -> bool:
    return key in catalogue(lang if lang in LANGUAGES else DEFAULT)


@functools.cache
def _warn(problem: str) -> None:
    log.warning("message catalogue: %s", problem)


def _gap(problem: str) -> None:
    if strict():
        raise MissingMessage(problem)
    _warn(problem)


class _Plural(string.Formatter):
    """A count with its word in the number it takes: ``{errors:error|errors}`` gives 1 error, 2 errors (English;
    Japanese has no plural and writes ``{errors}`` 件)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return f"{value} {one if value == 1 else many}"
        return str(super().format_field(value, format_spec))


_PLURAL = _Plural()


def t(key: str, lang: str = DEFAULT, /, **params: object) -> str:
    """The text of a key in a language, with its parameters filled in."""
    lang = lang if lang in LANGUAGES else DEFAULT
    template = catalogue(lang).get(key)
    if template is None:
        _gap(f"{key} is missing from {lang}.json")
        template = catalogue(DEFAULT).get(key, key)
    try:
        return _PLURAL.format(template, **params) if "|" in template else template.format(**params)
    except (KeyError, IndexError, ValueError) as error:
        _gap(f"{key} in {lang}.json cannot be filled ({type(error).__name__}: {error})")
        return template


def invalid(problem: Problem, lang: str = DEFAULT) -> str:
    """A refused value's problem (``renkei.vision.editrules``, ``renkei.vision.textrules``) in words."""
    return t(f"invalid.{problem.code}", lang, **problem.params)


# A finding's parameter naming the file its location points into, where that is not the table read (a budget
# annex's own findings: its rows and cells, not the table's).
IN_FILE = "in_file"


def place(location: Location | None, params: Mapping[str, object], lang: str = DEFAULT) -> str:
    """A finding's location in words (``where``), in the file it names where it names one (``IN_FILE``)."""
    said = where(location, lang)
    file = params.get(IN_FILE)
    return t("location.in_file", lang, file=file, where=said) if file and said else said


def where(location: Location | None, lang: str = DEFAULT) -> str:
    """A location in words: line and column of a text file, sheet and cell of a workbook, page, line and column
    of a PDF."""
    if location is None:
        return ""
    if location.cell is not None:
        position = location.table_position()
        if position is not None:  # a document's table: its row and column
            row, column = position
            return t("location.table_row_column", lang, table=location.sheet or "", row=row, column=column)
        key = "location.sheet_cell" if location.sheet else "location.cell"
        return t(key, lang, sheet=location.sheet, cell=location.cell)
    if location.page is not None:
        key = "location.page" if location.line is None else "location.page_line"
        key = "location.page_line_column" if location.line is not None and location.column is not None else key
        return t(key, lang, page=location.page, line=location.line, column=location.column)
    if location.line is None:
        return ""
    key = "location.line_column" if location.column is not None else "location.line"
    return t(key, lang, line=location.line, column=location.column)


@dataclass(frozen=True)
class Explained:
    """A finding or read error put in words: what was wrong, where, and what to do."""

    message: str
    where: str
    hint: str


def explain(finding: Finding, lang: str = DEFAULT) -> Explained:
    return Explained(
        t(f"finding.{finding.code}", lang, **finding.params),
        place(finding.location, finding.params, lang),
        t(f"hint.{finding.code}", lang, **finding.params),
    )


def explain_error(code: str, location: Location | None, params: dict[str, object], lang: str = DEFAULT) -> Explained:
    return Explained(t(f"error.{code}", lang, **params), where(location, lang), t(f"hint.{code}", lang, **params))
