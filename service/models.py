"""Imports every domain's tables so that Base.metadata is complete (Alembic, tests)."""

from __future__ import annotations

import importlib

from service.db import Base

__all__ = ["Base", "load_all"]

_DOMAIN_MODELS = (
    "service.registry.models",
    "service.dossier.models",
    "service.dossier.ledger",
    "service.accounts.models",
    "service.reference.models",
    "service.uploads.models",
    "service.jobs.models",
    "service.audit.models",
)


def load_all() -> None:
    for name in _DOMAIN_MODELS:
        importlib.import_module(name)
