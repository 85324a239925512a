"""Languages of the web UI: message catalogs (ru, kk, en) and per-language dates and numbers.

The catalog is ``service/web/locales/catalog.yaml``: every key with its Russian, Kazakh and English
text side by side, so that a missing translation shows in review (and fails a test); the titles of
document kinds (``kind.<id>``) are added from the kinds table, :mod:`verification.kinds`. The
language of a request comes from ``?lang=``, then the ``lang`` cookie, then ``Accept-Language``,
then Russian. Dates follow each language's official style: «10 марта 2022 г.», «2022 жылғы
10 наурыз», "10 March 2022"; numbers use a space for thousands and a comma for decimals in
Russian and Kazakh.

Refused rows of a batch table are stored by the job with pydantic's English message (the API's words);
:func:`batch_row_problem` turns each into a sentence of the page's language that names the row and the
column and says how to fix the cell. The message is recognised by pydantic's own message templates
(``PydanticKnownError(type).message_template``, so an upgrade that rewords them keeps working) and by
the wording of our validators in ``service.generation.schemas``. Templates ask for it as
``t('batch.row_problem', row=…, field=…, message=…)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from service.generation.formatting import KK_MONTHS, RU_MONTHS_GENITIVE
from verification import kinds

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_LABELS",
    "batch_row_problem",
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
    entries = {str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in data.items()}
    # a kind's title is the kinds table's, so that the page, the report and the dossier name it alike
    entries.update({f"kind.{k}": kinds.titles(k) for k in kinds.ALL_KINDS})
    return entries


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
    """The text of ``key`` in ``lang`` (English, then the key itself, if missing). A few keys are
    computed from their parameters (``batch.row_problem``: :func:`batch_row_problem`)."""
    computed = _COMPUTED.get(key)
    if computed is not None:
        return computed(lang, **params)
    return _text(lang, key, **params)


def _text(lang: str, key: str, /, **params: Any) -> str:
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


# ------------------------------------------------------------------ refused rows of a batch

_PYDANTIC_PROBLEMS: dict[str, tuple[str, dict[str, Any]]] = {
    # pydantic error type: (our catalog key under batch.problem., a context that builds its template)
    "missing": ("missing", {}),
    "string_too_long": ("text_too_long", {"max_length": 1}),
    "string_too_short": ("text_too_short", {"min_length": 1}),
    "string_type": ("not_text", {}),
    "string_pattern_mismatch": ("pattern", {"pattern": "x"}),
    "date_parsing": ("date", {"error": "x"}),
    "date_from_datetime_parsing": ("date", {"error": "x"}),
    "date_type": ("date", {}),
    "date_from_datetime_inexact": ("date_with_time", {}),
    "int_parsing": ("integer", {}),
    "int_type": ("integer", {}),
    "int_parsing_size": ("integer", {}),
    "int_from_float": ("integer_fraction", {}),
    "float_parsing": ("number", {}),
    "float_type": ("number", {}),
    "literal_error": ("choice", {"expected": "x"}),
    "enum": ("choice", {"expected": "x"}),
    "greater_than_equal": ("at_least", {"ge": 1}),
    "less_than_equal": ("at_most", {"le": 1}),
    "greater_than": ("above", {"gt": 1}),
    "less_than": ("below", {"lt": 1}),
    "extra_forbidden": ("unknown_column", {}),
    "too_short": ("too_few", {"field_type": "List", "min_length": 1, "actual_length": 0}),
    "too_long": ("too_many", {"field_type": "List", "max_length": 1, "actual_length": 2}),
    "list_type": ("structure", {}),
    "model_type": ("structure", {"class_name": "x"}),
    "model_attributes_type": ("structure", {}),
    "dict_type": ("structure", {}),
}

_OUR_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    # the wording of the model validators of service.generation.schemas (after "field: ")
    (re.compile(r"must not be before (?P<other>[\w.\[\]]+)"), "not_before"),
    (re.compile(r"must not exceed total \((?P<total>\d+)\)"), "over_total"),
    (re.compile(r"the programme must cover at least 3 distinct (?P<where>.+), got (?P<n>\d+)"), "three_places"),
)


def _template_pattern(template: str) -> re.Pattern[str]:
    """'String should have at most {max_length} character{expected_plural}' → a regex with named groups."""
    parts = re.split(r"\{(\w+)\}", template)
    seen: set[str] = set()
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        elif part in seen:
            out.append(".*?")
        else:
            seen.add(part)
            out.append(f"(?P<{part}>.*?)")
    return re.compile("".join(out))


@functools.cache
def _pydantic_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    from pydantic_core import PydanticKnownError

    found = []
    for error_type, (key, context) in _PYDANTIC_PROBLEMS.items():
        template = PydanticKnownError(error_type, context or None).message_template  # type: ignore[arg-type]
        found.append((_template_pattern(template), key))
    # longer templates first: "Input should be a valid integer, unable to parse …" before "… integer"
    return tuple(sorted(found, key=lambda item: -len(item[0].pattern)))


@functools.cache
def _code_pattern() -> str:
    from service.generation.schemas import Code

    return str(Code.__metadata__[0].pattern)  # type: ignore[attr-defined]


def _classify(message: str) -> tuple[str, dict[str, str]] | None:
    message = message.strip().removeprefix("Value error, ")
    for pattern, key in (*_OUR_PROBLEMS, *_pydantic_patterns()):
        match = pattern.fullmatch(message)
        if match and not (key == "choice" and "'" not in (match.group("expected") or "")):
            return key, {k: v for k, v in match.groupdict().items() if v is not None}
    return None


def batch_row_problem(lang: str, row: Any = "", field: Any = "", message: Any = "") -> str:
    """A refused row of a batch table in plain words of ``lang``: which row, which column, what to do.

    >>> batch_row_problem("ru", 3, "hours", "Input should be a valid integer, unable to parse string as an integer")
    'Строка 3, столбец «hours»: нужно целое число (например, 16). Запишите его цифрами, без букв, пробелов и единиц измерения.'
    """
    from service.generation.columns import choice_words, column_title

    field, message = str(field or ""), str(message or "")
    column = column_title(field, lang) if field and not field.startswith("(") else _text(lang, "batch.whole_row")
    found = _classify(message)
    if found is None:
        return _text(lang, "batch.row_problem", row=row, column=column, message=message)
    key, params = found
    if key == "pattern" and params.get("pattern") == _code_pattern():
        key = "code_pattern"
    if key == "choice":
        words = choice_words(field, lang)
        options = [words.get(o, o) for o in re.findall(r"'([^']*)'", params["expected"])]
        params["choices"] = (", ".join(options[:-1]) + f" {_text(lang, 'batch.or')} " + options[-1]
                             if len(options) > 1 else options[0])
    if "other" in params:
        params["other"] = column_title(str(params["other"]), lang)
    for bound in ("ge", "le", "gt", "lt"):
        if bound in params:
            params["limit"] = params[bound]
    return _text(lang, f"batch.problem.{key}", row=row, column=column, **params)


_COMPUTED: dict[str, Callable[..., str]] = {"batch.row_problem": batch_row_problem}
