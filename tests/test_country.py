"""The real country beside the sample: the 120 spheres of the shipped list on the home page and the tile map,
the sample's table under 上川中部 (abolished, with its successor), a municipality in three spheres, the counts of
a date recomputed here from the CSV, a table checked against the membership of its date, the list updated with
a report of what changed, and an administrator's edits in the audit and on the pages. On SQLite and PostgreSQL.

Expectations are computed from the list itself (``src/renkei/data/country.csv``, the gathered
``shared/data/spheres.csv`` with its lifecycle columns), never pasted in."""

from __future__ import annotations

import csv
import datetime
import importlib.resources
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from editing_support import PASSWORD, session_csrf, signed_in
from renkei.cli import app as cli_app
from renkei.ingest import read_sample
from renkei.national.country import CountryError, read_list, shipped, shown_name
from renkei.places.municipalities import Registry
from renkei.store import SphereSpec, Store
from renkei.web.app import create_app

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "spheres.csv"
ON = datetime.date(2024, 4, 1)


def listed_rows() -> list[dict[str, str]]:
    text = (importlib.resources.files("renkei") / "data" / "country.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def codes(cell: str) -> list[str]:
    return re.findall(r":(\d{6})", cell)


def end_of(value: str) -> datetime.date:
    """The last day of a partial date, computed here on its own."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        nxt = datetime.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    return datetime.date(parts[0], 12, 31)


def start_of(value: str) -> datetime.date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return datetime.date(*parts[:3])


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A fresh registry as ``renkei serve`` makes it the first time: the sample, then the country's list."""
    opened = Store.open(db_url)
    opened.import_reading(read_sample(), SphereSpec(key="kamikawa-chubu"), message="sample")
    opened.country.merge(shipped(), source="country.csv")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as opened:
        yield opened


def test_the_packaged_list_is_the_gathered_one_with_its_provenance() -> None:
    packaged = listed_rows()
    if SHARED.exists():
        with SHARED.open(encoding="utf-8", newline="") as f:
            gathered = list(csv.DictReader(f))
        assert [{k: r[k] for k in g} for r, g in zip(packaged, gathered, strict=True)] == gathered
    assert all(r["sources"].startswith("http") and r["seen"] for r in packaged)
    assert len(shipped()) == len(packaged)


def test_the_home_page_and_the_map_show_every_sphere_of_the_list(client: TestClient) -> None:
    rows = listed_rows()
    current = [r for r in rows if not r["abolished"]]
    page = client.get("/")
    assert page.status_code == 200
    # Every current sphere is listed by its name; an abolished one known only by its members only when asked
    # for, while one whose table the registry keeps (the sample, 上川中部) stays listed, marked 廃止.
    for r in current:
        assert f'href="/spheres/{r["key"]}"' in page.text, r["key"]
    row = re.search(r'<a href="/spheres/kamikawa-chubu">[^<]+</a>(.*?)</th>', page.text)
    assert row is not None and "廃止" in row.group(1)
    for r in rows:
        if r["abolished"] and r["key"] != "kamikawa-chubu":
            assert f'href="/spheres/{r["key"]}"' not in page.text, r["key"]
    everything = client.get("/?abolished=1").text
    assert all(f'href="/spheres/{r["key"]}"' in everything for r in rows)
    # The map's counts per prefecture are the list's (with the abolished ones when asked for).
    for text, chosen in ((page.text, current), (everything, rows)):
        expected = Counter(r["prefecture"] for r in chosen)
        drawn = dict(re.findall(r'<li><a href="/\?prefecture=[^"]+">([^<]+)</a> (\d+)', text))
        assert {p: int(n) for p, n in drawn.items()} == dict(expected)
    # A sphere with a table and one known by membership only are told apart: the latter has no count of
    # projects (a dash, never 0) and no revision.
    assert "表は未登録" in page.text
    tokachi_row = re.search(r'<tr><th scope="row"><a href="/spheres/tokachi">.*?</tr>', page.text, re.S)
    assert tokachi_row is not None
    cells = re.findall(r'<td[^>]*data-label="([^"]+)">(.*?)</td>', tokachi_row.group(0), re.S)
    shown = {label: re.sub(r"<[^>]+>", "", value) for label, value in cells}
    assert shown["連携事業"] == "–" and shown["最新の版"] == "–", shown
    tokachi = client.get("/spheres/tokachi").text
    assert "表は未登録" in tokachi and "音更町" in tokachi


def test_the_sample_sits_under_kamikawa_chubu_abolished_with_its_successor(client: TestClient) -> None:
    row = next(r for r in listed_rows() if r["key"] == "kamikawa-chubu")
    successor = next(r for r in listed_rows() if r["key"] == row["successor"])
    page = client.get("/spheres/kamikawa-chubu").text
    assert "創業支援事業" in page  # the sample's table is there
    assert row["abolished"] in page and "廃止" in page
    assert f'href="/spheres/{successor["key"]}"' in page and shown_name(successor["name"]) in page
    after = client.get(f"/spheres/{successor['key']}").text
    assert 'href="/spheres/kamikawa-chubu"' in after and "表は未登録" in after
    # 移行先 and 移行元 name the spheres, never by their keys alone
    facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert f'<a href="/spheres/{successor["key"]}">{successor["key"]}</a>' not in facts
    assert f'<a href="/spheres/{successor["key"]}">{shown_name(successor["name"])}' in facts
    assert '<a href="/spheres/kamikawa-chubu">kamikawa-chubu</a>' not in after


def test_a_municipality_in_three_spheres_shows_all_three(client: TestClient) -> None:
    rows = listed_rows()
    code = next(c for r in rows for c in codes(r["members"]) if sum(c in codes(x["members"]) for x in rows) == 3)
    page = client.get(f"/municipalities/{code}").text
    spheres = [r for r in rows if code in codes(r["members"])]
    assert len(spheres) == 3
    for r in spheres:
        assert f'href="/spheres/{r["key"]}"' in page and shown_name(r["name"]) in page
    kamigori = client.get("/municipalities/284815").text  # 上郡町, as the issue names it
    assert kamigori.count('class="membership"') == 3


def test_the_counts_of_a_date_are_the_lists(client: TestClient) -> None:
    rows = listed_rows()

    def standing(r: dict[str, str]) -> bool:
        if r["abolished"] and end_of(r["abolished"]) <= ON:
            return False
        started = [start_of(r[s]) for s in ("declared", "agreement", "vision") if r[s]]
        return not started or min(started) <= ON

    current = [r for r in rows if standing(r)]
    body = client.get(f"/api/country?date={ON.isoformat()}").json()
    towns = {r["key"]: set(codes(r["central_city"])) | set(codes(r["members"])) for r in current}
    assert body["municipalities_gross"] == sum(len(t) for t in towns.values())
    assert body["municipalities_distinct"] == len(set().union(*towns.values()))
    times = Counter(c for t in towns.values() for c in t)
    assert body["municipalities_in_several"] == sum(1 for n in times.values() if n > 1) > 0
    by_kind = {k["kind"]: k for k in body["kinds"]}
    for kind in {r["kind"] for r in rows}:
        mine = [r for r in current if r["kind"] == kind]
        assert by_kind[kind]["spheres"] == len(mine)
        assert by_kind[kind]["municipalities_gross"] == sum(len(towns[r["key"]]) for r in mine)
        declared = sum(1 for r in mine if r["declared"] and end_of(r["declared"]) <= ON)
        assert by_kind[kind]["stages"]["declared"] == declared
    metro = by_kind["連携中枢都市圏"]
    assert metro["official"]["spheres"] == 38 and metro["official"]["municipalities"] == 376
    assert metro["missing_spheres"] == 38 - metro["spheres"]
    page = client.get(f"/country?date={ON.isoformat()}").text
    assert str(body["municipalities_distinct"]) in page and "延べ" in page and "soumu.go.jp" in page
    assert client.get("/api/country/chart").json()["mark"] == "bar"
    assert client.get("/api/country?date=2024-02-30").status_code == 400


def test_a_table_that_does_not_match_the_membership_of_its_date_has_a_finding(store: Store) -> None:
    sample = read_sample()
    towns = [m for m in sample.vision.municipalities if m.code]
    # The successor's membership is the sample's towns; drop one, add another, and import the table there.
    store.country.end_membership(_admin_actor(), "asahikawa-taisetsu", towns[0].code or "", "2022-06-30")
    other = Registry.default().by_code("014605")  # a town of the same 振興局, in no such sphere
    assert other is not None
    store.country.add_member(_admin_actor(), "asahikawa-taisetsu", other.code, "2023-04-01")
    result = store.import_reading(
        sample, SphereSpec(key="asahikawa-taisetsu"), effective_on=datetime.date(2024, 4, 1), message="t"
    )
    found = [f for f in result.findings if f.code == "members-differ"]
    assert found and found[0].params["joined"] == towns[0].name and found[0].params["left"] == other.name
    stored = store.revision("asahikawa-taisetsu").findings
    assert any(f["code"] == "members-differ" for f in stored)


def _admin_actor() -> object:
    from renkei.store import Actor

    return Actor(None)


def test_an_update_reports_what_changed_and_writes_nothing_when_it_fails(
    store: Store, tmp_path: Path, db_url: str
) -> None:
    rows = listed_rows()
    header = list(rows[0])
    changed = [dict(r) for r in rows if r["key"] != "tokachi"]
    nishi = next(r for r in changed if r["key"] == "kita-hokkaido-chuo")
    first = nishi["members"].split("; ")[0]
    nishi["members"] = "; ".join(nishi["members"].split("; ")[1:])
    nishi["agreement"] = "2011-10-01"
    newer = tmp_path / "newer.csv"
    with newer.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(changed)
    store.close()
    runner = CliRunner()
    done = runner.invoke(cli_app, ["--lang", "en", "country", "update", str(newer), "--db", db_url, "--json"])
    assert done.exit_code == 0, done.output
    import json

    report = json.loads(done.output)
    assert report["removed"] == ["tokachi"]
    assert report["left"] == [{"sphere": "kita-hokkaido-chuo", "code": first.split(":")[1]}]
    assert report["dates"] == [
        {"sphere": "kita-hokkaido-chuo", "stage": "agreement", "before": "2011-09-30", "after": "2011-10-01"}
    ]
    # A broken list: one bad code on the last row; nothing of it is written.
    broken = tmp_path / "broken.csv"
    changed[0]["agreement"] = "2000-01-01"
    changed[-1]["members"] = "どこか町:999999"
    with broken.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(changed)
    refused = runner.invoke(cli_app, ["--lang", "en", "country", "update", str(broken), "--db", db_url])
    assert refused.exit_code == 2 and "line" in refused.output and "members" in refused.output
    with Store.open(db_url) as again:
        assert again.sphere(changed[0]["key"]).dates.get("agreement") != "2000-01-01"
        audit, _ = again.accounts.audit()
        assert [e.action for e in audit].count("country-update") == 2  # the first load and the update


def test_a_list_with_a_fault_names_its_line_and_column() -> None:
    text = (importlib.resources.files("renkei") / "data" / "country.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[3] = lines[3].replace(":012041", ":012042", 1)  # a wrong check digit
    with pytest.raises(CountryError) as refused:
        read_list("\n".join(lines) + "\n")
    assert refused.value.code == "cell-invalid" and refused.value.params["line"] == 4


def test_a_succession_and_a_membership_end_made_in_admin_show_in_the_audit_and_on_the_pages(
    store: Store,
) -> None:
    store.accounts.add("kanri", PASSWORD, is_admin=True)
    app = create_app(store)
    admin = signed_in(app, "kanri")
    csrf = session_csrf(admin)
    rows = listed_rows()
    sphere = next(r for r in rows if r["key"] == "kita-hokkaido-chuo")
    code = codes(sphere["members"])[0]
    # Without the CSRF token the edit is refused.
    assert admin.post("/admin/country/ends", data={"sphere": sphere["key"], "municipality": code}).status_code == 422
    ended = admin.post(
        "/admin/country/ends",
        data={"csrf": csrf, "sphere": sphere["key"], "municipality": code, "end": "2025-03-31"},
        follow_redirects=False,
    )
    assert ended.status_code == 303, ended.text
    added = admin.post(
        "/admin/country/spheres",
        data={"csrf": csrf, "key": "nayoro-r", "name": "名寄連携圏", "kind": "連携中枢都市圏", "central": "012211"},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    succeeded = admin.post(
        "/admin/country/successions",
        data={"csrf": csrf, "predecessor": sphere["key"], "successor": "nayoro-r", "abolished": "2025-03-31"},
        follow_redirects=False,
    )
    assert succeeded.status_code == 303, succeeded.text
    actions = [e.action for e in store.accounts.audit()[0]]
    assert {"country-member-end", "country-sphere-add", "country-succession"} <= set(actions)
    page = admin.get(f"/spheres/{sphere['key']}").text
    assert "2025-03-31" in page and 'href="/spheres/nayoro-r"' in page and "廃止" in page
    town = admin.get(f"/municipalities/{code}").text
    assert "2025-03-31" in town
    audit_page = admin.get(f"/spheres/{sphere['key']}/audit").text
    assert "圏域の移行の記録" in audit_page and "構成市町村の脱退・終了" in audit_page
    # The abolished sphere left the current list and counts.
    assert f'href="/spheres/{sphere["key"]}"' not in admin.get("/").text
    # A stranger may not edit.
    anonymous = TestClient(app)
    assert anonymous.post("/api/country/edits", json={"action": "dates", "sphere": "nayoro-r"}).status_code == 401


def test_a_dump_keeps_the_lifecycle_and_the_memberships(store: Store, db_factory: object) -> None:
    from renkei.store import dump, restore

    first = io.StringIO()
    dump(store, first)
    assert callable(db_factory)
    with Store.open(db_factory()) as other:
        restore(other, first.getvalue().splitlines())
        again = io.StringIO()
        dump(other, again)
        assert again.getvalue() == first.getvalue()
        assert other.sphere("kamikawa-chubu").replaced_by == "asahikawa-taisetsu"
        assert len(other.country.memberships()) == len(store.country.memberships())


def test_edits_through_the_api_are_checked_and_audited(store: Store) -> None:
    store.accounts.add("kanri", PASSWORD, is_admin=True)
    store.accounts.add("hito", PASSWORD)
    _, token = store.accounts.create_token("kanri", "script")
    _, plain = store.accounts.create_token("hito", "script")
    client = TestClient(create_app(store))

    def edit(body: dict[str, object], secret: str = token) -> Any:
        return client.post("/api/country/edits", json=body, headers={"Authorization": f"Bearer {secret}"})

    added = edit(
        {"action": "add-sphere", "sphere": "test-r", "name": "試験圏", "kind": "連携中枢都市圏", "central": ["012041"]}
    )
    assert added.status_code == 200, added.text
    assert edit({"action": "dates", "sphere": "test-r", "dates": {"agreement": "2024-04"}}).status_code == 200
    assert store.sphere("test-r").dates == {"agreement": "2024-04"}
    joined = edit({"action": "add-member", "sphere": "test-r", "municipality": "鷹栖町", "start": "2024-04-01"})
    assert joined.status_code == 200, joined.text
    # Refusals say what was wrong: a date with no day, a key with a control character, a member twice.
    bad_date = edit({"action": "dates", "sphere": "test-r", "dates": {"vision": "2024-02-30"}})
    assert bad_date.status_code == 422 and bad_date.json()["error"]["code"] == "date-invalid"
    bad_key = edit({"action": "add-sphere", "sphere": "a\u0007", "name": "x", "kind": "定住自立圏"})
    assert bad_key.status_code == 422 and bad_key.json()["error"]["code"] == "sphere-key-invalid"
    again = edit({"action": "add-member", "sphere": "test-r", "municipality": "鷹栖町"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "member-already"
    assert edit({"action": "dates", "sphere": "test-r", "dates": {}}, plain).status_code == 403
    actions = [e.action for e in store.accounts.audit("test-r")[0]]
    assert actions == ["country-member-add", "country-dates", "country-sphere-add"]
    members = store.country.memberships(sphere="test-r")
    assert [(m.role, m.name, m.start) for m in members] == [
        ("central", "旭川市", None),
        ("member", "鷹栖町", "2024-04-01"),
    ]


def test_a_sphere_no_page_named_is_shown_as_what_it_is() -> None:
    """The list says 「(… ; 名称は excerpt になし)」 where no public page gave the name: renkei shows the description
    with （名称未確認）, never the list's note as if it were the official name, and keeps every other name as is."""
    unnamed = [r for r in listed_rows() if "excerpt" in r["name"]]
    assert unnamed, "the list has spheres whose name no page gave"
    for r in unnamed:
        shown = shown_name(r["name"])
        assert "excerpt" not in shown and shown.endswith("未確認）") and not shown.startswith("(")
    named = next(r["name"] for r in listed_rows() if "excerpt" not in r["name"])
    assert shown_name(named) == named
