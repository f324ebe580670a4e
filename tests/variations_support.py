"""Building and reading the small tables of the variation tests: rows as text, the report of a reading, and
the findings a user would check (who takes part, counts, headings, codes, where a finding points)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from renkei.ingest import read_bytes
from renkei.ingest.report import Report, check_reading
from renkei.vision.model import Finding, Project, Severity, Sphere

TOWNS = ("鷹栖町", "東神楽町", "当麻町")
HEADER = ("項目", "事業内容", *TOWNS, "連携町数")


def tsv(*rows: Sequence[str]) -> bytes:
    """Tab-separated text as copied out of a PDF: one line per row."""
    return "\n".join("\t".join(row) for row in rows).encode("utf-8")


def read(data: bytes, *, sheet: str | None = None, sphere: Sphere | None = None) -> Report:
    return check_reading(read_bytes(data, "table", sheet=sheet, sphere=sphere))


def project(report: Report, number: int) -> Project:
    return next(p for p in report.reading.vision.projects if p.number == number)


def codes(report: Report, severity: Severity | None = None) -> list[str]:
    return [f.code for f in report.findings if severity is None or f.severity is severity]


def the(report: Report, code: str) -> Finding:
    """The one finding of a code."""
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(f.code, f.location) for f in report.findings]}"
    return found[0]


def errors(report: Report) -> list[str]:
    return codes(report, Severity.ERROR)


def row(number: str, name: str, marks: Sequence[str], count: str | None = None) -> tuple[str, ...]:
    """A project row with the number as the prefix of the name, as the seed's first block writes it."""
    declared = count if count is not None else str(sum(1 for m in marks if m.strip()))
    return (f"{number} {name}", f"{name}を行う。", *marks, declared)


CSV_ROWS = (
    ("上川中部定住自立圏共生ビジョン（中心市：旭川市）", "", "", "", "", ""),
    ("① 生活機能の強化", "", "", "", "", ""),
    ("項目", "事業内容", *TOWNS, "連携町数"),
    ("1 創業支援事業", "起業を支援する。\n相談窓口を置く。", "○", "○", "", "2"),
    ("2 観光振興事業", "観光を振興する。", "○", "△", "○", "2"),
    ("連携事業数計", "2", "1", "1", "4", ""),
)


def csv_bytes(delimiter: str, encoding: str, rows: Sequence[Sequence[str]] = CSV_ROWS) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
