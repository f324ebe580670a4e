"""Charts: Vega-Lite v5 specs built from a vision (valid against the schema, figures from the marks) and the
``renkei chart`` command that draws them as SVG or PNG with vl-convert, Japanese in glyphs, without a browser."""

from __future__ import annotations

import importlib.resources
import importlib.util
import itertools
import json
import math
import re
import struct
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from clirun import run
from conftest import require
from renkei.core.messages import LANGUAGES, catalogue, t
from renkei.ingest import read_sample
from renkei.publish import charts
from renkei.publish.charts import CHARTS, build
from renkei.vision.model import Vision
from renkei.vision.table import format_numbers
from seedfacts import SeedFacts
from test_roundtrip import visions

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
KINDS = list(CHARTS)


@pytest.fixture(scope="module")
def vision() -> Vision:
    return read_sample().vision


@cache
def vega_lite_schema() -> dict[str, Any] | None:
    """The Vega-Lite v5 JSON schema, offline: the copy the altair package ships."""
    if importlib.util.find_spec("altair") is None:
        return None
    path = importlib.resources.files("altair") / "vegalite" / "v5" / "schema" / "vega-lite-schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def has_vl_convert() -> bool:
    return importlib.util.find_spec("vl_convert") is not None


def layer_data(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    """The inline rows a mark of the spec draws (from its layer's data, else the spec's)."""
    for layer in spec["layer"]:
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if kind == mark:
            rows: list[dict[str, Any]] = (layer.get("data") or spec["data"])["values"]
            return rows
    raise AssertionError(f"no {mark} layer")


# The specs ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_spec_is_valid_vega_lite_v5(kind: str, lang: str, vision: Vision) -> None:
    schema = vega_lite_schema()
    require(schema is not None, "altair (which ships the Vega-Lite v5 JSON schema) is not installed")
    import jsonschema

    spec = build(vision, kind, lang)
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in jsonschema.Draft7Validator(schema).iter_errors(spec)
    ]
    assert errors == []
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    json.dumps(spec)  # plain data only


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_spec_is_described_titled_and_names_a_cjk_font(kind: str, lang: str, vision: Vision) -> None:
    spec = build(vision, kind, lang)
    assert spec["title"]["text"] == t(CHARTS[kind].title, lang)
    assert vision.sphere.name in spec["title"]["subtitle"]
    description = spec["description"]
    assert vision.sphere.name in description and len(description) > 40
    config = spec["config"]
    assert config["font"] == charts.FONT == "Noto Sans CJK JP"
    for part in ("axis", "legend"):
        assert config[part]["labelFont"] == config[part]["titleFont"] == charts.FONT
    assert config["title"]["font"] == charts.FONT


def test_chart_titles_are_in_both_catalogues() -> None:
    for chart in CHARTS.values():
        texts = {lang: catalogue(lang).get(chart.title) for lang in LANGUAGES}
        assert all(texts.values()), (chart.kind, texts)
        assert texts["ja"] != texts["en"]


def test_catalogues_have_the_same_chart_and_pdf_keys() -> None:
    keys = {lang: {k for k in catalogue(lang) if k.startswith(("chart.", "pdf."))} for lang in LANGUAGES}
    assert keys["ja"] == keys["en"]
    assert keys["ja"]


def test_unknown_kind_is_a_key_error(vision: Vision) -> None:
    with pytest.raises(KeyError):
        build(vision, "no-such-chart")


# Projects per municipality ----------------------------------------------------------------------------------------


def test_projects_shows_present_and_declared_side_by_side(vision: Vision, facts: SeedFacts) -> None:
    spec = build(vision, "projects")
    rows = layer_data(spec, "bar")
    present_label, declared_label = t("chart.series.present"), t("chart.series.declared")
    present = {r["municipality"]: r["projects"] for r in rows if r["series"] == present_label}
    declared = {r["municipality"]: r["projects"] for r in rows if r["series"] == declared_label}
    assert present == dict(zip(facts.towns, facts.present_totals, strict=True))
    # The seed is a fragment: its declared totals count rows that are not there, and the chart shows both.
    assert facts.declared_totals != facts.present_totals
    assert declared == dict(zip(facts.towns, facts.declared_totals, strict=True))
    encoding = spec["encoding"]
    assert encoding["y"]["sort"] == facts.towns  # column order
    assert encoding["yOffset"]["field"] == "series"
    assert encoding["color"]["scale"]["domain"] == [present_label, declared_label]
    assert encoding["color"]["title"] == t("chart.series")
    subtitle = " ".join(spec["title"]["subtitle"])
    assert t("chart.note.declared_differs") in subtitle
    assert str(len(facts.missing_numbers)) in subtitle
    for town, total in zip(facts.towns, facts.declared_totals, strict=True):
        assert f"{town} {total}" in spec["description"]


