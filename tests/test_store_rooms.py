"""The store's rooms talk through named functions and public methods, never through one another's private names.

Read from the source with ``ast``: inside ``renkei.store`` no module reaches into another object's ``_private``
attribute (``self`` and ``cls`` aside) or imports a ``_private`` name from another module, and nowhere in renkei
does code reach into a store's private attributes (``store._…``, ``self.store._…``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "renkei"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_reaches(path: Path, store_only: bool) -> list[str]:
    """Each ``x._name`` whose ``x`` is not ``self``/``cls`` and each ``from renkei… import _name``, as
    ``line: source``; with ``store_only``, only the ``x._name`` whose ``x`` is a store."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            last = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
            if not store_only or last.lower().endswith("store"):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and not store_only and (node.module or "").startswith("renkei"):
            found += [f"{node.lineno}: import {alias.name}" for alias in node.names if _private(alias.name)]
    return found


def reaches(root: Path, store_only: bool) -> dict[str, list[str]]:
    found = {str(path.relative_to(SRC)): private_reaches(path, store_only) for path in sorted(root.rglob("*.py"))}
    return {name: lines for name, lines in found.items() if lines}


def test_the_stores_rooms_use_no_private_name_of_another() -> None:
    assert reaches(SRC / "store", store_only=False) == {}


def test_no_caller_reaches_into_a_stores_private_attributes() -> None:
    assert reaches(SRC, store_only=True) == {}


@pytest.mark.parametrize(
    ("source", "store_only", "expected"),
    [
        ("def f(store):\n    return store._load(1)\n", True, ["2: store._load"]),
        ("class D:\n    def f(self):\n        return self.store._sphere_row(1)\n", True, ["3: self.store._sphere_row"]),
        ("def f(session):\n    return session._flush()\n", False, ["2: session._flush"]),
        ("def f(session):\n    return session._flush()\n", True, []),
        ("from renkei.store.store import _user\n", False, ["1: import _user"]),
        ("from renkei.store.store import _user\n", True, []),
        ("class D:\n    def f(self):\n        return self._own() + self.__class__.__name__.__len__()\n", False, []),
    ],
)
def test_the_check_finds_what_it_is_for(tmp_path: Path, source: str, store_only: bool, expected: list[str]) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert private_reaches(path, store_only) == expected


# The store is a facade over rooms it holds, not a stack of base classes ---------------------------------------


def _store_classes() -> list[type]:
    """Every class defined in a module of ``renkei.store``."""
    import importlib
    import inspect
    import pkgutil

    import renkei.store

    classes = []
    for info in pkgutil.iter_modules(renkei.store.__path__, "renkei.store."):
        module = importlib.import_module(info.name)
        classes += [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]
    return classes


def test_no_class_of_the_store_is_built_of_another_module_s_classes() -> None:
    """No class spans files through base classes: a base from another of renkei's modules is only an error
    (``StoreError``'s kinds), the schema's declarative base for its rows, or a ``Protocol`` it names."""
    from typing import Protocol

    from renkei.store.schema import Base

    spanning = []
    for cls in _store_classes():
        for base in cls.__mro__[1:]:
            foreign = base.__module__.startswith("renkei") and base.__module__ != cls.__module__
            allowed = issubclass(base, BaseException) or base is Base or base is Protocol
            if foreign and not allowed:
                spanning.append(f"{cls.__module__}.{cls.__qualname__} <- {base.__module__}.{base.__qualname__}")
    assert spanning == []
    assert len(_store_classes()) > 30  # the walk sees the package's classes


def test_the_store_holds_its_rooms_and_delegates_to_them(tmp_path: Path) -> None:
    from renkei.store import Accounts, Store
    from renkei.store.core import Database
    from renkei.store.country import Country
    from renkei.store.drafts import Drafts
    from renkei.store.imports import Imports
    from renkei.store.reads import PublishedReads

    assert Store.__bases__ == (object,)
    rooms = {"reads": PublishedReads, "imports": Imports, "accounts": Accounts, "drafts": Drafts, "country": Country}
    for room in (*rooms.values(), Database):
        assert room.__bases__ == (object,), room
    with Store.open(f"sqlite:///{tmp_path / 'registry.db'}") as store:
        assert isinstance(store.database, Database)
        for name, room in rooms.items():
            held = getattr(store, name)
            assert type(held) is room
            assert held.database is store.database  # one house, handed to each room
            assert getattr(store, name) is held  # made once
        assert store.accounts.reads is store.reads and store.drafts.reads is store.reads
        assert store.drafts.imports is store.imports
        # The store's methods are its rooms' own: every public method of the reads and the imports, and the
        # database's transactions.
        for room in (store.reads, store.imports):
            public = [n for n in dir(type(room)) if not n.startswith("_") and callable(getattr(type(room), n))]
            for name in public:
                if name == "close":
                    continue
                delegated = getattr(store, name)
                assert delegated.__self__ is room and delegated.__func__ is getattr(type(room), name), name
        assert store.read.__self__ is store.database and store.write.__self__ is store.database
        assert store.engine is store.database.engine
        # And it answers through them.
        assert store.spheres() == [] and store.schema_state() == "current"
