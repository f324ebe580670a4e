"""The standing fault suite, briefly: scripts/killsweep.py and scripts/fuzz.py in their --quick modes.

The long runs (30 kill points per path and backend, 30 minutes of fuzzing) are done by hand and their figures
kept in docs/reliability.md; here each script runs as CI would run it long, on a few points and cases.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, _postgres_problem, postgres_base_url, require


def script(name: str, *args: str, tmp_path: Path) -> dict[str, object]:
    report = tmp_path / f"{name}.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / f"{name}.py"), "--quick", "--report", str(report), *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return summary


def test_a_killed_import_manifest_import_or_publish_leaves_the_registry_whole(tmp_path: Path) -> None:
    problem = _postgres_problem(postgres_base_url())
    require(problem is None, f"PostgreSQL is not reachable: {problem}")
    summary = script("killsweep", tmp_path=tmp_path)
    groups = summary["groups"]
    assert isinstance(groups, dict)
    expected = {
        f"{path}/{backend}"
        for path in ("import", "webimport", "manifest", "publish", "rebase")
        for backend in ("sqlite", "postgresql")
    }
    assert set(groups) == expected
    for name, group in groups.items():
        assert group["failed"] == 0, (name, summary["failures"])
        assert group["old"] + group["new"] >= 1, name  # at least the named checkpoint was a real kill
    assert summary["failures"] == []


def test_the_fuzz_script_runs_cases_in_subprocesses_and_finds_no_failure(tmp_path: Path) -> None:
    summary = script("fuzz", "--out", str(tmp_path / "found"), tmp_path=tmp_path)
    assert summary["cases"] == 24
    assert summary["failures"] == {}
    assert set(summary["exits"]) <= {"0", "1", "2"}  # type: ignore[arg-type]
    assert not (tmp_path / "found").exists()
