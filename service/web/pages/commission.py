"""The commission's journey: the submitted dossiers of its scope with their readiness; one dossier
with its requirements and every document's verdict, the seal and signature found drawn over the
page; dossier.pdf / dossier.zip; the decision with a comment.

Access and the decision itself are :mod:`service.dossier.workflow`'s (scope, audit, status rules).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse, Response

from service.accounts.models import User
from service.accounts.permissions import Permission, permits
from service.dossier import workflow
from service.dossier.endpoints import file_response
from service.dossier.signing import decision_signature, submission_signature
from service.errors import AttestError, BadInput, Conflict, NotFound
from service.jobs.models import Job
from service.storage import get_store
from service.web.pages.common import CommissionPage, Page, PageDep, ReviewPage
from service.web.thumbnails import evidence_pages, page_frame, page_image
from service.web.views import checklist_view, dossier_title, file_view, job_view, profile_title

__all__ = ["router"]

router = APIRouter()

@router.get("/review")
def review_list(page: ReviewPage, status: str = "submitted") -> Response:
    status = status if status in ("submitted", "decided") else "submitted"
    rows = []
    for d in workflow.list_for_commission(page.db, page.principal, status=status):
        teacher = page.db.get(User, d.teacher_user_id)
        rows.append({
            "dossier": d,
            "teacher": teacher.full_name if teacher else "—",
            "category": profile_title(d.profile, page.lang),
            "readiness": workflow.readiness(page.db, d),
            "checklist": checklist_view(workflow.checklist(page.db, d, page.lang), d, page.lang),
        })
    return page.render("commission/list.html", {"rows": rows, "status": status,
                                                "title": page.t("commission.list.title")}, active="/review")


def _dossier_context(page: Page, dossier_id: str) -> dict[str, Any]:
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)  # a draft: the commission's 404
    files = []
    for v in workflow.file_views(page.db, dossier):
        f = file_view(v, page.lang, reader="reviewer")  # the findings, not the teacher's to-do
        f["evidence"] = evidence_pages(v.file, v.file.report) if f["report"] else []
        files.append(f)
    checklist = checklist_view(workflow.checklist(page.db, dossier, page.lang), dossier, page.lang)
    teacher = page.db.get(User, dossier.teacher_user_id)
    package_job = page.db.get(Job, dossier.package_job_id) if dossier.package_job_id else None
    return {
        "dossier": dossier,
        "title": dossier_title(dossier, page.lang),
        "category": profile_title(dossier.profile, page.lang),
        "teacher": teacher,
        "files": files,
        "checklist": checklist,
        "readiness": workflow.readiness(page.db, dossier),
        "submission_signature": submission_signature(page.db, dossier),
        "decision_signature": decision_signature(page.db, dossier),
        "package_ready": bool(dossier.package_pdf_file_id and dossier.package_zip_file_id),
        "package_job": job_view(package_job, page.lang),
        "values": {},
        "errors": {},
    }


@router.get("/review/{dossier_id}")
def review_dossier(dossier_id: str, page: ReviewPage) -> Response:
    return page.render("commission/dossier.html", _dossier_context(page, dossier_id), active="/review")


@router.get("/review/{dossier_id}/package")
def package_status(dossier_id: str, page: PageDep) -> Response:
    """Progress of the dossier's assembly, for the page's polling."""
    if not permits(page.principal, Permission.REVIEW, Permission.SEE_ALL):  # ReviewPage's rule, as JSON
        return JSONResponse({"error": "not_found"}, status_code=404)
    try:
        dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    except AttestError:
        return JSONResponse({"error": "not_found"}, status_code=404)
    job = page.db.get(Job, dossier.package_job_id) if dossier.package_job_id else None
    view = job_view(job, page.lang) or {"progress": 0.0, "done": False, "label": page.t("progress.queued")}
    ready = bool(dossier.package_pdf_file_id and dossier.package_zip_file_id)
    return JSONResponse({**view, "done": ready or view["done"], "ready": ready})


@router.get("/review/{dossier_id}/dossier.{fmt}")
def package_download(dossier_id: str, fmt: str, page: ReviewPage) -> Response:
    if fmt not in ("pdf", "zip"):
        raise NotFound("the package is 'pdf' or 'zip'")
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    file_id = dossier.package_pdf_file_id if fmt == "pdf" else dossier.package_zip_file_id
    if not file_id:
        workflow.request_package(page.db, page.principal, dossier, lang=page.lang)
        page.db.commit()
        return page.redirect(f"/review/{dossier_id}", "package_pending")
    return file_response(workflow.get_file_for(page.db, page.principal, file_id))


@router.post("/review/{dossier_id}/decision")
def decide(
    dossier_id: str,
    page: CommissionPage,
    decision: Annotated[str, Form()] = "",
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if decision not in ("approved", "rejected", "returned"):
        errors["decision"] = page.t("commission.error.decision")
    else:
        try:
            dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
            workflow.decide(page.db, page.principal, dossier, decision, comment.strip())
        except BadInput as exc:
            field = page.refused_field(exc, "comment")
            errors[field] = page.t("commission.error.comment") if field == "comment" else exc.message
        except Conflict:
            return page.error_page(409, page.t("commission.error.conflict"))
        else:
            page.db.commit()
            return page.redirect(f"/review/{dossier_id}", "decision_saved")
    ctx = _dossier_context(page, dossier_id)
    ctx.update({"values": {"decision": decision, "comment": comment}, "errors": errors})
    return page.render("commission/dossier.html", ctx, active="/review", status_code=422)


@router.get("/files/{file_id}/pages/{number}.jpg")
def file_page(file_id: str, number: int, page: PageDep) -> Response:
    """One page of a file the signed-in user may see, as a picture."""
    if page.principal is None:
        return Response(status_code=404)
    try:
        record = workflow.get_file_for(page.db, page.principal, file_id)
        with get_store().local_path(record.sha256) as path:
            image = page_image(path, record.media_type, record.sha256, number,
                               frame=page_frame(record.report, number))  # the page its boxes are drawn on
    except AttestError:
        return Response(status_code=404)
    return Response(image.jpeg, media_type="image/jpeg",
                    headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})
