"""What the API and the pages take and give for reference data."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CouncilMemberIn",
    "CouncilMemberOut",
    "DistrictIn",
    "DistrictOut",
    "EventIn",
    "EventOut",
    "LetterheadIn",
    "LetterheadOut",
    "RegionIn",
    "RegionOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RegionIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    name_ru: str = Field(min_length=1, max_length=200)
    name_kk: str = Field(min_length=1, max_length=200)


class RegionOut(_Out):
    id: int
    organisation_id: int | None
    code: str
    name_ru: str
    name_kk: str


class DistrictIn(BaseModel):
    region_id: int
    name_ru: str = Field(min_length=1, max_length=200)
    name_kk: str = Field(min_length=1, max_length=200)


class DistrictOut(_Out):
    id: int
    organisation_id: int | None
    region_id: int
    name_ru: str
    name_kk: str


class CouncilMemberIn(BaseModel):
    full_name: str = Field(min_length=1, max_length=300)
    position: str = Field(default="", max_length=300)
    position_kk: str = Field(default="", max_length=300)
    council_role: Literal["chair", "deputy", "secretary", "member"] = "member"


class CouncilMemberOut(_Out):
    id: int
    organisation_id: int | None
    full_name: str
    position: str
    position_kk: str
    council_role: str


class EventIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    date: dt.date
    form: str = Field(default="seminar", max_length=100)
    level: Literal["school", "district", "city", "region", "republic", "international"] = "district"
    district_id: int | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    notes: str = ""


class EventOut(_Out):
    id: int
    organisation_id: int | None
    title: str
    date: dt.date
    form: str
    level: str
    district_id: int | None
    details: dict[str, Any]
    notes: str


class LetterheadIn(BaseModel):
    """The own organisation's letterhead in Russian and Kazakh (an empty Kazakh field prints the Russian)."""

    name_ru: str = Field(min_length=1, max_length=300)
    name_kk: str = Field(default="", max_length=300)
    parent_ru: str = Field(default="", max_length=300)
    parent_kk: str = Field(default="", max_length=300)
    address_ru: str = Field(default="", max_length=300)
    address_kk: str = Field(default="", max_length=300)
    city_ru: str = Field(default="", max_length=100)
    city_kk: str = Field(default="", max_length=100)
    council_ru: str = Field(default="", max_length=300)
    council_kk: str = Field(default="", max_length=300)


class LetterheadOut(LetterheadIn):
    code: str
