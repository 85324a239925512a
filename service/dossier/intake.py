"""Taking a teacher's uploads into a dossier: the service's hot path.

Fifty teachers uploading at once is the load this path is built for (``bench/load.py``). One request
is one pass over the body (spooled, hashed and sniffed as it streams in:
:func:`service.uploads.service.receive_multipart`) and then one database step:

1. one SELECT gives the session, its user and the dossier (:func:`repository.upload_context`);
2. the access rules are applied to that row — a live session (:func:`service.accounts.service.session_is_live`),
   its CSRF token (:func:`service.accounts.security.check_csrf_token`), a role that may keep dossiers
   (:func:`service.accounts.permissions.authorize`, as every API guard), the teacher's own dossier
   (anyone else's is NotFound), a draft;
3. the files are adopted into the content-addressed store (fsync + rename);
4. their rows, their verification jobs and their audit entries are inserted with Core statements
   (no ORM unit of work) and committed together;
5. after the commit the jobs are handed to the worker: on PostgreSQL with Celery a NOTIFY in the
   same transaction wakes the workers' dispatchers, which publish them (:mod:`service.jobs.dispatcher`);
   otherwise an in-process wake-up, or this process's Celery sender thread. A lost message is found
   again by the sweeper, the job rows being committed.

Built without FastAPI's generic dependencies or the ORM unit of work, at about a third of their CPU
(``docs/service.md``, "Load"); the access rules are the same functions :mod:`service.deps` applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from service.accounts.permissions import SIGN_IN_FIRST, Permission, authorize
from service.accounts.security import check_csrf_token
from service.accounts.service import session_is_live
from service.audit.service import event_values
from service.db import new_id, utcnow
from service.dossier import repository as repo
from service.dossier.models import DossierStatus
from service.dossier.workflow import DETACHED_SUFFIXES, FileView, check_incoming
from service.errors import Conflict, NotFound, Unauthenticated
from service.jobs import dispatcher
from service.jobs.models import Job, new_job_values
from service.jobs.service import dispatch_soon
from service.settings import get_settings
from service.uploads.models import FilePurpose, FileRecord
from service.uploads.service import ReceivedForm, adopt, file_values

__all__ = ["UploadRequest", "accept_uploads", "check_principal", "dispatch"]


@dataclass(frozen=True)
class UploadRequest:
    """What the endpoint knows of one upload request once its body has streamed in."""

    session_id: str
    csrf_token: str
    """Sent in the X-CSRF-Token header, or in the form's csrf_token field (a form sent without JavaScript)."""
    dossier_id: str
    form: ReceivedForm
    lang: str = "ru"
    kind: str | None = None


def accept_uploads(engine: Engine, upload: UploadRequest) -> tuple[list[dict[str, Any]], list[str]]:
    """Store the files of one request and start one verification job per file.

    Returns the files' views (the API's answer) and the ids of the jobs to dispatch. Nothing is
    stored when any rule refuses the request (401/403/404/409, or 415/422 for a file)."""
    now = utcnow()
    with engine.connect() as conn:
        ctx = repo.upload_context(conn, upload.session_id, upload.dossier_id)
        _check_principal(ctx, upload.csrf_token, now)
        if ctx.dossier_teacher_id != ctx.user_id:  # no such dossier, or someone else's: the same answer
            raise NotFound("no such dossier")
        if ctx.dossier_status != DossierStatus.DRAFT.value:
            raise Conflict("the dossier has been submitted; its files can no longer change",
                           details={"status": ctx.dossier_status})
        form = upload.form
        check_incoming(form)

        files = [
            file_values(incoming, adopt(incoming), file_id=new_id(), created_at=now, owner_user_id=ctx.user_id,
                        organisation_id=ctx.dossier_organisation_id, purpose=FilePurpose.DOSSIER_UPLOAD,
                        dossier_id=upload.dossier_id)
            for incoming in form.files
        ]
        by_name = {f["filename"]: f for f in files}
        max_attempts = get_settings().job_max_attempts
        handoff = dispatcher.handoff(conn)  # Celery on PostgreSQL: the workers publish, not this process
        jobs, events = [], []
        for f in files:
            payload: dict[str, Any] = {"file_id": f["id"], "dossier_id": upload.dossier_id, "lang": upload.lang}
            if upload.kind:
                payload["kind"] = upload.kind
            for suffix in DETACHED_SUFFIXES:
                sig = by_name.get(f["filename"] + suffix)
                if sig is not None:
                    payload["detached_file_id"] = sig["id"]
            job = new_job_values("verify_upload", payload, owner_user_id=ctx.user_id,
                                 organisation_id=ctx.user_organisation_id, max_attempts=max_attempts, now=now)
            if handoff:
                job["dispatched_at"] = None  # the dispatcher of a worker claims and sends it
            f["job_id"] = job["id"]
            jobs.append(job)
            events.append(event_values("dossier.file_upload", actor_user_id=ctx.user_id,
                                       actor_username=ctx.username, organisation_id=ctx.user_organisation_id,
                                       object_type="file", object_id=f["id"], at=now,
                                       dossier_id=upload.dossier_id, sha256=f["sha256"], size=f["size"]))
        repo.insert_uploads(conn, files, jobs, events)
        if handoff:
            dispatcher.notify(conn)
        conn.commit()  # stored and committed before 201; the jobs are dispatched after it
    views = [FileView(FileRecord(**f), Job(**j)).to_dict() for f, j in zip(files, jobs, strict=True)]
    return views, ([] if handoff else [j["id"] for j in jobs])


def check_principal(engine: Engine, session_id: str, csrf_token: str) -> None:
    """The checks that come before the body's own (a request whose body was refused learns first that
    it is not signed in, has no CSRF token or the wrong role, as with every other endpoint)."""
    with engine.connect() as conn:
        _check_principal(repo.upload_context(conn, session_id, ""), csrf_token, utcnow())


def _check_principal(ctx: Any, csrf_token: str, now: dt.datetime) -> None:
    if ctx is None or not session_is_live(ctx.expires_at, ctx.is_active, now):
        raise Unauthenticated(SIGN_IN_FIRST)
    check_csrf_token(csrf_token, ctx.csrf_token)
    authorize(ctx.role, Permission.COMPILE)


def dispatch(job_ids: list[str]) -> None:
    for job_id in job_ids:
        dispatch_soon(job_id)


def _iso(value: dt.date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()
