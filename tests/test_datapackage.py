"""The data package: valid by Frictionless's own validator, and read back (zip or folder) into the very table.

The spheres are the bundled sample (a fragment: its declared totals count 19 missing rows) and 20 synthetic
spheres of both kinds (``renkei.synthetic.synth``, with budgets and KPIs), each at its newest revision with its edition
set as the registry sets it.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from frictionless import Package, validate

from renkei.ingest import Reading, TableReadError, read_bytes, read_path, read_sample
from renkei.ingest.report import check_reading
from renkei.render import get
from renkei.render.datapackage import datapackage_bytes, descriptor
from renkei.synthetic.synth import synthesize
from renkei.vision.checks import check
from renkei.vision.figurecolumns import in_column_order
from renkei.vision.model import Budget, Edition, Kpi, KpiResult, Vision

RENKEI = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "renkei")


def _spheres() -> list[tuple[str, Vision]]:
    sample = read_sample().vision
    sample.edition = Edition("kamikawa-chubu", 1, "2021-04-01")
    found = [("sample", sample)]
    for synth in synthesize(20, seed=25, with_budgets=True):
        last = synth.revisions[-1]
        vision = last.vision
        vision.edition = Edition(synth.key, last.number, last.effective_on.isoformat())
        found.append((synth.key, vision))
    return found


SPHERES = _spheres()


def unpack(data: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(into)
    return into


def assert_same_table(back: Vision, original: Vision) -> None:
    assert back.sphere == original.sphere
    assert back.municipalities == original.municipalities
    assert [m.central for m in back.municipalities] == [m.central for m in original.municipalities]
    assert back.projects == original.projects  # declared counts, roles, headings and attributes included
    assert back.declared_totals == {k: v for k, v in original.declared_totals.items() if v is not None}
    assert back.declared_grand_total == original.declared_grand_total
    assert (back.legend, back.labels, back.edition) == (original.legend, original.labels, original.edition)


@pytest.mark.parametrize(("key", "vision"), SPHERES, ids=[k for k, _ in SPHERES])
def test_frictionless_validates_every_package(key: str, vision: Vision, tmp_path: Path) -> None:
    folder = unpack(datapackage_bytes(vision, source=f"{key}.txt"), tmp_path)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(folder / "datapackage.json"))
    names = ["projects", "participation", "municipalities", "totals", "budgets", "kpis", "kpi_results"]
    assert [r.name for r in package.resources] == names
    assert package.get_resource("projects").read_rows().__len__() == len(vision.projects)
    budgets = package.get_resource("budgets").read_rows()
    assert len(budgets) == sum(len(p.budgets) for p in vision.projects)


def test_the_frictionless_command_validates_the_samples_package(tmp_path: Path) -> None:
    """The command a data user runs, on the package of the bundled sample."""
    command = Path(sys.executable).parent / "frictionless"
    folder = unpack(datapackage_bytes(SPHERES[0][1]), tmp_path)
    done = subprocess.run([str(command), "validate", "datapackage.json"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "INVALID" not in done.stdout and done.stdout.count("VALID") >= 4


@pytest.mark.parametrize(("key", "vision"), SPHERES, ids=[k for k, _ in SPHERES])
def test_a_package_reads_back_into_the_same_table(key: str, vision: Vision, tmp_path: Path) -> None:
    data = datapackage_bytes(vision)
    zipped = read_bytes(data, f"{key}.zip")
    assert zipped.source.format == "datapackage"
    assert_same_table(zipped.vision, vision)
    folder = read_path(unpack(data, tmp_path / key))
    assert_same_table(folder.vision, vision)
    assert [f.code for f in check(zipped.vision)] == [f.code for f in check(vision)]


def test_the_descriptor_carries_the_spheres_facts_and_the_keys() -> None:
    vision = SPHERES[0][1]
    package = descriptor(vision, source="上川中部.pdf")
    facts = package["renkei"]
    central = vision.sphere.central_city
    assert central is not None
    assert facts["sphere"]["name"] == vision.sphere.name and facts["sphere"]["kind"] == vision.sphere.kind.value
    assert facts["sphere"]["central_city"]["code"] == central.code
    assert (facts["edition"]["sphere"], facts["edition"]["revision"]) == ("kamikawa-chubu", 1)
    assert facts["edition"]["effective_on"] == "2021-04-01"
    assert package["sources"] == [{"title": "上川中部.pdf"}]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["projects"]["primaryKey"] == ["順"]
    assert {fk["reference"]["resource"] for fk in schemas["participation"]["foreignKeys"]} == {
        "projects",
        "municipalities",
    }
    code = next(f for f in schemas["municipalities"]["fields"] if f["name"] == "団体コード")
    assert code["type"] == "string" and code["constraints"]["pattern"] == "^[0-9]{6}$"
    assert "検査数字" in code["description"]


def test_a_fragments_declared_totals_are_in_the_package(tmp_path: Path) -> None:
    """The sample's totals count its 19 missing rows: the package keeps them, with what the rows hold."""
    vision = SPHERES[0][1]
    folder = unpack(datapackage_bytes(vision), tmp_path)
    package = Package(str(folder / "datapackage.json"))
    towns = package.get_resource("municipalities").read_rows()
    assert {r["市町村名"]: r["連携事業数計（記載値）"] for r in towns} == vision.declared_totals
    assert {r["市町村名"]: r["欠けた行の参加"] for r in towns} == vision.in_missing_rows()
    totals = package.get_resource("totals").read_rows()[0]
    assert totals["総計（記載値）"] == vision.declared_grand_total
    assert totals["欠けた事業数"] == vision.missing_count() > 0


