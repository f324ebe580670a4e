"""renkei's data package read back (``render/datapackage.py`` writes it): a zip or a folder holding
``datapackage.json`` and the tidy CSVs, to the very table it was written from, declared figures included.

The CSVs decide the table (a data user may edit them); ``datapackage.json`` gives the sphere, the edition and
what a CSV cell cannot say (the headings' labels, the legend, the document's column labels). A code that a
spreadsheet turned into a number (014524 saved as 14524) is restored where the zero-padded code passes its
check digit and names the same municipality, with a ``code-recovered`` info; any other bad cell is a read
error naming the file, the line and the column. ``budgets.csv``, ``kpis.csv`` and ``kpi_results.csv`` give the
projects' budgets and KPIs back as declared (a package written before them has none, and reads as it did); a
figure the record's rules refuse (a year outside 1989–2100, a negative amount) is a read error too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import typing
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from renkei.ingest.decode import decode
from renkei.ingest.errors import TableReadError
from renkei.ingest.reading import Reading, Source
from renkei.ingest.zipped import ZIP_ERRORS
from renkei.places.municipalities import Registry, is_valid_code
from renkei.vision.model import Finding, Location, Severity, Vision
from renkei.vision.ownformat import QUOTE, unneutralise
from renkei.vision.record import FIELDS, Records
from renkei.vision.serialize import vision_from_dict

DESCRIPTOR = "datapackage.json"
FORMAT = "renkei.datapackage/1"
NEUTRALISED = "'"  # the mark of a package whose CSVs' text cells were written neutral
_ROLES = {"連携": "member", "主体": "lead"}
_FILES = ("projects", "participation", "municipalities", "totals")
_YEARLY = ("budgets", "kpis", "kpi_results")  # optional: a package written before them has none


def read_datapackage(data: bytes, name: str, *, registry: Registry | None = None) -> Reading:
    """A zipped data package to a ``Reading``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {n: archive.read(n) for n in archive.namelist() if n == DESCRIPTOR or n.endswith(".csv")}
    except ZIP_ERRORS as error:
        raise TableReadError("datapackage-invalid", file=name, reason=f"{type(error).__name__}: {error}") from None
    return _reading(files, name, data, registry or Registry.default())


def read_datapackage_dir(path: Path, *, registry: Registry | None = None) -> Reading:
    """A data package unpacked in a folder to a ``Reading``."""
    files = {p.name: p.read_bytes() for p in path.iterdir() if p.name == DESCRIPTOR or p.suffix == ".csv"}
    digest_of = b"".join(files[n] for n in sorted(files))
    return _reading(files, path.name, digest_of, registry or Registry.default())


def _reading(files: dict[str, bytes], name: str, data: bytes, registry: Registry) -> Reading:
    package = _descriptor(files, name)
    facts = package.get("renkei")
    if not isinstance(facts, dict) or facts.get("format") != FORMAT:
        raise TableReadError("datapackage-not-renkei", file=name)
    findings: list[Finding] = []
    tables = {key: _rows(files, key, package, name) for key in _FILES}
    tables |= {key: _rows(files, key, package, name, optional=True) for key in _YEARLY}
    try:
        shaped, central = _as_dict(facts, tables, registry, findings)
        vision = vision_from_dict(shaped)
    except (KeyError, TypeError, ValueError) as error:
        raise TableReadError("datapackage-invalid", file=name, reason=f"{type(error).__name__}: {error}") from None
    _ruled(vision)
    source = Source(name, "datapackage", hashlib.sha256(data).hexdigest(), len(data), "utf-8")
    return Reading(_checked(vision, central), source, findings)


def _ruled(vision: Vision) -> None:
    """The budgets and KPIs (read by their records' types) checked by their fields' rules (a year within the
    range, one amount per year and town, an indicator's name): the first fault refuses the package."""
    for p in vision.projects:
        for name in ("budgets", "kpis"):
            kind = FIELDS[name].kind
            assert isinstance(kind, Records)
            problems = kind.rules(name, getattr(p, name))
            if problems:
                where, problem = next(iter(problems.items()))
                reason = f"事業 {p.number}: {where}: {problem.code}"
                raise TableReadError("datapackage-invalid", file=f"{name}.csv", reason=reason)


def _checked(vision: Vision, central: set[str]) -> Vision:
    for m in vision.municipalities:
        m.central = m.name in central
    names = {m.name for m in vision.municipalities}
    for p in vision.projects:
        unknown = [n for n in p.participants if n not in names]
        if unknown:
            raise TableReadError("datapackage-invalid", file="participation.csv", reason=f"{p.number}: {unknown[0]}")
    return vision


