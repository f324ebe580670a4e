"""Conflicting writes against a real server: do accepted edits ever get lost?

Starts ``renkei serve --workers 2`` over a new registry (a SQLite file, or a PostgreSQL URL given with --db),
then N clients make conditional API writes (GET a project, PATCH its name with If-Match) on a few shared
projects, and one of them publishes the draft every ~100 writes. Then the ABA sequence: a client reads a
project, another renames it and publishes, and the first one's If-Match must be refused (412).

It checks, and exits 1 when any fails:
- 0 lost accepted writes: for each project the accepted writes have distinct, increasing versions, and the
  newest accepted one is what the project holds now (in the open draft, or the newest revision); every
  published revision holds, for each project, one of the accepted names (or the sample's own);
- 0 answers 5xx, no answer other than 200/201 or a refusal as stale (409/412), and 0 connection errors;
- every 2xx carries the caller's own write (its name) and an ETag equal to the version in its body.

    python scripts/conflicts.py [--clients 20] [--writes 1000] [--publish-every 100] [--db URL] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))  # served.py beside this script
from served import serving

KEY = "kamikawa-chubu"
USER = "conflicts"
PASSWORD = "a long enough password for the harness"


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # connection resets, timeouts
    accepted: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    not_own: list[str] = field(default_factory=list)  # 2xx whose body or ETag is not the caller's write
    publishes: Counter[int] = field(default_factory=Counter)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare(db: str) -> str:
    """The sample as revision 1, and a secretariat's API token."""
    from renkei.core.permissions import RoleName
    from renkei.ingest import read_sample
    from renkei.store import SphereSpec, Store

    with Store.open(db) as store:
        store.import_reading(read_sample(), SphereSpec(key=KEY), message="sample")
        store.accounts.add(USER, PASSWORD)
        store.accounts.grant(USER, KEY, RoleName.SECRETARIAT)
        _, token = store.accounts.create_token(USER, "conflicts")
    return token


def project_url(url: str, serial: int) -> str:
    return f"{url}/api/spheres/{KEY}/draft/projects/{serial}"


def write(client: httpx.Client, url: str, serial: int, name: str, tally: Tally) -> None:
    """One conditional write: read the project, then PATCH its name with the ETag read."""
    try:
        read = client.get(project_url(url, serial))
        tally.statuses[read.status_code] += 1
        if read.status_code != 200:
            return
        response = client.patch(
            project_url(url, serial), json={"name": name}, headers={"If-Match": read.headers["etag"]}
        )
    except httpx.HTTPError as error:
        with tally.lock:
            tally.errors.append(f"{type(error).__name__}: {error}")
        return
    with tally.lock:
        tally.statuses[response.status_code] += 1
        if response.status_code == 200:
            body = response.json()
            if body["name"] != name or response.headers.get("etag") != f'"{body["version"]}"':
                tally.not_own.append(f"{serial}: sent {name!r}, got {body['name']!r} {response.headers.get('etag')}")
            tally.accepted[serial].append((int(body["version"]), name))


def publish(client: httpx.Client, url: str, tally: Tally, message: str) -> None:
    try:
        response = client.post(f"{url}/api/spheres/{KEY}/draft/publish", json={"message": message})
    except httpx.HTTPError as error:
        with tally.lock:
            tally.errors.append(f"publish {type(error).__name__}: {error}")
        return
    with tally.lock:
        tally.statuses[response.status_code] += 1
        tally.publishes[response.status_code] += 1


def aba(client: httpx.Client, other: httpx.Client, url: str, serial: int, tally: Tally) -> bool:
    """Read, another renames and publishes, the stale If-Match must be refused."""
    stale = client.get(project_url(url, serial)).headers["etag"]
    fresh = other.get(project_url(url, serial)).headers["etag"]
    renamed = other.patch(project_url(url, serial), json={"name": "ABA-B"}, headers={"If-Match": fresh})
    published = other.post(f"{url}/api/spheres/{KEY}/draft/publish", json={"message": "ABA"})
    late = client.patch(project_url(url, serial), json={"name": "ABA-A"}, headers={"If-Match": stale})
    with tally.lock:
        for response in (renamed, published, late):
            tally.statuses[response.status_code] += 1
        if renamed.status_code == 200:
            tally.accepted[serial].append((int(renamed.json()["version"]), "ABA-B"))
    return renamed.status_code == 200 and published.status_code == 201 and late.status_code == 412


