"""Every endpoint of /api/v1, against SQLite and PostgreSQL: success, 401/403/404-without-leaking,
413, 415, 422, CSRF, throttling, session expiry, the teacher → commission journey and the audit log."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest

from tests.service.conftest import PASSWORDS, login, make_client, pdf_bytes, png_bytes, wait_job

API = "/api/v1"
PERIOD = {"profile": "kz-researcher", "period_start": "2021-09-01", "period_end": "2026-08-31"}


def new_dossier(client: Any, **extra: Any) -> str:
    r = client.post(f"{API}/dossiers", json={**PERIOD, **extra})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def upload(client: Any, dossier_id: str, *files: tuple[str, bytes, str]) -> Any:
    return client.post(f"{API}/dossiers/{dossier_id}/files", files=[("files", f) for f in files])


# ------------------------------------------------------------------ schema, errors


def test_openapi_lists_every_resource(app: Any) -> None:
    paths = make_client(app).get(f"{API}/openapi.json").json()["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/reference/events",
                 "/api/v1/documents", "/api/v1/documents/batch", "/api/v1/registry", "/api/v1/registry/{document_id}",
                 "/api/v1/dossiers", "/api/v1/dossiers/{dossier_id}/files", "/api/v1/dossiers/{dossier_id}/submit",
                 "/api/v1/commission/dossiers", "/api/v1/commission/dossiers/{dossier_id}/decision",
                 "/api/v1/commission/dossiers/{dossier_id}/package/{fmt}", "/api/v1/audit", "/api/v1/jobs/{job_id}",
                 "/api/v1/public/check", "/api/v1/public/check/{document_id}", "/api/v1/files/{file_id}"):
        assert path in paths, path
    upload_body = paths["/api/v1/dossiers/{dossier_id}/files"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body


def test_the_upload_is_served_by_its_direct_route_before_the_routers(app: Any, clients: dict[str, Any]) -> None:
    from starlette.routing import Match, Route

    direct = [i for i, r in enumerate(app.router.routes) if isinstance(r, Route) and r.name == "upload_direct"]
    routers = [i for i, r in enumerate(app.router.routes) if type(r).__name__ == "_IncludedRouter"]
    assert len(direct) == 1 and routers and direct[0] < min(routers)
    route = app.router.routes[direct[0]]
    assert (route.path, route.methods) == ("/api/v1/dossiers/{dossier_id}/files", {"POST"})
    scope = {"type": "http", "method": "POST", "path": "/api/v1/dossiers/abc/files", "root_path": ""}
    first = next(r for r in app.router.routes if r.matches(scope)[0] is Match.FULL)
    assert first is route  # Starlette serves the first full match
    t = clients["teacher"]
    r = upload(t, new_dossier(t), ("a.pdf", pdf_bytes("order"), "application/pdf"))
    assert r.status_code == 201, r.text
    assert [f["filename"] for f in r.json()["files"]] == ["a.pdf"]
    r = upload(t, "no-such-dossier", ("a.pdf", pdf_bytes("order"), "application/pdf"))
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_health_and_unknown_route_use_the_error_format(app: Any) -> None:
    client = make_client(app)
    assert client.get(f"{API}/health").json()["status"] == "ok"
    r = client.get(f"{API}/no-such-thing")
    assert r.status_code == 404
    assert r.json() == {"error": "not_found", "message": "Not Found", "details": None}


# ------------------------------------------------------------------ auth


def test_login_me_logout(app: Any) -> None:
    client = make_client(app)
    assert client.get(f"{API}/auth/me").status_code == 401
    r = client.post(f"{API}/auth/login", json={"username": "teacher", "password": PASSWORDS["teacher"]})
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["role"] == "teacher" and body["organisation"]["code"] == "SCH-TARAZ-12"
    cookie = r.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("attest_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Path=/" in session_cookie
    csrf_cookie = next(c for c in cookie if c.startswith("attest_csrf="))
    assert "HttpOnly" not in csrf_cookie
    assert client.get(f"{API}/auth/me").json()["user"]["username"] == "teacher"
    # unsafe request without the CSRF header: refused
    r = client.post(f"{API}/auth/logout")
    assert r.status_code == 403 and r.json()["details"] == {"reason": "csrf"}
    r = client.post(f"{API}/auth/logout", headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    r = client.post(f"{API}/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]})
    assert r.status_code == 204
    assert client.get(f"{API}/auth/me").status_code == 401


def test_login_wrong_password_then_throttled(app: Any) -> None:
    client = make_client(app)
    for _ in range(3):  # login_max_attempts=3 in these tests
        r = client.post(f"{API}/auth/login", json={"username": "teacher2", "password": "nope"})
        assert r.status_code == 401
        assert r.json()["error"] == "unauthenticated"
    r = client.post(f"{API}/auth/login", json={"username": "teacher2", "password": PASSWORDS["teacher2"]})
    assert r.status_code == 429 and r.headers["retry-after"] == "300"
    # clear the window so other tests can sign in as teacher2
    from sqlalchemy import delete

    from service.accounts.models import LoginAttempt
    from service.db import session_scope

    with session_scope() as db:
        db.execute(delete(LoginAttempt).where(LoginAttempt.username == "teacher2"))
    assert client.post(f"{API}/auth/login", json={"username": "teacher2",
                                                   "password": PASSWORDS["teacher2"]}).status_code == 200


def test_login_schema_error_is_422(app: Any) -> None:
    r = make_client(app).post(f"{API}/auth/login", json={"username": "teacher"})
    assert r.status_code == 422
    assert r.json()["error"] == "bad_input" and r.json()["details"][0]["field"] == "password"


def test_tampered_and_expired_sessions_are_401(app: Any) -> None:
    client = login(app, "teacher")
    good = client.cookies.get("attest_session")
    client.cookies.set("attest_session", good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert client.get(f"{API}/auth/me").status_code == 401
    client.cookies.set("attest_session", good)
    assert client.get(f"{API}/auth/me").status_code == 200
    from sqlalchemy import update

    from service.accounts.models import UserSession
    from service.accounts.security import unsign_session_id
    from service.db import session_scope
    from service.settings import get_settings

    sid = unsign_session_id(get_settings().secret_key, good, 3600)
    with session_scope() as db:
        db.execute(update(UserSession).where(UserSession.id == sid)
                   .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert client.get(f"{API}/auth/me").status_code == 401


# ------------------------------------------------------------------ users, reference data


def test_users_admin_only(clients: dict[str, Any]) -> None:
    admin, teacher = clients["admin"], clients["teacher"]
    assert teacher.get(f"{API}/users").status_code == 403
    org = admin.get(f"{API}/organisations/mine").json()["id"]
    body = {"username": "newteacher", "password": "long-enough-pw", "full_name": "Новый Учитель", "role": "teacher",
            "organisation_id": org}
    r = admin.post(f"{API}/users", json=body)
    assert r.status_code == 201 and r.json()["role"] == "teacher"
    assert admin.post(f"{API}/users", json=body).status_code == 409
    assert admin.post(f"{API}/users", json={**body, "username": "x2", "password": "short"}).status_code == 422
    assert admin.post(f"{API}/users", json={**body, "username": "x3", "role": "king"}).status_code == 422
    assert "newteacher" in [u["username"] for u in admin.get(f"{API}/users").json()]


def test_reference_data(clients: dict[str, Any]) -> None:
    sec, teacher, admin = clients["secretary"], clients["teacher"], clients["admin"]
    regions = sec.get(f"{API}/reference/regions").json()
    zha = next(r for r in regions if r["code"] == "KZ-ZHA")
    assert len([r for r in regions if r["organisation_id"] is None]) == 20
    r = sec.post(f"{API}/reference/districts", json={"region_id": zha["id"], "name_ru": "Шуский район",
                                                     "name_kk": "Шу ауданы"})
    assert r.status_code == 201
    district = r.json()
    r = sec.post(f"{API}/reference/events", json={"title": "Мастер-класс", "date": "2024-05-20", "form": "master_class",
                                                  "level": "district", "district_id": district["id"]})
    assert r.status_code == 201 and r.json()["district_id"] == district["id"]
    event_id = r.json()["id"]
    assert sec.post(f"{API}/reference/events", json={"title": "x", "date": "20.05.2024"}).status_code == 422
    assert sec.post(f"{API}/reference/events", json={"title": "x", "date": "2024-05-20",
                                                     "district_id": 999999}).status_code == 422
    r = sec.post(f"{API}/reference/council-members", json={"full_name": "Нуртаева Айжан", "council_role": "member"})
    assert r.status_code == 201
    r = sec.put(f"{API}/reference/events/{event_id}", json={"title": "Мастер-класс (перенесён)", "date": "2024-05-27"})
    assert r.status_code == 200 and r.json()["date"] == "2024-05-27"
    # a teacher of another organisation sees shared data, not the methodological centre's events
    assert event_id not in [e["id"] for e in teacher.get(f"{API}/reference/events").json()]
    assert teacher.post(f"{API}/reference/events", json={"title": "x", "date": "2024-05-20"}).status_code == 403
    # shared regions: only an admin changes them
    assert sec.put(f"{API}/reference/regions/{zha['id']}", json={"code": "KZ-ZHA", "name_ru": "x",
                                                                "name_kk": "x"}).status_code == 403
    assert sec.get(f"{API}/reference/nonsense").status_code == 404
    assert sec.delete(f"{API}/reference/events/{event_id}").status_code == 204
    assert sec.delete(f"{API}/reference/events/{event_id}").status_code == 404
    assert admin.get(f"{API}/reference/council-members").status_code == 200


# ------------------------------------------------------------------ dossiers


def test_dossier_create_validation(clients: dict[str, Any]) -> None:
    teacher, sec = clients["teacher"], clients["secretary"]
    assert "kz-researcher" in teacher.get(f"{API}/dossiers/profiles").json()
    r = teacher.post(f"{API}/dossiers", json={**PERIOD, "profile": "kz-astronaut"})
    assert r.status_code == 422 and r.json()["details"] == {"field": "profile"}
    r = teacher.post(f"{API}/dossiers", json={**PERIOD, "period_end": "2020-01-01"})
    assert r.status_code == 422 and r.json()["details"] == {"field": "period_end"}
    assert teacher.post(f"{API}/dossiers", json={"profile": "kz-researcher"}).status_code == 422
    assert sec.post(f"{API}/dossiers", json=PERIOD).status_code == 403
    assert make_client(teacher.app).post(f"{API}/dossiers", json=PERIOD).status_code == 401


def test_upload_verify_and_isolation(clients: dict[str, Any]) -> None:
    teacher, other, commission = clients["teacher"], clients["teacher2"], clients["commission"]
    dossier_id = new_dossier(teacher)
    pdf, png = pdf_bytes("order"), png_bytes()
    r = upload(teacher, dossier_id, ("order.pdf", pdf, "application/pdf"), ("photo.png", png, "image/png"))
    assert r.status_code == 201, r.text
    files = r.json()["files"]
    assert [f["filename"] for f in files] == ["order.pdf", "photo.png"]
    assert [f["media_type"] for f in files] == ["application/pdf", "image/png"]
    assert all(f["job"]["kind"] == "verify_upload" for f in files)
    for f in files:
        job = wait_job(teacher, f["job"]["id"])
        assert job["state"] == "succeeded" and job["attempts"] == 1 and job["progress"] == 1.0
    detail = teacher.get(f"{API}/dossiers/{dossier_id}").json()
    assert [f["report"]["file"] for f in detail["files"]] == ["order.pdf", "photo.png"]
    import hashlib

    assert detail["files"][0]["report"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert detail["files"][0]["verdict"] == detail["files"][0]["report"]["verdict"]
    assert detail["readiness"]["files"] == 2 and detail["readiness"]["verifications_pending"] == 0
    assert detail["checklist"]["profile"] == "kz-researcher"
    file_id = files[0]["id"]
    # download: attachment + nosniff, same bytes
    r = teacher.get(f"{API}/files/{file_id}")
    assert r.status_code == 200 and r.content == pdf
    assert r.headers["content-disposition"].startswith('attachment; filename="order.pdf"')
    assert r.headers["x-content-type-options"] == "nosniff"
    assert teacher.get(f"{API}/files/{file_id}/report").json()["report"]["file"] == "order.pdf"
    # another teacher, and the commission before submission: 404 as if nothing existed
    for client in (other, commission):
        assert client.get(f"{API}/files/{file_id}").status_code == 404
        assert client.get(f"{API}/files/{file_id}/report").status_code == 404
    assert other.get(f"{API}/dossiers/{dossier_id}").status_code == 404
    assert other.get(f"{API}/dossiers/{dossier_id}").json() == other.get(f"{API}/dossiers/nonexistent").json()
    assert upload(other, dossier_id, ("x.pdf", pdf, "application/pdf")).status_code == 404
    assert other.get(f"{API}/jobs/{files[0]['job']['id']}").status_code == 404
    assert other.delete(f"{API}/dossiers/{dossier_id}/files/{file_id}").status_code == 404
    assert dossier_id not in [d["id"] for d in other.get(f"{API}/dossiers").json()]
    assert commission.get(f"{API}/commission/dossiers/{dossier_id}").status_code == 404
    # removal from a draft
    assert teacher.delete(f"{API}/dossiers/{dossier_id}/files/{files[1]['id']}").status_code == 204
    assert len(teacher.get(f"{API}/dossiers/{dossier_id}").json()["files"]) == 1


def test_upload_limits_and_types(clients: dict[str, Any]) -> None:
    teacher = clients["teacher"]
    dossier_id = new_dossier(teacher)
    big = pdf_bytes() + b"%" * 250_000  # over max_upload_bytes=200000
    r = upload(teacher, dossier_id, ("ok.pdf", pdf_bytes(), "application/pdf"), ("big.pdf", big, "application/pdf"))
    assert r.status_code == 413
    assert r.json()["error"] == "payload_too_large" and r.json()["details"]["file"] == "big.pdf"
    r = upload(teacher, dossier_id, ("notes.docx", b"PK\x03\x04" + b"\x00" * 100, "application/pdf"))
    assert r.status_code == 415 and r.json()["details"]["file"] == "notes.docx"
    r = upload(teacher, dossier_id, ("fake.pdf", b"MZ\x90\x00 this is an exe", "application/pdf"))
    assert r.status_code == 415 and r.json()["details"]["detected"] is None
    r = upload(teacher, dossier_id, ("empty.pdf", b"", "application/pdf"))
    assert r.status_code == 422 and r.json()["details"] == {"file": "empty.pdf"}
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", json={"files": []})
    assert r.status_code == 415
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", files=[("other", ("a.pdf", pdf_bytes(), "application/pdf"))])
    assert r.status_code == 422 and r.json()["details"] == {"field": "other"}
    # nothing of the refused requests was kept
    assert teacher.get(f"{API}/dossiers/{dossier_id}").json()["files"] == []
    # path traversal and control characters in names are neutralised
    r = upload(teacher, dossier_id, ("..\\..\\etc/pa\u202ess\u200b.pdf", pdf_bytes(), "application/pdf"))
    assert r.status_code == 201 and r.json()["files"][0]["filename"] == "pass.pdf"


def test_submit_commission_decision_and_audit(clients: dict[str, Any]) -> None:
    teacher, commission, far, admin = clients["teacher"], clients["commission"], clients["commission_far"], clients["admin"]
    dossier_id = new_dossier(teacher, title="Трансляция опыта")
    assert teacher.post(f"{API}/dossiers/{dossier_id}/submit").status_code == 409  # no files yet
    r = upload(teacher, dossier_id, ("extract.pdf", pdf_bytes("extract"), "application/pdf"))
    file_id = r.json()["files"][0]["id"]
    wait_job(teacher, r.json()["files"][0]["job"]["id"])
    r = teacher.post(f"{API}/dossiers/{dossier_id}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert teacher.post(f"{API}/dossiers/{dossier_id}/submit").status_code == 409
    assert upload(teacher, dossier_id, ("late.pdf", pdf_bytes(), "application/pdf")).status_code == 409
    # the commission of the region sees it with readiness; another region's does not
    listed = {d["dossier"]["id"]: d for d in commission.get(f"{API}/commission/dossiers").json()}
    assert listed[dossier_id]["readiness"]["files"] == 1
    assert listed[dossier_id]["teacher_full_name"] == "Жумабаева Айгерим Сериковна"
    assert dossier_id not in [d["dossier"]["id"] for d in far.get(f"{API}/commission/dossiers").json()]
    assert far.get(f"{API}/commission/dossiers/{dossier_id}").status_code == 404
    assert far.get(f"{API}/files/{file_id}").status_code == 404
    assert teacher.get(f"{API}/commission/dossiers").status_code == 403
    assert commission.get(f"{API}/commission/dossiers?status=draft").status_code == 422
    opened = commission.get(f"{API}/commission/dossiers/{dossier_id}").json()
    assert [f["id"] for f in opened["files"]] == [file_id]
    assert commission.get(f"{API}/files/{file_id}").status_code == 200
    # the package: built by a job after submission
    package_job = opened["package"]["job"]["id"]
    job = wait_job(teacher, package_job, timeout=120)
    assert (job["state"], job["attempts"], job["result"]["signed"]) == ("succeeded", 1, False), job
    r = commission.get(f"{API}/commission/dossiers/{dossier_id}/package/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-disposition"].startswith('attachment; filename="dossier.pdf"')
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(r.content)).pages) == job["result"]["pages"]
    r = commission.get(f"{API}/commission/dossiers/{dossier_id}/package/zip")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert {n.rsplit("/", 1)[-1] for n in zf.namelist()} >= {"dossier.pdf", "manifest.json", "extract.pdf"}
    assert commission.get(f"{API}/commission/dossiers/{dossier_id}/package/exe").status_code == 404
    # decision
    r = commission.post(f"{API}/commission/dossiers/{dossier_id}/decision", json={"decision": "rejected"})
    assert r.status_code == 422 and r.json()["details"] == {"field": "comment"}
    assert commission.post(f"{API}/commission/dossiers/{dossier_id}/decision",
                           json={"decision": "maybe"}).status_code == 422
    r = commission.post(f"{API}/commission/dossiers/{dossier_id}/decision",
                        json={"decision": "approved", "comment": "Документы в порядке"})
    assert r.status_code == 200
    assert r.json()["status"] == "decided" and r.json()["decision"] == "approved"
    assert commission.post(f"{API}/commission/dossiers/{dossier_id}/decision",
                           json={"decision": "approved"}).status_code == 409
    assert teacher.get(f"{API}/dossiers/{dossier_id}").json()["dossier"]["decision_comment"] == "Документы в порядке"
    # audit: admin only, every step recorded
    assert teacher.get(f"{API}/audit").status_code == 403
    events = admin.get(f"{API}/audit", params={"object_id": dossier_id}).json()
    assert [e["action"] for e in reversed(events)] == ["dossier.create", "dossier.submit", "dossier.decide"]
    assert events[0]["details"] == {"decision": "approved", "comment": "Документы в порядке"}
    assert events[0]["actor_username"] == "commission"


def test_returned_dossier_is_a_draft_again(clients: dict[str, Any]) -> None:
    teacher, commission = clients["teacher"], clients["commission"]
    dossier_id = new_dossier(teacher)
    upload(teacher, dossier_id, ("a.pdf", pdf_bytes(), "application/pdf"))
    teacher.post(f"{API}/dossiers/{dossier_id}/submit")
    r = commission.post(f"{API}/commission/dossiers/{dossier_id}/decision",
                        json={"decision": "returned", "comment": "Нет печати на программе"})
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert upload(teacher, dossier_id, ("b.pdf", pdf_bytes(), "application/pdf")).status_code == 201
    # the commission still finds what it returned, read-only, among its decided dossiers (issue 14)
    seen = commission.get(f"{API}/commission/dossiers/{dossier_id}")
    assert seen.status_code == 200
    decided = commission.get(f"{API}/commission/dossiers", params={"status": "decided"}).json()
    assert [d["dossier"]["decision"] for d in decided if d["dossier"]["id"] == dossier_id] == ["returned"]
    waiting = commission.get(f"{API}/commission/dossiers", params={"status": "submitted"}).json()
    assert dossier_id not in [d["dossier"]["id"] for d in waiting]


# ------------------------------------------------------------------ documents, registry, public check


def test_documents_and_registry_roles(clients: dict[str, Any]) -> None:
    sec, teacher = clients["secretary"], clients["teacher"]
    assert "certificate" in sec.get(f"{API}/documents/kinds").json()
    body = {"kind": "certificate", "data": {}, "lang": "ru", "format": "pdf"}
    assert teacher.post(f"{API}/documents", json=body).status_code == 403
    r = sec.post(f"{API}/documents", json={**body, "kind": "diploma"})
    assert r.status_code == 422 and r.json()["details"] == {"field": "kind"}
    assert sec.post(f"{API}/documents", json={**body, "format": "odt"}).status_code == 422
    assert teacher.get(f"{API}/registry").status_code == 403
    assert isinstance(sec.get(f"{API}/registry").json(), list)
    r = sec.get(f"{API}/registry/unknown-id-123")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_batch_upload_refusals(clients: dict[str, Any]) -> None:
    """The batch's success path (real generation, ZIP, bad rows) is in test_documents.py."""
    sec, teacher = clients["secretary"], clients["teacher"]
    csv = "full_name,event\nЖумабаева Айгерим Сериковна,Семинар\n".encode()
    r = sec.post(f"{API}/documents/batch", data={"kind": "certificate"},
                 files={"file": ("participants.pdf", pdf_bytes(), "application/pdf")})
    assert r.status_code == 415
    r = sec.post(f"{API}/documents/batch", data={"kind": "bogus"}, files={"file": ("p.csv", csv, "text/csv")})
    assert r.status_code == 422 and r.json()["details"] == {"field": "kind"}
    r = sec.post(f"{API}/documents/batch", data={"kind": "certificate", "lang": "en"},
                 files={"file": ("p.csv", csv, "text/csv")})
    assert r.status_code == 422 and r.json()["details"] == {"field": "lang"}
    assert teacher.post(f"{API}/documents/batch", files={"file": ("p.csv", csv, "text/csv")}).status_code == 403


