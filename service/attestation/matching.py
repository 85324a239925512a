"""Matching evidence to requirements: each document's verification report against a profile.

For every requirement, every document of a fitting kind is checked against the requirement's
constraints (person, date inside the period, level, event form, seal and handwritten signature or a
valid digital signature, links, places). A constraint gives pass, fail, or *unknown* (the field was not
found); a document with only passes is *counted*, one with unknowns and no failure is *for review*.
A requirement is ``met`` when the counted documents satisfy its count and its distinct places,
``needs_review`` when documents for review could still satisfy it, otherwise ``unmet``. Every outcome
carries the reasons in words (ru/kk/en, in this engine's own message catalog); kinds are named by
their titles in :mod:`verification.kinds`.

Duplicates — the same SHA-256, or the same paper read again (re-photographed, rescanned, rotated,
cropped: the same words and no fact read differently, whether or not the pictures' perceptual hashes
agree) — earlier in the dossier or already counted in another dossier (:mod:`service.dossier.ledger`)
are flagged and not counted again: the commission reviews each confirming document once. Two papers
on one form (another district, date, number, person or language) are two documents.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rapidfuzz import fuzz

from service.attestation.profiles import LEVELS, Profile, Requirement
from verification import kinds as _kinds
from verification.fields import MIN_WORDS, TextDigest, fold
from verification.fields.level import EVENT_FORM_TITLES as _EVENT_FORM_TITLES
from verification.fields.level import LEVEL_TITLES as _LEVEL_TITLES
from verification.messages import LANGUAGES, Catalog
from verification.report import (
    CheckStatus,
    FieldValue,
    Indication,
    Report,
    Verdict,
)

__all__ = [
    "LEVEL_TITLES",
    "PHASH_MAX_DISTANCE",
    "Completeness",
    "DocumentAssessment",
    "Duplicate",
    "Evidence",
    "Fit",
    "LedgerHit",
    "LedgerLookup",
    "MatchResult",
    "Period",
    "Place",
    "Reason",
    "RequirementResult",
    "RequirementStatus",
    "Teacher",
    "match_evidence",
    "phash_distance",
]

PHASH_MAX_DISTANCE = 8
"""Largest Hamming distance (bits of a 64-bit pHash) at which two page images count as the same scan."""


class RequirementStatus(str, enum.Enum):
    """Outcome of one requirement, best first."""

    MET = "met"
    """The counted documents satisfy every constraint."""
    NEEDS_REVIEW = "needs_review"
    """Not proven either way: documents a person must look at could satisfy it."""
    UNMET = "unmet"
    """No document, or not enough documents, satisfies it."""


class Completeness(str, enum.Enum):
    """Bottom line of a match (how complete the evidence is), derived from its requirements; not the
    dossier's workflow status (``service.dossier.models.DossierStatus``: draft, submitted, decided)."""

    COMPLETE = "complete"
    """Every requirement is met."""
    NEEDS_REVIEW = "needs_review"
    """Nothing is unmet, but at least one requirement needs a person."""
    INCOMPLETE = "incomplete"
    """At least one requirement is unmet."""


class Fit(str, enum.Enum):
    """How one document fits one requirement."""

    COUNTED = "counted"
    """Every constraint passed."""
    REVIEW = "review"
    """No constraint failed, but some could not be decided (a field was not found)."""
    REJECTED = "rejected"
    """A constraint failed."""


