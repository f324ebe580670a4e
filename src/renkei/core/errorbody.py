"""The JSON body of an error, as ``renkei check --json``, the API and the web app's error handlers give it:
``{"error": {"code", "message", "hint"}}``, built here once."""

from __future__ import annotations

from renkei.core.messages import DEFAULT, t


def error_body(code: str, message: str, hint: str = "") -> dict[str, dict[str, object]]:
    """An error's body: its catalogue code, the message and what to do next (empty when nothing helps)."""
    return {"error": {"code": code, "message": message, "hint": hint}}


def read_error_body(code: str, params: dict[str, object], lang: str = DEFAULT) -> dict[str, dict[str, object]]:
    """The body of a read error (a file that is not a table at all, ``error.<code>`` in the catalogues)."""
    return error_body(code, t(f"error.{code}", lang, **params), t(f"hint.{code}", lang, **params))
