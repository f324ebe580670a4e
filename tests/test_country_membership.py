"""The country's overlapping and dated memberships as a user meets them: towns in several spheres on the tile map
and in the comparison (counted once in the distinct figures beside 延べ), every multi-sphere town's page, the
counts of several dates, and a table checked against the members of its effective date through the store, the
CLI, the API and the web import, on spheres other than the sample's.

Every expectation is computed here from the shipped list (``src/renkei/data/country.csv``), never pasted in."""

from __future__ import annotations

import csv
import datetime
import hashlib
import importlib.resources
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from editing_support import PASSWORD, session_csrf, signed_in
from renkei.cli import app as cli_app
from renkei.core.messages import t
from renkei.ingest import read_bytes, read_sample
from renkei.national.country import shipped, shown_name
from renkei.places.municipalities import Registry
from renkei.store import SphereSpec, Store
from renkei.store.accounts import Actor
from renkei.vision.model import SphereKind
from renkei.web.app import create_app
from storedata import TableRow, table_text

STAGES = ("declared", "agreement", "vision")
ADMIN = Actor(None)


def listed() -> list[dict[str, str]]:
    text = (importlib.resources.files("renkei") / "data" / "country.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def codes(cell: str) -> list[str]:
    return re.findall(r":(\d{6})", cell)


def towns_of(row: dict[str, str]) -> set[str]:
    return set(codes(row["central_city"])) | set(codes(row["members"]))


def end_of(value: str) -> datetime.date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        return datetime.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1) - datetime.timedelta(days=1)
    return datetime.date(parts[0], 12, 31)


def start_of(value: str) -> datetime.date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return datetime.date(*parts[:3])


def current(rows: list[dict[str, str]], kind: str = "") -> list[dict[str, str]]:
    return [r for r in rows if not r["abolished"] and (not kind or r["kind"] == kind)]


