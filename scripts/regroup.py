#!/usr/bin/env python3
"""Group renkei's flat top level into packages (issue 20): run at the root of a checkout.

    python regroup.py            # move, rewrite, tidy (ruff), report
    python regroup.py --dry-run  # say what would move and which files would change, change nothing

What it does, in order, each step idempotent (a second run changes nothing):

1. ``git mv src/renkei/<module>.py src/renkei/<package>/<module>.py`` for every module of ``MOVES`` still at
   the top level, and an ``__init__.py`` with a docstring for each new package (``PACKAGES``).
2. Rewrites every mention of a moved module in the text files of ``src/``, ``tests/``, ``bench/``,
   ``scripts/``, ``docs/`` and the top-level ``README.md``/``pyproject.toml``: ``from renkei import model,
   __version__`` (split by package), ``renkei.model`` anywhere (imports, ``import renkei.model``, strings given
   to ``monkeypatch``/``importlib``, prose), paths ``src/renkei/model.py`` and ``SRC / "model.py"``. A dotted
   name followed by ``/`` is a format or seed string (``renkei.synth/{seed}``), never rewritten.
3. ``tests/test_import_graph.py``: its own fixtures (fake packages with old-style names) are left alone; the
   package layers' contracts are appended once (``LAYER_TESTS``).
4. ``docs/architecture.md``: a section on the packages is inserted once, before ``## Modules``.
5. ``ruff check --select I --fix`` and ``ruff format`` on the Python files it changed (when ruff is found).

A module at the top level that ``MOVES`` does not name (one added after this table was written) is left where it
is and reported: add it to ``MOVES`` and run again (``test_the_top_level_holds_packages_only`` fails until then).
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

# The packages, from the bottom layer up: each may import the layers below it and none above or beside it.
PACKAGES: dict[str, str] = {
    "places": (
        "Japan's municipalities as renkei knows them: the national list with codes, check digits and name\n"
        "resolution (``municipalities``) and the 異体字 folded when names are matched (``variants``). Pure data\n"
        "and functions; imports nothing else of renkei."
    ),
    "vision": (
        "A vision and what is pure about it: the model (``model``), a project's fields declared once (``record``),\n"
        "the rules for typed text and draft fields (``textrules``, ``editrules``), the checks of declared figures\n"
        "(``checks``), amendments (``diff``), the JSON vocabulary (``serialize``), the one table view every output\n"
        "presents (``table``) with its budget and KPI columns (``figurecolumns``), KPI grades (``grades``), budgets\n"
        "summed and KPIs graded per field (``budgetfigures``), their amendments (``budgetdiff``) and tidy rows\n"
        "(``budgetrows``), a structured field's records as JSON (``plainrecords``), the national guidelines'\n"
        "wording (``guidelines``) and renkei's own format shared by readers and renderers (``ownformat``). No I/O\n"
        "framework, no store, no web."
    ),
    "core": (
        "What every room of renkei shares: the message catalogues (``messages``), the error kinds declared once\n"
        "and their JSON body (``errorkinds``, ``errorbody``), answers kept in memory (``cache``), plugins\n"
        "(``plugins``), roles and actions (``permissions``), worker processes that die with their parent\n"
        "(``lifeline``), the Japanese fonts found on this machine (``fonts``) and the bundled sample (``sample``)."
    ),
    "national": (
        "The country as a whole: its list of spheres with their lifecycle and membership (``country``) and a\n"
        "national set of files with its manifest (``manifest``)."
    ),
    "publish": (
        "What the registry publishes beside a table's formats: charts as Vega-Lite specs and their SVG/PNG files\n"
        "(``charts``, ``chartfile``, ``budgetcharts``), the amendment list and agreement schedule as documents\n"
        "(``documents``), the 取組状況 report of a fiscal year (``progress``) and fiscal years and amounts as\n"
        "pages and documents write them (``fiscal``)."
    ),
    "synthetic": (
        "The synthetic national registry for benchmarks and tests (``renkei synth``): deterministic from a seed\n"
        "(``synth``), with the fields and words its projects are made of (``synth_words``) and their budgets and\n"
        "KPIs (``synth_budgets``). The store never imports it."
    ),
}
LAYERS: tuple[tuple[str, ...], ...] = (
    ("places",),
    ("vision",),
    ("core",),
    ("ingest", "render"),
    ("national", "publish"),
    ("store", "synthetic"),
    ("web", "cli"),
)
# Old top-level module -> the package it moves into (``ingest`` is an existing package).
MOVES: dict[str, str] = {
    "municipalities": "places",
    "variants": "places",
    "model": "vision",
    "record": "vision",
    "textrules": "vision",
    "editrules": "vision",
    "checks": "vision",
    "diff": "vision",
    "serialize": "vision",
    "table": "vision",
    "grades": "vision",
    "guidelines": "vision",
    "ownformat": "vision",
    "plainrecords": "vision",  # a structured field's records as JSON and back (record's helper)
    "figurecolumns": "vision",  # the budget and KPI columns of the one table view
    "budgetfigures": "vision",  # budgets summed per year and field, KPIs graded
    "budgetdiff": "vision",  # budget and KPI amendments
    "budgetrows": "vision",  # the tidy rows of budgets, KPIs and results
    "messages": "core",
    "errorkinds": "core",
    "errorbody": "core",
    "cache": "core",
    "plugins": "core",
    "permissions": "core",
    "lifeline": "core",
    "fonts": "core",
    "sample": "core",
    "country": "national",
    "manifest": "national",
    "charts": "publish",
    "chartfile": "publish",
    "documents": "publish",
    "fiscal": "publish",  # fiscal years and amounts as the pages and documents write them
    "budgetcharts": "publish",
    "progress": "publish",  # the 取組状況 report
    "synth": "synthetic",
    "synth_words": "synthetic",
    "synth_budgets": "synthetic",
    "report": "ingest",  # a reading and its checks together (``renkei check``)
    "understanding": "ingest",  # how a reading understood its headers, said to the person
    "asof": "ingest",  # the date a table says it stands at, read from its first lines
    "annex": "ingest",  # a budget annex (別冊) matched to a table's projects
}
STAY = {"__init__", "__main__"}
ROOTS = ("src", "tests", "bench", "scripts", "docs")
TOP_FILES = ("README.md", "pyproject.toml", "CHANGELOG.md", "CONTRIBUTING.md")
SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".yml", ".yaml", ".json", ".html", ".rst", ".mako"}
SKIP_PARTS = {".venv", "node_modules", "__pycache__", "vendor", "static", "data", "renkei.egg-info"}
# Test inputs: only their Python (the builders) is code that imports renkei.
INPUT_PARTS = {"corpus", "fixtures"}
GRAPH_TEST = Path("tests/test_import_graph.py")
SELF = Path("scripts/regroup.py")
ARCHITECTURE = Path("docs/architecture.md")

_NAMES = "|".join(sorted(MOVES, key=len, reverse=True))
# renkei.model (not renkei.modelx, not x.renkei.model, not renkei.synth/{seed}: a format or seed string).
DOTTED = re.compile(rf"(?<![\w.])renkei\.({_NAMES})(?![\w/])")
# renkei/model.py and src/renkei/model.py, not another folder's renkei/ (x/renkei/model.py).
PATH = re.compile(rf"(?:(?<=src/)|(?<![\w/]))renkei/({_NAMES})\.py\b")
# ``SRC / "model.py"`` in tests: the file's folder is the package's now.
# Not after ``"vision" / `` (a path already rewritten).
SLASH_FILE = re.compile(rf'(?<!" )(/\s*)"({_NAMES})\.py"')
FROM_RENKEI = re.compile(r"^([ \t]*)from renkei import (\([^)]*\)|[^\n]*?)[ \t]*(#[^\n]*)?$", re.MULTILINE)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def rewrite_from_renkei(text: str) -> str:
    """``from renkei import a, model, b as c``: the moved names from their packages, one statement each."""

    def split(match: re.Match[str]) -> str:
        indent, names, comment = match.group(1), match.group(2), match.group(3)
        body = names.strip()
        if body.startswith("("):
            body = body[1:-1]
        items = [item.strip() for item in re.sub(r"#[^\n]*", "", body).replace("\n", " ").split(",")]
        items = [item for item in items if item]
        if not any(item.split()[0] in MOVES for item in items):
            return match.group(0)
        groups: dict[str, list[str]] = {}
        for item in items:
            groups.setdefault(MOVES.get(item.split()[0], ""), []).append(item)
        lines = []
        for package in sorted(groups):
            origin = f"renkei.{package}" if package else "renkei"
            lines.append(f"{indent}from {origin} import {', '.join(groups[package])}")
        if comment:
            lines[0] += f"  {comment}"
        inner = [f"{indent}{c.strip()}" for c in re.findall(r"#[^\n]*", body)]  # kept, above the statements
        return "\n".join([*inner, *lines])

    return FROM_RENKEI.sub(split, text)


def rewrite(text: str, path: Path) -> str:
    if path.suffix == ".py":
        text = rewrite_from_renkei(text)
    text = DOTTED.sub(lambda m: f"renkei.{MOVES[m.group(1)]}.{m.group(1)}", text)
    text = PATH.sub(lambda m: f"renkei/{MOVES[m.group(1)]}/{m.group(1)}.py", text)
    if path.suffix == ".py" and path.parts[0] in ("tests", "bench", "scripts"):
        text = SLASH_FILE.sub(lambda m: f'{m.group(1)}"{MOVES[m.group(2)]}" / "{m.group(2)}.py"', text)
    if path.suffix == ".py":
        text = rewrap(text)
    return text


LIMIT = 120
LONG_IMPORT = re.compile(r"^([ \t]*)import (renkei\.[\w.]+(?:, renkei\.[\w.]+)+)$")
LIST_ITEM = re.compile(r"^\s*(?:[-*|>]|\d+\.|\.\.|:)")
QUOTES = ('"' * 3, "'" * 3)


def width(text: str) -> int:
    """A line's width as ruff measures it: a wide (CJK) character counts twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut_at(line: str) -> int:
    """The last space at which the line's head is within the limit (-1: none)."""
    cut = -1
    for index, char in enumerate(line):
        if char == " " and width(line[:index]) <= LIMIT:
            cut = index
    return cut