def test_projects_of_a_consistent_vision_has_one_series(vision: Vision, facts: SeedFacts) -> None:
    spec = build(vision.with_computed_figures(), "projects", "en")
    rows = layer_data(spec, "bar")
    assert [r["projects"] for r in rows] == facts.present_totals
    assert {r["series"] for r in rows} == {t("chart.series.present", "en")}
    assert "yOffset" not in spec["encoding"]
    assert spec["encoding"]["x"]["title"] == t("chart.axis.projects", "en")
    assert spec["encoding"]["y"]["title"] == t("chart.axis.municipality", "en")


def test_axis_titles_follow_the_language(vision: Vision) -> None:
    ja, en = build(vision, "projects", "ja"), build(vision, "projects", "en")
    assert ja["encoding"]["x"]["title"] == t("chart.axis.projects", "ja")
    assert en["encoding"]["x"]["title"] == t("chart.axis.projects", "en")
    assert ja["encoding"]["x"]["title"] != en["encoding"]["x"]["title"]
    assert ja["description"] != en["description"]


# Field × municipality ------------------------------------------------------------------------------------------


def test_heatmap_counts_the_projects_of_each_field(vision: Vision, facts: SeedFacts) -> None:
    spec = build(vision, "heatmap")
    cells = layer_data(spec, "rect")
    fields = vision.fields()
    assert len(cells) == len(fields) * len(facts.towns)  # a full grid, zeros included
    assert spec["encoding"]["x"]["sort"] == facts.towns
    assert len(spec["encoding"]["y"]["sort"]) == len(fields)
    for (pillar, field), label in zip(fields, spec["encoding"]["y"]["sort"], strict=True):
        assert label.endswith(str(field))
        if pillar is not None:
            assert label.startswith(pillar.label)
        of_field = [p for p in vision.projects if (p.pillar, p.field) == (pillar, field)]
        for m in vision.municipalities:
            cell = next(c for c in cells if c["field"] == label and c["municipality"] == m.display)
            assert cell["projects"] == sum(1 for p in of_field if m.name in p.participants)
            assert cell["in_field"] == len(of_field)
    # Each town's row of cells adds up to its projects in the table, as an independent reading counts them.
    for town, total in zip(facts.towns, facts.present_totals, strict=True):
        assert sum(c["projects"] for c in cells if c["municipality"] == town) == total
    text_layer = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert text_layer["encoding"]["text"]["field"] == "projects"


# Co-participation network ---------------------------------------------------------------------------------------


def test_network_nodes_lie_on_a_circle_in_column_order(vision: Vision, facts: SeedFacts) -> None:
    spec = build(vision, "network")
    nodes = layer_data(spec, "circle")
    assert [n["municipality"] for n in nodes] == facts.towns
    assert [n["projects"] for n in nodes] == facts.present_totals
    points = [(n["x"], n["y"]) for n in nodes]
    for x, y in points:
        assert math.hypot(x, y) == pytest.approx(1, abs=1e-3)
    gaps = {round(math.dist(a, b), 3) for a, b in itertools.pairwise([*points, points[0]])}
    assert len(gaps) == 1  # evenly spaced
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert labels and all(layer["encoding"]["text"]["field"] == "municipality" for layer in labels)
    assert vision.sphere.central_city is not None
    assert t("chart.note.central_city", city=vision.sphere.central_city.name) in spec["title"]["subtitle"]


