"""The text fingerprint that tells a rescan of one paper from another paper on the same form."""

from __future__ import annotations

from verification.fields import TextDigest, text_digest

RU = ("Программа трансляции педагогического опыта учителя Жумабаевой Айгерим Сериковны на тему Читательская "
      "грамотность на уроках место проведения Байзакский район Жамбылской области дата проведения регламент "
      "мероприятия открытие мастер-класс обсуждение подведение итогов руководитель отдела образования")
KK = ("Жұмабаева Айгерім Серікқызының педагогикалық тәжірибесін тарату бағдарламасы тақырыбы сабақтағы оқу "
      "сауаттылығы өткізу орны Жамбыл облысы Байзақ ауданы өткізілу күні уақыты іс-шара регламенті ашылуы "
      "шеберлік сынып талқылау қорытындылау білім бөлімінің басшысы")


def test_language_and_word_count() -> None:
    ru, kk = text_digest(RU), text_digest(KK)
    assert ru is not None and kk is not None
    assert (ru.language, ru.words) == ("ru", 30)
    assert (kk.language, kk.words) == ("kk", 30)
    assert text_digest("12 ,, --") is None
    short = text_digest("Приказ № 84")
    assert short is not None and (short.words, short.language) == (1, None)


def test_similarity_separates_a_translation_from_a_rescan() -> None:
    ru = text_digest(RU)
    assert ru is not None
    assert ru.similarity(ru) == 1.0
    assert ru.similarity(text_digest(KK)) < 0.1  # type: ignore[arg-type]
    cropped = text_digest(RU.split(" ", 4)[-1])  # the first words lost to a crop
    noisy = text_digest(RU.replace("о", "o", 3).replace("Байзакский", "Баизакскии"))  # OCR look-alikes
    assert cropped is not None and cropped.similarity(ru) >= 0.8
    assert noisy is not None and noisy.similarity(ru) >= 0.8


def test_round_trip_through_the_report_value() -> None:
    ru = text_digest(RU)
    assert ru is not None
    assert TextDigest.from_value(ru.to_value()) == ru
    assert TextDigest.from_value({"minhash": "zz", "words": 3}) is None
    assert TextDigest.from_value(None) is None
