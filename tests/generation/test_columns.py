"""A batch table may name its columns in Russian or Kazakh and write its choices in words: the reader
turns «ФИО участника» / «Қатысушының аты-жөні» into ``participant`` and «спикер» into ``speaker``;
field names keep working."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.generation.columns import column_title, field_for_header, value_for_word
from service.generation.service import read_rows, validate

ROW = {
    "organization.code": "MC-ZHM", "organization.name": "Методический центр", "organization.city": "г. Тараз",
    "date": "2024-04-26", "participant": "Жумабаева Айгерим Сериковна", "event_title": "Семинар",
    "event_form": "областном семинаре", "event_date": "2024-04-01", "event_place": "г. Тараз",
    "head.full_name": "Абдрахманов Е.К.", "head.position": "Директор", "hours": "16",
}
ROLE_WORDS = {"ru": ("Спикер", "speaker"), "kk": ("қатысушы", "participant")}


def test_headers_in_words() -> None:
    assert column_title("organization.code", "ru") == "Организация: Код организации в реестре"
    assert column_title("head.full_name", "kk") == "Басшы (қолы): Аты-жөні"
    assert column_title("participant", "ru") == "ФИО участника"
    assert field_for_header("  организация:  код организации в реестре *") == "organization.code"
    assert field_for_header("Қатысушының аты-жөні") == "participant"
    assert field_for_header("hours") == "hours"  # a field name stays what it is
    assert value_for_word("role", "докладчик") == "speaker"
    assert value_for_word("role", "спикер (баяндамашы)") == "speaker"
    assert value_for_word("role", "гость") == "гость"  # refused later by the schema, with its row and column


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_table_with_headers_in_the_language_is_read(tmp_path: Path, lang: str) -> None:
    word, value = ROLE_WORDS[lang]
    header = [column_title(k, lang) for k in ROW] + [column_title("role", lang)]
    assert not any(h in ROW for h in header)  # every header is in words
    path = tmp_path / "participants.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerow([*ROW.values(), word])
    [(row_no, data)] = list(read_rows(path, "certificate"))
    assert row_no == 2
    assert data["organization"]["code"] == "MC-ZHM" and data["head"]["full_name"] == "Абдрахманов Е.К."
    assert data["role"] == value
    model = validate("certificate", data)
    assert model.participant == "Жумабаева Айгерим Сериковна" and model.hours == 16  # type: ignore[attr-defined]
