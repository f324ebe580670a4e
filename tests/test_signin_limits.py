"""Sign-in limits that hold under bursts and are fair: a burst of parallel wrong passwords gets at most the limit
of password checks (across two stores, as two worker processes would), the right user signs in from another
address while an attacker guesses, every refused attempt is audited once, and a forged X-Forwarded-For is
ignored unless ``renkei serve --forwarded-allow-ips`` names the proxy. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from renkei.store import Store
from renkei.store.accounts import PAIR_LIMIT, Actor
from webserver import free_port, running_server

PASSWORD = "a long enough password 1234"
WRONG = "not the password at all"
BURST = 30


def outcomes(db_url: str, username: str) -> list[tuple[str, str | None]]:
    store = Store.open(db_url)
    try:
        entries, _ = store.accounts.audit(None, limit=1000)
        return [(e.action, e.address) for e in entries if e.username == username]
    finally:
        store.close()


def test_a_burst_of_wrong_passwords_gets_at_most_the_limit_checked(db_url: str) -> None:
    stores = [Store.open(db_url), Store.open(db_url)]  # two workers: each its own engine and connections
    try:
        stores[0].accounts.add("target", PASSWORD)
        start = threading.Barrier(BURST, timeout=60)

        def guess(i: int) -> int:
            start.wait()
            return stores[i % 2].accounts.sign_in("target", WRONG, Actor(None, "198.51.100.7")).retry_after

        with ThreadPoolExecutor(BURST) as pool:
            waits = list(pool.map(guess, range(BURST)))
    finally:
        for store in stores:
            store.close()
    checked = [w for w in waits if w == 0]
    assert len(checked) == PAIR_LIMIT, waits
    audited = outcomes(db_url, "target")
    assert len(audited) == BURST  # each attempt once
    assert sorted(a for a, _ in audited).count("login-failed") == PAIR_LIMIT
    assert {a for a, _ in audited} == {"login-failed", "login-refused"}
    assert {address for _, address in audited} == {"198.51.100.7"}


def test_the_right_user_signs_in_from_elsewhere_while_a_stranger_guesses(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        store.accounts.add("target", PASSWORD)
        stop = threading.Event()
        refused = []

        def attacker() -> None:
            while not stop.is_set():
                outcome = store.accounts.sign_in("target", WRONG, Actor(None, "203.0.113.66"))
                assert outcome.principal is None
                refused.append(outcome.retry_after > 0)

        thread = threading.Thread(target=attacker)
        thread.start()
        try:
            while len(refused) < 3 * PAIR_LIMIT:  # the stranger is well past the limit
                stop.wait(0.05)
            assert any(refused)
            for attempt in range(3):
                mine = store.accounts.sign_in("target", PASSWORD, Actor(None, f"192.0.2.{10 + attempt}"))
                assert mine.principal is not None and mine.principal.username == "target", mine
        finally:
            stop.set()
            thread.join()
        # Made-up names from one address (many people may share it) do not lock the others behind it out.
        for i in range(PAIR_LIMIT * 2):
            store.accounts.sign_in(f"nobody{i}", WRONG, Actor(None, "192.0.2.99"))
        assert store.accounts.sign_in("target", PASSWORD, Actor(None, "192.0.2.99")).principal is not None
    finally:
        store.close()


def login(client: httpx.Client, url: str, password: str, headers: dict[str, str]) -> httpx.Response:
    form = client.get(f"{url}/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None, form.text[:500]
    data = {"username": "target", "password": password, "csrf": token[1], "next": "/"}
    return client.post(f"{url}/login", data=data, headers=headers, follow_redirects=False)


def test_a_forged_x_forwarded_for_is_ignored_by_default(tmp_path: Path) -> None:
    """Rotating X-Forwarded-For does not escape the limit, and the audit trail records the socket's address."""
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    store = Store.open(db)
    store.accounts.add("target", PASSWORD)
    store.close()
    port = free_port()
    options = ("--db", db, "--port", str(port))
    with running_server(tmp_path / "serve.log", *options, port=port) as server, httpx.Client(timeout=30) as client:
        statuses = [
            login(client, server.url, WRONG, {"X-Forwarded-For": f"10.0.{i}.1"}).status_code
            for i in range(PAIR_LIMIT + 2)
        ]
    assert statuses == [401] * PAIR_LIMIT + [429, 429]
    assert {address for _, address in outcomes(db, "target")} == {"127.0.0.1"}


def test_x_forwarded_for_is_believed_from_the_proxy_named(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    store = Store.open(db)
    store.accounts.add("target", PASSWORD)
    store.close()
    port = free_port()
    options = ("--db", db, "--port", str(port), "--forwarded-allow-ips", "127.0.0.1")
    with running_server(tmp_path / "serve.log", *options, port=port) as server, httpx.Client(timeout=30) as client:
        assert login(client, server.url, WRONG, {"X-Forwarded-For": "198.51.100.23"}).status_code == 401
    assert outcomes(db, "target") == [("login-failed", "198.51.100.23")]
