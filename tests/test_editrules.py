"""The edit rules declared once (renkei.vision.editrules): the store refuses by them with a code and parameters, and the
API's request models announce the same bounds in the OpenAPI document."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from renkei.core.messages import LANGUAGES, invalid
from renkei.store import Store
from renkei.vision import editrules
from renkei.vision.textrules import RULES, Problem
from renkei.web.app import create_app


def never_taken(number: int) -> bool:
    return False


@pytest.mark.parametrize(
    ("changes", "where", "problem"),
    [
        ({"name": "  "}, "name", Problem("required")),
        ({"name": "あ" * (RULES["name"].limit + 1)}, "name", Problem("too-long", {"max": RULES["name"].limit})),
        ({"name": "鈴\x07"}, "name", Problem("control-character")),
        ({"description": 3}, "description", Problem("not-text")),
        ({"number": 0}, "number", Problem("whole-number", {"min": 1, "max": editrules.NUMBER_MAX})),
        ({"number": True}, "number", Problem("whole-number", {"min": 1, "max": editrules.NUMBER_MAX})),
        ({"position": -1}, "position", Problem("whole-number", {"min": 0, "max": editrules.POSITION_MAX})),
        ({"pillar": "①"}, "pillar", Problem("heading-object")),
        ({"field": {"label": "長" * 21, "title": "分野"}}, "field_label", Problem("too-long", {"max": 20})),
        ({"attributes": ["x"]}, "attributes", Problem("attributes-object")),
        ({"attributes": {"担当": "\x00"}}, "attributes.担当", Problem("control-character")),
    ],
)
def test_each_refusal_is_a_code_with_its_parameters(changes: dict[str, Any], where: str, problem: Problem) -> None:
    values, errors = editrules.validate(changes, never_taken)
    assert errors == {where: problem}
    assert values == {}
    for lang in LANGUAGES:
        text = invalid(problem, lang)
        assert text and "{" not in text
        assert all(str(v) in text for v in problem.params.values()), text


def test_a_new_project_needs_a_number_and_a_name_and_a_taken_number_is_refused() -> None:
    assert editrules.validate({}, never_taken, require=True)[1] == {
        "number": editrules.REQUIRED,
        "name": editrules.REQUIRED,
    }
    values, errors = editrules.validate({"number": 7, "name": " 事業 "}, lambda n: n == 7)
    assert errors == {"number": Problem("number-taken", {"number": 7})}
    assert values == {"number": 7, "name": "事業"}


def test_valid_values_become_columns() -> None:
    changes = {"number": 3, "field": {"label": "ア", "title": "医療"}, "attributes": {" 担当 ": " 市 ", " ": "x"}}
    values, errors = editrules.validate(changes, never_taken)
    assert errors == {}
    assert values == {"number": 3, "field_label": "ア", "field_title": "医療", "attributes": {"担当": "市"}}


def test_the_api_announces_the_same_bounds(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        schemas = create_app(store).openapi()["components"]["schemas"]
    finally:
        store.close()
    for model in ("ProjectIn", "ProjectPatch"):
        fields = schemas[model]["properties"]

        def bound(name: str, key: str, fields: dict[str, Any] = fields) -> Any:
            spec = fields[name]
            options = [spec, *spec.get("anyOf", [])]
            return next(o[key] for o in options if key in o)

        assert bound("name", "maxLength") == editrules.NAME_MAX == RULES["name"].limit
        assert bound("description", "maxLength") == editrules.DESCRIPTION_MAX
        assert (bound("number", "minimum"), bound("number", "maximum")) == (
            editrules.NUMBER_MIN,
            editrules.NUMBER_MAX,
        )
    heading = schemas["HeadingIn"]["properties"]
    assert (heading["label"]["maxLength"], heading["title"]["maxLength"]) == (
        RULES["label"].limit,
        RULES["title"].limit,
    )
    assert schemas["NoteIn"]["properties"]["note"]["maxLength"] == RULES["note"].limit
    assert schemas["PublishIn"]["properties"]["message"]["maxLength"] == RULES["message"].limit


def test_the_rules_are_pure() -> None:
    """Declared in the core: importing them loads no web or database framework (a fresh interpreter)."""
    program = "import sys, renkei.vision.editrules; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert not {"fastapi", "pydantic", "sqlalchemy", "starlette"} & set(ast.literal_eval(loaded))