def rewrap(text: str) -> str:
    """Lines made longer than the limit by a longer module name: a docstring's line carries its last words
    over to the next line of its paragraph (or a new one), and ``import renkei.a, renkei.b`` (in a program
    held in a string, too) becomes two statements. Lines within the limit are left exactly as they are."""
    lines = text.split("\n")
    if not any(width(line) > LIMIT for line in lines):
        return text
    for index, line in enumerate(lines):
        found = LONG_IMPORT.match(line)
        if found and width(line) > LIMIT:
            indent, names = found.group(1), found.group(2).split(", ")
            half = len(names) // 2
            lines[index] = f"{indent}import {', '.join(names[:half])}\n{indent}import {', '.join(names[half:])}"
    lines = "\n".join(lines).split("\n")
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return "\n".join(lines)
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                spans.append((first.lineno - 1, (first.end_lineno or first.lineno) - 1, first.col_offset))
    for start, end, column in sorted(spans, reverse=True):
        index = start
        while index <= end:
            line = lines[index]
            if width(line) <= LIMIT or (cut := cut_at(line)) <= len(line) - len(line.lstrip()):
                index += 1
                continue
            indent = " " * column if index == start else line[: len(line) - len(line.lstrip())]
            head, tail = line[:cut].rstrip(), line[cut + 1 :]
            following = lines[index + 1] if index + 1 <= end else ""
            closing = following.lstrip().startswith(QUOTES)
            if index + 1 <= end and following.strip() and not closing and not LIST_ITEM.match(following):
                lines[index : index + 2] = [head, f"{indent}{tail} {following.lstrip()}"]
            else:
                lines[index : index + 1] = [head, f"{indent}{tail}"]
                end += 1
            index += 1
    return "\n".join(lines)


