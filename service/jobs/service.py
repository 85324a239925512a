"""Enqueueing and looking up jobs; dispatch to the configured backend (in-process or Celery).

    job = enqueue(db, "verify_upload", {"file_id": f.id}, owner=user)   # row flushed
    db.commit(); dispatch_after_commit(job.id)                           # or let the request commit it

The job row is committed before the broker hears of it: a lost message is found again by the
sweeper, a message for an uncommitted job cannot happen.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.jobs import repository as repo
from service.jobs.models import Job
from service.settings import get_settings

__all__ = ["dispatch", "dispatch_soon", "enqueue", "get_job_for", "job_view"]

log = logging.getLogger(__name__)


def enqueue(db: Session, kind: str, payload: dict[str, Any], *, owner: Any = None) -> Job:
    """Add a job; it is dispatched when `db` commits (never before)."""
    job = repo.create(db, kind, payload, owner=owner, max_attempts=get_settings().job_max_attempts)
    pending: list[str] = db.info.setdefault(_PENDING, [])
    pending.append(job.id)
    return job


_PENDING = "attest_jobs_to_dispatch"


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Every session, once (a listener per session would cost an event registry per request)."""
    ids = session.info.pop(_PENDING, None)
    for job_id in ids or ():
        dispatch_soon(job_id)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def dispatch(job_id: str) -> None:
    """Tell a worker about a committed job. Failures are logged: the sweeper dispatches it again."""
    backend = get_settings().job_backend
    try:
        if backend == "celery":
            from service.jobs.celery_app import send

            send(job_id)
        else:
            from service.jobs.inprocess import wake

            wake()
    except Exception:
        log.warning("could not dispatch job %s now; the sweeper will", job_id, exc_info=True)


_outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
_sender: list[threading.Thread] = []
_sender_lock = threading.Lock()


def dispatch_soon(job_id: str) -> None:
    """Dispatch a committed job without making the request wait for the broker: the in-process
    worker is woken at once; a Celery message is published by this process's sender thread (a message
    lost in a crash is re-sent by the sweeper, the job row being committed)."""
    if get_settings().job_backend != "celery":
        dispatch(job_id)
        return
    if not _sender:
        with _sender_lock:
            if not _sender:
                thread = threading.Thread(target=_send_loop, name="attest-dispatch", daemon=True)
                thread.start()
                _sender.append(thread)
                atexit.register(_drain)
    _outbox.put(job_id)


def _send_loop() -> None:
    """Publish what the requests committed; whatever piled up meanwhile goes out over one producer."""
    from service.jobs.celery_app import send_many

    while (job_id := _outbox.get()) is not None:
        batch, stop = [job_id], False
        while len(batch) < 100:
            try:
                more = _outbox.get_nowait()
            except queue.Empty:
                break
            if more is None:
                stop = True
                break
            batch.append(more)
        try:
            send_many(batch)
        except Exception:
            log.warning("could not dispatch %d job(s) now; the sweeper will", len(batch), exc_info=True)
        if stop:
            return


def _drain() -> None:
    """At exit: send what is still queued (best effort; the sweeper covers the rest)."""
    _outbox.put(None)
    if _sender:
        _sender[0].join(timeout=5)


def get_job_for(db: Session, job_id: str, user_id: int, *, sees_all: bool) -> Job:
    """The job if the user may see it (its owner; anyone's with ``sees_all``, the caller's
    :data:`service.accounts.permissions.Permission.SEE_ALL`); otherwise NotFound."""
    job = db.get(Job, job_id)
    if job is None or (job.owner_user_id != user_id and not sees_all):
        raise NotFound("no such job")
    return job


def job_view(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "progress": round(job.progress or 0.0, 3),
        "progress_code": job.progress_code,
        "attempts": job.attempts,
        "error": job.error,
        "result": job.result,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
