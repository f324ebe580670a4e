"""One sphere's grade thresholds grade its KPIs everywhere, at once, in every worker: set through the API by the
secretariat, the sphere page, the project pages, the national comparison's grade counts, the KPI chart's CSV and
the 取組状況 report all show the grades of the new thresholds, in the app that set them and in a second app over
its own store (another worker process, as it were) whose kept answers were made before; a fresh store reads them
too; a reset brings back the defaults. Every grade is computed here from the model objects the sphere was stored
from (``budgetdata``), never through ``renkei.vision.grades``. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import socket
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import lxml.html
import openpyxl
import pytest
from fastapi.testclient import TestClient

from budgetdata import KEY, expected_grade, second_revision, store_figures
from renkei.core.messages import t
from renkei.core.permissions import RoleName
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.vision.guidelines import policy_field
from renkei.vision.model import Kpi
from renkei.web.app import create_app
from webserver import running_server

pytest_plugins = ["budgetdata"]

SECRETARIAT = "jimukyoku"
DEFAULT = (1.0, 0.8, 0.5)
LENIENT = (0.9, 0.7, 0.45)  # moves the first three projects' grades up (0.48 D→C, 0.75 C→B, 0.9 B→A)
REPORTED = 2025
PROJECTS = (0, 1, 2)  # the project pages read: raised, with towns' shares, raised


# What each view should show, from the model objects ------------------------------------------------------


def _grade(kpi: Kpi, town: str, thresholds: tuple[float, float, float]) -> str:
    """The grade on the newest measured result (the whole's, or a town's share), "-" where none is measured."""
    measured = [r for r in kpi.results if r.value is not None and r.town == town]
    if not measured:
        return "-"
    value = max(measured, key=lambda r: r.fiscal_year).value
    assert value is not None
    return expected_grade(kpi, value, *thresholds)[1]


def _compared(title: str) -> str:
    policy = policy_field(title)
    return policy.name if policy is not None else title


def expected(thresholds: tuple[float, float, float]) -> dict[str, Any]:
    vision = second_revision()
    kpis = [(p, k) for p in vision.projects for k in p.kpis]
    grades = [_grade(k, "", thresholds) for _, k in kpis]
    project: dict[tuple[int, str], str] = {}
    for p in (vision.projects[i] for i in PROJECTS):
        for k in p.kpis:
            project[p.number, k.name] = _grade(k, "", thresholds)
            for town in dict.fromkeys(r.town for r in k.results if r.town):
                project[p.number, f"{k.name}（{town}分）"] = _grade(k, town, thresholds)
    compare: dict[str, Counter[str]] = {}
    for (p, _), grade in zip(kpis, grades, strict=True):
        assert p.field is not None
        compare.setdefault(_compared(p.field.title), Counter())[grade] += 1
    report: dict[tuple[int, str, str], str | None] = {}
    for p, k in kpis:
        for town in ["", *dict.fromkeys(r.town for r in k.results if r.town)]:
            found = next((r for r in k.results if r.fiscal_year == REPORTED and r.town == town), None)
            value = found.value if found is not None else None
            report[p.number, k.name, town] = expected_grade(k, value, *thresholds)[1] if value is not None else None
    return {
        "sphere": grades,
        "project": project,
        "compare": {f: [c[g] for g in ("A", "B", "C", "D", "-")] for f, c in compare.items()},
        "chart": grades,
        "report": report,
    }


# What each view shows ------------------------------------------------------------------------------------


def _rows(page: str, selector: str) -> list[list[str]]:
    table = lxml.html.fromstring(page).find_class(selector)[0]
    return [[cell.text_content().strip() for cell in row] for row in table.iter("tr")]


def shown(client: TestClient) -> dict[str, Any]:
    """The grades as a visitor not signed in reads them (the answers every worker keeps)."""
    vision = second_revision()
    sphere = [row[-1] for row in _rows(client.get(f"/spheres/{KEY}").text, "figures-kpis")[1:]]
    project: dict[tuple[int, str], str] = {}
    for p in (vision.projects[i] for i in PROJECTS):
        for row in _rows(client.get(f"/spheres/{KEY}/projects/{p.number}").text, "kpis")[1:]:
            project[p.number, row[0]] = row[-1]
    counted = {
        row["field"]: [row[g] for g in ("grade_a", "grade_b", "grade_c", "grade_d", "ungraded")]
        for row in client.get("/api/compare").json()["rows"]
    }
    compare = {field: counts for field, counts in counted.items() if any(counts)}  # the fields with KPIs
    chart_csv = client.get(f"/spheres/{KEY}/charts/kpis/export/csv")
    assert chart_csv.status_code == 200
    # The last column, less the quote that keeps a spreadsheet from reading "-" as a formula.
    lines = chart_csv.content.decode("utf-8-sig").splitlines()[1:]
    chart = [line.rsplit(",", 1)[-1].strip().removeprefix("'") for line in lines]
    xlsx = client.get(f"/spheres/{KEY}/report/export/xlsx", params={"year": REPORTED})
    assert xlsx.status_code == 200, xlsx.text
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))[t("progress.sheet_kpis", "ja")]
    header, *body = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    share = header.index(t("progress.col_share", "ja"))
    grade = header.index(t("progress.col_grade", "ja", year=REPORTED))
    kpi = header.index(t("progress.col_kpi", "ja"))
    whole = t("progress.whole", "ja")
    report = {(r[0], r[kpi], "" if r[share] == whole else r[share]): r[grade] for r in body}
    return {"sphere": sphere, "project": project, "compare": compare, "chart": chart, "report": report}


# The registry: the sphere with figures, its secretariat, two apps over two stores --------------------------


@pytest.fixture
def workers(db_url: str) -> Iterator[tuple[TestClient, TestClient, dict[str, str]]]:
    with Store.open(db_url) as first, Store.open(db_url) as second:
        store_figures(first)
        first.accounts.add(SECRETARIAT, "a long enough password 1234", "事務局")
        first.accounts.grant(SECRETARIAT, KEY, RoleName.SECRETARIAT)
        token = first.accounts.create_token(SECRETARIAT, "tests")[1]
        with TestClient(create_app(first)) as one, TestClient(create_app(second)) as two:
            yield one, two, {"Authorization": f"Bearer {token}"}


def _put(client: TestClient, auth: dict[str, str], thresholds: tuple[float | None, ...]) -> None:
    answer = client.put(f"/api/spheres/{KEY}/grades", headers=auth, json=dict(zip("abc", thresholds, strict=True)))
    assert answer.status_code == 200, answer.text


def test_new_thresholds_grade_every_view_of_every_worker_at_once(
    workers: tuple[TestClient, TestClient, dict[str, str]], db_url: str
) -> None:
    one, two, auth = workers
    before, after = expected(DEFAULT), expected(LENIENT)
    assert all(before[view] != after[view] for view in before), "the thresholds chosen move every view's grades"
    exported = one.get(f"/spheres/{KEY}/export/json").content
    for client in (one, two):  # each worker's kept answers made at the defaults
        assert shown(client) == before

    _put(one, auth, LENIENT)
    for client in (two, one):
        assert shown(client) == after
    assert one.get(f"/spheres/{KEY}/export/json").content == exported  # a setting, not the document's content
    with Store.open(db_url) as fresh:
        assert fresh.vision(KEY).sphere.grade_thresholds == LENIENT
        assert fresh.results.thresholds(KEY).a == LENIENT[0]
        assert {u.field: list(u.grades) for u in fresh.field_overview() if any(u.grades)} == after["compare"]

    _put(two, auth, (None, None, None))  # back to renkei's default, through the other worker
    for client in (one, two):
        assert shown(client) == before
    with Store.open(db_url) as fresh:
        assert fresh.vision(KEY).sphere.grade_thresholds is None


def test_a_threshold_change_moves_its_spheres_generation_and_the_registrys_only(db_url: str) -> None:
    with Store.open(db_url) as writer, Store.open(db_url) as reader:
        for key in ("sphere-a", "sphere-b"):
            writer.import_reading(read_sample(), SphereSpec(key=key), message="sample")
        a, b, registry = reader.generation("sphere-a"), reader.generation("sphere-b"), reader.generation()
        kept = reader.vision("sphere-a")
        assert kept.sphere.grade_thresholds is None
        writer.results.set_thresholds("sphere-a", {"a": 1.1, "b": 0.9, "c": 0.6}, None)
        assert reader.generation("sphere-a") != a and reader.generation() != registry
        assert reader.generation("sphere-b") == b  # the other sphere's kept answers stay
        assert reader.vision("sphere-a").sphere.grade_thresholds == (1.1, 0.9, 0.6)
        assert reader.vision("sphere-a") == kept  # the same document: thresholds are no part of it
        assert reader.vision("sphere-b").sphere.grade_thresholds is None


# Two worker processes of ``renkei serve`` ------------------------------------------------------------------


def _port() -> int:
    """A free port of the range this test may use (18800–18899)."""
    for port in range(18800, 18900):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 18800–18899")


def _served(url: str) -> tuple[list[str], dict[str, list[int]]]:
    """The sphere page's grades and the comparison's grade counts, as a visitor's browser gets them."""
    with urllib.request.urlopen(f"{url}/spheres/{KEY}", timeout=30) as response:
        page = response.read().decode("utf-8")
    with urllib.request.urlopen(f"{url}/api/compare", timeout=30) as response:
        rows = json.load(response)["rows"]
    sphere = [row[-1] for row in _rows(page, "figures-kpis")[1:]]
    counted = {r["field"]: [r[g] for g in ("grade_a", "grade_b", "grade_c", "grade_d", "ungraded")] for r in rows}
    return sphere, {field: counts for field, counts in counted.items() if any(counts)}


def test_both_worker_processes_of_a_server_regrade_at_once(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    with Store.open(f"sqlite:///{db}") as store:
        store_figures(store)
        store.accounts.add(SECRETARIAT, "a long enough password 1234", "事務局")
        store.accounts.grant(SECRETARIAT, KEY, RoleName.SECRETARIAT)
        token = store.accounts.create_token(SECRETARIAT, "tests")[1]
    port = _port()
    options = ("--db", db, "--port", str(port), "--workers", "2", "--no-country")
    with running_server(tmp_path / "serve.log", *options, port=port) as server, ThreadPoolExecutor(8) as pool:

        def all_show(thresholds: tuple[float, float, float]) -> None:
            want = expected(thresholds)
            # Many at once, so that both workers answer (and keep) some of them.
            for sphere, compare in pool.map(_served, [server.url] * 24):
                assert (sphere, compare) == (want["sphere"], want["compare"])

        all_show(DEFAULT)
        request = urllib.request.Request(
            f"{server.url}/api/spheres/{KEY}/grades",
            data=json.dumps(dict(zip("abc", LENIENT, strict=True))).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        all_show(LENIENT)
