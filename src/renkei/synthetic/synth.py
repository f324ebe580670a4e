"""A synthetic national registry: every sphere of a made-up but realistic Japan, deterministic from a seed.

``synthesize(spheres=N, seed=S)`` gives about 130 定住自立圏 and 40 連携中枢都市圏 by default (the real country's
proportions), each around a real city of the shipped national list, with 5–20 real member municipalities of
the central city's prefecture (towns, villages and cities; never a ward), 20–80 projects under the national
pillars, and a revision a year over the plan period with the amendments a yearly review brings: a few projects
added, removed, renamed or rewritten (numbers shift with them), towns joining and leaving projects, now and
then a town joining or leaving the sphere. Every declared figure equals the computed one: a whole, correct table.

How many towns take part in a project follows the seed's own marks, read at run time: the share of its rows
that every town joins, the share that few (three or fewer) join, and the fractions of the rows in between.

Everything comes from one ``random.Random`` per sphere, seeded from the seed and the sphere's index, so the
same seed gives the same registry (byte-identical files), and the first spheres of a large N are those of a
small one. The generation is pure; ``write_files`` at the end writes the files, and
``renkei.store.manifest_import.load_into`` loads a registry into a store.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renkei.national.manifest import MANIFEST, SphereSpec
from renkei.places.municipalities import Entry, Registry
from renkei.synthetic.synth_budgets import Plan, budgets, kpis, new_plan, revise
from renkei.synthetic.synth_words import (
    FIELDS_USED,
    METROPOLITAN_FIELDS,
    PARTNERS,
    PILLAR_WEIGHT,
    PREFIXES,
    SETTLEMENT_FIELDS,
    SUFFIXES,
    TOPICS,
)
from renkei.vision.figurecolumns import in_column_order
from renkei.vision.guidelines import PILLARS
from renkei.vision.model import Heading, Labels, Municipality, Project, Role, Sphere, SphereKind, Vision

DEFAULT_SPHERES = 170
# The country's proportions: about 40 連携中枢都市圏 among some 170 spheres.
METROPOLITAN_SHARE = 40 / 170
KIND_KEYS = {SphereKind.SETTLEMENT: "teiju", SphereKind.METROPOLITAN: "renkei-chusu"}
MIN_MEMBERS, MAX_MEMBERS = 5, 20
MIN_PROJECTS, MAX_PROJECTS = 20, 80
FIELD_LABELS = "アイウエオカキクケコサシスセソ"


# The shape of participation, taken from the seed -------------------------------------------------------


@dataclass(frozen=True)
class Densities:
    """How many towns take part in a project, as the seed's rows show it: the shares of rows joined by every
    town and by few (up to ``FEW``), the counts of the few rows, and the fractions of the rows in between."""

    every: float
    few: float
    few_counts: tuple[int, ...]
    fractions: tuple[float, ...]

    FEW = 3


@functools.cache
def seed_densities() -> Densities:
    """The seed's own densities, read from the bundled sample at run time."""
    from renkei.ingest import read_sample

    vision = read_sample().vision
    towns = len(vision.municipalities)
    counts = [p.count for p in vision.projects]
    every = [c for c in counts if c == towns]
    few = [c for c in counts if c <= Densities.FEW and c != towns]
    between = [c / towns for c in counts if Densities.FEW < c < towns]
    return Densities(len(every) / len(counts), len(few) / len(counts), tuple(few), tuple(between))


# The registry ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthRevision:
    number: int
    effective_on: datetime.date
    message: str
    vision: Vision

    @property
    def file_name(self) -> str:
        return f"r{self.number}.txt"


