"""What the store's tests share: the seed, its edited and broken copies, and registries filled with them."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import renkei.core.sample
import renkei.ingest
import renkei.ingest.report
from renkei.ingest import Reading
from renkei.store import SphereSpec, Store, dump
from renkei.store.schema import Base
from renkei.vision.model import Severity, SphereKind
from seedfacts import SeedFacts
from storedata import (
    Edited,
    TableRow,
    edited_seed,
    table_text,
    with_count_changed,
)

KEY = "kamikawa-chubu"
FIRST = datetime.date(2021, 4, 1)
SECOND = datetime.date(2022, 4, 1)


def read_text(text: str, name: str) -> Reading:
    return renkei.ingest.read_bytes(text.encode("utf-8"), name, sphere=renkei.core.sample.sample_sphere())


@pytest.fixture
def seed_reading(seed_path: Path) -> Reading:
    return renkei.ingest.read_path(seed_path, sphere=renkei.core.sample.sample_sphere())


@pytest.fixture(scope="module")
def edited(seed_text: str, facts: SeedFacts) -> Edited:
    return edited_seed(seed_text, facts)


@pytest.fixture
def edited_reading(edited: Edited) -> Reading:
    return read_text(edited.text, "edited.txt")


@pytest.fixture
def broken_reading(seed_text: str, facts: SeedFacts) -> Reading:
    """The seed with one declared 連携町数 that its marks contradict: an error finding."""
    reading = read_text(with_count_changed(seed_text, facts, facts.numbers[1]), "broken.txt")
    assert any(f.severity is Severity.ERROR for f in renkei.ingest.report.check_reading(reading).findings)
    return reading


def errors_of(reading: Reading) -> list[str]:
    return [f.code for f in renkei.ingest.report.check_reading(reading).findings if f.severity is Severity.ERROR]


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def two_revisions(store: Store, seed_reading: Reading, edited_reading: Reading) -> Store:
    """The seed as revision 1 (in force from FIRST) and the edited copy as revision 2 (from SECOND)."""
    assert errors_of(edited_reading) == [], "the edited copy must stay free of errors"
    first = store.import_reading(seed_reading, SphereSpec(key=KEY), effective_on=FIRST, message="seed")
    second = store.import_reading(edited_reading, SphereSpec(key=KEY), effective_on=SECOND, message="edited")
    assert (first.created, second.created) == (True, True)
    assert (first.revision.number, second.revision.number) == (1, 2)
    return store


def row_counts(store: Store) -> dict[str, int]:
    """How many rows every table of the schema holds: 'writes nothing' means none of these moved."""
    with store.engine.connect() as connection:
        return {
            t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
        }


def dump_text(store: Store) -> str:
    out = io.StringIO()
    dump(store, out)
    return out.getvalue()


OKAYAMA_TOWNS = ["玉野市", "総社市", "備前市", "瀬戸内市", "赤磐市"]
OKAYAMA_ROWS = [
    TableRow(
        1, "企業誘致推進事業", "圏域への企業の立地を促進するため、共同で企業誘致活動を行う。", tuple(OKAYAMA_TOWNS)
    ),
    TableRow(
        2,
        "広域観光推進事業",
        "圏域の観光資源を結ぶ周遊ルートを整え、観光客の誘致を図る。",
        ("玉野市", "備前市", "瀬戸内市"),
    ),
    TableRow(
        3,
        "救急医療体制の確保",
        "圏域の救急医療体制を維持するため、病院群輪番制を共同で運営する。",
        ("総社市", "赤磐市"),
    ),
]
OKAYAMA = SphereSpec(
    key="okayama-renkei-chusu",
    name="岡山連携中枢都市圏",
    kind=SphereKind.METROPOLITAN,
    central_city="岡山市",
    prefecture="岡山県",
    plan_start=datetime.date(2019, 4, 1),
    plan_end=datetime.date(2024, 3, 31),
)
SUCCESSOR = "asahikawa-renkei-chusu"


def okayama_reading() -> Reading:
    """A small table of real 岡山県 municipalities (the projects are the test's own)."""
    text = table_text(OKAYAMA_TOWNS, OKAYAMA_ROWS, pillar="① 圏域全体の経済成長のけん引", field="ア 産業振興")
    return renkei.ingest.read_bytes(text.encode("utf-8"), "okayama.txt")


def successor_reading(facts: SeedFacts) -> Reading:
    """The 連携中枢都市圏 that replaced the seed's sphere, over the seed's own towns (the projects are the test's).
    Its first town is in both spheres."""
    towns = facts.towns[:3]
    rows = [
        TableRow(1, "広域観光推進事業", "圏域の観光資源を結ぶ周遊ルートを整え、観光客の誘致を図る。", tuple(towns)),
        TableRow(2, "職員の合同研修", "圏域の市町職員の合同研修を実施する。", tuple(towns[:2])),
    ]
    text = table_text(towns, rows, pillar="③ 圏域全体の生活関連機能サービスの向上", field="ア 人材育成")
    return renkei.ingest.read_bytes(text.encode("utf-8"), "successor.txt")


def successor_spec() -> SphereSpec:
    return SphereSpec(
        key=SUCCESSOR,
        name="旭川市を中心とする連携中枢都市圏（試験用）",
        kind=SphereKind.METROPOLITAN,
        central_city="旭川市",
        prefecture="北海道",
        plan_start=datetime.date(2022, 4, 1),
        replaces=KEY,
    )


def populate(store: Store, seed: Reading, edited: Reading, broken: Reading, facts: SeedFacts) -> None:
    """A registry with something of everything: three spheres of both kinds, a replacement, three revisions,
    a forced import with its findings."""
    store.import_reading(seed, SphereSpec(key=KEY), effective_on=FIRST, message="seed", author="secretariat")
    store.import_reading(edited, SphereSpec(key=KEY), effective_on=SECOND, message="edited", author="secretariat")
    store.import_reading(broken, SphereSpec(key=KEY), force=True, message="forced")
    store.import_reading(okayama_reading(), OKAYAMA)
    store.import_reading(successor_reading(facts), successor_spec())


@pytest.fixture
def populated(
    store: Store, seed_reading: Reading, edited_reading: Reading, broken_reading: Reading, facts: SeedFacts
) -> Store:
    populate(store, seed_reading, edited_reading, broken_reading, facts)
    return store
