"""The documents domain's job: a batch of documents from a participants' table, into a ZIP.

    generate_batch    {"rows_file_id", "kind", "lang", "fmt", "organization"?, "issuer"?: the letterhead}
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.db import new_id, session_scope
from service.errors import BadInput
from service.generation.service import GeneratedDocument, generate_batch, read_rows
from service.jobs.models import Job
from service.jobs.runner import JobContext, task
from service.registry import service as registry
from service.storage import get_store
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import file_row

__all__: list[str] = []


def _batch(ctx: JobContext) -> dict[str, Any]:
    """Result: ``{"zip_file_id", "sha256", "size", "filename", "documents": n written, "rows": data rows,
    "bad_rows": [{"row", "field", "message"}]}``; with no document written there is no ZIP
    (``zip_file_id`` None) and the bad rows say why."""
    rows = file_row(ctx.payload["rows_file_id"])
    suffix = ".xlsx" if "spreadsheet" in rows.media_type else ".csv"
    with tempfile.TemporaryDirectory(prefix="attest-batch-") as tmp:
        rows_path = Path(tmp) / f"rows{suffix}"
        with get_store().local_path(rows.sha256) as src:
            shutil.copyfile(src, rows_path)
        out_path = Path(tmp) / "documents.zip"

        try:
            rows_total = sum(1 for _ in read_rows(rows_path, ctx.payload["kind"]))
        except Exception:  # noqa: BLE001  (the batch itself reports bad tables)
            rows_total = 0
        done = [0]

        def progress(step: Any = 1, *_: Any) -> None:  # generate_batch reports one call per row
            done[0] += step if isinstance(step, int) else 1
            if rows_total:
                ctx.progress(0.05 + 0.9 * min(done[0], rows_total) / rows_total, "generating")

        issued: list[dict[str, Any]] = []
        lock = threading.Lock()

        def keep(doc: GeneratedDocument) -> None:
            """Each issued file into the store, so that the registry gives it again (both formats)."""
            path = Path(tmp) / f"issued-{doc.sha256}"
            path.write_bytes(doc.content)
            sha = get_store().put_file(path, doc.sha256)
            path.unlink(missing_ok=True)
            with lock:
                issued.append({"document_id": doc.document_id, "sha256": sha, "size": len(doc.content),
                               "filename": doc.filename, "media_type": doc.media_type})

        ctx.progress(0.05, "generating")
        outcome = generate_batch(ctx.payload["kind"], rows_path, ctx.payload.get("lang", "ru"),
                                 ctx.payload.get("fmt", "pdf"), out_path, progress, numbering=registry,
                                 organization=ctx.payload.get("organization"), issuer=ctx.payload.get("issuer"),
                                 keep=keep if ctx.owner_user_id is not None else None)
        if issued:
            with session_scope() as db:
                db.add_all(FileRecord(owner_user_id=ctx.owner_user_id, organisation_id=ctx.organisation_id or 0,
                                      purpose=FilePurpose.GENERATED, filename=f["filename"],
                                      media_type=f["media_type"], size=f["size"], sha256=f["sha256"],
                                      registry_document_id=f["document_id"]) for f in issued)
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
