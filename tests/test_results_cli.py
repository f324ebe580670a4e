"""``renkei grades`` and ``renkei report`` as a user runs them, the results page's forms (a figure that is no
number, a stale version, the thresholds), and the thresholds through a backup: on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from clirun import run
from editing_support import session_csrf, signed_in
from renkei.core.messages import t
from renkei.store import Actor, ResultEntry, Store, dump, restore
from renkei.web.app import create_app
from results_support import INDICATORS, KEY, SECRETARIAT, expected_grade, expected_rate, filled
from seedfacts import SeedFacts


def test_grades_and_report_on_the_command_line(db_url: str, facts: SeedFacts, tmp_path: Path) -> None:
    store, chosen = filled(db_url, facts.towns[0])
    secretariat = store.accounts.principal(store.accounts.get(SECRETARIAT).id)
    draft = store.drafts.get(KEY)
    serial = next(p for p in draft.projects if p.project.number == chosen[0].number)
    store.results.enter(KEY, [ResultEntry(serial.serial, serial.version, 0, 2025, 19_000.0)], Actor(secretariat))
    store.drafts.publish(KEY, "2025年度の実績", Actor(secretariat))
    store.close()

    refused = run("grades", KEY, "--db", db_url, "--a", "50", "--b", "80", "--c", "10")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert t("invalid.grade-thresholds", "ja", max=1000) in refused.stderr
    set_ = run("grades", KEY, "--db", db_url, "--a", "95", "--b", "90", "--c", "40")
    assert set_.returncode == 0, set_.stderr
    shown = run("grades", KEY, "--db", db_url, "--json")
    assert json.loads(shown.stdout) == {"sphere": KEY, "a": 0.95, "b": 0.9, "c": 0.4}
    with Store.open(db_url) as reopened:
        entry = reopened.accounts.audit(KEY, limit=1)[0][0]
        assert (entry.action, entry.username, entry.after) == ("grade-thresholds", "-", {"a": 0.95, "b": 0.9, "c": 0.4})

    out = tmp_path / "report.xlsx"
    made = run("report", KEY, "--year", "2025", "--format", "xlsx", "-o", out, "--db", db_url)
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(out)
    rows = list(book.worksheets[3].iter_rows(values_only=True))
    header = [str(c) for c in rows[1]]
    grade = rows[2:][[r[header.index(t("progress.col_kpi", "ja"))] for r in rows[2:]].index(INDICATORS[0].name)]
    rate = expected_rate(INDICATORS[0], 19_000.0)  # 95 %: an A under 95/90/40, a B under the default
    assert grade[header.index(t("progress.col_grade", "ja", year=2025))] == expected_grade(rate, 0.95, 0.9, 0.4) == "A"
    unknown = run("report", "no-such-sphere", "--year", "2025", "-o", tmp_path / "x.pdf", "--db", db_url)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr and not (tmp_path / "x.pdf").exists()


def test_the_thresholds_survive_a_backup(db_factory: Callable[[], str], facts: SeedFacts) -> None:
    make = db_factory
    store, _ = filled(make(), facts.towns[0])
    store.results.set_thresholds(KEY, {"a": 1.1, "b": 0.7, "c": 0.3}, None)
    out = io.StringIO()
    dump(store, out)
    store.close()
    with Store.open(make()) as other:
        restore(other, out.getvalue().splitlines())
        assert other.results.thresholds(KEY).a == 1.1
        again = io.StringIO()
        dump(other, again)
    assert again.getvalue() == out.getvalue()


def test_the_pages_forms(db_url: str, facts: SeedFacts) -> None:
    store, chosen = filled(db_url, facts.towns[0])
    with store:
        app = create_app(store)
        client = signed_in(app, SECRETARIAT)
        csrf = session_csrf(client)
        page = client.get(f"/spheres/{KEY}/results", params={"year": 2025})
        assert page.status_code == 200 and INDICATORS[0].name in page.text
        # The sphere's public page offers the report of the fiscal year under way, its vision having KPIs.
        assert f"/spheres/{KEY}/report/export/pdf?year=" in TestClient(app).get(f"/spheres/{KEY}").text
        draft = store.drafts.get(KEY)
        dp = next(p for p in draft.projects if p.project.number == chosen[0].number)
        field = f"r|{dp.serial}|0|"
        form = {"csrf": csrf, "year": "2025", f"version|{dp.serial}": str(dp.version), "was|" + field[2:]: ""}
        bad = client.post(f"/spheres/{KEY}/results", data={**form, field: "多い"})
        assert bad.status_code == 422 and t("invalid.result-number", "ja") in bad.text
        assert store.drafts.project(KEY, dp.serial) == dp  # nothing written
        good = client.post(f"/spheres/{KEY}/results", data={**form, field: "２０，０００"}, follow_redirects=False)
        assert good.status_code == 303, good.text
        assert store.drafts.project(KEY, dp.serial).project.kpis[0].results[0].value == 20_000.0
        stale = client.post(f"/spheres/{KEY}/results", data={**form, field: "21000"})
        assert stale.status_code == 409  # the version the form read is gone: refused, the other's value kept
        assert store.drafts.project(KEY, dp.serial).project.kpis[0].results[0].value == 20_000.0
        wrong = {"csrf": csrf, "year": "2025", "a": "80", "b": "90", "c": "10"}
        assert client.post(f"/spheres/{KEY}/grades", data=wrong).status_code == 422
        assert client.post(f"/spheres/{KEY}/grades", data={**wrong, "a": "120", "c": ""}).status_code == 422
        right = {**wrong, "a": "120", "b": "90"}
        assert client.post(f"/spheres/{KEY}/grades", data=right, follow_redirects=False).status_code == 303
        assert store.results.thresholds(KEY).a == pytest.approx(1.2)
        shown = client.get(f"/spheres/{KEY}/results", params={"year": 2025}).text
        assert t("progress.thresholds_note", "ja", a="120", b="90", c="10") in shown
        # The report in English: the same sheets, every heading in the reader's language.
        english = client.get(f"/spheres/{KEY}/report/export/xlsx", params={"year": 2025, "lang": "en"})
        book = openpyxl.load_workbook(io.BytesIO(english.content))
        header = [str(c) for c in next(book.worksheets[3].iter_rows(min_row=2, max_row=2, values_only=True))]
        assert t("progress.col_rate", "en", year=2025) in header and t("progress.col_grade", "en", year=2025) in header
