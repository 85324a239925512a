"""The administrator's pages: the trust store the service judges signatures against.

``/admin/trust`` lists every certificate of the store in use — the shipped default (the public NCA RK
roots and intermediates, :data:`verification.signatures.trust.DEFAULT_TRUST_DIR`) or the operator's
``ATTEST_TRUST_DIR`` — with its validity, key algorithm and fingerprint, and how many CRLs it holds, so
an operator sees what a "trusted" signature chains to and when the store needs new roots.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from service.web.pages.common import AdminPage
from verification.signatures.trust import DEFAULT_TRUST_DIR, describe_trust_store

__all__ = ["router"]

router = APIRouter()


@router.get("/admin/trust")
def trust_store(page: AdminPage) -> Response:
    configured = page.settings.trust_dir
    paths = (Path(configured),) if configured else ()
    certificates, crls = describe_trust_store(paths)
    now = dt.datetime.now(dt.UTC)
    return page.render("admin/trust.html", {
        "default": not configured,
        "folder": str(configured or DEFAULT_TRUST_DIR),
        "certificates": certificates,
        "expired": [c.expired(now) for c in certificates],
        "crls": crls,
    }, active="/admin/trust")
