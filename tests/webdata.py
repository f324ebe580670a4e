"""The registry the in-process web tests read: the seed's sphere in two revisions (the first without the seed's
first project, the second the seed itself), a small sphere whose project name is an attempt at script injection,
and an administrator's account. Everything about the seed comes from its file."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import renkei.core.sample
import renkei.ingest
from renkei.store import SphereSpec, Store
from seedfacts import MARK, SeedFacts

KEY = "kamikawa-chubu"
ESCAPE_KEY = "エスケープ試験"  # a key in Japanese: it travels in URLs and in download file names
FIRST = datetime.date(2021, 4, 1)
SECOND = datetime.date(2022, 4, 1)
SEARCHED = "観光"
ADMIN = "web-api-admin"
INJECTED = "<script>alert(1)</script>"
ESCAPE_NAME = f"{INJECTED} \"引用\" 'single' & 事業"
ESCAPE_DESCRIPTION = "説明 <b>太字</b> \"q\" 'r'"


def escape_table(towns: list[str]) -> str:
    """A small table in the seed's layout whose first project's name and description carry markup and quotes."""
    header = "\t".join(["", "項目", "事業内容", *towns, "連携町数"])
    rows = [
        "\t".join(["1", ESCAPE_NAME, ESCAPE_DESCRIPTION, MARK, *([""] * (len(towns) - 1)), "1"]),
        "\t".join(["2", "通常の事業", "説明", *([MARK] * len(towns)), str(len(towns))]),
    ]
    totals = [2] + [1] * (len(towns) - 1)
    total_row = "\t".join(["連携事業数計", *map(str, totals), str(sum(totals))])
    return "\n".join(["① 生活機能の強化", "", "ア 産業振興", "", header, *rows, "", total_row, ""])


def fill(url: str, seed_path: Path, facts: SeedFacts) -> None:
    """The seed's sphere in two revisions (the first lacks the seed's first project) and the escape sphere."""
    sphere = renkei.core.sample.sample_sphere()
    store = Store.open(url)
    try:
        reading = renkei.ingest.read_bytes(seed_path.read_bytes(), seed_path.name, sphere=sphere)
        first = dataclasses.replace(reading.vision, projects=reading.vision.projects[1:])
        store.import_vision(first, SphereSpec(key=KEY), effective_on=FIRST, message="first")
        store.import_reading(reading, SphereSpec(key=KEY), effective_on=SECOND, message="second")
        other = dataclasses.replace(sphere, name="エスケープ試験圏")
        escape = escape_table(facts.towns[:2]).encode("utf-8")
        store.import_reading(renkei.ingest.read_bytes(escape, "escape.txt", sphere=other), SphereSpec(key=ESCAPE_KEY))
        store.accounts.add(ADMIN, "a long enough password 1234", is_admin=True)
    finally:
        store.close()
