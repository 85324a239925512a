"""Signing an issued document with the official's own key: the page that talks to NCALayer (or takes a
signature made elsewhere), and its two JSON calls (prepare, finish). The work is
:mod:`service.documents.signing`'s; the page only carries words and the NCALayer address.

The page's Content-Security-Policy adds NCALayer's WebSocket (``ATTEST_NCALAYER_URL``) to ``connect-src``:
the rest of the site keeps the stricter policy of :mod:`service.http_security`.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from service.documents import signing
from service.dossier import repository as dossier_repo
from service.dossier import signing as dossier_signing
from service.dossier import workflow
from service.errors import AttestError
from service.http_security import CONTENT_SECURITY_POLICY
from service.signing.external import SignatureRefused
from service.web.pages.common import CommissionPage, Page, SecretaryPage, TeacherPage
from service.web.views import dossier_title

__all__ = ["refusal", "router", "sign_page_response"]

router = APIRouter()

_MESSAGES = ("connecting", "choose_key", "checking", "done", "no_ncalayer", "cancelled", "timeout", "failed",
             "wrong_key", "network", "upload_needed", "prepare_first", "no_cryptopro", "no_certificate",
             "choose_certificate", "batch_done", "batch_row_ok")


_CADESPLUGIN_API = Path(__file__).resolve().parents[1] / "static" / "cadesplugin_api.js"
"""CryptoPro's loader of its browser plug-in: not shipped (CryptoPro distributes it); an operator in Russia
puts it into service/web/static/ and the signing pages load it before sign.js."""


def _policy(ncalayer_url: str) -> str:
    parts = urlsplit(ncalayer_url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("ws", "wss") and parts.netloc else ""
    return CONTENT_SECURITY_POLICY.replace("default-src 'self';", f"default-src 'self'; connect-src 'self' {origin};")


@router.get("/sign/document/{document_id}")
def sign_document(document_id: str, page: SecretaryPage) -> Response:
    """From the registry: the newest PDF of the document (the signed one, when signed: a second signature)."""
    record = signing.file_of_document(page.db, page.principal, document_id)
    return page.redirect(f"/sign/{record.id}")


@router.get("/sign/{file_id}")
def sign_page(file_id: str, page: SecretaryPage) -> Response:
    record = signing.signable_file(page.db, page.principal, file_id)
    user = page.principal.user
    facts = [(page.t("registry.file"), f"{record.filename}", False)]
    if record.registry_document_id:
        facts.append((page.t("registry.qr_id"), record.registry_document_id, True))
    facts.append((page.t("sign.whose_key"), user.full_name + (f" · {page.t('sign.iin')} {signing.mask_iin(user.iin)}"
                                                              if user.iin else ""), False))
    return sign_page_response(page, "secretary/sign.html", f"/sign/{file_id}", facts, active="/registry",
                              original_url=f"/api/v1/files/{record.id}")


def sign_page_response(page: Page, template: str, base_url: str, facts: list[tuple[str, str, bool]], *,
                       active: str, original_url: str | None = None, context: dict[str, Any] | None = None,
                       title: str | None = None) -> Response:
    """A page with the signing widget (``_sign_widget.html``) whose calls go to ``base_url``/prepare, /finish,
    /tbs.bin, under a CSP that lets the page reach NCALayer."""
    response = page.render(template, {
        "title": title or page.t("sign.title"),
        "ncalayer_url": page.settings.ncalayer_url,
        "messages": {k: page.t(f"sign.msg.{k}") for k in _MESSAGES},
        "sign_urls": {"prepare": f"{base_url}/prepare", "finish": f"{base_url}/finish", "tbs": f"{base_url}/tbs.bin"},
        "sign_facts": facts,
        "sign_original_url": original_url,
        "cadesplugin_api": _CADESPLUGIN_API.is_file(),
        **(context or {}),
    }, active=active)
    response.headers["content-security-policy"] = _policy(page.settings.ncalayer_url)
    return response


def refusal(page: Page, exc: AttestError) -> JSONResponse:
    page.db.rollback()
    reason = exc.reason if isinstance(exc, SignatureRefused) else "bad_request"
    key = f"sign.refused.{reason}"
    text = page.t(key)
    if text == key:  # a reason without words of its own
        text = page.t("sign.refused.not_valid")
    return JSONResponse({"ok": False, "reason": reason, "message": text}, status_code=exc.status_code)


@router.post("/sign/{file_id}/prepare")
async def sign_prepare(file_id: str, page: SecretaryPage) -> Response:
    try:
        started = await run_in_threadpool(signing.start, page.db, page.principal, page.settings, file_id)
    except AttestError as exc:
        return refusal(page, exc)
    return JSONResponse(started.to_dict(page.settings))


@router.get("/sign/{file_id}/tbs.bin")
def sign_tbs(file_id: str, token: str, page: SecretaryPage) -> Response:
    try:
        data = signing.prepared_tbs(page.principal, page.settings, file_id, token)
    except AttestError as exc:
        return refusal(page, exc)
    return _signed_bytes(data, "document-to-sign.bin")


@router.post("/sign/{file_id}/finish")
async def sign_finish(file_id: str, request: Request, page: SecretaryPage) -> Response:
    parsed = await _token_and_cms(request, page)
    if isinstance(parsed, Response):
        return parsed
    token, cms = parsed
    try:
        new, signed = await run_in_threadpool(signing.complete, page.db, page.principal, page.settings, file_id,
                                              token, cms)
    except AttestError as exc:
        return refusal(page, exc)
    page.db.commit()
    who = signed.signer.common_name or "?"
    return JSONResponse({"ok": True, "file_id": new.id, "download": f"/api/v1/files/{new.id}",
                         "signer": who, "iin": signing.mask_iin(signed.signer.iin),
                         "message": page.t("sign.msg.done_by", signer=who)})


def _cms_bytes(value: Any) -> bytes:
    """The CMS as the page sends it: base64 text (NCALayer's answer, or an uploaded file read as base64)."""
    text = str(value).strip()
    if text.startswith("-----BEGIN"):
        return text.encode()
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


# ------------------------------------------------------------------ the teacher's dossier submission


@router.get("/dossiers/{dossier_id}/sign")
def submission_page(dossier_id: str, page: TeacherPage) -> Response:
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    user = page.principal.user
    facts = [(page.t("sign.submission.files"), str(len(dossier_repo.evidence_files(page.db, dossier.id))), False),
             (page.t("sign.whose_key"), user.full_name + (f" · {page.t('sign.iin')} {signing.mask_iin(user.iin)}"
                                                          if user.iin else ""), False)]
    return sign_page_response(page, "teacher/sign_submission.html", f"/dossiers/{dossier_id}/sign", facts,
                              active="/dossiers", title=page.t("sign.submission.title"),
                              context={"dossier": dossier, "dossier_title": dossier_title(dossier, page.lang),
                                       "open_requirements": workflow.open_requirements(page.db, dossier, page.lang),
                                       "sign_button": page.t("sign.submission.action"),
                                       "sign_result_label": page.t("sign.submission.open")})


async def _token_and_cms(request: Request, page: Page) -> tuple[str, bytes] | Response:
    """The finish call's body {token, cms}, or the page-language refusal of a body that is not one."""
    try:
        body: Any = await request.json()
        return str(body["token"]), _cms_bytes(body["cms"])
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"ok": False, "reason": "bad_request", "message": page.t("sign.refused.not_cms")},
                            status_code=422)


