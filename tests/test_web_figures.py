"""The page's matrix (``_matrix.html`` over ``renkei.vision.table``'s view) shows a table's budget and KPI columns, as
the check page shows an uploaded table of the budget corpus: the headers in the reader's grammar and the amounts."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from renkei.store import Store
from renkei.web.app import create_app

TABLE = Path(__file__).resolve().parent / "corpus" / "budgets" / "csv_harima_utf8.csv"


def test_the_check_page_shows_budget_and_kpi_columns(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        with TestClient(create_app(store)) as client:
            response = client.post("/check", files={"file": (TABLE.name, TABLE.read_bytes(), "text/csv")})
    finally:
        store.close()
    assert response.status_code == 200
    page = response.text
    matrix = page[page.index('class="matrix"') :]
    # The table's project 1 (its line 3): 3,500,000 円 for 2024年度 and 3,800,000 for 2025年度, KPI ブランド認証品目数.
    line = TABLE.read_text(encoding="utf-8").splitlines()[2]
    assert "3,500,000" in line and "ブランド認証品目数" in line
    headers = ("事業費（円）令和6年度", "事業費（円）令和7年度", "事業費（円）合計")
    headers += ("成果指標", "目標値", "実績（令和6年度）")
    for header in headers:
        assert f'<th scope="col" class="figure">{header}</th>' in matrix, header
    for cell in ("3,500,000", "3,800,000", "7,300,000", "ブランド認証品目数", "令和10年度"):
        assert f'<td class="figure">{cell}</td>' in matrix, cell
