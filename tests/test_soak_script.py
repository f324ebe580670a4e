"""scripts/soak.py --quick: twenty seconds of mixed reads at 8 connections, edits, publishes and an import
against ``renkei serve --workers 2``; no error, and a Markdown summary with each worker's memory. The long run
(5 and 30 minutes) is the script's; its figures are in docs/reliability.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_quick_soak_runs_without_an_error() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "soak.py"), "--quick"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| errors | 0 |" in done.stdout
    assert done.stdout.count("RSS |") >= 2  # both workers sampled
