"""A project's fields, declared once: the one schema of a cooperation project (連携事業) every boundary derives
its own shape from.

``PROJECT_FIELDS`` lists the fields of ``renkei.vision.model.Project`` in the order the JSON contract writes them. Each
``Field`` says its name (the model's attribute and the key in JSON, the API and the draft), its kind (a ``Kind``:
the Python type and how a value goes to JSON, to the draft editor, to a rebase cell and to the store's columns),
whether a document declares it or the registry computes it, how it is stored, whether the draft editor may change
it, and the catalogue key of its label. From this one list come:

- the serializer (``renkei.vision.serialize``): ``dump`` and ``load`` per field;
- the store's rows (``renkei.store.writes``, ``rows``, ``draftrows``): ``columns`` and ``from_row``; a field stored
  as ``PAYLOAD`` lives under its name in the rows' JSON column ``payload`` (no migration for a new field);
- the draft's dictionary and the API models (``renkei.web.edit``, ``renkei.web.api``): ``edit`` and ``api_type``;
- the edit rules (``renkei.vision.editrules``): ``Kind.check`` per editable field;
- the rebase's cells (``renkei.store.rebase``): ``cell`` and ``from_cell`` per field.

A structured field (a list of budgets per fiscal year, of KPIs) is a ``Records`` kind over a frozen dataclass: its
JSON is a list of objects named by the dataclass's fields, checked on the way in. Pure: no I/O, no web or database
import. The recipe for adding a field is in docs/architecture.md.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from renkei.vision.model import Budget, BudgetUnit, Heading, Kpi, Project, Role
from renkei.vision.plainrecords import canonical_json, canonical_list, from_plain, plain
from renkei.vision.textrules import RULES, Problem, problem

NUMBER_MIN, NUMBER_MAX = 1, 100_000  # a project's number

Problems = dict[str, Problem]


class Origin(StrEnum):
    """Where a field's value comes from: a document declared it, or the registry computes it (never stored,
    never shown as if declared)."""

    DECLARED = "declared"
    COMPUTED = "computed"


class Storage(StrEnum):
    """How the store keeps a field: columns of its own (the fields the first schema had), under its name in the
    rows' JSON ``payload`` (every field added since: no schema change), the marks (participation rows), or not
    at all (computed)."""

    COLUMNS = "columns"
    PAYLOAD = "payload"
    MARKS = "marks"
    NONE = "none"


class Kind:
    """How the values of one type travel. The defaults suit a value that is its own JSON (text, a number)."""

    python: Any = object  # the type of the value in JSON, as the API models announce it

    def types(self, name: str) -> dict[str, Any]:
        """The JSON keys ``dump`` writes and the type of each (the API's output models)."""
        return {name: self.python}

    def edit_type(self) -> Any:
        """The type of ``edit``'s value (the draft's output model, the editor's input)."""
        return self.python

    def bounds(self) -> dict[str, Any]:
        """The constraints an API model announces for this value (pydantic's ``Field`` keywords)."""
        return {}

    def canonical(self, value: Any) -> str:
        """The value's canonical JSON text (sorted keys, compact, not ASCII-escaped): what a content hash reads
        of it, and a stored payload holds."""
        return canonical_json(self.json(value))

    def text(self, value: Any) -> str:
        """The value as one line of text, where an amendment or a table shows it."""
        shown = self.json(value)
        return shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)

    def dump(self, name: str, value: Any) -> dict[str, Any]:
        """The JSON keys (usually one) this value is written as in the export and ``check --json``."""
        return {name: self.json(value)}

    def json(self, value: Any) -> Any:
        return value

    def load(self, name: str, data: Mapping[str, Any], headings: Mapping[str, Heading]) -> Any:
        """The value back from an export's project object; KeyError, TypeError or ValueError when malformed."""
        return self.from_json(data.get(name, self.empty_json()))

    def from_json(self, raw: Any) -> Any:
        return raw

    def empty_json(self) -> Any:
        return None

    def edit(self, value: Any) -> Any:
        """The value as the draft editor and its API send and answer it."""
        return self.json(value)

    def cell(self, value: Any) -> Any:
        """The value as a rebase compares it and lists it in a conflict (hashable, plain)."""
        return self.edit(value)

    def from_cell(self, raw: Any) -> Any:
        return self.from_json(raw)

    def columns(self, name: str, value: Any) -> dict[str, Any]:
        """The store's columns of a field stored as ``COLUMNS``."""
        return {name: self.json(value)}

    def from_columns(self, name: str, row: Any) -> Any:
        return self.from_json(getattr(row, name))

    def check(self, name: str, raw: Any) -> tuple[Any, Problems]:
        """A value a person sent (the edit form) as the model's value, or the problems keyed by field."""
        return self.from_json(raw), {}


