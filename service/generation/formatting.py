"""Dates and numbers the way official documents write them, in Russian and Kazakh.

Russian uses the genitive month («10 марта 2022 года»); Kazakh puts the year first with «жылғы» and
the month in the nominative («2022 жылғы 10 наурыз») or, in a document's number line, with the
locative-attributive suffix («2022 жылғы 10 наурыздағы № 84 бұйрық»).
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "KK_MONTHS",
    "KK_MONTHS_ATTRIBUTIVE",
    "RU_MONTHS_GENITIVE",
    "long_date",
    "number_date_line",
    "percent",
    "quoted_date",
    "short_date",
]

RU_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)
# "…дағы/дегі/тағы/тегі": vowel harmony and the last consonant of each month name decide the suffix.
KK_MONTHS_ATTRIBUTIVE = (
    "қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі", "мамырдағы", "маусымдағы",
    "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы",
)


def long_date(value: dt.date | None, lang: str) -> str:
    """«10 марта 2022 г.» / «2022 жылғы 10 наурыз»."""
    if value is None:
        return ""
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {KK_MONTHS[value.month - 1]}"
    return f"{value.day} {RU_MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def quoted_date(value: dt.date | None, lang: str) -> str:
    """«10» марта 2022 года / 2022 жылғы «10» наурыз — the form used next to signatures."""
    if value is None:
        return ""
    if lang == "kk":
        return f"{value.year} жылғы «{value.day:02d}» {KK_MONTHS[value.month - 1]}"
    return f"«{value.day:02d}» {RU_MONTHS_GENITIVE[value.month - 1]} {value.year} года"


def short_date(value: dt.date | None) -> str:
    """10.03.2022."""
    return "" if value is None else value.strftime("%d.%m.%Y")


def number_date_line(value: dt.date, number: str, lang: str, noun_kk: str = "") -> str:
    """The line under a document's title.

    ru: «от «10» марта 2022 года № 84»; kk: «2022 жылғы 10 наурыздағы № 84 бұйрық» (``noun_kk`` is the
    document's noun that Kazakh puts after the number: «бұйрық», «хаттама»…).
    """
    if lang == "kk":
        line = f"{value.year} жылғы {value.day} {KK_MONTHS_ATTRIBUTIVE[value.month - 1]} № {number}"
        return f"{line} {noun_kk}".rstrip()
    return f"от «{value.day:02d}» {RU_MONTHS_GENITIVE[value.month - 1]} {value.year} года № {number}"


def percent(part: int, total: int) -> str:
    """Share as a percentage with one decimal, comma as decimal separator (ru and kk alike)."""
    if total <= 0:
        return "—"
    return f"{100.0 * part / total:.1f}".replace(".", ",") + " %"
