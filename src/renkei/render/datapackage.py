"""A vision as a Frictionless Data Package: tidy CSVs, their Table Schema and the sphere's facts, in one zip.

The package is where "nothing lost" lives for data users (docs/open-data.md): the tidy CSV download cannot
carry the sphere's identity or a fragment's declared totals in a table shape, the package can.

- ``projects.csv``: one row per project (順, its row and key; 番号, 柱, 分野, 事業名, 事業内容, the declared and
  computed 連携町数, then the document's own attribute columns);
- ``participation.csv``: one row per project and municipality taking part (the long form), with its role;
- ``municipalities.csv``: the columns in order, each with its code, name, label and the declared and computed
  連携事業数計, and the links that the missing rows must hold;
- ``totals.csv``: one row: the declared and computed grand totals and the missing project numbers;
- ``budgets.csv``: one row per 事業費 a project declares (``renkei.vision.budgetrows``): 順, 番号, 年度 (blank: the
  総事業費 of the whole plan), 市町村名 (blank: the project's whole amount; a town: its share), 事業費, 単位;
- ``kpis.csv``: one row per KPI (成果指標): 順, 番号, 指標番号 (its place among the project's KPIs), 指標名, 単位,
  基準値 and 基準年度, 目標値 and 目標年度;
- ``kpi_results.csv``: one row per 実績: 順, 番号, 指標番号, 年度, 市町村名 (blank: the whole sphere), 実績 (blank:
  listed, not measured). Declared figures only: no achievement rate or grade (``renkei.vision.grades`` computes them);
- ``datapackage.json``: the Table Schema of each (types, the code's pattern, primary and foreign keys), the
  sphere's metadata (key, name, kind, central city, revision, 適用日, source file, licence), and under ``renkei``
  what makes the package read back into the very table (headings, legend, labels);
- ``README.md``: a short description in Japanese.

``ingest.datapackage`` reads it back. The bytes are deterministic (fixed zip times), so a package is cacheable.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from renkei.render.base import Renderer, register
from renkei.render.neutral import neutral
from renkei.vision.budgetrows import budget_rows, kpi_rows, result_rows
from renkei.vision.model import BudgetUnit, Role, Vision, iter_links
from renkei.vision.serialize import vision_to_dict
from renkei.vision.table import format_ranges, table_view

FORMAT = "renkei.datapackage/1"
# The CSVs' text cells are written neutral: a reader takes the leading apostrophe away (``ingest.datapackage``).
NEUTRALISED = "'"
ROLE_NAMES = {Role.MEMBER: "連携", Role.LEAD: "主体"}
CODE_PATTERN = "^[0-9]{6}$"
CODE_DESCRIPTION = (
    "全国地方公共団体コード（6桁）。5桁 d1..d5 の検査数字は 11 − ((6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) の"
    "下1桁。表計算ソフトで先頭の0が落ちた場合（14524）は、renkei が名前と検査数字で確かめて 014524 に戻します。"
)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Licence:
    """The licence the data are published under (the data are public records; CC BY 4.0 is the usual
    licence of Japanese open data, per the government's standard terms of use)."""

    name: str = "CC-BY-4.0"
    title: str = "クリエイティブ・コモンズ 表示 4.0 国際"
    path: str = "https://creativecommons.org/licenses/by/4.0/"


CC_BY = Licence()

PROJECTS, PARTICIPATION, MUNICIPALITIES, TOTALS = "projects", "participation", "municipalities", "totals"
P_ORDER, P_NUMBER, P_PILLAR, P_FIELD, P_NAME, P_DESCRIPTION = "順", "番号", "柱", "分野", "事業名", "事業内容"
P_DECLARED, P_COUNT = "連携町数（記載値）", "連携町数（計算値）"
P_LABEL = "番号（記載）"  # the number as written where it is a path (1-1): a column only where a project has one
M_ORDER, M_CODE, M_NAME, M_LABEL, M_PREFECTURE, M_CENTRAL = "列", "団体コード", "市町村名", "表記", "都道府県", "中心市"
M_DECLARED, M_PRESENT, M_MISSING = "連携事業数計（記載値）", "連携事業数計（計算値）", "欠けた行の参加"
L_ROLE = "役割"
T_DECLARED, T_PRESENT, T_MISSING, T_MISSING_COUNT = "総計（記載値）", "総計（計算値）", "欠けた事業番号", "欠けた事業数"
BUDGETS, KPIS, RESULTS = "budgets", "kpis", "kpi_results"
B_YEAR, B_AMOUNT, B_UNIT = "年度", "事業費", "単位"
K_INDEX, K_NAME, K_UNIT, K_BASELINE, K_BASELINE_YEAR = "指標番号", "指標名", "単位", "基準値", "基準年度"
K_TARGET, K_TARGET_YEAR, R_VALUE = "目標値", "目標年度", "実績"
YEAR_DESCRIPTION = "年度（その年度が始まる西暦年: 令和7年度 = 2025）"
YEARS = {"minimum": 1989, "maximum": 2100}


def _field(name: str, kind: str, description: str = "", **constraints: object) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "type": kind}
    if description:
        spec["description"] = description
    if constraints:
        spec["constraints"] = constraints
    return spec


