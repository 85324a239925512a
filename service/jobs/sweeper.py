"""Finds jobs that lost their worker (expired lease) or their broker message, and hands them out again.

A queued job is sent again when
- it was never sent, or its send failed (the broker was down when the web process published it:
  `dispatched_at` is cleared), at the next sweep after the broker answers again;
- the broker lost its data after it was sent (a Redis restarted without persistence, or crashed before
  saving: the sweeper keeps a marker key in Redis and finds it gone), at the next sweep;
- its message was sent more than `redispatch_after_s` ago (lost some other way, e.g. the web process died
  between its commit and its publish).

Sending a job twice is harmless: a worker runs a job only after winning the compare-and-set claim on
its row, so the second message finds it running or finished and is dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence

from service.db import session_scope
from service.jobs import events
from service.jobs import repository as repo

__all__ = ["REDISPATCH_AFTER_S", "BrokerUnavailable", "Chores", "Sweeper", "celery_broker_since", "sweep_once"]

log = logging.getLogger(__name__)

REDISPATCH_AFTER_S = 300.0
"""A queued job whose message was sent this long ago and is still queued is sent again (lost message)."""


def sweep_once(
    dispatch: Callable[[str], None] | None,
    *,
    redispatch_after_s: float = REDISPATCH_AFTER_S,
    broker_since: dt.datetime | None = None,
) -> list[str]:
    """Requeue jobs of dead workers, fail those out of attempts, resend lost messages (also those sent
    before `broker_since`, since when the broker holds its present data). Returns the job ids sent;
    with no `dispatch` (the broker is down) only the database part is done.

    A job is marked dispatched only once the broker took it; when a send fails the sweep stops (the
    broker is down: the rest would fail the same way) and the next sweep tries again."""
    to_send: list[str] = []
    with session_scope() as db:
        for job in repo.expired_running(db):
            if job.attempts >= job.max_attempts:
                if repo.fail_exhausted(db, job):
                    events.emit(db, "job.failed", job.id, kind=job.kind, error="attempts exhausted")
            elif repo.requeue(db, job.id, None, code="retrying"):
                log.warning("job %s lost its worker (attempt %d); requeued", job.id, job.attempts)
                to_send.append(job.id)
    if dispatch is None:
        return []
    with session_scope() as db:
        stale = repo.stale_queued(db, redispatch_after_s, sent_before=broker_since)
        to_send.extend(i for i in stale if i not in to_send)
    sent: list[str] = []
    for job_id in to_send:
        try:
            dispatch(job_id)
        except Exception as exc:  # noqa: BLE001  (the broker is down; these jobs stay queued in the database)
            log.warning("the broker did not take job %s (%s); %d job(s) wait for the next sweep",
                        job_id, exc, len(to_send) - len(sent))
            break
        sent.append(job_id)
    if sent:
        with session_scope() as db:
            repo.mark_dispatched(db, sent)
        log.info("sent %d queued job(s) again", len(sent))
    return sent


class BrokerUnavailable(Exception):
    """The broker cannot be asked: nothing is sent in this sweep (every send would wait for its timeout)."""


def celery_broker_since() -> dt.datetime | None:
    """Since when the Celery broker holds its present data (None with the in-process backend); raises
    :class:`BrokerUnavailable` when the broker does not answer."""
    from service.settings import get_settings

    if get_settings().job_backend != "celery":
        return None
    from service.jobs.celery_app import broker_epoch

    try:
        return broker_epoch()
    except Exception as exc:
        raise BrokerUnavailable(str(exc)) from exc


class Sweeper(threading.Thread):
    """Sweeps at start, then every `interval_s`."""

    def __init__(
        self,
        dispatch: Callable[[str], None],
        interval_s: float,
        *,
        broker_since: Callable[[], dt.datetime | None] | None = celery_broker_since,
        redispatch_after_s: float = REDISPATCH_AFTER_S,
    ) -> None:
        super().__init__(daemon=True, name="attest-sweeper")
        self.dispatch, self.interval_s = dispatch, interval_s
        self.broker_since, self.redispatch_after_s = broker_since, redispatch_after_s
        self.stop_event = threading.Event()

    def run(self) -> None:
        while True:
            try:
                try:
                    since = self.broker_since() if self.broker_since is not None else None
                    dispatch: Callable[[str], None] | None = self.dispatch
                except BrokerUnavailable as exc:
                    log.warning("the broker does not answer (%s); jobs wait in the database", exc)
                    since, dispatch = None, None
                sweep_once(dispatch, redispatch_after_s=self.redispatch_after_s, broker_since=since)
            except Exception:
                log.warning("sweep failed", exc_info=True)
            if self.stop_event.wait(self.interval_s):
                return


class Chores(threading.Thread):
    """Housekeeping the domains hand in (the queue knows no domain), run at start and then every
    ``every_s`` beside the workers: e.g. removing the PDFs of signings never finished
    (:func:`service.documents.signing.sweep_prepared`). A chore that fails is logged; the others run."""

    def __init__(self, chores: Sequence[Callable[[], object]], every_s: float = 600.0) -> None:
        super().__init__(daemon=True, name="attest-chores")
        self.chores, self.every_s = tuple(chores), every_s
        self.stop_event = threading.Event()

    def run_once(self) -> None:
        for chore in self.chores:
            try:
                chore()
            except Exception:
                log.warning("chore %s failed", getattr(chore, "__name__", chore), exc_info=True)

    def run(self) -> None:
        while True:
            self.run_once()
            if self.stop_event.wait(self.every_s):
                return