def test_public_check_needs_no_login_and_says_nothing_of_unknown_documents(app: Any) -> None:
    anon = make_client(app)
    r = anon.get(f"{API}/public/check/does-not-exist")
    assert r.status_code == 200 and r.json() == {"result": "unknown", "record": None}
    r = anon.post(f"{API}/public/check", files={"file": ("doc.pdf", pdf_bytes(), "application/pdf")})
    assert r.status_code == 200 and r.json() == {"result": "no_qr", "record": None}
    r = anon.post(f"{API}/public/check", files={"file": ("doc.txt", b"plain words", "text/plain")})
    assert r.status_code == 415
    r = anon.post(f"{API}/public/check", files={"file": ("doc.pdf", b"%PDF-" + b"0" * 300_000, "application/pdf")})
    assert r.status_code == 413


def test_jobs_and_files_unknown_ids(clients: dict[str, Any]) -> None:
    teacher = clients["teacher"]
    for path in ("/jobs/zzz", "/files/zzz", "/files/zzz/report", "/dossiers/zzz", "/dossiers/zzz/checklist"):
        r = teacher.get(API + path)
        assert r.status_code == 404, path
        assert set(r.json()) == {"error", "message", "details"}


@pytest.mark.parametrize("path", ["/dossiers", "/audit", "/users", "/registry", "/commission/dossiers",
                                  "/reference/events"])
