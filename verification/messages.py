"""Plain-language texts for every check, in Russian, Kazakh and English.

Each domain (signatures, scans, fields) registers its own catalog with :func:`register`; a check
stores its catalog key and parameters and renders the texts with :func:`render_all`.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "catalog_keys", "register", "render", "render_all"]

LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"

_CATALOG: dict[str, dict[str, str]] = {}


def register(entries: Mapping[str, Mapping[str, str]]) -> None:
    """Add message texts: ``{key: {"ru": ..., "kk": ..., "en": ...}}``. Every language is required."""
    for key, texts in entries.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang)]
        if missing:
            raise ValueError(f"message {key!r} lacks {', '.join(missing)}")
        _CATALOG[key] = dict(texts)


def catalog_keys() -> frozenset[str]:
    return frozenset(_CATALOG)


class _Params(dict):
    def __missing__(self, key: str) -> str:  # a missing parameter must never crash a report
        return "?"


def render(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    texts = _CATALOG.get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts["en"]
    return template.format_map(_Params({k: "" if v is None else v for k, v in params.items()}))


def render_all(key: str, **params: object) -> dict[str, str]:
    return {lang: render(key, lang, **params) for lang in LANGUAGES}


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
