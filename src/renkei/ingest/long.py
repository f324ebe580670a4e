"""The long form: one row per participation (project × municipality), as open data and renkei's ``csv-long``
export write it, read by turning it into the wide table the layout reader reads.

Its columns are found by their headings (事業番号/番号/No, 事業名/取組名, 市町村名, 市町村コード/団体コード/
全国地方公共団体コード, 役割/区分, 柱/基本方針, 分野/政策分野) and then proved by structure: the municipality column's
cells resolve to municipalities, and a project or a municipality repeats down the rows. A wide table, whose
header names municipalities, is never taken for a long one. A code decides a municipality before its name;
a name that the code contradicts is a warning. Municipalities keep the order renkei's export gives them
(its ``列順`` field), else the national code order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from renkei.ingest.grid import Cell, Row
from renkei.places.municipalities import Registry, check_digit, is_valid_code
from renkei.vision.model import Finding, Location, Severity
from renkei.vision.ownformat import LINKS_MARKER, MARKER

ORDER = "列順"  # the metadata field of renkei's export that keeps the table's column order
LEGEND = "◎：主体となって実施　○：連携して実施"

_HEADINGS: dict[str, tuple[str, ...]] = {
    "code": ("全国地方公共団体コード", "地方公共団体コード", "市町村コード", "団体コード", "自治体コード", "コード"),
    # Not 参加市町村 or 連携市町村: those head the participants written in one cell (「A市、B町」).
    "municipality": ("市町村名", "団体名", "自治体名", "市区町村名", "市町村"),
    "number": ("事業番号", "取組番号", "番号", "項番", "no", "no.", "№"),
    "name": ("事業名", "取組名", "事業の名称", "取組の名称", "具体的取組", "取組項目", "事業"),
    "role": ("役割", "区分", "参加区分", "連携区分", "参加"),
    "pillar": ("柱", "政策の柱", "取組の柱", "基本方針"),
    "field": ("分野", "政策分野", "取組分野", "施策分野"),
    "description": ("事業内容", "事業概要", "概要", "取組内容", "取組の内容"),
}
_LEAD = ("◎", "●", "主体", "中心", "幹事", "主", "代表", "主導")
# Roles that take part as a member; a role in other words is read so too, and said (``long-role-unknown``).
_MEMBER = ("○", "〇", "◯", "参加", "連携", "実施", "協力", "構成", "関係")
_NONE = ("", "0", "×", "-", "－", "―", "不参加", "なし")
_SEARCHED = 6  # rows looked at for the header: the notice row, a title and a blank line may come first


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass
class _Columns:
    header: Row
    index: dict[str, int] = field(default_factory=dict)


def _columns(row: Row) -> _Columns | None:
    found = _Columns(row)
    for i, cell in enumerate(row.cells):
        text = _key(cell.text)
        for kind, words in _HEADINGS.items():
            if kind not in found.index and text in words:
                found.index[kind] = i
                break
    has_member = "code" in found.index or "municipality" in found.index
    has_project = "number" in found.index or "name" in found.index
    return found if has_member and has_project else None


def _text(row: Row, index: int | None) -> str:
    cell = row.cell(index) if index is not None else None
    return cell.text.strip() if cell is not None else ""


def _code(text: str) -> str | None:
    digits = "".join(unicodedata.normalize("NFKC", text).split())
    if len(digits) == 5 and digits.isdigit():
        digits += str(check_digit(digits))
    return digits if is_valid_code(digits) else None


@dataclass
class _Member:
    label: str  # the header cell written for it: its code where one resolves, else its name
    code: str | None
    first: int


@dataclass
class _Project:
    number: str
    name: str
    pillar: str
    field_title: str
    description: str
    row: Row
    marks: dict[str, tuple[str, Location]] = field(default_factory=dict)


def widen(rows: list[Row], registry: Registry) -> tuple[list[Row], list[Finding]] | None:
    """The long form's rows as a wide table, with what was found on the way; None for any other table."""
    start = next((i for i, r in enumerate(rows[:_SEARCHED]) if _columns(r) is not None), None)
    told: list[str] = []
    if start is None:  # headings in other words: the columns told by what they hold (below), and said
        start, columns = next(
            ((i, c) for i, r in enumerate(rows[:_SEARCHED]) if (c := _by_content(r, rows[i + 1 :], registry))),
            (None, None),
        )
        told = sorted(columns.index, key=columns.index.__getitem__) if columns is not None else []
    else:
        columns = _columns(rows[start])
    if start is None or columns is None or _names_municipalities(rows[start], registry):
        return None
    # renkei's own export closes with its notice record (``meta.links_notice``); older files open with it.
    notices = [r for r in rows if r.filled and _text(r, 0) == LINKS_MARKER]
    body = [r for r in rows[start + 1 :] if r.filled and _text(r, 0) != LINKS_MARKER]
    if not body or not _proved(columns, body, registry):
        return None
    fields = _meta(notices)
    findings: list[Finding] = []
    if told:
        heads = "、".join(f"{columns.header.cells[columns.index[k]].text.strip()}→{_KIND_WORDS[k]}" for k in told)
        findings.append(Finding(Severity.INFO, "long-columns-inferred", {"columns": heads}, columns.header.location))
    used = set(columns.index.values())
    skipped = [c.text.strip() for i, c in enumerate(columns.header.cells) if c.text.strip() and i not in used]
    if skipped:  # 年度, 出典, 負担額: what the long form's participation does not hold, said rather than dropped
        findings.append(
            Finding(Severity.INFO, "long-columns-skipped", {"columns": "、".join(skipped)}, columns.header.location)
        )
    members, projects = _gather(columns, body, registry, findings)
    return _wide(columns, fields, _ordered(members, fields.get(ORDER), registry), projects), findings


