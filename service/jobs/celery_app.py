"""Celery for scaling past one machine: `attest worker` runs this app against the Redis broker.

There is one Celery task, `attest.run_job(job_id)`, which calls the same :func:`run_job` as the
in-process worker. Messages are acknowledged late and rejected when a worker is lost; in any case the
database lease decides who runs a job, and the sweeper thread of every worker re-sends jobs whose
worker died.
"""

from __future__ import annotations

import functools

from celery import Celery

from service.settings import get_settings

__all__ = ["TASK_NAME", "get_app", "make_app", "send", "send_many"]

TASK_NAME = "attest.run_job"
QUEUE = "attest"


def make_app(broker_url: str) -> Celery:
    app = Celery("attest", broker=broker_url)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
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
    get_app().send_task(TASK_NAME, args=[job_id], queue=QUEUE)


def send_many(job_ids: list[str]) -> None:
    """Publish several jobs over one producer (one broker connection checkout for the lot)."""
    app = get_app()
    with app.producer_or_acquire() as producer:
        for job_id in job_ids:
            app.send_task(TASK_NAME, args=[job_id], queue=QUEUE, producer=producer)
