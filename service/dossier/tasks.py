"""The dossier domain's jobs: verify one upload, build the commission's package.

    verify_upload     {"file_id", "dossier_id"?, "lang", "kind"?, "detached_file_id"?}
    build_dossier     {"dossier_id", "lang"}

The expected teacher and the period come from the dossier when the job runs, not from the payload,
so the jobs table keeps no one's name (a job queued by an older version may still carry "teacher"
and "period", and they are used when it has no dossier).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import Organisation, User
from service.attestation.assembly import DossierDocument
from service.attestation.build import build_from_reports
from service.attestation.matching import Period, Teacher
from service.attestation.profiles import load_profile
from service.db import get_engine, new_id, session_scope
from service.dossier.ledger import SqlLedger
from service.dossier.models import Dossier
from service.dossier.signing import package_signatures
from service.dossier.workflow import DETACHED_SUFFIXES
from service.errors import BadInput, NotFound
from service.jobs.models import Job
from service.jobs.runner import JobContext, task
from service.reference.service import expected_organisations
from service.registry.service import verify_options
from service.signing import signer_from_settings
from service.storage import get_store
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import file_row
from verification.pipeline import verify_file
from verification.report import Report
from verification.signatures.signer_rule import ExpectedSigners

__all__: list[str] = []


def _expected(dossier_id: str | None, payload: dict[str, Any]) -> tuple[str | None, tuple[str, str] | None]:
    """The teacher's full name and the period (ISO dates) a file of this dossier is checked against."""
    if dossier_id:
        with session_scope() as db:
            dossier = db.get(Dossier, dossier_id)
            if dossier is not None:
                user = db.get(User, dossier.teacher_user_id)
                return ((user.full_name if user else None),
                        (dossier.period_start.isoformat(), dossier.period_end.isoformat()))
    period = payload.get("period")
    return payload.get("teacher"), (tuple(period) if period else None)  # type: ignore[return-value]


def _expected_signers(dossier_id: str | None) -> ExpectedSigners | None:
    """The BINs the signer rules compare an upload's signers with (the region's Methodological Centre);
    None when none is known."""
    if not dossier_id:
        return None
    with session_scope() as db:
        dossier = db.get(Dossier, dossier_id)
        if dossier is None:
            return None
        org = db.get(Organisation, dossier.organisation_id)
        organisations = expected_organisations(db, dossier.region_id or (org.region_id if org is not None else None))
    return ExpectedSigners(organisations=organisations) if organisations else None


def _verify(ctx: JobContext) -> dict[str, Any]:
    record = file_row(ctx.payload["file_id"])
    lang = ctx.payload.get("lang", "ru")
    teacher, period = _expected(ctx.payload.get("dossier_id"), ctx.payload)
    ctx.progress(0.05, "fetching")
    store = get_store()
    with contextlib.ExitStack() as stack:
        detached = None
        sig_id = ctx.payload.get("detached_file_id") or _detached_for(record, ctx.payload.get("dossier_id"))
        if sig_id:
            sig = file_row(sig_id)
            detached = stack.enter_context(store.local_path(sig.sha256))
        path = stack.enter_context(store.local_path(record.sha256))
        options = verify_options(ctx.settings, detached=detached, teacher=teacher, kind=ctx.payload.get("kind"),
                                 lang=lang, period=period,
                                 expected_signers=_expected_signers(ctx.payload.get("dossier_id")))
        ctx.progress(0.1, "verifying")
        report = verify_file(path, options, name=record.filename)
    return {"file_id": record.id, "verdict": report.verdict.value, "report": report.to_dict(lang)}


def _detached_for(record: FileRecord, dossier_id: str | None) -> str | None:
    """The id of a detached signature `<name>.sig|.p7s|.cms` uploaded to the same dossier, if any."""
    if not dossier_id or record.filename.lower().endswith(DETACHED_SUFFIXES):
        return None
    with session_scope() as db:
        return db.scalar(select(FileRecord.id).where(
            FileRecord.dossier_id == dossier_id, FileRecord.purpose == FilePurpose.DOSSIER_UPLOAD,
            FileRecord.filename.in_([record.filename + ext for ext in DETACHED_SUFFIXES])).limit(1))


def _verify_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    record = db.get(FileRecord, result["file_id"])
    if record is not None:
        record.report = result["report"]


task("verify_upload", on_success=_verify_done)(_verify)


