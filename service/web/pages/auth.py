"""Signing in and out, the language switch and the home redirect.

Sign-in calls :func:`service.accounts.service.login` (argon2, throttling, audit) and sets the same
signed session cookie the API uses. The sign-in form itself is protected against cross-site posting
with a double-submit token in a short-lived cookie (there is no session yet to hold one).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from service.accounts import service as accounts
from service.api.auth import clear_session_cookies, set_session_cookies
from service.deps import SessionDep, SettingsDep, client_ip
from service.errors import TooManyRequests, Unauthenticated
from service.seed import DEMO_ACCOUNTS
from service.web import i18n
from service.web.pages.common import HOME_BY_ROLE, Page, PageDep

__all__ = ["router", "safe_next"]

router = APIRouter()

LOGIN_CSRF_COOKIE = "attest_login_csrf"


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path of this site (no scheme, no host, no '//'): an open redirect helps phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@router.get("/", include_in_schema=False)
def home(page: PageDep) -> Response:
    if page.principal is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME_BY_ROLE.get(page.role or "", "/check"), status_code=303)


def _login_page(page: Page, *, username: str = "", error: str | None = None, status_code: int = 200,
                next_url: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    page.request.state.login_csrf = token
    demo = list(DEMO_ACCOUNTS) if page.settings.environment != "production" else []
    response = page.render(
        "login.html",
        {"username": username, "error": error, "next": next_url, "demo_accounts": demo, "title": page.t("login.title")},
        status_code=status_code,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=page.settings.cookie_secure, path="/login")
    return response


@router.get("/login", include_in_schema=False)
def login_form(page: PageDep, next: str = "") -> Response:
    if page.principal is not None:
        return RedirectResponse(safe_next(next, HOME_BY_ROLE.get(page.role or "", "/")), status_code=303)
    return _login_page(page, next_url=safe_next(next, ""))


@router.post("/login", include_in_schema=False)
def login_submit(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    page = Page(request=request, db=db, principal=None, settings=settings)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return _login_page(page, username=username, error=page.t("error.csrf"), status_code=403, next_url=next)
    if not username.strip() or not password:
        return _login_page(page, username=username, error=page.t("error.missing"), status_code=422, next_url=next)
    try:
        user, user_session = accounts.login(db, settings, username, password, ip=client_ip(request))
    except TooManyRequests:
        db.commit()
        return _login_page(page, username=username, error=page.t("login.throttled"), status_code=429,
                           next_url=next)
    except Unauthenticated:
        db.commit()  # the failed attempt counts towards throttling
        return _login_page(page, username=username, error=page.t("login.failed"), status_code=401, next_url=next)
    db.commit()
    response = RedirectResponse(safe_next(next, HOME_BY_ROLE.get(user.role, "/")), status_code=303)
    set_session_cookies(response, settings, user_session.id, user_session.csrf_token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    if user.language in i18n.LANGUAGES and not request.cookies.get("lang"):
        response.set_cookie("lang", user.language, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(page: PageDep) -> Response:
    # the CSRF form field was checked by the principal dependency (service.deps)
    if page.principal is not None:
        accounts.logout(page.db, page.principal, ip=client_ip(page.request))
    response = RedirectResponse("/login?notice=signed_out", status_code=303)
    clear_session_cookies(response)
    return response


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(code: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", path="/")
    return response
