"""The project record declared once (renkei.vision.record): the declaration covers the model, every boundary answers the
fields it declares, structured fields travel whole, and a database written before the payload column reads as it
did."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from renkei.core.messages import LANGUAGES, catalogue
from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.store.accounts import Actor
from renkei.vision import record
from renkei.vision.model import Project
from renkei.vision.serialize import vision_to_dict
from renkei.vision.textrules import Problem
from renkei.web.app import create_app

pytest_plugins = ["store_support"]  # the shared fixtures

KEY = "record-test"


def test_every_field_of_a_project_is_declared_once_and_nothing_else() -> None:
    content = [f.name for f in dataclasses.fields(Project) if f.compare]
    declared = [f.name for f in record.PROJECT_FIELDS if f.origin is record.Origin.DECLARED]
    assert sorted(declared) == sorted(content)
    assert len({f.name for f in record.PROJECT_FIELDS}) == len(record.PROJECT_FIELDS)
    for f in record.PROJECT_FIELDS:
        if f.origin is record.Origin.COMPUTED:  # never stored, never edited, never read back from a file
            assert f.storage is record.Storage.NONE and not f.editable
            assert isinstance(getattr(Project, f.name), property)


def test_every_field_has_its_label_in_both_catalogues() -> None:
    for lang in LANGUAGES:
        missing = [f.label_key for f in record.PROJECT_FIELDS if f.label_key not in catalogue(lang)]
        assert not missing, f"{lang}.json lacks {missing}"


def test_the_export_writes_the_declared_keys_in_order_and_the_api_announces_them(tmp_path: Path) -> None:
    vision = read_sample().vision
    exported = vision_to_dict(vision)["projects"][0]
    assert list(exported) == list(record.output_types())
    store = Store.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        schemas = create_app(store).openapi()["components"]["schemas"]
    finally:
        store.close()
    assert list(schemas["ProjectOut"]["properties"]) == list(exported)
    editable = [f.name for f in record.PROJECT_FIELDS if f.editable]
    assert list(schemas["ProjectIn"]["properties"]) == editable
    assert list(schemas["ProjectPatch"]["properties"]) == [*editable, "position"]
    drafted = [f.name for f in record.DRAFTED]
    assert list(schemas["DraftProjectOut"]["properties"]) == [
        "serial",
        "version",
        "retired",
        *drafted,
        "marks",
        "notes",
    ]


@dataclasses.dataclass(frozen=True)
class Result:
    year: int
    value: float | None


@dataclasses.dataclass(frozen=True)
class Indicator:
    """A structured value of another shape than any the registry declares: a KPI with a baseline, a target and
    its results year by year."""

    name: str
    unit: str
    baseline: float | None
    baseline_year: int | None
    target: float | None
    target_year: int | None
    results: tuple[Result, ...] = ()


def test_a_structured_kind_carries_its_records_whole_and_refuses_what_they_cannot_hold() -> None:
    kind = record.Records(Indicator)
    values = [
        Indicator("移住相談件数", "件", 120, 2022, 200.5, 2027, (Result(2023, 131), Result(2024, None))),
        Indicator("図書館の相互利用者数", "人", None, None, 3000, 2029),
    ]
    as_json = json.loads(json.dumps(kind.json(values), ensure_ascii=False))
    assert as_json[1] == {
        "name": "図書館の相互利用者数",
        "unit": "人",
        "baseline": None,
        "baseline_year": None,
        "target": 3000,
        "target_year": 2029,
        "results": [],
    }
    assert as_json[0]["results"] == [{"year": 2023, "value": 131}, {"year": 2024, "value": None}]
    assert kind.from_json(as_json) == values
    del as_json[1]["results"]  # a file written before results were kept: the declared default
    assert kind.from_json(as_json) == values
    assert kind.check("kpis", as_json) == (values, {})
    refused = record.Records(Indicator).check
    for bad in (
        {"name": "x"},  # not a list
        [{"name": "x", "unit": "件", "baseline": "多い", "baseline_year": None, "target": 1, "target_year": 2027}],
        [{"name": "x", "unit": "件", "baseline": 1, "baseline_year": 2020, "target": 1, "target_year": True}],
        [{"name": "x", "unit": "件", "baseline": 1, "baseline_year": 2020, "target": 1, "target_year": 1, "y": 0}],
        [{"unit": "件", "baseline": 1, "baseline_year": 2020, "target": 1, "target_year": 2027}],  # no name
        [
            {
                "name": "x",
                "unit": "件",
                "baseline": 1,
                "baseline_year": 2020,
                "target": 1,
                "target_year": 2027,
                "results": [{"year": "令和5年度", "value": 1}],
            }
        ],
    ):
        assert refused("kpis", bad) == (None, {"kpis": Problem("records-object")})
    assert "図書館" in kind.text(values) and kind.text([]) == "[]"


def test_rebase_cells_name_each_field_and_read_back_to_the_same_project() -> None:
    for p in read_sample().vision.projects:
        cells = record.cells(p)
        assert {"number", "name", "description", "pillar", "field"} <= set(cells)
        assert {k for k in cells if k.startswith("attribute:")} == {f"attribute:{a}" for a in p.attributes}
        back = Project(**record.from_cells(cells))
        assert dataclasses.replace(back, participants=p.participants, declared_count=p.declared_count) == p


def test_a_database_written_before_the_payload_column_reads_as_it_did(db_url: str) -> None:
    """A registry at migration 0005 (the revision and draft rows the code before 0006 wrote: no payload column)
    upgraded to 0006 answers the same vision, the same draft, and takes new edits."""
    with Store.open(db_url) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
        store.accounts.add("secretariat", "a long enough password 1234")
        store.accounts.grant("secretariat", KEY, RoleName.SECRETARIAT)
        actor = Actor(store.accounts.principal(store.accounts.get("secretariat").id), "test")
        first = store.drafts.get(KEY).projects[0]
        store.drafts.update_project(KEY, first.serial, {"attributes": {"担当": "総務課"}}, first.version, actor)
        vision_before = vision_to_dict(store.vision(KEY))
        draft_before = [p.as_dict() for p in store.drafts.get(KEY).projects]
        command.downgrade(store.alembic_config(), "0005")
        with store.engine.connect() as connection:
            for table in ("revision_project", "draft_project"):
                assert "payload" not in {c["name"] for c in inspect(connection).get_columns(table)}
    with Store.open(db_url, check=False) as store:
        assert store.schema_state() == "outdated"
        store.upgrade()
    with Store.open(db_url) as store:
        assert vision_to_dict(store.vision(KEY)) == vision_before
        assert [p.as_dict() for p in store.drafts.get(KEY).projects] == draft_before
        actor = Actor(store.accounts.principal(store.accounts.get("secretariat").id), "test")
        current = store.drafts.get(KEY).projects[0]
        edited = store.drafts.update_project(KEY, current.serial, {"name": "改名した事業"}, current.version, actor)
        assert edited.project.name == "改名した事業"
        assert edited.project.attributes == {"担当": "総務課"}  # the earlier save, kept beside the new one


def test_a_records_canonical_text_is_the_json_modules() -> None:
    """``Kind.canonical`` writes budgets and KPIs without making their objects first: it must be exactly what
    ``json.dumps`` writes for them, whatever the values (a content hash is made of it)."""
    import json

    from renkei.vision.model import Budget, BudgetUnit, Kpi, KpiResult
    from renkei.vision.record import FIELDS

    strange = '改行\n、引用符"、\\、タブ\t、\x00、😀'
    budgets = [
        Budget(2024, 1200),
        Budget(None, 0.1 + 0.2, "円", strange),
        Budget(1989, 10**15),
        Budget(2100, 1e16),
        Budget(2025, -0.0),
        Budget(2026, 123456789.125),
        # Values of other types than the hints name, as a caller's code may give them: each written as json would.
        Budget(2027, True),  # type: ignore[arg-type]
        Budget(2028, 5, BudgetUnit.YEN),
        Budget(2029.0, 7),  # type: ignore[arg-type]
    ]
    kpis = [
        Kpi(strange, "%", 0.5, 2020, None, None, (KpiResult(2021, None), KpiResult(2022, 3.0, strange))),
        Kpi("件数"),
        Kpi("比率", "", float("nan"), None, float("inf"), None, (KpiResult(2023, float("-inf")),)),
        Kpi("一覧", 3, 1, 2020, results=[KpiResult(2021, 2)]),  # type: ignore[arg-type]
    ]
    for name, value in (("budgets", budgets), ("kpis", kpis), ("budgets", []), ("kpis", [])):
        kind = FIELDS[name].kind
        want = json.dumps(kind.json(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert kind.canonical(value) == want
