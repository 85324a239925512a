"""`attest worker` bounds its memory as the embedded pool's children do: after a job, a worker above
``ATTEST_JOB_MAX_RSS_MB`` finishes the jobs in hand and starts again in place (the same process id, a new
program image), and no job is lost, interrupted or run twice."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.reliability.conftest import Worker, wait_for
from tests.reliability.test_redis_outages import _job_row, _succeeded_audits

pytestmark = [pytest.mark.redis, pytest.mark.timeout(120)]


def _probe_jobs(n: int, seconds: float) -> list[str]:
    from service.db import session_scope
    from service.jobs import repository as repo
    from service.jobs.service import dispatch

    ids = []
    for _ in range(n):
        with session_scope() as db:
            ids.append(repo.create(db, "probe", {"seconds": seconds}).id)
        dispatch(ids[-1])
    return ids


def _starts(worker: Worker) -> list[str]:
    return [ln for ln in worker.log.read_text(errors="replace").splitlines() if ln.startswith("attest worker: broker")]


def test_a_worker_above_its_memory_cap_starts_again_in_place_and_loses_no_job(celery_db: dict[str, Any]) -> None:
    celery_db["worker_env"] = {"ATTEST_JOB_MAX_RSS_MB": "1"}  # every job leaves it above the cap
    worker = Worker(celery_db)
    worker.start()
    try:
        assert worker.proc is not None
        pid = worker.proc.pid
        wait_for(lambda: _starts(worker), 30, "the worker to start", worker.log)
        job_ids = _probe_jobs(5, 0.3)
        wait_for(lambda: all(_job_row(i).done for i in job_ids), 90, "every job to finish", worker.log)
        jobs = [_job_row(i) for i in job_ids]
        assert [j.state for j in jobs] == ["succeeded"] * 5, [(j.state, j.error) for j in jobs]
        assert [j.attempts for j in jobs] == [1] * 5  # a warm stop: nothing interrupted, nothing retried
        assert [_succeeded_audits(i) for i in job_ids] == [1] * 5
        starts = _starts(worker)
        log = worker.log.read_text(errors="replace")
        passed = log.count("above ATTEST_JOB_MAX_RSS_MB=1: finishing the jobs in hand, then starting again")
        assert passed >= 2, log[-3000:]
        assert len(starts) - passed in (0, 1), log  # each stop above the cap is followed by a start (the last may be under way)
        assert [s.endswith(f"started again in place ({n})") for n, s in enumerate(starts[1:], 1)] == [True] * (len(starts) - 1)
        assert worker.alive() and worker.proc.pid == pid
        os.kill(pid, 0)  # the very process the test started, not a child it left behind
    finally:
        worker.stop()
    assert not worker.alive()


def test_a_worker_under_its_cap_never_starts_again(celery_db: dict[str, Any]) -> None:
    worker = Worker(celery_db)  # the default cap, 1536 MB: probe jobs stay far below it
    worker.start()
    try:
        job_ids = _probe_jobs(3, 0.2)
        wait_for(lambda: all(_job_row(i).done for i in job_ids), 60, "every job to finish", worker.log)
        assert [_job_row(i).state for i in job_ids] == ["succeeded"] * 3
        assert len(_starts(worker)) == 1
        assert "starting again" not in worker.log.read_text(errors="replace")
    finally:
        worker.stop()


def test_a_stop_from_outside_while_it_finishes_its_jobs_stops_it(celery_db: dict[str, Any]) -> None:
    """SIGTERM (a service manager's stop) while the worker, above its cap, finishes a job: it finishes the job
    and leaves instead of starting again; a job it had not started is run by the next worker."""
    import signal

    celery_db["worker_env"] = {"ATTEST_JOB_MAX_RSS_MB": "1"}
    worker = Worker(celery_db)
    worker.start()
    try:
        assert worker.proc is not None
        wait_for(lambda: _starts(worker), 30, "the worker to start", worker.log)
        (slow,) = _probe_jobs(1, 8.0)
        wait_for(lambda: _job_row(slow).state == "running", 30, "the slow job to run", worker.log)
        # the other thread ends a task (the quick job, or a second message of the slow one that finds it
        # taken): above the cap, the worker stops taking jobs and waits for the slow one
        (quick,) = _probe_jobs(1, 0.1)
        wait_for(lambda: "then starting again" in worker.log.read_text(errors="replace"), 30,
                 "a task to leave the worker above its cap", worker.log)
        assert _job_row(slow).state == "running"
        os.kill(worker.proc.pid, signal.SIGTERM)
        assert worker.proc.wait(timeout=30) == 0
        assert (_job_row(slow).state, _job_row(slow).attempts) == ("succeeded", 1)
        assert len(_starts(worker)) == 1  # it left; it did not start again
    finally:
        worker.stop()
    celery_db["worker_env"] = {}
    after = Worker(celery_db)
    after.start()
    try:
        wait_for(lambda: _job_row(quick).done, 60, "the quick job to be run", after.log)
        assert (_job_row(quick).state, _job_row(quick).attempts) == ("succeeded", 1)
        assert [_succeeded_audits(i) for i in (slow, quick)] == [1, 1]
    finally:
        after.stop()
