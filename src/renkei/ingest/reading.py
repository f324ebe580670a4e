"""What a reader gives: the vision read, where it came from, and the findings met on the way (re-exported by
``renkei.ingest``; a module of its own so that readers in modules of their own can make one)."""

from __future__ import annotations

from dataclasses import dataclass, field

from renkei.model import Finding, Vision


@dataclass(frozen=True)
class Source:
    """What was read: file name, detected format and encoding, sheet, and the SHA-256 of the bytes."""

    name: str
    format: str
    sha256: str
    size: int
    encoding: str | None = None
    sheet: str | None = None


@dataclass
class Reading:
    vision: Vision
    source: Source
    findings: list[Finding] = field(default_factory=list)
