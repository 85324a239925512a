"""The job kinds. Thin: they take ids, load through repositories, call the domain services.

    verify_upload     {"file_id", "lang", "teacher"?, "kind"?, "period"?, "detached_file_id"?}
    generate_batch    {"rows_file_id", "kind", "lang", "fmt", "organization"?}
    build_dossier     {"dossier_id", "lang"}
    probe             {"seconds"}   a worker health probe: sleeps, reporting progress
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import new_id
from service.db import session_scope
from service.errors import BadInput, NotFound
from service.jobs.models import Job
from service.jobs.runner import JobContext, task
from service.storage import get_store
from service.uploads.models import FilePurpose, FileRecord

__all__ = ["registry_lookup"]


def registry_lookup() -> Any:
    """The registry's lookup function for QR ids, when the registry is installed."""
    try:
        from service.registry.service import lookup_record
    except ImportError:
        return None
    return lookup_record


def _file(file_id: str) -> FileRecord:
    with session_scope() as db:
        record = db.get(FileRecord, file_id)
        if record is None:
            raise NotFound(f"file {file_id} no longer exists")
        db.expunge(record)
        return record


# ------------------------------------------------------------------ verification


def _verify(ctx: JobContext) -> dict[str, Any]:
    from verification.pipeline import VerifyOptions, verify_file

    record = _file(ctx.payload["file_id"])
    lang = ctx.payload.get("lang", "ru")
    period = ctx.payload.get("period")
    ctx.progress(0.05, "fetching")
    store = get_store()
    with contextlib.ExitStack() as stack:
        detached = None
        sig_id = ctx.payload.get("detached_file_id") or _detached_for(record, ctx.payload.get("dossier_id"))
        if sig_id:
            sig = _file(sig_id)
            detached = stack.enter_context(store.local_path(sig.sha256))
        path = stack.enter_context(store.local_path(record.sha256))
        options = VerifyOptions(
            detached=detached,
            trust=tuple(Path(p) for p in ([ctx.settings.trust_dir] if ctx.settings.trust_dir else [])),
            teacher=ctx.payload.get("teacher"),
            kind=ctx.payload.get("kind"),
            lang=lang,
            allow_fetching=ctx.settings.allow_online_revocation,
            registry_lookup=registry_lookup(),
            period=tuple(period) if period else None,
        )
        ctx.progress(0.1, "verifying")
        report = verify_file(path, options, name=record.filename)
    return {"file_id": record.id, "verdict": report.verdict.value, "report": report.to_dict(lang)}


def _detached_for(record: FileRecord, dossier_id: str | None) -> str | None:
    """The id of a detached signature `<name>.sig|.p7s|.cms` uploaded to the same dossier, if any."""
    if not dossier_id or record.filename.lower().endswith(_DETACHED):
        return None
    with session_scope() as db:
        return db.scalar(select(FileRecord.id).where(
            FileRecord.dossier_id == dossier_id, FileRecord.purpose == FilePurpose.DOSSIER_UPLOAD,
            FileRecord.filename.in_([record.filename + ext for ext in _DETACHED])).limit(1))


def _verify_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    record = db.get(FileRecord, result["file_id"])
    if record is not None:
        record.report = result["report"]


task("verify_upload", on_success=_verify_done)(_verify)


# ------------------------------------------------------------------ batch generation


