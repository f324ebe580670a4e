"""A record of a structured project field (a budget, a KPI and its results: ``renkei.vision.record.Records``) as its
JSON object, the way ``dataclasses.asdict`` gives it, without its deep copies; and the shape a record is read back by
(its fields' names, type hints and whether each is required), worked out once per class rather than per record
(``typing.get_type_hints`` was most of the cost of reading a package or a revision with budgets). Pure; on the
import's and the store's paths.
"""

from __future__ import annotations

import dataclasses
import json
import math
import operator
import types
import typing
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
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


_PLAINERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _plainer(of: type) -> Callable[[Any], dict[str, Any]]:
    """The converter of one record class: its fields read by one ``attrgetter``, those typed as a tuple (of
    further records) made lists."""
    names = _names(of)
    nested = tuple(name for name, hint, _ in shape(of) if typing.get_origin(hint) is tuple)
    getter = operator.attrgetter(*names)
    single = len(names) == 1

    def convert(item: Any) -> dict[str, Any]:
        out = dict(zip(names, (getter(item),) if single else getter(item), strict=True))
        for name in nested:
            out[name] = [plain(v) if dataclasses.is_dataclass(v) else v for v in out[name]]
        return out

    return convert


def plain(item: Any) -> dict[str, Any]:
    """A record's JSON object, its nested records' tuple as a list, as JSON has it. What ``dataclasses.asdict``
    gives, without its deep copies: the values are text, numbers and None (every payload write and every
    content hash converts each budget and KPI, so this is on the import's path)."""
    kind = type(item)
    convert = _PLAINERS.get(kind)
    if convert is None:
        convert = _PLAINERS[kind] = _plainer(kind)
    return convert(item)


# Reading back ---------------------------------------------------------------------------------------------------

_LOADERS: dict[type, Callable[[Any], Any]] = {}


def from_plain(of: type, data: Any) -> Any:
    """A record of the class ``of`` from its JSON object: each field checked against its type hint (text, a whole
    number, a number, None where the hint allows it, a list of further records where it is a tuple of them); a
    field left out takes its default. ``TypeError`` on a value of the wrong type or a missing required field,
    ``KeyError`` on a key the class lacks. The checks are worked out once per class (a data package or a revision
    read back holds hundreds of thousands of budgets)."""
    load = _LOADERS.get(of)
    if load is None:
        load = _LOADERS[of] = _loader(of)
    return load(data)


def _loader(of: type) -> Callable[[Any], Any]:
    """The loader of one record class: an object that has every field's key, each of a type its hint names
    exactly, is taken by one generated expression (a data package or a JSON file with budgets holds some 200,000
    records: 2.5 times the speed of the loop); any other object by the loop, which widens, defaults and names
    what is wrong."""
    fields = tuple((name, _checker(hint), required) for name, hint, required in shape(of))
    names = frozenset(name for name, _, _ in fields)
    careful = _careful_loader(of, fields, names)
    tests: list[str | None] = []  # per field, the test of its exact types; None: always through its check
    for i, (_, hint, _) in enumerate(shape(of)):
        allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        exact = [f"type(v{i}) is {kind.__name__}" for kind in (str, int, float) if kind in allowed]
        exact += [f"v{i} is None"] if type(None) in allowed else []
        tests.append(" or ".join(exact) or None)
    reads = "; ".join(f"v{i} = data[{name!r}]" for i, (name, _, _) in enumerate(fields))
    checks = " and ".join(f"({test})" for test in tests if test is not None) or "True"
    made = ", ".join(
        f"{name}=v{i}" if test is not None else f"{name}=_check{i}(v{i})"
        for i, ((name, _, _), test) in enumerate(zip(fields, tests, strict=True))
    )
    source = (
        "def load(data):\n"
        "    if type(data) is not dict or data.keys() != _names:\n"
        "        return _careful(data)\n"
        f"    {reads}\n"
        f"    if not ({checks}):\n"
        "        return _careful(data)\n"
        f"    return _of({made})\n"
    )
    space: dict[str, Any] = {"_names": names, "_careful": careful, "_of": of}
    space |= {f"_check{i}": check for i, (_, check, _) in enumerate(fields)}
    exec(compile(source, f"<loader of {of.__qualname__}>", "exec"), space)  # made from the fields' names only
    return typing.cast(Callable[[Any], Any], space["load"])


