"""Recording and listing audit events. `record` joins the caller's transaction: an action and its
audit entry commit together or not at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.db import utcnow
from service.pii import mask_pii

__all__ = ["event_values", "list_events", "record", "record_job_event"]


def event_values(
    action: str,
    *,
    actor_user_id: int | None = None,
    actor_username: str | None = None,
    organisation_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    ip: str | None = None,
    at: dt.datetime | None = None,
    **details: Any,
) -> dict[str, Any]:
    """The columns of one audit event, IINs masked (for a Core insert, or an `AuditEvent(**values)`)."""
    return {
        "at": at or utcnow(),
        "action": action,
        "actor_user_id": actor_user_id,
        "actor_username": actor_username,
        "organisation_id": organisation_id,
        "object_type": object_type,
        "object_id": None if object_id is None else mask_pii(str(object_id)),
        "ip": ip,
        "details": mask_pii(details),  # no IIN in the audit log (9001******56)
    }


def record(
    session: Session,
    action: str,
    *,
    actor: Any = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(**event_values(
        action,
        actor_user_id=getattr(actor, "id", None),
        actor_username=getattr(actor, "username", None),
        organisation_id=getattr(actor, "organisation_id", None),
        object_type=object_type,
        object_id=object_id,
        ip=ip,
        **details,
    ))
    session.add(event)
    return event


def record_job_event(session: Session, action: str, job_id: str, details: dict[str, Any]) -> None:
    """The audit log's listener of :mod:`service.jobs.events` (a job succeeded or failed for good)."""
    record(session, action, object_type="job", object_id=job_id, **details)


def list_events(
    session: Session,
    *,
    action: str | None = None,
    object_id: str | None = None,
    actor_user_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEvent]:
    q = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        q = q.where(AuditEvent.action == action)
    if object_id:
        q = q.where(AuditEvent.object_id == object_id)
    if actor_user_id is not None:
        q = q.where(AuditEvent.actor_user_id == actor_user_id)
    return list(session.scalars(q.limit(min(limit, 1000)).offset(offset)))
