"""Signing an issued document with the official's own key from the browser (NCALayer, CryptoPro, or a
signature made elsewhere and uploaded).

:func:`start` prepares the stored PDF (:mod:`service.signing.external`), keeps the prepared file in the
store and hands back what the signer must sign and a state token (HMAC with the settings' secret; no
table is needed between the two requests). :func:`complete` checks the returned CMS — it covers those
bytes, the signer's certificate verifies and chains to the trust store, and the signer fits the kind's
rule (:mod:`verification.signatures.signer_rule`: the signed-in official's own IIN) — then stores the
signed PDF, records it in the registry as the document's ``signed_pdf`` and writes the audit line. A
refused CMS stores nothing.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.accounts.service import Principal
from service.audit import service as audit
from service.errors import NotFound
from service.pii import mask_iin
from service.registry import service as registry
from service.settings import Settings
from service.signing.external import FinishedSignature, PreparedSignature, SignatureRefused, finish, prepare
from service.signing.state import read_token, sign_token
from service.storage import get_store
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import store_path

__all__ = ["SigningStart", "complete", "file_of_document", "mask_iin", "prepared_tbs", "signable_file", "start",
           "sweep_prepared"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SigningStart:
    token: str
    tbs: bytes
    iin: str | None
    kind: str | None
    bin: str = ""  # the own organisation's BIN when the kind's rule names an organisation (NCALayer signerParams)

    def to_dict(self, settings: Settings) -> dict[str, Any]:
        digest = hashlib.sha256(self.tbs).digest()
        return {"token": self.token, "data": base64.b64encode(self.tbs).decode(),
                "digest_sha256": base64.b64encode(digest).decode(), "iin": self.iin or "", "bin": self.bin,
                "kind": self.kind, "timeout_ms": int(settings.ncalayer_timeout_s * 1000)}


def signable_file(db: Session, principal: Principal, file_id: str) -> FileRecord:
    """A PDF the official's organisation issued (404 for anything else: no hint that it exists)."""
    record = db.get(FileRecord, file_id)
    if (record is None or record.organisation_id != principal.organisation_id
            or record.purpose != FilePurpose.GENERATED or record.media_type != "application/pdf"):
        raise NotFound(f"no document {file_id} to sign")
    return record


def file_of_document(db: Session, principal: Principal, document_id: str) -> FileRecord:
    """The newest PDF the official's organisation issued for a registry document (404 for none)."""
    from sqlalchemy import select

    rows = db.scalars(select(FileRecord).where(
        FileRecord.registry_document_id == document_id, FileRecord.organisation_id == principal.organisation_id,
        FileRecord.purpose == FilePurpose.GENERATED, FileRecord.media_type == "application/pdf",
    ).order_by(FileRecord.created_at.desc())).all()
    if not rows:
        raise NotFound(f"no PDF of document {document_id} to sign")
    return rows[0]


def _kind(record: FileRecord) -> str | None:
    if not record.registry_document_id:
        return None
    try:
        entry = registry.get_entry(record.registry_document_id)
    except Exception:  # noqa: BLE001 - an unreachable registry: the rule check has no kind then
        return None
    return entry.kind if entry is not None else None


def _read(sha256: str) -> bytes:
    with get_store().open(sha256) as f:
        return f.read()


def _put(data: bytes) -> str:
    """Store a prepared PDF and note when (a marker in the store's spool folder), so that
    :func:`sweep_prepared` removes it once no signing can finish any more."""
    store = get_store()
    with tempfile.TemporaryDirectory(prefix="attest-sign-") as tmp:
        path = Path(tmp) / "prepared.pdf"
        path.write_bytes(data)
        sha = store.put_file(path)
    marker = _prepared_dir(store) / sha
    marker.touch()
    os.utime(marker)  # the same bytes prepared again: the newest preparation counts
    return sha