@dataclass(frozen=True)
class Text(Kind):
    """Text under a rule of ``renkei.vision.textrules`` (length, characters); ``required`` refuses blank text."""

    rule: str
    required: bool = False
    python: Any = str

    def from_json(self, raw: Any) -> Any:
        return str(raw)

    def empty_json(self) -> Any:
        return ""

    def load(self, name: str, data: Mapping[str, Any], headings: Mapping[str, Heading]) -> Any:
        return str(data[name]) if self.required else str(data.get(name, ""))

    def bounds(self) -> dict[str, Any]:
        return {"max_length": RULES[self.rule].limit, **({"min_length": 1} if self.required else {})}

    def check(self, name: str, raw: Any) -> tuple[Any, Problems]:
        if self.required and isinstance(raw, str) and not raw.strip():
            return None, {name: Problem("required")}
        if (trouble := problem(self.rule, raw)) is not None:
            return None, {name: trouble}
        return str(raw).strip(), {}


@dataclass(frozen=True)
class Whole(Kind):
    """A whole number between ``low`` and ``high``; ``optional`` where a document may leave it blank."""

    low: int = 0
    high: int = 2**31 - 1
    optional: bool = False
    python: Any = int

    def load(self, name: str, data: Mapping[str, Any], headings: Mapping[str, Heading]) -> Any:
        return optional_int(data.get(name)) if self.optional else int(data[name])

    def types(self, name: str) -> dict[str, Any]:
        return {name: int | None if self.optional else int}

    def bounds(self) -> dict[str, Any]:
        return {"ge": self.low, "le": self.high}

    def check(self, name: str, raw: Any) -> tuple[Any, Problems]:
        if isinstance(raw, bool) or not isinstance(raw, int) or not self.low <= raw <= self.high:
            return None, {name: Problem("whole-number", {"min": self.low, "max": self.high})}
        return raw, {}


@dataclass(frozen=True)
class HeadingKind(Kind):
    """A pillar or field heading: ``label title`` in the export, ``{label, title}`` in the editor, two columns."""

    python: Any = str | None

    def json(self, value: Any) -> Any:
        return str(value) if value else None

    def edit_type(self) -> Any:
        return dict[str, str] | None

    def load(self, name: str, data: Mapping[str, Any], headings: Mapping[str, Heading]) -> Any:
        text = data.get(name)
        if text is None:
            return None
        if text in headings:
            return headings[text]
        label, _, title = text.partition(" ")
        return Heading(label, title) if title else Heading("", label)

    def edit(self, value: Any) -> Any:
        return {"label": value.label, "title": value.title} if value else None

    def cell(self, value: Any) -> Any:
        return None if value is None else f"{value.label}\t{value.title}"

    def from_cell(self, raw: Any) -> Any:
        if raw is None:
            return None
        label, _, title = raw.partition("\t")
        return Heading(label, title)

    def columns(self, name: str, value: Any) -> dict[str, Any]:
        return {f"{name}_label": value.label if value else None, f"{name}_title": value.title if value else None}

    def from_columns(self, name: str, row: Any) -> Any:
        title = getattr(row, f"{name}_title")
        return Heading(getattr(row, f"{name}_label") or "", title) if title is not None else None

    def check(self, name: str, raw: Any) -> tuple[Any, Problems]:
        if raw is None:
            return None, {}
        if isinstance(raw, Heading):
            found = raw
        elif isinstance(raw, Mapping):
            found = Heading(str(raw.get("label", "")).strip(), str(raw.get("title", "")).strip())
        else:
            return None, {name: Problem("heading-object")}
        return found, heading_problems(found, name)


def heading_problems(found: Heading | None, level: str = "") -> Problems:
    """A heading's label and title under the text rules, keyed ``pillar_label`` … (or ``label`` alone)."""
    if found is None:
        return {}
    prefix = f"{level}_" if level else ""
    problems = {f"{prefix}label": problem("label", found.label), f"{prefix}title": problem("title", found.title)}
    return {k: v for k, v in problems.items() if v is not None}


