"""Tables of the secretary's reference data: regions, districts, the methodological council's members
and the organisation's events. A row with ``organisation_id`` NULL is shared by every organisation
(the regions of Kazakhstan, say); the others belong to one organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

__all__ = ["CouncilMember", "District", "Event", "Region"]


class Region(Base):
    """A region (облыс / область) or a city of republican significance; global when organisation_id is null."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    code: Mapped[str] = mapped_column(String(64))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_kk: Mapped[str] = mapped_column(String(200))


class District(Base):
    """A district (аудан / район) or a city inside a region."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_kk: Mapped[str] = mapped_column(String(200))


class CouncilMember(Base):
    """A member of the organisation's methodological council (chair, secretary, member)."""

    __tablename__ = "council_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    full_name: Mapped[str] = mapped_column(String(300))
    position: Mapped[str] = mapped_column(String(300), default="")  # in Russian
    position_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")  # empty: as in Russian
    council_role: Mapped[str] = mapped_column(String(20), default="member")


class Event(Base):
    """A translation event (webinar, seminar, master class...) the organisation runs."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(500))
    date: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(100), default="seminar")
    level: Mapped[str] = mapped_column(String(50), default="district")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