def test_check_on_a_package_equals_check_on_the_original(tmp_path: Path) -> None:
    original = read_sample()
    data = datapackage_bytes(original.vision)
    back = read_bytes(data, "sample.zip")
    want, got = check_reading(original).to_dict(), check_reading(back).to_dict()
    for key in ("municipalities", "projects", "totals"):
        assert got[key] == want[key], key
    # The reading's own findings (工 read as エ, a pillar inferred) were about the original file's text.
    checked = {f.code for f in check(original.vision)}
    assert {f["code"] for f in got["findings"]} == checked


def test_the_cli_checks_a_package_folder_as_it_checks_the_zip(tmp_path: Path) -> None:
    data = datapackage_bytes(read_sample().vision)
    (tmp_path / "p.zip").write_bytes(data)
    folder = unpack(data, tmp_path / "p")
    zipped = subprocess.run([RENKEI, "check", str(tmp_path / "p.zip"), "--json"], capture_output=True, text=True)
    unpacked = subprocess.run([RENKEI, "check", str(folder), "--json"], capture_output=True, text=True)
    assert (zipped.returncode, unpacked.returncode) == (0, 0), unpacked.stderr
    a, b = json.loads(zipped.stdout), json.loads(unpacked.stdout)
    assert (a["projects"], a["totals"]) == (b["projects"], b["totals"])


