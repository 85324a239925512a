"""The secretary's journey: reference data (council members, districts, regions, events); a form for
any document kind built from its schema, a preview, the DOCX/PDF (signed when the organisation has a
key); certificates for a participants' table as a ZIP with a progress bar; the registry of issued
documents and a look-up by the QR code's id.

Generation, batches, the registry and reference data are the service's
(:mod:`service.documents.service`, :mod:`service.accounts.service`); the document's data is checked
by the kind's own schema (:data:`service.generation.schemas.SCHEMAS`).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from service.accounts.permissions import Permission, permits
from service.documents import service as documents
from service.errors import AttestError, BadInput, Conflict, NotFound
from service.generation import service as generation
from service.generation.columns import choice_words, column_title
from service.generation.schemas import SCHEMAS, example_data
from service.jobs.service import get_job_for
from service.reference import service as reference_data
from service.reference.schemas import CouncilMemberIn, DistrictIn, EventIn, LetterheadIn, RegionIn
from service.registry import service as registry_service
from service.web.forms import FormField, field_errors, form_fields, parse_form
from service.web.pages.common import Page, PageDep, SecretaryPage
from service.web.thumbnails import page_image
from service.web.views import job_view, kind_label

__all__ = ["router"]

router = APIRouter()

# ------------------------------------------------------------------ reference data

_REFERENCE: dict[str, type[BaseModel]] = {
    "council-members": CouncilMemberIn,
    "districts": DistrictIn,
    "regions": RegionIn,
    "events": EventIn,
}
_HIDDEN_REFERENCE_FIELDS = {"details"}


def _reference_fields(kind: str, page: Page) -> list[FormField]:
    fields = [f for f in form_fields(_REFERENCE[kind], page.lang) if f.name not in _HIDDEN_REFERENCE_FIELDS]
    out = []
    for f in fields:
        if f.name == "region_id":
            rows = reference_data.list_reference(page.db, "regions", page.principal.organisation_id)
            choices = tuple((str(r.id), r.name_kk if page.lang == "kk" else r.name_ru) for r in rows)
            f = FormField(f.name, page.t("reference.region"), "select", True, choices=choices)
        elif f.name == "district_id":
            rows = reference_data.list_reference(page.db, "districts", page.principal.organisation_id)
            choices = tuple((str(r.id), r.name_kk if page.lang == "kk" else r.name_ru) for r in rows)
            f = FormField(f.name, page.t("reference.district"), "select", False, choices=choices)
        elif f.name in ("notes", "position", "position_kk"):
            f = FormField(f.name, f.label, "text", f.required, f.help)
        out.append(f)
    return out


def _reference_page(page: Page, kind: str, *, values: dict[str, Any] | None = None,
                    errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    rows = reference_data.list_reference(page.db, kind, page.principal.organisation_id)
    regions = {r.id: r for r in reference_data.list_reference(page.db, "regions", page.principal.organisation_id)}
    districts = {d.id: d for d in reference_data.list_reference(page.db, "districts", page.principal.organisation_id)}
    if kind == "regions":
        rows = sorted(rows, key=lambda r: (r.organisation_id is None, r.id))
    return page.render("secretary/reference.html", {
        "title": page.t("reference.title"),
        "kind": kind,
        "kinds": [_LETTERHEAD, *_REFERENCE],
        "rows": rows,
        "regions": regions,
        "districts": districts,
        "fields": _reference_fields(kind, page),
        "values": values or {},
        "errors": errors or {},
    }, active="/reference", status_code=status_code)


_LETTERHEAD = "organisation"  # the own organisation's letterhead in ru and kk: one form, no list


def _letterhead_page(page: Page, *, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                     status_code: int = 200) -> Response:
    org = page.organisation()
    return page.render("secretary/reference.html", {
        "title": page.t("reference.title"),
        "kind": _LETTERHEAD,
        "kinds": [_LETTERHEAD, *_REFERENCE],
        "rows": [],
        "fields": form_fields(LetterheadIn, page.lang),
        "values": values if values is not None else (reference_data.letterhead_values(org) if org else {}),
        "errors": errors or {},
        "org_code": org.code if org is not None else "",
    }, active="/reference", status_code=status_code)


@router.get("/reference")
def reference(page: SecretaryPage, kind: str = "council-members") -> Response:
    if kind == _LETTERHEAD:
        return _letterhead_page(page)
    if kind not in _REFERENCE:
        raise NotFound(f"no reference data {kind!r}")
    return _reference_page(page, kind)


@router.post("/reference/organisation")
async def reference_letterhead(request: Request, page: SecretaryPage) -> Response:
    form = await request.form()
    values = parse_form(form.multi_items(), form_fields(LetterheadIn, page.lang))
    try:
        data = LetterheadIn.model_validate({k: v if v is not None else "" for k, v in values.items()})
        reference_data.update_letterhead(page.db, page.principal, data.model_dump())
    except ValidationError as exc:
        page.db.rollback()
        return _letterhead_page(page, values=values, errors=field_errors(exc, page.lang), status_code=422)
    page.db.commit()
    return page.redirect(f"/reference?kind={_LETTERHEAD}", "saved")


@router.post("/reference/{kind}")
async def reference_add(kind: str, request: Request, page: SecretaryPage) -> Response:
    if kind not in _REFERENCE:
        raise NotFound(f"no reference data {kind!r}")
    form = await request.form()
    fields = _reference_fields(kind, page)
    values = parse_form(form.multi_items(), fields)
    try:
        data = _REFERENCE[kind].model_validate(values)
        reference_data.create_reference(page.db, page.principal, kind, data.model_dump())
    except ValidationError as exc:
        page.db.rollback()
        return _reference_page(page, kind, values=values, errors=field_errors(exc, page.lang), status_code=422)
    except BadInput as exc:
        field = page.refused_field(exc, "__all__")
        return _reference_page(page, kind, values=values, errors={field: exc.message}, status_code=422)
    page.db.commit()
    return page.redirect(f"/reference?kind={kind}", "saved")


@router.post("/reference/{kind}/{row_id}/delete")
def reference_delete(kind: str, row_id: int, page: SecretaryPage) -> Response:
    try:
        reference_data.delete_reference(page.db, page.principal, kind, row_id)
    except Conflict:
        return page.error_page(409, page.t("reference.in_use"))
    page.db.commit()
    return page.redirect(f"/reference?kind={kind}", "deleted")


# ------------------------------------------------------------------ one document from a form


@router.get("/documents")
def document_kinds(page: SecretaryPage) -> Response:
    kinds = [(k, kind_label(k, page.lang), page.t(f"kind_hint.{k}")) for k in SCHEMAS]
    return page.render("secretary/kinds.html", {"kinds": kinds, "title": page.t("documents.title")},
                       active="/documents")


def _sample(kind: str, lang: str) -> dict[str, Any]:
    try:
        return example_data(kind, "kk" if lang == "kk" else "ru")
    except (OSError, ValueError):
        return {}


def _document_form(page: Page, kind: str, *, values: dict[str, Any], errors: dict[str, str] | None = None,
                   options: dict[str, Any] | None = None, preview: dict[str, Any] | None = None,
                   status_code: int = 200) -> Response:
    org = page.organisation()
    opts = {"doc_lang": "kk" if page.lang == "kk" else "ru", "fmt": "pdf", "sign": False}
    opts.update(options or {})
    return page.render("secretary/document.html", {
        "title": kind_label(kind, page.lang),
        "kind": kind,
        "fields": form_fields(SCHEMAS[kind], page.lang),
        "values": values,
        "errors": errors or {},
        "options": opts,
        "can_sign": bool(getattr(org, "has_signing_key", False)),
        "preview": preview,
        "suggestions": _suggestions(page),
    }, active="/documents", status_code=status_code)


@router.get("/documents/{kind}")
def document_form(kind: str, page: SecretaryPage, sample: int = 0) -> Response:
    if kind not in SCHEMAS:
        raise NotFound(f"no document kind {kind!r}")
    if sample:  # the example, as the own organisation would issue it
        values = documents.sample_data(page.db, page.principal, kind, page.lang)
    else:
        head = documents.issuer(page.db, page.principal, page.lang)
        values = {"organization": {k: v for k, v in head.items() if v}} if head is not None else {}
    return _document_form(page, kind, values=values)


def _suggestions(page: Page) -> dict[str, list[str]]:
    """Typing help from the organisation's reference data: council members, districts, events."""
    org_id = page.principal.organisation_id
    kk = page.lang == "kk"
    members = reference_data.list_reference(page.db, "council-members", org_id)
    districts = reference_data.list_reference(page.db, "districts", org_id)
    regions = reference_data.list_reference(page.db, "regions", org_id)
    events = reference_data.list_reference(page.db, "events", org_id)
    places = sorted({(d.name_kk if kk else d.name_ru) for d in districts})
    out = {
        "full_name": sorted({m.full_name for m in members}),
        "position": sorted({m.position for m in members if m.position}),
        "location": places + sorted({(r.name_kk if kk else r.name_ru) for r in regions}),
        "event_place": places,
        "place": places,
        "districts": places,
        "region": sorted({(r.name_kk if kk else r.name_ru) for r in regions}),
        "event_title": sorted({e.title for e in events}),
        "title": sorted({e.title for e in events}),
    }
    return {k: v for k, v in out.items() if v}


