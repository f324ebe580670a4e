"""Budgets and KPIs in the wide tables renkei writes (issue 26): every readable format reads back with every
budget and indicator intact, the columns come from the record's payload fields, and a table without them is
written exactly as before (no column added)."""

from __future__ import annotations

import dataclasses

import pytest

from renkei.ingest import read_bytes, read_sample
from renkei.render import Renderer, get, renderers
from renkei.vision import record
from renkei.vision.figurecolumns import figure_columns
from renkei.vision.model import Budget, Kpi, KpiResult, Severity, Vision
from renkei.vision.table import table_view

READABLE = [r for r in renderers() if r.readable]


def with_figures(vision: Vision) -> Vision:
    """The sample with budgets and indicators on its first projects: yearly amounts and a total in 千円, a town's
    share, an amount in 円 on another project, two indicators on one project (one to lower), results per year
    and one town's result, a fraction, and a project with an indicator but no figures yet."""
    towns = [m.name for m in vision.municipalities]
    projects = [dataclasses.replace(p) for p in vision.projects]
    first, second, third = projects[0], projects[1], projects[2]
    first.budgets = [
        Budget(2024, 1200),
        Budget(2025, 1500),
        Budget(None, 2700),
        Budget(2024, 300, town=towns[0]),
    ]
    first.kpis = [
        Kpi("救急搬送件数", "件", 120, 2023, 150, 2028, (KpiResult(2024, 130), KpiResult(2024, 12, towns[1]))),
        Kpi("搬送時間", "分", 42.5, 2023, 38.0, 2028, (KpiResult(2024, 40.25),)),
    ]
    second.budgets = [Budget(2019, 5_000_000, "円"), Budget(2020, 4_500_000, "円")]
    third.kpis = [Kpi("参加者数", "人")]
    return dataclasses.replace(vision, projects=projects, plan_period=(2019, 2028))


@pytest.fixture(scope="module")
def vision() -> Vision:
    return with_figures(read_sample().vision)


@pytest.mark.parametrize("renderer", READABLE, ids=[r.name for r in READABLE])
def test_budgets_and_kpis_read_back_from_every_readable_format(renderer: Renderer, vision: Vision) -> None:
    reading = read_bytes(renderer.render(vision), f"figures.{renderer.extension}")
    back = reading.vision
    for got, want in zip(back.projects, vision.projects, strict=True):
        assert sorted(map(repr, got.budgets)) == sorted(map(repr, want.budgets)), want.number
        assert got.kpis == want.kpis, want.number
    assert back.content() == vision.content()
    # The plan period (not content) where the format has a title line or the JSON facts for it.
    if renderer.name in ("official", "markdown", "xlsx", "json", "datapackage"):
        assert back.plan_period == (2019, 2028)
    figure_codes = {"figure-unreadable", "budget-total-mismatch", "budget-unit-missing", "kpi-name-missing"}
    assert not [f for f in reading.findings if f.code in figure_codes and f.severity is not Severity.INFO]


def test_the_columns_follow_the_record_fields(vision: Vision) -> None:
    """Every payload field of PROJECT_FIELDS gives the view its columns: the budgets' and the KPIs' in their order,
    a column per (town, unit, year) and per indicator part."""
    columns = figure_columns(vision)
    payload = [f.name for f in record.PROJECT_FIELDS if f.storage is record.Storage.PAYLOAD]
    assert [c.field for c in columns] == sorted((c.field for c in columns), key=payload.index)
    labels = [c.label for c in columns]
    assert "事業費（千円）令和6年度" in labels and "事業費（千円）合計" in labels
    assert "事業費（円）平成31年度" not in labels and "事業費（円）令和元年度" in labels
    assert any(label.endswith("負担（千円）令和6年度") for label in labels)
    assert "成果指標2" in labels and "実績2（令和6年度）" in labels
    view = table_view(vision)
    assert [c.label for c in view.head if c.kind == "figure"] == labels


def test_a_later_payload_field_shows_too(vision: Vision, monkeypatch: pytest.MonkeyPatch) -> None:
    """A payload field declared after budgets and KPIs, with no grammar of its own, gets a column of its values."""
    extra = record.Field("measures", record.Records(KpiResult), storage=record.Storage.PAYLOAD)
    measured = [KpiResult(2024, 1.5)]
    monkeypatch.setattr(record, "PROJECT_FIELDS", (*record.PROJECT_FIELDS, extra))
    plain = record.Field.value
    monkeypatch.setattr(record.Field, "value", lambda f, p: measured if f.name == "measures" else plain(f, p))
    columns = figure_columns(vision)
    assert columns[-1].label == "measures"
    assert '"value": 1.5' in columns[-1].cell(vision.projects[0])


