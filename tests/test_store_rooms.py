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
