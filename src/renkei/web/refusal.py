"""The web app's own refusals (sign in first, too large, no such address …), raised as HTTP errors with the
status their kind declares (``renkei.core.errorkinds``, ``Family.WEB``). The app's handler (``renkei.web.app``) answers
each with its kind's code and words in the reader's language, on a page or as the API's JSON body."""

from __future__ import annotations

from fastapi import HTTPException

from renkei.core.errorkinds import Family, declared


def refusal(code: str, detail: str | None = None, headers: dict[str, str] | None = None) -> HTTPException:
    """The declared answer ``code`` to raise. ``detail`` says more than the kind's words where the raiser knows
    more (which parameter is wrong); an unknown address never says what was asked for."""
    kind = declared(Family.WEB, code)
    if kind is None or kind.http is None:
        raise ValueError(f"{code!r} is not an answer the web app declares (renkei.core.errorkinds)")
    return HTTPException(kind.http, detail, headers=headers)
