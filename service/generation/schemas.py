"""Typed data of every generated document kind (pydantic). A template only ever sees data that passed these.

Unknown fields are refused (a misspelt field is an error, not silently dropped); strings are
stripped and bounded; dates are real dates; lists that a form needs are non-empty. Business rules
of the seeds are checked here too: a transmission programme covers at least three distinct
districts/cities (or regions for «педагог-мастер»), a half-year report's counts do not exceed the
number of teachers supported.

Spreadsheet cells: a batch table often holds text columns as Excel numbers or dates (a certificate
number 45, hours 72, a school number 12, a phone). Integers become their text through pydantic's own
``coerce_numbers_to_str``; floats and dates are turned into the text a secretary sees in
``_cell_text`` (45.0 → "45", 2.5 → "2.5", a date → "26.04.2024"); an IIN kept as a number gets its
leading zeros back (``IIN``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from service.generation import formatting as fmt
from service.generation import wording
from service.paths import EXAMPLES_DIR

__all__ = [
    "IIN",
    "SCHEMAS",
    "DocumentData",
    "Organization",
    "Person",
    "Signatory",
    "example_data",
    "examples",
    "field_errors",
    "format_field_errors",
]



def _cell_text(value: Any) -> Any:
    """The text of a number or date that a spreadsheet kept in a text column, as the secretary sees it.

    Integers are left to ``coerce_numbers_to_str``; a float would come out as "45.0" there, so it is
    done here: an integer-valued float is its integer's text, another float its shortest text at
    Excel's 15 significant digits (2.5 → "2.5", 2.4999999999999996 from a formula → "2.5").
    """
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y" if value.time() == dt.time() else "%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


_IIN_DIGITS = re.compile(r"[0-9]{1,12}")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")


def _is_iin(digits: str) -> bool:
    """12 digits starting with the holder's birth date YYMMDD (month 01–12, day 01–31)."""
    return (len(digits) == 12 and _IIN_DIGITS.fullmatch(digits) is not None
            and 1 <= int(digits[2:4]) <= 12 and 1 <= int(digits[4:6]) <= 31)


