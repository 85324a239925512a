"""SQL of the teacher's dossiers and their files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, insert, or_, select
from sqlalchemy.orm import Session

from service.accounts.models import User, UserSession
from service.audit.models import AuditEvent
from service.dossier.models import Decision, Dossier, DossierStatus
from service.jobs.models import Job
from service.uploads.models import FilePurpose, FileRecord

__all__ = ["dossiers_in_scope", "dossiers_of_teacher", "evidence_files", "insert_uploads", "jobs_by_id",
           "upload_context"]


def dossiers_of_teacher(db: Session, teacher_user_id: int) -> list[Dossier]:
    q = select(Dossier).where(Dossier.teacher_user_id == teacher_user_id).order_by(Dossier.created_at.desc())
    return list(db.scalars(q))


def dossiers_in_scope(
    db: Session, *, region_id: int | None, organisation_id: int, statuses: Sequence[str] | None = None
) -> list[Dossier]:
    """Dossiers a commission may see: of its region, or of its own organisation when it has no region.
    ``decided`` includes the dossiers it returned (drafts again, until the teacher submits them anew)."""
    statuses = statuses or (DossierStatus.SUBMITTED.value, DossierStatus.DECIDED.value)
    condition = Dossier.status.in_(list(statuses))
    if DossierStatus.DECIDED.value in statuses:
        condition = or_(condition, and_(Dossier.status == DossierStatus.DRAFT.value,
                                        Dossier.decision == Decision.RETURNED.value))
    q = select(Dossier).where(condition)
    if region_id is not None:
        q = q.where(or_(Dossier.region_id == region_id, Dossier.organisation_id == organisation_id))
    else:
        q = q.where(Dossier.organisation_id == organisation_id)
    return list(db.scalars(q.order_by(Dossier.submitted_at)))


def evidence_files(db: Session, dossier_id: str) -> list[FileRecord]:
    q = (
        select(FileRecord)
        .where(FileRecord.dossier_id == dossier_id, FileRecord.purpose == FilePurpose.DOSSIER_UPLOAD)
        .order_by(FileRecord.created_at, FileRecord.filename)
    )
    return list(db.scalars(q))


def jobs_by_id(db: Session, job_ids: Sequence[str]) -> dict[str, Job]:
    ids = [i for i in job_ids if i]
    if not ids:
        return {}
    return {j.id: j for j in db.scalars(select(Job).where(Job.id.in_(ids)))}


_UPLOAD_CONTEXT = (
    select(
        UserSession.expires_at,
        UserSession.csrf_token,
        User.id.label("user_id"),
        User.username,
        User.full_name,
        User.role,
        User.is_active,
        User.organisation_id.label("user_organisation_id"),
        Dossier.teacher_user_id.label("dossier_teacher_id"),
        Dossier.status.label("dossier_status"),
        Dossier.organisation_id.label("dossier_organisation_id"),
        Dossier.period_start,
        Dossier.period_end,
    )
    .select_from(UserSession)
    .join(User, User.id == UserSession.user_id)
    .outerjoin(Dossier, Dossier.id == bindparam("dossier_id"))
    .where(UserSession.id == bindparam("session_id"))
)


def upload_context(conn: Connection, session_id: str, dossier_id: str) -> Row[Any] | None:
    """The session, its user and the dossier (NULLs when there is no such dossier) in one round trip;
    None when there is no such session."""
    return conn.execute(_UPLOAD_CONTEXT, {"session_id": session_id, "dossier_id": dossier_id}).first()


def insert_uploads(conn: Connection, files: list[dict[str, Any]], jobs: list[dict[str, Any]],
                   events: list[dict[str, Any]]) -> None:
    """The rows of one upload request: files, their jobs, their audit entries (the caller commits)."""
    conn.execute(_INSERT_FILES, files)
    conn.execute(_INSERT_JOBS, jobs)
    conn.execute(_INSERT_EVENTS, events)


_INSERT_FILES, _INSERT_JOBS, _INSERT_EVENTS = insert(FileRecord), insert(Job), insert(AuditEvent)
