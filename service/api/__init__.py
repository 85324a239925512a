"""The REST API under /api/v1: one router per resource; endpoints are a few lines over service functions."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["api_router"]


def _build() -> APIRouter:
    from service.api import audit, auth, files, health, jobs, public, users
    from service.documents import endpoints as documents
    from service.dossier import endpoints as dossiers
    from service.reference import endpoints as reference

    router = APIRouter(prefix="/api/v1")
    # the dossiers first: routes are matched in order, and a teacher's upload is the busiest request
    router.include_router(dossiers.router)
    router.include_router(dossiers.commission_router)
    for module in (health, auth, users, reference, documents, files, jobs, audit, public):
        router.include_router(module.router)
    return router


api_router = _build()
