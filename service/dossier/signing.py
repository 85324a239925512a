"""The teacher submits her dossier by signing it with her own key (NCALayer or a signature made elsewhere).

What she signs is the submission manifest: a small canonical JSON of the dossier (id, teacher, profile,
period) and of every evidence file (name, size, SHA-256). The detached CMS over it is checked (it covers
exactly this manifest, verifies, chains to the trust store, and is hers: the signer's IIN is her own)
and kept with the dossier beside the manifest (files of purpose ``submission_manifest`` and
``submission_signature``); then the dossier is submitted as before. The commission reads
:func:`submission_signature`: "submitted and signed by … on …".
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import User
from service.accounts.service import Principal
from service.audit import service as audit
from service.dossier import repository as repo
from service.dossier import workflow
from service.dossier.models import Dossier
from service.errors import Conflict
from service.settings import Settings
from service.signing.external import SignatureRefused, check_detached
from service.signing.state import read_token, sign_token
from service.storage import get_store
from service.uploads.models import FileRecord
from service.uploads.service import store_path

__all__ = ["MANIFEST_PURPOSE", "SIGNATURE_PURPOSE", "SubmissionSignature", "complete_submission",
           "start_submission", "submission_manifest", "submission_signature"]

MANIFEST_PURPOSE = "submission_manifest"
SIGNATURE_PURPOSE = "submission_signature"


def submission_manifest(db: Session, dossier: Dossier) -> bytes:
    """The bytes the teacher signs: the dossier and its evidence files, canonical JSON (UTF-8, sorted keys)."""
    teacher = db.get(User, dossier.teacher_user_id)
    files = [{"name": f.filename, "size": int(f.size), "sha256": f.sha256} for f in repo.evidence_files(db, dossier.id)]
    manifest = {
        "type": "attest.dossier.submission",
        "dossier_id": dossier.id,
        "teacher": teacher.full_name if teacher else None,
        "teacher_iin": teacher.iin if teacher else None,
        "profile": dossier.profile,
        "period": [dossier.period_start.isoformat(), dossier.period_end.isoformat()],
        "files": files,
    }
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _subject(dossier_id: str) -> str:
    return f"dossier:{dossier_id}"


def start_submission(db: Session, principal: Principal, settings: Settings, dossier_id: str) -> dict[str, Any]:
    """What the signing page needs: the manifest to sign (base64), the teacher's IIN, a state token."""
    import base64
    import hashlib

    dossier = workflow.get_dossier_for(db, principal, dossier_id)
    _require_submittable(db, dossier)
    manifest = submission_manifest(db, dossier)
    token = sign_token(settings.secret_key, {"manifest_sha256": hashlib.sha256(manifest).hexdigest()},
                       user=principal.id, subject=_subject(dossier_id))
    return {"token": token, "data": base64.b64encode(manifest).decode(), "iin": principal.user.iin or "", "bin": "",
            "timeout_ms": int(settings.ncalayer_timeout_s * 1000)}


def manifest_for_token(db: Session, principal: Principal, settings: Settings, dossier_id: str, token: str) -> bytes:
    """The manifest of a started signing (for a signature made with another program)."""
    read_token(settings.secret_key, token, user=principal.id, subject=_subject(dossier_id))
    return submission_manifest(db, workflow.get_dossier_for(db, principal, dossier_id))


def _require_submittable(db: Session, dossier: Dossier) -> None:
    if dossier.status != "draft":
        raise Conflict("the dossier has been submitted already", details={"status": dossier.status})
    if not repo.evidence_files(db, dossier.id):
        raise Conflict("the dossier has no files yet; upload the documents before submitting")


def complete_submission(db: Session, principal: Principal, settings: Settings, dossier_id: str, token: str,
                        cms: bytes, *, lang: str = "ru") -> Dossier:
    """Check the signature over the manifest, keep both with the dossier, and submit it.
    :class:`SignatureRefused` (nothing kept, nothing submitted) when the signature does not fit."""
    import hashlib

    dossier = workflow.get_dossier_for(db, principal, dossier_id)
    state = read_token(settings.secret_key, token, user=principal.id, subject=_subject(dossier_id))
    _require_submittable(db, dossier)
    manifest = submission_manifest(db, dossier)
    if hashlib.sha256(manifest).hexdigest() != state.get("manifest_sha256"):
        raise SignatureRefused("changed", "the dossier's files changed after signing started; sign again")
    trust = (Path(settings.trust_dir),) if settings.trust_dir else ()
    der, signed = check_detached(manifest, cms, trust=trust, require_trusted=True)
    iin = principal.user.iin
    if iin and signed.signer.iin != iin:
        raise SignatureRefused("wrong_signer", "the key is not the teacher's own (another IIN)")
    with tempfile.TemporaryDirectory(prefix="attest-submit-") as tmp:
        for name, data, media_type, purpose in (
            ("submission-manifest.json", manifest, "application/json", MANIFEST_PURPOSE),
            ("submission.p7s", der, "application/pkcs7-signature", SIGNATURE_PURPOSE),
        ):
            path = Path(tmp) / name
            path.write_bytes(data)
            store_path(db, path, name, media_type, owner_user_id=principal.id,
                       organisation_id=principal.organisation_id, purpose=purpose, dossier_id=dossier.id)
    audit.record(db, "dossier.sign_submission", actor=principal.user, object_type="dossier", object_id=dossier.id,
                 signer=signed.signer.common_name, algorithm=signed.algorithm)
    return workflow.submit(db, principal, dossier, lang=lang)


@dataclass(frozen=True)
class SubmissionSignature:
    """Who signed a dossier's submission, as the commission reads it."""

    signer: str
    iin: str | None
    organisation: str | None
    signed_at: str | None  # ISO 8601: the signer's claimed time, else when it was received
    algorithm: str | None
    manifest_matches: bool  # the kept signature still covers the kept manifest and the files it lists


def submission_signature(db: Session, dossier: Dossier) -> SubmissionSignature | None:
    """The newest kept signature of the dossier's submission, checked again; None when it was not signed."""
    def newest(purpose: str) -> FileRecord | None:
        return db.scalars(select(FileRecord).where(FileRecord.dossier_id == dossier.id, FileRecord.purpose == purpose)
                          .order_by(FileRecord.created_at.desc())).first()

    sig_row, manifest_row = newest(SIGNATURE_PURPOSE), newest(MANIFEST_PURPOSE)
    if sig_row is None or manifest_row is None:
        return None
    store = get_store()
    with store.open(sig_row.sha256) as f:
        der = f.read()
    with store.open(manifest_row.sha256) as f:
        manifest = f.read()
    try:
        _der, signed = check_detached(manifest, der)
        matches = manifest == submission_manifest(db, dossier)
    except SignatureRefused:
        return SubmissionSignature("?", None, None, None, None, False)
    return SubmissionSignature(signed.signer.common_name or "?", signed.signer.iin, signed.signer.organization,
                               signed.signing_time or sig_row.created_at.isoformat(), signed.algorithm, matches)