def test_network_edges_are_weighted_by_the_projects_two_towns_share(vision: Vision, facts: SeedFacts) -> None:
    spec = build(vision, "network")
    edges = layer_data(spec, "rule")
    nodes = {(n["x"], n["y"]): n["municipality"] for n in layer_data(spec, "circle")}
    found = {frozenset((nodes[(e["x"], e["y"])], nodes[(e["x2"], e["y2"])])): e["shared"] for e in edges}
    expected = {}
    for (i, a), (j, b) in itertools.combinations(enumerate(facts.towns), 2):
        shared = sum(1 for row in facts.rows if row.marks[i] and row.marks[j])
        if shared:
            expected[frozenset((a, b))] = shared
    assert found == expected
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert rule["encoding"]["strokeWidth"]["field"] == "shared"
    assert rule["encoding"]["opacity"]["field"] == "shared"
    assert {"field": "shared", "type": "quantitative", "title": t("chart.shared")} in rule["encoding"]["tooltip"]
    strongest = max(expected.values())
    assert f"{strongest}" in spec["description"]


def test_network_leaves_out_pairs_that_share_nothing(vision: Vision) -> None:
    # Only the last project survives: pairs without it share nothing and get no line.
    last = vision.projects[-1]
    alone = Vision(vision.sphere, vision.municipalities, [last])
    edges = layer_data(build(alone, "network"), "rule")
    assert len(edges) == math.comb(last.count, 2)
    assert all(e["shared"] == 1 for e in edges)


def test_number_ranges_are_short() -> None:
    # One formatter for the charts' notes, the PDF's and the findings (renkei.vision.table): a run of two is "7–8" too.
    assert format_numbers([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"
    assert format_numbers([]) == ""


# renkei chart -------------------------------------------------------------------------------------------------


def svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)]


@pytest.mark.parametrize("kind", KINDS)
def test_chart_command_writes_svg_with_the_town_names_as_text(kind: str, tmp_path: Path, facts: SeedFacts) -> None:
    require(has_vl_convert(), "vl-convert-python is not installed")
    target = tmp_path / f"{kind}.svg"
    result = run("chart", "--sample", kind, "-o", target)
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stderr
    svg = target.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "</svg>" in svg
    texts = svg_texts(svg)
    for town in facts.towns:
        assert town in texts, town
    assert "Noto Sans CJK JP" in svg
    assert 'aria-label="' in svg or "<desc" in svg  # the spec's description reaches the drawing


@pytest.mark.parametrize("kind", KINDS)
def test_chart_command_writes_a_real_png(kind: str, tmp_path: Path) -> None:
    require(has_vl_convert(), "vl-convert-python is not installed")
    target = tmp_path / f"{kind}.png"
    result = run("chart", "--sample", kind, "-o", target, "--scale", "1")
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    spec = build(read_sample().vision, kind)
    assert width > 200 and height > 200
    if isinstance(spec.get("width"), int):
        assert width >= spec["width"]


def test_japanese_is_drawn_in_glyphs_not_boxes(facts: SeedFacts) -> None:
    """Two names of the same length drawn alone: with a missing font both would be the same row of boxes."""
    require(has_vl_convert(), "vl-convert-python is not installed")
    from renkei.publish.chartfile import convert

    a, b = next((a, b) for a, b in itertools.combinations(facts.towns, 2) if len(a) == len(b))

    def drawn(name: str) -> bytes:
        spec = {
            "$schema": charts.SCHEMA,
            "data": {"values": [{"name": name}]},
            "mark": {"type": "text", "fontSize": 40, "font": charts.FONT},
            "encoding": {"text": {"field": "name"}},
            "width": 200,
            "height": 60,
        }
        return convert(spec, "png", 1)

    assert drawn(a) != drawn(b)


def test_chart_command_json_is_the_spec(tmp_path: Path) -> None:
    target = tmp_path / "spec.json"
    result = run("chart", "--sample", "network", "-o", target)
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == build(read_sample().vision, "network")
    stdout = run("--lang", "en", "chart", "--sample", "heatmap", "--format", "json")
    assert stdout.returncode == 0
    assert json.loads(stdout.stdout) == build(read_sample().vision, "heatmap", "en")


def test_chart_command_refuses_an_unknown_kind_listing_the_kinds() -> None:
    result = run("chart", "--sample", "no-such-chart", "-o", "x.svg")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "no-such-chart" in result.stderr
    for kind in KINDS:
        assert kind in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_chart_command_refuses_an_unknown_file_type(tmp_path: Path) -> None:
    result = run("chart", "--sample", KINDS[0], "-o", tmp_path / "chart.gif")
    assert result.returncode == 2
    assert ".gif" in result.stderr and "svg" in result.stderr and "png" in result.stderr
    assert not (tmp_path / "chart.gif").exists()


