"""Words a document builds from the data: an event's form in the case its sentence needs, a place in
the Kazakh locative, a title in quotation marks once.

A secretary types an event's form as it is named («областной семинар», «облыстық семинар»); the
certificate's sentence needs it inflected: Russian «принял(а) участие в областном семинаре» /
«выступил(а) с докладом на областном семинаре» (prepositional case), Kazakh «облыстық семинарға
қатысқанын» (dative) / «облыстық семинарда баяндамамен сөз сөйлегенін» (locative).

Russian is inflected only where the head noun is a known event form (:data:`RU_FORMS`), the words
before it adjectives; a form already in the prepositional case is kept as typed; any other form is
not guessed at but named in a sentence that reads right whatever it is («в мероприятии (…)»). Kazakh
case endings follow from the last word's sounds (vowel harmony, voiced or voiceless end), so any
form is inflected; one that already ends in a case ending is kept.
"""

from __future__ import annotations

import datetime as dt
import re

from service.generation import formatting as fmt

__all__ = [
    "RU_FORMS",
    "kk_case",
    "kk_event_when_where",
    "kk_place_locative",
    "quoted",
    "ru_event_phrase",
    "ru_prepositional",
]

RU_FORMS: dict[str, str] = {
    "семинар": "семинаре", "вебинар": "вебинаре", "тренинг": "тренинге", "мастер-класс": "мастер-классе",
    "конференция": "конференции", "видеоконференция": "видеоконференции", "форум": "форуме",
    "конкурс": "конкурсе", "фестиваль": "фестивале", "стол": "столе", "практикум": "практикуме",
    "коуч-сессия": "коуч-сессии", "сессия": "сессии", "стажировка": "стажировке", "олимпиада": "олимпиаде",
    "совещание": "совещании", "заседание": "заседании", "собрание": "собрании", "марафон": "марафоне",
    "мастерская": "мастерской", "урок": "уроке", "занятие": "занятии", "акция": "акции", "выставка": "выставке",
    "слёт": "слёте", "слет": "слете", "курс": "курсе", "школа": "школе", "лаборатория": "лаборатории",
    "день": "дне", "неделя": "неделе", "декада": "декаде", "квест": "квесте", "хакатон": "хакатоне",
    "интенсив": "интенсиве", "лекция": "лекции", "консультация": "консультации", "площадка": "площадке",
    "педсовет": "педсовете", "совет": "совете", "презентация": "презентации", "панель": "панели",
    "дискуссия": "дискуссии", "встреча": "встрече", "чтения": "чтениях",
    "курсы": "курсах", "сборы": "сборах", "проект": "проекте", "программа": "программе",
}
"""Event forms as their head noun: nominative → prepositional (Russian)."""

_RU_PREPOSITIONAL = {v for v in RU_FORMS.values() if v}
_RU_FIRST_PARTS = {"семинар", "вебинар", "тренинг", "форум", "конкурс", "фестиваль"}
"""First halves of a hyphenated form that are inflected too («семинаре-практикуме», but «мастер-классе»)."""

_RU_ADJ = (  # nominative ending → prepositional ending, longest first
    ("ский", "ском"), ("цкий", "цком"), ("кий", "ком"), ("гий", "гом"), ("хий", "хом"),
    ("жий", "жем"), ("ший", "шем"), ("чий", "чем"), ("щий", "щем"), ("ний", "нем"),
    ("ый", "ом"), ("ой", "ом"), ("ая", "ой"), ("яя", "ей"), ("ое", "ом"), ("ее", "ем"),
    ("ые", "ых"), ("ие", "их"),
)
_RU_ADJ_PREP = ("ом", "ем", "ой", "ей", "ых", "их")


def quoted(text: str) -> str:
    """«text», unless it already carries quotation marks (no « «…» »)."""
    text = (text or "").strip()
    if not text:
        return ""
    if text[0] in "«\"“„'" and text[-1] in "»\"”“'":
        inner = text[1:-1].strip()
        return f"«{inner}»" if "«" not in inner and "»" not in inner else text
    if "«" in text or "»" in text:
        return text
    return f"«{text}»"


def _ru_adjective(word: str) -> str | None:
    low = word.lower()
    for nom, prep in _RU_ADJ:
        if low.endswith(nom) and len(low) > len(nom) + 1:
            return word[: len(word) - len(nom)] + prep
    return None


def _ru_head(word: str) -> tuple[str, bool] | None:
    """(the head noun in the prepositional, whether it was nominative) for a known event form."""
    low = word.lower()
    if low in _RU_PREPOSITIONAL:
        return word, False
    if low in RU_FORMS:
        return _keep_case(word, RU_FORMS[low]), True
    if "-" in low:
        first = low.partition("-")[0]
        head = _ru_head(word[len(first) + 1:])
        if head is None:
            return None
        if first in _RU_FIRST_PARTS:
            return f"{_keep_case(word[:len(first)], RU_FORMS[first])}-{head[0]}", head[1]
        if first in _RU_PREPOSITIONAL:  # «семинаре-практикуме»: typed in the case already
            return word, False
        return f"{word[:len(first)]}-{head[0]}", head[1]
    return None


def _keep_case(original: str, inflected: str) -> str:
    if original[:1].isupper():
        return inflected[:1].upper() + inflected[1:]
    return inflected


