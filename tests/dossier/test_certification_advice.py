"""A programme that must carry the head's seal and signature says how to meet the rule (issue 14)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from samples.dossier.reports import PERIOD, make_report, place
from service.attestation.matching import Evidence, Fit, match_evidence
from service.attestation.profiles import load_profile
from verification.report import Indication

_HOW_RU = ("programme.pdf (Программа трансляции опыта) — электронный файл без печати, подписи руководителя и ЭЦП. "
           "Чтобы он засчитывался: распечатайте документ, подпишите его у руководителя и поставьте печать, "
           "отсканируйте и загрузите скан — или подпишите этот файл ЭЦП руководителя и загрузите подписанный файл.")


def _electronic(**kw):  # type: ignore[no-untyped-def]
    report = make_report("programme.pdf", "transmission_program", media_type="application/pdf", level="district",
                         places=[place("zhambyl-d1", "Район 1", "district", "zhambyl")], **kw)
    return dataclasses.replace(report, text_source="text_layer")


def _notes(report) -> tuple[Fit, dict[str, str]]:  # type: ignore[no-untyped-def]
    match = match_evidence(load_profile("kz-researcher"), [Evidence("programme.pdf", report)], period=PERIOD,
                           dossier_id="D-CERT")
    doc = match.document("programme.pdf")
    notes = doc.notes["transmission_three_districts"]
    return doc.fits["transmission_three_districts"], {lang: " ".join(r.text(lang) for r in notes)
                                                     for lang in ("ru", "kk", "en")}


def test_an_unsigned_generated_programme_is_told_how_to_certify_it() -> None:
    fit, notes = _notes(_electronic())
    assert fit is Fit.REJECTED
    assert _HOW_RU in notes["ru"]
    assert ("programme.pdf (Тәжірибені тарату бағдарламасы) — мөрі, басшының қолы және ЭЦҚ-сы жоқ электрондық файл. "
            "Ол есептелуі үшін: құжатты басып шығарып, басшыға қол қойғызып, мөр бастырыңыз, сканерлеп, сканды "
            "жүктеңіз — немесе осы файлға басшының ЭЦҚ-сын қойып, қол қойылған файлды жүктеңіз.") in notes["kk"]
    assert "print it, have the head sign and stamp it, scan it and upload the scan" in notes["en"]
    assert "печать не найдена" not in notes["ru"]


def test_the_same_file_signed_with_a_digital_signature_counts() -> None:
    fit, notes = _notes(_electronic(digital=Indication.TOTAL_PASSED))
    assert fit is Fit.COUNTED and notes["ru"] == ""


def test_a_scan_without_a_seal_is_told_what_to_upload() -> None:
    scan = make_report("programme.pdf", "transmission_program", handwritten=True, level="district")
    fit, notes = _notes(scan)
    assert fit is Fit.REJECTED
    assert "programme.pdf: печать не найдена. Загрузите скан копии, заверенной печатью и подписью руководителя." \
        in notes["ru"]


def test_the_report_of_an_unsigned_electronic_programme_says_how(tmp_path: Path) -> None:
    from tests.verification.test_kinds import _text_pdf
    from verification.pipeline import VerifyOptions, verify_file

    pdf = _text_pdf(tmp_path / "programme.pdf", ["КГУ «ОШ № 12» г. Тараз", "Программа трансляции опыта",
                                                 "Жумабаева Айгерим Сериковна", "Байзакский район"])
    report = verify_file(pdf, VerifyOptions())
    checks = {c.id: c for c in report.checks}
    seal = checks["scan.seal"]
    assert (seal.status.value, seal.code) == ("warn", "scan.seal.electronic_unsigned")
    assert seal.message("ru") == (
        "Это электронный файл без ЭЦП, а документ «Программа трансляции опыта» нужно заверить печатью и подписью "
        "руководителя. Как выполнить требование: распечатайте документ, подпишите его у руководителя и поставьте "
        "печать, отсканируйте и загрузите скан — или подпишите этот файл ЭЦП руководителя и загрузите подписанный файл.")
    assert seal.message("kk").startswith("Бұл ЭЦҚ-сыз электрондық файл, ал «Тәжірибені тарату бағдарламасы» құжатын")
    assert (checks["scan.handwritten_signature"].status.value, checks["scan.handwritten_signature"].code) == (
        "skip", "scan.signature.not_a_scan")
    assert report.verdict.value == "needs_review"