_TEXTS = Catalog(
    {
        "dossier.req.met": {
            "ru": "Выполнено: {documents}.",
            "kk": "Орындалды: {documents}.",
            "en": "Met by: {documents}.",
        },
        "dossier.req.places.district_or_city": {
            "ru": "Засчитано районов/городов: {count} ({names}), требуется не менее {min}.",
            "kk": "Есептелген аудандар/қалалар: {count} ({names}), кемінде {min} қажет.",
            "en": "Districts/cities counted: {count} ({names}); at least {min} required.",
        },
        "dossier.req.places.pending": {
            "ru": "Ещё указаны в документах, которые пока не засчитаны: {names}.",
            "kk": "Әзірге есептелмеген құжаттарда тағы көрсетілген: {names}.",
            "en": "Also named in documents not counted yet: {names}.",
        },
        "dossier.req.places.region": {
            "ru": "Засчитано областей: {count} ({names}), требуется не менее {min}.",
            "kk": "Есептелген облыстар: {count} ({names}), кемінде {min} қажет.",
            "en": "Regions counted: {count} ({names}); at least {min} required.",
        },
        "dossier.req.or_level": {
            "ru": "Охват подтверждён документом уровня «{level}»: {document}.",
            "kk": "Қамту «{level}» деңгейіндегі құжатпен расталды: {document}.",
            "en": "Coverage is confirmed by a document of level “{level}”: {document}.",
        },
        "dossier.req.no_documents": {
            "ru": "Нет документа нужного вида ({kinds}).",
            "kk": "Қажетті түрдегі құжат жоқ ({kinds}).",
            "en": "No document of the required kind ({kinds}).",
        },
        "dossier.req.too_few": {
            "ru": "Засчитано документов: {count}, требуется не менее {min}.",
            "kk": "Есептелген құжаттар: {count}, кемінде {min} қажет.",
            "en": "Documents counted: {count}; at least {min} required.",
        },
        "dossier.req.review": {
            "ru": "Требуют проверки человеком: {documents}.",
            "kk": "Адамның тексеруін қажет етеді: {documents}.",
            "en": "A person must check: {documents}.",
        },
        "dossier.req.unclassified": {
            "ru": "Вид документа не распознан: {documents} — загрузите более чёткую копию или проверьте вручную.",
            "kk": "Құжат түрі анықталмады: {documents} — анығырақ көшірмені жүктеңіз немесе қолмен тексеріңіз.",
            "en": "Document kind not recognised: {documents} — set kind in the manifest or check by hand.",
        },
        "dossier.doc.duplicate_dossier.sha256": {
            "ru": "{document}: тот же файл, что {other} (SHA-256), — засчитан один раз.",
            "kk": "{document}: {other} файлымен бірдей (SHA-256), — бір рет есептеледі.",
            "en": "{document}: the same file as {other} (SHA-256), counted once.",
        },
        "dossier.doc.duplicate_dossier.perceptual": {
            "ru": "{document}: тот же скан, что {other} (переснят), — засчитан один раз.",
            "kk": "{document}: {other} сканымен бірдей (қайта түсірілген), — бір рет есептеледі.",
            "en": "{document}: the same scan as {other} (re-photographed), counted once.",
        },
        "dossier.doc.duplicate_dossier.content": {
            "ru": "{document}: тот же документ, что {other} (другой скан или фото: совпадают текст и реквизиты), — засчитан один раз.",
            "kk": "{document}: {other} құжатымен бірдей (басқа скан немесе фото: мәтіні мен деректемелері сәйкес), — бір рет есептеледі.",
            "en": "{document}: the same document as {other} (another scan or photo: the text and details agree), counted once.",
        },
        "dossier.doc.duplicate_dossier.registry": {
            "ru": "{document}: тот же выданный документ, что {other} (один и тот же QR-код реестра), — засчитан один раз.",
            "kk": "{document}: {other} құжатымен бірдей берілген құжат (тізілімнің QR-коды бірдей), — бір рет есептеледі.",
            "en": "{document}: the same issued document as {other} (the same registry QR code), counted once.",
        },
        "dossier.doc.duplicate_ledger.sha256": {
            "ru": "{document}: уже засчитан в досье {other} ({teacher}); комиссия рассматривает подтверждающие документы один раз.",
            "kk": "{document}: {other} ({teacher}) портфолиосында есептелген; комиссия растайтын құжаттарды бір рет қарайды.",
            "en": "{document}: already counted in dossier {other} ({teacher}); the commission reviews confirming documents once.",
        },
        "dossier.doc.duplicate_ledger.perceptual": {
            "ru": "{document}: тот же скан уже засчитан в досье {other} ({teacher}); комиссия рассматривает подтверждающие документы один раз.",
            "kk": "{document}: дәл осы скан {other} ({teacher}) портфолиосында есептелген; комиссия растайтын құжаттарды бір рет қарайды.",
            "en": "{document}: the same scan is already counted in dossier {other} ({teacher}); the commission reviews confirming documents once.",
        },
        "dossier.doc.verification_failed": {
            "ru": "{document}: проверка не пройдена ({checks}).",
            "kk": "{document}: тексеруден өтпеді ({checks}).",
            "en": "{document}: verification failed ({checks}).",
        },
        "dossier.doc.person_mismatch": {
            "ru": "{document}: ФИО в документе ({found}) не совпадает с ФИО педагога.",
            "kk": "{document}: құжаттағы аты-жөні ({found}) педагогтың аты-жөніне сәйкес келмейді.",
            "en": "{document}: the name in the document ({found}) is not the teacher's.",
        },
        "dossier.doc.person_unknown": {
            "ru": "{document}: ФИО педагога не найдено — проверьте вручную.",
            "kk": "{document}: педагогтың аты-жөні табылмады — қолмен тексеріңіз.",
            "en": "{document}: the teacher's name was not found — check by hand.",
        },
        "dossier.doc.date_outside": {
            "ru": "{document}: дата {date} вне периода аттестации {start} — {end}.",
            "kk": "{document}: {date} күні аттестаттау кезеңінен тыс ({start} — {end}).",
            "en": "{document}: date {date} is outside the attestation period {start} – {end}.",
        },
        "dossier.doc.date_unknown": {
            "ru": "{document}: дата не найдена — проверьте вручную.",
            "kk": "{document}: күні табылмады — қолмен тексеріңіз.",
            "en": "{document}: no date found — check by hand.",
        },
        "dossier.doc.level_wrong": {
            "ru": "{document}: уровень «{level}», требуется: {levels}.",
            "kk": "{document}: деңгейі «{level}», қажет: {levels}.",
            "en": "{document}: level “{level}”; required: {levels}.",
        },
        "dossier.doc.level_unknown": {
            "ru": "{document}: уровень мероприятия не определён — проверьте вручную.",
            "kk": "{document}: іс-шара деңгейі анықталмады — қолмен тексеріңіз.",
            "en": "{document}: the level of the event was not found — check by hand.",
        },
        "dossier.doc.form_wrong": {
            "ru": "{document}: форма «{form}» не подходит ({forms}).",
            "kk": "{document}: «{form}» түрі сәйкес емес ({forms}).",
            "en": "{document}: form “{form}” does not fit ({forms}).",
        },
        "dossier.doc.form_unknown": {
            "ru": "{document}: форма мероприятия не определена — проверьте вручную.",
            "kk": "{document}: іс-шара түрі анықталмады — қолмен тексеріңіз.",
            "en": "{document}: the form of the event was not found — check by hand.",
        },
        "dossier.doc.no_seal": {
            "ru": "{document}: печать не найдена. Загрузите скан копии, заверенной печатью и подписью руководителя.",
            "kk": "{document}: мөр табылмады. Басшының мөрімен және қолымен куәландырылған көшірменің сканын жүктеңіз.",
            "en": "{document}: no seal found. Upload a scan of a copy certified with the head's seal and signature.",
        },
        "dossier.doc.no_handwritten": {
            "ru": "{document}: подпись руководителя не найдена. Загрузите скан копии, заверенной подписью и печатью руководителя.",
            "kk": "{document}: басшының қолы табылмады. Басшының қолымен және мөрімен куәландырылған көшірменің сканын жүктеңіз.",
            "en": "{document}: no handwritten signature of the head found. Upload a scan of a copy signed and sealed by the head.",
        },
        "dossier.doc.no_seal_no_digital": {
            "ru": "{document}: нет ни печати с подписью руководителя, ни действительной ЭЦП. Загрузите скан копии, заверенной печатью и подписью руководителя, или файл, подписанный ЭЦП руководителя.",
            "kk": "{document}: басшының қолы қойылған мөр де, жарамды ЭЦҚ да жоқ. Басшының мөрімен және қолымен куәландырылған көшірменің сканын немесе басшының ЭЦҚ-сымен қол қойылған файлды жүктеңіз.",
            "en": "{document}: neither a seal with the head's signature nor a valid digital signature. Upload a scan of a copy sealed and signed by the head, or the file signed with the head's digital signature.",
        },
        "dossier.doc.electronic_unsigned": {
            "ru": "{document} ({kind}) — электронный файл без печати, подписи руководителя и ЭЦП. Чтобы он засчитывался: распечатайте документ, подпишите его у руководителя и поставьте печать, отсканируйте и загрузите скан — или подпишите этот файл ЭЦП руководителя и загрузите подписанный файл.",
            "kk": "{document} ({kind}) — мөрі, басшының қолы және ЭЦҚ-сы жоқ электрондық файл. Ол есептелуі үшін: құжатты басып шығарып, басшыға қол қойғызып, мөр бастырыңыз, сканерлеп, сканды жүктеңіз — немесе осы файлға басшының ЭЦҚ-сын қойып, қол қойылған файлды жүктеңіз.",
            "en": "{document} ({kind}) is an electronic file without a seal, the head's signature or a digital signature. To have it counted: print it, have the head sign and stamp it, scan it and upload the scan — or sign this file with the head's digital signature and upload the signed file.",
        },
        "dossier.doc.digital_indeterminate": {
            "ru": "{document}: ЭЦП не удалось подтвердить ({sub}) — проверьте вручную.",
            "kk": "{document}: ЭЦҚ расталмады ({sub}) — қолмен тексеріңіз.",
            "en": "{document}: the digital signature could not be confirmed ({sub}) — check by hand.",
        },
        "dossier.doc.no_digital": {
            "ru": "{document}: нет действительной ЭЦП.",
            "kk": "{document}: жарамды ЭЦҚ жоқ.",
            "en": "{document}: no valid digital signature.",
        },
        "dossier.doc.no_links": {
            "ru": "{document}: нет ссылки на материалы в открытом доступе (нужно {min}); добавьте ссылки на опубликованные материалы.",
            "kk": "{document}: ашық қолжетімді материалдарға сілтеме жоқ ({min} қажет); жарияланған материалдарға сілтемелер қосыңыз.",
            "en": "{document}: no link to the materials in open access ({min} required); add links to the file in the manifest.",
        },
        "dossier.doc.places_unknown": {
            "ru": "{document}: район/город/область не распознаны — проверьте вручную.",
            "kk": "{document}: аудан/қала/облыс анықталмады — қолмен тексеріңіз.",
            "en": "{document}: no district, city or region recognised — check by hand.",
        },
    }
)

