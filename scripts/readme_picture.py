"""Refresh the README's picture (docs/images/sphere.png) from the sphere page as chromium shows it.

The browser test that takes the picture writes it under test-artifacts/ on every run; this script runs that one
test with the README's path instead, so that only an explicit run changes a tracked file:

    .venv/bin/python scripts/readme_picture.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PICTURE = ROOT / "docs" / "images" / "sphere.png"


def main() -> int:
    env = {**os.environ, "RENKEI_README_PICTURE": str(PICTURE)}
    test = "tests/test_web_browser.py::test_readme_picture_of_the_japanese_sphere_page"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=ROOT, env=env, check=False)
    if result.returncode == 0:
        print(f"wrote {PICTURE.relative_to(ROOT)}")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
