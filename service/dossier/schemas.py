"""API shapes of the teacher's dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DecisionIn", "DossierCreate", "DossierDetail", "DossierOut"]


class DossierCreate(BaseModel):
    profile: str = Field(min_length=1, max_length=60, examples=["kz-researcher"])
    period_start: dt.date
    period_end: dt.date
    title: str = Field(default="", max_length=300)


class DossierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    teacher_user_id: int
    organisation_id: int
    profile: str
    period_start: dt.date
    period_end: dt.date
    title: str
    status: Literal["draft", "submitted", "decided"]
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision: str | None
    decision_comment: str | None
    created_at: dt.datetime


class DossierDetail(BaseModel):
    dossier: DossierOut
    teacher_full_name: str | None = None
    files: list[dict[str, Any]]
    readiness: dict[str, Any]
    checklist: dict[str, Any] | None = None
    package: dict[str, Any] | None = None


class DecisionIn(BaseModel):
    decision: Literal["approved", "rejected", "returned"]
    comment: str = Field(default="", max_length=5000)
