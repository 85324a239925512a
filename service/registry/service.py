"""The registry's service API: issue a number and id, record issued files, look documents up.

``issue`` and ``record_file`` work in the caller's transaction when handed its session (``db``: the web
path, one commit per request) and in a transaction of their own otherwise (the command line and the
batch job; with ``find_issued`` and ``void`` this module is the generation engine's ``Numbering``).
Only those own-transaction writes migrate the registry's tables in when missing (:func:`ensure_schema`,
a command's start-up on a fresh data folder); a request never migrates: ``attest serve`` and
``attest worker`` upgrade the database when they start.

Registration numbers read ``{ORG}-{KIND CODE}-{YEAR}-{NNNNN}`` (e.g. ``MC-KRG-ORD-2024-00084``); the
sequence is per organisation, kind and year and never repeats. Document ids are 22 characters of
``secrets.token_urlsafe(16)``: unguessable, safe in a URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service.accounts.models import Organisation
from service.db import get_engine, session_scope, upgrade
from service.registry import repository as repo
from service.registry.models import RegistryDocument
from service.settings import get_settings
from verification.kinds import KINDS
from verification.pipeline import RegistryRecord, VerifyOptions, verify_file

__all__ = [
    "KIND_CODES",
    "PUBLIC_RESULTS",
    "IssuedNumber",
    "PublicCheck",
    "PublicRecord",
    "RegistryEntry",
    "count_entries",
    "ensure_schema",
    "find_issued",
    "get_entry",
    "issue",
    "list_entries",
    "lookup_record",
    "mask_person",
    "public_check_file",
    "public_check_id",
    "public_record",
    "record_file",
    "verify_options",
    "void",
]

KIND_CODES = {k.id: k.registry_code for k in KINDS if k.registry_code}
"""The kind's part of a registration number, from the kinds table."""


@dataclass(frozen=True)
class IssuedNumber:
    document_id: str
    registration_number: str
    sequence: int
    year: int


@dataclass(frozen=True)
class RegistryEntry:
    """A row of the web registry."""

    document_id: str
    registration_number: str
    organization: str
    kind: str
    lang: str
    title: str
    status: str
    issued_at: dt.datetime
    content_sha256: str
    file_sha256s: tuple[str, ...]


_SCHEMA_READY: set[str] = set()
_SCHEMA_LOCK = threading.Lock()


def _engine(engine: Engine | None) -> Engine:
    """The given engine, or the default one (keyed by URL: it follows the settings)."""
    return engine if engine is not None else get_engine(get_settings().effective_database_url)


def ensure_schema(engine: Engine | None = None) -> Engine:
    """The default engine (or the given one), with the registry tables migrated in if missing."""
    eng = _engine(engine)
    key = str(eng.url)
    if key in _SCHEMA_READY:
        return eng
    with _SCHEMA_LOCK:
        if key not in _SCHEMA_READY:
            if not inspect(eng).has_table("registry_documents"):
                upgrade(eng.url.render_as_string(hide_password=False))
            _SCHEMA_READY.add(key)
    return eng


def format_number(organization: str, kind: str, year: int, sequence: int) -> str:
    return f"{organization}-{KIND_CODES.get(kind, kind[:3].upper())}-{year}-{sequence:05d}"


def issue(*, organization: str, kind: str, lang: str, content_sha256: str, title: str = "",
          year: int | None = None, db: Session | None = None, engine: Engine | None = None) -> IssuedNumber:
    """Gives the next number of (organisation, kind, year) and records the document, atomically.

    In ``db``'s transaction when given: the number is the caller's until it commits, and a rollback
    gives it back (nothing was issued). Otherwise in a transaction of its own."""
    if db is None:
        with session_scope(ensure_schema(engine)) as session:
            return issue(organization=organization, kind=kind, lang=lang, content_sha256=content_sha256,
                         title=title, year=year, db=session)
    year = year or dt.date.today().year
    document_id = secrets.token_urlsafe(16)
    seq = repo.next_sequence(db, organization, kind, year)
    number = format_number(organization, kind, year, seq)
    repo.add_document(db, RegistryDocument(
        id=document_id, registration_number=number, organization=organization, kind=kind, lang=lang,
        year=year, sequence=seq, content_sha256=content_sha256, title=title[:500], status="issued",
    ))
    return IssuedNumber(document_id, number, seq, year)