def _signed_bytes(data: bytes, filename: str) -> Response:
    """The exact bytes a detached CMS must cover, as a download (for a signer outside the browser)."""
    return Response(data, media_type="application/octet-stream",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.post("/dossiers/{dossier_id}/sign/prepare")
async def submission_prepare(dossier_id: str, page: TeacherPage) -> Response:
    try:
        started = await run_in_threadpool(dossier_signing.start_submission, page.db, page.principal, page.settings,
                                          dossier_id)
    except AttestError as exc:
        return refusal(page, exc)
    return JSONResponse(started)


@router.get("/dossiers/{dossier_id}/sign/tbs.bin")
def submission_tbs(dossier_id: str, token: str, page: TeacherPage) -> Response:
    try:
        data = dossier_signing.manifest_for_token(page.db, page.principal, page.settings, dossier_id, token)
    except AttestError as exc:
        return refusal(page, exc)
    return _signed_bytes(data, "dossier-submission.json")


@router.post("/dossiers/{dossier_id}/sign/finish")
async def submission_finish(dossier_id: str, request: Request, page: TeacherPage) -> Response:
    parsed = await _token_and_cms(request, page)
    if isinstance(parsed, Response):
        return parsed
    token, cms = parsed
    try:
        _dossier, signed = await run_in_threadpool(dossier_signing.complete_submission, page.db, page.principal, page.settings,
                                dossier_id, token, cms, lang=page.lang)
    except AttestError as exc:
        return refusal(page, exc)
    page.db.commit()
    return JSONResponse({"ok": True, "download": f"/dossiers/{dossier_id}",
                         "message": page.t("sign.submission.done", signer=signed.signer.common_name or "?")})


# ------------------------------------------------------------------ the commission's decision


@router.post("/review/{dossier_id}/decision/sign")
def decision_page(dossier_id: str, page: CommissionPage, decision: Annotated[str, Form()] = "",
                  comment: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """The decision form's «Подписать решение ЭЦП»: the signing widget with the decision it will sign."""
    dossier = workflow.get_dossier_for(page.db, page.principal, dossier_id)
    if decision not in ("approved", "rejected", "returned") or (decision != "approved" and not comment.strip()):
        return page.redirect(f"/review/{dossier_id}")  # the plain form explains what is missing
    user = page.principal.user
    facts = [(page.t("sign.decision.decision"), page.t(f"commission.decide.{decision}"), False)]
    if comment.strip():
        facts.append((page.t("sign.decision.comment"), comment.strip(), False))
    facts.append((page.t("sign.whose_key"), user.full_name + (f" · {page.t('sign.iin')} {signing.mask_iin(user.iin)}"
                                                              if user.iin else ""), False))
    return sign_page_response(page, "commission/sign_decision.html", f"/review/{dossier_id}/decision/sign", facts,
                              active="/review", title=page.t("sign.decision.title"),
                              context={"dossier": dossier, "dossier_title": dossier_title(dossier, page.lang),
                                       "sign_button": page.t("sign.decision.action"),
                                       "sign_result_label": page.t("sign.decision.open"),
                                       "sign_payload": {"decision": decision, "comment": comment.strip()}})


@router.post("/review/{dossier_id}/decision/sign/prepare")
async def decision_prepare(dossier_id: str, request: Request, page: CommissionPage) -> Response:
    try:
        body: Any = await request.json()
        decision, comment = str(body["decision"]), str(body.get("comment") or "")
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"ok": False, "reason": "bad_request", "message": page.t("sign.refused.bad_request")},
                            status_code=422)
    try:
        started = await run_in_threadpool(dossier_signing.start_decision, page.db, page.principal, page.settings,
                                          dossier_id, decision, comment)
    except AttestError as exc:
        return refusal(page, exc)
    return JSONResponse(started)


