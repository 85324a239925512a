"""Level of an event (school … international) and its form (webinar, seminar, …) from the text."""

from __future__ import annotations

import re

from verification.fields.text import fold

__all__ = ["EVENT_FORMS", "LEVELS", "detect_event_form", "detect_level"]

LEVELS = ("school", "district", "regional", "republican", "international")
_LEVEL_RX = (
    ("international", r"\bмеждународн\w*|\bхалыкаралык\w*|\binternational"),
    ("republican", r"\bреспубликанск\w*|\bреспубликалык\w*|\brepublican"),
    ("regional", r"\bобластн\w*|\bоблыстык\w*|\bрегиональн\w*|\bонирлик\w*|\bregional"),
    ("district", r"\bрайонн\w*|\bгородск\w*|\bаудандык\w*|\bкалалык\w*|\bмуниципальн\w*|\bdistrict"),
    ("school", r"\bшкольн\w*|\bвнутришкольн\w*|\bмектепишилик\w*|\bмектептик\w*|\bschool"),
)
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