LEVEL_TITLES: Mapping[str, Mapping[str, str]] = _LEVEL_TITLES
"""Each level's name in ru/kk/en: the library's table (:data:`verification.fields.level.LEVEL_TITLES`)."""


def kind_title(kind: str | None, lang: str) -> str:
    if not kind:
        return {"ru": "вид не распознан", "kk": "түрі анықталмады", "en": "kind not recognised"}.get(lang, "?")
    return _kinds.title(kind, lang)


# --------------------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Period:
    """The attestation period of a dossier, both ends included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Teacher:
    full_name: str
    iin: str | None = None
    organization: str | None = None


@dataclass(frozen=True)
class Place:
    """A place of the reference list: ``type`` district | city | region; ``region`` its region's id."""

    id: str
    name: str
    type: str | None = None
    region: str | None = None

    def key(self, unit: str) -> str | None:
        """The canonical id counted for ``unit`` (district_or_city | region), or None if it does not count."""
        if unit == "district_or_city":
            return self.id if self.type in ("district", "city", None) else None
        if self.type == "region":
            return self.id
        if self.type == "city" and not self.region:
            return self.id  # a city of republican significance stands for a region
        return self.region


@dataclass(frozen=True)
class Evidence:
    """One document of the dossier as the engine sees it: its name in the manifest and its report."""

    name: str
    report: Report
    links: tuple[str, ...] = ()  # declared in the manifest: materials posted in open access


