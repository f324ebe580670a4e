"""A short run of scripts/conflicts.py on each backend: two clients, fifty conditional writes through a
``renkei serve --workers 2``, a publish every twenty, and the ABA sequence; nothing lost, no 5xx, every 2xx
the caller's own. The full run (20 clients, 1,000 writes) is the script's default; its figures are in
docs/reliability.md."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conflicts", ROOT / "scripts" / "conflicts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["conflicts"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_conflicting_writes_lose_nothing(db_url: str) -> None:
    conflicts = script()
    summary = conflicts.run(db_url, clients=2, writes=50, every=20, projects=3, workers=2, seed=7)
    assert summary["ok"], summary
    assert summary["writes"] == 50 and summary["accepted"] > 0
    assert summary["revisions"] >= 3  # the sample, the publishes, the ABA publish
    assert "| lost accepted writes | 0 |" in conflicts.markdown(summary)
