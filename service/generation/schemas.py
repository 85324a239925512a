"""Typed data of every document kind (pydantic). A template only ever sees data that passed these.

Unknown fields are refused (a misspelt field is an error, not silently dropped); strings are
stripped and bounded; dates are real dates; lists that a form needs are non-empty. Business rules
of the seeds are checked here too: a transmission programme covers at least three distinct
districts/cities (or regions for «педагог-мастер»), a half-year report's counts do not exceed the
number of teachers supported.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

__all__ = [
    "SCHEMAS",
    "DocumentData",
    "Organization",
    "Person",
    "Signatory",
    "field_errors",
    "format_field_errors",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
OptText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{2,32}$")]
Level = Literal["school", "municipal", "regional", "republican"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Organization(_Model):
    """The issuing organisation: its header and registry code."""

    code: Code = Field(description="registry code of the organisation, Latin letters/digits, e.g. MC-KRG")
    name: Text
    parent: OptText = None  # the higher authority printed above the name
    address: OptText = None
    city: Text


class Person(_Model):
    full_name: Text
    position: OptText = None
    organization: OptText = None


class Signatory(_Model):
    full_name: Text
    position: Text


class Votes(_Model):
    in_favour: int = Field(ge=0, le=1000)
    against: int = Field(default=0, ge=0, le=1000)
    abstained: int = Field(default=0, ge=0, le=1000)


class DocumentData(_Model):
    """Fields every kind shares: who issues it, when, under which number (default: the registry's)."""

    organization: Organization
    date: dt.date
    number: OptText = None


# --- protocol, protocol_extract, expert_conclusion ---------------------------------------------

class AgendaItem(_Model):
    title: Text
    speaker: OptText = None
    heard: LongText
    decision: LongText
    votes: Votes | None = None


class Protocol(DocumentData):
    council: Text
    place: OptText = None
    chair: Signatory
    secretary: Signatory
    attendees: list[Person] = Field(min_length=1, max_length=200)
    agenda: list[AgendaItem] = Field(min_length=1, max_length=50)


class ProtocolExtract(DocumentData):
    council: Text
    protocol_number: Text
    protocol_date: dt.date
    attendees_count: int | None = Field(default=None, ge=1, le=500)
    teacher: Person
    category: Text
    item: AgendaItem
    chair: Signatory
    secretary: Signatory


class Criterion(_Model):
    criterion: Text
    assessment: Text


class ExpertConclusion(DocumentData):
    council: Text
    teacher: Person
    category: Text
    topic: Text
    materials: list[Text] = Field(min_length=1, max_length=50)
    criteria: list[Criterion] = Field(min_length=1, max_length=50)
    conclusion: LongText
    recommendation: LongText
    experts: list[Signatory] = Field(min_length=1, max_length=20)
    chair: Signatory


# --- order, transmission_program, certificate, implementation_act, regional_plan ---------------

class OrderTeacher(_Model):
    full_name: Text
    position: OptText = None
    organization: Text
    topic: Text
    districts: list[Text] = Field(min_length=1, max_length=20)


class Order(DocumentData):
    title: Text
    preamble: LongText
    items: list[LongText] = Field(min_length=1, max_length=50)
    teachers: list[OrderTeacher] = Field(default_factory=list, max_length=200)
    head: Signatory
    executor: OptText = None


class TransmissionEvent(_Model):
    location: Text  # district/city, or region for «педагог-мастер»
    date: dt.date
    form: Text
    venue: Text
    audience: Text
    participants: int | None = Field(default=None, ge=1, le=100000)


class TransmissionProgram(DocumentData):
    approver: Signatory
    teacher: Person
    category: Text
    topic: Text
    level: Literal["district", "region"] = "district"
    goal: LongText | None = None
    events: list[TransmissionEvent] = Field(min_length=3, max_length=100)
    agreed: Signatory | None = None  # district methodologist who agreed the forms

    @model_validator(mode="after")
    def _three_distinct_locations(self) -> TransmissionProgram:
        distinct = {e.location.casefold() for e in self.events}
        if len(distinct) < 3:
            where = "regions" if self.level == "region" else "districts/cities"
            raise ValueError(
                f"events: the programme must cover at least 3 distinct {where}, got {len(distinct)}"
            )
        return self


class Certificate(DocumentData):
    participant: Text
    participant_position: OptText = None
    participant_organization: OptText = None
    role: Literal["participant", "speaker"] = "participant"
    event_title: Text
    event_form: Text  # as it reads after «принял(а) участие в» / before «қатысқанын»
    event_date: dt.date
    event_end_date: dt.date | None = None
    event_place: Text
    hours: int | None = Field(default=None, ge=1, le=500)
    head: Signatory

    @model_validator(mode="after")
    def _dates_in_order(self) -> Certificate:
        if self.event_end_date is not None and self.event_end_date < self.event_date:
            raise ValueError("event_end_date: must not be before event_date")
        return self


class ImplementationAct(DocumentData):
    approver: Signatory
    development: Text
    author: Person
    period_start: dt.date
    period_end: dt.date
    implemented_in: LongText
    results: list[LongText] = Field(min_length=1, max_length=30)
    conclusion: LongText
    commission: list[Signatory] = Field(min_length=2, max_length=15)

    @model_validator(mode="after")
    def _period_in_order(self) -> ImplementationAct:
        if self.period_end < self.period_start:
            raise ValueError("period_end: must not be before period_start")
        return self


class PlanEvent(_Model):
    teacher: Text
    teacher_organization: Text
    category: Text
    topic: Text
    form: Text
    location: Text
    dates: Text
    responsible: Text


class RegionalPlan(DocumentData):
    approver: Signatory
    region: Text
    year: int = Field(ge=2000, le=2100)
    events: list[PlanEvent] = Field(min_length=1, max_length=500)
    head: Signatory


# --- post-course support: checklist, competence plan, half-year report ------------------------

class PostcourseChecklist(DocumentData):
    teacher: Person
    course_topic: Text
    course_date: dt.date
    course_provider: Text
    directions: list[Text] = Field(min_length=1, max_length=4)
    stage_marks: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]] = Field(
        default_factory=list, max_length=5
    )


