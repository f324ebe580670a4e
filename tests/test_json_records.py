"""An open-data portal's JSON: a list of flat records (an object a row), at the top or where the portal's answer keeps
it (CKAN's {"result": {"records": [...]}}, {"data": [...]}), read as the table it makes, the keys as its header
(``json-records``): the wide table (a project a record, a town's mark under its name) and the long form (a
participation a record) alike. Before, it was refused as no table (a list) or as renkei's JSON gone wrong.

The records are 鳥取県東部's and 南信州's, written here; renkei's own JSON still reads as itself."""

from __future__ import annotations

import json
from typing import Any

import pytest

from renkei.ingest import read_bytes
from renkei.ingest.report import check_reading
from renkei.render import get

INABA = ("鳥取市", "岩美町", "若桜町", "智頭町", "八頭町")
PROJECTS = [(1, "図書館の相互利用", "xxxxx"), (2, "救急医療体制の確保", "xx-x-"), (3, "広域観光の推進", "x-x-x")]


def wide() -> list[dict[str, Any]]:
    records = []
    for i, (n, name, marks) in enumerate(PROJECTS, start=1):
        towns = {t: ("○" if m == "x" else None) for t, m in zip(INABA, marks, strict=True)}
        records.append({"_id": i, "番号": n, "事業名": name, **towns, "連携市町数": marks.count("x")})
    return records


def expected() -> list[tuple[int, str, list[str]]]:
    return [(n, name, [t for t, m in zip(INABA, marks, strict=True) if m == "x"]) for n, name, marks in PROJECTS]


def reading(data: Any) -> tuple[list[tuple[int, str, list[str]]], list[str], str]:
    report = check_reading(read_bytes(json.dumps(data, ensure_ascii=False).encode("utf-8"), "records.json"))
    projects = [(p.number, p.name, list(p.participants)) for p in report.reading.vision.projects]
    errors = [f.code for f in report.findings if f.severity.value == "error"]
    return projects, errors, report.reading.source.format


@pytest.mark.parametrize("wrap", ["list", "ckan", "data"])
def test_a_portals_records_read_as_the_table(wrap: str) -> None:
    records = wide()
    data = {"list": records, "ckan": {"success": True, "result": {"records": records}}, "data": {"data": records}}[wrap]
    projects, errors, format_name = reading(data)
    assert projects == expected()
    assert errors == [] and format_name == "json-records"


def test_the_long_form_as_records() -> None:
    # 南信州: a participation a record, with its municipality's code.
    towns = {"飯田市": "202053", "松川町": "204021", "高森町": "204030", "阿南町": "204048"}
    rows = [
        (1, "救急医療体制の確保", ["飯田市", "松川町", "高森町", "阿南町"]),
        (2, "広域観光の推進", ["飯田市", "高森町"]),
    ]
    records = [
        {"事業番号": n, "事業名": name, "市町村コード": towns[t], "市町村名": t, "参加": 1}
        for n, name, taking in rows
        for t in towns
        if t in taking
    ]
    projects, errors, format_name = reading(records)
    assert projects == [(n, name, taking) for n, name, taking in rows]
    assert errors == [] and format_name.startswith("long")


def test_renkeis_own_json_reads_as_itself() -> None:
    lines = ["\t".join(("番号", "事業名", *INABA, "連携市町数"))]
    for n, name, marks in PROJECTS:
        lines.append("\t".join((str(n), name, *("○" if m == "x" else "" for m in marks), str(marks.count("x")))))
    vision = read_bytes("\n".join(lines).encode("utf-8"), "inaba.txt").vision
    report = check_reading(read_bytes(get("json").render(vision), "inaba.json"))
    assert report.reading.source.format == "json"
    assert [(p.number, p.name, list(p.participants)) for p in report.reading.vision.projects] == expected()