# How a column told by its content is named back in ``long-columns-inferred`` (the heading kinds' first words).
_KIND_WORDS = {
    "municipality": "市町村名",
    "code": "市町村コード",
    "number": "事業番号",
    "name": "事業名",
    "role": "役割",
}
_ROLE_WORDS = frozenset((*_LEAD, *_NONE, *_MEMBER))
_SAMPLED = 200  # rows looked at to tell a column by its content


def _by_content(header: Row, below: list[Row], registry: Registry) -> _Columns | None:
    """A long form whose headings are in words renkei has no list for (構成団体, 連携する取組, 関わり方), told by
    what its columns hold: a column of municipalities (names or codes, one a row), and the project's number (whole
    numbers that repeat) or name (text that repeats in runs beside it); a column of marks or role words is the
    role. A header that names municipalities is a wide table's, never this."""
    width = len(header.cells)
    if len(header.filled) < 2 or width > 40:
        return None
    # A header is words: a row with a number, a mark or a municipality is a project row or a wide table's header
    # (every table is asked this: the rows below are looked at only for a row that could head a long form).
    if any(_key(c.text).isdigit() or _key(c.text) in _ROLE_WORDS for c in header.filled):
        return None
    if any(registry.is_municipality_name(c.text) for c in header.filled):
        return None
    body = [r for r in below[:_SAMPLED] if len(r.filled) >= 2]
    if len(body) < 3:
        return None
    # A long form's rows lie under its headings: rows with more values than the header has cells (a title or a
    # metadata line above a wide table) head no long form.
    if sum(1 for r in body if len(r.filled) > width) > len(body) / 5:
        return None
    found = _Columns(header)
    values = [[_text(r, i) for r in body] for i in range(width)]
    # One column of marks at most (the role): columns mostly of marks side by side (a totals row under them) are
    # a wide table's municipalities, or a table that runs a row per municipality (``ingest.transposed``).
    marked = [c for c in values if 2 * sum(1 for v in c if v and _key(v) in _ROLE_WORDS) > sum(1 for v in c if v)]
    if len(marked) >= 2:
        return None
    for i, column in enumerate(values):
        given = [v for v in column if v]
        if len(given) < 0.8 * len(body):
            continue
        if "code" not in found.index and all(_code(v) for v in given):
            found.index["code"] = i
        elif "municipality" not in found.index and _mostly(given, registry.is_municipality_name):
            found.index["municipality"] = i
        elif "number" not in found.index and all(_key(v).isdigit() for v in given) and len(set(given)) < len(given):
            found.index["number"] = i
        elif "role" not in found.index and all(_key(v) in _ROLE_WORDS for v in given):
            found.index["role"] = i
        elif "name" not in found.index and len(set(given)) < len(given) and not any(_key(v).isdigit() for v in given):
            found.index["name"] = i
    has_member = "code" in found.index or "municipality" in found.index
    has_project = "number" in found.index or "name" in found.index
    return found if has_member and has_project else None


def _mostly(values: list[str], test: Callable[[str], bool]) -> bool:
    """Whether four in five of ``values`` pass ``test``: asked no further than the fifth that fails."""
    allowed = len(values) - 0.8 * len(values)
    failed = 0
    for value in values:
        if not test(value):
            failed += 1
            if failed > allowed:
                return False
    return True


def _names_municipalities(row: Row, registry: Registry) -> bool:
    """A wide table's header: two cells or more that are municipalities."""
    return sum(1 for c in row.filled if registry.is_municipality_name(c.text) or _code(c.text)) >= 2


def _proved(columns: _Columns, body: list[Row], registry: Registry) -> bool:
    """The municipality column holds municipalities, and a project or a municipality repeats."""
    code, name = columns.index.get("code"), columns.index.get("municipality")
    members = [(_text(r, code), _text(r, name)) for r in body]
    given = [(c, n) for c, n in members if c or n]
    if any(separator in n for _, n in given for separator in "、,，・"):  # several in a cell: not one per row
        return False
    resolved = sum(1 for c, n in given if (c and _code(c)) or (n and registry.is_municipality_name(n)))
    if not given or resolved < 0.8 * len(given):
        return False
    keys = [_text(r, columns.index.get("number")) + "\t" + _text(r, columns.index.get("name")) for r in body]
    return len(set(keys)) < len(keys) or len(set(given)) < len(given)