def text_files() -> list[Path]:
    listed = run("git", "ls-files", "-co", "--exclude-standard", "--", *ROOTS, *TOP_FILES).splitlines()
    files = []
    for name in sorted(set(listed)):
        path = Path(name)
        if set(path.parts) & INPUT_PARTS and path.suffix != ".py":
            continue
        if path == SELF:  # its own tables and docstring name the modules where they were
            continue
        if path.suffix in SUFFIXES and path.is_file() and not (set(path.parts) & SKIP_PARTS):
            files.append(path)
    return files


def move(dry: bool) -> list[str]:
    """The ``git mv`` of every module still at the top level; the packages' ``__init__.py``."""
    said = []
    top = Path("src/renkei")
    for package, doc in PACKAGES.items():
        init = top / package / "__init__.py"
        if not init.exists():
            said.append(f"create {init}")
            if not dry:
                init.parent.mkdir(exist_ok=True)
                init.write_text(f'"""{doc}\n"""\n', encoding="utf-8")
                run("git", "add", str(init))
    for module, package in MOVES.items():
        old, new = top / f"{module}.py", top / package / f"{module}.py"
        if old.exists() and new.exists():
            sys.exit(f"both {old} and {new} exist: merge them by hand, then run again")
        if old.exists():
            said.append(f"git mv {old} {new}")
            if not dry:
                run("git", "mv", str(old), str(new))
        elif not new.exists():
            said.append(f"note: {module} is at neither {old} nor {new} (removed?)")
    loose = sorted(p.stem for p in top.glob("*.py") if p.stem not in STAY and p.stem not in MOVES)
    for module in loose:
        said.append(f"WARNING: src/renkei/{module}.py is in no package: add it to MOVES and run again")
    return said


