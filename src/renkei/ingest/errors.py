"""The one exception of ingest: a file that cannot be read as a table at all (exit status 2)."""

from __future__ import annotations

from renkei.core.errorkinds import CodedError, Family
from renkei.vision.model import Location


class TableReadError(CodedError):
    """Raised when a file cannot be read as a table: empty, binary, undecodable, or with no header row.

    Carries a message code and parameters for the catalogue (``renkei.core.messages``) rather than a sentence, so
    that the CLI and the web app say it in the reader's language. Its kind (``renkei.core.errorkinds``): 422, exit 2.
    """

    FAMILY = Family.READ

    def __init__(self, code: str, location: Location | None = None, **params: object) -> None:
        Exception.__init__(self, code)
        self.code = code
        self.location = location
        self.params = params
