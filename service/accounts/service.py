"""Accounts: login with throttling, server-side sessions, users and their organisations (the
secretary's reference data is :mod:`service.reference`).

Every function takes the caller's SQLAlchemy session and does not commit; the request (or the
caller) commits once, so an action and its audit entry land together.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.accounts.models import LoginAttempt, Organisation, Role, User, UserSession
from service.accounts.security import hash_password, verify_password
from service.audit import service as audit
from service.db import utcnow
from service.errors import Conflict, NotFound, TooManyRequests, Unauthenticated
from service.settings import Settings

__all__ = [
    "Principal",
    "create_user",
    "get_organisation",
    "list_users",
    "login",
    "logout",
    "resolve_session",
    "session_is_live",
]


@dataclass(frozen=True)
class Principal:
    """The signed-in user of one request, with the session that authenticates them."""

    user: User
    session: UserSession
    organisation: Organisation | None = None
    """The user's organisation, read with the session (for the pages' header and the error page)."""

    @property
    def role(self) -> Role:
        return Role(self.user.role)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def organisation_id(self) -> int:
        return self.user.organisation_id


def login(
    db: Session, settings: Settings, username: str, password: str, *, ip: str | None = None
) -> tuple[User, UserSession]:
    """Check the password and open a session. Throttled per user name: after
    `login_max_attempts` failures within `login_window_s` every attempt gets 429 until the window passes;
    likewise per client address after `login_max_attempts_per_ip` failures."""
    username = username.strip()
    since = utcnow() - dt.timedelta(seconds=settings.login_window_s)
    failures = db.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.at >= since
        )
    )
    if (failures or 0) >= settings.login_max_attempts:
        raise TooManyRequests(
            "Too many failed logins for this account; wait a few minutes and try again.",
            details={"retry_after_s": settings.login_window_s},
        )
    if ip:
        from_ip = db.scalar(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.ip == ip, LoginAttempt.at >= since)
        )
        if (from_ip or 0) >= settings.login_max_attempts_per_ip:
            raise TooManyRequests(
                "Too many failed logins from your network address; wait a few minutes and try again.",
                details={"retry_after_s": settings.login_window_s},
            )
    user = db.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        db.add(LoginAttempt(username=username, ip=ip))
        audit.record(db, "auth.login_failed", object_type="user", object_id=username, ip=ip)
        raise Unauthenticated("Wrong user name or password.")
    db.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    # drop this user's expired sessions while we are here
    db.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < utcnow()))
    user_session = UserSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        expires_at=utcnow() + dt.timedelta(seconds=settings.session_max_age_s),
    )
    db.add(user_session)
    audit.record(db, "auth.login", actor=user, object_type="user", object_id=user.id, ip=ip)
    return user, user_session


def logout(db: Session, principal: Principal, *, ip: str | None = None) -> None:
    db.execute(delete(UserSession).where(UserSession.id == principal.session.id))
    audit.record(db, "auth.logout", actor=principal.user, object_type="user", object_id=principal.id, ip=ip)


def resolve_session(db: Session, session_id: str) -> Principal | None:
    """The principal of a live session, or None when it does not exist or has expired."""
    row = db.execute(
        select(UserSession, User, Organisation)
        .join(User, User.id == UserSession.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(UserSession.id == session_id)
    ).first()  # one round trip per request
    if row is None:
        return None
    user_session, user, organisation = row
    if not session_is_live(user_session.expires_at, user.is_active, utcnow()):
        return None
    return Principal(user=user, session=user_session, organisation=organisation)


def session_is_live(expires_at: dt.datetime, user_is_active: bool, now: dt.datetime) -> bool:
    """A session counts until it expires, and only while its user's account is active."""
    return expires_at > now and user_is_active


def get_organisation(db: Session, organisation_id: int) -> Organisation:
    org = db.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("no such organisation")
    return org


def create_user(
    db: Session,
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    organisation_id: int,
    iin: str | None = None,
    language: str = "ru",
    actor: Any = None,
) -> User:
    Role(role)
    get_organisation(db, organisation_id)
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"the user name {username!r} is taken; choose another", details={"field": "username"})
    user = User(
        username=username,
        password_hash=hash_password(password),
        full_name=full_name,
        role=role,
        organisation_id=organisation_id,
        iin=iin,
        language=language,
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict(f"the user name {username!r} is taken; choose another") from exc
    audit.record(db, "user.create", actor=actor, object_type="user", object_id=user.id, role=role)
    return user


def list_users(db: Session, *, organisation_id: int | None = None) -> list[User]:
    q = select(User).order_by(User.id)
    if organisation_id is not None:
        q = q.where(User.organisation_id == organisation_id)
    return list(db.scalars(q))
