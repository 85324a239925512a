"""The web UI's building blocks without a browser: the catalog is complete in all three languages,
dates and numbers follow each language, schema forms round-trip, and page text is escaped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from service.generation.schemas import SCHEMAS
from service.web import i18n
from service.web.forms import field_errors, form_fields, parse_form

WEB = Path(__file__).resolve().parents[2] / "service" / "web"


def test_every_catalog_entry_has_ru_kk_en_with_the_same_placeholders() -> None:
    entries = yaml.safe_load((WEB / "locales" / "catalog.yaml").read_text(encoding="utf-8"))
    for key, texts in entries.items():
        assert set(texts) == {"ru", "kk", "en"}, key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert placeholders["ru"] == placeholders["kk"] == placeholders["en"], key


def test_every_key_used_by_templates_and_pages_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in list((WEB / "templates").rglob("*.html")) + list(WEB.rglob("*.py")):
        used |= set(re.findall(r"""\bt\(\s*['"]([a-z_]+\.[a-z0-9_.-]+)['"]""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if not k.endswith(".") and k not in i18n.catalog("ru"))
    assert missing == []


def test_every_schema_field_of_every_document_kind_has_a_translated_label() -> None:
    unlabelled = set()
    for model in SCHEMAS.values():
        stack = list(form_fields(model, "kk"))
        while stack:
            f = stack.pop()
            stack.extend(f.children)
            if f"field.{f.name.split('.')[-1]}" not in i18n.catalog("kk"):
                unlabelled.add(f.name)
    assert unlabelled == set()


def test_dates_and_numbers_per_language() -> None:
    day = dt.date(2022, 3, 10)
    assert i18n.format_date(day, "ru") == "10 марта 2022 г."
    assert i18n.format_date(day, "kk") == "2022 жылғы 10 наурыз"
    assert i18n.format_date(day, "en") == "10 March 2022"
    assert i18n.format_date(day, "ru", short=True) == "10.03.2022"
    assert i18n.format_number(1234567.5, "ru") == "1\u202f234\u202f567,5"
    assert i18n.format_number(1234567.5, "kk") == "1\u202f234\u202f567,5"
    assert i18n.format_number(1234567.5, "en") == "1,234,567.5"
    assert i18n.format_datetime(dt.datetime(2024, 1, 5, 9, 7), "kk") == "05.01.2024 09:07"


@pytest.mark.parametrize(("query", "cookie", "header", "expected"), [
    ("kk", "en", "ru", "kk"),
    (None, "en", "ru", "en"),
    (None, None, "kk-KZ,ru;q=0.8", "kk"),
    (None, None, "de-DE", "ru"),
    ("xx", None, None, "ru"),
])
def test_language_choice(query: str | None, cookie: str | None, header: str | None, expected: str) -> None:
    assert i18n.pick_language(query, cookie, header) == expected


def test_protocol_form_round_trips_nested_groups_tables_and_lists() -> None:
    fields = form_fields(SCHEMAS["protocol"], "ru")
    by_name = {f.name: f for f in fields}
    assert by_name["attendees"].widget == "table" and by_name["attendees"].layout == "table"
    assert by_name["agenda"].widget == "table" and by_name["agenda"].layout == "cards"
    assert by_name["chair"].widget == "group"
    pairs = [
        ("organization.code", "MC-ZHA"), ("organization.name", "Методический центр"), ("organization.city", "Тараз"),
        ("date", "2024-03-10"), ("council", "УМС"),
        ("chair.full_name", "Абенова А."), ("chair.position", "Председатель"),
        ("secretary.full_name", "Оспанова Г."), ("secretary.position", "Секретарь"),
        ("attendees.0.full_name", "Ким Л."), ("attendees.3.full_name", "Ли В."),
        ("attendees.4.full_name", " "),  # an empty extra row is ignored
        ("agenda.0.title", "Об опыте"), ("agenda.0.heard", "Слушали"), ("agenda.0.decision", "Решили"),
        ("agenda.0.votes.in_favour", "9"), ("unknown_field", "dropped"), ("csrf_token", "x"),
    ]
    data = parse_form(pairs, fields)
    assert data["attendees"] == [{"full_name": "Ким Л."}, {"full_name": "Ли В."}]
    assert data["agenda"][0]["votes"] == {"in_favour": "9"}
    assert "unknown_field" not in data and "csrf_token" not in data
    model = SCHEMAS["protocol"].model_validate(data)
    assert model.agenda[0].votes is not None and model.agenda[0].votes.in_favour == 9


def test_a_textareas_line_ends_from_the_browser_become_plain_line_breaks() -> None:
    """Browsers post a textarea's line breaks as CRLF; they are kept as "\n" (a CRLF printed as two line breaks
    in the document, and counted two characters against the field's limit)."""
    fields = form_fields(SCHEMAS["protocol"], "ru")
    data = parse_form([("agenda.0.heard", "Слушали:\r\n1) доклад\r\n2) отчёт\rконец")], fields)
    assert data["agenda"][0]["heard"] == "Слушали:\n1) доклад\n2) отчёт\nконец"


def test_errors_name_the_input_in_plain_words() -> None:
    fields = form_fields(SCHEMAS["transmission_program"], "ru")
    data = parse_form([("date", "31.02.2024"), ("events.0.location", "Тараз")], fields)
    with pytest.raises(ValidationError) as exc:
        SCHEMAS["transmission_program"].model_validate(data)
    errors = field_errors(exc.value, "ru")
    assert errors["date"] == "Укажите дату в формате ДД.ММ.ГГГГ."
    assert errors["teacher"] == "Заполните это поле."
    assert errors["events.0.date"] == "Заполните это поле."
    row = [("events.0.location", "Тараз"), ("events.0.date", "2024-02-11"), ("events.0.form", "семинар"),
           ("events.0.venue", "Школа №5"), ("events.0.audience", "учителя")]
    with pytest.raises(ValidationError) as exc:
        SCHEMAS["transmission_program"].model_validate(parse_form(row, fields))
    assert field_errors(exc.value, "kk")["events"] == "Жолдар саны кемінде: 3."
