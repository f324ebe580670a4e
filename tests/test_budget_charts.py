"""The budget and KPI charts: valid Vega-Lite v5 specs stating their figures; drawn by vl-convert, one bar segment
per (fiscal year, field) with heights proportional to the sums computed here from the model objects; and
``renkei chart SPHERE budgets|kpis`` writing them from the registry as SVG and PNG."""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from budgetdata import KEY, first_revision, store_figures
from conftest import require
from renkei.core.messages import t
from renkei.publish.budgetcharts import FIGURES, draw
from renkei.publish.charts import FONT
from renkei.store import Store

LANGUAGES = ("ja", "en")


def _sums() -> dict[tuple[int, str], float]:
    sums: dict[tuple[int, str], float] = defaultdict(float)
    for p in first_revision().projects:
        for b in p.budgets:
            if b.fiscal_year is not None and not b.town:
                sums[b.fiscal_year, str(p.field)] += b.amount
    return sums


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", list(FIGURES))
def test_spec_is_valid_vega_lite_v5_and_described(kind: str, lang: str) -> None:
    require(importlib.util.find_spec("altair") is not None, "altair (the Vega-Lite v5 schema) is not installed")
    import jsonschema

    path = importlib.resources.files("altair") / "vegalite" / "v5" / "schema" / "vega-lite-schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    vision = first_revision()
    spec = draw(vision, kind, lang)
    assert [e.message[:200] for e in jsonschema.Draft7Validator(schema).iter_errors(spec)] == []
    assert spec["title"]["text"] == t(FIGURES[kind].title, lang)
    assert vision.sphere.name in spec["description"] and spec["config"]["font"] == FONT


def test_the_description_states_each_years_total() -> None:
    totals: dict[int, float] = defaultdict(float)
    for (year, _), amount in _sums().items():
        totals[year] += amount
    description = draw(first_revision(), "budgets")["description"]
    for year, total in totals.items():
        assert f"R{year - 2018} {round(total):,}" in description


_BAR = re.compile(r'<path aria-label="([^"]*)"[^>]*aria-roledescription="bar" d="M[-\d.]+,[-\d.]+h[-\d.]+v([-\d.]+)')


def test_svg_has_one_segment_per_year_and_field_with_proportional_heights() -> None:
    require(importlib.util.find_spec("vl_convert") is not None, "vl-convert-python is not installed")
    from renkei.publish.chartfile import convert

    svg = convert(draw(first_revision(), "budgets"), "svg").decode("utf-8")
    segments: dict[tuple[str, str], float] = {}
    for label, height in _BAR.findall(svg):
        parts = dict(part.split(": ", 1) for part in label.split("; "))
        key = (parts["年度"], parts["分野"])
        assert key not in segments
        segments[key] = float(height)
    sums = _sums()
    assert set(segments) == {(f"R{year - 2018}", field) for year, field in sums}
    ratios = [segments[f"R{year - 2018}", field] / amount for (year, field), amount in sums.items()]
    assert max(ratios) - min(ratios) < 0.01 * max(ratios)  # pixels per 千円, the same for every segment


def _run(*args: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "renkei", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def test_chart_command_draws_budgets_and_kpis_from_the_registry(tmp_path: Path) -> None:
    require(importlib.util.find_spec("vl_convert") is not None, "vl-convert-python is not installed")
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    with Store.open(db) as store:
        store_figures(store)
    svg = tmp_path / "budgets.svg"
    result = _run("chart", KEY, "budgets", "-o", svg, "--rev", "1", "--db", db)
    assert result.returncode == 0, result.stderr
    assert len(_BAR.findall(svg.read_text(encoding="utf-8"))) == len(_sums())
    png = tmp_path / "kpis.png"
    result = _run("chart", KEY, "kpis", "-o", png, "--db", db)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    unknown = _run("chart", KEY, "no-such-chart", "-o", tmp_path / "x.svg", "--db", db)
    assert unknown.returncode == 2 and "budgets" in unknown.stderr and "kpis" in unknown.stderr
