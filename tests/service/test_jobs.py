"""Jobs: compare-and-set claims and leases; a real Celery worker (`attest worker`) against the real
Redis finishing a verification job; a worker killed mid-job whose job is retried and finishes once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.service.conftest import pdf_bytes, seeded_database

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def job_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A shared SQLite database (file) with the demo accounts, for the web side and the workers."""
    tmp = tmp_path_factory.mktemp("jobs")
    url = f"sqlite:///{tmp / 'attest.db'}"
    redis_url = os.environ.get("ATTEST_TEST_REDIS_URL", "")
    with seeded_database(url, data_dir=str(tmp / "data"), job_backend="celery" if redis_url else "inprocess",
                         redis_url=redis_url or "redis://127.0.0.1:1/0", job_lease_s="2", job_max_attempts="3"):
        yield {"url": url, "tmp": tmp, "redis_url": redis_url}


def _new_job(kind: str = "probe", payload: dict[str, Any] | None = None) -> str:
    from service.db import session_scope
    from service.jobs import repository as repo

    with session_scope() as db:
        return repo.create(db, kind, payload or {"seconds": 0}).id


def _job(job_id: str) -> Any:
    from service.db import session_scope
    from service.jobs.models import Job

    with session_scope() as db:
        job = db.get(Job, job_id)
        db.expunge(job)
        return job


# ------------------------------------------------------------------ leases, without a broker


def test_only_one_claim_wins_and_a_stale_worker_cannot_finish(job_db: dict[str, Any]) -> None:
    from service.db import session_scope
    from service.jobs import repository as repo

    job_id = _new_job()
    with session_scope() as db:
        assert repo.claim(db, job_id, "w1", lease_s=60) is True
    with session_scope() as db:
        assert repo.claim(db, job_id, "w2", lease_s=60) is False  # w1 holds a live lease
    with session_scope() as db:
        assert repo.finish(db, job_id, "w2", result={"x": 1}) is False
        assert repo.finish(db, job_id, "w1", result={"x": 1}) is True
    with session_scope() as db:
        assert repo.finish(db, job_id, "w1", result={"x": 2}) is False  # finished exactly once
    job = _job(job_id)
    assert (job.state, job.result, job.attempts, job.lease_owner) == ("succeeded", {"x": 1}, 1, None)


def test_sweeper_requeues_a_dead_workers_job_then_fails_when_attempts_run_out(job_db: dict[str, Any]) -> None:
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.sweeper import sweep_once

    job_id = _new_job()
    sent: list[str] = []
    for attempt in (1, 2, 3):
        with session_scope() as db:
            assert repo.claim(db, job_id, f"dead-{attempt}", lease_s=0.01)
        time.sleep(0.05)
        sent.clear()
        sweep_once(sent.append, redispatch_after_s=3600)
        job = _job(job_id)
        if attempt < 3:
            assert job_id in sent and (job.state, job.progress_code, job.attempts) == ("queued", "retrying", attempt)
        else:
            assert job_id not in sent
            assert (job.state, job.attempts) == ("failed", 3)
            assert job.error == "the worker stopped 3 times while running this job"


def test_run_job_in_process_verifies_and_records_the_report(job_db: dict[str, Any]) -> None:
    from service.jobs.runner import run_job

    job_id, file_id, sha = _verification_job(job_db)
    assert run_job(job_id, "test-worker") == "succeeded"
    assert run_job(job_id, "test-worker") == "skipped"
    job = _job(job_id)
    assert job.state == "succeeded" and job.result["report"]["sha256"] == sha
    assert _file_report(file_id)["sha256"] == sha


def _verification_job(job_db: dict[str, Any]) -> tuple[str, str, str]:
    import hashlib

    from service.accounts.models import User
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.uploads.models import FilePurpose
    from service.uploads.service import store_path

    data = pdf_bytes(str(time.time()))
    path = job_db["tmp"] / f"in-{time.monotonic_ns()}.pdf"
    path.write_bytes(data)
    with session_scope() as db:
        teacher = db.scalar(select(User).where(User.username == "teacher"))
        record = store_path(db, path, "order.pdf", "application/pdf", owner_user_id=teacher.id,
                            organisation_id=teacher.organisation_id, purpose=FilePurpose.UPLOAD)
        job = repo.create(db, "verify_upload", {"file_id": record.id, "lang": "ru"}, owner=teacher)
        record.job_id = job.id
        return job.id, record.id, hashlib.sha256(data).hexdigest()


def _file_report(file_id: str) -> dict[str, Any]:
    from service.db import session_scope
    from service.uploads.models import FileRecord

    with session_scope() as db:
        return db.get(FileRecord, file_id).report  # type: ignore[union-attr,return-value]


# ------------------------------------------------------------------ a real Celery worker and Redis