def _api_field(name: str) -> str:
    """'agenda[0].decision' (the generation service's naming) → 'agenda.0.decision' (the form's)."""
    return name.replace("[", ".").replace("]", "")


@router.post("/documents/{kind}")
async def document_submit(kind: str, request: Request, page: SecretaryPage) -> Response:
    if kind not in SCHEMAS:
        raise NotFound(f"no document kind {kind!r}")
    form = await request.form()
    # generation waits for LibreOffice: off the event loop, so other pages keep answering
    return await run_in_threadpool(_document_submit, page, kind, form)


def _document_submit(page: Page, kind: str, form: Any) -> Response:
    fields = form_fields(SCHEMAS[kind], page.lang)
    values = parse_form(form.multi_items(), fields)
    options = {
        "doc_lang": form.get("doc_lang") if form.get("doc_lang") in ("ru", "kk") else "ru",
        "fmt": form.get("fmt") if form.get("fmt") in ("pdf", "docx") else "pdf",
        "sign": form.get("sign") == "on",
    }
    action = form.get("action")
    # the letterhead is the own organisation's in the document's language, whatever the form says
    doc_lang = str(options["doc_lang"])
    values = generation.with_issuer(documents.in_language(page.db, page.principal, values, doc_lang),
                                    documents.issuer(page.db, page.principal, doc_lang))
    try:
        SCHEMAS[kind].model_validate(values)
    except ValidationError as exc:
        return _document_form(page, kind, values=values, errors=field_errors(exc, page.lang), options=options,
                              status_code=422)
    draft = action == "preview"
    try:
        record, info = documents.generate(
            page.db, page.principal, kind=kind, data=values, lang=str(options["doc_lang"]),
            fmt="pdf" if draft else str(options["fmt"]), sign=bool(options["sign"]) and not draft
            and options["fmt"] == "pdf", register=not draft)
    except BadInput as exc:
        page.db.rollback()
        errors = {}
        for d in exc.details if isinstance(exc.details, list) else []:
            errors[_api_field(str(d.get("field", "__all__")))] = str(d.get("message", ""))
        errors.setdefault("__all__", exc.message) if not errors else None
        return _document_form(page, kind, values=values, errors=errors, options=options, status_code=422)
    except AttestError as exc:
        page.db.rollback()
        message = page.t("documents.converter_down") if exc.status_code == 503 else exc.message
        return _document_form(page, kind, values=values, errors={"__all__": message}, options=options,
                              status_code=exc.status_code)
    page.db.commit()
    if draft:
        pages = _pdf_page_count(record)
        preview = {"file_id": record.id, "pages": [f"/files/{record.id}/pages/{n}.jpg" for n in range(1, pages + 1)]}
        return _document_form(page, kind, values=values, options=options, preview=preview)
    return page.render("secretary/issued.html", {
        "title": page.t("documents.issued"),
        "kind": kind,
        "record": record,
        "info": info,
        "preview_url": f"/files/{record.id}/pages/1.jpg" if record.media_type == "application/pdf" else None,
    }, active="/documents")