LAYER_MARK = "# The packages' layers (regroup.py)"
LAYER_TESTS = f'''

{LAYER_MARK} {"-" * (120 - len(LAYER_MARK) - 1)}
# From the bottom: a package may import those of the layers below it, never one above it or beside it.
LAYERS: tuple[tuple[str, ...], ...] = (
{"".join(f"    {tuple('renkei.' + p for p in layer)!r},{chr(10)}" for layer in LAYERS)})


def package_of(name: str) -> str:
    """The package a module of renkei belongs to (``renkei.vision.model`` -> ``renkei.vision``)."""
    return ".".join(name.split(".")[:2])


def across_the_layers(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports of a package of the same layer or of one above, as (module, what it imports)."""
    level = {{package: i for i, layer in enumerate(LAYERS) for package in layer}}
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
    packages = {{f"renkei.{{p.name}}" for p in root.iterdir() if (p / "__init__.py").exists()}}
    assert packages == {{package for layer in LAYERS for package in layer}}


def test_the_layer_check_finds_an_import_from_above_or_beside(tmp_path: Path) -> None:
    root = tmp_path / "renkei"
    files = {{
        "__init__.py": "",
        "vision/__init__.py": "",
        "vision/model.py": "def f():\\n    from renkei.core import messages\\n",
        "core/__init__.py": "",
        "core/messages.py": "from renkei.vision import model\\n",
        "ingest/__init__.py": "from renkei.render import NAME\\n",
        "render/__init__.py": "NAME = 1\\n",
        "web/__init__.py": "import renkei.store\\n",
        "store/__init__.py": "",
    }}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert across_the_layers(graph(root)) == [
        ("renkei.ingest", "renkei.render"),
        ("renkei.vision.model", "renkei.core.messages"),
    ]
'''


