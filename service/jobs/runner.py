"""Running one job: claim → heartbeat → the task's work → compare-and-set completion.

The same code runs in the in-process worker threads and in Celery workers. A task is a `TaskSpec`:
`run(ctx)` does the work outside any transaction and returns a JSON-able result; `on_success(db, job,
result)` applies its effects to the database in the SAME transaction as the completion, so the effects
happen exactly once even when a crashed attempt is retried.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from service.db import UNAVAILABLE_ERRORS, session_scope
from service.errors import AttestError
from service.jobs import events
from service.jobs import repository as repo
from service.jobs.models import Job
from service.settings import Settings, get_settings

__all__ = ["TASKS", "JobContext", "Outcome", "TaskSpec", "run_job", "run_next", "task", "worker_id"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    """What a task sees: its job's id and payload, the settings, and a progress reporter."""

    job_id: str
    payload: dict[str, Any]
    attempt: int
    owner_user_id: int | None
    organisation_id: int | None
    settings: Settings
    worker_id: str
    _report: Callable[[float, str], None] = field(repr=False)

    def progress(self, fraction: float, code: str) -> None:
        """Report progress (0..1) with a stable code, e.g. ("verifying", 0.3)."""
        self._report(fraction, code)


@dataclass(frozen=True)
class TaskSpec:
    run: Callable[[JobContext], dict[str, Any]]
    on_success: Callable[[Session, Job, dict[str, Any]], None] | None = None
    on_failure: Callable[[Session, Job, str], None] | None = None


TASKS: dict[str, TaskSpec] = {}


def task(kind: str, *, on_success: Any = None, on_failure: Any = None) -> Callable[[Any], Any]:
    def register(fn: Callable[[JobContext], dict[str, Any]]) -> Callable[[JobContext], dict[str, Any]]:
        TASKS[kind] = TaskSpec(fn, on_success, on_failure)
        return fn

    return register


def worker_id(prefix: str = "inprocess") -> str:
    return f"{prefix}:{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Outcome:
    SKIPPED = "skipped"  # someone else holds it, or it is finished
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    RETRY = "retry"


class _Heartbeat(threading.Thread):
    def __init__(self, job_id: str, wid: str, lease_s: float) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job_id[:6]}")
        self.job_id, self.wid, self.lease_s = job_id, wid, lease_s
        self.stop_event = threading.Event()
        self.lost = False

    def run(self) -> None:
        while not self.stop_event.wait(self.lease_s / 3):
            try:
                with session_scope() as db:
                    if not repo.renew_lease(db, self.job_id, self.wid, self.lease_s):
                        self.lost = True
                        return
            except Exception:  # a database hiccup: try again at the next beat
                log.warning("lease renewal of job %s failed", self.job_id, exc_info=True)


def run_job(job_id: str, wid: str | None = None, *, dispatch: Callable[[str], None] | None = None) -> str:
    """Run the job if it can be claimed. Returns an :class:`Outcome` value. The job kinds are those
    registered with :func:`task` (``service.tasks`` imports every domain's task module)."""
    settings = get_settings()
    wid = wid or worker_id()
    lease_s = settings.job_lease_s
    with session_scope() as db:
        if not repo.claim(db, job_id, wid, lease_s):
            return Outcome.SKIPPED
    with session_scope() as db:
        job = db.get(Job, job_id)
        assert job is not None
        kind, payload, attempt = job.kind, dict(job.payload or {}), job.attempts
        owner, org, max_attempts = job.owner_user_id, job.organisation_id, job.max_attempts
    spec = TASKS.get(kind)
    if spec is None:
        with session_scope() as db:
            repo.finish(db, job_id, wid, error=f"unknown job kind {kind!r}")
        return Outcome.FAILED

    last = [time.monotonic()]  # a job done within 0.3 s writes no progress row at all (one writer on SQLite)

    def report(fraction: float, code: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - last[0] < 0.3:
            return
        last[0] = now
        try:
            with session_scope() as db:
                repo.set_progress(db, job_id, wid, fraction, code, lease_s)
        except Exception:
            log.warning("progress of job %s not recorded", job_id, exc_info=True)

    ctx = JobContext(job_id, payload, attempt, owner, org, settings, wid, report)
    beat = _Heartbeat(job_id, wid, lease_s)
    beat.start()
    try:
        result = spec.run(ctx)
    except AttestError as exc:  # the input is wrong: retrying will not help
        return _fail(spec, job_id, wid, f"{exc.code}: {exc.message}")
    except Exception as exc:
        log.exception("job %s (%s) attempt %d failed", job_id, kind, attempt)
        if attempt < max_attempts:
            with session_scope() as db:
                requeued = repo.requeue(db, job_id, wid)
            if requeued and dispatch is not None:
                try:
                    dispatch(job_id)
                except Exception:  # the broker is down: the job is queued (undispatched) for the sweeper
                    log.warning("job %s requeued but not sent; the sweeper will send it", job_id, exc_info=True)
            return Outcome.RETRY
        return _fail(spec, job_id, wid, f"internal: {type(exc).__name__}: {exc}")
    finally:
        beat.stop_event.set()
    with session_scope() as db:
        if not repo.finish(db, job_id, wid, result=result):
            log.warning("job %s: lease lost before completion; the result of this attempt is dropped", job_id)
            return Outcome.SKIPPED
        job = db.get(Job, job_id)
        assert job is not None
        db.refresh(job)
        if spec.on_success is not None:
            spec.on_success(db, job, result)
        events.emit(db, "job.succeeded", job_id, kind=kind, attempt=attempt, worker=wid)
    return Outcome.SUCCEEDED


def run_next(wid: str, *, stopping: Callable[[], bool], dispatch: Callable[[str], None] | None = None) -> bool:
    """One turn of a polling worker (the embedded worker's threads and job processes): run the oldest
    job this worker can claim; True when one ran (look at the queue again at once), False when there
    was none or the database is unavailable (wait for a wake-up or the next poll)."""
    try:
        with session_scope() as db:
            ids = repo.claimable_ids(db, limit=5)
        for job_id in ids:
            if stopping():
                return False
            if run_job(job_id, wid, dispatch=dispatch) != Outcome.SKIPPED:
                return True
    except UNAVAILABLE_ERRORS as exc:  # the database restarts: look again at the next poll
        log.warning("jobs: the database is unavailable (%s); trying again", type(exc).__name__)
    except Exception:
        log.exception("job worker loop error")
    return False


def _fail(spec: TaskSpec, job_id: str, wid: str, error: str) -> str:
    with session_scope() as db:
        if not repo.finish(db, job_id, wid, error=error):
            return Outcome.SKIPPED
        job = db.get(Job, job_id)
        assert job is not None
        if spec.on_failure is not None:
            spec.on_failure(db, job, error)
        events.emit(db, "job.failed", job_id, kind=job.kind, error=error[:500])
    return Outcome.FAILED
