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
        if ctx.payload.get("detached_file_id"):
            sig = _file(ctx.payload["detached_file_id"])
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


def _verify_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    record = db.get(FileRecord, result["file_id"])
    if record is not None:
        record.report = result["report"]


task("verify_upload", on_success=_verify_done)(_verify)


# ------------------------------------------------------------------ batch generation


def _batch(ctx: JobContext) -> dict[str, Any]:
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

        def progress(done: Any = None, *_: Any) -> None:
            if isinstance(done, (int, float)) and rows_total:
                ctx.progress(0.05 + 0.9 * min(done, rows_total) / rows_total, "generating")

        ctx.progress(0.05, "generating")
        outcome = generate_batch(ctx.payload["kind"], rows_path, ctx.payload.get("lang", "ru"),
                                 ctx.payload.get("fmt", "pdf"), out_path, progress,
                                 organization=ctx.payload.get("organization"))
        if not out_path.exists():
            raise BadInput("the batch produced no ZIP")
        ctx.progress(0.97, "storing")
        digest = get_store().put_file(out_path)
        size = out_path.stat().st_size
    count = getattr(outcome, "count", None) or (len(outcome) if isinstance(outcome, (list, tuple)) else None)
    return {"zip_file_id": new_id(), "sha256": digest, "size": size, "documents": count,
            "filename": f"{ctx.payload['kind']}-{ctx.job_id[:8]}.zip"}


def _batch_done(db: Session, job: Job, result: dict[str, Any]) -> None:
    db.add(FileRecord(
        id=result["zip_file_id"], owner_user_id=job.owner_user_id, organisation_id=job.organisation_id or 0,
        purpose=FilePurpose.BATCH_ZIP, filename=result["filename"], media_type="application/zip",
        size=result["size"], sha256=result["sha256"],
    ))


task("generate_batch", on_success=_batch_done)(_batch)


# ------------------------------------------------------------------ dossier assembly


def _build(ctx: JobContext) -> dict[str, Any]:
    from service.accounts.models import Organisation, User
    from service.dossier.build import build_dossier
    from service.dossier.models import Dossier

    with session_scope() as db:
        dossier = db.get(Dossier, ctx.payload["dossier_id"])
        if dossier is None:
            raise NotFound("the dossier no longer exists")
        teacher = db.get(User, dossier.teacher_user_id)
        org = db.get(Organisation, dossier.organisation_id)
        files = list(db.scalars(select(FileRecord).where(
            FileRecord.dossier_id == dossier.id, FileRecord.purpose == FilePurpose.DOSSIER_UPLOAD
        ).order_by(FileRecord.created_at)))
        manifest: dict[str, Any] = {
            "dossier_id": dossier.id,
            "teacher": {"full_name": teacher.full_name if teacher else "", "iin": teacher.iin if teacher else None,
                        "organization": org.name if org else ""},
            "profile": dossier.profile,
            "period": {"start": dossier.period_start.isoformat(), "end": dossier.period_end.isoformat()},
            "files": [],
        }
        file_rows = [(f.filename, f.sha256) for f in files]
    store = get_store()
    with tempfile.TemporaryDirectory(prefix="attest-dossier-") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        used: set[str] = set()
        for n, (filename, digest) in enumerate(file_rows):
            name = filename if filename not in used else f"{n:02d}-{filename}"
            used.add(name)
            with store.local_path(digest) as path:
                shutil.copyfile(path, src / name)
        by_name = {name for name in used}
        for name in sorted(by_name):
            if name.lower().endswith((".sig", ".p7s", ".cms")):
                continue
            entry: dict[str, Any] = {"path": name}
            for ext in (".sig", ".p7s", ".cms"):
                if name + ext in by_name:
                    entry["detached"] = name + ext
            manifest["files"].append(entry)
        manifest_path = src / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        out = Path(tmp) / "out"
        ctx.progress(0.1, "assembling")
        build_dossier(manifest_path, out, lang=ctx.payload.get("lang", "ru"))
        ctx.progress(0.9, "storing")
        result: dict[str, Any] = {"dossier_id": ctx.payload["dossier_id"]}
        for key, name, media in (("pdf", "dossier.pdf", "application/pdf"), ("zip", "dossier.zip", "application/zip")):
            path = out / name
            if not path.exists():
                raise BadInput(f"the dossier engine produced no {name}")
            result[key] = {"file_id": new_id(), "sha256": store.put_file(path), "size": path.stat().st_size,
                           "media_type": media, "filename": name}
        mpath = out / "manifest.json"
        result["manifest"] = json.loads(mpath.read_text(encoding="utf-8")) if mpath.exists() else None
    return result


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
