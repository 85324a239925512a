"""/api/v1/files/{id}: download a stored file (attachment, nosniff) and see its verification."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from service.audit import service as audit
from service.deps import CurrentUser, SessionDep
from service.dossier import workflow
from service.dossier.endpoints import file_response

__all__ = ["router"]

router = APIRouter(prefix="/files", tags=["files"])


@router.get("/{file_id}", summary="Download a file you may see (404 for any other)")
def download(file_id: str, db: SessionDep, user: CurrentUser) -> StreamingResponse:
    record = workflow.get_file_for(db, user, file_id)
    audit.record(db, "file.download", actor=user.user, object_type="file", object_id=record.id,
                 dossier_id=record.dossier_id)
    db.commit()
    return file_response(record)


@router.get("/{file_id}/report", summary="The verification report of a file (null while it runs)")
def report(file_id: str, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    record = workflow.get_file_for(db, user, file_id)
    return {"file_id": record.id, "job_id": record.job_id, "report": record.report}
