"""Sessions and browser-facing protections: login throttling (per account and per client address),
session expiry, server-side logout, CSRF on every unsafe cookie-authenticated request (API and web forms),
security headers on every kind of response, safe downloads, cookie flags."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

import pytest

from tests.security.conftest import PASSWORDS, login, make_client, new_dossier, pdf_bytes, upload


def _new_user(clients: dict[str, Any], password: str = "correct-horse-1") -> str:
    from sqlalchemy import select

    from service.accounts.models import Organisation
    from service.db import session_scope

    with session_scope() as db:
        org_id = db.scalar(select(Organisation.id).where(Organisation.code == "SCH-TARAZ-12"))
    username = f"u{secrets.token_hex(4)}"
    r = clients["admin"].post("/api/v1/users", json={"username": username, "password": password,
                                                     "full_name": "Проверка", "role": "teacher",
                                                     "organisation_id": org_id})
    assert r.status_code == 201, r.text
    return username


# ------------------------------------------------------------------ throttling


def test_login_is_throttled_per_account_after_max_attempts(app: Any, clients: dict[str, Any]) -> None:
    username = _new_user(clients)
    client = make_client(app)
    for _ in range(3):  # login_max_attempts = 3
        r = client.post("/api/v1/auth/login", json={"username": username, "password": "wrong-password"})
        assert (r.status_code, r.json()["error"]) == (401, "unauthenticated")
    r = client.post("/api/v1/auth/login", json={"username": username, "password": "correct-horse-1"})
    assert (r.status_code, r.json()["error"]) == (429, "too_many_requests")
    assert r.headers["Retry-After"] == "300"
    assert "attest_session" not in r.cookies
    # another account from the same address is not affected by this account's lock
    assert make_client(app).post("/api/v1/auth/login", json={"username": "teacher2",
                                                              "password": PASSWORDS["teacher2"]}).status_code == 200


def test_login_is_throttled_per_client_address(app: Any, clients: dict[str, Any], settings_override: Any) -> None:
    from fastapi.testclient import TestClient

    settings_override(login_max_attempts_per_ip="4")
    attacker = TestClient(app, raise_server_exceptions=False, client=("203.0.113.7", 40000))
    for i in range(4):  # a different user name each time: the per-account limit never triggers
        r = attacker.post("/api/v1/auth/login", json={"username": f"guess{i}", "password": "x"})
        assert r.status_code == 401
    r = attacker.post("/api/v1/auth/login", json={"username": "teacher", "password": PASSWORDS["teacher"]})
    assert (r.status_code, r.json()["error"]) == (429, "too_many_requests")
    assert "network address" in r.json()["message"]
    elsewhere = TestClient(app, raise_server_exceptions=False, client=("198.51.100.9", 40000))
    assert elsewhere.post("/api/v1/auth/login", json={"username": "teacher",
                                                      "password": PASSWORDS["teacher"]}).status_code == 200


def test_login_refuses_a_cross_site_form_body(app: Any) -> None:
    """A form on another site can send text/plain without a preflight; the login takes JSON only."""
    r = make_client(app).post("/api/v1/auth/login", content=b'{"username":"teacher","password":"teacher-demo-2024"}',
                              headers={"Content-Type": "text/plain"})
    assert r.status_code == 422 and "attest_session" not in r.cookies


# ------------------------------------------------------------------ sessions


def test_session_expires_after_max_age(app: Any, settings_override: Any) -> None:
    settings_override(session_max_age_s="1")
    client = login(app, "teacher2")
    assert client.get("/api/v1/auth/me").status_code == 200
    time.sleep(2.2)
    r = client.get("/api/v1/auth/me")
    assert (r.status_code, r.json()["error"]) == (401, "unauthenticated")


def test_session_row_expiry_is_enforced_even_with_a_valid_signature(app: Any) -> None:
    from sqlalchemy import update

    from service.accounts.models import UserSession
    from service.db import session_scope, utcnow

    client = login(app, "teacher2")
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200
    with session_scope() as db:
        db.execute(update(UserSession).where(UserSession.csrf_token == client.headers["X-CSRF-Token"])
                   .values(expires_at=utcnow()))
    assert client.get("/api/v1/auth/me").status_code == 401


def test_logout_invalidates_the_session_server_side(app: Any) -> None:
    from sqlalchemy import func, select

    from service.accounts.models import UserSession
    from service.db import session_scope

    client = login(app, "teacher2")
    stolen = client.cookies.get("attest_session")
    token = client.headers["X-CSRF-Token"]
    assert client.post("/api/v1/auth/logout").status_code == 204
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(UserSession).where(UserSession.csrf_token == token)) == 0
    replay = make_client(app)
    replay.cookies.set("attest_session", stolen)
    replay.headers["X-CSRF-Token"] = token
    assert replay.get("/api/v1/auth/me").status_code == 401
    assert replay.post("/api/v1/dossiers", json={"profile": "kz-master", "period_start": "2022-01-01",
                                                  "period_end": "2026-01-01"}).status_code == 401


def test_a_forged_session_cookie_is_rejected(app: Any) -> None:
    from service.accounts.security import sign_session_id

    client = make_client(app)
    client.cookies.set("attest_session", sign_session_id("not-the-server-secret", secrets.token_urlsafe(32)))
    assert client.get("/api/v1/auth/me").status_code == 401


# ------------------------------------------------------------------ CSRF

CSRF_EXEMPT = {("POST", "/api/v1/auth/login"), ("POST", "/api/v1/public/check")}
"""Unsafe operations that act for nobody: no session, nothing to forge."""


def _unsafe_operations(app: Any) -> list[tuple[str, str]]:
    return sorted((m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops
                  if m.upper() in ("POST", "PUT", "PATCH", "DELETE"))


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m.group(1) == "row_id" else ("pdf" if m.group(1) == "fmt"
                                                                               else secrets.token_urlsafe(16)), path)


@pytest.mark.parametrize("role", ["teacher", "secretary", "commission", "admin"])
def test_every_unsafe_api_call_needs_the_csrf_token(app: Any, role: str) -> None:
    client = login(app, role)
    good = client.headers.pop("X-CSRF-Token")
    operations = _unsafe_operations(app)
    assert len(operations) >= 23 and CSRF_EXEMPT <= set(operations)
    checked = 0
    for method, path in operations:
        if (method, path) in CSRF_EXEMPT:
            continue
        for headers in ({}, {"X-CSRF-Token": "wrong" + good[5:]}):
            r = client.request(method, _fill(path), json={}, headers=headers)
            assert r.status_code == 403, f"{method} {path} without the token: {r.status_code} {r.text[:200]}"
            assert r.json()["details"] == {"reason": "csrf"}
        checked += 1
    assert checked == len(operations) - len(CSRF_EXEMPT)
    # the session is still fine with the token
    client.headers["X-CSRF-Token"] = good
    assert client.get("/api/v1/auth/me").status_code == 200


def _web_post_routes() -> list[str]:
    from service.web import router

    out: list[str] = []

    def walk(r: Any, prefix: str = "") -> None:
        for route in r.routes:
            if hasattr(route, "original_router"):
                walk(route.original_router, prefix + route.include_context.prefix)
            elif "POST" in (getattr(route, "methods", None) or ()):
                out.append(prefix + route.path)

    walk(router)
    return sorted(out)


def test_every_web_form_post_needs_the_session_token(app: Any, clients: dict[str, Any]) -> None:
    teacher_api = clients["teacher"]
    dossier = new_dossier(teacher_api, "csrf")
    file_id = upload(teacher_api, dossier).json()["files"][0]["id"]
    routes = _web_post_routes()
    assert len(routes) >= 9
    checked = []
    for role in ("teacher", "secretary", "commission"):
        client = login(app, role)
        client.headers.pop("X-CSRF-Token")
        for path in routes:
            if path == "/login":
                continue  # its own double-submit token (tests/web)
            url = (path.replace("{dossier_id}", dossier).replace("{file_id}", file_id)
                   .replace("{kind}", "events" if path.startswith("/reference") else "certificate")
                   .replace("{row_id}", "1"))
            for form in ({"title": "x"}, {"title": "x", "csrf_token": "forged"}):
                r = client.post(url, data=form, follow_redirects=False)
                assert r.status_code == 403, f"{role} POST {url}: {r.status_code} {r.text[:200]}"
            checked.append((role, path))
    assert len(checked) == 3 * (len(routes) - 1)
    detail = teacher_api.get(f"/api/v1/dossiers/{dossier}").json()
    assert detail["dossier"]["status"] == "draft" and len(detail["files"]) == 1


# ------------------------------------------------------------------ headers, downloads, cookies


def _assert_security_headers(r: Any, what: str) -> None:
    h = r.headers
    csp = h.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp, what
    for directive in ("script-src", "style-src"):
        sources = re.search(directive + r" ([^;]*)", csp).group(1)  # type: ignore[union-attr]
        assert sources == "'self'", (what, directive)  # the API docs too: Swagger UI is served from a package
    assert h.get("x-content-type-options") == "nosniff", what
    assert h.get("x-frame-options") == "DENY", what
    assert h.get("referrer-policy") == "same-origin", what


def test_security_headers_on_every_kind_of_response(app: Any, clients: dict[str, Any]) -> None:
    teacher = clients["teacher"]
    dossier = new_dossier(teacher, "headers")
    file_id = upload(teacher, dossier).json()["files"][0]["id"]
    anonymous = make_client(app)
    responses = {
        "api 200": teacher.get("/api/v1/auth/me"),
        "api 401": anonymous.get("/api/v1/auth/me"),
        "api 404": teacher.get("/api/v1/dossiers/nope"),
        "api 405": teacher.put("/api/v1/auth/me"),
        "api 422": teacher.post("/api/v1/dossiers", json={}),
        "api 429/401 login": anonymous.post("/api/v1/auth/login", json={"username": "x", "password": "y"}),
        "download": teacher.get(f"/api/v1/files/{file_id}"),
        "openapi": anonymous.get("/api/v1/openapi.json"),
        "/api/v1/docs": anonymous.get("/api/v1/docs"),
        "html login": anonymous.get("/login"),
        "html page": teacher.get(f"/dossiers/{dossier}"),
        "html 404": teacher.get("/dossiers/nope"),
        "html public": anonymous.get("/check"),
        "static": anonymous.get("/static/app.js"),
        "unknown route": anonymous.get("/no/such/page"),
    }
    for what, r in responses.items():
        assert r.status_code < 500, what
        _assert_security_headers(r, what)
    assert responses["html page"].status_code == 200 and responses["static"].status_code == 200


def _inline_code_and_style(html: str) -> list[str]:
    """Inline style and code in a page, by its parsed tags (escaped user text such as
    ``&lt;img onerror=...&gt;`` is text, not a tag, and does not count)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "style" or (tag == "script" and "src" not in {name for name, _ in attrs}):
                found.append(f"<{tag}>")
            for name, value in attrs:
                if name == "style" or name.startswith("on"):
                    found.append(f"<{tag} {name}=>")
                elif (value or "").strip().lower().startswith("javascript:"):
                    found.append(f"<{tag} {name}={value}>")

    Finder().feed(html)
    return found


