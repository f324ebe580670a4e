"""Migration 0010 on both backends: a database written before it (at 0007) gains each compared field's budget and
KPI grades, recomputed from the revisions it holds, equal to what a write computes; and it goes back down."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from budgetdata import KEY, store_figures
from renkei.store import Store

pytest_plugins = ["store_support"]


def _figures(store: Store) -> dict[str, tuple[object, ...]]:
    return {t.field: (t.budget, t.grades) for t in store.field_overview()}


def test_0010_backfills_the_budget_and_grades_of_every_field(db_url: str) -> None:
    with Store.open(db_url) as store:
        store_figures(store)
        written = _figures(store)
        config = store.alembic_config()
    assert any(budget for budget, _ in written.values()) and any(sum(g) for _, g in written.values())
    command.downgrade(config, "0007")
    with Store.open(db_url, check=False) as old:
        with old.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("field_use")}
        assert "budget" not in columns and "grade_a" not in columns
        assert old.schema_state() == "outdated"
    command.upgrade(config, "head")
    with Store.open(db_url) as upgraded:
        assert _figures(upgraded) == written


def test_0010_grades_each_sphere_with_its_own_thresholds(db_url: str) -> None:
    with Store.open(db_url) as store:
        store_figures(store)
        defaults = _figures(store)
        store.results.set_thresholds(KEY, {"a": 0.9, "b": 0.7, "c": 0.45}, None)
        written = _figures(store)
        config = store.alembic_config()
    assert written != defaults  # the thresholds move some grade counts, and a write counts with them at once
    command.downgrade(config, "0008")  # the thresholds are kept (0008), the grade counts are not
    command.upgrade(config, "head")
    with Store.open(db_url) as upgraded:
        assert _figures(upgraded) == written