@router.get("/review/{dossier_id}/decision/sign/tbs.bin")
def decision_tbs(dossier_id: str, token: str, page: CommissionPage) -> Response:
    try:
        data = dossier_signing.decision_for_token(page.db, page.principal, page.settings, dossier_id, token)
    except AttestError as exc:
        return refusal(page, exc)
    return _signed_bytes(data, "decision.json")


@router.post("/review/{dossier_id}/decision/sign/finish")
async def decision_finish(dossier_id: str, request: Request, page: CommissionPage) -> Response:
    parsed = await _token_and_cms(request, page)
    if isinstance(parsed, Response):
        return parsed
    token, cms = parsed
    try:
        _dossier, signed = await run_in_threadpool(dossier_signing.complete_decision, page.db, page.principal, page.settings,
                                dossier_id, token, cms)
    except AttestError as exc:
        return refusal(page, exc)
    page.db.commit()
    return JSONResponse({"ok": True, "download": f"/review/{dossier_id}",
                         "message": page.t("sign.decision.done", signer=signed.signer.common_name or "?")})


# ------------------------------------------------------------------ a batch: every certificate of an event


@router.get("/sign/batch/{job_id}")
def batch_page(job_id: str, page: SecretaryPage) -> Response:
    """One press signs every document of a batch: the page asks NCALayer once per document, without reloading."""
    files = signing.batch_files(page.db, page.principal, job_id)
    page.db.commit()
    user = page.principal.user
    facts = [(page.t("sign.batch.count"), str(len(files)), False),
             (page.t("sign.whose_key"), user.full_name + (f" · {page.t('sign.iin')} {signing.mask_iin(user.iin)}"
                                                          if user.iin else ""), False)]
    return sign_page_response(page, "secretary/sign_batch.html", "/sign/batch", facts, active="/batch",
                              title=page.t("sign.batch.title"),
                              context={"files": files, "job_id": job_id,
                                       "sign_button": page.t("sign.batch.button", n=len(files))})
