"""What a draft's fields may hold, declared once: the API's request models take their bounds from here, and the
store validates every save with ``validate``. A refusal is a ``Problem`` (a code and its parameters, never a
sentence); ``renkei.messages`` puts it in words from the catalogues (``invalid.<code>``). Pure: no web or
database import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from renkei.model import Heading
from renkei.textrules import RULES, Problem, problem

NUMBER_MIN, NUMBER_MAX = 1, 100_000  # a project's number
POSITION_MIN, POSITION_MAX = 0, 100_000  # a project's place in the draft's order
NAME_MAX = RULES["name"].limit
DESCRIPTION_MAX = RULES["description"].limit
LABEL_MAX = RULES["label"].limit
TITLE_MAX = RULES["title"].limit
ATTRIBUTE_NAME_MAX = RULES["attribute-name"].limit
ATTRIBUTE_MAX = RULES["attribute"].limit
NOTE_MAX = RULES["note"].limit
MESSAGE_MAX = RULES["message"].limit

EDITABLE = ("number", "name", "description", "pillar", "field", "attributes", "position")
LEVELS = ("pillar", "field")

REQUIRED = Problem("required")


def heading(data: Any) -> Heading | None:
    """A heading from an API's ``{"label", "title"}`` (or a Heading); AttributeError when it is neither."""
    if data is None:
        return None
    if isinstance(data, Heading):
        return data
    return Heading(str(data.get("label", "")).strip(), str(data.get("title", "")).strip())


def heading_problems(found: Heading | None, level: str = "") -> dict[str, Problem]:
    """A heading's label and title under the text rules, keyed ``pillar_label`` … (or ``label`` alone)."""
    if found is None:
        return {}
    prefix = f"{level}_" if level else ""
    problems = {f"{prefix}label": problem("label", found.label), f"{prefix}title": problem("title", found.title)}
    return {k: v for k, v in problems.items() if v is not None}


def whole_number(value: object, low: int, high: int) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return Problem("whole-number", {"min": low, "max": high})
    return None


def validate(
    changes: Mapping[str, Any], taken: Callable[[int], bool], require: bool = False
) -> tuple[dict[str, Any], dict[str, Problem]]:
    """Column values from a save's ``changes`` and the problems per field; ``taken(number)`` says whether another
    project of the draft holds that number. ``require``: a new project, which needs a number and a name."""
    errors: dict[str, Problem] = {}
    values: dict[str, Any] = {}
    if require:
        errors.update({name: REQUIRED for name in ("number", "name") if name not in changes})
    if "number" in changes:
        number = changes["number"]
        if (trouble := whole_number(number, NUMBER_MIN, NUMBER_MAX)) is not None:
            errors["number"] = trouble
        else:
            if taken(number):
                errors["number"] = Problem("number-taken", {"number": number})
            values["number"] = number
    for name in ("name", "description"):
        if name in changes:
            text = changes[name]
            if name == "name" and isinstance(text, str) and not text.strip():
                errors[name] = REQUIRED
            elif (trouble := problem(name, text)) is not None:
                errors[name] = trouble
            else:
                values[name] = text.strip()
    for level in LEVELS:
        if level in changes:
            try:
                found = heading(changes[level])
            except AttributeError:
                errors[level] = Problem("heading-object")
                continue
            if troubles := heading_problems(found, level):
                errors.update(troubles)
                continue
            values[f"{level}_label"] = found.label if found else None
            values[f"{level}_title"] = found.title if found else None
    if "attributes" in changes:
        attributes = changes["attributes"]
        if not isinstance(attributes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
        ):
            errors["attributes"] = Problem("attributes-object")
        elif troubles := {
            f"attributes.{k}": trouble
            for k, v in attributes.items()
            if (trouble := problem("attribute-name", k) or problem("attribute", v))
        }:
            errors.update(troubles)
        else:
            values["attributes"] = {k.strip(): v.strip() for k, v in attributes.items() if k.strip()}
    if "position" in changes:
        if (trouble := whole_number(changes["position"], POSITION_MIN, POSITION_MAX)) is not None:
            errors["position"] = trouble
        else:
            values["position"] = changes["position"]
    return values, errors
