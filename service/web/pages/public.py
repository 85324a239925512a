"""The public check: anyone with a document's QR id (or the file itself) learns whether the service
issued it and whether it is unchanged — and nothing else (no names, numbers or dates).

The answer is :func:`service.documents.service.public_check_id` / ``public_check_file``'s one word;
a file is sent by the page's script to ``POST /api/v1/public/check``.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import Response

from service.documents import service as documents
from service.web.pages.common import PageDep

__all__ = ["router"]

router = APIRouter()

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
RESULTS = ("issued_unchanged", "issued", "altered", "unknown")


@router.get("/check")
def check_form(page: PageDep, id: str = "") -> Response:
    id = id.strip()
    if id:
        from verification.qr_payload import parse_payload

        parsed = parse_payload(id)
        if parsed:
            id = parsed[0]
        if not _ID.match(id):
            return page.render("public/check.html", {"title": page.t("check.title"), "result": None, "id": id,
                                                     "error": page.t("check.bad_id"), "results": RESULTS},
                               active="/check", status_code=422)
        return page.redirect(f"/check/{id}")
    return page.render("public/check.html", {"title": page.t("check.title"), "result": None, "id": "",
                                             "error": None, "results": RESULTS}, active="/check")


@router.get("/check/{document_id}")
def check_id(document_id: str, page: PageDep) -> Response:
    """The page a phone opens from the QR code (``/check/{id}?h=…``)."""
    result = documents.public_check_id(document_id).result if _ID.match(document_id) else "unknown"
    return page.render("public/check.html", {"title": page.t("check.title"), "result": result,
                                             "id": document_id, "error": None, "results": RESULTS},
                       active="/check")