@dataclass
class SynthSphere:
    key: str
    name: str
    kind: SphereKind
    central_city: Municipality
    prefecture: str
    plan_start: datetime.date
    plan_end: datetime.date
    revisions: list[SynthRevision] = field(default_factory=list)

    def spec(self) -> SphereSpec:
        """What the store creates the sphere with."""
        code = self.central_city.code
        return SphereSpec(self.key, self.name, self.kind, code, self.prefecture, self.plan_start, self.plan_end)

    def manifest(self) -> dict[str, Any]:
        """The sphere's line of the manifest: what a file's title does not say, and when each file applies."""
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind.value,
            "central_city": self.central_city.code,
            "central_city_name": self.central_city.name,
            "prefecture": self.prefecture,
            "plan_start": self.plan_start.isoformat(),
            "plan_end": self.plan_end.isoformat(),
            "revisions": [
                {
                    "number": r.number,
                    "file": f"{self.key}/{r.file_name}",
                    "effective_on": r.effective_on.isoformat(),
                    "message": r.message,
                    "projects": len(r.vision.projects),
                    "municipalities": len(r.vision.municipalities),
                }
                for r in self.revisions
            ],
        }


def synthesize(
    spheres: int = DEFAULT_SPHERES, seed: int = 0, years: int = 5, *, with_budgets: bool = False
) -> list[SynthSphere]:
    """``spheres`` synthetic spheres, each with a revision for most years of its ``years``-year plan.
    ``with_budgets`` gives the projects 事業費 and KPIs (``renkei.synthetic.synth_budgets``) from a stream of their own:
    the participation is the same with them as without."""
    if spheres < 0:
        raise ValueError("spheres must be zero or more")
    if years < 1:
        raise ValueError("years must be one or more")
    registry = Registry.default()
    kinds = [_kind(i) for i in range(spheres)]
    centrals = _central_cities(registry, kinds, random.Random(f"renkei.synth/{seed}/centrals"))
    return [
        _Sphere(
            registry,
            kind,
            city,
            random.Random(f"renkei.synth/{seed}/{index}"),
            years,
            random.Random(f"renkei.synth/{seed}/{index}/budgets") if with_budgets else None,
        ).build()
        for index, (kind, city) in enumerate(zip(kinds, centrals, strict=True))
    ]


def _kind(index: int) -> SphereKind:
    """Spread the metropolitan spheres evenly, rounding so that even three spheres hold one of each kind."""
    before = int(index * METROPOLITAN_SHARE + 0.5)
    after = int((index + 1) * METROPOLITAN_SHARE + 0.5)
    return SphereKind.METROPOLITAN if after > before else SphereKind.SETTLEMENT


def is_ward(entry: Entry) -> bool:
    """A ward (区) of a designated city or of Tokyo: never a member of a sphere."""
    return entry.name.endswith("区")


def member_candidates(registry: Registry, prefecture: str) -> list[Entry]:
    return [e for e in registry.entries if e.prefecture == prefecture and not is_ward(e)]


def _central_cities(registry: Registry, kinds: Sequence[SphereKind], rng: random.Random) -> list[Entry]:
    """A distinct city for each sphere: designated cities (those with wards) first for the metropolitan ones,
    then cities taken from the two ends of one shuffled list, so that the first spheres do not depend on N."""
    cities = [e for e in registry.entries if e.name.endswith("市")]
    wards = [e.name for e in registry.entries if is_ward(e)]
    designated = [c for c in cities if any(w.startswith(c.name) and w != c.name for w in wards)]
    others = [c for c in cities if c not in designated]
    rng.shuffle(designated)
    rng.shuffle(others)
    if len(kinds) > len(cities):
        raise ValueError(f"at most {len(cities)} spheres: one per city of the national list")
    chosen, settlement, metropolitan = [], 0, 0
    for kind in kinds:
        if kind is SphereKind.METROPOLITAN:
            index = metropolitan
            metropolitan += 1
            chosen.append(designated[index] if index < len(designated) else others[-1 - (index - len(designated))])
        else:
            chosen.append(others[settlement])
            settlement += 1
    return chosen


def _municipality(entry: Entry) -> Municipality:
    return Municipality(entry.name, entry.code, entry.prefecture, label=entry.name)


@dataclass
class _ProjectState:
    name: str
    description: str
    participants: list[str]
    plan: Plan | None = None


@dataclass
class _FieldState:
    pillar: Heading
    title: str
    topic: str
    projects: list[_ProjectState] = field(default_factory=list)