@dataclass(frozen=True)
class TextMap(Kind):
    """Text by name (the document's further columns, by their header): a JSON object of strings."""

    key_rule: str
    value_rule: str
    cell_prefix: str  # a rebase compares each entry as a cell of its own, ``<prefix>:<name>``
    python: Any = dict[str, str]

    def json(self, value: Any) -> Any:
        return dict(value)

    def from_json(self, raw: Any) -> Any:
        return {str(k): str(v) for k, v in (raw or {}).items()}

    def empty_json(self) -> Any:
        return {}

    def from_cell(self, raw: Any) -> Any:
        return dict(raw)

    def check(self, name: str, raw: Any) -> tuple[Any, Problems]:
        if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
            return None, {name: Problem(f"{name}-object")}
        troubles = {
            f"{name}.{k}": trouble
            for k, v in raw.items()
            if (trouble := problem(self.key_rule, k) or problem(self.value_rule, v))
        }
        if troubles:
            return None, troubles
        return {k.strip(): v.strip() for k, v in raw.items() if k.strip()}, {}


@dataclass(frozen=True)
class Participants(Kind):
    """The municipalities taking part and their roles: ``participants`` (names in column order) and ``roles``."""

    python: Any = list[str]

    def dump(self, name: str, value: Any) -> dict[str, Any]:
        # A StrEnum's str() is its value, fast: a national export writes 300,000 of them.
        return {name: list(value), "roles": {town: str(role) for town, role in value.items()}}

    def types(self, name: str) -> dict[str, Any]:
        return {name: list[str], "roles": dict[str, str]}

    def load(self, name: str, data: Mapping[str, Any], headings: Mapping[str, Heading]) -> Any:
        roles = data.get("roles") or {}
        return {str(town): Role(roles.get(town, Role.MEMBER.value)) for town in data[name]}


@dataclass(frozen=True)
class Records(Kind):
    """A list of structured values, each a frozen dataclass whose fields are text, numbers, None or a tuple of
    further records (a budget per fiscal year; a KPI with its results per year): JSON objects named by those
    fields. A value the dataclass cannot take is a
    problem (``records-object``) naming the field."""

    of: type

    @property
    def python(self) -> Any:
        return list[self.of]  # type: ignore[name-defined]

    def json(self, value: Any) -> Any:
        return [plain(item) for item in value]

    def from_json(self, raw: Any) -> Any:
        if not isinstance(raw, list):
            raise TypeError(f"expected a list, got {raw!r}")
        return [self._item(item) for item in raw]

    def canonical(self, value: Any) -> str:
        return canonical_list(value)

    def empty_json(self) -> Any:
        return []

    def cell(self, value: Any) -> Any:
        return self.json(value)

    def check(self, name: str, raw: Any) -> tuple[Any, Problems]:
        try:
            value = self.from_json(raw)
        except (KeyError, TypeError, ValueError):
            return None, {name: Problem("records-object")}
        problems = self.rules(name, value)
        return (None, problems) if problems else (value, {})

    def rules(self, name: str, value: list[Any]) -> Problems:
        """What the field's rules find wrong in records already read (``check`` reads them first): none here."""
        return {}

    def _item(self, data: Any) -> Any:
        return from_plain(self.of, data)


FISCAL_YEAR_MIN, FISCAL_YEAR_MAX = 1989, 2100  # 平成元年度 to the end of any plan a vision can carry
AMOUNT_MAX = 10**15  # 円: beyond any municipal budget; a larger figure is a misreading


def _year_problem(year: object, *where: object) -> Problems:
    """A fiscal year outside the range, at the location ``where``'s parts name (joined by dots only then: a
    national import checks some 250,000 years)."""
    if year is None or FISCAL_YEAR_MIN <= typing.cast(int, year) <= FISCAL_YEAR_MAX:
        return {}
    return {".".join(map(str, where)): Problem("fiscal-year", {"min": FISCAL_YEAR_MIN, "max": FISCAL_YEAR_MAX})}


def _town_problem(town: str, *where: object) -> Problems:
    if town == "":  # the whole project's figure, most of them
        return {}
    trouble = problem("name", town)
    return {".".join(map(str, where)): trouble} if trouble is not None else {}


_UNITS = frozenset(BudgetUnit)


@dataclass(frozen=True)
class Budgets(Records):
    """事業費 per fiscal year (``renkei.vision.model.Budget``): a year within 1989–2100 or None (総事業費), an amount
    from 0, a unit among 千円 and 円, one entry per (year, town)."""

    of: type = Budget

    def rules(self, name: str, value: list[Any]) -> Problems:
        problems: Problems = {}
        seen: set[tuple[int | None, str]] = set()
        for i, b in enumerate(value):
            year, town = b.fiscal_year, b.town
            problems |= _year_problem(year, name, i, "fiscal_year") | _town_problem(town, name, i, "town")
            if not 0 <= b.amount <= AMOUNT_MAX:
                problems[f"{name}.{i}.amount"] = Problem("amount", {"max": AMOUNT_MAX})
            if b.unit not in _UNITS:
                problems[f"{name}.{i}.unit"] = Problem("unit", {"units": "、".join(BudgetUnit)})
            if (year, town) in seen:
                problems[f"{name}.{i}"] = Problem("duplicate-year")
            seen.add((year, town))
        return problems