@dataclass(frozen=True)
class Reason:
    """One sentence of an explanation: a message-catalog key and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "ru") -> str:
        # a parameter may itself be a text in the three languages (level names): the catalog picks
        return _TEXTS.render(self.code, lang, **self.params)


@dataclass(frozen=True)
class LedgerHit:
    """A document already counted in another dossier."""

    dossier_id: str
    teacher: str | None
    file: str | None
    how: str  # "sha256" | "perceptual"
    distance: int = 0


class LedgerLookup(Protocol):
    """What matching needs of the evidence ledger (``service.dossier.ledger``)."""

    def find(self, sha256: str, phashes: Sequence[str], *, exclude_dossier: str,
             number: str | None = None, date: str | None = None) -> LedgerHit | None: ...


@dataclass(frozen=True)
class Duplicate:
    other: str  # a document of this dossier, or another dossier's id
    source: str  # "dossier" | "ledger"
    how: str  # "sha256" | "perceptual" | "content" | "registry" (the last two: this dossier only)
    distance: int = 0
    teacher: str | None = None

    def reason(self, document: str) -> Reason:
        return Reason(f"dossier.doc.duplicate_{self.source}.{self.how}",
                      {"document": document, "other": self.other, "teacher": self.teacher or "—"})


@dataclass(frozen=True)
class DocumentAssessment:
    """What the engine read from one document, and whether it is a duplicate."""

    name: str
    sha256: str
    kind: str | None
    verdict: Verdict
    date: dt.date | None
    level: str | None
    event_form: str | None
    person_matches: bool | None
    places: tuple[Place, ...]
    links: tuple[str, ...]
    duplicate: Duplicate | None = None
    fits: Mapping[str, Fit] = field(default_factory=dict)  # requirement id → fit, for fitting kinds only
    notes: Mapping[str, tuple[Reason, ...]] = field(default_factory=dict)  # requirement id → why not counted

    @property
    def counted_for(self) -> tuple[str, ...]:
        return tuple(rid for rid, fit in self.fits.items() if fit is Fit.COUNTED)

    def to_dict(self, lang: str = "ru") -> dict[str, Any]:
        return {
            "file": self.name,
            "sha256": self.sha256,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "date": self.date.isoformat() if self.date else None,
            "level": self.level,
            "places": [p.__dict__ for p in self.places],
            "links": list(self.links),
            "duplicate": None if self.duplicate is None else {
                "of": self.duplicate.other, "source": self.duplicate.source, "how": self.duplicate.how,
                "distance": self.duplicate.distance, "teacher": self.duplicate.teacher,
            },
            "requirements": {rid: fit.value for rid, fit in self.fits.items()},
            "notes": {rid: " ".join(r.text(lang) for r in reasons) for rid, reasons in self.notes.items() if reasons},
        }


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    status: RequirementStatus
    documents: tuple[str, ...]  # counted for this requirement
    review_documents: tuple[str, ...]  # would count if a person confirms them
    places: tuple[Place, ...]  # distinct places counted (by canonical id)
    reasons: tuple[Reason, ...]

    @property
    def id(self) -> str:
        return self.requirement.id

    def reason(self, lang: str = "ru") -> str:
        return " ".join(r.text(lang) for r in self.reasons)

    def summary(self) -> str:
        return f"{self.id}: {self.status.value}"

    def to_dict(self, lang: str = "ru") -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "documents": list(self.documents),
            "reason": self.reason(lang),
            "reasons": {code: self.reason(code) for code in LANGUAGES},
            "title": self.requirement.titles.get(lang),
            "review_documents": list(self.review_documents),
            "places": [{"id": p.id, "name": p.name, "type": p.type, "region": p.region} for p in self.places],
        }


@dataclass(frozen=True)
class MatchResult:
    profile: Profile
    dossier_id: str
    period: Period
    requirements: tuple[RequirementResult, ...]
    documents: tuple[DocumentAssessment, ...]

    @property
    def status(self) -> Completeness:
        statuses = {r.status for r in self.requirements}
        if RequirementStatus.UNMET in statuses:
            return Completeness.INCOMPLETE
        if RequirementStatus.NEEDS_REVIEW in statuses:
            return Completeness.NEEDS_REVIEW
        return Completeness.COMPLETE

    def requirement(self, requirement_id: str) -> RequirementResult:
        for r in self.requirements:
            if r.id == requirement_id:
                return r
        raise KeyError(requirement_id)

    def document(self, name: str) -> DocumentAssessment:
        for d in self.documents:
            if d.name == name:
                return d
        raise KeyError(name)

    def counted_documents(self) -> tuple[DocumentAssessment, ...]:
        """Documents counted for at least one requirement: what the ledger records."""
        return tuple(d for d in self.documents if d.counted_for and d.duplicate is None)

    def summary(self) -> dict[str, str]:
        return {r.id: r.status.value for r in self.requirements}

    def verdict_lines(self, lang: str = "ru") -> list[str]:
        return [f"{r.status.value:<12} {r.id}: {r.requirement.titles.get(lang)}" for r in self.requirements]


# ------------------------------------------------------------------------------------------ reading


def _field(report: Report, name: str) -> FieldValue | None:
    fv = report.fields.get(name)
    return fv if isinstance(fv, FieldValue) else None


def _value(report: Report, name: str) -> Any:
    fv = _field(report, name)
    return None if fv is None else fv.value


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _document_date(report: Report) -> dt.date | None:
    day = _parse_date(_value(report, "date"))
    if day is None:  # a born-digital document: the date it was validly signed
        for sig in report.signatures:
            if sig.passed:
                day = _parse_date(sig.timestamp_time or sig.signing_time)
                if day:
                    break
    return day


def _places(report: Report) -> tuple[Place, ...]:
    raw = _value(report, "places")
    if isinstance(raw, (str, Mapping)):
        raw = [raw]
    out: list[Place] = []
    for item in raw or ():
        if isinstance(item, Mapping) and (item.get("id") or item.get("name")):
            pid = str(item.get("id") or item.get("name"))
            out.append(Place(pid, str(item.get("name") or pid), item.get("type"),
                             str(item["region"]) if item.get("region") else None))
        elif isinstance(item, str) and item.strip():
            out.append(Place(item.strip().casefold(), item.strip()))
    return tuple(out)


def _links(ev: Evidence) -> tuple[str, ...]:
    found = [u for u in ev.links if isinstance(u, str)]
    extra = _value(ev.report, "links")
    if isinstance(extra, str):
        extra = [extra]
    found += [u for u in (extra or ()) if isinstance(u, str)]
    found += [q.content for q in ev.report.qr_codes]
    seen: dict[str, None] = {}
    for url in found:
        url = url.strip()
        if url.lower().startswith(("http://", "https://")) and "." in url.split("//", 1)[1]:
            seen.setdefault(url, None)
    return tuple(seen)


def phash_distance(a: str, b: str) -> int | None:
    """Hamming distance of two hex perceptual hashes of equal length, None if not comparable."""
    if not a or not b or len(a) != len(b):
        return None
    try:
        return (int(a, 16) ^ int(b, 16)).bit_count()
    except ValueError:
        return None


def same_scan(a: Sequence[str], b: Sequence[str], max_distance: int = PHASH_MAX_DISTANCE) -> int | None:
    """The largest page distance if two documents are the same pages (every page within the limit)."""
    if not a or len(a) != len(b):
        return None
    worst = 0
    for x, y in zip(a, b):
        d = phash_distance(x, y)
        if d is None or d > max_distance:
            return None
        worst = max(worst, d)
    return worst


TEXT_SAME = 0.7
"""Share of words two readings of one paper have in common at least (OCR noise, a cropped margin)."""
TEXT_OTHER = 0.45
"""Below this share of common words two texts are two documents, whatever the pictures look like."""


def _norm(value: Any) -> str:
    return " ".join(fold(str(value)).replace("№", " ").split()).strip(" .,;:")


def _registry_ids(report: Report) -> set[str]:
    return {q.document_id for q in report.qr_codes if q.document_id}


def _place_ids(report: Report) -> set[str]:
    return {p.id for p in _places(report)}


def _digest(report: Report) -> TextDigest | None:
    d = TextDigest.from_value(_value(report, "text_digest"))
    return d if d is not None and d.words >= MIN_WORDS else None


def _content_differs(a: Report, b: Report) -> str | None:
    """The first fact, read on both documents, in which they differ (another district, date, number,
    person, language, kind, registry id, or mostly other words); ``None`` if nothing read differs."""
    ids_a, ids_b = _registry_ids(a), _registry_ids(b)
    if ids_a and ids_b and not ids_a & ids_b:
        return "registry"
    if a.kind and b.kind and a.kind != b.kind:
        return "kind"
    for name in ("number", "date"):
        x, y = _value(a, name), _value(b, name)
        if x not in (None, "") and y not in (None, "") and _norm(x) != _norm(y):
            return name
    pa, pb = _place_ids(a), _place_ids(b)
    if pa and pb and not (pa <= pb or pb <= pa):  # one reading may miss a place; none may name another
        return "places"
    x, y = _value(a, "person_name"), _value(b, "person_name")
    if x and y and fuzz.ratio(_norm(x), _norm(y)) < 80:
        return "person"
    da, db = _digest(a), _digest(b)
    if da is not None and db is not None:
        if da.language and db.language and da.language != db.language:
            return "language"
        if da.years and db.years and not set(da.years) & set(db.years):  # «Астана, 2025» / «Караганда, 2020»
            return "date"
        if da.similarity(db) < TEXT_OTHER:
            return "text"
    return None


def _content_agrees(a: Report, b: Report, pictures_alike: bool) -> bool:
    """The two readings say the same thing (checked after :func:`_content_differs`): the same registry
    id, or mostly the same words. Where a text was too short to compare (a photo OCR could not read,
    a report stored before texts were fingerprinted), alike pictures count only together with a
    number, date or name read the same on both."""
    if _registry_ids(a) & _registry_ids(b):
        return True
    da, db = _digest(a), _digest(b)
    if da is not None and db is not None:
        return da.similarity(db) >= TEXT_SAME
    if not pictures_alike:
        return False
    return any(_value(a, n) not in (None, "") and _value(b, n) not in (None, "")
               and _norm(_value(a, n)) == _norm(_value(b, n)) for n in ("number", "date", "person_name"))


def _find_duplicate(ev: Evidence, earlier: Sequence[Evidence], max_distance: int) -> Duplicate | None:
    """The earlier document ``ev`` is a copy of. The same bytes are always one document. Otherwise the
    content decides: two papers that differ in a fact both name (district, date, number, person,
    language, registry id) or in most of their words are two documents, however alike their pictures;
    the same paper photographed again, rescanned, rotated, cropped or re-compressed reads the same and
    is one. A look-alike picture alone (one form, no readable text to compare) never merges two."""
    for other in earlier:
        if ev.report.sha256 and ev.report.sha256 == other.report.sha256:
            return Duplicate(other.name, "dossier", "sha256")
    for other in earlier:
        if _content_differs(ev.report, other.report) is not None:
            continue
        d = same_scan(ev.report.perceptual_hashes, other.report.perceptual_hashes, max_distance)
        if not _content_agrees(ev.report, other.report, d is not None):
            continue
        if d is not None:
            return Duplicate(other.name, "dossier", "perceptual", d)
        how = "registry" if _registry_ids(ev.report) & _registry_ids(other.report) else "content"
        return Duplicate(other.name, "dossier", how)
    return None


# ------------------------------------------------------------------------------------------ checking


def _levels_text(levels: Iterable[str]) -> dict[str, str]:
    levels = list(levels)
    return {lang: ", ".join(LEVEL_TITLES.get(v, {}).get(lang, v) for v in levels) for lang in LANGUAGES}


FORM_TITLES: Mapping[str, Mapping[str, str]] = _EVENT_FORM_TITLES
"""Event forms in words (a profile's ``event_forms`` and a report's ``event_form`` are codes)."""

CHECK_TITLES: Mapping[str, Mapping[str, str]] = {
    "fields.person_name": {"ru": "ФИО", "kk": "аты-жөні", "en": "name"},
    "fields.date": {"ru": "дата", "kk": "күні", "en": "date"},
    "fields.number": {"ru": "номер", "kk": "нөмірі", "en": "number"},
    "fields.issuer": {"ru": "кем выдан", "kk": "берген ұйым", "en": "issuer"},
    "scan.seal": {"ru": "печать", "kk": "мөр", "en": "seal"},
    "scan.handwritten_signature": {"ru": "подпись от руки", "kk": "қолмен қойылған қолтаңба", "en": "handwritten signature"},
    "document": {"ru": "вид документа", "kk": "құжат түрі", "en": "document kind"},
    "signature": {"ru": "электронная подпись", "kk": "электрондық қолтаңба", "en": "digital signature"},
    "scan": {"ru": "скан", "kk": "скан", "en": "scan"},
    "qr": {"ru": "QR-код", "kk": "QR-код", "en": "QR code"},
    "file": {"ru": "файл", "kk": "файл", "en": "file"},
}
"""What a failed check is about, in words, by its id or the id's first part (``signature.integrity``)."""


