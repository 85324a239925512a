"""Languages of the web UI: message catalogs (ru, kk, en) and per-language dates and numbers.

The catalog is ``service/web/locales/catalog.yaml``: every key with its Russian, Kazakh and English
text side by side, so that a missing translation shows in review (and fails a test). The
language of a request comes from ``?lang=``, then the ``lang`` cookie, then ``Accept-Language``,
then Russian. Dates follow each language's official style: «10 марта 2022 г.», «2022 жылғы
10 наурыз», "10 March 2022"; numbers use a space for thousands and a comma for decimals in
Russian and Kazakh.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from service.generation.formatting import KK_MONTHS, RU_MONTHS_GENITIVE

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_LABELS",
    "catalog",
    "format_date",
    "format_datetime",
    "format_number",
    "format_size",
    "pick_language",
    "translate",
]

LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"
LANGUAGE_LABELS = {"ru": "RU", "kk": "ҚАЗ", "en": "EN"}
"""How the switcher names each language (the header shows all three)."""

LOCALES_DIR = Path(__file__).parent / "locales"

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@functools.cache
def _entries() -> Mapping[str, Mapping[str, str]]:
    data = yaml.safe_load((LOCALES_DIR / "catalog.yaml").read_text(encoding="utf-8"))
    return {str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in data.items()}


@functools.cache
def catalog(lang: str) -> Mapping[str, str]:
    """The message catalog of one language (read once)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return {key: texts[lang] for key, texts in _entries().items() if lang in texts}


class _Params(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def translate(lang: str, key: str, /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` (English, then the key itself, if missing)."""
    text = catalog(lang).get(key)
    if text is None:
        text = catalog("en").get(key, key)
    if params:
        return text.format_map(_Params(params))
    return text


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code == "kk" or code == "kz":
            return "kk"
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value: Any, lang: str, *, short: bool = False) -> str:
    """A date in the language's official style; '' for nothing, the text itself if unparseable."""
    d = _as_date(value)
    if d is None:
        return "" if value in (None, "") else str(value)
    if short:
        return d.strftime("%Y-%m-%d") if lang == "en" else d.strftime("%d.%m.%Y")
    if lang == "kk":
        return f"{d.year} жылғы {d.day} {KK_MONTHS[d.month - 1]}"
    if lang == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day} {RU_MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def format_datetime(value: Any, lang: str) -> str:
    """Date and time (minutes), in the viewer's language; naive values are shown as stored."""
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return f"{format_date(value, lang, short=True)} {value.strftime('%H:%M')}"


def format_number(value: Any, lang: str, *, decimals: int | None = None) -> str:
    """1234567.5 → «1 234 567,5» (ru, kk) or "1,234,567.5" (en)."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if decimals is None:
        decimals = 0 if number == int(number) else 1
    text = f"{number:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u202f").replace(".", ",")


def format_size(num_bytes: Any, lang: str) -> str:
    """A file size in KB/MB in the viewer's language."""
    try:
        n = float(num_bytes)
    except (TypeError, ValueError):
        return ""
    if n < 1024 * 1024:
        return f"{format_number(n / 1024, lang, decimals=0 if n >= 10 * 1024 else 1)} {translate(lang, 'unit.kb')}"
    return f"{format_number(n / (1024 * 1024), lang, decimals=1)} {translate(lang, 'unit.mb')}"
