"""Every common date form → ISO; invalid dates are not dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verification.fields import parse_dates
from verification.fields.dates import parse_dates as _pd

RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
      "ноября", "декабря"]
KK = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
      "қараша", "желтоқсан"]


@pytest.mark.parametrize("text", [
    "«10» марта 2022 года", "\"10\" марта 2022 г.", "10 марта 2022 г.", "10.03.2022", "10/03/2022",
    "10-03-2022", "2022-03-10", "10.03.22", "2022 жылғы 10 наурыз", "2022 жылғы «10» наурыздағы",
    "10 наурыз 2022 ж.", "2022 ж. 10 наурыз", "10 March 2022", "March 10, 2022", "от 10,03.2022 №5",
])
def test_every_form_of_10_march_2022(text: str) -> None:
    assert [d.iso for d in parse_dates(text)] == ["2022-03-10"]


def test_invalid_and_non_dates() -> None:
    assert parse_dates("31.02.2022") == []
    assert parse_dates("тел. 8 701 123 45 67, № 12/3") == []
    assert parse_dates("30 февраля 2022 года") == []


def test_several_dates_in_order() -> None:
    text = "Приказ от 28.01.2016 №95 (с изменениями от 3 октября 2022 года)"
    assert [d.iso for d in parse_dates(text)] == ["2016-01-28", "2022-10-03"]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2039, 12, 31)), st.integers(0, 4))
def test_generated_dates_round_trip(d: dt.date, form: int) -> None:
    text = [f"{d.day:02d}.{d.month:02d}.{d.year}", f"«{d.day:02d}» {RU[d.month - 1]} {d.year} года",
            f"{d.year} жылғы {d.day} {KK[d.month - 1]}", f"{d.day} {KK[d.month - 1]} {d.year} ж.",
            d.isoformat()][form]
    assert [m.iso for m in _pd(f"Документ {text} выдан")] == [d.isoformat()]