class _Sphere:
    """One sphere's generation: its members, its first vision, then a revision for most later years."""

    def __init__(
        self,
        registry: Registry,
        kind: SphereKind,
        city: Entry,
        rng: random.Random,
        years: int,
        money: random.Random | None = None,
    ) -> None:
        self.registry = registry
        self.money = money  # the budgets' and KPIs' own stream (None: no budgets)
        self.plan_years = range(0)
        self.kind = kind
        self.city = city
        self.rng = rng
        self.years = years
        self.stem = city.name.removesuffix("市")
        self.densities = seed_densities()
        self.used_names: set[str] = set()
        self.candidates = [e for e in member_candidates(registry, city.prefecture) if e.code != city.code]
        self.activity: dict[str, float] = {}

    # The sphere and its first vision ------------------------------------------------------------------

    def build(self) -> SynthSphere:
        rng = self.rng
        word = self.kind.value
        name = rng.choice(
            (f"{self.stem}{word}", f"{self.stem}{word}", f"{self.stem}圏域{word}", f"{self.stem}地域{word}")
        )
        start_year = rng.randint(2019, 2021)
        self.plan_years = range(start_year, start_year + self.years)
        start = datetime.date(start_year, 4, 1)
        end = datetime.date(start_year + self.years, 3, 31)
        central = _municipality(self.city)
        sphere = SynthSphere(
            key=f"{self.city.code}-{KIND_KEYS[self.kind]}",
            name=name,
            kind=self.kind,
            central_city=central,
            prefecture=self.city.prefecture,
            plan_start=start,
            plan_end=end,
        )
        self.meta = Sphere(name, self.kind, central, self.city.prefecture)
        upper = min(MAX_MEMBERS, len(self.candidates))
        count = rng.randint(min(MIN_MEMBERS, upper), upper)
        self.members = sorted(rng.sample(self.candidates, count), key=lambda e: e.code)
        for m in self.members:
            self._activate(m)
        self.fields = self._first_fields()
        vision_word = "共生ビジョン" if self.kind is SphereKind.SETTLEMENT else "連携中枢都市圏ビジョン"
        sphere.revisions.append(SynthRevision(1, start, f"{_era(start_year)}年度 {vision_word}策定", self._vision()))
        for year in range(start_year + 1, start_year + self.years):
            if rng.random() < 0.2:
                continue  # no amendment that year
            self._amend()
            if self.money is not None:
                for _, project in self._projects():
                    if project.plan is not None:
                        revise(self.money, project.plan, year)
            effective = datetime.date(year, 4, 1) + datetime.timedelta(days=rng.randint(0, 150))
            number = len(sphere.revisions) + 1
            message = f"{_era(year)}年度 {vision_word}変更"
            sphere.revisions.append(SynthRevision(number, effective, message, self._vision()))
        return sphere

    def _activate(self, entry: Entry) -> None:
        self.activity[entry.name] = self.rng.uniform(0.3, 1.7)

    def _first_fields(self) -> list[_FieldState]:
        rng = self.rng
        catalogue = SETTLEMENT_FIELDS if self.kind is SphereKind.SETTLEMENT else METROPOLITAN_FIELDS
        fields: list[_FieldState] = []
        weights: list[float] = []
        for pillar, choices, (low, high), weight in zip(
            PILLARS[self.kind], catalogue, FIELDS_USED[self.kind], PILLAR_WEIGHT[self.kind], strict=True
        ):
            count = rng.randint(low, min(high, len(choices)))
            picked = sorted(rng.sample(range(len(choices)), count))
            for title, topic in (choices[i] for i in picked):
                fields.append(_FieldState(pillar.heading, title, topic))
                weights.append(weight)
        total = rng.randint(MIN_PROJECTS, MAX_PROJECTS)
        sizes = [1] * len(fields)
        for index in rng.choices(range(len(fields)), weights, k=total - len(fields)):
            sizes[index] += 1
        for state, size in zip(fields, sizes, strict=True):
            state.projects = [self._new_project(state.topic) for _ in range(size)]
        return fields

    # Words --------------------------------------------------------------------------------------------

    def _name(self, topic: str) -> str:
        rng, words = self.rng, TOPICS[topic]
        for _ in range(200):
            prefix = rng.choice(PREFIXES).format(stem=self.stem)
            core = rng.choice(words.cores)
            name = f"{prefix}{core}{rng.choice(SUFFIXES)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        serial = 2
        while f"{name}（第{serial}期）" in self.used_names:
            serial += 1
        name = f"{name}（第{serial}期）"
        self.used_names.add(name)
        return name

    def _description(self, topic: str) -> str:
        rng, words = self.rng, TOPICS[topic]
        purpose = rng.choice(words.purposes)
        first, second = rng.sample(words.actions, 2) if len(words.actions) > 1 else (words.actions[0], "")
        partner = rng.choice(words.partners + PARTNERS)
        shape = rng.randrange(4)
        if shape == 0 or not second:
            return f"{purpose}を図るため、{first}。"
        if shape == 1:
            return f"{purpose}を図るため、{partner}と連携し、{first}。"
        if shape == 2:
            return f"{purpose}を図るため、{first}とともに、{second}。"
        return f"{purpose}に向けて、{partner}と連携し、{first}。あわせて、{second}。"

    # Participation ------------------------------------------------------------------------------------

    def _participants(self) -> list[str]:
        rng, d = self.rng, self.densities
        names = [m.name for m in self.members]
        size = len(names)
        draw = rng.random()
        if draw < d.every or size <= 1:
            count = size
        elif draw < d.every + d.few and d.few_counts:
            count = min(rng.choice(d.few_counts), size - 1)
        else:
            fraction = rng.choice(d.fractions) if d.fractions else 0.5
            count = max(min(Densities.FEW + 1, size - 1), min(size - 1, round(fraction * size)))
        chosen = self._weighted_sample(names, count)
        return [n for n in names if n in chosen]

    def _weighted_sample(self, names: list[str], count: int) -> set[str]:
        pool = list(names)
        chosen: set[str] = set()
        while len(chosen) < count and pool:
            pick = self.rng.choices(pool, [self.activity[n] for n in pool])[0]
            pool.remove(pick)
            chosen.add(pick)
        return chosen

    def _new_project(self, topic: str) -> _ProjectState:
        state = _ProjectState(self._name(topic), self._description(topic), self._participants())
        if self.money is not None:
            metropolitan = self.kind is SphereKind.METROPOLITAN
            state.plan = new_plan(self.money, topic, self.plan_years, metropolitan)
        return state

    # Revisions ----------------------------------------------------------------------------------------

    def _projects(self) -> list[tuple[_FieldState, _ProjectState]]:
        return [(f, p) for f in self.fields for p in f.projects]

    def _amend(self) -> None:
        """One year's amendments, in the order a secretariat makes them."""
        rng = self.rng
        if rng.random() < 0.1:
            self._member_joins()
        if rng.random() < 0.05:
            self._member_leaves()
        total = len(self._projects())
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            removable = [(f, p) for f, p in self._projects() if len(f.projects) > 1]
            if total > MIN_PROJECTS and removable:
                state, project = rng.choice(removable)
                state.projects.remove(project)
                total -= 1
        touched: set[int] = set()
        for _ in range(rng.choice((0, 1, 1, 2))):
            state, project = rng.choice(self._projects())
            if id(project) not in touched:
                project.name = self._name(state.topic)
                touched.add(id(project))
        for _ in range(rng.choice((0, 1, 2))):
            state, project = rng.choice(self._projects())
            if id(project) not in touched:
                project.description = self._description(state.topic)
                touched.add(id(project))
        for _ in range(rng.randint(1, 6)):
            self._toggle(rng.choice(self._projects())[1])
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            if total < MAX_PROJECTS:
                state = rng.choice(self.fields)
                state.projects.insert(rng.randint(0, len(state.projects)), self._new_project(state.topic))
                total += 1

    def _toggle(self, project: _ProjectState) -> None:
        """A town joins the project, or one leaves it (never its last)."""
        names = [m.name for m in self.members]
        outside = [n for n in names if n not in project.participants]
        if outside and (len(project.participants) <= 1 or self.rng.random() < 0.6):
            joined = self.rng.choice(outside)
            project.participants = [n for n in names if n in project.participants or n == joined]
        elif len(project.participants) > 1:
            project.participants.remove(self.rng.choice(project.participants))

    def _member_joins(self) -> None:
        """A town joins the sphere: it signs the agreement and takes part in the projects every town joins."""
        outside = [e for e in self.candidates if e not in self.members]
        if len(self.members) >= MAX_MEMBERS or not outside:
            return
        entry = self.rng.choice(outside)
        everyone = {m.name for m in self.members}
        self.members = sorted([*self.members, entry], key=lambda e: e.code)
        self._activate(entry)
        names = [m.name for m in self.members]
        for _, project in self._projects():
            if set(project.participants) == everyone or self.rng.random() < 0.2:
                project.participants = [n for n in names if n in project.participants or n == entry.name]

    def _member_leaves(self) -> None:
        if len(self.members) <= MIN_MEMBERS:
            return
        entry = self.rng.choice(self.members)
        self.members = [m for m in self.members if m != entry]
        for _, project in self._projects():
            if entry.name in project.participants:
                project.participants.remove(entry.name)
                if not project.participants:
                    project.participants.append(self.rng.choice(self.members).name)

    # The vision ---------------------------------------------------------------------------------------

    def _vision(self) -> Vision:
        projects: list[Project] = []
        labels: dict[tuple[str, str], str] = {}
        for state in self.fields:
            if not state.projects:
                continue
            used = sum(1 for pillar, _ in labels if pillar == state.pillar.label)
            label = labels.setdefault((state.pillar.label, state.title), FIELD_LABELS[used])
            heading = Heading(label, state.title)
            for p in state.projects:
                participants = dict.fromkeys(p.participants, Role.MEMBER)
                project = Project(len(projects) + 1, p.name, p.description, state.pillar, heading, participants)
                project.budgets, project.kpis = budgets(p.plan, p.participants), kpis(p.plan)
                projects.append(project)
        towns_only = all(m.name.endswith("町") for m in self.members)
        count_label = "連携町数" if towns_only and self.kind is SphereKind.SETTLEMENT else "連携市町村数"
        vision = Vision(
            sphere=dataclasses.replace(self.meta),
            municipalities=[_municipality(m) for m in self.members],
            projects=projects,
            labels=Labels(count=count_label),
        )
        return in_column_order(vision.with_computed_figures())