def _pdf_page_count(record: Any) -> int:
    from service.storage import get_store

    try:
        import pypdfium2 as pdfium

        from verification.pdfium_lock import PDFIUM_LOCK

        with get_store().local_path(record.sha256) as path:
            with PDFIUM_LOCK:  # PDFium is not thread-safe
                pdf = pdfium.PdfDocument(str(path))
                try:
                    count = len(pdf)
                finally:
                    pdf.close()
            page_image(path, record.media_type, record.sha256, 1)  # warm the first picture
        return max(1, min(count, 10))
    except Exception:  # noqa: BLE001 - a preview without pictures still shows the download link
        return 1


# ------------------------------------------------------------------ batch: certificates from a table


@router.get("/batch")
def batch_form(page: SecretaryPage, kind: str = "certificate") -> Response:
    kind = kind if kind in SCHEMAS else "certificate"
    return page.render("secretary/batch.html", {
        "title": page.t("batch.title"),
        "kind": kind,
        "kinds": [(k, kind_label(k, page.lang)) for k in SCHEMAS],
        "columns": [column_title(c, page.lang) for c in _columns(kind)],
        "doc_lang": "kk" if page.lang == "kk" else "ru",
        "max_upload_mb": page.settings.max_upload_bytes // (1024 * 1024),
    }, active="/batch")


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
    elif isinstance(data, list):
        out[prefix[:-1]] = json.dumps(data, ensure_ascii=False)
    else:
        out[prefix[:-1]] = data
    return out