def in_several(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Each town in two of ``rows`` or more, with those rows."""
    where: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        for code in towns_of(r):
            where[code].append(r)
    return {c: rs for c, rs in where.items() if len(rs) > 1}


def prefecture_of(code: str) -> str:
    entry = Registry.default().by_code(code)
    assert entry is not None
    return entry.prefecture


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The registry a first ``renkei serve`` makes (the list, then the sample), read-only for these tests."""
    opened = Store.open(str(tmp_path_factory.mktemp("country") / "country.db"))
    opened.country.merge(shipped(), source="country.csv")
    opened.import_reading(read_sample(), SphereSpec(key="kamikawa-chubu"), message="sample")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def client(registry: Store) -> Iterator[TestClient]:
    with TestClient(create_app(registry)) as opened:
        yield opened


# The tile map ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["", "定住自立圏", "連携中枢都市圏"])
def test_the_map_marks_the_towns_in_several_spheres(client: TestClient, kind: str) -> None:
    chosen = current(listed(), kind)
    shared = in_several(chosen)
    assert shared, "the list has towns in two spheres at once"
    page = client.get("/", params={"kind": kind} if kind else None).text
    marked = {p: int(n) for n, p in re.findall(r'data-shared="(\d+)" data-detail="([^:"]+): ', page)}
    assert marked == dict(Counter(prefecture_of(c) for c in shared))
    details = dict(re.findall(r'data-detail="([^:"]+): ([^"]*)"', page))
    listing = page[page.index('class="tile-list"') :]
    for code, rows in shared.items():
        name = Registry.default().by_code(code).name  # type: ignore[union-attr]
        detail = details[prefecture_of(code)]
        # The town's entry names every sphere it is in, on hover/focus and in the text list alike.
        entry = re.search(re.escape(name) + r"（([^）]*(?:）[^、）]*)*)）", detail)
        assert entry is not None, (name, detail)
        for r in rows:
            assert shown_name(r["name"]).split("（")[0] in detail, (name, r["key"])
        assert name in listing
    gross = sum(len(towns_of(r)) for r in chosen)
    distinct = len(set().union(*(towns_of(r) for r in chosen)))
    assert t("ui.tilemap_shared_total", "ja", n=len(shared), gross=gross, distinct=distinct) in page
    # Per prefecture, the text list gives the towns 延べ and distinct (by the town's own prefecture).
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for r in chosen:
        for code in towns_of(r):
            per[prefecture_of(code)][code] += 1
    items = re.findall(r'<li><a href="/\?prefecture=[^"]+">([^<]+)</a>(.*?)</li>', listing)
    assert items
    for prefecture, rest in items:
        if prefecture in per:
            towns = t("ui.tile_towns", "ja", gross=per[prefecture].total(), distinct=len(per[prefecture]))
            assert towns in rest, prefecture


# The comparison -------------------------------------------------------------------------------------------


def field_of(client: TestClient) -> str:
    """A field the comparison offers (the sample's, whose sphere is abolished: every current row has 0)."""
    offered = re.findall(r'<option value="([^"]+)"', client.get("/compare").text.split('name="kind"')[0])
    assert offered
    return offered[0]


def sample_row() -> dict[str, str]:
    """The sample's sphere in the shipped list (abolished there)."""
    (row,) = [r for r in listed() if r["key"] == "kamikawa-chubu"]
    assert row["abolished"], "the sample's sphere is abolished in the list"
    return row


def test_abolished_spheres_are_compared_when_asked(client: TestClient) -> None:
    """A first start's comparison is empty (the sample's sphere is abolished); the page says so and offers the
    abolished spheres, which compare the sample's newest table with the day its sphere ended, on the page, in
    the JSON and in the downloads alike."""
    row = sample_row()
    page = client.get("/compare").text
    assert t("ui.rows_n", "ja", n=0) in page
    assert t("ui.compare_empty", "ja", tables=1, abolished=1) in page
    assert f'<a href="/compare?abolished=1">{t("ui.compare_empty_abolished", "ja")}</a>' in page
    sample = read_sample().vision
    titles = {p.field.title.split(" ", 1)[-1] for p in sample.projects if p.field}
    overview = client.get("/api/compare", params={"abolished": 1}).json()
    assert len(overview["rows"]) == len(titles)
    assert {r["spheres_running"] for r in overview["rows"]} == {1}
    assert sum(r["projects"] for r in overview["rows"]) == len(sample.projects)
    # Each overview row leads to its field, abolished spheres still included.
    shown = client.get("/compare", params={"abolished": 1}).text
    assert t("ui.compare_abolished_note", "ja") in shown
    assert re.search(r'href="/compare\?field=[^"]+&amp;abolished=1"', shown)
    field = overview["rows"][0]["field"]
    one = client.get("/api/compare", params={"field": field, "abolished": 1}).json()
    ended = {r["sphere"]: r["abolished_on"] for r in one["rows"]}
    assert ended[shown_name(row["name"])] == row["abolished"]
    names = Counter(shown_name(r["name"]) for r in listed())
    for r in listed():  # each sphere's end as the list gives it, none for the current ones
        if names[shown_name(r["name"])] == 1:
            assert ended[shown_name(r["name"])] == (r["abolished"] or None), r["key"]
    assert len(one["rows"]) == len(listed())  # every sphere of the list, abolished or not
    without = client.get("/api/compare", params={"field": field}).json()
    assert len(without["rows"]) == len(current(listed())) and "abolished_on" not in without["rows"][0]
    data = client.get("/compare/export/csv", params={"field": field, "abolished": 1}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    column = rows[0].index(t("ui.col_abolished_on", "ja"))
    assert {r[0]: r[column] for r in rows[1:]}[shown_name(row["name"])] == row["abolished"]


def test_a_table_recorded_after_its_spheres_abolition_says_so(registry: Store, client: TestClient) -> None:
    """The sample recorded today into its abolished sphere keeps a warning with its revision, and its page marks
    the date; a table dated before the abolition is checked against that day's members instead."""
    row = sample_row()
    kept = [f for f in registry.history("kamikawa-chubu")[-1].findings if f["code"] == "effective-after-abolition"]
    assert len(kept) == 1 and kept[0]["params"]["abolished"] == row["abolished"]
    page = client.get("/spheres/kamikawa-chubu").text
    assert t("ui.effective_after_abolition", "ja") in page
    assert t("finding.effective-after-abolition", "ja", **kept[0]["params"]) in page


def test_a_table_dated_before_the_abolition_is_not_said_late(tmp_path: Path) -> None:
    row = sample_row()
    with Store.open(str(tmp_path / "dated.db")) as store:
        store.country.merge(shipped(), source="country.csv")
        before = start_of(row["abolished"]) - datetime.timedelta(days=1)
        result = store.import_reading(read_sample(), SphereSpec(key="kamikawa-chubu"), effective_on=before)
        assert "effective-after-abolition" not in {f.code for f in result.findings}
        page = TestClient(create_app(store)).get("/spheres/kamikawa-chubu").text
        assert t("ui.effective_after_abolition", "ja") not in page


@pytest.mark.parametrize("kind", ["", "連携中枢都市圏"])
def test_the_comparison_counts_a_town_once_beside_gross(client: TestClient, kind: str) -> None:
    chosen = current(listed(), kind)
    shared = in_several(chosen)
    field = field_of(client)
    body = client.get("/api/compare", params={"field": field, "kind": kind}).json()
    gross = sum(len(towns_of(r)) for r in chosen)
    distinct = len(set().union(*(towns_of(r) for r in chosen)))
    assert body["towns"] == {
        "spheres": len(chosen),
        "municipalities_gross": gross,
        "municipalities_distinct": distinct,
        "municipalities_in_several": len(shared),
    }
    assert gross > distinct
    names = Counter(shown_name(r["name"]) for r in chosen)
    rows = {row["sphere"]: row for row in body["rows"]}
    checked = 0
    for r in chosen:
        name = shown_name(r["name"])
        if names[name] > 1:
            continue
        mine = [c for c in towns_of(r) if c in shared]
        assert rows[name]["in_several"] == len(mine), r["key"]
        for code in mine:
            town = Registry.default().by_code(code).name  # type: ignore[union-attr]
            assert town in rows[name]["shared_with"]
            others = [o for o in shared[code] if o["key"] != r["key"]]
            assert all(shown_name(o["name"]).split("（")[0] in rows[name]["shared_with"] for o in others)
        checked += bool(mine)
    assert checked >= 2  # spheres sharing towns were looked at, not only spheres sharing none
    # Per prefecture (the sphere's): the distinct towns beside the 延べ sum of the members column.
    grouped = client.get("/api/compare", params={"field": field, "kind": kind, "group": "prefecture"}).json()
    union: dict[str, set[str]] = defaultdict(set)
    summed: Counter[str] = Counter()
    for r in chosen:
        union[r["prefecture"]] |= towns_of(r)
        summed[r["prefecture"]] += len(towns_of(r))
    for row in grouped["rows"]:
        assert row["members_distinct"] == len(union[row["prefecture"]]), row["prefecture"]
        assert row["towns_gross"] == summed[row["prefecture"]] >= row["members_distinct"], row["prefecture"]
    assert any(row["towns_gross"] > row["members_distinct"] for row in grouped["rows"])
    page = client.get("/compare", params={"field": field, "kind": kind}).text
    summary = t("ui.compare_towns", "ja", spheres=len(chosen), gross=gross, distinct=distinct, several=len(shared))
    assert summary in page
    assert t("ui.col_in_several", "ja") in page and t("ui.col_members_distinct", "ja") not in page


# A municipality's spheres ---------------------------------------------------------------------------------


def test_the_api_and_the_cli_count_the_members_the_home_page_shows(registry: Store, client: TestClient) -> None:
    """A sphere known by its members only (no table) has the country's list's members in the API and the CLI,
    as on the home page, never 0; a sphere with a table its table's columns."""
    by_key = {s["key"]: s for s in client.get("/api/spheres", params={"limit": 1000}).json()["items"]}
    assert by_key["kamikawa-chubu"]["members"] == len(read_sample().vision.municipalities)
    now = {r["key"] for r in current(listed()) if r["key"] != "kamikawa-chubu"}
    # The home page's count: the list's members now (the list's current spheres: every member listed holds).
    shown = re.findall(r'href="/spheres/([^"?]+)".*?data-label="[^"]*">(\d+)</td>', client.get("/").text, re.S)
    home = {key: int(n) for key, n in shown}
    checked = [key for key in now if key in home and not by_key[key]["has_table"]]
    for key in checked:
        assert by_key[key]["members"] == home[key], key
    assert sum(1 for key in checked if home[key] > 0) > 50  # before, the API said 0 for every one of them
    done = CliRunner().invoke(cli_app, ["spheres", "--json", "--db", registry.url])
    assert done.exit_code == 0, done.output
    assert {s["key"]: s["members"] for s in json.loads(done.output)} == {k: s["members"] for k, s in by_key.items()}
    # A sphere whose table is not registered has no count of projects (null, never 0), in the API and the CLI.
    assert {k: s["projects"] is None for k, s in by_key.items()} == {k: not s["has_table"] for k, s in by_key.items()}
    assert {s["key"]: s["projects"] for s in json.loads(done.output)} == {k: s["projects"] for k, s in by_key.items()}
    # In the table, a sphere whose table is not registered has no count of projects nor revision (dashes).
    table = CliRunner().invoke(cli_app, ["spheres", "--db", registry.url], env={"COLUMNS": "250"})
    key = next(k for k in checked if home[k] > 0)
    line = next(line for line in table.output.splitlines() if line.startswith(key + " "))
    assert line.split()[-2:] == ["–", "–"] and str(home[key]) in line.split(), line


def test_every_town_in_several_spheres_lists_them_with_their_dates(client: TestClient) -> None:
    rows = listed()
    shared = in_several(rows)  # abolished spheres too: a page lists the spheres a town belongs or belonged to
    by_prefecture: dict[str, str] = {}
    for code in sorted(shared, key=lambda c: (-len(shared[c]), c)):
        by_prefecture.setdefault(prefecture_of(code), code)
    chosen = [c for c in by_prefecture.values() if c != "284815"][:8]  # 上郡町 is test_country's
    assert len(chosen) >= 5
    unknown = t("ui.country_unknown", "ja")
    for code in chosen:
        page = client.get(f"/municipalities/{code}").text
        assert page.count('class="membership"') == len(shared[code]), code
        for r in shared[code]:
            assert f'href="/spheres/{r["key"]}"' in page and shown_name(r["name"]) in page
            if r["abolished"]:
                assert t("ui.country_abolished_on", "ja", date=r["abolished"]) in page
        # The list gives no start: shown as unknown, never as a date made up.
        section = page[page.index('class="membership-dates"') :]
        assert unknown in section
        for r in shared[code]:  # and each sphere's page lists its members with the start unknown
            members = client.get(f"/spheres/{r['key']}").text
            rows = members[members.index('class="members-dated"') :].split("</table>")[0]
            assert f'href="/municipalities/{code}"' in rows and f"<td>{unknown}</td>" in rows
        compared = client.get("/compare", params={"municipality": code}).text
        spheres = compared[compared.index('class="town-spheres"') :].split("</p>")[0]
        assert all(f'href="/spheres/{r["key"]}"' in spheres for r in shared[code])


# The counts of several dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("on", ["2009-04-01", "2016-04-01", "2022-03-31", "2022-04-01", "2024-04-01", ""])
def test_the_counts_of_a_date_are_recomputed_from_the_list(client: TestClient, on: str) -> None:
    day = datetime.date.fromisoformat(on) if on else None

    def standing(r: dict[str, str]) -> bool:
        if r["abolished"] and (day is None or end_of(r["abolished"]) <= day):
            return False
        started = [start_of(r[s]) for s in STAGES if r[s]]
        return day is None or not started or min(started) <= day

    rows = [r for r in listed() if standing(r)]
    body = client.get("/api/country", params={"date": on} if on else None).json()
    assert body["date"] == (on or None)
    assert body["municipalities_gross"] == sum(len(towns_of(r)) for r in rows)
    assert body["municipalities_distinct"] == len(set().union(*(towns_of(r) for r in rows)))
    gone = [r for r in listed() if r["abolished"] and (day is None or end_of(r["abolished"]) <= day)]
    assert body["abolished"] == len(gone)
    official = {k["kind"]: k for k in body["kinds"]}
    for kind in {r["kind"] for r in listed()}:
        mine = [r for r in rows if r["kind"] == kind]
        got = official[kind]
        assert got["spheres"] == len(mine)
        assert got["municipalities_gross"] == sum(len(towns_of(r)) for r in mine)
        assert got["municipalities_distinct"] == len(set().union(set(), *(towns_of(r) for r in mine)))
        for stage in STAGES:
            reached = sum(1 for r in mine if r[stage] and (day is None or end_of(r[stage]) <= day))
            assert got["stages"].get(stage, 0) == reached, (kind, stage)
        if got["official"] is not None:  # the difference is what the registry lacks, never hidden
            assert got["missing_spheres"] == got["official"]["spheres"] - len(mine)
            if got["official"]["municipalities"] is not None:
                assert got["missing_municipalities"] == got["official"]["municipalities"] - got["municipalities_gross"]
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        expected[r["prefecture"]][r["kind"]] += 1
    assert body["prefectures"] == {p: dict(c) for p, c in expected.items()}
    # Municipalities per prefecture (the town's own): 延べ once per sphere, distinct once.
    times = Counter(c for r in rows for c in towns_of(r))
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"gross": 0, "distinct": 0})
    for code, n in times.items():
        per[prefecture_of(code)]["gross"] += n
        per[prefecture_of(code)]["distinct"] += 1
    assert body["prefecture_municipalities"] == dict(per)
    if on:
        page = client.get("/country", params={"date": on}).text
        table = page[page.index('id="pref-title"') :]
        for prefecture, n in per.items():
            cells = re.search(re.escape(prefecture) + r"</a></th>(.*?)</tr>", table)
            assert cells is not None
            numbers = re.findall(r'<td class="num">(\d+)</td>', cells.group(1))
            assert numbers[-2:] == [str(n["gross"]), str(n["distinct"])], prefecture


