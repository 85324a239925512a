"""The embedded worker's child processes (service.jobs.pool): jobs run outside the web process, a
child killed mid-job is replaced and its job retried at once, and every job finishes exactly once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.service.conftest import seeded_database


@pytest.fixture()
def pool_db(tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'attest.db'}"
    # a long lease: a retry that comes sooner comes from the pool giving the dead child's job back
    with seeded_database(url, data_dir=str(tmp_path / "data"), job_backend="inprocess", job_lease_s="120",
                         job_max_attempts="3", job_niceness="0"):
        yield {"url": url}


def _create(kind: str, payload: dict[str, Any], n: int = 1) -> list[str]:
    from service.db import session_scope
    from service.jobs import repository as repo

    with session_scope() as db:
        return [repo.create(db, kind, payload).id for _ in range(n)]


def _jobs(ids: list[str]) -> list[Any]:
    from service.db import session_scope
    from service.jobs.models import Job

    with session_scope() as db:
        rows = [db.get(Job, i) for i in ids]
        for r in rows:
            db.expunge(r)
        return rows


def _wait(ids: list[str], timeout: float = 60.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = _jobs(ids)
        if all(j.state in ("succeeded", "failed") for j in jobs):
            return jobs
        time.sleep(0.1)
    raise AssertionError(f"jobs not finished: {[(j.id, j.state, j.progress_code) for j in _jobs(ids)]}")


def _probes(pool: Any, n: int, seconds: float) -> tuple[list[str], list[Any]]:
    """``n`` probe jobs of ``seconds`` each handed to ``pool``, and how they ended."""
    ids = _create("probe", {"seconds": seconds}, n=n)
    pool.wake()
    return ids, _wait(ids)


def _audit_count(action: str, job_id: str) -> int:
    from service.audit.models import AuditEvent
    from service.db import session_scope

    with session_scope() as db:
        return db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.object_id == job_id)) or 0


def test_children_run_the_jobs_outside_the_web_process(pool_db: dict[str, Any]) -> None:
    from service.jobs.pool import WorkerPool

    pool = WorkerPool(2, tasks_module="service.tasks", niceness=0, poll_s=0.5)
    pool.start()
    try:
        _ids, jobs = _probes(pool, 6, 0.2)
        children = set(pool.pids())
    finally:
        pool.stop()
    assert [j.state for j in jobs] == ["succeeded"] * 6
    workers = {j.result["worker"] for j in jobs}
    pids = {int(w.split(":")[2]) for w in workers}
    assert all(w.startswith("pool:") for w in workers)
    assert os.getpid() not in pids and pids <= children
    assert [j.attempts for j in jobs] == [1] * 6
    assert [_audit_count("job.succeeded", j.id) for j in jobs] == [1] * 6


def test_a_child_killed_mid_job_is_replaced_and_its_job_retried_once(pool_db: dict[str, Any]) -> None:
    from service.jobs.pool import WorkerPool

    pool = WorkerPool(1, tasks_module="service.tasks", niceness=0, poll_s=0.5)
    pool.start()
    try:
        (job_id,) = _create("probe", {"seconds": 3})
        pool.wake()
        deadline = time.monotonic() + 30
        while _jobs([job_id])[0].state != "running":
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.05)
        first = _jobs([job_id])[0]
        victim = int(first.lease_owner.split(":")[2])
        os.kill(victim, signal.SIGKILL)
        started = time.monotonic()
        (job,) = _wait([job_id], timeout=60)
        took = time.monotonic() - started
        assert pool.replaced == 1
        assert victim not in pool.pids() and len(pool.pids()) == 1
    finally:
        pool.stop()
    assert (job.state, job.attempts) == ("succeeded", 2)
    assert int(job.result["worker"].split(":")[2]) != victim
    assert took < 30  # given back at once, not after the 120 s lease
    assert _audit_count("job.succeeded", job_id) == 1


def test_a_job_whose_children_all_die_fails_once_its_attempts_are_spent(pool_db: dict[str, Any]) -> None:
    from service.jobs.pool import WorkerPool

    pool = WorkerPool(1, tasks_module="service.tasks", niceness=0, poll_s=0.2)
    pool.start()
    try:
        (job_id,) = _create("probe", {"seconds": 30})
        pool.wake()
        for attempt in (1, 2, 3):
            deadline = time.monotonic() + 30
            while True:
                job = _jobs([job_id])[0]
                if job.state == "running" and job.attempts == attempt and job.lease_owner:
                    break
                assert time.monotonic() < deadline, (attempt, job.state, job.attempts)
                time.sleep(0.05)
            os.kill(int(job.lease_owner.split(":")[2]), signal.SIGKILL)
        (job,) = _wait([job_id], timeout=30)
    finally:
        pool.stop()
    assert (job.state, job.attempts) == ("failed", 3)
    assert "stopped 3 times" in job.error
    assert _audit_count("job.failed", job_id) == 1


def test_a_child_above_the_memory_cap_leaves_after_its_job_and_a_fresh_one_takes_over(tmp_path: Path) -> None:
    """``job_max_rss_mb``: a child whose memory passed the cap finishes its job, leaves, and is replaced at once;
    nothing is retried and it is not counted as a failure. A cap of 1 MB: every child leaves after each job."""
    from service.jobs.pool import WorkerPool, rss_mb

    assert 1 < rss_mb() < 100_000
    url = f"sqlite:///{tmp_path / 'attest.db'}"
    with seeded_database(url, data_dir=str(tmp_path / "data"), job_backend="inprocess", job_lease_s="120",
                         job_max_attempts="3", job_niceness="0", job_max_rss_mb="1"):
        pool = WorkerPool(2, tasks_module="service.tasks", niceness=0, poll_s=0.3)
        pool.start()
        try:
            ids, jobs = _probes(pool, 6, 0.05)
            deadline = time.monotonic() + 10
            while pool.recycled < 6 and time.monotonic() < deadline:
                time.sleep(0.1)
            alive = len(pool.pids())
        finally:
            pool.stop()
        failed = sum(_audit_count("job.failed", i) for i in ids)
        succeeded = [_audit_count("job.succeeded", i) for i in ids]
    assert [j.state for j in jobs] == ["succeeded"] * 6
    assert [j.attempts for j in jobs] == [1] * 6  # nothing was retried
    assert len({j.result["worker"] for j in jobs}) == 6  # each job in a child of its own
    assert pool.recycled == 6 and pool.replaced == 0 and alive == 2
    assert failed == 0 and succeeded == [1] * 6  # each finished exactly once
