"""/api/v1/auth: login, logout, me."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from service.accounts import service as accounts
from service.accounts.schemas import LoginIn, MeOut, OrganisationOut, UserOut
from service.accounts.security import CSRF_COOKIE, SESSION_COOKIE, sign_session_id
from service.deps import CurrentUser, SessionDep, SettingsDep, client_ip

__all__ = ["clear_session_cookies", "router", "set_session_cookies"]

router = APIRouter(prefix="/auth", tags=["auth"])


def set_session_cookies(response: Response, settings: SettingsDep, session_id: str, csrf_token: str) -> None:
    """The session cookie (signed, HttpOnly) and the CSRF cookie (readable by the page's script)."""
    common = {"max_age": settings.session_max_age_s, "secure": settings.cookie_secure, "samesite": "lax", "path": "/"}
    response.set_cookie(SESSION_COOKIE, sign_session_id(settings.secret_key, session_id), httponly=True, **common)
    response.set_cookie(CSRF_COOKIE, csrf_token, httponly=False, **common)


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def _me(db: SessionDep, principal: accounts.Principal) -> MeOut:
    return MeOut(
        user=UserOut.model_validate(principal.user),
        organisation=OrganisationOut.model_validate(accounts.get_organisation(db, principal.organisation_id)),
        csrf_token=principal.session.csrf_token,
        session_expires_at=principal.session.expires_at,
    )


@router.post("/login", response_model=MeOut, summary="Sign in; sets the session and CSRF cookies",
             responses={401: {"description": "wrong user name or password"}, 429: {"description": "throttled"}})
def login(body: LoginIn, request: Request, response: Response, db: SessionDep, settings: SettingsDep) -> MeOut:
    try:
        user, session = accounts.login(db, settings, body.username, body.password, ip=client_ip(request))
    except Exception:
        db.commit()  # keep the failed attempt (throttling) and its audit entry
        raise
    db.commit()
    set_session_cookies(response, settings, session.id, session.csrf_token)
    return _me(db, accounts.Principal(user, session))


@router.post("/logout", status_code=204, summary="Sign out (needs the CSRF header)")
def logout(request: Request, response: Response, db: SessionDep, user: CurrentUser) -> Response:
    accounts.logout(db, user, ip=client_ip(request))
    db.commit()
    out = Response(status_code=204)
    clear_session_cookies(out)
    return out


@router.get("/me", response_model=MeOut, summary="The signed-in user, their organisation and CSRF token")
def me(db: SessionDep, user: CurrentUser) -> MeOut:
    return _me(db, user)