def _prepared_dir(store: Any, *, create: bool = True) -> Path:
    folder = Path(store.spool_dir()) / "prepared"
    if create:  # only a preparation makes the folder: a sweep over a store nobody signed in leaves it as it was
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep_prepared(older_than_s: float | None = None) -> int:
    """Remove the PDFs prepared for signings that were abandoned or refused (or finished: the signed PDF is
    stored as its own file) once older than ``older_than_s`` (default ``prepared_signing_max_age_s``, a day:
    a signing token lasts far less). Bytes a file row or the registry refers to are never removed — only
    their marker. Returns how many files were removed from the store."""
    from sqlalchemy import exists, or_, select

    from service.db import session_scope
    from service.registry.models import RegistryFile
    from service.settings import get_settings

    limit = get_settings().prepared_signing_max_age_s if older_than_s is None else older_than_s
    store = get_store()
    folder = _prepared_dir(store, create=False)
    if not folder.is_dir():
        return 0
    now, removed = time.time(), 0
    for marker in folder.iterdir():
        try:
            if now - marker.stat().st_mtime <= limit:
                continue
        except OSError:  # swept by another process meanwhile
            continue
        sha = marker.name
        with session_scope() as db:
            referenced = db.scalar(select(or_(exists().where(FileRecord.sha256 == sha),
                                              exists().where(RegistryFile.sha256 == sha))))
        if not referenced and store.delete(sha):
            removed += 1
        marker.unlink(missing_ok=True)
    if removed:
        log.info("removed %d prepared PDF(s) of signings not finished", removed)
    return removed


def start(db: Session, principal: Principal, settings: Settings, file_id: str) -> SigningStart:
    """Prepare the document for the official's signature; nothing in the database changes."""
    record = signable_file(db, principal, file_id)
    user = principal.user
    label = user.full_name + (f" (ИИН {mask_iin(user.iin)})" if user.iin else "")
    prepared = prepare(_read(record.sha256), signer_label=label)
    sha = _put(prepared.pdf)
    token = sign_token(settings.secret_key, {**prepared.state(), "prepared_sha256": sha}, user=principal.id,
                       subject=f"file:{file_id}")
    kind = _kind(record)
    return SigningStart(token, prepared.tbs, user.iin, kind, _expected_bin(db, principal, kind))


def _expected_bin(db: Session, principal: Principal, kind: str | None) -> str:
    """The BIN the signer's certificate must carry: the own organisation's, when the kind's rule names an
    organisation (a personal key otherwise: no BIN) and the organisation's BIN is known."""
    from service.accounts.models import Organisation
    from verification.signatures.signer_rule import rule_for

    rule = rule_for(kind)
    org = db.get(Organisation, principal.organisation_id)
    return (org.bin or "") if rule is not None and rule.organisation and org is not None else ""


def prepared_tbs(principal: Principal, settings: Settings, file_id: str, token: str) -> bytes:
    """The bytes to sign of a started signing (for a signature made with another program)."""
    state = read_token(settings.secret_key, token, user=principal.id, subject=f"file:{file_id}")
    return PreparedSignature.from_state(_read(state["prepared_sha256"]), state).tbs


def complete(db: Session, principal: Principal, settings: Settings, file_id: str, token: str,
             cms: bytes) -> tuple[FileRecord, FinishedSignature]:
    """Check ``cms`` and store the signed PDF; :class:`SignatureRefused` (nothing stored) when it does not fit."""
    record = signable_file(db, principal, file_id)
    state = read_token(settings.secret_key, token, user=principal.id, subject=f"file:{file_id}")
    prepared = PreparedSignature.from_state(_read(state["prepared_sha256"]), state)
    trust = (Path(settings.trust_dir),) if settings.trust_dir else ()
    signed = finish(prepared, cms, trust=trust, require_trusted=True)
    kind = _kind(record)
    _check_rule(kind, signed, principal, _expected_bin(db, principal, kind))
    with tempfile.TemporaryDirectory(prefix="attest-sign-") as tmp:
        path = Path(tmp) / "signed.pdf"
        path.write_bytes(signed.pdf)
        stem = record.filename.rsplit(".", 1)[0]
        new = store_path(db, path, f"{stem}.signed.pdf", "application/pdf", owner_user_id=principal.id,
                         organisation_id=principal.organisation_id, purpose=FilePurpose.GENERATED)
    new.registry_document_id = record.registry_document_id
    if record.registry_document_id:
        registry.record_file(record.registry_document_id, new.sha256, "application/pdf", "signed_pdf", db=db)
    audit.record(db, "document.sign", actor=principal.user, object_type="file", object_id=new.id,
                 source_file=record.id, document_id=record.registry_document_id,
                 signer_iin=mask_iin(signed.signer.iin), algorithm=signed.algorithm)
    return new, signed