def extend_graph_test(dry: bool) -> bool:
    """The graph test keeps its fixtures (fake packages named the old way); it gains the layers' contracts."""
    if not GRAPH_TEST.exists():
        return False
    text = GRAPH_TEST.read_text(encoding="utf-8")
    new = text.replace("lives in ``renkei.ownformat``", "lives in ``renkei.vision.ownformat``")
    if LAYER_MARK not in new:
        new = new.rstrip("\n") + "\n" + LAYER_TESTS
    if new != text and not dry:
        GRAPH_TEST.write_text(new, encoding="utf-8")
    return new != text


DOC_MARK = "## Packages"
DOC_SECTION = (
    f"""{DOC_MARK}

`src/renkei/` holds packages only (and `__main__.py`); each says in its `__init__.py` what it holds. They are
layered: a package imports those of the layers below it, never one above it or beside it
(`tests/test_import_graph.py`, `LAYERS`). From the bottom:

| layer | package | what it holds |
|---|---|---|
"""
    + "".join(
        f"| {i} | `renkei.{package}` | "
        + (
            PACKAGES[package].replace("\n", " ")
            if package in PACKAGES
            else {
                "ingest": "Bytes to a `Reading` (the readers), and what is said of a reading: `report` (a reading "
                "and its checks, `renkei check`), `understanding` (how its headers were understood), `asof` (the "
                "date a table says it stands at).",
                "render": "A vision to each format (the renderers).",
                "store": "The registry in SQLite or PostgreSQL, entered through the package's public names only.",
                "web": "The FastAPI app: pages, JSON API, downloads.",
                "cli": "The Typer commands.",
            }[package]
        )
        + " |\n"
        for i, layer in enumerate(LAYERS)
        for package in layer
    )
    + "\n"
)


def extend_architecture(dry: bool) -> bool:
    if not ARCHITECTURE.exists():
        return False
    text = ARCHITECTURE.read_text(encoding="utf-8")
    if DOC_MARK + "\n" in text or "## Modules" not in text:
        return False
    if not dry:
        ARCHITECTURE.write_text(text.replace("## Modules\n", DOC_SECTION + "## Modules\n", 1), encoding="utf-8")
    return True


def ruff() -> list[str]:
    for candidate in (Path(".venv/bin/ruff"), shutil.which("ruff")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    parser.add_argument("--no-ruff", action="store_true", help="do not sort imports and format afterwards")
    args = parser.parse_args()
    if not (Path("pyproject.toml").exists() and Path("src/renkei/__init__.py").exists()):
        sys.exit("run at the root of a renkei checkout")
    said = move(args.dry_run)
    changed = []
    for path in text_files():
        if path == GRAPH_TEST:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text, path)
        if new != text:
            changed.append(path)
            if not args.dry_run:
                path.write_text(new, encoding="utf-8")
    if extend_graph_test(args.dry_run):
        changed.append(GRAPH_TEST)
    if extend_architecture(args.dry_run):
        changed.append(ARCHITECTURE)
    python = [str(p) for p in changed if p.suffix == ".py" and p.exists()]
    python += [str(p) for p in Path("src/renkei").glob("*/__init__.py")]
    tool = ruff()
    if python and tool and not args.dry_run and not args.no_ruff:
        subprocess.run([*tool, "check", "--select", "I", "--fix", "--quiet", *python], check=False)
        subprocess.run([*tool, "format", "--quiet", *python], check=False)
    for line in said:
        print(line)
    print(f"{'would rewrite' if args.dry_run else 'rewrote'} {len(changed)} files")
    for path in changed:
        print(f"  {path}")
    if any(line.startswith("WARNING") for line in said):
        sys.exit(1)


if __name__ == "__main__":
    main()
