"""The teacher's persisted dossier: category profile, attestation period, status, decision.

Its files are rows of `files` (service.uploads.models.FileRecord) with `dossier_id` set.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, new_id, utcnow

__all__ = ["Decision", "Dossier", "DossierStatus"]


class DossierStatus(str, enum.Enum):
    """The workflow: draft → submitted → decided (a returned dossier goes back to draft)."""

    DRAFT = "draft"
    """The teacher is still adding files."""
    SUBMITTED = "submitted"
    """Sent to the commission; files are frozen."""
    DECIDED = "decided"
    """The commission recorded its decision."""


class Decision(str, enum.Enum):
    """The commission's decision."""

    APPROVED = "approved"
    """The evidence is accepted."""
    REJECTED = "rejected"
    """The evidence is not accepted."""
    RETURNED = "returned"
    """Sent back to the teacher for corrections (the dossier becomes a draft again)."""


class Dossier(Base):
    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    teacher_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    region_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    profile: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default=DossierStatus.DRAFT.value, index=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decision_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    package_job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    package_pdf_file_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    package_zip_file_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    package_manifest: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def returned(self) -> bool:
        """Sent back by the commission and not submitted again since (a draft with its decision)."""
        return self.status == DossierStatus.DRAFT.value and self.decision == Decision.RETURNED.value

    @property
    def shown_status(self) -> str:
        """The one status word every page shows: draft, submitted, returned, approved or rejected
        (a decided dossier shows its decision; a returned one is a draft that says why)."""
        if self.returned or (self.status == DossierStatus.DECIDED.value and self.decision):
            return str(self.decision)
        return self.status
