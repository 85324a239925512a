"""Plain-language texts for every check, in Russian, Kazakh and English.

Each domain (signatures, scans, fields) registers its own catalog with :func:`register`; a check
stores its catalog key and parameters and renders the texts with :func:`render_all`. A parameter
may itself be a text in every language (``{"ru": …, "kk": …, "en": …}``, e.g. a kind's title from
:func:`verification.kinds.titles`): each language's message gets its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "READERS", "Catalog", "catalog_keys", "register", "render", "render_all",
           "render_for"]

LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"


class _Params(dict):
    def __missing__(self, key: str) -> str:  # a missing parameter must never crash a report
        return "?"


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def _param(value: object, lang: str) -> object:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return value.get(lang) or value.get(DEFAULT_LANGUAGE) or ""
    if isinstance(value, str) and lang in ("ru", "kk") and (iso := _ISO_DATE.fullmatch(value)):
        return f"{iso[3]}.{iso[2]}.{iso[1]}"  # a date in a sentence as on the documents: 10.03.2022
    if isinstance(value, str) and lang in ("ru", "kk") and (at := _ISO_TIME.fullmatch(value)):
        zone = "" if not at[6] else " UTC" + ("+00:00" if at[6] == "Z" else at[6])
        return f"{at[3]}.{at[2]}.{at[1]} {at[4]}:{at[5]}{zone}"  # 15.03.2024 10:30 UTC+00:00
    return value


class Catalog:
    """Message texts by key, ``{key: {"ru": ..., "kk": ..., "en": ...}}``. The library keeps its own
    (:func:`register`, :func:`render`); a caller with texts of its own keeps them in a catalog of its own."""

    def __init__(self, entries: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self._entries: dict[str, dict[str, str]] = {}
        if entries:
            self.register(entries)

    def register(self, entries: Mapping[str, Mapping[str, str]]) -> None:
        """Add message texts. Every language is required."""
        for key, texts in entries.items():
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"message {key!r} lacks {', '.join(missing)}")
            self._entries[key] = dict(texts)

    def keys(self) -> frozenset[str]:
        return frozenset(self._entries)

    def render(self, key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
        """The text of ``key`` in ``lang`` (English if missing; the key itself if unknown)."""
        texts = self._entries.get(key)
        if texts is None:
            return key
        template = texts.get(lang) or texts["en"]
        return template.format_map(_Params({k: _param(v, lang) for k, v in params.items()}))

    def render_all(self, key: str, **params: object) -> dict[str, str]:
        return {lang: self.render(key, lang, **params) for lang in LANGUAGES}


_LIBRARY = Catalog()
"""The texts of the library's checks, registered by each domain."""


def register(entries: Mapping[str, Mapping[str, str]]) -> None:
    """Add texts to the library's catalog: ``{key: {"ru": ..., "kk": ..., "en": ...}}``."""
    _LIBRARY.register(entries)


def catalog_keys() -> frozenset[str]:
    return _LIBRARY.keys()


def render(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    return _LIBRARY.render(key, lang, **params)


def render_all(key: str, **params: object) -> dict[str, str]:
    return _LIBRARY.render_all(key, **params)


READERS = ("owner", "reviewer")
"""Who reads a report: the person who uploaded the document (the default wording says what they should
do: «загрузите документ, выданный на ваше имя») or the one who reviews it (a commission member, who
reads what was found: «в документе указано другое имя»)."""


def render_for(key: str, lang: str = DEFAULT_LANGUAGE, reader: str = "owner", **params: object) -> str:
    """The text of ``key`` written for ``reader``: its ``key@reviewer`` variant where there is one."""
    if reader != "owner" and f"{key}@{reader}" in catalog_keys():
        key = f"{key}@{reader}"
    return _LIBRARY.render(key, lang, **params)


register(
    {
        "file.unreadable": {
            "ru": "Файл не удалось прочитать: {reason}. Загрузите исходный файл ещё раз (PDF, JPG, PNG или TIFF).",
            "kk": "Файлды оқу мүмкін болмады: {reason}. Бастапқы файлды қайта жүктеңіз (PDF, JPG, PNG немесе TIFF).",
            "en": "The file could not be read: {reason}. Upload the original file again (PDF, JPG, PNG or TIFF).",
        },
        "file.encrypted": {
            "ru": "PDF защищён паролем, поэтому его нельзя проверить. Загрузите копию без пароля.",
            "kk": "PDF құпиясөзбен қорғалған, сондықтан оны тексеру мүмкін емес. Құпиясөзсіз көшірмесін жүктеңіз.",
            "en": "The PDF is password-protected, so it cannot be checked. Upload a copy without a password.",
        },
        "file.too_large": {
            "ru": "Файл слишком большой для проверки: {reason}. Разделите его или уменьшите разрешение скана.",
            "kk": "Файл тексеру үшін тым үлкен: {reason}. Оны бөліңіз немесе сканның ажыратымдылығын азайтыңыз.",
            "en": "The file is too large to check: {reason}. Split it or lower the scan resolution.",
        },
        "file.empty": {
            "ru": "Файл пустой (0 байт). Загрузите документ ещё раз.",
            "kk": "Файл бос (0 байт). Құжатты қайта жүктеңіз.",
            "en": "The file is empty (0 bytes). Upload the document again.",
        },
        "file.unsupported": {
            "ru": "Формат файла не поддерживается ({media_type}). Загрузите PDF, JPG, PNG, TIFF или HEIC.",
            "kk": "Файл пішімі қолдау көрсетілмейді ({media_type}). PDF, JPG, PNG, TIFF немесе HEIC жүктеңіз.",
            "en": "This file type is not supported ({media_type}). Upload a PDF, JPG, PNG, TIFF or HEIC.",
        },
        "trust.unusable": {
            "ru": "Хранилище доверенных сертификатов недоступно: {reason}.",
            "kk": "Сенімді сертификаттар қоймасы қолжетімсіз: {reason}.",
            "en": "The trusted certificate store cannot be used: {reason}.",
        },
        "internal.error": {
            "ru": "Проверка не завершилась из-за внутренней ошибки ({reason}). Документ отправлен на ручную проверку.",
            "kk": "Ішкі қателікке байланысты тексеру аяқталмады ({reason}). Құжат қолмен тексеруге жіберілді.",
            "en": "The check did not finish because of an internal error ({reason}). The document needs manual review.",
        },
    }
)
