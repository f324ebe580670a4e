"""The budget and KPI corpus (tests/corpus/budgets, issue 26): every table read by ``renkei check --json`` as a user
runs it (with its annex where it has one) scores 100% on its budgets and KPIs, each project's budgets one point
and its KPIs another; the score per file is printed. Its whole reading (marks, names, findings) is scored by
tests/test_corpus.py with the rest of the corpus."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

import score as scorer

BUDGETS = [p for p in scorer.truths() if p.parent.name == "budgets"]


def figure_score(truth: dict[str, Any], answer: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Points on budgets and KPIs alone: per project of the truth, its budgets and its KPIs as read."""
    got = {p["number"]: p for p in answer.get("projects", [])}
    points, total, lost = 0, 0, []
    for project in truth["projects"]:
        for key in scorer.FIGURE_KEYS:
            if key not in project:
                continue
            total += 1
            read = got.get(project["number"], {}).get(key)
            if scorer.figures(key, read) == scorer.figures(key, project[key]):
                points += 1
            else:
                lost.append(f"project {project['number']} {key}: {read!r}, expected {project[key]!r}")
    return points, total, lost


@pytest.mark.parametrize("truth_path", BUDGETS, ids=[p.name.removesuffix(".truth.json") for p in BUDGETS])
def test_budgets_and_kpis_read_as_the_truth_says(truth_path: Path) -> None:
    truth = scorer.load(truth_path)
    status, answer = scorer.run_check(truth_path, truth)
    points, total, lost = figure_score(truth, answer)
    print(f"{truth_path.name.removesuffix('.truth.json')}: budgets and KPIs {points}/{total}")
    assert total >= 2 * len(truth["projects"]), "a truth of this corpus gives every project's budgets and KPIs"
    assert points == total, "\n".join(lost)
    assert status == truth["exit"]


def test_the_corpus_covers_the_formats_and_annexes() -> None:
    """At least 8 tables; XLSX, CSV in UTF-8 and Shift_JIS, PDF, DOCX, HTML and text; two with an annex."""
    truths = [scorer.load(p) for p in BUDGETS]
    assert len(truths) >= 8
    files = [t["file"] for t in truths]
    for ending in (".xlsx", ".csv", ".pdf", ".docx", ".html", ".txt"):
        assert any(f.endswith(ending) for f in files), ending
    encodings = set()
    for truth, path in zip(truths, BUDGETS, strict=True):
        if truth["file"].endswith(".csv"):
            data = (path.parent / truth["file"]).read_bytes()
            try:
                data.decode("utf-8")
                encodings.add("utf-8")
            except UnicodeDecodeError:
                data.decode("cp932")
                encodings.add("cp932")
    assert encodings == {"utf-8", "cp932"}
    assert sum(1 for t in truths if "--annex" in t.get("args", [])) >= 2
    units = {b["unit"] for t in truths for p in t["projects"] for b in p["budgets"]}
    assert units == {"千円", "円"}
    # A KPI whose target lies below its baseline (a figure to lower).
    assert any(
        k["baseline"] is not None and k["target"] is not None and k["target"] < k["baseline"]
        for t in truths
        for p in t["projects"]
        for k in p["kpis"]
    )


def test_the_figure_score_can_fail() -> None:
    """A wrong amount, a lost year, a wrong target each lose their point."""
    truth_path = next(p for p in BUDGETS if p.name.startswith("xlsx_hachinohe"))
    truth = scorer.load(truth_path)
    _, answer = scorer.run_check(truth_path, truth)
    assert figure_score(truth, answer)[0] == figure_score(truth, answer)[1]
    wrong = copy.deepcopy(answer)
    wrong["projects"][0]["budgets"][0]["amount"] += 1
    wrong["projects"][1]["budgets"].pop()
    wrong["projects"][2]["kpis"][0]["target"] = 1
    points, total, lost = figure_score(truth, wrong)
    assert total - points == 3, lost
    # And the whole corpus score (tests/test_corpus.py) loses the projects too.
    assert not scorer.score("hachinohe", truth, 0, wrong).perfect
