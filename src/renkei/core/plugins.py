"""Plugins: output formats and table readers that other installed packages add, found through entry points.

Two entry-point groups, loaded the way Datasette and sqlite-utils load theirs (``importlib.metadata``):
``renkei.renderers``, each entry a ``renkei.render.Renderer``, and ``renkei.readers``, each a
``renkei.ingest.Reader`` (either also as a function of no arguments that returns one). A group is loaded once
per process, the first time it is needed. An entry that fails to load, or gives something else, is left out
with a warning on standard error and renkei goes on without it. The registries (``renkei.render.registry``,
``renkei.ingest``) decide what a plugin may not do: take a built-in format's name. See docs/plugins.md.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

from renkei.core.messages import language, t

RENDERERS = "renkei.renderers"
READERS = "renkei.readers"


@dataclass(frozen=True)
class Problem:
    """A plugin renkei left out, and why (a message-catalogue key and its parameters)."""

    group: str
    entry: str
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def message(self, lang: str) -> str:
        return t(f"plugin.{self.code}", lang, group=self.group, entry=self.entry, **dict(self.params))


_PROBLEMS: list[Problem] = []


def problems() -> list[Problem]:
    """The plugins left out so far in this process."""
    return list(_PROBLEMS)


def warn(group: str, entry: str, code: str, **params: object) -> None:
    """Leave a plugin out: say why on standard error (in the user's language) and remember it."""
    problem = Problem(group, entry, code, tuple(params.items()))
    _PROBLEMS.append(problem)
    print(f"renkei: {problem.message(language())}", file=sys.stderr)


@functools.cache
def entries(group: str) -> tuple[tuple[str, object], ...]:
    """The objects the group's entry points name, as (entry name, object), sorted by entry name; a function
    is called for its object. Loaded once; an entry that raises is left out with a warning."""
    found: list[tuple[str, object]] = []
    for entry in sorted(entry_points(group=group), key=lambda e: (e.name, e.value)):
        try:
            loaded = entry.load()
            if inspect.isroutine(loaded):
                loaded = loaded()
        except Exception as error:  # a plugin's import or factory may raise anything: renkei goes on
            warn(group, entry.name, "failed", reason=f"{type(error).__name__}: {error}")
            continue
        found.append((entry.name, loaded))
    return tuple(found)


def forget() -> None:
    """Discover the plugins again at the next use (after installing one into a running process: tests)."""
    importlib.invalidate_caches()
    entries.cache_clear()
    _PROBLEMS.clear()
    for hook in _FORGET:
        hook()


_FORGET: list[Callable[[], object]] = []


def on_forget(hook: Callable[[], object]) -> None:
    """A registry's own cache, cleared by ``forget``."""
    _FORGET.append(hook)
