"""The one table of document kinds: what each kind is called, what a paper copy of it must carry, how
its title reads on a page, and whether the product generates it.

Every title a user reads for a kind comes from here — the web pages, the check messages of a report
and the commission's ``dossier.pdf`` — as do the seal and signature rules of the scan step, the text
cues that recognise a kind, the registry's kind codes and the headings of the generated forms. The ids
of the generated kinds are the ``KIND`` values of CONTRACT.md. Official names follow DOMAIN.md
(«Documents the product must generate»).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from verification.messages import LANGUAGES

__all__ = [
    "ALL_KINDS",
    "DETECTION_ORDER",
    "EVIDENCE_KINDS",
    "GENERATED_KINDS",
    "KINDS",
    "NOT_ATTESTATION",
    "NOT_ATTESTATION_CUES",
    "Kind",
    "Need",
    "heading",
    "kind",
    "title",
    "titles",
]


class Need(str, enum.Enum):
    """How much a paper copy of a kind needs a seal or a handwritten signature."""

    REQUIRED = "required"
    """Without it the copy is not valid: the check fails."""
    EXPECTED = "expected"
    """It is normally there: its absence is a warning."""
    NONE = "none"
    """Not asked for."""


@dataclass(frozen=True)
class Kind:
    """One kind of document."""

    id: str
    title_ru: str
    title_kk: str
    title_en: str
    generated: bool = False
    """The product generates it (a template per language, a schema of its data)."""
    registry_code: str | None = None
    """The kind's part of a registration number (``MC-KRG-ORD-2024-00084``); generated kinds only."""
    seal: Need = Need.NONE
    signature: Need = Need.NONE
    number_expected: bool = False
    """A document of this kind normally carries a number (its absence is a warning)."""
    cues: str | None = None
    """Regular expression over the folded text (:func:`verification.fields.text.fold`) of a line that
    names the kind, in Russian or Kazakh; None: the kind is not recognised from its text."""
    heading_ru: str | None = None
    heading_kk: str | None = None
    """The heading printed on the generated form (a second line after a newline)."""
    aliases: tuple[str, ...] = ()
    """Other ids accepted for this kind (older spellings)."""
    evidence: bool = True
    """A requirement profile may name it; False for ``not_attestation``, the verdict that a paper is no
    attestation evidence at all."""

    def title(self, lang: str) -> str:
        """The kind's name in ``lang`` (ru, kk, en; another language gets the Russian one)."""
        return {"ru": self.title_ru, "kk": self.title_kk, "en": self.title_en}.get(lang, self.title_ru)

    def titles(self) -> dict[str, str]:
        return {lang: self.title(lang) for lang in LANGUAGES}


_R, _E = Need.REQUIRED, Need.EXPECTED

NOT_ATTESTATION_CUES = (
    r"не\s+относится\s+к\s+аттестации|аттестацияга\s+катысы\s+жок"
    # dosimetry and radiation control reports
    r"|\bдозиметр\w*|\bдозиметрия\w*|гамма[\s-]*излучени\w*|\bмэд\b|мк\s*зв\b|мкзв\w*"
    r"|радиационн\w*\s+(?:контрол|обследован|безопасност)\w*"
    # local estimates
    r"|\bлокальн\w*\s+смет\w*|\bсметн\w*\s+(?:расч|стоимост|документац)\w*|\bлокальн\w*\s+ресурсн\w*"
    r"|жергиликти\s+смета\w*|программн\w*\s+комплекс\w*\s+авс\b"
    # design: terms of reference, technical decisions, project passports, drawings
    r"|техническ\w*\s+задани\w*|техникалык\s+тапсырма\w*|(?:основн\w*\s+)?техническ\w*\s+решени\w*"
    r"|паспорт\w*\s+проект\w*|жобанын\s+паспорт\w*|рабоч\w*\s+проект\w*|стади\w*\s+проектировани\w*"
    r"|генпроектировщик\w*|главн\w*\s+инженер\w*\s+проект\w*|\bчертеж\w*|\bсызба\w*"
    r"|стади\w*\s+лист\w*\s+листов"
    # land decisions
    r"|земельн\w*\s+участ\w*|жер\s+учаске\w*|кадастров\w*\s+номер\w*|землепользовани\w*"
)
"""Words of office and construction papers that are no attestation evidence (the kzoffice pages of
../shared/realscans: dosimetry reports, local estimates, terms of reference, technical decisions,
project passports; land decisions, drawings). Only phrases such papers use, never a teacher's document:
:func:`verification.fields.kind.detect_kind` wants one in the title lines or two different ones in the text."""

