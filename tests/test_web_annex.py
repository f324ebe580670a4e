"""A town's 変更協定 annex keeps the former number of a renumbered project and says when it takes effect (issue
21, item 7): with one project retired at number N and another renumbered to N, the two rows numbered N are told
apart (「N（旧M）」), on the page and in the downloads, and the annex names the 適用日."""

from __future__ import annotations

import copy
import csv
import datetime
import io
import re
from urllib.parse import quote

import openpyxl
from fastapi.testclient import TestClient

from renkei.core.messages import t
from renkei.ingest import read_sample
from renkei.store import SphereSpec, Store
from renkei.vision.model import Role, Vision
from renkei.web.app import create_app

KEY = "annex"


def renumbered_over_a_retired_one(vision: Vision) -> tuple[Vision, str, int, int, str]:
    """The vision with a project Q of town Y retired and another project P (Y not in it) renumbered to Q's
    number, Y joining P: (new vision, Y, Q's number, P's old number, P's name)."""
    new = copy.deepcopy(vision)
    for q in new.projects:
        for p in new.projects:
            if p is q or p.number <= q.number:
                continue
            town = next((m for m in q.participants if m not in p.participants), None)
            if town is None:
                continue
            old = p.number
            new.projects.remove(q)
            p.number = q.number
            p.participants[town] = Role.MEMBER
            return new.with_computed_figures(), town, q.number, old, p.name
    raise AssertionError("the sample has no two projects to use")


def test_the_annex_tells_a_renumbered_project_from_a_retired_one_and_names_its_date(db_url: str) -> None:
    store = Store.open(db_url)
    sample = read_sample()
    store.import_reading(sample, SphereSpec(key=KEY), effective_on=datetime.date(2024, 4, 1))
    changed, town, number, old, name = renumbered_over_a_retired_one(sample.vision)
    store.import_vision(changed, SphereSpec(key=KEY), effective_on=datetime.date(2025, 4, 1))
    client = TestClient(create_app(store))
    marker = t("doc.renumbered_from", "ja", number=number, old=old)
    date = t("doc.effective_on", "ja", year=2025, month=4, day=1)
    # The page: the town's section has both rows numbered N, one of them with its former number, and the date.
    page = client.get(f"/spheres/{KEY}/diff?from=1&to=2").text
    section = re.search(rf'<section class="town-changes"[^>]*>\s*<h3[^>]*>{re.escape(town)} .*?</section>', page, re.S)
    assert section is not None
    numbers = re.findall(r'<td class="no">([^<]*)</td>', section[0])
    assert marker in numbers and str(number) in numbers, numbers
    assert date in section[0]
    # The download of the annex, as CSV.
    code = next(m.code for m in changed.municipalities if m.name == town) or quote(town)
    download = client.get(f"/spheres/{KEY}/diff/towns/{code}/export/csv?from=1&to=2")
    assert download.status_code == 200
    text = download.content.decode("utf-8-sig")
    cells = [row for row in csv.reader(io.StringIO(text))]
    firsts = [row[0] for row in cells if row]
    assert marker in firsts and str(number) in firsts, firsts
    assert any(name in row for row in cells if row and row[0] == marker)
    # The workbook and the JSON name the date (a CSV holds the table alone).
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/spheres/{KEY}/diff/towns/{code}/export/xlsx?from=1&to=2").content)
    )
    assert date in str(book.worksheets[0].cell(1, 1).value)
    data = client.get(f"/spheres/{KEY}/diff/towns/{code}/export/json?from=1&to=2").json()
    assert date in data["title"] and date in data["notes"]
    assert [next(iter(row.values())) for row in data["sheets"][0]["rows"]].count(number) == 1  # the retired one
    store.close()