def find_issued(*, organization: str, kind: str, lang: str, content_sha256: str, year: int | None = None,
                engine: Engine | None = None) -> IssuedNumber | None:
    """The number already issued (and not voided) for exactly this content, if any: a batch run again
    after it was interrupted gives each row the number it got before instead of a second one."""
    eng = ensure_schema(engine)
    year = year or dt.date.today().year
    with session_scope(eng) as session:
        doc = repo.find_by_content(session, organization, kind, year, lang, content_sha256)
        return IssuedNumber(doc.id, doc.registration_number, doc.sequence, doc.year) if doc is not None else None


def record_file(document_id: str, sha256: str, media_type: str, role: str, *, db: Session | None = None,
                engine: Engine | None = None) -> None:
    """Records a file issued for the document (in ``db``'s transaction when given); recording it twice is a no-op."""
    if db is not None:
        repo.add_file(db, document_id, sha256, media_type, role)
        return
    with session_scope(ensure_schema(engine)) as session:
        repo.add_file(session, document_id, sha256, media_type, role)


def void(document_id: str, *, engine: Engine | None = None) -> None:
    """Marks a number whose document could not be produced; the number is not given again."""
    with session_scope(ensure_schema(engine)) as session:
        doc = repo.get_document(session, document_id)
        if doc is not None:
            doc.status = "void"


def _entry(doc: RegistryDocument) -> RegistryEntry:
    return RegistryEntry(doc.id, doc.registration_number, doc.organization, doc.kind, doc.lang, doc.title,
                         doc.status, doc.issued_at, doc.content_sha256, tuple(f.sha256 for f in doc.files))


def lookup_record(document_id: str, *, engine: Engine | None = None) -> RegistryRecord | None:
    """What verification needs to tell "issued here and unchanged" from "altered" (QR id lookup)."""
    with session_scope(_engine(engine)) as session:
        doc = repo.get_document(session, document_id)
        if doc is None or doc.status != "issued":
            return None
        issued = doc.issued_at if doc.issued_at.tzinfo else doc.issued_at.replace(tzinfo=dt.UTC)
        return RegistryRecord(
            document_id=doc.id, registration_number=doc.registration_number, kind=doc.kind,
            issued_at=issued.isoformat(), file_sha256s=frozenset(f.sha256 for f in doc.files),
            content_sha256=doc.content_sha256,
        )


def get_entry(document_id: str, *, engine: Engine | None = None) -> RegistryEntry | None:
    with session_scope(_engine(engine)) as session:
        doc = repo.get_document(session, document_id)
        return None if doc is None else _entry(doc)


def list_entries(*, organization: str | None = None, kind: str | None = None, search: str | None = None,
                 limit: int = 50, offset: int = 0, engine: Engine | None = None) -> list[RegistryEntry]:
    """Newest first; for the web registry page."""
    with session_scope(_engine(engine)) as session:
        docs = repo.list_documents(session, organization=organization, kind=kind, search=search,
                                   limit=min(max(limit, 1), 500), offset=max(offset, 0))
        return [_entry(d) for d in docs]


def count_entries(*, organization: str | None = None, kind: str | None = None, search: str | None = None,
                  engine: Engine | None = None) -> int:
    with session_scope(_engine(engine)) as session:
        return repo.count_documents(session, organization=organization, kind=kind, search=search)


def verify_options(settings: Any = None, **overrides: Any) -> VerifyOptions:
    """The options this service verifies a file with: the configured trust roots and CRLs, online
    revocation as configured, and this registry's QR lookup; ``overrides`` set the per-file rest
    (detached signature, expected teacher, kind, period, language, limits)."""
    settings = settings or get_settings()
    base: dict[str, Any] = {
        "trust": (Path(settings.trust_dir),) if settings.trust_dir else (),
        "allow_fetching": settings.allow_online_revocation,
        "registry_lookup": lookup_record,
    }
    return VerifyOptions(**{**base, **overrides})


# ------------------------------------------------------------------------------------ public check

PUBLIC_RESULTS = ("issued_unchanged", "issued", "picture", "altered", "qr_invalid", "no_qr", "unknown")
"""What the public check answers:

- ``issued_unchanged``: the file is byte for byte one the registry issued;
- ``issued``: a document with this QR id was issued (the id alone was checked);
- ``picture``: a scan or photo (or a scanned PDF) of an issued document: a picture can never match the
  issued file's SHA-256, which is not tampering; the record is shown to compare the paper with;
- ``altered``: a born-digital file whose bytes differ from every file issued for the document;
- ``qr_invalid``: the QR code is the service's, but its id is not in the registry or its content
  hash is not the registered one (a forged or transplanted code);
- ``no_qr``: a file without a readable QR code of this service (type the id in instead);
- ``unknown``: an id that is not in the registry.
"""

