"""The long form: one row per participation (project × municipality), as open data and renkei's ``csv-long``
export write it, read by turning it into the wide table the layout reader reads.

Its columns are found by their headings (事業番号/番号/No, 事業名/取組名, 市町村名, 市町村コード/団体コード/
全国地方公共団体コード, 役割/区分, 柱/基本方針, 分野/政策分野) and then proved by structure: the municipality column's
cells resolve to municipalities, and a project or a municipality repeats down the rows. A wide table, whose
header names municipalities, is never taken for a long one. A code decides a municipality before its name;
a name that the code contradicts is a warning. Municipalities keep the order renkei's export gives them
(its ``列順`` field), else the national code order.

Money on a participation's row is read too: a column whose heading names a share (負担額, 負担金) holds the
town's share, one that names the project's amount (事業費, 予算額) the project's, the same on each of its rows;
their year is the heading's (負担額（千円）令和6年度) or the row's under a 年度 column. They become the wide
table's figure columns in the grammar the layout reader reads (加西市負担（千円）令和6年度), each cell still
located in the long form.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from renkei.ingest.figures import fiscal_year, is_amount_heading, norm, unit_of
from renkei.ingest.grid import Cell, Row
from renkei.places.municipalities import Registry, check_digit, is_valid_code
from renkei.vision.figurecolumns import year_label
from renkei.vision.guidelines import is_pillar_title
from renkei.vision.model import Finding, Location, Severity
from renkei.vision.ownformat import LINKS_MARKER, MARKER, NAME

ORDER = "列順"  # the metadata field of renkei's export that keeps the table's column order
LEGEND = "◎：主体となって実施　○：連携して実施"

_HEADINGS: dict[str, tuple[str, ...]] = {
    "code": ("全国地方公共団体コード", "地方公共団体コード", "市町村コード", "団体コード", "自治体コード", "コード"),
    # Not 参加市町村 or 連携市町村: those head the participants written in one cell (「A市、B町」).
    "municipality": ("市町村名", "団体名", "自治体名", "市区町村名", "市町村", "地方公共団体名", "構成市町村名"),
    "number": ("事業番号", "取組番号", "番号", "項番", "no", "no.", "№"),
    "name": ("事業名", "取組名", "事業の名称", "取組の名称", "具体的取組", "取組項目", "事業"),
    "role": ("役割", "区分", "参加区分", "連携区分", "参加"),
    "pillar": ("柱", "政策の柱", "取組の柱", "基本方針"),
    "field": ("分野", "政策分野", "取組分野", "施策分野", "連携分野", "事業分野"),
    "description": ("事業内容", "事業概要", "概要", "取組内容", "取組の内容"),
    # The sphere's name on every row (open data repeats it): the table's title where the rows give one name.
    "sphere": ("圏域名", "圏域", "圏域の名称", "定住自立圏名", "連携中枢都市圏名", "広域連携名"),
}
_LEAD = ("◎", "●", "主体", "中心", "幹事", "主", "代表", "主導")
# Roles that take part as a member; a role in other words is read so too, and said (``long-role-unknown``).
_MEMBER = ("○", "〇", "◯", "参加", "連携", "実施", "協力", "構成", "関係")
_FLAG = "1"  # open data's flag of taking part under a role's heading (参加: 1/0); a number elsewhere, never a role
_NONE = ("", "0", "×", "-", "－", "―", "不参加", "なし")
_SEARCHED = 6  # rows looked at for the header: the notice row, a title and a blank line may come first
# The year of the amounts on a row, where their headings name none (年度: 令和6年度).
_YEAR_HEADINGS = ("年度", "会計年度", "予算年度", "対象年度", "実施年度")


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass
class _Columns:
    header: Row
    index: dict[str, int] = field(default_factory=dict)
    headings: list[int] = field(default_factory=list)  # every column headed as a pillar's or a field's


def _columns(row: Row) -> _Columns | None:
    found = _Columns(row)
    for i, cell in enumerate(row.cells):
        text = _key(cell.text)
        for kind, words in _HEADINGS.items():
            if kind in ("pillar", "field") and text in words:
                found.headings.append(i)
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


@dataclass(frozen=True)
class _Money:
    """A column of amounts on the participations' rows: a town's share (負担額) or the project's amount (事業費)."""

    index: int
    share: bool
    unit: str | None
    year: int | None  # the heading's own year; None where the row's 年度 (or no year: the whole plan) gives it
    heading: str