# A table against the members of its effective date --------------------------------------------------------

ON = datetime.date(2024, 4, 1)


def unique(code: str) -> bool:
    """Whether a town's name names it alone in Japan (so a table's column resolves without its prefecture)."""
    entry = Registry.default().by_code(code)
    return entry is not None and len([e for e in Registry.default().entries if e.name == entry.name]) == 1


def candidates() -> list[dict[str, str]]:
    """Current spheres, other than the sample's and its successor's, with four members or more whose names are
    all unique, each with three towns of its prefecture in no sphere: one sphere per prefecture."""
    rows = listed()
    anywhere = set().union(*(towns_of(r) for r in rows))
    out = []
    for r in current(rows):
        members = codes(r["members"])
        if r["key"] in ("kamikawa-chubu", "asahikawa-taisetsu") or len(members) < 4 or not all(map(unique, members)):
            continue
        outside = [
            e.code
            for e in Registry.default().entries
            if e.prefecture == r["prefecture"]
            and e.code not in anywhere
            and unique(e.code)
            and not re.search(r"市.+区$", e.name)  # a ward is no member of its own
        ]
        if len(outside) >= 3 and r["prefecture"] not in {o["prefecture"] for o in out}:
            out.append({**r, "_members": ";".join(members), "_outside": ";".join(outside[:3])})
    return out


