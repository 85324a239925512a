"""The evidence ledger's engine side: what a counted document leaves behind, and a ledger in memory.

A row per counted document (SHA-256, per-page perceptual hashes, number and date) and the dossier and
teacher it was counted for. Matching asks a ledger (:class:`service.attestation.matching.LedgerLookup`)
whether a new document is the same file or the same scan re-photographed as one counted elsewhere; a
build records its counted documents (replacing the dossier's earlier rows, so rebuilding is idempotent).
:class:`MemoryLedger` serves tests, benchmarks and one-off builds; the service's database ledger is
:class:`service.dossier.ledger.SqlLedger`, with the same interface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from service.attestation.matching import (
    PHASH_MAX_DISTANCE,
    LedgerHit,
    MatchResult,
    Teacher,
    same_scan,
)
from verification.report import Report

__all__ = ["LedgerEntry", "MemoryLedger", "entries_from_match", "other_document"]


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


def other_document(number: str | None, date: str | None, row_number: str | None, row_date: str | None) -> bool:
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
            if dossier_id == exclude_dossier or other_document(number, date, e.number, e.date):
                continue
            dist = same_scan(phashes, e.phashes, self.max_distance)
            if dist is not None:
                return LedgerHit(dossier_id, teacher, e.file, "perceptual", dist)
        return None

    def record(self, dossier_id: str, profile: str, teacher: Teacher, entries: Sequence[LedgerEntry]) -> None:
        self.rows = [r for r in self.rows if r[0] != dossier_id]
        self.rows += [(dossier_id, profile, teacher.full_name, e) for e in entries]
