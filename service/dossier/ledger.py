"""The evidence ledger in the service database (table ``dossier_evidence``, migration 0002_dossier):
documents already counted in a dossier, so that each is reviewed once. Same interface as
:class:`service.attestation.ledger.MemoryLedger`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import JSON, DateTime, Engine, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from service.attestation.ledger import LedgerEntry, other_document
from service.attestation.matching import PHASH_MAX_DISTANCE, LedgerHit, Teacher, same_scan
from service.db import Base, session_scope

__all__ = ["EvidenceRecord", "SqlLedger"]


class EvidenceRecord(Base):
    """One document counted in one dossier."""

    __tablename__ = "dossier_evidence"
    __table_args__ = (UniqueConstraint("dossier_id", "sha256", name="uq_dossier_evidence_dossier_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(String(64), index=True)
    profile: Mapped[str] = mapped_column(String(60))
    teacher_name: Mapped[str] = mapped_column(String(300))
    teacher_iin: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pages: Mapped[int] = mapped_column(Integer, default=0, index=True)
    page_phashes: Mapped[list[str]] = mapped_column(JSON, default=list)
    number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    doc_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    requirements: Mapped[list[str]] = mapped_column(JSON, default=list)
    counted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SqlLedger:
    """The ledger in the service database (table ``dossier_evidence``, migration 0002_dossier)."""

    def __init__(self, engine: Engine | None = None, max_distance: int = PHASH_MAX_DISTANCE) -> None:
        self.engine = engine
        self.max_distance = max_distance

    def find(self, sha256: str, phashes: Sequence[str], *, exclude_dossier: str,
             number: str | None = None, date: str | None = None) -> LedgerHit | None:
        with session_scope(self.engine) as s:
            if sha256:
                row = s.execute(
                    select(EvidenceRecord).where(EvidenceRecord.sha256 == sha256,
                                                 EvidenceRecord.dossier_id != exclude_dossier).limit(1)
                ).scalar_one_or_none()
                if row is not None:
                    return LedgerHit(row.dossier_id, row.teacher_name, row.file_name, "sha256")
            if not phashes:
                return None
            # Hamming distance is not indexable portably: scan the rows with the same page count.
            rows = s.execute(
                select(EvidenceRecord.dossier_id, EvidenceRecord.teacher_name, EvidenceRecord.file_name,
                       EvidenceRecord.page_phashes, EvidenceRecord.number, EvidenceRecord.doc_date)
                .where(EvidenceRecord.pages == len(phashes), EvidenceRecord.dossier_id != exclude_dossier)
            ).all()
        for dossier_id, teacher, file_name, page_phashes, row_number, row_date in rows:
            if other_document(number, date, row_number, row_date):
                continue
            dist = same_scan(phashes, page_phashes or (), self.max_distance)
            if dist is not None:
                return LedgerHit(dossier_id, teacher, file_name, "perceptual", dist)
        return None

    def record(self, dossier_id: str, profile: str, teacher: Teacher, entries: Sequence[LedgerEntry]) -> None:
        now = dt.datetime.now(dt.UTC)
        with session_scope(self.engine) as s:
            s.execute(delete(EvidenceRecord).where(EvidenceRecord.dossier_id == dossier_id))
            seen: set[str] = set()
            for e in entries:
                if e.sha256 in seen:
                    continue
                seen.add(e.sha256)
                s.add(EvidenceRecord(
                    dossier_id=dossier_id, profile=profile, teacher_name=teacher.full_name,
                    teacher_iin=teacher.iin, file_name=e.file, sha256=e.sha256, pages=len(e.phashes),
                    page_phashes=list(e.phashes), number=e.number, doc_date=e.date,
                    requirements=list(e.requirements), counted_at=now,
                ))

    def dossier_entries(self, dossier_id: str) -> list[EvidenceRecord]:
        with session_scope(self.engine) as s:
            return list(s.execute(select(EvidenceRecord).where(EvidenceRecord.dossier_id == dossier_id)
                                  .order_by(EvidenceRecord.id)).scalars())
