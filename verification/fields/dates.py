"""Dates in every common Russian, Kazakh and numeric form, normalised to ISO 8601.

«10» марта 2022 года · 10 марта 2022 г. · 10.03.2022 · 10/03/2022 · 2022-03-10 · 10.03.22 ·
2022 жылғы 10 наурыз · 2022 жылғы «10» наурыздағы · 10 наурыз 2022 ж. · 10 March 2022.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from verification.fields.text import fold

__all__ = ["MONTHS", "DateMatch", "parse_dates"]

MONTHS: dict[str, int] = {
    # Russian stems (folded), any case ending
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    # Kazakh (folded: қ→к, ә→а, і→и, ү→у ...)
    "кантар": 1, "акпан": 2, "наурыз": 3, "сауир": 4, "мамыр": 5, "маусым": 6, "шилде": 7,
    "тамыз": 8, "кыркуйек": 9, "казан": 10, "караша": 11, "желтоксан": 12,
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
_MONTH_RX = r"(?P<mon>январ\w*|феврал\w*|март\w*|апрел\w*|ма[яй]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|" \
            r"октябр\w*|ноябр\w*|декабр\w*|кантар\w*|акпан\w*|наурыз\w*|сауир\w*|мамыр\w*|маусым\w*|" \
            r"шилде\w*|тамыз\w*|кыркуйек\w*|казан\w*|караша\w*|желтоксан\w*|january|february|march|april|" \
            r"may|june|july|august|september|october|november|december)"
_Q = r"[«»\"“”„'‘’<>]?"
_DAY = rf"{_Q}\s?(?P<day>[0-3]?\d)\s?{_Q}"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 2022 жылғы 10 наурыз / 2022 ж. «10» наурыздағы
    re.compile(rf"\b{_YEAR}\s*(?:жылгы|жылы|ж\.?)\s*{_DAY}\s*{_MONTH_RX}"),
    # «10» марта 2022 года / 10 наурыз 2022 ж. / 10 March 2022
    re.compile(rf"(?<!\d){_DAY}\s*{_MONTH_RX}\s*{_YEAR}"),
    # March 10, 2022
    re.compile(rf"\b{_MONTH_RX}\s+(?P<day>[0-3]?\d),?\s+{_YEAR}"),
    # 2022-03-10
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
    # 10.03.2022 / 10/03/2022 / 10-03-2022 / 10.03.22 (also OCR's "10,03.2022")
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\s?[./,-]\s?(?P<month>[01]?\d)\s?[./,-]\s?"
               r"(?P<year>(?:19|20)\d\d|\d\d)(?![\d])"),
]


@dataclass(frozen=True)
class DateMatch:
    iso: str
    raw: str
    start: int
    end: int


def _month(word: str) -> int | None:
    w = word.lower()
    if w.startswith(("ма",)) and not w.startswith(("март", "мамыр", "маусым", "may")):
        return 5 if re.match(r"ма[яй]", w) else None
    for stem, n in sorted(MONTHS.items(), key=lambda kv: -len(kv[0])):
        if w.startswith(stem):
            return n
    return None


def parse_dates(text: str) -> list[DateMatch]:
    """Every valid date in ``text``, in order of appearance (overlapping forms reported once)."""
    folded = fold(text)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for rx in _PATTERNS:
        for m in rx.finditer(folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            g = m.groupdict()
            month = int(g["month"]) if g.get("month") else _month(g["mon"])
            if month is None:
                continue
            year = int(g["year"])
            if year < 100:
                year += 2000 if year < 70 else 1900
            try:
                d = dt.date(year, month, int(g["day"]))
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMatch(d.isoformat(), text[m.start():m.end()].strip(), m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found
