"""Imports land in the sphere they came from and make a revision only when the content changes (issue 11).

Every readable export of a stored revision, imported back without naming a sphere, goes to that sphere and makes
no revision; the same table as text, CSV and XLSX is one revision; a file that matches no sphere is refused
unless a new sphere is asked for, naming the spheres that look alike; an effective date never goes backwards
unless forced, and then a finding says so. On SQLite and PostgreSQL, through the store and through the CLI.
"""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

import pytest

from clirun import run
from renkei.ingest import Reading, read_bytes, read_sample
from renkei.render import get, renderers
from renkei.store import Batched, SphereSpec, Store, StoreError
from renkei.vision.model import Vision

KEY = "kamikawa-chubu"
READABLE = [r for r in renderers() if r.readable]
TEXT_CSV_XLSX = ("official", "csv", "xlsx")


def edited(reading: Reading) -> Reading:
    """The sample with its first project's name changed: a revision's worth of content."""
    changed = copy.deepcopy(reading)
    changed.vision.projects[0].name += "（拡充）"
    return changed


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url)
    opened.import_reading(read_sample(), SphereSpec(key=KEY), effective_on=datetime.date(2021, 4, 1))
    return opened


def test_every_export_imported_back_lands_in_its_sphere_with_no_change(store: Store) -> None:
    vision = store.vision(KEY)
    assert (vision.edition.sphere_key, vision.edition.revision, vision.edition.effective_on) == (KEY, 1, "2021-04-01")
    for renderer in READABLE:
        back = read_bytes(renderer.render(vision), f"export.{renderer.extension}")
        assert back.vision.edition.sphere_key == KEY, renderer.name
        result = store.import_reading(back, new_sphere=False)
        assert (result.sphere, result.created, result.revision.number) == (KEY, False, 1), renderer.name
    assert [s.key for s in store.spheres()] == [KEY]


def test_the_same_table_in_three_formats_makes_one_revision(store: Store) -> None:
    changed = edited(read_sample()).vision
    made = []
    for name in TEXT_CSV_XLSX:
        reading = read_bytes(get(name).render(changed), f"changed.{get(name).extension}")
        made.append(store.import_reading(reading, SphereSpec(key=KEY), new_sphere=False).created)
    assert made == [True, False, False]
    assert [r.number for r in store.history(KEY)] == [1, 2]


def test_a_file_without_key_matches_by_name_central_city_and_kind(store: Store) -> None:
    """The sample's own text names its sphere and central city but no key: it goes to the sphere of that name."""
    text = get("official").render(edited(read_sample()).vision).decode("utf-8")
    without_key = "\n".join(line for line in text.splitlines() if not line.startswith("renkei.vision/1"))
    reading = read_bytes(without_key.encode("utf-8"), "no-key.txt")
    assert reading.vision.edition.sphere_key is None and reading.vision.sphere.name
    result = store.import_reading(reading, new_sphere=False)
    assert (result.sphere, result.created) == (KEY, True)


def test_a_file_naming_no_central_city_is_the_one_sphere_of_its_name_and_kind(store: Store) -> None:
    """A table titled with its sphere's name over the towns' columns, no central city named (most tables have no
    column for it): the one registered sphere of that name and kind, not a refusal; two such spheres are
    ambiguous and refused with both named."""
    nameless = edited(read_sample())
    nameless.vision.sphere.central_city = None
    assert nameless.vision.sphere.name == store.sphere(KEY).name
    result = store.import_reading(nameless, new_sphere=False)
    assert (result.sphere, result.created) == (KEY, True)
    twin = copy.deepcopy(read_sample())
    twin.vision.sphere.central_city = None
    store.import_reading(twin, SphereSpec(key="twin"), new_sphere=True, force=True)
    again = edited(nameless)
    with pytest.raises(StoreError) as refused:
        store.import_reading(again, new_sphere=False)
    assert refused.value.code == "sphere-ambiguous", refused.value.code
    assert set(str(refused.value.params["candidates"]).split("、")) == {KEY, "twin"}


def test_an_unmatched_file_is_refused_with_the_look_alikes(store: Store) -> None:
    other = edited(read_sample())
    other.vision.sphere.name = "別の定住自立圏"
    with pytest.raises(StoreError) as refused:
        store.import_reading(other, SphereSpec(key="another"), new_sphere=False)
    assert refused.value.code == "sphere-unmatched"
    assert KEY in str(refused.value.params["candidates"])  # the same central city
    assert [s.key for s in store.spheres()] == [KEY]
    made = store.import_reading(other, SphereSpec(key="another"), new_sphere=True)
    assert (made.sphere, made.created) == ("another", True)


def test_a_filtered_download_is_an_excerpt_that_an_import_refuses(store: Store) -> None:
    """The sphere page's downloads follow its filters: such a file names itself an excerpt (抜粋) and is not
    imported as a whole revision (it would retire every project filtered out) unless forced."""
    from renkei.web.views import filtered

    vision = store.vision(KEY)
    field = str(vision.projects[0].field)
    part = filtered(vision, field=field)
    assert 0 < len(part.projects) < len(vision.projects)
    back = read_bytes(get("csv").render(part), "filtered.csv")
    assert back.vision.edition.excerpt == field
    with pytest.raises(StoreError) as refused:
        store.import_reading(back)
    assert refused.value.code == "import-excerpt"
    assert [r.number for r in store.history(KEY)] == [1]


