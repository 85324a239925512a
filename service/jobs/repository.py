"""SQL of the job table: compare-and-set claims, leases, progress and completion.

Every state change is one UPDATE whose WHERE clause states what the caller believes; `rowcount`
says whether it won. That is what makes a job finish exactly once with any number of workers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from service.db import utcnow
from service.jobs.models import Job, JobState, new_job_values

__all__ = [
    "claim",
    "claim_undispatched",
    "claimable_ids",
    "create",
    "expired_running",
    "finish",
    "mark_dispatched",
    "mark_undispatched",
    "queue_stats",
    "renew_lease",
    "requeue",
    "requeue_owned_by",
    "set_progress",
    "stale_queued",
]

_Q = JobState.QUEUED.value
_R = JobState.RUNNING.value
_S = JobState.SUCCEEDED.value
_F = JobState.FAILED.value


def create(db: Session, kind: str, payload: dict[str, Any], *, owner: Any = None, max_attempts: int = 3) -> Job:
    """A queued job, complete without a flush (inserted at the caller's commit)."""
    job = Job(**new_job_values(kind, payload, owner_user_id=getattr(owner, "id", None),
                               organisation_id=getattr(owner, "organisation_id", None), max_attempts=max_attempts))
    db.add(job)
    return job


def _claimable(now: dt.datetime) -> Any:
    return or_(Job.state == _Q, and_(Job.state == _R, Job.lease_expires_at < now))


def claim(db: Session, job_id: str, worker_id: str, lease_s: float) -> bool:
    """Take the job if it is queued, or running under an expired lease (its worker died)."""
    now = utcnow()
    res = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.attempts < Job.max_attempts, _claimable(now))
        .values(
            state=_R,
            lease_owner=worker_id,
            lease_expires_at=now + dt.timedelta(seconds=lease_s),
            attempts=Job.attempts + 1,
            started_at=now,
            progress_code="started",
        )
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def claimable_ids(db: Session, limit: int = 10) -> list[str]:
    now = utcnow()
    q = (
        select(Job.id)
        .where(Job.attempts < Job.max_attempts, _claimable(now))
        .order_by(Job.created_at)
        .limit(limit)
    )
    return list(db.scalars(q))


