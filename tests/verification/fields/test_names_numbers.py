"""Person names (case, initials, Kazakh/Russian variants, OCR noise) and document numbers."""

from __future__ import annotations

import pytest

from verification.fields import find_person_names, match_person, parse_numbers

EXPECTED = "Жумабаева Айгерим Сериковна"


@pytest.mark.parametrize("text,value", [
    ("Сертификат выдан Жумабаевой Айгерим Сериковне", "Жумабаевой Айгерим Сериковне"),
    ("ЖУМАБАЕВА АЙГЕРИМ СЕРИКОВНА", "ЖУМАБАЕВА АЙГЕРИМ СЕРИКОВНА"),
    ("Жұмабаева Айгерім Серікқызы педагог", "Жұмабаева Айгерім Серікқызы"),
    ("педагог Жумабаева А.С., учитель", "Жумабаева А.С."),
    ("А. С. Жумабаева", "А. С. Жумабаева"),
    ("Жумабаеве Айгорим Сериковна", "Жумабаеве Айгорим Сериковна"),  # OCR noise
    ("Жумaбаева Айгерим Сериковна", "Жумaбаева Айгерим Сериковна"),  # Latin «a» inside
])
def test_expected_teacher_is_found(text: str, value: str) -> None:
    m = match_person(text, EXPECTED)
    assert m is not None and m.matches_expected is True
    assert m.value == value


@pytest.mark.parametrize("text", [
    "Иванова Анна Петровна", "Жумабаева Мария Ивановна", "Жумабаева А.Б.", "Жумабаев Нурлан", "",
])
def test_other_people_do_not_match(text: str) -> None:
    assert match_person(text, EXPECTED) is None


def test_names_found_by_shape() -> None:
    found = find_person_names("выдан Иванову Петру Сергеевичу и Омаров Е.Б. и Сейтқали Нұрлан Ержанұлы")
    assert [n.value for n in found] == ["Иванову Петру Сергеевичу", "Омаров Е.Б.", "Сейтқали Нұрлан Ержанұлы"]


@pytest.mark.parametrize("text,value", [
    ("№ 84", "84"), ("№84-ө", "84-ө"), ("№ 12/3", "12/3"), ("No 84", "84"), ("N° 7", "7"),
    ("Мо 18/4", "18/4"), ("№ 299-6", "299-ө"), ("№ 113-е", "113-ө"), ("№ 120-0", "120-ө"), ("№ 12 - 3", "12-3"),
])
def test_numbers(text: str, value: str) -> None:
    assert [n.value for n in parse_numbers(f"Приказ {text} от 10.03.2022")] == [value]


def test_no_number() -> None:
    assert parse_numbers("Приказ от 10.03.2022 о проведении семинара") == []
