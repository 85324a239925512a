"""The scan step through the pipeline: exact fields, seals, signatures, checks; bad inputs."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from verification.pipeline import RegistryRecord, VerifyOptions, verify_bytes, verify_file
from verification.report import CheckStatus, Verdict


def _iou(a: Any, b: Any) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _checks(report: Any) -> dict[str, tuple[str, str]]:
    return {c.id: (c.status.value, c.code) for c in report.checks}


@pytest.mark.slow
def test_colour_certificate_fields_seal_signature(specimens: dict) -> None:
    path, truth = specimens["cert_ru"]
    rep = verify_file(path, VerifyOptions(teacher=truth["teacher"], period=("2021-01-01", "2026-12-31")))
    d = rep.to_dict()
    assert d["kind"] == "certificate" and d["pages"] == 1 and d["text_source"] == "ocr"
    assert d["fields"]["date"]["value"] == truth["date"]
    assert d["fields"]["number"]["value"] == truth["number"]
    assert d["fields"]["person_name"]["matches_expected"] is True
    assert d["fields"]["level"]["value"] == truth["level"]
    assert set(truth["places"]) <= {p["id"] for p in d["fields"]["places"]["value"]}
    assert len(rep.seals) == 1 and _iou(rep.seals[0].bbox, truth["seals"][0]["bbox"]) > 0.8
    assert len(rep.handwritten_signatures) == 1
    assert _iou(rep.handwritten_signatures[0].bbox, truth["handwritten_signatures"][0]["bbox"]) > 0.6
    checks = _checks(rep)
    assert checks["scan.seal"] == ("pass", "scan.seal.found")
    assert checks["scan.handwritten_signature"] == ("pass", "scan.signature.found")
    assert checks["fields.person_name"] == ("pass", "fields.person_name.ok")
    assert checks["fields.date"] == ("pass", "fields.date.ok")
    assert len(rep.perceptual_hashes) == 1 and len(rep.perceptual_hashes[0]) == 16
    assert rep.verdict is Verdict.PASSED


@pytest.mark.slow
def test_sideways_grey_kazakh_order(specimens: dict) -> None:
    path, truth = specimens["order_kk_grey"]
    rep = verify_file(path, VerifyOptions(teacher="Иванова Анна Петровна", kind="protocol",
                                          period=("2026-01-01", "2026-12-31")))
    d = rep.to_dict("kk")
    assert d["fields"]["date"]["value"] == truth["date"]
    assert d["fields"]["number"]["value"] == truth["number"]
    assert d["kind"] == "protocol"  # options.kind given: the report keeps it
    assert [s["kind"] for s in d["seals"]] == ["oval"]
    checks = _checks(rep)
    assert checks["fields.person_name"] == ("fail", "fields.person_name.mismatch")
    assert checks["document.kind"] == ("fail", "document.kind.mismatch")
    assert checks["fields.date"] == ("fail", "fields.date.out_of_period")
    assert rep.verdict is Verdict.FAILED
    assert "құжат" in next(c["message"] for c in d["checks"] if c["id"] == "document.kind").lower()


@pytest.mark.slow
def test_programme_without_seal_fails_and_distractors_are_not_seals(specimens: dict) -> None:
    path, _truth = specimens["programme_distractors"]
    rep = verify_file(path, VerifyOptions())
    assert rep.kind == "transmission_program"
    assert rep.seals == () and rep.handwritten_signatures == ()
    checks = _checks(rep)
    assert checks["scan.seal"] == ("fail", "scan.seal.missing_required")
    assert checks["scan.handwritten_signature"] == ("fail", "scan.signature.missing_required")
    assert "fields.person_name" not in checks  # no expected teacher given
    msg = next(c for c in rep.checks if c.id == "scan.seal").message("ru")
    assert msg.startswith("На документе не найдена печать")


def _qr_page(payload: str) -> bytes:
    import qrcode

    page = Image.new("RGB", (1240, 900), "white")
    page.paste(qrcode.make(payload, box_size=6, border=2).convert("RGB"), (100, 100))
    buf = io.BytesIO()
    page.save(buf, "PNG", dpi=(150, 150))
    return buf.getvalue()


@pytest.mark.slow
def test_qr_registry_statuses() -> None:
    from verification.qr_payload import make_payload

    data = _qr_page(make_payload("DOC12345abc", "a" * 64))
    record = RegistryRecord("DOC12345abc", "15-2024", "certificate", "2024-05-01", frozenset({"0" * 64}))
    rep = verify_bytes(data, "qr.png", VerifyOptions(registry_lookup=lambda i: record if i == "DOC12345abc" else None))
    assert [(q.registry_status, q.document_id) for q in rep.qr_codes] == [("issued_here", "DOC12345abc")]
    assert _checks(rep)["qr.registry"] == ("pass", "qr.registry.issued_here")
    rep = verify_bytes(data, "qr.png", VerifyOptions(registry_lookup=lambda i: None))
    assert _checks(rep)["qr.registry"] == ("fail", "qr.registry.unknown_id")
    rep = verify_bytes(data, "qr.png", VerifyOptions())
    assert _checks(rep)["qr.registry"] == ("warn", "qr.registry.unavailable")
    assert rep.qr_codes[0].registry_status is None
    other = verify_bytes(_qr_page("https://egov.kz/doc?id=42"), "egov.png", VerifyOptions())
    assert [(q.content, q.registry_status) for q in other.qr_codes] == [("https://egov.kz/doc?id=42", None)]
    assert "qr.registry" not in _checks(other)


def _png_header(width: int, height: int) -> bytes:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_huge_image_is_refused_before_decoding() -> None:
    rep = verify_bytes(_png_header(20000, 20000), "huge.png")
    assert rep.verdict is Verdict.FAILED
    assert _checks(rep)["file.readable"] == ("fail", "file.too_large")
    assert "Мпикс" in rep.checks[-1].message("ru")


def test_decompression_bomb_limit_follows_options() -> None:
    rep = verify_bytes(_png_header(3000, 3000), "bomb.png", VerifyOptions(max_pixels=1_000_000))
    assert _checks(rep)["file.readable"] == ("fail", "file.too_large")


def test_corrupt_and_truncated_jpeg(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buf, "JPEG")
    data = buf.getvalue()
    for bad in (data[: len(data) // 3], data[:200] + b"\x00" * 500):
        rep = verify_bytes(bad, "scan.jpg")
        assert rep.verdict is Verdict.FAILED
        assert _checks(rep)["file.readable"] == ("fail", "file.unreadable")


def _blank_pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(200, 200)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


@pytest.mark.slow
def test_500_page_pdf_is_analysed_up_to_the_limit() -> None:
    # the scan step alone (the signature step has its own page limit policy)
    import hashlib

    from verification.pipeline import FileContext, ReportBuilder
    from verification.scans.step import ScanStep

    data = _blank_pdf(500)
    ctx = FileContext(None, "long.pdf", data, hashlib.sha256(data).hexdigest(), "application/pdf",
                      VerifyOptions(max_pages=2))
    out = ReportBuilder()
    step = ScanStep()
    try:
        step.run(ctx, out)
    finally:
        step.cleanup(ctx)
    assert out.pages == 500
    checks = {c.id: c for c in out.checks}
    assert (checks["scan.pages"].status, checks["scan.pages"].code) == (CheckStatus.WARN, "scan.pages_limited")
    assert checks["scan.pages"].params == {"total": 500, "checked": 2}
    assert checks["scan.pages"].message("en").startswith("The file has 500 pages; only the first 2 were checked.")
    assert len(out.perceptual_hashes) == 2
    assert "pdfium_document" in ctx.scratch


def test_text_layer_pdf_uses_its_text(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    f = tmp_path / "order.pdf"
    c = canvas.Canvas(str(f), pagesize=A4)
    c.setFont("DejaVu", 12)
    for i, ln in enumerate(["КГУ «Методический центр управления образования Жамбылской области»", "ПРИКАЗ",
                            "№ 84-ө от «10» марта 2022 года", "Провести областной семинар в Байзакском районе.",
                            "Спикер: Жумабаева Айгерим Сериковна."]):
        c.drawString(60, 780 - i * 20, ln)
    c.save()
    rep = verify_file(f, VerifyOptions(teacher="Жумабаева Айгерим Сериковна", kind="order"))
    d = rep.to_dict()
    assert d["text_source"] == "text_layer"
    assert (d["kind"], d["fields"]["date"]["value"], d["fields"]["number"]["value"]) == ("order", "2022-03-10", "84-ө")
    assert d["fields"]["level"]["value"] == "regional"
    assert [p["id"] for p in d["fields"]["places"]["value"]] == ["kz-zhambyl", "kz-zhambyl/baizakskii"]
    checks = _checks(rep)
    assert checks["scan.seal"] == ("skip", "scan.seal.not_a_scan")
    assert checks["scan.handwritten_signature"] == ("skip", "scan.signature.not_a_scan")
    from verification.messages import catalog_keys

    assert {c.code for c in rep.checks} <= catalog_keys()
    assert checks["document.kind"] == ("pass", "document.kind.ok")
    assert checks["fields.person_name"] == ("pass", "fields.person_name.ok")


def test_another_patronymic_fails_and_says_which_part(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    f = tmp_path / "cert.pdf"
    c = canvas.Canvas(str(f), pagesize=A4)
    c.setFont("DejaVu", 12)
    for i, ln in enumerate(["СЕРТИФИКАТ № 15 от 01.05.2024", "выдан Жумабаевой Айгерим Болатовне",
                            "за участие в областном семинаре"]):
        c.drawString(60, 780 - i * 20, ln)
    c.save()
    rep = verify_file(f, VerifyOptions(teacher="Жумабаева Айгерим Сериковна"))
    assert rep.to_dict()["fields"]["person_name"]["matches_expected"] is False
    check = next(c for c in rep.checks if c.id == "fields.person_name")
    assert (check.status, check.code) == (CheckStatus.FAIL, "fields.person_name.patronymic_differs")
    assert check.message("ru") == (
        "В документе указано «Жумабаевой Айгерим Болатовне», а не «Жумабаева Айгерим Сериковна»: "
        "отчество в документе — Болатовне, ожидалось Сериковна. Загрузите документ, выданный на ваше имя.")
    assert "әкесінің аты — Болатовне" in check.message("kk")
    assert rep.verdict is Verdict.FAILED


@pytest.mark.slow
def test_multipage_tiff_and_heic_are_read() -> None:
    import pillow_heif

    from verification.qr_payload import make_payload

    qr = Image.open(io.BytesIO(_qr_page(make_payload("TIFF1234x", "b" * 64))))
    blank = Image.new("RGB", qr.size, "white")
    buf = io.BytesIO()
    qr.save(buf, "TIFF", save_all=True, append_images=[blank, qr.rotate(180)], dpi=(150, 150))
    rep = verify_bytes(buf.getvalue(), "scan.tif", VerifyOptions())
    assert rep.media_type == "image/tiff" and rep.pages == 3
    assert len(rep.perceptual_hashes) == 3
    assert [(q.page, q.document_id) for q in rep.qr_codes] == [(1, "TIFF1234x")]  # same code once
    pillow_heif.register_heif_opener()
    heic = io.BytesIO()
    qr.save(heic, "HEIF")
    rep = verify_bytes(heic.getvalue(), "photo.heic", VerifyOptions())
    assert rep.media_type == "image/heic" and rep.pages == 1
    assert [q.document_id for q in rep.qr_codes] == ["TIFF1234x"]


def _text_pdf_with_qr(tmp_path: Path, payload: str) -> Path:
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    f = tmp_path / "issued.pdf"
    c = canvas.Canvas(str(f), pagesize=A4)
    c.setFont("DejaVu", 12)
    c.drawString(60, 780, "СЕРТИФИКАТ № 15 от 01.05.2024")
    buf = io.BytesIO()
    qrcode.make(payload, box_size=6, border=2).save(buf, "PNG")
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 400, 60, 130, 130)
    c.save()
    return f


def test_born_digital_pdf_qr_unchanged_or_altered(tmp_path: Path) -> None:
    import hashlib

    from verification.qr_payload import make_payload

    pdf = _text_pdf_with_qr(tmp_path, make_payload("CERT0001zz", "c" * 64))
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    same = RegistryRecord("CERT0001zz", "15", "certificate", "2024-05-01", frozenset({sha}))
    rep = verify_file(pdf, VerifyOptions(registry_lookup=lambda i: same))
    assert rep.text_source == "text_layer"
    assert [(q.registry_status, q.document_id) for q in rep.qr_codes] == [("issued_unchanged", "CERT0001zz")]
    assert _checks(rep)["qr.registry"] == ("pass", "qr.registry.issued_unchanged")
    other = RegistryRecord("CERT0001zz", "15", "certificate", "2024-05-01", frozenset({"f" * 64}))
    rep = verify_file(pdf, VerifyOptions(registry_lookup=lambda i: other))
    assert [q.registry_status for q in rep.qr_codes] == ["issued_altered"]
    assert _checks(rep)["qr.registry"] == ("fail", "qr.registry.issued_altered")
    assert rep.verdict is Verdict.FAILED


def test_a_qr_whose_content_hash_is_not_the_registered_one_fails(tmp_path: Path) -> None:
    import hashlib

    from verification.qr_payload import make_payload

    pdf = _text_pdf_with_qr(tmp_path, make_payload("CERT0001zz", "0" * 64))
    record = RegistryRecord("CERT0001zz", "15", "certificate", "2024-05-01", frozenset({"f" * 64}),
                            content_sha256="c" * 64)
    rep = verify_file(pdf, VerifyOptions(registry_lookup=lambda i: record))
    assert [q.registry_status for q in rep.qr_codes] == ["qr_mismatch"]
    assert _checks(rep)["qr.registry"] == ("fail", "qr.registry.qr_mismatch")
    # the registered hash in the QR: a born-digital file with other bytes is altered, as before
    pdf = _text_pdf_with_qr(tmp_path, make_payload("CERT0001zz", "c" * 64))
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() != "f" * 64
    rep = verify_file(pdf, VerifyOptions(registry_lookup=lambda i: record))
    assert [q.registry_status for q in rep.qr_codes] == ["issued_altered"]


def test_time_budget_stops_before_the_next_page() -> None:
    import hashlib
    import time

    from verification.pipeline import FileContext, ReportBuilder
    from verification.scans.step import ScanStep

    data = _blank_pdf(3)
    ctx = FileContext(None, "slow.pdf", data, hashlib.sha256(data).hexdigest(), "application/pdf",
                      VerifyOptions(time_budget_s=5.0), started=time.monotonic() - 10)
    out = ReportBuilder()
    step = ScanStep()
    try:
        step.run(ctx, out)
    finally:
        step.cleanup(ctx)
    checks = {c.id: c for c in out.checks}
    assert (checks["scan.pages"].code, checks["scan.pages"].params) == ("scan.time_budget", {"total": 3, "checked": 0})
    assert checks["scan.pages"].status is CheckStatus.WARN
    assert checks["scan.text"].code == "scan.no_text"


@pytest.mark.parametrize("mode,size,fmt", [
    ("RGB", (1, 1), "PNG"), ("RGB", (10, 3000), "PNG"), ("RGBA", (300, 400), "PNG"), ("P", (300, 400), "GIF"),
    ("CMYK", (300, 400), "JPEG"), ("LA", (300, 400), "PNG"), ("I;16", (300, 400), "PNG"), ("RGB", (300, 400), "WEBP"),
])
def test_odd_images_are_analysed_without_internal_errors(mode: str, size: tuple[int, int], fmt: str) -> None:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, fmt)
    rep = verify_bytes(buf.getvalue(), f"odd.{fmt.lower()}")
    assert rep.pages == 1
    assert not [c for c in rep.checks if c.code == "internal.error"]
    assert _checks(rep)["scan.text"] == ("warn", "scan.no_text")
    assert rep.verdict is Verdict.NEEDS_REVIEW


def test_valid_digital_signature_makes_a_missing_seal_skip() -> None:
    import hashlib

    from verification.pipeline import FileContext, ReportBuilder
    from verification.report import Indication, SignatureResult, Signer
    from verification.scans.step import ScanStep

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, "PNG")
    data = buf.getvalue()
    for indication, expected in ((Indication.TOTAL_PASSED, ("skip", "scan.seal.digital")),
                                 (Indication.INDETERMINATE, ("fail", "scan.seal.missing_required"))):
        ctx = FileContext(None, "programme.png", data, hashlib.sha256(data).hexdigest(), "image/png",
                          VerifyOptions(kind="transmission_program"))
        out = ReportBuilder(kind="transmission_program")
        out.signatures.append(SignatureResult("pades", indication, None, Signer(common_name="Head")))
        step = ScanStep()
        try:
            step.run(ctx, out)
        finally:
            step.cleanup(ctx)
        checks = {c.id: (c.status.value, c.code) for c in out.checks}
        assert checks["scan.seal"] == expected
        assert checks["scan.handwritten_signature"][0] == expected[0]


def test_opencv_runs_each_call_in_its_page_thread_while_pages_run_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    import cv2

    from verification.pipeline import FileContext, ReportBuilder
    from verification.scans import step as scan_step

    seen: list[int] = []
    real = scan_step._analyse_page

    def analyse(page: Any, settings: Any) -> Any:
        seen.append(cv2.getNumThreads())
        return real(page, settings)

    monkeypatch.setattr(scan_step, "_analyse_page", analyse)
    before = cv2.getNumThreads()
    cv2.setNumThreads(4)
    try:
        data = _blank_pdf(3)
        for workers, expected in ((2, [1, 1, 1]), (1, [4, 4, 4])):
            seen.clear()
            ctx = FileContext(None, "three.pdf", data, hashlib.sha256(data).hexdigest(), "application/pdf",
                              VerifyOptions(workers=workers))
            step = scan_step.ScanStep()
            try:
                step.run(ctx, ReportBuilder())
            finally:
                step.cleanup(ctx)
            assert seen == expected
            assert cv2.getNumThreads() == 4  # put back when the document is done
        # two documents at once: the setting goes back when the last one is done, not the first
        with scan_step._pages_in_parallel(2):
            with scan_step._pages_in_parallel(3):
                assert cv2.getNumThreads() == 1
            assert cv2.getNumThreads() == 1
        assert cv2.getNumThreads() == 4
    finally:
        cv2.setNumThreads(before)