def renew_lease(db: Session, job_id: str, worker_id: str, lease_s: float) -> bool:
    res = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == worker_id, Job.state == _R)
        .values(lease_expires_at=utcnow() + dt.timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def set_progress(db: Session, job_id: str, worker_id: str, fraction: float, code: str, lease_s: float) -> bool:
    res = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == worker_id, Job.state == _R)
        .values(
            progress=max(0.0, min(1.0, fraction)),
            progress_code=code,
            lease_expires_at=utcnow() + dt.timedelta(seconds=lease_s),
        )
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def finish(
    db: Session, job_id: str, worker_id: str, *, result: dict[str, Any] | None = None, error: str | None = None
) -> bool:
    """Succeed (error is None) or fail the job, only if this worker still holds it."""
    values: dict[str, Any] = {
        "state": _F if error is not None else _S,
        "result": result,
        "error": error,
        "finished_at": utcnow(),
        "lease_owner": None,
        "lease_expires_at": None,
    }
    if error is None:
        values.update(progress=1.0, progress_code="done")
    else:
        values.update(progress_code="failed")
    res = db.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == worker_id, Job.state == _R)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def requeue(db: Session, job_id: str, worker_id: str | None, code: str = "retrying") -> bool:
    """Give a running job back to the queue: by its worker (worker_id) or, when its lease expired, by a sweeper."""
    cond = [Job.id == job_id, Job.state == _R]
    cond.append(Job.lease_owner == worker_id if worker_id else Job.lease_expires_at < utcnow())
    res = db.execute(
        update(Job)
        .where(*cond)
        .values(state=_Q, lease_owner=None, lease_expires_at=None, progress_code=code, dispatched_at=None)
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def expired_running(db: Session, limit: int = 100) -> list[Job]:
    q = select(Job).where(Job.state == _R, Job.lease_expires_at < utcnow()).limit(limit)
    return list(db.scalars(q))


def stale_queued(
    db: Session, older_than_s: float, limit: int = 500, *, sent_before: dt.datetime | None = None
) -> list[str]:
    """Queued jobs to send again: never sent (or their send failed), sent more than `older_than_s` ago
    (a lost message), or sent before `sent_before` (the broker restarted since and may have lost it)."""
    cutoff = utcnow() - dt.timedelta(seconds=older_than_s)
    if sent_before is not None:
        cutoff = max(cutoff, sent_before)
    q = (
        select(Job.id)
        .where(Job.state == _Q, or_(Job.dispatched_at.is_(None), Job.dispatched_at < cutoff))
        .order_by(Job.created_at)
        .limit(limit)
    )
    return list(db.scalars(q))


def claim_undispatched(db: Session, limit: int = 200) -> list[str]:
    """Mark up to `limit` queued, never-sent jobs as sent and return their ids, oldest first; rows
    another dispatcher is claiming at the same moment are skipped (PostgreSQL: SKIP LOCKED)."""
    pending = (
        select(Job.id)
        .where(Job.state == _Q, Job.dispatched_at.is_(None))
        .order_by(Job.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = db.execute(
        update(Job)
        .where(Job.id.in_(pending.scalar_subquery()))
        .values(dispatched_at=utcnow())
        .returning(Job.id, Job.created_at)
        .execution_options(synchronize_session=False)
    ).all()
    return [job_id for job_id, _ in sorted(rows, key=lambda r: r[1])]


def mark_dispatched(db: Session, job_ids: list[str]) -> None:
    if job_ids:
        db.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.state == _Q)
            .values(dispatched_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def mark_undispatched(db: Session, job_ids: list[str]) -> None:
    """The broker never got these jobs' messages: the next sweep sends them."""
    if job_ids:
        db.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.state == _Q)
            .values(dispatched_at=None)
            .execution_options(synchronize_session=False)
        )


def queue_stats(db: Session) -> tuple[int, dt.datetime | None]:
    """How many jobs wait for a worker, and since when the oldest of them waits."""
    count, oldest = db.execute(select(func.count(), func.min(Job.created_at)).where(Job.state == _Q)).one()
    return int(count), oldest


def fail_exhausted(db: Session, job: Job) -> bool:
    """A running job whose lease expired and that has no attempts left fails for good."""
    res = db.execute(
        update(Job)
        .where(Job.id == job.id, Job.state == _R, Job.lease_expires_at < utcnow(), Job.attempts >= Job.max_attempts)
        .values(
            state=_F,
            error=f"the worker stopped {job.attempts} times while running this job",
            progress_code="failed",
            finished_at=utcnow(),
            lease_owner=None,
            lease_expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return res.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def requeue_owned_by(db: Session, owner_prefix: str) -> list[tuple[str, str, bool]]:
    """Give back the running jobs of a worker that is known to be dead (its lease owner starts with
    ``owner_prefix``) without waiting for their leases: requeued while attempts are left, failed for
    good otherwise. Returns ``(job id, kind, failed)`` for each."""
    now = utcnow()
    rows = db.execute(select(Job.id, Job.kind, Job.attempts, Job.max_attempts).where(
        Job.state == _R, Job.lease_owner.startswith(owner_prefix, autoescape=True))).all()
    out = []
    for job_id, kind, attempts, max_attempts in rows:
        exhausted = attempts >= max_attempts
        values: dict[str, Any] = (
            {"state": _F, "error": f"the worker stopped {attempts} times while running this job",
             "progress_code": "failed", "finished_at": now}
            if exhausted else {"state": _Q, "progress_code": "retrying", "dispatched_at": None})
        res = db.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == _R, Job.lease_owner.startswith(owner_prefix, autoescape=True))
            .values(lease_owner=None, lease_expires_at=None, **values)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            out.append((job_id, kind, exhausted))
    return out
