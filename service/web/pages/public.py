"""The public check: anyone with a document's QR id (or the file, a scan or a photo of it) learns
whether the service issued it and sees the registry's record of it — kind, number, date, issuer and
the person masked to a surname and initials — to compare with the paper in hand.

A picture of a paper can never match the issued file byte for byte, and that is no sign of tampering:
the page says so and asks for the comparison instead. The answers are
:data:`service.registry.service.PUBLIC_RESULTS`; a file is sent by the page's script to
``POST /api/v1/public/check``, which answers with the same record.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import Response

from service.documents import service as documents
from service.registry.service import PUBLIC_RESULTS, PublicCheck
from service.web.pages.common import Page, PageDep
from verification.kinds import title as kind_title

__all__ = ["router"]

router = APIRouter()

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_HASH = re.compile(r"^[0-9a-fA-F]{64}$")
RESULTS = PUBLIC_RESULTS
TONES = {"issued_unchanged": "ok", "issued": "ok", "picture": "", "no_qr": "warn"}
"""The colour of each answer's notice (the rest are "bad"); a picture is neither good nor bad news."""


def _render(page: Page, *, check: PublicCheck | None, id: str, error: str | None = None,
            status_code: int = 200) -> Response:
    record = None
    if check is not None and check.record is not None:
        r = check.record
        record = {"kind": kind_title(r.kind, page.lang), "registration_number": r.registration_number,
                  "issued_on": r.issued_on, "issuer": r.issuer, "holder": r.holder}
    return page.render("public/check.html", {
        "title": page.t("check.title"), "result": check.result if check else None, "record": record, "id": id,
        "error": error, "results": RESULTS, "tones": TONES,
    }, active="/check", status_code=status_code)


@router.get("/check")
def check_form(page: PageDep, id: str = "") -> Response:
    id = id.strip()
    if id:
        from verification.qr_payload import parse_payload

        parsed = parse_payload(id)
        if parsed:
            id = parsed[0]
        if not _ID.match(id):
            return _render(page, check=None, id=id, error=page.t("check.bad_id"), status_code=422)
        if parsed and parsed[1]:
            return page.redirect(f"/check/{id}?h={parsed[1]}")
        return page.redirect(f"/check/{id}")
    return _render(page, check=None, id="")


@router.get("/check/{document_id}")
def check_id(document_id: str, page: PageDep, h: str = "") -> Response:
    """The page a phone opens from the QR code (``/check/{id}?h=…``)."""
    if not _ID.match(document_id):
        return _render(page, check=PublicCheck("unknown"), id=document_id)
    check = documents.public_check_id(document_id, h if _HASH.match(h) else None)
    return _render(page, check=check, id=document_id)