KINDS: tuple[Kind, ...] = (
    # -- generated: the KIND values of CONTRACT.md, in its order ---------------------------------
    Kind("protocol", "Протокол заседания", "Отырыс хаттамасы", "Minutes of a meeting (protocol)",
         generated=True, registry_code="PRT", signature=_E, number_expected=True,
         cues=r"\bпротокол|\bхаттама", heading_ru="ПРОТОКОЛ", heading_kk="ХАТТАМА"),
    Kind("protocol_extract", "Выписка из протокола", "Хаттамадан үзінді", "Protocol extract",
         generated=True, registry_code="EXT", seal=_E, signature=_E, number_expected=True,
         cues=r"выписк\w*\s+из\s+протокол|хаттамадан\s+узинди|узинди",
         heading_ru="ВЫПИСКА ИЗ ПРОТОКОЛА", heading_kk="ХАТТАМАДАН ҮЗІНДІ"),
    Kind("expert_conclusion", "Экспертное заключение", "Сараптамалық қорытынды", "Expert conclusion",
         generated=True, registry_code="EXP", seal=_E, signature=_E, number_expected=True,
         cues=r"экспертн\w*\s+заключ|сараптамалык\s+корытынды|корытынды",
         heading_ru="ЭКСПЕРТНОЕ ЗАКЛЮЧЕНИЕ", heading_kk="САРАПТАМАЛЫҚ ҚОРЫТЫНДЫ"),
    Kind("order", "Приказ", "Бұйрық", "Order",
         generated=True, registry_code="ORD", seal=_E, signature=_E, number_expected=True,
         cues=r"\bприказ|\bбуйрык", heading_ru="ПРИКАЗ", heading_kk="БҰЙРЫҚ"),
    Kind("transmission_program", "Программа трансляции опыта", "Тәжірибені тарату бағдарламасы",
         "Transmission programme",
         generated=True, registry_code="PRG", seal=_R, signature=_R,
         cues=r"программ\w*\s+трансляци|тарату\s+багдарлама|багдарламасы|программа",
         heading_ru="ПРОГРАММА ТРАНСЛЯЦИИ ПЕДАГОГИЧЕСКОГО ОПЫТА",
         heading_kk="ПЕДАГОГИКАЛЫҚ ТӘЖІРИБЕНІ ТАРАТУ БАҒДАРЛАМАСЫ"),
    Kind("certificate", "Сертификат / справка / диплом", "Сертификат / анықтама / диплом",
         "Certificate / reference / diploma",
         generated=True, registry_code="CRT", seal=_E, signature=_E, number_expected=True,
         cues=r"сертификат|справк\w*|аныктама|диплом|грамот\w*|certificate",
         heading_ru="СЕРТИФИКАТ", heading_kk="СЕРТИФИКАТ"),
    Kind("implementation_act", "Акт о внедрении", "Енгізу туралы акт", "Act of implementation",
         generated=True, registry_code="ACT", seal=_R, signature=_R,
         cues=r"акт\w*\s+(?:о\s+)?внедрени|енгизу\s+туралы\s+акт",
         heading_ru="АКТ О ВНЕДРЕНИИ", heading_kk="ЕНГІЗУ ТУРАЛЫ АКТ"),
    Kind("regional_plan", "План трансляции педагогического опыта региона", "Өңірдің тәжірибе тарату жоспары",
         "Regional plan of events",
         generated=True, registry_code="RPL",
         cues=r"план\w*\s+трансляции|тарату\s+жоспар|жоспары", heading_ru="ПЛАН", heading_kk="ЖОСПАР"),
    Kind("postcourse_checklist", "Чек-лист посткурсового сопровождения", "Курстан кейінгі қолдау чек-парағы",
         "Post-course checklist",
         generated=True, registry_code="CHK",
         cues=r"чек[\s-]*лист|чек[\s-]*пара[кг]", heading_ru="ЧЕК-ЛИСТ", heading_kk="ЧЕК-ПАРАҚ"),
    Kind("competence_plan", "План деятельности по развитию компетенций", "Құзыреттерді дамыту жоспары",
         "Competence development plan",
         generated=True, registry_code="CPL",
         cues=r"план\w*\s+деятельности\s+по\s+развитию\s+компетенц|кузыреттерди\s+дамыту",
         heading_ru="План деятельности по развитию компетенций,\nсформированных на курсах ПК",
         heading_kk="ПБ курстарында қалыптасқан құзыреттерді\nдамыту жөніндегі қызмет жоспары"),
    Kind("halfyear_report", "Отчёт за полугодие", "Жиынтық есеп", "Half-year report",
         generated=True, registry_code="HYR",
         cues=r"отч[её]т|мониторинг|жиынтык\s+есеп", heading_ru="ОТЧЁТ", heading_kk="ЖИЫНТЫҚ ЕСЕП"),
    # -- evidence a teacher uploads that the product does not generate ---------------------------
    Kind("event_program", "Программа мероприятия", "Іс-шара бағдарламасы", "Event programme",
         aliases=("programme",)),  # programme of a conference/seminar the teacher spoke at
    Kind("services_act", "Договор и акт оказанных услуг", "Шарт және қызметтер актісі",
         "Contract and act of services"),  # TVET lists
    Kind("publication", "Публикация", "Жарияланым", "Publication"),  # article, manual, textbook
    # -- what a file is declared as when it is none of the above ---------------------------------
    Kind("other", "Другой документ", "Басқа құжат", "Other document"),
    # -- a paper that is clearly no attestation evidence (office and construction documents) ----
    Kind("not_attestation", "Не относится к аттестации", "Аттестацияға қатысы жоқ құжат",
         "Not an attestation document", evidence=False, cues=NOT_ATTESTATION_CUES),
)
"""Every kind, generated ones first in the order of CONTRACT.md."""

