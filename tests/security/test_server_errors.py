"""The last-resort 500: an endpoint that raises something unexpected. Starlette's ServerErrorMiddleware
answers it outside every middleware added with ``add_middleware``, so the security headers used to be
missing exactly there. Both the API (our JSON error format) and a browser's page (the HTML error page)
must carry every security header and never the exception's text or a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.security.conftest import login, make_client

SECRET = "kaboom-900101400123-/srv/attest/secret.py"
"""The exception's text: it must reach neither the body nor the headers."""

EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}


@pytest.fixture(scope="module")
def boom_app(sec_env: dict[str, Any]) -> Iterator[Any]:
    """The real app plus two routes that raise: one under /api/v1, one page."""
    from service.app import create_app

    application = create_app(start_worker=False)

    def _raise() -> None:
        raise RuntimeError(SECRET)

    application.add_api_route("/api/v1/test-boom", _raise, methods=["GET", "POST"], include_in_schema=False)
    application.add_api_route("/test-boom", _raise, methods=["GET"], include_in_schema=False)
    yield application


def _assert_headers(r: Any, what: str) -> None:
    from service.http_security import content_security_policy

    csp = r.headers.get("content-security-policy")
    assert csp == content_security_policy(), what
    for part in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'",
                 "form-action 'self'"):
        assert part in csp, (what, part)
    for name, value in EXPECTED_HEADERS.items():
        assert r.headers.get(name) == value, (what, name, r.headers.get(name))
    assert SECRET not in str(r.headers), what


def _assert_no_traceback(r: Any, what: str) -> None:
    for leak in (SECRET, "kaboom", "Traceback", "RuntimeError", 'File "', ".py"):
        assert leak not in r.text, (what, leak)


@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_unexpected_api_error_is_our_json_500_with_every_security_header(boom_app: Any, who: str) -> None:
    client = make_client(boom_app) if who == "anonymous" else login(boom_app, who)
    for method, accept in (("GET", "application/json"), ("GET", "text/html"), ("POST", "*/*")):
        r = client.request(method, "/api/v1/test-boom", headers={"Accept": accept})
        what = f"{who} {method} {accept}"
        assert r.status_code == 500, what
        assert r.headers["content-type"] == "application/json", what
        assert r.json() == {"error": "internal", "message": "Something went wrong on the server; try again later.",
                            "details": None}, what
        _assert_headers(r, what)
        _assert_no_traceback(r, what)


@pytest.mark.parametrize(("lang", "title", "message"), [
    ("ru", "Что-то пошло не так",
     "Внутренняя ошибка сервиса. Попробуйте ещё раз; если повторится — сообщите администратору."),
    ("kk", "Бірдеңе дұрыс болмады", "Сервистің ішкі қатесі. Қайталап көріңіз; қайталанса — әкімшіге хабарлаңыз."),
])
def test_unexpected_page_error_is_the_html_error_page_with_every_security_header(
        boom_app: Any, lang: str, title: str, message: str) -> None:
    for who in ("anonymous", "secretary"):
        client = make_client(boom_app) if who == "anonymous" else login(boom_app, who)
        r = client.get("/test-boom", headers={"Accept": "text/html,application/xhtml+xml", "Accept-Language": lang})
        what = f"{who} {lang}"
        assert r.status_code == 500, what
        assert r.headers["content-type"] == "text/html; charset=utf-8", what
        assert f"<h1>{title}</h1>" in r.text, what
        assert f'<p data-testid="error-message">{message}</p>' in r.text, what
        assert '<p class="muted">500</p>' in r.text, what
        _assert_headers(r, what)
        _assert_no_traceback(r, what)


def test_a_page_error_for_a_non_browser_client_is_json(boom_app: Any) -> None:
    r = make_client(boom_app).get("/test-boom", headers={"Accept": "application/json"})
    assert r.status_code == 500
    assert r.json()["error"] == "internal"
    _assert_headers(r, "json client of a page")
    _assert_no_traceback(r, "json client of a page")
