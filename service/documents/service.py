"""Documents the service issues: one from a form (stored, downloadable), a batch from a participants'
table (a job that yields a ZIP), the registry of issued documents, and the public check.

:func:`generate` is the web and API path, all in the request's session and committed once by the
caller: the data is checked once, the registry gives the number and id, the generation engine renders
the document with them (a registered one in both formats, DOCX and PDF, from one rendering: the same
number and QR code), the registry records the issued files, the files are stored, the audit log notes
it; :func:`issued_file` gives any of them again to the organisation's secretaries. A failure before the commit leaves nothing behind (the number is not taken).
:func:`generate_document` and :func:`generate_batch` are the command line's path: transactions of
their own, so a batch row's number survives an interrupted run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service.accounts.models import Organisation
from service.accounts.permissions import Permission, permits
from service.accounts.service import Principal
from service.audit import service as audit
from service.db import session_scope
from service.errors import BadInput, NotFound, UnsupportedMediaType
from service.generation import service as generation
from service.generation.schemas import example_data
from service.jobs.models import Job
from service.jobs.service import enqueue
from service.reference import service as reference
from service.registry import service as registry
from service.registry.service import RegistryEntry
from service.signing import PadesSigner, signer_from_settings
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import TABLE_TYPES, ReceivedForm, store_file, store_path
from verification.kinds import GENERATED_KINDS as KINDS  # the kinds the product generates
from verification.pipeline import RegistryRecord

__all__ = [
    "KINDS",
    "PublicCheck",
    "entry_dict",
    "generate",
    "generate_batch",
    "generate_document",
    "in_language",
    "issued_file",
    "issued_formats",
    "issuer",
    "public_check_file",
    "public_check_id",
    "record_dict",
    "registry_list",
    "registry_lookup",
    "sample_data",
    "start_batch",
]


def _signer() -> PadesSigner:
    """The organisation's key, or BadInput naming the setting."""
    signer = signer_from_settings()
    if signer is None:
        raise BadInput("signing needs the organisation's key: set ATTEST_ORGANISATION_P12 (and "
                       "ATTEST_ORGANISATION_P12_PASSWORD)", details=[{"field": "sign", "message": "no key configured"}])
    return signer


def _organisation_code(db: Session, principal: Principal) -> str | None:
    org = db.get(Organisation, principal.organisation_id)
    return org.code if org else None


def issuer(db: Session, principal: Principal, lang: str) -> dict[str, Any] | None:
    """The letterhead the principal's documents carry in ``lang``: their own organisation's, always
    (:func:`service.reference.service.letterhead`); None for an account without an organisation."""
    org = db.get(Organisation, principal.organisation_id)
    return reference.letterhead(org, "kk" if lang == "kk" else "ru") if org is not None else None


_SIGNATORIES = {"chair": "chair", "head": "chair", "approver": "chair", "secretary": "secretary"}
"""A sample's signatory field → the council role of the member who signs it."""
_PLACES = ("place", "event_place")
_COUNCIL_MEETINGS = ("protocol", "protocol_extract")
"""Kinds whose council is the meeting's («заседания учебно-методического совета при …», the stored
name's case); an expert conclusion names the council that examined the work in its own words."""


def sample_data(db: Session, principal: Principal, kind: str, lang: str) -> dict[str, Any]:
    """The form's «fill with a sample»: the kind's example (``service/generation/examples``) as the
    principal's own organisation would issue it in ``lang``: its letterhead, its council's name, its
    council members as signatories, its districts as the places of a programme, its city as the place
    of an event. No number: the registry gives it. Example people stay (they are the sample)."""
    lang = "kk" if lang == "kk" else "ru"
    try:
        data = example_data(kind, lang)
    except (OSError, ValueError):
        return {}
    org = db.get(Organisation, principal.organisation_id)
    if org is None:
        return data
    data.pop("number", None)
    head = reference.letterhead(org, lang)
    data = generation.with_issuer(data, head)
    if not head.get("city"):
        data["organization"].pop("city", None)  # to be typed: another organisation's city is no sample
    city = head.get("city")
    for key in _PLACES:
        if key in data and city:
            data[key] = city
    council = reference.council_name(org, lang)
    if council and kind in _COUNCIL_MEETINGS:
        data["council"] = council
    data = _relocated(data, _sample_places(db, org, lang, council))
    members = reference.list_reference(db, "council-members", org.id)
    by_role = {m.council_role: m for m in reversed(members)}
    for key, role in _SIGNATORIES.items():
        member = by_role.get(role)
        if member is not None and isinstance(data.get(key), dict):
            data[key] = {**data[key], "full_name": member.full_name,
                         "position": reference.member_position(member, lang) or data[key].get("position")}
    if kind == "transmission_program":
        districts = reference.list_reference(db, "districts", org.id)
        names = [d.name_kk if lang == "kk" else d.name_ru for d in districts]
        if len(names) >= 3 and data.get("level") != "region":
            for i, event in enumerate(data.get("events", [])):
                event["location"] = names[i % len(names)]
    if kind == "regional_plan" and org.region_id is not None:
        regions = {r.id: r for r in reference.list_reference(db, "regions", org.id)}
        region = regions.get(org.region_id)
        if region is not None:
            data["region"] = region.name_kk if lang == "kk" else region.name_ru
    return data