@dataclass
class _Project:
    number: str
    name: str
    pillar: str
    field_title: str
    description: str
    row: Row
    marks: dict[str, tuple[str, Location]] = field(default_factory=dict)
    # (column, town label or "" for the project's own amount, year) → the amount as written and its cell
    amounts: dict[tuple[_Money, str, int | None], Cell] = field(default_factory=dict)
    differing: set[tuple[_Money, str, int | None]] = field(default_factory=set)  # two amounts: neither kept


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
    _towns_codes(columns, body)
    _pillar_and_field(columns, body)
    if told:
        heads = "、".join(f"{columns.header.cells[columns.index[k]].text.strip()}→{_KIND_WORDS[k]}" for k in told)
        findings.append(Finding(Severity.INFO, "long-columns-inferred", {"columns": heads}, columns.header.location))
    used = set(columns.index.values())
    money = _money(columns.header, used)
    year_at = _year_column(columns.header, used) if money else None
    used |= {m.index for m in money} | ({year_at[0]} if year_at is not None else set())
    skipped = [c.text.strip() for i, c in enumerate(columns.header.cells) if c.text.strip() and i not in used]
    if skipped:  # 出典, 備考: what the long form's participation does not hold, said rather than dropped
        findings.append(
            Finding(Severity.INFO, "long-columns-skipped", {"columns": "、".join(skipped)}, columns.header.location)
        )
    payers: dict[str, _Member] = {}  # every town a row names, taking part or not: an amount may be its share
    members, projects = _gather(columns, body, registry, findings, money, year_at, payers)
    ordered = _ordered(members, fields.get(ORDER), registry)
    wide = _wide(columns, fields, ordered, projects, _town_names(payers, registry))
    names = {_text(r, columns.index["sphere"]) for r in body} - {""} if "sphere" in columns.index else set()
    if len(names) == 1 and NAME not in fields:  # the sphere the rows name, as a title above the table
        wide.insert(1 if fields else 0, _row([names.pop()], columns.header.location))
    return wide, findings


def _towns_codes(columns: _Columns, body: list[Row]) -> None:
    """The column of the towns' codes. Open data's recommended layout opens every row with the code of the
    municipality that publishes the file (全国地方公共団体コード: one code throughout), and gives the towns' own
    in another (構成市町村コード): a code column whose code is the same on every row while another's, or the
    names, vary names the publisher, not the towns, and is left to the columns skipped (said)."""
    current = columns.index.get("code")
    if current is None:
        return

    def varies(index: int) -> bool:
        return len({_text(r, index) for r in body} - {""}) > 1

    if varies(current):
        return
    coded = [
        i
        for i, cell in enumerate(columns.header.cells)
        if i != current
        and "コード" in _key(cell.text)
        and varies(i)
        and _mostly([_text(r, i) for r in body], lambda v: _code(v) is not None)
    ]
    if coded:
        columns.index["code"] = coded[0]
    elif "municipality" in columns.index and varies(columns.index["municipality"]):
        del columns.index["code"]


def _money(header: Row, used: set[int]) -> list[_Money]:
    """The heading cells not otherwise read that name an amount (負担額（千円）, 事業費 令和6年度)."""
    found = []
    for i, cell in enumerate(header.cells):
        text = cell.text.strip()
        if i in used or not text or not is_amount_heading(text):
            continue
        found.append(_Money(i, "負担" in norm(text), unit_of(text), fiscal_year(text), text))
    return found


def _year_column(header: Row, used: set[int]) -> tuple[int, str] | None:
    """The column that gives each row's amounts their fiscal year (年度), and its heading."""
    return next(
        ((i, c.text.strip()) for i, c in enumerate(header.cells) if i not in used and _key(c.text) in _YEAR_HEADINGS),
        None,
    )


def _town_names(members: dict[str, _Member], registry: Registry) -> dict[str, str]:
    """Each column's municipality as a figure heading names it (加西市 of 加西市負担): its official name where its
    code resolves, else its label as written."""
    names = {}
    for label, member in members.items():
        entry = registry.by_code(member.code) if member.code else None
        names[label] = entry.name if entry is not None else label
    return names


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


def _pillar_and_field(columns: _Columns, body: list[Row]) -> None:
    """Two columns headed as fields and none as a pillar (政策分野 | 分野): the one whose titles group the other's
    (each of the other's under one of its own, fewer of them), or whose titles are the national pillars', is
    the pillar."""
    if "pillar" in columns.index or len(columns.headings) != 2:
        return
    first, second = columns.headings
    values = [(_text(row, first), _text(row, second)) for row in body]
    values = [(a, b) for a, b in values if a or b]
    if not values:
        return

    def groups(coarse: int, fine: int) -> bool:
        under: dict[str, set[str]] = {}
        for pair in values:
            under.setdefault(pair[fine], set()).add(pair[coarse])
        return len({pair[coarse] for pair in values}) < len(under) and all(len(v) == 1 for v in under.values())

    worded = [all(is_pillar_title(pair[k]) for pair in values if pair[k]) for k in (0, 1)]
    for coarse, fine in ((0, 1), (1, 0)):
        if not worded[fine] and (worded[coarse] or groups(coarse, fine)):
            columns.index["pillar"], columns.index["field"] = columns.headings[coarse], columns.headings[fine]
            return


