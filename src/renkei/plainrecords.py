"""A record of a structured project field (a budget, a KPI and its results: ``renkei.record.Records``) as its JSON
object, the way ``dataclasses.asdict`` gives it, without its deep copies; and the shape a record is read back by
(its fields' names, type hints and whether each is required), worked out once per class rather than per record
(``typing.get_type_hints`` was most of the cost of reading a package or a revision with budgets). Pure; on the
import's and the store's paths.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

_NAMES: dict[type, tuple[str, ...]] = {}


def _names(of: type) -> tuple[str, ...]:
    names = _NAMES.get(of)
    if names is None:
        names = _NAMES[of] = tuple(f.name for f in dataclasses.fields(of))
    return names


_SHAPES: dict[type, tuple[tuple[str, Any, bool], ...]] = {}


def shape(of: type) -> tuple[tuple[str, Any, bool], ...]:
    """Each field of the record class ``of``: its name, its resolved type hint, whether it has no default."""
    found = _SHAPES.get(of)
    if found is None:
        hints = typing.get_type_hints(of)
        fields = dataclasses.fields(of)
        found = _SHAPES[of] = tuple((f.name, hints[f.name], f.default is dataclasses.MISSING) for f in fields)
    return found


def plain(item: Any) -> dict[str, Any]:
    """A record's JSON object, its nested records' tuple as a list, as JSON has it. What ``dataclasses.asdict``
    gives, without its deep copies: the values are text, numbers and None (every payload write and every
    content hash converts each budget and KPI, so this is on the import's path)."""
    names = _names(type(item))
    held = getattr(item, "__dict__", None)  # a plain dataclass holds exactly its fields, in their order
    out: dict[str, Any] = dict(held) if held is not None and len(held) == len(names) else {}
    if not out:
        out = {name: getattr(item, name) for name in names}
    for name, value in out.items():
        if isinstance(value, tuple):
            out[name] = [plain(v) if dataclasses.is_dataclass(v) else v for v in value]
    return out