def _batch(ctx: JobContext) -> dict[str, Any]:
    """Result: ``{"zip_file_id", "sha256", "size", "filename", "documents": n written, "rows": data rows,
    "bad_rows": [{"row", "field", "message"}]}``; with no document written there is no ZIP
    (``zip_file_id`` None) and the bad rows say why."""
    from service.generation.service import generate_batch

    rows = _file(ctx.payload["rows_file_id"])
    suffix = ".xlsx" if "spreadsheet" in rows.media_type else ".csv"
    with tempfile.TemporaryDirectory(prefix="attest-batch-") as tmp:
        rows_path = Path(tmp) / f"rows{suffix}"
        with get_store().local_path(rows.sha256) as src:
            shutil.copyfile(src, rows_path)
        out_path = Path(tmp) / "documents.zip"

        try:
            from service.generation.service import read_rows

            rows_total = sum(1 for _ in read_rows(rows_path))
        except Exception:  # noqa: BLE001  (the batch itself reports bad tables)
            rows_total = 0
        done = [0]

        def progress(step: Any = 1, *_: Any) -> None:  # generate_batch reports one call per row
            done[0] += step if isinstance(step, int) else 1
            if rows_total:
                ctx.progress(0.05 + 0.9 * min(done[0], rows_total) / rows_total, "generating")

        ctx.progress(0.05, "generating")
        outcome = generate_batch(ctx.payload["kind"], rows_path, ctx.payload.get("lang", "ru"),
                                 ctx.payload.get("fmt", "pdf"), out_path, progress,
                                 organization=ctx.payload.get("organization"))
        result: dict[str, Any] = {
            "documents": len(outcome.written),
            "rows": outcome.total_rows,
            "bad_rows": [{"row": e.row, "field": e.field, "message": e.message} for e in outcome.errors],
            "zip_file_id": None, "sha256": None, "size": 0,
            "filename": f"{ctx.payload['kind']}-{ctx.job_id[:8]}.zip",
        }
        if outcome.written:
            if not out_path.exists():
                raise BadInput("the batch produced no ZIP")
            ctx.progress(0.97, "storing")
            result.update(zip_file_id=new_id(), sha256=get_store().put_file(out_path), size=out_path.stat().st_size)
    return result


def _batch_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    if not result.get("zip_file_id"):
        return
    db.add(FileRecord(
        id=result["zip_file_id"], owner_user_id=job.owner_user_id, organisation_id=job.organisation_id or 0,
        purpose=FilePurpose.BATCH_ZIP, filename=result["filename"], media_type="application/zip",
        size=result["size"], sha256=result["sha256"],
    ))


task("generate_batch", on_success=_batch_done)(_batch)


# ------------------------------------------------------------------ dossier assembly


def _build(ctx: JobContext) -> dict[str, Any]:
    """dossier.pdf/zip with :func:`service.dossier.build.build_from_reports` over the reports the
    verification jobs stored (a file without one — its verification failed — is verified here), the
    cross-dossier ledger in the service database, and the service key when one is configured."""
    from service.accounts.models import Organisation, User
    from service.db import get_engine
    from service.dossier.assembly import DossierDocument, signer_from_settings
    from service.dossier.build import build_from_reports
    from service.dossier.ledger import SqlLedger
    from service.dossier.matching import Period, Teacher, report_from_dict
    from service.dossier.models import Dossier
    from service.dossier.profiles import load_profile

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
            if name.lower().endswith(_DETACHED):
                continue
            path, report_json = paths[name]
            detached = next((paths[name + ext][0] for ext in _DETACHED if name + ext in paths), None)
            report = report_from_dict(report_json) if report_json else _verify_now(ctx, path, name, detached,
                                                                                    teacher, period, lang)
            documents.append(DossierDocument(name, path, report, detached))
        ctx.progress(0.1, "assembling")
        built = build_from_reports(profile=load_profile(profile_id), teacher=teacher, period=period,
                                   documents=documents, out_dir=Path(tmp) / "out", dossier_id=dossier_id,
                                   lang=lang, ledger=SqlLedger(get_engine()), signer=signer_from_settings())
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


_DETACHED = (".sig", ".p7s", ".cms")


def _verify_now(ctx: JobContext, path: Path, name: str, detached: Path | None, teacher: Any, period: Any,
                lang: str) -> Any:
    from verification.pipeline import VerifyOptions, verify_file

    options = VerifyOptions(
        detached=detached,
        trust=tuple(Path(p) for p in ([ctx.settings.trust_dir] if ctx.settings.trust_dir else [])),
        teacher=teacher.full_name or None, lang=lang, allow_fetching=ctx.settings.allow_online_revocation,
        registry_lookup=registry_lookup(), period=(period.start.isoformat(), period.end.isoformat()),
    )
    return verify_file(path, options, name=name)


def _build_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    from service.dossier.models import Dossier

    dossier = db.get(Dossier, result["dossier_id"])
    if dossier is None:
        return
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


# ------------------------------------------------------------------ probe


@task("probe")
def _probe(ctx: JobContext) -> dict[str, Any]:
    seconds = float(ctx.payload.get("seconds", 1.0))
    if not 0 <= seconds <= 600:
        raise BadInput("probe seconds must be between 0 and 600")
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        ctx.progress(elapsed / seconds if seconds else 1.0, "sleeping")
        time.sleep(min(0.1, seconds - elapsed))
    return {"slept_s": seconds, "worker": ctx.worker_id, "attempt": ctx.attempt}