def _check_rule(kind: str | None, signed: FinishedSignature, principal: Principal, bin_: str = "") -> None:
    """The signer must be the signed-in official herself (her IIN), as the kind's rule names her role, with
    a certificate of her own organisation (its BIN) where the rule names an organisation and its BIN is known."""
    from verification.signatures.signer_rule import ExpectedSigners, Outcome, check_signers, rule_for

    rule = rule_for(kind)
    iin = principal.user.iin
    if rule is None or not (iin or bin_):
        return
    expected = ExpectedSigners(persons={role: (iin,) for role in rule.signed_by} if iin else {},
                               organisations={rule.organisation: bin_} if rule.organisation and bin_ else {})
    result = check_signers(kind, [signed.signer], expected)
    if result is None or result.outcome in (Outcome.PASS, Outcome.NOT_CONFIGURED):
        return
    own = not iin or signed.signer.iin == iin
    if own and result.outcome is Outcome.WRONG_ORGANISATION:  # her key, but another organisation's BIN
        raise SignatureRefused("wrong_organisation", f"the key is the official's own, but of another organisation "
                               f"(BIN {signed.signer.bin or '—'}, expected {bin_})",
                               details={"signer": signed.signer.common_name, "bin": signed.signer.bin,
                                        "expected_bin": bin_})
    if own and result.outcome is Outcome.PERSONAL_KEY:
        return  # her key without any BIN (a personal or a Russian one): verification says what the rule makes of it
    raise SignatureRefused("wrong_signer", f"the key belongs to {signed.signer.common_name or '?'} "
                           f"(IIN {mask_iin(signed.signer.iin)}), not to the signed-in official",
                           details={"signer": signed.signer.common_name, "iin": mask_iin(signed.signer.iin)})


def batch_files(db: Session, principal: Principal, job_id: str) -> list[FileRecord]:
    """The PDFs of a finished batch (certificates of an event) as files that can be signed one by one: each
    PDF of the batch's ZIP is stored once (the same file row on every visit) with its registry id."""
    import zipfile

    from sqlalchemy import select

    from service.accounts.permissions import Permission, permits
    from service.jobs.service import get_job_for
    from service.registry import repository as registry_repo

    job = get_job_for(db, job_id, principal.id, sees_all=permits(principal, Permission.SEE_ALL))
    zip_sha = (job.result or {}).get("sha256")
    if not zip_sha:
        raise NotFound(f"batch {job_id} has no documents (yet)")
    out: list[FileRecord] = []
    with get_store().local_path(zip_sha) as path, zipfile.ZipFile(path) as zf, \
            tempfile.TemporaryDirectory(prefix="attest-batch-") as tmp:
        for name in sorted(n for n in zf.namelist() if n.lower().endswith(".pdf")):
            data = zf.read(name)
            sha = hashlib.sha256(data).hexdigest()
            found = db.scalars(select(FileRecord).where(
                FileRecord.sha256 == sha, FileRecord.organisation_id == principal.organisation_id,
                FileRecord.purpose == FilePurpose.GENERATED)).first()
            if found is None:
                local = Path(tmp) / "doc.pdf"
                local.write_bytes(data)
                found = store_path(db, local, Path(name).name, "application/pdf", owner_user_id=principal.id,
                                   organisation_id=principal.organisation_id, purpose=FilePurpose.GENERATED)
                issued = registry_repo.find_by_file_sha256(db, sha)
                found.registry_document_id = issued.id if issued is not None else None
                db.flush()
            out.append(found)
    return out