NOT_ATTESTATION = "not_attestation"
"""The kind of a paper that is clearly no attestation evidence: its report skips the field checks."""

_BY_ID: Mapping[str, Kind] = {**{a: k for k in KINDS for a in k.aliases}, **{k.id: k for k in KINDS}}

GENERATED_KINDS: tuple[str, ...] = tuple(k.id for k in KINDS if k.generated)
"""The kinds the product generates: CONTRACT.md's ``KIND`` and a report's ``kind``."""
EVIDENCE_KINDS: tuple[str, ...] = tuple(k.id for k in KINDS if k.id != "other" and k.evidence)
"""The kinds a requirement profile or a dossier manifest may name."""
ALL_KINDS: tuple[str, ...] = tuple(_BY_ID)
"""Every id a file may be declared as (aliases included)."""

DETECTION_ORDER: tuple[str, ...] = (
    "protocol_extract", "expert_conclusion", "implementation_act", "competence_plan", "regional_plan",
    "transmission_program", "postcourse_checklist", "halfyear_report", "certificate", "order", "protocol",
    NOT_ATTESTATION,
)
"""The order in which the cues are tried: a more specific title wins over a word it contains
(«Выписка из протокола» ⊃ «протокол», «План деятельности по развитию компетенций» ⊃ «план»)."""


def kind(kind_id: str) -> Kind:
    """The kind of an id or alias; :class:`KeyError` for an unknown one."""
    return _BY_ID[kind_id]


def title(kind_id: str | None, lang: str) -> str:
    """The kind's name in ``lang``; an unknown id is returned as it is, None as «?»."""
    if not kind_id:
        return "?"
    found = _BY_ID.get(kind_id)
    return found.title(lang) if found is not None else kind_id


def titles(kind_id: str | None) -> dict[str, str]:
    """The kind's name in every language, e.g. as a message parameter (see :mod:`verification.messages`)."""
    return {lang: title(kind_id, lang) for lang in LANGUAGES}


def heading(kind_id: str, lang: str) -> str:
    """The heading printed on the generated form of a kind, in ru or kk."""
    k = kind(kind_id)
    text = k.heading_kk if lang == "kk" else k.heading_ru
    if text is None:
        raise KeyError(f"{kind_id} is not generated")
    return text