_EXAMPLE_REGION = {"ru": ("Карагандинская область", "Карагандинской области"),
                   "kk": ("Қарағанды облысы", "Қарағанды облысының")}
_EXAMPLE_CITY = {"ru": ("г. Караганда",), "kk": ("Қарағанды қ.",)}
"""The examples are written for a Karaganda organisation: their region and city, as they appear in the
text (nominative, genitive), are replaced by the own organisation's in a sample."""


def _sample_places(db: Session, org: Organisation, lang: str, council: str) -> list[tuple[str, str]]:
    """(example text, own text) pairs for a sample: the example's council, region and city."""
    pairs: list[tuple[str, str]] = []
    if council:
        with contextlib.suppress(OSError, ValueError, KeyError):
            pairs.append((example_data("protocol", lang)["council"], council))
    region = None
    if org.region_id is not None:
        region = next((r for r in reference.list_reference(db, "regions", org.id) if r.id == org.region_id), None)
    if region is not None:
        nominative = region.name_kk if lang == "kk" else region.name_ru
        if lang == "kk":
            genitive = nominative + "ның" if nominative.endswith("облысы") else nominative
        else:
            genitive = re.sub(r"ая область$", "ой области", nominative)
        pairs += [(_EXAMPLE_REGION[lang][1], genitive), (_EXAMPLE_REGION[lang][0], nominative)]
    city = reference.letterhead(org, lang).get("city")
    if city:
        pairs += [(c, city) for c in _EXAMPLE_CITY[lang]]
    return pairs


def _relocated(value: Any, pairs: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _relocated(v, pairs) for k, v in value.items()}
    if isinstance(value, list):
        return [_relocated(v, pairs) for v in value]
    return value


def in_language(db: Session, principal: Principal, data: Any, lang: str) -> Any:
    """The data with what the reference data names in both languages put in ``lang``: the council's name,
    council members' positions, the organisation's city (a form filled in Kazakh and issued in Russian
    gets the Russian council name and positions, and the other way round). Other text stays as typed."""
    org = db.get(Organisation, principal.organisation_id)
    if org is None or not isinstance(data, dict):
        return data
    lang = "kk" if lang == "kk" else "ru"
    out = dict(data)
    council = reference.council_name(org, lang)
    if council and out.get("council") in {reference.council_name(org, lng) for lng in ("ru", "kk")}:
        out["council"] = council
    city = reference.letterhead(org, lang).get("city")
    cities = {reference.letterhead(org, lng).get("city") for lng in ("ru", "kk")} - {None}
    for key in _PLACES:
        if city and out.get(key) in cities:
            out[key] = city
    positions: dict[str, str] = {}
    for m in reference.list_reference(db, "council-members", org.id):
        for lng in ("ru", "kk"):
            positions.setdefault(f"{m.full_name}\n{reference.member_position(m, lng)}", reference.member_position(m, lang))

    def signatory(value: Any) -> Any:
        if isinstance(value, dict) and "position" in value:
            found = positions.get(f"{value.get('full_name')}\n{value.get('position')}")
            return {**value, "position": found} if found else value
        return value

    for key, value in out.items():
        if isinstance(value, list):
            out[key] = [signatory(v) for v in value]
        elif isinstance(value, dict) and key != "organization":
            out[key] = signatory(value)
    return out


def _info(doc: generation.GeneratedDocument) -> dict[str, Any]:
    """What the API answers under ``registry`` for a generated document."""
    return {"document_id": doc.document_id, "registration_number": doc.registration_number, "kind": doc.kind,
            "lang": doc.lang, "filename": doc.filename, "sha256": doc.sha256, "media_type": doc.media_type,
            "content_sha256": doc.content_sha256, "signed": doc.signed}