def _build(ctx: JobContext) -> dict[str, Any]:
    """dossier.pdf/zip with :func:`service.attestation.build.build_from_reports` over the reports the
    verification jobs stored (a file without one — its verification failed — is verified here), the
    cross-dossier ledger in the service database, and the service key when one is configured."""
    lang = ctx.payload.get("lang", "ru")
    with session_scope() as db:
        dossier = db.get(Dossier, ctx.payload["dossier_id"])
        if dossier is None:
            raise NotFound("the dossier no longer exists")
        user = db.get(User, dossier.teacher_user_id)
        org = db.get(Organisation, dossier.organisation_id)
        teacher = Teacher(user.full_name if user else "", user.iin if user else None, org.name if org else None)
        period = Period(dossier.period_start, dossier.period_end)
        profile_id, dossier_id = dossier.profile, dossier.id
        files = [(f.filename, f.sha256, f.report) for f in db.scalars(select(FileRecord).where(
            FileRecord.dossier_id == dossier.id, FileRecord.purpose == FilePurpose.DOSSIER_UPLOAD
        ).order_by(FileRecord.created_at, FileRecord.id))]
        decision, submission, signed_files = package_signatures(db, dossier, ctx.settings)
    store = get_store()
    with tempfile.TemporaryDirectory(prefix="attest-dossier-") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        paths: dict[str, tuple[Path, dict[str, Any] | None]] = {}
        for n, (filename, digest, report) in enumerate(files):
            name = filename if filename not in paths else f"{n:02d}-{filename}"
            with store.local_path(digest) as path:
                shutil.copyfile(path, src / name)
            paths[name] = (src / name, report)
        documents = []
        for name in sorted(paths):
            if name.lower().endswith(DETACHED_SUFFIXES):
                continue
            path, report_json = paths[name]
            detached = next((paths[name + ext][0] for ext in DETACHED_SUFFIXES if name + ext in paths), None)
            report = Report.from_dict(report_json) if report_json else _verify_now(ctx, path, name, detached,
                                                                                    teacher, period, lang)
            documents.append(DossierDocument(name, path, report, detached))
        ctx.progress(0.1, "assembling")
        built = build_from_reports(profile=load_profile(profile_id), teacher=teacher, period=period,
                                   documents=documents, out_dir=Path(tmp) / "out", dossier_id=dossier_id,
                                   lang=lang, ledger=SqlLedger(get_engine()), signer=signer_from_settings(),
                                   decision=decision, submission=submission, signed_files=signed_files)
        ctx.progress(0.9, "storing")
        result: dict[str, Any] = {"dossier_id": dossier_id, "status": built.status, "pages": built.assembly.pages}
        for key, path, media in (("pdf", built.pdf, "application/pdf"), ("zip", built.zip, "application/zip")):
            if not path.exists():
                raise BadInput(f"the dossier engine produced no {path.name}")
            result[key] = {"file_id": new_id(), "sha256": store.put_file(path), "size": path.stat().st_size,
                           "media_type": media, "filename": path.name}
        manifest = json.loads(built.manifest.read_text(encoding="utf-8")) if built.manifest.exists() else None
        result["manifest"] = manifest
        result["signed"] = bool(manifest and manifest.get("signed"))
    return result


def _verify_now(ctx: JobContext, path: Path, name: str, detached: Path | None, teacher: Any, period: Any,
                lang: str) -> Report:
    options = verify_options(ctx.settings, detached=detached, teacher=teacher.full_name or None, lang=lang,
                             period=(period.start.isoformat(), period.end.isoformat()))
    return verify_file(path, options, name=name)


def _build_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    dossier = db.get(Dossier, result["dossier_id"])
    if dossier is None:
        return
    if dossier.package_job_id and dossier.package_job_id != job.id:
        return  # an older build finishing late (a decision asked for a new one): its package is stale
    for key, purpose in (("pdf", FilePurpose.DOSSIER_PDF), ("zip", FilePurpose.DOSSIER_ZIP)):
        info = result[key]
        db.add(FileRecord(
            id=info["file_id"], owner_user_id=dossier.teacher_user_id, organisation_id=dossier.organisation_id,
            dossier_id=dossier.id, purpose=purpose, filename=info["filename"], media_type=info["media_type"],
            size=info["size"], sha256=info["sha256"],
        ))
    db.flush()
    dossier.package_pdf_file_id = result["pdf"]["file_id"]
    dossier.package_zip_file_id = result["zip"]["file_id"]
    dossier.package_manifest = result.get("manifest")


task("build_dossier", on_success=_build_done)(_build)
