"""``renkei check --annex`` and ``renkei import --annex`` (issue 26) as a user runs them: a budget annex (別冊)
merged into the table's projects before checking or importing, all or nothing, on a real SQLite registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clirun import check_json, run

CORPUS = Path(__file__).resolve().parent / "corpus" / "budgets"
TABLE = CORPUS / "xlsx_kurume_shares.xlsx"
ANNEX = CORPUS / "xlsx_kurume_shares_annex.csv"


def _annex(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "annex.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_merges_the_annex_and_names_what_does_not_fit() -> None:
    # The annex (read here as its lines say) gives project 1 R7 9,500 and R8 9,800, project 2 R7 4,000, and a
    # project 3 the table lacks.
    lines = ANNEX.read_text(encoding="utf-8").splitlines()
    assert lines[4].startswith("3,")
    status, answer, _ = check_json(TABLE, "--annex", ANNEX)
    assert status == 1
    first = {(b["fiscal_year"], b["town"]): b["amount"] for b in answer["projects"][0]["budgets"]}
    assert first[2025, ""] == 9500 and first[2026, ""] == 9800 and first[2024, ""] == 9000
    unknown = [f for f in answer["findings"] if f["code"] == "annex-project-unknown"]
    assert [(f["line"], f["params"]["number"], f["params"]["file"]) for f in unknown] == [(5, 3, ANNEX.name)]
    status, alone, _ = check_json(TABLE)
    assert status == 0
    assert not any(b["fiscal_year"] == 2025 for b in alone["projects"][0]["budgets"])


def test_import_takes_the_annex_or_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "registry.db")
    rows = ["事業番号,事業名,令和7年度（千円）", "1,広域観光ルート整備,9500", "2,子育て支援施設相互利用,4000"]
    annex = _annex(tmp_path, "\n".join(rows) + "\n")
    # An annex that is not a table stops the import before anything is written (exit 2).
    broken = tmp_path / "broken.csv"
    broken.write_text("これは別冊ではありません。\n", encoding="utf-8")
    refused = run("import", TABLE, "--annex", broken, "--sphere", "kurume", "--new-sphere", "--db", db)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    listed = run("spheres", "--db", db, "--json")
    assert "kurume" not in listed.stdout
    done = run("import", TABLE, "--annex", annex, "--sphere", "kurume", "--new-sphere", "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    dump = tmp_path / "dump.jsonl"
    assert run("dump", "-o", dump, "--db", db).returncode == 0
    found = [p for line in dump.read_text(encoding="utf-8").splitlines() for p in _projects(json.loads(line))]
    first = next(p for p in found if p["number"] == 1)
    budgets = {(b["fiscal_year"], b["town"]): b["amount"] for b in first["budgets"]}
    assert budgets[2025, ""] == 9500 and budgets[2024, "久留米市"] == 6000


def _projects(value: Any) -> list[dict[str, Any]]:
    """Every project object (one with a number and budgets) anywhere in a dump's record."""
    if isinstance(value, dict):
        found = [value] if "budgets" in value and "number" in value else []
        return found + [p for v in value.values() for p in _projects(v)]
    if isinstance(value, list):
        return [p for v in value for p in _projects(v)]
    return []
