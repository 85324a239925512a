"""The public check of a file against the registry: a born-digital PDF is unchanged or altered, a
scan or photo of an issued paper is a picture to compare with the record (never «altered»), a QR
code whose id or content hash the registry does not know is invalid; the record is masked."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pytest

from service.db import session_scope
from service.registry import service as registry
from verification.qr_payload import make_payload

HOLDER = "Жумабаева Айгерим Сериковна"


def born_digital_pdf(payload: str, lines: tuple[str, ...] = ("СЕРТИФИКАТ № 15 от 01.05.2024",
                                                               f"выдан {HOLDER}")) -> bytes:
    """A one-page text PDF with a QR code carrying ``payload`` at the bottom right."""
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("DejaVu", 14)
    for i, line in enumerate(lines):
        c.drawString(60, 760 - 24 * i, line)
    buf = io.BytesIO()
    qrcode.make(payload, box_size=8, border=2).save(buf, "PNG")
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 390, 60, 150, 150)
    c.save()
    return out.getvalue()


def photo_of(pdf: bytes, *, seed: int = 3, quality: int = 72) -> bytes:
    """A phone photo of the printed first page: on a desk, in perspective, unevenly lit, noisy, JPEG."""
    import cv2
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    page = np.asarray(doc[0].render(scale=170 / 72).to_pil().convert("RGB")).astype(np.float32)
    doc.close()
    h, w = page.shape[:2]
    rng = np.random.default_rng(seed)
    canvas_w, canvas_h = int(w * 1.25), int(h * 1.2)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    ox, oy = (canvas_w - w) / 2, (canvas_h - h) / 2
    jitter = rng.uniform(-0.045, 0.045, (4, 2)) * [w, h]
    dst = np.float32([[ox, oy], [ox + w, oy], [ox + w, oy + h], [ox, oy + h]] + jitter)
    matrix = cv2.getPerspectiveTransform(src, dst)
    desk = np.full((canvas_h, canvas_w, 3), (96, 84, 70), np.float32)
    warped = cv2.warpPerspective(page, matrix, (canvas_w, canvas_h), borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (canvas_w, canvas_h)) > 0.5
    img = np.where(mask[..., None], warped, desk)
    light = np.linspace(1.0, 0.78, canvas_w)[None, :, None] * np.linspace(0.95, 1.0, canvas_h)[:, None, None]
    img = np.clip(img * light + rng.normal(0, 5, img.shape), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(img).save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture
def issued(tmp_path: Path) -> dict[str, object]:
    """A certificate issued and recorded by the registry of this test's data folder, with its PDF.
    (Function scope: the data folder is set per test by the autouse fixture of tests/conftest.py.)"""
    import os
    import secrets

    from service.accounts.models import Organisation

    assert os.environ.get("ATTEST_DATA_DIR")  # never the user's own data folder
    engine = registry.ensure_schema()
    code = f"T{secrets.token_hex(4)}".upper()
    with session_scope(engine) as s:
        s.add(Organisation(code=code, name="КГУ «Школа-гимназия № 5» города Тараз"))
    content = hashlib.sha256(b"certificate content").hexdigest()
    number = registry.issue(organization=code, kind="certificate", lang="ru", content_sha256=content,
                            title=HOLDER, year=2024)
    pdf = born_digital_pdf(make_payload(number.document_id, content))
    registry.record_file(number.document_id, hashlib.sha256(pdf).hexdigest(), "application/pdf", "pdf")
    return {"number": number, "pdf": pdf, "content": content, "issuer": "КГУ «Школа-гимназия № 5» города Тараз",
            "folder": tmp_path}


def _check(issued: dict[str, object], name: str, data: bytes) -> registry.PublicCheck:
    path = Path(issued["folder"]) / name  # type: ignore[arg-type]
    path.write_bytes(data)
    return registry.public_check_file(path, name)


def _expected_record(issued: dict[str, object]) -> dict[str, object]:
    number = issued["number"]
    assert isinstance(number, registry.IssuedNumber)
    record = registry.public_record(number.document_id)
    assert record is not None
    return {"kind": "certificate", "registration_number": number.registration_number,
            "issued_on": record.issued_on.isoformat(), "issuer": issued["issuer"], "holder": "Жумабаева А. С.",
            "kind_titles": {"ru": "Сертификат / справка / диплом", "kk": "Сертификат / анықтама / диплом",
                            "en": "Certificate / reference / diploma"}}


def test_the_issued_pdf_is_unchanged_and_a_modified_one_altered(issued: dict[str, object]) -> None:
    pdf = issued["pdf"]
    assert isinstance(pdf, bytes)
    check = _check(issued, "certificate.pdf", pdf)
    assert check.to_dict() == {"result": "issued_unchanged", "record": _expected_record(issued)}
    check = _check(issued, "certificate-edited.pdf", pdf + b"\n% edited after issue\n")
    assert check.to_dict() == {"result": "altered", "record": _expected_record(issued)}


@pytest.mark.slow
def test_a_photo_of_the_issued_paper_is_a_picture_not_altered(issued: dict[str, object]) -> None:
    pdf = issued["pdf"]
    assert isinstance(pdf, bytes)
    check = _check(issued, "photo.jpg", photo_of(pdf))
    assert check.to_dict() == {"result": "picture", "record": _expected_record(issued)}


@pytest.mark.slow
def test_a_scanned_pdf_of_the_paper_is_a_picture(issued: dict[str, object]) -> None:
    from PIL import Image

    pdf = issued["pdf"]
    assert isinstance(pdf, bytes)
    out = io.BytesIO()
    Image.open(io.BytesIO(photo_of(pdf, seed=5, quality=85))).save(out, "PDF", resolution=170)
    check = _check(issued, "scan.pdf", out.getvalue())
    assert check.result == "picture" and check.record is not None


@pytest.mark.slow
def test_a_qr_code_the_registry_does_not_know_is_invalid(issued: dict[str, object]) -> None:
    number = issued["number"]
    assert isinstance(number, registry.IssuedNumber)
    wrong_hash = born_digital_pdf(make_payload(number.document_id, "0" * 64))
    assert _check(issued, "wrong-hash.jpg", photo_of(wrong_hash)).to_dict() == {"result": "qr_invalid", "record": None}
    no_such_id = born_digital_pdf(make_payload("NoSuchDocument0000000x", issued["content"]))  # type: ignore[arg-type]
    assert _check(issued, "no-such-id.pdf", no_such_id).to_dict() == {"result": "qr_invalid", "record": None}
    assert _check(issued, "no-qr.pdf", born_digital_pdf("just text, not ours")).result == "no_qr"


def test_by_id_and_by_the_qr_link(issued: dict[str, object]) -> None:
    number = issued["number"]
    assert isinstance(number, registry.IssuedNumber)
    assert registry.public_check_id(number.document_id).to_dict() == {"result": "issued",
                                                                     "record": _expected_record(issued)}
    assert registry.public_check_id(number.document_id, issued["content"]).result == "issued"  # type: ignore[arg-type]
    assert registry.public_check_id(number.document_id, "f" * 64).to_dict() == {"result": "qr_invalid",
                                                                              "record": None}
    assert registry.public_check_id("NoSuchDocument0000000x").to_dict() == {"result": "unknown", "record": None}


@pytest.mark.parametrize("title,shown", [
    ("Жумабаева Айгерим Сериковна", "Жумабаева А. С."),
    ("Жұмабаева Айгерім Серікқызы", "Жұмабаева А. С."),
    ("Омаров Ерлан", "Омаров Е."),
    ("Функциональная грамотность на уроках", "Функциональная грамотность на уроках"),  # a subject, not a name
    ("Smith John", "Smith J."),
])
def test_the_person_is_masked_to_surname_and_initials(title: str, shown: str) -> None:
    assert registry.mask_person(title) == shown
