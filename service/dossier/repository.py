"""SQL of the teacher's dossiers and their files."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.dossier.models import Dossier, DossierStatus
from service.jobs.models import Job
from service.uploads.models import FilePurpose, FileRecord

__all__ = ["dossiers_in_scope", "dossiers_of_teacher", "evidence_files", "jobs_by_id"]


def dossiers_of_teacher(db: Session, teacher_user_id: int) -> list[Dossier]:
    q = select(Dossier).where(Dossier.teacher_user_id == teacher_user_id).order_by(Dossier.created_at.desc())
    return list(db.scalars(q))


def dossiers_in_scope(
    db: Session, *, region_id: int | None, organisation_id: int, statuses: Sequence[str] | None = None
) -> list[Dossier]:
    """Dossiers a commission may see: of its region, or of its own organisation when it has no region."""
    statuses = statuses or (DossierStatus.SUBMITTED.value, DossierStatus.DECIDED.value)
    q = select(Dossier).where(Dossier.status.in_(list(statuses)))
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