def _careful_loader(
    of: type, fields: tuple[tuple[str, Callable[[Any], Any], bool], ...], names: frozenset[str]
) -> Callable[[Any], Any]:
    def load(data: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, got {data!r}")
        unknown = data.keys() - names
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        values = {}
        for name, check, required in fields:
            if name in data:
                values[name] = check(data[name])
            elif required:
                values[name] = check(None)  # None where the hint allows it, else the TypeError
        return of(**values)

    return load


def _checker(hint: Any) -> Callable[[Any], Any]:
    """The check of one field's value: a tuple of records read item by item; a scalar taken where its exact
    type is allowed (never a bool for a number), an int where only a float is (as a float)."""
    if typing.get_origin(hint) is tuple and dataclasses.is_dataclass(inner := typing.get_args(hint)[0]):
        record = typing.cast(type, inner)

        def records(value: Any) -> Any:
            if not isinstance(value, list):
                raise TypeError(f"expected a list, got {value!r}")
            return tuple(from_plain(record, item) for item in value)

        return records
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    none = type(None) in allowed
    exact = frozenset(kind for kind in (str, int, float) if kind in allowed)
    widen = float in allowed and int not in allowed

    def scalar(value: Any) -> Any:
        kind = type(value)
        if kind in exact:
            return value
        if value is None and none:
            return None
        if widen and kind is int:
            return float(value)
        # A subclass (an enum's value of text, a numpy number) as the exact types above would take it.
        for base in (str, int, float):
            if base in exact and isinstance(value, base) and not isinstance(value, bool):
                return value
        if widen and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        raise TypeError(f"expected {hint}, got {value!r}")

    return scalar


# Canonical text -------------------------------------------------------------------------------------------------

# The canonical JSON text of any value (sorted keys, compact, not ASCII-escaped): what content hashes are made of.
canonical_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_TEXTS: dict[type, Callable[[Any], str]] = {}


def canonical_text(item: Any) -> str:
    """A record's canonical JSON text: exactly what ``json.dumps(plain(item), ensure_ascii=False,
    sort_keys=True, separators=(",", ":"))`` writes, without making the object first (a content hash and a
    stored payload write every budget and KPI of a national import)."""
    text = _TEXTS.get(type(item))
    if text is None:
        text = _TEXTS[type(item)] = _texter(type(item))
    return text(item)


def canonical_list(items: Sequence[Any]) -> str:
    """A list's canonical JSON text, its records' each by ``canonical_text`` (the text function looked up once
    for a list of one class, as a project's budgets are), any other item as the json module writes it."""
    if not items:
        return "[]"
    first = type(items[0])
    if not dataclasses.is_dataclass(first):
        return "[" + ",".join([_item_text(v) for v in items]) + "]"
    text = _TEXTS.get(first)
    if text is None:
        text = _TEXTS[first] = _texter(first)
    return "[" + ",".join([text(v) if type(v) is first else _item_text(v) for v in items]) + "]"


def _item_text(item: Any) -> str:
    return canonical_text(item) if dataclasses.is_dataclass(item) else _value_text(item)


def _texter(of: type) -> Callable[[Any], str]:
    """The text function of one record class, made once: its fields in the order of their sorted keys, each
    written by the fast paths its type hint allows (null, text by the json module's own escaper, a whole number
    by its repr, a finite number by its repr, a tuple of further records by ``canonical_list``), any other value
    by ``_value_text``. Generated as one expression (a national import writes some 200,000 budgets; this is 2.4
    times the speed of a loop over the fields). The names are a dataclass's fields, so valid identifiers."""
    hints = {name: hint for name, hint, _ in shape(of)}
    names = sorted(_names(of))
    if not names:
        return lambda item: "{}"
    parts = []
    for i, name in enumerate(names):
        hint = hints[name]
        allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        v = f"v{i}"
        if typing.get_origin(hint) is tuple:
            text = f"(_list({v}) if type({v}) is tuple else _value({v}))"
        else:
            text = f"_value({v})"
            if float in allowed:
                text = f"(_real({v}) if type({v}) is float and _finite({v}) else {text})"
            if int in allowed:
                text = f"(_whole({v}) if type({v}) is int else {text})"
            if str in allowed:
                text = f"(_escape({v}) if type({v}) is str else {text})"
            if type(None) in allowed:
                text = f"('null' if {v} is None else {text})"
        parts.append(f"{('{' if i == 0 else ',') + encode_basestring(name) + ':'!r} + {text}")
    reads = "; ".join(f"v{i} = item.{name}" for i, name in enumerate(names))
    source = f"def text(item):\n    {reads}\n    return " + " + ".join([*parts, "'}'"]) + "\n"
    space: dict[str, Any] = {
        "_escape": encode_basestring,
        "_whole": int.__repr__,
        "_real": float.__repr__,
        "_finite": math.isfinite,
        "_value": _value_text,
        "_list": canonical_list,
    }
    exec(compile(source, f"<canonical text of {of.__qualname__}>", "exec"), space)  # the names are fields' only
    return typing.cast(Callable[[Any], str], space["text"])


def _value_text(value: Any) -> str:
    """A record field's value as the json module writes it: text, a whole number, a finite number (its repr, as
    json writes floats), null, a list of further records; anything else by the json module itself."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if kind is tuple or kind is list:
        return canonical_list(value)
    return canonical_json(value)
