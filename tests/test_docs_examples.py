"""The examples in the docs run: every ```python block of docs/api.md, as a reader would
save and run it, in a fresh interpreter in a temporary directory."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(name: str) -> list[str]:
    path = DOCS / name
    return BLOCK.findall(path.read_text(encoding="utf-8")) if path.exists() else []


def test_the_api_reference_has_its_example() -> None:
    assert blocks("api.md"), "docs/api.md lost its runnable example"


@pytest.mark.parametrize("code", blocks("api.md"), ids=lambda code: code.splitlines()[0][:40])
def test_an_api_example_runs(code: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "errors:" in done.stdout and "renamed" in done.stdout
