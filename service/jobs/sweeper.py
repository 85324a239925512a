"""Finds jobs that lost their worker (expired lease) or their broker message, and hands them out again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from service.db import session_scope
from service.jobs import repository as repo

__all__ = ["Sweeper", "sweep_once"]

log = logging.getLogger(__name__)

REDISPATCH_AFTER_S = 300.0
"""A queued job whose message was sent this long ago and is still queued is sent again (lost message)."""


def sweep_once(dispatch: Callable[[str], None], *, redispatch_after_s: float = REDISPATCH_AFTER_S) -> list[str]:
    """Requeue jobs of dead workers, fail those out of attempts, resend stale messages. Returns job ids sent."""
    to_send: list[str] = []
    with session_scope() as db:
        for job in repo.expired_running(db):
            if job.attempts >= job.max_attempts:
                if repo.fail_exhausted(db, job):
                    from service.audit import service as audit

                    audit.record(db, "job.failed", object_type="job", object_id=job.id, kind=job.kind,
                                 error="attempts exhausted")
            elif repo.requeue(db, job.id, None, code="retrying"):
                log.warning("job %s lost its worker (attempt %d); requeued", job.id, job.attempts)
                to_send.append(job.id)
    with session_scope() as db:
        to_send.extend(i for i in repo.stale_queued(db, redispatch_after_s) if i not in to_send)
    with session_scope() as db:
        repo.mark_dispatched(db, to_send)
    for job_id in to_send:
        dispatch(job_id)
    return to_send


class Sweeper(threading.Thread):
    def __init__(self, dispatch: Callable[[str], None], interval_s: float, **kwargs: float) -> None:
        super().__init__(daemon=True, name="attest-sweeper")
        self.dispatch, self.interval_s, self.kwargs = dispatch, interval_s, kwargs
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.wait(self.interval_s):
            try:
                sweep_once(self.dispatch, **self.kwargs)
            except Exception:
                log.warning("sweep failed", exc_info=True)
