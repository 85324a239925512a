"""Level of an event (school … international) and its form (webinar, seminar, …) from the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verification.fields.text import fold

__all__ = ["EVENT_FORMS", "EVENT_FORM_TITLES", "LEVELS", "LEVEL_TITLES", "LevelDecision", "detect_event_form", "detect_level", "event_level",
           "issuer_level", "judge_level"]

LEVELS = ("school", "district", "regional", "republican", "international")
LEVEL_TITLES: dict[str, dict[str, str]] = {
    "school": {"ru": "школьный", "kk": "мектеп", "en": "school"},
    "district": {"ru": "районный/муниципальный", "kk": "аудандық", "en": "district/municipal"},
    "regional": {"ru": "областной", "kk": "облыстық", "en": "regional"},
    "republican": {"ru": "республиканский", "kk": "республикалық", "en": "republican"},
    "international": {"ru": "международный", "kk": "халықаралық", "en": "international"},
}
"""Each level's name in ru/kk/en, as a report's reasons and the dossier's requirements write it."""
_LEVEL_RX = (
    ("international", r"\bмеждународн\w*|\bхалыкаралык\w*|\binternational"),
    ("republican", r"\bреспубликанск\w*|\bреспубликалык\w*|\brepublican"),
    ("regional", r"\bобластн\w*|\bоблыстык\w*|\bрегиональн\w*|\bонирлик\w*|\bregional"),
    ("district", r"\bрайонн\w*|\bгородск\w*|\bаудандык\w*|\bкалалык\w*|\bмуниципальн\w*|\bdistrict"),
    ("school", r"\bшкольн\w*|\bвнутришкольн\w*|\bмектепишилик\w*|\bмектептик\w*|\bschool"),
)
EVENT_FORM_TITLES: dict[str, dict[str, str]] = {
    "seminar": {"ru": "семинар", "kk": "семинар", "en": "seminar"},
    "webinar": {"ru": "вебинар", "kk": "вебинар", "en": "webinar"},
    "master_class": {"ru": "мастер-класс", "kk": "шеберлік сыныбы", "en": "master class"},
    "conference": {"ru": "конференция", "kk": "конференция", "en": "conference"},
    "creative_workshop": {"ru": "творческая мастерская", "kk": "шығармашылық шеберхана", "en": "creative workshop"},
    "training": {"ru": "тренинг", "kk": "тренинг", "en": "training"},
    "round_table": {"ru": "круглый стол", "kk": "дөңгелек үстел", "en": "round table"},
    "open_lesson": {"ru": "открытый урок", "kk": "ашық сабақ", "en": "open lesson"},
    "contest": {"ru": "конкурс", "kk": "байқау", "en": "contest"},
    "forum": {"ru": "форум", "kk": "форум", "en": "forum"},
    "marathon": {"ru": "марафон", "kk": "марафон", "en": "marathon"},
    "hackathon": {"ru": "хакатон", "kk": "хакатон", "en": "hackathon"},
    "coaching_session": {"ru": "коучинг-сессия", "kk": "коучинг-сессия", "en": "coaching session"},
    "consultation": {"ru": "консультация", "kk": "кеңес беру", "en": "consultation"},
    "publication": {"ru": "публикация", "kk": "жарияланым", "en": "publication"},
}
"""Each event form's name in ru/kk/en: the one table the report's facts, the checklist and dossier.pdf use."""
EVENT_FORMS = ("webinar", "master_class", "seminar", "conference", "creative_workshop", "training",
               "contest", "marathon", "hackathon", "open_lesson", "round_table", "coaching_session")
_FORM_RX = (
    ("master_class", r"мастер[\s-]*класс\w*|шеберлик\s+сынып\w*|шебер[\s-]*класс\w*"),
    ("creative_workshop", r"творческ\w*\s+мастерск\w*|шыгармашылык\s+шеберхана\w*"),
    ("open_lesson", r"открыт\w*\s+урок\w*|ашык\s+сабак\w*"),
    ("round_table", r"кругл\w*\s+стол\w*|донгелек\s+устел\w*"),
    ("coaching_session", r"коучинг\w*"),
    ("webinar", r"вебинар\w*|webinar"),
    ("seminar", r"семинар\w*|seminar"),
    ("conference", r"конференци\w*|conference"),
    ("training", r"тренинг\w*|training"),
    ("contest", r"конкурс\w*|байкау\w*"),
    ("marathon", r"марафон\w*"),
    ("hackathon", r"хакатон\w*"),
)


def detect_level(text: str) -> tuple[str, str] | None:
    """(level, words as found) of the first level adjective in ``text``, or ``None``."""
    f = fold(text)
    best: tuple[int, str, str] | None = None
    for level, rx in _LEVEL_RX:
        m = re.search(rx, f)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), level, text[m.start():m.end()])
    return (best[1], best[2]) if best else None


def detect_event_form(text: str) -> tuple[str, str] | None:
    """(form, words as found) of the first event form named in ``text``, or ``None``."""
    f = fold(text)
    best: tuple[int, str, str] | None = None
    for form, rx in _FORM_RX:
        m = re.search(rx, f)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), form, text[m.start():m.end()])
    return (best[1], best[2]) if best else None


# -- the level judged from the issuer and the text together ---------------------------------------

_EVENT_NOUN = (r"(?:вебинар|семинар|конференц|мастер[\s-]*класс|шеберлик|тренинг|конкурс|байкау|марафон|хакатон|"
               r"форум|олимпиад|чтени|слет|фестивал|мероприят|ис[\s-]*шара|сабак|урок|кругл|донгелек|"
               r"уровн|денгей|этап|кезен|webinar|seminar|conference|training|event|level)\w*")
