"""An event's form in the case the certificate's sentence needs (issue 14: «принял(а) участие в
семинар»), Kazakh places in the locative, titles quoted once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from service.generation.render import render_docx
from service.generation.schemas import SCHEMAS, example_data
from service.generation.wording import (
    kk_case,
    kk_event_when_where,
    kk_place_locative,
    quoted,
    ru_event_phrase,
)


@pytest.mark.parametrize(("form", "participant", "speaker"), [
    ("семинар", "принял(а) участие в семинаре", "выступил(а) с докладом на семинаре"),
    ("вебинар", "принял(а) участие в вебинаре", "выступил(а) с докладом на вебинаре"),
    ("мастер-класс", "принял(а) участие в мастер-классе", "выступил(а) с докладом на мастер-классе"),
    ("конференция", "принял(а) участие в конференции", "выступил(а) с докладом на конференции"),
    ("тренинг", "принял(а) участие в тренинге", "выступил(а) с докладом на тренинге"),
    ("областной научно-практический семинар", "принял(а) участие в областном научно-практическом семинаре",
     "выступил(а) с докладом на областном научно-практическом семинаре"),
    ("республиканская конференция", "принял(а) участие в республиканской конференции",
     "выступил(а) с докладом на республиканской конференции"),
    ("семинар-практикум", "принял(а) участие в семинаре-практикуме", "выступил(а) с докладом на семинаре-практикуме"),
    ("круглый стол", "принял(а) участие в круглом столе", "выступил(а) с докладом на круглом столе"),
    ("педагогические чтения", "принял(а) участие в педагогических чтениях",
     "выступил(а) с докладом на педагогических чтениях"),
    ("Всероссийский вебинар", "принял(а) участие во Всероссийском вебинаре",
     "выступил(а) с докладом на Всероссийском вебинаре"),
    # typed in the case already: kept
    ("областном семинаре", "принял(а) участие в областном семинаре", "выступил(а) с докладом на областном семинаре"),
    ("городской конференции", "принял(а) участие в городской конференции",
     "выступил(а) с докладом на городской конференции"),
    # not a known form: named, not guessed at
    ("научная экспедиция", "принял(а) участие в мероприятии (научная экспедиция)",
     "выступил(а) с докладом на мероприятии (научная экспедиция)"),
])
def test_russian_event_form_in_the_prepositional(form: str, participant: str, speaker: str) -> None:
    assert ru_event_phrase(form, "participant") == participant
    assert ru_event_phrase(form, "speaker") == speaker


@pytest.mark.parametrize(("form", "dative", "locative"), [
    ("семинар", "семинарға", "семинарда"),
    ("вебинар", "вебинарға", "вебинарда"),
    ("тренинг", "тренингке", "тренингте"),
    ("конференция", "конференцияға", "конференцияда"),
    ("облыстық семинар", "облыстық семинарға", "облыстық семинарда"),
    ("дөңгелек үстел", "дөңгелек үстелге", "дөңгелек үстелде"),
    ("шеберлік сынып", "шеберлік сыныпқа", "шеберлік сыныпта"),
    ("фестиваль", "фестивальге", "фестивальде"),
    ("олимпиада", "олимпиадаға", "олимпиадада"),
    ("облыстық семинарына", "облыстық семинарына", "облыстық семинарына"),  # typed in a case: kept
])
def test_kazakh_case_endings(form: str, dative: str, locative: str) -> None:
    assert kk_case(form, "dat") == dative
    assert kk_case(form, "loc") == locative


def test_kazakh_place_and_date_in_the_locative() -> None:
    assert [kk_place_locative(p) for p in ("Тараз қ.", "Байзақ ауданы", "Жамбыл облысы", "Қарағанды")] == [
        "Тараз қаласында", "Байзақ ауданында", "Жамбыл облысында", "Қарағандыда"]
    assert kk_event_when_where(dt.date(2024, 4, 26), None, "Тараз қ.") == "2024 жылғы 26 сәуірде Тараз қаласында өткен"
    assert kk_event_when_where(dt.date(2024, 4, 26), dt.date(2024, 4, 27), "Байзақ ауданы") == \
        "26.04.2024–27.04.2024 аралығында Байзақ ауданында өткен"


def test_titles_are_quoted_once() -> None:
    assert quoted("Функциональная грамотность") == "«Функциональная грамотность»"
    assert quoted("«Функциональная грамотность»") == "«Функциональная грамотность»"
    assert quoted('"Функциональная грамотность"') == "«Функциональная грамотность»"
    assert quoted("Областной семинар «Функциональная грамотность»") == "Областной семинар «Функциональная грамотность»"


def _lines(kind: str, lang: str, data: dict) -> list[str]:  # type: ignore[type-arg]
    content = render_docx(kind, lang, SCHEMAS[kind].model_validate(data), "1", None)
    return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]


@pytest.mark.parametrize("form", ["семинар", "вебинар", "мастер-класс", "конференция", "тренинг"])
def test_certificate_reads_right_for_a_form_typed_as_named(form: str) -> None:
    ru = {**example_data("certificate", "ru"), "event_form": form, "role": "participant",
          "event_title": "«Функциональная грамотность»"}
    lines = _lines("certificate", "ru", ru)
    assert ru_event_phrase(form, "participant") in lines
    assert "«Функциональная грамотность»" in lines  # not « «…» »
    assert not any("««" in ln or "»»" in ln or "« «" in ln for ln in lines)

    kk = {**example_data("certificate", "kk"), "event_form": "облыстық " + {"мастер-класс": "шеберлік сынып"}.get(
        form, form), "role": "participant", "event_place": "Тараз қ."}
    lines = _lines("certificate", "kk", kk)
    assert "2024 жылғы 26 сәуірде Тараз қаласында өткен" in lines
    assert any(ln.startswith("тақырыбындағы облыстық ") and ln.endswith(" қатысқанын растайды.") for ln in lines)
    assert f"тақырыбындағы {kk_case(kk['event_form'], 'dat')} қатысқанын растайды." in lines
