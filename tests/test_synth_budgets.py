"""``renkei synth --budgets``: projects with 事業費 per fiscal year and KPIs, deterministic by seed, with the
magnitudes and shapes a vision prints, and the same participation as without them."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import run
from renkei.store import Store
from renkei.synthetic.synth import SynthSphere, synthesize
from renkei.vision.record import FIELDS

N, SEED = 6, 7


def _plain(spheres: list[SynthSphere]) -> list[list[list[tuple[object, ...]]]]:
    return [
        [[(p.number, p.name, p.description, p.field, p.participants) for p in r.vision.projects] for r in s.revisions]
        for s in spheres
    ]


def test_the_same_seed_gives_the_same_budgets_and_another_seed_others() -> None:
    first = synthesize(N, SEED, with_budgets=True)
    assert first == synthesize(N, SEED, with_budgets=True)
    other = synthesize(N, SEED + 1, with_budgets=True)
    budgets = [[p.budgets for p in s.revisions[0].vision.projects] for s in first]
    assert budgets != [[p.budgets for p in s.revisions[0].vision.projects] for s in other]


def test_budgets_leave_the_participation_as_it_was() -> None:
    plain, with_budgets = synthesize(N, SEED), synthesize(N, SEED, with_budgets=True)
    assert _plain(plain) == _plain(with_budgets)
    assert all(not p.budgets and not p.kpis for s in plain for r in s.revisions for p in r.vision.projects)


def test_budgets_and_kpis_have_a_visions_shapes_and_keep_the_records_rules() -> None:
    spheres = synthesize(N, SEED, with_budgets=True)
    for sphere in spheres:
        plan = range(sphere.plan_start.year, sphere.plan_end.year)  # the fiscal years of the plan period
        for revision in sphere.revisions:
            towns = {m.name for m in revision.vision.municipalities}
            for p in revision.vision.projects:
                for name in ("budgets", "kpis"):
                    kind = FIELDS[name].kind
                    assert kind.check(name, kind.json(getattr(p, name)))[1] == {}, (p.number, name)
                years = [b.fiscal_year for b in p.budgets if not b.town and b.fiscal_year is not None]
                assert years in ([], list(plan)), (sphere.key, p.number, years)
                assert {b.town for b in p.budgets if b.town} <= set(p.participants) <= towns
                whole = {b.fiscal_year: b.amount for b in p.budgets if not b.town and b.fiscal_year is not None}
                for b in p.budgets:
                    if b.town:  # a town's share is part of that year's amount
                        assert b.amount < whole[b.fiscal_year]
                    if b.fiscal_year is None and whole:
                        assert b.amount == sum(whole.values())
                for k in p.kpis:
                    assert k.baseline_year == plan[0] - 1 and k.target_year == plan[-1]
                    # results only for the fiscal years that had ended when the revision took effect
                    assert all(r.fiscal_year < revision.effective_on.year for r in k.results)
    yearly = [
        b.amount / (1000 if b.unit == "円" else 1)
        for s in spheres
        for p in s.revisions[0].vision.projects
        for b in p.budgets
        if b.fiscal_year is not None and not b.town
    ]
    yearly.sort()
    median = yearly[len(yearly) // 2]
    assert 1000 <= median <= 10_000, median  # 千円: a few million yen a year, as visions print
    assert max(yearly) <= 700_000
    kpis = [k for s in spheres for p in s.revisions[-1].vision.projects for k in p.kpis]
    lowered = [k for k in kpis if k.target is not None and k.baseline is not None and k.target < k.baseline]
    assert kpis and lowered and len(lowered) < len(kpis) / 2
    reported = [k for k in kpis if k.results]
    assert 0.4 * len(kpis) < len(reported) < 0.95 * len(kpis)


def test_the_cli_loads_budgets_into_the_database(tmp_path: Path) -> None:
    db = tmp_path / "synth.db"
    result = run("synth", "--spheres", "2", "--seed", "5", "--years", "3", "--budgets", "--db", db)
    assert result.returncode == 0, result.stderr
    made = synthesize(2, 5, years=3, with_budgets=True)
    with Store.open(str(db)) as store:
        for sphere in made:
            for revision in sphere.revisions:
                stored = store.vision(sphere.key, revision.number)
                assert [p.budgets for p in stored.projects] == [p.budgets for p in revision.vision.projects]
                assert [p.kpis for p in stored.projects] == [p.kpis for p in revision.vision.projects]
    listed = json.loads(run("spheres", "--db", db, "--json").stdout)
    assert sorted(s["key"] for s in listed) == sorted(s.key for s in made)


def test_files_that_cannot_keep_the_budgets_say_so(tmp_path: Path) -> None:
    """``-o DIR --budgets``: the files keep the budgets and KPIs when read back, or the command says they do not
    (the official layout carries them only once its writer and reader do)."""
    from renkei.ingest import read_path

    result = run("--lang", "en", "synth", "--spheres", "1", "--seed", "5", "--years", "3", "--budgets", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    made = synthesize(1, 5, years=3, with_budgets=True)[0]
    kept = True
    for revision in made.revisions:  # every file read back holds its revision's budgets and KPIs, or not
        back = read_path(tmp_path / made.key / revision.file_name).vision
        figures = [(p.budgets, p.kpis) for p in revision.vision.projects]
        kept = kept and [(p.budgets, p.kpis) for p in back.projects] == figures
    assert any(p.budgets for p in made.revisions[-1].vision.projects)
    assert ("do not carry budgets" in result.stderr) is not kept, result.stderr
