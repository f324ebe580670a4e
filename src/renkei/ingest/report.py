"""A checked reading: the findings of reading and of every check together, as ``renkei check`` reports them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renkei.core.messages import DEFAULT, explain
from renkei.ingest import Reading
from renkei.vision.checks import check
from renkei.vision.model import Finding, Location, Severity
from renkei.vision.serialize import vision_to_dict

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Report:
    reading: Reading
    findings: list[Finding]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def sorted_findings(self) -> list[Finding]:
        """Errors first, then warnings, then information; in file order within each (page, then line)."""
        return sorted(self.findings, key=lambda f: (_ORDER[f.severity], _page(f), f.line or 0))

    def to_dict(self, lang: str = DEFAULT) -> dict[str, Any]:
        data = vision_to_dict(self.reading.vision)
        source = self.reading.source
        data["source"] = {
            "name": source.name,
            "format": source.format,
            "encoding": source.encoding,
            "sheet": source.sheet,
            "sha256": source.sha256,
        }
        understood = self.reading.understood
        data["understood"] = understood.to_dict() if understood is not None else None
        data["findings"] = [finding_to_dict(f, lang) for f in self.findings]
        data["summary"] = {s.value: self.count(s) for s in Severity}
        return data


def _page(finding: Finding) -> int:
    return finding.location.page or 0 if finding.location else 0


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding without words: what the store keeps, so it can be told later in any language."""
    location = finding.location
    return {
        "severity": finding.severity.value,
        "code": finding.code,
        "params": finding.params,
        "line": location.line if location else None,
        "column": location.column if location else None,
        "sheet": location.sheet if location else None,
        "cell": location.cell if location else None,
        "page": location.page if location else None,
    }


def record_location(record: Mapping[str, Any]) -> Location:
    """Where a stored finding (``finding_record``) points, as the model's location again."""
    return Location(
        line=record.get("line"),
        column=record.get("column"),
        sheet=record.get("sheet"),
        cell=record.get("cell"),
        page=record.get("page"),
    )


def finding_to_dict(finding: Finding, lang: str = DEFAULT) -> dict[str, Any]:
    """A finding as ``check --json`` gives it: its record with the message and the hint in ``lang``."""
    explained = explain(finding, lang)
    return {**finding_record(finding), "message": explained.message, "hint": explained.hint}


def check_reading(reading: Reading) -> Report:
    return Report(reading, [*reading.findings, *check(reading.vision)])