def name_of(code: str) -> str:
    entry = Registry.default().by_code(code)
    assert entry is not None
    return entry.name


def table_bytes(towns: list[str]) -> bytes:
    names = [name_of(c) for c in towns]
    rows = [
        TableRow(1, "広域観光推進事業", "圏域の観光資源を結ぶ周遊ルートを整え、観光客の誘致を図る。", tuple(names)),
        TableRow(2, "職員の合同研修", "圏域の市町村職員の合同研修を実施する。", tuple(names[:2])),
    ]
    text = table_text(names, rows, pillar="③ 圏域全体の生活関連機能サービスの向上", field="ア 人材育成")
    return text.encode("utf-8")


def prepared(store: Store, sphere: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """A table of the sphere's members but its first, with a town of the prefecture in no sphere; a member who
    joins after the effective date and one whose year of joining contains it, both absent from the table.
    Returns the table's towns and the expected finding's names."""
    members = sphere["_members"].split(";")
    joined, later, around = sphere["_outside"].split(";")
    store.country.add_member(ADMIN, sphere["key"], later, (ON + datetime.timedelta(days=365)).isoformat())
    store.country.add_member(ADMIN, sphere["key"], around, str(ON.year))
    expected = {"joined": [name_of(joined)], "left": [name_of(members[0])], "unknown": [name_of(around)]}
    return [*members[1:], joined], expected


def names(value: object) -> list[str]:
    return [] if value == "-" else str(value).split("、")


def test_the_store_names_joined_left_and_unknown_against_the_date(db_url: str) -> None:
    chosen = candidates()
    assert len(chosen) >= 3
    sphere = chosen[0]
    with Store.open(db_url) as store:
        store.country.merge(shipped(), source="country.csv")
        towns, expected = prepared(store, sphere)
        reading = read_bytes(table_bytes(towns), "table.txt")
        result = store.import_reading(reading, SphereSpec(key=sphere["key"]), effective_on=ON, message="t")
        found = [f for f in result.findings if f.code == "members-differ"]
        assert len(found) == 1
        assert {k: names(found[0].params[k]) for k in expected} == expected
        assert found[0].params["date"] == ON.isoformat()


def test_the_cli_import_names_the_difference(tmp_path: Path) -> None:
    sphere = candidates()[1]
    database = str(tmp_path / "cli.db")
    with Store.open(database) as store:
        store.country.merge(shipped(), source="country.csv")
        towns, expected = prepared(store, sphere)
    path = tmp_path / "table.txt"
    path.write_bytes(table_bytes(towns))
    done = CliRunner().invoke(
        cli_app,
        ["import", str(path), "--sphere", sphere["key"], "--effective", ON.isoformat(), "--db", database],
    )
    assert done.exit_code == 0, done.output
    said = " ".join(done.output.split())
    assert "加入" in said and "脱退" in said
    for key in expected:
        for name in expected[key]:
            assert name in said, (key, name)
    # The later member (start after the effective date) is not counted for this revision's check.
    later = sphere["_outside"].split(";")[1]
    assert name_of(later) not in said


def test_the_api_and_the_web_import_name_the_difference(tmp_path: Path) -> None:
    first, second = candidates()[2], candidates()[3]
    with Store.open(str(tmp_path / "web.db")) as store:
        store.country.merge(shipped(), source="country.csv")
        store.accounts.add("kanri", PASSWORD, is_admin=True)
        _, token = store.accounts.create_token("kanri", "script")
        app = create_app(store)
        # The API: the finding's lists in the answer.
        towns, expected = prepared(store, first)
        answer = TestClient(app).post(
            f"/api/spheres/{first['key']}/revisions",
            files={"file": ("table.txt", table_bytes(towns), "text/plain")},
            data={"effective_on": ON.isoformat()},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 201, answer.text
        # The first revision of a sphere known only by its members, backdated to the chosen 適用日.
        assert (answer.json()["revision"], answer.json()["effective_on"]) == (1, ON.isoformat())
        membership = answer.json()["membership"]
        assert len(membership) == 1
        assert {k: membership[0][k] for k in expected} == expected
        assert membership[0]["date"] == ON.isoformat() and expected["joined"][0] in membership[0]["message"]
        # The web import: check, confirm, and the revisions page says it.
        towns, expected = prepared(store, second)
        data = table_bytes(towns)
        browser = signed_in(app, "kanri")
        csrf = session_csrf(browser)
        checked = browser.post(
            "/check", files={"file": ("table.txt", data, "text/plain")}, data={"sphere": second["key"], "csrf": csrf}
        )
        assert checked.status_code == 200 and hashlib.sha256(data).hexdigest() in checked.text
        confirmed = browser.post(
            f"/spheres/{second['key']}/import",
            data={"sha256": hashlib.sha256(data).hexdigest(), "effective_on": ON.isoformat(), "csrf": csrf},
        )
        assert confirmed.status_code == 200 and "/revisions" in str(confirmed.url)
        notice = confirmed.text[confirmed.text.index('role="status"') :].split("</div>")[0]
        for key in expected:
            assert all(name in notice for name in expected[key]), key
        assert store.sphere(second["key"]).latest.effective_on == ON  # type: ignore[union-attr]
        page = browser.get(f"/spheres/{second['key']}").text
        assert all(name in page for name in expected["left"])


@pytest.mark.parametrize(
    ("start", "end", "ended", "expected"),
    [
        (None, None, False, True),  # the list's members: start unknown, counted as in
        ("2025-04-01", None, False, False),  # joins after the date
        ("2024", None, False, None),  # some day of the date's year: cannot tell
        ("2024-04", None, False, None),
        ("2024-03", None, False, True),
        (None, "2024-03-31", True, False),  # left before the date
        (None, "2024-04-01", True, True),  # left on it: still in that day
        (None, "2024-04", True, True),  # left some day of April: in on its first day whichever
        (None, "2024", True, None),  # left some day of 2024: cannot tell
        (None, None, True, None),  # left, when unknown
    ],
)
def test_whether_a_membership_held_on_a_date(start: str | None, end: str | None, ended: bool, expected: object) -> None:
    from renkei.store.lifecycle import held_on

    assert held_on(start, end, ended, ON) is expected


def test_the_home_page_says_which_abolished_spheres_it_keeps_in_its_list(client: TestClient) -> None:
    """The list leaves abolished spheres out unless asked, but keeps one whose tables the registry holds (the
    sample's), marked 廃止: its count says so, so that it does not read as a current sphere among the others."""
    with_table = [r for r in listed() if r["abolished"] and r["key"] == "kamikawa-chubu"]
    assert with_table
    page = client.get("/").text
    assert t("ui.spheres_abolished_kept", "ja", n=len(with_table)) in page
    assert t("ui.spheres_abolished_kept", "ja", n=len(with_table)) not in client.get("/?abolished=1").text


def test_the_kinds_of_sphere_are_in_the_readers_language(client: TestClient) -> None:
    """In English the kinds read as English (Settlement sphere), in the list, its filter, a sphere's page, the
    comparison's filter and the country's counts; the filters still send the data's own value."""
    english = {kind.value: t(f"kind.{kind.name.lower()}", "en") for kind in SphereKind}
    assert all(label.isascii() for label in english.values())
    home = client.get("/", params={"lang": "en"}).text
    for value, label in english.items():
        if f'value="{value}"' in home:
            assert re.search(rf'<option value="{value}"[^>]*>{re.escape(label)} \(\d+\)</option>', home), value
    assert f'data-label="Kind">{english["定住自立圏"]}</td>' in home
    assert f"<dd>{english['定住自立圏']}</dd>" in client.get("/spheres/kamikawa-chubu", params={"lang": "en"}).text
    compare = client.get("/compare", params={"lang": "en"}).text
    assert f'<option value="連携中枢都市圏">{english["連携中枢都市圏"]}</option>' in compare
    assert english["定住自立圏"] in client.get("/country", params={"lang": "en"}).text
    client.cookies.clear()
    assert "<dd>定住自立圏</dd>" in client.get("/spheres/kamikawa-chubu").text


def test_a_towns_schedule_says_where_the_documents_total_differs(client: TestClient) -> None:
    """The sample is a part of its document: a town's page lists the projects of the table and says what the
    document's totals row gives the town, without showing that as the schedule's count."""
    vision = read_sample().vision
    registry = Registry.default()
    checked = 0
    for town in vision.municipalities:
        declared, present = vision.declared_totals.get(town.name), vision.present_totals()[town.name]
        entry = registry.resolve(town.name, "北海道").entry
        if declared is None or entry is None:
            continue
        page = client.get(f"/municipalities/{entry.code}").text
        said = t("ui.agreement_declared_differs", "ja", declared=declared, n=present)
        assert (said in page) == (declared != present), town.name
        assert t("ui.agreement_schedule_n", "ja", n=present) in page
        checked += 1
    assert checked == len(vision.municipalities)


def test_a_sphere_with_two_central_cities_names_both(registry: Store, client: TestClient) -> None:
    """A 複眼型 sphere (two central cities, joined by ・ in the list) names both wherever a central city is
    named: the store, the API, the CLI, the home page, the sphere's page, and each city's page. Before, only the
    first was named (the sphere's row holds one); the second was only in the membership table."""
    joint = [r for r in listed() if len(codes(r["central_city"])) == 2]
    assert len(joint) >= 3
    by_key = {s["key"]: s for s in client.get("/api/spheres", params={"limit": 1000}).json()["items"]}
    done = CliRunner().invoke(cli_app, ["spheres", "--json", "--db", registry.url])
    cli = {s["key"]: s for s in json.loads(done.output)}
    table = CliRunner().invoke(cli_app, ["spheres", "--db", registry.url], env={"COLUMNS": "250"}).output
    home = client.get("/").text
    for row in joint:
        key, wanted = row["key"], codes(row["central_city"])
        names = [Registry.default().by_code(code).name for code in wanted]  # type: ignore[union-attr]
        assert [m.code for m in registry.sphere(key).central_cities] == wanted, key
        assert [c["code"] for c in by_key[key]["central_cities"]] == wanted
        assert by_key[key]["central_city"]["code"] == wanted[0]  # the one field kept as it was
        assert [c["code"] for c in cli[key]["central_cities"]] == wanted
        line = next(line for line in table.splitlines() if line.startswith(key + " "))
        assert "・".join(names) in line, line
        pairs = zip(wanted, names, strict=True)
        links = "・".join(f'<a href="/municipalities/{code}">{name}</a>' for code, name in pairs)
        assert links in home, key
        assert links in client.get(f"/spheres/{key}").text, key
        for code in wanted:
            page = client.get(f"/municipalities/{code}").text
            section = page[page.index(f'id="m-{key}"') :].split("</section>")[0]
            assert t("ui.is_central_city", "ja") in section, (key, code)
    # A sphere with one central city names one.
    single = next(r for r in listed() if len(codes(r["central_city"])) == 1)
    assert len(by_key[single["key"]]["central_cities"]) == 1
