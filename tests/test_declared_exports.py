"""Nothing lost, nothing invented: an export checks like the original (issue 11, item 1).

The sample is a fragment (rows missing; its 連携事業数計 counts the whole vision). Exported to every readable
format and checked again as a user would (``renkei export`` then ``renkei check --json``), it gives the same
totals — declared, grand total, missing numbers, links in the missing rows — and the same fragment findings
as ``renkei check --sample``; and the export names the sample's sphere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clirun import check_json, run
from renkei.render import Renderer, renderers

READABLE = [r for r in renderers() if r.readable]
TOTALS = ("declared", "declared_grand_total", "missing_numbers", "in_missing_rows")


@pytest.fixture(scope="module")
def original() -> dict[str, Any]:
    status, data, _ = check_json("--sample")
    assert status == 0
    return data


def fragment_findings(data: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["code"], f["message"]) for f in data["findings"] if f["code"].startswith("fragment"))


@pytest.mark.parametrize("renderer", READABLE, ids=lambda r: r.name)
def test_an_export_checks_like_the_original(renderer: Renderer, original: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / f"sample.{renderer.extension}"
    exported = run("export", "--sample", "--to", renderer.name, "-o", target)
    assert exported.returncode == 0, exported.stderr
    status, data, _ = check_json(target)
    assert status == 0
    assert {k: data["totals"][k] for k in TOTALS} == {k: original["totals"][k] for k in TOTALS}
    assert original["totals"]["declared_grand_total"] != original["totals"]["present_grand_total"]  # a fragment
    assert fragment_findings(data) == fragment_findings(original) != []
    assert data["sphere"] == original["sphere"]
