"""The `files` table: one row per stored file, pointing at the content-addressed store by sha256."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, new_id, utcnow

__all__ = ["FilePurpose", "FileRecord"]


class FilePurpose:
    """Why a file is in the store (plain strings in the table)."""

    DOSSIER_UPLOAD = "dossier_upload"
    GENERATED = "generated"
    BATCH_ROWS = "batch_rows"
    BATCH_ZIP = "batch_zip"
    DOSSIER_PDF = "dossier_pdf"
    DOSSIER_ZIP = "dossier_zip"
    UPLOAD = "upload"  # verification without a dossier


class FileRecord(Base):
    __tablename__ = "files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    dossier_id: Mapped[str | None] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), nullable=True, index=True
    )
    purpose: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # its verification job
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # verification report
    registry_document_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
