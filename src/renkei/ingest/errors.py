"""The one exception of ingest: a file that cannot be read as a table at all (exit status 2)."""

from __future__ import annotations

from renkei.model import Location


class TableReadError(Exception):
    """Raised when a file cannot be read as a table: empty, binary, undecodable, or with no header row.

    Carries a message code and parameters for the catalogue (``renkei.messages``) rather than a sentence, so
    that the CLI and the web app say it in the reader's language.
    """

    def __init__(self, code: str, location: Location | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.location = location
        self.params = params
