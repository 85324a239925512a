"""The level of a document comes from its issuer and its text together, with the reason shown (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verification.fields import extract_fields, judge_level
from verification.fields.level import event_level, issuer_level
from verification.messages import render

_MC = "Методический центр управления образования Жамбылской области"


@pytest.mark.parametrize("issuer,level", [
    (_MC, "regional"),
    ("КГУ «Методический центр управления образования Карагандинской области»", "regional"),
    ("Жамбыл облысы білім басқармасының «Әдістемелік орталығы» КММ", "regional"),
    ("Управление образования города Алматы", "regional"),
    ("Отдел образования Байзакского района управления образования Жамбылской области", "district"),
    ("Байзақ ауданы білім бөлімінің әдістемелік кабинеті", "district"),
    ("Министерство просвещения Республики Казахстан", "republican"),
    ("АО «Национальный центр повышения квалификации «Өрлеу»", "republican"),
    ("Филиал АО «Национальный центр повышения квалификации «Өрлеу» по Жамбылской области", "regional"),
    ("КГУ «ОШ № 12» г. Темиртау", "school"),
    ("Школа-гимназия № 12 отдела образования г. Тараз", "school"),
    ("ТОО «Ромашка»", None),
])
def test_issuer_level(issuer: str, level: str | None) -> None:
    assert issuer_level(issuer) == level


@pytest.mark.parametrize("text,found", [
    ("Провести областной семинар для учителей", ("regional", "областной семинар")),
    ("семинар республиканского уровня", ("republican", "республиканского уровня")),
    ("облыстық деңгейдегі семинар", ("regional", "облыстық деңгейдегі")),
    ("в рамках областного обучающего семинара-практикума", ("regional", "областного обучающего семинара")),
    ("аудандық вебинарға қатысты", ("district", "аудандық вебинарға")),
    # a level adjective that is not about the event
    ("по согласованию с методистами районных (городских) методических кабинетов", None),
    ("аудандық әдістемелік кабинеттер", None),
])
def test_event_level_needs_an_event(text: str, found: tuple[str, str] | None) -> None:
    assert event_level(text) == found


def test_a_regional_centres_order_is_regional_not_district() -> None:
    """The order of the example data: the body names «районных (городских) методических кабинетов»,
    which used to make the whole order district level."""
    f = extract_fields([
        "КГУ «Методический центр управления", "образования Жамбылской области»", "ПРИКАЗ", "№ 84 от 22.03.2024",
        "О трансляции инновационного педагогического опыта",
        "Педагогам по согласованию с методистами районных (городских) методических кабинетов определить формы.",
    ])
    assert f.level == ("regional", "КГУ «Методический центр управления образования Жамбылской области»")
    d = f.level_decision
    assert d is not None and (d.level, d.source, d.issuer_level, d.text_words) == ("regional", "issuer", "regional", None)
    assert f.summary()["level"] == "regional"


def test_text_and_issuer_agree_and_disagree() -> None:
    both = judge_level("Провести областной семинар «Функциональная грамотность»", _MC)
    assert both is not None
    assert (both.level, both.source, both.text_words) == ("regional", "issuer_and_text", "областной семинар")
    assert both.confidence == 0.9
    district = judge_level("Провести районный семинар в Байзакском районе", _MC)
    assert district is not None and (district.level, district.source) == ("district", "text_over_issuer")
    district_dept = judge_level("Приглашаем на семинар", "Отдел образования Байзакского района")
    assert district_dept is not None and (district_dept.level, district_dept.source) == ("district", "issuer")
    guess = judge_level("методистами районных кабинетов", None)
    assert guess is not None and (guess.level, guess.source, guess.confidence) == ("district", "text_only", 0.5)
    assert judge_level("Уважаемые коллеги", "ТОО «Ромашка»") is None
    # a school certifies papers of events held elsewhere: its own level is not the event's
    assert judge_level("Программа трансляции опыта: Байзакский район", "КГУ «ОШ № 12» г. Темиртау") is None
    spoke = judge_level("выступила на республиканском семинаре", "КГУ «ОШ № 12» г. Темиртау")
    assert spoke is not None and (spoke.level, spoke.source) == ("republican", "text_over_issuer")


def test_the_reason_in_three_languages() -> None:
    import verification.scans.messages  # noqa: F401  (registers the texts)

    d = judge_level("Провести областной семинар", _MC)
    assert d is not None and d.code == "fields.level.issuer_and_text"
    assert render(d.code, "ru", **d.params()) == (
        "Уровень: областной. Почему: документ выдала организация уровня «областной» "
        f"({_MC}), и в тексте сказано: «областной семинар».")
    assert render(d.code, "kk", **d.params()) == (
        "Деңгейі: облыстық. Себебі: құжатты «облыстық» деңгейіндегі ұйым берген "
        f"({_MC}), мәтінде де: «областной семинар».")
    assert render(d.code, "en", **d.params()).startswith("Level: regional. Why: the issuing organisation")
    only = judge_level("Приглашаем", _MC)
    assert only is not None
    assert render(only.code, "ru", **only.params()) == (
        f"Уровень: областной. Почему: документ выдала организация уровня «областной» ({_MC}); "
        "в тексте уровень мероприятия не назван.")


def test_the_report_carries_the_level_and_its_reason(tmp_path: Path) -> None:
    from tests.verification.test_kinds import _text_pdf
    from verification.pipeline import VerifyOptions, verify_file

    pdf = _text_pdf(tmp_path / "order.pdf", [
        "КГУ «Методический центр управления образования Жамбылской области»", "ПРИКАЗ", "№ 84 от 22.03.2024",
        "Педагогам по согласованию с методистами районных (городских) методических кабинетов определить формы."])
    report = verify_file(pdf, VerifyOptions())
    level = report.fields["level"]
    assert (level.value, level.confidence) == ("regional", 0.7)
    check = next(c for c in report.checks if c.id == "fields.level")
    assert (check.status.value, check.code) == ("pass", "fields.level.issuer")
    assert check.message("ru").startswith("Уровень: областной. Почему: документ выдала организация уровня «областной»")
    assert check.message("kk").startswith("Деңгейі: облыстық. Себебі:")