def test_the_policy_allows_no_inline_script_or_style_and_the_pages_need_none(clients: dict[str, Any]) -> None:
    """Scripts and styles only from this site's files; no page (nor the template source) has an inline
    script, event handler, ``style`` attribute or ``<style>`` block that the policy would block."""
    from service.http_security import CONTENT_SECURITY_POLICY

    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    assert _inline_code_and_style('<p style="x" onclick="y">&lt;img onerror=alert(1)&gt;</p><style></style>'
                                  '<script>1</script><script src="/a.js"></script><a href="javascript:x">') == [
        "<p style=>", "<p onclick=>", "<style>", "<script>", "<a href=javascript:x>"]
    inline = re.compile(r"""\son[a-z]+\s*=|\sstyle\s*=|<style|<script(?![^>]*\bsrc=)|javascript:""", re.IGNORECASE)
    templates = Path(__file__).resolve().parents[2] / "service" / "web" / "templates"
    sources = sorted(templates.rglob("*.html"))
    assert len(sources) >= 19
    for path in sources:
        assert not inline.search(path.read_text(encoding="utf-8")), path.name
    pages = {"secretary": ("/documents", "/documents/certificate?sample=1", "/batch", "/registry", "/reference",
                           "/check"),
             "teacher": ("/dossiers",), "commission": ("/review", "/review?status=decided"), "anonymous": ("/login",)}
    for role, urls in pages.items():
        for url in urls:
            r = clients[role].get(url)
            assert r.status_code == 200, (role, url)
            assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, (role, url)
            assert _inline_code_and_style(r.text) == [], (role, url)