@pytest.mark.parametrize("args", [["--sample"], ["--sample", "a", "b"], ["only-one"]], ids=["none", "two", "one"])
def test_chart_command_wants_sphere_and_kind(args: list[str]) -> None:
    result = run("chart", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_chart_command_reads_the_registry(tmp_path: Path, facts: SeedFacts) -> None:
    require(has_vl_convert(), "vl-convert-python is not installed")
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    assert run("import", "--sample", "--db", db).returncode == 0
    key = json.loads(run("spheres", "--json", "--db", db).stdout)[0]["key"]
    target = tmp_path / "projects.svg"
    result = run("chart", key, "projects", "-o", target, "--rev", "1", "--db", db)
    assert result.returncode == 0, result.stderr
    texts = svg_texts(target.read_text(encoding="utf-8"))
    assert all(town in texts for town in facts.towns)
    assert all(str(n) in texts for n in facts.present_totals)

    missing = run("chart", "no-such-sphere", "projects", "-o", tmp_path / "x.svg", "--db", db)
    assert missing.returncode == 2
    assert "no-such-sphere" in missing.stderr and "Traceback" not in missing.stderr
    no_revision = run("chart", key, "projects", "-o", tmp_path / "x.svg", "--rev", "99", "--db", db)
    assert no_revision.returncode == 2
    assert not (tmp_path / "x.svg").exists()


@settings(max_examples=60, deadline=None)
@given(vision=visions())
def test_shared_projects_counts_for_every_pair_the_projects_both_take_part_in(vision: Vision) -> None:
    """The network's weights: for every pair of columns, in column order, the projects with both among their
    participants, counted here the plain way over every project."""
    names = [m.name for m in vision.municipalities]
    expected = {
        (a, b): sum(1 for p in vision.projects if a in p.participants and b in p.participants)
        for a, b in itertools.combinations(names, 2)
    }
    shared = charts.shared_projects(vision)
    assert shared == expected and list(shared) == list(expected)


def test_shared_projects_of_the_sample() -> None:
    """On the seed: a pair's count is the projects whose row marks both towns, read from the table itself."""
    vision = read_sample().vision
    shared = charts.shared_projects(vision)
    a, b = vision.municipalities[0].name, vision.municipalities[1].name
    assert shared[a, b] == sum(1 for p in vision.projects if {a, b} <= set(p.participants))
    assert sum(shared.values()) == sum(len(p.participants) * (len(p.participants) - 1) // 2 for p in vision.projects)


@pytest.mark.parametrize("kind", ["budgets", "kpis"])
def test_a_chart_of_figures_a_table_lacks_is_refused_with_why(kind: str, tmp_path: Path) -> None:
    """The sample has no budget or indicator columns: no empty axis is written, the command says why (exit 1)."""
    assert not any(p.budgets or p.kpis for p in read_sample().vision.projects)
    target = tmp_path / f"{kind}.png"
    result = run("chart", "--sample", kind, "-o", target)
    assert result.returncode == 1 and not target.exists()
    assert t("cli.chart_empty", "ja", chart=t(f"chart.{kind}", "ja")) in result.stderr.replace("\n", "")


def test_an_export_of_a_table_with_errors_says_so(tmp_path: Path, facts: SeedFacts) -> None:
    """renkei export writes the table as the document says, and says that it has errors (a wrong count)."""
    a, b = facts.towns[:2]
    source = tmp_path / "wrong.csv"
    source.write_text(f"番号,事業名,{a},{b},連携町数\n1,救急医療の連携,○,○,3\n", encoding="utf-8")
    result = run("export", source, "--to", "csv", "-o", tmp_path / "out.csv")
    assert result.returncode == 0 and (tmp_path / "out.csv").exists()
    assert t("cli.export_with_errors", "ja", n=1) in result.stderr.replace("\n", "")
    clean = run("export", "--sample", "--to", "csv", "-o", tmp_path / "sample.csv")
    assert clean.returncode == 0 and t("cli.export_with_errors", "ja", n=1)[:8] not in clean.stderr