def generate(
    db: Session,
    principal: Principal,
    *,
    kind: str,
    data: dict[str, Any],
    lang: str,
    fmt: str,
    sign: bool = False,
    pdfa: bool = False,
    register: bool = True,
) -> tuple[FileRecord, dict[str, Any]]:
    """Generate one document and return its file row and what the registry assigned; the file, its
    registry entry and the audit line are in ``db``'s transaction (the caller commits once). Raises
    BadInput (per-field ``details``) for bad data, ConversionFailed when LibreOffice is unavailable
    after a restart.

    The number itself is taken in a short transaction of its own before LibreOffice runs: holding the
    registry's sequence row (on SQLite: the whole database's write lock) through a conversion of a
    second or more would make every upload, login and job of the service wait behind it. A document
    that then cannot be produced leaves its number voided (never given again), as a batch row does."""
    if kind not in KINDS:
        raise BadInput(f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}", details={"field": "kind"})
    data = generation.with_issuer(in_language(db, principal, data, lang), issuer(db, principal, lang))
    try:
        model = generation.prepare(kind, data, lang, fmt, sign=sign)
    except ValueError as exc:  # pydantic's and the formatters' own, past the schema
        raise BadInput(str(exc)) from exc
    signer = _signer() if sign else None
    csha = generation.content_sha256(kind, lang, model)
    reg = None
    if register:
        with session_scope() as own:
            issued = registry.issue(organization=_organisation_code(db, principal) or model.organization.code,
                                    kind=kind, lang=lang, content_sha256=csha,
                                    title=generation.document_title(kind, model), year=model.date.year, db=own)
        reg = generation.registration(issued.document_id, issued.registration_number, issued.sequence, csha)
    # a registered document is issued in both formats from one rendering: the same number and QR code
    formats = (fmt, *(f for f in generation.MEDIA_TYPES if f != fmt)) if register else (fmt,)
    try:
        docs = generation.produce_formats(kind, lang, formats, model, reg, signer=signer, pdfa=pdfa, csha=csha)
    except Exception as exc:
        if reg is not None:
            registry.void(issued.document_id)
        if isinstance(exc, ValueError):
            raise BadInput(str(exc)) from exc
        raise
    records: dict[str, FileRecord] = {}
    for f, doc in docs.items():
        if doc.document_id is not None:
            registry.record_file(doc.document_id, doc.sha256, doc.media_type, doc.role, db=db)
        with tempfile.TemporaryDirectory(prefix="attest-gen-") as tmp:
            src = Path(tmp) / "doc"
            src.write_bytes(doc.content)
            records[f] = store_path(db, src, doc.filename, doc.media_type, owner_user_id=principal.id,
                                    organisation_id=principal.organisation_id, purpose=FilePurpose.GENERATED)
        records[f].registry_document_id = doc.document_id
    record, doc = records[fmt], docs[fmt]
    audit.record(db, "document.generate", actor=principal.user, object_type="file", object_id=record.id,
                 kind=kind, lang=lang, fmt=fmt, document_id=record.registry_document_id, registered=register,
                 files=[r.id for r in records.values()])
    info = _info(doc)
    info["files"] = {f: {"file_id": r.id, "filename": r.filename, "media_type": r.media_type, "size": r.size,
                         "sha256": r.sha256, "download_url": f"/api/v1/files/{r.id}"} for f, r in records.items()}
    return record, info


ISSUED_FORMATS = {"pdf": "application/pdf", "docx": generation.MEDIA_TYPES["docx"]}


def issued_formats(db: Session, document_ids: list[str]) -> dict[str, list[str]]:
    """The formats stored of each issued document («pdf», «docx»), for the registry's download links."""
    if not document_ids:
        return {}
    rows = db.execute(select(FileRecord.registry_document_id, FileRecord.media_type)
                      .where(FileRecord.registry_document_id.in_(document_ids),
                             FileRecord.purpose == FilePurpose.GENERATED)).all()
    by_type = {v: k for k, v in ISSUED_FORMATS.items()}
    out: dict[str, set[str]] = {}
    for doc_id, media_type in rows:
        if media_type in by_type:
            out.setdefault(doc_id, set()).add(by_type[media_type])
    return {k: sorted(v, key=list(ISSUED_FORMATS).index) for k, v in out.items()}


def issued_file(db: Session, principal: Principal, document_id: str, fmt: str) -> FileRecord:
    """The stored file of an issued document in ``fmt`` (pdf or docx), for its organisation's secretaries
    (and those who see everything); NotFound for an unknown id, another organisation's document, a voided
    one, or a format that was not issued."""
    if fmt not in ISSUED_FORMATS or len(document_id) > 128:
        raise NotFound("no such document file in the registry")
    entry = registry.get_entry(document_id)
    if entry is None or entry.status != "issued":
        raise NotFound("no such document file in the registry")
    if not permits(principal, Permission.SEE_ALL) and entry.organization != _organisation_code(db, principal):
        raise NotFound("no such document file in the registry")
    record = db.execute(select(FileRecord)
                        .where(FileRecord.registry_document_id == document_id,
                               FileRecord.purpose == FilePurpose.GENERATED,
                               FileRecord.media_type == ISSUED_FORMATS[fmt],
                               FileRecord.sha256.in_(entry.file_sha256s))
                        .order_by(FileRecord.created_at.desc()).limit(1)).scalars().first()
    if record is None:
        raise NotFound("no such document file in the registry")
    return record


