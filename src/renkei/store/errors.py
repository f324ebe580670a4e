"""What the store refuses with: a catalogue code (``store.<code>``) and its parameters."""

from __future__ import annotations

from renkei.core.errorkinds import CodedError, Family
from renkei.vision.model import Finding, Severity


class StoreError(CodedError):
    """A request the registry cannot satisfy, with a catalogue code and parameters (``store.<code>``); its
    status and exit status are declared in ``renkei.core.errorkinds``."""

    FAMILY = Family.STORE


class ImportRefused(StoreError):
    """An import whose file has error findings: nothing was written."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("import-refused", errors=sum(1 for f in findings if f.severity is Severity.ERROR))
        self.findings = findings