def test_effective_dates_never_go_backwards_unless_forced(store: Store) -> None:
    changed = edited(read_sample())
    with pytest.raises(StoreError) as refused:
        store.import_reading(changed, SphereSpec(key=KEY), effective_on=datetime.date(2020, 4, 1))
    assert refused.value.code == "effective-backwards"
    assert [r.number for r in store.history(KEY)] == [1]
    forced = store.import_reading(changed, SphereSpec(key=KEY), effective_on=datetime.date(2020, 4, 1), force=True)
    assert forced.created and forced.revision.effective_on == datetime.date(2020, 4, 1)
    assert "effective-backwards" in [f["code"] for f in forced.revision.findings]


def test_a_bulk_import_keeps_effective_dates_in_order(store: Store) -> None:
    """The manifest's path (Store.import_many): a revision dated before the one before it is refused, writing
    nothing of the batch, unless forced; the same content in another format is no revision there either."""
    first, second = edited(read_sample()).vision, edited(edited(read_sample())).vision
    spec = SphereSpec(key=KEY)
    batch = [Batched(first, spec, effective_on=datetime.date(2023, 4, 1))]
    batch.append(Batched(second, spec, effective_on=datetime.date(2022, 4, 1)))
    with pytest.raises(StoreError) as refused:
        store.import_many(batch)
    assert refused.value.code == "effective-backwards"
    assert [r.number for r in store.history(KEY)] == [1]
    batch[1].force = True
    as_csv = read_bytes(get("csv").render(second), "second.csv").vision
    results = store.import_many([*batch, Batched(as_csv, spec, effective_on=datetime.date(2024, 4, 1))])
    assert [r.created for r in results] == [True, True, False]
    assert "effective-backwards" in [f.code for f in results[1].findings]
    assert [r.effective_on.isoformat() for r in store.history(KEY)] == ["2021-04-01", "2023-04-01", "2022-04-01"]


def test_the_default_date_follows_a_revision_dated_ahead(store: Store) -> None:
    ahead = datetime.date.today() + datetime.timedelta(days=400)
    store.import_reading(edited(read_sample()), SphereSpec(key=KEY), effective_on=ahead)
    again = edited(edited(read_sample()))
    assert store.import_reading(again, SphereSpec(key=KEY)).revision.effective_on == ahead


def test_cli_sphere_for_many_files_new_sphere_and_no_change(tmp_path: Path, db_url: str) -> None:
    vision = edited(read_sample()).vision
    files = []
    for name in TEXT_CSV_XLSX:
        path = tmp_path / f"table.{get(name).extension}"
        path.write_bytes(get(name).render(vision))
        files.append(path)
    refused = run("--lang", "en", "import", *files, "--db", db_url)
    assert refused.returncode == 1
    assert "--new-sphere" in refused.stderr and "Traceback" not in refused.stderr
    first = run("--lang", "en", "import", *files, "--sphere", KEY, "--new-sphere", "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("No change") == 2
    spheres = json.loads(run("spheres", "--json", "--db", db_url).stdout)
    assert [(s["key"], s["revision"]) for s in spheres] == [(KEY, 1)]
    # Without --sphere, the files name their sphere (the title's name and central city; the CSV its metadata).
    again = run("--lang", "en", "import", *files, "--db", db_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("No change") == 3
    changed = tmp_path / "changed.csv"
    changed.write_bytes(get("csv").render(edited(edited(read_sample())).vision))
    backwards = run("--lang", "en", "import", changed, "--effective", "2000-01-01", "--db", db_url)
    assert backwards.returncode == 1
    assert "before" in backwards.stderr and "--force" in backwards.stderr


def _hashes_written_whole(vision: Vision) -> tuple[str, str]:
    """The content and meaning hashes as their definition says: the canonical JSON of the vision's parts, each
    project written whole (an empty payload field left out)."""
    import hashlib

    from renkei.vision import record
    from renkei.vision.serialize import vision_to_dict

    def canonical(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    data = vision_to_dict(vision)
    content = {k: v for k, v in data.items() if k not in ("sphere", "edition", "projects")}
    content["projects"] = [record.hash_form(p) for p in data["projects"]]
    said = {k: v for k, v in content.items() if k not in ("labels", "legend")}
    said["municipalities"] = [{k: v for k, v in m.items() if k != "label"} for m in data["municipalities"]]
    return tuple(hashlib.sha256(canonical(d).encode()).hexdigest() for d in (content, said))  # type: ignore[return-value]


def test_the_hashes_of_a_vision_with_budgets_are_those_of_its_whole_canonical_text() -> None:
    """The hashes write each payload field once and splice it in; they must equal the hashes of the whole text,
    also when a document's own text holds the stand-in the splice uses."""
    from renkei.store import identity
    from renkei.synthetic.synth import synthesize
    from renkei.vision import record

    visions = [r.vision for s in synthesize(2, 5, with_budgets=True) for r in s.revisions]
    hostile = copy.deepcopy(visions[0])
    slot = identity._SLOT + "budgets"
    hostile.projects[0].attributes = {"備考": slot}
    hostile.projects[1].name = slot + "kpis"
    for vision in [*visions, hostile, read_sample().vision]:
        content, meaning, _, payloads = identity.hashes(vision)
        assert (content, meaning) == _hashes_written_whole(vision)
        for project, text in zip(vision.projects, payloads, strict=True):
            assert json.loads(text) == {f.name: record.to_json(project)[f.name] for f in record.PAYLOAD}