def _checks_text(check_ids: Iterable[str]) -> dict[str, str]:
    def title(check_id: str, lang: str) -> str:
        words = CHECK_TITLES.get(check_id) or CHECK_TITLES.get(check_id.split(".", 1)[0]) or CHECK_TITLES["file"]
        return words.get(lang, words["ru"])

    ids = list(dict.fromkeys(check_ids))
    return {lang: ", ".join(dict.fromkeys(title(i, lang) for i in ids)) for lang in LANGUAGES}


def _forms_text(forms: Iterable[str]) -> dict[str, str]:
    forms = list(forms)
    return {lang: ", ".join(FORM_TITLES.get(f, {}).get(lang, f.replace("_", "-")) for f in forms)
            for lang in LANGUAGES}


def _date_text(day: dt.date) -> dict[str, str]:
    """A date in a sentence: 10.03.2022 in Russian and Kazakh (as on the documents), ISO in English."""
    return {"ru": day.strftime("%d.%m.%Y"), "kk": day.strftime("%d.%m.%Y"), "en": day.isoformat()}


def _kinds_text(kinds: Iterable[str]) -> dict[str, str]:
    """The kinds' names in every language («программа мероприятия, приказ …»), not their codes."""
    kinds = list(kinds)
    return {lang: ", ".join(kind_title(k, lang) for k in kinds) for lang in LANGUAGES}