@dataclass(frozen=True)
class Kpis(Records):
    """成果指標 (``renkei.vision.model.Kpi``): a name (required, under the name rule), a unit, years within 1989–2100,
    and one result per (year, town)."""

    of: type = Kpi

    def rules(self, name: str, value: list[Any]) -> Problems:
        problems: Problems = {}
        for i, k in enumerate(value):
            where = f"{name}.{i}"
            if not k.name.strip():
                problems[f"{where}.name"] = Problem("required")
            elif (trouble := problem("name", k.name) or problem("attribute-name", k.unit)) is not None:
                problems[f"{where}.name"] = trouble
            problems |= _year_problem(k.baseline_year, where, "baseline_year")
            problems |= _year_problem(k.target_year, where, "target_year")
            seen: set[tuple[int, str]] = set()
            for j, r in enumerate(k.results):
                year, town = r.fiscal_year, r.town
                problems |= _year_problem(year, where, "results", j, "fiscal_year")
                problems |= _town_problem(town, where, "results", j, "town")
                if (year, town) in seen:
                    problems[f"{where}.results.{j}"] = Problem("duplicate-year")
                seen.add((year, town))
        return problems


def optional_int(value: object) -> int | None:
    """An optional integer of a JSON document: ``None`` or an int (never a bool), else ``TypeError``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


@dataclass(frozen=True)
class Field:
    """One field of a project: see the module's docstring."""

    name: str
    kind: Kind
    origin: Origin = Origin.DECLARED
    storage: Storage = Storage.COLUMNS
    editable: bool = False
    label: str = ""  # the catalogue key of its label; ``audit.field.<name>`` when not given
    in_draft: bool = True  # whether a draft keeps it (a declared count is the document's, not the editor's)

    @property
    def label_key(self) -> str:
        return self.label or f"audit.field.{self.name}"

    def value(self, p: Project) -> Any:
        return getattr(p, self.name)


PROJECT_FIELDS: tuple[Field, ...] = (
    Field("number", Whole(NUMBER_MIN, NUMBER_MAX), editable=True),
    Field("name", Text("name", required=True), editable=True),
    Field("description", Text("description"), editable=True),
    Field("pillar", HeadingKind(), editable=True),
    Field("field", HeadingKind(), editable=True),
    Field("participants", Participants(), storage=Storage.MARKS, label="audit.field.marks"),
    Field("declared_count", Whole(optional=True), in_draft=False),
    Field("count", Whole(), origin=Origin.COMPUTED, storage=Storage.NONE, in_draft=False),
    Field("attributes", TextMap("attribute-name", "attribute", "attribute"), editable=True),
    Field("budgets", Budgets(), storage=Storage.PAYLOAD, editable=True),
    Field("kpis", Kpis(), storage=Storage.PAYLOAD, editable=True),
    Field("number_label", Text("label"), storage=Storage.PAYLOAD, editable=True),
)

FIELDS = {f.name: f for f in PROJECT_FIELDS}
DECLARED = tuple(f for f in PROJECT_FIELDS if f.origin is Origin.DECLARED)
STORED = tuple(f for f in PROJECT_FIELDS if f.storage in (Storage.COLUMNS, Storage.PAYLOAD))
DRAFTED = tuple(f for f in STORED if f.in_draft)  # a draft project's own fields (its marks aside)
EDITABLE = tuple(f for f in PROJECT_FIELDS if f.editable)
PAYLOAD = tuple(f for f in PROJECT_FIELDS if f.storage is Storage.PAYLOAD)  # declared after the first schema


def _writer(f: Field) -> tuple[str, Callable[[Any], Any] | None, Kind]:
    """How ``to_json`` writes a field: its name and its ``json`` (None where the value is its own JSON, a text or a
    number; its ``dump`` where it writes several keys). A national export writes thousands of projects."""
    kind = f.kind
    own = type(kind).json is Kind.json and type(kind).dump is Kind.dump
    return f.name, None if own else kind.json, kind


_WRITERS = tuple(_writer(f) for f in PROJECT_FIELDS)


_COLUMN_WRITERS = tuple(w for w, f in zip(_WRITERS, PROJECT_FIELDS, strict=True) if f.storage is not Storage.PAYLOAD)
COLUMNS = tuple(f for f in STORED if f.storage is not Storage.PAYLOAD)  # the stored fields that are the row's own


