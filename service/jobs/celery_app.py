"""Celery for scaling past one machine: `attest worker` runs this app against the Redis broker.

There is one Celery task, `attest.run_job(job_id)`, which calls the same :func:`run_job` as the
in-process worker. Messages are acknowledged late and rejected when a worker is lost; in any case the
database lease decides who runs a job, and the sweeper thread of every worker re-sends jobs whose
worker died or whose message the broker lost.

Redis outages are bounded here: every broker socket has a connect and a read timeout (a hung or
unreachable Redis makes a publish fail in seconds instead of blocking its thread for ever), a publish
is retried briefly and then gives up, a job whose publish failed is marked undispatched in the database
(the sweeper sends it as soon as the broker answers), and the worker retries its broker connection for
ever. :func:`broker_status` (health check) and :func:`broker_epoch` (sweeper: did the broker lose its
messages?) look at the broker directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any

from celery import Celery

from service.settings import get_settings

__all__ = [
    "BROKER_TIMEOUT_S",
    "TASK_NAME",
    "broker_epoch",
    "broker_status",
    "get_app",
    "make_app",
    "send",
    "send_many",
]

log = logging.getLogger(__name__)

TASK_NAME = "attest.run_job"
QUEUE = "attest"

BROKER_TIMEOUT_S = 3.0
"""Connect and read timeout of every broker socket: a live Redis answers in milliseconds; without a
timeout a publish to a hung Redis (SIGSTOP, a half-open connection) waits for ever."""

_PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0}
"""A publish is tried 3 times over about a second; after that the job is left to the sweeper."""


def make_app(broker_url: str) -> Celery:
    app = Celery("attest", broker=broker_url)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # a job keeps running when the broker connection drops: its lease is in the database, and the
        # message Redis may redeliver finds it claimed (Celery 6 would cancel it by default)
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_retry=True,
        broker_connection_max_retries=None,  # a worker waits for the broker for ever, it does not exit
        broker_connection_timeout=BROKER_TIMEOUT_S,
        broker_transport_options={
            "visibility_timeout": 3600,
            "socket_connect_timeout": BROKER_TIMEOUT_S,
            # a publish or a command on a dead connection fails instead of hanging; the consumer's BRPOP
            # waits 1 s server-side, well inside this
            "socket_timeout": BROKER_TIMEOUT_S + 2.0,
            "socket_keepalive": True,
            "health_check_interval": 10,
        },
        task_publish_retry=True,
        task_publish_retry_policy=_PUBLISH_RETRY,
        worker_hijack_root_logger=False,
    )

    @app.task(name=TASK_NAME, acks_late=True)
    def run_job_task(job_id: str) -> str:
        from service.jobs.runner import run_job, worker_id

        return run_job(job_id, worker_id("celery"), dispatch=send)

    return app


@functools.lru_cache(maxsize=2)
def _app(broker_url: str) -> Celery:
    return make_app(broker_url)


def get_app() -> Celery:
    return _app(get_settings().redis_url)


def send(job_id: str) -> None:
    """Publish one job; raises when the broker cannot be reached (the caller decides what then)."""
    get_app().send_task(TASK_NAME, args=[job_id], queue=QUEUE, retry_policy=_PUBLISH_RETRY)


def send_many(job_ids: list[str]) -> None:
    """Publish several jobs over one producer (one broker connection checkout for the lot).

    When the broker cannot be reached, the jobs not published are marked undispatched in the database,
    so that the next sweep sends them as soon as the broker is back (not only after the lost-message
    delay), and the error is raised to the caller."""
    app = get_app()
    sent = 0
    try:
        with app.producer_or_acquire() as producer:
            for job_id in job_ids:
                app.send_task(TASK_NAME, args=[job_id], queue=QUEUE, producer=producer,
                              retry_policy=_PUBLISH_RETRY)
                sent += 1
    except Exception:
        _mark_undispatched(job_ids[sent:])
        raise


def _mark_undispatched(job_ids: list[str]) -> None:
    if not job_ids:
        return
    from service.db import session_scope
    from service.jobs import repository as repo

    try:
        with session_scope() as db:
            repo.mark_undispatched(db, job_ids)
    except Exception:  # the database is down too: the lost-message delay of the sweeper covers them
        log.warning("could not mark %d job(s) undispatched", len(job_ids), exc_info=True)


# ------------------------------------------------------------------ the broker seen from outside Celery


@functools.lru_cache(maxsize=2)
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0, health_check_interval=0)


def broker_status() -> str:
    """``"ok"`` when the broker answers a PING within a second, otherwise ``"unreachable"`` (the reason
    is logged, not returned: the health check is public)."""
    try:
        _redis(get_settings().redis_url).ping()
    except Exception as exc:  # noqa: BLE001  (any failure means the same to an operator)
        log.warning("broker %s does not answer: %s", _safe_url(get_settings().redis_url), exc)
        return "unreachable"
    return "ok"


EPOCH_KEY = "attest:broker-epoch"
"""A key the sweeper keeps in the broker: when it is missing, the broker lost its data (a Redis restart
without persistence, a crash before its last save, a flush) and with it the messages it held."""


def broker_epoch() -> dt.datetime:
    """Since when the broker holds its present data; raises when the broker cannot be asked.

    Every queued job sent before this moment may have lost its message, so the sweeper sends it again.
    The first sweeper to find the marker key missing stores the moment: the Redis start (from its
    uptime, two seconds late to allow for the clocks of the web machines) after a restart, or the
    present moment when Redis has been up for a while (a flush or an eviction, which cannot be dated).
    A persistent Redis that restarts keeps the key, and nothing is sent twice for nothing."""
    import redis

    from service.db import utcnow

    client = _redis(get_settings().redis_url)
    value = client.get(EPOCH_KEY)
    if value is None:
        now = utcnow()
        try:
            uptime = float(client.info("server")["uptime_in_seconds"])
        except redis.ResponseError:  # INFO disabled (some managed services): the data loss cannot be dated
            uptime = float("inf")
        epoch = now if uptime > 60 else min(now, now - dt.timedelta(seconds=uptime - 2.0))
        client.set(EPOCH_KEY, epoch.isoformat(), nx=True)  # several sweepers agree on the first one's
        value = client.get(EPOCH_KEY)
        if value is None:  # evicted between the two commands
            raise RuntimeError("the broker dropped the epoch key at once")
    return dt.datetime.fromisoformat(value.decode())


def _safe_url(url: str) -> str:
    """The URL without its password (for logs)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