def _electronic_unsigned(report: Report) -> bool:
    """A born-digital PDF (e.g. a programme generated here) with no seal, no handwritten signature and
    no digital signature: the teacher is told how to certify it (print, sign, stamp and scan; or ЭЦП)."""
    return (report.media_type == "application/pdf" and report.text_source == "text_layer"
            and not report.seals and not report.handwritten_signatures and not report.signatures)


def _certification(doc: str, report: Report, rule: str) -> tuple[Fit, list[Reason]]:
    if rule == "none":
        return Fit.COUNTED, []
    seal, hand = bool(report.seals), bool(report.handwritten_signatures)
    passed = any(s.passed for s in report.signatures)
    undecided = [s for s in report.signatures if s.indication is Indication.INDETERMINATE]
    if rule == "seal":
        return (Fit.COUNTED, []) if seal else (Fit.REJECTED, [Reason("dossier.doc.no_seal", {"document": doc})])
    if rule == "seal_and_signature":
        reasons = []
        if not seal:
            reasons.append(Reason("dossier.doc.no_seal", {"document": doc}))
        if not hand:
            reasons.append(Reason("dossier.doc.no_handwritten", {"document": doc}))
        return (Fit.REJECTED, reasons) if reasons else (Fit.COUNTED, [])
    if passed or (rule == "seal_and_signature_or_digital" and seal and hand):
        return Fit.COUNTED, []
    if undecided:
        sub = undecided[0].sub_indication.value if undecided[0].sub_indication else "INDETERMINATE"
        return Fit.REVIEW, [Reason("dossier.doc.digital_indeterminate", {"document": doc, "sub": sub})]
    if rule == "digital_signature":
        return Fit.REJECTED, [Reason("dossier.doc.no_digital", {"document": doc})]
    if _electronic_unsigned(report):
        return Fit.REJECTED, [Reason("dossier.doc.electronic_unsigned",
                                     {"document": doc, "kind": {lang: kind_title(report.kind, lang) for lang in LANGUAGES}})]
    if seal and not hand:
        return Fit.REJECTED, [Reason("dossier.doc.no_handwritten", {"document": doc})]
    if hand and not seal:
        return Fit.REJECTED, [Reason("dossier.doc.no_seal", {"document": doc})]
    return Fit.REJECTED, [Reason("dossier.doc.no_seal_no_digital", {"document": doc})]


