"""/api/v1/documents (generation, batch) and /api/v1/registry (issued documents, lookup by QR id)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from service.accounts.permissions import Permission, permits
from service.accounts.service import get_organisation
from service.audit import service as audit
from service.deps import SecretaryUser, SessionDep, SettingsDep, receive_form, streams_multipart
from service.documents import service as documents
from service.errors import NotFound
from service.jobs.service import job_view
from service.registry.service import get_entry
from service.uploads.service import content_disposition, iter_file

__all__ = ["router"]

router = APIRouter(tags=["documents"])


class GenerateIn(BaseModel):
    kind: str = Field(examples=["certificate"])
    data: dict[str, Any]
    lang: Literal["ru", "kk"] = "ru"
    format: Literal["pdf", "docx"] = "pdf"
    sign: bool = False
    pdfa: bool = False
    draft: bool = Field(False, description="a preview: not recorded in the registry")


@router.get("/documents/kinds", summary="Document kinds that can be generated")
def kinds() -> list[str]:
    return list(documents.KINDS)


@router.post("/documents", status_code=201, summary="Generate one document from form data (DOCX or PDF)")
def generate(body: GenerateIn, db: SessionDep, user: SecretaryUser) -> dict[str, Any]:
    record, info = documents.generate(db, user, kind=body.kind, data=body.data, lang=body.lang, fmt=body.format,
                                      sign=body.sign, pdfa=body.pdfa, register=not body.draft)
    db.commit()
    files = info.pop("files", {})  # every format issued under this number: {"pdf": {...}, "docx": {...}}
    return {"file_id": record.id, "filename": record.filename, "media_type": record.media_type,
            "size": record.size, "sha256": record.sha256, "document_id": record.registry_document_id,
            "download_url": f"/api/v1/files/{record.id}", "registry": info, "files": files}


_BATCH_OPENAPI: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}, "kind": {"type": "string"},
                       "lang": {"type": "string", "enum": ["ru", "kk"]},
                       "format": {"type": "string", "enum": ["pdf", "docx"]}},
        "required": ["file"]}}}}
}


@router.post("/documents/batch", status_code=202, openapi_extra=_BATCH_OPENAPI,
             summary="Upload a participants' table (CSV/XLSX); a job generates one document per row into a ZIP")
@streams_multipart
async def batch(request: Request, db: SessionDep, user: SecretaryUser, settings: SettingsDep) -> Any:
    form = await receive_form(request, max_file_bytes=settings.max_upload_bytes, max_files=1)
    try:
        def start() -> dict[str, Any]:
            job = documents.start_batch(db, user, form)
            db.commit()
            return job_view(job)

        view = await run_in_threadpool(start)
    finally:
        form.cleanup()
    if getattr(request.state, "browser_form", False):  # the page's form sent without JavaScript
        return RedirectResponse(f"/batch/jobs/{view['id']}", status_code=303)
    return view


@router.get("/registry", summary="Documents issued by the organisation")
def registry(db: SessionDep, user: SecretaryUser, limit: int = Query(100, ge=1, le=1000),
             offset: int = Query(0, ge=0)) -> list[dict[str, Any]]:
    return documents.registry_list(user, db, limit=limit, offset=offset)


@router.get("/registry/{document_id}", summary="Look an issued document up by its QR id")
def registry_lookup(document_id: str, db: SessionDep, user: SecretaryUser) -> dict[str, Any]:
    record = documents.registry_lookup(document_id)
    if record is not None and not permits(user, Permission.SEE_ALL):
        entry = get_entry(document_id)
        if entry is None or entry.organization != get_organisation(db, user.organisation_id).code:
            record = None  # another organisation's document: the same answer as an unknown id
    if record is None:
        raise NotFound("no document with this id in the registry")
    return documents.record_dict(record)


def issued_file_response(record: Any) -> StreamingResponse:
    """An issued document's stored file as a download (attachment, nosniff, not cached)."""
    return StreamingResponse(iter_file(record.sha256), media_type=record.media_type, headers={
        "Content-Disposition": content_disposition(record.filename), "X-Content-Type-Options": "nosniff",
        "Content-Length": str(record.size), "Cache-Control": "private, no-store"})


@router.get("/registry/{document_id}/files/{fmt}",
            summary="Download an issued document again, as PDF or DOCX (the same number and QR code)")
def registry_file(document_id: str, fmt: Literal["pdf", "docx"], db: SessionDep,
                  user: SecretaryUser) -> StreamingResponse:
    record = documents.issued_file(db, user, document_id, fmt)
    audit.record(db, "file.download", actor=user.user, object_type="file", object_id=record.id,
                 document_id=document_id)
    db.commit()
    return issued_file_response(record)
