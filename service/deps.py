"""FastAPI dependencies as `Annotated` aliases: the request's database session, settings, the
signed-in principal (cookie session + CSRF on unsafe methods) and the API's permission guards.

    @router.get("/x")
    def x(db: SessionDep, user: SecretaryUser) -> ...

The guards are :func:`service.accounts.permissions.authorize` as dependencies (one rule for the API,
the upload fast path and the pages); web pages take `OptionalUser` (None instead of 401) through the
page guards of :mod:`service.web.pages.common`, which send an anonymous browser to the login page.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.accounts.permissions import Permission, authorize
from service.accounts.security import (
    CSRF_FORM_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    check_csrf_token,
    unsign_session_id,
)
from service.accounts.service import Principal, resolve_session
from service.db import get_engine, session_factory
from service.errors import Forbidden
from service.settings import Settings, get_settings

if TYPE_CHECKING:
    from service.uploads.service import ReceivedForm

_F = TypeVar("_F", bound=Callable[..., Any])

__all__ = [
    "AdminUser",
    "CommissionUser",
    "CurrentUser",
    "OptionalUser",
    "SecretaryUser",
    "SessionDep",
    "SettingsDep",
    "TeacherUser",
    "check_csrf",
    "client_ip",
    "receive_form",
    "require",
    "streams_multipart",
]

_SAFE = {"GET", "HEAD", "OPTIONS"}


@functools.lru_cache(maxsize=8)
def _sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)  # one per engine: a sessionmaker is a class of its own


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed when the endpoint returns without error.

    Committing/closing goes to a worker thread only when a transaction is still open; an endpoint that
    committed itself (or never touched the database) costs no thread hop here."""
    db = _sessionmaker(get_engine())()
    try:
        yield db
        if db.in_transaction():
            await run_in_threadpool(db.commit)
    except BaseException:
        if db.in_transaction():
            await run_in_threadpool(db.rollback)
        raise
    finally:
        if db.in_transaction():
            await run_in_threadpool(db.close)
        else:
            db.close()


async def _settings() -> Settings:
    return get_settings()  # cached: no need for a worker thread


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def check_csrf(request: Request, principal: Principal, form_token: str | None = None) -> None:
    """Double-submit check: the token from the header (or form field) must equal the session's."""
    check_csrf_token(request.headers.get(CSRF_HEADER) or form_token or "", principal.session.csrf_token)


async def _principal(request: Request, db: SessionDep, settings: SettingsDep) -> Principal | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    session_id = unsign_session_id(settings.secret_key, raw, settings.session_max_age_s)
    if session_id is None:
        return None

    def resolve() -> Principal | None:
        found = resolve_session(db, session_id)
        db.commit()  # end the read: no connection is held while the request body streams in
        # the principal is given to the request, not part of its unit of work: the rollback of a failed
        # request does not expire it, so the error page can still say who is signed in
        db.expunge_all()
        return found

    principal = await run_in_threadpool(resolve)
    if principal is None:
        return None
    request.state.principal = principal
    if request.method not in _SAFE and not request.headers.get(CSRF_HEADER):
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data") and getattr(request.scope.get("endpoint"), _STREAMS, False):
            request.state.csrf_from_form = True  # checked by receive_form once the body has streamed in
            request.state.browser_form = "text/html" in request.headers.get("accept", "")
        else:
            form_token = None
            if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                form_token = (await request.form()).get(CSRF_FORM_FIELD)  # cached by Starlette for Form params
            check_csrf(request, principal, form_token if isinstance(form_token, str) else None)
    elif request.method not in _SAFE:
        check_csrf(request, principal)
    return principal


_STREAMS = "_attest_streams_multipart"


def streams_multipart(endpoint: _F) -> _F:
    """Mark an endpoint that reads its multipart body itself with :func:`receive_form`: a form sent
    without JavaScript (no X-CSRF-Token header) then has its ``csrf_token`` field checked there, from
    the same single pass over the upload. Any other endpoint gets the check before it runs."""
    setattr(endpoint, _STREAMS, True)
    return endpoint


async def receive_form(request: Request, *, max_file_bytes: int, max_files: int = 20,
                       file_fields: tuple[str, ...] = ("files", "file")) -> ReceivedForm:
    """Stream a multipart body in (:func:`service.uploads.service.receive_multipart`) and, for a
    browser form without the CSRF header, check its ``csrf_token`` field; the files are thrown away
    if it is wrong. ``request.state.browser_form`` then says the answer should be a page/redirect."""
    from service.uploads.service import receive_multipart

    form = await receive_multipart(request.stream(), request.headers.get("content-type", ""),
                                   max_file_bytes=max_file_bytes, max_files=max_files, file_fields=file_fields)
    if getattr(request.state, "csrf_from_form", False):
        try:
            check_csrf(request, request.state.principal, form.fields.get(CSRF_FORM_FIELD))
        except Forbidden:
            form.cleanup()
            raise
    return form


def require(*permissions: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency that gives the signed-in principal if :func:`authorize` lets it through."""

    async def guard(principal: Annotated[Principal | None, Depends(_principal)]) -> Principal:
        return authorize(principal, *permissions)

    return guard


OptionalUser = Annotated[Principal | None, Depends(_principal)]
CurrentUser = Annotated[Principal, Depends(require())]
SecretaryUser = Annotated[Principal, Depends(require(Permission.ISSUE))]
TeacherUser = Annotated[Principal, Depends(require(Permission.COMPILE))]
CommissionUser = Annotated[Principal, Depends(require(Permission.REVIEW))]
AdminUser = Annotated[Principal, Depends(require(Permission.ADMINISTER))]