_ATTACHED = re.compile(r"(?:[\s,«»\"()-]+[а-яa-z]+){0,2}?[\s,«»\"()-]+" + _EVENT_NOUN)
"""After a level adjective: an event (or «уровня»/«деңгейі») within three words — «областной семинар»,
«областного обучающего семинара», «республикалық деңгейдегі», not «районных (городских) методических
кабинетов»."""

_ISSUER_REPUBLICAN = re.compile(r"\bминистерств\w*|\bминистрлиг\w*|\bреспубликанск\w*|\bреспубликалык\w*|"
                                r"\bнациональн\w*|\bулттык\w*|\bрумс\b|\bроак\b")
_ISSUER_SCHOOL = re.compile(r"\bшкол\w*|\bгимнази\w*|\bлице[йя]\w*|\bмектеб\w*|\bмектеп\w*|\bколледж\w*|"
                            r"\bдетск\w*\s+сад\w*|\bбалабакша\w*|\bош\b|\bсош\b|\bмбоу\b|\bмоу\b")
_ISSUER_DISTRICT = re.compile(r"\bотдел\w*\s+образовани\w*|\bбилим\s+болим\w*|\bрайон\w*|\bаудан\w*|"
                              r"\bгородск\w*\s+(?:отдел|методическ)\w*|\bкалалык\s+билим\w*|\bмуниципальн\w*")
_ISSUER_REGIONAL = re.compile(r"\bобласт\w*|\bоблыс\w*|\bрегиональн\w*|\bонирлик\w*|\bуправлени\w*\s+образовани\w*|"
                              r"\bбилим\s+баскарма\w*|\bумс\b|\bоак\b")


@dataclass(frozen=True)
class LevelDecision:
    """The level of a document's event and why it was chosen.

    ``level`` comes from an event level named in the text when there is one (the text names the event:
    a regional centre may order a district seminar), else from the level of the issuing organisation
    (a regional Methodological Centre issues regional-level papers; not a school, which certifies papers
    of events held elsewhere), else from any level adjective in the text. ``source`` says which: ``text``, ``issuer``, ``issuer_and_text`` (both agree),
    ``text_over_issuer`` (the text names another level than the issuer's) or ``text_only`` (an
    adjective not tied to an event, no issuer level: a weak guess).
    """

    level: str
    source: str
    text_words: str | None = None
    issuer_level: str | None = None
    issuer: str | None = None

    @property
    def code(self) -> str:
        """The message key of the reason (``fields.level.<source>``)."""
        return f"fields.level.{self.source}"

    def params(self) -> dict[str, object]:
        """The message parameters: level titles in every language, the words found, the issuer."""
        return {"level": LEVEL_TITLES[self.level],
                "issuer_level": LEVEL_TITLES.get(self.issuer_level or "", {}),
                "words": self.text_words or "", "issuer": self.issuer or ""}

    @property
    def confidence(self) -> float:
        return {"issuer_and_text": 0.9, "text": 0.8, "text_over_issuer": 0.8, "issuer": 0.7}.get(self.source, 0.5)


def issuer_level(issuer: str | None) -> str | None:
    """The level of an organisation by its name: a ministry or republican centre, a school, a district
    department or a regional department/centre; None when the name does not say.

    «Методический центр управления образования Жамбылской области» → regional; «Отдел образования
    Байзакского района» → district (a district department sits under the region, so its name often names
    the region too); «КГУ «ОШ № 12» г. Темиртау» → school.
    """
    if not issuer:
        return None
    f = fold(issuer)
    # a branch of a national centre in a region («Филиал АО «НЦПК «Өрлеу» … по Жамбылской области») is
    # at its region's level
    branch = re.search(r"\bфилиал\w*", f) is not None
    for level, rx in (("republican", _ISSUER_REPUBLICAN), ("school", _ISSUER_SCHOOL),
                      ("district", _ISSUER_DISTRICT), ("regional", _ISSUER_REGIONAL)):
        if level == "republican" and branch and (_ISSUER_DISTRICT.search(f) or _ISSUER_REGIONAL.search(f)):
            continue
        if rx.search(f):
            return level
    return None


def event_level(text: str) -> tuple[str, str] | None:
    """(level, words as found) of the first level adjective that qualifies an event in ``text``
    («областной семинар», «семинар республиканского уровня» is read as «республиканского уровня»)."""
    f = fold(text)
    best: tuple[int, str, str] | None = None
    for level, rx in _LEVEL_RX:
        for m in re.finditer(rx, f):
            tail = _ATTACHED.match(f, m.end())
            if tail:
                if best is None or m.start() < best[0]:
                    best = (m.start(), level, " ".join(text[m.start():tail.end()].split()))
                break
    return (best[1], best[2]) if best else None


def judge_level(body: str, issuer: str | None = None) -> LevelDecision | None:
    """The level of the document's event from its issuer and its text together (see :class:`LevelDecision`)."""
    by_issuer = issuer_level(issuer)
    in_text = event_level(body)
    if in_text is not None:
        if by_issuer is None:
            return LevelDecision(in_text[0], "text", in_text[1])
        source = "issuer_and_text" if in_text[0] == by_issuer else "text_over_issuer"
        return LevelDecision(in_text[0], source, in_text[1], by_issuer, issuer)
    if by_issuer is not None and by_issuer != "school":
        return LevelDecision(by_issuer, "issuer", None, by_issuer, issuer)
    # A school certifies papers of events held elsewhere (its teacher's transmission programme runs in
    # three districts): its own level says nothing of the event's, which stays unknown (a person checks).
    loose = detect_level(body)
    if loose is not None:
        return LevelDecision(loose[0], "text_only", loose[1], by_issuer, issuer)
    return None
