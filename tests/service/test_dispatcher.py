"""Celery on PostgreSQL: an upload's job is committed with a NOTIFY and published by the workers'
dispatchers, not by the web process (real PostgreSQL, real Redis, a real `attest worker`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import login, pdf_bytes, seeded_database

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.redis


@pytest.fixture(scope="module")
def pg_celery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url, redis_url = os.environ.get("ATTEST_TEST_DATABASE_URL"), os.environ.get("ATTEST_TEST_REDIS_URL")
    if not url or not redis_url:
        pytest.skip("ATTEST_TEST_DATABASE_URL and ATTEST_TEST_REDIS_URL are not set (make test sets them)")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    tmp = tmp_path_factory.mktemp("dispatch")
    from fastapi.testclient import TestClient

    with seeded_database(url, data_dir=str(tmp / "data"), job_backend="celery", redis_url=redis_url):
        from service.app import create_app

        app = create_app(start_worker=False)
        with TestClient(app):
            yield {"url": url, "redis_url": redis_url, "tmp": tmp, "app": app}


def _upload(app: Any, name: str) -> str:
    teacher = login(app, "teacher")
    r = teacher.post("/api/v1/dossiers", json={"profile": "kz-researcher", "period_start": "2021-09-01",
                                                "period_end": "2026-08-31"})
    assert r.status_code == 201, r.text
    r = teacher.post(f"/api/v1/dossiers/{r.json()['id']}/files",
                     files=[("files", (name, pdf_bytes("СЕРТИФИКАТ"), "application/pdf"))])
    assert r.status_code == 201, r.text
    return str(r.json()["files"][0]["job"]["id"])


def _job(job_id: str) -> Any:
    from service.db import session_scope
    from service.jobs.models import Job

    with session_scope() as db:
        job = db.get(Job, job_id)
        db.expunge(job)
        return job


def test_the_web_process_does_not_publish_and_a_worker_runs_the_job(pg_celery: dict[str, Any],
                                                                     tmp_path: Path) -> None:
    import redis

    broker = redis.Redis.from_url(pg_celery["redis_url"])
    job_id = _upload(pg_celery["app"], "a.pdf")
    time.sleep(0.5)  # the web's sender thread would have published by now
    job = _job(job_id)
    assert (job.state, job.dispatched_at) == ("queued", None)
    assert broker.llen("attest") == 0

    log = tmp_path / "worker.log"
    env = {**os.environ, "ATTEST_DATABASE_URL": pg_celery["url"], "ATTEST_DATA_DIR": str(pg_celery["tmp"] / "data"),
           "ATTEST_JOB_BACKEND": "celery", "ATTEST_REDIS_URL": pg_celery["redis_url"]}
    worker = subprocess.Popen([sys.executable, "-m", "service", "worker", "--concurrency", "2", "--loglevel",
                               "warning"], cwd=REPO, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not (job := _job(job_id)).done and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (job.state, job.attempts) == ("succeeded", 1), log.read_text(errors="replace")[-3000:]
        assert job.dispatched_at is not None
        # a second upload while the worker listens: handed over by the NOTIFY, well before the 2 s poll
        t0 = time.monotonic()
        second = _upload(pg_celery["app"], "b.pdf")
        while _job(second).dispatched_at is None and time.monotonic() - t0 < 10:
            time.sleep(0.05)
        assert _job(second).dispatched_at is not None and time.monotonic() - t0 < 1.9
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)


def test_two_dispatchers_send_each_job_exactly_once(pg_celery: dict[str, Any]) -> None:
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.dispatcher import Dispatcher

    with session_scope() as db:
        ids = []
        for _ in range(60):
            job = repo.create(db, "probe", {"seconds": 0})
            job.dispatched_at = None
            ids.append(job.id)
    sent: list[str] = []
    lock = threading.Lock()

    def send_many(batch: list[str]) -> None:
        # slow enough (9 batches x 50 ms) that the second dispatcher is connected before the first is done,
        # on a loaded machine too
        time.sleep(0.05)
        with lock:
            sent.extend(batch)

    dispatchers = [Dispatcher(pg_celery["url"], send_many, batch=7) for _ in range(2)]
    threads = [threading.Thread(target=d.drain) for d in dispatchers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(sent) == sorted(ids)  # every job once, none twice
    assert all(d.sent > 0 for d in dispatchers)  # both took a share
    with session_scope() as db:
        assert repo.claim_undispatched(db) == []


def test_a_failed_publish_leaves_the_jobs_for_the_next_wake_up(pg_celery: dict[str, Any]) -> None:
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.dispatcher import Dispatcher

    with session_scope() as db:
        job = repo.create(db, "probe", {"seconds": 0})
        job.dispatched_at = None
        job_id = job.id

    def broker_down(batch: list[str]) -> None:
        with session_scope() as db:  # what celery_app.send_many does when the broker refuses
            repo.mark_undispatched(db, batch)
        raise ConnectionError("broker down")

    assert Dispatcher(pg_celery["url"], broker_down).drain() == 0
    assert _job(job_id).dispatched_at is None
    got: list[str] = []
    assert Dispatcher(pg_celery["url"], got.extend).drain() == 1
    assert got == [job_id]
