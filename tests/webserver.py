"""The web app as a user meets it: ``renkei serve`` in a subprocess, and Debian's chromium driven by Playwright.

Import the fixtures into a test module (``from webserver import browser, page, server``) to use them. The
server runs over a new SQLite file, so it loads the bundled sample on its first start, as a user's first
``renkei serve`` does. Screenshots go to ``test-artifacts/screenshots/`` under the repository root.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from clirun import cli_env
from conftest import require

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 60.0  # seconds for the server to answer; the first start imports the sample
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``renkei serve``: its address, its process and the file its output goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop (SIGTERM, as Ctrl-C would), and kill it if it does not."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def running_server(
    log: Path, *options: str | Path, port: int, env: dict[str, str | None] | None = None
) -> Iterator[Server]:
    """``python -m renkei serve OPTIONS`` until it answers on ``http://127.0.0.1:PORT/``; stopped on leaving, also
    when the test fails. Fails with the server's output when it exits or stays silent. ``env`` changes the test
    environment (C.UTF-8, no language override); a None value takes a variable out."""
    environment = cli_env()
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    url = f"http://127.0.0.1:{port}"
    command: Sequence[str] = [sys.executable, "-m", "renkei", "serve", *map(str, options)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment, cwd=log.parent)
    server = Server(url, process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(url + "/"):
            if process.poll() is not None:
                pytest.fail(f"renkei serve exited with status {process.returncode}:\n{server.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"renkei serve did not answer on {url} within {START_TIMEOUT}s:\n{server.output()}")
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One ``renkei serve`` for the browser tests of the sample's pages, over a new SQLite file (so the sample is
    loaded). The country's list is left out (``--no-country``): beside it the sample's sphere is abolished and
    off the home page by default; tests/test_national_browser.py serves the country."""
    where = tmp_path_factory.mktemp("served")
    port = free_port()
    options = ("--db", where / "registry.db", "--port", str(port), "--no-country")
    with running_server(where / "serve.log", *options, port=port) as running:
        yield running


class _Chromium:
    """One Playwright and one chromium for the whole test run. Playwright's sync API allows a single instance
    at a time, and every module that imports the ``browser`` fixture makes a fixture of its own: they share
    this one, and the last to finish closes it."""

    def __init__(self) -> None:
        self.users = 0
        self.playwright: Any = None
        self.browser: Any = None

    def acquire(self) -> Any:
        if self.users == 0:
            self.playwright = sync_playwright().start()
            try:
                self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            except BaseException:
                self.playwright.stop()
                raise
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            try:
                self.browser.close()
            finally:
                self.playwright.stop()
                self.browser = self.playwright = None


_CHROMIUM = _Chromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium under Playwright (never a downloaded browser)."""
    require(os.path.exists(CHROMIUM), f"chromium is not installed at {CHROMIUM}")
    launched = _CHROMIUM.acquire()
    try:
        yield launched
    finally:
        _CHROMIUM.release()


Scenario = Callable[[Any], None]


@contextlib.contextmanager
def chromium_in_a_thread(name: str) -> Iterator[Callable[[Scenario], None]]:
    """Runs scenarios with Debian's chromium (never a downloaded browser), in a thread of the caller's own.

    Playwright's sync API refuses to start while another instance runs in the same thread, as the
    session-wide ``browser`` of the other browser tests may; in a thread of its own this one never meets it."""
    require(os.path.exists(CHROMIUM), f"chromium is not installed at {CHROMIUM}")
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    try:
        playwright = worker.submit(lambda: sync_playwright().start()).result(timeout=120)
        try:
            launched = worker.submit(
                lambda: playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ).result(timeout=120)
            try:
                yield lambda scenario: worker.submit(scenario, launched).result(timeout=300)
            finally:
                worker.submit(launched.close).result(timeout=60)
        finally:
            worker.submit(playwright.stop).result(timeout=60)
    finally:
        worker.shutdown()


def new_page(browser: Any, server: Server, locale: str = "ja-JP", **options: Any) -> Any:
    """A page in a context of its own (own cookies), on the server's address, in ``locale``."""
    settings: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}, "accept_downloads": True}
    settings.update(options)
    context = browser.new_context(locale=locale, base_url=server.url, **settings)
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page: Any, username: str, password: str, next_path: str = "") -> None:
    """Signed in through the login form (``next_path``: where the form sends the person after), the answer
    waited for."""
    page.goto(f"/login?next={next_path}" if next_path else "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A Japanese reader's page (locale ja-JP, so Accept-Language asks for Japanese)."""
    opened = new_page(browser, server)
    try:
        yield opened
    finally:
        opened.context.close()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Keep a picture of what the page shows, as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
