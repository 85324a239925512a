import datetime as dt

from service.generation import formatting as f


def test_russian_number_line_uses_genitive_month() -> None:
    assert f.number_date_line(dt.date(2022, 3, 10), "84", "ru") == "от «10» марта 2022 года № 84"


def test_kazakh_number_line_puts_year_first_with_attributive_month() -> None:
    assert f.number_date_line(dt.date(2022, 3, 10), "84", "kk", "бұйрық") == "2022 жылғы 10 наурыздағы № 84 бұйрық"
    assert f.number_date_line(dt.date(2024, 4, 1), "12", "kk") == "2024 жылғы 1 сәуірдегі № 12"


def test_long_dates() -> None:
    assert f.long_date(dt.date(2024, 12, 5), "ru") == "5 декабря 2024 г."
    assert f.long_date(dt.date(2024, 9, 5), "kk") == "2024 жылғы 5 қыркүйек"
    assert f.quoted_date(dt.date(2024, 1, 5), "ru") == "«05» января 2024 года"
    assert f.short_date(dt.date(2024, 1, 5)) == "05.01.2024"


def test_percent() -> None:
    assert f.percent(5, 14) == "35,7 %"
    assert f.percent(0, 0) == "—"
