"""What to do next, said to a person in a browser: the command-line hints (``renkei history``, ``--force``) mean
nothing there, so a page uses the ``webhint.`` text of a message where the catalogue has one, and no hint rather
than one that names a command."""

from __future__ import annotations

import re

from renkei.core.messages import Explained, catalogue, explain, explain_error, t
from renkei.store import Store, StoreError
from renkei.vision.model import Finding, Location

# A hint that tells its reader to run renkei or pass an option.
_COMMAND = re.compile(r"renkei\s|--[a-z]")


def page_hint(key: str, lang: str, /, **params: object) -> str:
    """The hint of ``key`` (e.g. ``store.revision-unknown``) for a web page."""
    web = f"webhint.{key}"
    if web in catalogue(lang) or web in catalogue("ja"):
        return t(web, lang, **params)
    hint = t(f"hint.{key}", lang, **params)
    return "" if _COMMAND.search(hint) else hint


def hint_for_web(hint_key: str, lang: str, /, **params: object) -> str:
    """An error kind's hint (``hint.…``, as ``renkei.core.errorkinds`` declares it) for a client of the web app
    or its API: the ``webhint.`` text where the catalogue has one, else the hint unless it names a command."""
    return page_hint(hint_key.removeprefix("hint."), lang, **params)


def page_explain(finding: Finding, lang: str) -> Explained:
    """A finding in words for a page: its hint without command-line options (``--pages``)."""
    explained = explain(finding, lang)
    return Explained(explained.message, explained.where, page_hint(finding.code, lang, **finding.params))


def page_explain_error(code: str, location: Location | None, params: dict[str, object], lang: str) -> Explained:
    """A read error in words for a page, its hint without command-line options."""
    explained = explain_error(code, location, params, lang)
    return Explained(explained.message, explained.where, page_hint(code, lang, **params))


def named(store: Store, params: dict[str, object]) -> dict[str, object]:
    """A message's parameters for a page: a sphere by its name rather than its key, where the sphere exists."""
    key = params.get("sphere")
    if not isinstance(key, str) or not key:
        return params
    try:
        return {**params, "sphere": store.sphere(key).name}
    except StoreError:
        return params