def test_codes_a_spreadsheet_mangled_are_recovered_with_a_finding(tmp_path: Path) -> None:
    vision = SPHERES[0][1]
    folder = unpack(datapackage_bytes(vision), tmp_path)
    for name in ("municipalities.csv", "participation.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(",01", ",1"), encoding="utf-8")
    assert ",014524," not in (folder / "participation.csv").read_text(encoding="utf-8")
    back = read_path(folder)
    assert_same_table(back.vision, vision)
    recovered = [f for f in back.findings if f.code == "code-recovered"]
    assert recovered and {f.params["fixed"] for f in recovered} == {m.code for m in vision.municipalities}


def test_a_package_that_is_not_renkeis_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("datapackage.json", json.dumps({"name": "x", "resources": []}))
    with pytest.raises(TableReadError) as refused:
        read_bytes(out.getvalue(), "other.zip")
    assert refused.value.code == "datapackage-not-renkei"
    data = datapackage_bytes(read_sample().vision)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as archive:
        for name in source.namelist():
            if name != "participation.csv":
                archive.writestr(name, source.read(name))
    (tmp_path / "broken.zip").write_bytes(broken.getvalue())
    result = subprocess.run([RENKEI, "check", str(tmp_path / "broken.zip")], capture_output=True, text=True)
    assert result.returncode == 2 and "participation.csv" in result.stderr


def test_a_link_to_no_project_is_refused_not_dropped(tmp_path: Path) -> None:
    folder = unpack(datapackage_bytes(read_sample().vision), tmp_path)
    links = folder / "participation.csv"
    first = links.read_text(encoding="utf-8").splitlines()[1]
    links.write_text(links.read_text(encoding="utf-8") + "999" + first[first.index(",") :] + "\r\n", encoding="utf-8")
    with pytest.raises(TableReadError) as refused:
        read_path(folder)
    assert refused.value.code == "datapackage-invalid" and "999" in str(refused.value.params["reason"])


def test_a_number_printed_twice_keeps_each_projects_own_participants(tmp_path: Path) -> None:
    """Documents repeat a number (number-duplicate): the package keys projects by their row, so the two
    projects keep their own marks, and Frictionless still finds the keys valid."""
    vision = read_sample().vision
    vision.projects[1] = dataclasses.replace(vision.projects[1], number=vision.projects[0].number)
    assert vision.projects[0].participants != vision.projects[1].participants
    data = datapackage_bytes(vision)
    assert_same_table(read_bytes(data, "twice.zip").vision, vision)
    report = validate(str(unpack(data, tmp_path) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_package_is_a_renderer_and_deterministic() -> None:
    renderer = get("datapackage")
    vision = read_sample().vision
    assert renderer.media_type == "application/zip" and renderer.readable
    assert renderer.render(vision) == renderer.render(dataclasses.replace(vision))
    reading: Reading = read_bytes(renderer.render(vision), "sample.zip")
    assert reading.vision.content() == vision.content()


FORMULA_TEXTS = ("=SUM(A1:A9)", "+81 3", "-1 件", "@HYPERLINK(1)", "\t字下げ", "\r行頭", "'=引用")


def _formulas(vision: Vision) -> Vision:
    """A table whose names, descriptions, headings and a column label start the way a spreadsheet runs a formula."""
    vision = dataclasses.replace(vision, projects=[dataclasses.replace(p) for p in vision.projects])
    for project, text in zip(vision.projects, FORMULA_TEXTS, strict=False):
        project.name, project.description = text + project.name, text
        project.attributes = {**project.attributes, "=担当課": text}
    for project, text in zip(vision.projects, FORMULA_TEXTS[:4], strict=False):  # a KPI's name is one line
        project.kpis = [Kpi(text + "指標", "=件", 1.0, 2020, 2.0, 2024, (KpiResult(2021, 1.5),))]
    return vision


@pytest.mark.parametrize(("key", "vision"), SPHERES[:4], ids=[k for k, _ in SPHERES[:4]])
def test_formula_like_texts_are_written_neutral_and_read_back_exactly(key: str, vision: Vision, tmp_path: Path) -> None:
    """No CSV cell of the package starts a formula (the apostrophe the other downloads use), while the numbers
    stay numbers: Frictionless validates the typed schema, and the package reads back into the very table."""
    vision = _formulas(vision)
    data = datapackage_bytes(vision)
    folder = unpack(data, tmp_path)
    for file in folder.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(file.read_text("utf-8"), newline="")))
        live = [c for row in rows for c in row if c.startswith(("=", "+", "@", "\t", "\r"))]
        live += [c for row in rows for c in row if c.startswith("-") and not c.lstrip("-").isdigit()]
        assert not live, (file.name, live[:5])
    written = (folder / "projects.csv").read_text("utf-8")
    assert "'=SUM(A1:A9)" in written and "'\t字下げ" in written and "''=引用" in written
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert_same_table(read_bytes(data, f"{key}.zip").vision, vision)
    assert_same_table(read_path(folder).vision, vision)


def test_a_negative_figure_stays_a_number(tmp_path: Path) -> None:
    """A town whose declared total is below its marks has a negative 欠けた行の参加: written -N (an integer for
    the schema), not neutralised as a formula."""
    vision = read_sample().vision
    town = vision.municipalities[0].name
    vision.declared_totals[town] = vision.present_totals()[town] - 2
    folder = unpack(datapackage_bytes(vision), tmp_path)
    rows = list(csv.DictReader(io.StringIO((folder / "municipalities.csv").read_text("utf-8"), newline="")))
    figures = {r["市町村名"]: r["欠けた行の参加"] for r in rows}
    assert figures[town] == "-2", figures
    assert validate(str(folder / "datapackage.json")).valid


def test_the_official_text_writes_formula_like_texts_neutral_and_reads_them_back() -> None:
    """The official layout (tab-separated text, which a spreadsheet opens too): every text cell neutral once one
    needs it, said in the metadata row; read back, the names are those written. Leading whitespace is trimmed on
    reading, as in every table layout (CSV, XLSX); a lone CR no longer breaks the row."""
    vision = _formulas(read_sample().vision)
    vision.projects[7].name = "途中に\r改行"
    text = get("official").render(vision).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    assert not [c for row in rows for c in row if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "数式無効化：'" in text
    back = read_bytes(text.encode("utf-8"), "table.txt").vision
    assert [p.name for p in back.projects] == [p.name.lstrip("\t\r") for p in vision.projects]
    assert [p.description for p in back.projects] == [p.description.strip() for p in vision.projects]
    plain = get("official").render(read_sample().vision).decode("utf-8")
    assert "数式無効化" not in plain  # a table without such texts is written as before


# Budgets and KPIs ---------------------------------------------------------------------------------------------


def test_the_synthetic_spheres_hold_every_kind_of_budget_and_kpi() -> None:
    """The round trips above are not vacuous: the spheres hold yearly amounts, 総事業費, town shares, amounts in
    円, KPIs to raise and to lower, results and a result listed but not measured."""
    projects = [p for _, v in SPHERES for p in v.projects]
    budgets = [b for p in projects for b in p.budgets]
    kpis = [k for p in projects for k in p.kpis]
    assert any(b.fiscal_year is None for b in budgets) and any(b.fiscal_year is not None for b in budgets)
    assert any(b.town for b in budgets) and {b.unit for b in budgets} == {"千円", "円"}
    assert any(k.target is not None and k.baseline is not None and k.target < k.baseline for k in kpis)
    assert any(k.target is not None and k.baseline is not None and k.target > k.baseline for k in kpis)
    results = [r for k in kpis for r in k.results]
    assert results and any(r.value is None for r in results)


def _yearly(vision: Vision) -> Vision:
    """The sample with budgets and KPIs as a document may give them: fractions, 円, a town's share, a blank target."""
    vision = dataclasses.replace(vision, projects=[dataclasses.replace(p) for p in vision.projects])
    town = vision.municipalities[1].name
    first, second, third = vision.projects[:3]
    first.budgets = [Budget(2024, 1200), Budget(2025, 1500.5), Budget(2025, 300, town=town), Budget(None, 2700.5)]
    second.budgets = [Budget(2024, 1_234_567, "円")]
    first.kpis = [
        Kpi("観光入込客数", "千人", 1200.0, 2023, 1500.0, 2028, (KpiResult(2024, 1310.5), KpiResult(2025, None))),
        Kpi("待機児童数", "人", 12.0, 2023, 0.0, 2028, (KpiResult(2024, 7.0), KpiResult(2024, 2.0, town))),
    ]
    third.kpis = [Kpi("相談件数", "件", None, None, None, None)]
    return in_column_order(vision)  # as a reading gives them: the town's share after the whole project's


def test_budgets_and_kpis_are_written_tidy_as_declared(tmp_path: Path) -> None:
    vision = _yearly(read_sample().vision)
    folder = unpack(datapackage_bytes(vision), tmp_path)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(folder / "datapackage.json"))
    town = vision.municipalities[1].name
    budgets = [
        (r["順"], r["年度"], r["市町村名"], r["事業費"], r["単位"]) for r in package.get_resource("budgets").read_rows()
    ]
    assert budgets == [
        (1, 2024, None, 1200, "千円"),
        (1, 2025, None, 1500.5, "千円"),
        (1, None, None, 2700.5, "千円"),
        (1, 2025, town, 300, "千円"),
        (2, 2024, None, 1234567, "円"),
    ]
    kpis = package.get_resource("kpis").read_rows()
    assert [(r["順"], r["指標番号"], r["指標名"], r["目標値"]) for r in kpis] == [
        (1, 1, "観光入込客数", 1500),
        (1, 2, "待機児童数", 0),
        (3, 1, "相談件数", None),
    ]
    results = package.get_resource("kpi_results").read_rows()
    assert [(r["順"], r["指標番号"], r["年度"], r["市町村名"], r["実績"]) for r in results] == [
        (1, 1, 2024, None, 1310.5),
        (1, 1, 2025, None, None),
        (1, 2, 2024, None, 7),
        (1, 2, 2024, town, 2),
    ]
    assert "達成" not in (folder / "kpis.csv").read_text("utf-8")  # no computed rate among the declared figures
    back = read_path(folder).vision
    assert_same_table(back, vision)
    assert back.projects[0].budgets[1].amount == 1500.5 and back.projects[1].budgets[0].unit == "円"


def test_a_duplicate_budget_breaks_the_packages_key(tmp_path: Path) -> None:
    """Frictionless holds a budget to one row per project, year and town (総事業費 included)."""
    folder = unpack(datapackage_bytes(_yearly(read_sample().vision)), tmp_path)
    path = folder / "budgets.csv"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\r\n".join([*lines, lines[4]]) + "\r\n", encoding="utf-8")
    report = validate(str(folder / "datapackage.json"))
    assert not report.valid and "primary-key" in str(report.flatten(["type"]))


@pytest.mark.parametrize(
    ("file", "line", "needle"),
    [
        ("budgets.csv", "99,99,2024,,100,千円", "99"),
        ("budgets.csv", "1,1,1800,,100,千円", "fiscal-year"),
        ("budgets.csv", "1,1,2030,,百,千円", "事業費"),
        ("kpi_results.csv", "1,1,9,2024,,1", "指標番号"),
    ],
)
def test_a_budget_or_result_that_cannot_be_kept_is_refused(file: str, line: str, needle: str, tmp_path: Path) -> None:
    folder = unpack(datapackage_bytes(_yearly(read_sample().vision)), tmp_path)
    path = folder / file
    path.write_text(path.read_text("utf-8") + line + "\r\n", encoding="utf-8")
    with pytest.raises(TableReadError) as refused:
        read_path(folder)
    assert refused.value.code == "datapackage-invalid" and needle in str(refused.value.params["reason"])
    assert refused.value.params["file"] == file


def test_a_package_written_before_budgets_reads_as_it_did(tmp_path: Path) -> None:
    """An older package has no budgets.csv, kpis.csv or kpi_results.csv: the projects have no budgets."""
    vision = read_sample().vision
    folder = unpack(datapackage_bytes(vision), tmp_path)
    descriptor_path = folder / "datapackage.json"
    package = json.loads(descriptor_path.read_text("utf-8"))
    yearly = ("budgets", "kpis", "kpi_results")
    package["resources"] = [r for r in package["resources"] if r["name"] not in yearly]
    descriptor_path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    for name in yearly:
        (folder / f"{name}.csv").unlink()
    back = read_path(folder).vision
    assert_same_table(back, vision)
    assert all(not p.budgets and not p.kpis for p in back.projects)


def test_the_central_citys_share_without_a_column_is_kept(tmp_path: Path) -> None:
    """A central city bears a share though the table gives it no column: valid, and read back."""
    vision = read_sample().vision
    central = vision.sphere.central_city
    assert central is not None and central.name not in {m.name for m in vision.municipalities}
    vision.projects[0].budgets = [Budget(2025, 1000), Budget(2025, 600, town=central.name)]
    data = datapackage_bytes(vision)
    report = validate(str(unpack(data, tmp_path) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert read_bytes(data, "central.zip").vision.projects[0].budgets == vision.projects[0].budgets
