"""Redis outages with the Celery backend: a real `attest worker` against a PRIVATE redis-server that the
tests stop, freeze (SIGSTOP) and restart. The promise: an upload that got its 201 is never lost and its
verification job finishes; the web process answers in bounded time and /health says the broker is down
without failing the whole check."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.reliability.conftest import PrivateRedis, Worker, wait_for
from tests.service.conftest import login, pdf_bytes, wait_job

pytestmark = [pytest.mark.redis, pytest.mark.timeout(120)]

API = "/api/v1"
PERIOD = {"profile": "kz-researcher", "period_start": "2021-09-01", "period_end": "2026-08-31"}


def _job_row(job_id: str) -> Any:
    from service.db import session_scope
    from service.jobs.models import Job

    with session_scope() as db:
        job = db.get(Job, job_id)
        assert job is not None
        db.expunge(job)
        return job


def _succeeded_audits(job_id: str) -> int:
    from service.audit.models import AuditEvent
    from service.db import session_scope

    with session_scope() as db:
        return int(db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.object_id == job_id, AuditEvent.action == "job.succeeded")))


def _upload_timed(teacher: Any, dossier_id: str, data: bytes, name: str) -> tuple[Any, float]:
    start = time.monotonic()
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", files=[("files", (name, data, "application/pdf"))])
    return r, time.monotonic() - start


def _health(web: Any) -> tuple[int, dict[str, Any], float]:
    from tests.service.conftest import make_client

    start = time.monotonic()
    r = make_client(web).get(f"{API}/health")
    return r.status_code, r.json(), time.monotonic() - start


def test_upload_while_redis_is_down_is_kept_and_verified_when_redis_is_back(
        web: Any, worker: Worker, private_redis: PrivateRedis) -> None:
    teacher = login(web, "teacher")
    dossier_id = teacher.post(f"{API}/dossiers", json=PERIOD).json()["id"]
    code, body, _ = _health(web)
    assert (code, body["status"], body["broker"], body["database"]) == (200, "ok", "ok", "ok")

    private_redis.stop()
    data = pdf_bytes("uploaded while the broker is down")
    r, took = _upload_timed(teacher, dossier_id, data, "order.pdf")
    assert r.status_code == 201, r.text
    assert took < 5.0, f"the upload took {took:.1f} s with Redis down"
    uploaded = r.json()["files"][0]
    job_id = uploaded["job"]["id"]
    assert _job_row(job_id).state == "queued"  # committed with the upload

    # the web process's publish fails and says so in the database: the next sweep will send it
    wait_for(lambda: _job_row(job_id).dispatched_at is None, 15, "the failed publish to be recorded")
    code, body, took = _health(web)
    assert code == 200 and took < 3.0
    assert (body["status"], body["job_backend"], body["database"], body["broker"]) == (
        "degraded", "celery", "ok", "unreachable")
    assert body["jobs"]["queued"] == 1 and body["jobs"]["oldest_queued_s"] >= 0
    assert worker.alive()  # the worker waits for its broker, it does not exit
    assert _job_row(job_id).state == "queued"

    private_redis.start()
    job = wait_job(teacher, job_id, timeout=45)
    assert (job["state"], job["attempts"]) == ("succeeded", 1), (job, worker.log.read_text(errors="replace")[-3000:])
    report = teacher.get(f"{API}/files/{uploaded['id']}/report").json()["report"]
    assert report["sha256"] == hashlib.sha256(data).hexdigest()
    assert _succeeded_audits(job_id) == 1
    code, body, _ = _health(web)
    assert (code, body["status"], body["broker"], body["jobs"]["queued"]) == (200, "ok", "ok", 0)


def test_frozen_redis_does_not_hang_uploads_or_health_and_the_jobs_finish_after(
        web: Any, worker: Worker, private_redis: PrivateRedis) -> None:
    """SIGSTOP: connections are accepted by the kernel but nothing answers — the case that blocks a
    client without timeouts for ever."""
    teacher = login(web, "teacher")
    dossier_id = teacher.post(f"{API}/dossiers", json=PERIOD).json()["id"]
    private_redis.freeze()
    uploads = []
    try:
        for n in range(3):
            data = pdf_bytes(f"frozen broker {n}")
            r, took = _upload_timed(teacher, dossier_id, data, f"doc-{n}.pdf")
            assert r.status_code == 201, r.text
            assert took < 5.0, f"upload {n} took {took:.1f} s with Redis frozen"
            uploads.append((r.json()["files"][0], data))
        code, body, took = _health(web)
        assert code == 200 and took < 4.0, took
        assert (body["status"], body["broker"], body["jobs"]["queued"]) == ("degraded", "unreachable", 3)
        # the sender thread gives up within its socket timeouts instead of blocking for ever
        wait_for(lambda: all(_job_row(f["job"]["id"]).dispatched_at is None for f, _ in uploads), 40,
                 "the publishes to the frozen broker to fail")
    finally:
        private_redis.thaw()
    for uploaded, data in uploads:
        job = wait_job(teacher, uploaded["job"]["id"], timeout=45)
        assert job["state"] == "succeeded", (job, worker.log.read_text(errors="replace")[-3000:])
        assert job["result"]["report"]["sha256"] == hashlib.sha256(data).hexdigest()
        assert _succeeded_audits(uploaded["job"]["id"]) == 1


def test_redis_restart_while_the_worker_runs_loses_no_job(celery_db: dict[str, Any], worker: Worker,
                                                         private_redis: PrivateRedis, tmp_path: Path) -> None:
    """Redis dies (its queue with it: no persistence) while two jobs run and four wait in its queue; it
    comes back; the worker reconnects and every job finishes exactly once."""
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.service import dispatch

    job_ids = []
    for _ in range(6):
        with session_scope() as db:
            job_ids.append(repo.create(db, "probe", {"seconds": 2}).id)
        dispatch(job_ids[-1])
    wait_for(lambda: sum(_job_row(i).state == "running" for i in job_ids) == 2, 30, "two jobs to run", worker.log)
    # the other four wait in Redis (and maybe a second message of some: a worker's first sweep may send
    # again what was sent to a Redis younger than two seconds)
    assert private_redis.queue_length() >= 4

    private_redis.stop()  # the four queued messages are gone with it
    time.sleep(3)
    assert worker.alive()
    private_redis.start()
    assert private_redis.queue_length() == 0

    wait_for(lambda: all(_job_row(i).done for i in job_ids), 50, "every job to finish", worker.log)
    jobs = [_job_row(i) for i in job_ids]
    assert [j.state for j in jobs] == ["succeeded"] * 6, [(j.state, j.error) for j in jobs]
    assert [_succeeded_audits(i) for i in job_ids] == [1] * 6
    assert [j.attempts for j in jobs] == [1] * 6  # the two running ones were not interrupted
    assert worker.alive()


def test_publish_failure_marks_jobs_undispatched_and_the_sweep_sends_them(celery_db: dict[str, Any],
                                                                          private_redis: PrivateRedis) -> None:
    """The mechanism without a worker: a failed publish clears `dispatched_at`; while the broker is down
    the sweeper sends nothing; the first sweep after it is back sends each job once, and a Redis that
    lost its data (restart without persistence) gets the queued jobs sent to it before again."""
    from kombu.exceptions import OperationalError

    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.celery_app import send, send_many
    from service.jobs.sweeper import BrokerUnavailable, celery_broker_since, sweep_once

    with session_scope() as db:
        ids = [repo.create(db, "probe", {"seconds": 0}).id for _ in range(3)]
    private_redis.stop()
    start = time.monotonic()
    with pytest.raises(OperationalError, match="Connection refused"):
        send_many(ids)
    assert time.monotonic() - start < 10
    assert [_job_row(i).dispatched_at for i in ids] == [None, None, None]
    with pytest.raises(BrokerUnavailable):
        celery_broker_since()
    assert sweep_once(None) == []

    private_redis.start()
    since = celery_broker_since()
    assert since is not None
    assert sweep_once(send, broker_since=since) == ids
    assert private_redis.queue_length() == 3
    assert all(_job_row(i).dispatched_at is not None for i in ids)
    assert celery_broker_since() == since  # the marker stays while Redis keeps its data
    assert sweep_once(send, broker_since=since) == []  # sent once, not at every sweep
    assert private_redis.queue_length() == 3

    private_redis.stop()  # restarted without persistence: the three messages are gone
    private_redis.start()
    assert private_redis.queue_length() == 0
    later = celery_broker_since()
    assert later is not None and later > since
    assert sweep_once(send, broker_since=later) == ids
    assert private_redis.queue_length() == 3