def _code(**constraints: object) -> dict[str, Any]:
    return _field(M_CODE, "string", CODE_DESCRIPTION, pattern=CODE_PATTERN, **constraints)


def _figure(value: int | None) -> str:
    return "" if value is None else str(value)


def _csv(fields: list[dict[str, Any]], rows: list[list[object]]) -> bytes:
    """A resource's CSV: every cell of a text column neutral (``render.neutral``: a leading apostrophe where a
    spreadsheet would run it as a formula), the numbers and booleans as they are, so the typed schema still holds
    (-3 is a number, not a formula); ``ingest.datapackage`` takes the apostrophe away. The header is the fields'
    names, made neutral where they are built (a document's column label, a sphere's name)."""
    text = [f["type"] == "string" for f in fields]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([neutral(c) if is_text else c for c, is_text in zip(row, text, strict=False)] for row in rows[1:])
    return out.getvalue().encode("utf-8")


def tables(vision: Vision) -> dict[str, tuple[list[dict[str, Any]], list[list[object]]]]:
    """Each resource's fields and rows (header first)."""
    attributes = vision.attribute_names()
    project_fields = [
        _field(P_ORDER, "integer", "表の行の順（1から）: 番号が重なっても事業を一意に指す", required=True, unique=True),
        _field(P_NUMBER, "integer", "事業番号（文書の番号）", required=True),
        _field(P_PILLAR, "string", "政策分野（柱）の見出し"),
        _field(P_FIELD, "string", "分野の見出し"),
        _field(P_NAME, "string", f"事業名（文書の見出し: {vision.labels.name}）", required=True),
        _field(P_DESCRIPTION, "string", f"事業内容（文書の見出し: {vision.labels.description}）"),
        _field(P_DECLARED, "integer", "文書が記載した連携町数（空欄は記載なし）", minimum=0),
        _field(P_COUNT, "integer", "○の数から renkei が数えた連携町数", minimum=0),
        *(_field(str(neutral(a)), "string", "文書の列") for a in attributes),
    ]
    labelled = any(p.number_label for p in vision.projects)
    if labelled:
        project_fields.insert(2, _field(P_LABEL, "string", "文書が書いた番号（1-1 のような枝番号。番号は表の順）"))
    projects: list[list[object]] = [[f["name"] for f in project_fields]]
    view = table_view(vision)
    texts = view.select("pillar", "field", "name", "description")
    extras = view.select("attribute")
    for order, row in enumerate(view.project_rows, start=1):
        count, text = row.count, [row.value(c, at) for c, at in texts]
        extra = [row.value(c, at) for c, at in extras]
        label = [row.project.number_label] if labelled else []
        projects.append([order, row.project.number, *label, *text, _figure(count.declared), count.computed, *extra])
    link_fields = [
        _field(P_ORDER, "integer", "projects.csv の順", required=True),
        _field(P_NUMBER, "integer", "事業番号", required=True),
        _code(),
        _field(M_NAME, "string", "市町村名（正式名）", required=True),
        _field(L_ROLE, "string", "連携（○）または主体（◎）", required=True, enum=list(ROLE_NAMES.values())),
    ]
    links: list[list[object]] = [[f["name"] for f in link_fields]]
    rank = {id(p): i for i, p in enumerate(vision.projects, start=1)}
    links += [[rank[id(p)], p.number, m.code or "", m.name, ROLE_NAMES[role]] for p, m, role in iter_links(vision)]
    town_fields = [
        _field(M_ORDER, "integer", "表の列の順（1から）", required=True, unique=True),
        _code(),
        _field(M_NAME, "string", "市町村名（正式名）", required=True, unique=True),
        _field(M_LABEL, "string", "文書の見出しの表記"),
        _field(M_PREFECTURE, "string", "都道府県"),
        {**_field(M_CENTRAL, "boolean", "中心市の列か"), "trueValues": ["true"], "falseValues": ["false"]},
        _field(M_DECLARED, "integer", "文書が記載した連携事業数計（空欄は記載なし）", minimum=0),
        _field(M_PRESENT, "integer", "○の数から renkei が数えた参加事業数", minimum=0),
        _field(M_MISSING, "integer", "表の一部のとき、欠けた行にあるはずの参加数（記載値 − 計算値）"),
    ]
    towns: list[list[object]] = [[f["name"] for f in town_fields]]
    missing = vision.in_missing_rows()
    for i, (m, total) in enumerate(zip(view.columns, view.totals, strict=True), start=1):
        town = [i, m.code or "", m.name, m.display, m.prefecture or "", "true" if m.central else "false"]
        towns.append([*town, _figure(total.declared), total.computed, _figure(missing.get(m.name))])
    total_fields = [
        _field(T_DECLARED, "integer", "文書が記載した連携事業数計の総計（空欄は記載なし）", minimum=0),
        _field(T_PRESENT, "integer", "○の総数", minimum=0),
        _field(T_MISSING, "string", "表の一部のとき、欠けた事業番号の範囲"),
        _field(T_MISSING_COUNT, "integer", "欠けた事業の数", minimum=0),
    ]
    ranges = format_ranges(vision.missing_ranges())
    totals: list[list[object]] = [[f["name"] for f in total_fields]]
    grand = view.grand_total
    totals.append([_figure(grand.declared), grand.computed, ranges, vision.missing_count()])
    return {
        PROJECTS: (project_fields, projects),
        PARTICIPATION: (link_fields, links),
        MUNICIPALITIES: (town_fields, towns),
        TOTALS: (total_fields, totals),
        **yearly_tables(vision),
    }


