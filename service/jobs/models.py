"""The `jobs` table."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, new_id, utcnow

__all__ = ["Job", "JobState", "new_job_values"]


class JobState(str, enum.Enum):
    """Where a job is in its life."""

    QUEUED = "queued"
    """Waiting for a worker (also after a crashed attempt)."""
    RUNNING = "running"
    """Claimed by a worker that holds an unexpired lease."""
    SUCCEEDED = "succeeded"
    """Finished; `result` holds its outcome."""
    FAILED = "failed"
    """Could not finish (bad input, or the attempts ran out); `error` says why."""


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED.value, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    progress_code: Mapped[str] = mapped_column(String(60), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    lease_owner: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    owner_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def done(self) -> bool:
        return self.state in (JobState.SUCCEEDED.value, JobState.FAILED.value)


def new_job_values(kind: str, payload: dict[str, Any], *, owner_user_id: int | None, organisation_id: int | None,
                   max_attempts: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every column of a new queued job (for a Core insert, or `Job(**values)`: complete without a flush)."""
    now = now or utcnow()
    return {
        "id": new_id(),
        "kind": kind,
        "state": JobState.QUEUED.value,
        "payload": payload,
        "result": None,
        "error": None,
        "progress": 0.0,
        "progress_code": "queued",
        "attempts": 0,
        "max_attempts": max_attempts,
        "lease_owner": None,
        "lease_expires_at": None,
        "owner_user_id": owner_user_id,
        "organisation_id": organisation_id,
        "created_at": now,
        "started_at": None,
        "finished_at": None,
        "dispatched_at": now,  # sent right after commit; if that send is lost the sweeper resends it
    }