def _columns(kind: str) -> list[str]:
    return list(_flatten(_sample(kind, "ru")).keys()) or [f.name for f in form_fields(SCHEMAS[kind], "ru")]


@router.get("/batch/template/{kind}.csv")
def batch_template(kind: str, page: SecretaryPage, lang: str = "ru") -> Response:
    """A table with the right column names and one example row, to fill in Excel."""
    if kind not in SCHEMAS:
        raise NotFound(f"no document kind {kind!r}")
    flat = _flatten(_sample(kind, lang))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    # the headers and the choice words in the table's language: «ФИО участника», «участник»
    writer.writerow([column_title(k, lang) for k in flat])
    writer.writerow([choice_words(k, lang).get(str(flat[k]), flat[k]) for k in flat])
    return Response(("\ufeff" + buf.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'})


@router.get("/batch/jobs/{job_id}")
def batch_job(job_id: str, page: SecretaryPage) -> Response:
    job = get_job_for(page.db, job_id, page.principal.id, sees_all=permits(page.principal, Permission.SEE_ALL))
    result = dict(job.result or {})
    if result.get("sha256") and not result.get("documents"):
        result["documents"] = _zip_entries(result["sha256"])
    return page.render("secretary/batch_job.html", {
        "title": page.t("batch.title"),
        "job": job,
        "view": job_view(job, page.lang),
        "kind": (job.payload or {}).get("kind", "certificate"),
        "result": result,
    }, active="/batch")


def _zip_entries(sha256: str) -> int | None:
    """How many documents the batch's ZIP holds (when the job's result does not say)."""
    import zipfile

    from service.storage import get_store

    try:
        with get_store().local_path(sha256) as path, zipfile.ZipFile(path) as zf:
            return sum(1 for n in zf.namelist() if n.lower().endswith((".pdf", ".docx")))
    except (OSError, zipfile.BadZipFile, AttestError):
        return None


@router.get("/batch/jobs/{job_id}/status")
def batch_job_status(job_id: str, page: PageDep) -> Response:
    if not permits(page.principal, Permission.ISSUE):  # SecretaryPage's rule, as JSON
        return JSONResponse({"error": "not_found"}, status_code=404)
    try:
        job = get_job_for(page.db, job_id, page.principal.id, sees_all=permits(page.principal, Permission.SEE_ALL))
    except AttestError:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(job_view(job, page.lang))


# ------------------------------------------------------------------ registry


@router.get("/registry")
def registry(page: SecretaryPage, q: str = "", kind: str = "") -> Response:
    q = q.strip()
    org = page.organisation()
    code = org.code if org is not None and not permits(page.principal, Permission.SEE_ALL) else None
    found: Any = None
    looked_up = False
    if q:
        from verification.qr_payload import parse_payload

        parsed = parse_payload(q)
        document_id = (parsed[0] if parsed else q)[:128]
        looked_up = True
        entry = registry_service.get_entry(document_id)
        if entry is None:
            record = documents.registry_lookup(document_id)
            found = _record(record) if record is not None else None
        else:
            found = _record(entry)
        if found is not None and code is not None and found.get("organization") != code:
            found = None  # another organisation's document: the same answer as an unknown id
    rows = [_record(e) for e in registry_service.list_entries(organization=code, kind=kind or None, limit=200)]
    ids = [r["document_id"] for r in rows if r.get("status", "issued") == "issued"]
    if found is not None and found.get("status", "issued") == "issued":
        ids.append(found["document_id"])
    return page.render("secretary/registry.html", {
        "title": page.t("registry.title"), "rows": rows, "q": q, "found": found, "looked_up": looked_up,
        "formats": documents.issued_formats(page.db, ids),
        "kind": kind, "kinds": [(k, kind_label(k, page.lang)) for k in SCHEMAS],
    }, active="/registry")


def _record(record: Any) -> dict[str, Any]:
    keys = ("document_id", "registration_number", "kind", "issued_at", "file_sha256s", "content_sha256",
            "organization", "title", "lang", "status")
    data = dict(record) if isinstance(record, dict) else {k: getattr(record, k, None) for k in keys}
    files = data.get("file_sha256s") or []
    return {**data, "file_count": len(files)}


@router.get("/registry/{document_id}/{fmt}")
def registry_download(document_id: str, fmt: str, page: SecretaryPage) -> Response:
    """An issued document again, as PDF or DOCX (the organisation's own documents only)."""
    from service.audit import service as audit
    from service.documents.endpoints import issued_file_response

    record = documents.issued_file(page.db, page.principal, document_id, fmt)
    audit.record(page.db, "file.download", actor=page.principal.user, object_type="file", object_id=record.id,
                 document_id=document_id)
    page.db.commit()
    return issued_file_response(record)