_NAME_WORD = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі'-]+$")


def mask_person(title: str) -> str:
    """«Жумабаева Айгерим Сериковна» → «Жумабаева А. С.»: enough to compare with the paper, not the full
    name of a private person on a public page. A title that is not a person's name is kept as it is."""
    words = title.split()
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words):
        return title
    return " ".join([words[0], *(f"{w[0]}." for w in words[1:])])


@dataclass(frozen=True)
class PublicRecord:
    """What the public check shows of an issued document, to compare with the paper in hand."""

    kind: str
    registration_number: str
    issued_on: dt.date
    issuer: str
    holder: str  # the person (masked, :func:`mask_person`) or the subject the document is about

    def to_dict(self) -> dict[str, Any]:
        from verification.kinds import titles

        return {"kind": self.kind, "kind_titles": titles(self.kind), "registration_number": self.registration_number,
                "issued_on": self.issued_on.isoformat(), "issuer": self.issuer, "holder": self.holder}


@dataclass(frozen=True)
class PublicCheck:
    """The answer of the public check: one of :data:`PUBLIC_RESULTS` and, for an issued document, its record."""

    result: str
    record: PublicRecord | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"result": self.result, "record": self.record.to_dict() if self.record else None}


def public_record(document_id: str, *, engine: Engine | None = None) -> PublicRecord | None:
    """The issued (not voided) document's record for the public check; None for an unknown id."""
    if len(document_id) > 128:
        return None
    with session_scope(_engine(engine)) as session:
        doc = repo.get_document(session, document_id)
        if doc is None or doc.status != "issued":
            return None
        issuer = session.scalar(select(Organisation.name).where(Organisation.code == doc.organization))
        issued = doc.issued_at if doc.issued_at.tzinfo else doc.issued_at.replace(tzinfo=dt.UTC)
        return PublicRecord(doc.kind, doc.registration_number, issued.date(), issuer or doc.organization,
                            mask_person(doc.title) if doc.title else "—")


def _safe(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except SQLAlchemyError:  # a broken registry answers "unknown", never an error page
        return None


def public_check_id(document_id: str, content_sha256: str | None = None) -> PublicCheck:
    """By the QR id (and the QR's content hash ``h`` when the link carries it)."""
    record = _safe(public_record, document_id)
    if record is None:
        return PublicCheck("unknown")
    if content_sha256:
        full = _safe(lookup_record, document_id)
        if full is not None and full.content_sha256 and full.content_sha256.lower() != content_sha256.lower():
            return PublicCheck("qr_invalid")
    return PublicCheck("issued", record)


def public_check_file(path: Path, name: str, document_id: str | None = None) -> PublicCheck:
    """By the file: its bytes against the issued files, and its QR code against the registry.

    The file is verified with this registry's QR lookup: the scan step tells a born-digital PDF from a
    picture (an image, or a PDF of scanned pages) and so an altered file from a photo of a genuine paper.
    """
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    def lookup(doc_id: str) -> RegistryRecord | None:
        return _safe(lookup_record, doc_id) if len(doc_id) <= 128 else None

    if document_id:
        record = lookup(document_id)
        if record is None:
            return PublicCheck("unknown")
        if digest in record.file_sha256s:
            return PublicCheck("issued_unchanged", _safe(public_record, document_id))
    report = verify_file(path, VerifyOptions(time_budget_s=30.0, workers=1, registry_lookup=lookup), name=name)
    ours = [q for q in report.qr_codes if q.document_id and (document_id is None or q.document_id == document_id)]
    order = {"issued_unchanged": 0, "issued_altered": 1, "qr_mismatch": 2, "issued_here": 3, "unknown_id": 4}
    ours.sort(key=lambda q: order.get(q.registry_status or "", 9))
    for q in ours:
        assert q.document_id is not None
        status = q.registry_status
        if status in ("unknown_id", "qr_mismatch"):
            return PublicCheck("qr_invalid")
        if status in ("issued_unchanged", "issued_altered", "issued_here"):
            result = {"issued_unchanged": "issued_unchanged", "issued_altered": "altered",
                      "issued_here": "picture"}[status]
            return PublicCheck(result, _safe(public_record, q.document_id))
    if document_id:  # the id typed in, no code of it readable in the file
        born_digital = report.media_type == "application/pdf" and report.text_source == "text_layer"
        return PublicCheck("altered" if born_digital else "picture", _safe(public_record, document_id))
    return PublicCheck("no_qr")
