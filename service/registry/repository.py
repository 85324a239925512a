"""SQL of the registry. Numbers come from an UPDATE … RETURNING on the sequence row, which takes the
row's write lock (PostgreSQL) or the database's write lock (SQLite), so two transactions can never
receive the same number; the insert of the document row happens in the same transaction."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.registry.models import RegistryDocument, RegistryFile, RegistrySequence

__all__ = [
    "add_document",
    "add_file",
    "count_documents",
    "find_by_content",
    "find_by_file_sha256",
    "get_document",
    "list_documents",
    "next_sequence",
]


def next_sequence(session: Session, organization: str, kind: str, year: int) -> int:
    dialect = session.get_bind().dialect.name
    values = {"organization": organization, "kind": kind, "year": year, "last_value": 0}
    if dialect == "postgresql":
        session.execute(pg_insert(RegistrySequence).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite_insert(RegistrySequence).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - other databases: plain insert if missing
        if session.get(RegistrySequence, (organization, kind, year)) is None:
            session.add(RegistrySequence(**values))
            session.flush()
    stmt = (
        update(RegistrySequence)
        .where(RegistrySequence.organization == organization, RegistrySequence.kind == kind,
               RegistrySequence.year == year)
        .values(last_value=RegistrySequence.last_value + 1)
        .returning(RegistrySequence.last_value)
    )
    return int(session.execute(stmt).scalar_one())


def add_document(session: Session, doc: RegistryDocument) -> RegistryDocument:
    session.add(doc)
    session.flush()
    return doc


def add_file(session: Session, document_id: str, sha256: str, media_type: str, role: str) -> None:
    exists = session.execute(
        select(RegistryFile.id).where(RegistryFile.document_id == document_id, RegistryFile.sha256 == sha256)
    ).first()
    if exists is None:
        session.add(RegistryFile(document_id=document_id, sha256=sha256, media_type=media_type, role=role))
        session.flush()


def find_by_content(session: Session, organization: str, kind: str, year: int, lang: str,
                    content_sha256: str) -> RegistryDocument | None:
    """The earliest live (not void) document issued for exactly this content."""
    stmt = (select(RegistryDocument)
            .where(RegistryDocument.organization == organization, RegistryDocument.kind == kind,
                   RegistryDocument.year == year, RegistryDocument.lang == lang,
                   RegistryDocument.content_sha256 == content_sha256, RegistryDocument.status == "issued")
            .order_by(RegistryDocument.sequence).limit(1))
    return session.execute(stmt).scalars().first()


def get_document(session: Session, document_id: str) -> RegistryDocument | None:
    return session.get(RegistryDocument, document_id)


def _filtered(stmt, organization: str | None, kind: str | None, search: str | None):  # type: ignore[no-untyped-def]
    if organization:
        stmt = stmt.where(RegistryDocument.organization == organization)
    if kind:
        stmt = stmt.where(RegistryDocument.kind == kind)
    if search:
        like = f"%{search}%"
        stmt = stmt.where(RegistryDocument.title.ilike(like) | RegistryDocument.registration_number.ilike(like))
    return stmt


def list_documents(session: Session, *, organization: str | None = None, kind: str | None = None,
                   search: str | None = None, limit: int = 50, offset: int = 0) -> list[RegistryDocument]:
    stmt = _filtered(select(RegistryDocument), organization, kind, search)
    stmt = stmt.order_by(RegistryDocument.issued_at.desc(), RegistryDocument.registration_number.desc())
    return list(session.execute(stmt.limit(limit).offset(offset)).scalars())


def count_documents(session: Session, *, organization: str | None = None, kind: str | None = None,
                    search: str | None = None) -> int:
    stmt = _filtered(select(func.count()).select_from(RegistryDocument), organization, kind, search)
    return int(session.execute(stmt).scalar_one())


def find_by_file_sha256(session: Session, sha256: str) -> RegistryDocument | None:
    stmt = select(RegistryDocument).join(RegistryFile).where(RegistryFile.sha256 == sha256).limit(1)
    return session.execute(stmt).scalars().first()
