"""The shape of the house: no import cycle between renkei's modules, a core that knows nothing of the rooms
built on it (the store, the web app, the CLI), arrows that follow the flow, one door into the store, and no
class spread over files as mixins.

The graph is read from the source with ``ast``, every import counted wherever it stands: at the top, inside a
function (a cycle hidden in a function body is still a cycle) or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
UPPER = ("renkei.web", "renkei.store", "renkei.cli")


def modules(root: Path) -> dict[str, Path]:
    """Every module under ``root`` by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def graph(root: Path) -> dict[str, set[str]]:
    """Who imports whom among the modules under ``root``: ``from p import m`` of a submodule ``m`` points at
    ``p.m``, of a name defined in ``p`` at ``p``."""
    known = modules(root)
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    origin = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    origin = node.module or ""
                targets = [
                    f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in known:  # `import a.b.c` of a module: its nearest known part
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def upward(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of the store, the web app or the CLI from the core."""
    core = [name for name in edges if not name.startswith(UPPER) and name != "renkei.__main__"]
    return sorted((name, target) for name in core for target in edges[name] if target.startswith(UPPER))


def test_renkei_has_no_import_cycle() -> None:
    assert cycles(graph(SRC / "renkei")) == []


def test_the_core_does_not_import_the_store_the_web_app_or_the_cli() -> None:
    assert upward(graph(SRC / "renkei")) == []


def into_synth(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of the synthetic generator from the store: it is for benchmarks and tests, not the registry."""
    return sorted(
        (name, target)
        for name in edges
        if name.startswith("renkei.store")
        for target in edges[name]
        if target.startswith("renkei.synth")
    )


def test_the_store_does_not_import_the_synthetic_generator() -> None:
    assert into_synth(graph(SRC / "renkei")) == []


def against_the_flow(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of the readers from the renderers: a table flows from the readers to the model and from the
    model to the renderers, and what both sides share (renkei's own format) lives in ``renkei.vision.ownformat``."""
    return sorted(
        (name, target)
        for name in edges
        if name == "renkei.render" or name.startswith("renkei.render.")
        for target in edges[name]
        if target == "renkei.ingest" or target.startswith("renkei.ingest.")
    )


def test_the_renderers_do_not_import_the_readers() -> None:
    assert against_the_flow(graph(SRC / "renkei")) == []


def store_exports(root: Path) -> set[str]:
    """The names the store package deliberately exports: its ``__all__``."""
    tree = ast.parse((root / "store" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def past_the_door(root: Path) -> list[tuple[str, str]]:
    """Imports of the store that do not go through its one door, as (module, what it imports): from outside
    the store package, any of its modules (``renkei.store.drafts``) or a name it does not export; from
    anywhere, the removed re-export file ``renkei.store.store``."""
    exported = store_exports(root)
    found = []
    for name, path in modules(root).items():
        inside = name == "renkei.store" or name.startswith("renkei.store.")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                imported = [(alias.name, "") for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported = [(node.module, alias.name) for alias in node.names]
            else:
                continue
            for module, item in imported:
                if "renkei.store.store" in (module, f"{module}.{item}"):
                    found.append((name, "renkei.store.store"))
                elif inside:
                    continue
                elif module.startswith("renkei.store."):
                    found.append((name, module))
                elif module == "renkei.store" and item and item not in exported:
                    found.append((name, f"renkei.store.{item}"))
    return sorted(found)


def test_the_store_is_entered_through_its_package_only() -> None:
    root = SRC / "renkei"
    assert not (root / "store" / "store.py").exists()
    assert {"Store", "StoreError"} <= store_exports(root)
    assert past_the_door(root) == []


def test_the_draft_rows_take_the_time_from_the_clock_not_the_accounts() -> None:
    edges = graph(SRC / "renkei")
    assert "renkei.store.clock" in edges["renkei.store.draftrows"]
    assert "renkei.store.accounts" not in edges["renkei.store.draftrows"]


def mixed_in(root: Path) -> list[tuple[str, str, str]]:
    """Classes built of a private class of another module, as (module, class, base): a class split into mixins
    across files to stay under the line cap, its state shared by every file. A stage of the work is an object
    the class holds and passes what it needs (composition), not a base class."""
    found = []
    for name, path in modules(root).items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        own = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for base in node.bases:
                base_name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if base_name.startswith("_") and (isinstance(base, ast.Attribute) or base_name not in own):
                    found.append((name, node.name, base_name))
    return sorted(found)


def test_no_class_is_mixed_in_from_another_file() -> None:
    assert mixed_in(SRC / "renkei") == []


def test_the_mixin_check_finds_a_class_spread_over_files(tmp_path: Path) -> None:
    root = tmp_path / "renkei"
    root.mkdir()
    (root / "base.py").write_text("class _Shared:\n    pass\n", encoding="utf-8")
    (root / "rows.py").write_text("from renkei.base import _Shared\nclass _Rows(_Shared):\n    pass\n")
    (root / "reader.py").write_text(
        "from renkei import rows\nfrom renkei.rows import _Rows\n"
        "class _Local:\n    pass\n"
        "class Reader(_Rows, rows._Rows, _Local):\n    pass\n",
        encoding="utf-8",
    )
    assert mixed_in(root) == [
        ("renkei.reader", "Reader", "_Rows"),
        ("renkei.reader", "Reader", "_Rows"),
        ("renkei.rows", "_Rows", "_Shared"),
    ]


@pytest.fixture
def tangled(tmp_path: Path) -> Path:
    """A package with what the tests above must catch: a cycle through a function body, a package and its
    submodule importing each other, and a core module importing the store."""
    root = tmp_path / "renkei"
    files = {
        "__init__.py": "",
        "model.py": "from renkei.store import Store\n",
        "a.py": "from . import b\n",
        "b.py": "def f():\n    from renkei.a import x\n",
        "render/__init__.py": "from renkei.render.csv import write\nNAME = 1\n",
        "render/csv.py": "from renkei.render import NAME\n",
        "store/__init__.py": "from renkei.store.drafts import Forbidden\nStore = object\n__all__ = ['Forbidden']\n",
        "store/drafts.py": "from renkei.store.store import Store\nForbidden = Exception\n",
        "store/store.py": "",
        "web/edit.py": "from renkei.store import Forbidden\nfrom renkei.store.drafts import Forbidden\n",
        "cli/db.py": "import renkei.store.drafts\nfrom renkei.store import drafts, schema\n",
        "web/app.py": "import renkei.store\n",
        "synth.py": "",
        "ingest/__init__.py": "",
        "ingest/meta.py": "MARKER = 1\n",
        "render/official.py": "def f():\n    from renkei.ingest.meta import MARKER\n",
        "store/load.py": "from renkei.synth import x\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_checks_catch_what_they_are_for(tangled: Path) -> None:
    edges = graph(tangled)
    assert cycles(edges) == [["renkei.a", "renkei.b"], ["renkei.render", "renkei.render.csv"]]
    assert upward(edges) == [("renkei.model", "renkei.store")]
    assert into_synth(edges) == [("renkei.store.load", "renkei.synth")]
    assert against_the_flow(edges) == [("renkei.render.official", "renkei.ingest.meta")]
    assert past_the_door(tangled) == [
        ("renkei.cli.db", "renkei.store.drafts"),
        ("renkei.cli.db", "renkei.store.drafts"),
        ("renkei.cli.db", "renkei.store.schema"),
        ("renkei.model", "renkei.store.Store"),  # a name the package does not export
        ("renkei.store.drafts", "renkei.store.store"),
        ("renkei.web.edit", "renkei.store.drafts"),
    ]


# The packages' layers (regroup.py) ------------------------------------------------------------------------------------
# From the bottom: a package may import those of the layers below it, never one above it or beside it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("renkei.places",),
    ("renkei.vision",),
    ("renkei.core",),
    ("renkei.ingest", "renkei.render"),
    ("renkei.national", "renkei.publish"),
    ("renkei.store", "renkei.synthetic"),
    ("renkei.web", "renkei.cli"),
)


def package_of(name: str) -> str:
    """The package a module of renkei belongs to (``renkei.vision.model`` -> ``renkei.vision``)."""
    return ".".join(name.split(".")[:2])


def across_the_layers(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of a package of the same layer or of one above, as (module, what it imports)."""
    level = {package: i for i, layer in enumerate(LAYERS) for package in layer}
    found = []
    for name, targets in edges.items():
        own = package_of(name)
        for target in targets:
            other = package_of(target)
            if own in level and other in level and other != own and level[other] >= level[own]:
                found.append((name, target))
    return sorted(found)


def test_each_package_imports_only_the_layers_below_it() -> None:
    assert across_the_layers(graph(SRC / "renkei")) == []


def test_the_top_level_holds_packages_only() -> None:
    root = SRC / "renkei"
    assert sorted(p.name for p in root.glob("*.py")) == ["__init__.py", "__main__.py"]
    packages = {f"renkei.{p.name}" for p in root.iterdir() if (p / "__init__.py").exists()}
    assert packages == {package for layer in LAYERS for package in layer}


def test_the_layer_check_finds_an_import_from_above_or_beside(tmp_path: Path) -> None:
    root = tmp_path / "renkei"
    files = {
        "__init__.py": "",
        "vision/__init__.py": "",
        "vision/model.py": "def f():\n    from renkei.core import messages\n",
        "core/__init__.py": "",
        "core/messages.py": "from renkei.vision import model\n",
        "ingest/__init__.py": "from renkei.render import NAME\n",
        "render/__init__.py": "NAME = 1\n",
        "web/__init__.py": "import renkei.store\n",
        "store/__init__.py": "",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert across_the_layers(graph(root)) == [
        ("renkei.ingest", "renkei.render"),
        ("renkei.vision.model", "renkei.core.messages"),
    ]
