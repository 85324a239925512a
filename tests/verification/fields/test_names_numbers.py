"""Person names (case, initials, Kazakh/Russian variants, OCR noise) and document numbers."""

from __future__ import annotations

import pytest

from verification.fields import (
    NAME_PARTS,
    compare_person,
    extract_fields,
    find_person_names,
    match_person,
    parse_numbers,
)

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


@pytest.mark.parametrize("text,value,part,found_part", [
    ("Жумабаева Айгерим Болатовна", "Жумабаева Айгерим Болатовна", "patronymic", "Болатовна"),
    ("ЖУМАБАЕВА АЙГЕРИМ БОЛАТОВНА, учитель", "ЖУМАБАЕВА АЙГЕРИМ БОЛАТОВНА", "patronymic", "БОЛАТОВНА"),
    ("выдан Жумабаевой Айгерим Болатовне", "Жумабаевой Айгерим Болатовне", "patronymic", "Болатовне"),
    ("Жұмабаева Айгерім Болатқызы", "Жұмабаева Айгерім Болатқызы", "patronymic", "Болатқызы"),
    ("Жұмабаева Айгерім Болат қызы", "Жұмабаева Айгерім Болат қызы", "patronymic", "Болат қызы"),
    ("педагог Жумабаева А.Б., учитель", "Жумабаева А.Б.", "patronymic", "А.Б."),
    ("А.Б. Жумабаева", "А.Б. Жумабаева", "patronymic", "А.Б."),
    ("Жумабаева Д.С.", "Жумабаева Д.С.", "given", "Д.С."),
    ("Жумабаева Динара Сериковна", "Жумабаева Динара Сериковна", "given", "Динара"),
    ("Жумабаева Мария Ивановна", "Жумабаева Мария Ивановна", "given", "Мария"),
    ("Жумабаев Нурлан", "Жумабаев Нурлан", "given", "Нурлан"),
    ("Айгерим Сериковна Омарова", "Айгерим Сериковна Омарова", "surname", "Омарова"),
    ("Омарова Айгерим Сериковна", "Омарова Айгерим Сериковна", "surname", "Омарова"),
    ("выдан Жумабаевой Айгерим\nБолатовне", "Жумабаевой Айгерим\nБолатовне", "patronymic", "Болатовне"),  # OCR line break
])
def test_which_part_of_the_name_differs(text: str, value: str, part: str, found_part: str) -> None:
    c = compare_person(text, EXPECTED)
    assert c is not None and c.matches is False
    assert (c.name.value, c.differs, c.found_part) == (value, part, found_part)
    assert c.expected_part == dict(zip(NAME_PARTS, EXPECTED.split()))[part]
    assert c.name.matches_expected is False
    assert match_person(text, EXPECTED) is None


@pytest.mark.parametrize("text,value", [
    ("Жумабаева Айгерим", "Жумабаева Айгерим"),  # no patronymic written: not a difference
    ("Айгерим Жумабаева, учитель", "Айгерим Жумабаева"),
    ("Жұмабаева Айгерім Серік қызы", "Жұмабаева Айгерім Серік қызы"),
    ("Жумабаёва Айгерим Сериковна", "Жумабаёва Айгерим Сериковна"),
    ("Жумабаеваға Айгерімге", "Жумабаеваға Айгерімге"),
    ("Айгерим Сериковна Жумабаева", "Айгерим Сериковна Жумабаева"),
    ("Жумабаева А.", "Жумабаева А."),
])
def test_a_missing_part_or_another_spelling_is_no_difference(text: str, value: str) -> None:
    c = compare_person(text, EXPECTED)
    assert c is not None and c.matches is True and c.differs is None
    assert c.name.value == value


def test_the_agreeing_name_wins_over_a_namesake() -> None:
    c = compare_person("Жумабаева Айгерим Болатовна и Жумабаева Айгерим Сериковна", EXPECTED)
    assert c is not None and c.matches and c.name.value == "Жумабаева Айгерим Сериковна"


def test_a_name_on_another_line_is_not_read_as_a_part() -> None:
    c = compare_person("Жумабаева\nСертификат участника", EXPECTED)
    assert c is None


def test_extract_fields_keeps_the_differing_part() -> None:
    f = extract_fields(["СЕРТИФИКАТ", "выдан Жумабаевой Айгерим Болатовне"], expected_name=EXPECTED)
    assert f.person is not None and f.person.matches_expected is False
    assert f.person_differs is not None
    assert (f.person_differs.differs, f.person_differs.found_part) == ("patronymic", "Болатовне")
