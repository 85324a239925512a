"""The researcher's transmission programmes as real-looking scans, through OCR and matching.

Three programmes on one school form — the same letterhead, date and layout, in Russian and in Kazakh,
each held in another district — are three documents and complete the researcher dossier; the same
district named in Russian and in Kazakh is one place, so the dossier stays incomplete; the same paper
scanned again (turned, cropped, re-compressed) is counted once. Every page is drawn from a born-digital
PDF with a seal and a handwritten signature (``samples.dossier.specimens.make_scan``), then turned,
blurred, given sensor noise and saved as a lossy JPEG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from samples.dossier.reports import PERIOD, TEACHER, make_report
from samples.dossier.specimens import make_pdf, make_scan
from service.attestation.matching import Completeness, Evidence, RequirementStatus, match_evidence
from service.attestation.profiles import load_profile
from verification.pipeline import VerifyOptions, verify_file
from verification.report import Report

pytestmark = pytest.mark.slow

KK_TEACHER = "Жұмабаева Айгерім Серікқызы"


def _form(lang: str, place: str) -> tuple[str, list[str]]:
    """One school's programme form; only the venue (and the language) changes between programmes."""
    if lang == "ru":
        return "ПРОГРАММА ТРАНСЛЯЦИИ ПЕДАГОГИЧЕСКОГО ОПЫТА", [
            "КГУ «Школа-гимназия № 5» отдела образования города Тараз",
            f"Педагог: {TEACHER.full_name}", f"Место проведения: {place}, Жамбылская область",
            "Дата проведения: 14.03.2024   Форма: мастер-класс", "Тема: «Читательская грамотность на уроках»",
            "10:00 Открытие. Вступительное слово", "10:15 Мастер-класс «Приёмы смыслового чтения»",
            "11:00 Обсуждение, рефлексия, подведение итогов", "Руководитель отдела образования ______________",
            "М.П."]
    return "ПЕДАГОГИКАЛЫҚ ТӘЖІРИБЕНІ ТАРАТУ БАҒДАРЛАМАСЫ", [
        "Тараз қаласы білім бөлімінің «№ 5 мектеп-гимназиясы» КММ",
        f"Педагог: {KK_TEACHER}", f"Өткізілетін орны: {place}, Жамбыл облысы",
        "Өткізілу күні: 14.03.2024   Нысаны: шеберлік сынып", "Тақырыбы: «Сабақтағы оқу сауаттылығы»",
        "10:00 Ашылуы. Кіріспе сөз", "10:15 Шеберлік сынып «Мағыналық оқу тәсілдері»",
        "11:00 Талқылау, рефлексия, қорытынды шығару", "Білім бөлімінің басшысы ______________", "М.О."]


def _scan(folder: Path, name: str, lang: str, place: str, *, seed: int, angle: float, crop: int = 0,
          quality: int = 80) -> Path:
    title, lines = _form(lang, place)
    clean = make_scan(make_pdf(folder / f"{name}.pdf", title, lines), folder / f"{name}_clean.jpg", seed=seed,
                      dpi=200)
    img = Image.open(clean).convert("RGB").rotate(angle, resample=Image.BICUBIC, expand=True,
                                                  fillcolor=(236, 236, 232))
    if crop:
        img = img.crop((crop, crop, img.width - crop, img.height - crop))
    rng = np.random.default_rng(seed)
    pixels = np.asarray(img).astype(np.float32) * 0.93 + 10 + rng.normal(0, 6, (img.height, img.width, 3))
    out = folder / f"{name}.jpg"
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6)).save(
        out, "JPEG", quality=quality, dpi=(200, 200))
    return out


