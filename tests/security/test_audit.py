"""The audit log records who did what (login, failed login, upload, generation, submission, decision,
download) with the actor, the action, the object and the time; IINs are masked in the audit entries and
in every log record of the process."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from tests.security.conftest import IIN, PASSWORDS, make_client, new_dossier, pdf_bytes, upload
from tests.security.test_authz_matrix import CERTIFICATE

MASKED = IIN[:4] + "******" + IIN[-2:]


def _events(admin: Any, **query: str) -> list[dict[str, Any]]:
    r = admin.get("/api/v1/audit", params={**query, "limit": "1000"})
    assert r.status_code == 200, r.text
    return r.json()


def _one(events: list[dict[str, Any]], action: str) -> dict[str, Any]:
    found = [e for e in events if e["action"] == action]
    assert len(found) == 1, (action, [e["action"] for e in events])
    return found[0]


def _recent(event: dict[str, Any], since: dt.datetime) -> bool:
    at = dt.datetime.fromisoformat(event["at"])
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return since - dt.timedelta(seconds=2) <= at <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)


def test_audit_records_who_did_what_and_masks_iins(app: Any, clients: dict[str, Any],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    since = dt.datetime.now(dt.UTC)
    admin, secretary, commission = clients["admin"], clients["secretary"], clients["commission"]
    # a teacher types their IIN as the user name, then signs in properly
    anonymous = make_client(app)
    assert anonymous.post("/api/v1/auth/login", json={"username": IIN, "password": "wrong"}).status_code == 401
    teacher = make_client(app)
    r = teacher.post("/api/v1/auth/login", json={"username": "teacher", "password": PASSWORDS["teacher"]})
    assert r.status_code == 200
    teacher.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    teacher_id = r.json()["user"]["id"]

    dossier = new_dossier(teacher, "audit")
    data = pdf_bytes(f"Справка ИИН {IIN}")
    up = upload(teacher, dossier, f"справка {IIN}.pdf", data)
    assert up.status_code == 201, up.text
    file_id, sha = up.json()["files"][0]["id"], up.json()["files"][0]["sha256"]
    assert teacher.post(f"/api/v1/dossiers/{dossier}/submit").status_code == 200
    r = commission.post(f"/api/v1/commission/dossiers/{dossier}/decision",
                        json={"decision": "rejected", "comment": f"ИИН {IIN} в справке не совпадает"})
    assert r.status_code == 200
    assert commission.get(f"/api/v1/files/{file_id}").status_code == 200
    gen = secretary.post("/api/v1/documents", json={"kind": "certificate", "data": CERTIFICATE, "lang": "ru",
                                                   "format": "docx", "draft": True})
    assert gen.status_code == 201

    failed = [e for e in _events(admin, action="auth.login_failed") if _recent(e, since)]
    assert [(e["object_id"], e["actor_username"], e["ip"]) for e in failed] == [(MASKED, None, "testclient")]
    login = [e for e in _events(admin, action="auth.login") if _recent(e, since) and e["actor_username"] == "teacher"]
    assert login and login[0]["object_id"] == str(teacher_id) and login[0]["actor_user_id"] == teacher_id

    upload_event = _one(_events(admin, object_id=file_id), "dossier.file_upload")
    assert (upload_event["actor_username"], upload_event["object_type"]) == ("teacher", "file")
    assert upload_event["details"]["sha256"] == sha and upload_event["details"]["dossier_id"] == dossier  # untouched
    download = _one(_events(admin, object_id=file_id), "file.download")
    assert (download["actor_username"], download["details"]["dossier_id"]) == ("commission", dossier)
    by_dossier = _events(admin, object_id=dossier)
    submit, decide = _one(by_dossier, "dossier.submit"), _one(by_dossier, "dossier.decide")
    assert submit["actor_username"] == "teacher"
    assert decide["actor_username"] == "commission" and decide["details"]["decision"] == "rejected"
    assert decide["details"]["comment"] == f"ИИН {MASKED} в справке не совпадает"
    generate = _one(_events(admin, object_id=gen.json()["file_id"]), "document.generate")
    assert (generate["actor_username"], generate["details"]["kind"]) == ("secretary", "certificate")
    for event in (upload_event, download, submit, decide, generate):
        assert _recent(event, since), event

    # nothing in the whole audit table or in the captured logs carries the IIN
    everything = _events(admin)
    assert IIN not in str(everything)
    assert all(IIN not in rec.getMessage() and IIN not in (rec.exc_text or "") for rec in caplog.records)


def test_log_records_mask_iins_everywhere(caplog: pytest.LogCaptureFixture, app: Any) -> None:
    """The access log line of a URL with an IIN (uvicorn's own format) and a traceback naming an IIN."""
    caplog.set_level(logging.INFO)
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "10.0.0.5:5123", "GET",
                                             f"/check/{IIN}?q={IIN}", "1.1", 200)
    try:
        raise ValueError(f"row 3: participant IIN {IIN} is not valid")
    except ValueError:
        logging.getLogger("service.jobs.runner").exception("job %s failed", "abc")
    logging.getLogger("x").warning("sha %s id %s n %s", "a" * 20 + "123456789012" + "b" * 32,
                                   "Zx-123456789012_q", "1234567890123")
    text = caplog.text
    assert IIN not in text
    assert f"/check/{MASKED}?q={MASKED}" in text and f"participant IIN {MASKED} is not valid" in text
    # hashes, ids and longer numbers are not IINs: left alone
    assert "a" * 20 + "123456789012" + "b" * 32 in text and "Zx-123456789012_q" in text and "1234567890123" in text


def test_mask_pii_shapes() -> None:
    from service.pii import mask_pii

    assert mask_pii(f"ИИН:{IIN}.") == f"ИИН:{MASKED}."
    assert mask_pii({"a": [IIN, {"b": f"x {IIN}"}], "n": 5}) == {"a": [MASKED, {"b": f"x {MASKED}"}], "n": 5}
    assert mask_pii("12345678901") == "12345678901"  # 11 digits: not an IIN
