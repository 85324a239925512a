"""/api/v1/jobs/{id}: a job's state and progress (its owner or an admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.accounts.permissions import Permission, permits
from service.deps import CurrentUser, SessionDep
from service.jobs.service import get_job_for, job_view

__all__ = ["router"]

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", summary="State, progress (0..1 with a stable code), attempts, result")
def get(job_id: str, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return job_view(get_job_for(db, job_id, user.id, sees_all=permits(user, Permission.SEE_ALL)))
