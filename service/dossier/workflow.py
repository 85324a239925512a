"""The teacher's dossier as a workflow: draft → submitted → decided (returned → draft again).

These are the service functions that both the REST endpoints and the web pages call. Access rules
live here: a teacher sees only their own dossiers; a commission member sees submitted/decided
dossiers of its scope (its organisation's region); anything else is NotFound, never Forbidden, so that
existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.accounts.models import Organisation
from service.accounts.permissions import Permission, permits
from service.accounts.service import Principal
from service.audit import service as audit
from service.db import utcnow
from service.dossier import repository as repo
from service.dossier.models import Decision, Dossier, DossierStatus
from service.errors import BadInput, Conflict, NotFound, UnsupportedMediaType
from service.jobs.models import Job, JobState
from service.jobs.service import enqueue, job_view
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import VERIFIABLE_TYPES, ReceivedForm

__all__ = [
    "DETACHED_SUFFIXES",
    "FileView",
    "available_profiles",
    "check_incoming",
    "checklist",
    "create_dossier",
    "decide",
    "file_views",
    "get_dossier_for",
    "get_file_for",
    "list_for_commission",
    "list_my_dossiers",
    "open_requirements",
    "readiness",
    "remove_file",
    "request_package",
    "submit",
]

DETACHED_SUFFIXES = (".sig", ".p7s", ".cms")
"""A detached signature of `X.pdf` is uploaded as `X.pdf.sig`, `X.pdf.p7s` or `X.pdf.cms`."""


@dataclass(frozen=True)
class FileView:
    """A dossier file with the state of its verification."""

    file: FileRecord
    job: Job | None

    def to_dict(self) -> dict[str, Any]:
        report = self.file.report
        return {
            "id": self.file.id,
            "filename": self.file.filename,
            "media_type": self.file.media_type,
            "size": self.file.size,
            "sha256": self.file.sha256,
            "uploaded_at": self.file.created_at,
            "job": job_view(self.job) if self.job else None,
            "verdict": report.get("verdict") if report else None,
            "kind": report.get("kind") if report else None,
            "report": report,
        }


def available_profiles() -> list[str]:
    from service.attestation.profiles import profile_ids

    return profile_ids()


def create_dossier(
    db: Session, principal: Principal, *, profile: str, period_start: dt.date, period_end: dt.date, title: str = ""
) -> Dossier:
    if profile not in available_profiles():
        raise BadInput(f"unknown profile {profile!r}; use one of {', '.join(available_profiles())}",
                       details={"field": "profile"})
    if period_end <= period_start:
        raise BadInput("the period must end after it starts", details={"field": "period_end"})
    org = db.get(Organisation, principal.organisation_id)
    dossier = Dossier(
        teacher_user_id=principal.id,
        organisation_id=principal.organisation_id,
        region_id=org.region_id if org else None,
        profile=profile,
        period_start=period_start,
        period_end=period_end,
        title=title,
    )
    db.add(dossier)
    db.flush()
    audit.record(db, "dossier.create", actor=principal.user, object_type="dossier", object_id=dossier.id,
                 profile=profile)
    return dossier


def _commission_scope(db: Session, principal: Principal) -> int | None:
    org = db.get(Organisation, principal.organisation_id)
    return org.region_id if org else None


def get_dossier_for(db: Session, principal: Principal, dossier_id: str) -> Dossier:
    dossier = db.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound("no such dossier")
    if permits(principal, Permission.SEE_ALL):
        return dossier
    if permits(principal, Permission.COMPILE) and dossier.teacher_user_id == principal.id:
        return dossier
    # a dossier the commission returned stays visible to it, read-only, with its decision and comment
    if permits(principal, Permission.REVIEW) and (dossier.status != DossierStatus.DRAFT.value or dossier.returned):
        region = _commission_scope(db, principal)
        in_scope = dossier.organisation_id == principal.organisation_id or (
            region is not None and dossier.region_id == region
        )
        if in_scope:
            return dossier
    raise NotFound("no such dossier")


def list_my_dossiers(db: Session, principal: Principal) -> list[Dossier]:
    return repo.dossiers_of_teacher(db, principal.id)


def _require_draft(dossier: Dossier) -> None:
    if dossier.status != DossierStatus.DRAFT.value:
        raise Conflict("the dossier has been submitted; its files can no longer change",
                       details={"status": dossier.status})


def check_incoming(form: ReceivedForm) -> None:
    """Refuse the whole request (422/415) if it has no file, or one file is empty or of a type that
    cannot be verified."""
    if not form.files:
        raise BadInput("no files in the request; attach one or more files in the 'files' field",
                       details={"field": "files"}, key="upload.no_files")
    for incoming in form.files:
        if incoming.size == 0:
            raise BadInput(f"{incoming.filename} is empty", details={"file": incoming.filename},
                           key="upload.empty", params={"file": incoming.filename})
        if incoming.media_type not in VERIFIABLE_TYPES:
            raise UnsupportedMediaType(
                f"{incoming.filename} is not a PDF, a photo/scan (JPEG, PNG, TIFF, HEIC, WebP) or a detached "
                "signature; save it as PDF and upload it again",
                details={"file": incoming.filename, "detected": incoming.media_type},
                key="upload.unsupported", params={"file": incoming.filename},
            )


def get_file_for(db: Session, principal: Principal, file_id: str) -> FileRecord:
    """A file the principal may download: own files; files of dossiers visible to them; else NotFound."""
    record = db.get(FileRecord, file_id)
    if record is None:
        raise NotFound("no such file")
    if record.owner_user_id == principal.id or permits(principal, Permission.SEE_ALL):
        return record
    if record.dossier_id is not None and permits(principal, Permission.REVIEW):
        get_dossier_for(db, principal, record.dossier_id)  # raises NotFound when out of scope
        return record
    raise NotFound("no such file")


def remove_file(db: Session, principal: Principal, dossier: Dossier, file_id: str) -> None:
    _require_draft(dossier)
    record = db.get(FileRecord, file_id)
    if record is None or record.dossier_id != dossier.id or record.purpose != FilePurpose.DOSSIER_UPLOAD:
        raise NotFound("no such file in this dossier")
    db.delete(record)
    audit.record(db, "dossier.file_remove", actor=principal.user, object_type="file", object_id=file_id,
                 dossier_id=dossier.id)


def file_views(db: Session, dossier: Dossier) -> list[FileView]:
    files = repo.evidence_files(db, dossier.id)
    jobs = repo.jobs_by_id(db, [f.job_id for f in files if f.job_id])
    return [FileView(f, jobs.get(f.job_id or "")) for f in files]


def checklist(db: Session, dossier: Dossier, lang: str = "ru") -> dict[str, Any]:
    """The profile's requirements and how far the verified files meet them, decided by the dossier
    engine (:func:`service.attestation.matching.match_evidence`) over the stored reports — the same call
    the package build makes, without the cross-dossier ledger (the build applies it).

    ``{"engine": "matching", "profile", "profile_title", "status": complete|needs_review|incomplete,
    "requirements": [{"id", "status": met|needs_review|unmet, "documents", "review_documents", "reason",
    "reasons": {ru, kk, en}, "title", "places"}], "pending": [file names still being verified]}``
    """
    from service.attestation.matching import Evidence, Period, match_evidence
    from service.attestation.profiles import load_profile
    from verification.report import Report

    profile = load_profile(dossier.profile)
    views = file_views(db, dossier)
    evidence = [Evidence(v.file.filename, Report.from_dict(v.file.report)) for v in views if v.file.report]
    match = match_evidence(profile, evidence, period=Period(dossier.period_start, dossier.period_end),
                           dossier_id=dossier.id)
    return {
        "engine": "matching",
        "profile": profile.id,
        "profile_title": profile.titles.get(lang),
        "status": match.status.value,
        "requirements": [r.to_dict(lang) for r in match.requirements],
        "pending": [v.file.filename for v in views if not v.file.report and v.job is not None
                    and v.job.state in (JobState.QUEUED.value, JobState.RUNNING.value)],
    }


def readiness(db: Session, dossier: Dossier) -> dict[str, Any]:
    """How far the dossier is: files, verifications finished, verdicts, and the package."""
    views = file_views(db, dossier)
    verdicts: dict[str, int] = {"passed": 0, "failed": 0, "needs_review": 0}
    pending = 0
    for v in views:
        verdict = v.file.report.get("verdict") if v.file.report else None
        if verdict in verdicts:
            verdicts[verdict] += 1
        elif v.job is None or v.job.state in (JobState.QUEUED.value, JobState.RUNNING.value):
            pending += 1
    return {
        "files": len(views),
        "verifications_pending": pending,
        "verdicts": verdicts,
        "package_ready": bool(dossier.package_pdf_file_id and dossier.package_zip_file_id),
        "verified": pending == 0 and len(views) > 0,
    }


def open_requirements(db: Session, dossier: Dossier, lang: str = "ru") -> list[dict[str, Any]]:
    """The requirements the dossier does not meet yet (unmet, or waiting for a person's review), as
    :func:`checklist` words them: what the teacher confirms before submitting anyway."""
    return [r for r in checklist(db, dossier, lang)["requirements"] if r["status"] != "met"]


def submit(db: Session, principal: Principal, dossier: Dossier, *, lang: str = "ru",
           acknowledged: Collection[str] | None = None) -> Dossier:
    """Send the dossier to the commission.

    ``acknowledged``: the ids of the open requirements (:func:`open_requirements`) the teacher was
    shown and confirmed submitting without; when given, a requirement still open and not among them
    refuses the submission (409, ``details["open_requirements"]`` names them) so that the page can ask.
    None (the REST API) submits without asking.
    """
    _require_draft(dossier)
    if not repo.evidence_files(db, dossier.id):
        raise Conflict("the dossier has no files yet; upload the documents before submitting")
    if acknowledged is not None:
        unconfirmed = [r for r in open_requirements(db, dossier, lang) if r["id"] not in set(acknowledged)]
        if unconfirmed:
            raise Conflict("some requirements are not met yet; confirm submitting without them, or fix them first",
                           details={"open_requirements": [r["id"] for r in unconfirmed]})
    dossier.status = DossierStatus.SUBMITTED.value
    dossier.submitted_at = utcnow()
    dossier.decision = dossier.decision_comment = None
    dossier.package_pdf_file_id = dossier.package_zip_file_id = None
    job = enqueue(db, "build_dossier", {"dossier_id": dossier.id, "lang": lang}, owner=principal.user)
    dossier.package_job_id = job.id
    audit.record(db, "dossier.submit", actor=principal.user, object_type="dossier", object_id=dossier.id)
    return dossier


def list_for_commission(db: Session, principal: Principal, *, status: str | None = None) -> list[Dossier]:
    statuses = [status] if status else None
    if status and status not in (DossierStatus.SUBMITTED.value, DossierStatus.DECIDED.value):
        raise BadInput("status must be 'submitted' or 'decided'", details={"field": "status"})
    return repo.dossiers_in_scope(db, region_id=_commission_scope(db, principal),
                                  organisation_id=principal.organisation_id, statuses=statuses)


def decide(db: Session, principal: Principal, dossier: Dossier, decision: str, comment: str) -> Dossier:
    if dossier.status != DossierStatus.SUBMITTED.value:
        raise Conflict("only a submitted dossier can be decided", details={"status": dossier.status})
    Decision(decision)
    if decision != Decision.APPROVED.value and not comment.strip():
        raise BadInput("say why in the comment when rejecting or returning a dossier", details={"field": "comment"})
    dossier.decision = decision
    dossier.decision_comment = comment
    dossier.decided_by_user_id = principal.id
    dossier.decided_at = utcnow()
    dossier.status = DossierStatus.DRAFT.value if decision == Decision.RETURNED.value else DossierStatus.DECIDED.value
    audit.record(db, "dossier.decide", actor=principal.user, object_type="dossier", object_id=dossier.id,
                 decision=decision, comment=comment)
    if dossier.status == DossierStatus.DECIDED.value:
        # dossier.pdf carries the decision and its signature: build it again, in the language it was built in
        previous = db.get(Job, dossier.package_job_id) if dossier.package_job_id else None
        lang = str((previous.payload or {}).get("lang", "ru")) if previous is not None else "ru"
        dossier.package_pdf_file_id = dossier.package_zip_file_id = None
        dossier.package_job_id = enqueue(db, "build_dossier", {"dossier_id": dossier.id, "lang": lang},
                                         owner=principal.user).id
    return dossier


def request_package(db: Session, principal: Principal, dossier: Dossier, *, lang: str = "ru") -> Job | None:
    """(Re)build dossier.pdf/zip unless a build is already on its way; returns the build job."""
    if dossier.package_job_id:
        job = db.get(Job, dossier.package_job_id)
        if job is not None and job.state in (JobState.QUEUED.value, JobState.RUNNING.value):
            return job
    job = enqueue(db, "build_dossier", {"dossier_id": dossier.id, "lang": lang}, owner=principal.user)
    dossier.package_job_id = job.id
    audit.record(db, "dossier.package_request", actor=principal.user, object_type="dossier", object_id=dossier.id)
    return job