def test_downloads_are_attachments_with_no_sniffing(clients: dict[str, Any]) -> None:
    teacher = clients["teacher"]
    dossier = new_dossier(teacher, "download")
    nasty = 'evil"\r\nSet-Cookie: x=1; <script>.pdf'
    data = pdf_bytes("download")
    r = upload(teacher, dossier, nasty, data)
    assert r.status_code == 201, r.text
    stored = r.json()["files"][0]
    assert "\r" not in stored["filename"] and "\n" not in stored["filename"]
    d = teacher.get(f"/api/v1/files/{stored['id']}")
    assert d.status_code == 200 and d.content == data
    assert d.headers["content-type"] == "application/pdf"
    assert d.headers["x-content-type-options"] == "nosniff"
    disposition = d.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"")
    assert "set-cookie" not in {k.lower() for k in d.headers if k.lower() == "set-cookie" and "x=1" in d.headers[k]}
    ascii_part = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in ascii_part and "<" not in ascii_part and "\r" not in disposition
    # HTML dressed as a PDF is refused: the type comes from the content, not the name or the header
    r = upload(teacher, dossier, "page.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    assert (r.status_code, r.json()["error"]) == (415, "unsupported_media_type")


def _set_cookies(r: Any) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in r.headers.get_list("set-cookie")}


def test_session_cookies_are_httponly_samesite_and_secure_when_configured(app: Any, settings_override: Any) -> None:
    r = make_client(app).post("/api/v1/auth/login", json={"username": "teacher2", "password": PASSWORDS["teacher2"]})
    cookies = _set_cookies(r)
    session, csrf = cookies["attest_session"].lower(), cookies["attest_csrf"].lower()
    assert "httponly" in session and "samesite=lax" in session and "path=/" in session
    assert "httponly" not in csrf and "samesite=lax" in csrf  # the page's script reads it (double submit)
    assert "secure" not in session  # development default: plain http on localhost
    settings_override(cookie_secure="true")
    r = make_client(app).post("/api/v1/auth/login", json={"username": "teacher2", "password": PASSWORDS["teacher2"]})
    cookies = _set_cookies(r)
    assert "; secure" in cookies["attest_session"].lower() and "; secure" in cookies["attest_csrf"].lower()
    assert "httponly" in cookies["attest_session"].lower()
