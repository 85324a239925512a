"""The teacher submits her dossier, and a commission member records the decision, by signing with their
own key (NCALayer or a signature made elsewhere).

What she signs is the submission manifest: a small canonical JSON of the dossier (id, teacher, profile,
period) and of every evidence file (name, size, SHA-256). The detached CMS over it is checked (it covers
exactly this manifest, verifies, chains to the trust store, and is hers: the signer's IIN is her own)
and kept with the dossier beside the manifest (files of purpose ``submission_manifest`` and
``submission_signature``); then the dossier is submitted as before. The commission reads
:func:`submission_signature`: "submitted and signed by … on …". The decision is signed the same way
over a decision manifest (decision, comment, member, the SHA-256 of the submission manifest) and kept as
``decision_manifest`` / ``decision_signature`` before :func:`service.dossier.workflow.decide` records it.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import User
from service.accounts.service import Principal
from service.attestation.assembly import DecisionRecord, KeptSignature
from service.audit import service as audit
from service.dossier import repository as repo
from service.dossier import workflow
from service.dossier.models import Decision, Dossier, DossierStatus
from service.errors import BadInput, Conflict
from service.pii import mask_iin
from service.settings import Settings
from service.signing.external import FinishedSignature, SignatureRefused, check_detached
from service.signing.state import read_token, sign_token
from service.storage import get_store
from service.uploads.models import FileRecord
from service.uploads.service import store_path

__all__ = ["DECISION_MANIFEST_PURPOSE", "DECISION_SIGNATURE_PURPOSE", "MANIFEST_PURPOSE", "SIGNATURE_PURPOSE",
           "SubmissionSignature", "complete_decision", "complete_submission", "decision_manifest",
           "decision_signature", "package_signatures", "start_decision", "start_submission", "submission_manifest", "submission_signature"]

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


def _own_signature(settings: Settings, principal: Principal, manifest: bytes, state: dict[str, Any], cms: bytes, *,
                   changed: str, whose: str) -> tuple[bytes, FinishedSignature]:
    """The detached CMS over ``manifest`` checked as a submission's or a decision's must be: the manifest is
    the one signing started with, the CMS covers it and chains to the trust store, and the key is the signed-in
    person's own (her IIN, where one is on file). Returns the CMS as DER and what was signed."""
    if hashlib.sha256(manifest).hexdigest() != state.get("manifest_sha256"):
        raise SignatureRefused("changed", f"{changed} changed after signing started; sign again")
    trust = (Path(settings.trust_dir),) if settings.trust_dir else ()
    der, signed = check_detached(manifest, cms, trust=trust, require_trusted=True)
    iin = principal.user.iin
    if iin and signed.signer.iin != iin:
        raise SignatureRefused("wrong_signer", f"the key is not {whose} own (another IIN)")
    return der, signed


def complete_submission(db: Session, principal: Principal, settings: Settings, dossier_id: str, token: str,
                        cms: bytes, *, lang: str = "ru") -> tuple[Dossier, FinishedSignature]:
    """Check the signature over the manifest, keep both with the dossier, and submit it.
    :class:`SignatureRefused` (nothing kept, nothing submitted) when the signature does not fit."""
    dossier = workflow.get_dossier_for(db, principal, dossier_id)
    state = read_token(settings.secret_key, token, user=principal.id, subject=_subject(dossier_id))
    _require_submittable(db, dossier)
    manifest = submission_manifest(db, dossier)
    der, signed = _own_signature(settings, principal, manifest, state, cms, changed="the dossier's files",
                                 whose="the teacher's")
    _keep(db, principal, dossier, (("submission-manifest.json", manifest, "application/json", MANIFEST_PURPOSE),
                                   ("submission.p7s", der, "application/pkcs7-signature", SIGNATURE_PURPOSE)))
    audit.record(db, "dossier.sign_submission", actor=principal.user, object_type="dossier", object_id=dossier.id,
                 signer=signed.signer.common_name, algorithm=signed.algorithm)
    return workflow.submit(db, principal, dossier, lang=lang), signed


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
    return _kept_signature(db, dossier, SIGNATURE_PURPOSE, MANIFEST_PURPOSE, submission_manifest(db, dossier))


# ------------------------------------------------------------------ the commission's decision

DECISION_MANIFEST_PURPOSE = "decision_manifest"
DECISION_SIGNATURE_PURPOSE = "decision_signature"


