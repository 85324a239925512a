"""The teacher's journey: create a dossier for a category and period, upload files (several at once,
drag and drop, phone photos), follow each file's verification and read its result in plain words,
watch the requirement checklist fill up, submit.

Everything goes through :mod:`service.dossier.workflow` (access rules, jobs, audit). Files are sent by
the page's script to the REST upload endpoint (``POST /api/v1/dossiers/{id}/files``) with the
session's CSRF header; the page then polls :func:`live` for the files and checklist, rendered here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from service.dossier import workflow
from service.errors import BadInput, Conflict
from service.web.pages.common import Page, TeacherPage
from service.web.thumbnails import evidence_pages
from service.web.views import checklist_view, dossier_title, file_view, profile_choices

__all__ = ["router"]

router = APIRouter()


def _dossier_list(page: Page, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                  status_code: int = 200) -> Response:
    dossiers = workflow.list_my_dossiers(page.db, page.principal)
    rows = []
    for d in dossiers:
        rows.append({"dossier": d, "title": dossier_title(d, page.lang),
                     "readiness": workflow.readiness(page.db, d)})
    today = dt.date.today()
    defaults = {"period_start": today.replace(year=today.year - 5).isoformat(), "period_end": today.isoformat()}
    return page.render("teacher/dossiers.html", {
        "title": page.t("teacher.dossiers.title"),
        "rows": rows,
        "profiles": profile_choices(page.lang),
        "values": values or defaults,
        "errors": errors or {},
    }, active="/dossiers", status_code=status_code)


@router.get("/dossiers")
def dossiers(page: TeacherPage) -> Response:
    return _dossier_list(page)


@router.post("/dossiers")
def create_dossier(
    page: TeacherPage,
    profile: Annotated[str, Form()] = "",
    period_start: Annotated[str, Form()] = "",
    period_end: Annotated[str, Form()] = "",
    title: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    values = {"profile": profile, "period_start": period_start, "period_end": period_end, "title": title}
    errors: dict[str, str] = {}
    if not profile:
        errors["profile"] = page.t("teacher.error.profile")
    dates: dict[str, dt.date] = {}
    for name, raw in (("period_start", period_start), ("period_end", period_end)):
        try:
            dates[name] = dt.date.fromisoformat(raw)
        except ValueError:
            errors[name] = page.t("error.date")
    if not errors:
        try:
            dossier = workflow.create_dossier(page.db, page.principal, profile=profile, title=title.strip(),
                                              period_start=dates["period_start"], period_end=dates["period_end"])
        except BadInput as exc:
            field = page.refused_field(exc, "profile")
            errors[field] = page.t("teacher.error.period") if field == "period_end" else exc.message
        else:
            page.db.commit()
            return page.redirect(f"/dossiers/{dossier.id}", "dossier_created")
    page.db.rollback()
    return _dossier_list(page, values=values, errors=errors, status_code=422)


def _detail_context(page: Page, dossier_id: str) -> dict[str, Any]:
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    files = []
    for v in workflow.file_views(page.db, dossier):
        f = file_view(v, page.lang)
        f["evidence"] = evidence_pages(v.file, v.file.report) if f["report"] else []  # boxes over the page
        files.append(f)
    checklist = checklist_view(workflow.checklist(page.db, dossier, page.lang), dossier, page.lang)
    readiness = workflow.readiness(page.db, dossier)
    return {
        "dossier": dossier,
        "title": dossier_title(dossier, page.lang),
        "files": files,
        "checklist": checklist,
        "readiness": readiness,
        "editable": dossier.status == "draft",
        "can_submit": dossier.status == "draft" and readiness["files"] > 0
        and readiness["verifications_pending"] == 0,
        "max_upload_mb": page.settings.max_upload_bytes // (1024 * 1024),
    }


@router.get("/dossiers/{dossier_id}")
def dossier_page(dossier_id: str, page: TeacherPage) -> Response:
    return page.render("teacher/dossier.html", _detail_context(page, dossier_id), active="/dossiers")


@router.get("/dossiers/{dossier_id}/live")
def live(dossier_id: str, page: TeacherPage) -> Response:
    """The files and the checklist, for the page's polling (HTML fragment)."""
    return page.render("teacher/_live.html", _detail_context(page, dossier_id))


@router.post("/dossiers/{dossier_id}/files/{file_id}/delete")
def delete_file(dossier_id: str, file_id: str, page: TeacherPage) -> Response:
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    workflow.remove_file(page.db, page.principal, dossier, file_id)
    page.db.commit()
    return page.redirect(f"/dossiers/{dossier_id}", "file_removed")


@router.post("/dossiers/{dossier_id}/submit")
def submit(dossier_id: str, page: TeacherPage,
           acknowledge: Annotated[list[str] | None, Form()] = None) -> Response:
    """Submit; with requirements still open, the page lists them and asks once more (the teacher
    confirms the ones shown, or goes back to fix them)."""
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    try:
        workflow.submit(page.db, page.principal, dossier, lang=page.lang, acknowledged=acknowledge or [])
    except Conflict as exc:
        open_ids = (exc.details or {}).get("open_requirements")
        if not open_ids:
            return page.error_page(409, page.t("teacher.error.submit"))
        page.db.rollback()
        context = _detail_context(page, dossier_id)
        # every requirement still open is confirmed at once, so the list shows them all
        context["submit_confirm"] = [r for r in context["checklist"]["rows"] if r["status"] != "met"]
        return page.render("teacher/dossier.html", context, active="/dossiers", status_code=409)
    page.db.commit()
    return page.redirect(f"/dossiers/{dossier_id}", "dossier_submitted")
