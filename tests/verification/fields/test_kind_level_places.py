"""Kind, level, event form, issuer and places (canonical, both languages), and extract_fields."""

from __future__ import annotations

import pytest

from verification.fields import (
    detect_event_form,
    detect_kind,
    detect_level,
    extract_fields,
    find_issuer,
    find_places,
)


@pytest.mark.parametrize("lines,kind", [
    (["Методический центр", "ВЫПИСКА ИЗ ПРОТОКОЛА № 3"], "protocol_extract"),
    (["ХАТТАМАДАН ҮЗІНДІ"], "protocol_extract"),
    (["ПРОТОКОЛ заседания УМС"], "protocol"),
    (["Отырыс хаттамасы"], "protocol"),
    (["ПРИКАЗ", "О трансляции опыта"], "order"),
    (["БҰЙРЫҚ"], "order"),
    (["СЕРТИФИКАТ", "согласно приказу № 5"], "certificate"),
    (["Қатысу туралы анықтама"], "certificate"),
    (["Программа трансляции опыта"], "transmission_program"),
    (["Тәжірибені тарату бағдарламасы"], "transmission_program"),
    (["Экспертное заключение"], "expert_conclusion"),
    (["Сараптамалық қорытынды"], "expert_conclusion"),
    (["Акт о внедрении"], "implementation_act"),
    (["Енгізу туралы акт"], "implementation_act"),
    (["План трансляции педагогического опыта региона"], "regional_plan"),
    (["План деятельности по развитию компетенций, сформированных на курсах ПК"], "competence_plan"),
    (["Чек-лист посткурсового сопровождения"], "postcourse_checklist"),
    (["Жиынтық есеп"], "halfyear_report"),
])
def test_kind(lines: list[str], kind: str) -> None:
    found = detect_kind(lines)
    assert found is not None and found.kind == kind


def test_kind_absent() -> None:
    assert detect_kind(["Уважаемые коллеги!", "Приглашаем вас"]) is None


@pytest.mark.parametrize("text,level", [
    ("участие в республиканском семинаре", "republican"), ("республикалық семинар", "republican"),
    ("областной конкурс", "regional"), ("облыстық байқау", "regional"), ("районный вебинар", "district"),
    ("аудандық семинар", "district"), ("международная конференция", "international"),
    ("халықаралық конференция", "international"), ("школьный семинар", "school"),
])
def test_level(text: str, level: str) -> None:
    assert detect_level(text)[0] == level  # type: ignore[index]


def test_event_form() -> None:
    assert detect_event_form("провела мастер-класс")[0] == "master_class"  # type: ignore[index]
    assert detect_event_form("шеберлік сынып өткізді")[0] == "master_class"  # type: ignore[index]
    assert detect_event_form("ничего") is None


def test_two_spellings_of_one_district_are_one_place() -> None:
    ids = [p.id for p in find_places("в Байзакском районе; Байзақ ауданы; Байзакского района")]
    assert ids == ["kz-zhambyl/baizakskii"]


def test_places_of_both_languages_and_ambiguity() -> None:
    places = find_places("Семинар: г. Тараз, Меркі ауданы, Жамбылский район Жамбылской области; "
                         "Есіл ауданы, Астана қаласы; Майминский район Республики Алтай")
    assert [(p.id, p.type) for p in places] == [
        ("kz-zhambyl/taraz", "city"), ("kz-zhambyl/merkenskii", "district"),
        ("kz-zhambyl/zhambylskii", "district"), ("kz-zhambyl", "region"), ("kz-astana/esil", "district"),
        ("kz-astana", "city_republican"), ("ru-altai/maiminskii", "district"), ("ru-altai", "region")]
    assert places[0].to_dict() == {"id": "kz-zhambyl/taraz", "name": "г. Тараз", "name_kk": "Тараз қаласы",
                                   "type": "city", "region": "kz-zhambyl"}


def test_almaty_city_and_region_differ() -> None:
    assert [p.id for p in find_places("Алматы облысы, Талғар ауданы")] == ["kz-almaty-region",
                                                                          "kz-almaty-region/talgarskii"]
    assert [p.id for p in find_places("г. Алматы, Медеуский район")] == ["kz-almaty", "kz-almaty/medeuskii"]


def test_issuer_joins_wrapped_header() -> None:
    assert find_issuer(["КГУ «Методический центр управления", "образования Жамбылской области»", "ПРИКАЗ"]) == \
        "КГУ «Методический центр управления образования Жамбылской области»"
    assert find_issuer(["ПРИКАЗ", "№ 5"]) is None


def test_extract_fields_exact() -> None:
    f = extract_fields([
        "Жамбыл облысы білім басқармасының", "«Әдістемелік орталығы» КММ", "БҰЙРЫҚ",
        "2022 жылғы «10» наурыз № 84-ө", "Жұмабаева Айгерім Серікқызы республикалық семинарда Байзақ ауданы,",
        "Меркі ауданы және Тараз қаласы бойынша тәжірибе таратты.",
    ], expected_name="Жумабаева Айгерим Сериковна")
    assert f.summary() == {
        "person_name": "Жұмабаева Айгерім Серікқызы", "date": "2022-03-10", "number": "84-ө",
        "issuer": "Жамбыл облысы білім басқармасының «Әдістемелік орталығы» КММ", "kind": "order",
        "level": "republican", "event_form": "seminar",
        "places": ["kz-zhambyl", "kz-zhambyl/baizakskii", "kz-zhambyl/merkenskii", "kz-zhambyl/taraz"],
    }
    assert f.person is not None and f.person.matches_expected is True


@pytest.mark.parametrize("lines,ids", [
    (["КГУ «Школа-гимназия № 5» города Тараз", "Место проведения: Байзакский район, Жамбылская область"],
     ["kz-zhambyl/baizakskii", "kz-zhambyl"]),
    (["Тараз қаласының № 5 мектеп-гимназиясы", "Өткізілетін орны: Бәйзақ ауданы, Жамбыл облысы"],
     ["kz-zhambyl/baizakskii", "kz-zhambyl"]),
    # a district name shared by two regions: the region named elsewhere in the text decides
    (["Тараз қаласының № 5 мектебі", "Өткізілетін орны: Жамбыл ауданы", "Жамбыл облысы"], ["kz-zhambyl/zhambylskii"]),
    # no venue line: every place the text names
    (["Школа № 5 города Тараз", "Семинар в Байзакском районе"], ["kz-zhambyl/taraz", "kz-zhambyl/baizakskii"]),
])
def test_the_venue_line_names_the_places_not_the_letterhead(lines: list[str], ids: list[str]) -> None:
    assert [p.id for p in extract_fields(lines).places] == ids