def _number(value: float | None) -> object:
    """A figure as written: an integer as it is, a fraction by its shortest exact text, blank for None."""
    return "" if value is None else value if isinstance(value, int) else repr(float(value))


def yearly_tables(vision: Vision) -> dict[str, tuple[list[dict[str, Any]], list[list[object]]]]:
    """The budgets, the KPIs and their results: tidy, each row one declared figure (``renkei.vision.budgetrows``)."""
    order = _field(P_ORDER, "integer", "projects.csv の順", required=True)
    number = _field(P_NUMBER, "integer", "事業番号", required=True)
    budget_fields = [
        order,
        number,
        _field(B_YEAR, "integer", f"事業費の{YEAR_DESCRIPTION}。空欄は総事業費（計画期間全体）", **YEARS),
        _field(M_NAME, "string", "その負担額の市町村（正式名、列のない中心市も）。空欄は事業全体の額"),
        _field(B_AMOUNT, "number", "事業費（記載のとおり、単位は次の列）", required=True, minimum=0),
        _field(B_UNIT, "string", "事業費の単位", required=True, enum=[u.value for u in BudgetUnit]),
    ]
    budgets: list[list[object]] = [[f["name"] for f in budget_fields]]
    budgets += [
        [b.order, b.number, _number(b.fiscal_year), b.town, _number(b.amount), b.unit] for b in budget_rows(vision)
    ]
    index = _field(K_INDEX, "integer", "その事業の成果指標の順（1から）", required=True, minimum=1)
    kpi_fields = [
        order,
        number,
        index,
        _field(K_NAME, "string", "成果指標（KPI）の名称", required=True),
        _field(K_UNIT, "string", "指標の単位"),
        _field(K_BASELINE, "number", "基準値（現状値）。空欄は記載なし"),
        _field(K_BASELINE_YEAR, "integer", f"基準値の{YEAR_DESCRIPTION}", **YEARS),
        _field(K_TARGET, "number", "目標値。空欄は記載なし"),
        _field(K_TARGET_YEAR, "integer", f"目標値の{YEAR_DESCRIPTION}", **YEARS),
    ]
    kpis: list[list[object]] = [[f["name"] for f in kpi_fields]]
    kpis += [
        [
            k.order,
            k.number,
            k.kpi,
            k.name,
            k.unit,
            *map(_number, (k.baseline, k.baseline_year, k.target, k.target_year)),
        ]
        for k in kpi_rows(vision)
    ]
    result_fields = [
        order,
        number,
        index,
        _field(B_YEAR, "integer", f"実績の{YEAR_DESCRIPTION}", required=True, **YEARS),
        _field(M_NAME, "string", "その実績の市町村（正式名）。空欄は圏域全体"),
        _field(R_VALUE, "number", "実績値。空欄は年度があって未測定"),
    ]
    results: list[list[object]] = [[f["name"] for f in result_fields]]
    results += [[r.order, r.number, r.kpi, r.fiscal_year, r.town, _number(r.value)] for r in result_rows(vision)]
    return {
        BUDGETS: (budget_fields, budgets),
        KPIS: (kpi_fields, kpis),
        RESULTS: (result_fields, results),
    }