def _assess_fit(profile: Profile, r: Requirement, d: DocumentAssessment, report: Report,
                period: Period) -> tuple[Fit, list[Reason]]:
    doc = d.name
    fails: list[Reason] = []
    unknowns: list[Reason] = []
    if d.duplicate is not None:
        return Fit.REJECTED, [d.duplicate.reason(doc)]
    if d.verdict is Verdict.FAILED:
        failed = [c.id for c in report.checks if c.status is CheckStatus.FAIL]
        fails.append(Reason("dossier.doc.verification_failed", {"document": doc, "checks": _checks_text(failed)}))
    if profile.person_must_match(r):
        if d.person_matches is False:
            fails.append(Reason("dossier.doc.person_mismatch",
                                {"document": doc, "found": _value(report, "person_name") or "—"}))
        elif d.person_matches is None:
            unknowns.append(Reason("dossier.doc.person_unknown", {"document": doc}))
    if profile.within_period(r):
        if d.date is None:
            unknowns.append(Reason("dossier.doc.date_unknown", {"document": doc}))
        elif d.date not in period:
            fails.append(Reason("dossier.doc.date_outside", {"document": doc, "date": _date_text(d.date),
                                                             "start": _date_text(period.start),
                                                             "end": _date_text(period.end)}))
    or_levels = r.distinct_places.or_levels if r.distinct_places else ()
    if r.levels:
        if d.level is None:
            unknowns.append(Reason("dossier.doc.level_unknown", {"document": doc}))
        elif d.level not in r.levels and d.level not in or_levels:
            fails.append(Reason("dossier.doc.level_wrong",
                                {"document": doc, "level": _levels_text([d.level]), "levels": _levels_text(r.levels)}))
    if r.event_forms:
        if d.event_form is None:
            unknowns.append(Reason("dossier.doc.form_unknown", {"document": doc}))
        elif d.event_form not in r.event_forms:
            fails.append(Reason("dossier.doc.form_wrong",
                                {"document": doc, "form": _forms_text([d.event_form]),
                                 "forms": _forms_text(r.event_forms)}))
    fit, reasons = _certification(doc, report, profile.certification_of(r))
    (fails if fit is Fit.REJECTED else unknowns).extend(reasons)
    if r.min_links and len(d.links) < r.min_links:
        fails.append(Reason("dossier.doc.no_links", {"document": doc, "min": r.min_links}))
    if r.distinct_places and d.level not in or_levels and not [
        p for p in d.places if p.key(r.distinct_places.unit)
    ]:
        unknowns.append(Reason("dossier.doc.places_unknown", {"document": doc}))
    if fails:
        return Fit.REJECTED, fails
    if unknowns:
        return Fit.REVIEW, unknowns
    return Fit.COUNTED, []


def _distinct_places(docs: Iterable[DocumentAssessment], unit: str) -> dict[str, Place]:
    out: dict[str, Place] = {}
    for d in docs:
        for p in d.places:
            key = p.key(unit)
            if key and key not in out:
                # a district counted as its region is shown by its region id
                out[key] = p if (unit == "district_or_city" or p.type == "region" or key == p.id) else Place(
                    key, key, "region")
    return out


def _places_reason(rule: Any, places: Mapping[str, Place]) -> Reason:
    return Reason(f"dossier.req.places.{rule.unit}",
                  {"count": len(places), "names": ", ".join(p.name for p in places.values()) or "—", "min": rule.min})