def to_json(p: Project, payload: bool = True) -> dict[str, Any]:
    """A project's object in the export and ``check --json``, in the declared order (``payload`` False: without
    its payload fields, which a content hash writes by ``Kind.canonical``)."""
    out: dict[str, Any] = {}
    for name, convert, kind in _WRITERS if payload else _COLUMN_WRITERS:
        value = getattr(p, name)
        if convert is None:
            out[name] = value
        elif type(kind).dump is Kind.dump:
            out[name] = convert(value)
        else:
            out.update(kind.dump(name, value))
    return out


def from_json(data: Mapping[str, Any], headings: Mapping[str, Heading]) -> Project:
    """A project back from its object; KeyError, TypeError or ValueError on a malformed one."""
    return Project(**{f.name: f.kind.load(f.name, data, headings) for f in DECLARED})


def hash_form(data: dict[str, Any]) -> dict[str, Any]:
    """A project's object as a content hash reads it: a payload field left empty is left out, so that declaring
    a new field changes the identity of no revision stored before it."""
    empty = {f.name for f in PAYLOAD if data.get(f.name) == f.kind.empty_json()}
    return {k: v for k, v in data.items() if k not in empty} if empty else data


def row_values(p: Project, fields: Sequence[Field] = STORED, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A project's stored fields as the store's columns, the payload fields gathered under ``payload`` (taken
    from ``data``, the project's ``to_json``, where the caller made it already)."""
    values: dict[str, Any] = {}
    payload: dict[str, Any] = {}
    for f in fields:
        if f.storage is Storage.PAYLOAD:
            payload[f.name] = data[f.name] if data is not None else f.kind.json(f.value(p))
        else:
            values.update(f.kind.columns(f.name, f.value(p)))
    values["payload"] = payload
    return values


def from_row(row: Any, fields: Sequence[Field] = STORED) -> dict[str, Any]:
    """The stored fields of a store's row (a revision's or a draft's project), as ``Project`` keywords."""
    payload = getattr(row, "payload", None) or {}
    return {
        f.name: f.kind.from_json(payload.get(f.name, f.kind.empty_json()))
        if f.storage is Storage.PAYLOAD
        else f.kind.from_columns(f.name, row)
        for f in fields
    }


def shown(p: Project) -> list[tuple[str, str]]:
    """The payload fields a project holds, as (catalogue key of the label, text), for a page to list."""
    return [(f.label_key, f.kind.text(f.value(p))) for f in PAYLOAD if f.kind.json(f.value(p)) != f.kind.empty_json()]


def edit_dict(p: Project) -> dict[str, Any]:
    """A draft project's fields as the editor and its API answer them."""
    return {f.name: f.kind.edit(f.value(p)) for f in DRAFTED}


def cells(p: Project) -> dict[str, Any]:
    """A draft project's fields as the cells a rebase compares (its marks and attributes one cell each)."""
    out: dict[str, Any] = {}
    for f in DRAFTED:
        value = f.kind.cell(f.value(p))
        if isinstance(f.kind, TextMap):
            out.update({f"{f.kind.cell_prefix}:{k}": v for k, v in value.items()})
        else:
            out[f.name] = value
    return out


def from_cells(values: Mapping[str, Any]) -> dict[str, Any]:
    """``Project`` keywords from a rebase's cells (the inverse of ``cells``)."""
    out: dict[str, Any] = {}
    for f in DRAFTED:
        if isinstance(f.kind, TextMap):
            prefix = f"{f.kind.cell_prefix}:"
            out[f.name] = {
                k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix) and v is not None
            }
        else:
            out[f.name] = f.kind.from_cell(values.get(f.name))
    return out


def validate(changes: Mapping[str, Any], require: Sequence[str] = ()) -> tuple[dict[str, Any], Problems]:
    """The model's values of the editable fields in ``changes`` and the problems per field."""
    errors: Problems = {name: Problem("required") for name in require if name not in changes}
    values: dict[str, Any] = {}
    for f in EDITABLE:
        if f.name in changes:
            value, troubles = f.kind.check(f.name, changes[f.name])
            if troubles:
                errors.update(troubles)
            else:
                values[f.name] = value
    return values, errors


def output_types(fields: Sequence[Field] = PROJECT_FIELDS) -> dict[str, Any]:
    """The keys of a project's JSON object and the type of each, in order (the API's ``ProjectOut``)."""
    out: dict[str, Any] = {}
    for f in fields:
        out.update(f.kind.types(f.name))
    return out