def run(db: str, clients: int, writes: int, every: int, projects: int, workers: int, seed: int) -> dict[str, Any]:
    token = prepare(db)
    tally = Tally()
    headers = {"Authorization": f"Bearer {token}"}
    with tempfile.TemporaryDirectory() as where, serving(db, workers, Path(where) / "serve.log") as (url, _):
        with httpx.Client(headers=headers, timeout=60) as probe:
            serials = [p["serial"] for p in probe.get(f"{url}/api/spheres/{KEY}/draft").json()["projects"][:projects]]
        counter = iter(range(writes))
        counter_lock = threading.Lock()

        def client_loop(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            with httpx.Client(headers=headers, timeout=60) as client:
                while True:
                    with counter_lock:
                        n = next(counter, None)
                        if n is None:
                            return
                        tally.attempts += 1
                    write(client, url, rng.choice(serials), f"c{i:02d}-w{n:04d}", tally)
                    if n and n % every == 0:
                        publish(client, url, tally, f"publish after write {n}")

        started = time.monotonic()
        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        with httpx.Client(headers=headers, timeout=60) as a, httpx.Client(headers=headers, timeout=60) as b:
            aba_refused = aba(a, b, url, serials[0], tally)
            draft = a.get(f"{url}/api/spheres/{KEY}/draft").json()
            history = a.get(f"{url}/api/spheres/{KEY}/revisions").json()
            revisions = [
                a.get(f"{url}/api/spheres/{KEY}/vision", params={"rev": r["number"]}).json()
                for r in (history["items"] if isinstance(history, dict) else history)
            ]
    return verdict(tally, draft, revisions, aba_refused, elapsed, db)


def verdict(
    tally: Tally, draft: dict[str, Any], revisions: list[dict[str, Any]], aba_refused: bool, elapsed: float, db: str
) -> dict[str, Any]:
    now = {p["serial"]: p["name"] for p in draft["projects"]}
    lost: list[str] = []
    for serial, writes in tally.accepted.items():
        versions = [v for v, _ in writes]
        if len(set(versions)) != len(versions):
            lost.append(f"project {serial}: two accepted writes made the same version")
        newest = max(writes)[1]
        if now.get(serial) != newest:
            lost.append(f"project {serial}: holds {now.get(serial)!r}, the newest accepted write was {newest!r}")
    names = {name for writes in tally.accepted.values() for _, name in writes}
    first = {p["name"] for p in revisions[0]["projects"]} if revisions else set()
    for revision in revisions[1:]:
        strangers = {p["name"] for p in revision["projects"]} - names - first
        if strangers:
            lost.append(f"a published revision holds names nobody wrote: {sorted(strangers)[:3]}")
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    # 200/201 accepted, 409/412 refused as stale: anything else is a wrong answer.
    unexpected = {status: n for status, n in tally.statuses.items() if status not in (200, 201, 409, 412)}
    return {
        "backend": "postgresql" if db.startswith("postgresql") else "sqlite",
        "writes": tally.attempts,
        "accepted": sum(len(w) for w in tally.accepted.values()),
        "statuses": dict(sorted(tally.statuses.items())),
        "publishes": dict(sorted(tally.publishes.items())),
        "revisions": len(revisions),
        "seconds": round(elapsed, 1),
        "lost": lost,
        "server_errors": server_errors,
        "connection_errors": tally.errors[:10],
        "not_own": tally.not_own[:10],
        "aba_refused": aba_refused,
        "unexpected": unexpected,
        "ok": not lost and not unexpected and not tally.errors and not tally.not_own and aba_refused,
    }


def markdown(summary: dict[str, Any]) -> str:
    rows = [
        ("backend", summary["backend"]),
        ("conditional writes", summary["writes"]),
        ("accepted", summary["accepted"]),
        ("answers", ", ".join(f"{k}: {v}" for k, v in summary["statuses"].items())),
        ("publishes", ", ".join(f"{k}: {v}" for k, v in summary["publishes"].items())),
        ("revisions at the end", summary["revisions"]),
        ("lost accepted writes", len(summary["lost"])),
        ("5xx", summary["server_errors"]),
        ("other unexpected answers", sum(summary["unexpected"].values())),
        ("connection errors", len(summary["connection_errors"])),
        ("2xx not the caller's own", len(summary["not_own"])),
        ("stale If-Match after a publish (ABA)", "refused (412)" if summary["aba_refused"] else "ACCEPTED"),
        ("seconds", summary["seconds"]),
    ]
    return "\n".join(["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--publish-every", type=int, default=100)
    parser.add_argument("--projects", type=int, default=5, help="how many projects the clients share")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="a PostgreSQL URL (an empty schema); default: a new SQLite file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", action="store_true", help="the summary as a Markdown table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as where:
        db = args.db or f"sqlite:///{Path(where) / 'registry.db'}"
        summary = run(db, args.clients, args.writes, args.publish_every, args.projects, args.workers, args.seed)
    print(markdown(summary) if args.markdown else json.dumps(summary, ensure_ascii=False, indent=2))
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    os.environ.setdefault("RENKEI_LANG", "en")
    main()