def _iin_text(value: Any) -> Any:
    """An IIN as its 12 digits. Excel keeps a column of IINs as numbers unless it is formatted as Text,
    and a number loses its leading zeros (050315600123 → 50315600123, born in 2000: 1015001234): a
    number, or digits-only text, shorter than 12 digits gets them back when the result starts with a
    birth date. Anything else is refused, saying how to fix the cell."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return value  # refused by the str type: "Input should be a valid string"
    if isinstance(value, (int, float)):
        digits = str(value).zfill(12) if isinstance(value, int) and value >= 0 else ""
        if _is_iin(digits):
            return digits
        raise PydanticCustomError(
            "iin", "the number {number} cannot be an IIN: an IIN is 12 digits starting with the birth date "
                   "(YYMMDD); check it and type it as text (format the column as Text in Excel)",
            {"number": _cell_text(value) if isinstance(value, float) else str(value)})
    if isinstance(value, str):
        text = value.strip()
        if _SCIENTIFIC.fullmatch(text):
            raise PydanticCustomError(
                "iin", "{text} is a number in scientific notation, from which Excel may have dropped digits: "
                       "format the column as Text and type the 12 digits of the IIN", {"text": text})
        digits = text.zfill(12) if _IIN_DIGITS.fullmatch(text) else text
        if _is_iin(digits):
            return digits
        raise PydanticCustomError(
            "iin", "\"{text}\" cannot be an IIN: an IIN is 12 digits starting with the birth date (YYMMDD); "
                   "type the 12 digits without spaces or letters", {"text": text})
    return value


CellText = BeforeValidator(_cell_text)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), CellText]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), CellText]
OptText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), CellText] | None
IIN = Annotated[str, BeforeValidator(_iin_text)]
"""Individual identification number (Kazakhstan): 12 digits, the first six the birth date YYMMDD."""
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{2,32}$")]
Level = Literal["school", "municipal", "regional", "republican"]
_LEVEL_LABELS = {  # as the post-course forms name the levels
    "ru": {"school": "Уровень ОО", "municipal": "Муниципальный уровень", "regional": "Региональный уровень",
           "republican": "Республиканский уровень"},
    "kk": {"school": "Білім беру ұйымы деңгейі", "municipal": "Муниципалдық деңгей", "regional": "Өңірлік деңгей",
           "republican": "Республикалық деңгей"},
}
_GROUP_MARKS = {"school": "", "municipal": "**", "regional": "***"}


class _Model(BaseModel):
    # coerce_numbers_to_str: an integer in a text field (a spreadsheet's 45, 12, 87011234567) is its text
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True)


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
    """Fields every kind shares: who issues it, when, under which number (default: the registry's).

    A kind's class also says what its template needs besides the data (:meth:`template_extras`) and
    how its Kazakh number line reads (:attr:`kk_number_noun`)."""

    kk_number_noun: ClassVar[str] = ""
    """The noun after the number in the Kazakh number line («№ 12 хаттама»); none for most kinds."""

    organization: Organization
    date: dt.date
    number: OptText = None

    @classmethod
    def template_extras(cls, d: dict[str, Any], lang: str) -> dict[str, Any]:
        """Values the kind's template needs besides ``d`` (the data, dumped) and the number."""
        return {}


# --- protocol, protocol_extract, expert_conclusion ---------------------------------------------

class AgendaItem(_Model):
    title: Text
    speaker: OptText = None
    heard: LongText
    decision: LongText
    votes: Votes | None = None


class Protocol(DocumentData):
    kk_number_noun: ClassVar[str] = "хаттама"

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
    kk_number_noun: ClassVar[str] = "бұйрық"

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
    participant_iin: IIN | None = None  # not printed by the templates; binds the registered content to the person
    participant_position: OptText = None
    participant_organization: OptText = None
    role: Literal["participant", "speaker"] = "participant"
    event_title: Text
    event_form: Text = Field(description="the event's form as it is named («областной семинар», «облыстық "
                                         "семинар»); the certificate puts it in the case its sentence needs")
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

    @classmethod
    def template_extras(cls, d: dict[str, Any], lang: str) -> dict[str, Any]:
        ctx: dict[str, Any] = {}
        end = d["event_end_date"]
        start = d["event_date"]
        if end and end != start:
            ctx["event_dates"] = f"{fmt.short_date(start)}–{fmt.short_date(end)}"
        else:
            ctx["event_dates"] = fmt.long_date(start, lang)
        if lang == "ru":  # «принял(а) участие в областном семинаре»
            ctx["event_line"] = wording.ru_event_phrase(d["event_form"], d["role"])
        else:  # «… өткен» / «Title» / «тақырыбындағы облыстық семинарға қатысқанын растайды.»
            ctx["when_where"] = wording.kk_event_when_where(start, end, d["event_place"])
            if d["role"] == "participant":
                ctx["event_line"] = f"тақырыбындағы {wording.kk_case(d['event_form'], 'dat')} қатысқанын растайды."
            else:
                ctx["event_line"] = (f"тақырыбындағы {wording.kk_case(d['event_form'], 'loc')} баяндамамен сөз "
                                     "сөйлегенін растайды.")
        return ctx


class ImplementationAct(DocumentData):
    kk_number_noun: ClassVar[str] = "акт"

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
    stage_marks: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), CellText]] = Field(
        default_factory=list, max_length=5
    )

    @classmethod
    def template_extras(cls, d: dict[str, Any], lang: str) -> dict[str, Any]:
        marks = list(d["stage_marks"]) + [""] * 5
        return {"marks": marks[:5]}


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

    @classmethod
    def template_extras(cls, d: dict[str, Any], lang: str) -> dict[str, Any]:
        groups = []
        n = 0
        for level in ("school", "municipal", "regional"):
            events = []
            for e in d["events"]:
                if e["level"] == level:
                    n += 1
                    events.append({**e, "n": f"{n}."})
            groups.append({"title": _LEVEL_LABELS[lang][level] + _GROUP_MARKS[level], "events": events})
        return {"groups": groups}


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

    @classmethod
    def template_extras(cls, d: dict[str, Any], lang: str) -> dict[str, Any]:
        ctx: dict[str, Any] = {}
        ctx["half_label"] = ("I" if d["half"] == 1 else "II") if lang == "kk" else ("1-е" if d["half"] == 1 else "2-е")
        if lang == "ru":
            ctx["deadline"] = "до 1 июня" if d["half"] == 1 else "до 1 октября"
        else:
            ctx["deadline"] = "1 маусымға дейін" if d["half"] == 1 else "1 қазанға дейін"
        ctx["teachers"] = [{**t, "level_label": _LEVEL_LABELS[lang][t["level"]]} for t in d["teachers"]]
        ind = d["indicators"]
        labels = {
            "ru": ("Включено в посткурсовое сопровождение",
                   "Получили положительную оценку и рекомендованы к распространению опыта на следующий уровень",
                   ("Аттестованы на первую и высшую квалификационные категории с использованием материалов "
                    "посткурсового сопровождения"),
                   "Вошли в методический актив региона (тьютор, наставник, эксперт)"),
            "kk": ("Курстан кейінгі сүйемелдеуге қамтылғандар",
                   "Оң баға алып, тәжірибесін келесі деңгейде таратуға ұсынылғандар",
                   ("Курстан кейінгі сүйемелдеу материалдарын пайдаланып бірінші және жоғары біліктілік санатына "
                    "аттестатталғандар"),
                   "Өңірдің әдістемелік активіне (тьютор, тәлімгер, сарапшы) енгендер"),
        }[lang]
        ctx["shares"] = [
            {"label": labels[0], "count": ind["total"], "share": "100,0 %"},
            {"label": labels[1], "count": ind["recommended_next_level"],
             "share": fmt.percent(ind["recommended_next_level"], ind["total"])},
            {"label": labels[2], "count": ind["certified"], "share": fmt.percent(ind["certified"], ind["total"])},
            {"label": labels[3], "count": ind["joined_active"],
             "share": fmt.percent(ind["joined_active"], ind["total"])},
        ]
        return ctx


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
"""The data schema of every generated kind (the keys are :data:`verification.kinds.GENERATED_KINDS`)."""


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


# ------------------------------------------------------------------ example data (package data)


def examples() -> list[tuple[str, str, Path]]:
    """(kind, lang, path) of every kind's example data in Russian and Kazakh (``examples/<kind>.<lang>.json``)."""
    return [(kind, lang, EXAMPLES_DIR / f"{kind}.{lang}.json") for kind in SCHEMAS for lang in ("ru", "kk")
            if (EXAMPLES_DIR / f"{kind}.{lang}.json").is_file()]


def example_data(kind: str, lang: str) -> dict[str, Any]:
    """The example data of one kind in ``lang`` (``ru`` or ``kk``): a valid document, the form's pre-fill."""
    return json.loads((EXAMPLES_DIR / f"{kind}.{lang}.json").read_text(encoding="utf-8"))