def test_a_plan_period_is_read_from_a_title_or_note_line() -> None:
    text = "上川中部定住自立圏\n計画期間：令和元年度～令和５年度\n番号\t事業名\t旭川市\t鷹栖町\n1\t医療\t○\t○\n"
    assert read_bytes(text.encode("utf-8"), "t.txt").vision.plan_period == (2019, 2023)
    assert read_sample().vision.plan_period is None


def test_a_table_without_figures_has_no_figure_columns() -> None:
    vision = read_sample().vision
    assert figure_columns(vision) == []
    assert not [c for c in table_view(vision).head if c.kind == "figure"]
    official = get("official").render(vision).decode("utf-8")
    assert "事業費" not in official and "成果指標" not in official


def test_the_store_keeps_every_budget_indicator_and_the_plan_period(vision: Vision, db_url: str) -> None:
    """Imported into the registry (both backends) and read back, then exported as JSON and imported again:
    the budgets, indicators and the stated plan period are those of the document."""
    import datetime

    from renkei.store import SphereSpec, Store
    from renkei.vision.serialize import vision_from_dict, vision_to_dict

    with Store.open(db_url) as store:
        store.import_vision(vision, SphereSpec(key="figures"), effective_on=datetime.date(2024, 4, 1), message="r1")
        back = store.vision("figures")
    assert back.plan_period == vision.plan_period
    assert [(p.number, p.budgets, p.kpis) for p in back.projects] == [
        (p.number, p.budgets, p.kpis) for p in vision.projects
    ]
    again = vision_from_dict(vision_to_dict(back))
    assert again.plan_period == vision.plan_period
    assert [p.kpis for p in again.projects] == [p.kpis for p in vision.projects]


def with_listed_years(vision: Vision) -> Vision:
    """Indicators whose years are listed but not yet measured (``KpiResult(year, None)``) beside measured ones: a
    blank 実績 year next to a measured one, one town's blank year, an indicator whose only year is blank, and one
    with no result for a year another indicator lists (its cell there is no result at all, not a blank year)."""
    towns = [m.name for m in vision.municipalities]
    projects = [dataclasses.replace(p) for p in vision.projects]
    projects[0].kpis = [
        Kpi("救急搬送件数", "件", target=150, target_year=2028, results=(KpiResult(2024, 130), KpiResult(2025, None))),
        Kpi("搬送時間", "分", results=(KpiResult(2024, 40.5), KpiResult(2024, None, towns[1]))),
    ]
    projects[1].kpis = [Kpi("参加者数", "人", results=(KpiResult(2025, None),))]
    projects[2].kpis = [Kpi("相談件数", "件", results=(KpiResult(2025, 12),))]
    projects[3].kpis = [Kpi("利用者数", "人")]
    return dataclasses.replace(vision, projects=projects)


@pytest.mark.parametrize("renderer", READABLE, ids=[r.name for r in READABLE])
def test_a_blank_result_year_reads_back_as_listed_not_measured(renderer: Renderer) -> None:
    vision = with_listed_years(read_sample().vision)
    reading = read_bytes(renderer.render(vision), f"listed.{renderer.extension}")
    for got, want in zip(reading.vision.projects, vision.projects, strict=True):
        assert got.kpis == want.kpis, (renderer.name, want.number)
    assert not [f for f in reading.findings if f.code in ("figure-unreadable", "kpi-name-missing")]


def test_a_blank_result_cell_of_a_named_indicator_is_a_listed_year() -> None:
    """As an official table writes it: a blank 実績 cell is the year listed, not yet measured; a dash (－) is no
    result for the year; a row without an indicator lists none."""
    rows = [
        ["番号", "事業名", "旭川市", "鷹栖町", "成果指標", "単位", "実績（令和6年度）", "実績（令和7年度）"],
        ["1", "医療", "○", "○", "受診者数", "人", "120", ""],
        ["2", "防災", "○", "○", "訓練回数", "回", "－", ""],
        ["3", "観光", "○", "○", "", "", "", ""],
    ]
    text = "\n".join("\t".join(r) for r in rows).encode("utf-8")
    kpis = [p.kpis for p in read_bytes(text, "t.txt").vision.projects]
    assert kpis == [
        [Kpi("受診者数", "人", results=(KpiResult(2024, 120), KpiResult(2025, None)))],
        [Kpi("訓練回数", "回", results=(KpiResult(2025, None),))],
        [],
    ]
