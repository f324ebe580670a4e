"""Every error kind renkei answers with, declared once: its code, the HTTP status the web app answers with, the
exit status of the CLI, and the catalogue keys of its message and of what to do.

The exceptions that carry a code (``TableReadError``, ``StoreError`` and its kinds, ``ManifestError``,
``CountryError``, ``RenderUnavailable``) are ``CodedError``s: ``error.kind`` is their entry here, and the web
app's handlers, the CLI (``renkei.cli.common``) and the pages take the status, the exit status and the words
from it. ``docs/errors.md`` is generated from ``KINDS`` (``python scripts/gen_docs.py``) and
``tests/test_error_kinds.py`` checks that every code raised in ``src/`` is declared here, that every message
and hint is in both catalogues, and that the page is up to date.

The exit statuses keep the CLI's contract: 0 ok, 1 findings with errors (or a refusal of one file among
several, the next one imported), 2 unreadable or refused input.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Family(enum.Enum):
    """Where an error is met, which decides the catalogue keys of its words."""

    READ = "read"  # a file that is not a table at all: error.<code>, hint.<code>
    STORE = "store"  # a request the registry refuses (and a manifest's faults): store.<code>, hint.store.<code>
    COUNTRY = "country"  # the country's list of spheres: country.<code>, hint.country.<code>
    RENDER = "render"  # a format this machine cannot write: render.<code>, hint.<code>
    WEB = "web"  # an answer of the web app alone (no reader free, sign in first, an unknown address): ui.<key>


_KEYS = {
    Family.READ: ("error.{code}", "hint.{code}"),
    Family.STORE: ("store.{code}", "hint.store.{code}"),
    Family.COUNTRY: ("country.{code}", "hint.country.{code}"),
    Family.RENDER: ("render.{code}", "hint.{code}"),
}


@dataclass(frozen=True)
class ErrorKind:
    """One kind of error. ``http`` None: the web app never answers with it (a CLI-only kind); ``exit`` None: the
    CLI never meets it. ``api`` is the status under ``/api/`` where it differs from the pages' (a stale version
    is the API's failed If-Match, 412); ``import_exit`` the exit status of ``renkei import`` where the kind
    refuses only the file in hand (the next one is imported)."""

    code: str
    family: Family
    http: int | None
    exit: int | None
    api: int | None = None
    import_exit: int | None = None
    message_key: str = ""
    hint_key: str | None = ""

    def __post_init__(self) -> None:
        message, hint = _KEYS.get(self.family, ("", None))
        if not self.message_key:
            object.__setattr__(self, "message_key", message.format(code=self.code))
        if self.hint_key == "":
            object.__setattr__(self, "hint_key", hint.format(code=self.code) if hint else None)

    def status(self, api: bool = False) -> int:
        """The HTTP status of an answer with this error (``api``: under ``/api/``)."""
        status = (self.api if api else None) or self.http
        return status if status is not None else _DEFAULT_HTTP[self.family]


_DEFAULT_HTTP = {Family.READ: 422, Family.STORE: 400, Family.COUNTRY: 422, Family.RENDER: 503, Family.WEB: 503}


def _kinds(
    family: Family,
    http: int | None,
    exit: int | None,
    *codes: str,
    api: int | None = None,
    import_exit: int | None = None,
) -> list[ErrorKind]:
    return [ErrorKind(code, family, http, exit, api, import_exit) for code in codes]


_READ = _kinds(
    Family.READ,
    422,
    2,
    "file-missing",
    "file-is-directory",
    "file-unreadable",
    "empty-file",
    "binary-file",
    "image-file",
    "undecodable",
    "unknown-encoding",
    "encoding-not-text",
    "decode-failed",
    "malformed-text",
    "limit-exceeded",
    "reader-crashed",
    "no-table",
    "one-cell-per-line",
    "json-invalid",
    "long-form-not-table",
    "xlsx-unreadable",
    "sheet-missing",
    "xls-not-table",
    "zip-not-table",
    "zip-unreadable",
    "odf-not-spreadsheet",
    "ods-unreadable",
    "docx-unreadable",
    "docx-no-table",
    "html-unreadable",
    "html-no-table",
    "pdf-no-text",
    "pdf-no-table",
    "pdf-unreadable",
    "pdf-pages-invalid",
    "pdf-unsupported",
    "datapackage-invalid",
    "datapackage-not-renkei",
    "plugin-unreadable",
)

_STORE = [
    # What does not exist (or no longer): 404.
    *_kinds(
        Family.STORE,
        404,
        2,
        "sphere-unknown",
        "revision-unknown",
        "project-unknown",
        "not-a-member",
        "municipality-unknown",
        "draft-project-unknown",
        "heading-unknown",
        "account-unknown",
        "token-unknown",
    ),
    ErrorKind("forbidden", Family.STORE, 403, 2),
    # Someone else saved first, or there is nothing to save: 409 (the API's If-Match no longer holding: 412).
    *_kinds(Family.STORE, 409, 2, "stale-version", "stale-draft", api=412),
    *_kinds(Family.STORE, 409, 2, "stale-base", "draft-unchanged", "draft-empty"),
    # A database collision (PostgreSQL): nothing was written; the same request again may well succeed.
    ErrorKind("db-conflict", Family.STORE, 409, None),
    *_kinds(Family.STORE, 422, 2, "invalid", "import-other-sphere"),
    # A file with error findings: nothing written, the findings listed (as for `renkei check`, exit 1). A
    # manifest's file refused so (`ManifestRefused`) refuses the whole set with the same code.
    ErrorKind("import-refused", Family.STORE, 422, 1),
    # Where the file belongs in the registry: `renkei import` refuses that file (exit 1) and goes on.
    *_kinds(
        Family.STORE,
        400,
        2,
        "sphere-unmatched",
        "sphere-ambiguous",
        "effective-backwards",
        "import-excerpt",
        import_exit=1,
    ),
    *_kinds(
        Family.STORE,
        400,
        2,
        "db-outdated",
        "db-foreign",
        "effective-date-invalid",
        "date-invalid",
        "sphere-key-needed",
        "sphere-key-invalid",
        "sphere-name-needed",
        "sphere-name-invalid",
        "sphere-exists",
        "restore-format",
        "restore-not-empty",
        "restore-corrupt",
        "username-invalid",
        "username-taken",
        "password-short",
        "password-wrong",
        "grant-municipality",
        "member-already",
        "member-not-current",
        "succession-self",
        "succession-circle",
        "stage-unknown",
    ),
    # A manifest of `renkei import --manifest` (the CLI only).
    *_kinds(Family.STORE, None, 2, "manifest-missing", "manifest-invalid", "manifest-diverges"),
]

_COUNTRY = _kinds(Family.COUNTRY, None, 2, "columns-missing", "key-twice", "successor-unknown", "cell-invalid")

_RENDER = _kinds(Family.RENDER, 503, 2, "pdf-pango-missing", "pdf-font-missing", "chart-unavailable")


def _web(code: str, http: int, message_key: str) -> ErrorKind:
    return ErrorKind(code, Family.WEB, http, None, message_key=message_key, hint_key=None)


# The web app's own answers: each has a status of its own, so an HTTP error the framework raises (an address no
# route takes, a method it does not take) is named by its status (``web_kind``). Their words are ui.<key>.
_WEB = [
    _web("readers-busy", 503, "ui.readers_busy"),  # no reader free for an upload
    _web("reader-held", 429, "ui.reader_held"),  # the client's previous upload is still being read
    _web("bad-characters", 400, "ui.bad_characters"),  # control characters in the address, query or headers
    _web("sign-in-needed", 401, "ui.sign_in_needed"),  # the API without a session or token
    _web("forbidden", 403, "ui.csrf_failed"),  # a form not sent from this site (its CSRF token)
    _web("not-found", 404, "ui.not_found"),  # no such address or thing
    _web("http-error", 405, "ui.http_error"),  # a status no other kind has: a method the address does not take
    _web("if-match-unknown", 412, "ui.if_match_unknown"),  # an API write whose If-Match names no version
    _web("too-large", 413, "ui.too_large"),  # an upload past the limit
    _web("invalid-request", 422, "ui.invalid_request"),  # parameters that are not what the request takes
    _web("if-match-needed", 428, "ui.if_match_needed"),  # an API write without If-Match
]

KINDS: tuple[ErrorKind, ...] = (*_READ, *_STORE, *_COUNTRY, *_RENDER, *_WEB)
_BY_FAMILY: dict[Family, dict[str, ErrorKind]] = {}
for _kind in KINDS:
    _BY_FAMILY.setdefault(_kind.family, {})[_kind.code] = _kind
_WEB_BY_STATUS = {kind.http: kind for kind in _WEB if kind.http is not None}


def declared(family: Family, code: str) -> ErrorKind | None:
    """The declared kind of ``code`` in ``family``, None where none is."""
    return _BY_FAMILY.get(family, {}).get(code)


def web_kind(status: int) -> ErrorKind:
    """The web app's own kind answered with ``status`` (each has its own); ``http-error`` for a status that no
    kind declares (the answer keeps the status it was raised with)."""
    return _WEB_BY_STATUS.get(status) or _BY_FAMILY[Family.WEB]["http-error"]


def kind_of(family: Family, code: str) -> ErrorKind:
    """The declared kind; for a code declared nowhere (a plugin's own, say) one with the family's defaults, so
    that an answer never fails for want of a declaration (``tests/test_error_kinds.py`` keeps renkei's own
    codes declared)."""
    return declared(family, code) or ErrorKind(code, family, None, 2)


class CodedError(Exception):
    """An error that carries a catalogue code and its parameters, never a sentence: the CLI and the web app say
    it in the reader's language. ``FAMILY`` says where its words are; ``kind`` is its declaration."""

    FAMILY = Family.STORE

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    @property
    def kind(self) -> ErrorKind:
        return kind_of(self.FAMILY, self.code)
