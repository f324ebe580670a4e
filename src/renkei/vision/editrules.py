"""What a draft's fields may hold: each editable field checked by its kind as ``renkei.vision.record`` declares it (the
API's models announce the same bounds), plus what only a draft knows (a number another project holds, a place in
the order); the store validates every save with ``validate``. A refusal is a ``Problem`` (a code and its
parameters, never a sentence); ``renkei.core.messages`` puts it in words from the catalogues (``invalid.<code>``).
Pure: no web or database import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from renkei.vision import record
from renkei.vision.textrules import RULES, Problem

NUMBER_MIN, NUMBER_MAX = record.NUMBER_MIN, record.NUMBER_MAX  # a project's number
POSITION_MIN, POSITION_MAX = 0, 100_000  # a project's place in the draft's order
NAME_MAX = RULES["name"].limit
DESCRIPTION_MAX = RULES["description"].limit
NOTE_MAX = RULES["note"].limit
MESSAGE_MAX = RULES["message"].limit

EDITABLE = (*(f.name for f in record.EDITABLE), "position")

REQUIRED = Problem("required")
heading_problems = record.heading_problems


def whole_number(value: object, low: int, high: int) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return Problem("whole-number", {"min": low, "max": high})
    return None


def validate(
    changes: Mapping[str, Any], taken: Callable[[int], bool], require: bool = False
) -> tuple[dict[str, Any], dict[str, Problem]]:
    """Column values from a save's ``changes`` and the problems per field; ``taken(number)`` says whether another
    project of the draft holds that number. ``require``: a new project, which needs a number and a name. Each
    editable field is checked by its kind (``renkei.vision.record``); a payload field's value comes under
    ``payload``."""
    values, errors = record.validate(changes, ("number", "name") if require else ())
    if "number" in values and taken(values["number"]):
        errors["number"] = Problem("number-taken", {"number": values["number"]})
    columns: dict[str, Any] = {}
    for name, value in values.items():
        f = record.FIELDS[name]
        if f.storage is record.Storage.PAYLOAD:
            columns.setdefault("payload", {})[name] = f.kind.json(value)
        else:
            columns.update(f.kind.columns(name, value))
    if "position" in changes:
        if (trouble := whole_number(changes["position"], POSITION_MIN, POSITION_MAX)) is not None:
            errors["position"] = trouble
        else:
            columns["position"] = changes["position"]
    return columns, errors