SCANS = {  # name: language, venue, seed, turn (degrees), crop (px), JPEG quality
    "programme_baizak_ru.jpg": ("ru", "Байзакский район", 1, 0.8, 0, 80),
    "programme_talas_ru.jpg": ("ru", "Таласский район", 3, -1.2, 0, 75),
    "programme_kordai_kk.jpg": ("kk", "Қордай ауданы", 4, 0.5, 0, 80),
    "programme_baizak_kk.jpg": ("kk", "Бәйзақ ауданы", 5, -0.7, 0, 80),
    "programme_baizak_ru_again.jpg": ("ru", "Байзакский район", 1, -2.5, 60, 55),  # the first one rescanned
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    folder = tmp_path_factory.mktemp("programmes")
    out = {}
    for name, (lang, place, seed, angle, crop, quality) in SCANS.items():
        path = _scan(folder, name.removesuffix(".jpg"), lang, place, seed=seed, angle=angle, crop=crop,
                     quality=quality)
        out[name] = verify_file(path, VerifyOptions(teacher=TEACHER.full_name, kind="transmission_program"))
    return out


def _dossier(reports: dict[str, Report], names: list[str]):  # type: ignore[no-untyped-def]
    base = [  # the researcher's other documents, as their reports
        Evidence("order.pdf", make_report("order.pdf", "order", level="regional", media_type="application/pdf")),
        Evidence("certificate.jpg", make_report("certificate.jpg", "certificate")),
        Evidence("protocol_extract.pdf", make_report("protocol_extract.pdf", "protocol_extract")),
    ]
    return match_evidence(load_profile("kz-researcher"), base + [Evidence(n, reports[n]) for n in names],
                          period=PERIOD, dossier_id="D-SCANS")


def test_the_scans_read_as_one_form(reports: dict[str, Report]) -> None:
    """The premise: the pictures are alike (what made them «the same scan» before) and the venue is read."""
    from service.attestation.matching import same_scan

    a, b = reports["programme_baizak_ru.jpg"], reports["programme_talas_ru.jpg"]
    assert same_scan(a.perceptual_hashes, b.perceptual_hashes) is not None
    for name, (lang, *_rest) in SCANS.items():
        rep = reports[name]
        assert (rep.kind, rep.fields["date"].value, rep.fields["person_name"].matches_expected) == (
            "transmission_program", "2024-03-14", True), name
        assert rep.fields["text_digest"].value["language"] == lang, name
        assert len(rep.seals) == 1 and len(rep.handwritten_signatures) == 1, name
    assert [[p["id"] for p in reports[n].fields["places"].value] for n in SCANS] == [
        ["kz-zhambyl/baizakskii", "kz-zhambyl"], ["kz-zhambyl/talasskii", "kz-zhambyl"],
        ["kz-zhambyl/kordaiskii", "kz-zhambyl"], ["kz-zhambyl/baizakskii", "kz-zhambyl"],
        ["kz-zhambyl/baizakskii", "kz-zhambyl"]]


def test_three_programmes_on_one_form_in_two_languages_complete_the_dossier(reports: dict[str, Report]) -> None:
    names = ["programme_baizak_ru.jpg", "programme_talas_ru.jpg", "programme_kordai_kk.jpg"]
    result = _dossier(reports, names)
    assert [result.document(n).duplicate for n in names] == [None, None, None]
    req = result.requirement("transmission_three_districts")
    assert req.status is RequirementStatus.MET
    assert req.documents == tuple(names)
    assert result.status is Completeness.COMPLETE


def test_one_district_in_two_spellings_counts_once(reports: dict[str, Report]) -> None:
    names = ["programme_baizak_ru.jpg", "programme_baizak_kk.jpg", "programme_talas_ru.jpg"]
    result = _dossier(reports, names)
    assert result.document("programme_baizak_kk.jpg").duplicate is None  # the Kazakh paper is another paper
    req = result.requirement("transmission_three_districts")
    assert req.status is RequirementStatus.UNMET
    assert "Засчитано районов/городов: 2" in req.reason("ru")
    assert result.status is Completeness.INCOMPLETE


def test_the_same_paper_rescanned_is_counted_once(reports: dict[str, Report]) -> None:
    names = ["programme_baizak_ru.jpg", "programme_talas_ru.jpg", "programme_baizak_ru_again.jpg"]
    result = _dossier(reports, names)
    dup = result.document("programme_baizak_ru_again.jpg").duplicate
    assert dup is not None and dup.other == "programme_baizak_ru.jpg" and dup.how in ("perceptual", "content")
    assert result.requirement("transmission_three_districts").status is RequirementStatus.UNMET
    assert result.status is Completeness.INCOMPLETE