def decision_manifest(db: Session, dossier: Dossier, member: User, decision: str, comment: str) -> bytes:
    """The bytes a commission member signs: the decision, its comment, who decides, and the dossier as
    submitted (the SHA-256 of the teacher's submission manifest when she signed it)."""
    submission = _newest(db, dossier, MANIFEST_PURPOSE)
    manifest = {
        "type": "attest.dossier.decision",
        "dossier_id": dossier.id,
        "decision": decision,
        "comment": comment,
        "member": member.full_name,
        "member_iin": member.iin,
        "submitted_at": dossier.submitted_at.isoformat() if dossier.submitted_at else None,
        "submission_manifest_sha256": hashlib.sha256(_read(submission)).hexdigest() if submission else None,
    }
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _check_decision(dossier: Dossier, decision: str, comment: str) -> None:
    if dossier.status != DossierStatus.SUBMITTED.value:
        raise Conflict("only a submitted dossier can be decided", details={"status": dossier.status})
    if decision not in {d.value for d in Decision}:
        raise BadInput("choose a decision", details={"field": "decision"})
    if decision != Decision.APPROVED.value and not comment.strip():
        raise BadInput("say why in the comment when rejecting or returning a dossier", details={"field": "comment"})


def _decision_subject(dossier_id: str) -> str:
    return f"decision:{dossier_id}"


def start_decision(db: Session, principal: Principal, settings: Settings, dossier_id: str, decision: str,
                   comment: str) -> dict[str, Any]:
    import base64
    dossier = workflow.get_dossier_for(db, principal, dossier_id)
    comment = comment.strip()
    _check_decision(dossier, decision, comment)
    manifest = decision_manifest(db, dossier, principal.user, decision, comment)
    token = sign_token(settings.secret_key, {"manifest_sha256": hashlib.sha256(manifest).hexdigest(),
                                             "decision": decision, "comment": comment},
                       user=principal.id, subject=_decision_subject(dossier_id))
    return {"token": token, "data": base64.b64encode(manifest).decode(), "iin": principal.user.iin or "", "bin": "",
            "timeout_ms": int(settings.ncalayer_timeout_s * 1000)}


def decision_for_token(db: Session, principal: Principal, settings: Settings, dossier_id: str, token: str) -> bytes:
    state = read_token(settings.secret_key, token, user=principal.id, subject=_decision_subject(dossier_id))
    dossier = workflow.get_dossier_for(db, principal, dossier_id)
    return decision_manifest(db, dossier, principal.user, str(state["decision"]), str(state["comment"]))


def complete_decision(db: Session, principal: Principal, settings: Settings, dossier_id: str, token: str,
                      cms: bytes) -> tuple[Dossier, FinishedSignature]:
    """Check the member's signature over the decision, keep it with the dossier, and record the decision."""
    dossier = workflow.get_dossier_for(db, principal, dossier_id)
    state = read_token(settings.secret_key, token, user=principal.id, subject=_decision_subject(dossier_id))
    decision, comment = str(state["decision"]), str(state["comment"])
    _check_decision(dossier, decision, comment)
    manifest = decision_manifest(db, dossier, principal.user, decision, comment)
    der, signed = _own_signature(settings, principal, manifest, state, cms, changed="the dossier",
                                 whose="the commission member's")
    _keep(db, principal, dossier, (("decision-manifest.json", manifest, "application/json", DECISION_MANIFEST_PURPOSE),
                                   ("decision.p7s", der, "application/pkcs7-signature", DECISION_SIGNATURE_PURPOSE)))
    audit.record(db, "dossier.sign_decision", actor=principal.user, object_type="dossier", object_id=dossier.id,
                 signer=signed.signer.common_name, algorithm=signed.algorithm, decision=decision)
    return workflow.decide(db, principal, dossier, decision, comment), signed


def decision_signature(db: Session, dossier: Dossier) -> SubmissionSignature | None:
    """Who signed the dossier's newest decision (checked again over the kept decision manifest)."""
    return _kept_signature(db, dossier, DECISION_SIGNATURE_PURPOSE, DECISION_MANIFEST_PURPOSE, None)


def _newest(db: Session, dossier: Dossier, purpose: str) -> FileRecord | None:
    return db.scalars(select(FileRecord).where(FileRecord.dossier_id == dossier.id, FileRecord.purpose == purpose)
                      .order_by(FileRecord.created_at.desc())).first()


def _read(row: FileRecord) -> bytes:
    with get_store().open(row.sha256) as f:
        return f.read()


