"""The evidence ledger: documents already counted in a dossier, so that each is reviewed once.

A row per counted document (SHA-256, per-page perceptual hashes, number and date) and the dossier and
teacher it was counted for. Matching asks :meth:`SqlLedger.find` whether a new document is the same
file or the same scan re-photographed as one counted elsewhere; a build records its counted documents
with :meth:`SqlLedger.record` (replacing the dossier's earlier rows, so rebuilding is idempotent).
:class:`MemoryLedger` has the same interface for tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import JSON, DateTime, Engine, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, session_scope
from service.dossier.matching import (
    PHASH_MAX_DISTANCE,
    LedgerHit,
    MatchResult,
    Teacher,
    same_scan,
)
from verification.report import Report

__all__ = ["EvidenceRecord", "LedgerEntry", "MemoryLedger", "SqlLedger", "entries_from_match"]


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


@dataclass(frozen=True)
class LedgerEntry:
    file: str
    sha256: str
    phashes: tuple[str, ...]
    number: str | None
    date: str | None
    requirements: tuple[str, ...]


def entries_from_match(match: MatchResult, reports: Mapping[str, Report]) -> list[LedgerEntry]:
    """The ledger rows of a match: its counted, non-duplicate documents."""
    out = []
    for d in match.counted_documents():
        report = reports[d.name]
        number = report.fields.get("number")
        out.append(LedgerEntry(
            file=d.name,
            sha256=d.sha256,
            phashes=tuple(report.perceptual_hashes),
            number=None if number is None or number.value is None else str(number.value),
            date=d.date.isoformat() if d.date else None,
            requirements=d.counted_for,
        ))
    return out


def _other_document(number: str | None, date: str | None, row_number: str | None, row_date: str | None) -> bool:
    # one template, two documents: a different number or date is a different document
    return bool((number and row_number and str(number) != row_number) or
                (date and row_date and str(date)[:10] != row_date))


class MemoryLedger:
    """The ledger in memory (tests, benchmarks, one-off CLI builds)."""

    def __init__(self, max_distance: int = PHASH_MAX_DISTANCE) -> None:
        self.rows: list[tuple[str, str, str, LedgerEntry]] = []  # dossier_id, profile, teacher, entry
        self.max_distance = max_distance

    def find(self, sha256: str, phashes: Sequence[str], *, exclude_dossier: str,
             number: str | None = None, date: str | None = None) -> LedgerHit | None:
        for dossier_id, _, teacher, e in self.rows:
            if dossier_id != exclude_dossier and sha256 and e.sha256 == sha256:
                return LedgerHit(dossier_id, teacher, e.file, "sha256")
        for dossier_id, _, teacher, e in self.rows:
            if dossier_id == exclude_dossier or _other_document(number, date, e.number, e.date):
                continue
            dist = same_scan(phashes, e.phashes, self.max_distance)
            if dist is not None:
                return LedgerHit(dossier_id, teacher, e.file, "perceptual", dist)
        return None

    def record(self, dossier_id: str, profile: str, teacher: Teacher, entries: Sequence[LedgerEntry]) -> None:
        self.rows = [r for r in self.rows if r[0] != dossier_id]
        self.rows += [(dossier_id, profile, teacher.full_name, e) for e in entries]


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
            if _other_document(number, date, row_number, row_date):
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
