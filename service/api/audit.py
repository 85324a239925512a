"""/api/v1/audit (admin): the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from service.audit import service as audit
from service.deps import AdminUser, SessionDep

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", summary="Audit events, newest first")
def list_events(db: SessionDep, admin: AdminUser, action: str | None = None, object_id: str | None = None,
                limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "at": e.at, "actor_user_id": e.actor_user_id, "actor_username": e.actor_username,
         "action": e.action, "object_type": e.object_type, "object_id": e.object_id, "ip": e.ip,
         "details": e.details}
        for e in audit.list_events(db, action=action, object_id=object_id, limit=limit, offset=offset)
    ]
