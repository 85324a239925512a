"""One access rule (service.accounts.permissions): the API's guards, the upload fast path and the page
guards give the same answer for every role, because all three ask :func:`authorize`. The endpoint by
endpoint answers are the matrix's (test_authz_matrix.py); this is the agreement between the three."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from service.accounts.models import Role
from service.accounts.permissions import GRANTS, Permission, authorize, permits
from service.errors import Forbidden, Unauthenticated
from tests.security.conftest import SIGNED_IN, make_client, new_dossier, upload, wait_job

ROLE_OF = {"secretary": "secretary", "secretary_far": "secretary", "teacher": "teacher", "teacher2": "teacher",
           "commission": "commission", "commission_far": "commission", "admin": "admin"}


def _refused(call: Any) -> bool:
    try:
        call()
    except Forbidden:
        return True
    return False


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_api_guard_page_guard_and_the_rule_agree(role: Role, permission: Permission) -> None:
    from service.deps import require
    from service.web.pages.common import Page, _guard

    principal = SimpleNamespace(role=role, user=SimpleNamespace(role=role.value))
    page = Page(request=SimpleNamespace(), db=None, principal=principal, settings=None)  # type: ignore[arg-type]
    expected = permission in GRANTS[role]
    assert permits(principal, permission) is expected
    assert _refused(lambda: asyncio.run(require(permission)(principal))) is not expected
    assert _refused(lambda: _guard(permission)(page)) is not expected
    assert _refused(lambda: authorize(role.value, permission)) is not expected  # a row's role: a string


@pytest.mark.parametrize("role", list(Role))
def test_the_upload_fast_path_asks_the_same_rule(role: Role) -> None:
    from service.dossier.intake import _check_principal

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    row = SimpleNamespace(expires_at=now + dt.timedelta(hours=1), is_active=True, csrf_token="t", role=role.value)
    assert _refused(lambda: _check_principal(row, "t", now)) is not permits(role, Permission.COMPILE)
    with pytest.raises(Forbidden):
        _check_principal(row, "forged", now)  # the CSRF token comes before the role, as in the API
    with pytest.raises(Unauthenticated):
        _check_principal(SimpleNamespace(**{**vars(row), "expires_at": now}), "t", now)


def test_nobody_is_unauthenticated_everywhere() -> None:
    with pytest.raises(Unauthenticated):
        authorize(None, Permission.COMPILE)
    assert not permits(None, *Permission)


@pytest.mark.parametrize("who", SIGNED_IN)
def test_keeping_a_dossier_gets_one_answer_in_the_api_the_upload_and_the_pages(
        clients: dict[str, Any], who: str) -> None:
    client = clients[who]
    created = client.post("/api/v1/dossiers", json={"profile": "kz-master", "period_start": "2022-01-01",
                                                    "period_end": "2026-01-01"})
    dossier = created.json()["id"] if created.status_code == 201 else new_dossier(clients["teacher"])
    uploaded = upload(client, dossier)
    page = client.get("/dossiers", follow_redirects=False)
    refused = not permits(ROLE_OF[who], Permission.COMPILE)
    assert (created.status_code == 403, uploaded.status_code == 403, page.status_code == 403) == (refused,) * 3, (
        created.status_code, uploaded.status_code, page.status_code)
    if not refused:
        wait_job(client, uploaded.json()["files"][0]["job"]["id"])


def test_an_administrator_reads_a_teachers_dossier_everywhere_and_changes_it_nowhere(
        clients: dict[str, Any]) -> None:
    teacher, admin = clients["teacher"], clients["admin"]
    draft = new_dossier(teacher, "admin reads")
    r = upload(teacher, draft)
    assert r.status_code == 201, r.text
    file_id = r.json()["files"][0]["id"]
    wait_job(teacher, r.json()["files"][0]["job"]["id"])
    # reads: the API's dossier, file and job; the web's review page (SEE_ALL)
    assert admin.get(f"/api/v1/dossiers/{draft}").status_code == 200
    assert admin.get(f"/api/v1/files/{file_id}").status_code == 200
    assert admin.get(f"/api/v1/jobs/{r.json()['files'][0]['job']['id']}").status_code == 200
    assert admin.get(f"/review/{draft}").status_code == 200
    assert admin.get("/review").status_code == 200
    # acts for nobody: no upload (the fast path), no removal, no submission, not the teacher's page
    assert upload(admin, draft).status_code == 403
    assert admin.delete(f"/api/v1/dossiers/{draft}/files/{file_id}").status_code == 403
    assert admin.post(f"/api/v1/dossiers/{draft}/submit").status_code == 403
    assert admin.get(f"/dossiers/{draft}").status_code == 403
    # nor for the commission: its API and the decision
    assert teacher.post(f"/api/v1/dossiers/{draft}/submit").status_code == 200
    assert admin.get(f"/api/v1/commission/dossiers/{draft}").status_code == 403
    r = admin.post(f"/review/{draft}/decision", data={"decision": "approved", "comment": "ok"})
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert teacher.get(f"/api/v1/dossiers/{draft}").json()["dossier"]["status"] == "submitted"


def test_a_page_guard_sends_nobody_to_the_login_page_and_back(app: Any) -> None:
    anon = make_client(app)
    for path in ("/dossiers", "/review?status=decided", "/documents/certificate", "/batch/jobs/x"):
        r = anon.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"] == "/login?next=" + path.replace("/", "%2F").replace("?", "%3F").replace(
            "=", "%3D"), path


def test_an_error_raised_by_a_page_is_the_error_page_of_the_signed_in_user(clients: dict[str, Any]) -> None:
    """A page raises the service's error; the application's handler renders the one error page, with
    the user's header, whatever the client accepts unless it asks for JSON."""
    teacher = clients["teacher2"]
    other = new_dossier(clients["teacher"], "not yours")
    r = teacher.get(f"/dossiers/{other}", params={"lang": "en"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'data-testid="error-message">This page does not exist, or you have no access to it.<' in r.text
    assert 'data-testid="who"' in r.text and "/logout" in r.text
    r = teacher.get(f"/dossiers/{other}", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = clients["secretary"].post("/reference/regions/999999/delete", params={"lang": "en"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
