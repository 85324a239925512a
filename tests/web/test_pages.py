"""Pages over HTTP without a browser: sign-in (CSRF, wrong password, open redirects), role guards,
escaping of user text, and the teacher's isolation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.demo_app import demo_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with demo_client(tmp_path_factory.mktemp("web-pages")) as c:
        yield c


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def _login(client: Any, username: str, next_url: str = "") -> Any:
    client.cookies.clear()
    token = _token(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": f"{username}-demo-2024",
                                       "csrf_token": token, "next": next_url}, follow_redirects=False)


def test_sign_in_needs_the_form_token_and_says_what_is_wrong(client: Any) -> None:
    client.cookies.clear()
    client.get("/login")
    r = client.post("/login", data={"username": "teacher", "password": "teacher-demo-2024", "csrf_token": "forged"})
    assert r.status_code == 403
    assert "Форма устарела" in r.text
    token = _token(client.get("/login").text)
    r = client.post("/login", data={"username": "teacher", "password": "wrong", "csrf_token": token},
                    headers={"Accept-Language": "ru"})
    assert r.status_code == 401
    assert "Неверный логин или пароль" in r.text
    assert 'value="teacher"' in r.text  # the user name stays filled in


def test_sign_in_goes_to_the_role_page_and_never_off_site(client: Any) -> None:
    assert _login(client, "teacher").headers["location"] == "/dossiers"
    assert _login(client, "secretary", "//evil.example/x").headers["location"] == "/documents"
    assert _login(client, "commission", "/review?status=decided").headers["location"] == "/review?status=decided"


def test_pages_are_guarded_by_role(client: Any) -> None:
    client.cookies.clear()
    r = client.get("/dossiers", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdossiers"
    _login(client, "teacher")
    for path in ("/review", "/documents", "/registry", "/reference", "/batch"):
        r = client.get(path, headers={"Accept-Language": "ru"})
        assert r.status_code == 403, path
        assert "недоступно для вашей роли" in r.text
    assert client.get("/check").status_code == 200


def test_user_text_is_escaped_and_other_teachers_get_404(client: Any) -> None:
    _login(client, "teacher")
    token = _token(client.get("/dossiers").text)
    r = client.post("/dossiers", data={"csrf_token": token, "profile": "kz-master", "period_start": "2022-01-01",
                                       "period_end": "2026-12-31", "title": "<img src=x onerror=alert(1)>{{ 7*7 }}"},
                    follow_redirects=False)
    assert r.status_code == 303
    path = r.headers["location"].split("?")[0]
    html = client.get(path).text
    assert "&lt;img src=x onerror=alert(1)&gt;{{ 7*7 }}" in html
    assert "<img src=x" not in html and ">49<" not in html
    _login(client, "teacher2")
    assert client.get(path).status_code == 404
    assert client.get(path + "/live").status_code == 404


def test_a_form_post_without_the_session_token_is_refused(client: Any) -> None:
    _login(client, "teacher")
    r = client.post("/dossiers", data={"profile": "kz-master", "period_start": "2022-01-01",
                                       "period_end": "2026-12-31"})
    assert r.status_code == 403


def test_reference_form_errors_are_next_to_the_field(client: Any) -> None:
    _login(client, "secretary")
    token = _token(client.get("/reference?kind=regions").text)
    r = client.post("/reference/regions?lang=kk", data={"csrf_token": token, "code": "",
                                                        "name_ru": "Область Абай", "name_kk": ""})
    assert r.status_code == 422
    assert 'id="err-code"' in r.text and 'id="err-name_kk"' in r.text
    assert "Бұл өрісті толтырыңыз." in r.text
    assert 'value="Область Абай"' in r.text


def test_the_administrator_sees_the_trust_store_in_use_and_no_one_else_does(client: Any) -> None:
    """/admin/trust lists the shipped NCA RK store (issue 12: trust out of the box, listed on an admin
    page), in the page's language; other roles get the 403 page."""
    assert _login(client, "admin").status_code == 303
    words = {"ru": ("истёк", "корневой (доверенный)", "промежуточный"),
             "kk": ("мерзімі өткен", "түбірлік (сенімді)", "аралық")}
    for lang, (expired, root, intermediate) in words.items():
        r = client.get(f"/admin/trust?lang={lang}")
        assert r.status_code == 200
        rows = re.findall(r"<tr>\s*<td[^>]*>([^<]+)</td>\s*<td>([^<]+)</td>", r.text)
        assert sorted(rows) == [
            ("НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)", root), ("НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)", root),
            ("ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)", intermediate), ("ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)", intermediate),
        ]
        assert r.text.count(f">{expired}<") == 4  # all four expired in 2025
        assert "GOST 34.310 (NCA RK)" in r.text and "A7064ABC" in r.text  # the RSA root's fingerprint
        assert 'href="/admin/trust"' in r.text  # in the administrator's menu
    assert _login(client, "secretary").status_code == 303
    assert client.get("/admin/trust?lang=ru").status_code == 403