def _start_worker(job_db: dict[str, Any], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ}
    env.update(ATTEST_DATABASE_URL=job_db["url"], ATTEST_DATA_DIR=str(job_db["tmp"] / "data"),
               ATTEST_JOB_BACKEND="celery", ATTEST_REDIS_URL=job_db["redis_url"], ATTEST_JOB_LEASE_S="2")
    return subprocess.Popen(
        [sys.executable, "-m", "service", "worker", "--concurrency", "2", "--loglevel", "warning"],
        cwd=REPO, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def _kill(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)


def _wait(predicate: Any, timeout: float, what: str, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture()
def redis_env(job_db: dict[str, Any]) -> dict[str, Any]:
    if not job_db["redis_url"]:
        pytest.skip("ATTEST_TEST_REDIS_URL is not set (make test sets it)")
    import redis

    try:
        redis.Redis.from_url(job_db["redis_url"]).flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {job_db['redis_url']} is not reachable: {exc}")
    return job_db


@pytest.mark.redis
def test_celery_worker_finishes_a_verification_job(redis_env: dict[str, Any], tmp_path: Path) -> None:
    from service.jobs.service import dispatch

    log = tmp_path / "worker.log"
    worker = _start_worker(redis_env, log)
    try:
        job_id, file_id, sha = _verification_job(redis_env)
        dispatch(job_id)  # the row is committed: send the message to Redis
        job = _wait(lambda: (j := _job(job_id)).done and j, 90, "the verification job", log)
        assert (job.state, job.attempts) == ("succeeded", 1)
        assert job.result["report"]["sha256"] == sha
        assert _file_report(file_id)["file"] == "order.pdf"
    finally:
        _kill(worker, signal.SIGTERM)


@pytest.mark.redis
def test_killed_worker_job_is_retried_and_finishes_exactly_once(redis_env: dict[str, Any], tmp_path: Path) -> None:
    from service.audit.models import AuditEvent
    from service.db import session_scope
    from service.jobs.service import dispatch

    log = tmp_path / "worker.log"
    first = _start_worker(redis_env, log)
    second = None
    try:
        job_id = _new_job("probe", {"seconds": 3})
        dispatch(job_id)
        running = _wait(lambda: (j := _job(job_id)).state == "running" and j.progress > 0 and j, 90,
                        "the job to start", log)
        assert running.attempts == 1
        _kill(first)  # SIGKILL the whole worker mid-job: no cleanup, no ack
        assert _job(job_id).state == "running"
        second = _start_worker(redis_env, log)
        job = _wait(lambda: (j := _job(job_id)).done and j, 90, "the retried job", log)
        assert (job.state, job.attempts) == ("succeeded", 2)
        assert job.result["attempt"] == 2 and job.result["worker"] != running.lease_owner
        with session_scope() as db:
            finished = db.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.object_id == job_id, AuditEvent.action == "job.succeeded"))
        assert finished == 1
        time.sleep(2.5)  # a late duplicate delivery must not run it again
        assert _job(job_id).attempts == 2
    finally:
        _kill(first)
        if second is not None:
            _kill(second, signal.SIGTERM)


def _scan_tiff(pages: int) -> bytes:
    """A multi-page 300 dpi scan full of Russian text: its OCR keeps a worker busy for seconds."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 42)
    images = []
    for n in range(pages):
        im = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(im)
        for row in range(40):
            draw.text((180, 200 + row * 78), f"Страница {n + 1}. Программа трансляции опыта, строка {row + 1}.",
                      font=font, fill=0)
        images.append(im)
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate", dpi=(300, 300))
    return buf.getvalue()


@pytest.mark.redis
def test_worker_killed_mid_verification_job_finishes_it_exactly_once(redis_env: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    import hashlib

    from service.accounts.models import User
    from service.audit.models import AuditEvent
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.service import dispatch
    from service.uploads.models import FilePurpose
    from service.uploads.service import store_path

    data = _scan_tiff(6)
    path = tmp_path / "scan.tif"
    path.write_bytes(data)
    with session_scope() as db:
        teacher = db.scalar(select(User).where(User.username == "teacher"))
        record = store_path(db, path, "programme.tif", "image/tiff", owner_user_id=teacher.id,
                            organisation_id=teacher.organisation_id, purpose=FilePurpose.UPLOAD)
        job = repo.create(db, "verify_upload", {"file_id": record.id, "lang": "ru"}, owner=teacher)
        record.job_id = job.id
        job_id, file_id = job.id, record.id
    log = tmp_path / "worker.log"
    first = _start_worker(redis_env, log)
    second = None
    try:
        dispatch(job_id)
        running = _wait(lambda: (j := _job(job_id)).state == "running" and j, 90, "the verification to start", log)
        _kill(first)  # SIGKILL in the middle of the OCR: no report stored, no ack
        assert _job(job_id).state == "running"
        assert _file_report(file_id) is None
        second = _start_worker(redis_env, log)
        job = _wait(lambda: (j := _job(job_id)).done and j, 180, "the retried verification", log)
        assert (job.state, job.attempts) == ("succeeded", 2)
        assert job.result["report"]["sha256"] == hashlib.sha256(data).hexdigest()
        assert job.result["report"]["pages"] == 6
        assert _file_report(file_id)["file"] == "programme.tif"
        with session_scope() as db:
            finished = db.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.object_id == job_id, AuditEvent.action == "job.succeeded"))
        assert finished == 1
        assert running.lease_owner != job.lease_owner or job.lease_owner is None
    finally:
        _kill(first)
        if second is not None:
            _kill(second, signal.SIGTERM)