def _meta(rows: list[Row]) -> dict[str, str]:
    for row in rows:
        if row.filled and _text(row, 0) == LINKS_MARKER:
            fields: dict[str, str] = {}
            for line in (line for cell in row.filled[1:] for line in cell.text.splitlines()):
                name, separator, value = line.partition("：")
                if separator:
                    fields.setdefault(name.strip(), value.strip())
            return fields
    return {}


def _gather(
    columns: _Columns, body: list[Row], registry: Registry, findings: list[Finding]
) -> tuple[dict[str, _Member], dict[str, _Project]]:
    index = columns.index
    members: dict[str, _Member] = {}
    projects: dict[str, _Project] = {}
    for row in body:
        number, name = _text(row, index.get("number")), _text(row, index.get("name"))
        if not number and not name:
            continue
        project = projects.get(number or name)
        if project is None:
            pillar, heading, description = (_text(row, index.get(k)) for k in ("pillar", "field", "description"))
            project = projects[number or name] = _Project(number, name, pillar, heading, description, row)
        member = _member(row, index, registry, findings)
        role = _text(row, index.get("role"))
        if member is None or (index.get("role") is not None and role in _NONE):
            continue
        members.setdefault(member.label, _Member(member.label, member.code, len(members)))
        cell = row.cell(index.get("code", index.get("municipality", 0)))
        where = cell.location if cell is not None else row.location
        mark = "◎" if role.startswith(_LEAD) else "○"
        if role and mark == "○" and not role.startswith(_MEMBER):
            role_cell = row.cell(index["role"]) if "role" in index else None
            at = role_cell.location if role_cell is not None else where
            findings.append(Finding(Severity.WARNING, "long-role-unknown", {"role": role[:20]}, at))
        project.marks[member.label] = (mark, where)
    return members, projects


def _member(row: Row, index: dict[str, int], registry: Registry, findings: list[Finding]) -> _Member | None:
    code_text, name = _text(row, index.get("code")), _text(row, index.get("municipality"))
    code = _code(code_text) if code_text else None
    entry = registry.by_code(code) if code else None
    if entry is not None:
        if name and entry.code not in {e.code for e in registry.candidates(name)}:
            cell = row.cell(index["municipality"])
            where = cell.location if cell is not None else row.location
            params: dict[str, object] = {"code": entry.code, "official": entry.name, "name": name}
            findings.append(Finding(Severity.WARNING, "long-code-name-differ", params, where))
        return _Member(entry.code, entry.code, 0)
    if name:
        return _Member(name, None, 0)
    return _Member(code_text, None, 0) if code_text else None


def _ordered(members: dict[str, _Member], order: str | None, registry: Registry) -> list[str]:
    """The columns: in the order renkei's export names them, else by code (the national order; a name by the
    code it resolves to in the prefecture the names share), those without a code after them as they came."""
    labels = list(members)
    if order:
        given = [label for label in order.split(",") if label in members]
        return given + [label for label in labels if label not in given]
    prefecture = registry.common_prefecture(m.label for m in members.values() if not m.code)
    codes = {}
    for m in members.values():
        entry = registry.resolve(m.label, prefecture).entry if m.code is None else None
        codes[m.label] = m.code or (entry.code if entry is not None else None)
    coded = sorted((code, label) for label, code in codes.items() if code)
    return [label for _, label in coded] + [label for label, code in codes.items() if not code]


def _wide(columns: _Columns, fields: dict[str, str], members: list[str], projects: dict[str, _Project]) -> list[Row]:
    header_where = columns.header.location
    rows: list[Row] = []
    if fields:
        meta = [MARKER, *(f"{k}：{v}" for k, v in fields.items() if k != ORDER)]
        rows.append(_row(meta, header_where))
    if any(mark == "◎" for p in projects.values() for mark, _ in p.marks.values()):
        rows.append(_row([LEGEND], header_where))
    heads = ["番号", "柱", "分野", "事業名", "事業内容", *members]
    rows.append(_row(heads, header_where))
    for project in projects.values():
        cells = [project.number, project.pillar, project.field_title, project.name, project.description]
        where = project.row.location
        kinds = ("number", "pillar", "field", "name", "description")
        row_cells = [
            Cell(text, _at(project.row, columns.index.get(k)) or where) for k, text in zip(kinds, cells, strict=True)
        ]
        for label in members:
            mark, at = project.marks.get(label, ("", where))
            row_cells.append(Cell(mark, at))
        rows.append(Row(tuple(row_cells), where))
    return rows


def _at(row: Row, index: int | None) -> Location | None:
    cell = row.cell(index) if index is not None else None
    return cell.location if cell is not None else None


def _row(texts: list[str], where: Location) -> Row:
    return Row(tuple(Cell(t, where) for t in texts), where)