def _descriptor(files: dict[str, bytes], name: str) -> dict[str, Any]:
    if DESCRIPTOR not in files:
        raise TableReadError("datapackage-invalid", file=name, reason=f"no {DESCRIPTOR}")
    try:
        package = json.loads(files[DESCRIPTOR].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TableReadError("datapackage-invalid", file=DESCRIPTOR, reason=str(error)) from None
    if not isinstance(package, dict):
        raise TableReadError("datapackage-invalid", file=DESCRIPTOR, reason="not an object")
    return package


def _rows(
    files: dict[str, bytes], key: str, package: dict[str, Any], name: str, *, optional: bool = False
) -> list[dict[str, str]]:
    """A resource's rows by its header (a spreadsheet may have re-saved it: BOM, CP932, CRLF)."""
    paths = {r.get("name"): r.get("path") for r in package.get("resources", []) if isinstance(r, dict)}
    path = str(paths.get(key) or f"{key}.csv")
    if path not in files and optional and key not in paths:
        return []
    if path not in files:
        raise TableReadError("datapackage-invalid", file=name, reason=f"no {path}")
    text = decode(files[path], None).text
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        return []
    # Written neutral (a leading apostrophe before = + - @, a tab or a CR): taken away again, so names read exactly.
    neutral = package.get("renkei", {}).get("neutralised") == NEUTRALISED
    # Each cell by its column's header, as csv.DictReader gives it (a blank line skipped, a short row's missing
    # cells empty, a cell beyond the header dropped); a description keeps its spaces, every other cell is stripped.
    # Column by column (a national import reads some 200,000 budget rows): each column's cells made plain at once.
    width = len(header)
    kept = [r if len(r) == width else (r + [""] * (width - len(r)))[:width] for r in rows if r]
    columns = [(i, k.strip(), k == "事業内容") for i, k in enumerate(header) if k]
    if not columns:
        return [{} for _ in kept]
    cells = list(zip(*kept, strict=True)) if kept else [() for _ in header]
    values = []
    for i, _, whole in columns:
        column: Sequence[str] = cells[i] if whole else [c.strip() for c in cells[i]]
        values.append([unneutralise(c) if c[:1] == QUOTE else c for c in column] if neutral else column)
    keys = [unneutralise(key) if neutral and key[:1] == QUOTE else key for _, key, _ in columns]
    return [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)]


def _int(text: str) -> int | None:
    return int(text) if text.strip().lstrip("-").isdigit() else None


def _code(text: str, name: str, registry: Registry, where: Location, findings: list[Finding]) -> str | None:
    """The code as written, or restored where a spreadsheet dropped its leading zero (14524 → 014524)."""
    text = text.strip()
    if not text:
        return None
    if text.endswith(".0"):  # a spreadsheet's number written back as a float
        text = text[:-2]
    if len(text) < 6 and text.isdigit():
        padded = text.zfill(6)
        entry = registry.by_code(padded) if is_valid_code(padded) else None
        if entry is not None and entry.name == name:
            params: dict[str, object] = {"code": text, "fixed": padded, "name": name}
            findings.append(Finding(Severity.INFO, "code-recovered", params, where))
            return padded
    return text


def _as_dict(
    facts: dict[str, Any], tables: dict[str, list[dict[str, str]]], registry: Registry, findings: list[Finding]
) -> tuple[dict[str, Any], set[str]]:
    """The CSVs and the facts in the vocabulary of ``renkei.vision.serialize``, and the central cities' columns."""
    municipalities, declared = [], {}
    for line, row in enumerate(tables["municipalities"], start=2):
        where = Location(line=line, sheet="municipalities.csv")
        code = _code(row.get("団体コード", ""), row["市町村名"], registry, where, findings)
        label = row.get("表記") or row["市町村名"]
        municipalities.append(
            {"name": row["市町村名"], "code": code, "prefecture": row.get("都道府県") or None, "label": label}
        )
        declared[row["市町村名"]] = _int(row.get("連携事業数計（記載値）", ""))
    central = {row["市町村名"] for row in tables["municipalities"] if row.get("中心市") == "true"}
    links: dict[int, dict[str, str]] = {}
    for line, row in enumerate(tables["participation"], start=2):
        number = _int(row["順"])
        if number is None or row.get("役割") not in _ROLES:
            raise TableReadError("datapackage-invalid", file="participation.csv", reason=f"line {line}")
        where = Location(line=line, sheet="participation.csv")
        _code(row.get("団体コード", ""), row["市町村名"], registry, where, findings)
        links.setdefault(number, {})[row["市町村名"]] = _ROLES[row["役割"]]
    columns = [m["name"] for m in municipalities]
    projects = []
    orders: set[int] = set()
    for line, row in enumerate(tables["projects"], start=2):
        number, order = _int(row["番号"]), _int(row["順"])
        if number is None or order is None or order in orders:
            raise TableReadError("datapackage-invalid", file="projects.csv", reason=f"line {line}: 順, 番号")
        orders.add(order)
        roles = links.get(order, {})
        fixed = {
            "順",
            "番号",
            "番号（記載）",
            "柱",
            "分野",
            "事業名",
            "事業内容",
            "連携町数（記載値）",
            "連携町数（計算値）",
        }
        projects.append(
            {
                "number": number,
                "number_label": row.get("番号（記載）", ""),
                "name": row["事業名"],
                "description": row.get("事業内容", ""),
                "pillar": row.get("柱") or None,
                "field": row.get("分野") or None,
                "participants": [n for n in columns if n in roles],
                "roles": roles,
                "declared_count": _int(row.get("連携町数（記載値）", "")),
                "attributes": {k: v for k, v in row.items() if k not in fixed and v},
            }
        )
    _yearly(tables, projects, orders)
    orphans = sorted(set(links) - orders)
    if orphans:  # a link to no project would be lost: refused, never dropped
        raise TableReadError("datapackage-invalid", file="participation.csv", reason=f"順 {orphans[0]}: no project")
    grand = tables["totals"][0].get("総計（記載値）", "") if tables["totals"] else ""
    data = {
        "sphere": facts.get("sphere") or {},
        "municipalities": municipalities,
        "headings": facts.get("headings") or {},
        "projects": projects,
        "totals": {"declared": declared, "declared_grand_total": _int(grand)},
        "legend": facts.get("legend") or {},
        "labels": facts.get("labels") or {},
        "edition": facts.get("edition") or {},
        "plan_period": facts.get("plan_period"),
    }
    return data, central