def ru_prepositional(form: str) -> str | None:
    """«областной научно-практический семинар по математике» → «областном научно-практическом семинаре
    по математике»; a form already in the prepositional case as it is; None for a form whose head noun
    is not a known event form or whose words before it are not adjectives."""
    words = form.split()
    for i, word in enumerate(words):
        head = _ru_head(word)
        if head is None:
            continue
        inflected, was_nominative = head
        before = words[:i]
        if not was_nominative:
            if all(w.lower().endswith(_RU_ADJ_PREP) for w in before):
                return form.strip()
            return None
        adjectives = [_ru_adjective(w) for w in before]
        if any(a is None for a in adjectives):
            return None
        return " ".join([*(a for a in adjectives if a), inflected, *words[i + 1:]])
    return None


def _ru_preposition(base: str, next_word: str) -> str:
    """«в» / «во» («во всероссийском»), «на»."""
    low = next_word.lower()
    if base == "в" and len(low) > 1 and low[0] in "вф" and low[1] not in "аеёиоуыэюя":
        return "во"
    return base


def ru_event_phrase(form: str, role: str) -> str:
    """The certificate's line: «принял(а) участие в областном семинаре», «выступил(а) с докладом на
    областном семинаре»; for a form that cannot be inflected, «… в мероприятии (научная экспедиция)»."""
    verb, prep = ("принял(а) участие", "в") if role != "speaker" else ("выступил(а) с докладом", "на")
    inflected = ru_prepositional(form.strip())
    if inflected is None:
        return f"{verb} {_ru_preposition(prep, 'мероприятии')} мероприятии ({form.strip()})"
    return f"{verb} {_ru_preposition(prep, inflected)} {inflected}"


# --- Kazakh ---------------------------------------------------------------------------------------

_KK_BACK = set("аоұыя")
_KK_FRONT = set("әеөүіэ")
_KK_VOICELESS = set("кқпстфхцчшщбвгд")  # б в г д: loanwords end voiceless (клубқа, диалогқа)
_KK_CASE_ENDINGS = ("ға", "ге", "қа", "ке", "ына", "іне", "ында", "інде", "нда", "нде")
_KK_LOCATIVE_AFTER_CONSONANT = ("да", "де", "та", "те")


def _kk_front(word: str) -> bool:
    low = word.lower()
    if low.endswith("ь"):
        return True
    for ch in reversed(low):
        if ch in _KK_BACK:
            return False
        if ch in _KK_FRONT:
            return True
    return False


def _kk_inflected(word: str) -> bool:
    low = word.lower()
    if len(low) < 5:
        return False
    if low.endswith(_KK_CASE_ENDINGS):
        return True
    return low.endswith(_KK_LOCATIVE_AFTER_CONSONANT) and low[-3] not in "аәеиоөұүыіэюяу"


def kk_case(phrase: str, case: str) -> str:
    """The phrase with its last word in the dative (``"dat"``: семинарға, тренингке, конференцияға) or the
    locative (``"loc"``: семинарда, тренингте, мастер-класта); kept as typed when it already ends in a
    case ending."""
    phrase = phrase.strip()
    words = phrase.split()
    if not words or _kk_inflected(words[-1]):
        return phrase
    last = words[-1]
    low = last.lower().rstrip("ь")
    front = _kk_front(last)
    end = low[-1:] if low else ""
    voiceless = end in _KK_VOICELESS
    if case == "dat":
        suffix = ("ке" if front else "қа") if voiceless else ("ге" if front else "ға")
    else:
        suffix = ("те" if front else "та") if voiceless else ("де" if front else "да")
    return " ".join([*words[:-1], last + suffix])


_KK_PLACE_WORDS = (  # an administrative word at the end → its locative
    (re.compile(r"\s+қ\.?$"), " қаласында"), (re.compile(r"\s+қаласы$"), " қаласында"),
    (re.compile(r"\s+ауданы$"), " ауданында"), (re.compile(r"\s+облысы$"), " облысында"),
    (re.compile(r"\s+а\.?$"), " ауылында"), (re.compile(r"\s+ауылы$"), " ауылында"),
    (re.compile(r"\s+к\.?$"), " кентінде"), (re.compile(r"\s+кенті$"), " кентінде"),
)


def kk_place_locative(place: str) -> str:
    """«Тараз қ.» → «Тараз қаласында», «Байзақ ауданы» → «Байзақ ауданында», «Қарағанды» → «Қарағандыда»."""
    place = place.strip()
    for pattern, replacement in _KK_PLACE_WORDS:
        if pattern.search(place):
            return pattern.sub(replacement, place)
    return kk_case(place, "loc")


_KK_MONTHS_LOCATIVE = (
    "қаңтарда", "ақпанда", "наурызда", "сәуірде", "мамырда", "маусымда",
    "шілдеде", "тамызда", "қыркүйекте", "қазанда", "қарашада", "желтоқсанда",
)


def kk_event_when_where(start: dt.date, end: dt.date | None, place: str) -> str:
    """«2024 жылғы 26 сәуірде Тараз қаласында өткен» (one day) or «26.04.2024–27.04.2024 аралығында …»."""
    if end and end != start:
        when = f"{fmt.short_date(start)}–{fmt.short_date(end)} аралығында"
    else:
        when = f"{start.year} жылғы {start.day} {_KK_MONTHS_LOCATIVE[start.month - 1]}"
    return f"{when} {kk_place_locative(place)} өткен"
