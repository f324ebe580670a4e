"""The API's project models, made from the project's declaration (``renkei.vision.record``): what a project answers
(``ProjectOut``, ``DraftProjectOut``) and what a script sends (``ProjectIn``, ``ProjectPatch``), each field with
the type and the bounds its kind announces, so that the OpenAPI document, the store's checks and the export say
the same. A field declared there appears here without an edit.

mypy sees each model as the base it is made from (``BaseModel``, ``Input``); FastAPI and pydantic see the made
model, with every declared field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from renkei.vision import record
from renkei.vision.editrules import POSITION_MAX, POSITION_MIN
from renkei.vision.record import HeadingKind, Records
from renkei.vision.textrules import RULES


class Input(BaseModel):
    """A request body: a field the API does not know is an error (422 naming it), never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class HeadingIn(Input):
    label: str = Field("", max_length=RULES["label"].limit)
    title: str = Field(min_length=1, max_length=RULES["title"].limit)


def _input_type(kind: record.Kind) -> Any:
    if isinstance(kind, HeadingKind):
        return HeadingIn | None
    if isinstance(kind, Records):
        return list[kind.of]  # type: ignore[name-defined]
    return kind.python


def _created(f: record.Field) -> tuple[Any, Any]:
    required = f.name in ("number", "name")
    empty = f.kind.empty_json()
    if required:
        return _input_type(f.kind), Field(..., **f.kind.bounds())
    if isinstance(empty, dict | list):
        return _input_type(f.kind), Field(default_factory=type(empty), **f.kind.bounds())
    return _input_type(f.kind), Field(empty, **f.kind.bounds())


def _patched(f: record.Field) -> tuple[Any, Any]:
    return _input_type(f.kind) | None, Field(None, **f.kind.bounds())


def _project_out() -> type[BaseModel]:
    fields: dict[str, Any] = {name: (kind, ...) for name, kind in record.output_types().items()}
    return create_model("ProjectOut", **fields)


def _draft_out() -> type[BaseModel]:
    fields: dict[str, Any] = {"serial": (int, ...), "version": (int, ...), "retired": (bool, ...)}
    fields |= {f.name: (f.kind.edit_type(), ...) for f in record.DRAFTED}
    fields |= {"marks": (dict[str, str], ...), "notes": (dict[str, str], ...)}
    return create_model("DraftProjectOut", **fields)


def _project_in() -> type[Input]:
    fields: dict[str, Any] = {f.name: _created(f) for f in record.EDITABLE}
    return create_model("ProjectIn", __base__=Input, **fields)


def _project_patch() -> type[Input]:
    fields: dict[str, Any] = {f.name: _patched(f) for f in record.EDITABLE}
    fields["position"] = (int | None, Field(None, ge=POSITION_MIN, le=POSITION_MAX))
    return create_model("ProjectPatch", __base__=Input, **fields)


if TYPE_CHECKING:
    ProjectOut = BaseModel
    DraftProjectOut = BaseModel
    ProjectIn = Input
    ProjectPatch = Input
else:
    ProjectOut = _project_out()
    DraftProjectOut = _draft_out()
    ProjectIn = _project_in()
    ProjectPatch = _project_patch()
