"""REST endpoints of dossiers: the teacher's (/api/v1/dossiers) and the commission's (/api/v1/commission)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from service.accounts.models import User
from service.accounts.permissions import SIGN_IN_FIRST
from service.accounts.security import CSRF_FORM_FIELD, CSRF_HEADER, SESSION_COOKIE, unsign_session_id
from service.db import get_engine
from service.deps import (
    CommissionUser,
    CurrentUser,
    SessionDep,
    TeacherUser,
)
from service.dossier import intake, workflow
from service.dossier.models import Dossier
from service.dossier.schemas import DecisionIn, DossierCreate, DossierDetail, DossierOut
from service.errors import AttestError, Conflict, NotFound, Unauthenticated
from service.jobs.models import Job
from service.jobs.service import job_view
from service.settings import get_settings
from service.uploads.service import receive_multipart

__all__ = ["UPLOAD_OPENAPI", "commission_router", "detail", "file_response", "router"]

router = APIRouter(prefix="/dossiers", tags=["dossiers"])
commission_router = APIRouter(prefix="/commission", tags=["commission"])

UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "lang": {"type": "string", "enum": ["ru", "kk", "en"]},
                        "kind": {"type": "string"},
                    },
                    "required": ["files"],
                }
            }
        },
    }
}


def detail(db: Any, dossier: Dossier, *, lang: str = "ru", with_checklist: bool = True) -> DossierDetail:
    teacher = db.get(User, dossier.teacher_user_id)
    package = None
    if dossier.package_job_id:
        job = db.get(Job, dossier.package_job_id)
        package = {
            "job": job_view(job) if job else None,
            "pdf_file_id": dossier.package_pdf_file_id,
            "zip_file_id": dossier.package_zip_file_id,
        }
    return DossierDetail(
        dossier=DossierOut.model_validate(dossier),
        teacher_full_name=teacher.full_name if teacher else None,
        files=[v.to_dict() for v in workflow.file_views(db, dossier)],
        readiness=workflow.readiness(db, dossier),
        checklist=workflow.checklist(db, dossier, lang) if with_checklist else None,
        package=package,
    )


def file_response(record: Any) -> StreamingResponse:
    from service.uploads.service import content_disposition, iter_file

    return StreamingResponse(
        iter_file(record.sha256),
        media_type=record.media_type,
        headers={
            "Content-Disposition": content_disposition(record.filename),
            "X-Content-Type-Options": "nosniff",
            "Content-Length": str(record.size),
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/profiles", summary="Profile ids a dossier can be created for")
def profiles() -> list[str]:
    return workflow.available_profiles()


@router.get("", response_model=list[DossierOut], summary="The teacher's own dossiers")
def list_dossiers(db: SessionDep, user: TeacherUser) -> list[Dossier]:
    return workflow.list_my_dossiers(db, user)


@router.post("", response_model=DossierOut, status_code=201, summary="Create a dossier for a profile and period")
def create(body: DossierCreate, db: SessionDep, user: TeacherUser) -> Dossier:
    dossier = workflow.create_dossier(db, user, profile=body.profile, period_start=body.period_start,
                                      period_end=body.period_end, title=body.title)
    db.commit()
    return dossier


@router.get("/{dossier_id}", response_model=DossierDetail, summary="A dossier with its files, reports and checklist")
def get(dossier_id: str, db: SessionDep, user: CurrentUser, lang: str = Query("ru", pattern="^(ru|kk|en)$")) -> DossierDetail:
    return detail(db, workflow.get_dossier_for(db, user, dossier_id), lang=lang)


@router.post("/{dossier_id}/files", status_code=201, openapi_extra=UPLOAD_OPENAPI,
             summary="Upload one or several files (multipart field 'files'); one verification job per file")
async def upload(dossier_id: str, request: Request) -> Response:
    """The hot path (service.dossier.intake): no generic dependencies, one database step.

    A missing or forged session cookie is refused before the body is read; the session itself, the
    CSRF token (header, or the form's field when the page's form is sent without JavaScript), the role
    and the dossier are checked in the same step that stores the files."""
    settings = get_settings()
    raw = request.cookies.get(SESSION_COOKIE)
    session_id = unsign_session_id(settings.secret_key, raw, settings.session_max_age_s) if raw else None
    if session_id is None:
        raise Unauthenticated(SIGN_IN_FIRST)
    header_token = request.headers.get(CSRF_HEADER)
    # a page's form sent without JavaScript gets pages (a redirect, or an error page) back
    request.state.browser_form = header_token is None and "text/html" in request.headers.get("accept", "")
    try:
        form = await receive_multipart(request.stream(), request.headers.get("content-type", ""),
                                       max_file_bytes=settings.max_upload_bytes, in_memory_up_to=_IN_MEMORY)
    except AttestError:  # 413/415/422 of the body; but not signed in / no CSRF token / wrong role come first
        await run_in_threadpool(intake.check_principal, get_engine(), session_id, header_token or "")
        raise
    try:
        lang = form.fields.get("lang", "ru")
        upload = intake.UploadRequest(
            session_id=session_id,
            csrf_token=header_token if header_token is not None else form.fields.get(CSRF_FORM_FIELD, ""),
            dossier_id=dossier_id,
            form=form,
            lang=lang if lang in ("ru", "kk", "en") else "ru",
            kind=form.fields.get("kind") or None,
        )
        files, job_ids = await anyio.to_thread.run_sync(intake.accept_uploads, get_engine(), upload,
                                                        limiter=_store_limiter())
    finally:
        form.cleanup()  # what was not adopted by the store (a refused request)
    intake.dispatch(job_ids)
    if request.state.browser_form:
        return RedirectResponse(f"/dossiers/{dossier_id}", status_code=303)
    return Response(json.dumps({"files": files}, default=_json_default, ensure_ascii=False), status_code=201,
                    media_type="application/json")


@functools.cache
def _store_limiter() -> Any:
    """At most `upload_threads` uploads in their database step at once; the others wait their turn.
    More threads only fight over the GIL (measured: 40 threads p95 563 ms, 8 threads 294 ms)."""
    import anyio

    return anyio.CapacityLimiter(get_settings().upload_threads)


_IN_MEMORY = 256 * 1024
"""A file up to this size is held in memory until the worker-thread step stores it (most certificates
and programmes as PDF); a larger one is spooled to disk as it streams in."""


def _json_default(value: Any) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()  # as FastAPI's encoder writes them
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@router.delete("/{dossier_id}/files/{file_id}", status_code=204, summary="Remove a file from a draft dossier")
def remove_file(dossier_id: str, file_id: str, db: SessionDep, user: TeacherUser) -> None:
    dossier = workflow.get_dossier_for(db, user, dossier_id)
    workflow.remove_file(db, user, dossier, file_id)
    db.commit()


@router.get("/{dossier_id}/checklist", summary="The requirement checklist")
def get_checklist(dossier_id: str, db: SessionDep, user: CurrentUser,
                  lang: str = Query("ru", pattern="^(ru|kk|en)$")) -> dict[str, Any]:
    return workflow.checklist(db, workflow.get_dossier_for(db, user, dossier_id), lang)


@router.post("/{dossier_id}/submit", response_model=DossierOut, summary="Submit the dossier to the commission")
def submit(dossier_id: str, db: SessionDep, user: TeacherUser,
           lang: str = Query("ru", pattern="^(ru|kk|en)$")) -> Dossier:
    dossier = workflow.submit(db, user, workflow.get_dossier_for(db, user, dossier_id), lang=lang)
    db.commit()
    return dossier


# ------------------------------------------------------------------ commission


@commission_router.get("/dossiers", summary="Submitted dossiers of the commission's scope, with readiness")
def commission_list(db: SessionDep, user: CommissionUser,
                    status: str | None = Query(None, pattern="^(submitted|decided)$")) -> list[dict[str, Any]]:
    out = []
    for dossier in workflow.list_for_commission(db, user, status=status):
        teacher = db.get(User, dossier.teacher_user_id)
        out.append({
            "dossier": DossierOut.model_validate(dossier).model_dump(mode="json"),
            "teacher_full_name": teacher.full_name if teacher else None,
            "readiness": workflow.readiness(db, dossier),
        })
    return out


@commission_router.get("/dossiers/{dossier_id}", response_model=DossierDetail, summary="Open a submitted dossier")
def commission_get(dossier_id: str, db: SessionDep, user: CommissionUser,
                   lang: str = Query("ru", pattern="^(ru|kk|en)$")) -> DossierDetail:
    return detail(db, workflow.get_dossier_for(db, user, dossier_id), lang=lang)


@commission_router.get("/dossiers/{dossier_id}/package/{fmt}", summary="Download dossier.pdf or dossier.zip",
                       responses={409: {"description": "the package is still being assembled"}})
def commission_package(dossier_id: str, fmt: str, db: SessionDep, user: CommissionUser) -> StreamingResponse:
    if fmt not in ("pdf", "zip"):
        raise NotFound("the package is 'pdf' or 'zip'")
    dossier = workflow.get_dossier_for(db, user, dossier_id)
    file_id = dossier.package_pdf_file_id if fmt == "pdf" else dossier.package_zip_file_id
    if not file_id:
        job = workflow.request_package(db, user, dossier)
        db.commit()
        raise Conflict("the dossier is still being assembled; try again in a moment",
                       details={"job": job_view(job) if job else None})
    record = workflow.get_file_for(db, user, file_id)
    from service.audit import service as audit

    audit.record(db, "file.download", actor=user.user, object_type="file", object_id=record.id,
                 dossier_id=dossier.id, package=fmt)
    db.commit()
    return file_response(record)


@commission_router.post("/dossiers/{dossier_id}/decision", response_model=DossierOut,
                        summary="Record the commission's decision with a comment")
def commission_decide(dossier_id: str, body: DecisionIn, db: SessionDep, user: CommissionUser) -> Dossier:
    dossier = workflow.decide(db, user, workflow.get_dossier_for(db, user, dossier_id), body.decision, body.comment)
    db.commit()
    return dossier