_to_project = {"fields": [P_ORDER], "reference": {"resource": PROJECTS, "fields": [P_ORDER]}}


def _schema(name: str) -> dict[str, Any]:
    """The keys: a project by its row (番号 may repeat in a document), a town by its name, a link by both; a
    budget by its project, year and town (blank: 総事業費, the whole amount), a KPI by its project and place, a
    result by its KPI, year and town. A share's town is not keyed to municipalities.csv: the central city may
    bear a share without a column of its own."""
    keys: dict[str, dict[str, Any]] = {
        PROJECTS: {"primaryKey": [P_ORDER]},
        MUNICIPALITIES: {"primaryKey": [M_NAME]},
        PARTICIPATION: {
            "primaryKey": [P_ORDER, M_NAME],
            "foreignKeys": [
                {"fields": [P_ORDER], "reference": {"resource": PROJECTS, "fields": [P_ORDER]}},
                {"fields": [M_NAME], "reference": {"resource": MUNICIPALITIES, "fields": [M_NAME]}},
            ],
        },
        BUDGETS: {"primaryKey": [P_ORDER, B_YEAR, M_NAME], "foreignKeys": [_to_project]},
        KPIS: {"primaryKey": [P_ORDER, K_INDEX], "foreignKeys": [_to_project]},
        RESULTS: {
            "primaryKey": [P_ORDER, K_INDEX, B_YEAR, M_NAME],
            "foreignKeys": [
                {"fields": [P_ORDER, K_INDEX], "reference": {"resource": KPIS, "fields": [P_ORDER, K_INDEX]}},
            ],
        },
    }
    return keys.get(name, {})


