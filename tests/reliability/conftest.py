"""Fixtures of the reliability tests: a PRIVATE redis-server on a free port that a test may stop, freeze
and restart (the shared Redis on 6379 is never touched), a real `attest worker` against it, and a
migrated SQLite database with the demo accounts shared by the web side (in this process) and the worker.
The service tests' helpers (settings, database reset, sign-in, job wait) are reused."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import seeded_database

REPO = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    tail = f"; worker log:\n{log.read_text(errors='replace')[-4000:]}" if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{tail}")


class PrivateRedis:
    """redis-server without persistence on its own port: stopping it loses what it held, as a crashed
    or restarted Redis without AOF does."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert REDIS_SERVER is not None
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=(self.dir / "redis.log").open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self.answers, 10, f"redis-server on port {self.port}")

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """SIGTERM (the server exits; without persistence its queues are gone)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel's backlog) but nothing answers."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def queue_length(self) -> int:
        import redis

        return int(redis.Redis(port=self.port).llen("attest"))


@pytest.fixture()
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.proc is not None and server.proc.poll() is None:
            server.proc.send_signal(signal.SIGCONT)
        server.stop()


@pytest.fixture()
def celery_db(tmp_path: Path, private_redis: PrivateRedis) -> Iterator[dict[str, Any]]:
    """A fresh SQLite database with the demo accounts; settings of the web side: Celery backend on the
    private Redis, 2 s leases (the worker's sweeper then runs every second)."""
    url = f"sqlite:///{tmp_path / 'attest.db'}"
    with seeded_database(url, data_dir=str(tmp_path / "data"), job_backend="celery", redis_url=private_redis.url,
                         job_lease_s="2", job_max_attempts="3", max_upload_bytes=str(200_000)):
        yield {"url": url, "tmp": tmp_path, "redis": private_redis}


class Worker:
    """`attest worker` (Celery, 2 threads, with its sweeper) in its own process group."""

    def __init__(self, db: dict[str, Any]) -> None:
        self.db = db
        self.log = db["tmp"] / "worker.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "ATTEST_DATABASE_URL": self.db["url"], "ATTEST_DATA_DIR": str(self.db["tmp"] / "data"),
               "ATTEST_JOB_BACKEND": "celery", "ATTEST_REDIS_URL": self.db["redis"].url, "ATTEST_JOB_LEASE_S": "2",
               **self.db.get("worker_env", {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "service", "worker", "--concurrency", "2", "--loglevel", "info"],
            cwd=REPO, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            assert self.proc is not None
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


@pytest.fixture()
def worker(celery_db: dict[str, Any]) -> Iterator[Worker]:
    w = Worker(celery_db)
    w.start()
    try:
        yield w
    finally:
        w.stop()


@pytest.fixture()
def web(celery_db: dict[str, Any]) -> Iterator[Any]:
    """The application in this process (Celery backend: no in-process worker; uploads are published by
    the web process's sender thread)."""
    from fastapi.testclient import TestClient

    from service.app import create_app

    application = create_app()
    with TestClient(application):
        yield application
