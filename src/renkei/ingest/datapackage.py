"""renkei's data package read back (``render/datapackage.py`` writes it): a zip or a folder holding
``datapackage.json`` and the tidy CSVs, to the very table it was written from, declared figures included.

The CSVs decide the table (a data user may edit them); ``datapackage.json`` gives the sphere, the edition and
what a CSV cell cannot say (the headings' labels, the legend, the document's column labels). A code that a
spreadsheet turned into a number (014524 saved as 14524) is restored where the zero-padded code passes its
check digit and names the same municipality, with a ``code-recovered`` info; any other bad cell is a read
error naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from renkei.ingest.decode import decode
from renkei.ingest.errors import TableReadError
from renkei.ingest.figures import FigureColumn, classify, era_of, norm, paired, read_figures
from renkei.ingest.grid import Cell
from renkei.ingest.reading import Reading, Source
from renkei.ingest.zipped import ZIP_ERRORS
from renkei.model import Finding, Location, Severity, Vision
from renkei.municipalities import Registry, is_valid_code
from renkei.ownformat import unneutralise
from renkei.record import FIELDS
from renkei.serialize import vision_from_dict

DESCRIPTOR = "datapackage.json"
FORMAT = "renkei.datapackage/1"
NEUTRALISED = "'"  # the mark of a package whose CSVs' text cells were written neutral
_ROLES = {"連携": "member", "主体": "lead"}
_FILES = ("projects", "participation", "municipalities", "totals")


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
    try:
        shaped, central = _as_dict(facts, tables, registry, findings)
        vision = vision_from_dict(shaped)
    except (KeyError, TypeError, ValueError) as error:
        raise TableReadError("datapackage-invalid", file=name, reason=f"{type(error).__name__}: {error}") from None
    source = Source(name, "datapackage", hashlib.sha256(data).hexdigest(), len(data), "utf-8")
    return Reading(_checked(vision, central), source, findings)


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


def _rows(files: dict[str, bytes], key: str, package: dict[str, Any], name: str) -> list[dict[str, str]]:
    """A resource's rows by its header (a spreadsheet may have re-saved it: BOM, CP932, CRLF)."""
    paths = {r.get("name"): r.get("path") for r in package.get("resources", []) if isinstance(r, dict)}
    path = str(paths.get(key) or f"{key}.csv")
    if path not in files:
        raise TableReadError("datapackage-invalid", file=name, reason=f"no {path}")
    text = decode(files[path], None).text
    rows = list(csv.DictReader(io.StringIO(text)))
    # Written neutral (a leading apostrophe before = + - @, a tab or a CR): taken away again, so names read exactly.
    plain = unneutralise if package.get("renkei", {}).get("neutralised") == NEUTRALISED else str
    return [
        {plain(k.strip()): plain((v or "").strip() if k != "事業内容" else (v or "")) for k, v in r.items() if k}
        for r in rows
    ]


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
    """The CSVs and the facts in the vocabulary of ``renkei.serialize``, and the central cities' columns."""
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
    header = list(tables["projects"][0]) if tables["projects"] else []
    figures = _figure_columns(header, municipalities)
    projects = []
    orders: set[int] = set()
    for line, row in enumerate(tables["projects"], start=2):
        number, order = _int(row["番号"]), _int(row["順"])
        if number is None or order is None or order in orders:
            raise TableReadError("datapackage-invalid", file="projects.csv", reason=f"line {line}: 順, 番号")
        orders.add(order)
        roles = links.get(order, {})
        fixed = {"順", "番号", "柱", "分野", "事業名", "事業内容", "連携町数（記載値）", "連携町数（計算値）"}
        projects.append(
            {
                "number": number,
                "name": row["事業名"],
                "description": row.get("事業内容", ""),
                "pillar": row.get("柱") or None,
                "field": row.get("分野") or None,
                "participants": [n for n in columns if n in roles],
                "roles": roles,
                "declared_count": _int(row.get("連携町数（記載値）", "")),
                "attributes": {k: v for k, v in row.items() if k not in fixed and k not in figures and v},
                **_figures(row, number, figures, Location(line=line, sheet="projects.csv"), findings),
            }
        )
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


def _figure_columns(header: list[str], municipalities: list[dict[str, Any]]) -> dict[str, FigureColumn]:
    """The budget and KPI columns of projects.csv (renkei writes them as the wide table does: 事業費（千円）令和6年度,
    成果指標 …), told by ``ingest/figures.py`` from their headers."""
    names = {norm(str(m.get("label") or m["name"])): str(m["name"]) for m in municipalities}
    names |= {norm(str(m["name"])): str(m["name"]) for m in municipalities}
    era = era_of(header)
    found = {}
    for text in header:
        column = classify(text, None, era, lambda t: names.get(norm(t)), None)
        if column is not None:
            found[text] = column
    return paired(found)


def _figures(
    row: dict[str, str], number: int, columns: dict[str, FigureColumn], where: Location, findings: list[Finding]
) -> dict[str, Any]:
    """A project's budgets and KPIs from its row's figure cells, as the JSON of its record fields."""
    if not columns:
        return {}

    def find(severity: Severity, code: str, location: Location | None, **params: object) -> None:
        findings.append(Finding(severity, code, params, location))

    cells = [(column, Cell(row.get(text, ""), where)) for text, column in columns.items()]
    budgets, kpis = read_figures(cells, number, find)
    return {"budgets": FIELDS["budgets"].kind.json(budgets), "kpis": FIELDS["kpis"].kind.json(kpis)}
