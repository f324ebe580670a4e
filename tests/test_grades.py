"""KPI achievement and grades: what a secretariat checks by hand on its 取組状況 sheet."""

from __future__ import annotations

import pytest

from renkei.vision.grades import DEFAULT, Thresholds, graded, latest, rate
from renkei.vision.model import Kpi, KpiResult


def kpi(baseline: float | None, target: float | None, *results: tuple[int, float | None]) -> Kpi:
    return Kpi("利用者数", "人", baseline, 2023, target, 2028, tuple(KpiResult(y, v) for y, v in results))


@pytest.mark.parametrize(
    ("value", "grade"),
    [(150, "A"), (200, "A"), (149.9, "B"), (120, "B"), (119.9, "C"), (75, "C"), (74.9, "D"), (0, "D")],
)
def test_a_raised_indicator_is_graded_on_its_result_over_its_target(value: float, grade: str) -> None:
    assert graded(kpi(100, 150, (2025, value)), 2025).grade == grade


def test_a_lowered_indicator_is_graded_on_the_share_of_the_reduction_made() -> None:
    waiting = kpi(20, 10, (2024, 12), (2025, 10), (2026, 25))
    assert rate(waiting, 12) == pytest.approx(0.8)
    assert [graded(waiting, y).grade for y in (2024, 2025, 2026)] == ["B", "A", "D"]
    assert graded(kpi(20, 0, (2024, 5)), 2024).rate == pytest.approx(0.75)


def test_no_grade_is_guessed_where_the_rate_cannot_be_computed() -> None:
    assert graded(kpi(100, None, (2025, 120)), 2025).grade is None  # no target
    assert graded(kpi(None, 0, (2025, 3)), 2025).grade is None  # a target of 0 to raise
    assert graded(kpi(100, 150, (2025, None)), 2025).grade is None  # a year listed, not measured
    assert graded(kpi(100, 150, (2025, 160)), 2024).grade is None  # no result that year


def test_a_sphere_sets_its_own_thresholds_and_they_must_fall() -> None:
    strict = Thresholds(a=1.0, b=0.9, c=0.7)
    assert graded(kpi(100, 150, (2025, 127.5)), 2025, strict).grade == "C"
    assert graded(kpi(100, 150, (2025, 127.5)), 2025, DEFAULT).grade == "B"
    with pytest.raises(ValueError, match="fall"):
        Thresholds(a=0.5, b=0.8, c=0.2)


def test_the_latest_measured_result_skips_blank_years_and_keeps_to_the_town() -> None:
    k = Kpi("x", results=(KpiResult(2024, 1.0), KpiResult(2025, None), KpiResult(2025, 7.0, "当麻町")))
    assert latest(k) == KpiResult(2024, 1.0)
    assert latest(k, town="当麻町") == KpiResult(2025, 7.0, "当麻町")
    assert latest(k, up_to=2023) is None