def _era(year: int) -> str:
    """令和 n (fiscal year ``year``), the way a secretariat dates its revisions."""
    return f"令和{year - 2018}" if year > 2019 else "令和元" if year == 2019 else f"平成{year - 1988}"


# I/O: files --------------------------------------------------------------------------------------------


def render_revision(revision: SynthRevision) -> bytes:
    from renkei.render import render

    return render(revision.vision, "official")


def manifest_text(spheres: Sequence[SynthSphere]) -> str:
    return "".join(json.dumps(s.manifest(), ensure_ascii=False, sort_keys=True) + "\n" for s in spheres)


def files_keep_budgets(spheres: Sequence[SynthSphere]) -> bool:
    """Whether the files ``write_files`` writes keep the projects' budgets and KPIs: every revision of the first
    sphere that has some, rendered and read back (a later revision adds results, and their blank years)."""
    from renkei.ingest import read_bytes

    for sphere in spheres:
        if not any(p.budgets or p.kpis for r in sphere.revisions for p in r.vision.projects):
            continue
        for revision in sphere.revisions:
            projects = revision.vision.projects
            back = read_bytes(render_revision(revision), revision.file_name).vision.projects
            if [(p.budgets, p.kpis) for p in back] != [(p.budgets, p.kpis) for p in projects]:
                return False
        return True
    return True


def write_files(
    spheres: Sequence[SynthSphere], directory: Path, on_file: Callable[[Path], None] | None = None
) -> list[Path]:
    """Each revision as an official-layout file ``DIR/<key>/r<k>.txt``, and ``DIR/manifest.jsonl``."""
    written = []
    for sphere in spheres:
        folder = directory / sphere.key
        folder.mkdir(parents=True, exist_ok=True)
        for revision in sphere.revisions:
            path = folder / revision.file_name
            path.write_bytes(render_revision(revision))
            written.append(path)
            if on_file is not None:
                on_file(path)
    (directory / MANIFEST).write_text(manifest_text(spheres), encoding="utf-8", newline="\n")
    return written