class CompetenceEvent(_Model):
    level: Literal["school", "municipal", "regional"]
    title: Text
    dates: Text
    control: Text
    mark: OptText = None


class CompetencePlan(DocumentData):
    approver: Signatory
    teacher: Person
    course_topic: Text
    goal: LongText
    tasks: list[Text] = Field(min_length=1, max_length=20)
    methodical_association_protocol: OptText = None
    events: list[CompetenceEvent] = Field(min_length=1, max_length=100)


class ReportTeacher(_Model):
    full_name: Text
    position: Text
    course_topic: Text
    events_held: int = Field(ge=0, le=1000)
    level: Level
    links: list[Text] = Field(default_factory=list, max_length=20)
    recommendation: Text


class Indicators(_Model):
    total: int = Field(ge=1, le=100000)
    recommended_next_level: int = Field(ge=0)
    certified: int = Field(ge=0)
    joined_active: int = Field(ge=0)

    @model_validator(mode="after")
    def _parts_within_total(self) -> Indicators:
        for name in ("recommended_next_level", "certified", "joined_active"):
            if getattr(self, name) > self.total:
                raise ValueError(f"{name}: must not exceed total ({self.total})")
        return self


class HalfyearReport(DocumentData):
    half: Literal[1, 2]
    year: int = Field(ge=2000, le=2100)
    recipient: Text
    summary: LongText | None = None
    teachers: list[ReportTeacher] = Field(min_length=1, max_length=1000)
    indicators: Indicators
    head: Signatory
    executor: OptText = None


SCHEMAS: dict[str, type[DocumentData]] = {
    "protocol": Protocol,
    "protocol_extract": ProtocolExtract,
    "expert_conclusion": ExpertConclusion,
    "order": Order,
    "transmission_program": TransmissionProgram,
    "certificate": Certificate,
    "implementation_act": ImplementationAct,
    "regional_plan": RegionalPlan,
    "postcourse_checklist": PostcourseChecklist,
    "competence_plan": CompetencePlan,
    "halfyear_report": HalfyearReport,
}


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """[{"field": "agenda[0].decision", "message": "Field required"}, …] — what the API returns."""
    details = []
    for err in exc.errors(include_url=False):
        msg = err["msg"].removeprefix("Value error, ")
        field = _loc(tuple(err["loc"]))
        # model-level rules name their field at the start of the message ("events: …")
        if field == "(document)" or err["type"] == "value_error":
            head, sep, rest = msg.partition(": ")
            if sep and " " not in head:
                field = f"{field}.{head}" if field != "(document)" else head
                msg = rest
        details.append({"field": field, "message": msg})
    return details


def format_field_errors(kind: str, details: list[dict[str, str]]) -> str:
    lines = [f"bad data for {kind}:"]
    lines += [f"  {d['field']}: {d['message']}" for d in details]
    return "\n".join(lines)
