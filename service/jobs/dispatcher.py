"""Committed jobs reach Celery from the worker side (PostgreSQL): the web process only commits.

With the Celery backend on PostgreSQL, a web request that starts jobs inserts them with
``dispatched_at`` NULL and sends ``NOTIFY attest_jobs`` in the same transaction (delivered at
COMMIT). Every `attest worker` runs a :class:`Dispatcher` thread that LISTENs on that channel, claims
the undispatched queued jobs (``UPDATE … FOR UPDATE SKIP LOCKED … RETURNING``: each job is claimed by
one dispatcher however many workers run) and publishes them to the broker.

Why: publishing through Celery/kombu costs the web process about a millisecond of CPU per job under
its GIL — a fifth of an upload — and ties the upload's answer to Redis. Here the web's share is one
statement in a transaction it commits anyway, and a Redis outage does not touch the upload path.

Nothing is lost on the way: a notification missed while a dispatcher reconnects is caught by its
poll (every `poll_s`), a publish that fails marks the jobs undispatched again
(:func:`celery_app.send_many`), and the sweeper sends whatever stays queued. SQLite has no NOTIFY: there
the web process publishes after its commit (:func:`service.jobs.service.dispatch_soon`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Connection, text

__all__ = ["CHANNEL", "Dispatcher", "handoff", "notify"]

log = logging.getLogger(__name__)

CHANNEL = "attest_jobs"
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', '')")


def handoff(conn: Connection) -> bool:
    """Whether jobs committed on `conn` are handed to the workers' dispatchers (Celery on PostgreSQL)."""
    from service.settings import get_settings

    return conn.dialect.name == "postgresql" and get_settings().job_backend == "celery"


def notify(conn: Connection) -> None:
    """Wake the dispatchers when the caller's transaction commits."""
    conn.execute(_NOTIFY)


class Dispatcher(threading.Thread):
    """LISTENs for committed jobs and publishes them (`send_many`), polling every `poll_s` as well."""

    def __init__(self, database_url: str, send_many: Callable[[list[str]], None], *, poll_s: float = 2.0,
                 batch: int = 200) -> None:
        super().__init__(daemon=True, name="attest-dispatcher")
        from sqlalchemy.engine import make_url

        self.dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.send_many, self.poll_s, self.batch = send_many, poll_s, batch
        self.stop_event = threading.Event()
        self.sent = 0

    def run(self) -> None:
        import psycopg

        while not self.stop_event.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.drain()  # what was committed while nobody listened
                    while not self.stop_event.is_set():
                        for _ in conn.notifies(timeout=self.poll_s, stop_after=1):
                            self.stop_event.wait(0.01)  # let a burst of commits gather into one claim
                        self.drain()
            except Exception as exc:  # noqa: BLE001  (the database restarts: listen again, the poll covers the gap)
                log.warning("job dispatcher: %s; listening again in 2 s", exc)
                self.stop_event.wait(2.0)

    def drain(self) -> int:
        """Claim and publish every undispatched queued job; returns how many were sent."""
        from service.db import session_scope
        from service.jobs import repository as repo

        sent = 0
        while not self.stop_event.is_set():
            with session_scope() as db:
                ids = repo.claim_undispatched(db, self.batch)
            if not ids:
                break
            try:
                self.send_many(ids)
            except Exception as exc:  # noqa: BLE001  (send_many marked them undispatched: the next wake-up or sweep)
                log.warning("job dispatcher: the broker did not take %d job(s): %s", len(ids), exc)
                break
            sent += len(ids)
        self.sent += sent
        return sent

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        self.join(timeout)