def test_anonymous_is_401(app: Any, path: str) -> None:
    r = make_client(app).get(API + path)
    assert r.status_code == 401 and r.json()["error"] == "unauthenticated"


# ------------------------------------------------------------------ checklist (the dossier engine's matching)


def _store_reports(reports: dict[str, Any]) -> None:
    """Put verification reports on uploaded files (by file id), as a finished verify_upload job does."""
    from service.db import session_scope
    from service.uploads.models import FileRecord

    with session_scope() as db:
        for file_id, report in reports.items():
            db.get(FileRecord, file_id).report = report


def test_checklist_uses_the_dossier_engine(clients: dict[str, Any]) -> None:
    from samples.dossier.reports import complete_evidence
    from service.attestation.profiles import load_profile

    teacher = clients["teacher"]
    dossier_id = new_dossier(teacher)
    complete = complete_evidence(load_profile("kz-researcher"))
    # a known evidence set: everything except the confirming document, and only 2 of the 3 districts
    dropped = {complete.made_for["confirming_document"][0], complete.made_for["transmission_three_districts"][2]}
    evidence = [e for e in complete.evidence if e.name not in dropped]
    r = upload(teacher, dossier_id, *[(e.name, png_bytes(), "image/png") for e in evidence])
    assert r.status_code == 201, r.text
    files = r.json()["files"]
    for f in files:
        assert wait_job(teacher, f["job"]["id"])["state"] == "succeeded"
    by_name = {e.name: e.report for e in evidence}
    _store_reports({f["id"]: by_name[f["filename"]].to_dict("ru") for f in files})

    r = teacher.get(f"{API}/dossiers/{dossier_id}/checklist", params={"lang": "en"})
    assert r.status_code == 200
    data = r.json()
    assert (data["engine"], data["profile"], data["status"], data["pending"]) == (
        "matching", "kz-researcher", "incomplete", [])
    got = {q["id"]: (q["status"], q["documents"]) for q in data["requirements"]}
    assert got == {
        "participation_events": ("met", list(complete.made_for["participation_events"])),
        "confirming_document": ("unmet", []),
        "council_decision": ("met", list(complete.made_for["council_decision"])),
        "transmission_three_districts": ("unmet", list(complete.made_for["transmission_three_districts"][:2])),
    }
    reasons = {q["id"]: q["reason"] for q in data["requirements"]}
    assert reasons["confirming_document"] == "No document of the required kind (Certificate / reference / diploma)."
    assert reasons["transmission_three_districts"] == "Districts/cities counted: 2 (Район 1, Район 2); at least 3 required."
    # the dossier page carries the same checklist, and the web page shows the same engine's rows
    detail = teacher.get(f"{API}/dossiers/{dossier_id}", params={"lang": "en"}).json()
    assert detail["checklist"] == data
    page = teacher.get(f"/dossiers/{dossier_id}", params={"lang": "en"})
    assert page.status_code == 200 and 'data-testid="checklist-count"' in page.text
    assert 'data-testid="checklist-count">2 of 4 met<' in page.text


