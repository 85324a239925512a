"""/api/v1/public/check: anyone may check that a document was issued here and is unchanged.

The answer is one word (:data:`service.registry.service.PUBLIC_RESULTS`) and, for an issued document,
its registry record to compare the paper with: kind, number, date, issuer, and the person masked to a
surname and initials.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from service.deps import SettingsDep
from service.documents import service as documents
from service.errors import BadInput, UnsupportedMediaType
from service.uploads.service import VERIFIABLE_TYPES, receive_multipart

__all__ = ["router"]

router = APIRouter(prefix="/public", tags=["public check"])


@router.get("/check/{document_id}", summary="Was a document with this QR id issued here?")
def check_id(document_id: str, h: str = "") -> dict[str, Any]:
    return documents.public_check_id(document_id, h or None).to_dict()


@router.post("/check", summary="Upload a document: issued here and unchanged / altered / unknown",
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                                  "document_id": {"type": "string"}},
                 "required": ["file"]}}}}})
async def check_file(request: Request, settings: SettingsDep) -> dict[str, Any]:
    form = await receive_multipart(request.stream(), request.headers.get("content-type", ""),
                                   max_file_bytes=settings.max_upload_bytes, max_files=1)
    try:
        if len(form.files) != 1 or form.files[0].size == 0:
            raise BadInput("attach the document in the 'file' field", details={"field": "file"},
                           key="upload.no_files")
        incoming = form.files[0]
        if incoming.media_type not in VERIFIABLE_TYPES:
            raise UnsupportedMediaType(f"{incoming.filename} is not a PDF or an image",
                                       details={"detected": incoming.media_type},
                                       key="upload.not_pdf_or_image", params={"file": incoming.filename})
        result = await run_in_threadpool(documents.public_check_file, incoming.path, incoming.filename,
                                         form.fields.get("document_id") or None)
    finally:
        form.cleanup()
    return result.to_dict()