def _gather(
    columns: _Columns,
    body: list[Row],
    registry: Registry,
    findings: list[Finding],
    money: list[_Money],
    year_at: tuple[int, str] | None,
    payers: dict[str, _Member],
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
        if member is not None and money:
            _amounts(project, row, member.label, money, year_at, findings)
            payers.setdefault(member.label, member)
        if member is None or (index.get("role") is not None and role in _NONE):
            continue
        members.setdefault(member.label, _Member(member.label, member.code, len(members)))
        cell = row.cell(index.get("code", index.get("municipality", 0)))
        where = cell.location if cell is not None else row.location
        mark = "◎" if role.startswith(_LEAD) else "○"
        if role and mark == "○" and not role.startswith(_MEMBER) and role != _FLAG:
            role_cell = row.cell(index["role"]) if "role" in index else None
            at = role_cell.location if role_cell is not None else where
            findings.append(Finding(Severity.WARNING, "long-role-unknown", {"role": role[:20]}, at))
        project.marks[member.label] = (mark, where)
    return members, projects


def _amounts(
    project: _Project,
    row: Row,
    label: str,
    money: list[_Money],
    year_at: tuple[int, str] | None,
    findings: list[Finding],
) -> None:
    """A row's amounts kept on its project: a share as the town's, the project's amount once (its rows must
    agree: one that differs is an error at its cell, never a guess between them)."""
    year: int | None = None
    year_cell = row.cell(year_at[0]) if year_at is not None else None
    if year_at is not None and year_cell is not None and year_cell.text.strip():
        year = fiscal_year(year_cell.text)
        if year is None:  # the row's amounts have no year to be read for: said at the cell, not guessed
            params: dict[str, object] = {"column": year_at[1], "value": year_cell.text.strip()[:20]}
            findings.append(Finding(Severity.WARNING, "figure-unreadable", params, year_cell.location))
            return
    for column in money:
        cell = row.cell(column.index)
        if cell is None or not cell.text.strip():
            continue
        key = (column, label if column.share else "", column.year if column.year is not None else year)
        kept = project.amounts.get(key)
        if kept is None:
            project.amounts[key] = cell
        elif norm(kept.text) != norm(cell.text):
            project.differing.add(key)
            params = {
                "column": column.heading,
                "project": project.number or project.name,
                "first": kept.text.strip()[:20],
                "value": cell.text.strip()[:20],
            }
            findings.append(Finding(Severity.ERROR, "long-amount-differs", params, cell.location))


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


def _figure_heading(column: _Money, town: str, year: int | None) -> str:
    """A wide table's heading for the amounts of one column, town and year, in the grammar ``ingest.figures``
    reads: 加西市負担（千円）令和6年度, 事業費（千円）令和6年度, 総事業費（千円）."""
    unit = f"（{column.unit}）" if column.unit else ""
    if town:
        return f"{town}負担{unit}{year_label(year) if year is not None else ''}"
    return f"事業費{unit}{year_label(year)}" if year is not None else f"総事業費{unit}"


def _wide(
    columns: _Columns,
    fields: dict[str, str],
    members: list[str],
    projects: dict[str, _Project],
    names: dict[str, str],
) -> list[Row]:
    header_where = columns.header.location
    rows: list[Row] = []
    if fields:
        meta = [MARKER, *(f"{k}：{v}" for k, v in fields.items() if k != ORDER)]
        rows.append(_row(meta, header_where))
    if any(mark == "◎" for p in projects.values() for mark, _ in p.marks.values()):
        rows.append(_row([LEGEND], header_where))
    heads = ["番号", "柱", "分野", "事業名", "事業内容", *members]
    # The amounts' columns: the project's own first, then each town's share, in the members' order, by year.
    order = {label: i for i, label in enumerate(members)}
    money = sorted(
        {key for p in projects.values() for key in p.amounts},
        key=lambda k: (bool(k[1]), order.get(k[1], -1), k[0].index, k[2] is None, k[2] or 0),
    )
    header_cells = [columns.header.cell(k[0].index) for k in money]
    figure_heads = [
        Cell(_figure_heading(k[0], names.get(k[1], k[1]), k[2]), at.location if at else header_where)
        for k, at in zip(money, header_cells, strict=True)
    ]
    # Each amount's heading stands at the long form's own heading cell, where a finding of it points.
    rows.append(Row((*_row(heads, header_where).cells, *figure_heads), header_where))
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
        for k, heading in zip(money, header_cells, strict=True):
            cell = project.amounts.get(k) if k not in project.differing else None
            row_cells.append(cell if cell is not None else Cell("", heading.location if heading else where))
        rows.append(Row(tuple(row_cells), where))
    return rows


def _at(row: Row, index: int | None) -> Location | None:
    cell = row.cell(index) if index is not None else None
    return cell.location if cell is not None else None


def _row(texts: list[str], where: Location) -> Row:
    return Row(tuple(Cell(t, where) for t in texts), where)