def _number(text: str, file: str, line: int, column: str, *, required: bool = False) -> int | float | None:
    """A figure of a CSV cell: an integer where written as one, else a float; blank is None (or an error)."""
    text = text.strip()
    if not text and not required:
        return None
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        raise TableReadError("datapackage-invalid", file=file, reason=f"line {line}: {column} {text!r}") from None


def _year(text: str, file: str, line: int, column: str, *, required: bool = False) -> int | None:
    value = _number(text, file, line, column, required=required)
    if value is not None and not isinstance(value, int):
        raise TableReadError("datapackage-invalid", file=file, reason=f"line {line}: {column} {text!r}")
    return value


def _project_at(row: dict[str, str], file: str, line: int, orders: set[int]) -> int:
    order = _int(row.get("順", ""))
    if order is None or order not in orders:  # a figure of no project would be lost: refused, never dropped
        raise TableReadError("datapackage-invalid", file=file, reason=f"line {line}: 順 {row.get('順')!r}: no project")
    return order


def _yearly(tables: dict[str, list[dict[str, str]]], projects: list[dict[str, Any]], orders: set[int]) -> None:
    """The budgets, the KPIs and their results put back on their projects (``projects`` as projects.csv lists
    them); their records' rules are checked once they are read (``_ruled``)."""
    at = dict(zip(_orders(tables["projects"]), projects, strict=True))
    for p in projects:
        p["budgets"], p["kpis"] = [], []
    file = "budgets.csv"
    for line, row in enumerate(tables["budgets"], start=2):
        order = _project_at(row, file, line, orders)
        at[order]["budgets"].append(
            {
                "fiscal_year": _year(row.get("年度", ""), file, line, "年度"),
                "amount": _number(row.get("事業費", ""), file, line, "事業費", required=True),
                "unit": row.get("単位", ""),
                "town": row.get("市町村名", ""),
            }
        )
    kpis: dict[tuple[int, int], dict[str, Any]] = {}
    file = "kpis.csv"
    for line, row in enumerate(tables["kpis"], start=2):
        order = _project_at(row, file, line, orders)
        index = _year(row.get("指標番号", ""), file, line, "指標番号", required=True)
        if index is None or (order, index) in kpis:
            raise TableReadError("datapackage-invalid", file=file, reason=f"line {line}: 順, 指標番号")
        kpi: dict[str, Any] = {
            "name": row.get("指標名", ""),
            "unit": row.get("単位", ""),
            "baseline": _float(_number(row.get("基準値", ""), file, line, "基準値")),
            "baseline_year": _year(row.get("基準年度", ""), file, line, "基準年度"),
            "target": _float(_number(row.get("目標値", ""), file, line, "目標値")),
            "target_year": _year(row.get("目標年度", ""), file, line, "目標年度"),
            "results": [],
        }
        kpis[(order, index)] = kpi
        at[order]["kpis"].append(kpi)
    file = "kpi_results.csv"
    for line, row in enumerate(tables["kpi_results"], start=2):
        order = _project_at(row, file, line, orders)
        index = _year(row.get("指標番号", ""), file, line, "指標番号", required=True)
        if (order, index) not in kpis:
            raise TableReadError("datapackage-invalid", file=file, reason=f"line {line}: 指標番号 {index}: no KPI")
        kpis[(order, typing.cast(int, index))]["results"].append(
            {
                "fiscal_year": _year(row.get("年度", ""), file, line, "年度", required=True),
                "value": _float(_number(row.get("実績", ""), file, line, "実績")),
                "town": row.get("市町村名", ""),
            }
        )


def _orders(rows: list[dict[str, str]]) -> list[int]:
    return [typing.cast(int, _int(r["順"])) for r in rows]


def _float(value: int | float | None) -> float | None:
    return None if value is None else float(value)
