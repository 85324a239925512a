"""API shapes of accounts and reference data."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "LoginIn",
    "MeOut",
    "OrganisationOut",
    "UserCreate",
    "UserOut",
]

RoleName = Literal["secretary", "teacher", "commission", "admin"]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class OrganisationOut(_Out):
    id: int
    code: str
    name: str
    region_id: int | None
    has_signing_key: bool


class UserOut(_Out):
    id: int
    username: str
    full_name: str
    role: RoleName
    organisation_id: int
    language: str


class MeOut(BaseModel):
    user: UserOut
    organisation: OrganisationOut
    csrf_token: str
    session_expires_at: dt.datetime


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=200)
    full_name: str = Field(min_length=1, max_length=300)
    role: RoleName
    organisation_id: int
    iin: str | None = Field(default=None, pattern=r"^\d{12}$")
    language: Literal["ru", "kk", "en"] = "ru"