# ------------------------------------------------------------------ pages: HTML errors, forms without JavaScript

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_browser_page_requests_get_html_error_pages(app: Any, clients: dict[str, Any]) -> None:
    anon = make_client(app)
    r = anon.get("/no-such-page", headers=HTML, params={"lang": "en"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-message">This page does not exist, or you have no access to it.<' in r.text
    r = anon.delete("/check", headers=HTML)
    assert r.status_code == 405 and r.headers["content-type"].startswith("text/html")
    # API calls and non-browser clients keep the JSON body
    r = anon.get(f"{API}/no-such-endpoint", headers=HTML)
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = anon.get("/no-such-page", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    # an AttestError on a page (a form posted without its CSRF token) is a page too
    teacher = make_client(app)
    teacher.cookies = clients["teacher"].cookies
    dossier_id = new_dossier(clients["teacher"])
    r = teacher.post(f"/dossiers/{dossier_id}/submit", headers=HTML, params={"lang": "en"}, data={"x": "1"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "The form has expired" in r.text
    r = teacher.post(f"{API}/dossiers/{dossier_id}/submit", headers=HTML)
    assert r.status_code == 403 and r.json()["details"] == {"reason": "csrf"}


def test_upload_forms_work_without_javascript(app: Any, clients: dict[str, Any]) -> None:
    """The page's multipart forms carry csrf_token as a field; no X-CSRF-Token header is needed."""
    token = clients["teacher"].headers["X-CSRF-Token"]
    teacher = make_client(app)  # a browser without JavaScript: cookies, no CSRF header
    teacher.cookies = clients["teacher"].cookies
    dossier_id = new_dossier(clients["teacher"])
    files = [("files", ("order.pdf", pdf_bytes("order"), "application/pdf"))]
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", data={"csrf_token": token, "lang": "en"}, files=files,
                     headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/dossiers/{dossier_id}"
    stored = clients["teacher"].get(f"{API}/dossiers/{dossier_id}").json()["files"]
    assert [f["filename"] for f in stored] == ["order.pdf"]
    # a wrong or missing token: refused, nothing kept; a page for the browser, JSON for an API client
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", data={"csrf_token": "forged", "lang": "en"},
                     files=files, headers=HTML, params={"lang": "en"})
    assert r.status_code == 403 and "The form has expired" in r.text
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", files=files)
    assert r.status_code == 403 and r.json()["details"] == {"reason": "csrf"}
    assert len(clients["teacher"].get(f"{API}/dossiers/{dossier_id}").json()["files"]) == 1
    # a refused file in a form without JavaScript: the reason on a page
    r = teacher.post(f"{API}/dossiers/{dossier_id}/files", data={"csrf_token": token},
                     files=[("files", ("notes.txt", b"plain words", "text/plain"))], headers=HTML)
    assert r.status_code == 415 and r.headers["content-type"].startswith("text/html")
    assert "Файл notes.txt — не PDF" in r.text  # in the page's language (Russian by default), not English
    # the secretary's participants' table, without JavaScript: to the job's page
    sec = make_client(app)
    sec.cookies = clients["secretary"].cookies
    r = sec.post(f"{API}/documents/batch", headers=HTML, follow_redirects=False,
                 data={"csrf_token": clients["secretary"].headers["X-CSRF-Token"], "kind": "certificate",
                       "format": "docx"},
                 files={"file": ("p.csv", "participant,date\nА,\n".encode(), "text/csv")})
    assert r.status_code == 303 and r.headers["location"].startswith("/batch/jobs/")


def test_detached_signature_sent_earlier_is_used_and_nothing_stays_spooled(clients: dict[str, Any],
                                                                           test_pki: Any) -> None:
    from samples.signatures import detached_cms
    from service.storage import get_store

    teacher = clients["teacher"]
    dossier_id = new_dossier(teacher)
    pdf = pdf_bytes("signed order")
    r = upload(teacher, dossier_id, ("order.pdf.p7s", detached_cms(pdf, test_pki), "application/pkcs7-signature"))
    assert r.status_code == 201 and r.json()["files"][0]["media_type"] == "application/pkcs7-signature"
    r = upload(teacher, dossier_id, ("order.pdf", pdf, "application/pdf"))
    assert r.status_code == 201
    job = wait_job(teacher, r.json()["files"][0]["job"]["id"])
    assert job["state"] == "succeeded"
    report = teacher.get(f"{API}/files/{r.json()['files'][0]['id']}/report").json()["report"]
    assert [(s["type"], s["signer"]["iin"]) for s in report["signatures"]] == [("cms_detached", "900101400123")]
    # refused and accepted uploads leave nothing behind in the spool folder
    upload(teacher, dossier_id, ("fake.pdf", b"MZ\x90\x00 this is an exe", "application/pdf"))
    upload(teacher, dossier_id, ("big.pdf", pdf_bytes() + b"%" * 250_000, "application/pdf"))
    assert list(get_store().spool_dir().iterdir()) == []