def slug(text: str) -> str:
    """A package name as the spec allows it (lower-case ASCII letters, digits, '-', '_', '.')."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "renkei-vision"


def descriptor(vision: Vision, *, source: str | None = None, licence: Licence = CC_BY) -> dict[str, Any]:
    """The ``datapackage.json`` of a vision."""
    sphere, edition = vision.sphere, vision.edition
    revision = f" 第{edition.revision}版" if edition.revision is not None else ""
    central = sphere.central_city
    data = vision_to_dict(vision)
    facts: dict[str, Any] = {
        "format": FORMAT,
        "sphere": data["sphere"],
        "edition": data["edition"],
        "headings": data["headings"],
        "legend": data["legend"],
        "labels": data["labels"],
        "neutralised": NEUTRALISED,
        **({"plan_period": data["plan_period"]} if "plan_period" in data else {}),
    }
    resources = []
    for name, (fields, _rows) in tables(vision).items():
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, **_schema(name)},
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": slug(edition.sphere_key or "renkei-vision"),
        "title": f"{sphere.name or '連携事業一覧'}{revision}",
        "description": _description(vision),
        "keywords": ["連携事業", sphere.kind.value, *([central.name] if central else [])],
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        "renkei": facts,
        "resources": resources,
    }
    if edition.revision is not None:
        package["version"] = str(edition.revision)
    if source:
        package["sources"] = [{"title": source}]
    return package


def _description(vision: Vision) -> str:
    sphere, edition = vision.sphere, vision.edition
    central = sphere.central_city
    parts = [f"{sphere.name or '圏域名の記載なし'}（{sphere.kind.value}）の連携事業一覧"]
    if central is not None:
        parts.append(f"中心市: {central.name}（{central.code or 'コード不明'}）")
    if edition.effective_on:
        parts.append(f"適用日: {edition.effective_on}")
    if edition.excerpt:
        parts.append(f"抜粋: {edition.excerpt}")
    return "。".join(parts) + "。"


def readme(vision: Vision, package: dict[str, Any]) -> str:
    licence = package["licenses"][0]
    return "\n".join(
        [
            f"# {package['title']}",
            "",
            package["description"],
            "",
            "renkei が書き出したデータパッケージ（Frictionless Data Package）です。",
            "",
            "- `projects.csv`: 1行に1事業（順、番号、柱、分野、事業名、事業内容、連携町数の記載値と計算値）",
            "- `participation.csv`: 1行に1参加（順、事業番号、団体コード、市町村名、役割）",
            "- `municipalities.csv`: 表の列の市町村（団体コード、連携事業数計の記載値と計算値）",
            "- `totals.csv`: 総計の記載値と計算値、欠けた事業番号",
            "- `budgets.csv`: 1行に1つの事業費（順、番号、年度（空欄は総事業費）、市町村名（空欄は事業全体、"
            "市町村名はその負担額）、事業費、単位）",
            "- `kpis.csv`: 1行に1つの成果指標（順、番号、指標番号、指標名、単位、基準値と基準年度、目標値と目標年度）",
            "- `kpi_results.csv`: 1行に1つの実績（順、番号、指標番号、年度、市町村名（空欄は圏域全体）、実績）",
            "- `datapackage.json`: 各表の型とキー、圏域の情報"
            "（圏域キー、名前、種類、中心市、版、適用日、出典、ライセンス）",
            "",
            "年度は西暦で、その年度が始まる年です（令和7年度 = 2025）。事業費と成果指標は記載された値のみで、"
            "達成率や評価は含みません。",
            "",
            "「記載値」は文書に記載された数、「計算値」は○から数えた数です。団体コードは文字列として読んでください",
            "（pandas: `pd.read_csv('participation.csv', dtype={'団体コード': str})`）。",
            "",
            f"ライセンス: {licence['title']}（{licence['path']}）",
            "",
        ]
    )


def datapackage_bytes(vision: Vision, *, source: str | None = None, licence: Licence = CC_BY) -> bytes:
    """The package as a zip: the CSVs, ``datapackage.json`` and ``README.md``."""
    package = descriptor(vision, source=source, licence=licence)
    files = {f"{name}.csv": _csv(fields, rows) for name, (fields, rows) in tables(vision).items()}
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    files["README.md"] = readme(vision, package).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


register(Renderer("datapackage", "zip", "application/zip", "format.datapackage", datapackage_bytes, True))


def table_package(
    name: str,
    title: str,
    description: str,
    columns: list[tuple[str, bool]],
    rows: list[list[object]],
    *,
    licence: Licence = CC_BY,
) -> bytes:
    """A table of the registry's pages (a comparison, search hits) as a data package of one resource: its
    columns (label, numeric or not) and rows as the page shows them, with its title and licence."""
    labels = [str(neutral(label)) for label, _numeric in columns]  # a sphere's name may start with =
    if len(set(labels)) != len(labels):
        raise ValueError(f"duplicate column labels in {labels}")
    fields = [
        _field(label, "number" if numeric else "string") for label, (_, numeric) in zip(labels, columns, strict=True)
    ]
    resource = {
        "name": "table",
        "path": "table.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields},
    }
    package = {
        "profile": "tabular-data-package",
        "name": slug(name),
        "title": title,
        "description": description,
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        "resources": [resource],
    }
    cells: list[list[object]] = [list(labels), *(["" if v is None else v for v in row] for row in rows)]
    files = {
        "table.csv": _csv(fields, cells),
        "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8"),
        "README.md": f"# {title}\n\n{description}\n\nrenkei が書き出したデータパッケージです。\n".encode(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for file, content in files.items():
            archive.writestr(zipfile.ZipInfo(file, _ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()