def _keep(db: Session, principal: Principal, dossier: Dossier, files: tuple[tuple[str, bytes, str, str], ...]) -> None:
    with tempfile.TemporaryDirectory(prefix="attest-sig-") as tmp:
        for name, data, media_type, purpose in files:
            path = Path(tmp) / name
            path.write_bytes(data)
            store_path(db, path, name, media_type, owner_user_id=principal.id,
                       organisation_id=principal.organisation_id, purpose=purpose, dossier_id=dossier.id)


def _kept_signature(db: Session, dossier: Dossier, sig_purpose: str, manifest_purpose: str,
                    current: bytes | None) -> SubmissionSignature | None:
    sig_row, manifest_row = _newest(db, dossier, sig_purpose), _newest(db, dossier, manifest_purpose)
    if sig_row is None or manifest_row is None:
        return None
    manifest = _read(manifest_row)
    try:
        _der, signed = check_detached(manifest, _read(sig_row))
    except SignatureRefused:
        return SubmissionSignature("?", None, None, None, None, False)
    matches = current is None or manifest == current
    return SubmissionSignature(signed.signer.common_name or "?", signed.signer.iin, signed.signer.organization,
                               signed.signing_time or sig_row.created_at.isoformat(), signed.algorithm, matches)


# ------------------------------------------------------------------ what dossier.pdf carries

def package_signatures(db: Session, dossier: Dossier, settings: Settings
                       ) -> tuple[DecisionRecord | None, KeptSignature | None, list[tuple[str, bytes]]]:
    """For the package build: the decision (:class:`~service.attestation.assembly.DecisionRecord`, None
    while undecided), the submission's signature (:class:`~service.attestation.assembly.KeptSignature`, None
    when not signed) and the (name, bytes) of the signed manifests and their CMS to attach to dossier.pdf.
    A kept signature is checked again over its kept manifest against the service's trust store."""
    trust = (Path(settings.trust_dir),) if settings.trust_dir else ()
    files: list[tuple[str, bytes]] = []
    submission = None
    manifest_row, sig_row = _newest(db, dossier, MANIFEST_PURPOSE), _newest(db, dossier, SIGNATURE_PURPOSE)
    if manifest_row is not None and sig_row is not None and dossier.status != DossierStatus.DRAFT.value:
        manifest, cms = _read(manifest_row), _read(sig_row)
        if manifest == submission_manifest(db, dossier):
            submission = _kept_facts(manifest, cms, trust, sig_row)
            files += [("submission-manifest.json", manifest), ("submission.p7s", cms)]
    decision = None
    if dossier.decision and dossier.status == DossierStatus.DECIDED.value:
        member = db.get(User, dossier.decided_by_user_id) if dossier.decided_by_user_id else None
        signature = None
        manifest_row = _newest(db, dossier, DECISION_MANIFEST_PURPOSE)
        sig_row = _newest(db, dossier, DECISION_SIGNATURE_PURPOSE)
        if manifest_row is not None and sig_row is not None:
            manifest, cms = _read(manifest_row), _read(sig_row)
            if _is_this_decision(manifest, dossier, member):
                signature = _kept_facts(manifest, cms, trust, sig_row)
                files += [("decision-manifest.json", manifest), ("decision.p7s", cms)]
        decision = DecisionRecord(dossier.decision, dossier.decision_comment or "",
                                  member.full_name if member else "?", dossier.decided_at, signature)
    return decision, submission, files


def _is_this_decision(manifest: bytes, dossier: Dossier, member: User | None) -> bool:
    """The kept decision manifest is the one of the decision recorded now (not of an earlier submission)."""
    try:
        data = json.loads(manifest)
    except ValueError:
        return False
    return (data.get("decision") == dossier.decision and data.get("comment", "") == (dossier.decision_comment or "")
            and member is not None and data.get("member_iin") == member.iin
            and data.get("submitted_at") == (dossier.submitted_at.isoformat() if dossier.submitted_at else None))


def _kept_facts(manifest: bytes, cms: bytes, trust: tuple[Path, ...], sig_row: FileRecord) -> KeptSignature:
    try:
        _der, signed = check_detached(manifest, cms, trust=trust, require_trusted=bool(trust))
    except SignatureRefused:
        return KeptSignature("?", None, sig_row.created_at.isoformat(), False)
    return KeptSignature(signed.signer.common_name or "?", mask_iin(signed.signer.iin) or None,
                         signed.signing_time or sig_row.created_at.isoformat(),
                         signed.indication == "TOTAL_PASSED", signed.signer.organization, signed.algorithm)
