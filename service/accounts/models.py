"""Tables of accounts, sessions, login attempts and the secretary's reference data."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utcnow

__all__ = [
    "LoginAttempt",
    "Organisation",
    "Role",
    "User",
    "UserSession",
]


class Role(str, enum.Enum):
    """What an account may do."""

    SECRETARY = "secretary"
    """Secretary of a methodological council: generates and registers documents, manages reference data."""
    TEACHER = "teacher"
    """A teacher: builds and submits own attestation dossiers."""
    COMMISSION = "commission"
    """A member of an attestation commission: reviews submitted dossiers of its scope and decides."""
    ADMIN = "admin"
    """Operator: accounts, audit log."""


class Organisation(Base):
    """An organisation. ``name`` is its Russian name; the ``*_ru``/``*_kk`` columns are its letterhead in
    each language (the secretary edits them on the reference page, ``service.reference``): the
    Kazakh name, the higher authority, the address, the city of issue and the methodological
    council's name. An empty Kazakh value falls back to the Russian one."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    parent_ru: Mapped[str] = mapped_column(String(300), default="", server_default="")
    parent_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    address_ru: Mapped[str] = mapped_column(String(300), default="", server_default="")
    address_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    city_ru: Mapped[str] = mapped_column(String(100), default="", server_default="")
    city_kk: Mapped[str] = mapped_column(String(100), default="", server_default="")
    council_ru: Mapped[str] = mapped_column(String(300), default="", server_default="")
    council_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), nullable=True)
    has_signing_key: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    iin: Mapped[str | None] = mapped_column(String(12), nullable=True)
    language: Mapped[str] = mapped_column(String(2), default="ru")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UserSession(Base):
    """A server-side session: the cookie carries its signed id; logout and expiry delete it."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class LoginAttempt(Base):
    """Failed logins, counted per user name in a sliding window (throttling across web workers)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
