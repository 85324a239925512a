"""Documents the service issues: one from a form (stored, downloadable), a batch from a participants'
table (a job that yields a ZIP), the registry of issued documents, and the public check.

Service functions over the generation and registry engines (imported lazily: they may be absent in a
checkout, then the functions raise ConversionFailed/NotFound with a clear message).
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.accounts.models import Organisation
from service.accounts.service import Principal
from service.audit import service as audit
from service.errors import AttestError, BadInput, ConversionFailed, UnsupportedMediaType
from service.jobs.models import Job
from service.jobs.service import enqueue
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import TABLE_TYPES, ReceivedForm, store_file, store_path

__all__ = [
    "KINDS",
    "PublicCheck",
    "generate",
    "public_check_file",
    "public_check_id",
    "registry_list",
    "registry_lookup",
    "start_batch",
]

from verification.kinds import GENERATED_KINDS as KINDS  # the kinds the product generates

_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _generation() -> Any:
    try:
        from service.generation import service as generation
    except ImportError as exc:
        raise ConversionFailed("document generation is not installed on this server") from exc
    return generation


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
    """Generate one document, store it and return its file row and what the registry assigned."""
    if kind not in KINDS:
        raise BadInput(f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}", details={"field": "kind"})
    org = db.get(Organisation, principal.organisation_id)
    generation = _generation()
    try:
        doc = generation.generate_document(kind, data, lang, fmt, sign=sign, pdfa=pdfa, register=register,
                                           organization=org.code if org else None)
    except AttestError:
        raise
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    content = getattr(doc, "data", None) or getattr(doc, "content", None)
    path = getattr(doc, "path", None)
    info = {k: v for k, v in (_asdict(doc)).items() if isinstance(v, (str, int, float, bool, type(None)))}
    filename = getattr(doc, "filename", None) or f"{kind}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="attest-gen-") as tmp:
        if content is None:
            if path is None:
                raise ConversionFailed("the generator returned no document")
            src = Path(path)
        else:
            src = Path(tmp) / "doc"
            src.write_bytes(content)
        record = store_path(db, src, filename, getattr(doc, "media_type", None) or _MEDIA[fmt],
                            owner_user_id=principal.id, organisation_id=principal.organisation_id,
                            purpose=FilePurpose.GENERATED)
    record.registry_document_id = info.get("document_id")
    audit.record(db, "document.generate", actor=principal.user, object_type="file", object_id=record.id,
                 kind=kind, lang=lang, fmt=fmt, document_id=record.registry_document_id, registered=register)
    return record, info


def _asdict(obj: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if hasattr(obj, "model_dump"):
        return dict(obj.model_dump())
    return dict(getattr(obj, "__dict__", {}))


def start_batch(db: Session, principal: Principal, form: ReceivedForm) -> Job:
    """Store the participants' table (CSV/XLSX) and start a batch job that produces a ZIP."""
    kind = form.fields.get("kind", "certificate")
    lang = form.fields.get("lang", "ru")
    fmt = form.fields.get("format", "pdf")
    if kind not in KINDS:
        raise BadInput(f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}", details={"field": "kind"})
    if lang not in ("ru", "kk"):
        raise BadInput("lang must be 'ru' or 'kk'", details={"field": "lang"})
    if fmt not in _MEDIA:
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
    org = db.get(Organisation, principal.organisation_id)
    job = enqueue(db, "generate_batch", {"rows_file_id": rows.id, "kind": kind, "lang": lang, "fmt": fmt,
                                         "organization": org.code if org else None}, owner=principal.user)
    rows.job_id = job.id
    audit.record(db, "document.batch", actor=principal.user, object_type="job", object_id=job.id, kind=kind)
    return job


def _registry() -> Any:
    try:
        from service.registry import service as registry
    except ImportError:
        return None
    return registry


def _record_dict(record: Any) -> dict[str, Any]:
    data = _asdict(record)
    return {k: (sorted(v) if isinstance(v, (set, frozenset)) else v) for k, v in data.items()}


def registry_list(principal: Principal, db: Session, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    registry = _registry()
    if registry is None:
        return []
    org = db.get(Organisation, principal.organisation_id)
    for name in ("list_entries", "list_records", "list_documents"):
        fn = getattr(registry, name, None)
        if fn is not None:
            try:
                records = fn(organization=org.code if org else None, limit=limit, offset=offset)
            except TypeError:
                records = fn()
            return [_record_dict(r) for r in records]
    return []


def registry_lookup(document_id: str) -> Any:
    registry = _registry()
    if registry is None or len(document_id) > 128:
        return None
    try:
        return registry.lookup_record(document_id)
    except Exception:  # noqa: BLE001  (a broken registry answers "unknown")
        return None


@dataclasses.dataclass(frozen=True)
class PublicCheck:
    """What a public check may say, and nothing else."""

    result: str  # "issued_unchanged" | "issued" | "altered" | "unknown"

    def to_dict(self) -> dict[str, str]:
        return {"result": self.result}


def public_check_id(document_id: str) -> PublicCheck:
    return PublicCheck("issued" if registry_lookup(document_id) is not None else "unknown")


def public_check_file(path: Path, name: str, document_id: str | None = None) -> PublicCheck:
    """Issued here and unchanged (the bytes are ones the registry issued), altered (the QR names an
    issued document but the bytes differ), or unknown."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ids = [document_id] if document_id else []
    if not ids:
        from verification.pipeline import VerifyOptions, verify_file

        report = verify_file(path, VerifyOptions(time_budget_s=30.0, workers=1), name=name)
        ids = [q.document_id for q in report.qr_codes if getattr(q, "document_id", None)]
    for doc_id in ids:
        record = registry_lookup(doc_id)
        if record is None:
            continue
        issued = set(getattr(record, "file_sha256s", ()) or ())
        return PublicCheck("issued_unchanged" if digest in issued else "altered")
    return PublicCheck("unknown")