def _decide(r: Requirement, assessed: Sequence[DocumentAssessment],
            fit_reasons: Mapping[str, list[Reason]], unclassified: Sequence[str]) -> RequirementResult:
    fitting = [d for d in assessed if r.id in d.fits]
    counted = [d for d in fitting if d.fits[r.id] is Fit.COUNTED]
    review = [d for d in fitting if d.fits[r.id] is Fit.REVIEW]
    rejected = [d for d in fitting if d.fits[r.id] is Fit.REJECTED]
    rule = r.distinct_places
    reasons: list[Reason] = []

    def coverage(docs: Sequence[DocumentAssessment]) -> tuple[bool, dict[str, Place], DocumentAssessment | None]:
        if rule is None:
            return True, {}, None
        wide = next((d for d in docs if d.level in rule.or_levels), None)
        places = _distinct_places(docs, rule.unit)
        return (wide is not None or len(places) >= rule.min), places, wide

    covered, places, wide = coverage(counted)
    if len(counted) >= r.min_count and covered:
        reasons.append(Reason("dossier.req.met", {"documents": ", ".join(d.name for d in counted)}))
        if wide is not None and rule is not None and len(places) < rule.min:
            reasons.append(Reason("dossier.req.or_level", {"level": _levels_text([wide.level or ""]),
                                                           "document": wide.name}))
        elif rule is not None:
            reasons.append(_places_reason(rule, places))
        status = RequirementStatus.MET
    else:
        possible = counted + review
        covered_possible, _, _ = coverage(possible)
        unknown_places = any(
            rule is not None and not [p for p in d.places if p.key(rule.unit)] for d in review
        )
        if not fitting:
            reasons.append(Reason("dossier.req.no_documents", {"kinds": _kinds_text(r.kinds)}))
        elif len(counted) < r.min_count:
            reasons.append(Reason("dossier.req.too_few", {"count": len(counted), "min": r.min_count}))
        if rule is not None and fitting and not covered:
            reasons.append(_places_reason(rule, places))
            pending = {k: p for k, p in _distinct_places(review + rejected, rule.unit).items() if k not in places}
            if pending:  # named in documents not counted (yet): say so, or «0» reads as a contradiction
                reasons.append(Reason("dossier.req.places.pending",
                                      {"names": ", ".join(p.name for p in pending.values())}))
        for d in review + rejected:
            reasons.extend(fit_reasons[f"{r.id}\x00{d.name}"])
        if review and len(possible) >= r.min_count and (covered_possible or unknown_places):
            status = RequirementStatus.NEEDS_REVIEW
            reasons.append(Reason("dossier.req.review", {"documents": ", ".join(d.name for d in review)}))
        elif unclassified:
            status = RequirementStatus.NEEDS_REVIEW
            reasons.append(Reason("dossier.req.unclassified", {"documents": ", ".join(unclassified)}))
        else:
            status = RequirementStatus.UNMET
    return RequirementResult(
        requirement=r,
        status=status,
        documents=tuple(d.name for d in counted),
        review_documents=tuple(d.name for d in review),
        places=tuple(places.values()),
        reasons=tuple(reasons),
    )


def match_evidence(
    profile: Profile,
    evidence: Sequence[Evidence],
    *,
    period: Period,
    dossier_id: str,
    ledger: LedgerLookup | None = None,
    max_phash_distance: int = PHASH_MAX_DISTANCE,
) -> MatchResult:
    """Decide every requirement of ``profile`` from the documents' reports. Pure, apart from ledger reads."""
    assessed: list[DocumentAssessment] = []
    fit_reasons: dict[str, list[Reason]] = {}
    earlier: list[Evidence] = []
    unclassified: list[str] = []
    for ev in evidence:
        report = ev.report
        duplicate = _find_duplicate(ev, earlier, max_phash_distance)
        if duplicate is None and ledger is not None:
            hit = ledger.find(report.sha256, report.perceptual_hashes, exclude_dossier=dossier_id,
                              number=_value(report, "number"), date=_value(report, "date"))
            if hit is not None:
                duplicate = Duplicate(hit.dossier_id, "ledger", hit.how, hit.distance, hit.teacher)
        person = _field(report, "person_name")
        level = _value(report, "level")
        form = _value(report, "event_form")
        d = DocumentAssessment(
            name=ev.name,
            sha256=report.sha256,
            kind=report.kind,
            verdict=report.verdict,
            date=_document_date(report),
            level=level if level in LEVELS else None,
            event_form=str(form) if form else None,
            person_matches=None if person is None else person.matches_expected,
            places=_places(report),
            links=_links(ev),
            duplicate=duplicate,
        )
        fits: dict[str, Fit] = {}
        for r in profile.requirements:
            if report.kind in r.kinds:
                fit, reasons = _assess_fit(profile, r, d, report, period)
                fits[r.id] = fit
                fit_reasons[f"{r.id}\x00{ev.name}"] = reasons
        if report.kind is None and report.verdict is not Verdict.FAILED and duplicate is None:
            unclassified.append(ev.name)
        notes = {rid: tuple(fit_reasons[f"{rid}\x00{ev.name}"]) for rid in fits}
        assessed.append(DocumentAssessment(**{**d.__dict__, "fits": fits, "notes": notes}))
        if duplicate is None:
            earlier.append(ev)
    results = tuple(_decide(r, assessed, fit_reasons, unclassified) for r in profile.requirements)
    return MatchResult(profile, dossier_id, period, results, tuple(assessed))


# ------------------------------------------------------------------------------ reports from JSON
