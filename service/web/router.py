"""The web UI's router: every page, included by the application (service/app.py).

Pages call the service layer (accounts, documents, registry, jobs, dossier workflow) and the
dependencies of :mod:`service.deps`; they hold no business rules of their own.
"""

from __future__ import annotations

from fastapi import APIRouter

from service.web.pages import admin, auth, commission, public, secretary, signing, teacher

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for _module in (auth, secretary, signing, teacher, commission, public, admin):
    router.include_router(_module.router)
