"""`GET /api/v1/health`: is this web process useful, and what is degraded.

The answer is 200 whenever the web process can take requests: with the database up, uploads are
accepted and their jobs are kept in the database even when the broker (Redis) is down, so a load
balancer must keep the process in rotation; `status` says `degraded` and `broker` says why, and the
queue figures say how far verification lags behind. Without the database nothing can be saved: the
check raises, and the database error handler answers 503 `database_unavailable`.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

__all__ = ["Health", "router"]

router = APIRouter(tags=["health"])


class JobQueue(BaseModel):
    queued: int = Field(description="jobs waiting for a worker")
    oldest_queued_s: float | None = Field(description="how long the oldest of them has waited (seconds)")


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="`degraded`: uploads are accepted, some work waits")
    job_backend: Literal["inprocess", "celery"]
    database: Literal["ok"]
    broker: Literal["ok", "unreachable", "not_used"] = Field(
        description="the Celery broker (Redis); `not_used` with the in-process worker")
    jobs: JobQueue


@router.get("/health", summary="Liveness, database, broker and job queue", response_model=Health)
def health() -> Health:
    from service.db import session_scope, utcnow
    from service.jobs import repository as jobs
    from service.settings import get_settings

    settings = get_settings()
    with session_scope() as db:  # raises when the database is down: 503 from its handler
        queued, oldest = jobs.queue_stats(db)
    broker: Literal["ok", "unreachable", "not_used"] = "not_used"
    if settings.job_backend == "celery":
        from service.jobs.celery_app import broker_status

        broker = "ok" if broker_status() == "ok" else "unreachable"
    waited = round(max(0.0, (utcnow() - oldest).total_seconds()), 1) if oldest is not None else None
    return Health(
        status="ok" if broker != "unreachable" else "degraded",
        job_backend=settings.job_backend,
        database="ok",
        broker=broker,
        jobs=JobQueue(queued=queued, oldest_queued_s=waited),
    )
