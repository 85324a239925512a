"""Browser fixtures: the real server (`attest serve --seed-demo`) in a temporary data folder, and
Debian's Chromium driven by Playwright's sync API. Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--lang=ru-RU"]
PASSWORDS = {
    "secretary": "secretary-demo-2024",
    "teacher": "teacher-demo-2024",
    "teacher2": "teacher2-demo-2024",
    "commission": "commission-demo-2024",
    "admin": "admin-demo-2024",
}


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real service on a free loopback port, with the demo accounts; its base URL."""
    with running_server(tmp_path_factory.mktemp("browser-data")) as base:
        yield base


@contextlib.contextmanager
def running_server(data: Path) -> Iterator[str]:
    """`attest serve --seed-demo` with its data in `data`, until the block ends; its base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/install-system.sh installs it)")
    port = _free_port()
    env = {**os.environ, "ATTEST_DATA_DIR": str(data), "ATTEST_JOB_BACKEND": "inprocess"}
    env.pop("ATTEST_DATABASE_URL", None)
    log = (data / "server.log").open("w")
    attest = Path(sys.executable).with_name("attest")
    cmd = [str(attest) if attest.exists() else sys.executable, *([] if attest.exists() else ["-m", "service"]),
           "serve", "--seed-demo", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"attest serve did not start: {(data / 'server.log').read_text()[-2000:]}")
        time.sleep(0.3)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    # Package scope: Playwright's sync API runs an event loop in this thread while it is open, which
    # would make every later asyncio.run() (pyHanko validation) fail in the rest of the session.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Session:
    """One signed-in (or anonymous) browser context with helpers for the journeys."""

    def __init__(self, browser: Any, base: str, locale: str = "ru-RU", phone: bool = False) -> None:
        self.base = base
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        self.context = browser.new_context(locale=locale, viewport=size, accept_downloads=True,
                                           is_mobile=phone, has_touch=phone)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self.page.on("dialog", lambda dialog: dialog.accept())

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def login(self, username: str) -> None:
        self.goto("/login")
        self.page.fill("#f-username", username)
        self.page.fill("#f-password", PASSWORDS[username])
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def new_session(browser: Any, server: str) -> Iterator[Any]:
    sessions: list[Session] = []

    def make(username: str | None = None, locale: str = "ru-RU", phone: bool = False) -> Session:
        s = Session(browser, server, locale, phone)
        sessions.append(s)
        if username:
            s.login(username)
        return s

    yield make
    for s in sessions:
        assert not s.console_errors, f"JavaScript errors: {s.console_errors}"
        s.close()


@pytest.fixture(scope="session")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete kz-researcher evidence set (order, protocol extract, certificate and 3 programme scans)."""
    from samples.dossier.specimens import make_sample_dossier

    folder = tmp_path_factory.mktemp("evidence")
    make_sample_dossier(folder)
    return folder


@pytest.fixture(scope="session")
def shared() -> dict[str, Any]:
    """What one journey hands to the next (the secretary's document, the teacher's dossier)."""
    return {}
