"""Running the console command as a user does: a subprocess, with a fixed locale and no debugging switches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

_SCRUBBED = ("RENKEI_LANG", "RENKEI_DEBUG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a test run: C.UTF-8, no language override, so that the default (Japanese) shows."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env["LANG"] = "C.UTF-8"
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m renkei ARGS`` with output captured as text; keyword arguments are environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "renkei", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=cli_env(**env),
        timeout=180,
        check=False,
    )


def check_json(*args: str | Path, **env: str) -> tuple[int, dict[str, Any], str]:
    """``renkei check ARGS --json``: exit status, the one JSON object on stdout, and stderr."""
    result = run("check", *args, "--json", **env)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}