def generate_document(kind: str, data: Any, lang: str = "ru", fmt: str = "pdf", *, sign: bool = False,
                      pdfa: bool = False, register: bool = True,
                      organization: str | None = None) -> generation.GeneratedDocument:
    """One document for the command line: numbered in transactions of its own (the registry's tables are
    migrated in on a fresh data folder), signed with the settings' key, not stored."""
    model = generation.prepare(kind, data, lang, fmt, sign=sign)
    signer = _signer() if sign else None
    if not register:
        return generation.produce(kind, lang, fmt, model, None, signer=signer, pdfa=pdfa)
    return generation.produce_registered(kind, lang, fmt, model, registry, organization=organization,
                                         signer=signer, pdfa=pdfa)


def generate_batch(kind: str, rows_path: Path, lang: str = "ru", fmt: str = "pdf", out_path: Path | None = None,
                   progress: Callable[[int], None] | None = None, *, pdfa: bool = False, register: bool = True,
                   organization: str | None = None, sign: bool = False) -> generation.BatchResult:
    """One document per row into a folder or a ``.zip`` (:func:`service.generation.service.generate_batch`),
    numbered by the registry in transactions of their own, PDFs signed with the settings' key."""
    return generation.generate_batch(kind, rows_path, lang, fmt, out_path, progress, pdfa=pdfa,
                                     numbering=registry if register else None, organization=organization,
                                     signer=_signer() if sign else None)


def start_batch(db: Session, principal: Principal, form: ReceivedForm) -> Job:
    """Store the participants' table (CSV/XLSX) and start a batch job that produces a ZIP."""
    kind = form.fields.get("kind", "certificate")
    lang = form.fields.get("lang", "ru")
    fmt = form.fields.get("format", "pdf")
    if kind not in KINDS:
        raise BadInput(f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}", details={"field": "kind"})
    if lang not in ("ru", "kk"):
        raise BadInput("lang must be 'ru' or 'kk'", details={"field": "lang"})
    if fmt not in generation.MEDIA_TYPES:
        raise BadInput("format must be 'pdf' or 'docx'", details={"field": "format"})
    if len(form.files) != 1:
        raise BadInput("attach exactly one participants' table (CSV or XLSX) in the 'file' field",
                       details={"field": "file"})
    incoming = form.files[0]
    if incoming.media_type not in TABLE_TYPES:
        raise UnsupportedMediaType(f"{incoming.filename} is not a CSV or XLSX table; save it as .xlsx or .csv",
                                   details={"file": incoming.filename, "detected": incoming.media_type})
    rows = store_file(db, incoming, owner_user_id=principal.id, organisation_id=principal.organisation_id,
                      purpose=FilePurpose.BATCH_ROWS)
    job = enqueue(db, "generate_batch", {"rows_file_id": rows.id, "kind": kind, "lang": lang, "fmt": fmt,
                                         "organization": _organisation_code(db, principal),
                                         "issuer": issuer(db, principal, lang)}, owner=principal.user)
    rows.job_id = job.id
    audit.record(db, "document.batch", actor=principal.user, object_type="job", object_id=job.id, kind=kind)
    return job


def entry_dict(entry: RegistryEntry) -> dict[str, Any]:
    """A row of the registry as the API answers it."""
    return dataclasses.asdict(entry)


def record_dict(record: RegistryRecord) -> dict[str, Any]:
    """A looked-up document as the API answers it (its issued files' hashes sorted)."""
    return {**dataclasses.asdict(record), "file_sha256s": sorted(record.file_sha256s)}


def registry_list(principal: Principal, db: Session, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """The documents the principal's organisation issued, newest first."""
    entries = registry.list_entries(organization=_organisation_code(db, principal), limit=limit, offset=offset)
    return [entry_dict(e) for e in entries]


def registry_lookup(document_id: str) -> RegistryRecord | None:
    """The issued (not voided) document of a QR id; None for an unknown id or an unreachable registry."""
    if len(document_id) > 128:
        return None
    try:
        return registry.lookup_record(document_id)
    except SQLAlchemyError:  # a broken registry answers "unknown"
        return None


# The public check belongs to the registry (what it issued and what a paper in hand is compared with).
PublicCheck = registry.PublicCheck
public_check_id = registry.public_check_id
public_check_file = registry.public_check_file
