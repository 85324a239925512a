"""Registry tables: per-organisation/kind/year sequences, issued documents, hashes of issued files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base

__all__ = ["RegistryDocument", "RegistryFile", "RegistrySequence"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RegistrySequence(Base):
    """The last number given for one organisation, kind and year; bumped in the issuing transaction."""

    __tablename__ = "registry_sequences"

    organization: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class RegistryDocument(Base):
    """One issued document. ``id`` is the unguessable id printed in the QR code."""

    __tablename__ = "registry_documents"
    __table_args__ = (UniqueConstraint("organization", "kind", "year", "sequence", name="uq_registry_documents_seq"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    organization: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    lang: Mapped[str] = mapped_column(String(8), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    content_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="issued")  # issued | void
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_now)

    files: Mapped[list[RegistryFile]] = relationship(back_populates="document", lazy="selectin",
                                                       cascade="all, delete-orphan")


class RegistryFile(Base):
    """The SHA-256 of one file issued for a document (DOCX, PDF, signed PDF)."""

    __tablename__ = "registry_files"
    __table_args__ = (UniqueConstraint("document_id", "sha256", name="uq_registry_files_document_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("registry_documents.id", ondelete="CASCADE"), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)  # docx | pdf | signed_pdf
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=_now)

    document: Mapped[RegistryDocument] = relationship(back_populates="files")
