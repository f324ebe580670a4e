"""A record of a structured project field (a budget, a KPI and its results: ``renkei.record.Records``) as its JSON
object, the way ``dataclasses.asdict`` gives it, without its deep copies. Pure; on the bulk import's path.
"""

from __future__ import annotations

import dataclasses
from typing import Any

_NAMES: dict[type, tuple[str, ...]] = {}


def _names(of: type) -> tuple[str, ...]:
    names = _NAMES.get(of)
    if names is None:
        names = _NAMES[of] = tuple(f.name for f in dataclasses.fields(of))
    return names


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
